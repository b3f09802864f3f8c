"""Attendance marks: facts the supervisor records about a day (left without an arranged swap).

Revision ID: 0007_attendance_marks
Revises: 0006_merge_areas
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_attendance_marks"
down_revision = "0006_merge_areas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendance_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("code", sa.String(24), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("person_id", "day", "code", name="uq_attendance_mark"),
    )
    op.create_index("ix_attendance_marks_day", "attendance_marks", ["day"])


def downgrade() -> None:
    op.drop_table("attendance_marks")
