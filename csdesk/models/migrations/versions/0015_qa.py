"""Quality inspections (rules.md §10): forms as scored, inspections, answers, findings.

``qa_findings`` is edited (fed back, re-checked) and gets the version trigger of revision 0013
(csdesk.models.versioning); the other three tables are written once.

Revision ID: 0015_qa
Revises: 0014_device_id
"""

import sqlalchemy as sa
from alembic import op

from csdesk.models.versioning import create_version_triggers

revision = "0015_qa"
down_revision = "0014_device_id"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qa_forms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("code", "form_version", name="uq_qa_forms_code_version"),
    )
    op.create_table(
        "qa_inspections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("contact", sa.String(120), nullable=False),
        sa.Column("inspector_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(12), nullable=False),
        sa.Column("form_id", sa.Integer(), sa.ForeignKey("qa_forms.id"), nullable=False),
        sa.Column("score", sa.String(40), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.Column("calibration", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("person_id", "contact", "inspector_id", "inspected_on", name="uq_qa_inspections_key"),
    )
    op.create_index("ix_qa_inspections_day", "qa_inspections", ["inspected_on"])
    op.create_index("ix_qa_inspections_contact", "qa_inspections", ["contact"])
    op.create_table(
        "qa_answers",
        sa.Column("inspection_id", sa.Integer(), sa.ForeignKey("qa_inspections.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("question", sa.String(16), primary_key=True),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_table(
        "qa_findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("inspection_id", sa.Integer(), sa.ForeignKey("qa_inspections.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("impact", sa.String(12), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("fed_back_at", sa.DateTime(), nullable=True),
        sa.Column("fed_back_by", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("rechecked_on", sa.Date(), nullable=True),
        sa.Column("rechecked_by", sa.String(64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("evaluation_events.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.UniqueConstraint("inspection_id", "question", name="uq_qa_findings_item"),
    )
    op.create_index("ix_qa_findings_status", "qa_findings", ["status"])
    create_version_triggers(op.get_bind(), ("qa_findings",))


def downgrade() -> None:  # dropping a table drops its trigger
    op.drop_index("ix_qa_findings_status", table_name="qa_findings")
    op.drop_table("qa_findings")
    op.drop_table("qa_answers")
    op.drop_index("ix_qa_inspections_contact", table_name="qa_inspections")
    op.drop_index("ix_qa_inspections_day", table_name="qa_inspections")
    op.drop_table("qa_inspections")
    op.drop_table("qa_forms")
