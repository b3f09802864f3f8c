"""ScorecardService on real SQLite: ratings, exams, events, corrections, ranking, explanation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from csdesk.errors import NotFound, PermissionDenied, ValidationError
from csdesk.services.base import SYSTEM, Actor

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


SUPERVISOR = Actor("supervisor", "supervisor")
TRAINER = Actor("trainer", "trainer")
LEAD = Actor("lead1", "team_lead", 15)  # L001, team lead of 客服一组 (the fixture checks the id)
QA = Actor("qa", "qa")
MONTH = "2026-10"


@dataclass(frozen=True)
class AttendanceMonth:
    """Shaped like the attendance area's month summary (the AttendanceLine protocol)."""

    late: int = 0
    early: int = 0
    absent: int = 0
    missed: int = 0
    leave_days: float = 0.0
    deduction_cny: int = 0
    full_attendance_bonus_cny: int = 0


# A department of its own (not the shared demo, which other areas fill with their own events):
# employee no, name, team, level, join date.
AGENTS = (
    ("A001", "孙艳", "客服一组", "senior", date(2023, 3, 1)),
    ("A002", "胡艳", "客服二组", "senior", date(2022, 6, 1)),
    ("A003", "Carmen García Jiménez", "Equipo Sur", "senior", date(2021, 1, 10)),
    ("A004", "张娜", "客服一组", "intermediate", date(2024, 2, 5)),
    ("A005", "周晓东", "客服二组", "senior", date(2020, 9, 1)),
    ("A006", "Núria García Rodríguez", "Equipo Sur", "junior", date(2025, 4, 1)),
    ("A007", "胡杰", "客服一组", "junior", date(2025, 8, 18)),
    ("A008", "马磊", "客服二组", "senior", date(2022, 11, 1)),
    ("A009", "Begoña González López", "Equipo Sur", "senior", date(2023, 7, 3)),
    ("A010", "何平", "客服一组", "junior", date(2025, 1, 6)),
    ("A011", "郭刚", "客服二组", "trainee", date(2026, 9, 21)),
    ("A012", "Begoña García Fernández", "Equipo Sur", "intermediate", date(2024, 5, 20)),
)


@pytest.fixture(name="sc_ctx")
def sc_ctx_fixture(ctx):
    """``ctx`` with 12 agents in three teams, a supervisor, a trainer, a team lead and logins."""
    from csdesk.models.domain import PersonData

    people = ctx.people
    for no, name, team, level, joined in AGENTS:
        people.add(SUPERVISOR, PersonData(no, name, team, "agent", level, joined))
    for no, name, role in (("S001", "周慧敏", "supervisor"), ("S002", "Carmen Ibáñez Ruiz", "trainer"), ("L001", "王强", "team_lead")):
        team = "客服一组" if role == "team_lead" else None
        people.add(SUPERVISOR, PersonData(no, name, team, role, None, date(2019, 1, 1)))
    assert people.get(SUPERVISOR, "L001").id == LEAD.person_id
    for user, no, role in (("supervisor", "S001", "supervisor"), ("trainer", "S002", "trainer"), ("lead1", "L001", "team_lead"), ("agent1", "A001", "agent")):
        ctx.auth.create_user(SUPERVISOR, user, "demo-pass", role, no)
    return ctx


def rate(ctx, no: str, values=(25, 17.5, 12, 13), month: str = MONTH, actor: Actor = TRAINER) -> None:
    for criterion, value in zip(("service_quality", "execution", "collaboration", "discipline"), values, strict=True):
        ctx.scorecards.set_rating(actor, month, no, criterion, value)


def card(ctx, no: str, month: str = MONTH):
    return ctx.scorecards.scorecard(SUPERVISOR, month, no)


def test_decimal_ratings_are_kept_exactly_and_make_the_total(sc_ctx) -> None:
    rate(sc_ctx, "A001", (28.7, 18.9, 11.8, 10.6))
    c = card(sc_ctx, "A001")
    assert c.card.rated == Decimal("70.0") and c.card.grade == "C" and c.card.complete
    assert c.ratings["service_quality"].value == Decimal("28.7")
    assert c.ratings["service_quality"].updated_by == "trainer"


def test_a_rating_above_the_criterion_maximum_is_refused_naming_the_field(sc_ctx) -> None:
    with pytest.raises(ValidationError) as info:
        sc_ctx.scorecards.set_rating(TRAINER, MONTH, "A001", "service_quality", 31)
    assert info.value.field == "service_quality"
    assert "between 0 and 30" in info.value.message()


