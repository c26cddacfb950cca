"""The case database: one engine (engine.py), one metadata with every table (tables.py for cases and
stations, operators.py for the console, events.py for conversation statistics) and one linear chain
of Alembic migrations (migrations/versions)."""
