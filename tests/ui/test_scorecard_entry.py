"""The trainer's entry grid, driven by the keyboard: type, Tab, Enter, Ctrl+V; a refused value
is not kept in the cell, the status line says why, naming the agent and the column."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from csdesk import i18n
from csdesk.services.base import Actor
from csdesk.ui.scorecards.entry_grid import PENDING_BACKGROUND
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
    assert page.status.text() == "A001 孙艳 · The rating for Service quality must be between 0 and 30, not 31"
    assert page.entry_model.data(index) == ""  # what is stored, not the refused 31
    assert sc_ctx.scorecards.entry_rows(TRAINER, page.month_key())[0].ratings == {}
    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "30", Qt.Key.Key_Tab)
    assert page.status.text() == "Saved: 孙艳, Service quality"
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


# --- "a day without a stumble" (#17) ----------------------------------------------------------


@pytest.fixture
def spanish() -> None:
    i18n.install("es_ES")  # the autouse ``english`` fixture puts English back afterwards


def stored_rating(sc_ctx, page: ScorecardsPage, no: str, code: str):
    entered = sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), no).ratings.get(code)
    return entered.value if entered else None


def open_editor(qtbot, page: ScorecardsPage, index) -> QLineEdit:
    page.entry.setCurrentIndex(index)
    qtbot.keyClick(page.entry, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor


def paste(qtbot, page: ScorecardsPage, index, text: str) -> None:
    """Ctrl+V on the grid, with ``text`` on the clipboard as a spreadsheet copies a block."""
    QApplication.clipboard().setText(text)
    page.entry.setCurrentIndex(index)
    page.entry.setFocus()
    qtbot.keyClick(page.entry, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_an_error_names_the_agent_and_the_column_as_the_header_does(qtbot, page, spanish) -> None:
    index = cell(page, "A001", "criterion", "service_quality")
    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "abc", Qt.Key.Key_Tab)
    assert page.status.text() == "A001 孙艳 · Calidad del servicio: «abc» no es un número"
    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "31", Qt.Key.Key_Tab)
    assert page.status.text() == "A001 孙艳 · La valoración de Calidad del servicio debe estar entre 0 y 30, no 31"
    page.entry.setCurrentIndex(cell(page, "A003", "exam", "exam"))
    type_into(qtbot, page, "120", Qt.Key.Key_Tab)
    assert page.status.text() == "A003 Carmen García Jiménez · La nota del examen debe estar entre 0 y 100, no 120"


def test_a_refused_value_leaves_the_cell_showing_what_is_stored(qtbot, page, sc_ctx) -> None:
    sc_ctx.scorecards.set_rating(TRAINER, page.month_key(), "A002", "execution", 15)
    page.entry_model.reload_rows()
    index = cell(page, "A002", "criterion", "execution")
    for typed in ("abc", "21"):
        page.entry.setCurrentIndex(index)
        type_into(qtbot, page, typed, Qt.Key.Key_Tab)
        assert page.status.text().startswith("A002 胡艳 · ")
        assert page.entry_model.data(index) == "15"
        assert page.entry_model.data(index, Qt.ItemDataRole.BackgroundRole) is None
        assert page.entry_model.pending("A002", "execution") is None
    assert stored_rating(sc_ctx, page, "A002", "execution") == 15


def test_a_pasted_block_saves_the_good_values_and_lists_every_bad_one(qtbot, page, sc_ctx, spanish) -> None:
    # service_quality (max 30) and execution (max 20) of A001 and A002
    paste(qtbot, page, cell(page, "A001", "criterion", "service_quality"), "abc\t18,5\r\n29\t25\r\n")
    assert page.status.text().splitlines() == [
        "A001 孙艳 · Calidad del servicio: «abc» no es un número",
        "A002 胡艳 · La valoración de Ejecución de tareas y atención presencial debe estar entre 0 y 20, no 25",
    ]
    assert stored_rating(sc_ctx, page, "A001", "execution") == Decimal("18.5")
    assert stored_rating(sc_ctx, page, "A002", "service_quality") == 29
    assert stored_rating(sc_ctx, page, "A001", "service_quality") is None
    assert stored_rating(sc_ctx, page, "A002", "execution") is None
    assert page.entry_model.data(cell(page, "A001", "criterion", "service_quality")) == ""
    assert page.entry_model.data(cell(page, "A001", "criterion", "execution")) == "18,5"


def test_the_editor_shows_and_takes_the_spanish_decimal_comma(qtbot, page, sc_ctx, spanish) -> None:
    sc_ctx.scorecards.set_rating(TRAINER, page.month_key(), "A001", "service_quality", Decimal("19.5"))
    page.entry_model.reload_rows()
    index = cell(page, "A001", "criterion", "service_quality")
    assert page.entry_model.data(index) == "19,5"
    editor = open_editor(qtbot, page, index)
    assert editor.text() == "19,5"
    editor.selectAll()
    qtbot.keyClicks(editor, "18,5")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert stored_rating(sc_ctx, page, "A001", "service_quality") == Decimal("18.5")
    type_into(qtbot, page, "17.5", Qt.Key.Key_Tab)  # a point typed out of habit is a decimal mark too
    assert stored_rating(sc_ctx, page, "A001", "execution") == Decimal("17.5")
    assert page.entry_model.data(cell(page, "A001", "criterion", "execution")) == "17,5"


def test_enter_on_an_adjustment_moves_to_its_reason_then_to_the_next_adjustment(qtbot, page, sc_ctx) -> None:
    page.entry.setCurrentIndex(cell(page, "A002", "adjustment", "adjustment"))
    type_into(qtbot, page, "-3", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.entry.currentIndex() == cell(page, "A002", "reason", "reason"))
    type_into(qtbot, page, "late twice", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.entry.currentIndex() == cell(page, "A003", "adjustment", "adjustment"))
    card = sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), "A002")
    assert card.card.adjustment == -3 and card.adjustment.reason == "late twice"


def test_the_cursor_put_on_another_row_while_editing_stays_there(qtbot, page, sc_ctx) -> None:
    """As Reload puts it back on a cell: the editor this closes is not taken for an Enter."""
    page.entry.setCurrentIndex(cell(page, "A001", "criterion", "service_quality"))
    type_into(qtbot, page, "20", Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QLineEdit)  # Tab opened the next cell's editor
    target = cell(page, "A003", "exam", "exam")
    page.entry.setCurrentIndex(target)
    assert page.entry.currentIndex() == target  # not the row below it
    assert stored_rating(sc_ctx, page, "A001", "service_quality") == 20
