"""Assemble a month of attendance from stored records by calling the pure rules.

No I/O here: the service loads rows, this module turns them into rule inputs and
read models. A day is judged once it is over (or its shift has ended); later days
show only their shift.
"""

from __future__ import annotations

import calendar
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache, partial
from typing import NamedTuple, TypeVar

from csdesk import gc_tuning
from csdesk.models.domain_attendance import (
    AttendancePerson,
    PackedPunches,
    PackedShifts,
    unpack_punches,
    unpack_shifts,
)
from csdesk.policy import Policy
from csdesk.records import record
from csdesk.rules import attendance as rules
from csdesk.rules import holidays as holiday_rules
from csdesk.rules.leave import YearLeave, check_yearly_cap, leave_absence_reason, leave_days_in_year
from csdesk.services import fanout
from csdesk.services.attendance_types import AgentDay, AgentMonth, LedgerEntry, TeamMonth


@record
class LeaveInfo:
    person_id: int
    code: str
    start: date
    end: date
    hours: float | None
    status: str
    certificate: bool
    cancelled_on_return: bool


@cache
def month_days(year: int, month: int) -> tuple[date, ...]:
    return tuple(date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1))


@cache
def _country_days(country: str, year: int) -> holiday_rules.CountryDays:
    """The ``holidays`` package's calendar of ``country`` from the year before ``year`` to the year
    after (a block or a make-up day may cross the new year). Statutory days are the holidays it
    lists when nothing is observed, less the days it names as given off for a make-up day
    ("Day off (substituted from …)"); observed days (补假) and those are the other days off."""
    try:
        import holidays

        years = [year - 1, year, year + 1]
        entity = _country_class(country) or partial(holidays.country_holidays, country)
        named = entity(years=years, observed=False)
        observed = entity(years=years)
    except (ImportError, NotImplementedError, KeyError):
        return holiday_rules.CountryDays()
    head, _sep, tail = named.tr(getattr(named, "substituted_label", None) or "%s").partition("%s")

    def given_off(day: date) -> bool:
        return bool(head or tail) and all(n.startswith(head) and n.endswith(tail) for n in named.get_list(day))

    statutory = frozenset(d for d in named if not given_off(d))
    return holiday_rules.CountryDays(
        statutory, frozenset(observed) - statutory, frozenset(observed.weekend_workdays), frozenset(observed.weekend)
    )


def _country_class(country: str) -> type | None:
    """The ``holidays`` package's class of one country, loaded from its own module alone.

    ``holidays.country_holidays`` imports the package ``holidays.countries``, whose ``__init__``
    imports all 250 countries: 0.1 s of every start-up that shows a month (a tenth of what
    ``csdesk scorecard`` may take, issue "The signed month"). The country's module needs only the
    package's common parts, so it is loaded by itself; None (then the package's own way is taken)
    for an unknown code or an installation laid out otherwise (a frozen build)."""
    import importlib.util
    import sys

    import holidays
    from holidays.registry import COUNTRIES

    found = next(((module, names[0]) for module, names in COUNTRIES.items() if country in names[1:3]), None)
    if found is None:
        return None
    module, name = found
    qualified = f"holidays.countries.{module}"
    loaded = sys.modules.get(qualified)
    if loaded is None:
        path = os.path.join(os.path.dirname(holidays.__file__), "countries", f"{module}.py")
        spec = importlib.util.spec_from_file_location(qualified, path)
        if spec is None or spec.loader is None or not os.path.isfile(path):
            return None
        loaded = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(loaded)
        except Exception:  # noqa: BLE001 - another layout of the package: its own way
            return None
        sys.modules[qualified] = loaded  # the package's own import of it finds it
    found_class = getattr(loaded, name, None)
    return found_class if isinstance(found_class, type) else None


_calendar = cache(holiday_rules.holiday_calendar)  # once per year and policy, not once per month shown


def holiday_calendar(year: int, policy: Policy) -> holiday_rules.HolidayCalendar:
    """The year's holiday calendar: the policy country's from the ``holidays`` package, with the
    site's own additions, removals and make-up days (rules.md §2, :mod:`csdesk.rules.holidays`)."""
    hours = policy.department_hours
    return _calendar(year, _country_days(hours.holiday_country, year), hours)


