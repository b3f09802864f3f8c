"""The import wizard on the People page (issue #13): the table as read, the dry run, then Import or Cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from csdesk import i18n
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.dialogs import import_dialog
from csdesk.ui.dialogs.import_wizard import ImportWizard
from csdesk.ui.pages.people import PeoplePage
from csdesk.ui.qt_setup import install_qt_language, register_font, settings
from tests.helpers.factories import write_csv

# A title row above the header, two good rows and one without a name (row 4 of the file).
PEOPLE = "Staff list, October 2026\n工号,姓名,班组\nN001,新人,客服一组\nN002,,客服一组\nN003,第三,客服二组\n"
SUPERVISOR = Actor("supervisor", "supervisor")


@pytest.fixture(autouse=True)
def nothing_remembered() -> None:
    settings().remove("import_wizard")


@pytest.fixture
def page(qtbot, demo_ctx) -> PeoplePage:
    page = PeoplePage(demo_ctx.people, actor=SUPERVISOR)
    qtbot.addWidget(page)
    page.show()
    return page


def open_wizard(qtbot, page: PeoplePage, monkeypatch: pytest.MonkeyPatch, path: Path) -> ImportWizard:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(path), ""))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    # A wizard closed a moment ago may not be deleted yet: the one just opened is the visible one.
    shown = [w for w in page.findChildren(ImportWizard) if w.isVisible()]
    assert len(shown) == 1
    wizard = shown[0]
    dry_run_finished(qtbot, wizard)
    return wizard


def dry_run_finished(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard._dry_job is None, timeout=20_000)


def people_numbers(ctx) -> set[str]:
    return {p.employee_no for p in ctx.people.people(SYSTEM, include_inactive=True)}


def test_the_wizard_shows_the_header_row_found_and_what_the_import_would_write(qtbot, page, demo_ctx, tmp_path, monkeypatch) -> None:
    before = people_numbers(demo_ctx)
    wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "people.csv", PEOPLE))

    assert wizard.header_row_box.value() == 2
    model = wizard.preview_model
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == ["1", "2", "3", "4", "5"]
    assert [model.is_header(r) for r in range(model.rowCount())] == [False, True, False, False, False]
    assert model.data(model.index(1, 1)) == "姓名"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "B\nname"
    read_from = {name: box.currentText() for name, box in wizard.column_boxes.items()}
    assert (read_from["employee_no"], read_from["team"], read_from["phone"]) == ("A: 工号", "C: 班组", "(not read)")
    assert wizard.missing.isHidden()

    assert wizard.summary.text().splitlines()[0] == "2 people"  # what it would write, before Import
    assert "3 rows: 2 new, 0 updated, 0 duplicates, 1 rejected" in wizard.summary.text()
    assert "name 1" in wizard.summary.text()
    problems = wizard.problems_model
    assert [(problems.row(r).row, problems.row(r).field) for r in range(problems.rowCount())] == [(4, "name")]
    assert problems.data(problems.index(0, 2)) == "name is empty"
    assert wizard.import_button.isEnabled() and wizard.export_button.isEnabled()
    assert people_numbers(demo_ctx) == before  # the dry run wrote nothing


def test_the_preview_model_passes_the_model_tester(qtbot, qtmodeltester, page, tmp_path, monkeypatch) -> None:
    wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "people.csv", PEOPLE))
    qtmodeltester.check(wizard.preview_model)


def test_import_writes_the_good_rows_with_progress_and_its_report(qtbot, page, demo_ctx, tmp_path, monkeypatch) -> None:
    shown: list[object] = []
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: shown.append(self) or 0)
    wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "people.csv", PEOPLE))
    job = wizard.start_import()
    assert job is not None and not wizard.isVisible()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert {"N001", "N003"} <= people_numbers(demo_ctx) and "N002" not in people_numbers(demo_ctx)
    assert demo_ctx.people.get(SYSTEM, "N001").name == "新人"
    page.search.insert("N00")
    assert page.proxy.rowCount() == 2  # the page reloaded after the import


def test_cancel_writes_nothing(qtbot, page, demo_ctx, tmp_path, monkeypatch) -> None:
    before = people_numbers(demo_ctx)
    wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "people.csv", PEOPLE))
    qtbot.mouseClick(wizard.cancel_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    assert people_numbers(demo_ctx) == before
    assert demo_ctx.audit.recent(SYSTEM, 1)[0].action != "import.people"


def test_a_header_row_chosen_without_the_columns_is_refused_until_a_good_one_is_chosen(qtbot, page, tmp_path, monkeypatch) -> None:
    wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "people.csv", PEOPLE))
    wizard.header_row_box.setValue(1)
    dry_run_finished(qtbot, wizard)
    assert wizard.preview_model.is_header(0) and "Missing: employee_no" in wizard.missing.text()
    assert "required column missing" in wizard.summary.text()
    assert not wizard.import_button.isEnabled()
    wizard.header_row_box.setValue(2)
    dry_run_finished(qtbot, wizard)
    assert wizard.import_button.isEnabled() and "1 rejected" in wizard.summary.text()


def _two_sheets(path: Path, newcomer: str) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "Staff"
    for row in (["employee_no", "name", "team"], ["A001", "孙艳", "客服一组"]):
        first.append(row)
    second = wb.create_sheet("New")
    for row in (["New in October"], ["工号", "姓名", "班组"], [newcomer, "新人", "客服二组"]):
        second.append(row)
    wb.save(path)
    return path


def test_the_sheet_and_header_row_chosen_are_read_and_remembered_for_the_same_header(qtbot, page, demo_ctx, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: 0)
    wizard = open_wizard(qtbot, page, monkeypatch, _two_sheets(tmp_path / "october.xlsx", "N010"))
    assert wizard.sheet_box.currentText() == "Staff" and wizard.sheet_box.isEnabled()
    wizard.sheet_box.setCurrentIndex(wizard.sheet_box.findData("New"))
    dry_run_finished(qtbot, wizard)
    assert wizard.header_row_box.value() == 2 and "1 row: 1 new" in wizard.summary.text()
    _job = wizard.start_import()  # held until it reports: a job nobody holds is collected first
    qtbot.waitUntil(lambda: "N010" in people_numbers(demo_ctx), timeout=20_000)
    assert "孙艳" == demo_ctx.people.get(SYSTEM, "A001").name  # the other sheet was not read

    again = open_wizard(qtbot, page, monkeypatch, _two_sheets(tmp_path / "november.xlsx", "N011"))
    assert again is not wizard
    assert (again.sheet_box.currentText(), again.header_row_box.value()) == ("New", 2)
    assert "as you chose last time" in again._choice_note.text()


def choose_column(box, cell: int) -> None:
    """What picking an entry of the box does: the box shows it, then says it was chosen."""
    box.setCurrentIndex(box.findData(cell))
    box.activated.emit(box.currentIndex())


def test_a_column_the_header_does_not_name_is_read_as_the_field_the_person_chooses(qtbot, page, demo_ctx, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: 0)
    wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "a.csv", "工号,姓名,部门\nN020,新人,客服一组\n"))
    assert "team" in wizard.missing.text() and "required column missing" in wizard.summary.text()
    assert not wizard.import_button.isEnabled()

    choose_column(wizard.column_boxes["team"], 2)
    dry_run_finished(qtbot, wizard)
    assert wizard.missing.isHidden() and wizard.preview_model.headerData(2, Qt.Orientation.Horizontal) == "C\nteam"
    assert "1 row: 1 new" in wizard.summary.text()
    _job = wizard.start_import()  # held until it reports: a job nobody holds is collected first
    qtbot.waitUntil(lambda: "N020" in people_numbers(demo_ctx), timeout=20_000)
    assert demo_ctx.people.get(SYSTEM, "N020").team == "客服一组"

    again = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "b.csv", "工号,姓名,部门\nN021,又一位,客服二组\n"))
    assert again.column_boxes["team"].currentData() == 2 and again.import_button.isEnabled()


def test_the_bad_rows_are_exported_as_a_workbook(qtbot, page, tmp_path, monkeypatch) -> None:
    from openpyxl import load_workbook

    wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "people.csv", PEOPLE))
    out = tmp_path / "bad rows"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), ""))
    qtbot.mouseClick(wizard.export_button, Qt.MouseButton.LeftButton)
    assert not wizard.export_button.isEnabled()  # while the file is read again for the bad rows' cells
    qtbot.waitUntil(lambda: wizard.export_button.isEnabled(), timeout=20_000)
    rows = list(load_workbook(out.with_suffix(".xlsx")).active.iter_rows(values_only=True))
    # one line per bad row: its number, its cells as read under the file's header, its problem by field
    assert rows == [("Row", "工号", "姓名", "班组", "Problem: name"), (4, "N002", None, "客服一组", "name is empty")]


def test_a_file_that_cannot_be_read_opens_no_wizard(qtbot, page, tmp_path, monkeypatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: errors.append(text) or QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(write_csv(tmp_path / "empty.csv", "")), ""))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.findChild(ImportWizard) is None
    assert errors and "empty" in errors[0]


@pytest.mark.parametrize("language", ["zh_CN", "es_ES"])
def test_the_wizard_speaks_the_language_and_is_grabbed(qtbot, demo_ctx, tmp_path, monkeypatch, language: str) -> None:
    app = QApplication.instance()
    register_font(app)
    i18n.install(language)
    install_qt_language(app, language)
    try:
        page = PeoplePage(demo_ctx.people, actor=SUPERVISOR)
        qtbot.addWidget(page)
        page.show()
        wizard = open_wizard(qtbot, page, monkeypatch, write_csv(tmp_path / "people.csv", PEOPLE))
        counts = i18n.ngettext(
            "{rows} row: {written} new, {updated} updated, {duplicates} duplicates, {rejected} rejected",
            "{rows} rows: {written} new, {updated} updated, {duplicates} duplicates, {rejected} rejected", 3,
        )  # fmt: skip
        assert counts != counts.replace("{rows}", "") and "{rows}" in counts
        assert counts.format(rows=3, written=2, updated=0, duplicates=0, rejected=1) in wizard.summary.text()
        assert wizard.windowTitle() == i18n._("Import people") != "Import people"
        wizard.layout().activate()  # the dry run's text has just arrived
        image = tmp_path / f"import_wizard_{language}.png"
        assert wizard.grab().save(str(image)) and image.stat().st_size > 0
    finally:
        install_qt_language(app, "en")


def test_punches_go_through_the_wizard_in_a_child_process_asking_how_dates_are_written(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:
    """A punch file whose dates read both ways (every number 12 or less): the dry run refuses it
    until the person says day/month/year; both the dry run and the import run in a child process."""
    from csdesk.ui.pages.attendance import AttendancePage

    shown: list[object] = []
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: shown.append(self) or 0)
    page = AttendancePage(demo_ctx, actor=SUPERVISOR)
    qtbot.addWidget(page)
    punches = "工号,打卡时间\nA001,03/11/2026 08:25\nA001,03/11/2026 18:02\n"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(write_csv(tmp_path / "punches.csv", punches)), ""))
    before = demo_ctx.attendance.team_month(SUPERVISOR, 2026, 11, employee_no="A001").agent("A001").days[2].punches
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = page.findChild(ImportWizard)
    assert wizard is not None and wizard.date_order_box.isVisibleTo(wizard)
    dry_run_finished(qtbot, wizard)
    assert "day first or month first" in wizard.summary.text() and not wizard.import_button.isEnabled()
    wizard.date_order_box.setCurrentIndex(wizard.date_order_box.findData("dmy"))
    wizard.date_order_box.activated.emit(wizard.date_order_box.currentIndex())
    dry_run_finished(qtbot, wizard)
    assert "2 new" in wizard.summary.text() and wizard.import_button.isEnabled()
    job = wizard.start_import()
    assert type(job).__name__ == "ProcessJob"
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    after = demo_ctx.attendance.team_month(SUPERVISOR, 2026, 11, employee_no="A001").agent("A001").days[2].punches
    assert len(after) == len(before) + 2  # 3 November, read day first


def test_a_roster_file_whose_dates_cannot_tell_asks_how_they_are_written(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:
    """Every import of dates offers the date order, and asks for it when the dry run cannot tell:
    a roster export whose dates are all 12 or less on both sides, imported month first."""
    from PySide6.QtWidgets import QWidget

    from csdesk.ui.dialogs.import_wizard import open_import_wizard

    shown: list[object] = []
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: shown.append(self) or 0)
    parent = QWidget()
    qtbot.addWidget(parent)
    roster = "Shift schedule export\nEmployee No,Date,Shift Code\nA001,01/02/2027,D\nA001,01/03/2027,E\n"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(write_csv(tmp_path / "roster.csv", roster)), ""))
    wizard = open_import_wizard(
        parent, "Import roster", "roster", demo_ctx.roster,
        lambda roster, path, progress, **options: roster.import_file(SUPERVISOR, path, progress, **options),
        actor=SUPERVISOR, on_done=lambda: None,
    )  # fmt: skip
    assert wizard is not None and wizard.date_order_box.isVisibleTo(wizard)
    dry_run_finished(qtbot, wizard)
    assert "day first or month first" in wizard.summary.text() and "row 3" in wizard.summary.text()
    assert not wizard.import_button.isEnabled()
    wizard.date_order_box.setCurrentIndex(wizard.date_order_box.findData("mdy"))
    wizard.date_order_box.activated.emit(wizard.date_order_box.currentIndex())
    dry_run_finished(qtbot, wizard)
    assert "2 new" in wizard.summary.text() and "Dates read as month/day/year." in wizard.notes.text()
    job = wizard.start_import()  # held until it reports: a job nobody holds is collected first
    assert job is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    january = {(e.employee_no, e.day): e.shift_code for e in demo_ctx.roster.month(SUPERVISOR, 2027, 1)}
    assert (january[("A001", date(2027, 1, 2))], january[("A001", date(2027, 1, 3))]) == ("D", "E")


def _roster_wizard(qtbot, demo_ctx, tmp_path: Path, monkeypatch, content: str) -> ImportWizard:
    from PySide6.QtWidgets import QWidget

    from csdesk.ui.dialogs.import_wizard import open_import_wizard

    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(write_csv(tmp_path / "roster.csv", content)), ""))
    wizard = open_import_wizard(
        parent, "Import roster", "roster", demo_ctx.roster,
        lambda roster, path, progress, **options: roster.import_file(SUPERVISOR, path, progress, **options),
        actor=SUPERVISOR, on_done=lambda: None,
    )  # fmt: skip
    assert wizard is not None
    dry_run_finished(qtbot, wizard)
    return wizard


def test_the_dry_run_says_what_it_would_write_and_never_asks_the_order_of_iso_dates(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:
    content = "employee_no,date,shift\nA001,2026-12-03,D\nA002,2026-12-04,E\nZZZ9,2026-12-05,D\nZZZ9,2026-12-06,D\n"
    wizard = _roster_wizard(qtbot, demo_ctx, tmp_path, monkeypatch, content)
    lines = wizard.summary.text().splitlines()
    assert lines[0] == "2 shifts for 2 agents, 2026-12-03 … 2026-12-04; 1 unknown id"
    assert lines[1].startswith("Nothing is written yet.")
    assert "day first or month first" not in wizard.summary.text() and "Dates read as" not in wizard.notes.text()
    assert "Shifts dated 2026-12-03 to 2026-12-04." in wizard.notes.text()
    assert wizard.import_button.isEnabled()


def test_a_date_over_12_on_a_bad_row_answers_the_day_month_question(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:
    wizard = _roster_wizard(qtbot, demo_ctx, tmp_path, monkeypatch, "employee_no,date,shift\nA001,03/12/2026,D\nZZZ9,13/12/2026,E\n")
    assert "day first or month first" not in wizard.summary.text() and wizard.import_button.isEnabled()
    assert wizard.summary.text().splitlines()[0] == "1 shift for 1 agent, 2026-12-03; 1 unknown id"
    assert "Dates read as day/month/year." in wizard.notes.text()


def test_a_kind_without_dates_never_offers_the_day_month_order(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QWidget

    from csdesk.ui.dialogs.import_wizard import open_import_wizard

    parent = QWidget()
    qtbot.addWidget(parent)
    ratings = "employee_no,month,service_quality,execution,collaboration,discipline\nA001,10/2026,27.5,18,13,14.5\n"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(write_csv(tmp_path / "ratings.csv", ratings)), ""))
    wizard = open_import_wizard(
        parent, "Import ratings", "ratings", demo_ctx.scorecards,
        lambda cards, path, progress: cards.import_ratings(SYSTEM, path, progress), actor=SYSTEM, on_done=lambda: None,
    )  # fmt: skip
    assert wizard is not None and not wizard.date_order_box.isVisibleTo(wizard)
    dry_run_finished(qtbot, wizard)
    assert wizard.summary.text().splitlines()[0] == "0 ratings"
    assert "not a month" in wizard.problems_model.data(wizard.problems_model.index(0, 2))
    assert "day first or month first" not in wizard.summary.text()
