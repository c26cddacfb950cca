"""Operator accounts, their sessions and the console's audit log.

Revision ID: 0003_console
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_console"
down_revision = "0002"  # 0002_stations.py; other 0003 branches sit beside this one as heads
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("station_id", sa.String(64)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "operator_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("operator_id", sa.Integer, sa.ForeignKey("operators.id"), nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("case_no", sa.String(32), index=True),
        sa.Column("detail", sa.Text),
    )
    # The queue filters on these; 0001 indexed only what the bot looks up.
    op.create_index("ix_cases_status_station", "cases", ["status", "station_id"])
    op.create_index("ix_case_events_to_status", "case_events", ["to_status"])


def downgrade() -> None:
    op.drop_index("ix_case_events_to_status", "case_events")
    op.drop_index("ix_cases_status_station", "cases")
    op.drop_table("audit_log")
    op.drop_table("operator_sessions")
    op.drop_table("operators")
