"""Callback printouts read back as text (pdftotext), and the iCalendar / XLSX exports read back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.reports import birthday_list, call_sheet, callback_performance
from csdesk.reports.callback_inputs import (
    BirthdayLine,
    BirthdayListInput,
    CallSheetInput,
    CallSheetLine,
    PerformanceInput,
    PerformanceRow,
)
from csdesk.services.callback_dto import Agenda, AgendaCall
from csdesk.services.callback_export import fold, ics_escape, unfold, write_ics, write_xlsx
from tests.helpers.pdf import pdf_pages, pdf_text

PRINTED = datetime(2026, 10, 27, 17, 0)


def _birthdays() -> BirthdayListInput:
    vip = BirthdayLine("张小明", date(2019, 11, 3), date(2026, 11, 3), 7, "138****5678", "A001", "孙艳")
    normal = BirthdayLine("Íñigo Núñez", date(2020, 11, 20), date(2026, 11, 20), 6, "600 123 456", "A002", "María Peña")
    return BirthdayListInput(date(2026, 11, 1), (vip,), (normal,), PRINTED)


@pytest.mark.parametrize(("lang", "month"), [("zh_CN", "2026年11月"), ("es_ES", "noviembre de 2026"), ("zh_TW", "2026年11月"), ("en", "November 2026")])
def test_birthday_list_prints_vip_apart_in_each_language(tmp_path: Path, lang: str, month: str) -> None:
    i18n.install(lang)
    out = tmp_path / "bd.pdf"
    birthday_list.render(_birthdays(), out)
    text = pdf_text(out)
    assert month in text
    assert text.index("张小明") < text.index("Íñigo Núñez")  # the VIP list comes first
    assert "138****5678" in text and "María Peña" in text and pdf_pages(out) == 1


def test_an_empty_birthday_list_says_so(tmp_path: Path) -> None:
    out = tmp_path / "bd.pdf"
    birthday_list.render(BirthdayListInput(date(2026, 2, 1), (), (), PRINTED), out)
    assert pdf_text(out).count("No birthdays in this month.") == 2


def test_call_sheet_carries_script_points_and_outcome_boxes(tmp_path: Path) -> None:
    i18n.install("es_ES")
    line = CallSheetLine("RETRY", "SALE1", 1, "", "José <Peña> & hijos", "13812345678", "important", True,
                         datetime(2026, 10, 15, 13, 30), datetime(2026, 10, 16, 23, 59), "due", None,
                         ("Felicitar al nuevo socio", "Confirmar los datos"))
    out = tmp_path / "sheet.pdf"
    call_sheet.render(CallSheetInput(date(2026, 10, 15), "A001", "孙艳", 3, 8, True, (line,), PRINTED), out)
    text = pdf_text(out)
    for expected in ("jueves, 15 de octubre de 2026", "A001 孙艳", "José <Peña> & hijos", "VIP", "Felicitar al nuevo socio",
                     "15/10/26 13:30", "Contactado", "Sin respuesta"):  # the window as Spanish writes dates
        assert expected in text


def test_performance_report_totals_by_agent_and_kind(tmp_path: Path) -> None:
    i18n.install("zh_CN")
    row = PerformanceRow("A001", "孙艳", "SALE1", 10, 7, 1, 1, 1, 8)
    agent = PerformanceRow("A001", "孙艳", "", 10, 7, 1, 1, 1, 8)
    kind = PerformanceRow("", "", "SALE1", 10, 7, 1, 1, 1, 8)
    out = tmp_path / "perf.pdf"
    callback_performance.render(PerformanceInput(date(2026, 10, 1), (row,), (agent,), (kind,), agent, PRINTED), out)
    text = pdf_text(out)
    assert "2026年10月" in text and "A001 孙艳" in text and "78%" in text  # 7 of the 9 finished on time
    assert row.on_time_rate == pytest.approx(7 / 9)


def _agenda() -> Agenda:
    call = AgendaCall(
        id=7, kind="SALE2", member_id=1, member="Núñez, José; 张伟", phone="138****5678", tier="important", vip=True,
        agent="A001", agent_name="孙艳", window_start=datetime(2026, 10, 5), due=datetime(2026, 10, 16, 23, 59, 59, 999999),
        status="due", outcome=None, attempt=0, retry_of="", reschedules=0, note="", notes="línea 1\nlínea 2",
        closed_at=None, contact_id=None,
    )
    timed = AgendaCall(
        id=8, kind="RETRY", member_id=2, member="王欣怡", phone="13900000000", tier="general", vip=False, agent="A001",
        agent_name="孙艳", window_start=datetime(2026, 10, 15, 13, 30), due=datetime(2026, 10, 15, 23, 59, 59, 999999),
        status="due", outcome=None, attempt=1, retry_of="SALE1", reschedules=0, note="", notes="", closed_at=None, contact_id=None,
    )
    return Agenda(date(2026, 10, 15), "A001", (call, timed), ())


def test_ics_is_rfc5545_crlf_folded_at_75_octets_and_escaped(tmp_path: Path) -> None:
    out = tmp_path / "a.ics"
    write_ics(_agenda(), out, datetime(2026, 10, 15, 9, 30))
    raw = out.read_bytes()
    physical = raw.split(b"\r\n")
    assert physical[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in physical)
    for line in physical:  # a fold never splits a UTF-8 character
        line.decode("utf-8")
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    assert lines.count("BEGIN:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20261005" in lines and "DTEND;VALUE=DATE:20261017" in lines  # all day, window inclusive
    assert "DTSTART:20261015T133000" in lines and "DTEND:20261015T134500" in lines  # an agreed time
    summary = next(line for line in lines if line.startswith("SUMMARY:") and "Núñez" in line)
    assert summary.endswith("Núñez\\, José\\; 张伟")
    description = next(line for line in lines if line.startswith("DESCRIPTION:") and "línea" in line)
    assert "línea 1\\nlínea 2" in description and "138****5678" in description
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert "UID:callback-7-0@csdesk.local" in lines


def test_escaping_and_folding_helpers() -> None:
    assert ics_escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    folded = fold("X:" + "张" * 40)
    assert folded.endswith(b"\r\n") and all(len(p) <= 75 for p in folded.split(b"\r\n"))
    assert unfold(folded) == ["X:" + "张" * 40]


def test_xlsx_export_reads_back_with_dates_as_dates(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "a.xlsx"
    write_xlsx(_agenda(), out)
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ID", "Kind", "Member") and len(rows) == 3
    assert rows[1][0] == 7 and rows[1][2] == "Núñez, José; 张伟" and rows[1][5] == "VIP"
    assert rows[1][8] == datetime(2026, 10, 5) and rows[1][9] == datetime(2026, 10, 16)
    assert (rows[2][1], rows[2][12]) == ("Service call 1", 1)  # a retry: the kind it retries, attempt 1
