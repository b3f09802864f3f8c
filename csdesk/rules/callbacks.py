"""Callback scheduling: the service-call plan, birthdays, complaints, outcomes, quota (rules.md §9, §12).

Conventions shared by every function here:

* Times are naive local wall-clock ``datetime`` values; dates are ``date``.
* The department works weekends and public holidays (rules.md §2), so every
  "within N days/hours" counts calendar days and hours; no weekend is skipped.
  When the site does not work holidays (``department_hours.holidays_worked``
  off), the days off of its holiday calendar are closed: a window's ends and a
  retry move off them to the next open day (:class:`OpeningCalendar`).
* A window closes at the *end* of its due day (:func:`end_of_day`): a call due
  on 3 October is overdue only from 4 October 00:00.
* Kinds, outcomes, statuses and notes are stable codes (rules.md Appendix A),
  never text.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Final

from csdesk.errors import N_, RuleViolation
from csdesk.policy.model import DepartmentHours, Policy
from csdesk.records import record
from csdesk.rules.holidays import MAKEUP, OFF_KINDS

SALE1: Final = "SALE1"
SALE2: Final = "SALE2"
SALE3: Final = "SALE3"
SALE4: Final = "SALE4"
BIRTHDAY: Final = "BIRTHDAY"
REVIEW: Final = "REVIEW"
RETRY: Final = "RETRY"

REACHED: Final = "REACHED"
BUSY_RESCHEDULED: Final = "BUSY_RESCHEDULED"
NO_ANSWER: Final = "NO_ANSWER"
WRONG_NUMBER: Final = "WRONG_NUMBER"
REFUSED: Final = "REFUSED"

# Call status as in interfaces.md (`csdesk callbacks --json`).
STATUS_DUE: Final = "due"
STATUS_OVERDUE: Final = "overdue"
STATUS_DONE: Final = "done"

# What apply_outcome did with the call.
RESULT_DONE: Final = "DONE"  # reached
RESULT_RESCHEDULED: Final = "RESCHEDULED"  # busy: same call, new agreed time
RESULT_RETRY: Final = "RETRY_SCHEDULED"  # no answer: closed, a RETRY call follows
RESULT_FAILED: Final = "FAILED"  # no answer and retries exhausted
RESULT_CLOSED: Final = "CLOSED"  # wrong number, refused, or a site-added outcome

# Notes and skip reasons on planned calls.
NOTE_SHORT_NOTICE: Final = "SHORT_NOTICE"  # SALE4: first class nearer than the ideal window
NOTE_MESSAGE: Final = "MESSAGE"  # REVIEW: the written message that comes first
NOTE_PHONE: Final = "PHONE"  # REVIEW: the phone call when the message got no reply
SKIP_FIRST_CLASS_UNKNOWN: Final = "FIRST_CLASS_UNKNOWN"
SKIP_FIRST_CLASS_PASSED: Final = "FIRST_CLASS_PASSED"

INCOMING: Final = "incoming"
OUTGOING: Final = "outgoing"

# rules.md §12: who sees a customer's full phone number. Everyone else, and any
# role not listed (fail closed), sees it masked; the owner of the call always
# sees it in full because they have to dial it.
FULL_PHONE_ROLES: Final = frozenset({"director", "supervisor"})


@record
class PlannedCall:
    """A call to make between ``window_start`` and ``due`` (inclusive)."""

    kind: str
    window_start: datetime
    due: datetime
    note: str = ""


@record
class SkippedCall:
    """A call of the plan that was not scheduled, with a stable reason code."""

    kind: str
    reason: str


@record
class SalePlan:
    """The service calls after one sale (rules.md §9)."""

    calls: tuple[PlannedCall, ...]
    skipped: tuple[SkippedCall, ...] = ()


@record
class Call:
    """A scheduled call as it stands; ``closed_at`` set means it is finished.

    ``attempt`` is 0 for the original call and n for its n-th RETRY;
    ``retry_of`` names the original kind so the right script is shown.
    """

    kind: str
    window_start: datetime
    due: datetime
    ref: str = ""
    attempt: int = 0
    retry_of: str = ""
    reschedules: int = 0
    outcome: str | None = None
    closed_at: datetime | None = None


@record
class OutcomeResult:
    """The effect of one outcome: the call afterwards and any follow-up to create."""

    call: Call
    result: str
    follow_up: Call | None = None
    effective: bool = False


@record
class BirthdayMember:
    member: str
    birthday: date | None
    vip: bool = False


@record
class BirthdayEntry:
    member: str
    birthday: date
    call_date: date
    age: int
    vip: bool = False


@record
class BirthdayList:
    """Next month's birthday calls, VIP and normal customers kept apart."""

    month: date
    vip: tuple[BirthdayEntry, ...]
    normal: tuple[BirthdayEntry, ...]