def month_holidays(year: int, month: int, policy: Policy) -> dict[date, str]:
    """The days of the month that have a kind in the holiday calendar, with their kind."""
    calendar = holiday_calendar(year, policy)
    return {day: kind for day in month_days(year, month) if (kind := calendar.kind(day))}


def unstaffed_days(first: date, last: date, policy: Policy) -> frozenset[date]:
    """The days from ``first`` to ``last`` nobody is rostered on: the days off of holiday blocks,
    when the site does not staff holidays (``department_hours.holidays_worked`` off)."""
    if policy.department_hours.holidays_worked:
        return frozenset()
    years = range(first.year, last.year + 1)
    return frozenset(d for year in years for d in holiday_calendar(year, policy).off if first <= d <= last)


def punch_window(year: int, month: int) -> tuple[datetime, datetime]:
    """Punches that can belong to the month's shifts (a night shift's clock-out runs past midnight)."""
    first = date(year, month, 1)
    last = month_days(year, month)[-1]
    return datetime.combine(first, datetime.min.time()), datetime.combine(last + timedelta(days=1), datetime.min.time()) + rules.OVERNIGHT_PUNCH_WINDOW


def _judged(day: date, shift: str | None, now: datetime, policy: Policy) -> bool:
    """A day is judged when it is over, or when its working shift has ended."""
    if day < now.date():
        return True
    if day > now.date() or shift is None:
        return False
    try:
        template = policy.shift(shift)
    except KeyError:
        return True
    if template.rest:
        return True
    return rules.shift_bounds(day, shift, policy)[1] <= now


def _day_leave(leave: LeaveInfo, day: date, now: datetime, policy: Policy) -> rules.DayLeave:
    reason = None
    if leave.end < now.date():  # certificate and 销假 are asked for once the leave is over
        reason = leave_absence_reason(
            leave.code,
            approved=leave.status == "approved",
            certificate_provided=leave.certificate,
            cancelled_on_return=leave.cancelled_on_return,
            policy=policy,
        )
    part_day = leave.hours if leave.hours and leave.start == leave.end == day else None
    return rules.DayLeave(code=leave.code, approved=leave.status == "approved", hours=part_day, absence_reason=reason)


class MonthFacts(NamedTuple):
    """The rows a month of attendance is computed from (whatever the policy)."""

    people: Sequence[AttendancePerson]
    roster: Mapping[int, PackedShifts]  # person id → their cells, packed (the rostered people only)
    punches: Mapping[int, PackedPunches]  # person id → their punches, packed
    leaves: Sequence[LeaveInfo]
    fixes: Sequence[tuple[int, date, datetime]]
    marks: Sequence[tuple[int, date]]
    year_leave: Sequence[tuple[int, date, date, float | None]]  # (person id, start, end, hours) of the year so far


class Classified(NamedTuple):
    """One person's month up to the classification of its judged days: everything a change of
    the month's money, runs or events leaves as it is."""

    by_day: dict[date, tuple[datetime, ...]]  # the punches of each shift-day
    leave_by_day: dict[date, LeaveInfo]
    inputs: tuple[rules.DayInput, ...]  # the judged days, the first days of the month
    results: tuple[rules.DayResult, ...]  # their classification, in order


def classify_person(
    year: int,
    month: int,
    roster: Mapping[date, str],
    punches: Sequence[datetime],
    leaves: Iterable[LeaveInfo],
    corrections: Mapping[date, tuple[datetime, ...]],
    holidays: Mapping[date, str],
    now: datetime,
    policy: Policy,
    unarranged: frozenset[date] = frozenset(),
) -> Classified:
    """Attribute the punches to shift-days and classify each judged day of one person's month."""
    days = month_days(year, month)
    by_day = rules.attribute_punches(punches, roster, policy)
    leave_by_day: dict[date, LeaveInfo] = {}
    for leave in sorted(leaves, key=lambda item: item.status == "approved"):  # approved wins
        d = max(leave.start, days[0])
        while d <= min(leave.end, days[-1]):
            if leave.status != "rejected":
                leave_by_day[d] = leave
            d += timedelta(days=1)
    inputs: list[rules.DayInput] = []
    today = now.date()
    for day in days:
        shift = roster.get(day)
        if day >= today and not _judged(day, shift, now, policy):
            break  # the days after it are not judged either
        leave = leave_by_day.get(day)
        inputs.append(
            rules.DayInput(
                day, shift, by_day.get(day, ()), holidays.get(day) in holiday_rules.OFF_KINDS,
                _day_leave(leave, day, now, policy) if leave else None, corrections.get(day, ()), day in unarranged,
            )  # fmt: skip
        )
    return Classified(by_day, leave_by_day, tuple(inputs), rules.classify_days(inputs, policy))


