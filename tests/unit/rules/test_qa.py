"""Quality-inspection rules (rules.md §10): scoring, grouping, monthly summary, weekly minimum."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.policy.model import Policy, QaSection
from csdesk.rules.qa import (
    AgentQaSummary,
    Finding,
    InspectionKey,
    InspectionRow,
    RawAnswer,
    WeeklyShortfall,
    group_inspections,
    monthly_summary,
    parse_answer,
    round_half_up,
    score,
    score_inspection,
    weekly_shortfalls,
)

POLICY = load_policy()
QUESTIONS = ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")
ALL_YES: dict[str, RawAnswer] = dict.fromkeys(QUESTIONS, "yes")


def answers(**changes: RawAnswer) -> dict[str, RawAnswer]:
    return {**ALL_YES, **{q.upper(): a for q, a in changes.items()}}


def with_sections(*sections: QaSection, critical: tuple[str, ...] = ("Q06",)) -> Policy:
    qa = dataclasses.replace(POLICY.qa, sections=sections, critical_questions=critical)
    return dataclasses.replace(POLICY, qa=qa)


# --- scoring one inspection --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Fraction(100)),
        # only Q06 yes: service ½ of 40, the others 0
        (dict.fromkeys(("q01", "q02", "q03", "q04", "q05", "q07"), "no"), Fraction(20)),
        ({"q01": "no"}, Fraction(90)),  # etiquette ⅔ of 30
        ({"q04": "no"}, Fraction(85)),  # process ½ of 30
        ({"q05": "no"}, Fraction(80)),  # service ½ of 40
        ({"q01": "na", "q02": "yes", "q03": "no"}, Fraction(85)),  # na drops out: etiquette 50 %
        ({"q04": "na", "q07": "na"}, Fraction(100)),  # a section all na drops out
        ({"q04": "na", "q07": "na", "q05": "no"}, Fraction(5000, 70)),  # (30×100 + 40×50) / 70
        ({"q01": "na", "q02": "na", "q03": "na", "q04": "na", "q07": "na"}, Fraction(100)),
    ],
)
def test_sections_score_the_share_of_applicable_yes_answers_weighted(changes: dict[str, str],
                                                                     expected: Fraction) -> None:
    result = score_inspection(answers(**changes), POLICY)
    assert result.exact == expected
    assert not result.critical_failure


def test_a_no_on_the_critical_question_makes_the_inspection_zero() -> None:
    result = score_inspection(answers(q06="no"), POLICY)
    assert (result.exact, result.score, result.critical_failures) == (0, Decimal("0.0"), ("Q06",))
    assert [s.percent for s in result.sections] == [100, 100, 50]  # still shown for feedback


def test_a_na_on_the_critical_question_is_no_failure() -> None:
    result = score_inspection(answers(q06="na"), POLICY)
    assert result.exact == 100 and not result.critical_failure


def test_an_all_na_section_is_reported_without_a_percentage() -> None:
    result = score_inspection(answers(q04="na", q07="na"), POLICY)
    assert [(s.code, s.weight, s.percent) for s in result.sections] == [
        ("etiquette", 30, 100), ("process", 30, None), ("service", 40, 100)]


def test_an_inspection_with_nothing_applicable_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        score_inspection(dict.fromkeys(QUESTIONS, "na"), POLICY)
    assert exc.value.field == "answer"
    assert str(exc.value)


def test_unanswered_questions_count_as_na_and_are_listed() -> None:
    result = score_inspection({"Q01": "yes", "Q05": "yes", "Q06": "no"}, POLICY)
    assert result.unanswered == ("Q02", "Q03", "Q04", "Q07")
    assert result.exact == 0
    assert score_inspection({"Q01": "yes", "Q05": "no"}, POLICY).exact == Fraction(30 * 100 + 40 * 0, 70)


@pytest.mark.parametrize(
    ("raw", "credit"),
    [
        ("yes", Fraction(1)), ("YES", Fraction(1)), (" No ", Fraction(0)), ("NA", None),
        (1, Fraction(1)), (0, Fraction(0)), (0.5, Fraction(1, 2)), ("0.25", Fraction(1, 4)),
        (Decimal("0.75"), Fraction(3, 4)), ("1/3", Fraction(1, 3)), (Fraction(2, 3), Fraction(2, 3)),
    ],
)
def test_answers_are_yes_no_na_or_points_from_0_to_1(raw: RawAnswer, credit: Fraction | None) -> None:
    assert parse_answer("Q01", raw, POLICY).credit == credit


@pytest.mark.parametrize("raw", ["maybe", "", "1.5", "-0.1", 2, -1, True, False, float("nan"), float("inf"),
                                 "1/0", "n/a", Decimal("NaN")])
def test_other_answers_are_refused_naming_the_field(raw: RawAnswer) -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_answer("Q01", raw, POLICY)
    assert exc.value.field == "answer" and exc.value.params["question"] == "Q01"
    assert str(exc.value)


@pytest.mark.parametrize("question", ["Q99", "q01", "", "Q08"])
def test_unknown_question_codes_are_refused(question: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        score_inspection({**ALL_YES, question: "yes"}, POLICY)
    assert exc.value.field == "question" and exc.value.params["question"] == question


def test_points_give_partial_credit() -> None:
    assert score_inspection(answers(q05=0.5), POLICY).exact == 90  # service 75 % of 40
    assert score_inspection(answers(q01="0.5", q02="0.5", q03="0.5"), POLICY).exact == 85


@pytest.mark.parametrize(("points", "failure"), [(0, True), ("0", True), (0.5, False), (1, False)])
def test_zero_points_on_the_critical_question_is_a_no(points: RawAnswer, failure: bool) -> None:
    assert score_inspection(answers(q06=points), POLICY).critical_failure is failure


def test_changed_section_weights_change_the_score() -> None:
    base = score_inspection(answers(q05="no"), POLICY).exact
    heavier = with_sections(QaSection("etiquette", 20, ("Q01", "Q02", "Q03")),
                            QaSection("process", 20, ("Q04", "Q07")),
                            QaSection("service", 60, ("Q05", "Q06")))
    assert (base, score_inspection(answers(q05="no"), heavier).exact) == (80, 70)


def test_the_critical_questions_come_from_the_policy() -> None:
    policy = with_sections(*POLICY.qa.sections, critical=("Q02",))
    assert score_inspection(answers(q06="no"), policy).exact == 80
    assert score_inspection(answers(q02="no"), policy).exact == 0


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Fraction(9225, 100), Decimal("92.3")),  # half up, not half even
        (Fraction(9224, 100), Decimal("92.2")),
        (Fraction(9215, 100), Decimal("92.2")),
        (Fraction(5000, 70), Decimal("71.4")),
        (Fraction(200, 3), Decimal("66.7")),
        (Fraction(100), Decimal("100.0")),
        (Fraction(0), Decimal("0.0")),
        (Fraction(-5, 100), Decimal("-0.1")),
    ],
)
def test_scores_round_half_up_to_one_decimal(value: Fraction, rounded: Decimal) -> None:
    assert round_half_up(value) == rounded
    assert str(round_half_up(value)) == str(rounded)


ANSWER = st.one_of(st.sampled_from(["yes", "no", "na"]), st.fractions(0, 1, max_denominator=20))
ANSWER_SETS = st.fixed_dictionaries({q: ANSWER for q in QUESTIONS})


@settings(max_examples=200)
@given(ANSWER_SETS)
def test_a_score_is_always_between_0_and_100(raw: dict[str, RawAnswer]) -> None:
    try:
        result = score_inspection(raw, POLICY)
    except RuleViolation:
        assert all(a == "na" for a in raw.values())
        return
    assert 0 <= result.exact <= 100
    assert Decimal(0) <= result.score <= Decimal(100)


@settings(max_examples=200)
@given(ANSWER_SETS, st.integers(1, 200))
def test_a_section_answered_all_na_never_changes_the_score(raw: dict[str, RawAnswer], weight: int) -> None:
    raw = {**raw, "Q04": "na", "Q07": "na"}
    if all(raw[q] == "na" for q in ("Q01", "Q02", "Q03", "Q05", "Q06")):
        return
    sections = POLICY.qa.sections
    reweighted = with_sections(sections[0], dataclasses.replace(sections[1], weight=weight), sections[2])
    without = with_sections(sections[0], sections[2])
    rest = {q: a for q, a in raw.items() if q not in ("Q04", "Q07")}
    expected = score_inspection(raw, POLICY).exact
    assert score_inspection(raw, reweighted).exact == expected
    assert score_inspection(rest, without).exact == expected


@settings(max_examples=200)
@given(ANSWER_SETS, st.sampled_from(["Q01", "Q02", "Q03", "Q04", "Q05", "Q07"]))
def test_turning_a_no_into_a_yes_never_lowers_the_score(raw: dict[str, RawAnswer], question: str) -> None:
    worse = {**raw, question: "no"}
    better = {**raw, question: "yes"}
    assert score_inspection(worse, POLICY).exact <= score_inspection(better, POLICY).exact


# --- grouping rows into inspections -------------------------------------------------------------

DAY = date(2026, 10, 6)


def rows(agent: str = "A1", contact: str = "C1", inspector: str = "QA1", on: date = DAY,
         calibration: bool = False, **changes: RawAnswer) -> list[InspectionRow]:
    return [InspectionRow(agent, contact, inspector, on, q, a, calibration)
            for q, a in answers(**changes).items()]


def test_rows_group_by_agent_contact_inspector_and_date() -> None:
    data = rows() + rows(inspector="QA2") + rows(contact="C2") + rows(on=date(2026, 10, 7)) + rows(agent="A2")
    inspections = group_inspections(data, POLICY)
    assert len(inspections) == 5
    assert inspections[0].key == InspectionKey(DAY, "A1", "C1", "QA1")
    assert [i.key for i in inspections] == sorted(i.key for i in inspections)
    assert all(len(i.answers) == 7 for i in inspections)


def test_rows_in_any_order_make_the_same_inspections() -> None:
    data = rows() + rows(contact="C2", q01="no")
    assert group_inspections(list(reversed(data)), POLICY)[1].key == group_inspections(data, POLICY)[1].key
    assert {score(i, POLICY).exact for i in group_inspections(list(reversed(data)), POLICY)} == {90, 100}


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (rows()[:1] * 2, "question"),  # a question answered twice in one inspection
        (rows()[:3] + rows(calibration=True)[3:], "calibration"),  # mixed calibration flag
        (rows(inspector="A1"), "inspector"),  # nobody inspects their own contact
        (rows(contact=" "), "contact"),
        (rows(agent=""), "agent"),
        (rows(q03="often"), "answer"),
        ([*rows()[:2], InspectionRow("A1", "C1", "QA1", DAY, "Q42", "yes")], "question"),
    ],
)
def test_bad_rows_are_refused_naming_the_field(bad: list[InspectionRow], field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        group_inspections(bad, POLICY)
    assert exc.value.field == field
    assert str(exc.value)


# --- the monthly summary -------------------------------------------------------------------------


def test_monthly_summary_counts_averages_and_flags_per_agent() -> None:
    data = (rows() + rows(contact="C2", q01="no") + rows(contact="C3", q06="no")
            + rows(agent="A2", contact="C9", q05="no"))
    findings = [Finding("A1", date(2026, 10, 7)),
                Finding("A1", date(2026, 10, 8), closed_on=date(2026, 10, 20)),
                Finding("A3", date(2026, 9, 20)), Finding("A3", date(2026, 11, 2))]
    summary = monthly_summary(group_inspections(data, POLICY), findings, date(2026, 10, 1), POLICY)
    assert summary == (
        AgentQaSummary("A1", 3, Decimal("63.3"), 1, 1),  # (100 + 90 + 0) / 3
        AgentQaSummary("A2", 1, Decimal("80.0"), 0, 0),
        AgentQaSummary("A3", 0, None, 0, 1),  # only an open finding from September
    )


def test_calibration_inspections_never_count() -> None:
    data = rows() + rows(contact="C2", calibration=True, q06="no")
    summary = monthly_summary(group_inspections(data, POLICY), [], DAY, POLICY)
    assert summary == (AgentQaSummary("A1", 1, Decimal("100.0"), 0, 0),)


def test_other_months_are_left_out() -> None:
    data = rows(on=date(2026, 9, 30)) + rows(contact="C2", on=date(2026, 10, 31), q05="no") + rows(
        contact="C3", on=date(2026, 11, 1), q06="no")
    summary = monthly_summary(group_inspections(data, POLICY), [], date(2026, 10, 15), POLICY)
    assert summary == (AgentQaSummary("A1", 1, Decimal("80.0"), 0, 0),)


def test_the_average_rounds_the_exact_mean_once() -> None:
    only_etiquette = dict.fromkeys(("q04", "q05", "q06", "q07"), "na")
    data = rows(q03="no", **only_etiquette) + rows(contact="C2", q01="no")  # 66.666… and 90
    summary = monthly_summary(group_inspections(data, POLICY), [], DAY, POLICY)
    assert summary[0].average == Decimal("78.3")  # rounding 66.7 first would give 78.4


def test_a_finding_closed_after_the_month_is_still_open_at_its_end() -> None:
    findings = [Finding("A1", date(2026, 10, 30), closed_on=date(2026, 11, 2))]
    assert monthly_summary([], findings, DAY, POLICY)[0].open_findings == 1
    assert monthly_summary([], findings, date(2026, 11, 1), POLICY) == ()  # closed: nothing to show


@settings(max_examples=100)
@given(st.lists(ANSWER_SETS.filter(lambda r: any(a != "na" for a in r.values())), min_size=1, max_size=6))
def test_the_average_lies_between_the_lowest_and_highest_score(sets: list[dict[str, RawAnswer]]) -> None:
    data = [row for i, raw in enumerate(sets)
            for row in (InspectionRow("A1", f"C{i}", "QA1", DAY, q, a) for q, a in raw.items())]
    inspections = group_inspections(data, POLICY)
    scores = [score(i, POLICY).score for i in inspections]
    (line,) = monthly_summary(inspections, [], DAY, POLICY)
    assert line.inspections == len(sets)
    assert line.average is not None and min(scores) <= line.average <= max(scores)


# --- the weekly minimum ---------------------------------------------------------------------------

MONDAY = date(2026, 10, 5)


def test_agents_below_the_weekly_minimum_are_flagged() -> None:
    data = (rows(agent="A1", on=MONDAY) + rows(agent="A1", contact="C2", on=date(2026, 10, 11))
            + rows(agent="A2", on=MONDAY)
            + rows(agent="A2", contact="C2", on=date(2026, 10, 12))  # next week
            + rows(agent="A2", contact="C3", on=MONDAY, calibration=True))  # never counts
    inspections = group_inspections(data, POLICY)
    assert weekly_shortfalls(inspections, ["A1", "A2", "A3"], MONDAY, POLICY) == (
        WeeklyShortfall("A2", 1, 2), WeeklyShortfall("A3", 0, 2))


def test_the_weekly_minimum_follows_the_policy() -> None:
    inspections = group_inspections(rows(agent="A2", on=MONDAY), POLICY)
    lenient = dataclasses.replace(POLICY, qa=dataclasses.replace(POLICY.qa, min_inspections_per_week=1))
    assert weekly_shortfalls(inspections, ["A2"], MONDAY, lenient) == ()
    assert weekly_shortfalls(inspections, ["A2"], MONDAY, POLICY) == (WeeklyShortfall("A2", 1, 2),)
