"""The floor the pseudo-locale test opens its windows on, and what opens each dialog there.

:func:`furnish` adds to the demo department what some dialogs need before they show anything
(an inspection with a finding and a calibration of it, disputes of a scorecard and of an
inspection, a sick-leave request that asks for its certificate, a day with a corrected punch).
Each opener does what a person does to bring a dialog up: picks the row, clicks the action
(called as the button's slot), waits for what loads in the background.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QPushButton, QTableView, QWidget

from csdesk.context import AppContext
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.callbacks.printing import PdfPreviewDialog as CallbackPreviewDialog
from csdesk.ui.dialogs.import_dialog import ImportReportDialog, run_import
from csdesk.ui.dialogs.import_wizard import ImportWizard
from csdesk.ui.dialogs.whatif_dialog import WhatIfDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.pages import attendance as attendance_page
from csdesk.ui.print_preview import PdfPreviewDialog
from csdesk.ui.scorecards.printing import SheetPrinter
from tests.helpers.factories import write_csv

ALL_YES = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}
MONTH = "2026-10"  # the clock of the floor says Thursday 15 October 2026, 09:30
SICK_DAY = date(2026, 10, 16)
CORRECTED = ("A002", 14)  # employee no., day of the month: a punch corrected
# A people file as exported by hand: a title row above the header, one row without a name.
PEOPLE_FILE = "Staff list, October 2026\n工号,姓名,班组\nN001,新人,客服一组\nN002,,客服一组\n"
# Punches whose dates read both ways: the wizard asks how they are written.
PUNCH_FILE = "工号,打卡时间\nA001,03/11/2026 08:25\nA001,03/11/2026 18:02\n"


@dataclass(frozen=True)
class Floor:
    """What :func:`furnish` added (ids the openers pick)."""

    disputed_inspection: int  # A001's CALL-1, Q02 failed, disputed by agent1, calibrated by S001
    fresh_inspection: int  # A001's CALL-2, not responded to (A002's T-77 has a finding fed back)


def furnish(ctx: AppContext) -> Floor:
    qa, agent = ctx.auth.resolve_actor("qa"), ctx.auth.resolve_actor("agent1")
    supervisor = ctx.auth.resolve_actor("supervisor")
    failed = ctx.qa.record_inspection(qa, "A001", "CALL-1", date(2026, 10, 5), {**ALL_YES, "Q02": "no"},
                                      comments={"Q02": "没有开场白"})  # fmt: skip
    ctx.qa.record_inspection(SYSTEM, "A001", "CALL-1", date(2026, 10, 5), ALL_YES, inspector="S001", calibration=True)
    fresh = ctx.qa.record_inspection(qa, "A001", "CALL-2", date(2026, 10, 6), ALL_YES)
    fed_back = ctx.qa.record_inspection(qa, "A002", "T-77", date(2026, 10, 6), {**ALL_YES, "Q05": "no"})
    ctx.qa.feed_back(qa, fed_back.findings[0].id, "talked it through")  # to be re-checked
    ctx.disputes.dispute_inspection(agent, failed.inspection.id, "I did say the opening phrase")
    ctx.disputes.dispute(agent, MONTH, "M01 on 5 October: I was on the training course")
    ctx.attendance.file_leave(SYSTEM, "A002", "SICK", SICK_DAY, SICK_DAY, reason="复诊")
    no, day = CORRECTED
    ctx.attendance.request_correction(supervisor, no, date(2026, 10, day), datetime(2026, 10, day, 18),
                                      "forgot to punch out")  # fmt: skip
    return Floor(failed.inspection.id, fresh.inspection.id)


@dataclass
class Scene:
    """A window opened on one page, and the hands to work it."""

    bot: Any  # pytest-qt's qtbot
    window: MainWindow
    actor: Actor
    ctx: AppContext
    floor: Floor
    patch: pytest.MonkeyPatch
    tmp: Path
    held: list[Any] = field(default_factory=list)  # what must outlive the opener (a running job)

    def page(self, key: str) -> Any:
        return self.window.pages[key]

    def wait(self, ready: Any, timeout: int = 30_000) -> None:
        self.bot.waitUntil(ready, timeout=timeout)

    def choose_file(self, path: Path) -> None:
        """The next file dialog answers ``path``."""
        self.patch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))


def select(table: QTableView, match: Any) -> Any:
    """Click the first row of ``table`` whose record ``match`` accepts; that record."""
    model = table.model()
    source = getattr(model, "sourceModel", lambda: None)() or model
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        row = source.row(model.mapToSource(index).row() if source is not model else r)
        if match(row):
            table.selectRow(r)
            return row
    raise AssertionError(f"no such row in {table.objectName() or type(table).__name__}")


def click(s: Scene, button: QPushButton) -> None:
    """Click ``button`` as a person does: it must be on screen and enabled."""
    assert button.isVisible() and button.isEnabled(), f"{button.objectName() or button.text()} cannot be clicked"
    s.bot.mouseClick(button, Qt.MouseButton.LeftButton)


def shown(kind: type[QDialog]) -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


# --- main window and settings --------------------------------------------------------------------


def account_action(s: Scene, button: str) -> None:
    """Settings › Users: agent1's account, then Reset password… or Change role…"""
    users = s.page("settings").users
    select(users.table, lambda account: account.username == "agent1")
    click(s, getattr(users, button))


