"""The entry grid and another PC (#12): a value changed behind the grid's back is not overwritten,
the message offers Reload, and the cell never keeps the refused text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from csdesk.services.base import Actor
from csdesk.ui import messages
from csdesk.ui.scorecards.page import ScorecardsPage
from tests.helpers.qt import wait_loaded
from tests.integration.test_scorecard_service import sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture
from tests.ui.test_scorecard_entry import SUPERVISOR, TRAINER, cell, type_into

OTHER_PC = Actor("supervisor", "supervisor")  # saves through the same database, not through this grid


@pytest.fixture
def page(qtbot, sc_ctx) -> ScorecardsPage:
    page = ScorecardsPage(sc_ctx, actor=TRAINER)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.tabs.setCurrentIndex(1)
    return page


class Answers(list[str]):
    """``offer_reload`` patched: each message is kept, and Reload (``reload``) or Cancel answers."""

    reload = True

    def offer(self, parent, error) -> bool:
        self.append(error.message())
        return self.reload


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    told = Answers()
    monkeypatch.setattr(messages, "offer_reload", told.offer)
    return told


def stored(sc_ctx, page: ScorecardsPage, no: str):
    return sc_ctx.scorecards.scorecard(SUPERVISOR, page.month_key(), no)


def test_reload_shows_the_other_pcs_value_in_the_same_cell(qtbot, page, sc_ctx, answers) -> None:
    index = cell(page, "A001", "criterion", "service_quality")
    assert page.entry_model.data(index) == ""  # read before the other PC saved
    sc_ctx.scorecards.set_rating(OTHER_PC, page.month_key(), "A001", "service_quality", 22)

    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "27.5", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(answers) == 1)

    assert "supervisor changed this record" in answers[0] and "Nothing was saved" in answers[0]
    assert page.status.text() == f"A001 孙艳 · Service quality: {answers[0]}"  # the status line names the cell
    assert stored(sc_ctx, page, "A001").ratings["service_quality"].value == 22  # not overwritten
    assert page.entry_model.data(index) == "22"  # Reload: the other PC's value
    assert page.entry_model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    current = page.entry.currentIndex()  # Enter had moved on; Reload puts the cursor back
    assert (page.entry_model.row(current.row()).employee_no, current.column()) == ("A001", index.column())
    assert page.entry.selectionModel().selectedIndexes() == [current]

    type_into(qtbot, page, "27.5", Qt.Key.Key_Tab)  # now it knows what it replaces: saved
    assert stored(sc_ctx, page, "A001").ratings["service_quality"].value == Decimal("27.5")
    assert page.entry_model.data(index) == "27.5" and len(answers) == 1


def test_cancel_keeps_what_the_grid_read_never_the_refused_text(qtbot, page, sc_ctx, answers) -> None:
    answers.reload = False
    index = cell(page, "A002", "exam", "exam")
    sc_ctx.scorecards.set_exam(OTHER_PC, page.month_key(), "A002", 88)

    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "95", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(answers) == 1)

    assert page.entry_model.data(index) == ""  # what the grid read: not "95", and not reloaded
    assert page.entry_model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    assert page.entry_model.pending("A002", "exam") is None
    assert stored(sc_ctx, page, "A002").card.exam == 88
    assert page.entry.currentIndex() == cell(page, "A003", "exam", "exam")  # Enter's move stands


def test_an_adjustment_and_its_reason_are_both_dropped_and_reloaded(qtbot, page, sc_ctx, answers) -> None:
    adjustment, reason = cell(page, "A002", "adjustment", "adjustment"), cell(page, "A002", "reason", "reason")
    sc_ctx.scorecards.set_adjustment(OTHER_PC, page.month_key(), "A002", 2, "covered a night shift")

    page.entry.setCurrentIndex(adjustment)
    type_into(qtbot, page, "-3", Qt.Key.Key_Tab)  # waits for its reason
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and page.entry.currentIndex() == reason
    qtbot.keyClicks(editor, "late twice")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(answers) == 1)

    after = stored(sc_ctx, page, "A002")
    assert (after.card.adjustment, after.adjustment.reason) == (2, "covered a night shift")
    assert page.entry_model.pending("A002", "adjustment") is None and page.entry_model.pending("A002", "reason") is None
    assert (page.entry_model.data(adjustment), page.entry_model.data(reason)) == ("2", "covered a night shift")
    assert page.entry.currentIndex() == reason


def test_the_message_is_the_shared_reload_box(qtbot, page, sc_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not patched away: the box the other dialogs show, with Reload and Cancel; Reload is pressed."""
    seen: list[tuple[str, list[str]]] = []

    def press_reload(box: QMessageBox) -> int:
        # Roles, not texts, for the stock Cancel: Qt's own translation of it depends on what an
        # earlier test in this process installed.
        seen.append((box.text(), sorted(box.buttonRole(b).name for b in box.buttons())))
        next(b for b in box.buttons() if b.text() == "Reload").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_reload)
    index = cell(page, "A003", "criterion", "execution")
    sc_ctx.scorecards.set_rating(OTHER_PC, page.month_key(), "A003", "execution", 15)
    page.entry.setCurrentIndex(index)
    type_into(qtbot, page, "18", Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: len(seen) == 1)
    text, buttons = seen[0]
    assert "supervisor changed this record" in text and buttons == ["AcceptRole", "RejectRole"]
    qtbot.waitUntil(lambda: page.entry_model.data(index) == "15")
    assert page.entry.currentIndex() == index
