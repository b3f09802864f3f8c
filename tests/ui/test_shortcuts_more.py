"""Issue 17's shortcuts: approve, reject and record the return (销假) of the selected leave; the
Quality page's and the month lock's keys in the one table; Help ▸ Keyboard shortcuts whole in Spanish."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from csdesk import i18n
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.attendance.approve_leave_dialog import ApproveLeaveDialog
from csdesk.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.pages.attendance import AttendancePage
from csdesk.ui.shortcuts import BY_NAME, SHORTCUTS
from tests.helpers.factories import two_agents_first_half_of_october, write_csv

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SUP = Actor("supervisor", "supervisor")
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")


@pytest.fixture
def floor(ctx, tmp_path: Path):
    """Two agents rostered and punching in the first half of October 2026 (the clock: 15 October)."""
    two_agents_first_half_of_october(ctx, tmp_path)
    punches = ["employee_no,time"] + [f"A1,2026-10-{d:02d} {t}" for d in range(1, 15) for t in ("08:20", "18:05")]
    ctx.attendance.import_punches(SYSTEM, write_csv(tmp_path / "pu.csv", "\n".join(punches) + "\n"))
    return ctx


def open_page(qtbot, ctx) -> AttendancePage:
    page = AttendancePage(ctx, actor=SUP)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page and page.model.month is not None)
    return page


def click_row(qtbot, page: AttendancePage, row: int) -> None:
    table = page.leave_table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(page.leave_model.index(row, 0)).center())


def test_ctrl_shift_r_rejects_the_selected_leave_and_does_nothing_without_one(qtbot, floor) -> None:
    request = floor.attendance.file_leave(SYSTEM, "A2", "PERSONAL", date(2026, 10, 9), date(2026, 10, 9), reason="家事")
    page = open_page(qtbot, floor)
    qtbot.keyClick(page.leave_table, Qt.Key.Key_R, CTRL_SHIFT)  # nothing selected: nothing decided
    assert floor.attendance.get_leave(SYSTEM, request.id).status == "pending"
    click_row(qtbot, page, 0)
    qtbot.keyClick(page.leave_table, Qt.Key.Key_R, CTRL_SHIFT)
    assert floor.attendance.get_leave(SYSTEM, request.id).status == "rejected"
    qtbot.waitUntil(lambda: page.leave_model.rowCount() == 1 and page.leave_model.row(0).status == "rejected")


def test_ctrl_shift_a_approves_and_ctrl_shift_b_records_the_return(qtbot, floor) -> None:
    request = floor.attendance.file_leave(SYSTEM, "A2", "PERSONAL", date(2026, 10, 9), date(2026, 10, 9), reason="家事")
    page = open_page(qtbot, floor)
    click_row(qtbot, page, 0)
    qtbot.keyClick(page.leave_table, Qt.Key.Key_A, CTRL_SHIFT)
    dialog = page.approve_dialog  # filed after the day: the approver accepts the short notice
    assert isinstance(dialog, ApproveLeaveDialog)
    qtbot.waitExposed(dialog)
    dialog.accept_short.click()
    dialog.note.insert("phoned in")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: page.leave_model.rowCount() == 1 and page.leave_model.row(0).status == "approved")
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    click_row(qtbot, page, 0)
    qtbot.keyClick(page.leave_table, Qt.Key.Key_B, CTRL_SHIFT)
    assert floor.attendance.get_leave(SYSTEM, request.id).cancelled_on_return


def test_the_leave_keys_work_only_on_the_team_calendar_tab(qtbot, floor) -> None:
    request = floor.attendance.file_leave(SYSTEM, "A2", "PERSONAL", date(2026, 10, 9), date(2026, 10, 9), reason="家事")
    page = open_page(qtbot, floor)
    click_row(qtbot, page, 0)
    page.tabs.setCurrentWidget(page.requests_view)  # the leave list is out of sight
    qtbot.keyClick(page.requests_view, Qt.Key.Key_R, CTRL_SHIFT)
    assert floor.attendance.get_leave(SYSTEM, request.id).status == "pending"


def test_the_new_keys_are_in_the_one_table_with_the_tab_they_need() -> None:
    expected = {
        "attendance.approve": ("attendance", "Ctrl+Shift+A", "Team calendar"),
        "attendance.reject": ("attendance", "Ctrl+Shift+R", "Team calendar"),
        "attendance.back": ("attendance", "Ctrl+Shift+B", "Team calendar"),
        "qa.new": ("qa", "Ctrl+N", "Inspections"),
        "qa.print": ("qa", "Ctrl+P", "Inspections"),
        "scorecards.lock": ("scorecards", "Ctrl+Shift+L", None),
    }
    assert {name: (BY_NAME[name].page, BY_NAME[name].text(), BY_NAME[name].tab) for name in expected} == expected


def test_no_page_key_is_one_of_the_main_window_s_own(qtbot, demo_ctx) -> None:
    """Ctrl+1…9, F1, Quit: a page's key that is one of them would never reach the page."""
    window = MainWindow(demo_ctx, actor=demo_ctx.auth.resolve_actor("supervisor"), idle_lock_ms=0)
    qtbot.addWidget(window)
    own = {s.toString() for action in window.findChildren(type(window._quit)) for s in action.shortcuts()}
    assert {"Ctrl+1", "F1"} <= own
    clashes = [(spec.name, s.toString()) for spec in SHORTCUTS for s in spec.sequences() if s.toString() in own]
    assert clashes == []


def test_help_lists_every_description_whole_in_spanish(qtbot, demo_ctx) -> None:
    i18n.install("es_ES")
    window = MainWindow(demo_ctx, actor=demo_ctx.auth.resolve_actor("supervisor"), idle_lock_ms=0)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    dialog = window.show_shortcuts()
    assert isinstance(dialog, ShortcutsDialog)
    qtbot.waitExposed(dialog)
    table = dialog.table
    metrics = table.fontMetrics()
    last = dialog.model.columnCount() - 1
    room = table.columnWidth(last) - 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    assert any(r.action.startswith("Confirmar la recepción") for r in dialog.model.rows())  # translated
    cut = []
    for row, shortcut in enumerate(dialog.model.rows()):
        needed = metrics.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, shortcut.action).height()
        if needed > table.rowHeight(row):
            cut.append((shortcut.action, needed, table.rowHeight(row)))
    assert cut == []
    assert dialog.width() <= window.screen().availableGeometry().width()  # on the screen (800 px offscreen)
    assert table.textElideMode() == Qt.TextElideMode.ElideNone  # and a line that fits exactly is not cut either
