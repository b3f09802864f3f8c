"""Monthly evaluation rules (rules.md §5, §7, Appendix A): csdesk.rules.scoring."""

from __future__ import annotations

import ast
import dataclasses
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.rules import scoring
from csdesk.rules.scoring import (
    EventInput,
    Scorecard,
    ScorecardInput,
    Standing,
    apply_monthly_limits,
    automatic_events,
    compute_scorecard,
    grade,
    last_place_warning,
    normalize_points,
    pay_float,
    quarterly_grade,
    rank,
    rank_month,
    service_month,
    validate_adjustment,
    validate_event_points,
    validate_exam,
    validate_rating,
)

POLICY = load_policy()
MONTH = date(2026, 10, 1)
VETERAN = date(2025, 1, 6)  # long past the months without pay float
D = Decimal


def with_scoring(**changes: object):
    return dataclasses.replace(POLICY, scoring=dataclasses.replace(POLICY.scoring, **changes))


def split_rated(rated: Decimal | float) -> dict[str, Decimal]:
    """Ratings that add up to ``rated`` (≤ 80), filling the criteria in policy order."""
    left = D(str(rated))
    out = {}
    for criterion in POLICY.scoring.criteria:
        out[criterion.code] = min(D(criterion.max), left)
        left -= out[criterion.code]
    assert left == 0
    return out


def ev(code: str, day: int = 5, points: int | None = None, source: str = "manual", id=None) -> EventInput:
    return EventInput(code, points, date(2026, 10, day), source, id)  # type: ignore[arg-type]


def make_input(
    rated=80, events=(), adjustment=0, reason="", exam=None, join=VETERAN, month=MONTH, ratings=None
) -> ScorecardInput:
    return ScorecardInput(
        month=month,
        join_date=join,
        ratings=split_rated(rated) if ratings is None else ratings,
        events=tuple(events),
        adjustment=adjustment,
        adjustment_reason=reason,
        exam_score=exam,
    )


def input_with_total(total: float | Decimal, **kw) -> ScorecardInput:
    """A month whose raw total is ``total``: ratings up to 80, then B03 (+5 each) and an adjustment."""
    total = D(str(total))
    if total <= 80:
        return make_input(rated=total, **kw)
    extra = total - 80
    times = int(-(-extra // 5))  # ceil
    adjustment = extra - 5 * times
    events = [ev("B03", day=1 + i) for i in range(times)]
    return make_input(rated=80, events=events, adjustment=adjustment, reason="test", **kw)


def card_for(total, **kw) -> Scorecard:
    return compute_scorecard(input_with_total(total, **kw), POLICY)


# --- grade bands --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (110, "A"),
        (91, "A"),
        (90.5, "A"),
        (90.01, "A"),
        (90, "B"),
        (89.99, "B"),
        (80, "B"),
        (79.99, "C"),
        (70, "C"),
        (69.99, "D"),
        (65, "D"),
        (64.99, "E"),
        (60, "E"),
        (59.99, "F"),
        (59, "F"),
        (0, "F"),
        (-15, "F"),
    ],
)
def test_grade_band_includes_its_lower_bound_except_a(total, expected):
    assert grade(total, POLICY) == expected


@pytest.mark.parametrize(("total", "expected"), [(90, "B"), (90.5, "A"), (64.99, "E"), (65, "D"), (59, "F")])
def test_scorecard_carries_the_grade_of_its_total(total, expected):
    assert card_for(total).grade == expected


def test_decimal_ratings_add_up_exactly_at_a_band_boundary():
    ratings = {"service_quality": 28.7, "execution": 18.9, "collaboration": 11.8, "discipline": 10.6}
    assert sum(ratings.values()) < 70  # binary floats drift below the boundary ...
    card = compute_scorecard(make_input(ratings=ratings), POLICY)
    assert card.rated == card.total == D("70.0")  # ... Decimal does not
    assert card.grade == "C"