def test_only_the_trainer_and_the_supervisor_may_rate(sc_ctx) -> None:
    sc_ctx.scorecards.set_rating(SUPERVISOR, MONTH, "A001", "execution", 18)
    for actor in (LEAD, QA):
        with pytest.raises(PermissionDenied):
            sc_ctx.scorecards.set_rating(actor, MONTH, "A001", "execution", 18)
    with pytest.raises(PermissionDenied):
        sc_ctx.scorecards.record_event(QA, "A001", date(2026, 10, 2), "M02")


def test_an_adjustment_needs_a_reason_unless_it_is_zero(sc_ctx) -> None:
    with pytest.raises(ValidationError) as info:
        sc_ctx.scorecards.set_adjustment(TRAINER, MONTH, "A001", 3, "  ")
    assert info.value.field == "adjustment_reason"
    sc_ctx.scorecards.set_adjustment(TRAINER, MONTH, "A001", 0, "")
    result = sc_ctx.scorecards.set_adjustment(TRAINER, MONTH, "A001", -2.5, "left early twice")
    assert result.card.adjustment == Decimal("-2.5") and result.adjustment.reason == "left early twice"


def test_full_marks_add_b02_and_a_failed_exam_adds_d07_and_a_retake_flag(sc_ctx) -> None:
    rate(sc_ctx, "A001")
    rate(sc_ctx, "A002")
    sc_ctx.scorecards.set_exam(TRAINER, MONTH, "A001", 100)
    sc_ctx.scorecards.set_exam(TRAINER, MONTH, "A002", 59.5)
    good, bad = card(sc_ctx, "A001"), card(sc_ctx, "A002")
    assert good.card.bonus == 5 and [line.source_ref for line in good.card.lines if line.code == "B02"] == ["exam"]
    assert bad.card.deduction == 10 and "EXAM_RETAKE" in bad.flags


def test_an_event_gets_the_code_default_points_and_an_unsigned_number_takes_the_code_sign(sc_ctx) -> None:
    sc = sc_ctx.scorecards
    assert sc.record_event(LEAD, "A001", date(2026, 10, 2), "M01").points == -2
    assert sc.record_event(LEAD, "A001", date(2026, 10, 3), "M01", 4, "20 min").points == -4
    event = sc.record_event(SUPERVISOR, "A001", date(2026, 10, 4), "B03", note="covered <&> night")
    assert (event.points, event.recorded_by, event.note) == (5, "supervisor", "covered <&> night")
    assert card(sc_ctx, "A001").card.deduction == 6


@pytest.mark.parametrize(
    ("code", "points", "day", "field"),
    [
        ("M01", -6, date(2026, 10, 2), "points"),
        ("B02", None, date(2026, 10, 2), "code"),
        ("Z99", None, date(2026, 10, 2), "code"),
        ("M01", None, date(2026, 10, 16), "date"),
    ],
)
def test_a_bad_event_is_refused_naming_the_field(sc_ctx, code, points, day, field) -> None:
    with pytest.raises(ValidationError) as info:
        sc_ctx.scorecards.record_event(LEAD, "A001", day, code, points)
    assert info.value.field == field


def test_a_once_a_month_bonus_cannot_be_recorded_twice(sc_ctx) -> None:
    sc_ctx.scorecards.record_event(SUPERVISOR, "A001", date(2026, 10, 2), "B05")
    with pytest.raises(ValidationError, match="already has it on 2026-10-02"):
        sc_ctx.scorecards.record_event(SUPERVISOR, "A001", date(2026, 10, 9), "B05")


def test_unknown_agent_is_not_found(sc_ctx) -> None:
    with pytest.raises(NotFound):
        sc_ctx.scorecards.record_event(LEAD, "ZZZ", date(2026, 10, 2), "M02")


def test_a_correction_needs_a_reason_and_keeps_the_old_values(sc_ctx) -> None:
    sc = sc_ctx.scorecards
    event = sc.record_event(LEAD, "A001", date(2026, 10, 2), "M07", -2, "late ticket")
    with pytest.raises(ValidationError) as info:
        sc.correct_event(LEAD, event.id, " ", points=-5)
    assert info.value.field == "reason"
    after = sc.correct_event(SUPERVISOR, event.id, "three tickets, not one", points=-5)
    assert (after.points, after.revision, after.corrected) == (-5, 1, True)
    trail = sc.corrections(SUPERVISOR, [event.id])
    assert [(t.action, t.by, t.reason, t.before["points"], t.after["points"]) for t in trail] == [
        ("correct", "supervisor", "three tickets, not one", -2, -5)
    ]
    assert card(sc_ctx, "A001").card.deduction == 5


