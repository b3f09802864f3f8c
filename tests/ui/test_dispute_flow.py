"""The dispute → arbitration flow through the real windows (issue 15): agent1 signs in, opens
their own scorecard and disputes it with a reason; the supervisor's window lists the dispute,
warns of it when locking, and arbitrates it; the agent's view then shows the decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from csdesk import i18n
from csdesk.services.base import SYSTEM
from csdesk.ui.dialogs.dispute_dialog import ArbitrateDialog, DisputeDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.scorecards.page import ScorecardsPage
from tests.helpers.qt import wait_loaded

REASON = "M01 on 5 October: I was on the training course"
NOTE = "The course was on the 6th; the late arrival stands."


def open_scorecards(qtbot, ctx, login: str) -> tuple[MainWindow, ScorecardsPage]:
    """Sign in as ``login`` (the demo's password) and open the Scorecards page of a new window."""
    actor = ctx.auth.login(login, "demo")
    window = MainWindow(ctx, actor=actor, idle_lock_ms=0)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("scorecards")
    page = window.pages["scorecards"]
    wait_loaded(qtbot, page)
    return window, page


def click_ok(qtbot, dialog) -> int:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    return dialog.result()


def dispute_through_the_dialog(qtbot, monkeypatch: pytest.MonkeyPatch, page: ScorecardsPage, reason: str) -> list[DisputeDialog]:
    """The agent clicks Dispute… on their card and types the reason."""
    seen: list[DisputeDialog] = []

    def fill(dialog: DisputeDialog) -> int:
        seen.append(dialog)
        # QTest cannot synthesise key events for CJK; an input method commits text like this.
        dialog.text.insertPlainText(reason)
        return click_ok(qtbot, dialog)

    monkeypatch.setattr(DisputeDialog, "exec", fill)
    page.tabs.setCurrentWidget(page.scorecard)
    qtbot.mouseClick(page.scorecard.response.dispute_button, Qt.MouseButton.LeftButton)
    return seen


def test_an_agent_disputes_their_month_and_sees_the_supervisor_s_decision(qtbot, demo_ctx, monkeypatch) -> None:
    agent_window, agent_page = open_scorecards(qtbot, demo_ctx, "agent1")
    assert [agent_page.tabs.tabText(i) for i in range(agent_page.tabs.count())] == ["Ranking", "Scorecard"]  # no Disputes tab
    agent_page.tabs.setCurrentWidget(agent_page.scorecard)
    bar = agent_page.scorecard.response
    assert agent_page.scorecard.employee_no() == "A001" and bar.own
    assert "Your response:" in bar.state.text() and "Not acknowledged or disputed yet." in bar.state.text()
    assert bar.acknowledge_button.isVisible() and bar.dispute_button.isEnabled()

    # An empty reason is refused in the dialog, which stays open.
    seen = dispute_through_the_dialog(qtbot, monkeypatch, agent_page, "   ")
    assert seen[0].saved is None and seen[0].error.text() == "A reason is required."
    assert demo_ctx.disputes.responses(SYSTEM, "2026-10") == []
    seen = dispute_through_the_dialog(qtbot, monkeypatch, agent_page, REASON)
    assert seen[0].saved is not None and seen[0].saved.reason == REASON
    assert "Disputed on" in bar.state.text() and REASON in bar.state.text() and "awaiting the supervisor" in bar.state.text()
    assert not bar.dispute_button.isEnabled() and not bar.acknowledge_button.isEnabled()  # one open dispute at a time

    _sup_window, sup_page = open_scorecards(qtbot, demo_ctx, "supervisor")
    assert sup_page.tabs.tabText(sup_page.tabs.count() - 1) == "Disputes"
    sup_page.tabs.setCurrentWidget(sup_page.disputes)
    listed = sup_page.disputes
    assert listed.model.rowCount() == 1 and listed.summary.text() == "1 dispute awaits your decision."
    columns = [listed.model.headerData(c, Qt.Orientation.Horizontal) for c in range(listed.model.columnCount())]
    row = {columns[c]: listed.model.index(0, c).data() for c in range(len(columns))}
    assert (row["Employee no."], row["Response"], row["Reason"], row["Decision"]) == ("A001", "Scorecard disputed", REASON, "awaiting the supervisor")
    assert not listed.arbitrate_button.isEnabled()  # nothing chosen yet

    # Locking the month now names the open dispute (the supervisor reads it and does not lock).
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.No)
    qtbot.mouseClick(sup_page.lock_button, Qt.MouseButton.LeftButton)
    assert "1 agent's dispute of this month is still open:" in asked[0] and "A001 " in asked[0] and REASON in asked[0]
    assert not demo_ctx.scorecards.months.is_locked("2026-10")

    def decide(dialog: ArbitrateDialog) -> int:
        assert REASON in dialog._summary.text()
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("upheld"))
        assert dialog.outcome.currentText() == "Scorecard upheld"
        qtbot.keyClicks(dialog.text, NOTE)
        return click_ok(qtbot, dialog)

    monkeypatch.setattr(ArbitrateDialog, "exec", decide)
    listed.select_employee("A001")
    assert listed.arbitrate_button.isEnabled()
    qtbot.mouseClick(listed.arbitrate_button, Qt.MouseButton.LeftButton)
    row = {columns[c]: listed.model.index(0, c).data() for c in range(len(columns))}
    assert (row["Decision"], row["Decided by"], row["Note"]) == ("Scorecard upheld", "supervisor", NOTE)
    assert listed.summary.text() == "No dispute awaits your decision." and not listed.arbitrate_button.isEnabled()

    # The agent comes back to their scorecard: the decision and its note are there.
    agent_window.show_page("callbacks")
    agent_window.show_page("scorecards")
    assert "Scorecard upheld by supervisor" in bar.state.text() and NOTE in bar.state.text()
    assert bar.dispute_button.isEnabled() and bar.acknowledge_button.isEnabled()
    qtbot.mouseClick(bar.acknowledge_button, Qt.MouseButton.LeftButton)
    assert "Acknowledged on" in bar.state.text() and not bar.acknowledge_button.isEnabled()
    assert [e.action for e in demo_ctx.audit.recent(SYSTEM, 10) if e.action.startswith("scorecard.")] == [
        "scorecard.acknowledge", "scorecard.arbitrate", "scorecard.dispute"]  # newest first