@record
class Review:
    """A bad review to follow up; a larger ``severity`` is more severe."""

    ref: str
    severity: int
    received_at: datetime


@record
class QuotaProgress:
    effective: int
    target: int

    @property
    def remaining(self) -> int:
        return max(self.target - self.effective, 0)

    @property
    def met(self) -> bool:
        return self.effective >= self.target


@record
class AgentLoad:
    """An agent who can take calls: level (ability), experience and current load."""

    agent: str
    level: str
    experience_months: int
    load: int
    home_visit: bool = False


@record
class Assignment:
    call_ref: str
    agent: str


@record
class AssignmentSuggestion:
    assignments: tuple[Assignment, ...]
    unassigned: tuple[str, ...] = ()


#: The kind of a day in the holiday calendar (:meth:`csdesk.rules.holidays.HolidayCalendar.kind`):
#: ``STATUTORY``, ``SUBSTITUTED``, ``MAKEUP``, or None for an ordinary day.
DayKinds = Callable[[date], str | None]

_ONE_DAY: Final = timedelta(days=1)
# How far to look for an open day: a site closed for longer keeps the moment or day it had.
_MAX_CLOSED_DAYS: Final = 366


def _ordinary(_day: date) -> str | None:
    return None


@record
class OpeningCalendar:
    """When the department is open (rules.md §2): its hours and its holiday calendar.

    ``kinds`` is the holiday kind of a day (the service builds it from the policy with
    :mod:`csdesk.rules.holidays`); the default knows no holidays, so every day goes by its
    weekday. A make-up working day (调休上班, often a Saturday) has weekday hours; a day off of a
    holiday block (statutory or substituted) has weekend hours when the site works holidays
    (``holidays_worked``) and is closed when it does not; every other day has the hours of its
    weekday.
    """

    hours: DepartmentHours
    kinds: DayKinds = _ordinary

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """Opening and closing time of ``day``, or None when the department is closed."""
        kind = self.kinds(day)
        if kind in OFF_KINDS:
            if not self.hours.holidays_worked:
                return None
            weekend = True
        else:
            weekend = kind != MAKEUP and day.weekday() >= 5
        h = self.hours
        return (h.weekend_open, h.weekend_close) if weekend else (h.weekday_open, h.weekday_close)

    def is_open(self, day: date) -> bool:
        """Whether the department works ``day`` at all (only holidays it does not work are closed)."""
        return self.hours.holidays_worked or self.kinds(day) not in OFF_KINDS

    def open_day(self, day: date) -> date:
        """``day`` when the department is open then, else the next day it is."""
        found = day
        for _ in range(_MAX_CLOSED_DAYS):
            if self.is_open(found):
                return found
            found += _ONE_DAY
        return day


def _open_days(opens: date, closes: date, opening: OpeningCalendar | None,
               before: date | None = None) -> tuple[date, date]:
    """The days a window runs from and to: each end moved off a closed day to the next open day.

    The close never moves to ``before`` or later (call 4 is made before the first class): then
    it stays, and so does an opening that would pass it.
    """
    if opening is None:
        return opens, closes
    start, end = opening.open_day(opens), opening.open_day(closes)
    if before is not None and end >= before:
        end = closes
    return (start if start <= end else opens), end


def start_of_day(day: date) -> datetime:
    """00:00 of ``day``."""
    return datetime.combine(day, time.min)


def end_of_day(day: date) -> datetime:
    """The last instant of ``day``: a window due that day is open all of it."""
    return datetime.combine(day, time.max)


