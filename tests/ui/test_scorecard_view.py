"""The scorecard window: numbers that explain themselves, recording and voiding events, printing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QMessageBox

from csdesk.services.base import Actor
from csdesk.ui.scorecards.event_dialog import EventDialog
from csdesk.ui.scorecards.page import ScorecardsPage
from tests.helpers.qt import wait_loaded
from csdesk.ui.scorecards.printing import SheetPrinter
from tests.helpers.pdf import pdf_pages
from tests.integration.test_scorecard_service import LEAD, rate, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

SUPERVISOR = Actor("supervisor", "supervisor")


@pytest.fixture
def page(qtbot, sc_ctx) -> ScorecardsPage:
    rate(sc_ctx, "A001", (28, 18, 13, 13))
    sc_ctx.scorecards.set_adjustment(SUPERVISOR, "2026-10", "A001", 2, "ayudó <&> al equipo")
    sc_ctx.scorecards.record_event(SUPERVISOR, "A001", date(2026, 10, 6), "M11", note="pedido mal")
    page = ScorecardsPage(sc_ctx, actor=SUPERVISOR)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.open_scorecard("A001")
    return page


def test_every_number_lists_where_it_comes_from(qtbot, page) -> None:
    view = page.scorecard
    assert view.values["total"].text() == "72" and view.values["rated"].text() == "72 / 80"
    qtbot.mouseClick(view.values["deduction"], Qt.MouseButton.LeftButton)
    assert view.explain_caption.text() == "<b>Where Deduction comes from</b>"
    assert [line.code for line in view.explain_model.rows()] == ["M11"]
    assert view.explain_model.rows()[0].note == "pedido mal"
    qtbot.mouseClick(view.values["adjustment"], Qt.MouseButton.LeftButton)
    assert view.explain_model.rows()[0].note == "ayudó <&> al equipo"
    qtbot.mouseClick(view.values["pay_float"], Qt.MouseButton.LeftButton)
    assert "(total 72 − 80) × 10 CNY" in view.explain_model.rows()[0].text
    qtbot.mouseClick(view.values["total"], Qt.MouseButton.LeftButton)
    assert sum(line.points for line in view.explain_model.rows()) == 72
    assert view.chart.points[-1].total == 72


# The completer's popup asks the offscreen platform for things it cannot do; harmless.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_record_an_event_in_three_steps_searching_the_code_by_words(qtbot, page, sc_ctx, monkeypatch) -> None:
    dialogs: list[EventDialog] = []

    def fill(dialog: EventDialog) -> int:
        dialogs.append(dialog)
        assert dialog.agent.currentData() == "A001"  # 1. the agent (pre-selected from the scorecard)
        qtbot.keyClicks(dialog.code.lineEdit(), "messy")  # 2. the code, found by a word of its name
        popup = dialog.code.completer().popup()
        assert popup.isVisible() and popup.model().rowCount() == 1
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert dialog.code.currentData() == "M02"
        assert dialog.points.value() == -2 and not dialog.points.isEnabled()
        qtbot.keyClicks(dialog.note, "escritorio")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)  # 3.
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", fill)
    qtbot.mouseClick(page.scorecard.record_button, Qt.MouseButton.LeftButton)
    assert dialogs[0].saved is not None and dialogs[0].saved.recorded_by == "supervisor"
    view = page.scorecard
    assert [(e.code, e.points, e.note) for e in view.events_model.rows()] == [("M11", -2, "pedido mal"), ("M02", -2, "escritorio")]
    assert view.values["deduction"].text() == "\u22124"
    wait_loaded(qtbot, page)  # the ranking is recomputed in the background
    ranking = {c.employee_no: c for c in page.ranking.model.rows()}
    assert ranking["A001"].card.deduction == 4


def test_the_points_of_a_range_code_are_prefilled_and_limited(qtbot, page) -> None:
    dialog = page.scorecard.event_dialog()
    qtbot.addWidget(dialog)
    dialog.code.setCurrentIndex(dialog.code.findData("M01"))
    assert dialog.points.value() == -2 and (dialog.points.minimum(), dialog.points.maximum()) == (-5, -2)
    dialog.code.setCurrentIndex(dialog.code.findData("B03"))
    assert dialog.points.value() == 5
    assert dialog.code.findData("B02") == -1  # automatic codes are not offered


def test_a_refused_event_keeps_the_dialog_open_with_the_reason(qtbot, page, sc_ctx) -> None:
    sc_ctx.scorecards.record_event(SUPERVISOR, "A001", date(2026, 10, 2), "B05")
    dialog = page.scorecard.event_dialog()
    qtbot.addWidget(dialog)
    dialog.code.setCurrentIndex(dialog.code.findData("B05"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert "already has it on 2026-10-02" in dialog.error.text() and dialog.saved is None


def test_void_an_event_with_a_reason_and_it_stays_listed(qtbot, page, sc_ctx, monkeypatch) -> None:
    view = page.scorecard
    view.events_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    qtbot.mouseClick(view.void_button, Qt.MouseButton.LeftButton)
    assert warnings == ["A reason is required to correct or void an event."]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("wrong agent", True))
    qtbot.mouseClick(view.void_button, Qt.MouseButton.LeftButton)
    assert view.events_model.rowCount() == 1 and view.events_model.row(0).voided
    assert view.events_model.index(0, 7).data() == "void"
    assert view.values["deduction"].text() == "0"
    assert not view.void_button.isEnabled()


def test_a_voided_event_is_struck_through_and_its_points_count_nothing(qtbot, page, monkeypatch) -> None:
    """Issue 17: a voided event still showed "+5" in normal type."""
    view = page.scorecard
    model = view.events_model
    assert model.index(0, 3).data() == "\u22122"  # M11, counted: as recorded, in normal type
    assert model.index(0, 3).data(Qt.ItemDataRole.FontRole) is None
    view.events_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("wrong agent", True))
    qtbot.mouseClick(view.void_button, Qt.MouseButton.LeftButton)
    assert model.row(0).voided
    points = model.index(0, 3)
    assert points.data() == "(\u22122)" and points.data(Qt.ItemDataRole.ToolTipRole) == "Not counted in the total"
    for column in range(model.columnCount() - 1):  # the status says "void" plainly
        cell = model.index(0, column)
        assert cell.data(Qt.ItemDataRole.FontRole).strikeOut(), model.headerData(column, Qt.Orientation.Horizontal)
        assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert sum(line.points for line in view.explain_model.rows() if line.part == "deduction") == 0


def test_correct_an_event_asks_for_the_reason(qtbot, page, sc_ctx, monkeypatch) -> None:
    view = page.scorecard
    view.events_table.selectRow(0)

    def fill(dialog: EventDialog) -> int:
        assert not dialog.agent.isEnabled()
        dialog.code.setCurrentIndex(dialog.code.findData("M13"))
        dialog.points.setValue(-4)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        assert "reason" in dialog.error.text()
        qtbot.keyClicks(dialog.reason, "spot check, two errors")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(EventDialog, "exec", fill)
    qtbot.mouseClick(view.correct_button, Qt.MouseButton.LeftButton)
    event = view.events_model.row(0)
    assert (event.code, event.points, event.corrected) == ("M13", -4, True)
    assert sc_ctx.scorecards.corrections(SUPERVISOR, [event.id])[0].reason == "spot check, two errors"


def test_a_team_lead_records_events_but_the_scorecard_has_no_rating_controls(qtbot, sc_ctx) -> None:
    page = ScorecardsPage(sc_ctx, actor=LEAD)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    page.open_scorecard("A002")
    assert page.scorecard.record_button.isEnabled()


def test_batch_print_runs_in_the_background_with_progress_then_previews(qtbot, page, monkeypatch) -> None:
    monkeypatch.setattr(SheetPrinter, "in_process", False)
    page.team.setCurrentIndex(page.team.findData("客服一组"))
    progress: list[tuple[int, int]] = []
    job = page.printer.start("2026-10", employee_no=None, team="客服一组", lang="es_ES", name="team")
    job.progressed.connect(lambda done, total: progress.append((done, total)))
    qtbot.waitUntil(lambda: page.printer.preview is not None, timeout=20000)
    preview = page.printer.preview
    assert preview.document.pageCount() == 4 == pdf_pages(page.printer.result.path)
    assert progress and progress[-1] == (4, 4)
    preview.page.setValue(2)
    assert not preview.image.pixmap().isNull()
    folder = page.printer.result.path.parent
    assert folder.name.startswith("csdesk-sheets-") and folder.is_dir()
    preview.close()
    assert not folder.exists()  # the batch's temporary folder goes with its preview


def test_a_cancelled_batch_leaves_no_file_and_no_preview(qtbot, page, monkeypatch) -> None:
    monkeypatch.setattr(SheetPrinter, "in_process", False)
    job = page.printer.start("2026-10", employee_no=None, team=None, lang="zh_CN", name="all")
    job.cancel()
    qtbot.waitUntil(lambda: page.printer.result is not None, timeout=20000)
    assert page.printer.result.cancelled and not page.printer.result.path.exists()
    assert not page.printer.result.path.parent.exists()  # nor its temporary folder
    assert page.printer.preview is None
    QApplication.processEvents()


def test_a_ratings_file_goes_through_the_import_wizard_before_anything_is_written(qtbot, page, sc_ctx, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from csdesk.ui.dialogs import import_dialog
    from csdesk.ui.dialogs.import_wizard import ImportWizard
    from tests.helpers.factories import write_csv

    ratings = "工号,月份,服务质量,任务执行,协作沟通,纪律\nA002,2026-10,27,18,14,13\nA003,2026-10,99,18,14,13\n"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(write_csv(tmp_path / "ratings.csv", ratings)), ""))
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: 0)
    qtbot.mouseClick(page.import_ratings, Qt.MouseButton.LeftButton)
    wizard = page.findChild(ImportWizard)
    assert wizard is not None and wizard.windowTitle() == "Import ratings"
    qtbot.waitUntil(lambda: wizard._dry_job is None, timeout=20_000)
    assert "1 rejected" in wizard.summary.text()
    assert not sc_ctx.scorecards.scorecard(SUPERVISOR, "2026-10", "A002").ratings  # the dry run wrote nothing
    wizard.start_import()
    qtbot.waitUntil(lambda: bool(sc_ctx.scorecards.scorecard(SUPERVISOR, "2026-10", "A002").ratings), timeout=20_000)
    assert not sc_ctx.scorecards.scorecard(SUPERVISOR, "2026-10", "A003").ratings  # the bad row stays out


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_the_agent_box_lists_the_month_s_agents_and_finds_one_by_any_part_of_its_name(qtbot, page) -> None:
    view = page.scorecard
    combo = view.agent
    listed = [combo.itemText(i) for i in range(combo.count())]
    assert len(listed) == len(view.agents) and listed[0].startswith(view.agents[0].employee_no + " · ")
    assert combo.currentData() == "A001" and view.employee_no() == "A001"
    second = view.agents[1]
    view.show_agent(second.employee_no)  # the ranking's double-click
    assert combo.currentText() == f"{second.employee_no} · {second.name}" and view.employee_no() == second.employee_no
    view.show_agent("NOBODY")
    assert combo.currentIndex() == -1 and view.employee_no() is None
    # typing part of the item offers the agent (the completer reads the same list; QTest types ASCII only)
    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), second.employee_no[1:])
    popup = combo.completer().popup()
    offered = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert f"{second.employee_no} · {second.name}" in offered


def test_a_month_with_other_agents_refills_the_box_and_keeps_the_agent_shown(page) -> None:
    view = page.scorecard
    fewer = [a for a in view.agents if a.employee_no != view.agents[-1].employee_no]
    view.set_month(view.month, view.first, view.last, fewer, view.editable, cards=tuple(view.cards.values()))
    assert view.agent.count() == len(fewer) and view.employee_no() == "A001"
    assert view.agent_list.row_of(view.agents[-1].employee_no) == len(fewer) - 1
