"""Drive the callbacks page: record outcomes from the agenda, re-assign by drop and by suggestion, roles."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.callbacks.contact_dialog import ContactDialog
from csdesk.ui.callbacks.member_dialog import MemberDialog
from csdesk.ui.callbacks.outcome_dialog import OutcomeDialog
from csdesk.ui.callbacks.page import CallbacksPage
from csdesk.ui.callbacks.printing import PdfPreviewDialog, PrintDialog
from csdesk.ui.callbacks.reassign_dialog import ReassignDialog
from tests.helpers.factories import write_csv
from tests.integration.test_callback_service import empty_callbacks

SUPERVISOR = Actor("supervisor", "supervisor")
SALES = (
    "member,phone,sale_date,agent,vip\n"
    "张伟,13812345678,2026-10-14,A001,yes\n"
    "Núria Peña,600123456,2026-10-13,A001,no\n"
    "王欣怡,13900000001,2026-10-14,A002,no\n"
)


@pytest.fixture
def floor(demo_ctx, tmp_path: Path):
    empty_callbacks(demo_ctx.db_url)
    demo_ctx.callbacks.import_sales(SYSTEM, write_csv(tmp_path / "sales.csv", SALES))
    return demo_ctx


def _page(qtbot, ctx, actor: Actor = SUPERVISOR, agent: str | None = "A001") -> CallbacksPage:
    page = CallbacksPage(ctx.callbacks, actor=actor)
    qtbot.addWidget(page)
    page.show()
    page.agent.setCurrentIndex(page.agent.findData(agent))
    return page


def _row(page: CallbacksPage, member: str, kind: str = "SALE1") -> int:
    tab = page.agenda_tab
    for r in range(tab.proxy.rowCount()):
        call = tab.model.row(tab.proxy.mapToSource(tab.proxy.index(r, 0)).row())
        if call.member == member and (call.retry_of or call.kind) == kind:
            return r
    raise AssertionError(f"{member} {kind} not on the agenda")


def _call(page: CallbacksPage, member: str, kind: str = "SALE1"):
    tab = page.agenda_tab
    return tab.model.row(tab.proxy.mapToSource(tab.proxy.index(_row(page, member, kind), 0)).row())


def _record(qtbot, monkeypatch, page: CallbacksPage, member: str, code: str, new_time: datetime | None = None) -> None:
    def answer(dialog: OutcomeDialog) -> int:
        assert "Script points" == dialog._script_box.title() and dialog._script.text().count("<li>") >= 3
        button = dialog.buttons_by_code[code]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))  # on the indicator
        if new_time is not None:
            dialog.new_time.setDateTime(QDateTime(new_time))
        dialog.notes.insertPlainText("家长说 ok")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(OutcomeDialog, "exec", answer)
    page.agenda_tab.table.selectRow(_row(page, member))
    qtbot.mouseClick(page.agenda_tab.outcome_button, Qt.MouseButton.LeftButton)


def test_reached_from_the_agenda_marks_the_call_done_and_counts_in_the_quota(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    assert page.agenda_tab.counts.text() == "2 calls due · 0 calls overdue · 0 calls done"  # the SALE2 windows open later
    _record(qtbot, monkeypatch, page, "张伟", "REACHED")
    done = _call(page, "张伟")
    assert (done.status, done.outcome, done.notes) == ("done", "REACHED", "家长说 ok")
    assert page.agenda_tab.counts.text() == "1 call due · 0 calls overdue · 1 call done"
    assert page.agenda_tab.proxy.index(_row(page, "张伟"), 0).data() == "Done"
    assert page.agenda_tab.quota_label.text().startswith("1 of 15 effective outgoing calls")
    assert "张伟: Reached" in page.message.text()


def test_busy_moves_the_call_to_the_time_the_customer_chose(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    _record(qtbot, monkeypatch, page, "张伟", "BUSY_RESCHEDULED", datetime(2026, 10, 15, 18, 0))
    moved = _call(page, "张伟")
    assert (moved.status, moved.window_start, moved.outcome) == ("due", datetime(2026, 10, 15, 18, 0), "BUSY_RESCHEDULED")
    assert "moved to 2026-10-15 18:00" in page.message.text()


def test_busy_at_a_time_before_the_deadline_keeps_the_call_s_due_date(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    call = _call(page, "张伟")
    assert call.due.date() == date(2026, 10, 16)
    dialog = OutcomeDialog(floor.callbacks, actor=SUPERVISOR, call=call)
    qtbot.addWidget(dialog)
    dialog.choose("BUSY_RESCHEDULED")
    dialog.new_time.setDateTime(QDateTime(datetime(2026, 10, 15, 18, 0)))  # today, the day before the deadline
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.recorded is not None and dialog.error.text() == ""
    assert (dialog.recorded.call.window_start, dialog.recorded.call.due) == (datetime(2026, 10, 15, 18, 0), call.due)
    page.reload()
    assert _call(page, "张伟").due == call.due


def test_no_answer_puts_a_retry_on_the_agenda(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    _record(qtbot, monkeypatch, page, "Núria Peña", "NO_ANSWER")
    retry = _call(page, "Núria Peña", "SALE1")  # the open retry sorts before the closed attempt
    assert (retry.kind, retry.attempt, retry.status) == ("RETRY", 1, "due")
    assert page.agenda_tab.proxy.index(_row(page, "Núria Peña"), 1).data() == "Service call 1 (retry 1)"
    assert "next attempt from 2026-10-15 13:30" in page.message.text()


def test_an_outcome_the_rules_refuse_is_shown_in_the_dialog(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    dialog = OutcomeDialog(floor.callbacks, actor=SUPERVISOR, call=_call(page, "张伟"))
    qtbot.addWidget(dialog)
    dialog.choose("BUSY_RESCHEDULED")
    assert dialog.new_time.isEnabled()
    dialog.new_time.setDateTime(QDateTime(datetime(2026, 10, 1, 9, 0)))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.recorded is None and "past" in dialog.error.text()


def test_dropping_calls_on_an_agent_re_assigns_them(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    tab = page.agenda_tab
    rows = [tab.proxy.mapToSource(tab.proxy.index(_row(page, m), 0)) for m in ("张伟", "Núria Peña")]
    mime = tab.model.mimeData(rows)
    target = next(r for r in range(tab.agents.rowCount()) if tab.agents.row(r).agent == "A004")
    assert tab.agents.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, tab.agents.index(target, 0))
    with qtbot.waitSignal(tab.calls_dropped):
        tab.agents.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, tab.agents.index(target, 0))
    assert tab.model.rowCount() == 0  # A001's day held just these two
    assert "2 calls re-assigned to A004" in page.message.text()
    page.agent.setCurrentIndex(page.agent.findData("A004"))
    assert {tab.model.row(r).member for r in range(tab.model.rowCount())} == {"张伟", "Núria Peña"}


def test_one_call_dropped_is_told_in_the_singular(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    tab = page.agenda_tab
    mime = tab.model.mimeData([tab.proxy.mapToSource(tab.proxy.index(_row(page, "张伟"), 0))])
    target = next(r for r in range(tab.agents.rowCount()) if tab.agents.row(r).agent == "A004")
    with qtbot.waitSignal(tab.calls_dropped):
        tab.agents.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, tab.agents.index(target, 0))
    assert "1 call re-assigned to A004." in page.message.text()  # ngettext's singular, not "1 calls"


def test_the_balanced_suggestion_is_shown_then_accepted(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    seen: list[ReassignDialog] = []

    def accept(dialog: ReassignDialog) -> int:
        seen.append(dialog)
        assert dialog.moves.rowCount() == 2 and dialog.balanced.isChecked()
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ReassignDialog, "exec", accept)
    page.agenda_tab.table.selectAll()
    qtbot.mouseClick(page.agenda_tab.reassign_button, Qt.MouseButton.LeftButton)
    targets = {m.to_agent for m in seen[0].suggestion.moves}
    assert len(targets) == 2 and "A001" not in targets  # A001 has the load; idle agents get them
    assert page.agenda_tab.model.rowCount() == 0


def test_an_agent_sees_only_their_calls_and_no_supervisor_tools(qtbot, floor) -> None:
    person = floor.people.get(SYSTEM, "A001")
    page = _page(qtbot, floor, Actor("agent1", "agent", person.id), agent="A001")
    assert [page.agent.itemData(i) for i in range(page.agent.count())] == ["A001"]
    assert {page.agenda_tab.model.row(r).agent for r in range(page.agenda_tab.model.rowCount())} == {"A001"}
    assert not page.agenda_tab.reassign_button.isVisibleTo(page)
    assert not page.agenda_tab.home_visit.isVisibleTo(page)
    assert page.agenda_tab.model.row(0).phone in ("13812345678", "600123456")  # the owner dials it


def test_a_team_lead_sees_masked_phones(qtbot, floor) -> None:
    page = _page(qtbot, floor, Actor("lead1", "team_lead", floor.people.get(SYSTEM, "L001").id))
    assert page.agenda_tab.proxy.index(_row(page, "张伟"), 4).data() == "138****5678"


def test_home_visit_lowers_the_quota_shown(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    qtbot.mouseClick(page.agenda_tab.home_visit, Qt.MouseButton.LeftButton)
    assert "home visits today" in page.agenda_tab.quota_label.text()
    assert page.agenda_tab.quota_bar.maximum() == floor.policy.callbacks.home_visit_quota


def test_status_filter_and_day_navigation(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    page.status.setCurrentIndex(page.status.findData("overdue"))
    assert page.agenda_tab.proxy.rowCount() == 0
    page.status.setCurrentIndex(0)
    qtbot.mouseClick(page.next_day, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.next_day, Qt.MouseButton.LeftButton)
    assert page.selected_day() == date(2026, 10, 17)
    page.status.setCurrentIndex(page.status.findData("overdue"))
    assert page.agenda_tab.proxy.rowCount() == 2  # both SALE1 calls were due by the 16th


def test_log_a_complaint_puts_a_same_day_call_on_the_agenda(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)

    def fill(dialog: ContactDialog) -> int:
        dialog.member.search.insert("张")
        dialog.kind.setCurrentIndex(dialog.kind.findData("COMPLAINT"))
        dialog.item.insert("光盘坏了")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ContactDialog, "exec", fill)
    qtbot.mouseClick(page.agenda_tab.contact_button, Qt.MouseButton.LeftButton)
    complaint = _call(page, "张伟", "COMPLAINT")
    assert complaint.due.date() == date(2026, 10, 15)
    page.tabs.setCurrentWidget(page.contacts_tab)
    assert page.contacts_tab.model.row(0).item == "光盘坏了"


def test_add_a_member_from_the_members_tab(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    page.tabs.setCurrentWidget(page.members_tab)

    def fill(dialog: MemberDialog) -> int:
        dialog.name.insert("Begoña Castaño")
        dialog.phone.insert("611 222 333")
        dialog.agent.setCurrentIndex(dialog.agent.findData("A003"))
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(MemberDialog, "exec", fill)
    qtbot.mouseClick(page.members_tab.add_button, Qt.MouseButton.LeftButton)
    page.members_tab.search.insert("Begoña")
    page.members_tab.reload()
    assert page.members_tab.model.rowCount() == 1 and page.members_tab.model.row(0).agent == "A003"


def test_print_preview_renders_the_call_sheet_pages_and_removes_its_temporary_folder(qtbot, monkeypatch, floor, tmp_path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    page = _page(qtbot, floor)
    previews: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: previews.append(dialog) or 0)

    def preview(dialog: PrintDialog) -> int:
        dialog.language.setCurrentIndex(dialog.language.findData("es_ES"))
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(previews) == 1)  # built on a worker thread
        return 0

    monkeypatch.setattr(PrintDialog, "exec", preview)
    dialog = page.print_call_sheet()
    assert dialog is not None and dialog.written is not None and dialog.written.parent.name.startswith("csdesk-print-")
    assert len(previews) == 1 and len(previews[0].pages) == 1
    assert previews[0].notice.isHidden() and dialog.missing == []  # the font printed it whole
    assert list(temp.iterdir()) == []  # the preview closed: its folder is gone
    assert page.today_button.text() == "Today"  # the window's language is back


def test_agenda_and_agent_models_pass_the_model_tester(qtbot, qtmodeltester, floor) -> None:
    page = _page(qtbot, floor)
    qtmodeltester.check(page.agenda_tab.model)
    qtmodeltester.check(page.agenda_tab.agents)
    assert page.agenda_tab.agents.index(0, 0).flags() & Qt.ItemFlag.ItemIsDropEnabled
    assert not page.agenda_tab.agents.dropMimeData(page.agenda_tab.model.mimeData([]), Qt.DropAction.MoveAction, -1, -1, QModelIndex())


def test_the_callback_preview_says_what_was_printed_as_a_placeholder(qtbot, tmp_path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from csdesk.reports.glyph_notices import MissingGlyphs

    pdf = tmp_path / "sheet.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(72, 720, "call sheet")
    canvas.save()
    report = MissingGlyphs("Call sheet", "\U0001f44d (U+1F44D)", "\ufffd")
    dialog = PdfPreviewDialog(pdf, "Call sheet", notices=[report])
    qtbot.addWidget(dialog)
    assert not dialog.notice.isHidden() and dialog.notice.text() == report.message()
