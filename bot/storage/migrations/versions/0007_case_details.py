"""What a ready-to-file document needs (issue 17): dates, wage and the construction project in
columns (non-personal, kept for statistics after erasure), the rest as JSON (`details`: home
address, the employer's address and legal representative, the 包工头, evidence, witnesses).

Revision ID: 0007_case_details
Revises: 0008_rosters
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_case_details"
down_revision = "0008_rosters"
branch_labels = None
depends_on = None

COLUMNS = (
    ("start_date", sa.Date),
    ("leaving_date", sa.Date),
    ("monthly_wage", sa.Float),
    ("construction", sa.Boolean),
    ("project_name", lambda: sa.String(200)),
    ("general_contractor", lambda: sa.String(200)),
    ("details", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind()))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
