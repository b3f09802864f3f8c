"""The policy what-if (issue 16): whose total, grade, pay float, flags and money a rule change would
move, before it moves anyone.

A month is a pure function of its facts and the policy, so the what-if computes it twice: under
the policy in force and under that policy with a file's keys laid over it, with the same two
services (attendance, scorecards) the composition root builds, built once more under the other
policy (``areas``). Both read in units of work that are never committed: nothing is written, no
audit entry either. A locked month is computed from its facts too (what it would be now, not what
its lock stored), and the result says it is locked.

A range of months is computed side by side (:func:`csdesk.services.fanout.spread`): each month is
a :class:`MonthJob` that a child process computes as this one would (``elsewhere``, given by the
composition root), when the range is large enough to be worth a child's start (``SPREAD_FROM``).

The file is a site policy file: read, laid over the policy in force and validated exactly as the
loader does (:func:`csdesk.policy.merge`, :func:`csdesk.policy.build_policy`), so a bad one is
refused with a :class:`~csdesk.errors.PolicyError` naming each key and its problem.

An area is computed a second time only when the change can move it: a change that leaves every
part of the policy the attendance month reads as it was (``ATTENDANCE_PARTS``: a grade threshold,
a criterion, the pay float) classifies the month once, in one unit of work whose memo both
scorecards pull from; a change of attendance money only (``MONEY_ONLY``: what a late costs)
recomputes the attendance month and leaves the scorecards as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import NamedTuple, cast

from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.policy import Policy, build_policy, merge, read_toml
from csdesk.policy.changes import PolicyChange, policy_changes
from csdesk.records import record
from csdesk.resources import default_policy_path
from csdesk.services import fanout
from csdesk.services.attendance import VIEW as ATTENDANCE_VIEW
from csdesk.services.attendance import AttendanceService
from csdesk.services.attendance_types import AgentMonth
from csdesk.services.base import Actor, Clock, Service, require, visible_to
from csdesk.services.fanout import spread
from csdesk.services.months import month_first, month_key, months_between
from csdesk.services.scorecard_access import VIEW
from csdesk.services.scorecard_explain import Explanation
from csdesk.services.scorecards import MonthScorecards, ScorecardService

#: The parts of the policy the attendance month reads (csdesk.rules.attendance, csdesk.rules.leave,
#: csdesk.services.attendance_month): when a change leaves them all as they were, the month is
#: classified once for both policies.
ATTENDANCE_PARTS = ("attendance", "department_hours", "events", "leave", "levels", "shifts")
#: The attendance keys that set money and flags only, never an evaluation event (the ledger lines
#: and flags of csdesk.rules.attendance._MonthWalk): a change of these alone leaves every
#: scorecard as it was, and only the attendance month is computed under the other policy.
MONEY_ONLY = (
    "late_deduction", "absence_deduction", "full_attendance_bonus", "missed_punch_deduction",
    "swap_without_arrangement_deduction", "pay_cut_percent", "consecutive_absences_pay_cut",
    "consecutive_absences_disciplinary",
)  # fmt: skip
#: What is compared for each agent, in the order ``changed`` lists it.
COMPARED = ("total", "grade", "pay_float_cny", "deduction_cny", "flags")
NO_GRADE = "-"  # an unrated agent's grade in ``grade_changes`` ("-→C")
#: A range is spread over child processes from this many agent-months (people × months): a child
#: takes about half a second to start, the time ~1,000 agent-months take to compute.
SPREAD_FROM = 2000


class Areas(NamedTuple):
    """The two services a month is computed with, under one policy (the scorecards pull their
    M01/S01 from ``attendance``)."""

    attendance: AttendanceService
    scorecards: ScorecardService


#: ``areas(policy, uow, attendance, clock)``: the services under ``policy`` over ``uow`` reading the
#: time from ``clock``, the scorecards pulling from ``attendance`` when given (else from a new
#: attendance service under ``policy``).
AreasUnder = Callable[[Policy, UowFactory, AttendanceService | None, Clock], Areas]


@record
class Outcome:
    """What the month gives one person under one policy. None where there is nothing to show: no
    scorecard (a team lead's attendance only), not rated, or not for this reader to see (the pay
    float without personnel rights, the attendance money without ``attendance.view``)."""

    total: Decimal | None
    grade: str | None
    pay_float_cny: Decimal | None
    deduction_cny: int | None
    flags: tuple[str, ...]  # the scorecard's, then the attendance month's


@record
class AgentChange:
    """One person's month under both policies."""

    employee_no: str
    name: str
    team: str | None
    before: Outcome
    after: Outcome

    @property
    def changed(self) -> tuple[str, ...]:
        """The fields of ``COMPARED`` that differ."""
        return tuple(f for f in COMPARED if getattr(self.before, f) != getattr(self.after, f))