def test_a_voided_event_stays_on_record_and_no_longer_counts(sc_ctx) -> None:
    sc = sc_ctx.scorecards
    event = sc.record_event(LEAD, "A001", date(2026, 10, 2), "S02", note="complaint")
    voided = sc.void_event(SUPERVISOR, event.id, "complaint withdrawn")
    assert voided.voided
    assert card(sc_ctx, "A001").card.deduction == 0
    with pytest.raises(ValidationError):
        sc.void_event(SUPERVISOR, event.id, "again")
    trail = sc.corrections(SUPERVISOR, [event.id])
    assert trail[0].action == "void" and trail[0].reason == "complaint withdrawn"


def test_the_database_refuses_to_delete_an_event_or_its_trail(sc_ctx) -> None:
    event = sc_ctx.scorecards.record_event(LEAD, "A001", date(2026, 10, 2), "M02")
    sc_ctx.scorecards.void_event(LEAD, event.id, "wrong agent")
    from csdesk.models.db import make_engine

    engine = make_engine(sc_ctx.db_url)
    for stmt in ("DELETE FROM evaluation_events", "DELETE FROM evaluation_event_corrections", "UPDATE evaluation_event_corrections SET reason='x'"):
        with pytest.raises(Exception, match="never deleted|append-only"), engine.begin() as conn:
            conn.execute(text(stmt))


def test_every_write_is_audited(sc_ctx) -> None:
    rate(sc_ctx, "A001")
    sc_ctx.scorecards.set_exam(TRAINER, MONTH, "A001", 88)
    event = sc_ctx.scorecards.record_event(LEAD, "A001", date(2026, 10, 2), "M02")
    sc_ctx.scorecards.void_event(LEAD, event.id, "mistake")
    actions = [e.action for e in sc_ctx.audit.recent(SUPERVISOR)]
    for action in ("rating.set", "exam.set", "event.record", "event.void"):
        assert action in actions


def test_ranking_is_department_wide_with_shared_ranks_and_a_team_rank(sc_ctx) -> None:
    rate(sc_ctx, "A001", (30, 20, 15, 15))
    rate(sc_ctx, "A002", (30, 20, 15, 15))
    rate(sc_ctx, "A003", (20, 15, 10, 10))
    month = sc_ctx.scorecards.month(SUPERVISOR, MONTH)
    ranks = {c.employee_no: c.rank for c in month.cards}
    assert ranks["A001"] == ranks["A002"] == 1 and ranks["A003"] == 3
    team = sc_ctx.scorecards.month(SUPERVISOR, MONTH, team="Equipo Sur").cards
    assert {c.agent.team for c in team} == {"Equipo Sur"}
    assert all((c.team_rank is not None) == c.card.is_rated for c in team)
    ranked = [c.rank for c in month.cards if c.rank is not None]
    assert ranked == sorted(ranked) and month.cards[len(ranked)].rank is None  # not rated: after the ranked, no rank


def test_the_explanation_adds_up_to_the_total(sc_ctx) -> None:
    rate(sc_ctx, "A001", (30, 20, 15, 15))
    sc_ctx.scorecards.set_exam(TRAINER, MONTH, "A001", 100)
    sc_ctx.scorecards.set_adjustment(TRAINER, MONTH, "A001", 5, "team player")
    for day in (2, 3, 6, 7, 8, 9):
        sc_ctx.scorecards.record_event(SUPERVISOR, "A001", date(2026, 10, day), "B03")
    ex = sc_ctx.scorecards.explain(SUPERVISOR, MONTH, "A001")
    c = ex.card.card
    assert c.raw_total == 80 + 5 + 30 + 5 and c.total == 110
    assert sum(line.points for line in ex.for_part("total") if line.points is not None) == c.total
    assert [line.code for line in ex.for_part("total") if line.code == "cap"] == ["cap"]
    adjustment = ex.for_part("adjustment")[0]
    assert adjustment.note == "team player" and adjustment.who == "trainer"
    assert ex.for_part("pay_float")[0].points == 300 and "(total 110 − 80)" in ex.for_part("pay_float")[0].text


def test_an_agent_may_read_only_their_own_card(sc_ctx) -> None:
    agent_user = sc_ctx.auth.login("agent1", "demo-pass")
    own = sc_ctx.scorecards.month(agent_user, MONTH)
    assert [c.employee_no for c in own.cards] == ["A001"]
    with pytest.raises(PermissionDenied):
        sc_ctx.scorecards.scorecard(agent_user, MONTH, "A002")


