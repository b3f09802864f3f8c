"""Approving leave from the attendance page asks what the request needs, and the stored request
and the printed form say exactly what was answered (rules.md §3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from csdesk import i18n
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.attendance.approve_leave_dialog import ApproveLeaveDialog
from csdesk.ui.attendance.day_dialog import DayDialog
from csdesk.ui.pages.attendance import AttendancePage
from tests.helpers.factories import two_agents_on_day_shifts
from tests.helpers.pdf import pdf_text

SUP = Actor("supervisor", "supervisor")
FRI, MON = date(2026, 10, 16), date(2026, 10, 19)  # the clock says Thursday 15 October, 09:30
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def desk(ctx, tmp_path: Path):
    """Two agents on day shifts from 12 to 25 October 2026, weekends off."""
    return two_agents_on_day_shifts(ctx, tmp_path)


@pytest.fixture
def printed(monkeypatch, tmp_path: Path) -> list[Path]:
    """The forms the page prints, built into ``tmp_path`` instead of a preview window."""
    paths: list[Path] = []

    def build(_parent, render, *, title: str, suggested_name: str) -> None:
        paths.append(tmp_path / suggested_name)
        render(paths[-1])

    monkeypatch.setattr("csdesk.ui.pages.attendance.preview_pdf", build)
    return paths


def open_page(qtbot, ctx) -> AttendancePage:
    page = AttendancePage(ctx, actor=SUP)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.model.month is not None)
    return page


def approve_first_request(qtbot, page: AttendancePage) -> ApproveLeaveDialog:
    table = page.leave_table
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(page.leave_model.index(0, 0)).center())
    qtbot.mouseClick(page.approve_button, LEFT)
    dialog = page.approve_dialog
    qtbot.waitExposed(dialog)
    return dialog


def press_approve(qtbot, dialog: ApproveLeaveDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)


@pytest.mark.parametrize(("lang", "provided"), [("en", "Certificate provided"), ("zh_CN", "已提供证明")])
def test_sick_leave_approved_with_the_certificate_unticked_is_stored_and_printed_as_not_provided(
    qtbot, desk, printed, lang: str, provided: str
) -> None:
    i18n.install(lang)
    leave = desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI, reason="复诊")
    page = open_page(qtbot, desk)
    dialog = approve_first_request(qtbot, page)
    assert dialog.certificate.isVisible() and not dialog.certificate.isChecked()
    assert not dialog.notice_box.isVisible()  # filed the day before: a one-day leave needs no more
    press_approve(qtbot, dialog)
    qtbot.waitUntil(lambda: page.leave_model.row(0).status == "approved")
    assert not dialog.isVisible()
    stored = desk.attendance.get_leave(SYSTEM, leave.id)
    assert (stored.status, stored.certificate) == ("approved", False)
    assert desk.audit.recent(SUP, limit=1)[0].details["certificate"] is False
    page.leave_table.selectRow(0)
    qtbot.mouseClick(page.form_button, LEFT)
    text = pdf_text(printed[0])
    assert provided not in text
    if lang == "en":
        assert "Certificate not provided, due on return" in text


def test_short_notice_is_approved_only_when_accepted_with_a_note(qtbot, desk, printed) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A2", "PERSONAL", FRI, MON, reason="搬家")
    page = open_page(qtbot, desk)
    dialog = approve_first_request(qtbot, page)
    assert not dialog.certificate_box.isVisible()  # personal leave needs no certificate
    assert dialog.notice.text() == "Notice required: 3 days. Notice given: 1 day."
    press_approve(qtbot, dialog)
    assert "short notice" in dialog.error.text() and dialog.isVisible()
    assert desk.attendance.get_leave(SYSTEM, leave.id).status == "pending"
    assert not dialog.note.isEnabled()
    qtbot.mouseClick(dialog.accept_short, LEFT)
    assert dialog.note.isEnabled()
    qtbot.keyClicks(dialog.note, "landlord gave one day")
    press_approve(qtbot, dialog)
    qtbot.waitUntil(lambda: page.leave_model.row(0).status == "approved")
    details = desk.audit.recent(SUP, limit=1)[0].details
    assert (details["short_notice_accepted"], details["note"], details["notice_given"]) == (True, "landlord gave one day", 1)
    page.leave_table.selectRow(0)
    qtbot.mouseClick(page.form_button, LEFT)
    assert "Short notice accepted by the approver" in pdf_text(printed[0])


def test_the_day_dialog_asks_the_same_questions(qtbot, desk, monkeypatch) -> None:
    leave = desk.attendance.file_leave(SYSTEM, "A1", "SICK", FRI, FRI)
    page = open_page(qtbot, desk)
    opened: list[DayDialog] = []
    monkeypatch.setattr(DayDialog, "open", lambda self: opened.append(self))
    row = next(r for r in range(page.model.rowCount()) if page.model.agent(r).employee_no == "A1")
    page.open_day(page.model.index(row, FRI.day))
    day = opened[0]
    day.show()
    qtbot.mouseClick(day.leave_buttons[leave.id][0], LEFT)
    dialog = day.approve_dialog
    qtbot.waitExposed(dialog)
    dialog.certificate.click()  # handed in with the request (a synthesised mouse click may miss under load)
    assert dialog.certificate.isChecked()
    press_approve(qtbot, dialog)
    qtbot.waitUntil(lambda: page.leave_model.row(0).status == "approved")
    assert desk.attendance.get_leave(SYSTEM, leave.id).certificate and not day.isVisible()