def test_rating_above_maximum_fails_the_whole_scorecard():
    ratings = {"service_quality": 29.9, "execution": 20, "collaboration": 15, "discipline": 15.1}
    with pytest.raises(RuleViolation) as exc:
        compute_scorecard(make_input(ratings=ratings), POLICY)
    assert exc.value.field == "discipline"


# --- pay float ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (80, 0),
        (91, 110),
        (68, -120),  # the worked examples of the source
        (110, 300),
        (109, 290),
        (50, -300),
        (51, -290),
        (40, -300),
        (-20, -300),
        (60, -200),
        (59, -210),
        (80.5, 5),
        (80.55, D("5.5")),
        (80.5555, D("5.56")),
        (79.9999, D("0")),
    ],
)
def test_pay_float_is_ten_per_point_from_80_bounded_at_300(total, expected):
    assert pay_float(total, 3, POLICY) == expected


@pytest.mark.parametrize(("total", "expected"), [(80, 0), (91, 110), (68, -120)])
def test_worked_examples_hold_on_the_scorecard(total, expected):
    card = card_for(total)
    assert card.total == total
    assert card.pay_float_cny == expected


def test_total_above_110_is_capped():
    card = card_for(111)
    assert card.raw_total == 111
    assert card.total == 110
    assert card.grade == "A"
    assert card.pay_float_cny == 300
    cap_lines = [line for line in card.lines if line.kind == "cap"]
    assert [line.points for line in cap_lines] == [-1]


def test_pay_float_uses_the_capped_total():
    card = card_for(120)
    assert (card.raw_total, card.total, card.pay_float_cny) == (120, 110, 300)


def test_total_of_exactly_110_is_not_capped():
    card = card_for(110)
    assert card.total == card.raw_total == 110
    assert not [line for line in card.lines if line.kind == "cap"]


def test_pay_float_below_40_is_bounded_at_minus_300():
    card = card_for(40)
    assert card.pay_float_cny == -300
    assert card.lines[-1].note == scoring.NOTE_BOUNDED


@pytest.mark.parametrize(
    ("join", "expected_month", "expected_float"),
    [
        (date(2026, 10, 1), 1, 0),
        (date(2026, 10, 31), 1, 0),
        (date(2026, 9, 1), 2, 0),
        (date(2026, 9, 30), 2, 0),
        (date(2026, 8, 31), 3, 110),
        (date(2025, 10, 1), 13, 110),
    ],
)
def test_first_two_months_after_joining_have_no_pay_float(join, expected_month, expected_float):
    assert service_month(join, MONTH) == expected_month
    card = card_for(91, join=join)
    assert card.total == 91 and card.grade == "A"  # points still count
    assert card.pay_float_cny == expected_float


def test_no_pay_float_month_is_explained():
    card = card_for(68, join=MONTH)
    assert card.pay_float_cny == 0
    assert card.lines[-1] == scoring.Line(
        "pay_float", "pay_float", D(0), note=scoring.NOTE_NO_PAY_FLOAT_MONTHS
    )


def test_month_before_joining_is_refused():
    with pytest.raises(RuleViolation) as exc:
        service_month(date(2026, 11, 2), MONTH)
    assert exc.value.field == "month"


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("service_quality", 30, D(30)),
        ("service_quality", 0, D(0)),
        ("service_quality", 27.5, D("27.5")),
        ("execution", 20, D(20)),
        ("collaboration", D("14.75"), D("14.75")),
        ("discipline", 15, D(15)),
    ],
)
def test_rating_inside_its_criterion_range_is_accepted(code, value, expected):
    assert validate_rating(code, value, POLICY) == expected


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("service_quality", 31),
        ("service_quality", 30.01),
        ("service_quality", -1),
        ("execution", 21),
        ("collaboration", 15.5),
        ("discipline", -0.5),
    ],
)
def test_rating_above_its_maximum_or_negative_is_refused_naming_the_field(code, value):
    with pytest.raises(RuleViolation) as exc:
        validate_rating(code, value, POLICY)
    assert exc.value.field == code
    assert "{criterion}" in exc.value.msgid and exc.value.params["criterion"] == code


