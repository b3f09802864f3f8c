"""Frozen records of the attendance area: what crosses the models boundary (never ORM rows).

Services read these by field name. Two shapes are positional by contract instead, because they
are the hot path of a month's classification (2,000 agents: ~60,000 roster cells and ~90,000
punches, read straight from the driver cursor): :data:`ShiftCell` and :data:`PunchTime` are
plain tuples. Building a named tuple per row measured +20-30 % on those reads (roster 38 → 45-50
ms, punches 50 → 58-67 ms for one October of 2,000 agents), so they stay plain tuples; unpack
them in the documented order, as ``attendance_month.assemble_team_month`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, TypeAlias

# (person_id, day, shift_code): one roster cell. Positional by contract (see the module docstring).
ShiftCell: TypeAlias = tuple[int, date, str]
# (person_id, at): one punch-clock record. Positional by contract (see the module docstring).
PunchTime: TypeAlias = tuple[int, datetime]


@dataclass(frozen=True)
class AttendancePerson:
    """An active person the month is computed for (rostered, or with the agent role)."""

    id: int
    employee_no: str
    name: str
    team: str | None
    level: str | None
    role: str


@dataclass(frozen=True)
class LeaveRecord:
    """A stored leave request with the person facts its entitlement depends on (rules.md §3)."""

    id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    leave_type: str
    start: date
    end: date
    hours: float | None
    status: str  # pending / approved / rejected
    reason: str
    certificate: bool
    cancelled_on_return: bool  # 销假
    created_at: datetime
    created_by: str
    decided_by: str | None
    decided_at: datetime | None
    # What sets a marriage or maternity entitlement.
    event_date: date | None
    remarriage: bool
    difficult_birth: bool
    babies: int
    # The person's facts (marriage entitlement).
    gender: str | None
    birthday: date | None
    join_date: date | None
    version: int = 1  # csdesk.models.versioning: what a decision must be based on
    # The 销假: when it was recorded and by whom (a sign-in name); None before it, and for leave
    # imported as already cancelled (the file does not say when).
    returned_at: datetime | None = None
    returned_by: str | None = None


class LeaveSpan(NamedTuple):
    """The days of one approved leave (the yearly cap); a named tuple, so it also unpacks."""

    person_id: int
    start: date
    end: date
    hours: float | None


@dataclass(frozen=True)
class CorrectionRecord:
    """A stored missed-punch correction (漏打卡) and its decision."""

    id: int
    person_id: int
    employee_no: str
    name: str
    team: str | None
    day: date
    at: datetime
    reason: str
    status: str
    requested_on: date
    requested_by: str
    decided_by: str | None
    decided_at: datetime | None
    version: int = 1  # csdesk.models.versioning


@dataclass(frozen=True)
class SwapRecord:
    """A stored shift swap (调班): who gives the shift, the colleague who takes it, the decision."""

    id: int
    person_id: int
    employee_no: str
    name: str
    colleague_id: int
    colleague_no: str
    colleague_name: str
    day: date
    status: str
    reason: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    version: int = 1  # csdesk.models.versioning


class DayMark(NamedTuple):
    """A fact about one person's day that punches cannot show (e.g. ``UNARRANGED_SWAP``)."""

    person_id: int
    day: date
