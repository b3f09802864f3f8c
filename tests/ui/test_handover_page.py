"""The handover page driven like a user: keyboard entry, takeover as another user, drafts,
search, item actions, penalties and the print preview."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget

from csdesk import i18n
from csdesk.models.domain_handover import HandoverFilter, HandoverInput, ItemInput
from csdesk.services.handover_demo import build_demo
from csdesk.ui.handover.dialogs import AcknowledgeDialog, CloseItemDialog, PenaltyDialog
from csdesk.ui.handover.page import HandoverPage

CTRL = Qt.KeyboardModifier.ControlModifier
# The owner field's completer pops up; the offscreen platform cannot raise it or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")


@pytest.fixture
def hctx(demo_ctx, clock):
    clock.now = datetime(2026, 10, 15, 17, 50)
    return demo_ctx


def open_page(qtbot, ctx, username: str) -> HandoverPage:
    page = HandoverPage(ctx.handover, ctx.people, actor=ctx.auth.resolve_actor(username))
    qtbot.addWidget(page)
    page.resize(1200, 760)
    activate(qtbot, page)
    return page


def activate(qtbot, window) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def shortcut(qtbot, widget, key: Qt.Key) -> None:
    """Ctrl+key typed while ``widget`` has the focus (shortcuts follow the focus)."""
    widget.setFocus()
    qtbot.keyClick(widget, key, CTRL)


def click_on_screen(widget: QWidget) -> None:
    """A left click at the middle of where ``widget`` is drawn: the window decides which widget
    gets it, as for a user (qtbot.mouseClick would hand it to ``widget`` whatever covers it)."""
    window = widget.window()
    where = widget.mapTo(window, widget.rect().center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def drawn_at(widget: QWidget, within: QWidget) -> QRect:
    return QRect(widget.mapTo(within, widget.rect().topLeft()), widget.size())


def type_item(qtbot, page: HandoverPage, subject: str, pending: str, owner: str, due: str) -> None:
    editor = page.form.editor
    editor.subject.insert(subject)  # an input method commits CJK text like this; QTest cannot type it
    editor.pending.insert(pending)
    qtbot.keyClicks(editor.owner, owner)
    qtbot.keyClicks(editor.due, due)
    qtbot.keyClick(editor.due, Qt.Key.Key_Return)


def test_write_a_handover_by_keyboard_and_acknowledge_it_as_another_user(qtbot, hctx, monkeypatch) -> None:
    page = open_page(qtbot, hctx, "lead1")
    assert not page.banner.isVisible()
    shortcut(qtbot, page.log.table, Qt.Key.Key_N)
    form = page.form
    assert page.tabs.currentWidget() is page.form_tab and form.summary.hasFocus()
    assert form.authors.text() == "L001" and form.team.currentData() == "客服一组"
    qtbot.keyClicks(form.summary, "32 calls, 2 complaints")
    qtbot.keyClick(form.summary, Qt.Key.Key_Tab)
    assert form.desk_state.hasFocus()
    qtbot.keyClicks(form.desk_state, "Clean, headset 3 replaced")
    type_item(qtbot, page, "Sra. Núñez", "llamar para confirmar la atención", "A001", "+2h")
    type_item(qtbot, page, "王女士", "退款进度待确认", "A004", "10-16 12:00")
    assert form.items.rowCount() == 2 and form.editor.subject.text() == ""
    shortcut(qtbot, form.editor.subject, Qt.Key.Key_S)

    assert page.tabs.currentWidget() is page.log
    entry = hctx.handover.list_entries(page._actor).rows[0]
    assert entry.summary == "32 calls, 2 complaints" and entry.open_items == 2
    assert page.log.current_id() == entry.id
    detail = page.log.detail
    assert [detail.items.row(r).subject for r in range(detail.items.rowCount())] == ["Sra. Núñez", "王女士"]
    assert detail.items.index(1, 4).data() == "2026-10-16 12:00"
    assert not detail.ack_button.isEnabled()  # nobody takes over from themselves
    assert hctx.handover.load_draft(page._actor, "handover") is None

    incoming = open_page(qtbot, hctx, "supervisor")
    assert incoming.banner.isVisible() and "1 handover is waiting" in incoming.banner_text.text()
    qtbot.mouseClick(incoming.banner_button, Qt.MouseButton.LeftButton)
    assert incoming.log.current_id() == entry.id and incoming.log.detail.ack_button.isEnabled()

    def take_over(dialog: AcknowledgeDialog) -> int:
        activate(qtbot, dialog)
        dialog.note.insertPlainText("已阅, 先回电 Sra. Núñez")
        shortcut(qtbot, dialog.note, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(AcknowledgeDialog, "exec", take_over)
    qtbot.mouseClick(incoming.log.detail.ack_button, Qt.MouseButton.LeftButton)
    assert "Acknowledged by 周慧敏 (S001)" in incoming.log.detail.header.text()
    assert "已阅, 先回电 Sra. Núñez" in incoming.log.detail.body.text()
    assert not incoming.banner.isVisible()
    assert incoming.log.model.rowCount() == 0  # the banner's filter: nothing left to take over
    incoming.log.status.setCurrentIndex(0)
    assert incoming.log.model.index(0, 5).data() == "周慧敏"


def test_the_takeover_dialog_refuses_an_empty_note(qtbot, hctx, monkeypatch) -> None:
    lead = hctx.auth.resolve_actor("lead1")
    hctx.handover.write(lead, HandoverInput("D", "客服一组", ("A001",), "ok"))
    page = open_page(qtbot, hctx, "lead1")
    dialogs: list[AcknowledgeDialog] = []

    def press_ok(dialog: AcknowledgeDialog) -> int:
        dialogs.append(dialog)
        activate(qtbot, dialog)
        shortcut(qtbot, dialog.note, Qt.Key.Key_Return)
        dialog.hide()
        return dialog.result()

    monkeypatch.setattr(AcknowledgeDialog, "exec", press_ok)
    qtbot.mouseClick(page.log.detail.ack_button, Qt.MouseButton.LeftButton)
    assert "takeover note" in dialogs[0].error.text()
    assert page.banner.isVisible()


def test_nothing_typed_is_lost_when_the_page_closes_mid_entry(qtbot, hctx) -> None:
    page = open_page(qtbot, hctx, "lead1")
    form = page.form
    page.tabs.setCurrentWidget(page.form_tab)
    form.summary.insertPlainText("写到一半的交接")
    type_item(qtbot, page, "李先生", "补发发票", "A007", "17:00")
    form.editor.subject.insert("Sr. Peña")  # typed, not yet added
    actor = page._actor
    qtbot.waitUntil(lambda: hctx.handover.load_draft(actor, "handover") is not None, timeout=3000)
    form.summary.insertPlainText(", 未完")
    page.close()  # before the debounce fires: hiding the form saves at once
    payload = hctx.handover.load_draft(actor, "handover").payload
    assert payload["summary"] == "写到一半的交接, 未完"

    again = open_page(qtbot, hctx, "lead1")
    assert "draft" in again.tabs.tabText(1)  # flagged before the tab is even built
    restored = again.form
    assert restored.summary.toPlainText() == "写到一半的交接, 未完"
    assert [restored.items.row(r).subject for r in range(restored.items.rowCount())] == ["李先生"]
    assert restored.editor.subject.text() == "Sr. Peña"
    assert "Draft restored" in restored.draft_label.text()


def test_discarding_the_draft_asks_and_clears_the_form(qtbot, hctx, monkeypatch) -> None:
    page = open_page(qtbot, hctx, "lead1")
    page.form.summary.insertPlainText("x")
    page.form.drafts.flush()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.form.discard_button, Qt.MouseButton.LeftButton)
    assert page.form.summary.toPlainText() == ""
    assert hctx.handover.load_draft(page._actor, "handover") is None


def test_an_incomplete_record_asks_before_saving(qtbot, hctx, monkeypatch) -> None:
    page = open_page(qtbot, hctx, "lead1")
    asked: list[str] = []

    def answer_no(_parent, _title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    assert "The work summary is missing" in asked[0]
    assert hctx.handover.list_entries(page._actor).total == 0


def test_search_and_filters_narrow_the_timeline(qtbot, hctx) -> None:
    with hctx.handover._uow() as uow:
        build_demo(uow, hctx.policy, random.Random(5), uow.people.ids_by_employee_no(), datetime(2026, 10, 15).date())
        uow.commit()
    page = open_page(qtbot, hctx, "supervisor")
    log = page.log
    assert log.model.rowCount() == log.total == 90
    shortcut(qtbot, log.table, Qt.Key.Key_F)
    assert log.search.hasFocus()
    qtbot.keyClicks(log.search, "atencion")
    qtbot.keyClick(log.search, Qt.Key.Key_Return)
    expected = hctx.handover.list_entries(page._actor, HandoverFilter(text="atención")).total
    assert 0 < log.model.rowCount() == expected < 90
    log.search.clear()
    log.search.insert("退款")
    qtbot.waitUntil(lambda: log.search.text() == "退款" and log.current_filter().text == "退款" and
                    log.model.rowCount() == hctx.handover.list_entries(page._actor, HandoverFilter(text="退款")).total)
    log.search.clear()
    log.status.setCurrentIndex(log.status.findData("unacknowledged"))
    qtbot.waitUntil(lambda: log.model.rowCount() == 3)
    assert all(log.model.row(r).acknowledged_by is None for r in range(3))
    assert "3 of 3 handovers" in log.count.text()


def test_close_an_item_see_its_history_and_record_penalties(qtbot, hctx, monkeypatch) -> None:
    sup = hctx.auth.resolve_actor("supervisor")
    hctx.handover.write(sup, HandoverInput("D", "客服一组", ("A001",), "", desk_messy=True, items=(
        ItemInput("王女士", "退款进度", "A001", datetime(2026, 10, 15, 12, 0)),)))
    page = open_page(qtbot, hctx, "supervisor")
    detail = page.log.detail
    assert detail.items.index(0, 6).data().startswith("Overdue")
    assert "Incomplete record" in detail.body.text()
    detail.table.selectRow(0)

    def close_it(dialog: CloseItemDialog) -> int:
        dialog.outcome.insertPlainText("已退款")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(CloseItemDialog, "exec", close_it)
    qtbot.mouseClick(detail.close_item_button, Qt.MouseButton.LeftButton)
    assert detail.items.row(0).status == "closed" and page.log.model.row(0).open_items == 0

    picked: list[list[tuple[str, str]]] = []

    def record(dialog: PenaltyDialog) -> int:
        picked.append(dialog.picks())
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(PenaltyDialog, "exec", record)
    qtbot.mouseClick(detail.penalty_button, Qt.MouseButton.LeftButton)
    assert sorted(picked[0]) == [("A001", "M02"), ("A001", "M04")]
    assert "Penalties recorded" in detail.body.text() and "M04" in detail.body.text()


def test_print_preview_shows_the_handover_form(qtbot, hctx) -> None:
    sup = hctx.auth.resolve_actor("supervisor")
    hctx.handover.write(sup, HandoverInput("D", "客服一组", ("A001",), "打印测试"))
    page = open_page(qtbot, hctx, "supervisor")
    shortcut(qtbot, page.log.table, Qt.Key.Key_P)
    preview = page.log.detail.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.ready)  # built on a worker thread
    assert preview.document.pageCount() == 1
    preview.close()


def test_a_director_reads_the_log_but_writes_nothing(qtbot, hctx) -> None:
    sup = hctx.auth.resolve_actor("supervisor")
    hctx.handover.write(sup, HandoverInput("D", "客服一组", ("A001",), "ok"))
    page = open_page(qtbot, hctx, "director")
    assert page.form is None and page.tabs.count() == 2
    assert page.log.model.rowCount() == 1 and not page.banner.isVisible()
    assert not page.log.detail.ack_button.isVisibleTo(page) and not page.log.detail.penalty_button.isVisibleTo(page)


def test_a_work_record_is_typed_saved_listed_and_the_weekly_digest_previewed(qtbot, hctx) -> None:
    hctx.handover.counts_source = None  # counts typed by hand (a site without the callback area)
    page = open_page(qtbot, hctx, "lead1")
    records = page.show_records()
    records.person.setCurrentIndex(records.person.findData("A001"))
    records.today_work.insertPlainText("外呼新会员 18 个")
    records.plan.insertPlainText("继续回访")
    records.calls.selectAll()  # as tabbing into it does
    qtbot.keyClicks(records.calls, "18")
    assert not records.fill_button.isEnabled()  # no callback area wired in: counts are typed
    shortcut(qtbot, records.today_work, Qt.Key.Key_S)
    assert "saved" in records.status.text()
    assert [(r.person.employee_no, r.counts.calls_made, r.counts_from) for r in records.model.rows()] == [("A001", 18, "typed")]
    assert records.today_work.toPlainText() == ""
    qtbot.mouseClick(records.digest_button, Qt.MouseButton.LeftButton)
    assert records.preview is not None
    qtbot.waitUntil(lambda: records.preview.ready)  # built on a worker thread
    assert records.preview.document.pageCount() >= 1
    records.preview.close()


def test_counts_come_from_the_callback_area_when_it_is_wired_in(qtbot, hctx) -> None:
    hctx.handover.counts_source = lambda no, day: {"calls_made": 21, "complaints_taken": 2, "callbacks_done": 6}
    try:
        page = open_page(qtbot, hctx, "lead1")
        records = page.records
        assert records.fill_button.isEnabled()
        qtbot.mouseClick(records.fill_button, Qt.MouseButton.LeftButton)
        assert (records.calls.value(), records.complaints.value(), records.callbacks.value()) == (21, 2, 6)
        records.today_work.insertPlainText("回访")
        qtbot.mouseClick(records.save_button, Qt.MouseButton.LeftButton)
        assert records.model.rows()[0].counts_from == "callbacks"
    finally:
        hctx.handover.counts_source = None


def test_the_main_window_builds_the_handover_page(qtbot, hctx) -> None:
    from csdesk.ui.main_window import MainWindow

    window = MainWindow(hctx, actor=hctx.auth.resolve_actor("lead1"))
    qtbot.addWidget(window)
    assert isinstance(window.pages["handover"], HandoverPage)


NOW = datetime(2026, 10, 15, 17, 50)


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("", None),
        ("2026-10-16 12:00", datetime(2026, 10, 16, 12, 0)),
        ("2026/10/16 12:00", datetime(2026, 10, 16, 12, 0)),
        ("10-16 09:30", datetime(2026, 10, 16, 9, 30)),
        ("19:00", datetime(2026, 10, 15, 19, 0)),  # later today
        ("09:00", datetime(2026, 10, 16, 9, 0)),  # already past today: tomorrow
        ("+2h", datetime(2026, 10, 15, 19, 50)),
        ("+1d", datetime(2026, 10, 16, 17, 50)),
        ("2026-10-20", datetime(2026, 10, 20, 18, 0)),
    ],
)
def test_a_due_time_is_typed_quickly(typed: str, due: datetime | None) -> None:
    from csdesk.ui.handover.models import parse_due

    assert parse_due(typed, NOW) == due


def test_a_due_time_that_is_not_understood_is_refused() -> None:
    from csdesk.ui.handover.models import parse_due

    with pytest.raises(ValueError):
        parse_due("tomorrow-ish", NOW)


def test_outgoing_people_are_the_first_word_of_each_part() -> None:
    from csdesk.ui.handover.models import employee_numbers

    assert employee_numbers("L001 陈杰, A003，A004 、A003") == ("L001", "A003", "A004")
    assert employee_numbers("  ") == ()


def test_a_handover_another_pc_saved_first_is_offered_to_reload_keeping_the_typed_items(qtbot, hctx, monkeypatch) -> None:
    page = open_page(qtbot, hctx, "lead1")
    shortcut(qtbot, page.log.table, Qt.Key.Key_N)
    form = page.form
    qtbot.keyClicks(form.summary, "quiet afternoon")
    type_item(qtbot, page, "Sr. Gómez", "devolver la llamada", "A001", "+2h")
    # Meanwhile the other team lead's PC saves this team's handover, with an item of its own.
    other = hctx.auth.resolve_actor("supervisor")
    theirs = hctx.handover.write(other, HandoverInput(
        "D", "客服一组", ("S001",), "from the other PC", items=(ItemInput("王女士", "退款进度待确认", "A004"),)
    ))  # fmt: skip
    offered = []
    monkeypatch.setattr("csdesk.ui.handover.form.confirm", lambda *_args: True)  # save it though incomplete
    monkeypatch.setattr("csdesk.ui.handover.form.offer_reload", lambda _parent, exc: offered.append(exc.message()) or True)
    shortcut(qtbot, form.editor.subject, Qt.Key.Key_S)
    assert offered and f"handover {theirs.id}" in offered[0]  # who saved which handover, and nothing saved here
    assert [e.summary for e in hctx.handover.list_entries(page._actor).rows].count("quiet afternoon") == 0
    subjects = [form.items.row(r).subject for r in range(form.items.rowCount())]
    assert "王女士" in subjects and "Sr. Gómez" in subjects  # carried on from their handover, what was typed kept
    shortcut(qtbot, form.editor.subject, Qt.Key.Key_S)
    latest = hctx.handover.list_entries(page._actor).rows[0]
    assert latest.summary == "quiet afternoon" and latest.open_items == 2


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_clicking_the_due_field_types_into_it_and_its_hint_never_covers_the_text(qtbot, hctx, lang) -> None:
    i18n.install(lang)
    page = open_page(qtbot, hctx, "lead1")
    page.resize(1366, 768)
    page.tabs.setCurrentWidget(page.form_tab)
    editor = page.form.editor
    click_on_screen(editor.subject)
    qtbot.keyClicks(QApplication.focusWidget(), "Sr. Pena")
    click_on_screen(editor.due)
    assert editor.due.hasFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "+2h")
    assert (editor.subject.text(), editor.due.text()) == ("Sr. Pena", "+2h")
    assert editor.due_hint.text()  # the time understood, shown as it is typed
    labels = [drawn_at(w, editor) for w in editor.findChildren(QLabel) if w.isVisible()]
    fields = [drawn_at(w, editor) for w in editor.findChildren(QLineEdit) if w.isVisible()]
    assert not [(label, field) for label in labels for field in fields if label.intersects(field)]


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_the_pending_column_of_a_handover_gets_the_room(qtbot, hctx, lang) -> None:
    sup = hctx.auth.resolve_actor("supervisor")
    hctx.handover.write(sup, HandoverInput("D", "客服一组", ("A001",), "ok", items=(
        ItemInput("Familia Muñoz 4576, pedido de la academia de verano", "llamar para confirmar la atención recibida",
                  "A001", datetime(2026, 10, 15, 12, 0), "high", "callback", "3267"),
        ItemInput("会员卡 8760 退款申请", "核对课时余额", "A004", datetime(2026, 10, 16, 9, 0)),
    )))
    i18n.install(lang)
    page = open_page(qtbot, hctx, "supervisor")
    page.resize(1366, 768)
    table = page.log.detail.table
    qtbot.waitUntil(lambda: page.log.detail.items.rowCount() == 2)
    header = table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert widths[2] == max(widths) and widths[2] >= table.viewport().width() // 4
    for short in (0, 3, 4, 5):  # No., owner, due, priority: as wide as their contents
        assert widths[short] >= table.sizeHintForColumn(short)
    assert sum(widths) <= table.viewport().width()  # all in view, no sideways scrolling
