"""The trainer's grid shows the month's QA average beside the rated service quality (issue 15):
a guide in the cell's tooltip, counted by the QA service, for readers with qa.view."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from csdesk.services.base import SYSTEM
from csdesk.ui.scorecards.page import ScorecardsPage
from tests.helpers.qt import wait_loaded
from tests.integration.test_scorecard_service import TRAINER, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

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