@pytest.mark.parametrize("value", ["27", None, True, float("nan"), float("inf"), D("NaN")])
def test_rating_that_is_not_a_finite_number_is_refused(value):
    with pytest.raises(RuleViolation) as exc:
        validate_rating("service_quality", value, POLICY)  # type: ignore[arg-type]
    assert exc.value.field == "service_quality"


def test_unknown_rating_criterion_is_refused():
    with pytest.raises(RuleViolation) as exc:
        validate_rating("charm", 5, POLICY)
    assert exc.value.field == "charm"
    with pytest.raises(RuleViolation):
        compute_scorecard(make_input(ratings={**split_rated(80), "charm": 1}), POLICY)


@pytest.mark.parametrize(("value", "reason"), [(-5, "late report"), (5, "helped"), (0, ""), (2.5, "x")])
def test_adjustment_inside_minus_5_plus_5_is_accepted(value, reason):
    assert validate_adjustment(value, reason, POLICY) == D(str(value))


@pytest.mark.parametrize("value", [-6, 6, 5.5, -5.01])
def test_adjustment_outside_minus_5_plus_5_is_refused(value):
    with pytest.raises(RuleViolation) as exc:
        validate_adjustment(value, "a reason", POLICY)
    assert exc.value.field == "adjustment"


@pytest.mark.parametrize("reason", ["", "   "])
def test_adjustment_other_than_0_needs_a_reason(reason):
    with pytest.raises(RuleViolation) as exc:
        validate_adjustment(3, reason, POLICY)
    assert exc.value.field == "adjustment_reason"
    with pytest.raises(RuleViolation):
        compute_scorecard(make_input(adjustment=-2, reason=reason), POLICY)


@pytest.mark.parametrize("score", [0, 59.5, 100])
def test_exam_score_from_0_to_full_marks_is_accepted(score):
    assert validate_exam(score, POLICY) == D(str(score))


@pytest.mark.parametrize("score", [-1, 100.5, 101])
def test_exam_score_outside_0_to_full_marks_is_refused(score):
    with pytest.raises(RuleViolation) as exc:
        validate_exam(score, POLICY)
    assert exc.value.field == "exam"


# --- event points -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "points", "expected"),
    [
        ("M01", 2, -2),
        ("M01", -2, -2),
        ("M01", None, -2),
        ("M01", 5, -5),
        ("M01", 3.0, -3),
        ("M08", None, -1),
        ("B01", None, 5),
        ("B01", 5, 5),
        ("S01", 20, -20),
        ("X01", None, 0),
        ("X01", 0, 0),
    ],
)
def test_unsigned_points_are_read_with_the_codes_sign(code, points, expected):
    assert normalize_points(code, points, POLICY) == expected


def test_fractional_event_points_are_refused():
    with pytest.raises(RuleViolation) as exc:
        normalize_points("M01", 2.5, POLICY)
    assert exc.value.field == "points"


@pytest.mark.parametrize(
    ("code", "points", "expected"),
    [
        ("M01", -2, -2),
        ("M01", -5, -5),
        ("M01", 4, -4),
        ("M13", -3, -3),
        ("M08", 1, -1),
        ("B03", 5, 5),
        ("D01", None, -10),
        ("S03", -20, -20),
        ("X02", None, 0),
    ],
)
def test_event_points_inside_the_codes_range_are_accepted(code, points, expected):
    assert validate_event_points(code, points, POLICY) == expected


@pytest.mark.parametrize(
    ("code", "points"),
    [
        ("M01", -1),
        ("M01", -6),
        ("M01", 6),
        ("M02", -3),
        ("M08", -3),
        ("B01", 4),
        ("B01", -5),
        ("B01", 10),
        ("D01", -20),
        ("S01", -10),
        ("X01", 3),
    ],
)
def test_event_points_outside_the_codes_range_are_refused(code, points):
    with pytest.raises(RuleViolation) as exc:
        validate_event_points(code, points, POLICY)
    assert exc.value.field == "points"
    assert exc.value.params["code"] == code