def what_if_compared(s: Scene) -> Any:
    """The what-if window with a dearer late compared (its result listed)."""
    s.page("settings").try_policy_change()
    dialog = shown(WhatIfDialog)[-1]
    dialog.month.setDate(QDate(2026, 10, 1))
    dialog.attendance["late_deduction"].setText("90")
    for edit in dialog.grades.values():  # every grade 5 points dearer: a grade or two moves
        if edit.text():
            edit.setText(str(float(edit.text()) + 5))
    s.bot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    s.wait(lambda: dialog.job is None)
    assert dialog.model.rowCount(), dialog.error.text() or dialog.summary.text()
    return dialog


def what_if_why(s: Scene) -> None:
    dialog = what_if_compared(s)
    dialog.table.setCurrentIndex(dialog.model.index(0, 1))
    click(s, dialog.why_button)
    s.wait(lambda: dialog.why_dialog is not None)


# --- people and imports -----------------------------------------------------------------------------


def import_people(s: Scene) -> None:
    s.choose_file(write_csv(s.tmp / "people.csv", PEOPLE_FILE))
    page = s.page("people")
    s.bot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = _dry_run_done(s, page)
    assert wizard.problems.isVisible() and wizard.import_button.isEnabled()  # the bad row listed


def import_punches(s: Scene) -> None:
    """The punch file's wizard, which asks how the dates are written. Its dry run runs on a
    thread here, not in the child process the page starts for it (the same wizard, 5 s sooner)."""
    real = attendance_page.open_import_wizard
    s.patch.setattr(attendance_page, "open_import_wizard", lambda *a, process=None, **k: real(*a, **k))
    s.choose_file(write_csv(s.tmp / "punches.csv", PUNCH_FILE))
    page = s.page("attendance")
    s.bot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = _dry_run_done(s, page)
    assert wizard.date_order_box.isVisible() and not wizard.import_button.isEnabled()  # asked, not guessed


def _dry_run_done(s: Scene, page: QWidget) -> Any:
    wizards = [w for w in page.findChildren(ImportWizard) if w.isVisible()]
    assert wizards, "no import wizard opened"
    s.wait(lambda: wizards[0]._dry_job is None)
    return wizards[0]


def import_report(s: Scene) -> None:
    """The report an import ends with, of an import run on the dry-run service (nothing is written)."""
    path = write_csv(s.tmp / "people.csv", PEOPLE_FILE)
    actor, people = s.actor, s.ctx.people.dry_run()
    job = run_import(s.page("people"), "Import people", lambda job: people.import_file(actor, path, job.report), lambda: None)
    s.held.append(job)
    s.wait(lambda: bool(shown(ImportReportDialog)))


# --- attendance --------------------------------------------------------------------------------------


def open_day(s: Scene, employee_no: str | None = None, day: int = 1) -> Any:
    """The day dialog of ``employee_no`` (the first agent listed) on ``day`` of the month."""
    page = s.page("attendance")
    rows = range(page.model.rowCount())
    row = next(r for r in rows if employee_no is None or page.model.agent(r).employee_no == employee_no)
    page.open_day(page.model.index(row, day))
    return page.day_dialog


def corrected_day(s: Scene) -> None:
    dialog = open_day(s, *CORRECTED)
    assert dialog.findChild(QWidget, "dayCorrections").isVisible()


def missed_punch_request(s: Scene) -> None:
    """A team lead's day dialog: the punch is requested, for the supervisor to approve."""
    dialog = open_day(s, "A001", 14)
    assert dialog.fix_button.text().startswith("Request correction")


