"""Service KPIs and the 360 evaluation (rules.md §6): linear scales, weighted scores, tiers.

All arithmetic is exact Decimal, as in :mod:`csdesk.rules.scoring`; results are not rounded
(the UI rounds for display). Missing inputs (None or absent) drop out and the weights of the
inputs present are rescaled to 100 %; when nothing is present the rule refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from csdesk.errors import RuleViolation
from csdesk.policy import Policy
from csdesk.policy.model import KpiTier
from csdesk.records import record
from csdesk.rules.scoring import N_, Number, to_decimal

KpiRole = Literal["front_line", "back_office"]
EVALUATORS = ("self", "supervisor", "customer")
SCORE_MAX = Decimal(100)  # every KPI and evaluator score is on a 0–100 scale (rules.md §6)
_ZERO = Decimal(0)


@record
class WeightedPart:
    """One input of a weighted score: its raw value, 0–100 score and weights (policy and effective %)."""

    name: str
    raw: Decimal | None
    score: Decimal | None
    weight: int
    effective_weight: Decimal  # after rescaling over the inputs present; 0 when missing


@record
class WeightedScore:
    """A weighted 0–100 score with its parts; ``missing`` names the weighted inputs that were absent."""

    score: Decimal
    parts: tuple[WeightedPart, ...]
    missing: tuple[str, ...]


def _num(value: float) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def scale_kpi(name: str, raw: Number, policy: Policy) -> Decimal:
    """rules.md §6: a raw KPI maps linearly to 0–100 between its floor (0) and target (100), clamped.

    Works for descending scales too: complaints 5 → 0 … 0 → 100; response 30 s → 0 … 5 s → 100.
    """
    scale = policy.kpi.scales.get(name)
    if scale is None:
        raise RuleViolation(N_("Unknown KPI {kpi}"), field=name, kpi=name)
    value = to_decimal(raw, name)
    floor, target = _num(scale.floor), _num(scale.target)
    scaled = (value - floor) / (target - floor) * SCORE_MAX
    return max(_ZERO, min(SCORE_MAX, scaled))


def kpi_weights(role: KpiRole, policy: Policy) -> Mapping[str, int]:
    """rules.md §6: front-line agents use the front-line weight set, back-office staff the second set."""
    if role == "front_line":
        return policy.kpi.front_line_weights
    if role == "back_office":
        return policy.kpi.back_office_weights
    raise RuleViolation(N_("Unknown KPI role {role}"), field="role", role=role)


def _weighted(
    items: Mapping[str, tuple[Decimal | None, Decimal | None]], weights: Mapping[str, int], what: str
) -> WeightedScore:
    present = sum((w for name, w in weights.items() if w and items[name][1] is not None), 0)
    if not present:
        raise RuleViolation(N_("There is no {what} input to score"), field=what, what=what)
    parts: list[WeightedPart] = []
    total = _ZERO
    for name, weight in weights.items():
        raw, score = items[name]
        effective = _ZERO if score is None or not weight else Decimal(weight) * SCORE_MAX / present
        if score is not None:
            total += score * weight
        parts.append(WeightedPart(name, raw, score, weight, effective))
    missing = tuple(name for name, w in weights.items() if w and items[name][1] is None)
    return WeightedScore(total / present, tuple(parts), missing)


def kpi_score(raw: Mapping[str, Number | None], role: KpiRole, policy: Policy) -> WeightedScore:
    """rules.md §6: the weighted KPI score (front line: satisfaction 50 %, complaints 30 %, response 20 %).

    ``raw`` maps KPI name → raw value (None or absent: not measured). KPIs with weight 0 in the
    role's set are ignored; missing weighted KPIs drop out and the others are rescaled.
    """
    weights = kpi_weights(role, policy)
    for name in raw:
        if name not in policy.kpi.scales:
            raise RuleViolation(N_("Unknown KPI {kpi}"), field=name, kpi=name)
    items: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    for name in weights:
        value = raw.get(name)
        if value is None:
            items[name] = (None, None)
        else:
            items[name] = (to_decimal(value, name), scale_kpi(name, value, policy))
    return _weighted(items, weights, "KPI")


def evaluation_360(scores: Mapping[str, Number | None], policy: Policy) -> WeightedScore:
    """rules.md §6: the 360 result weights self 20 %, supervisor 30 %, customer 50 % (each score 0–100).

    A missing evaluator (None or absent) drops out and the others are rescaled.
    """
    weights = policy.kpi.evaluator_weights
    items: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    for name in scores:
        if name not in weights:
            raise RuleViolation(N_("Unknown evaluator {evaluator}"), field=name, evaluator=name)
    for name in weights:
        value = scores.get(name)
        if value is None:
            items[name] = (None, None)
            continue
        number = to_decimal(value, name)
        if not _ZERO <= number <= SCORE_MAX:
            msgid = N_("The score of {evaluator} must be between 0 and {max}, not {value}")
            raise RuleViolation(msgid, field=name, evaluator=name, max=SCORE_MAX, value=number)
        items[name] = (number, number)
    return _weighted(items, weights, "360")


def kpi_tier(score: Number, policy: Policy) -> KpiTier:
    """rules.md §6: excellent ≥ 90 ×1.5, good ≥ 80 ×1.2, qualified ≥ 60 ×1.0, else unqualified ×0.8.

    The first tier (highest first) whose minimum the score reaches; below every minimum, the lowest tier.
    """
    value = to_decimal(score, "score")
    tiers = policy.kpi.tiers
    for tier in tiers:
        if value >= _num(tier.min):
            return tier
    return tiers[-1]


def bonus_coefficient(score: Number, policy: Policy) -> Decimal:
    """rules.md §6: the bonus coefficient of the score's tier, as an exact Decimal."""
    return _num(kpi_tier(score, policy).coefficient)


def training_effect(before: Number, after: Number) -> Decimal:
    """rules.md §6: the training effect is the score change after the training (after − before)."""
    return to_decimal(after, "after") - to_decimal(before, "before")
