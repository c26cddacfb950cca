"""After the draft (contract §6): instalments, follow-ups (回访, status notices), referral and overdue.

Revision ID: 0006_outcomes
Revises: 0005_handoff_station
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_outcomes"
down_revision = "0005_handoff_station"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as table:
        table.add_column(sa.Column("referred_to", sa.String(32)))
        table.add_column(sa.Column("referred_from_station", sa.String(64)))
        table.add_column(sa.Column("overdue", sa.Boolean(), nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("rating", sa.Integer()))
        table.add_column(sa.Column("rating_comment", sa.Text()))
        table.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True)))
    op.create_table(
        "instalments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("paid", sa.Boolean()),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("case_id", "seq"),
    )
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(16)),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("shown_at", sa.DateTime(timezone=True)),
        sa.Column("answer", sa.Text()),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("case_id", "kind", "seq"),
    )


def downgrade() -> None:
    op.drop_table("followups")
    op.drop_table("instalments")
    with op.batch_alter_table("cases") as table:
        for column in ("last_seen_at", "rating_comment", "rating", "overdue", "referred_from_station", "referred_to"):
            table.drop_column(column)
