"""What the attendance service returns: frozen read models for windows, reports and the CLI."""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from typing import NamedTuple

from csdesk.records import record


class AgentDay(NamedTuple):
    """One agent's day as the calendar shows it; ``status`` is None for days not yet judged.

    A named tuple: a month of a big department has ~60,000 of them (see rules.DayResult)."""

    day: date
    status: str | None
    shift: str | None
    punches: tuple[datetime, ...] = ()
    late_minutes: int = 0
    early_minutes: int = 0
    reason: str | None = None
    leave_code: str | None = None
    leave_status: str | None = None  # approved / pending / rejected, when a request covers the day
    corrected: bool = False
    holiday: bool = False  # a day off of a holiday block (statutory or substituted)
    holiday_kind: str | None = None  # statutory, substituted, makeup (csdesk.rules.holidays); None: an ordinary day
    holiday_worked: bool = False  # a holiday the agent worked: the status stays ON, LATE, …


class LedgerEntry(NamedTuple):
    """One line of the reward fund: a deduction paid in (rules.md §2), positive CNY."""

    day: date
    employee_no: str
    name: str
    code: str
    amount_cny: int


@record
class AgentMonth:
    """One agent's month: the days, the counts and the money (interfaces.md attendance JSON)."""

    employee_no: str
    name: str
    team: str | None
    level: str | None
    days: tuple[AgentDay, ...]
    late: int = 0
    early: int = 0
    absent: int = 0
    missed: int = 0
    leave_days: float = 0.0
    deduction_cny: int = 0
    full_attendance_bonus_cny: int = 0
    flags: tuple[str, ...] = ()
    ledger: tuple[LedgerEntry, ...] = ()

    @property
    def holidays_worked(self) -> tuple[date, ...]:
        """The holidays the agent worked (interfaces.md ``holidays_worked``). Read from the days,
        not a field of its own: a month locked before holidays were told apart still reads back."""
        return tuple(d.day for d in self.days if d.holiday_worked)

    def day(self, day: date) -> AgentDay | None:
        index = day.day - 1
        return self.days[index] if 0 <= index < len(self.days) and self.days[index].day == day else None


@record
class TeamMonth:
    """Agents × days of one month (the team overview and the monthly summary)."""

    year: int
    month: int
    team: str | None
    days: tuple[date, ...]
    agents: tuple[AgentMonth, ...]
    judged_until: date | None  # the last day with a status (earlier than the month end if current)
    locked: bool = False  # signed off: shown as its lock stored it, and nothing in it can change

    @property
    def month_key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def agent(self, employee_no: str) -> AgentMonth | None:
        return next((a for a in self.agents if a.employee_no == employee_no), None)

    @property
    def ledger(self) -> tuple[LedgerEntry, ...]:
        return tuple(sorted((e for a in self.agents for e in a.ledger), key=lambda e: (e.day, e.employee_no)))


@record
class LeaveRequest:
    """A leave request with what the rules say about it (rules.md §3)."""

    id: int
    employee_no: str
    name: str
    team: str | None
    leave_type: str
    start: date
    end: date
    hours: float | None
    status: str
    reason: str
    certificate: bool
    cancelled_on_return: bool
    created_at: datetime
    created_by: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    days: float = 0.0  # scheduled working days the leave covers (or part-day fraction)
    approvers: tuple[str, ...] = ()  # "supervisor", "superior"
    warnings: tuple[str, ...] = ()  # LATE_NOTICE, ...
    certificate_required: bool = False
    cancel_required: bool = False
    converted_to_personal_days: float = 0.0
    notice_days_required: int = 0  # days ahead the request had to be filed (rules.md §3 "Approval")
    notice_days_given: int = 0  # days it was filed ahead of its first day (negative: after it began)
    short_notice: bool = False  # less notice than required: approving it means accepting that
    version: int = 1  # what a decision must be based on (StaleWrite otherwise)
    # The particulars a marriage or maternity leave's entitlement depends on (rules.md §3).
    event_date: date | None = None  # the marriage or the birth, when given
    remarriage: bool = False
    difficult_birth: bool = False
    babies: int = 1
    entitlement_days: float | None = None  # days the type gives this request; None: csdesk sets no cap
    returned_at: datetime | None = None  # when the 销假 (cancellation on return) was recorded
    returned_by: str | None = None  # who recorded it (a sign-in name)
    # What only the printed form carries (AttendanceService.print_leave; seed 002).
    year_leave: YearLeaveTally | None = None


@record
class YearLeaveTally:
    """The leave days of the leave's year against the yearly cap (rules.md §3), counted as the cap
    counts them (csdesk.rules.leave.leave_days_in_year)."""

    taken_before: float  # approved leave of the year before this leave's first day
    with_this: float  # the same and this leave's days in that year
    cap_days: int
    over_by_days: float  # with this leave, beyond the cap (0: within it)


@record
class PunchCorrection:
    """A missed-punch correction request (漏打卡) and its decision."""

    id: int
    employee_no: str
    name: str
    team: str | None
    day: date
    at: datetime
    reason: str
    status: str
    requested_on: date
    requested_by: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    version: int = 1  # what a decision must be based on (StaleWrite otherwise)


@record
class ShiftSwap:
    """A shift swap (调班): who gives the shift, the colleague who takes it, the decision."""

    id: int
    employee_no: str
    name: str
    colleague_no: str
    colleague_name: str
    day: date
    shift: str | None  # the requester's shift of the day, as the roster holds it now
    status: str
    reason: str
    requested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    version: int = 1  # what a decision must be based on (StaleWrite otherwise)
    # Each one's shift of the day before the swap and after it (the swap form, issue 14): after
    # it as the roster holds it once approved, else as approving would make it
    # (AttendanceService.decide_swap). None: no shift known.
    shift_before: str | None = None
    colleague_shift_before: str | None = None
    shift_after: str | None = None
    colleague_shift_after: str | None = None


@record
class Signer:
    """The account behind a sign-in name a form records as who filed or decided (issue 14):
    the person it belongs to (``users.person_id``), else only its role."""

    role: str
    name: str | None = None
    employee_no: str | None = None


@record
class FormHeader:
    """What every printed form carries at the top: the site's name (``company``) and logo file."""

    company: str
    printed_at: datetime
    language: str
    logo: str = ""


@record
class AttendanceReportInput:
    """The monthly attendance summary of one team (or all), for the PDF."""

    header: FormHeader
    month: TeamMonth
    currency: str = "CNY"
    notes: tuple[str, ...] = field(default_factory=tuple)
