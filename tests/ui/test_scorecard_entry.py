"""The trainer's entry grid, driven by the keyboard: type, Tab, Enter; errors shown in the cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from csdesk.services.base import Actor
from csdesk.ui.scorecards.entry_grid import ERROR_BACKGROUND, PENDING_BACKGROUND
from csdesk.ui.scorecards.page import ScorecardsPage
from tests.helpers.qt import wait_loaded
from tests.integration.test_scorecard_service import LEAD, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

TRAINER = Actor("trainer", "trainer")
SUPERVISOR = Actor("supervisor", "supervisor")


@pytest.fixture
def page(qtbot, sc_ctx) -> ScorecardsPage:
    page = ScorecardsPage(sc_ctx, actor=TRAINER)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.tabs.setCurrentIndex(1)
    return page


def cell(page: ScorecardsPage, no: str, kind: str, code: str = ""):
    model = page.entry_model
    return model.index(model.row_of(no), model.column_of(kind, code))


def type_into(qtbot, page: ScorecardsPage, text: str, then: Qt.Key) -> None:
    """Type into the current cell as a user does: the first key opens the editor, unless Tab
    already opened it (the keys then go to the editor, which has the focus)."""
    editor = QApplication.focusWidget()
    if not isinstance(editor, QLineEdit):
        qtbot.keyClick(page.entry, text[0])
        editor, text = QApplication.focusWidget(), text[1:]
    assert isinstance(editor, QLineEdit)
    if text:
        qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, then)


def test_type_a_score_tab_and_it_is_saved_and_the_next_cell_is_current(qtbot, page, sc_ctx) -> None:
    page.entry.setCurrentIndex(cell(page, "A001", "criterion", "service_quality"))
    type_into(qtbot, page, "27.5", Qt.Key.Key_Tab)
    stored = sc_ctx.scorecards.entry_rows(TRAINER, page.month_key())[0]
    assert stored.employee_no == "A001" and stored.ratings["service_quality"].value == Decimal("27.5")
    assert page.entry.currentIndex() == cell(page, "A001", "criterion", "execution")
    assert "Saved" in page.status.text()
    assert page.entry_model.data(cell(page, "A001", "criterion", "service_quality")) == "27.5"


def test_enter_saves_and_moves_to_the_row_below(qtbot, page, sc_ctx) -> None:
    page.entry.setCurrentIndex(cell(page, "A001", "exam", "exam"))
    type_into(qtbot, page, "100", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.entry.currentIndex() == cell(page, "A002", "exam", "exam"))  # Enter commits queued
    card = sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), "A001")
    assert card.card.exam == 100 and card.card.bonus == 5


def test_31_for_a_30_point_criterion_shows_the_error_and_saves_nothing(qtbot, page, sc_ctx) -> None:
    index = cell(page, "A001", "criterion", "service_quality")
    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "31", Qt.Key.Key_Tab)
    message = "The rating for service_quality must be between 0 and 30, not 31"
    assert page.status.text() == message
    assert page.entry_model.data(index) == "31"
    assert page.entry_model.data(index, Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND
    assert page.entry_model.data(index, Qt.ItemDataRole.ToolTipRole) == message
    assert sc_ctx.scorecards.entry_rows(TRAINER, page.month_key())[0].ratings == {}
    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "30", Qt.Key.Key_Tab)  # correcting it clears the error
    assert page.entry_model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    assert sc_ctx.scorecards.entry_rows(TRAINER, page.month_key())[0].ratings["service_quality"].value == 30


def test_an_adjustment_waits_for_its_reason_then_both_are_saved(qtbot, page, sc_ctx) -> None:
    adjustment = cell(page, "A002", "adjustment", "adjustment")
    page.entry.setCurrentIndex(adjustment)
    type_into(qtbot, page, "-3", Qt.Key.Key_Tab)
    assert page.entry_model.data(adjustment, Qt.ItemDataRole.BackgroundRole) == PENDING_BACKGROUND
    assert page.entry.currentIndex() == cell(page, "A002", "reason", "reason")
    editor = QApplication.focusWidget()  # Tab opened the reason cell's editor
    assert isinstance(editor, QLineEdit)
    editor.insert("no avisó 未通知")  # QTest cannot type CJK; an input method commits it like this
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.entry.currentIndex().row() == page.entry_model.row_of("A003"))
    card = sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), "A002")
    assert card.card.adjustment == -3 and card.adjustment.reason == "no avisó 未通知"
    assert page.entry_model.data(adjustment, Qt.ItemDataRole.BackgroundRole) is None


def test_ctrl_z_undoes_the_last_edits_one_by_one(qtbot, page, sc_ctx) -> None:
    page.entry.setCurrentIndex(cell(page, "A003", "criterion", "service_quality"))
    type_into(qtbot, page, "20", Qt.Key.Key_Tab)
    type_into(qtbot, page, "15", Qt.Key.Key_Tab)
    assert sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), "A003").ratings["execution"].value == 15
    QApplication.focusWidget().clearFocus()  # leave the editor Tab opened on the third criterion
    page.entry.setFocus()
    qtbot.keyClick(page.entry, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.entry)
    ratings = sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), "A003").ratings
    assert ratings["service_quality"].value == 20 and "execution" not in ratings
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), "A003").ratings == {}
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Nothing to undo."


def test_a_locked_month_cannot_be_edited_in_the_grid(qtbot, sc_ctx) -> None:
    sc_ctx.scorecards.months.lock(SUPERVISOR, "2026-10")
    page = ScorecardsPage(sc_ctx, actor=TRAINER)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    index = cell(page, "A001", "criterion", "service_quality")
    assert not page.entry_model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert page.lock_state.text().startswith("Locked by supervisor")


def test_a_team_lead_sees_no_entry_tab(qtbot, sc_ctx) -> None:
    page = ScorecardsPage(sc_ctx, actor=LEAD)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Ranking", "Scorecard"]
    assert not page.lock_button.isVisibleTo(page)


def test_the_ranking_shows_what_the_grid_saved_when_its_tab_opens(qtbot, page) -> None:
    page.entry.setCurrentIndex(cell(page, "A001", "criterion", "service_quality"))
    type_into(qtbot, page, "30", Qt.Key.Key_Tab)
    assert page.stale
    page.tabs.setCurrentIndex(0)
    wait_loaded(qtbot, page)
    card = next(c for c in page.ranking.model.rows() if c.employee_no == "A001")
    assert card.card.rated == 30 and card.rank == 1 and not page.stale
