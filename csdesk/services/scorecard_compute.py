"""A month's scorecards: load every input in a few queries, compute in memory with the rules.

The rules (:mod:`csdesk.rules.scoring`, ``kpi``, ``promotion``) decide everything; this module
only gathers their inputs and joins the results with who entered what. Choices where the spec
is silent:

* the ranking is department-wide (every active agent of the month); the team rank is extra;
* an agent is ranked from the month of joining on; an unknown join date counts as long-serving;
* "after training" (last-place warning) means above the first level of the ladder (trainee);
* history for promotion and the last-place warning is the standings stored when a month was
  signed off (locked); an earlier month that is not locked is computed live for the last-place
  run only;
* the ladder (§8) looks at the signed-off months of the last year and counts only the months
  since the current level started (see :func:`csdesk.rules.promotion.ladder_step`); demotion is
  judged only when that start is recorded in the level history;
* "excellent agent of the month" (promotion to senior/reserve) is an accepted B01 event;
* KPIs use the front-line weight set (people carry no back-office marker yet).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from csdesk.errors import CsdeskError, RuleViolation
from csdesk.models.domain_scorecards import AgentRecord, Entered, EventRecord, StoredStanding
from csdesk.models.repo_scorecards import Key, ScorecardRepository
from csdesk.policy import Policy
from csdesk.records import evolved, maker, record
from csdesk.rules import kpi as kpi_rules
from csdesk.rules.kpi import KpiRole, WeightedScore
from csdesk.rules.promotion import (
    NO_STANDING,
    LadderInput,
    LadderResult,
    is_excellent,
    ladder_step,
)
from csdesk.rules.scoring import (
    MONTHS_PER_YEAR,
    EventInput,
    Scorecard,
    ScorecardInput,
    Standing,
    compute_scorecard,
    rank,
    rank_month,
    validate_adjustment,
    validate_event_points,
    validate_exam,
    validate_rating,
)

KPI_ROLE: KpiRole = "front_line"  # (chosen) people carry no back-office marker yet
KIND_KPI = "kpi"
KIND_360 = "360"
LONG_AGO = date(1900, 1, 1)  # the join date assumed when none is recorded


@record
class KpiBlock:
    """Raw KPIs and 360 scores of the month with their weighted results (rules.md §6)."""

    raw: Mapping[str, Decimal]
    kpi: WeightedScore | None
    tier: str | None
    coefficient: Decimal | None
    scores_360: Mapping[str, Decimal]
    evaluation_360: WeightedScore | None


@record
class AgentScorecard:
    """One agent's month: the rules' scorecard plus who entered what (a DTO for windows, CLI, PDF)."""

    agent: AgentRecord
    month: str
    card: Scorecard
    ratings: Mapping[str, Entered]
    adjustment: Entered | None
    exam: Entered | None
    events: tuple[EventRecord, ...]
    flags: tuple[str, ...]
    team_rank: int | None = None
    kpi: KpiBlock | None = None
    problems: tuple[CsdeskError, ...] = ()
    locked: bool = False
    demotion_reasons: tuple[str, ...] = ()  # rules.md §8 condition codes behind DEMOTION_WARNING
    level_since: date | None = None  # when the current level started (None: not recorded)

    @property
    def employee_no(self) -> str:
        return self.agent.employee_no

    @property
    def name(self) -> str:
        return self.agent.name

    @property
    def rank(self) -> int | None:
        return self.card.rank

    @property
    def has_data(self) -> bool:
        """Anything entered for the month at all (a rating, an exam, an adjustment or an event)."""
        return bool(self.ratings or self.events or self.exam or self.adjustment)


@dataclass
class MonthInputs:
    """Everything loaded for one or more months (keys are (person_id, "YYYY-MM"))."""

    agents: list[AgentRecord]
    ratings: dict[Key, dict[str, Entered]]
    adjustments: dict[Key, Entered]
    exams: dict[Key, Entered]
    events: dict[Key, list[EventRecord]]
    kpi: dict[Key, dict[tuple[str, str], Decimal]] = field(default_factory=dict)
    standings: dict[Key, StoredStanding] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    level_since: dict[int, date] = field(default_factory=dict)  # current level's start, by the last month's end


def month_key_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def shift_month(first: date, months: int) -> date:
    index = first.year * MONTHS_PER_YEAR + first.month - 1 + months
    return date(index // MONTHS_PER_YEAR, index % MONTHS_PER_YEAR + 1, 1)


def load_inputs(
    repo: ScorecardRepository,
    months: Sequence[date],
    agents: list[AgentRecord],
    *,
    all_agents: bool = True,
    standing_months: Sequence[date] = (),
    with_kpi: bool = False,
    extra: Iterable[EventRecord] = (),
) -> MonthInputs:
    """One query per kind for ``months`` (first days); ``all_agents`` skips the person filter.

    KPI inputs are loaded only ``with_kpi`` (the scorecard window), not for rankings and sheets.
    The level starts are loaded with the standings (``standing_months``): both feed the ladder of
    the latest month, so the starts are those as of its end.
    ``extra`` adds events other areas keep (see ScorecardService.add_event_source)."""
    keys = [month_key_of(m) for m in months]
    pids = None if all_agents else {a.person_id for a in agents}
    events: dict[Key, list[EventRecord]] = {}
    if months:
        for event in [*repo.events(min(months), month_end(max(months)), pids), *extra]:
            events.setdefault((event.person_id, month_key_of(event.day)), []).append(event)
    standing_keys = [month_key_of(m) for m in standing_months]
    locked = frozenset(lock.month for lock in repo.locks())
    return MonthInputs(
        agents=agents,
        ratings=repo.ratings(keys, pids),
        adjustments=repo.adjustments(keys, pids),
        exams=repo.exams(keys, pids),
        events=events,
        kpi=repo.kpi_inputs(keys, pids) if with_kpi else {},
        standings=repo.standings(standing_keys, pids) if standing_keys else {},
        locked=locked,
        level_since=repo.level_starts(month_end(max(months)), pids) if standing_keys and months else {},
    )


def with_extra(inputs: MonthInputs, extra: Iterable[EventRecord]) -> MonthInputs:
    """``inputs`` with the events other areas keep added (a copy: ``inputs`` is left as it is, so
    the stored facts of a unit of work serve a second policy's events too)."""
    added: dict[Key, list[EventRecord]] = {}
    months: dict[date, str] = {}  # a month's 7,000 events fall on some 30 days
    for event in extra:
        month = months.get(event.day)
        if month is None:
            month = months[event.day] = month_key_of(event.day)
        added.setdefault((event.person_id, month), []).append(event)
    events = dict(inputs.events)
    for key, more in added.items():
        events[key] = [*events.get(key, ()), *more]
    return replace(inputs, events=events)


# --- one agent -----------------------------------------------------------------------------


def _checked_input(
    agent: AgentRecord, first: date, inputs: MonthInputs, policy: Policy
) -> tuple[ScorecardInput, tuple[CsdeskError, ...]]:
    """The rules' input, with stored values the policy no longer accepts left out and reported."""
    key = (agent.person_id, month_key_of(first))
    problems: list[CsdeskError] = []
    entered = inputs.ratings.get(key, {})
    ratings: dict[str, Decimal | None] = {}
    for criterion in policy.scoring.criteria:
        value = entered.get(criterion.code)
        try:
            ratings[criterion.code] = None if value is None else validate_rating(criterion.code, value.value, policy)
        except RuleViolation as exc:
            problems.append(exc)
            ratings[criterion.code] = None
    events: list[EventInput] = []
    event_input = maker(EventInput)  # a month's 9,000 made without __init__
    for event in inputs.events.get(key, ()):
        try:
            points = validate_event_points(event.code, event.points, policy)
        except RuleViolation as exc:
            problems.append(exc)
            continue
        # A stored event is "manual:<id>"; one another area keeps is its reference, "attendance:…" or "handover:<id>".
        source, _sep, ident = event.ref.partition(":") if event.ref else ("manual", "", event.id)
        events.append(event_input(event.code, points, event.day, source, ident))
    adjustment, reason = Decimal(0), ""
    stored = inputs.adjustments.get(key)
    if stored is not None:
        try:
            adjustment, reason = validate_adjustment(stored.value, stored.reason, policy), stored.reason
        except RuleViolation as exc:
            problems.append(exc)
    exam = inputs.exams.get(key)
    score: Decimal | None = None
    if exam is not None:
        try:
            score = validate_exam(exam.value, policy)
        except RuleViolation as exc:
            problems.append(exc)
    inp = maker(ScorecardInput)(first, agent.join_date or LONG_AGO, ratings, tuple(events), adjustment, reason, score)
    return inp, tuple(problems)


def agent_card(agent: AgentRecord, first: date, inputs: MonthInputs, policy: Policy) -> AgentScorecard:
    """One agent's month without ranking (the entry grid's preview, the trend chart)."""
    inp, problems = _checked_input(agent, first, inputs, policy)
    card = compute_scorecard(inp, policy)
    key = (agent.person_id, month_key_of(first))
    return maker(AgentScorecard)(
        agent=agent,
        month=key[1],
        card=card,
        ratings=inputs.ratings.get(key, {}),
        adjustment=inputs.adjustments.get(key),
        exam=inputs.exams.get(key),
        events=tuple(inputs.events.get(key, ())),
        flags=card.flags,
        kpi=kpi_block(inputs.kpi.get(key, {}), policy),
        problems=problems,
        locked=key[1] in inputs.locked,
    )


def kpi_block(values: Mapping[tuple[str, str], Decimal], policy: Policy) -> KpiBlock | None:
    """rules.md §6 for the stored inputs; None when nothing was entered."""
    if not values:
        return None
    raw = {name: v for (kind, name), v in values.items() if kind == KIND_KPI}
    scores = {name: v for (kind, name), v in values.items() if kind == KIND_360}
    weighted = tier = coefficient = None
    if raw and any(kpi_rules.kpi_weights(KPI_ROLE, policy).get(name) for name in raw):
        weighted = kpi_rules.kpi_score(raw, KPI_ROLE, policy)
        found = kpi_rules.kpi_tier(weighted.score, policy)
        tier, coefficient = found.code, kpi_rules.bonus_coefficient(weighted.score, policy)
    evaluation = kpi_rules.evaluation_360(scores, policy) if scores else None
    return KpiBlock(raw, weighted, tier, coefficient, scores, evaluation)


# --- the whole month ---------------------------------------------------------------------------


def with_kpi(repo: ScorecardRepository, cards: Sequence[AgentScorecard], policy: Policy) -> list[AgentScorecard]:
    """``cards`` with their KPI block (one query for all of them)."""
    if not cards:
        return []
    values = repo.kpi_inputs(sorted({c.month for c in cards}), [c.agent.person_id for c in cards])
    return [replace(c, kpi=kpi_block(values.get((c.agent.person_id, c.month), {}), policy)) for c in cards]


def eligible(agents: Iterable[AgentRecord], first: date) -> list[AgentRecord]:
    """Agents already in service in the month of ``first``."""
    last = month_end(first)
    return [a for a in agents if (a.join_date or LONG_AGO) <= last]


def _training(agents: Iterable[AgentRecord], policy: Policy) -> set[int]:
    first_level = policy.level_codes[0]
    return {a.person_id for a in agents if (a.level or first_level) == first_level}


def _month_standings(agents: list[AgentRecord], first: date, inputs: MonthInputs, policy: Policy) -> dict[int, Standing]:
    """The standings of an earlier month: stored when it was signed off, else computed now from
    the complete cards only (a month nobody rated ranks nobody)."""
    key = month_key_of(first)
    stored = {pid: s for (pid, month), s in inputs.standings.items() if month == key}
    if key in inputs.locked and stored:
        return {pid: Standing(first, s.total, s.rank, s.last_place) for pid, s in stored.items() if s.complete}
    computed = (agent_card(a, first, inputs, policy).card for a in eligible(agents, first))
    cards = {pid: card for pid, card in zip((a.person_id for a in eligible(agents, first)), computed, strict=True) if card.complete}
    ranked = rank_month(cards, {}, policy)
    return {pid: Standing.of(card) for pid, card in ranked.items()}


def history_months(first: date, policy: Policy) -> tuple[list[date], list[date]]:
    """(earlier months the last-place run needs, months of stored standings for promotion)."""
    run = [shift_month(first, -n) for n in range(policy.scoring.last_place_months - 1, 0, -1)]
    promotion = [shift_month(first, -n) for n in range(MONTHS_PER_YEAR, 0, -1)]
    return run, promotion


def compute_month(
    first: date, inputs: MonthInputs, policy: Policy, *, with_history: bool = True
) -> dict[int, AgentScorecard]:
    """rules.md §5–§8 for every eligible agent: scorecards, department ranking, team ranks, flags."""
    agents = eligible(inputs.agents, first)
    cards = {a.person_id: agent_card(a, first, inputs, policy) for a in agents}
    history: dict[int, list[Standing]] = {}
    if with_history:
        for earlier in history_months(first, policy)[0]:
            for pid, standing in _month_standings(inputs.agents, earlier, inputs, policy).items():
                history.setdefault(pid, []).append(standing)
    ranked = rank_month({pid: c.card for pid, c in cards.items()}, history, policy, in_training=_training(agents, policy))
    by_team: dict[str | None, dict[int, Decimal]] = {}
    for a in agents:
        total = ranked[a.person_id].total
        if total is not None:  # not rated: no place in the team either
            by_team.setdefault(a.team, {})[a.person_id] = total
    team_ranks: dict[int, int] = {}
    for totals in by_team.values():
        team_ranks.update(rank(totals))
    result: dict[int, AgentScorecard] = {}
    ladder = _Ladder(first, policy)
    for a in agents:
        card = ranked[a.person_id]
        step = ladder.assess(a, card, inputs) if with_history else LadderResult()
        result[a.person_id] = evolved(
            cards[a.person_id], card=card, flags=(*card.flags, *step.flags), team_rank=team_ranks.get(a.person_id),
            demotion_reasons=step.demotion_reasons, level_since=step.level_since,
        )  # fmt: skip
    return result


class _Ladder:
    """Gathers the ladder's plain inputs (rules.md §8, :func:`csdesk.rules.promotion.ladder_step`):
    the standings signed off in the year before the month (the calendar work done once per month,
    not once per agent) and the recorded start of each agent's level."""

    def __init__(self, first: date, policy: Policy) -> None:
        self.first, self.policy = first, policy
        self.keys = [month_key_of(m) for m in history_months(first, policy)[1]]

    def assess(self, agent: AgentRecord, card: Scorecard, inputs: MonthInputs) -> LadderResult:
        stored, pid = inputs.standings.get, agent.person_id
        inp = maker(LadderInput)(
            level=agent.level,
            join_date=agent.join_date or LONG_AGO,
            level_since=inputs.level_since.get(pid),
            month=self.first,
            past=tuple([stored((pid, key), NO_STANDING) for key in self.keys]),  # the stored standings as they are
            total=card.total,
            rank=card.rank,
            excellent=is_excellent(card),
        )
        return ladder_step(inp, self.policy)


def standings_of(cards: Mapping[int, AgentScorecard]) -> list[StoredStanding]:
    """What a signed-off month leaves for next months' history."""
    return [
        StoredStanding(
            pid, c.month, c.card.total, c.card.grade or "", c.card.rank or 0, c.card.last_place, c.card.complete, is_excellent(c.card)
        )
        for pid, c in cards.items()
        if c.card.total is not None  # a month nobody rated leaves no standing behind
    ]