@record
class Totals:
    """A sum over people under both policies (None: nothing this reader may see)."""

    before: Decimal | None
    after: Decimal | None


@record
class Summary:
    agents_changed: int
    grade_changes: Mapping[str, int]  # "C→D": how many agents
    deduction_cny: Totals
    pay_float_cny: Totals


@record
class MonthWhatIf:
    """One month side by side. ``everyone`` holds every person the reader sees, in the month's
    ranking order (then the people with an attendance month only); ``agents`` those who change."""

    month: str
    locked: bool  # signed off: computed here from its facts, not read from what its lock stored
    everyone: tuple[AgentChange, ...]
    summary: Summary

    @property
    def agents(self) -> tuple[AgentChange, ...]:
        return tuple(a for a in self.everyone if a.changed)


@record
class AgentTotal:
    """One person over several months: the months in which something of theirs changes, and their
    money summed over every month of the range."""

    employee_no: str
    name: str
    months: tuple[str, ...]
    deduction_cny: Totals
    pay_float_cny: Totals


@record
class WhatIf:
    """The months ``first``…``last`` under the policy in force and with ``file`` laid over it."""

    file: str
    changes: tuple[PolicyChange, ...]
    months: tuple[MonthWhatIf, ...]
    totals: tuple[AgentTotal, ...]  # the people who change in any month
    summary: Summary  # over every month

    @property
    def first(self) -> str:
        return self.months[0].month

    @property
    def last(self) -> str:
        return self.months[-1].month


@record
class MonthJob:
    """One month of a range as any process computes it (picklable): the month, the other policy,
    the team, and the one instant every month of the range is computed at."""

    first: date
    other: Policy
    team: str | None
    now: datetime


@record
class AgentWhy:
    """One agent's month traced line by line under the policy in force and under the change."""

    employee_no: str
    month: str
    before: Explanation
    after: Explanation