def sale4_call(sale_date: date, first_class: date | None, policy: Policy,
               opening: OpeningCalendar | None = None) -> PlannedCall | SkippedCall:
    """Call 4 (rules.md §9): two to three weeks before the first class / parents' meeting.

    The window opens ``sale4_weeks_before_class_max`` weeks and closes
    ``sale4_weeks_before_class_min`` weeks before the first class, but never
    before the sale. If even the close lies before the sale (first class too
    near), the call is still made, as soon as possible: from the sale to the day
    before the class, noted ``SHORT_NOTICE``. Unknown first class, or one on or
    before the sale date: skipped (the service plans it when the date is known).
    With ``opening``, an end on a closed day moves to the next open day, never
    to the class or later.
    """
    if first_class is None:
        return SkippedCall(SALE4, SKIP_FIRST_CLASS_UNKNOWN)
    if first_class <= sale_date:
        return SkippedCall(SALE4, SKIP_FIRST_CLASS_PASSED)
    cb = policy.callbacks
    opens = first_class - timedelta(weeks=cb.sale4_weeks_before_class_max)
    closes = first_class - timedelta(weeks=cb.sale4_weeks_before_class_min)
    if closes < sale_date:
        start, end = _open_days(sale_date, first_class - _ONE_DAY, opening, before=first_class)
        return PlannedCall(SALE4, start_of_day(start), end_of_day(end), NOTE_SHORT_NOTICE)
    start, end = _open_days(max(opens, sale_date), closes, opening, before=first_class)
    return PlannedCall(SALE4, start_of_day(start), end_of_day(end))


def sale_plan(sale_date: date, card_received: date | None, first_class: date | None,
              policy: Policy, opening: OpeningCalendar | None = None) -> SalePlan:
    """The four service calls after a sale (rules.md §9, [002 ch.4]).

    Call 1 within ``sale1_within_hours`` of the service card (default: the sale
    date), call 2 within ``sale2_within_days`` and call 3 within
    ``sale3_within_days`` of the sale, call 4 per :func:`sale4_call`. Calendar
    days (weekends are worked). Calls 2 and 3 open the day after the previous
    call's deadline (never after their own), so one member's calls do not pile up
    on the first day. With ``opening``, a window's end or start on a day the
    department is closed moves to the next open day.
    """
    card = sale_date if card_received is None else card_received
    if card < sale_date:
        raise RuleViolation(N_("The service card cannot be received before the sale ({sale_date})"),
                            field="card_received", sale_date=sale_date.isoformat())
    cb = policy.callbacks
    # The card is known by its date only and may have come at any hour, so call 1
    # gets every day its deadline can fall on: 48 h -> 2 days, 36 h -> 2 days.
    due1 = card + timedelta(days=math.ceil(cb.sale1_within_hours / 24))
    due2 = sale_date + timedelta(days=cb.sale2_within_days)
    due3 = sale_date + timedelta(days=cb.sale3_within_days)
    start, previous_due = _open_days(card, due1, opening)
    calls = [PlannedCall(SALE1, start_of_day(start), end_of_day(previous_due))]
    for kind, due in ((SALE2, due2), (SALE3, due3)):
        start, end = _open_days(min(previous_due + _ONE_DAY, due), due, opening)
        calls.append(PlannedCall(kind, start_of_day(start), end_of_day(end)))
        previous_due = end
    fourth = sale4_call(sale_date, first_class, policy, opening)
    if isinstance(fourth, SkippedCall):
        return SalePlan(tuple(calls), (fourth,))
    return SalePlan((*calls, fourth))


def _birthday(birthday: date, year: int) -> date:
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)


def birthday_call(birthday: date, year: int, opening: OpeningCalendar | None = None) -> date:
    """The day of the birthday call in ``year`` (rules.md §9: on the day).

    A 29 February birthday is called on 28 February in a common year, so the call
    stays in the birth month and on the month's printed list. For the same reason,
    a birthday on a day the department is closed (``opening``) is called on the
    next open day of the month, or else the last open one before it.
    """
    day = _birthday(birthday, year)
    if opening is None or opening.is_open(day):
        return day
    later = opening.open_day(day)
    if later.month == day.month and later != day:
        return later
    earlier = day - _ONE_DAY
    while earlier.month == day.month:
        if opening.is_open(earlier):
            return earlier
        earlier -= _ONE_DAY
    return day


def birthday_plan(birthday: date, year: int, opening: OpeningCalendar | None = None) -> PlannedCall:
    """The BIRTHDAY call for ``year``: open all of the call day (rules.md §9, :func:`birthday_call`)."""
    day = birthday_call(birthday, year, opening)
    return PlannedCall(BIRTHDAY, start_of_day(day), end_of_day(day))


