"""Attendance rules: punches to day statuses, month totals and money (rules.md §2).

Every number comes from :class:`~csdesk.policy.model.AttendancePolicy`; results carry stable
codes (rules.md Appendix A), never text. Times are naive local datetimes compared at whole-minute
resolution: seconds are dropped, as the punch clock shows them (08:30:59 is 08:30, on time).

Decisions where rules.md leaves room (each tested in tests/unit/rules/test_attendance.py):

* ``LATE_EARLY`` is **two occurrences** for money, counts and evaluation events (a late arrival
  *and* an early leave: −late_deduction twice, two M01) but **one step** in the run of
  consecutive late/early days, because the run is counted in scheduled working days.
* *Consecutive* is counted in the scheduled working days of one calendar month. ``REST``,
  ``HOLIDAY``, ``NOSHIFT`` and full-day approved ``LEAVE:*`` days are skipped (neither count nor
  break). ``ON`` and ``ABSENT`` break the late run; ``MISSED`` breaks both runs (a worked day that
  is neither late nor absent). Three lates that become one absence stand in the absence run where
  the three days are, so ``ABSENT ABSENT LATE LATE LATE`` is three consecutive absences.
* The pay cut applies once per month, at the first run that reaches the threshold; each absence
  still costs ``absence_deduction`` as well.
* Part-day leave (``DayLeave.hours``) moves the expected start later (``at_start``) or the
  expected end earlier; the day keeps its work status (ON, LATE, ...) and records the leave.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby, pairwise
from typing import NamedTuple

from csdesk.errors import N_, RuleViolation
from csdesk.policy.model import Policy, ShiftTemplate
from csdesk.records import record

# Day statuses (rules.md Appendix A).
ON = "ON"
LATE = "LATE"
EARLY = "EARLY"
LATE_EARLY = "LATE_EARLY"
ABSENT = "ABSENT"
REST = "REST"
HOLIDAY = "HOLIDAY"
MISSED = "MISSED"
NOSHIFT = "NOSHIFT"
LEAVE_PREFIX = "LEAVE:"
LATE_STATUSES = frozenset({LATE, EARLY, LATE_EARLY})
#: A day the agent worked: on a holiday it is a holiday worked (a missed punch is a day worked with one punch).
WORKED_STATUSES = frozenset({ON, MISSED}) | LATE_STATUSES

# Reason codes of a DayResult.
REASON_NO_PUNCHES = "NO_PUNCHES"
REASON_LATE_OVER_MAX = "LATE_OVER_MAX"
REASON_EARLY_OVER_MAX = "EARLY_OVER_MAX"
REASON_LEAVE_NOT_APPROVED = "LEAVE_NOT_APPROVED"
REASON_ONE_PUNCH = "ONE_PUNCH"

# Reward-fund ledger codes.
LEDGER_LATE = "LATE"
LEDGER_EARLY = "EARLY"
LEDGER_ABSENT = "ABSENT"
LEDGER_LATES_AS_ABSENCE = "LATES_AS_ABSENCE"
LEDGER_PAY_CUT = "PAY_CUT"
LEDGER_MISSED_PUNCH = "MISSED_PUNCH"
LEDGER_SWAP_NOT_ARRANGED = "SWAP_NOT_ARRANGED"

# Month flags.
FLAG_PAY_CUT = "ABSENCE_PAY_CUT"
FLAG_DISCIPLINARY_REVIEW = "DISCIPLINARY_REVIEW"

# Shift-plan warning codes.
WARN_CONTINUOUS_WORK = "CONTINUOUS_WORK_TOO_LONG"
WARN_MEAL_BREAK = "MEAL_BREAK_TOO_LONG"

#: How long after an overnight shift's end a punch on the next calendar day still belongs to it.
#: (chosen) Not in the policy file: a keyword argument of :func:`attribute_punches`.
OVERNIGHT_PUNCH_WINDOW = timedelta(hours=6)

PERCENT = 100  # pay_cut_percent is a percentage
MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
SECONDS_PER_MINUTE = 60
_ONE_DAY = timedelta(days=1)


@record
class DayLeave:
    """Leave booked on a day; ``hours`` None means the whole day.

    ``absence_reason`` is a code from :func:`csdesk.rules.leave.leave_absence_reason` (no
    certificate, not cancelled on return): when set, approved leave still does not stand.
    """

    code: str
    approved: bool = True
    hours: float | None = None
    at_start: bool = True
    absence_reason: str | None = None

    @property
    def stands(self) -> bool:
        """Approved and not voided (rules.md §2: leave without approval is absence)."""
        return self.approved and self.absence_reason is None


class DayInput(NamedTuple):
    """One agent's shift-day: roster code (None = not scheduled), punches and corrections.

    ``punches`` are already attributed to this shift-day (see :func:`attribute_punches`);
    ``corrections`` are the punch times of approved missed-punch corrections; ``is_holiday``: the
    day is a day off of a holiday block (statutory or substituted). A named tuple, like
    :class:`DayResult`: a month of a big department makes ~60,000 of each, and a tuple is built
    four times faster than a frozen dataclass.
    """

    day: date
    shift: str | None
    punches: tuple[datetime, ...] = ()
    is_holiday: bool = False
    leave: DayLeave | None = None
    corrections: tuple[datetime, ...] = ()
    unarranged_swap: bool = False


class DayResult(NamedTuple):
    """The classified day; minutes are measured from the (leave-adjusted) shift start and end."""

    day: date
    status: str
    late_minutes: int = 0
    early_minutes: int = 0
    reason: str | None = None
    leave_code: str | None = None
    leave_hours: float = 0.0
    leave_days: float = 0.0
    corrected: bool = False
    unarranged_swap: bool = False


class LedgerLine(NamedTuple):
    """One payment into the department reward fund (a positive amount in CNY)."""

    day: date
    code: str
    amount_cny: int


@record
class GeneratedEvent:
    """An evaluation event created from attendance (rules.md Appendix A), not typed in."""

    day: date
    code: str
    points: int
    source: str = "attendance"


@record
class MonthSummary:
    """Counts, money, flags, ledger and generated events of one agent's month."""

    year: int
    month: int
    days: tuple[DayResult, ...]
    late: int
    early: int
    absent: int
    lates_as_absences: int
    missed: int
    leave_days: float
    deduction_cny: int
    full_attendance_bonus_cny: int
    flags: tuple[str, ...]
    ledger: tuple[LedgerLine, ...]
    events: tuple[GeneratedEvent, ...]


