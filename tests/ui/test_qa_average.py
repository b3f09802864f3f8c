"""The month's QA average beside the rated service quality (issue 15), counted by the QA service,
for readers with qa.view: a read-only column of the trainer's grid (and the service-quality cell's
tooltip), and a line of the agent's scorecard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.scorecards.page import ScorecardsPage
from csdesk.ui.scorecards.scorecard_view import ScorecardView
from tests.helpers.qt import wait_loaded
from tests.integration.test_scorecard_service import TRAINER, rate, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

ALL_YES = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}


def _tip(page: ScorecardsPage, no: str, code: str) -> str:
    model = page.entry_model
    return model.data(model.index(model.row_of(no), model.column_of("criterion", code)), Qt.ItemDataRole.ToolTipRole)


def test_the_service_quality_cell_shows_the_month_s_qa_average(qtbot, sc_ctx) -> None:
    qa = sc_ctx.qa
    qa.record_inspection(SYSTEM, "A001", "CALL-1", date(2026, 10, 5), ALL_YES, inspector="S001")
    qa.record_inspection(SYSTEM, "A001", "CALL-2", date(2026, 10, 6), {**ALL_YES, "Q02": "no"}, inspector="S001")
    qa.record_inspection(SYSTEM, "A002", "CALL-3", date(2026, 9, 30), ALL_YES, inspector="S001")  # last month
    page = ScorecardsPage(sc_ctx, actor=TRAINER)
    qtbot.addWidget(page)
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.entry_model.rowCount() > 0)
    assert _tip(page, "A001", "service_quality") == "0 to 30\nQA average 95.0 (2 inspections)"
    assert _tip(page, "A001", "execution") == "0 to 20"  # the guide is for service quality only
    assert _tip(page, "A002", "service_quality") == "0 to 30"  # not inspected this month
    page.select_month("2026-09")
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.entry_model.month == "2026-09")
    assert _tip(page, "A002", "service_quality") == "0 to 30\nQA average 100.0 (1 inspection)"


def _inspected(sc_ctx) -> None:
    """A001 inspected twice in October (100 and 90), A002 only in September."""
    qa = sc_ctx.qa
    qa.record_inspection(SYSTEM, "A001", "CALL-1", date(2026, 10, 5), ALL_YES, inspector="S001")
    qa.record_inspection(SYSTEM, "A001", "CALL-2", date(2026, 10, 6), {**ALL_YES, "Q02": "no"}, inspector="S001")
    qa.record_inspection(SYSTEM, "A001", "CALL-2", date(2026, 10, 7), ALL_YES, inspector="S002", calibration=True)
    qa.record_inspection(SYSTEM, "A002", "CALL-3", date(2026, 9, 30), ALL_YES, inspector="S001")


def _shown(model, no: str, header: str, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)
    return model.data(model.index(model.row_of(no), column), role)


def test_the_trainer_s_grid_shows_the_qa_average_in_a_read_only_column_beside_service_quality(qtbot, sc_ctx) -> None:
    _inspected(sc_ctx)
    page = ScorecardsPage(sc_ctx, actor=TRAINER)
    qtbot.addWidget(page)
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.entry_model.rowCount() > 0)
    model = page.entry_model
    assert _shown(model, "A001", "QA average") == "95.0 (2)"  # the calibration inspection never counts
    assert _shown(model, "A001", "QA average", Qt.ItemDataRole.ToolTipRole) == "QA average 95.0 (2 inspections)"
    assert _shown(model, "A002", "QA average") == "—"  # inspected last month only
    assert _shown(model, "A002", "QA average", Qt.ItemDataRole.ToolTipRole) == "No inspections this month"
    column = model.column_of("qa")
    assert model.column_of("criterion", "service_quality") == column + 1  # right beside it
    assert not model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable
    page.select_month("2026-09")
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.entry_model.month == "2026-09")
    assert _shown(model, "A002", "QA average") == "100.0 (1)" and _shown(model, "A001", "QA average") == "—"


def test_a_grid_reader_without_qa_view_has_no_qa_column(sc_ctx, monkeypatch) -> None:
    from csdesk.ui.scorecards.entry_grid import EntryTableModel

    monkeypatch.setattr(Actor, "can", lambda self, permission: permission != "qa.view")
    model = EntryTableModel(sc_ctx.scorecards, TRAINER, sc_ctx.policy)
    assert all(c.kind != "qa" for c in model.columns)


def _view(qtbot, sc_ctx, actor: Actor, no: str, month: str = "2026-10") -> ScorecardView:
    view = ScorecardView(sc_ctx.scorecards, disputes=sc_ctx.disputes, qa=sc_ctx.qa, actor=actor)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    first = date(int(month[:4]), int(month[5:]), 1)
    view.set_month(month, first, first.replace(day=30), sc_ctx.scorecards.agents(actor), editable=True)
    view.show_agent(no)
    return view


def test_the_agent_s_scorecard_shows_the_month_s_qa_average_beside_the_rated_service_quality(qtbot, sc_ctx) -> None:
    _inspected(sc_ctx)
    rate(sc_ctx, "A001", (27.5, 18, 13, 13))
    agent = sc_ctx.auth.resolve_actor("agent1")
    view = _view(qtbot, sc_ctx, agent, "A001")
    assert view.quality.isVisible()
    assert view.quality.text() == "Service quality: 27.5 / 30  ·  QA average this month: 95.0 (2 inspections)"
    trainer = _view(qtbot, sc_ctx, TRAINER, "A002")
    assert trainer.quality.text() == "Service quality: not rated  ·  QA average this month: no inspections"
    trainer.set_month("2026-09", date(2026, 9, 1), date(2026, 9, 30), sc_ctx.scorecards.agents(TRAINER), editable=True)
    assert trainer.quality.text().endswith("QA average this month: 100.0 (1 inspection)")


def test_a_scorecard_without_the_qa_service_shows_no_qa_line(qtbot, sc_ctx) -> None:
    view = ScorecardView(sc_ctx.scorecards, disputes=sc_ctx.disputes, actor=TRAINER)
    qtbot.addWidget(view)
    assert view.quality.isHidden() and view.quality.text() == ""


# The completer's popup asks the offscreen platform for things it cannot do; harmless.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_on_the_page_the_scorecard_tab_shows_the_guide_and_the_score_stays_as_rated(qtbot, sc_ctx) -> None:
    """Picked as a person does (the Scorecard tab, the agent typed into its list); typing into the
    QA column changes nothing, and the inspections never move the rated score or the total."""
    rate(sc_ctx, "A001", (27.5, 18, 13, 13))
    before = sc_ctx.scorecards.scorecard(SYSTEM, "2026-10", "A001")
    _inspected(sc_ctx)
    after = sc_ctx.scorecards.scorecard(SYSTEM, "2026-10", "A001")
    assert (after.card.rated, after.card.total) == (before.card.rated, before.card.total)
    page = ScorecardsPage(sc_ctx, actor=TRAINER)
    qtbot.addWidget(page)
    page.show()
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.entry_model.rowCount() > 0)
    model, grid = page.entry_model, page.entry
    cell = model.index(model.row_of("A001"), model.column_of("qa"))
    grid.setFocus()
    grid.setCurrentIndex(cell)
    qtbot.keyClicks(grid, "40")
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    assert model.data(cell) == "95.0 (2)" and grid.state() != grid.State.EditingState
    rated = sc_ctx.scorecards.scorecard(SYSTEM, "2026-10", "A001").ratings["service_quality"]
    assert rated == before.ratings["service_quality"]
    tabs = page.tabs
    at = tabs.indexOf(page.scorecard)
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(at).center())
    assert tabs.currentWidget() is page.scorecard
    view = page.scorecard
    qtbot.waitUntil(lambda: view.employee_no() == "A001" and view.quality.text() != "")  # the first agent
    assert view.quality.text() == "Service quality: 27.5 / 30  ·  QA average this month: 95.0 (2 inspections)"
    assert view.quality.toolTip().endswith("a guide for rating service quality: it never changes the score.")
    assert view.values["rated"].text() == f"{after.card.rated} / 80"
    edit = view.agent.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "A002")  # the agent found by their number, picked from the list
    popup = view.agent.completer().popup()
    assert popup.isVisible() and popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.employee_no() == "A002")
    assert view.quality.text() == "Service quality: not rated  ·  QA average this month: no inspections"