class WhatIfService(Service):
    """``compare`` one month, ``compare_months`` a range: read-only, ``scorecards.view``; each reader
    sees whom and what the scorecards and attendance show them (a team lead their team without pay
    floats, a trainer no attendance money)."""

    def __init__(
        self,
        uow: UowFactory,
        policy: Policy,
        clock: Clock = datetime.now,
        *,
        site_file: Path | None,
        areas: AreasUnder,
        elsewhere: Callable[[Actor, MonthJob], MonthWhatIf] | None = None,
    ) -> None:
        super().__init__(uow, policy, clock)
        self._site_file = site_file  # the site policy file in force (None: the shipped default)
        self._areas = areas
        # ``month(actor, job)`` in a child process (picklable; None: no other process can open the database)
        self._elsewhere = elsewhere

    def compare(self, actor: Actor, month: str | date, overrides_path: Path, team: str | None = None) -> WhatIf:
        """Month ``month`` under the policy in force and with ``overrides_path`` laid over it."""
        return self.compare_months(actor, month, month, overrides_path, team)

    def compare_months(
        self, actor: Actor, first: str | date, last: str | date, overrides_path: Path, team: str | None = None
    ) -> WhatIf:
        """The months ``first``…``last`` side by side, with each person's total over them."""
        require(actor, VIEW)
        start, end = month_first(first), month_first(last)
        if end < start:
            raise ValidationError(N_("The range ends ({last}) before it starts ({first})."), field="to",
                                  first=month_key(start), last=month_key(end))  # fmt: skip
        other, changes = self.policy_with(Path(overrides_path))
        now = self.now()  # every month at one instant: a day that ends meanwhile is judged in all or none
        jobs = [MonthJob(month_first(key), other, team, now) for key in months_between(start, end)]
        there = partial(self._elsewhere, actor) if self._elsewhere is not None and self._worth_spreading(len(jobs)) else None
        months = tuple(spread(jobs, partial(self.month, actor), there))
        return WhatIf(str(overrides_path), changes, months, _totals(months), _summary_of(months))

    def month(self, actor: Actor, job: MonthJob) -> MonthWhatIf:
        """One month of a range (what a child process computes too)."""
        require(actor, VIEW)
        return self._month(actor, job.first, job.other, job.team, lambda: job.now)

    def _worth_spreading(self, months: int) -> bool:
        if months < 2:
            return False
        with self._uow() as uow:
            return uow.people.count() * months >= SPREAD_FROM

    def explain(self, actor: Actor, month: str | date, employee_no: str, overrides_path: Path) -> AgentWhy:
        """Every point and yuan of one agent's month under both policies (computed from the facts,
        as ``compare`` computes it): which lines the change moves, and by which rule."""
        require(actor, VIEW)
        other, _changes = self.policy_with(Path(overrides_path))
        first, clock = month_first(month), self._frozen_clock()
        before, after = (self._explained(actor, first, employee_no, policy, clock) for policy in (self.policy, other))
        return AgentWhy(employee_no, month_key(first), before, after)

    def _explained(self, actor: Actor, first: date, employee_no: str, policy: Policy, clock: Clock) -> Explanation:
        with self._uow() as uow:
            scorecards = self._areas(policy, _sharing(uow), None, clock).scorecards
            cards = scorecards.month(actor, first, employee_no=employee_no, from_facts=True).cards
            if not cards:
                raise NotFound(N_("No scorecard for {no} in {month}"), no=employee_no, month=month_key(first))
            return scorecards.explain_card(actor, cards[0])

    def policy_with(self, path: Path) -> tuple[Policy, tuple[PolicyChange, ...]]:
        """The policy in force with ``path``'s keys laid over it, as a site file is laid over the
        shipped default (PolicyError naming ``path`` and each bad key), and the keys whose values
        it changes."""
        base = read_toml(default_policy_path())
        if self._site_file is not None:
            base = merge(base, read_toml(self._site_file))
        policy = build_policy(merge(base, read_toml(path)), str(path))
        return policy, policy_changes(self.policy, policy)

    # --- one month ------------------------------------------------------------------------

    def _frozen_clock(self) -> Clock:
        """Both policies compute the month at one instant: a day that ends between the two runs
        must not be judged in one and not the other."""
        now = self.now()
        return lambda: now

    def _month(self, actor: Actor, first: date, other: Policy, team: str | None, clock: Clock) -> MonthWhatIf:
        """The month under both policies, read in one unit of work (the facts are read once, and a
        change that leaves the days' classification as it was reuses it: see
        :class:`~csdesk.services.attendance_month.DayMemo`); an area is computed under ``other``
        only when the change can move it (see ``ATTENDANCE_PARTS`` and ``MONEY_ONLY``)."""
        attendance_alike = all(getattr(self.policy, part) == getattr(other, part) for part in ATTENDANCE_PARTS)
        scorecards_alike = _scorecards_alike(self.policy, other)
        with self._uow() as uow:
            areas = self._areas(self.policy, _sharing(uow), None, clock)
            # The people's months first (under both policies in one pass when the change can move
            # them): the scorecards then take their events from them.
            # The scorecards' stored facts are read meanwhile, while a forked child works half of them.
            with fanout.meanwhile(areas.scorecards.stored_facts(uow, first)):
                lines = self._attendance(actor, uow, areas.attendance, first, team, () if attendance_alike else (other,))
            after_lines = lines
            # under ``other``: with the one attendance month of ``uow`` when the change leaves it as it is
            theirs = self._areas(other, _sharing(uow), areas.attendance if attendance_alike else None, clock)
            if not attendance_alike:
                after_lines = self._attendance(actor, uow, theirs.attendance, first, team)
            if scorecards_alike:
                cards = areas.scorecards.month(actor, first, team=team, from_facts=True)
                locked, before, after = cards.lock is not None, _people(cards, lines), _people(cards, after_lines)
            else:  # both months' scorecards, side by side (only what the comparison needs comes back)
                (locked, before), after = areas.scorecards.compared(
                    actor, first, theirs.scorecards, lambda cards: (cards.lock is not None, _people(cards, lines)),
                    lambda cards: _people(cards, after_lines), team=team,
                )  # fmt: skip
        everyone = tuple(
            AgentChange(no, name, person_team, outcome, after[no][2]) for no, (name, person_team, outcome) in before.items()
        )
        return MonthWhatIf(month_key(first), locked, everyone, _summary(everyone))

    def _attendance(
        self, actor: Actor, uow: UnitOfWork, attendance: AttendanceService, first: date, team: str | None, also: Sequence[Policy] = ()
    ) -> Mapping[str, AgentMonth] | None:
        """The people's attendance months ``actor`` sees (None: no ``attendance.view``), computed
        from the facts in ``uow`` once for the department (the scorecards pull the same)."""
        if not actor.can(ATTENDANCE_VIEW):
            return None
        team, employee_no = visible_to(uow, actor, ATTENDANCE_VIEW).narrow(team, None)
        month = attendance.month_summaries(uow, first.year, first.month, also).team_month  # counts, money, flags: no days
        return {
            a.employee_no: a
            for a in month.agents
            if (team is None or a.team == team) and (employee_no is None or a.employee_no == employee_no)
        }