def test_the_supervisor_sees_an_agent_s_response_on_their_card_without_the_buttons(qtbot, demo_ctx) -> None:
    demo_ctx.disputes.acknowledge(demo_ctx.auth.resolve_actor("agent1"), "2026-10")
    _window, page = open_scorecards(qtbot, demo_ctx, "supervisor")
    page.open_scorecard("A001")
    bar = page.scorecard.response
    assert not bar.own and "The agent's response:" in bar.state.text() and "Acknowledged on" in bar.state.text()
    assert not bar.acknowledge_button.isVisible() and not bar.dispute_button.isVisible()
    page.open_scorecard("A002")
    assert "Not acknowledged or disputed yet." in bar.state.text()


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_the_agent_s_view_and_the_supervisor_s_list_fit_in_chinese_and_spanish(
    qtbot, demo_ctx, monkeypatch, tmp_path: Path, lang: str
) -> None:
    i18n.install(lang)  # the autouse fixture puts English back
    agent_window, agent_page = open_scorecards(qtbot, demo_ctx, "agent1")
    dispute_through_the_dialog(qtbot, monkeypatch, agent_page, "El 5 de octubre estuve en el curso / 培训")
    bar = agent_page.scorecard.response
    for button in (bar.acknowledge_button, bar.dispute_button):
        assert button.width() >= button.sizeHint().width(), (lang, button.text())
    assert agent_window.grab().save(str(tmp_path / f"dispute-agent-{lang}.png"))
    sup_window, sup_page = open_scorecards(qtbot, demo_ctx, "supervisor")
    sup_page.tabs.setCurrentWidget(sup_page.disputes)
    assert sup_page.disputes.model.rowCount() == 1
    assert sup_page.disputes.arbitrate_button.width() >= sup_page.disputes.arbitrate_button.sizeHint().width()
    assert sup_window.grab().save(str(tmp_path / f"dispute-supervisor-{lang}.png"))
