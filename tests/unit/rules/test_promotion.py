"""The promotion ladder and demotion warnings (rules.md §8): csdesk.rules.promotion."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.rules.promotion import (
    LevelHistory,
    demotion_flags,
    demotion_reasons,
    next_level,
    promotion_check,
    promotion_eligibility,
    promotion_flags,
    whole_months_in_company,
)

POLICY = load_policy()
H = LevelHistory


def with_step(to: str, **changes: object):
    steps = tuple(dataclasses.replace(s, **changes) if s.to == to else s for s in POLICY.promotion)
    return dataclasses.replace(POLICY, promotion=steps)


# --- the ladder ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("trainee", "junior"),
        ("junior", "intermediate"),
        ("intermediate", "senior"),
        ("senior", "reserve"),
        ("reserve", None),
    ],
)
def test_next_level_follows_the_ladder(level, expected):
    assert next_level(level, POLICY) == expected


def test_unknown_level_is_refused():
    with pytest.raises(RuleViolation) as exc:
        promotion_eligibility(H(), "captain", POLICY, 30)
    assert exc.value.field == "level"


# --- trainee → junior ---------------------------------------------------------------------


def test_passed_probation_assessment_promotes_a_trainee_to_junior():
    assert promotion_eligibility(H(probation_passed=True), "trainee", POLICY, 0) == "junior"


def test_trainee_without_passed_probation_is_not_promoted_whatever_the_results():
    history = H(monthly_ranks=(1, 1, 1), quarterly_grades=("A", "A", "A"), excellent_agent_times=5)
    assert promotion_eligibility(history, "trainee", POLICY, 24) is None
    assert promotion_check(history, "trainee", POLICY, 24).unmet == ("PROBATION_PASSED",)


# --- junior → intermediate ----------------------------------------------------------------

INTERMEDIATE_OK = H(monthly_ranks=(1, 3, 5), quarterly_grades=("B", "A"))


def test_junior_meeting_every_condition_is_eligible_for_intermediate():
    assert promotion_eligibility(INTERMEDIATE_OK, "junior", POLICY, 3) == "intermediate"
    assert promotion_flags(INTERMEDIATE_OK, "junior", POLICY, 3) == ("PROMOTION_ELIGIBLE:intermediate",)


@pytest.mark.parametrize(
    ("history", "months", "unmet"),
    [
        (dataclasses.replace(INTERMEDIATE_OK, monthly_ranks=(1, 3, 6)), 3, ("AVG_RANK",)),  # average 3.33
        (dataclasses.replace(INTERMEDIATE_OK, monthly_ranks=()), 3, ("AVG_RANK",)),
        (dataclasses.replace(INTERMEDIATE_OK, quarterly_grades=("B", "B")), 3, ("QUARTERLY_A",)),
        (dataclasses.replace(INTERMEDIATE_OK, quarterly_grades=()), 3, ("QUARTERLY_A",)),
        (INTERMEDIATE_OK, 2, ("MONTHS_IN_COMPANY",)),
    ],
)
def test_junior_missing_one_condition_is_not_eligible(history, months, unmet):
    assert promotion_eligibility(history, "junior", POLICY, months) is None
    assert promotion_flags(history, "junior", POLICY, months) == ()
    assert promotion_check(history, "junior", POLICY, months).unmet == unmet


# --- intermediate → senior ----------------------------------------------------------------

SENIOR_OK = H(monthly_ranks=(2, 1, 4, 2, 3, 3), quarterly_grades=("B", "A", "A"), excellent_agent_times=1)


def test_intermediate_meeting_every_condition_is_eligible_for_senior():
    assert promotion_eligibility(SENIOR_OK, "intermediate", POLICY, 6) == "senior"


@pytest.mark.parametrize(
    ("history", "months", "unmet"),
    [
        (
            dataclasses.replace(SENIOR_OK, quarterly_grades=("A", "B", "A")),
            6,
            ("QUARTERLY_A",),
        ),  # not consecutive
        (dataclasses.replace(SENIOR_OK, excellent_agent_times=0), 6, ("EXCELLENT_AGENT",)),
        (dataclasses.replace(SENIOR_OK, monthly_ranks=(4, 4, 4)), 6, ("AVG_RANK",)),
        (SENIOR_OK, 5, ("MONTHS_IN_COMPANY",)),
    ],
)
def test_intermediate_missing_one_condition_is_not_eligible(history, months, unmet):
    assert promotion_eligibility(history, "intermediate", POLICY, months) is None
    assert promotion_check(history, "intermediate", POLICY, months).unmet == unmet


# --- senior → reserve ---------------------------------------------------------------------

RESERVE_OK = H(monthly_ranks=(1,) * 12, quarterly_grades=("A", "B", "A", "C", "A"), excellent_agent_times=3)


def test_senior_meeting_every_condition_is_eligible_for_reserve():
    assert promotion_eligibility(RESERVE_OK, "senior", POLICY, 12) == "reserve"
    assert promotion_flags(RESERVE_OK, "senior", POLICY, 12) == ("PROMOTION_ELIGIBLE:reserve",)


@pytest.mark.parametrize(
    ("history", "months", "unmet"),
    [
        (dataclasses.replace(RESERVE_OK, excellent_agent_times=2), 12, ("EXCELLENT_AGENT",)),
        (dataclasses.replace(RESERVE_OK, quarterly_grades=("A", "A", "B")), 12, ("QUARTERLY_A",)),
        (RESERVE_OK, 11, ("MONTHS_IN_COMPANY",)),
    ],
)
def test_senior_missing_one_condition_is_not_eligible(history, months, unmet):
    assert promotion_check(history, "senior", POLICY, months).unmet == unmet


def test_reserve_supervisor_is_the_top_of_the_ladder():
    check = promotion_check(RESERVE_OK, "reserve", POLICY, 60)
    assert (check.to, check.eligible) == (None, False)
    assert promotion_flags(RESERVE_OK, "reserve", POLICY, 60) == ()


def test_unknown_quarterly_grade_is_refused():
    with pytest.raises(RuleViolation) as exc:
        promotion_eligibility(H(monthly_ranks=(1,), quarterly_grades=("A+",)), "junior", POLICY, 3)
    assert exc.value.field == "quarterly_grades"


def test_changed_promotion_step_changes_eligibility():
    assert (
        promotion_eligibility(
            INTERMEDIATE_OK,
            "junior",
            with_step("intermediate", months_in_company=4),
            POLICY.promotion[0].months_in_company,
        )
        is None
    )
    assert (
        promotion_eligibility(
            dataclasses.replace(INTERMEDIATE_OK, monthly_ranks=(5, 5)),
            "junior",
            with_step("intermediate", avg_rank_top=5),
            3,
        )
        == "intermediate"
    )


# --- months in the company ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("join", "today", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 4, 14), 2),
        (date(2026, 1, 15), date(2026, 4, 15), 3),
        (date(2026, 1, 31), date(2026, 2, 27), 0),
        (date(2026, 1, 31), date(2026, 2, 28), 1),  # shorter month: its last day completes it
        (date(2024, 1, 31), date(2024, 2, 28), 0),  # leap year: 29 Feb is the last day
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2025, 6, 1), date(2026, 6, 1), 12),
        (date(2026, 5, 1), date(2026, 4, 1), 0),  # before joining
    ],
)
def test_whole_months_in_company_count_completed_months(join, today, months):
    assert whole_months_in_company(join, today) == months


# --- demotion -----------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["trainee", "junior", "reserve"])
def test_levels_without_demotion_rules_are_never_warned(level):
    history = H(monthly_ranks=(9, 9, 9, 9), quarterly_grades=("F", "F"))
    assert demotion_reasons(history, level, POLICY) == ()
    assert demotion_flags(history, level, POLICY) == ()


@pytest.mark.parametrize(
    ("history", "reasons"),
    [
        (H(monthly_ranks=(4, 5, 6)), ("MONTHS_OUTSIDE_TOP",)),  # 3 consecutive months outside the top 3
        (H(monthly_ranks=(4, 5, 3, 6)), ()),  # the run is broken
        (H(monthly_ranks=(1, 2, 3, 3)), ()),  # rank 3 (also tied) is inside the top 3
        (H(quarterly_grades=("B", "B")), ("QUARTERS_AT_GRADE",)),
        (H(quarterly_grades=("B", "A", "B")), ()),
        (H(quarterly_grades=("A", "C")), ("QUARTER_BELOW_GRADE",)),
        (H(quarterly_grades=("F",)), ("QUARTER_BELOW_GRADE",)),
        (H(quarterly_grades=("A", "A", "B")), ()),
        (
            H(monthly_ranks=(7, 7, 7), quarterly_grades=("C", "B", "B")),
            ("MONTHS_OUTSIDE_TOP", "QUARTERS_AT_GRADE", "QUARTER_BELOW_GRADE"),
        ),
    ],
)
def test_intermediate_demotion_counts_consecutive_months_and_quarters(history, reasons):
    assert demotion_reasons(history, "intermediate", POLICY) == reasons
    assert demotion_flags(history, "intermediate", POLICY) == (("DEMOTION_WARNING",) if reasons else ())


@pytest.mark.parametrize(
    ("history", "reasons"),
    [
        (
            H(monthly_ranks=(4, 1, 5, 2, 6)),
            ("MONTHS_OUTSIDE_TOP",),
        ),  # 3 months within a year, not consecutive
        (H(monthly_ranks=(4, 1, 5) + (1,) * 9 + (6,)), ()),  # the third is in month 13
        (H(quarterly_grades=("B", "A", "B")), ("QUARTERS_AT_GRADE",)),
        (H(quarterly_grades=("B", "A", "A", "A", "B")), ()),  # the second B is in the second year
        (H(quarterly_grades=("A", "A", "A", "A", "D")), ()),
        (H(quarterly_grades=("A", "D")), ("QUARTER_BELOW_GRADE",)),
    ],
)
def test_senior_demotion_counts_within_a_year_of_promotion(history, reasons):
    assert demotion_reasons(history, "senior", POLICY) == reasons


def test_changed_demotion_policy_changes_the_warning():
    history = H(monthly_ranks=(4, 5, 6))
    policy = dataclasses.replace(POLICY, demotion=dataclasses.replace(POLICY.demotion, top=5))
    assert demotion_flags(history, "intermediate", POLICY) == ("DEMOTION_WARNING",)
    assert demotion_flags(history, "intermediate", policy) == ()