def test_the_attendance_line_comes_from_the_hook_when_wired(sc_ctx) -> None:
    # The composition root wires the attendance area in; with no punches the line is all zeros.
    assert sc_ctx.scorecards.attendance_line(SYSTEM, "A001", 2026, 10).deduction_cny == 0
    seen = []

    def month_line(no: str, year: int, month: int) -> AttendanceMonth:
        seen.append((no, year, month))
        return AttendanceMonth(late=2, deduction_cny=40)

    sc_ctx.scorecards.set_attendance_source(month_line)
    ex = sc_ctx.scorecards.explain(SUPERVISOR, MONTH, "A001")
    assert seen == [("A001", 2026, 10)]
    assert ex.for_part("attendance")[0].points == -40 and "late 2" in ex.for_part("attendance")[0].text


def test_the_trend_skips_months_with_nothing_entered(sc_ctx) -> None:
    rate(sc_ctx, "A001", (20, 15, 10, 10), month="2026-08")
    rate(sc_ctx, "A001")
    points = sc_ctx.scorecards.trend(SUPERVISOR, MONTH, "A001")
    assert [(p.month, p.total) for p in points] == [("2026-08", 55), ("2026-10", Decimal("67.5"))]


def test_events_another_area_keeps_count_and_are_traced_to_it(sc_ctx) -> None:
    from csdesk.services.scorecards import ExternalEvent

    def penalties(_uow: object, start: date, end: date, _nos: object) -> list[ExternalEvent]:
        penalty = ExternalEvent("A001", date(2026, 10, 8), "M04", -5, "12", "记录不完整", "lead1")
        return [penalty] if start <= penalty.day <= end else []

    sc_ctx.scorecards.add_event_source("handover", penalties)
    rate(sc_ctx, "A001")
    ex = sc_ctx.scorecards.explain(SUPERVISOR, MONTH, "A001")
    line = ex.for_part("deduction")[0]
    assert (line.code, line.points, line.source, line.who, line.note) == ("M04", -5, "handover:12", "lead1", "记录不完整")
    assert "from the handover log" in line.text
    listed = sc_ctx.scorecards.event_lines(SUPERVISOR, sc_ctx.scorecards.scorecard(SUPERVISOR, MONTH, "A001"))
    assert [(e.source, e.ref, e.recorded_by) for e in listed] == [("handover", "handover:12", "lead1")]
    sheet = sc_ctx.scorecards.evaluation_sheets(SUPERVISOR, MONTH, employee_no="A001", lang="en")[0]
    # The sheet says where an event came from in words (issue #14), not the recording login.
    assert [(e.code, e.recorded_by, e.note) for e in sheet.events] == [("M04", "from the handover log", "记录不完整")]
    assert sc_ctx.scorecards.trend(SUPERVISOR, MONTH, "A001")[-1].total == Decimal("62.5")


@pytest.mark.parametrize(("lang", "month_text", "rated"), [("zh_CN", "2026年10月", "67.5"), ("es_ES", "octubre de 2026", "67,5")])
def test_sheets_are_formatted_in_their_own_language_whatever_the_ui_speaks(sc_ctx, tmp_path, lang, month_text, rated) -> None:
    from csdesk import i18n
    from tests.helpers.pdf import pdf_pages, pdf_text

    rate(sc_ctx, "A001")
    sc_ctx.scorecards.set_adjustment(TRAINER, MONTH, "A001", 1, "ayudó <&> 帮助")
    sheets = sc_ctx.scorecards.evaluation_sheets(SUPERVISOR, MONTH, team="Equipo Sur", lang=lang)
    assert {s.team for s in sheets} == {"Equipo Sur"}
    one = sc_ctx.scorecards.evaluation_sheets(SUPERVISOR, MONTH, employee_no="A001", lang=lang)[0]
    assert (one.month, one.rated_total) == (month_text, rated)
    assert i18n.current_language() == "en"  # the UI's language was never switched
    out = tmp_path / "sheets.pdf"
    result = sc_ctx.scorecards.print_evaluation(SUPERVISOR, MONTH, out, lang=lang)
    assert result.sheets == 12 == pdf_pages(out)
    text = pdf_text(out)
    names = [c.name for c in sc_ctx.scorecards.month(SUPERVISOR, MONTH).cards]
    assert any(not n.isascii() and " " in n for n in names)  # Spanish names with accents
    for name in names:
        assert name in text
    assert "ayudó <&> 帮助" in text and month_text in text
