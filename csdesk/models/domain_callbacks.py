"""Records of the callbacks area that cross the models boundary (never ORM rows).

Services read them by field name only (``rec.status``, never ``rec[12]``: a test parses the
services and fails on a positional pick). The four read records are immutable named tuples
rather than frozen dataclasses because they are built straight from the column tuples of the
area's big reads (the day's agenda over a million-call history, the sales import's lookups):
``CallRecord._make(row)`` measured 0.23 µs a record against 2.5 µs for a frozen dataclass of the
same 25 fields. They cannot be changed in place either; a changed call is a write through
:class:`csdesk.models.repo_callbacks.CallbackRepository`'s explicit write methods.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from csdesk.records import record


class MemberRecord(NamedTuple):
    """A member (customer) with the agent who owns them."""

    id: int
    name: str
    phone: str
    birthday: date | None
    vip: bool
    tier: str
    agent_id: int | None
    agent_no: str | None
    agent_name: str | None
    note: str
    created_at: datetime
    version: int = 1  # csdesk.models.versioning


class SaleRecord(NamedTuple):
    """A sale, whose dates plan its service calls (rules.sale_plan)."""

    id: int
    member_id: int
    sale_date: date
    card_received: date | None
    first_class: date | None
    agent_id: int | None


class CallRecord(NamedTuple):
    """A planned callback with its member and agent, as stored."""

    id: int
    kind: str
    member_id: int
    member_name: str
    phone: str
    tier: str
    vip: bool
    agent_id: int | None
    agent_no: str | None
    agent_name: str | None
    window_start: datetime
    due: datetime
    status: str
    outcome: str | None
    result: str | None
    attempt: int
    retry_of: str
    root_id: int | None
    previous_id: int | None
    reschedules: int
    note: str
    sale_id: int | None
    contact_id: int | None
    notes: str
    closed_at: datetime | None
    version: int = 1  # csdesk.models.versioning


class ContactRecord(NamedTuple):
    """An incoming contact (complaint, enquiry, bad review) with its member and agent."""

    id: int
    member_id: int
    member_name: str
    phone: str
    kind: str
    received_at: datetime
    agent_id: int | None
    agent_no: str | None
    agent_name: str | None
    severity: int
    status: str
    item: str
    text: str
    progress: str
    solved_at: datetime | None
    message_sent_at: datetime | None
    replied_at: datetime | None
    created_by: str
    version: int = 1  # csdesk.models.versioning


@record
class AgentName:
    """Who an agent is: the id calls are assigned to, the employee number and the name."""

    id: int
    employee_no: str
    name: str


@record
class MemberData:
    """A member's own fields as a new or changed member stores them."""

    name: str
    phone: str
    birthday: date | None
    vip: bool
    tier: str
    agent_id: int | None
    note: str

    @classmethod
    def of(cls, rec: MemberRecord) -> MemberData:
        """The stored member's own fields (to change some of them with ``dataclasses.replace``)."""
        return cls(rec.name, rec.phone, rec.birthday, rec.vip, rec.tier, rec.agent_id, rec.note)