def birthday_list(members: Iterable[BirthdayMember], month: date,
                  opening: OpeningCalendar | None = None) -> BirthdayList:
    """The birthday calls of ``month`` (any day of it), VIP and normal apart (rules.md §9).

    Each part is sorted by call date (:func:`birthday_call`), then member. Members
    without a birthday, or born on or after this year's birthday (no birthday to
    celebrate yet), are left out.
    """
    first = month.replace(day=1)
    entries: list[BirthdayEntry] = []
    for m in members:
        if m.birthday is None or m.birthday.month != first.month:
            continue
        if m.birthday < _birthday(m.birthday, first.year):
            age = first.year - m.birthday.year
            call_date = birthday_call(m.birthday, first.year, opening)
            entries.append(BirthdayEntry(m.member, m.birthday, call_date, age, m.vip))
    entries.sort(key=lambda e: (e.call_date, e.member))
    return BirthdayList(first, tuple(e for e in entries if e.vip), tuple(e for e in entries if not e.vip))


def next_month(today: date) -> date:
    """The first day of the month after ``today``."""
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def birthday_list_due(today: date, policy: Policy) -> bool:
    """Whether next month's birthday list should be printed (rules.md §9).

    True in the last ``birthday_list_days_before_month_end`` days of the month
    (default 7: 25–31 October, 22–28 February in a common year).
    """
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    return days_in_month - today.day < policy.callbacks.birthday_list_days_before_month_end


def complaint_call(received_at: datetime, kind: str, policy: Policy) -> PlannedCall:
    """A complaint or enquiry is answered the same day (rules.md §9).

    Only kinds in ``same_day_kinds`` qualify; the deadline is the end of the day
    the contact came in (the evening shift works until midnight).
    """
    if kind not in policy.callbacks.same_day_kinds:
        raise RuleViolation(N_("{kind} is not answered the same day"), field="kind", kind=kind)
    return PlannedCall(kind, received_at, end_of_day(received_at.date()))


def complaint_deadline(received_at: datetime, kind: str, policy: Policy) -> datetime:
    """The answer deadline of a same-day contact (rules.md §9); see :func:`complaint_call`."""
    return complaint_call(received_at, kind, policy).due


def review_message(received_at: datetime) -> PlannedCall:
    """Bad review, step 1 (rules.md §9, [004]): a written message, the same day."""
    return PlannedCall(REVIEW, received_at, end_of_day(received_at.date()), NOTE_MESSAGE)


def review_phone_call(message_sent_at: datetime, replied_at: datetime | None,
                      policy: Policy, opening: OpeningCalendar | None = None) -> PlannedCall | None:
    """Bad review, step 2 (rules.md §9, [004]): phone if no reply within the limit.

    The phone call opens ``review_phone_after_hours`` after the message and is
    due by the end of that day. A reply received within the limit cancels it
    (``None``); a later reply does not. With ``opening``, a call that would open
    on a day the department is closed opens the next open day instead (the
    limit for the reply stays as it is).
    """
    limit = message_sent_at + timedelta(hours=policy.callbacks.review_phone_after_hours)
    if replied_at is not None and replied_at <= limit:
        return None
    opens = limit
    if opening is not None and (day := opening.open_day(limit.date())) != limit.date():
        opens = start_of_day(day)
    return PlannedCall(REVIEW, opens, end_of_day(opens.date()), NOTE_PHONE)


def review_order(reviews: Iterable[Review]) -> tuple[Review, ...]:
    """Bad reviews, the most severe first (rules.md §9), then oldest first, then by ref."""
    return tuple(sorted(reviews, key=lambda r: (-r.severity, r.received_at, r.ref)))


def status(call: Call, now: datetime) -> str:
    """``done`` once closed, else ``overdue`` past its due moment, else ``due`` (rules.md §9)."""
    if call.closed_at is not None:
        return STATUS_DONE
    return STATUS_OVERDUE if now > call.due else STATUS_DUE


def on_agenda(call: Call, day: date) -> bool:
    """Whether ``call`` belongs on the agenda of ``day``.

    An open call shows from the day its window opens until it is closed (so
    overdue calls stay visible); a closed call shows on the day it was closed.
    """
    if call.closed_at is not None:
        return call.closed_at.date() == day
    return call.window_start.date() <= day