def _scorecards_alike(policy: Policy, other: Policy) -> bool:
    """Whether ``other`` differs from ``policy`` in attendance money only (``MONEY_ONLY``), which
    leaves every scorecard as it was: the same facts make the same M01/S01 events."""
    money = {name: getattr(policy.attendance, name) for name in MONEY_ONLY}
    return replace(other, attendance=replace(other.attendance, **money)) == policy


_Person = tuple[str, str | None, Outcome]  # name, team, outcome


def _people(month: MonthScorecards, lines: Mapping[str, AgentMonth] | None) -> dict[str, _Person]:
    """Employee no → what the month gives each person, in the month's ranking order, then the
    people with an attendance month and no scorecard (a team lead: the money only)."""
    seen = lines or {}
    people: dict[str, _Person] = {}
    for card in month.cards:
        line = seen.get(card.employee_no)
        score = card.card
        deduction = None if lines is None else line.deduction_cny if line else 0
        flags = (*card.flags, *(line.flags if line else ()))
        people[card.employee_no] = (card.name, card.agent.team, Outcome(score.total, score.grade, score.pay_float_cny, deduction, flags))
    for no, line in seen.items():
        if no not in people:
            people[no] = (line.name, line.team, Outcome(None, None, None, line.deduction_cny, line.flags))
    return people


def _sharing(uow: UnitOfWork) -> UowFactory:
    """A factory that hands out the open ``uow`` itself (its owner closes it): the services built
    over it read in one transaction and share its memo."""
    return cast(UowFactory, lambda: nullcontext(uow))


# --- sums -------------------------------------------------------------------------------------


def _sum(values: Iterable[Decimal | int | None]) -> Decimal | None:
    """The sum of the values shown (None when none is)."""
    shown = [Decimal(v) for v in values if v is not None]
    return sum(shown, Decimal(0)) if shown else None


def _money(people: Sequence[AgentChange], field: str) -> Totals:
    return Totals(_sum(getattr(p.before, field) for p in people), _sum(getattr(p.after, field) for p in people))


def _summary(everyone: Sequence[AgentChange]) -> Summary:
    changed = [a for a in everyone if a.changed]
    grades = Counter(
        f"{a.before.grade or NO_GRADE}→{a.after.grade or NO_GRADE}" for a in changed if a.before.grade != a.after.grade
    )
    return Summary(len(changed), dict(sorted(grades.items())), _money(everyone, "deduction_cny"), _money(everyone, "pay_float_cny"))


def _summary_of(months: Sequence[MonthWhatIf]) -> Summary:
    """Several months' summaries as one: people who change in any month, sums over them all."""
    grades: Counter[str] = Counter()
    for m in months:
        grades.update(m.summary.grade_changes)
    changed = {a.employee_no for m in months for a in m.agents}

    def total(field: str) -> Totals:
        sums = [getattr(m.summary, field) for m in months]
        return Totals(_sum(t.before for t in sums), _sum(t.after for t in sums))

    return Summary(len(changed), dict(sorted(grades.items())), total("deduction_cny"), total("pay_float_cny"))


def _totals(months: Sequence[MonthWhatIf]) -> tuple[AgentTotal, ...]:
    """Each person who changes in any month, with their money summed over every month."""
    rows: dict[str, list[AgentChange]] = {}
    changed: dict[str, list[str]] = {}
    for m in months:
        for a in m.everyone:
            rows.setdefault(a.employee_no, []).append(a)
            if a.changed:
                changed.setdefault(a.employee_no, []).append(m.month)
    return tuple(
        AgentTotal(no, rows[no][-1].name, tuple(keys), _money(rows[no], "deduction_cny"), _money(rows[no], "pay_float_cny"))
        for no, keys in changed.items()
    )