@pytest.mark.parametrize("code", ["Z99", "m01", ""])
def test_unknown_event_code_is_refused(code):
    with pytest.raises(RuleViolation) as exc:
        validate_event_points(code, None, POLICY)
    assert exc.value.field == "code"


@pytest.mark.parametrize("code", ["B02", "D07", "S06"])
def test_automatic_event_cannot_be_entered(code):
    with pytest.raises(RuleViolation) as exc:
        validate_event_points(code, None, POLICY)
    assert exc.value.field == "code"
    with pytest.raises(RuleViolation):
        compute_scorecard(make_input(events=[ev(code)]), POLICY)


# --- once-a-month limits ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["B01", "B05"])
def test_once_a_month_bonus_counts_once_and_the_extra_is_refused(code):
    first, second = ev(code, day=3, id=1), ev(code, day=20, id=2)
    result = apply_monthly_limits([second, first], POLICY)
    assert result.accepted == (first,)
    assert result.refused == (second,)
    card = compute_scorecard(make_input(rated=70, events=[second, first]), POLICY)
    assert card.bonus == 5 and card.total == 75
    assert card.refused == (dataclasses.replace(second, points=5),)  # read with the default points
    refused = [line for line in card.lines if line.kind == "refused"]
    assert refused == [scoring.Line("refused", code, D(0), "manual:2", date(2026, 10, 20), "PER_MONTH_LIMIT")]


def test_per_time_bonus_counts_every_time():
    events = [ev("B03", day=d) for d in (1, 2, 3)]
    assert apply_monthly_limits(events, POLICY).refused == ()
    assert compute_scorecard(make_input(rated=70, events=events), POLICY).bonus == 15


def test_once_a_month_limit_is_per_calendar_month():
    events = [EventInput("B01", None, date(2026, 9, 30)), EventInput("B01", None, date(2026, 10, 1))]
    assert apply_monthly_limits(events, POLICY).refused == ()


def test_same_day_duplicates_keep_the_first_given():
    a, b = ev("B05", day=9, id="a"), ev("B05", day=9, id="b")
    assert apply_monthly_limits([a, b], POLICY).accepted == (a,)


def test_a_changed_per_month_limit_changes_what_counts():
    policy = dataclasses.replace(
        POLICY,
        events=tuple(dataclasses.replace(e, per_month=2) if e.code == "B01" else e for e in POLICY.events),
    )
    events = [ev("B01", day=d) for d in (1, 2, 3)]
    assert len(apply_monthly_limits(events, policy).accepted) == 2


# --- automatic events ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exam", "codes"),
    [(100, ["B02"]), (99.5, []), (60, []), (59.99, ["D07"]), (59, ["D07"]), (0, ["D07"]), (None, [])],
)
def test_exam_score_sets_the_automatic_exam_events(exam, codes):
    events = automatic_events(exam, (), POLICY, exam_date=date(2026, 10, 31))
    assert [e.code for e in events] == codes
    assert all(e.source == "exam" and e.date == date(2026, 10, 31) for e in events)


@pytest.mark.parametrize(
    ("exam", "bonus", "deduction", "flags"),
    [(100, 5, 0, ()), (60, 0, 0, ()), (59, 0, 10, ("EXAM_RETAKE",))],
)
def test_exam_events_reach_the_scorecard(exam, bonus, deduction, flags):
    card = compute_scorecard(make_input(rated=75, exam=exam), POLICY)
    assert (card.bonus, card.deduction, card.flags, card.exam) == (bonus, deduction, flags, exam)


