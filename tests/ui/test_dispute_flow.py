"""The dispute → arbitration flow through the real windows (issue 15): agent1 signs in, opens
their own scorecard (their own quality inspection) and disputes it with a reason; the
supervisor's window lists the dispute, warns of it when locking, and arbitrates it; the agent's
view then shows the decision."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from csdesk import i18n
from csdesk.audit_labels import describe
from csdesk.models.domain_qa import InspectionRecord
from csdesk.services.base import SYSTEM
from csdesk.ui.dialogs.dispute_dialog import ArbitrateDialog, DisputeDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.qa.disputes import InspectionArbitrateDialog, InspectionResponseDialog
from csdesk.ui.qa.page import QAPage
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


# --- a quality inspection disputed and arbitrated (rules.md §10) -------------------------------

ALL_YES = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}
QA_REASON = "The customer hung up before I could greet them"
QA_NOTE = "Q02 does not apply: the recording starts after the greeting"


@pytest.fixture
def inspected(demo_ctx):
    """October's inspections: A001 (agent1) on the 5th with Q02 failed, and a calibration one of
    the same call by S001; A002 (the other team) on the 6th."""
    qa = demo_ctx.auth.resolve_actor("qa")
    own = demo_ctx.qa.record_inspection(qa, "A001", "CALL-1", date(2026, 10, 5), {**ALL_YES, "Q02": "no"})
    demo_ctx.qa.record_inspection(SYSTEM, "A001", "CALL-1", date(2026, 10, 5), ALL_YES, inspector="S001", calibration=True)
    demo_ctx.qa.record_inspection(qa, "A002", "T-77", date(2026, 10, 6), ALL_YES)
    return demo_ctx, own.inspection.id


def open_page(qtbot, ctx, login: str, key: str):  # type: ignore[no-untyped-def]
    """Sign in as ``login`` (the demo's password) and open page ``key`` of a new window."""
    window = MainWindow(ctx, actor=ctx.auth.login(login, "demo"), idle_lock_ms=0)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(key)
    page = window.pages[key]
    if hasattr(page, "loading"):
        wait_loaded(qtbot, page)
    return window, page


def cells(model, row: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One row of a table model by its column headings, as shown."""
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return {h: model.index(row, c).data() for c, h in enumerate(headers)}


def click_inspection(qtbot, page: QAPage, inspection_id: int) -> None:
    """Click the row of the inspection ``inspection_id`` in the Quality page's list."""
    tab = page.inspections_tab
    for r in range(tab.proxy.rowCount()):
        if tab.model.row(tab.proxy.mapToSource(tab.proxy.index(r, 0)).row()).id == inspection_id:
            rect = tab.table.visualRect(tab.proxy.index(r, 1))
            qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert tab.selected() is not None and tab.selected().id == inspection_id
            return
    raise AssertionError(f"inspection {inspection_id} is not listed")


def test_an_agent_disputes_their_inspection_and_the_supervisor_arbitrates_it(qtbot, inspected, monkeypatch) -> None:
    ctx, own = inspected
    agent_window, agent_page = open_page(qtbot, ctx, "agent1", "qa")
    assert isinstance(agent_page, QAPage) and agent_page.response is not None
    listed: list[InspectionRecord] = agent_page.inspections_tab.model.rows()
    assert [(i.id, i.employee_no, i.calibration) for i in listed] == [(own, "A001", False)]  # their own, none else
    assert not agent_page.agent.isVisibleTo(agent_page)
    bar = agent_page.response
    assert not bar.isVisibleTo(agent_page)  # nothing chosen yet
    click_inspection(qtbot, agent_page, own)
    assert bar.isVisibleTo(agent_page) and "Your response:" in bar.state.text()
    assert "Not acknowledged or disputed yet." in bar.state.text()
    assert bar.acknowledge_button.isVisibleTo(bar) and bar.dispute_button.isEnabled()
    assert not bar.arbitrate_button.isVisibleTo(bar)  # an agent decides no dispute

    # The agent clicks Dispute…: an empty reason is refused in the dialog, then they type one.
    seen: list[InspectionResponseDialog] = []

    def fill(dialog: InspectionResponseDialog) -> int:
        seen.append(dialog)
        assert dialog.windowTitle() == "Dispute the inspection" and "CALL-1" in dialog._caption.text()
        dialog.text.clear()
        qtbot.keyClicks(dialog.text, QA_REASON if len(seen) > 1 else "   ")
        return click_ok(qtbot, dialog)

    monkeypatch.setattr(InspectionResponseDialog, "exec", fill)
    qtbot.mouseClick(bar.dispute_button, Qt.MouseButton.LeftButton)
    assert seen[0].saved is None and seen[0].error.text() == "A reason is required."
    assert ctx.disputes.inspection_responses(SYSTEM, "2026-10") == []
    qtbot.mouseClick(bar.dispute_button, Qt.MouseButton.LeftButton)
    assert seen[1].saved is not None
    wait_loaded(qtbot, agent_page)  # the page reads the list again, keeping the inspection chosen
    assert agent_page.inspections_tab.selected().id == own
    row = cells(agent_page.inspections_tab.proxy, 0)
    assert row["Response"] == "Inspection disputed · awaiting the supervisor"
    assert agent_page.inspections_tab.count.text() == "1 inspection · 1 open dispute"
    assert "Disputed on" in bar.state.text() and QA_REASON in bar.state.text()
    assert "awaiting the supervisor's decision." in bar.state.text()
    assert not bar.dispute_button.isEnabled() and not bar.acknowledge_button.isEnabled()  # one open dispute at a time

    # The supervisor is about to sign October off: the question names the open dispute.
    _sup_cards_window, cards = open_page(qtbot, ctx, "supervisor", "scorecards")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.No)
    qtbot.mouseClick(cards.lock_button, Qt.MouseButton.LeftButton)
    assert "1 dispute of an inspection of this month is still open:" in asked[0]
    assert "A001 " in asked[0] and "CALL-1" in asked[0] and QA_REASON in asked[0]
    assert not ctx.scorecards.months.is_locked("2026-10")
    cards.tabs.setCurrentWidget(cards.disputes)  # the Disputes tab lists it too
    assert cards.disputes.inspection_summary.text() == "1 dispute of an inspection awaits your decision."
    assert cells(cards.disputes.inspection_model, 0)["Reason"] == QA_REASON

    # The supervisor opens the Quality page, chooses the inspection and arbitrates: changed.
    sup_window, sup_page = open_page(qtbot, ctx, "supervisor", "qa")
    sup_bar = sup_page.response
    click_inspection(qtbot, sup_page, own)
    assert "The agent's response:" in sup_bar.state.text() and QA_REASON in sup_bar.state.text()
    assert not sup_bar.acknowledge_button.isVisibleTo(sup_bar) and not sup_bar.dispute_button.isVisibleTo(sup_bar)
    assert sup_bar.arbitrate_button.isVisibleTo(sup_bar) and sup_bar.arbitrate_button.isEnabled()

    def decide(dialog: InspectionArbitrateDialog) -> int:
        assert QA_REASON in dialog.summary.text() and "A001" in dialog.summary.text()
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("changed"))
        assert dialog.outcome.currentText() == "Inspection changed"
        qtbot.keyClicks(dialog.text, QA_NOTE)
        return click_ok(qtbot, dialog)

    monkeypatch.setattr(InspectionArbitrateDialog, "exec", decide)
    qtbot.mouseClick(sup_bar.arbitrate_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, sup_page)
    assert "Inspection changed by supervisor" in sup_bar.state.text() and QA_NOTE in sup_bar.state.text()
    assert not sup_bar.arbitrate_button.isEnabled()
    decided = [r for r in sup_page.inspections_tab.model.rows() if r.id == own]
    assert len(decided) == 1
    responses = ctx.disputes.inspection_responses(SYSTEM, "2026-10")
    assert [(r.inspection_id, r.kind, r.reason, r.outcome, r.note, r.decided_by, r.decided_at) for r in responses] == [
        (own, "disputed", QA_REASON, "changed", QA_NOTE, "supervisor", datetime(2026, 10, 15, 9, 30))]  # fmt: skip

    # The audit log, in the supervisor's Audit page: who did what, in words.
    sup_window.show_page("audit")
    audit = sup_window.pages["audit"]
    lines = [audit.model.row(r) for r in range(audit.model.rowCount())]
    ours = [line for line in lines if line.action in ("qa.dispute", "qa.arbitrate")]
    assert [(line.action, line.username, line.entity_id) for line in ours] == [
        ("qa.arbitrate", "supervisor", str(responses[0].id)), ("qa.dispute", "agent1", str(responses[0].id))]  # fmt: skip
    shown = [cells(audit.model, lines.index(line)) for line in ours]
    assert shown[0]["What"] == f"Arbitrated a quality inspection dispute: inspection response {responses[0].id}"
    assert "Decision: Inspection changed" in shown[0]["Details"] and f"Note: {QA_NOTE}" in shown[0]["Details"]
    assert shown[1]["What"] == f"Disputed their quality inspection: inspection response {responses[0].id}"
    assert f"Reason: {QA_REASON}" in shown[1]["Details"] and "Contact: CALL-1" in shown[1]["Details"]
    assert describe(ours[0]).area_text == shown[0]["Area"] == "Quality inspection"

    # The agent comes back to the Quality page: the decision and its note are there.
    agent_window.show_page("scorecards")
    agent_window.show_page("qa")
    wait_loaded(qtbot, agent_page)
    assert cells(agent_page.inspections_tab.proxy, 0)["Response"] == "Inspection disputed · Inspection changed"
    assert agent_page.inspections_tab.count.text() == "1 inspection"
    assert "Inspection changed by supervisor" in bar.state.text() and QA_NOTE in bar.state.text()
    assert bar.dispute_button.isEnabled() and bar.acknowledge_button.isEnabled()

    def acknowledge(dialog: InspectionResponseDialog) -> int:
        assert dialog.windowTitle() == "Acknowledge the inspection"
        return click_ok(qtbot, dialog)  # no comment: an acknowledgement needs none

    monkeypatch.setattr(InspectionResponseDialog, "exec", acknowledge)
    qtbot.mouseClick(bar.acknowledge_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, agent_page)
    assert "Acknowledged on" in bar.state.text() and not bar.acknowledge_button.isEnabled()
    assert [e.action for e in ctx.audit.recent(SYSTEM, 10) if e.action in ("qa.acknowledge", "qa.dispute", "qa.arbitrate")] == [
        "qa.acknowledge", "qa.arbitrate", "qa.dispute"]  # newest first


