"""Drive the attendance calendar: see the month, approve a leave and watch the day change."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QGroupBox, QLabel, QMessageBox

from csdesk import i18n
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.attendance.day_dialog import DayDialog
from csdesk.ui.attendance.status_style import abbreviation, colours
from csdesk.ui.pages.attendance import LEGEND, AttendancePage
from tests.helpers.factories import write_csv

SUP = Actor("supervisor", "supervisor")


@pytest.fixture
def floor(ctx, tmp_path: Path):
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "p.csv", "employee_no,name,team\nA1,张伟,一组\nA2,María Núñez,一组\n"))
    rows = ["employee_no,date,shift"] + [f"{no},2026-10-{d:02d},D" for no in ("A1", "A2") for d in range(1, 15)]
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "r.csv", "\n".join(rows) + "\n"))
    punches = ["employee_no,time"]
    for d in range(1, 15):
        punches += [f"A1,2026-10-{d:02d} 08:20", f"A1,2026-10-{d:02d} 18:05"]
        if d != 9:
            punches += [f"A2,2026-10-{d:02d} {'08:40' if d == 2 else '08:15'}", f"A2,2026-10-{d:02d} 18:10"]
    ctx.attendance.import_punches(SYSTEM, write_csv(tmp_path / "pu.csv", "\n".join(punches) + "\n"))
    return ctx


def _page(qtbot, ctx) -> AttendancePage:
    page = AttendancePage(ctx, actor=SUP)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.month is not None)
    return page


def _cell(page: AttendancePage, employee_no: str, day: int):
    row = next(r for r in range(page.model.rowCount()) if page.model.agent(r).employee_no == employee_no)
    return page.model.index(row, day)


def _double_click(qtbot, view, index) -> None:
    """What a real double-click delivers: a click, then the double-click, on the cell."""
    qtbot.waitExposed(view)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def _approve_at_short_notice(qtbot, page: AttendancePage) -> None:
    """Approve the selected leave, filed with less notice than required: accept that, with a note."""
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    dialog = page.approve_dialog
    qtbot.waitExposed(dialog)  # opened window-modal: shown on the next turn of the event loop
    dialog.accept_short.click()  # (a synthesised mouse click on a check box can miss under load)
    assert dialog.accept_short.isChecked()
    qtbot.keyClicks(dialog.note, "phoned in")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _opened_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[DayDialog]:
    opened: list[DayDialog] = []
    monkeypatch.setattr(DayDialog, "open", lambda self: opened.append(self))
    return opened


def test_the_month_grid_shows_status_marks_and_totals(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    assert "October 2026" in page.month_label.text()
    assert page.model.data(_cell(page, "A1", 1)) == abbreviation("ON")
    assert page.model.data(_cell(page, "A2", 2)) == abbreviation("LATE")
    assert page.model.data(_cell(page, "A2", 9)) == abbreviation("ABSENT")
    assert "08:40" in page.model.data(_cell(page, "A2", 2), Qt.ItemDataRole.ToolTipRole)
    assert "1 late arrival or early leave · 1 absence" in page.status.text()  # singular forms


def test_approving_a_leave_turns_the_absent_day_into_leave(qtbot, floor) -> None:
    request = floor.attendance.file_leave(SYSTEM, "A2", "PERSONAL", date(2026, 10, 9), date(2026, 10, 9), reason="家事")
    page = _page(qtbot, floor)
    cell = _cell(page, "A2", 9)
    red = page.model.data(cell, Qt.ItemDataRole.BackgroundRole)
    assert page.leave_model.rowCount() == 1
    page.leave_table.selectRow(0)
    _approve_at_short_notice(qtbot, page)
    qtbot.waitUntil(lambda: page.leave_model.rowCount() == 1 and page.leave_model.row(0).status == "approved")
    # Personal leave that is over must also be closed on return (销假) before it counts as leave.
    assert page.model.data(_cell(page, "A2", 9)) == abbreviation("ABSENT")
    page.leave_table.selectRow(0)
    qtbot.mouseClick(page.closed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.data(_cell(page, "A2", 9)) == abbreviation("LEAVE:PERSONAL"))
    assert page.model.data(_cell(page, "A2", 9), Qt.ItemDataRole.BackgroundRole) != red
    assert floor.attendance.get_leave(SYSTEM, request.id).status == "approved"


def test_correcting_a_punch_from_the_day_dialog(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(qtbot, floor)
    opened: list[DayDialog] = []
    monkeypatch.setattr(DayDialog, "open", lambda self: opened.append(self))
    page.open_day(_cell(page, "A2", 9))
    dialog = opened[0]
    qtbot.mouseClick(dialog.fix_button, Qt.MouseButton.LeftButton)
    assert "reason" in dialog.error.text().lower()  # a reason is required
    dialog.fix_reason.insert("打卡机故障")
    qtbot.mouseClick(dialog.fix_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.data(_cell(page, "A2", 9)) == abbreviation("MISSED"))


def test_a_signed_off_month_shows_its_stored_days_and_no_edit_controls(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    floor.scorecards.months.lock(SYSTEM, "2026-10")
    page = _page(qtbot, floor)
    assert page.model.month.locked and "locked" in page.status.text()
    assert not page.approve_button.isEnabled() and not page.reject_button.isEnabled()
    opened: list[DayDialog] = []
    monkeypatch.setattr(DayDialog, "open", lambda self: opened.append(self))
    page.open_day(_cell(page, "A2", 9))
    dialog = opened[0]
    assert dialog.fix_box.isHidden() and dialog.leave_button.isHidden()
    assert "signed off" in dialog.error.text()


def test_previous_and_next_month(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    qtbot.mouseClick(page.previous, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.month is not None and page.model.month.month == 9)
    assert "September 2026" in page.month_label.text()
    qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.month.month == 11)


def test_punch_import_runs_in_the_background_and_reports(qtbot, floor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csdesk.ui.dialogs import import_dialog

    shown: list[object] = []
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: shown.append(self) or 0)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    page = _page(qtbot, floor)
    path = write_csv(tmp_path / "more.csv", "employee_no,time\nA2,2026-10-09 08:20\nA2,2026-10-09 18:00\nZZ,2026-10-09 08:00\n")
    job = page.start_import(path)
    with qtbot.waitSignal(job.succeeded, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: bool(shown))
    qtbot.waitUntil(lambda: page.model.data(_cell(page, "A2", 9)) == abbreviation("ON"))


def test_team_model_passes_the_model_tester(qtbot, qtmodeltester, floor) -> None:
    page = _page(qtbot, floor)
    qtmodeltester.check(page.model)
    _ = datetime


def test_roster_tab_sets_shifts_for_a_drag_selection(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text) or QMessageBox.StandardButton.Ok)
    page = _page(qtbot, floor)
    page.tabs.setCurrentWidget(page.roster_view)
    view = page.roster_view
    assert view.model.rowCount() == 2
    model = view.model
    top_left, bottom_right = model.index(0, 19), model.index(1, 21)  # 20th-22nd October, both agents
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    view.table.selectionModel().select(QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.Select)
    view.shift.setCurrentIndex(view.shift.findData("E"))
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    shifts = {(e.employee_no, e.day.day): e.shift_code for e in floor.roster.month(SYSTEM, 2026, 10)}
    assert all(shifts[(no, d)] == "E" for no in ("A1", "A2") for d in (20, 21, 22))
    assert model.setData(model.index(0, 23), "q") is False  # an unknown code is refused, nothing saved
    assert view.model.data(model.index(0, 23)) == ""
    assert "'Q' is not one of D, E, R" in warnings[0]


def test_copy_last_month_fills_empty_days(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    page.shift_month(1)  # November: nothing rostered yet
    page.tabs.setCurrentWidget(page.roster_view)
    qtbot.mouseClick(page.roster_view.copy_button, Qt.MouseButton.LeftButton)
    november = floor.roster.month(SYSTEM, 2026, 11)
    assert {e.day.day for e in november if e.employee_no == "A1"} == {d + 28 - 31 for d in range(4, 15)}
    assert "filled" in page.roster_view.warnings.text()


def test_agent_month_view_opens_from_the_name_column(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    page.open_day(_cell(page, "A2", 0))
    assert page.tabs.currentWidget() is page.agent_view
    assert page.agent_view.agent.currentData() == "A2"
    assert "absences 1" in page.agent_view.totals.text()


def test_swap_requested_and_approved_from_the_requests_tab(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    from csdesk.ui.attendance.requests_view import SwapDialog

    page = _page(qtbot, floor)
    page.tabs.setCurrentWidget(page.requests_view)
    view = page.requests_view

    def fill(dialog: SwapDialog) -> int:
        dialog.person.setCurrentIndex(dialog.person.findData("A1"))
        dialog.colleague.setCurrentIndex(dialog.colleague.findData("A2"))
        dialog.day.setDate(dialog.day.date().addDays(-4))  # 11 October: both on D
        dialog.reason.insert("家里有事")
        return 1

    monkeypatch.setattr(SwapDialog, "exec", fill)
    qtbot.mouseClick(view.request_swap, Qt.MouseButton.LeftButton)
    assert view.swaps.rowCount() == 1 and view.swaps.row(0).status == "pending"
    view.swap_table.selectRow(0)
    qtbot.mouseClick(view.approve_swap, Qt.MouseButton.LeftButton)
    assert view.swaps.row(0).status == "approved"


def test_leave_dialog_asks_what_sets_marriage_and_maternity_entitlements(qtbot, floor) -> None:
    from csdesk.ui.attendance.leave_dialog import LeaveDialog

    dialog = LeaveDialog(floor.attendance, actor=SUP, people=[("A1", "张伟")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.leave_type.setCurrentIndex(dialog.leave_type.findData("MARRIAGE"))
    assert dialog.event_date.isVisible() and dialog.remarriage.isVisible() and not dialog.difficult.isVisible()
    dialog.leave_type.setCurrentIndex(dialog.leave_type.findData("MATERNITY"))
    assert dialog.difficult.isVisible() and dialog.babies.isVisible() and not dialog.remarriage.isVisible()
    dialog.leave_type.setCurrentIndex(dialog.leave_type.findData("SICK"))
    assert not dialog.event_date.isVisible()


def test_double_clicking_a_day_opens_one_dialog(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(qtbot, floor)
    opened = _opened_dialogs(monkeypatch)
    _double_click(qtbot, page.grid, _cell(page, "A2", 9))
    assert len(opened) == 1
    assert opened[0].windowTitle() == "María Núñez on 2026-10-09"


def test_approved_leave_shows_on_today_and_later_days(qtbot, floor, tmp_path: Path) -> None:
    # The clock says 15 October 09:30: today's day shift is not over, so neither day is judged yet.
    rows = "employee_no,date,shift\nA1,2026-10-15,D\nA1,2026-10-16,D\nA1,2026-10-17,R\n"
    floor.roster.import_file(SYSTEM, write_csv(tmp_path / "more.csv", rows))
    floor.attendance.file_leave(SYSTEM, "A1", "PERSONAL", date(2026, 10, 15), date(2026, 10, 17), reason="搬家")
    page = _page(qtbot, floor)
    assert page.model.data(_cell(page, "A1", 16)) == "D"  # pending: still the planned shift
    page.leave_table.selectRow(0)
    _approve_at_short_notice(qtbot, page)
    qtbot.waitUntil(lambda: page.model.data(_cell(page, "A1", 16)) == abbreviation("LEAVE"))
    for day in (15, 16):
        cell = _cell(page, "A1", day)
        assert page.model.data(cell) == abbreviation("LEAVE")
        assert page.model.data(cell, Qt.ItemDataRole.BackgroundRole) == colours("LEAVE")[0]
        tooltip = page.model.data(cell, Qt.ItemDataRole.ToolTipRole)
        assert "Personal leave" in tooltip and "approved" in tooltip
    assert page.model.data(_cell(page, "A1", 17)) == "R"  # a rest day is not a leave day
    page.agent_view.select("A1")
    agent_cell = next(
        page.agent_view.model.index(r, c) for r in range(page.agent_view.model.rowCount()) for c in range(7)
        if (page.agent_view.model.data(page.agent_view.model.index(r, c)) or "").startswith("16\n")
    )
    assert page.agent_view.model.data(agent_cell).split("\n")[1] == abbreviation("LEAVE")


def test_day_dialog_of_a_corrected_day_shows_punches_and_the_correction(
    qtbot, floor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    floor.people.import_file(SYSTEM, write_csv(tmp_path / "s.csv", "employee_no,name,team\nS1,王芳,一组\n"))
    floor.auth.create_user(SYSTEM, "supervisor", "long-enough-pw", "supervisor", "S1")
    page = _page(qtbot, floor)
    opened = _opened_dialogs(monkeypatch)
    _double_click(qtbot, page.grid, _cell(page, "A1", 3))
    opened[0].fix_time.setTime(QTime(12, 40))
    opened[0].fix_reason.insert("午休外出未打卡")
    qtbot.mouseClick(opened[0].fix_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.data(_cell(page, "A1", 3), page.model.DAY_ROLE).corrected)
    _double_click(qtbot, page.grid, _cell(page, "A1", 3))
    dialog = opened[-1]
    assert "08:20, 18:05" in dialog.summary.text()  # the clock's punches
    box = dialog.findChild(QGroupBox, "dayCorrections")
    assert box is not None
    text = " ".join(label.text() for label in box.findChildren(QLabel))
    assert "12:40" in text and "午休外出未打卡" in text and "王芳" in text


@pytest.mark.parametrize("language", ["en", "zh_CN", "zh_TW", "es_ES"])
def test_no_status_mark_reads_as_a_shift_code(floor, language: str) -> None:
    i18n.install(language)
    marks = {abbreviation(status) for status in LEGEND}
    assert len(marks) == len(LEGEND)
    assert not marks & set(floor.policy.shift_codes)


def test_the_legend_explains_the_shift_codes_days_not_judged_yet_show(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    texts = {label.text() for label in page.findChildren(QLabel)}
    assert {"D Day shift 08:30–18:00", "E Evening shift 15:30–00:00", "R Rest"} <= texts


def test_the_name_column_stays_when_the_grid_scrolls_sideways(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(qtbot, floor)
    page.resize(700, 500)
    qtbot.waitExposed(page)
    grid = page.grid
    scroll = grid.horizontalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0)
    scroll.setValue(scroll.maximum())
    row = _cell(page, "A2", 0).row()
    spot = QPoint(grid.viewport().x() + 20, grid.viewport().y() + grid.rowViewportPosition(row) + 5)
    shown = grid.childAt(spot)
    view = shown.parent()
    index = view.indexAt(shown.mapFrom(grid, spot))
    assert view.model().data(index) == "A2 María Núñez"
    _double_click(qtbot, view, index)  # the name still opens the agent's month
    assert page.tabs.currentWidget() is page.agent_view
    assert page.agent_view.agent.currentData() == "A2"
