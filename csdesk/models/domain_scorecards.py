"""Frozen records of the scorecards area that cross the models boundary (never ORM rows)."""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from csdesk.records import record


@record
class EventRecord:
    """A recorded evaluation event as stored (points signed)."""

    id: int
    person_id: int
    day: date
    code: str
    points: int
    source: str
    note: str
    recorded_by: str
    recorded_at: datetime
    voided: bool = False
    revision: int = 0
    ref: str = ""  # set for events another area keeps (e.g. "handover:12"); id is 0 then
    version: int = 1  # csdesk.models.versioning: what a correction must be based on

    @property
    def corrected(self) -> bool:
        return self.revision > 0

    @property
    def key(self) -> str:
        """How a scorecard line names its record: the id, or the other area's reference."""
        return self.ref or str(self.id)


@record
class EventCorrection:
    """One entry of an event's corrections trail."""

    id: int
    event_id: int
    at: datetime
    by: str
    action: str  # correct, void, sync
    reason: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@record
class Entered:
    """A stored value with who entered it last and when."""

    value: Decimal
    updated_by: str
    updated_at: datetime
    reason: str = ""


@record
class AgentRecord:
    """The agent facts a scorecard needs."""

    person_id: int
    employee_no: str
    name: str
    team: str | None
    level: str | None
    join_date: date | None
    active: bool = True


@record
class StoredStanding:
    """A signed-off month of one agent (see StandingRow)."""

    person_id: int
    month: str
    total: Decimal
    grade: str
    rank: int
    last_place: bool
    complete: bool
    excellent: bool


@record
class MonthLock:
    month: str
    locked_at: datetime
    locked_by: str
    policy_hash: str | None = None  # the policy the stored results were computed under
    revision: int = 1  # which stored results are the signed ones (a reopen + lock adds one)


@record
class ReopenedLock:
    """A lock that was reopened; its results stay stored under ``revision``."""

    month: str
    revision: int
    locked_at: datetime
    locked_by: str
    policy_hash: str | None
    reopened_at: datetime
    reopened_by: str
    reason: str