@pytest.mark.parametrize(
    ("codes", "bad"),
    [
        (["D01", "D02"], True),  # two moderate
        (["D01"], False),
        (["M01", "M02", "M03", "M04"], True),  # four minor
        (["M01", "M02", "M03"], False),  # three minor
        (["M01", "M02", "M03", "D01"], False),
        (["S01", "S02", "S03"], False),  # severe ones are not counted
        (["B01", "X01", "M05"], False),
    ],
)
def test_bad_month_costs_an_extra_20(codes, bad):
    events = [ev(code, day=i + 1) for i, code in enumerate(codes)]
    auto = automatic_events(None, events, POLICY, exam_date=date(2026, 10, 31))
    assert [e.code for e in auto] == (["S06"] if bad else [])
    card = compute_scorecard(make_input(rated=80, events=events), POLICY)
    assert ("S06" in [line.code for line in card.lines]) is bad


def test_bad_month_is_dated_when_the_threshold_was_reached_and_counts_once():
    events = [ev("D01", day=20), ev("D02", day=3), ev("D03", day=9), ev("D04", day=25)]
    auto = automatic_events(None, events, POLICY, exam_date=date(2026, 10, 31))
    assert auto == (EventInput("S06", -20, date(2026, 10, 9), "auto"),)


def test_failed_exam_counts_towards_a_bad_month():
    card = compute_scorecard(make_input(rated=80, events=[ev("D06")], exam=59), POLICY)
    assert [line.code for line in card.lines if line.kind in ("moderate", "severe")] == ["D06", "D07", "S06"]
    assert card.deduction == 40 and card.total == 40
    assert "EXAM_RETAKE" in card.flags and "DISMISSAL_WARNING" in card.flags


def test_attendance_lates_count_as_minor_violations():
    events = [ev("M01", day=d, points=-2, source="attendance", id=f"2026-10-0{d}") for d in (1, 2, 5, 6)]
    card = compute_scorecard(make_input(rated=80, events=events), POLICY)
    assert card.deduction == 8 + 20


def test_refused_once_a_month_events_do_not_make_a_bad_month():
    policy = dataclasses.replace(
        POLICY,
        events=tuple(dataclasses.replace(e, per_month=1) if e.code == "D01" else e for e in POLICY.events),
    )
    card = compute_scorecard(make_input(events=[ev("D01", day=1), ev("D01", day=2)]), policy)
    assert card.deduction == 10 and len(card.refused) == 1


# --- the scorecard ------------------------------------------------------------------------


def test_interfaces_json_example_adds_up():
    card = compute_scorecard(make_input(rated=72, events=[ev("B03"), ev("M01", points=-4)]), POLICY)
    assert (card.rated, card.bonus, card.deduction, card.adjustment) == (72, 5, 4, 0)
    assert (card.raw_total, card.total, card.grade, card.pay_float_cny) == (73, 73, "C", -70)


def test_deduction_is_the_magnitude_of_the_negative_points():
    card = compute_scorecard(
        make_input(rated=80, events=[ev("M02"), ev("S01"), ev("B04")], adjustment=-1, reason="attitude"),
        POLICY,
    )
    assert card.bonus == 5 and card.deduction == 22 and card.adjustment == -1
    assert card.raw_total == card.rated + card.bonus - card.deduction + card.adjustment == 62


def test_below_60_warns_of_dismissal_and_still_floats_pay():
    card = card_for(D("59.99"))
    assert card.grade == "F" and "DISMISSAL_WARNING" in card.flags
    assert card.pay_float_cny == D("-200.1")
    assert "DISMISSAL_WARNING" not in card_for(60).flags


def test_dismissal_items_carry_no_points_and_are_flagged_once_each():
    events = [ev("X03", day=2), ev("X01", day=3), ev("X01", day=4)]
    card = compute_scorecard(make_input(rated=80, events=events), POLICY)
    assert card.total == 80
    assert card.flags == ("DISMISSAL_ITEM:X01", "DISMISSAL_ITEM:X03")


