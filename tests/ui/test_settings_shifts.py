"""Settings ▸ Shifts (issue 17): the supervisor edits the shift templates in a table and Apply
writes them to the site policy file, after a confirmation listing each key before → after."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget

from csdesk import i18n
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui import policy_change
from csdesk.ui.pages.settings_shifts import CODE, END, MEAL_MINUTES, MEAL_START, NAME, REST, START, ShiftsSection
from tests.helpers.factories import write_csv

SUP = Actor("supervisor", "supervisor")


@pytest.fixture
def section(qtbot, ctx) -> ShiftsSection:  # type: ignore[no-untyped-def]
    widget = ShiftsSection(ctx.site_policy, ctx.policy, actor=SUP)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def answers(monkeypatch) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Confirmation answered yes (questions kept); the result message box recorded, not shown."""
    shown: dict[str, list] = {"questions": [], "infos": []}

    def confirm(_parent, text, _title=None) -> bool:  # type: ignore[no-untyped-def]
        shown["questions"].append(text)
        return True

    monkeypatch.setattr(policy_change, "confirm", confirm)
    monkeypatch.setattr(policy_change, "show_info", lambda _parent, text, _title=None: shown["infos"].append(text))
    return shown


def _cell(section: ShiftsSection, row: int, column: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    return section.model.data(section.model.index(row, column), role)


def _editor(section: ShiftsSection) -> QWidget:
    """The cell editor the table has open (closed ones are hidden until they are deleted)."""
    (editor,) = [w for w in section.table.viewport().findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly) if w.isVisible()]
    return editor


def _replace(qtbot, section: ShiftsSection, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type over the open editor's text and press Enter (the table commits it a moment later)."""
    editor = _editor(section)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.table.state() != QAbstractItemView.State.EditingState)