def _next_open(moment: datetime, opening: OpeningCalendar) -> datetime:
    """``moment`` when the department is open then, else its next opening (rules.md §2).

    A moment after closing or before opening moves to the next opening, by the
    hours of that day (:meth:`OpeningCalendar.hours_on`): a make-up working day
    opens at weekday hours, a holiday at weekend hours or, when the site does not
    work holidays, not at all.
    """
    day, at = moment.date(), moment
    for _ in range(_MAX_CLOSED_DAYS + 7):
        hours = opening.hours_on(day)
        if hours is not None:
            start, end = datetime.combine(day, hours[0]), datetime.combine(day, hours[1])
            if at < end:
                return max(at, start)
        day += _ONE_DAY
        at = start_of_day(day)
    return moment  # opening hours that never open: keep the moment rather than loop


def apply_outcome(call: Call, outcome: str, now: datetime, policy: Policy,
                  new_time: datetime | None = None, opening: OpeningCalendar | None = None) -> OutcomeResult:
    """Record one attempt's outcome (rules.md §9, Appendix A).

    * ``REACHED``: done.
    * ``BUSY_RESCHEDULED``: the customer agreed another time (``new_time``,
      required, not before ``now``); the same call stays open from then, due by
      the end of that day or its current deadline, whichever is later (an agreed
      time before the deadline never shortens it): rescheduled, not failed.
    * ``NO_ANSWER``: this attempt is closed and a ``RETRY`` call follows
      ``retry_after_hours`` later (moved into opening hours, :func:`_next_open`,
      by ``opening``: default the policy's hours by weekday, no holidays),
      keeping the original deadline if that is later; after ``max_retries``
      retries the call is ``FAILED`` instead.
    * ``WRONG_NUMBER``, ``REFUSED`` and any site-added outcome: closed.

    ``effective`` says whether the attempt counts toward the quota.
    """
    cb = policy.callbacks
    if outcome not in cb.outcomes:
        raise RuleViolation(N_("Unknown call outcome {outcome}"), field="outcome", outcome=outcome)
    if call.closed_at is not None:
        raise RuleViolation(N_("This call is already closed"), field="outcome")
    effective = outcome in cb.effective_outcomes
    if outcome == BUSY_RESCHEDULED:
        if new_time is None:
            raise RuleViolation(N_("A rescheduled call needs the time agreed with the customer"),
                                field="new_time")
        if new_time < now:
            raise RuleViolation(N_("The new call time cannot be in the past"), field="new_time")
        moved = replace(call, window_start=new_time, due=max(call.due, end_of_day(new_time.date())),
                        reschedules=call.reschedules + 1)
        return OutcomeResult(moved, RESULT_RESCHEDULED, effective=effective)
    closed = replace(call, outcome=outcome, closed_at=now)
    if outcome == REACHED:
        return OutcomeResult(closed, RESULT_DONE, effective=effective)
    if outcome == NO_ANSWER:
        if call.attempt >= cb.max_retries:
            return OutcomeResult(closed, RESULT_FAILED, effective=effective)
        retry_at = _next_open(now + timedelta(hours=cb.retry_after_hours),
                              opening or OpeningCalendar(policy.department_hours))
        retry = Call(kind=RETRY, window_start=retry_at, due=max(call.due, end_of_day(retry_at.date())),
                     attempt=call.attempt + 1, retry_of=call.retry_of or call.kind)
        return OutcomeResult(closed, RESULT_RETRY, follow_up=retry, effective=effective)
    return OutcomeResult(closed, RESULT_CLOSED, effective=effective)


def quota_progress(calls_made: Iterable[tuple[str, str | None]], home_visit: bool,
                   policy: Policy) -> QuotaProgress:
    """Effective outgoing calls against the day's quota (rules.md §9).

    ``calls_made`` holds (direction, outcome). Incoming calls never count; an
    outgoing call counts when its outcome is in ``effective_outcomes``. The
    target is ``home_visit_quota`` on a day with home visits, else ``daily_quota``.
    """
    cb = policy.callbacks
    effective = 0
    for direction, outcome in calls_made:
        if direction not in (INCOMING, OUTGOING):
            raise RuleViolation(N_("Unknown call direction {direction}"), field="direction",
                                direction=direction)
        if outcome is not None and outcome not in cb.outcomes:
            raise RuleViolation(N_("Unknown call outcome {outcome}"), field="outcome", outcome=outcome)
        if direction == OUTGOING and outcome in cb.effective_outcomes:
            effective += 1
    return QuotaProgress(effective, cb.home_visit_quota if home_visit else cb.daily_quota)


