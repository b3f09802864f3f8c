"""The attendance printouts: leave form, missed-punch form, swap form, monthly summary."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.labels import DAY_STATUS_NAMES, LEAVE_NAMES, ROLE_NAMES, SHIFT_NAMES, flag_label, name_of
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
from tests.helpers.pdf import pdf_pages, pdf_text

HEADER = FormHeader("示例客服中心", datetime(2026, 10, 15, 9, 30), "zh_CN")
OCTOBER = tuple(date(2026, 10, d) for d in range(1, 32))


def _leave(days: float, approvers: tuple[str, ...], **changes: object) -> LeaveRequest:
    values: dict[str, object] = {
        "id": 7,
        "employee_no": "E0001",
        "name": "María Núñez",
        "team": "客服一组",
        "leave_type": "SICK",
        "start": date(2026, 10, 20),
        "end": date(2026, 10, 20),
        "hours": None,
        "status": "pending",
        "reason": "膝盖手术 <&> rodilla",
        "certificate": True,
        "cancelled_on_return": False,
        "created_at": datetime(2026, 10, 12, 10, 0),
        "created_by": "maria",
        "days": days,
        "approvers": approvers,
    }
    values.update(changes)
    return LeaveRequest(**values)  # type: ignore[arg-type]


def _agent(no: str, name: str, team: str | None = "客服一组", **counts: object) -> AgentMonth:
    return AgentMonth(no, name, team, "junior", (), **counts)  # type: ignore[arg-type]


def _norm(text: str) -> str:
    """Runs of spaces (also Babel's no-break spaces, -layout padding) as one space."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def _render_text(render, *args: object, tmp_path: Path, name: str = "out.pdf") -> str:  # type: ignore[no-untyped-def]
    out = tmp_path / name
    render(*args, out)
    return pdf_text(out)


def test_leave_form_in_chinese_shows_person_type_dates_and_escaped_reason(tmp_path: Path) -> None:
    i18n.install("zh_CN")
    request = _leave(
        9,
        ("supervisor", "superior"),
        end=date(2026, 10, 30),
        converted_to_personal_days=2.5,
        status="approved",
    )
    text = _render_text(leave_form.render, request, HEADER, tmp_path=tmp_path)
    assert "María Núñez" in text and "E0001" in text and "客服一组" in text
    assert name_of(LEAVE_NAMES, "SICK") in text and "SICK" not in text  # 病假, not "病假 (SICK)"
    assert "病假" in text and "工号" in text
    assert i18n.format_date(date(2026, 10, 20)) in text and i18n.format_date(date(2026, 10, 30)) in text
    assert "膝盖手术 <&> rodilla" in text and "&amp;" not in text and "&lt;" not in text
    assert i18n.format_number(2.5) in text  # converted to personal leave
    assert "客服主管" in text  # the supervisor in the approval chain


def test_leave_form_lists_hours_of_a_part_day_and_omits_conversion_when_zero(tmp_path: Path) -> None:
    i18n.install("es_ES")
    request = _leave(0.5, ("supervisor",), hours=3.5, leave_type="NURSING")
    text = _render_text(leave_form.render, request, HEADER, tmp_path=tmp_path)
    assert name_of(LEAVE_NAMES, "NURSING") in text and "NURSING" not in text
    assert "3,5 h" in text and "0,50" in text  # hours as hours; the day's fraction to two decimals
    assert "Converted to personal leave" not in text


def test_superior_signs_only_when_the_chain_includes_the_superior(tmp_path: Path) -> None:
    short = _render_text(
        leave_form.render, _leave(1, ("supervisor",)), HEADER, tmp_path=tmp_path, name="short.pdf"
    )
    long = _render_text(
        leave_form.render,
        _leave(9, ("supervisor", "superior"), end=date(2026, 10, 30)),
        HEADER,
        tmp_path=tmp_path,
        name="long.pdf",
    )
    assert short.count("Signature:") == 2 and "Superior" not in short
    assert long.count("Signature:") == 3 and "Superior" in long


def test_missed_punch_form_in_spanish_shows_the_correction_and_decision(tmp_path: Path) -> None:
    i18n.install("es_ES")
    correction = PunchCorrection(
        3,
        "E0002",
        "张伟",
        "Equipo María",
        date(2026, 10, 14),
        datetime(2026, 10, 14, 18, 2),
        "El reloj falló <&> 打卡机故障",
        "approved",
        date(2026, 10, 15),
        "zhangwei",
        "admin",
        datetime(2026, 10, 15, 11, 0),
    )
    # zhangwei's account belongs to 张伟; admin's is linked to no person.
    signers = {"zhangwei": Signer("agent", "张伟", "E0002"), "admin": Signer("supervisor")}
    out = tmp_path / "out.pdf"
    missed_punch_form.render(correction, HEADER, out, signers=signers)
    text = pdf_text(out)
    for expected in (
        "张伟 (E0002)",
        "Equipo María",
        "El reloj falló <&> 打卡机故障",
        f"admin ({name_of(ROLE_NAMES, 'supervisor')})",
        "18:02",
    ):
        assert expected in text
    assert "zhangwei" not in text  # the applicant's person, not their sign-in name
    assert i18n.format_date(date(2026, 10, 14)) in text and i18n.format_date(date(2026, 10, 15)) in text
    assert "N.º de empleado" in text  # "Employee no." is in the catalogue
    assert text.count("Signature:") + text.count("Firma:") == 2


def test_missed_punch_after_midnight_shows_the_date_of_the_punch(tmp_path: Path) -> None:
    correction = PunchCorrection(
        4,
        "E0002",
        "张伟",
        None,
        date(2026, 10, 14),
        datetime(2026, 10, 15, 0, 5),
        "late shift",
        "pending",
        date(2026, 10, 15),
        "zhangwei",
    )
    text = _render_text(missed_punch_form.render, correction, HEADER, tmp_path=tmp_path)
    assert _norm(i18n.format_datetime(datetime(2026, 10, 15, 0, 5), "short")) in _norm(text)


def test_swap_form_names_both_people_the_shift_and_three_signers(tmp_path: Path) -> None:
    i18n.install("es_ES")
    swap = ShiftSwap(
        4,
        "E0002",
        "张伟",
        "E0003",
        "María Núñez",
        date(2026, 10, 22),
        "E",
        "pending",
        "Cita médica <&> 家里有事",
        datetime(2026, 10, 15, 9, 0),
        shift_before="E",
        colleague_shift_before="D",
        shift_after="D",
        colleague_shift_after="E",
    )
    text = _render_text(swap_form.render, swap, HEADER, tmp_path=tmp_path)
    assert "张伟 (E0002)" in text and "María Núñez (E0003)" in text
    assert "Turno de tarde" in text and f"{name_of(SHIFT_NAMES, 'E')} (E)" not in text  # the name, no code
    assert "Cita médica <&> 家里有事" in text
    assert i18n.format_date(date(2026, 10, 22)) in text
    assert text.count("Signature:") + text.count("Firma:") == 3


def _summary(agents: tuple[AgentMonth, ...], team: str | None = "客服一组") -> AttendanceReportInput:
    return AttendanceReportInput(HEADER, TeamMonth(2026, 10, team, OCTOBER, agents, date(2026, 10, 31)))


def _line_with(text: str, tokens: list[str]) -> bool:
    """Some line of the layout text holds ``tokens`` side by side (a row of counts)."""
    wanted = f" {' '.join(tokens)} "
    return any(wanted in f" {_norm(line)} " for line in text.splitlines())


def test_summary_lists_agents_totals_ledger_and_legend(tmp_path: Path) -> None:
    i18n.install("zh_CN")
    zhang = _agent(
        "E0001",
        "张伟",
        late=2,
        early=1,
        deduction_cny=1310,
        flags=("DISCIPLINARY_REVIEW",),
        ledger=(
            LedgerEntry(date(2026, 10, 3), "E0001", "张伟", "LATE", 20),
            LedgerEntry(date(2026, 10, 9), "E0001", "张伟", "PAY_CUT", 1250),
        ),
        absent=1,
    )
    maria = _agent(
        "E0002",
        "María Núñez",
        early=1,
        missed=1,
        leave_days=1.5,
        deduction_cny=30,
        ledger=(
            LedgerEntry(date(2026, 10, 5), "E0002", "María Núñez", "EARLY", 20),
            LedgerEntry(date(2026, 10, 6), "E0002", "María Núñez", "MISSED_PUNCH", 10),
        ),
    )
    full = _agent("E0003", "李娜", full_attendance_bonus_cny=100)
    text = _render_text(attendance_summary.render, _summary((zhang, maria, full)), tmp_path=tmp_path)
    assert i18n.format_month(2026, 10) in text and "客服一组" in text
    for expected in (
        "张伟",
        "María Núñez",
        "李娜",
        "E0001",
        "E0002",
        "E0003",
        flag_label("DISCIPLINARY_REVIEW"),
    ):
        assert expected in text
    # late, early, absent, missed, leave days, deduction, bonus
    assert _line_with(text, ["2", "1", "1", "0", "0", "1,310", "0"])
    assert _line_with(text, ["2", "2", "1", "1", "1.5", "1,340", "100"])  # totals row
    assert "2026/10/9" in text and "漏打卡" in text and "迟到" in text  # ledger items in words ...
    assert "PAY_CUT" not in text and "MISSED_PUNCH" not in text  # ... not as codes
    assert _norm(i18n.format_money(1300, "CNY")) in _norm(text)  # the ledger's total: 20 + 1250 + 20 + 10
    assert name_of(DAY_STATUS_NAMES, "REST") in text and "休息日" in text and "NOSHIFT" in text
    assert "班组长" in text and "客服主管" in text  # team lead and supervisor sign


def test_summary_in_spanish_formats_numbers_and_money_the_spanish_way(tmp_path: Path) -> None:
    i18n.install("es_ES")
    maria = _agent(
        "E0002",
        "María Núñez",
        absent=3,
        leave_days=2.5,
        deduction_cny=1400,
        ledger=(
            LedgerEntry(date(2026, 10, 7), "E0002", "María Núñez", "PAY_CUT", 1250),
            LedgerEntry(date(2026, 10, 8), "E0002", "María Núñez", "ABSENT", 150),
        ),
    )
    text = _render_text(
        attendance_summary.render, _summary((maria, _agent("E0001", "张伟"))), tmp_path=tmp_path
    )
    assert "octubre de 2026" in text
    assert _line_with(text, ["0", "0", "3", "0", "2,5", "1.400", "0"])
    assert _norm(i18n.format_money(1400, "CNY")) in _norm(text)
    assert "Ausencia injustificada" in text and "Fichaje olvidado" in text  # catalogue headers


def test_summary_of_all_teams_groups_agents_by_team_with_subtotals(tmp_path: Path) -> None:
    agents = (
        _agent("E0001", "张伟", "客服一组", late=1, deduction_cny=20),
        _agent("E0002", "María Núñez", "Equipo B", absent=1, deduction_cny=50),
    )
    text = _render_text(attendance_summary.render, _summary(agents, team=None), tmp_path=tmp_path)
    assert "All teams" in text and "客服一组" in text and "Equipo B" in text
    assert _line_with(text, ["1", "0", "0", "0", "0", "20", "0"]) and _line_with(
        text, ["1", "0", "1", "0", "0", "70", "0"]
    )
    assert text.count("Subtotal") == 2


def test_summary_without_deductions_still_prints_the_totals(tmp_path: Path) -> None:
    text = _render_text(
        attendance_summary.render,
        _summary((_agent("E0001", "张伟", full_attendance_bonus_cny=100),)),
        tmp_path=tmp_path,
    )
    assert "E0001" in text and _line_with(text, ["0", "0", "0", "0", "0", "0", "100"])


def test_summary_of_sixty_agents_runs_over_pages_repeating_the_header(tmp_path: Path) -> None:
    i18n.install("zh_CN")
    agents = tuple(
        _agent(
            f"E{i:04d}",
            "张伟" if i % 2 else "María Núñez",
            late=1,
            deduction_cny=20,
            ledger=(LedgerEntry(date(2026, 10, 1 + i % 28), f"E{i:04d}", "张伟", "LATE", 20),),
        )
        for i in range(60)
    )
    out = tmp_path / "summary.pdf"
    attendance_summary.render(_summary(agents), out)
    text = pdf_text(out)
    pages = [p for p in text.split("\f") if p.strip()]
    assert pdf_pages(out) >= 2 and len(pages) == pdf_pages(out)
    assert all("工号" in page and "姓名" in page for page in pages)  # table headers repeated
    assert all(f"E{i:04d}" in text for i in range(60))
    assert _line_with(text, ["60", "0", "0", "0", "0", "1,200", "0"])
    assert _norm(i18n.format_money(1200, "CNY")) in _norm(text)


def test_forms_render_into_a_binary_stream(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    leave_form.render(_leave(1, ("supervisor",)), HEADER, buffer)
    assert buffer.getvalue().startswith(b"%PDF")


# --- issue 14: what the leave form says, and the summary's headings in Chinese ---------------------


def test_the_certificate_line_prints_only_for_a_type_that_requires_one(tmp_path: Path) -> None:
    i18n.install("zh_CN")
    sick = _leave(1, ("supervisor",), certificate_required=True, certificate=True)
    # Personal leave requires none: an old record or an import that stored a certificate prints no line.
    personal = _leave(1, ("supervisor",), leave_type="PERSONAL", certificate_required=False, certificate=True)
    sick_text = _render_text(leave_form.render, sick, HEADER, tmp_path=tmp_path, name="sick.pdf")
    personal_text = _render_text(leave_form.render, personal, HEADER, tmp_path=tmp_path, name="personal.pdf")
    assert i18n._("Attachments") in sick_text and i18n._("Certificate provided") in sick_text
    assert i18n._("Attachments") not in personal_text and i18n._("Certificate provided") not in personal_text
    assert i18n._("None required") not in personal_text


def test_a_leave_counted_as_cancelled_without_a_return_record_leaves_the_sign_off_to_fill(tmp_path: Path) -> None:
    # An approved leave imported from a file counts as cancelled on return for the rules, but
    # nobody recorded the return: the form's 销假 is not "done".
    i18n.install("zh_CN")
    imported = _leave(1, ("supervisor",), status="approved", cancelled_on_return=True, cancel_required=True)
    text = _render_text(leave_form.render, imported, HEADER, tmp_path=tmp_path)
    row = next(line for line in text.splitlines() if i18n._("Returned on") in line)
    assert i18n._("Done") not in row and i18n._("Required") in row
    assert len(re.findall(r"_{8,}", row)) == 2  # the date and who signs it off, to fill in


def _headings(text: str) -> str:
    """The summary's heading rows (before the first agent), one line each."""
    return text[: text.index("A0001")]


@pytest.mark.parametrize(("lang", "bonus"), [("zh_CN", "全勤奖"), ("zh_TW", "全勤獎金")])
def test_a_chinese_heading_keeps_its_unit_bracket_whole(tmp_path: Path, lang: str, bonus: str) -> None:
    i18n.install(lang)
    agents = tuple(_agent(f"A{n:04d}", "María Fernández Rodríguez-Villanueva", late=12, deduction_cny=1234,
                          full_attendance_bonus_cny=100) for n in range(1, 4))  # fmt: skip
    heads = _headings(_render_text(attendance_summary.render, _summary(agents), tmp_path=tmp_path))
    lines = [line.split() for line in heads.splitlines()]
    words = [w for line in lines for w in line]
    assert bonus in words and words.count("（CNY）") == 2  # the deduction's and the bonus's units, whole
    assert not [w for w in words if w.endswith("（") or w.startswith("CNY") or w == "）"]  # never "全勤奖（" / "CNY）"