def test_a_response_saved_on_another_pc_meanwhile_is_refused_in_the_dialog(qtbot, inspected, monkeypatch) -> None:
    ctx, own = inspected
    _window, page = open_page(qtbot, ctx, "agent1", "qa")
    click_inspection(qtbot, page, own)
    ctx.disputes.acknowledge_inspection(ctx.auth.resolve_actor("agent1"), own)  # the agent's other PC
    offered: list[str] = []
    monkeypatch.setattr("csdesk.ui.messages.offer_reload", lambda _dialog, error: offered.append(error.message()) or True)
    seen: list[InspectionResponseDialog] = []

    def fill(dialog: InspectionResponseDialog) -> int:
        seen.append(dialog)
        qtbot.keyClicks(dialog.text, QA_REASON)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(InspectionResponseDialog, "exec", fill)
    qtbot.mouseClick(page.response.dispute_button, Qt.MouseButton.LeftButton)
    assert seen[0].saved is None and seen[0].stale
    assert f"agent1 responded to inspection {own} on another PC" in seen[0].error.text() and offered
    wait_loaded(qtbot, page)  # the page reads the list again: the acknowledgement shows
    assert "Acknowledged on" in page.response.state.text()
    assert [r.kind for r in ctx.disputes.inspection_responses(SYSTEM, "2026-10")] == ["acknowledged"]
