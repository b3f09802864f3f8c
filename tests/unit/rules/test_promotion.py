"""The promotion ladder and demotion warnings (rules.md §8): csdesk.rules.promotion."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.rules.promotion import (
    LADDER_MONTHS,
    NO_STANDING,
    LadderInput,
    LadderResult,
    LevelHistory,
    MonthStanding,
    demotion_flags,
    demotion_reasons,
    is_excellent,
    judged_within_a_year,
    ladder_history,
    ladder_step,
    ladder_window,
    next_level,
    promotion_check,
    promotion_eligibility,
    promotion_flags,
    whole_months_in_company,
)
from csdesk.rules.scoring import Line, Scorecard

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


# --- the ladder over a month's window (plain inputs) --------------------------------------------------

JULY = date(2026, 7, 1)  # window: Jul 2025 … Jun 2026 signed off, Jul 2026 the month itself
# whole quarters inside it, as window indexes: Q3 2025 (0-2), Q4 (3-5), Q1 2026 (6-8), Q2 (9-11)
LONG_SERVING = date(2020, 1, 1)


def m(total: float | None = 85, rank: int | None = 1, excellent: bool = False) -> MonthStanding:
    """One earlier month: 85 is B, 95 is A, 75 is C (rules.md §5)."""
    return MonthStanding(None if total is None else Decimal(str(total)), rank, excellent)


def past(*months: MonthStanding) -> tuple[MonthStanding, ...]:
    """The window's earlier months, oldest first, padded at the old end with months without a standing."""
    return (NO_STANDING,) * (LADDER_MONTHS - len(months)) + months


def ladder(
    level: str | None,
    earlier: tuple[MonthStanding, ...],
    since: date | None = None,
    *,
    total: float | None = 85,
    rank: int | None = 1,
    excellent: bool = False,
    join: date = LONG_SERVING,
    month: date = JULY,
) -> LadderInput:
    return LadderInput(
        level, join, since, month, earlier, None if total is None else Decimal(str(total)), rank, excellent
    )


TOP_QUARTER = (m(95, 1), m(95, 2), m(95, 3))  # Apr–Jun 2026: an A quarter, all in the top 3
OUTSIDE = (m(85, 4), m(85, 5), m(85, 6))  # Apr–Jun 2026: a B quarter, all outside the top 3


@pytest.mark.parametrize(
    ("inp", "flags", "reasons"),
    [
        # promotion: three months in the top 3 and an A quarter since the level started
        (ladder("junior", past(*TOP_QUARTER), date(2026, 4, 1)), ("PROMOTION_ELIGIBLE:intermediate",), ()),
        # … but only 2 months in the company
        (ladder("junior", past(*TOP_QUARTER), date(2026, 4, 1), join=date(2026, 5, 2)), (), ()),
        # … the A quarter began before the level started: it does not count
        (ladder("junior", past(*TOP_QUARTER), date(2026, 5, 1)), (), ()),
        # … no recorded start: the whole window counts for promotion
        (ladder("junior", past(*TOP_QUARTER)), ("PROMOTION_ELIGIBLE:intermediate",), ()),
        # … ranked outside the top 3 on average
        (ladder("junior", past(m(95, 4), m(95, 4), m(95, 4)), date(2026, 4, 1), rank=4), (), ()),
        # demotion: three months outside the top 3 since the promotion
        (
            ladder("intermediate", past(*OUTSIDE), date(2026, 3, 1)),
            ("DEMOTION_WARNING",),
            ("MONTHS_OUTSIDE_TOP",),
        ),
        # … no recorded start: demotion is not judged
        (ladder("intermediate", past(*OUTSIDE)), (), ()),
        # … the months outside the top lie before the level started in May
        (ladder("intermediate", past(*OUTSIDE), date(2026, 5, 20)), (), ()),
        # … a start after the month (inputs of a later month) is no start of this month's level
        (ladder("intermediate", past(*OUTSIDE), date(2026, 8, 1)), (), ()),
        # … two B quarters in a row since the promotion
        (
            ladder("intermediate", past(*(m(85, 1),) * 6), date(2026, 1, 1)),
            ("DEMOTION_WARNING",),
            ("QUARTERS_AT_GRADE",),
        ),
        # … one quarter below B (C)
        (
            ladder("intermediate", past(m(75, 1), m(75, 2), m(75, 3)), date(2026, 4, 1)),
            ("DEMOTION_WARNING",),
            ("QUARTER_BELOW_GRADE",),
        ),
        # a level started before the window: intermediate is judged on the window's months …
        (
            ladder("intermediate", past(*OUTSIDE), date(2024, 1, 1)),
            ("DEMOTION_WARNING",),
            ("MONTHS_OUTSIDE_TOP",),
        ),
        # … a senior's year after the promotion is over: no warning
        (ladder("senior", past(*OUTSIDE), date(2024, 1, 1)), (), ()),
        # … a senior promoted within the window is judged
        (ladder("senior", past(*OUTSIDE), date(2026, 1, 1)), ("DEMOTION_WARNING",), ("MONTHS_OUTSIDE_TOP",)),
        # levels without a demotion rule, and no level at all
        (ladder("junior", past(*OUTSIDE), date(2026, 1, 1)), (), ()),
        (ladder("reserve", past(*OUTSIDE), date(2026, 1, 1)), (), ()),
        (ladder(None, past(*OUTSIDE), date(2026, 1, 1)), (), ()),
        (ladder("captain", past(*OUTSIDE), date(2026, 1, 1)), (), ()),
    ],
)
def test_ladder_step_decides_from_plain_inputs(inp, flags, reasons):
    result = ladder_step(inp, POLICY)
    assert (result.flags, result.demotion_reasons) == (flags, reasons)


