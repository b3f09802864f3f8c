"""Callback tables: members, sales, contacts (complaints/enquiries/reviews), callbacks, call log, home visits.

A member is a customer (rules.md §9): the owning agent calls them after a sale,
on their birthday, and back after a complaint or a bad review. Every promised
call is one ``callbacks`` row; a retry after no answer is a new row pointing at
the first attempt (``root_id``) and at the attempt before it (``previous_id``).
Every call actually made (or taken) is one ``call_log`` row: the daily quota
counts the effective outgoing ones.
"""


from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base

# Stored call states; the agenda's due/overdue/done is computed from these by the rules.
CALL_OPEN = "open"
CALL_CLOSED = "closed"
CALL_CANCELLED = "cancelled"  # a review phone call made unnecessary by the customer's reply


class MemberRow(Base):
    """A customer; (name, phone) identifies them in imports."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("name", "phone", name="uq_member_name_phone"),
        Index("ix_members_agent_id", "agent_id"),
        Index("ix_members_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40))
    birthday: Mapped[date | None] = mapped_column(Date)
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    tier: Mapped[str] = mapped_column(String(12), default="general")
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class SaleRow(Base):
    """One sale to a member: the source of the four service calls."""

    __tablename__ = "sales"
    __table_args__ = (UniqueConstraint("member_id", "sale_date", name="uq_sale_member_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    sale_date: Mapped[date] = mapped_column(Date)
    card_received: Mapped[date | None] = mapped_column(Date)
    first_class: Mapped[date | None] = mapped_column(Date)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ContactRow(Base):
    """An incoming complaint, enquiry or other contact, or a bad review (rules.md §9)."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_received_at", "received_at"),
        Index("ix_contacts_status", "status"),
        Index("ix_contacts_member_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    severity: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default="OPEN")
    item: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[str] = mapped_column(Text, default="")
    solved_at: Mapped[datetime | None] = mapped_column(DateTime)
    message_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class CallbackRow(Base):
    """A promised call: open from ``window_start``, due by ``due``; closed with an outcome."""

    __tablename__ = "callbacks"
    __table_args__ = (
        # Four indexes only: every one costs on the bulk insert of a sales import (10,000
        # sales = 40,000 calls into a million-row table). The agenda's open calls are
        # "status open, window opened by the day's end" per agent: (status, agent_id,
        # window_start) is a range scan of the open calls, where (agent_id, due) would
        # walk each agent's whole history. Calls done on the day: closed_at. Month
        # reports and birthday planning: (due, status). A member's calls (and the
        # rare look-ups by sale or contact, filtered after): member_id.
        Index("ix_callbacks_due_status", "due", "status"),
        Index("ix_callbacks_status_agent_window", "status", "agent_id", "window_start"),
        Index("ix_callbacks_closed_at", "closed_at"),
        Index("ix_callbacks_member_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    window_start: Mapped[datetime] = mapped_column(DateTime)
    due: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default=CALL_OPEN)
    outcome: Mapped[str | None] = mapped_column(String(20))  # the last outcome recorded
    result: Mapped[str | None] = mapped_column(String(20))  # rules.callbacks RESULT_* once closed
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    retry_of: Mapped[str] = mapped_column(String(12), default="")
    root_id: Mapped[int | None] = mapped_column(ForeignKey("callbacks.id", ondelete="CASCADE"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("callbacks.id", ondelete="SET NULL"))
    reschedules: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(20), default="")  # rules NOTE_* code
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    notes: Mapped[str] = mapped_column(Text, default="")  # what the agent wrote
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # csdesk.models.versioning


class CallLogRow(Base):
    """A call made or taken; the quota counts effective outgoing ones (rules.md §9)."""

    __tablename__ = "call_log"
    __table_args__ = (Index("ix_call_log_agent_at", "agent_id", "at"), Index("ix_call_log_at", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    callback_id: Mapped[int | None] = mapped_column(ForeignKey("callbacks.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime)
    direction: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")


class HomeVisitRow(Base):
    """A day an agent makes home visits: the day's quota is lowered (rules.md §9)."""

    __tablename__ = "home_visits"
    __table_args__ = (UniqueConstraint("agent_id", "day", name="uq_home_visit_agent_day"), Index("ix_home_visits_day", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
