"""Drive the Quality page (issue 15, rules.md §10): the month's inspections, a new inspection
recorded by clicking its answers, findings fed back, re-checked and made a deduction through the
buttons, the weekly quota, calibration, printing, and who sees what."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QWidget

from csdesk.services.base import SYSTEM, Actor
from csdesk.services.callback_dto import ContactInput, MemberInput
from csdesk.ui.qa.follow_up import DeductionDialog, FollowUpDialog
from csdesk.ui.qa.inspection_dialog import InspectionDialog
from csdesk.ui.qa.page import QAPage
from tests.helpers.qt import wait_loaded

ALL_YES = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}
SUPERVISOR = Actor("supervisor", "supervisor")


@pytest.fixture
def floor(demo_ctx):
    """October 2026 (the clock says Thursday 15th): A001 (agent1, 客服一组) inspected on the 5th
    with Q02 failed and a calibration inspection of the same call by the supervisor; A002
    (客服二组) on the 6th; A003 twice this week, so only A003 has met the weekly quota."""
    qa = demo_ctx.auth.resolve_actor("qa")
    demo_ctx.qa.record_inspection(qa, "A001", "CALL-1", date(2026, 10, 5), {**ALL_YES, "Q02": "no"}, mode="live",
                                  comments={"Q02": "没有开场白"})  # fmt: skip
    demo_ctx.qa.record_inspection(SYSTEM, "A001", "CALL-1", date(2026, 10, 5), ALL_YES, inspector="S001", calibration=True)
    demo_ctx.qa.record_inspection(qa, "A002", "T-77", date(2026, 10, 6), ALL_YES)
    demo_ctx.qa.record_inspection(qa, "A003", "T-78", date(2026, 10, 13), ALL_YES)
    demo_ctx.qa.record_inspection(qa, "A003", "T-79", date(2026, 10, 14), ALL_YES)
    return demo_ctx


def _page(qtbot, ctx, login: str = "supervisor") -> QAPage:
    page = QAPage(ctx.qa, ctx.people, actor=ctx.auth.resolve_actor(login))
    qtbot.addWidget(page)
    page.show()
    return wait_loaded(qtbot, page)


def _click(qtbot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _column(model, header: str) -> list[str]:
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def _select(tab, match) -> None:  # type: ignore[no-untyped-def]
    """Select the row of ``tab`` whose record ``match`` accepts (as a person clicks it)."""
    for r in range(tab.proxy.rowCount()):
        if match(tab.model.row(tab.proxy.mapToSource(tab.proxy.index(r, 0)).row())):
            tab.table.selectRow(r)
            return
    raise AssertionError("no such row")


def _findings(page: QAPage) -> list[tuple[str, str, str]]:
    return [(f.employee_no, f.question, f.status) for f in page.findings_tab.model.rows()]


def test_the_supervisor_sees_the_month_s_inspections_findings_and_summary(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    inspections = page.inspections_tab.model
    assert sorted(_column(inspections, "Agent")) == ["A001 孙艳", "A001 孙艳", "A002 胡艳", "A003 Carmen García Jiménez",
                                                     "A003 Carmen García Jiménez"]  # fmt: skip
    assert sorted(_column(inspections, "Score")) == ["100.0"] * 4 + ["90.0"]  # Q02 failed: etiquette 2/3
    assert page.inspections_tab.count.text() == "5 inspections"
    assert _findings(page) == [("A001", "Q02", "open")]
    assert _column(page.findings_tab.model, "Deadline") == ["2026-10-12"]
    overdue = page.findings_tab.model.data(page.findings_tab.model.index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert overdue is not None and overdue.name() == "#b00020"  # past its deadline, not put right: red
    summary = page.summary_tab.model
    assert _column(summary, "Employee no.") == ["A001", "A002", "A003"]
    assert _column(summary, "Average") == ["90.0", "100.0", "100.0"]  # calibration never counts
    assert _column(summary, "Open findings") == ["1", "0", "0"]


def test_a_new_inspection_is_recorded_by_clicking_its_answers_and_raises_a_finding(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)

    def fill(dialog: InspectionDialog) -> int:
        dialog.agent.setCurrentIndex(dialog.agent.findData("A004"))
        qtbot.keyClicks(dialog.contact, "CALL-9")
        for question in ("Q01", "Q02", "Q04", "Q05", "Q06", "Q07"):
            _click(qtbot, dialog.rows[question].buttons["yes"])
        _click(qtbot, dialog.rows["Q02"].buttons["no"])
        qtbot.keyClicks(dialog.rows["Q02"].comment, "no opening phrase")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        assert dialog.error.text() == "Answer question Q03 Closing phrase."  # nothing saved yet
        assert "#b02a37" in dialog.rows["Q03"].label.styleSheet()
        _click(qtbot, dialog.rows["Q03"].buttons["na"])
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(InspectionDialog, "exec", fill)
    qtbot.mouseClick(page.inspections_tab.new_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Inspection of A004 张娜 saved: score 85.0, 1 finding."
    wait_loaded(qtbot, page)
    saved = next(i for i in page.inspections_tab.model.rows() if i.contact == "CALL-9")
    assert (saved.employee_no, saved.inspector_no, saved.score) == ("A004", "S001", 85)  # etiquette 1/2: 100 − 30·½
    assert ("A004", "Q02", "open") in _findings(page)
    detail = floor.qa.inspection(SYSTEM, saved.id)
    assert [(a.question, a.answer, a.comment) for a in detail.answers][1:3] == [
        ("Q02", "no", "no opening phrase"), ("Q03", "na", "")]


def test_an_answer_the_service_refuses_is_shown_in_the_dialog_naming_the_question(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    seen: list[str] = []

    def fill(dialog: InspectionDialog) -> int:
        dialog.agent.setCurrentIndex(dialog.agent.findData("A001"))
        qtbot.keyClicks(dialog.contact, "CALL-1")  # saved already that day, with other answers
        dialog.day.setDate(QDate(2026, 10, 5))
        dialog.inspector.setCurrentIndex(dialog.inspector.findData("S003"))
        for row in dialog.rows.values():
            _click(qtbot, row.buttons["yes"])
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        seen.append(dialog.error.text())
        return dialog.result()

    monkeypatch.setattr(InspectionDialog, "exec", fill)
    assert page.new_inspection().saved is None  # type: ignore[union-attr]
    assert seen == ["The inspection of contact CALL-1 by S003 on 2026-10-05 is saved already with other answers."]


def test_a_finding_is_fed_back_then_re_checked_through_the_buttons(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    tab = page.findings_tab
    page.tabs.setCurrentWidget(tab)
    assert not tab.feed_back_button.isEnabled()  # nothing chosen yet
    _select(tab, lambda f: f.question == "Q02")
    assert tab.feed_back_button.isEnabled() and not tab.recheck_button.isEnabled()

    def feed_back(dialog: FollowUpDialog) -> int:
        dialog.note.clear()
        dialog.note.insertPlainText("讲过开场白")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(FollowUpDialog, "exec", feed_back)
    qtbot.mouseClick(tab.feed_back_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Finding Q02 of A001 fed back."
    wait_loaded(qtbot, page)
    assert _findings(page) == [("A001", "Q02", "fed_back")]
    assert _column(tab.model, "Status") == ["Fed back"] and _column(tab.model, "Note") == ["讲过开场白"]

    def recheck(dialog: FollowUpDialog) -> int:
        _click(qtbot, dialog.outcomes["resolved"])
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(FollowUpDialog, "exec", recheck)
    _select(tab, lambda f: f.question == "Q02")
    assert tab.recheck_button.isEnabled() and not tab.feed_back_button.isEnabled()
    qtbot.mouseClick(tab.recheck_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Finding Q02 of A001 re-checked: Put right."
    wait_loaded(qtbot, page)
    assert _findings(page) == []  # put right: no longer among those open
    tab.open_only.setChecked(False)
    wait_loaded(qtbot, page)
    assert _column(tab.model, "Status") == ["Re-checked: Put right"]
    assert _column(tab.model, "Re-checked") == ["2026-10-15"]
    assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.ForegroundRole).name() != "#b00020"


def test_a_deduction_is_confirmed_first_then_recorded_once(qtbot, monkeypatch, floor) -> None:
    page = _page(qtbot, floor)
    tab = page.findings_tab
    monkeypatch.setattr(DeductionDialog, "exec", lambda dialog: dialog.reject() or dialog.result())
    _select(tab, lambda f: f.question == "Q02")
    qtbot.mouseClick(tab.deduct_button, Qt.MouseButton.LeftButton)
    assert floor.qa.findings(SYSTEM)[0].event_id is None  # cancelled: nothing recorded

    def confirm(dialog: DeductionDialog) -> int:
        assert "M13" in dialog.summary.text()
        assert (dialog.points.minimum(), dialog.points.maximum(), dialog.points.value()) == (-5, -2, -2)
        dialog.points.setValue(-3)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(DeductionDialog, "exec", confirm)
    qtbot.mouseClick(tab.deduct_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("M13 ") and "−3 points, recorded for A001" in page.message.text()
    wait_loaded(qtbot, page)
    finding = floor.qa.findings(SYSTEM)[0]
    assert finding.event_id is not None
    event = next(e for e in floor.scorecards.scorecard(SYSTEM, "2026-10", "A001").events if e.id == finding.event_id)
    assert (event.code, event.points) == ("M13", -3)
    _select(tab, lambda f: f.question == "Q02")
    assert _column(tab.model, "Deduction") == [f"event {finding.event_id}"] and not tab.deduct_button.isEnabled()


def test_the_quota_tab_lists_who_is_behind_this_week(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    behind = [q.employee_no for q in page.quota_tab.model.rows()]
    assert "A001" in behind and "A002" in behind and "A003" not in behind  # A003 had two this week
    assert page.quota_tab.count.text() == f"{len(behind)} agents are behind the weekly quota"
    page.quota_tab.week.setDate(date(2026, 10, 7))  # the week of the 5th and 6th
    wait_loaded(qtbot, page)
    behind = {q.employee_no: q.done for q in page.quota_tab.model.rows()}
    assert behind["A001"] == 1 and behind["A003"] == 0  # the calibration inspection does not count


def test_the_quota_tab_proposes_the_agents_behind_first_then_the_least_inspected(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    page.tabs.setCurrentWidget(page.quota_tab)
    assert page.quota_tab.proposed_table.isVisible() and page.quota_tab.proposed_label.text() == "Proposed this week"
    proposed = page.quota_tab.proposed
    agents = _column(proposed, "Agent")
    # the week of the 15th: A001 and A002 inspected once this month, before it; A003 twice in it
    assert agents[-3:] == ["A001 孙艳", "A002 胡艳", "A003 Carmen García Jiménez"]
    assert len(agents) == len(page.quota_tab.model.rows()) + 1  # every agent; the behind ones first
    assert _column(proposed, "Still needed")[-3:] == ["2", "2", "0"]
    assert _column(proposed, "Inspections this month")[-3:] == ["1", "1", "2"]


def test_a_proposed_agent_shows_the_contacts_to_inspect_and_inspect_opens_the_form_filled_in(
    qtbot, monkeypatch, floor
) -> None:
    member = floor.callbacks.add_member(SYSTEM, MemberInput("钱一", "13800000001", "A004"))
    contact = floor.callbacks.log_contact(SYSTEM, ContactInput(member.id, "COMPLAINT", "A004",
                                                                received_at=datetime(2026, 10, 14, 16, 0)))  # fmt: skip
    call = floor.callbacks.member_calls(SYSTEM, member.id)[0]
    floor.callbacks.record_outcome(SYSTEM, call.id, "REACHED")  # closed now, the 15th
    page = _page(qtbot, floor)
    page.tabs.setCurrentWidget(page.quota_tab)
    tab = page.quota_tab
    rows = tab.proposed.rows()
    a004 = next(r for r, p in enumerate(rows) if p.employee_no == "A004")
    assert _column(tab.proposed, "Contacts to inspect")[a004] == (
        f"call-{call.id} (Complaint, 10/15/26), contact-{contact.id} (Complaint, 10/14/26)")
    assert not tab.inspect_button.isEnabled()  # nobody chosen yet
    seen: list[tuple[str, str]] = []

    def look(dialog: InspectionDialog) -> int:
        seen.append((dialog.agent.currentData(), dialog.contact.text()))
        return 0

    monkeypatch.setattr(InspectionDialog, "exec", look)
    tab.proposed_table.selectRow(a004)
    qtbot.mouseClick(tab.inspect_button, Qt.MouseButton.LeftButton)
    assert seen == [("A004", f"call-{call.id}")]
    other = next(r for r, p in enumerate(rows) if not p.contacts)
    tab.proposed_table.scrollTo(tab.proposed.index(other, 0))
    where = tab.proposed_table.visualRect(tab.proposed.index(other, 0)).center()
    qtbot.mouseClick(tab.proposed_table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(tab.proposed_table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert seen[1] == (rows[other].employee_no, "")  # nothing handled that week: the agent only


def test_calibration_compares_the_inspectors_of_one_contact(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    tab = page.calibration_tab
    assert [(c.employee_no, c.contact, c.inspections) for c in tab.contacts.rows()] == [("A001", "CALL-1", 2)]
    tab.contacts_table.selectRow(0)
    assert tab.heading.text() == "Contact CALL-1: the answers of S003 count and are the agreed ones."
    q02 = next(q for q in tab.questions.rows() if q.question == "Q02")
    assert q02.differing == ("S001",) and q02.spread == 1
    assert _column(tab.questions, "S001 周慧敏")[1] == "Yes" and _column(tab.questions, "Agreed answer")[1] == "No"
    assert _column(tab.inspectors, "Answers differing") == ["0", "1"]


def test_printing_previews_the_chosen_inspection_in_the_chosen_language(qtbot, floor) -> None:
    page = _page(qtbot, floor)
    assert not page.inspections_tab.print_button.isEnabled()
    _select(page.inspections_tab, lambda i: i.employee_no == "A002")
    page.language.setCurrentIndex(page.language.findData("es_ES"))
    qtbot.mouseClick(page.inspections_tab.print_button, Qt.MouseButton.LeftButton)
    preview = page.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.ready)  # built on a worker thread
    assert preview.document.pageCount() == 1
    assert preview.windowTitle().startswith("Quality inspection report")  # the window keeps its language
    preview.done(0)
    qtbot.mouseClick(page.summary_tab.print_button, Qt.MouseButton.LeftButton)
    assert page.preview is not preview
    qtbot.waitUntil(lambda: page.preview.ready)
    assert page.preview.document.pageCount() == 1
    page.preview.done(0)


def test_an_agent_sees_only_their_own_inspections_and_no_tools(qtbot, floor) -> None:
    page = _page(qtbot, floor, "agent1")
    assert {i.employee_no for i in page.inspections_tab.model.rows()} == {"A001"}
    assert [a.employee_no for a in page.summary_tab.model.rows()] == ["A001"]
    assert [q.employee_no for q in page.quota_tab.model.rows()] == ["A001"]
    assert _findings(page) == [("A001", "Q02", "open")]
    assert page.team.isHidden() and page.agent.isHidden()
    tools = [page.inspections_tab.new_button, page.findings_tab.feed_back_button, page.findings_tab.recheck_button,
             page.findings_tab.deduct_button, page.quota_tab.inspect_button]  # fmt: skip
    assert all(b.isHidden() for b in tools)
    assert not page.inspections_tab.print_button.isHidden()  # their own report they may print
    calibration = page.tabs.indexOf(page.calibration_tab)
    assert not page.tabs.isTabVisible(calibration) and page.calibration_tab.contacts.rowCount() == 0


def test_a_team_lead_sees_their_team_and_a_qa_inspector_cannot_make_deductions(qtbot, floor) -> None:
    lead = _page(qtbot, floor, "lead1")
    assert {i.employee_no for i in lead.inspections_tab.model.rows()} == {"A001"}  # A002 and A003 are other teams'
    assert [lead.team.itemText(i) for i in range(lead.team.count())] == ["客服一组"]
    assert lead.inspections_tab.new_button.isHidden() and lead.findings_tab.feed_back_button.isHidden()
    inspector = _page(qtbot, floor, "qa")
    buttons: list[QPushButton] = [inspector.inspections_tab.new_button, inspector.findings_tab.feed_back_button]
    assert not any(b.isHidden() for b in buttons)
    assert inspector.findings_tab.deduct_button.isHidden()  # a deduction needs scorecards.edit


def test_an_inspections_file_is_imported_through_the_wizard_from_the_page(qtbot, monkeypatch, floor, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    from csdesk.ui.dialogs import import_dialog
    from csdesk.ui.dialogs.import_wizard import ImportWizard
    from csdesk.ui.qt_setup import settings
    from tests.helpers.factories import write_csv

    settings().remove("import_wizard")
    path = write_csv(tmp_path / "质检.csv", "工号,日期,联系记录,质检员,题号,结果\n"
                     + "".join(f"A004,2026-10-12,CALL-40,S001,{q},yes\n" for q in ALL_YES))  # fmt: skip
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(path), ""))
    reports: list[object] = []
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda dialog: reports.append(dialog) or 0)
    page = _page(qtbot, floor)
    assert page.inspections_tab.import_button.isVisible() and "inspections file" in page.inspections_tab.import_button.toolTip()
    _click(qtbot, page.inspections_tab.import_button)
    (wizard,) = [w for w in page.findChildren(ImportWizard) if w.isVisible()]
    assert (wizard.windowTitle(), wizard.shown.kind) == ("Import inspections", "inspections")
    qtbot.waitUntil(lambda: wizard._dry_job is None, timeout=20_000)
    assert wizard.summary.text().startswith("7 inspection answers for 1 agent, 2026-10-12")
    assert not [i for i in floor.qa.inspections(SYSTEM, "2026-10") if i.employee_no == "A004"]  # a dry run wrote nothing
    _click(qtbot, wizard.import_button)
    qtbot.waitUntil(lambda: bool(reports), timeout=20_000)
    assert [i.contact for i in floor.qa.inspections(SYSTEM, "2026-10") if i.employee_no == "A004"] == ["CALL-40"]
    qtbot.waitUntil(lambda: any(i.employee_no == "A004" for i in page.inspections_tab.model.rows()))  # shown again


def test_an_agent_has_no_import_button(qtbot, floor) -> None:
    assert _page(qtbot, floor, "agent1").inspections_tab.import_button.isHidden()
