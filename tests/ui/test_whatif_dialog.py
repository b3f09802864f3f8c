"""The what-if window (issue 16): Settings › Policy › "Try a change…", on the hand-built department
of tests/integration/test_whatif.py (A1 late twice in September 2026: 70 C, 40 CNY; A2 late three
days in a row, one absence: 60 E, 50 CNY; A3 on time: 72 C)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from csdesk import i18n
from csdesk.ui.dialogs.whatif_dialog import WhatIfDialog
from csdesk.ui.pages.settings import SettingsPage
from tests.integration import test_whatif as hand
from tests.integration.test_reads_never_write import dump

floor = hand.floor  # the department, as a fixture of this module too


def open_dialog(qtbot, ctx) -> WhatIfDialog:
    dialog = WhatIfDialog(ctx, actor=hand.SUP)
    qtbot.addWidget(dialog)
    dialog.month.setDate(QDate(2026, 9, 1))
    return dialog


def type_into(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def compare(qtbot, dialog: WhatIfDialog) -> None:
    qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)


def listed(dialog: WhatIfDialog) -> list[str]:
    return [dialog.model.row(i).employee_no for i in range(dialog.model.rowCount())]


def test_settings_opens_the_window_from_the_policy_section(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[WhatIfDialog] = []
    monkeypatch.setattr(WhatIfDialog, "exec", lambda self: opened.append(self) or 0)
    page = SettingsPage(floor, actor=hand.SUP)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.try_change, Qt.MouseButton.LeftButton)
    assert page.try_change.text() == "Try a change…"
    assert len(opened) == 1 and opened[0].attendance["late_deduction"].text() == "20"  # the policy in force


def test_a_dearer_late_lists_the_agent_with_lates_and_writes_nothing(qtbot, floor) -> None:
    db = Path(floor.db_url.removeprefix("sqlite:///"))
    before = dump(db)
    dialog = open_dialog(qtbot, floor)
    type_into(qtbot, dialog.attendance["late_deduction"], "30")
    compare(qtbot, dialog)
    assert dialog.error.text() == ""
    assert listed(dialog) == ["A1"]  # A2's three lates are one absence: no late is charged
    row = dialog.model.row(0)
    assert (row.before.deduction_cny, row.after.deduction_cny, row.changed) == (40, 60, ("deduction_cny",))
    summary = dialog.summary.text()
    assert "1 agent changes." in summary and "Deductions:" in summary and "→" in summary
    assert dialog.model.data(dialog.model.index(0, 5)) == "CN¥40.00 → CN¥60.00"
    assert dump(db) == before  # byte for byte (sqlite3 iterdump)


def test_two_lates_as_an_absence_and_a_grade_threshold_sort_by_the_size_of_the_change(qtbot, floor) -> None:
    dialog = open_dialog(qtbot, floor)
    type_into(qtbot, dialog.attendance["consecutive_lates_as_absence"], "2")  # A2: 60 E → 58 F
    type_into(qtbot, dialog.grades["C"], "71")  # A1: 70 C → D (same total); A3's 72 stays C
    compare(qtbot, dialog)
    assert dialog.error.text() == ""
    assert "2 agents change." in dialog.summary.text() and "Grades: C→D 1, E→F 1" in dialog.summary.text()
    assert listed(dialog) == ["A2", "A1"]  # the biggest change first
    total = dialog.model.index(0, 2)
    assert dialog.model.data(total) == "60 → 58" and dialog.model.data(dialog.model.index(1, 3)) == "C → D"
    dialog.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # the header sorts the other way
    assert listed(dialog) == ["A1", "A2"]


def test_a_bad_value_is_refused_in_the_dialog_naming_the_key(qtbot, floor) -> None:
    dialog = open_dialog(qtbot, floor)
    type_into(qtbot, dialog.attendance["late_deduction"], "lots")
    compare(qtbot, dialog)
    assert "attendance.late_deduction" in dialog.error.text()
    assert dialog.model.rowCount() == 0 and dialog.compared is None


def test_a_signed_off_month_says_it_is_computed_from_its_facts(qtbot, floor) -> None:
    floor.scorecards.months.lock_month(hand.SUP, hand.MONTH)
    dialog = open_dialog(qtbot, floor)
    type_into(qtbot, dialog.attendance["late_deduction"], "30")
    compare(qtbot, dialog)
    assert "2026-09 is signed off" in dialog.summary.text() and listed(dialog) == ["A1"]


def test_a_loaded_file_replaces_the_form(qtbot, floor, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, floor)
    type_into(qtbot, dialog.attendance["late_deduction"], "lots")  # ignored while a file is used
    dialog.use_file(hand.change(tmp_path, "[scoring]\npay_float_per_point = 20\n"))
    assert not dialog.attendance["late_deduction"].isEnabled() and "change.toml" in dialog.file_label.text()
    compare(qtbot, dialog)
    assert dialog.error.text() == ""
    assert sorted(listed(dialog)) == ["A1", "A2", "A3"]  # every pay float doubles
    assert "Pay floats:" in dialog.summary.text()


def test_the_chart_counts_each_grade_before_and_after(qtbot, floor) -> None:
    dialog = open_dialog(qtbot, floor)
    type_into(qtbot, dialog.attendance["consecutive_lates_as_absence"], "2")  # A2: E → F
    type_into(qtbot, dialog.grades["C"], "71")  # A1: C → D
    compare(qtbot, dialog)
    assert dialog.chart.counts == (["C", "D", "E", "F"], [2, 0, 1, 0], [1, 1, 0, 1])
    bars = dialog.chart.chart().series()[0].barSets()
    assert [b.label() for b in bars] == ["Before", "After"] and [bars[1].at(i) for i in range(4)] == [1, 1, 0, 1]


def test_double_clicking_an_agent_shows_the_lines_the_change_moves(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_dialog(qtbot, floor)
    dialog.show()
    assert not dialog.why_button.isEnabled()  # nothing compared, nobody chosen
    type_into(qtbot, dialog.attendance["late_deduction"], "30")
    compare(qtbot, dialog)
    index = dialog.model.index(0, 1)
    dialog.table.setCurrentIndex(index)
    assert dialog.why_button.isEnabled()
    rect = dialog.table.visualRect(index)
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click's first press
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: dialog.why_dialog is not None, timeout=30_000)
    why = dialog.why_dialog
    assert why.model.rowCount() == 1 and "A1" in why.windowTitle()
    assert "40" in why.model.data(why.model.index(0, 0)) and "60" in why.model.data(why.model.index(0, 1))
    assert why.model.data(why.model.index(0, 2)) == "§2"


def test_apply_writes_the_compared_change_after_confirmation(qtbot, floor, monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    from csdesk.ui import policy_change

    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(policy_change, "confirm", lambda _p, text, _t: asked.append(text) or answer[0])
    monkeypatch.setattr(policy_change, "show_info", lambda *a: None)
    dialog = open_dialog(qtbot, floor)
    assert dialog.apply_button.isVisible() is False or not dialog.apply_button.isEnabled()
    type_into(qtbot, dialog.attendance["late_deduction"], "30")
    compare(qtbot, dialog)
    type_into(qtbot, dialog.attendance["late_deduction"], "99")  # typed after Compare: not what was compared
    target = floor.site_policy.target
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert "attendance.late_deduction: 20 → 30" in asked[0] and "1 agent changes." in asked[0]
    assert not target.exists()  # the answer was No
    answer[0] = True
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert tomllib.loads(target.read_text(encoding="utf-8"))["attendance"] == {"late_deduction": 30}
    entry = floor.audit.recent(hand.SUP)[0]
    assert entry.action == "policy.apply" and entry.details["summary"]["agents_changed"] == 1
    assert not dialog.apply_button.isEnabled()  # the next change waits for the next start


def test_apply_is_not_offered_without_settings_edit(qtbot, floor) -> None:
    from csdesk.ui.dialogs.whatif_dialog import WhatIfDialog as Dialog

    dialog = Dialog(floor, actor=hand.TRAINER)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.apply_button.isVisible()


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_the_window_fits_in_chinese_and_spanish(qtbot, floor, tmp_path: Path, lang: str) -> None:
    i18n.install(lang)  # the autouse fixture puts English back
    dialog = open_dialog(qtbot, floor)
    type_into(qtbot, dialog.attendance["consecutive_lates_as_absence"], "2")
    type_into(qtbot, dialog.grades["C"], "71")
    dialog.show()
    compare(qtbot, dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.compare_button.width() >= dialog.compare_button.sizeHint().width()
    folder = Path(os.environ.get("CSDESK_SCREENSHOTS", tmp_path))
    assert dialog.grab().save(str(folder / f"whatif-{lang}.png"))