@record
class PlanWarning:
    """A shift-plan warning: a stable code and its raw parameters."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


def shift_template(code: str, policy: Policy) -> ShiftTemplate:
    """The policy's shift template ``code``; an unknown code is refused (rules.md Appendix A)."""
    tmpl = policy.shifts_by_code.get(code)
    if tmpl is None:
        raise RuleViolation(N_("Unknown shift code {code}"), field="shift", code=code)
    return tmpl


def shift_bounds(day: date, code: str, policy: Policy) -> tuple[datetime, datetime]:
    """Start and end of shift ``code`` on ``day``; an end at or before the start is next day.

    rules.md Appendix A: ``E`` 15:30–24:00 ends at 00:00 of the following day.
    """
    return _bounds(day, shift_template(code, policy))


def _bounds(day: date, tmpl: ShiftTemplate) -> tuple[datetime, datetime]:
    start = datetime.combine(day, tmpl.start)
    return start, start + tmpl.duration


def _working(code: str | None, policy: Policy) -> ShiftTemplate | None:
    if code is None:
        return None
    tmpl = shift_template(code, policy)
    return None if tmpl.rest else tmpl


def attribute_punches(
    punches: Sequence[datetime],
    roster: Mapping[date, str],
    policy: Policy,
    *,
    window: timedelta = OVERNIGHT_PUNCH_WINDOW,
) -> dict[date, tuple[datetime, ...]]:
    """Group punches by the shift-day they belong to (rules.md §2, night shift ``E``).

    A punch belongs to its calendar day, except that a punch after midnight belongs to the
    previous day when that day's shift ends at or after midnight (``end <= start``) and the punch
    is before that shift's end + ``window`` (default 6 h: E's clock-out until 05:59 counts for
    the evening before). If the punch's own day has a working shift too, the punch goes to
    whichever of "previous end" and "own start" is nearer (a tie goes to the previous day).
    """
    # An unknown code is refused where its day is classified, not here for the whole month.
    if not any(t.crosses_midnight for t in map(policy.shifts_by_code.get, set(roster.values())) if t is not None):
        # no overnight shift: every punch belongs to its own day
        return {day: tuple(same_day) for day, same_day in groupby(sorted(punches), key=datetime.date)}
    templates: dict[str | None, ShiftTemplate | None] = {}  # a month has ~30 days but a few shift codes

    def working(day: date) -> ShiftTemplate | None:
        code = roster.get(day)
        if code not in templates:
            templates[code] = _working(code, policy)
        return templates[code]

    grouped: dict[date, list[datetime]] = {}
    # The previous day's shift is looked up once per calendar day, not once per punch.
    for day, same_day in groupby(sorted(punches), key=datetime.date):
        previous = day - _ONE_DAY
        prev_tmpl = working(previous)
        if prev_tmpl is None or not prev_tmpl.crosses_midnight:
            grouped.setdefault(day, []).extend(same_day)
            continue
        _, prev_end = _bounds(previous, prev_tmpl)
        limit = prev_end + window
        own_start: datetime | None = None
        for punch in same_day:
            owner = day
            if punch < limit:
                own_tmpl = working(day)
                if own_tmpl is None:
                    owner = previous
                else:
                    if own_start is None:
                        own_start, _ = _bounds(day, own_tmpl)
                    if punch - prev_end <= own_start - punch:
                        owner = previous
            grouped.setdefault(owner, []).append(punch)
    return {d: tuple(grouped[d]) for d in sorted(grouped)}