def test_unrated_criterion_makes_a_provisional_card_without_low_score_warning():
    ratings = {"service_quality": 25, "execution": None}
    card = compute_scorecard(make_input(ratings=ratings), POLICY)
    assert not card.complete
    assert card.rated == 25 and card.grade == "F"
    assert card.flags == ("RATING_INCOMPLETE",)
    not_rated = [line.code for line in card.lines if line.note == "NOT_RATED"]
    assert not_rated == ["execution", "collaboration", "discipline"]


def test_event_outside_the_month_is_refused():
    with pytest.raises(RuleViolation) as exc:
        compute_scorecard(make_input(events=[EventInput("B03", None, date(2026, 11, 1))]), POLICY)
    assert exc.value.field == "events" and exc.value.params["month"] == "2026-10"


def test_every_point_is_traced_to_its_rule_and_source():
    events = [ev("M01", day=2, points=3, source="attendance", id="2026-10-02"), ev("B06", id=41)]
    card = compute_scorecard(
        make_input(rated=78, events=events, adjustment=2, reason="help", exam=100), POLICY
    )
    trail = [
        (line.kind, line.code, line.points, line.source_ref) for line in card.lines if line.kind != "rating"
    ]
    assert trail == [
        ("minor", "M01", -3, "attendance:2026-10-02"),
        ("bonus", "B06", 5, "manual:41"),
        ("bonus", "B02", 5, "exam"),
        ("adjustment", "adjustment", 2, "adjustment"),
        ("pay_float", "pay_float", 70, None),
    ]
    assert sum(line.points for line in card.lines if line.kind != "pay_float") == card.total == 87


# --- ranking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ({"a": 90, "b": 85, "c": 85, "d": 70}, {"a": 1, "b": 2, "c": 2, "d": 4}),
        ({"a": 80, "b": 80}, {"a": 1, "b": 1}),
        ({"a": D("80.5"), "b": 80.49}, {"a": 1, "b": 2}),
        ({}, {}),
    ],
)
def test_ranking_is_standard_competition_1224(totals, expected):
    assert rank(totals) == expected


def ranked(totals: dict[str, int], history=None, **kw) -> dict[str, Scorecard]:
    cards = {key: card_for(total) for key, total in totals.items()}
    return rank_month(cards, history or {}, POLICY, **kw)


def last_standing(total=65, month=date(2026, 9, 1)) -> Standing:
    return Standing(month, D(total), 3, True)


def test_last_place_two_consecutive_months_below_70_warns_of_dismissal():
    result = ranked({"a": 85, "b": 75, "c": 65}, {"c": [last_standing()]})
    assert result["c"].flags == ("DISMISSAL_WARNING",)
    assert (result["c"].rank, result["c"].last_place) == (3, True)
    assert result["b"].flags == () and result["a"].rank == 1


@pytest.mark.parametrize(
    "history",
    [
        [],  # first month last
        [last_standing(total=70)],  # last month was not below 70
        [last_standing(month=date(2026, 8, 1))],  # not consecutive
        [Standing(date(2026, 9, 1), D(65), 2, False)],  # not last last month
    ],
)
def test_last_place_without_a_qualifying_previous_month_is_no_warning(history):
    assert ranked({"a": 85, "c": 65}, {"c": history})["c"].flags == ()


def test_last_place_at_70_is_no_warning():
    assert ranked({"a": 85, "c": 70}, {"c": [last_standing()]})["c"].flags == ()


def test_last_place_in_training_is_no_warning():
    assert ranked({"a": 85, "c": 65}, {"c": [last_standing()]}, in_training={"c"})["c"].flags == ()


def test_tied_last_places_are_all_last():
    result = ranked({"a": 85, "b": 65, "c": 65}, {"b": [last_standing()], "c": [last_standing()]})
    assert [result[k].rank for k in "abc"] == [1, 2, 2]
    assert result["b"].last_place and result["c"].last_place
    assert result["b"].flags == result["c"].flags == ("DISMISSAL_WARNING",)


