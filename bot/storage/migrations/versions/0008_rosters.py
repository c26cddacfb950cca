"""Group rosters of collective cases: the group's code and its members (劳动争议调解仲裁法 §7).

Revision ID: 0008_rosters
Revises: 0005_handoff_station
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_rosters"
down_revision = "0006_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rosters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, unique=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "roster_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("roster_id", sa.Integer, sa.ForeignKey("rosters.id"), nullable=False),
        sa.Column("name", sa.String(64)),
        sa.Column("phone", sa.String(16)),
        sa.Column("amount", sa.Float),
        sa.Column("months", sa.Float),
        sa.Column("representative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("consent_version", sa.String(32)),
        sa.Column("consent_at", sa.DateTime(timezone=True)),
        sa.Column("sender_id", sa.String(128)),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_roster_members_roster_id", "roster_members", ["roster_id"])


def downgrade() -> None:
    op.drop_index("ix_roster_members_roster_id", "roster_members")
    op.drop_table("roster_members")
    op.drop_table("rosters")
