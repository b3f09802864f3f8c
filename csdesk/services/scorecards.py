"""The scorecards area's use cases (issue #5): ratings, exams, events, the month's scorecards.

Every write checks the permission and the month lock and writes its audit entry in the same
unit of work. Reads load a whole month in a few queries and compute it in memory
(:mod:`csdesk.services.scorecard_compute`); the rules decide every number.

Permissions: ``scorecards.view`` to read (an agent with ``scorecards.view.own`` reads their own
card), ``scorecards.edit`` to record and correct events, ``scorecards.rate`` (the trainer) or
``scorecards.lock`` (the supervisor, who reviews the rating, rules.md §5) to rate, give the
adjustment and enter exam scores, ``scorecards.lock`` to sign a month off and reopen it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from csdesk import gc_tuning
from csdesk.errors import NotFound
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain_scorecards import AgentRecord, EventCorrection, EventRecord, MonthLock
from csdesk.policy import EventCode, Policy
from csdesk.records import maker, record
from csdesk.reports.evaluation_inputs import EvaluationSheet
from csdesk.rules.kpi import SCORE_MAX, kpi_weights
from csdesk.rules.scoring import Number
from csdesk.services import fanout
from csdesk.services.base import UNSEEN, Actor, Clock, Service, Visible, require
from csdesk.services.imports.reader import ImportReport
from csdesk.services.months import MonthService, month_first, month_key
from csdesk.services.scorecard_access import VIEW, find_agent, for_viewer, viewable
from csdesk.services.scorecard_compute import (
    KIND_360,
    KIND_KPI,
    KPI_ROLE,
    AgentScorecard,
    MonthInputs,
    agent_card,
    compute_month,
    history_months,
    load_inputs,
    month_end,
    month_key_of,
    shift_month,
    standings_of,
    with_extra,
    with_kpi,
)
from csdesk.services.scorecard_entries import ScorecardEntries
from csdesk.services.scorecard_explain import AttendanceLine, AttendanceLineSource, Explanation, explain
from csdesk.services.scorecard_imports import Progress, ScorecardImports
from csdesk.services.scorecard_print import PrintResult, ScorecardPrinting
from csdesk.services.scorecard_results import (
    CountedLine,
    counted_lines,
    ranking_order,
    store_cards,
    stored_cards,
    void_lines,
)
from csdesk.services.scorecard_types import KpiInput, KpiInputs

TREND_MONTHS = 12


Mine = TypeVar("Mine")
Theirs = TypeVar("Theirs")

#: Seconds of one agent's card in a month's computation (2,000 cards: about 0.2 s here), by
#: which :meth:`ScorecardService.compared` decides whether a forked child is worth its cost; and
#: of reading one agent's stored facts, by which a forked child of attendance's month takes the
#: larger half while this process reads them (:func:`fanout.meanwhile`). Both in the units of
#: attendance's costs (:data:`csdesk.services.attendance_month.CLASSIFY_SECONDS`).
CARD_SECONDS = 100e-6
FACTS_SECONDS = 40e-6
#: Seconds of reading another area's events of a month beside attendance's forked child (the
#: handover log's penalties: a few, and the first time, the import of their area).
SOURCE_SECONDS = 5e-3


class StoredFacts(fanout.Later[MonthInputs]):
    """:meth:`ScorecardService.stored_facts`: the read, and the first month it reads (its events
    from other areas start there too)."""

    def __init__(self, read: Callable[[], MonthInputs], seconds: float, since: date) -> None:
        super().__init__(read, seconds)
        self.since = since


@record
class MonthScorecards:
    """The month's scorecards in ranking order, and its lock (None while open)."""

    month: str
    lock: MonthLock | None
    cards: tuple[AgentScorecard, ...]


@record
class TrendPoint:
    month: str
    total: Decimal
    grade: str
    complete: bool
    rank: int | None = None  # known for signed-off months


@record
class ExternalEvent:
    """An evaluation event another area keeps (handover penalties): counted, never stored here."""

    employee_no: str
    day: date
    code: str
    points: int
    ref: str  # the record's id in that area
    note: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None


#: ``fetch(uow, start, end, employee_nos)``: the events dated ``start``…``end`` inclusive (of
#: ``employee_nos`` only, when given), read in the caller's unit of work where the area can.
ExternalEventSource = Callable[[UnitOfWork, date, date, Collection[str] | None], Iterable[ExternalEvent]]