def _type(qtbot, section: ShiftsSection, row: int, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open the cell's editor as a double-click would, replace its text, press Enter."""
    index = section.model.index(row, column)
    section.table.setCurrentIndex(index)
    section.table.edit(index)
    _replace(qtbot, section, text)


def _apply(qtbot, section: ShiftsSection) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(section.apply_button, Qt.MouseButton.LeftButton)


def _site_shifts(ctx) -> list[dict]:  # type: ignore[no-untyped-def]
    return tomllib.loads(ctx.site_policy.target.read_text(encoding="utf-8"))["shifts"]


def test_the_table_shows_the_shifts_in_force(section, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(section.model)
    rows = [[_cell(section, r, c) for c in (CODE, NAME, START, END, MEAL_START, MEAL_MINUTES)] for r in range(3)]
    assert rows == [
        ["D", "Day shift", "08:30", "18:00", "12:30", 35],
        ["E", "Evening shift", "15:30", "24:00", "19:30", 35],
        ["R", "Rest", "00:00", "00:00", "", 0],
    ]
    rest = [_cell(section, r, REST, Qt.ItemDataRole.CheckStateRole) for r in range(3)]
    assert rest == [Qt.CheckState.Unchecked, Qt.CheckState.Unchecked, Qt.CheckState.Checked]
    assert not section.model.flags(section.model.index(0, NAME)) & Qt.ItemFlag.ItemIsEditable


def test_a_new_start_is_confirmed_written_to_the_site_file_and_audited(qtbot, ctx, section, answers) -> None:  # type: ignore[no-untyped-def]
    _type(qtbot, section, 1, START, "16:00")
    assert _cell(section, 1, START) == "16:00"
    _apply(qtbot, section)
    (question,) = answers["questions"]
    assert "shifts[1].start: 15:30 → 16:00" in question and "next start" in question
    assert "shifts[0]" not in question  # only what changes is listed
    shifts = _site_shifts(ctx)
    assert shifts[1]["start"] == "16:00" and [s["code"] for s in shifts] == ["D", "E", "R"]
    assert "meal_break_start" not in shifts[2]  # no meal break: the key is left out
    entry = ctx.audit.recent(SUP)[0]
    assert entry.action == "policy.apply" and entry.details["shifts[1].start"] == ["15:30", "16:00"]
    target = str(ctx.site_policy.target)
    assert section.status.text().startswith(f"Written to {target}; in force from the next start.")
    assert "Start csdesk again" in section.status.text() and answers["infos"] == [section.status.text().split("\n")[0]]
    # One apply per run: a second would be refused as stale, so nothing more can be changed here.
    assert not section.apply_button.isEnabled() and not section.add_button.isEnabled()
    assert not section.model.flags(section.model.index(1, START)) & Qt.ItemFlag.ItemIsEditable
    assert ctx.policy.shifts[1].start.hour == 15  # this run keeps the policy it started with


def test_declining_the_confirmation_writes_nothing(qtbot, ctx, section, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(policy_change, "confirm", lambda *args: False)
    _type(qtbot, section, 0, MEAL_START, "13:00")
    _apply(qtbot, section)
    assert not ctx.site_policy.target.exists() and section.apply_button.isEnabled()
    assert _cell(section, 0, MEAL_START) == "13:00"


def test_a_bad_time_names_its_key_in_red_and_writes_nothing(qtbot, ctx, section, answers) -> None:  # type: ignore[no-untyped-def]
    entries = len(ctx.audit.recent(SUP))
    _type(qtbot, section, 1, START, "25:00")
    _apply(qtbot, section)
    assert "shifts[1].start: must be a time HH:MM" in section.status.text()
    assert "#b00020" in section.status.styleSheet()
    assert answers["questions"] == [] and not ctx.site_policy.target.exists()
    assert len(ctx.audit.recent(SUP)) == entries
    assert _cell(section, 1, START) == "25:00" and section.apply_button.isEnabled()  # nothing lost


def test_a_shift_on_the_roster_cannot_be_removed(qtbot, ctx, section, answers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", "employee_no,name,team,level,role\nA1,张伟,一组,junior,\n"))
    roster = "employee_no,date,shift\nA1,2026-10-05,E\nA1,2026-10-06,E\n"
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", roster))
    assert not section.remove_button.isEnabled()  # nothing chosen yet
    section.table.selectRow(1)
    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    assert [_cell(section, r, CODE) for r in range(section.model.rowCount())] == ["D", "R"]
    _apply(qtbot, section)
    assert "shifts[1].code: E → R" in answers["questions"][0]
    assert section.status.text() == "The shift E cannot be removed: the roster has it on 2 days."
    assert not ctx.site_policy.target.exists() and section.apply_button.isEnabled()


def test_an_added_shift_is_written_with_its_times(qtbot, ctx, section, answers) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    _replace(qtbot, section, "n")  # the new row's code cell is open for typing
    for column, text in ((START, "22:00"), (END, "06:00"), (MEAL_START, "02:00"), (MEAL_MINUTES, "30")):
        _type(qtbot, section, 3, column, text)
    assert [_cell(section, 3, c) for c in (CODE, NAME, MEAL_MINUTES)] == ["N", "", 30]
    _apply(qtbot, section)
    assert "shifts[3].code: (not set) → N" in answers["questions"][0]
    assert _site_shifts(ctx)[3] == {
        "code": "N", "start": "22:00", "end": "06:00", "rest": False, "meal_break_start": "02:00", "meal_break_minutes": 30,
    }  # fmt: skip


def test_the_rest_box_is_ticked_with_the_space_bar(qtbot, ctx, section, answers) -> None:  # type: ignore[no-untyped-def]
    section.table.setCurrentIndex(section.model.index(1, REST))
    qtbot.keyClick(section.table, Qt.Key.Key_Space)
    assert _cell(section, 1, REST, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    _apply(qtbot, section)
    assert "shifts[1].rest: No → Yes" in answers["questions"][0]
    assert _site_shifts(ctx)[1]["rest"] is True


def test_a_table_that_changes_nothing_asks_nothing(qtbot, ctx, section, answers) -> None:  # type: ignore[no-untyped-def]
    _apply(qtbot, section)
    assert answers["questions"] == [] and section.status.text().startswith("Nothing to apply")
    assert not ctx.site_policy.target.exists()


def test_the_section_speaks_chinese(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    i18n.install("zh_CN")
    widget = ShiftsSection(ctx.site_policy, ctx.policy, actor=SUP)
    qtbot.addWidget(widget)
    widget.resize(1366, 400)
    assert not widget.grab().isNull()
    model = widget.model
    assert model.headerData(CODE, Qt.Orientation.Horizontal) == "代码"
    assert [model.data(model.index(r, NAME)) for r in range(2)] == ["白班", "晚班"]
