"""Agents acknowledge or dispute their month's scorecard; the supervisor arbitrates (issue 15).

``scorecard_responses`` is edited (arbitrated), so it gets the version trigger of revision 0013
(csdesk.models.versioning).

Revision ID: 0016_disputes
Revises: 0015_qa
"""

import sqlalchemy as sa
from alembic import op

from csdesk.models.versioning import create_version_triggers

revision = "0016_disputes"
down_revision = "0015_qa"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scorecard_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
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
    op.create_index("ix_scorecard_responses_month", "scorecard_responses", ["month", "person_id"])
    create_version_triggers(op.get_bind(), ("scorecard_responses",))


def downgrade() -> None:  # dropping a table drops its trigger
    op.drop_index("ix_scorecard_responses_month", table_name="scorecard_responses")
    op.drop_table("scorecard_responses")
