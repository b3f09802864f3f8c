"""Level history: when each agent level started (rules.md §8 judges promotion and demotion from it).

Revision ID: 0009_level_history
Revises: 0008_leave_details
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_level_history"
down_revision = "0008_leave_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "level_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("effective", sa.Date, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_level_changes_person_effective", "level_changes", ["person_id", "effective"])


def downgrade() -> None:
    op.drop_table("level_changes")