def _minute(moment: datetime) -> datetime:
    # Positional arguments: with keywords, replace() takes twice as long (twice a day, 60,000 days a month).
    return moment.replace(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0, 0)


def _minutes(delta: timedelta) -> int:
    """Whole minutes of ``delta``, rounded down (``delta // timedelta(minutes=1)``), from its
    normalised fields (0 <= seconds < 86,400; the microseconds never carry a minute): three
    times as fast as the division, twice on each of a month's ~60,000 days."""
    return delta.days * MINUTES_PER_DAY + delta.seconds // SECONDS_PER_MINUTE


def classify_day(day: DayInput, policy: Policy) -> DayResult:
    """Classify one shift-day (rules.md §2, Appendix A day statuses).

    * no shift → ``NOSHIFT``; a rest shift → ``REST``; a holiday (``is_holiday``: a statutory or
      substituted day off of the holiday calendar, :mod:`csdesk.rules.holidays`) without a working
      shift, or with one when ``department_hours.holidays_worked`` is off → ``HOLIDAY``; a working
      shift on a holiday otherwise is judged as any other day (see :func:`holiday_worked`), and a
      make-up working day (调休) is an ordinary working day;
    * approved full-day leave → ``LEAVE:<type>``; leave that does not stand (not approved, or an
      ``absence_reason``) is ignored and the day is judged on its punches, and with no punches it
      is ``ABSENT`` for that reason;
    * no punches → ``ABSENT`` (``NO_PUNCHES``); one punch and no approved correction supplying the
      other → ``MISSED``; otherwise the first punch is the clock-in and the last the clock-out;
    * late: clock-in after the start by more than ``grace_minutes`` and at most
      ``late_max_minutes`` (1–30 by default); early: clock-out before the end by 1 to
      ``early_max_minutes``; more than the maximum either way → ``ABSENT``; both → ``LATE_EARLY``.
    """
    return _classify(day, _working(day.shift, policy), policy)


