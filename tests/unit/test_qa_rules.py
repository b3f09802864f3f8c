"""Inspection forms as data (rules.md §10, issue 15): points, N/A, critical questions of a section or
of the whole form, bonus questions, findings, calibration, and the form rules of the policy."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import PolicyError, RuleViolation
from csdesk.policy import load_policy
from csdesk.policy.loader import build_part
from csdesk.policy.model import QaBonus, QaForm, QaSection
from csdesk.rules.qa import (
    CRITICAL,
    MAJOR,
    MINOR,
    CalibrationEntry,
    Finding,
    InspectionRow,
    RawAnswer,
    ScoredInspection,
    calibrate,
    check_joins,
    failed_items,
    open_at,
    parse_answer,
    parse_answers,
    read_row,
    score_inspection,
    summarise,
)

POLICY = load_policy()

# A form using everything a site may define: weighted questions, a section-critical question,
# a form-critical one and two bonus questions.
FORM = QaForm(
    "FULL", 3,
    sections=(
        QaSection("opening", 40, ("G1", "G2"), points={"G2": 3}),
        QaSection("handling", 60, ("H1", "H2", "H3"), points={"H1": 2}, critical=("H3",)),
    ),
    critical_questions=("G1",),
    bonus_questions=(QaBonus("B1", 5), QaBonus("B2", 10)),
)  # fmt: skip
ALL_YES: dict[str, RawAnswer] = dict.fromkeys(("G1", "G2", "H1", "H2", "H3"), "yes")


def full(**changes: RawAnswer) -> dict[str, RawAnswer]:
    return {**ALL_YES, **{q.upper(): a for q, a in changes.items()}}


# --- points, na, critical and bonus --------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Fraction(100)),
        ({"g2": "no"}, Fraction(70)),  # G2 is 3 of opening's 4 points: 40 × 1/4 + 60
        ({"h1": "no"}, Fraction(70)),  # H1 is 2 of handling's 4 points: 40 + 60 × 2/4
        ({"h1": 1}, Fraction(85)),  # 1 of its 2 points: 40 + 60 × 3/4
        ({"h1": "na", "h2": "no"}, Fraction(70)),  # na leaves H2 and H3: 40 + 60 × 1/2
        ({"g1": "na", "g2": "na"}, Fraction(100)),  # a section all na drops out
        ({"g1": "na", "g2": "na", "h2": "no"}, Fraction(75)),  # handling alone: 3 of its 4 points
    ],
)
def test_question_points_weigh_inside_their_section_and_na_leaves_the_denominator(
    changes: dict[str, RawAnswer], expected: Fraction
) -> None:
    assert score_inspection(full(**changes), FORM).exact == expected


def test_a_no_on_a_section_critical_question_makes_only_that_section_zero() -> None:
    result = score_inspection(full(h3="no"), FORM)
    assert result.exact == 40  # opening's 40, handling 0 %
    assert [(s.code, s.percent, s.failed) for s in result.sections] == [("opening", 100, ()), ("handling", 0, ("H3",))]
    assert not result.critical_failure  # the inspection itself is not zeroed


def test_a_no_on_a_form_critical_question_makes_the_inspection_zero_bonus_and_all() -> None:
    result = score_inspection(full(g1="no", b2="yes"), FORM)
    assert (result.exact, result.critical_failures) == (0, ("G1",))


def test_bonus_questions_add_their_points_up_to_100_and_never_count_as_unanswered() -> None:
    base = score_inspection(full(h2="no"), FORM).exact  # 100 - 60 / 4 = 85
    assert base == 85
    assert score_inspection(full(h2="no", b1="yes"), FORM).exact == 90
    assert score_inspection(full(h2="no", b1=2.5), FORM).exact == Fraction(175, 2)  # half its points
    assert score_inspection(full(h2="no", b2="yes"), FORM).exact == 95
    assert score_inspection(full(b1="yes", b2="yes"), FORM).exact == 100  # capped
    assert score_inspection(full(b1="no", b2="na"), FORM).bonus == 0
    assert score_inspection(full(), FORM).unanswered == ()


def test_bonus_answers_alone_cannot_be_scored() -> None:
    with pytest.raises(RuleViolation) as exc:
        score_inspection({"B1": "yes", **dict.fromkeys(ALL_YES, "na")}, FORM)
    assert exc.value.field == "answer"


@pytest.mark.parametrize(("question", "raw", "credit"), [("G2", "3", 1), ("G2", "1.5", Fraction(1, 2)), ("H1", 2, 1),
                                                         ("B2", "2.5", Fraction(1, 4)), ("G1", "1", 1)])
def test_points_answers_run_up_to_the_question_s_points(question: str, raw: RawAnswer, credit: Fraction) -> None:
    assert parse_answer(question, raw, FORM).credit == credit


@pytest.mark.parametrize(("question", "raw"), [("G2", "3.5"), ("H1", 3), ("B1", "6"), ("G1", "2")])
def test_more_points_than_the_question_has_are_refused_naming_its_points(question: str, raw: RawAnswer) -> None:
    with pytest.raises(RuleViolation) as exc:
        parse_answer(question, raw, FORM)
    assert exc.value.field == "answer"
    assert exc.value.params["points"] == FORM.points_of(question)


@pytest.mark.parametrize(("raw", "given"), [("YES", "yes"), (" na ", "na"), ("0", "no"), (3, "yes"), ("1.50", "1.5"),
                                            ("1/3", "1/3"), (Fraction(3, 4), "0.75")])
def test_an_answer_is_kept_as_yes_no_na_or_its_points(raw: RawAnswer, given: str) -> None:
    answer = parse_answer("G2", raw, FORM)
    assert answer.given == given
    assert parse_answer("G2", answer.given, FORM).credit == answer.credit  # read back the same


def test_a_policy_stands_for_its_default_form() -> None:
    assert score_inspection({"Q01": "yes", "Q06": "no"}, POLICY).critical_failures == ("Q06",)
    with pytest.raises(RuleViolation) as exc:
        parse_answer("G1", "yes", POLICY)
    assert exc.value.field == "question"


# --- findings ----------------------------------------------------------------------------------


def test_failed_items_become_findings_with_kind_impact_and_deadline() -> None:
    answers = parse_answers(full(g1="no", g2="1", h3="no", h2="na", b1="no"), FORM)
    items = failed_items(answers, FORM, date(2026, 10, 5), 7)
    assert [(i.question, i.kind, i.impact) for i in items] == [
        ("G1", "opening", CRITICAL), ("G2", "opening", MINOR), ("H3", "handling", CRITICAL)]
    assert {i.deadline for i in items} == {date(2026, 10, 12)}
    plain = failed_items(parse_answers({"Q01": "no", "Q05": "0.5"}, POLICY), POLICY, date(2026, 10, 5), 3)
    assert [(i.question, i.kind, i.impact) for i in plain] == [("Q01", "etiquette", MAJOR), ("Q05", "service", MINOR)]


# --- rows of a file ------------------------------------------------------------------------------

DAY = date(2026, 10, 6)


def row(question: str = "Q01", answer: RawAnswer = "yes", **changes: object) -> InspectionRow:
    return dataclasses.replace(InspectionRow("A1", "C1", "QA1", DAY, question, answer), **changes)


@pytest.mark.parametrize(
    ("bad", "field"),
    [(row(form="NOPE"), "form"), (row(mode="phone"), "mode"), (row(question="G1"), "question"), (row(answer="2"), "answer")],
)
def test_a_row_names_what_is_wrong_with_it(bad: InspectionRow, field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        read_row(bad, POLICY)
    assert exc.value.field == field


@pytest.mark.parametrize("field", ["form", "mode"])
def test_rows_of_one_inspection_must_agree_on_form_and_mode(field: str) -> None:
    value = {"form": POLICY.qa.form_code, "mode": "live"}[field]
    with pytest.raises(RuleViolation) as exc:
        check_joins([row()], row("Q02", **{field: value}))
    assert exc.value.field == field


# --- the month -------------------------------------------------------------------------------------


def test_the_summary_averages_the_exact_scores_and_counts_critical_failures_and_open_findings() -> None:
    counted = [ScoredInspection("A1", Fraction(200, 3), False), ScoredInspection("A1", Fraction(0), True),
               ScoredInspection("A1", Fraction(185, 2), False)]  # fmt: skip
    (a1, a2) = summarise(counted, {"A2": 2})
    # (66.67 + 0 + 92.5) / 3 = 53.06
    assert (a1.agent, a1.inspections, a1.average, a1.critical_failures, a1.open_findings) == ("A1", 3, Decimal("53.1"), 1, 0)
    assert (a2.agent, a2.inspections, a2.average, a2.open_findings) == ("A2", 0, None, 2)


def test_a_finding_counts_as_open_from_its_day_until_it_is_closed() -> None:
    last = date(2026, 10, 31)
    findings = [Finding("A1", date(2026, 10, 9)), Finding("A1", date(2026, 9, 3), date(2026, 11, 2)),
                Finding("A1", date(2026, 10, 3), date(2026, 10, 31)), Finding("A2", date(2026, 11, 1))]  # fmt: skip
    assert open_at(findings, last) == {"A1": 2}


# --- calibration -----------------------------------------------------------------------------------


def entry(inspector: str, answers: dict[str, RawAnswer], calibration: bool = True) -> CalibrationEntry:
    parsed = parse_answers(answers, POLICY)
    return CalibrationEntry(inspector, parsed, score_inspection(answers, POLICY).exact, calibration)


def test_calibration_compares_every_inspector_with_the_counted_inspection() -> None:
    agreed = {"Q01": "yes", "Q02": "no", "Q05": "yes", "Q06": "yes"}
    result = calibrate([
        entry("QA2", {**agreed, "Q02": "yes"}),
        entry("QA1", agreed, calibration=False),
        entry("QA3", {**agreed, "Q05": "0.5", "Q01": "na"}),
    ], POLICY)  # fmt: skip
    assert result.agreed == "QA1"
    spread = {q.question: q for q in result.questions}
    assert list(spread) == ["Q01", "Q02", "Q05", "Q06"]  # the questions anyone answered, in form order
    assert (spread["Q02"].spread, spread["Q02"].differing, spread["Q02"].agreed) == (1, ("QA2",), 0)
    assert (spread["Q05"].spread, spread["Q05"].differing) == (Fraction(1, 2), ("QA3",))
    assert spread["Q01"].differing == ("QA3",) and spread["Q01"].spread == 0  # na differs but spreads nothing
    assert spread["Q06"].differing == ()
    by = {i.inspector: i for i in result.inspectors}
    assert (by["QA1"].difference, by["QA1"].differing) == (0, 0)
    assert (by["QA2"].difference, by["QA2"].differing) == (Fraction(150, 7), 1)  # etiquette 100 % instead of 50 %, 30 of 70
    assert by["QA3"].differing == 2


def test_without_a_counted_inspection_there_is_no_agreed_answer() -> None:
    result = calibrate([entry("QA1", {"Q01": "yes"}), entry("QA2", {"Q01": "no"})], POLICY)
    assert result.agreed is None
    assert result.questions[0].spread == 1 and result.questions[0].agreed is None
    assert all(i.difference is None and i.differing is None for i in result.inspectors)


# --- the policy's forms ------------------------------------------------------------------------------


def _site(tmp_path: Path, text: str) -> Path:
    site = tmp_path / "site.toml"
    site.write_text(text, encoding="utf-8")
    return site


EXTRA_FORM = """
[[qa.forms]]
code = "SALES"
version = 2
critical_questions = ["S2"]
[[qa.forms.sections]]
code = "pitch"
weight = 100
questions = ["S1", "S2", "S3"]
points = { S1 = 2 }
critical = ["S3"]
[[qa.forms.bonus_questions]]
code = "S9"
points = 5
"""


def test_a_site_adds_forms_with_points_critical_and_bonus_questions(tmp_path: Path) -> None:
    policy = load_policy(_site(tmp_path, EXTRA_FORM))
    form = policy.qa.form("SALES")
    assert (form.version, form.questions, form.bonus_points, form.points_of("S1")) == (2, ("S1", "S2", "S3"), {"S9": 5}, 2)
    assert policy.qa.form("") == policy.qa.default_form == policy.qa.form(policy.qa.form_code)
    assert score_inspection({"S1": "yes", "S2": "yes", "S3": "no", "S9": "yes"}, form).exact == 5
    row_on_it = InspectionRow("A1", "C1", "QA1", DAY, "S1", "1", form="SALES")
    assert read_row(row_on_it, policy).credit == Fraction(1, 2)


NOT_HERE = "names a question that is not in this section"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[qa]\nform_version = 0\n", "qa.form_version", "must be at least 1"),
        ("[qa]\ndefault_mode = \"phone\"\n", "qa.default_mode", "is not one of qa.modes"),
        ("[qa]\nspot_check_event = \"Z99\"\n", "qa.spot_check_event", "names an unknown event code"),
        ("[qa]\ncritical_questions = [\"Q99\"]\n", "qa.critical_questions", "names a question that is in no section"),
        (EXTRA_FORM.replace("weight = 100", "weight = 90"), "qa.forms[0].sections", "weights must add up to 100"),
        (EXTRA_FORM.replace("S1 = 2", "S7 = 2"), "qa.forms[0].sections[0].points.S7", NOT_HERE),
        (EXTRA_FORM.replace("S1 = 2", "S1 = 0"), "qa.forms[0].sections[0].points.S1", "must be at least 1"),
        (EXTRA_FORM.replace('critical = ["S3"]', 'critical = ["S8"]'), "qa.forms[0].sections[0].critical", NOT_HERE),
        (EXTRA_FORM.replace('code = "S9"', 'code = "S1"'), "qa.forms[0].sections.S1", "code used twice"),
        (EXTRA_FORM.replace('code = "SALES"', 'code = "STANDARD"'), "qa.forms.STANDARD", "code used twice"),
        (EXTRA_FORM.replace("points = 5", "points = 0"), "qa.forms[0].bonus_questions[0].points", "must be at least 1"),
    ],
)
def test_a_bad_form_is_named_key_by_key(tmp_path: Path, text: str, key: str, problem: str) -> None:
    with pytest.raises(PolicyError) as exc:
        load_policy(_site(tmp_path, text))
    assert (key, problem) in exc.value.problems


def test_a_form_s_stored_copy_builds_the_same_form() -> None:
    data = json.loads(json.dumps(dataclasses.asdict(FORM)))
    assert build_part(QaForm, data, "copy") == FORM
    with pytest.raises(PolicyError) as exc:
        build_part(QaForm, {**data, "version": "three"}, "copy")
    assert exc.value.problems == [("version", "must be a whole number")]


# --- properties -------------------------------------------------------------------------------------

QUESTIONS = (*ALL_YES, "B1", "B2")
ANSWER = st.one_of(st.sampled_from(["yes", "no", "na"]), st.fractions(0, 1, max_denominator=12))


def _scaled(raw: RawAnswer, question: str) -> RawAnswer:
    """A share of credit as the points of ``question`` (the form's answers are in points)."""
    return raw * FORM.points_of(question) if isinstance(raw, Fraction) else raw


ANSWER_SETS = st.fixed_dictionaries({q: ANSWER for q in QUESTIONS}).map(lambda d: {q: _scaled(a, q) for q, a in d.items()})
SCORABLE = ANSWER_SETS.filter(lambda d: any(d[q] != "na" for q in ALL_YES))


@settings(max_examples=200)
@given(SCORABLE)
def test_a_score_with_points_and_bonus_stays_between_0_and_100(raw: dict[str, RawAnswer]) -> None:
    assert 0 <= score_inspection(raw, FORM).exact <= 100


@settings(max_examples=200)
@given(SCORABLE, st.sampled_from(QUESTIONS))
def test_an_na_answer_is_the_same_as_no_answer(raw: dict[str, RawAnswer], question: str) -> None:
    with_na = {**raw, question: "na"}
    without = {q: a for q, a in raw.items() if q != question}
    if all(with_na[q] == "na" for q in ALL_YES):
        return
    assert score_inspection(with_na, FORM).exact == score_inspection(without, FORM).exact


@settings(max_examples=200)
@given(SCORABLE, st.sampled_from(QUESTIONS))
def test_a_yes_never_scores_lower_than_a_no(raw: dict[str, RawAnswer], question: str) -> None:
    worse = score_inspection({**raw, question: "no"}, FORM).exact
    better = score_inspection({**raw, question: "yes"}, FORM).exact
    assert worse <= better


@settings(max_examples=100)
@given(SCORABLE, st.integers(1, 9), st.integers(1, 9))
def test_weights_inside_a_section_do_not_matter_when_its_answers_agree(raw: dict[str, RawAnswer], g1: int, g2: int) -> None:
    raw = {**raw, "G1": "yes", "G2": "yes"}
    heavier = dataclasses.replace(FORM, sections=(dataclasses.replace(FORM.sections[0], points={"G1": g1, "G2": g2}),
                                                  FORM.sections[1]))  # fmt: skip
    assert score_inspection(raw, heavier).exact == score_inspection(raw, FORM).exact
