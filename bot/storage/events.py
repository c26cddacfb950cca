"""The statistics tables (migration 0003_events), for SQLAlchemy Core, on the one metadata of the
case database (bot/storage/tables.py) so Alembic sees every table."""

from sqlalchemy import Column, Date, DateTime, Integer, String, Table

from bot.storage.tables import Base

metadata = Base.metadata

event_keys = Table(
    "event_keys",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

event_stats = Table(
    "event_stats",
    metadata,
    Column("day", Date, primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("label", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
)

event_conversations = Table(
    "event_conversations",
    metadata,
    Column("day", Date, primary_key=True),
    Column("sender_id", String(128), primary_key=True),
)
