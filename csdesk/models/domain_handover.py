"""Frozen records of the handover area (rules.md §4): what crosses the models boundary.

People are named by :class:`PersonRef` (employee number + name); the pure rules
see the employee number only. Times are naive local wall-clock values.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from typing import Any, Final

from csdesk.records import record

# Priority codes of an open item, most urgent first.
PRIORITIES: Final = ("high", "normal", "low")
# What an open item may link to (the callback area's records).
LINK_KINDS: Final = ("callback", "complaint")
# Item status codes (the JSON "status" key).
OPEN, OVERDUE, CLOSED = "open", "overdue", "closed"
# Where the counts of a work record came from.
COUNTS_TYPED, COUNTS_CALLBACKS = "typed", "callbacks"


@record
class PersonRef:
    employee_no: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.employee_no})"


@record
class HandoverPerson:
    """A person as the handover area looks them up: the id it stores, who they are, their team."""

    id: int
    ref: PersonRef
    team: str | None


@record
class ItemState:
    """What closing an open item checks: whether it is closed already, and its owner."""

    id: int
    closed_at: datetime | None
    owner_id: int | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


@record
class HandoverItem:
    """An open item with its current state; ``shifts`` are the handover ids it passed through."""

    id: int
    subject: str
    pending: str
    owner: PersonRef | None
    due: datetime | None
    priority: str
    link_kind: str | None
    link_ref: str | None
    opened_in: int
    opened_at: datetime
    status: str
    shifts: tuple[int, ...] = ()
    closed_at: datetime | None = None
    closed_by: str | None = None
    closed_in: int | None = None
    outcome: str = ""
    version: int = 1  # csdesk.models.versioning: what a change must be based on

    @property
    def is_open(self) -> bool:
        return self.status != CLOSED

    @property
    def overdue(self) -> bool:
        return self.status == OVERDUE

    @property
    def times_carried(self) -> int:
        return max(len(self.shifts) - 1, 0)


@record
class ItemPassage:
    """One handover an item passed through, with the item as that shift left it."""

    entry_id: int
    written_at: datetime
    shift: str
    team: str | None
    authors: tuple[PersonRef, ...]
    acknowledged_by: PersonRef | None
    pending: str
    owner: PersonRef | None
    due: datetime | None
    priority: str
    closed_here: bool = False


@record
class HandoverPenalty:
    """An M04/M02 penalty recorded from a handover; read by the scorecards as an event."""

    id: int
    entry_id: int
    person: PersonRef
    code: str
    points: int
    reason: str
    recorded_by: str
    at: datetime
    day: date  # the day of the handover, i.e. of the violation


@record
class HandoverSummary:
    """A timeline row."""

    id: int
    written_at: datetime
    shift: str
    team: str | None
    authors: tuple[PersonRef, ...]
    written_by: str
    summary: str
    acknowledged_by: PersonRef | None
    acknowledged_at: datetime | None
    items: int = 0
    open_items: int = 0
    overdue_items: int = 0
    penalties: int = 0

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_by is not None


@record
class HandoverDetail:
    """One handover with every item it lists, its penalties and what keeps it incomplete."""

    id: int
    written_at: datetime
    shift: str
    team: str | None
    authors: tuple[PersonRef, ...]
    written_by: str
    summary: str
    desk_state: str
    desk_messy: bool
    acknowledged_by: PersonRef | None
    acknowledged_at: datetime | None
    takeover_note: str
    items: tuple[HandoverItem, ...] = ()
    penalties: tuple[HandoverPenalty, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_by is not None

    @property
    def open_items(self) -> tuple[HandoverItem, ...]:
        return tuple(i for i in self.items if i.is_open)


@record
class HandoverPage:
    """A page of the timeline: the newest ``rows`` and how many match in all."""

    rows: tuple[HandoverSummary, ...]
    total: int


@record
class HandoverFilter:
    """Timeline filters; ``status`` is one of STATUS_FILTERS (None: all)."""

    start: date | None = None
    end: date | None = None
    team: str | None = None
    person: str | None = None
    status: str | None = None
    text: str = ""
    limit: int = 300


STATUS_FILTERS: Final = ("unacknowledged", "acknowledged", "open", "overdue")


@record
class ItemInput:
    """An item as the form gives it. With ``item_id`` it updates a carried item;
    a non-blank ``outcome`` closes that item in this handover."""

    subject: str
    pending: str
    owner: str = ""
    due: datetime | None = None
    priority: str = "normal"
    link_kind: str | None = None
    link_ref: str = ""
    item_id: int | None = None
    outcome: str = ""


@record
class HandoverInput:
    """What the outgoing shift writes (rules.md §4 steps 1–2)."""

    shift: str
    team: str | None
    authors: tuple[str, ...]
    summary: str
    desk_state: str = ""
    desk_messy: bool = False
    items: tuple[ItemInput, ...] = ()


@record
class HandoverPrefill:
    """What a new handover starts from: the items carried from the team's previous handover."""

    team: str | None
    shift: str
    authors: tuple[PersonRef, ...]
    previous_id: int | None
    carried: tuple[HandoverItem, ...]


@record
class PenaltyChoice:
    """A suggested penalty (rules.handover.penalty_suggestions) as the window offers it."""

    person: PersonRef
    code: str
    points: int
    reason: str
    problems: tuple[str, ...] = ()
    suggested: bool = False
    recorded: bool = False


@record
class WorkCounts:
    """The counts of a work record the floor cares about."""

    calls_made: int = 0
    complaints_taken: int = 0
    callbacks_done: int = 0


@record
class WorkRecordInput:
    """A work record (工作日志) as typed: per person, day and shift."""

    employee_no: str
    day: date
    shift: str
    today_work: str
    tomorrow_plan: str = ""
    counts: WorkCounts = field(default_factory=WorkCounts)
    counts_from: str = COUNTS_TYPED
    notes: str = ""


@record
class WorkRecord:
    id: int
    person: PersonRef
    team: str | None
    day: date
    shift: str
    today_work: str
    tomorrow_plan: str
    counts: WorkCounts
    counts_from: str
    notes: str
    updated_at: datetime
    updated_by: str


@record
class Draft:
    """A form saved while typing, per user and form kind."""

    kind: str
    payload: dict[str, Any]
    saved_at: datetime