class DayMemo:
    """The classified days of a month's people, kept for a second policy with the same
    classification parts at the same instant (the what-if: a late that costs more, lates in a row
    as an absence). Lives in one unit of work's memo, so it never outlives the facts it read."""

    def __init__(self) -> None:
        self._entries: list[tuple[tuple[object, ...], datetime, dict[int, Classified]]] = []

    def release(self) -> None:
        """Let go of the classified days a person at a time (see :func:`csdesk.models.db.release`:
        one person's month is freed in microseconds, the whole department's in 15-25 ms)."""
        while self._entries:
            _parts, _at, people = self._entries.pop()
            while people:
                people.popitem()

    def people(self, policy: Policy, now: datetime) -> dict[int, Classified]:
        """person id → classified days, for ``policy`` at ``now`` (filled by the caller)."""
        parts = rules.classification_parts(policy)
        for known, at, people in self._entries:
            if at == now and known == parts:
                return people
        people = {}
        self._entries.append((parts, now, people))
        return people


def build_agent_month(
    person: AttendancePerson,
    year: int,
    month: int,
    roster: Mapping[date, str],
    holidays: Mapping[date, str],
    policy: Policy,
    classified: Classified,
    *,
    with_days: bool = True,
) -> tuple[AgentMonth, tuple[rules.GeneratedEvent, ...]]:
    """Summarise the month of one person from its classified days (:func:`classify_person`, or
    a :class:`DayMemo`'s for a policy with the same classification parts: then only the month's
    walk is done again).

    ``holidays`` maps the month's days that have a kind in the holiday calendar to it (see
    :func:`month_holidays`). Also returns the evaluation events the month generates (M01/S01,
    Appendix A). Without ``with_days`` the month's ``days`` are left empty: its counts, money and
    flags alone (what a policy what-if compares).
    """
    days = month_days(year, month)
    by_day, leave_by_day, inputs, results = classified
    base_pay = policy.level(person.level).base_pay if person.level in policy.level_codes else 0
    summary = rules.summarize_month(results, base_pay, policy) if results else None
    out: list[AgentDay] = []
    # The judged days are the first days of the month: summary.days holds their results, in order.
    for inp, r in zip(inputs, summary.days if summary and with_days else ()):
        leave = leave_by_day.get(inp.day)
        out.append(
            AgentDay(
                inp.day, r.status, inp.shift, inp.punches, r.late_minutes, r.early_minutes, r.reason,
                r.leave_code or (leave.code if leave else None), leave.status if leave else None, r.corrected, inp.is_holiday,
                holidays.get(inp.day), rules.holiday_worked(inp, r),
            )  # fmt: skip
        )
    for day in days[len(inputs) :] if with_days else ():
        leave = leave_by_day.get(day)
        out.append(AgentDay(day, None, roster.get(day), by_day.get(day, ()), leave_code=leave.code if leave else None,
                            leave_status=leave.status if leave else None, holiday=holidays.get(day) in holiday_rules.OFF_KINDS,
                            holiday_kind=holidays.get(day)))  # fmt: skip
    if summary is None:
        return AgentMonth(person.employee_no, person.name, person.team, person.level, tuple(out)), ()
    ledger = tuple(LedgerEntry(line.day, person.employee_no, person.name, line.code, line.amount_cny) for line in summary.ledger)
    return AgentMonth(
        employee_no=person.employee_no,
        name=person.name,
        team=person.team,
        level=person.level,
        days=tuple(out),
        late=summary.late,
        early=summary.early,
        absent=summary.absent,
        missed=summary.missed,
        leave_days=round(summary.leave_days, 2),
        deduction_cny=summary.deduction_cny,
        full_attendance_bonus_cny=summary.full_attendance_bonus_cny,
        flags=summary.flags,
        ledger=ledger,
    ), summary.events