def holiday_worked(day: DayInput, result: DayResult) -> bool:
    """Whether ``result`` is a holiday worked: a day the agent worked (``WORKED_STATUSES``) on a
    holiday. The day keeps its status (``ON``, ``LATE``, …); an absence or leave is not worked."""
    return day.is_holiday and result.status in WORKED_STATUSES


def _classify(day: DayInput, tmpl: ShiftTemplate | None, policy: Policy) -> DayResult:
    """:func:`classify_day` with the day's working template already looked up (None: no shift or rest)."""
    if tmpl is None or (day.is_holiday and not policy.department_hours.holidays_worked):
        status = HOLIDAY if day.is_holiday else NOSHIFT if day.shift is None else REST
        return DayResult(day.day, status, unarranged_swap=day.unarranged_swap)
    start, end = _bounds(day.day, tmpl)
    leave = day.leave
    leave_code: str | None = None
    leave_minutes = 0
    if leave is not None:
        _check_leave(leave, policy)
        if leave.stands:
            leave_code = leave.code
            shift_minutes = tmpl.minutes
            leave_minutes = shift_minutes if leave.hours is None else min(shift_minutes, round(leave.hours * MINUTES_PER_HOUR))
            if leave.at_start:
                start += timedelta(minutes=leave_minutes)
            else:
                end -= timedelta(minutes=leave_minutes)
    late = early = 0
    reason: str | None = None
    moments = (*day.punches, *day.corrections) if day.corrections else day.punches
    if leave_minutes and leave_minutes >= tmpl.minutes:
        status = LEAVE_PREFIX + leave.code  # type: ignore[union-attr]
    elif not moments:
        status = ABSENT
        reason = (leave.absence_reason or REASON_LEAVE_NOT_APPROVED) if leave is not None and not leave.stands else REASON_NO_PUNCHES
    else:
        # Only the first and the last punch matter; within one minute they are a single punch.
        first, last = _minute(min(moments)), _minute(max(moments))
        if first == last:
            status, reason = MISSED, REASON_ONE_PUNCH
        else:
            att = policy.attendance
            late = max(0, _minutes(first - start))
            early = max(0, _minutes(end - last))
            if late > att.late_max_minutes:
                status, reason = ABSENT, REASON_LATE_OVER_MAX
            elif early > att.early_max_minutes:
                status, reason = ABSENT, REASON_EARLY_OVER_MAX
            else:
                is_late = late > att.grace_minutes
                status = (LATE_EARLY if early else LATE) if is_late else EARLY if early else ON
    shift_minutes = tmpl.minutes
    return DayResult(
        day.day, status, late, early, reason, leave_code,
        leave_minutes / MINUTES_PER_HOUR, leave_minutes / shift_minutes, bool(day.corrections), day.unarranged_swap,
    )  # fmt: skip


def _check_leave(leave: DayLeave, policy: Policy) -> None:
    if leave.code not in policy.leave_codes:
        raise RuleViolation(N_("Unknown leave type {code}"), field="leave", code=leave.code)
    if leave.hours is not None and leave.hours <= 0:
        raise RuleViolation(N_("Part-day leave needs a positive number of hours"), field="hours")


