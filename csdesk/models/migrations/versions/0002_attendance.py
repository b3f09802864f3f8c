"""Attendance: punches, missed-punch corrections, leave requests, shift swaps, month locks.

Revision ID: 0002_attendance
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_attendance"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "punches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("device", sa.String(40)),
        sa.UniqueConstraint("person_id", "at", name="uq_punch_person_at"),
    )
    op.create_index("ix_punches_at", "punches", ["at"])
    op.create_table(
        "punch_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("requested_on", sa.Date, nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", sa.DateTime),
    )
    op.create_index("ix_punch_corrections_person_id", "punch_corrections", ["person_id"])
    op.create_index("ix_punch_corrections_day", "punch_corrections", ["day"])
    op.create_table(
        "leave_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("leave_type", sa.String(20), nullable=False),
        sa.Column("start_day", sa.Date, nullable=False),
        sa.Column("end_day", sa.Date, nullable=False),
        sa.Column("hours", sa.Float),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("certificate", sa.Boolean, nullable=False),
        sa.Column("cancelled_on_return", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", sa.DateTime),
    )
    op.create_index("ix_leave_person_start", "leave_requests", ["person_id", "start_day"])
    op.create_table(
        "shift_swaps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("colleague_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", sa.DateTime),
    )
    op.create_index("ix_shift_swaps_person_id", "shift_swaps", ["person_id"])
    op.create_table(
        "month_locks",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("locked_at", sa.DateTime, nullable=False),
        sa.Column("locked_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("month_locks", "shift_swaps", "leave_requests", "punch_corrections", "punches"):
        op.drop_table(table)
