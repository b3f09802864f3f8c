"""The ranking view (sortable by every column) and the way into an agent's scorecard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from csdesk.services.base import Actor
from csdesk.ui.scorecards.page import ScorecardsPage
from tests.helpers.qt import wait_loaded
from csdesk.ui.table_model import RowTableModel
from tests.integration.test_scorecard_service import rate, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

SUPERVISOR = Actor("supervisor", "supervisor")


@pytest.fixture
def page(qtbot, sc_ctx) -> ScorecardsPage:
    for no, values in (("A001", (30, 20, 15, 15)), ("A002", (9.5, 15, 10, 10)), ("A003", (10, 15, 10, 10)), ("A004", (22, 18, 13, 12))):
        rate(sc_ctx, no, values)
    sc_ctx.scorecards.set_exam(SUPERVISOR, "2026-10", "A002", 55)
    sc_ctx.scorecards.record_event(SUPERVISOR, "A004", date(2026, 10, 5), "B03", note="cubrió turno")
    page = ScorecardsPage(sc_ctx, actor=SUPERVISOR)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def column_values(page: ScorecardsPage, column: int) -> list[object]:
    proxy = page.ranking.proxy
    return [proxy.index(r, column).data(RowTableModel.SORT_ROLE) for r in range(proxy.rowCount())]


def test_the_ranking_lists_every_agent_best_first(page, sc_ctx) -> None:
    assert page.ranking.proxy.rowCount() == 12
    assert column_values(page, 0)[0] == 1
    assert page.ranking.proxy.index(0, 2).data() == "A001"
    header = [page.ranking.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.ranking.model.columnCount())]
    assert header[:3] == ["Rank", "Team rank", "Employee no."] and "Pay float" in header


def test_every_column_sorts_by_its_value_both_ways(qtbot, page) -> None:
    table = page.ranking.table
    for column in range(page.ranking.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            table.sortByColumn(column, order)
            values = column_values(page, column)
            assert values == sorted(values, reverse=order == Qt.SortOrder.DescendingOrder), page.ranking.model.headerData(
                column, Qt.Orientation.Horizontal
            )
    # numbers sort as numbers: 9.5 before 10 (as text "10" < "9.5")
    rated = page.ranking.model.headerData(5, Qt.Orientation.Horizontal)
    assert rated == "Rated"
    table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    nonzero = [v for v in column_values(page, 5) if v > 0]  # not rated sorts as -1
    assert nonzero[:2] == [44.5, 45.0]


def test_clicking_a_header_sorts_the_view(qtbot, page) -> None:
    header = page.ranking.table.horizontalHeader()
    x = header.sectionViewportPosition(10) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = column_values(page, 10)
    assert first == sorted(first) or first == sorted(first, reverse=True)


def test_double_click_opens_the_agents_scorecard(qtbot, page) -> None:
    table = page.ranking.table
    table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    index = page.ranking.proxy.index(3, 2)
    assert index.data() == "A004"
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # press sets the pressed index
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.tabs.currentWidget() is page.scorecard
    view = page.scorecard
    assert view.employee_no() == "A004"
    assert view.values["bonus"].text() == "+5"
    assert view.events_model.rowCount() == 1 and view.events_model.row(0).note == "cubrió turno"


def test_flags_and_failing_grades_are_shown_in_the_ranking(page) -> None:
    row = next(r for r in range(page.ranking.model.rowCount()) if page.ranking.model.row(r).employee_no == "A002")
    flags = page.ranking.model.index(row, 14).data()
    assert "Exam retake" in flags and "Dismissal warning" in flags
    assert page.ranking.model.index(row, 10).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_lock_and_reopen_from_the_page(qtbot, page, sc_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.lock_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, page)
    assert sc_ctx.scorecards.months.is_locked("2026-10")
    assert page.lock_state.text().startswith("Locked by supervisor")
    assert not page.scorecard.record_button.isEnabled()
    # each grey button says why: the month is signed off
    assert page.lock_button.toolTip() == "The month is locked already" and not page.lock_button.isEnabled()
    assert page.import_ratings.toolTip() == "2026-10 is locked; reopen it first."
    assert page.scorecard.record_button.toolTip() == "The month is locked; reopen it on the Scorecards page first."
    service_quality = page.entry_model.column_of("criterion", "service_quality")  # (column 2 is the QA average)
    assert not page.entry_model.flags(page.entry_model.index(0, service_quality)) & Qt.ItemFlag.ItemIsEditable
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("exam re-marked", True))
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, page)
    assert not sc_ctx.scorecards.months.is_locked("2026-10")
    assert page.lock_state.text() == "Open for changes" and page.scorecard.record_button.isEnabled()
    assert page.lock_button.toolTip() == "Sign the month off: its results are stored and later edits refused (Ctrl+Shift+L)"


def test_the_month_is_computed_off_the_gui_thread_and_only_the_latest_answer_shows(qtbot, page, sc_ctx, monkeypatch) -> None:
    import threading

    service = sc_ctx.scorecards
    threads: list[str] = []
    real_month = service.month

    def month(actor, key, **kwargs):
        threads.append(threading.current_thread().name)
        return real_month(actor, key, **kwargs)

    monkeypatch.setattr(service, "month", month)
    page.select_month("2026-09")
    assert page.loading and page.status.text() == "Calculating…"
    assert not page.lock_button.isEnabled() and not page.print_button.isEnabled()  # not until the month is on screen
    page.select_month("2026-10")  # changed again before the first answer came
    wait_loaded(qtbot, page)
    assert threading.main_thread().name not in threads
    assert page.data.month == "2026-10" and page.ranking.proxy.rowCount() == 12
    qtbot.wait(50)  # the September answer may still arrive: it must not replace October
    assert page.data.month == "2026-10" and page.status.text() == ""
    assert page.lock_button.isEnabled()


def test_the_chosen_order_survives_a_reload(qtbot, page) -> None:
    page.ranking.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # by name, Z to A
    names = column_values(page, 3)
    assert names == sorted(names, reverse=True)
    page.reload()
    wait_loaded(qtbot, page)
    assert column_values(page, 3) == names
    assert page.ranking.table.horizontalHeader().sortIndicatorSection() == 3


def test_a_refresh_asked_for_during_a_month_switch_still_sets_the_grid_up_for_the_new_month(qtbot, page) -> None:
    page.select_month("2026-09")
    page._refresh_lists()  # e.g. an event recorded, or leaving the grid after an edit, before the answer came
    wait_loaded(qtbot, page)
    assert page.entry_model.month == "2026-09" and page.scorecard.month == "2026-09"
    assert page.data.month == "2026-09"


def test_locking_names_the_agents_not_rated_and_a_locked_month_takes_no_import(qtbot, page, sc_ctx, monkeypatch) -> None:
    asked: list[str] = []

    def question(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.No  # the supervisor reads the list and does not lock yet

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(page.lock_button, Qt.MouseButton.LeftButton)
    assert not sc_ctx.scorecards.months.is_locked("2026-10")
    assert "8 agents are not rated" in asked[0] and "A005" in asked[0] and "A001 " not in asked[0]
    unrated = [c for c in page.data.cards if c.employee_no == "A005"][0]
    row = next(r for r in range(page.ranking.proxy.rowCount()) if page.ranking.proxy.index(r, 2).data() == "A005")
    assert page.ranking.proxy.index(row, 0).data() == "" and page.ranking.proxy.index(row, 5).data() == "not rated"
    assert unrated.card.grade is None and row >= 4  # after every ranked agent
    assert page.import_ratings.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.lock_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, page)
    assert not page.import_ratings.isEnabled() and not page.import_events.isEnabled()
    assert "locked" in page.import_ratings.toolTip()