@pytest.mark.parametrize(
    ("since", "judged_from"),
    [
        (date(2026, 3, 9), date(2026, 3, 9)),
        (date(2026, 7, 31), date(2026, 7, 31)),  # during the month itself
        (date(2026, 8, 1), None),  # after the month: not the start of the month's level
        (None, None),
    ],
)
def test_ladder_step_reports_the_start_it_judged_from(since, judged_from):
    assert ladder_step(ladder("intermediate", past(), since), POLICY).level_since == judged_from


def test_ladder_step_without_a_level_says_nothing():
    assert ladder_step(ladder(None, past(*OUTSIDE), date(2026, 3, 9)), POLICY) == LadderResult()


def test_a_senior_needs_the_excellent_agent_of_a_month_since_the_promotion():
    earlier = past(*(m(95, 1),) * 6)  # Jan–Jun 2026: two consecutive A quarters, rank 1
    assert ladder_step(ladder("intermediate", earlier, date(2026, 1, 1)), POLICY).flags == ()
    assert ladder_step(ladder("intermediate", earlier, date(2026, 1, 1), excellent=True), POLICY).flags == (
        "PROMOTION_ELIGIBLE:senior",
    )
    named_before = past(m(95, 1, excellent=True), *(m(95, 1),) * 6)  # December 2025, before the level
    assert ladder_step(ladder("intermediate", named_before, date(2026, 1, 1)), POLICY).flags == ()
    named_since = past(m(95, 1, excellent=True), *(m(95, 1),) * 5)  # January 2026
    assert ladder_step(ladder("intermediate", named_since, date(2026, 1, 1)), POLICY).flags == (
        "PROMOTION_ELIGIBLE:senior",
    )


@pytest.mark.parametrize(
    ("earlier", "since", "grades"),
    [
        # every quarter of the window graded: A, B, C, A
        (past(*(m(95),) * 3, *(m(85),) * 3, *(m(75),) * 3, *(m(95),) * 3), None, ("A", "B", "C", "A")),
        # a quarter is the mean of its months: 95, 85, 80 → 86.67 is B
        (past(m(95), m(85), m(80)), None, ("B",)),
        # a month without a total (not rated, or not signed off) leaves its quarter ungraded
        (past(m(95), m(None, None), m(95), *(m(95),) * 3), None, ("A",)),
        (past(NO_STANDING, m(95), m(95), *(m(85),) * 3), None, ("B",)),
        # only quarters wholly since the level started (mid-window start on 15 February: Q2 only)
        (past(*(m(95),) * 6), date(2026, 2, 15), ("A",)),
        (past(*(m(95),) * 6), date(2026, 1, 31), ("A", "A")),
    ],
)
def test_ladder_history_grades_whole_quarters_since_the_level_started(earlier, since, grades):
    assert ladder_history(ladder("junior", earlier, since), POLICY).quarterly_grades == grades


def test_ladder_history_counts_the_months_since_the_level_started_then_this_month():
    earlier = past(m(80, 9), m(80, 8), m(80, 7), m(90, 1), m(90, 2, excellent=True), m(90, 3))
    since_march = ladder_history(ladder("intermediate", earlier, date(2026, 3, 20), rank=4), POLICY)
    assert since_march.monthly_ranks == (7, 1, 2, 3, 4)
    assert since_march.excellent_agent_times == 1
    whole = ladder_history(
        ladder("intermediate", earlier, None, rank=None, total=None, excellent=True), POLICY
    )
    assert whole.monthly_ranks == (9, 8, 7, 1, 2, 3)  # this month unrated: no rank of its own
    assert whole.excellent_agent_times == 2
    this_month = ladder_history(ladder("intermediate", earlier, date(2026, 7, 1), rank=5), POLICY)
    assert (this_month.monthly_ranks, this_month.quarterly_grades) == ((5,), ())


def test_ladder_window_is_the_year_before_the_month_and_its_whole_quarters():
    months, quarters = ladder_window(JULY)
    assert (months[0], months[-1], len(months)) == (date(2025, 7, 1), JULY, LADDER_MONTHS + 1)
    assert quarters == ((0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11))
    months, quarters = ladder_window(date(2026, 6, 1))  # a quarter's last month: it closes the window
    assert months[0] == date(2025, 6, 1)
    assert quarters == ((1, 2, 3), (4, 5, 6), (7, 8, 9), (10, 11, 12))
    assert ladder_window(date(2026, 1, 1))[0][:2] == (date(2025, 1, 1), date(2025, 2, 1))


def test_ladder_needs_a_year_of_earlier_months():
    with pytest.raises(ValueError, match="12"):
        ladder_step(ladder("junior", (NO_STANDING,) * 11), POLICY)


def test_only_senior_and_above_are_judged_within_a_year_of_promotion():
    assert [code for code in POLICY.level_codes if judged_within_a_year(code, POLICY)] == [
        "senior",
        "reserve",
    ]


def test_the_excellent_agent_is_an_accepted_b01_bonus():
    def card(*lines: Line) -> Scorecard:
        zero = Decimal(0)
        return Scorecard(JULY, zero, zero, zero, zero, zero, zero, "F", None, None, True, (), lines)

    assert is_excellent(card(Line("bonus", "B01", Decimal(5))))
    assert not is_excellent(card(Line("bonus", "B02", Decimal(5))))
    assert not is_excellent(card(Line("refused", "B01", Decimal(0))))
    assert not is_excellent(card())