def suggest_assignment(calls: Sequence[Call], agents: Sequence[AgentLoad],
                       policy: Policy) -> AssignmentSuggestion:
    """Spread open calls over agents by load, then ability and experience (rules.md §9, [001]).

    The most urgent call (earliest due, then ref) goes first, to the agent with
    the lowest current load; ties go to the higher level (policy promotion
    order), then more experience, then the agent code. An agent's day holds at
    most its quota (``home_visit_quota`` on home-visit days); calls nobody can
    take are returned as ``unassigned``. Deterministic for equal input.
    """
    levels = policy.level_codes
    cb = policy.callbacks
    for a in agents:
        if a.level not in levels:
            raise RuleViolation(N_("Unknown agent level {level}"), field="level", level=a.level)
    for c in calls:
        if c.closed_at is not None:
            raise RuleViolation(N_("Only open calls can be re-assigned ({ref})"), field="calls", ref=c.ref)
    load = {a.agent: a.load for a in agents}
    cap = {a.agent: cb.home_visit_quota if a.home_visit else cb.daily_quota for a in agents}
    rank = {a.agent: (-levels.index(a.level), -a.experience_months, a.agent) for a in agents}
    assignments: list[Assignment] = []
    unassigned: list[str] = []
    for c in sorted(calls, key=lambda c: (c.due, c.ref)):
        free = [a for a in load if load[a] < cap[a]]
        if not free:
            unassigned.append(c.ref)
            continue
        best = min(free, key=lambda a: (load[a], rank[a]))
        load[best] += 1
        assignments.append(Assignment(c.ref, best))
    return AssignmentSuggestion(tuple(assignments), tuple(unassigned))


def mask_phone(phone: str, role: str, *, owner: bool = False) -> str:
    """A customer phone number as ``role`` may see it (rules.md §12).

    Director and supervisor, and whoever owns the call, see it in full; every
    other role (team lead, trainer, QA, other agents, unknown roles) sees the
    middle digits masked: at least four, and all but seven, keeping up to three
    leading and four trailing digits (``138****5678``). Spaces, dashes and ``+``
    stay in place.
    """
    if owner or role in FULL_PHONE_ROLES:
        return phone
    n = sum(ch.isdigit() for ch in phone)
    hidden = min(n, max(4, n - 7))
    front = min(3, (n - hidden) // 2)
    out: list[str] = []
    i = 0
    for ch in phone:
        if ch.isdigit():
            out.append("*" if front <= i < front + hidden else ch)
            i += 1
        else:
            out.append(ch)
    return "".join(out)


# How a promised call went, for the monthly callback performance (rules.md §9:
# "every promised call made on time").
PROMISE_ON_TIME: Final = "ON_TIME"
PROMISE_LATE: Final = "LATE"
PROMISE_MISSED: Final = "MISSED"
PROMISE_PENDING: Final = "PENDING"


def promise_status(attempts: Sequence[Call], now: datetime) -> str:
    """The state of one promised call: the first attempt and its retries (rules.md §9).

    Only the last attempt matters, because :func:`apply_outcome` gives each
    retry the original deadline or, when the retry falls later, the end of the
    retry's day; a busy customer's agreed time past the deadline moves it too
    (rescheduled, not failed).

    * ``ON_TIME``: the last attempt is closed (reached, wrong number, refused,
      or failed after the last retry) no later than its deadline;
    * ``LATE``: closed after its deadline;
    * ``MISSED``: still open and past its deadline at ``now``;
    * ``PENDING``: still open and not yet due.
    """
    if not attempts:
        raise RuleViolation(N_("A promised call has at least one attempt"), field="attempts")
    last = max(attempts, key=lambda c: (c.attempt, c.window_start))
    if last.closed_at is not None:
        return PROMISE_ON_TIME if last.closed_at <= last.due else PROMISE_LATE
    return PROMISE_MISSED if now > last.due else PROMISE_PENDING
