"""Callbacks: members, sales, contacts, callbacks, call log, home visits.

Revision ID: 0005_callbacks
Revises: 0002_attendance
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_callbacks"
down_revision = "0002_attendance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("birthday", sa.Date),
        sa.Column("vip", sa.Boolean, nullable=False),
        sa.Column("tier", sa.String(12), nullable=False),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("people.id", ondelete="SET NULL")),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("name", "phone", name="uq_member_name_phone"),
    )
    op.create_index("ix_members_agent_id", "members", ["agent_id"])
    op.create_index("ix_members_phone", "members", ["phone"])
    op.create_table(
        "sales",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sale_date", sa.Date, nullable=False),
        sa.Column("card_received", sa.Date),
        sa.Column("first_class", sa.Date),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("people.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("member_id", "sale_date", name="uq_sale_member_date"),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("people.id", ondelete="SET NULL")),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("progress", sa.Text, nullable=False),
        sa.Column("solved_at", sa.DateTime),
        sa.Column("message_sent_at", sa.DateTime),
        sa.Column("replied_at", sa.DateTime),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_contacts_received_at", "contacts", ["received_at"])
    op.create_index("ix_contacts_status", "contacts", ["status"])
    op.create_index("ix_contacts_member_id", "contacts", ["member_id"])
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("people.id", ondelete="SET NULL")),
        sa.Column("window_start", sa.DateTime, nullable=False),
        sa.Column("due", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(20)),
        sa.Column("result", sa.String(20)),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("retry_of", sa.String(12), nullable=False),
        sa.Column("root_id", sa.Integer, sa.ForeignKey("callbacks.id", ondelete="CASCADE")),
        sa.Column("previous_id", sa.Integer, sa.ForeignKey("callbacks.id", ondelete="SET NULL")),
        sa.Column("reschedules", sa.Integer, nullable=False),
        sa.Column("note", sa.String(20), nullable=False),
        sa.Column("sale_id", sa.Integer, sa.ForeignKey("sales.id", ondelete="CASCADE")),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="CASCADE")),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_callbacks_due_status", "callbacks", ["due", "status"])
    op.create_index("ix_callbacks_status_agent_window", "callbacks", ["status", "agent_id", "window_start"])
    op.create_index("ix_callbacks_closed_at", "callbacks", ["closed_at"])
    op.create_index("ix_callbacks_member_id", "callbacks", ["member_id"])
    op.create_table(
        "call_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id", ondelete="SET NULL")),
        sa.Column("callback_id", sa.Integer, sa.ForeignKey("callbacks.id", ondelete="SET NULL")),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(20)),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_index("ix_call_log_agent_at", "call_log", ["agent_id", "at"])
    op.create_index("ix_call_log_at", "call_log", ["at"])
    op.create_table(
        "home_visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.UniqueConstraint("agent_id", "day", name="uq_home_visit_agent_day"),
    )
    op.create_index("ix_home_visits_day", "home_visits", ["day"])


def downgrade() -> None:
    for table in ("home_visits", "call_log", "callbacks", "contacts", "sales", "members"):
        op.drop_table(table)
