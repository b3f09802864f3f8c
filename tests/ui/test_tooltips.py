"""Tooltips (issue 17): every button of the pages says what it does, and a disabled one says why
and what to do, changing with the state that disables it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTabBar, QTabWidget, QToolButton, QWidget

from csdesk.models.domain_handover import HandoverInput
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.main_window import MainWindow
from csdesk.ui.pages.attendance import AttendancePage
from csdesk.ui.pages.audit import AuditPage
from csdesk.ui.pages.settings_users import UsersSection
from csdesk.ui.handover.page import HandoverPage
from tests.helpers.factories import two_agents_first_half_of_october

SUP = Actor("supervisor", "supervisor")
# Every page: issue 17 asked every button to say what it does.
PAGES = ("handover", "attendance", "scorecards", "callbacks", "qa", "people", "audit", "settings")
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")


@pytest.fixture
def floor(ctx, tmp_path: Path):
    two_agents_first_half_of_october(ctx, tmp_path)
    return ctx


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_row(qtbot, view, row: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(row, 0)).center())


def buttons_without_tooltip(page: QWidget) -> list[str]:
    found = []
    for button in page.findChildren(QPushButton) + page.findChildren(QToolButton):
        if button.isVisibleTo(page) and not isinstance(button.parent(), QTabBar) and not button.toolTip():
            found.append(f"{button.objectName() or type(button).__name__} {button.text()!r}")
    return found


def test_every_button_of_the_pages_says_what_it_does(qtbot, demo_ctx) -> None:
    window = MainWindow(demo_ctx, actor=demo_ctx.auth.resolve_actor("supervisor"), idle_lock_ms=0)
    shown(qtbot, window)
    missing: dict[str, list[str]] = {}
    for key in PAGES:
        window.show_page(key)
        page = window.pages[key]
        found = buttons_without_tooltip(page)
        for tabs in page.findChildren(QTabWidget):  # each tab's buttons, the lazily built ones too
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                found += buttons_without_tooltip(page)
        if found:
            missing[key] = sorted(set(found))
    assert missing == {}, "\n".join(f"{k}: {v}" for k, v in missing.items())


def test_the_leave_buttons_say_what_to_select_and_why_they_are_grey(qtbot, floor) -> None:
    floor.attendance.file_leave(SYSTEM, "A2", "PERSONAL", date(2026, 10, 9), date(2026, 10, 9), reason="家事")
    page = shown(qtbot, AttendancePage(floor, actor=SUP))
    qtbot.waitUntil(lambda: page.model.month is not None)
    approve, back = page.approve_button, page.closed_button
    assert not approve.isEnabled() and approve.toolTip() == "Select a leave request in the list first"
    click_row(qtbot, page.leave_table, 0)
    assert approve.isEnabled() and approve.toolTip() == "Approve the selected leave request (Ctrl+Shift+A)"
    assert page.reject_button.toolTip() == "Reject the selected leave request (Ctrl+Shift+R)"
    assert not back.isEnabled() and back.toolTip() == "Approve the request first: only approved leave is closed on return"
    floor.scorecards.months.lock(SYSTEM, "2026-10")
    page.invalidate()  # the month, signed off on another PC, is read again
    qtbot.waitUntil(lambda: page.model.month is not None and page.model.month.locked)
    click_row(qtbot, page.leave_table, 0)
    assert not approve.isEnabled() and "signed off" in approve.toolTip() and "reopen" in approve.toolTip()
    assert page.form_button.isEnabled()  # a form prints whatever the month's state


def test_a_handover_s_writer_is_told_why_they_cannot_acknowledge_it(qtbot, demo_ctx, clock) -> None:
    clock.now = datetime(2026, 10, 15, 17, 50)
    lead = demo_ctx.auth.resolve_actor("lead1")
    demo_ctx.handover.write(lead, HandoverInput("D", "客服一组", ("L001",), "ok"))
    page = shown(qtbot, HandoverPage(demo_ctx.handover, demo_ctx.people, actor=lead))
    detail = page.log.detail
    assert not detail.ack_button.isEnabled()
    assert detail.ack_button.toolTip() == "You wrote this handover; the incoming shift acknowledges it"
    assert detail.print_button.toolTip() == "Preview and print the handover form (Ctrl+P)"
    assert detail.close_item_button.toolTip() == "Select an item in the list first"
    incoming = shown(qtbot, HandoverPage(demo_ctx.handover, demo_ctx.people, actor=demo_ctx.auth.resolve_actor("supervisor")))
    assert incoming.log.detail.ack_button.isEnabled()
    assert incoming.log.detail.ack_button.toolTip() == "Take over this shift with a takeover note"


def test_one_s_own_account_is_changed_elsewhere_and_the_button_says_so(qtbot, demo_ctx) -> None:
    users = shown(qtbot, UsersSection(demo_ctx.auth, demo_ctx.people, actor=demo_ctx.auth.resolve_actor("supervisor")))
    assert users.reset_button.toolTip() == "Select an account in the list first"
    own = next(r for r, a in enumerate(users.model.rows()) if a.username == "supervisor")
    users.table.scrollTo(users.model.index(own, 0))
    click_row(qtbot, users.table, own)
    assert not users.reset_button.isEnabled() and "File ▸ Change password" in users.reset_button.toolTip()
    other = next(r for r, a in enumerate(users.model.rows()) if a.username != "supervisor")
    users.table.scrollTo(users.model.index(other, 0))
    click_row(qtbot, users.table, other)
    assert users.reset_button.isEnabled() and users.reset_button.toolTip() == "Give the selected account a new password"


def test_export_says_when_there_is_nothing_to_export(qtbot, demo_ctx) -> None:
    page = shown(qtbot, AuditPage(demo_ctx.audit, actor=demo_ctx.auth.resolve_actor("supervisor")))
    assert page.export_button.isEnabled() and page.export_button.toolTip().endswith("(Ctrl+E)")
    page.search.setText("no such thing anywhere")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.model.rowCount() == 0
    assert not page.export_button.isEnabled() and page.export_button.toolTip() == "No entries to export: change the filters"