def _pay_cut(base_pay: int, percent: int) -> int:
    amount = Decimal(base_pay) * percent / PERCENT
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class _MonthWalk:
    """Walks one month's days in order and keeps the two runs (see the module docstring)."""

    def __init__(self, base_pay: int, policy: Policy) -> None:
        self.att = policy.attendance
        self.policy = policy
        self.base_pay = base_pay
        self.pending: list[DayResult] = []  # the current run of late/early days
        self.absence_run = 0
        self.pay_cut_done = False
        self.late = self.early = self.absent = self.converted = self.missed = 0
        self.flags: list[str] = []
        self.ledger: list[LedgerLine] = []
        self.events: list[GeneratedEvent] = []

    def _event(self, day: date, code: str) -> None:
        if self.att.feed_evaluation_events:
            self.events.append(GeneratedEvent(day, code, self.policy.event(code).default_points))

    def _flag(self, code: str) -> None:
        if code not in self.flags:
            self.flags.append(code)

    def _occurrence(self, day: date, code: str) -> None:
        self.ledger.append(LedgerLine(day, code, self.att.late_deduction))
        self._event(day, self.att.late_event_code)

    def break_late_run(self) -> None:
        """The pending late/early days stand as lates; they also broke the absence run."""
        if not self.pending:
            return
        for r in self.pending:
            # LATE_EARLY is two occurrences: a late arrival and an early leave.
            if r.status in (LATE, LATE_EARLY):
                self.late += 1
                self._occurrence(r.day, LEDGER_LATE)
            if r.status in (EARLY, LATE_EARLY):
                self.early += 1
                self._occurrence(r.day, LEDGER_EARLY)
        self.pending.clear()
        self.absence_run = 0

    def absence(self, day: date, code: str) -> None:
        self.absent += 1
        self.ledger.append(LedgerLine(day, code, self.att.absence_deduction))
        self._event(day, self.att.absence_event_code)
        self.absence_run += 1
        if self.absence_run >= self.att.consecutive_absences_pay_cut and not self.pay_cut_done:
            self.pay_cut_done = True
            cut = _pay_cut(self.base_pay, self.att.pay_cut_percent)
            self.ledger.append(LedgerLine(day, LEDGER_PAY_CUT, cut))
            self._flag(FLAG_PAY_CUT)
        if self.absence_run >= self.att.consecutive_absences_disciplinary:
            self._flag(FLAG_DISCIPLINARY_REVIEW)

    def add(self, r: DayResult) -> None:
        if r.unarranged_swap:
            amount = self.att.swap_without_arrangement_deduction
            self.ledger.append(LedgerLine(r.day, LEDGER_SWAP_NOT_ARRANGED, amount))
        if r.status in LATE_STATUSES:
            self.pending.append(r)
            if len(self.pending) == self.att.consecutive_lates_as_absence:
                self.pending.clear()
                self.converted += 1
                self.absence(r.day, LEDGER_LATES_AS_ABSENCE)
        elif r.status == ABSENT:
            self.break_late_run()
            self.absence(r.day, LEDGER_ABSENT)
        elif r.status in (ON, MISSED):
            self.break_late_run()
            self.absence_run = 0
            if r.status == MISSED:
                self.missed += 1
                self.ledger.append(LedgerLine(r.day, LEDGER_MISSED_PUNCH, self.att.missed_punch_deduction))
        # REST, HOLIDAY, NOSHIFT and LEAVE:* neither count nor break a run.


def classify_days(days: Iterable[DayInput | DayResult], policy: Policy) -> tuple[DayResult, ...]:
    """:func:`classify_day` of each day (a :class:`DayResult` given is kept as it is)."""
    results: list[DayResult] = []
    templates: dict[str | None, ShiftTemplate | None] = {}  # a month has ~30 days but a few shift codes
    for d in days:
        if not isinstance(d, DayResult):
            if d.shift not in templates:
                templates[d.shift] = _working(d.shift, policy)
            d = _classify(d, templates[d.shift], policy)
        results.append(d)
    return tuple(results)


def classification_parts(policy: Policy) -> tuple[object, ...]:
    """The parts of ``policy`` a day's classification reads (:func:`classify_day`, the punches'
    shift-day, :func:`csdesk.rules.leave.leave_absence_reason`, the holiday calendar): two policies
    whose parts are equal classify every day alike, and only the month's walk (its money, runs,
    flags and events) can differ. A test perturbs every other key to hold this list to it."""
    att = policy.attendance
    return (policy.shifts, policy.department_hours, policy.leave, att.grace_minutes, att.late_max_minutes, att.early_max_minutes)


