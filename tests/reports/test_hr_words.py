"""The right words on the HR forms (issue #14): a pending request is "awaiting approval", not
the handover's "to-do items"; money totals are 合计, not a score's 总分; names without raw codes;
who filed and decided as people, not logins; where an evaluation event came from, in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.labels import SHIFT_NAMES, name_of
from csdesk.reports import attendance_summary, leave_form, missed_punch_form, swap_form
from csdesk.services.attendance_types import (
    AgentMonth,
    AttendanceReportInput,
    FormHeader,
    LeaveRequest,
    LedgerEntry,
    PunchCorrection,
    ShiftSwap,
    Signer,
    TeamMonth,
)
from csdesk.services.base import SYSTEM
from csdesk.services.scorecard_explain import SOURCE_NAMES
from csdesk.services.scorecard_print import SheetText
from tests.helpers.pdf import pdf_text

LANGUAGES = ("zh_CN", "zh_TW", "es_ES", "en")
PENDING = {"zh_CN": "待审批", "zh_TW": "待審批", "es_ES": "pendiente", "en": "pending"}
TO_DO = ("待办内容", "待辦事項")  # "to-do items": the handover's column, not a request's state
MONEY_TOTAL = {"zh_CN": "合计", "zh_TW": "合計", "es_ES": "Total", "en": "Total"}
SCORE_TOTAL = ("总分", "總分")
HEADER = FormHeader("示例客服中心", datetime(2026, 10, 15, 9, 30), "zh_CN")
DAY = date(2026, 10, 20)


def _forms(tmp_path: Path) -> dict[str, str]:
    """The text of a pending leave, missed-punch and swap form in the current language."""
    leave = LeaveRequest(
        7, "E0001", "María Núñez", "客服一组", "SICK", DAY, DAY, None, "pending", "rodilla", True, False,
        datetime(2026, 10, 12, 10, 0), "maria", days=1, approvers=("supervisor",),
    )  # fmt: skip
    correction = PunchCorrection(
        3, "E0002", "张伟", None, DAY, datetime(2026, 10, 20, 18, 2), "reloj", "pending", DAY, "zhangwei"
    )
    swap = ShiftSwap(4, "E0002", "张伟", "E0003", "María Núñez", DAY, "E", "pending", "cita", datetime(2026, 10, 15, 9, 0))
    texts = {}
    for name, render, record in (("leave", leave_form, leave), ("punch", missed_punch_form, correction), ("swap", swap_form, swap)):
        out = tmp_path / f"{name}.pdf"
        render.render(record, HEADER, out)  # type: ignore[attr-defined]
        texts[name] = pdf_text(out)
    return texts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_pending_request_reads_awaiting_approval_on_every_form(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    for name, text in _forms(tmp_path).items():
        assert not any(word in text for word in TO_DO), name
        assert PENDING[lang] in text.lower(), name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forms_print_names_without_raw_codes(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    texts = _forms(tmp_path)
    assert "SICK" not in texts["leave"] and "(E)" not in texts["swap"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_who_filed_and_who_decided_are_people_with_employee_numbers_never_logins(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    leave = LeaveRequest(
        7, "E0001", "María Núñez", "客服一组", "SICK", DAY, DAY, None, "approved", "rodilla", True, False,
        datetime(2026, 10, 12, 10, 0), "system", decided_by="boss", decided_at=datetime(2026, 10, 13, 9, 0), days=1,
        approvers=("supervisor",),
    )  # fmt: skip
    out = tmp_path / "leave.pdf"
    leave_form.render(leave, HEADER, out, signers={"boss": Signer("supervisor", "周慧敏", "S001")})
    text = pdf_text(out)
    assert "周慧敏 (S001)" in text and "boss" not in text
    assert i18n._("System") in text and "system" not in text  # filed by an import, in words


def _summary() -> AttendanceReportInput:
    agent = AgentMonth(
        "E0001", "María Núñez", "Equipo Sur", "junior", (), late=1, absent=1, deduction_cny=70,
        ledger=(LedgerEntry(date(2026, 10, 3), "E0001", "María Núñez", "LATE", 20),
                LedgerEntry(date(2026, 10, 9), "E0001", "María Núñez", "MISSED_PUNCH", 50)),
    )  # fmt: skip
    days = tuple(date(2026, 10, d) for d in range(1, 32))
    return AttendanceReportInput(HEADER, TeamMonth(2026, 10, "Equipo Sur", days, (agent,), date(2026, 10, 31)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_money_totals_of_the_attendance_summary_read_sum_not_score(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    out = tmp_path / "summary.pdf"
    attendance_summary.render(_summary(), out)
    text = pdf_text(out)
    assert not any(word in text for word in SCORE_TOTAL)
    totals = [line for line in text.splitlines() if line.split()[:1] == [MONEY_TOTAL[lang]]]
    assert len(totals) == 2  # the agents' totals and the ledger's
    ledger = text[text.index(i18n._("Reward fund ledger")) :]
    assert "MISSED_PUNCH" not in ledger and "LATE" not in ledger  # ledger items in words ...
    assert i18n._("Missed punch") in ledger and i18n._("Late") in ledger


@pytest.mark.parametrize("lang", ("zh_CN", "es_ES", "en"))
def test_who_recorded_an_event_is_a_person_or_a_source_in_words(ctx, lang: str) -> None:
    ctx.demo.build(SYSTEM, agents=12, months=1, seed=7)
    sheets = ctx.scorecards.evaluation_sheets(SYSTEM, "2026-10", lang=lang)
    recorders = {e.recorded_by for s in sheets for e in s.events}
    text = SheetText(lang)
    assert not recorders & {"system", "attendance", "handover", "exam", "auto", "manual", ""}
    assert text(SOURCE_NAMES["attendance"]) in recorders  # M01/S01 from the attendance month
    logins = {u.username for u in ctx.auth.accounts(SYSTEM)}
    assert not recorders & logins  # a recorded event names the person behind the login, with their number
    people = {f"{p.name} ({p.employee_no})" for p in ctx.people.people(SYSTEM)}
    assert recorders & people


@pytest.mark.parametrize(("lang", "written"), (("zh_CN", "2026/10/"), ("es_ES", "/10/26"), ("en", "10/")))
def test_event_dates_and_reasons_on_the_sheet_are_in_the_sheet_s_language(ctx, lang: str, written: str) -> None:
    ctx.demo.build(SYSTEM, agents=12, months=1, seed=7)
    events = [e for s in ctx.scorecards.evaluation_sheets(SYSTEM, "2026-10", lang=lang) for e in s.events]
    assert events and all(written in e.day and "2026-10-" not in e.day for e in events)  # never ISO
    assert not any(e.note in ("MESSY_DESK", "INCOMPLETE_RECORD") for e in events)  # a handover reason in words


# --- the applicant and who entered the request (issue 14) ----------------------------------------

LEAVE = LeaveRequest(
    7, "E0001", "María Núñez", "客服一组", "SICK", DAY, DAY, None, "pending", "rodilla", True, False,
    datetime(2026, 10, 12, 10, 0), "boss", days=1, approvers=("supervisor",), certificate_required=True,
)  # fmt: skip
ACCOUNTS = {"boss": Signer("supervisor", "周慧敏", "S001"), "maria": Signer("agent", "María Núñez", "E0001")}


def _row(text: str, label: str) -> str:
    return " ".join(next(line for line in text.splitlines() if label in line).split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_applicant_is_the_employee_on_leave_and_who_typed_it_in_is_entered_by(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    out = tmp_path / "leave.pdf"
    leave_form.render(LEAVE, HEADER, out, signers=ACCOUNTS)  # the supervisor typed María's request in
    text = pdf_text(out)
    assert "María Núñez (E0001)" in _row(text, i18n._("Requested by"))  # 申请人: the employee, with her number
    assert "周慧敏 (S001)" in _row(text, i18n._("Entered by"))  # 录入人: the supervisor's person
    assert "boss" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_request_the_employee_filed_herself_has_no_entered_by(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    out = tmp_path / "leave.pdf"
    leave_form.render(replace(LEAVE, created_by="maria"), HEADER, out, signers=ACCOUNTS)
    text = pdf_text(out)
    assert "María Núñez (E0001)" in _row(text, i18n._("Requested by"))
    assert i18n._("Entered by") not in text and "maria" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_missed_punch_form_names_the_applicant_and_who_entered_it(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    correction = PunchCorrection(3, "E0001", "María Núñez", None, DAY, datetime(2026, 10, 20, 18, 2), "reloj",
                                 "pending", DAY, "boss")  # fmt: skip
    out = tmp_path / "punch.pdf"
    missed_punch_form.render(correction, HEADER, out, signers=ACCOUNTS)
    text = pdf_text(out)
    assert "María Núñez (E0001)" in _row(text, i18n._("Requested by"))
    assert "周慧敏 (S001)" in _row(text, i18n._("Entered by")) and "boss" not in text


# --- each person's shift before the swap, beside the shift after (issue 14) ------------------------


def _swap_rows(text: str, *people: str) -> list[list[str]]:
    """The shifts table's row of each person (the last line naming them): the words after them."""
    rows = []
    for who_ in people:
        line = " ".join([line for line in text.splitlines() if who_ in line][-1].split())
        rows.append(line[line.index(who_) + len(who_) :].split())
    return rows