def test_a_lone_agent_is_not_last():
    result = ranked({"c": 65}, {"c": [last_standing()]})
    assert (result["c"].rank, result["c"].last_place, result["c"].flags) == (1, False, ())


def test_warning_is_not_repeated_when_already_below_60():
    result = ranked({"a": 85, "c": 50}, {"c": [last_standing()]})
    assert result["c"].flags.count("DISMISSAL_WARNING") == 1


def test_standing_of_an_unranked_card_is_a_bug():
    with pytest.raises(ValueError):
        Standing.of(card_for(80))


def test_changed_last_place_months_needs_a_longer_run():
    policy = with_scoring(last_place_months=3)
    run = [last_standing(month=date(2026, 9, 1)), last_standing(month=date(2026, 10, 1))]
    assert not last_place_warning(run, policy)
    assert last_place_warning([last_standing(month=date(2026, 8, 1)), *run], policy)


# --- quarters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "mean", "expected"),
    [
        ((90, 90, 91), None, "A"),
        ((90, 90, 90), D(90), "B"),
        ((85,), D(85), "B"),
        ((59, 60, 61), D(60), "E"),
        ((64.99, 65, 65), None, "E"),
        ((110, 40, 70), D("73.33333333333333333333333333"), "C"),
    ],
)
def test_quarterly_grade_is_the_mean_of_monthly_totals_banded(totals, mean, expected):
    result = quarterly_grade(totals, POLICY)
    assert result.grade == expected
    if mean is not None:
        assert result.mean == mean


@pytest.mark.parametrize("totals", [(), (80, 80, 80, 80)])
def test_quarter_needs_one_to_three_months(totals):
    with pytest.raises(RuleViolation):
        quarterly_grade(totals, POLICY)


# --- the policy drives every number -------------------------------------------------------


def test_changed_pay_float_per_point_changes_the_pay_float():
    policy = with_scoring(pay_float_per_point=20)
    assert compute_scorecard(input_with_total(91), policy).pay_float_cny == 220


def test_changed_cap_and_bound_change_the_total():
    policy = with_scoring(cap=120, pay_float_bound=500)
    card = compute_scorecard(input_with_total(118), policy)
    assert (card.total, card.pay_float_cny) == (118, 380)


def test_changed_standard_and_no_float_months_change_the_pay_float():
    policy = with_scoring(standard_total=70, no_pay_float_months=0)
    assert compute_scorecard(input_with_total(80, join=MONTH), policy).pay_float_cny == 100


def test_changed_grade_bands_change_the_grade():
    bands = tuple(
        dataclasses.replace(b, inclusive=True) if b.code == "A" else b for b in POLICY.scoring.grades
    )
    assert grade(90, with_scoring(grades=bands)) == "A"


def test_changed_bad_month_threshold_changes_the_bad_month():
    events = [ev(code, day=i + 1) for i, code in enumerate(["M01", "M02", "M03"])]
    assert automatic_events(None, events, with_scoring(bad_month_min_minor=3), exam_date=MONTH)


# --- properties ---------------------------------------------------------------------------

GRADE_ORDER = [b.code for b in POLICY.scoring.grades] + ["F"]
totals = st.decimals(min_value=-100, max_value=200, places=2, allow_nan=False, allow_infinity=False)
manual_codes = [e.code for e in POLICY.events if not e.automatic]


@st.composite
def scorecard_inputs(draw):
    ratings = {
        c.code: draw(st.none() | st.decimals(min_value=0, max_value=c.max, places=1))
        for c in POLICY.scoring.criteria
    }
    events = []
    for code in draw(st.lists(st.sampled_from(manual_codes), max_size=12)):
        event = POLICY.event(code)
        points = draw(st.integers(event.points_min, event.points_max))
        events.append(EventInput(code, points, date(2026, 10, draw(st.integers(1, 31)))))
    adjustment = draw(st.integers(POLICY.scoring.adjustment_min, POLICY.scoring.adjustment_max))
    exam = draw(st.none() | st.integers(0, POLICY.scoring.exam_full_marks))
    join = draw(st.dates(min_value=date(2024, 1, 1), max_value=MONTH))
    return ScorecardInput(MONTH, join, ratings, tuple(events), adjustment, "reason", exam)


