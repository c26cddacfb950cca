"""Privacy: a follow code per case, the worker's consent, erasure marks, handoff completion
time and the retention purge's "last run" row.

Existing cases get a follow code too, so every lookup path can require one; their workers ask
the station for it (operators see it in the case view).

Revision ID: 0004_privacy
Revises: 0003_events
"""

import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0004_privacy"
down_revision = "0003_events"
branch_labels = None
depends_on = None

# Same alphabet as bot/cases/follow_code.py (a migration must not import code that may change).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("id_number", sa.String(18)))
        batch.add_column(sa.Column("follow_code", sa.String(16)))
        batch.add_column(sa.Column("consent_version", sa.String(32)))
        batch.add_column(sa.Column("consent_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("tracker_erased_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("done_at", sa.DateTime(timezone=True)))
    connection = op.get_bind()
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("follow_code", sa.String))
    for (case_id,) in connection.execute(sa.select(cases.c.id)).fetchall():
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        connection.execute(cases.update().where(cases.c.id == case_id).values(follow_code=code))
    op.create_table(
        "maintenance_runs",
        sa.Column("job", sa.String(32), primary_key=True),
        sa.Column("last_run", sa.DateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.String(64)),
    )
    op.bulk_insert(
        sa.table("maintenance_runs", sa.column("job", sa.String), sa.column("last_run", sa.DateTime(timezone=True))),
        [{"job": "purge", "last_run": datetime(2000, 1, 1, tzinfo=timezone.utc)}],
    )
    op.create_index("ix_cases_status_updated", "cases", ["status", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_status_updated", "cases")
    op.drop_table("maintenance_runs")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("done_at")
    with op.batch_alter_table("cases") as batch:
        for column in ("tracker_erased_at", "erased_at", "consent_at", "consent_version", "follow_code", "id_number"):
            batch.drop_column(column)