def summarize_month(days: Sequence[DayInput | DayResult], base_pay: int, policy: Policy) -> MonthSummary:
    """Counts and money of one agent's calendar month (rules.md §2 "Money", Appendix A events).

    Three (``consecutive_lates_as_absence``) consecutive late/early days are one absence, not three
    lates. Each standing late or early costs ``late_deduction``, each absence
    ``absence_deduction``, each MISSED day ``missed_punch_deduction``, each unarranged swap
    ``swap_without_arrangement_deduction``; the 3rd consecutive absence costs ``pay_cut_percent`` %
    of ``base_pay`` (rounded half up, once a month: ``ABSENCE_PAY_CUT``), the 5th flags
    ``DISCIPLINARY_REVIEW``. ``full_attendance_bonus`` needs a worked day and no late, early,
    absence or leave (part-day leave too). With ``feed_evaluation_events``: one
    ``late_event_code`` per standing late or early, one ``absence_event_code`` per absence, at
    their default (smallest-magnitude) points.
    """
    if base_pay < 0:
        raise RuleViolation(N_("Base pay must not be negative"), field="base_pay", base_pay=base_pay)
    results = list(classify_days(days, policy))
    if not results:
        raise RuleViolation(N_("A month summary needs at least one day"), field="days")
    # Callers pass the days in order: sort (and look for a day given twice) only when they are not.
    in_order = all(previous.day < r.day for previous, r in pairwise(results))
    if not in_order:
        results.sort(key=lambda r: r.day)
    first = results[0].day
    if results[-1].day.replace(day=1) != first.replace(day=1):  # sorted: first and last decide
        raise RuleViolation(N_("The days of a month summary must fall in one calendar month"), field="days")
    if not in_order:
        for previous, r in pairwise(results):
            if r.day == previous.day:
                raise RuleViolation(N_("Day {day} appears twice in one month"), field="days", day=r.day)
    walk = _MonthWalk(base_pay, policy)
    for r in results:
        walk.add(r)
    walk.break_late_run()
    leave_days = sum(r.leave_days for r in results)
    worked = any(r.status in WORKED_STATUSES for r in results)
    full = worked and not (walk.late or walk.early or walk.absent or leave_days)
    ledger = sorted(walk.ledger, key=lambda line: line.day)
    return MonthSummary(
        year=first.year,
        month=first.month,
        days=tuple(results),
        late=walk.late,
        early=walk.early,
        absent=walk.absent,
        lates_as_absences=walk.converted,
        missed=walk.missed,
        leave_days=leave_days,
        deduction_cny=sum(line.amount_cny for line in ledger),
        full_attendance_bonus_cny=policy.attendance.full_attendance_bonus if full else 0,
        flags=tuple(walk.flags),
        ledger=tuple(ledger),
        events=tuple(sorted(walk.events, key=lambda e: e.day)),
    )


