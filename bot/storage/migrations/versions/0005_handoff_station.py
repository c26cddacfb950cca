"""A handoff request's station, so a station's operators see only their own callers.

Revision ID: 0005_handoff_station
Revises: 0004_privacy
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_handoff_station"
down_revision = "0004_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as table:
        table.add_column(sa.Column("station_id", sa.String(64)))
    op.create_index("ix_handoffs_status_station", "handoffs", ["status", "station_id"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_status_station", "handoffs")
    with op.batch_alter_table("handoffs") as table:
        table.drop_column("station_id")