class ScorecardService(Service):
    """Ratings, exams, adjustments, evaluation events, scorecards, ranking, explanation, locks.

    A month's scorecards are computed when asked, from the stored facts and the policy (pulled:
    attendance's M01/S01 and the handover log's penalties are read from their areas, never
    copied here). Reads never write. Locking computes the month once more and stores what it
    shows in the same transaction as the lock; a locked month is read back from that.

    Made of parts, each given what it uses: ``months`` (locks), what people enter
    (:class:`ScorecardEntries`, given the events other areas keep), the file imports
    (:class:`ScorecardImports`) and the evaluation sheets (:class:`ScorecardPrinting`, which
    reads the month and the attendance lines through this service's public methods).
    """

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now) -> None:
        super().__init__(uow, policy, clock)
        self.months = MonthService(uow, policy, clock)
        self._imports = ScorecardImports(uow, policy, clock)
        self._entries = ScorecardEntries(uow, policy, clock, external=self._external)
        self._printing = ScorecardPrinting(
            uow, policy, clock, month=self.month, attendance_lines=self.attendance_lines
        )
        self.months.on_lock.append(self._store_month)
        self.months.on_reopen.append(lambda uow, lock, _actor: uow.scorecards.delete_standings(lock.month))
        self._attendance_source: AttendanceLineSource | None = None
        self._attendance_batch: Callable[[Sequence[str], int, int], Mapping[str, AttendanceLine]] | None = None
        self._event_sources: dict[str, ExternalEventSource] = {}

    # --- imports (ScorecardImports) ------------------------------------------------------

    def import_ratings(self, actor: Actor, path: Path, progress: Progress | None = None) -> ImportReport:
        return self._imports.import_ratings(actor, path, progress)

    def import_exams(self, actor: Actor, path: Path, progress: Progress | None = None) -> ImportReport:
        return self._imports.import_exams(actor, path, progress)

    def import_events(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        return self._imports.import_events(actor, path, progress, date_order=date_order)

    # --- evaluation sheets (ScorecardPrinting) ----------------------------------------------

    def evaluation_sheets(
        self, actor: Actor, month: str | date, *, employee_no: str | None = None, team: str | None = None, lang: str | None = None
    ) -> list[EvaluationSheet]:
        return self._printing.evaluation_sheets(actor, month, employee_no=employee_no, team=team, lang=lang)

    def print_evaluation(
        self, actor: Actor, month: str | date, out: Path, *, employee_no: str | None = None, team: str | None = None,
        lang: str | None = None, progress: Progress | None = None,
    ) -> PrintResult:  # fmt: skip
        return self._printing.print_evaluation(actor, month, out, employee_no=employee_no, team=team, lang=lang, progress=progress)

    def print_evaluation_job(
        self, actor: Actor, month: str, out: str, employee_no: str | None, team: str | None, lang: str | None,
        progress: Progress | None = None,
    ) -> PrintResult:  # fmt: skip
        return self._printing.print_evaluation_job(actor, month, out, employee_no, team, lang, progress)

    # --- the attendance hook --------------------------------------------------------------

    def set_attendance_source(
        self, source: AttendanceLineSource | None,
        batch: Callable[[Sequence[str], int, int], Mapping[str, AttendanceLine]] | None = None,
    ) -> None:  # fmt: skip
        """Where the attendance line comes from: ``ctx.attendance.month_line`` (and ``month_lines``
        for a batch of sheets, which computes the month once)."""
        self._attendance_source = source
        self._attendance_batch = batch

    def attendance_lines(self, actor: Actor, employee_nos: Sequence[str], year: int, month: int) -> Mapping[str, AttendanceLine]:
        """The attendance lines of many agents at once (batch printing), of the agents whose
        scorecards ``actor`` sees: the line is part of the card (its M01/S01 come from it)."""
        visible = viewable(self._uow, actor)
        with self._uow() as uow:
            ids = uow.people.ids_by_employee_no()
        employee_nos = [no for no in employee_nos if visible.sees(ids.get(no))]
        if self._attendance_batch is not None:
            return self._attendance_batch(employee_nos, year, month)
        lines = {no: self._attendance_line(no, year, month) for no in employee_nos}
        return {no: line for no, line in lines.items() if line is not None}

    def attendance_line(self, actor: Actor, employee_no: str, year: int, month: int) -> AttendanceLine | None:
        """The agent's attendance summary of the month, when the attendance area provides one."""
        viewable(self._uow, actor, employee_no)
        return self._attendance_line(employee_no, year, month)

    def _attendance_line(self, employee_no: str, year: int, month: int) -> AttendanceLine | None:
        # The caller has checked that the reader sees this agent's card.
        return None if self._attendance_source is None else self._attendance_source(employee_no, year, month)

    def add_event_source(self, name: str, fetch: ExternalEventSource) -> None:
        """Count events another area keeps: attendance's M01/S01, the handover log's M04/M02::

            scorecards.add_event_source("handover", lambda uow, start, end, nos: [
                ExternalEvent(p.person.employee_no, p.day, p.code, p.points, str(p.id), p.reason, p.recorded_by, p.at)
                for p in handover.penalties_between(start, end)])

        They show on the scorecard and the sheet with their source; they are corrected there.
        """
        self._event_sources[name] = fetch

    def _external(self, uow: UnitOfWork, agents: Iterable[AgentRecord], start: date, end: date) -> list[EventRecord]:
        if not self._event_sources:
            return []
        ids = {a.employee_no: a.person_id for a in agents}
        # Each area's events are a job of their own: while the first (attendance's, which works
        # half of the people in a forked child) is computed, the others are read here meanwhile.
        jobs = [
            (name, fanout.Later(partial(fetch, uow, start, end, ids.keys()), SOURCE_SECONDS))
            for name, fetch in self._event_sources.items()
        ]
        with ExitStack() as waiting:
            for _name, job in jobs[1:]:
                waiting.enter_context(fanout.meanwhile(job))
            fetched = [(name, job.result()) for name, job in jobs]
        out = []
        # A month of 2,000 agents pulls some 7,000 events: made without their records' __init__,
        # each day's midnight once.
        event, midnight = maker(EventRecord), cache(partial(datetime.combine, time=time()))
        for name, events in fetched:
            for e in events:
                pid = ids.get(e.employee_no)
                if pid is not None:
                    at = e.recorded_at or midnight(e.day)
                    out.append(event(0, pid, e.day, e.code, e.points, name, e.note, e.recorded_by, at, ref=f"{name}:{e.ref}"))
        return out

    # --- reads --------------------------------------------------------------------------------

    def month(
        self, actor: Actor, month: str | date, *, team: str | None = None, employee_no: str | None = None,
        from_facts: bool = False,
    ) -> MonthScorecards:  # fmt: skip
        """Every agent's card of the month, ranked department-wide; filtered by team or agent.

        An open month is computed from the facts; a locked one is read from what its lock stored,
        or ``from_facts`` computed like an open one: what it would be now (the policy what-if)."""
        visible, team, employee_no, first, key = self._reading(actor, month, team, employee_no)
        with self._uow() as uow:
            lock = uow.months.lock(key)
            if lock is not None and not from_facts and uow.months.has_results(key, lock.revision):
                chosen = stored_cards(uow, lock, team=team, employee_no=employee_no)
            else:
                chosen = _of(self._compute(uow, first).values(), team, employee_no)
                if employee_no is not None:  # one agent's card: the window shows the KPI block too
                    chosen = with_kpi(uow.scorecards, chosen, self.policy)
        return _shown(key, lock, visible, chosen)

    def compared(
        self,
        actor: Actor,
        month: str | date,
        other: ScorecardService,
        mine: Callable[[MonthScorecards], Mine],
        theirs: Callable[[MonthScorecards], Theirs],
        *,
        team: str | None = None,
    ) -> tuple[Mine, Theirs]:
        """``mine`` of the month computed from the facts under this service's policy, and
        ``theirs`` of it under ``other``'s (the policy what-if: the same facts, another policy),
        each as ``month(actor, month, team=team, from_facts=True)`` would give it.

        The facts are read here first (``other`` reads through the same unit of work); then the two
        months are computed side by side where the process allows it (:func:`fanout.halves`): a
        forked child, which reads nothing, computes ``other``'s and sends back only what
        ``theirs`` keeps of it (the cards themselves cost as much to send as to compute)."""
        visible, team, _none, first, key = self._reading(actor, month, team, None)
        with self._uow() as uow:
            lock = uow.months.lock(key)
            mine_inputs, their_inputs = self._inputs(uow, first), other._inputs(uow, first)

        def shown(policy: Policy, inputs: MonthInputs) -> MonthScorecards:
            return _shown(key, lock, visible, _of(compute_month(first, inputs, policy).values(), team, None))

        jobs: list[Callable[[], Any]] = [
            lambda: mine(shown(self.policy, mine_inputs)), lambda: theirs(shown(other.policy, their_inputs)),
        ]  # fmt: skip
        cost = len(mine_inputs.agents) * CARD_SECONDS
        with gc_tuning.bulk_load():
            ours, others = fanout.halves(jobs, lambda chunk: [job() for job in chunk], lambda _job: cost, least=fanout.FORK_WORTH_SECONDS)
        return ours, others

    def _reading(
        self, actor: Actor, month: str | date, team: str | None, employee_no: str | None
    ) -> tuple[Visible, str | None, str | None, date, str]:
        """Whose cards ``actor`` sees (refused if none), the team and agent asked for narrowed to
        them, and the month's first day and key."""
        visible = viewable(self._uow, actor, employee_no, team)
        team, employee_no = visible.narrow(team, employee_no)
        first = month_first(month)
        return visible, team, employee_no, first, month_key_of(first)

    def scorecard(self, actor: Actor, month: str | date, employee_no: str) -> AgentScorecard:
        cards = self.month(actor, month, employee_no=employee_no).cards
        if not cards:
            raise NotFound(
                N_("No scorecard for {no} in {month}"), no=employee_no, month=month_key(month)
            )
        return cards[0]

    def explain(self, actor: Actor, month: str | date, employee_no: str) -> Explanation:
        """Every point and yuan of the agent's month, traced to its rule and record."""
        card = self.scorecard(actor, month, employee_no)
        first = month_first(month)
        return explain(card, self.policy, self._attendance_line(employee_no, first.year, first.month))

    def explain_card(self, actor: Actor, card: AgentScorecard) -> Explanation:
        """``explain`` for a card the caller already holds (a window that has the month loaded)."""
        visible = viewable(self._uow, actor, card.employee_no)
        if card.kpi is None:
            with self._uow() as uow:
                card = with_kpi(uow.scorecards, [card], self.policy)[0]
        first = month_first(card.month)
        return explain(for_viewer(card, visible), self.policy, self._attendance_line(card.employee_no, first.year, first.month))

    def entry_rows(self, actor: Actor, month: str | date, team: str | None = None) -> list[AgentScorecard]:
        """The trainer's grid: each agent's entered values and unranked total (fast, no history)."""
        visible = viewable(self._uow, actor, team=team)
        team, employee_no = visible.narrow(team, None)
        first = month_first(month)
        with self._uow() as uow:
            lock = uow.months.lock(month_key_of(first))
            if lock is not None and uow.months.has_results(lock.month, lock.revision):
                cards = sorted(stored_cards(uow, lock, team=team, employee_no=employee_no), key=lambda c: c.employee_no)
            else:
                repo = uow.scorecards
                agents = [
                    a for a in repo.agents(team=team, employee_no=employee_no) if (a.join_date or first) <= month_end(first)
                ]
                extra = self._external(uow, agents, first, month_end(first))
                inputs = load_inputs(repo, [first], agents, all_agents=team is None and employee_no is None, extra=extra)
                cards = [agent_card(a, first, inputs, self.policy) for a in agents]
        return [for_viewer(c, visible) for c in cards]

    def trend(self, actor: Actor, month: str | date, employee_no: str, months: int = TREND_MONTHS) -> list[TrendPoint]:
        """The agent's totals of the ``months`` months ending with ``month`` (months with nothing
        entered are left out)."""
        visible = viewable(self._uow, actor, employee_no)
        last = month_first(month)
        span = [shift_month(last, -n) for n in range(months - 1, -1, -1)]
        with self._uow() as uow:
            repo = uow.scorecards
            agent = find_agent(repo, employee_no)
            span = [m for m in span if agent.join_date is None or month_end(m) >= agent.join_date]
            signed: dict[str, AgentScorecard] = {}  # the span's locked months, as signed
            wanted = {month_key_of(m) for m in span}
            for lock in uow.months.locks():
                if lock.month in wanted and (cards := stored_cards(uow, lock, employee_no=agent.employee_no)):
                    signed[lock.month] = cards[0]
            open_months = [m for m in span if month_key_of(m) not in signed]
            extra = self._external(uow, [agent], open_months[0], month_end(open_months[-1])) if open_months else []
            inputs = load_inputs(repo, open_months, [agent], all_agents=False, extra=extra)
        points = []
        for first in span:
            key = month_key_of(first)
            full = signed.get(key) or agent_card(agent, first, inputs, self.policy)
            card = full.card
            if not full.has_data or card.total is None:  # not rated: no point on the chart
                continue
            points.append(TrendPoint(key, card.total, card.grade or "", card.complete, card.rank if key in signed else None))
        del visible  # the trend shows totals and grades, no pay
        return points

    def corrections(self, actor: Actor, event_ids: Sequence[int]) -> list[EventCorrection]:
        require(actor, VIEW)
        with self._uow() as uow:
            return uow.scorecards.corrections(event_ids)

    def event_lines(self, actor: Actor, card: AgentScorecard) -> tuple[CountedLine, ...]:
        """Every event line of ``card`` the total counts (recorded, attendance, handover, exam,
        automatic), those the monthly limits refused, and voided records (struck): the same
        lines explain and the printed sheet show."""
        visible = viewable(self._uow, actor, card.employee_no)
        card = for_viewer(card, visible)
        first = month_first(card.month)
        with self._uow() as uow:
            stored = uow.scorecards.events(first, month_end(first), [card.agent.person_id], include_voided=True)
        return (*counted_lines(card), *void_lines(e for e in stored if e.voided))

    def kpi_inputs(self, actor: Actor, month: str | date, employee_no: str) -> KpiInputs:
        """rules.md §6: the agent's raw KPIs and 360 scores of the month as entered (the entry dialog)."""
        viewable(self._uow, actor, employee_no)
        key = month_key_of(month_first(month))
        with self._uow() as uow:
            repo = uow.scorecards
            agent = find_agent(repo, employee_no)
            values = repo.kpi_inputs([key], [agent.person_id]).get((agent.person_id, key), {})
            lock = uow.months.lock(key)
        kpi = self.policy.kpi
        weights = kpi_weights(KPI_ROLE, self.policy)
        return KpiInputs(
            agent.employee_no, agent.name, key,
            tuple(KpiInput(name, values.get((KIND_KPI, name)), weights.get(name, 0)) for name in kpi.scales),
            tuple(KpiInput(name, values.get((KIND_360, name)), weight) for name, weight in kpi.evaluator_weights.items()),
            SCORE_MAX, lock,
        )  # fmt: skip

    def recordable_codes(self) -> list[EventCode]:
        """The event codes a person may enter (automatic ones are set by csdesk)."""
        return [e for e in self.policy.events if not e.automatic]

    def agents(self, actor: Actor, team: str | None = None) -> list[AgentRecord]:
        """The agents ``actor`` sees (of ``team``)."""
        visible = viewable(self._uow, actor, team=team)
        team, employee_no = visible.narrow(team, None)
        with self._uow() as uow:
            agents = uow.scorecards.agents(team=team, employee_no=employee_no)
        return [a if visible.shows_personnel(a.person_id) else replace(a, level=None, join_date=None) for a in agents]

    # --- what people enter (ScorecardEntries) ----------------------------------------------

    def set_rating(
        self, actor: Actor, month: str | date, employee_no: str, criterion: str, value: Number | None,
        *, expected: object = UNSEEN,
    ) -> AgentScorecard:
        return self._entries.set_rating(actor, month, employee_no, criterion, value, expected=expected)

    def set_adjustment(
        self, actor: Actor, month: str | date, employee_no: str, value: Number | None, reason: str = "",
        *, expected: object = UNSEEN,
    ) -> AgentScorecard:
        return self._entries.set_adjustment(actor, month, employee_no, value, reason, expected=expected)

    def set_exam(
        self, actor: Actor, month: str | date, employee_no: str, score: Number | None, *, expected: object = UNSEEN
    ) -> AgentScorecard:
        return self._entries.set_exam(actor, month, employee_no, score, expected=expected)

    def set_kpi_inputs(
        self, actor: Actor, month: str | date, employee_no: str,
        kpis: Mapping[str, Number | None] | None = None, scores_360: Mapping[str, Number | None] | None = None,
    ) -> AgentScorecard:  # fmt: skip
        return self._entries.set_kpi_inputs(actor, month, employee_no, kpis, scores_360)

    def record_event(
        self, actor: Actor, employee_no: str, day: date, code: str, points: Number | None = None, note: str = ""
    ) -> EventRecord:
        return self._entries.record_event(actor, employee_no, day, code, points, note)

    def correct_event(
        self, actor: Actor, event_id: int, reason: str, *,
        day: date | None = None, code: str | None = None, points: Number | None = None, note: str | None = None,
        version: int | None = None,
    ) -> EventRecord:  # fmt: skip
        return self._entries.correct_event(actor, event_id, reason, day=day, code=code, points=points, note=note, version=version)

    def void_event(self, actor: Actor, event_id: int, reason: str, *, version: int | None = None) -> EventRecord:
        return self._entries.void_event(actor, event_id, reason, version=version)

    # --- helpers --------------------------------------------------------------------------------

    def _compute(self, uow: UnitOfWork, first: date, *, kpi: bool = False) -> dict[int, AgentScorecard]:
        """The month's cards from the facts in ``uow``; ``kpi``: with their KPI blocks (a lock's)."""
        with gc_tuning.bulk_load():  # a department's cards and the year behind them: kept while shown
            return compute_month(first, self._inputs(uow, first, kpi=kpi), self.policy)

    def _inputs(self, uow: UnitOfWork, first: date, *, kpi: bool = False) -> MonthInputs:
        """What the month's cards are computed from: the stored facts (read once per unit of work,
        whatever the policy) with the events other areas keep (attendance's under this policy)."""
        facts = self.stored_facts(uow, first, kpi=kpi)
        with gc_tuning.bulk_load():
            # Read while attendance's forked child classifies its half of the people's days,
            # where the other areas' months are computed that way.
            with fanout.meanwhile(facts):
                extra = self._external(uow, self._agents(uow), facts.since, month_end(first))
            return with_extra(facts.result(), extra)

    def stored_facts(self, uow: UnitOfWork, first: date, *, kpi: bool = False) -> StoredFacts:
        """The month's stored facts in ``uow`` (ratings, events, exams, standings… of the month and
        the months its ranking looks back on), as a job read once per unit of work: by its
        ``result()``, or earlier, while another area's month is computed beside it
        (:func:`fanout.meanwhile`: a lock and a what-if compute attendance's month first)."""
        repo = uow.scorecards
        run, promotion = history_months(first, self.policy)
        # Earlier months of the last-place run that were signed off come from their stored
        # standings; only open ones need their ratings and events.
        locked = uow.months.locked_months()
        months = [m for m in run if month_key_of(m) not in locked] + [first]
        key = ("scorecard-facts", tuple(months), tuple(promotion), kpi)
        agents = self._agents(uow)

        def read() -> MonthInputs:
            if key not in uow.memo:  # what is stored does not depend on the policy: a what-if reads it once
                with gc_tuning.bulk_load():
                    uow.memo[key] = load_inputs(repo, months, agents, standing_months=[*promotion], with_kpi=kpi)
            stored: MonthInputs = uow.memo[key]  # type: ignore[assignment]
            return stored

        return StoredFacts(read, 0.0 if key in uow.memo else len(agents) * FACTS_SECONDS, months[0])

    @staticmethod
    def _agents(uow: UnitOfWork) -> list[AgentRecord]:
        if "scorecard-agents" not in uow.memo:
            uow.memo["scorecard-agents"] = uow.scorecards.agents()
        agents: list[AgentRecord] = uow.memo["scorecard-agents"]  # type: ignore[assignment]
        return agents

    def _store_month(self, uow: UnitOfWork, lock: MonthLock, _actor: Actor) -> dict[str, Any]:
        """In the lock's transaction: compute the month and store what it will show from now on."""
        first = month_first(lock.month)
        cards = self._compute(uow, first, kpi=True)  # each card computed with its KPI block
        repo = uow.scorecards
        full = list(cards.values())
        repo.replace_standings(lock.month, standings_of(cards))
        store_cards(uow, lock, full)
        unrated = sorted(c.employee_no for c in full if not c.card.is_rated)
        return {"agents": len(full), "not_rated": unrated}


def _of(cards: Iterable[AgentScorecard], team: str | None, employee_no: str | None) -> list[AgentScorecard]:
    """The cards of one team or agent (None: any)."""
    return [c for c in cards if (team is None or c.agent.team == team) and (employee_no is None or c.employee_no == employee_no)]


def _shown(key: str, lock: MonthLock | None, visible: Visible, chosen: list[AgentScorecard]) -> MonthScorecards:
    """The month as its reader sees it: in ranking order, each card as they may see it."""
    chosen.sort(key=ranking_order)
    return MonthScorecards(key, lock, tuple(for_viewer(c, visible) for c in chosen))

