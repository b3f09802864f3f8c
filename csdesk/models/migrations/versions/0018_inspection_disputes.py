"""Agents acknowledge or dispute their quality inspections; the supervisor arbitrates (issue 15).

``inspection_responses`` is the inspections' counterpart of ``scorecard_responses`` (revision
0016): it is edited (arbitrated), so it gets the version trigger of revision 0013
(csdesk.models.versioning).

Revision ID: 0018_inspection_disputes
Revises: 0017_leave_returned
"""

import sqlalchemy as sa
from alembic import op

from csdesk.models.versioning import create_version_triggers

revision = "0018_inspection_disputes"
down_revision = "0017_leave_returned"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("inspection_id", sa.Integer(), sa.ForeignKey("qa_inspections.id"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_index("ix_inspection_responses_inspection", "inspection_responses", ["inspection_id"])
    create_version_triggers(op.get_bind(), ("inspection_responses",))


def downgrade() -> None:  # dropping a table drops its trigger
    op.drop_index("ix_inspection_responses_inspection", table_name="inspection_responses")
    op.drop_table("inspection_responses")
