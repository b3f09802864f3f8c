"""The print preview says under the pages which characters the document printed as a
placeholder (issue 14: never silently dropped), in the window's language; a document the font
prints whole shows no notice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from csdesk import i18n
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.pages.attendance import AttendancePage
from tests.helpers.factories import own_temp_folder, two_agents_on_day_shifts

SUP = Actor("supervisor", "supervisor")
FRI = date(2026, 10, 16)
LEFT = Qt.MouseButton.LeftButton
THUMB, FEVER = "\U0001f44d", "\U0001f912"  # 👍 🤒: not in the printing font


@pytest.fixture
def desk(ctx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    own_temp_folder(tmp_path, monkeypatch)  # the previews' folders go in the test's own temp folder
    return two_agents_on_day_shifts(ctx, tmp_path)


def print_first_leave_form(qtbot, ctx):  # type: ignore[no-untyped-def]
    """Open the attendance page, click the first leave request and "Leave form"; the preview once
    its pages are shown."""
    page = AttendancePage(ctx, actor=SUP)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.model.month is not None and page.leave_model.rowCount() > 0)
    table = page.leave_table
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(page.leave_model.index(0, 0)).center())
    qtbot.mouseClick(page.form_button, LEFT)
    preview = page.preview
    qtbot.waitUntil(lambda: preview.ready, timeout=20_000)
    return preview


def test_the_preview_names_the_characters_printed_as_a_placeholder_once(qtbot, desk) -> None:
    desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI, reason=f"复诊 {THUMB}{THUMB} {FEVER}")
    i18n.install("zh_CN")
    preview = print_first_leave_form(qtbot, desk)
    assert preview.notice.isVisible()
    assert preview.notice.text() == f"请假条：打印字体中没有 {THUMB} (U+1F44D), {FEVER} (U+1F912)，已打印为 \ufffd。"
    preview.close()


def test_a_document_printed_whole_shows_no_notice(qtbot, desk) -> None:
    i18n.install("en")
    desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI, reason="复诊 revisión")
    preview = print_first_leave_form(qtbot, desk)
    assert not preview.notice.isVisible() and preview.notice.text() == ""
    preview.close()


@pytest.mark.parametrize("in_process", [False, True], ids=["thread", "child process"])
def test_the_evaluation_sheets_preview_names_them_too(qtbot, desk, monkeypatch, in_process: bool) -> None:
    """The sheets of a batch are built in a child process (or a thread): their report comes back
    with the result and the sheets' preview says it; the command line says it on stderr."""
    from csdesk.ui.scorecards.printing import SheetPrinter

    desk.scorecards.record_event(SYSTEM, "A1", date(2026, 10, 14), "B03", note=f"ayudó {THUMB}")
    i18n.install("es_ES")
    monkeypatch.setattr(SheetPrinter, "in_process", in_process)
    printer = SheetPrinter(None, desk, SUP)  # type: ignore[arg-type]
    printer.start("2026-10", employee_no="A1", team=None, lang="es_ES", name="hojas")
    qtbot.waitUntil(lambda: printer.preview is not None, timeout=30_000)
    preview = printer.preview
    qtbot.addWidget(preview)
    assert not preview.notice.isHidden()
    assert preview.notice.text() == f"Hoja de evaluación mensual octubre de 2026: {THUMB} (U+1F44D) no está en la fuente de impresión y se imprime como \ufffd."
    preview.close()
