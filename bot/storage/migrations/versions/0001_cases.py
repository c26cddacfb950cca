"""Cases, their status history, daily counters and handoff requests.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_no", sa.String(32), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64)),
        sa.Column("phone", sa.String(16)),
        sa.Column("employer", sa.String(200)),
        sa.Column("employer_key", sa.String(200), index=True),
        sa.Column("location", sa.String(200)),
        sa.Column("amount", sa.Float),
        sa.Column("period_months", sa.Float),
        sa.Column("worker_count", sa.Integer),
        sa.Column("description", sa.Text),
        sa.Column("station_id", sa.String(64)),
        sa.Column("station_name", sa.String(200)),
        sa.Column("sender_id", sa.String(128), index=True),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("collective", sa.Boolean, nullable=False),
        sa.Column("group_id", sa.Integer, index=True),
        sa.Column("idempotency_key", sa.String(128), unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "case_counters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False, unique=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(128), nullable=False, index=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("phone", sa.String(16)),
        sa.Column("transcript", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("handoffs")
    op.drop_table("case_counters")
    op.drop_table("case_events")
    op.drop_table("cases")
