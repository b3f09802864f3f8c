"""Service KPIs and the 360 evaluation (rules.md §6): csdesk.rules.kpi."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.policy.model import KpiScale
from csdesk.rules.kpi import (
    bonus_coefficient,
    evaluation_360,
    kpi_score,
    kpi_tier,
    kpi_weights,
    scale_kpi,
    training_effect,
)

POLICY = load_policy()
D = Decimal


def with_kpi(**changes: object):
    return dataclasses.replace(POLICY, kpi=dataclasses.replace(POLICY.kpi, **changes))


# --- linear scales ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("satisfaction", 80, 0),
        ("satisfaction", 98, 100),
        ("satisfaction", 89, 50),
        ("satisfaction", 79, 0),
        ("satisfaction", 99.5, 100),
        ("satisfaction", 0, 0),
        ("complaint_rate", 5, 0),
        ("complaint_rate", 0, 100),
        ("complaint_rate", 2.5, 50),
        ("complaint_rate", 1, 80),
        ("complaint_rate", 6, 0),
        ("complaint_rate", -1, 100),
        ("response_time", 30, 0),
        ("response_time", 5, 100),
        ("response_time", 17.5, 50),
        ("response_time", 10, 80),
        ("response_time", 45, 0),
        ("response_time", 2, 100),
        ("resolution_rate", 60, 0),
        ("resolution_rate", 95, 100),
        ("resolution_rate", 77.5, 50),
    ],
)
def test_raw_kpi_maps_linearly_from_floor_to_target_and_is_clamped(name, raw, expected):
    assert scale_kpi(name, raw, POLICY) == expected


def test_unknown_kpi_is_refused():
    with pytest.raises(RuleViolation) as exc:
        scale_kpi("smiles", 3, POLICY)
    assert exc.value.field == "smiles"


@pytest.mark.parametrize("raw", ["90", None, float("nan")])
def test_kpi_that_is_not_a_number_is_refused(raw):
    with pytest.raises(RuleViolation):
        scale_kpi("satisfaction", raw, POLICY)  # type: ignore[arg-type]


def test_changed_scale_changes_the_kpi_score():
    policy = with_kpi(scales={**POLICY.kpi.scales, "satisfaction": KpiScale(floor=90.0, target=100.0)})
    assert scale_kpi("satisfaction", 95, policy) == 50


# --- weighted KPI score -------------------------------------------------------------------


def test_front_line_weights_satisfaction_50_complaints_30_response_20():
    result = kpi_score({"satisfaction": 98, "complaint_rate": 2.5, "response_time": 30}, "front_line", POLICY)
    assert result.score == 100 * D("0.5") + 50 * D("0.3") + 0 == 65
    assert result.missing == ()
    assert [(p.name, p.weight, p.effective_weight) for p in result.parts] == [
        ("satisfaction", 50, 50),
        ("complaint_rate", 30, 30),
        ("response_time", 20, 20),
    ]


def test_missing_kpi_drops_out_and_the_other_weights_are_rescaled():
    result = kpi_score(
        {"satisfaction": 98, "complaint_rate": 2.5, "response_time": None}, "front_line", POLICY
    )
    assert result.score == (100 * 50 + 50 * 30) / D(80) == D("81.25")
    assert result.missing == ("response_time",)
    assert {p.name: p.effective_weight for p in result.parts} == {
        "satisfaction": D("62.5"),
        "complaint_rate": D("37.5"),
        "response_time": 0,
    }
    absent = kpi_score({"satisfaction": 98, "complaint_rate": 2.5}, "front_line", POLICY)
    assert absent.score == result.score and absent.missing == ("response_time",)


def test_back_office_uses_response_time_and_resolution_rate():
    result = kpi_score(
        {"satisfaction": 80, "complaint_rate": 5, "response_time": 5, "resolution_rate": 60},
        "back_office",
        POLICY,
    )
    assert result.score == 50
    assert result.missing == ()  # weight-0 KPIs are never missing


def test_back_office_ignores_satisfaction_even_when_given():
    with_sat = kpi_score(
        {"satisfaction": 98, "response_time": 17.5, "resolution_rate": 95}, "back_office", POLICY
    )
    assert with_sat.score == 75


def test_no_weighted_kpi_at_all_is_refused():
    with pytest.raises(RuleViolation):
        kpi_score({"satisfaction": None}, "front_line", POLICY)
    with pytest.raises(RuleViolation):
        kpi_score({"satisfaction": 98}, "back_office", POLICY)


def test_unknown_kpi_name_or_role_is_refused():
    with pytest.raises(RuleViolation):
        kpi_score({"smiles": 3}, "front_line", POLICY)
    with pytest.raises(RuleViolation) as exc:
        kpi_weights("night_shift", POLICY)  # type: ignore[arg-type]
    assert exc.value.field == "role"


def test_changed_weights_change_the_kpi_score():
    policy = with_kpi(front_line_weights={"satisfaction": 100, "complaint_rate": 0, "response_time": 0})
    result = kpi_score({"satisfaction": 89, "complaint_rate": 0, "response_time": 5}, "front_line", policy)
    assert result.score == 50


# --- 360 ----------------------------------------------------------------------------------


def test_360_weights_self_20_supervisor_30_customer_50():
    result = evaluation_360({"self": 100, "supervisor": 80, "customer": 60}, POLICY)
    assert result.score == 20 + 24 + 30 == 74


def test_360_missing_evaluator_is_rescaled():
    result = evaluation_360({"self": None, "supervisor": 80, "customer": 60}, POLICY)
    assert result.score == (80 * 30 + 60 * 50) / D(80) == D("67.5")
    assert result.missing == ("self",)


@pytest.mark.parametrize("score", [-1, 100.01, 101])
def test_360_score_outside_0_to_100_is_refused(score):
    with pytest.raises(RuleViolation) as exc:
        evaluation_360({"self": score, "supervisor": 80, "customer": 60}, POLICY)
    assert exc.value.field == "self"


def test_360_unknown_or_no_evaluator_is_refused():
    with pytest.raises(RuleViolation):
        evaluation_360({"peer": 80}, POLICY)
    with pytest.raises(RuleViolation):
        evaluation_360({}, POLICY)


# --- tiers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "code", "coefficient"),
    [
        (100, "excellent", D("1.5")),
        (90, "excellent", D("1.5")),
        (89.99, "good", D("1.2")),
        (80, "good", D("1.2")),
        (79.99, "qualified", D("1.0")),
        (60, "qualified", D("1.0")),
        (59.99, "unqualified", D("0.8")),
        (0, "unqualified", D("0.8")),
    ],
)
def test_tier_and_bonus_coefficient_follow_the_cut_offs(score, code, coefficient):
    assert kpi_tier(score, POLICY).code == code
    assert bonus_coefficient(score, POLICY) == coefficient


def test_score_below_every_tier_minimum_is_the_lowest_tier():
    tiers = tuple(
        dataclasses.replace(t, min=10.0) if t.code == "unqualified" else t for t in POLICY.kpi.tiers
    )
    assert kpi_tier(5, with_kpi(tiers=tiers)).code == "unqualified"


def test_changed_tier_cut_off_changes_the_tier():
    tiers = tuple(dataclasses.replace(t, min=95.0) if t.code == "excellent" else t for t in POLICY.kpi.tiers)
    assert kpi_tier(90, with_kpi(tiers=tiers)).code == "good"


def test_training_effect_is_the_score_change_after_training():
    assert training_effect(62.5, 71) == D("8.5")
    assert training_effect(80, 75) == -5


# --- properties ---------------------------------------------------------------------------

raws = st.decimals(min_value=-50, max_value=200, places=2)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(POLICY.kpi.scales)), raws, raws)
def test_scaled_kpi_stays_in_0_100_and_moves_towards_the_target(name, a, b):
    scale = POLICY.kpi.scales[name]
    low, high = sorted((a, b))
    s_low, s_high = scale_kpi(name, low, POLICY), scale_kpi(name, high, POLICY)
    assert 0 <= s_low <= 100 and 0 <= s_high <= 100
    if scale.target > scale.floor:
        assert s_low <= s_high
    else:
        assert s_low >= s_high


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(POLICY.kpi.scales)), st.none() | raws, min_size=1))
def test_weighted_kpi_score_stays_in_0_100(raw):
    present = [
        name for name, value in raw.items() if value is not None and POLICY.kpi.front_line_weights.get(name)
    ]
    if not present:
        with pytest.raises(RuleViolation):
            kpi_score(raw, "front_line", POLICY)
        return
    result = kpi_score(raw, "front_line", POLICY)
    assert 0 <= result.score <= 100
    assert sum(p.effective_weight for p in result.parts) == 100