class _PersonFacts(NamedTuple):
    """One person's rows of the month, grouped (see :func:`_grouped`); the roster and punches as
    read, unpacked by whoever works the person (:func:`people_months_under`)."""

    person: AttendancePerson
    shifts: PackedShifts
    punches: PackedPunches
    leaves: list[LeaveInfo]
    corrections: dict[date, tuple[datetime, ...]]
    unarranged: frozenset[date]


#: A person's share of a month's work in seconds, measured at 2,000 agents on a 2-core PC: the
#: classification of their days, then their month with its days, or without them (its counts,
#: money and events alone). A :class:`DayMemo` may hold the classification already. The forked
#: halves (:func:`csdesk.services.fanout.halves`) are cut by them, and below
#: ``fanout.FORK_WORTH_SECONDS`` of work in all (a what-if's second policy) there is no fork: it would
#: cost more than it saves.
CLASSIFY_SECONDS = 135e-6
MONTH_SECONDS = 55e-6
SUMMARY_SECONDS = 30e-6


def _costs(known: Mapping[int, Classified], month_seconds: float) -> Callable[[_PersonFacts], float]:
    return lambda f: month_seconds if f.person.id in known else CLASSIFY_SECONDS + month_seconds


def _grouped(facts: MonthFacts) -> list[_PersonFacts]:
    """The rows of the people the month shows (people without a shift are left out), by person."""
    leave_by_person: dict[int, list[LeaveInfo]] = defaultdict(list)
    for leave in facts.leaves:
        leave_by_person[leave.person_id].append(leave)
    fixes: dict[int, dict[date, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for pid, day, at in facts.fixes:
        fixes[pid][day].append(at)
    left: dict[int, set[date]] = defaultdict(set)
    for pid, day in facts.marks:
        left[pid].add(day)
    return [
        _PersonFacts(
            person, facts.roster.get(person.id, ""), facts.punches.get(person.id, ""), leave_by_person.get(person.id, []),
            {d: tuple(v) for d, v in fixes.get(person.id, {}).items()}, frozenset(left.get(person.id, ())),
        )  # fmt: skip
        for person in facts.people
        if rules.shown_in_month(person.role, person.id in facts.roster)
    ]


def _classified(
    f: _PersonFacts,
    roster: Mapping[date, str],
    year: int,
    month: int,
    holidays: Mapping[date, str],
    now: datetime,
    policy: Policy,
    known: dict[int, Classified],
) -> Classified:
    found = known.get(f.person.id)
    if found is None:
        found = known[f.person.id] = classify_person(
            year, month, roster, unpack_punches(f.punches), f.leaves, f.corrections, holidays, now, policy, f.unarranged
        )
    return found


def assemble_team_month(
    year: int,
    month: int,
    team: str | None,
    facts: MonthFacts,
    now: datetime,
    policy: Policy,
    year_leave_days: Mapping[int, float] | None = None,
    memo: DayMemo | None = None,
) -> tuple[TeamMonth, dict[str, tuple[rules.GeneratedEvent, ...]]]:
    """Agents × days of the month from the loaded rows (people without a shift are left out).

    The second value maps employee numbers to the evaluation events their month generates.
    ``memo``: classified days to reuse and to keep (see :class:`DayMemo`).
    """
    agents, events = people_months(year, month, facts, now, policy, year_leave_days, memo, unchanged)
    days = month_days(year, month)
    judged = [d for d in days if _judged(d, None, now, policy)]
    return TeamMonth(year, month, team, days, tuple(agents), judged[-1] if judged else None), events


def unchanged(agent: AgentMonth) -> AgentMonth:
    """The ``finish`` of :func:`people_months` that keeps each person's month as it is."""
    return agent


Finished = TypeVar("Finished")


def people_months(
    year: int,
    month: int,
    facts: MonthFacts,
    now: datetime,
    policy: Policy,
    year_leave_days: Mapping[int, float] | None,
    memo: DayMemo | None,
    finish: Callable[[AgentMonth], Finished],
    *,
    with_days: bool = True,
) -> tuple[list[Finished], dict[str, tuple[rules.GeneratedEvent, ...]]]:
    """``finish`` of each shown person's month, in order, and the events the month generates
    (``with_days``: see :func:`build_agent_month`).

    The people are worked in two halves side by side where the process allows it
    (:func:`csdesk.services.fanout.halves`); ``finish`` runs there too, so what comes back can be
    smaller than the month (a lock's stored text: 30 times faster to send than the objects)."""
    return people_months_under(year, month, facts, now, [policy], [year_leave_days or {}], memo, finish, with_days=with_days)[0]


def people_months_under(
    year: int,
    month: int,
    facts: MonthFacts,
    now: datetime,
    policies: Sequence[Policy],
    year_leave_days: Sequence[Mapping[int, float]],
    memo: DayMemo | None,
    finish: Callable[[AgentMonth], Finished],
    *,
    with_days: bool = True,
) -> list[tuple[list[Finished], dict[str, tuple[rules.GeneratedEvent, ...]]]]:
    """:func:`people_months` under each of ``policies`` in one pass over the people (a what-if's
    two): policies with the same classification parts classify each person's days once, and
    the forked child works its half of the people under all of them. ``year_leave_days``: each
    policy's (see :func:`year_leave_days`)."""
    holidays = [month_holidays(year, month, policy) for policy in policies]
    known = [memo.people(policy, now) if memo is not None else {} for policy in policies]
    under = list(zip(policies, holidays, known, year_leave_days, strict=True))

    def work(chunk: Sequence[_PersonFacts]) -> list[list[tuple[Finished, tuple[rules.GeneratedEvent, ...]]]]:
        out = []
        for f in chunk:
            person = []
            roster = unpack_shifts(f.shifts)
            for policy, days_off, classified_days, taken in under:
                classified = _classified(f, roster, year, month, days_off, now, policy, classified_days)
                agent, generated = build_agent_month(f.person, year, month, roster, days_off, policy, classified, with_days=with_days)
                cap = check_yearly_cap(taken.get(f.person.id, 0.0), policy)
                if cap.flags:  # rules.md §3: leave beyond the yearly cap affects the year-end bonus
                    agent = replace(agent, flags=agent.flags + cap.flags)
                person.append((finish(agent), generated))
            out.append(person)
        return out

    month_seconds = MONTH_SECONDS if with_days else SUMMARY_SECONDS
    costs = [_costs(classified_days, month_seconds) for classified_days in known]
    with gc_tuning.bulk_load():  # a month of 2,000 people is a million objects, kept while it is shown
        persons = _grouped(facts)
        worked = fanout.halves(persons, work, lambda f: sum(cost(f) for cost in costs), least=fanout.FORK_WORTH_SECONDS)
    results = []
    for index in range(len(policies)):
        events = {
            f.person.employee_no: person[index][1]
            for f, person in zip(persons, worked, strict=True)
            if rules.is_scored(f.person.role)  # leads are rostered but not scored
        }
        results.append(([person[index][0] for person in worked], events))
    return results


def year_leave_days(
    rows: Iterable[tuple[int, date, date, float | None]],
    year: int,
    until: date,
    hours_per_day: float,
    shift_hours: Mapping[int, Mapping[date, float]],
) -> dict[int, float]:
    """Approved leave days per person from 1 January to ``until`` (rules.md §3, see
    :func:`csdesk.rules.leave.leave_days_in_year`); ``rows`` are (person id, start, end, hours),
    ``shift_hours`` each person's shift lengths of their part-day leave's days."""
    by_person: dict[int, list[YearLeave]] = defaultdict(list)
    for pid, start, end, hours in rows:
        by_person[pid].append(YearLeave(start, end, hours))
    return {
        pid: leave_days_in_year(spans, year, until, hours_per_day, shift_hours=shift_hours.get(pid, {}))
        for pid, spans in by_person.items()
    }
