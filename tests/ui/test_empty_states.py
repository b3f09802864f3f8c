"""Empty states (issue 17): a table with nothing to show says what to do next, over its empty
rows, and the hint goes as soon as a row is there. And the leave list's type column, whole in Spanish."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from csdesk import i18n
from csdesk.models.domain_handover import HandoverInput
from csdesk.policy.loader import load_policy
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.scorecards import TrendPoint
from csdesk.ui.callbacks.page import CallbacksPage
from csdesk.ui.empty_state import EmptyStateHint, show_when_empty
from csdesk.ui.handover.page import HandoverPage
from csdesk.ui.pages.attendance import LEAVE_TYPE_COLUMN, AttendancePage
from csdesk.ui.pages.audit import AuditPage
from csdesk.ui.scorecards.ranking_view import RankingView
from csdesk.ui.scorecards.trend_chart import TrendChart
from csdesk.ui.table_model import ColumnSpec, RowTableModel
from tests.helpers.factories import two_agents_first_half_of_october

SUP = Actor("supervisor", "supervisor")
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")


@pytest.fixture
def floor(ctx, tmp_path: Path):
    two_agents_first_half_of_october(ctx, tmp_path)
    return ctx


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def hint_of(view) -> EmptyStateHint:
    hints = [h for h in view.findChildren(EmptyStateHint) if h.parentWidget() is view]
    assert len(hints) == 1
    return hints[0]


def showing(view) -> str:
    """The hint's text if it is drawn over the view's rows, else ""."""
    hint = hint_of(view)
    if not hint.isVisible():
        return ""
    assert hint.geometry() == view.viewport().geometry()  # over the rows, under the headers
    return hint.text()


def test_an_empty_month_says_how_to_file_leave_and_the_hint_goes_with_the_first_request(qtbot, floor) -> None:
    page = shown(qtbot, AttendancePage(floor, actor=SUP))
    qtbot.waitUntil(lambda: page.model.month is not None)
    assert page.leave_model.rowCount() == 0
    assert showing(page.leave_table) == "No leave requests this month. File leave… (Ctrl+L) to add one, or pick another month."
    floor.attendance.file_leave(SYSTEM, "A2", "PERSONAL", date(2026, 10, 9), date(2026, 10, 9), reason="家事")
    page.invalidate()  # as the leave dialog does when it files one
    qtbot.waitUntil(lambda: page.leave_model.rowCount() == 1)
    assert showing(page.leave_table) == ""
    qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)  # November: none
    qtbot.waitUntil(lambda: page.model.month is not None and page.model.month.month == 11)
    assert showing(page.leave_table).startswith("No leave requests this month.")


def test_a_team_with_nobody_says_where_people_are_added(qtbot, ctx) -> None:
    page = shown(qtbot, AttendancePage(ctx, actor=SUP))
    qtbot.waitUntil(lambda: page.model.month is not None)
    assert "People & teams" in showing(page.grid)


def test_the_leave_type_column_shows_whole_spanish_names_at_1366(qtbot, floor) -> None:
    i18n.install("es_ES")
    floor.attendance.file_leave(SYSTEM, "A2", "BEREAVEMENT", date(2026, 10, 20), date(2026, 10, 21), reason="familia")
    page = shown(qtbot, AttendancePage(floor, actor=SUP))
    qtbot.waitUntil(lambda: page.model.month is not None and page.leave_model.rowCount() == 1)
    name = page.leave_model.index(0, LEAVE_TYPE_COLUMN).data()
    assert name == "Permiso por fallecimiento"
    table = page.leave_table
    margin = table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    assert table.columnWidth(LEAVE_TYPE_COLUMN) >= table.fontMetrics().horizontalAdvance(name) + 2 * margin  # not "…"


def test_the_handover_log_says_how_to_start_and_how_to_loosen_the_filters(qtbot, demo_ctx) -> None:
    lead = demo_ctx.auth.resolve_actor("lead1")
    page = shown(qtbot, HandoverPage(demo_ctx.handover, demo_ctx.people, actor=lead))
    log = page.log
    assert showing(log.table) == "No handovers yet. Write the first one on the Write handover tab (Ctrl+N)."
    assert log.detail.header.text() == ""  # nothing to select: the panel does not ask for a selection
    demo_ctx.handover.write(lead, HandoverInput("D", "客服一组", ("L001",), "ok"))
    log.reload()
    assert showing(log.table) == "" and "Handover 1" in log.detail.header.text()
    qtbot.keyClicks(log.search, "nothing like this")
    qtbot.keyClick(log.search, Qt.Key.Key_Return)
    assert log.model.rowCount() == 0
    assert showing(log.table).startswith("No handovers match these filters.")
    director = shown(qtbot, HandoverPage(demo_ctx.handover, demo_ctx.people, actor=demo_ctx.auth.resolve_actor("director")))
    director.log.search.setText("nothing like this")
    director.log.reload()
    assert showing(director.log.table).startswith("No handovers match")


def test_an_empty_agenda_and_member_list_say_where_calls_and_members_come_from(qtbot, demo_ctx) -> None:
    page = shown(qtbot, CallbacksPage(demo_ctx.callbacks, actor=demo_ctx.auth.resolve_actor("supervisor")))
    table = page.agenda_tab.table
    assert page.agenda_tab.model.rowCount() == 0  # no callback data in this demo
    assert showing(table).startswith("No callbacks on this day. Pick another day (Alt+Left, Alt+Right)")
    assert showing(page.members_tab.table) == ""  # not read until its tab is opened
    page.tabs.setCurrentWidget(page.members_tab)
    assert showing(page.members_tab.table).startswith("No members yet. Import sales… (Ctrl+I)")


def test_the_audit_log_says_which_filters_to_loosen(qtbot, demo_ctx) -> None:
    page = shown(qtbot, AuditPage(demo_ctx.audit, actor=demo_ctx.auth.resolve_actor("supervisor")))
    assert page.model.rowCount() > 0 and showing(page.table) == ""
    qtbot.keyClicks(page.search, "no such thing anywhere")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert showing(page.table).startswith("No entries match these filters.")
    page.search.clear()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert showing(page.table) == ""


def test_the_ranking_and_the_trend_say_why_they_are_empty(qtbot) -> None:
    ranking = shown(qtbot, RankingView("CNY"))
    assert showing(ranking.table) == ""  # nothing asked yet: no hint while loading
    ranking.set_cards(())
    assert "No agents in this team this month" in showing(ranking.table)
    chart = shown(qtbot, TrendChart(load_policy()))
    hint = hint_of(chart)
    chart.set_points([])
    assert hint.isVisible() and hint.text().startswith("Nothing entered for this agent in the last 12 months.")
    chart.set_points([TrendPoint("2026-09", Decimal(80), "B", True)])
    assert not hint.isVisible()


def test_the_hint_follows_rows_added_and_removed_and_lets_clicks_through(qtbot) -> None:
    model: RowTableModel[str] = RowTableModel([ColumnSpec("Name", lambda s: s)])
    view = shown(qtbot, QTableView())
    view.setModel(model)
    hint = show_when_empty(view, "Add a name.")
    assert hint.isVisible() and hint.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    model.set_rows(["Ana"])
    assert not hint.isVisible()
    model.set_rows([])
    assert hint.isVisible() and hint.text() == "Add a name."
    view.resize(500, 400)
    qtbot.waitUntil(lambda: hint.geometry() == view.viewport().geometry())
