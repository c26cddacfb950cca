"""The case database: SQLite file by default, PostgreSQL (or any SQLAlchemy URL) by DATABASE_URL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# PostgreSQL: a server that does not answer fails a request in 10 s, and no statement holds a
# connection (and a worker's request) longer than 30 s.
POSTGRES_CONNECT_ARGS = {"connect_timeout": 10, "options": "-c statement_timeout=30000"}


def make_engine(url: str | None = None) -> Engine:
    url = url or settings.database_url()
    # hide_parameters: an error's message quotes the statement but not its values (names, phones).
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, future=True, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            # WAL lets the web side read while a case is being written; a confirmed case is on
            # disk before the worker sees its number (synchronous=FULL).
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    connect_args = POSTGRES_CONNECT_ARGS if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, future=True, hide_parameters=True, connect_args=connect_args)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", str(engine.url).replace("%", "%%"))
    with engine.begin() as connection:
        _join_old_heads(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _join_old_heads(connection) -> None:
    """0003_console and 0003_events were once two heads; 0003_events now follows 0003_console.
    A database stamped with both would make Alembic refuse ("overlaps"): being at 0003_events
    now implies 0003_console, so that row goes."""
    if not inspect(connection).has_table("alembic_version"):
        return
    stamped = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    if {"0003_console", "0003_events"} <= stamped:
        connection.execute(text("DELETE FROM alembic_version WHERE version_num = '0003_console'"))


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)