def check_shift_plan(
    start: datetime, end: datetime, breaks: Sequence[tuple[datetime, datetime]], policy: Policy
) -> tuple[PlanWarning, ...]:
    """Warnings for one agent's planned working span with its breaks (rules.md §2).

    * ``CONTINUOUS_WORK_TOO_LONG`` (``minutes``, ``max_minutes``, ``start``, ``end``) for each
      stretch between breaks longer than ``max_continuous_work_minutes`` ("nobody works more than
      8 hours in a row");
    * ``MEAL_BREAK_TOO_LONG`` (``minutes``, ``max_minutes``, ``start``) for each break longer than
      ``max_meal_break_minutes`` (35).

    Malformed plans (end before start, a break outside the span or overlapping another) are
    refused with :class:`RuleViolation`.
    """
    att = policy.attendance
    if end <= start:
        raise RuleViolation(N_("A shift must end after it starts"), field="end")
    ordered = sorted(breaks)
    cursor = start
    warnings: list[PlanWarning] = []
    for b_start, b_end in ordered:
        if b_end <= b_start:
            raise RuleViolation(N_("A break must end after it starts"), field="breaks")
        if b_start < cursor or b_end > end:
            raise RuleViolation(N_("Breaks must lie inside the shift and not overlap"), field="breaks")
        minutes = _minutes(b_end - b_start)
        if minutes > att.max_meal_break_minutes:
            params = {"minutes": minutes, "max_minutes": att.max_meal_break_minutes, "start": b_start}
            warnings.append(PlanWarning(WARN_MEAL_BREAK, params))
        warnings.extend(_stretch(cursor, b_start, policy))
        cursor = b_end
    warnings.extend(_stretch(cursor, end, policy))
    return tuple(warnings)


def _stretch(start: datetime, end: datetime, policy: Policy) -> list[PlanWarning]:
    limit = policy.attendance.max_continuous_work_minutes
    minutes = _minutes(end - start)
    if minutes <= limit:
        return []
    params = {"minutes": minutes, "max_minutes": limit, "start": start, "end": end}
    return [PlanWarning(WARN_CONTINUOUS_WORK, params)]


def validate_missed_punch_request(
    missed_on: date, requested_on: date, already_this_month: int, policy: Policy
) -> None:
    """Refuse a missed-punch correction request that breaks rules.md §2 "Missed punch".

    The request is made at most ``missed_punch_request_days`` (3) days after the missed day (the
    same day counts as 0) and never before it; ``already_this_month`` corrections already filed
    for the month of ``missed_on`` must be below ``missed_punch_max_per_month`` (5).
    """
    days, most = policy.attendance.missed_punch_request_days, policy.attendance.missed_punch_max_per_month
    if requested_on < missed_on:
        raise RuleViolation(N_("A correction cannot precede the day it corrects"), field="requested_on")
    if (requested_on - missed_on).days > days:
        msgid = N_("A missed-punch correction must be requested within {days} days")
        raise RuleViolation(msgid, field="requested_on", days=days)
    if already_this_month >= most:
        msgid = N_("At most {max} missed-punch corrections are allowed per month")
        raise RuleViolation(msgid, field="missed_on", max=most)


def validate_swap(requester: str, colleague: str | None, approved: bool) -> None:
    """Refuse a shift swap without a named colleague or the supervisor's approval (rules.md §2).

    A swap "needs the supervisor's approval and a named colleague who takes the shift"; the
    colleague cannot be the requester. Leaving without an arranged swap is
    ``DayInput.unarranged_swap`` (−``swap_without_arrangement_deduction``).
    """
    if colleague is None or not colleague.strip():
        raise RuleViolation(N_("A shift swap needs a named colleague who takes the shift"), field="colleague")
    if colleague.strip() == requester.strip():
        raise RuleViolation(N_("An agent cannot swap a shift with themselves"), field="colleague")
    if not approved:
        raise RuleViolation(N_("A shift swap needs the supervisor's approval"), field="approved")


# --- who is in a month's attendance ------------------------------------------------------------

#: The role whose months are scored: scorecards and the evaluation events attendance generates
#: (M01/S01, Appendix A) are for agents only. (chosen) The policy lists the roles (``codes.roles``)
#: but has no key naming the scored one, so the code lives here.
SCORED_ROLE = "agent"


def is_scored(role: str) -> bool:
    """Whether a person of ``role`` is scored: their month generates evaluation events (rules.md §5).

    Team leads and other rostered staff keep an attendance calendar but no scorecard."""
    return role == SCORED_ROLE


def shown_in_month(role: str, rostered: bool) -> bool:
    """Whether a person appears in a month's attendance: every scored person (a month without a
    shift shows as such), anyone else only when rostered that month."""
    return rostered or is_scored(role)