def _words(code: str) -> list[str]:
    return name_of(SHIFT_NAMES, code).split()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_swap_form_prints_each_person_s_shift_before_and_after_the_swap(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    swap = ShiftSwap(4, "E0002", "张伟", "E0003", "María Núñez", DAY, "E", "pending", "cita", datetime(2026, 10, 15, 9, 0),
                     shift_before="E", colleague_shift_before="R", shift_after="R", colleague_shift_after="E")  # fmt: skip
    out = tmp_path / "swap.pdf"
    swap_form.render(swap, HEADER, out)
    text = pdf_text(out)
    assert i18n._("Shift before the swap") in text and i18n._("Shift after the swap") in text
    giver, taker = _swap_rows(text, "张伟 (E0002)", "María Núñez (E0003)")
    assert giver == _words("E") + _words("R") and taker == _words("R") + _words("E")


def _working_pair(ctx, day: date) -> tuple[tuple[str, str], tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Two agents of the demo with different shifts on ``day``: ((number, shift), (number, shift))."""
    month = ctx.attendance.team_month(SYSTEM, day.year, day.month)
    shifts = {a.employee_no: a.day(day).shift for a in month.agents if a.day(day) is not None and a.day(day).shift}
    first = next(iter(shifts))
    second = next(no for no, code in shifts.items() if code != shifts[first])
    return (first, shifts[first]), (second, shifts[second])


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_the_swap_form_prints_the_shifts_before_the_swap_once_it_is_approved(demo_ctx, tmp_path: Path, lang: str) -> None:
    ctx, supervisor = demo_ctx, demo_ctx.auth.resolve_actor("supervisor")
    day = date(2026, 10, 22)
    (giver, gives), (taker, takes) = _working_pair(ctx, day)
    names = {p.employee_no: p.name for p in ctx.people.people(SYSTEM)}
    people = (f"{names[giver]} ({giver})", f"{names[taker]} ({taker})")
    swap_id = ctx.attendance.request_swap(SYSTEM, giver, taker, day, "cita")
    i18n.install(lang)
    before_approval = tmp_path / "pending.pdf"
    ctx.attendance.print_swap_by_id(SYSTEM, swap_id, before_approval)
    ctx.attendance.decide_swap(supervisor, swap_id, True)
    assert ctx.attendance.swaps(SYSTEM, day.year, day.month)[0].shift_after == takes  # the roster has exchanged them
    approved = tmp_path / "approved.pdf"
    ctx.attendance.print_swap_by_id(SYSTEM, swap_id, approved)
    for out in (before_approval, approved):
        rows = _swap_rows(pdf_text(out), *people)
        assert rows == [_words(gives) + _words(takes), _words(takes) + _words(gives)], out.name
