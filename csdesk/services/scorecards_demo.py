"""Demo scorecards: ratings, exams, adjustments, events and KPIs for the demo department.

Called from ``DemoService.build`` inside its unit of work, after the people and their level
history (and, when the attendance demo runs, after it: past months are signed off here, and a
locked month refuses attendance-generated events).

``signed_off`` months before the demo months are rated and signed off too: the promotion ladder
(rules.md §8) reads its history from signed-off months. One agent who reached the first
promoted level before that history starts rates low in it, so the current month shows at least
one demotion warning; agents promoted since then have too short a history to be warned.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from csdesk.models.db import UnitOfWork
from csdesk.models.domain_scorecards import AgentRecord
from csdesk.models.repo_scorecards import ScorecardRepository
from csdesk.policy import Policy
from csdesk.services.scorecard_compute import (
    KIND_360,
    KIND_KPI,
    eligible,
    month_end,
    month_key_of,
    shift_month,
)

# (code, weight) of the events a month typically holds; the recorder picks the points. No M01 or
# S01: the attendance area generates those from the punches.
_EVENTS = [
    ("M02", 4), ("M07", 4), ("M08", 5), ("M11", 4), ("M13", 3), ("M04", 2),
    ("B03", 5), ("B04", 4), ("B06", 1), ("B01", 2), ("B05", 3), ("D06", 1), ("S02", 1),
]  # fmt: skip
_NOTES = [
    "", "", "客户投诉后及时回访", "交接记录不完整", "Llegó 10 min tarde", "周末主动顶班",
    "Error al registrar el pedido", "抽查发现话术不规范", "Ayudó con la formación de nuevos", "",
]  # fmt: skip
_REASONS = ["主动承担新人带教", "Actitud excelente con clientes difíciles", "多次提醒仍未改进", "Propuso mejora del guion"]
_RECORDERS = ("lead1", "supervisor", "trainer")
RATED_SHARE_THIS_MONTH = 0.8  # the current month is still being rated
SKILL_RANGE = (-0.1, 0.06)  # how far an agent rates below or above the usual


def _half(rng: random.Random, mean: float, spread: float, top: int) -> Decimal:
    value = max(top * 0.4, min(top, rng.gauss(mean, spread)))
    return Decimal(round(value * 2)) / 2


def build_demo(
    uow: UnitOfWork, policy: Policy, rng: random.Random, people_ids: dict[str, int], today: date,
    months: int = 3, lock_past: bool = True, signed_off: int = 0,
) -> list[str]:  # fmt: skip
    """Fill ``months`` months up to ``today``'s. Returns the months to sign off once this is
    committed (``MonthService.lock_month``, oldest first): those before the current one (with
    ``lock_past``) and the ``signed_off`` months before those."""
    repo = uow.scorecards
    agents = [a for a in repo.agents() if a.employee_no in people_ids]
    current = today.replace(day=1)
    history = [shift_month(current, -n) for n in range(months + signed_off - 1, months - 1, -1)]
    span = [*history, *(shift_month(current, -n) for n in range(months - 1, -1, -1))]
    skill = {a.person_id: rng.uniform(*SKILL_RANGE) for a in agents}
    if history:
        for pid in _at_risk(repo, agents, policy, history[0])[:1]:
            skill[pid] = SKILL_RANGE[0]
    codes = {e.code: e for e in policy.events}
    stamp = datetime.combine(today, time(9, 0))
    ratings: list[dict[str, object]] = []
    exams: list[dict[str, object]] = []
    adjustments: list[dict[str, object]] = []
    kpis: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    for first in span:
        key = month_key_of(first)
        last_day = min(month_end(first), today)
        for agent in eligible(agents, first):
            if first == current and rng.random() > RATED_SHARE_THIS_MONTH:
                continue
            pid, level = agent.person_id, skill[agent.person_id]
            who = {"person_id": pid, "month": key, "updated_at": stamp, "updated_by": "trainer"}
            for criterion in policy.scoring.criteria:
                value = _half(rng, criterion.max * (0.96 + level), criterion.max * 0.05, criterion.max)
                ratings.append({**who, "criterion": criterion.code, "value": str(value)})
            exams.append({**who, "score": str(min(100, max(40, round(rng.gauss(82 + level * 60, 10)))))})
            if rng.random() < 0.1:
                points = rng.choice([-3, -2, -1, 1, 2, 3, 5])
                adjustments.append({**who, "points": str(points), "reason": rng.choice(_REASONS)})
            kpis += [
                {"person_id": pid, "month": key, "kind": KIND_KPI, "name": "satisfaction", "value": str(round(rng.uniform(85, 99), 1))},
                {"person_id": pid, "month": key, "kind": KIND_KPI, "name": "complaint_rate", "value": str(round(rng.uniform(0, 4), 1))},
                {"person_id": pid, "month": key, "kind": KIND_KPI, "name": "response_time", "value": str(round(rng.uniform(6, 25), 1))},
            ]
            kpis += [
                {"person_id": pid, "month": key, "kind": KIND_360, "name": name, "value": str(rng.randint(65, 98))}
                for name in policy.kpi.evaluator_weights
            ]
            used: set[str] = set()
            for _n in range(rng.choice([0, 0, 0, 1, 1, 1, 2, 2, 3])):
                code = rng.choices([c for c, _w in _EVENTS], [w for _c, w in _EVENTS])[0]
                event = codes.get(code)
                if event is None or event.automatic or (event.per_month and code in used):
                    continue
                used.add(code)
                day = first + timedelta(days=rng.randint(0, (last_day - first).days))
                events.append({
                    "person_id": pid, "day": day, "code": code,
                    "points": rng.randint(min(event.points_min, event.points_max), max(event.points_min, event.points_max)),
                    "source": "manual", "note": rng.choice(_NOTES), "recorded_by": rng.choice(_RECORDERS),
                    "recorded_at": datetime.combine(day, time(17, 30)),
                })  # fmt: skip
    repo.insert_many("ratings", ratings)
    repo.insert_many("exams", exams)
    repo.insert_many("adjustments", adjustments)
    repo.insert_many("kpi", kpis)
    repo.add_events(events)
    uow.flush()
    return [month_key_of(first) for first in (span[:-1] if lock_past else history)]


def _at_risk(repo: ScorecardRepository, agents: list[AgentRecord], policy: Policy, first: date) -> list[int]:
    """Agents at the first promoted level (demoted on consecutive months, rules.md §8) since before ``first``."""
    level = next((code for code in policy.level_codes if any(step.to == code for step in policy.promotion)), None)
    started = repo.level_starts(first, [a.person_id for a in agents])
    return [a.person_id for a in agents if a.level == level and a.person_id in started]
