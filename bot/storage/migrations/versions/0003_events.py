"""Dashboard statistics kept by the event consumer (bot/events), and the keys of the events it
has counted, so a message RabbitMQ delivers again is not counted twice.

Revision ID: 0003_events
Revises: 0003_console
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_events"
down_revision = "0003_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_keys",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_event_keys_seen_at", "event_keys", ["seen_at"])
    op.create_table(
        "event_stats",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("day", "metric", "label"),
    )
    op.create_table(
        "event_conversations",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("day", "sender_id"),
    )


def downgrade() -> None:
    op.drop_table("event_conversations")
    op.drop_table("event_stats")
    op.drop_index("ix_event_keys_seen_at", table_name="event_keys")
    op.drop_table("event_keys")
