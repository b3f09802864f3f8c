"""The signed month: results stored at lock time, lock history, attendance events pulled.

* ``month_locks`` gains the policy's hash and the revision of the stored results;
* ``month_results`` holds what a locked month shows (each agent's scorecard with every counted
  line, each person's attendance month), one row per (month, revision, kind, subject);
* ``month_lock_history`` keeps every reopened lock with who reopened it and why; the results of
  that revision stay in ``month_results``;
* attendance-generated events (M01/S01) are no longer stored: scorecards pull them from the
  attendance facts when a month is computed. The rows the old sync wrote are retired (marked
  void, source ``retired_sync``; the table refuses deletes), and its dirty-month list goes.

Revision ID: 0011_signed_month
Revises: 0010_attendance_read_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_signed_month"
down_revision = "0010_attendance_read_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("month_locks") as batch:
        batch.add_column(sa.Column("policy_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "month_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("team", sa.String(80), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.UniqueConstraint("month", "revision", "kind", "subject", name="uq_month_results"),
    )
    op.create_index("ix_month_results_month_kind", "month_results", ["month", "revision", "kind", "team"])
    op.create_table(
        "month_lock_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False, index=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(), nullable=False),
        sa.Column("locked_by", sa.String(64), nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=True),
        sa.Column("reopened_at", sa.DateTime(), nullable=False),
        sa.Column("reopened_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.execute("UPDATE evaluation_events SET voided = true, source = 'retired_sync' WHERE source = 'attendance'")
    op.execute("DELETE FROM settings WHERE key = 'attendance.dirty_months'")


def downgrade() -> None:
    op.execute("UPDATE evaluation_events SET source = 'attendance' WHERE source = 'retired_sync'")
    op.drop_table("month_lock_history")
    op.drop_index("ix_month_results_month_kind", table_name="month_results")
    op.drop_table("month_results")
    with op.batch_alter_table("month_locks") as batch:
        batch.drop_column("revision")
        batch.drop_column("policy_hash")
