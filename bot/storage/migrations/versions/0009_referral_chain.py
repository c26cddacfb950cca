"""Every station that held a case before a referral moved it on (JSON list of station ids): each
keeps read access and finds the case under "已转出", not only the latest sender. And the party each
referral went to, on its status change, so the worker's timeline names every one.

Revision ID: 0009_referral_chain
Revises: 0007_case_details
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_referral_chain"
down_revision = "0007_case_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("referral_chain", sa.Text))
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("referred_to", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("referred_to")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("referral_chain")
