"""Handover: entries, authors, open items and their passages, penalties, drafts, work records.

Revision ID: 0003_handover
Revises: 0002_attendance
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_handover"
down_revision = "0002_attendance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handover_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("written_at", sa.DateTime, nullable=False),
        sa.Column("shift_code", sa.String(8), nullable=False),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id")),
        sa.Column("written_by", sa.String(64), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("desk_state", sa.Text, nullable=False),
        sa.Column("desk_messy", sa.Boolean, nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("takeover_note", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
    )
    op.create_index("ix_handover_entries_written_at", "handover_entries", ["written_at"])
    op.create_index("ix_handover_entries_team_written", "handover_entries", ["team_id", "written_at"])
    op.create_table(
        "handover_authors",
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("handover_entries.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_handover_authors_person", "handover_authors", ["person_id"])
    op.create_table(
        "handover_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("opened_in", sa.Integer, sa.ForeignKey("handover_entries.id"), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("pending", sa.Text, nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("due", sa.DateTime),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("link_kind", sa.String(12)),
        sa.Column("link_ref", sa.String(40)),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("closed_by", sa.String(64)),
        sa.Column("closed_in", sa.Integer, sa.ForeignKey("handover_entries.id")),
        sa.Column("outcome", sa.Text, nullable=False),
    )
    op.create_index("ix_handover_items_opened_in", "handover_items", ["opened_in"])
    op.create_index("ix_handover_items_owner_id", "handover_items", ["owner_id"])
    op.create_table(
        "handover_entry_items",
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("handover_entries.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("handover_items.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("pending", sa.Text, nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("due", sa.DateTime),
        sa.Column("priority", sa.String(8), nullable=False),
    )
    op.create_index("ix_handover_entry_items_item", "handover_entry_items", ["item_id"])
    op.create_table(
        "handover_penalties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("handover_entries.id"), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(24), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("entry_id", "person_id", "code", name="uq_handover_penalty"),
    )
    op.create_index("ix_handover_penalties_at", "handover_penalties", ["at"])
    op.create_table(
        "handover_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("username", "kind", name="uq_handover_draft"),
    )
    op.create_table(
        "work_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("shift_code", sa.String(8), nullable=False),
        sa.Column("today_work", sa.Text, nullable=False),
        sa.Column("tomorrow_plan", sa.Text, nullable=False),
        sa.Column("calls_made", sa.Integer, nullable=False),
        sa.Column("complaints_taken", sa.Integer, nullable=False),
        sa.Column("callbacks_done", sa.Integer, nullable=False),
        sa.Column("counts_from", sa.String(12), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("person_id", "day", "shift_code", name="uq_work_record"),
    )
    op.create_index("ix_work_records_day", "work_records", ["day"])


def downgrade() -> None:
    for table in (
        "work_records",
        "handover_drafts",
        "handover_penalties",
        "handover_entry_items",
        "handover_items",
        "handover_authors",
        "handover_entries",
    ):
        op.drop_table(table)