@settings(max_examples=150, deadline=None)
@given(scorecard_inputs())
def test_total_never_exceeds_the_cap_and_the_trail_adds_up(inp):
    card = compute_scorecard(inp, POLICY)
    if all(value is None for value in inp.ratings.values()):  # not rated: no total, grade, pay or rank
        assert (card.rated, card.total, card.grade, card.pay_float_cny) == (None, None, None, None)
        assert "NOT_RATED" in card.flags and not card.complete
        return
    assert card.total <= POLICY.scoring.cap
    assert card.total == min(card.raw_total, POLICY.scoring.cap)
    assert card.raw_total == card.rated + card.bonus - card.deduction + card.adjustment
    assert card.bonus >= 0 and card.deduction >= 0
    assert sum(line.points for line in card.lines if line.kind != "pay_float") == card.total
    assert abs(card.pay_float_cny) <= POLICY.scoring.pay_float_bound


@settings(max_examples=200, deadline=None)
@given(totals, totals, st.integers(1, 24))
def test_pay_float_is_monotonic_in_the_total(a, b, month_of_service):
    low, high = sorted((a, b))
    assert pay_float(low, month_of_service, POLICY) <= pay_float(high, month_of_service, POLICY)


@settings(max_examples=200, deadline=None)
@given(totals, totals)
def test_grade_never_drops_as_the_total_rises(a, b):
    low, high = sorted((a, b))
    assert GRADE_ORDER.index(grade(high, POLICY)) <= GRADE_ORDER.index(grade(low, POLICY))


# --- purity -------------------------------------------------------------------------------

ALLOWED_IMPORTS = ("csdesk.policy", "csdesk.errors", "csdesk.records", "csdesk.rules")
RULE_FILES = [Path(scoring.__file__).with_name(name) for name in ("scoring.py", "kpi.py", "promotion.py")]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_evaluation_rules_import_only_the_standard_library_policy_and_errors(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.startswith(ALLOWED_IMPORTS) or name.split(".")[0] in sys.stdlib_module_names, name


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_evaluation_rules_take_their_numbers_from_the_policy(path):
    """Only 0 and 1 appear as bare numbers; anything else is a named module constant (calendar facts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets)
    ]
    skip = {id(n) for c in constants for n in ast.walk(c)}
    numbers = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and id(node) not in skip
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    }
    assert numbers <= {0, 1}


def test_a_month_nobody_rated_is_not_graded_paid_or_ranked():
    """Issue: unrated agents were graded F with -300 CNY and ranked last."""
    rated = compute_scorecard(ScorecardInput(MONTH, date(2020, 1, 1), {c.code: c.max for c in POLICY.scoring.criteria}), POLICY)
    low = compute_scorecard(ScorecardInput(MONTH, date(2020, 1, 1), {c.code: 0 for c in POLICY.scoring.criteria}), POLICY)
    unrated = compute_scorecard(
        ScorecardInput(MONTH, date(2020, 1, 1), {c.code: None for c in POLICY.scoring.criteria},
                       (EventInput("M01", -2, date(2026, 10, 5)),)), POLICY)  # fmt: skip
    assert unrated.total is None and unrated.grade is None and unrated.pay_float_cny is None
    assert unrated.flags[0] == "NOT_RATED" and unrated.deduction == 2  # the event still shows
    ranked = rank_month({"a": rated, "b": low, "c": unrated}, {}, POLICY)
    assert ranked["c"].rank is None and not ranked["c"].last_place
    assert ranked["b"].rank == 2 and ranked["b"].last_place