def approve_leave(s: Scene) -> None:
    page = s.page("attendance")
    select(page.leave_table, lambda r: (r.employee_no, r.leave_type, r.status) == ("A002", "SICK", "pending"))
    page.decide_selected(True)
    assert page.approve_dialog.certificate_box.isVisible()  # sick leave asks for its certificate


def print_summary(s: Scene) -> None:
    s.page("attendance").print_summary()
    s.wait(lambda: any(d.ready for d in shown(PdfPreviewDialog)))


# --- scorecards --------------------------------------------------------------------------------------


def dispute_scorecard(s: Scene) -> None:
    """agent1 on their own card: Dispute… (their dispute of the floor is open: the dialog is the same)."""
    page = s.page("scorecards")
    page.tabs.setCurrentWidget(page.scorecard)
    s.wait(lambda: page.scorecard.response.own)
    page.scorecard.response.dispute()


def arbitrate_scorecard(s: Scene) -> None:
    page = s.page("scorecards")
    page.tabs.setCurrentWidget(page.disputes)
    select(page.disputes.table, lambda r: r.is_open)
    click(s, page.disputes.arbitrate_button)


def evaluation_sheet(s: Scene) -> None:
    s.patch.setattr(SheetPrinter, "in_process", False)  # one sheet: no child process for it
    page = s.page("scorecards")
    page.print_sheets(employee_no="A001")
    s.wait(lambda: page.printer.preview is not None)


# --- handover ----------------------------------------------------------------------------------------


def select_open_item(s: Scene) -> Any:
    """The handover shown, its first open item picked; its detail view."""
    detail = s.page("handover").log.detail
    detail.table.selectRow(next(r for r in range(detail.items.rowCount()) if detail.items.row(r).is_open))
    return detail


def item_history(s: Scene) -> None:
    click(s, select_open_item(s).history_button)


def edit_item(s: Scene) -> None:
    """The handover form: an item added through the item editor, then picked to be edited."""
    page = s.page("handover")
    page.tabs.setCurrentWidget(page.form_tab)
    form = page.form
    s.bot.keyClicks(form.editor.subject, "Member 13800000000")  # QTest types no CJK
    s.bot.mouseClick(form.apply_button, Qt.MouseButton.LeftButton)
    assert form.items.rowCount() == 1, form.error.text()
    form.table.selectRow(0)
    form.edit_row(0)


# --- callbacks ---------------------------------------------------------------------------------------


def update_contact(s: Scene) -> None:
    page = s.page("callbacks")
    page.update_contact(s.ctx.callbacks.contacts(s.actor, False, [])[0])


def reassign(s: Scene) -> None:
    page = s.page("callbacks")
    page.reassign([page.agenda_tab.model.row(0).id])


def callback_preview(s: Scene) -> None:
    dialog = s.page("callbacks").print_birthdays()
    dialog.preview()
    s.wait(lambda: bool(shown(CallbackPreviewDialog)))


# --- quality ------------------------------------------------------------------------------------------


def qa_page(s: Scene) -> Any:
    page = s.page("qa")
    s.wait(lambda: not page.loading)
    return page


def finding(s: Scene, button: str, employee_no: str = "A001") -> None:
    """Quality › Findings: the agent's finding (A001's is open, A002's fed back), then Feed
    back…, Re-check… or Deduct…"""
    page = qa_page(s)
    page.tabs.setCurrentWidget(page.findings_tab)
    select(page.findings_tab.table, lambda f: f.employee_no == employee_no)
    click(s, getattr(page.findings_tab, button))


def new_inspection(s: Scene) -> None:
    click(s, qa_page(s).inspections_tab.new_button)


def calibration(s: Scene) -> None:
    page = qa_page(s)
    page.tabs.setCurrentWidget(page.calibration_tab)
    select(page.calibration_tab.contacts_table, lambda c: c.contact == "CALL-1")
    s.wait(lambda: page.calibration_tab.view is not None)


def inspection(s: Scene, inspection_id: int) -> Any:
    page = qa_page(s)
    page.tabs.setCurrentWidget(page.inspections_tab)
    select(page.inspections_tab.table, lambda i: i.id == inspection_id)
    return page.response


def respond_to_inspection(s: Scene) -> None:
    click(s, inspection(s, s.floor.fresh_inspection).dispute_button)


def arbitrate_inspection(s: Scene) -> None:
    click(s, inspection(s, s.floor.disputed_inspection).arbitrate_button)
