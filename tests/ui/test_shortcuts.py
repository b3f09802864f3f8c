"""Keyboard shortcuts: one table the pages bind from, Help ▸ Keyboard shortcuts lists them, and
the main actions of every page answer to their keys."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

import csdesk
from csdesk.ui.attendance.leave_dialog import LeaveDialog
from csdesk.ui.dialogs.person import PersonDialog
from csdesk.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.scorecards.event_dialog import EventDialog
from csdesk.ui.shortcuts import BY_NAME, SHORTCUTS
from tests.helpers.qt import wait_loaded

CTRL = Qt.KeyboardModifier.ControlModifier
UI = Path(csdesk.__file__).parent / "ui"
# Table entries no QShortcut of the window carries: bound in the handover dialogs (built when
# opened) and matched by the entry grid's own key handling.
BOUND_ELSEWHERE = {"handover.confirm", "scorecards.paste"}
# The completer popups of the pages ask the offscreen platform for things it cannot do; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")


@pytest.fixture
def window(qtbot, demo_ctx) -> MainWindow:
    window = MainWindow(demo_ctx, actor=demo_ctx.auth.resolve_actor("supervisor"), idle_lock_ms=0)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    return window


def activate(qtbot, window: QWidget) -> None:
    """Shortcuts work in the active window (a page's popups may have taken that away)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def every_page_built(window: MainWindow) -> list[QShortcut]:
    """Build every page (and the handover page's lazily built tabs); the window's QShortcuts."""
    for key in window.page_keys():
        window.page(key)
    handover = window.pages["handover"]
    assert handover.form is not None and handover.records is not None
    return window.findChildren(QShortcut)


def keys_of(shortcut: QShortcut) -> list[str]:
    return [k.toString() for k in shortcut.keys()]


def page_of(widget: QWidget | None) -> str:
    while widget is not None and not widget.objectName().startswith("page_"):
        widget = widget.parentWidget()
    return widget.objectName().removeprefix("page_") if widget is not None else ""


def press(qtbot, window: MainWindow, page: str, key: Qt.Key, modifier=CTRL) -> None:
    window.show_page(page)
    activate(qtbot, window)
    qtbot.keyClick(window.stack.currentWidget(), key, modifier)


def test_every_shortcut_of_the_pages_comes_from_the_table(qtbot, window) -> None:
    shortcuts = every_page_built(window)
    table = {spec.name: (spec.page, tuple(s.toString() for s in spec.sequences())) for spec in SHORTCUTS}
    bound = {(page_of(s.parent()), tuple(keys_of(s))) for s in shortcuts}
    assert bound <= set(table.values()), sorted(bound - set(table.values()))
    assert {name for name, keys in table.items() if keys not in bound} == BOUND_ELSEWHERE


def test_no_page_writes_a_key_sequence_of_its_own() -> None:
    """Keys are written in csdesk/ui/shortcuts.py only (the main window's menus keep theirs)."""
    own = {"shortcuts.py", "main_window.py"}
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path.name in own:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
            if name in ("QKeySequence", "QShortcut", "setShortcut", "setShortcuts"):
                found.append(f"{path.relative_to(UI)}:{node.lineno} {name}")
    assert found == []


def test_no_two_shortcuts_of_a_page_share_a_key() -> None:
    seen: dict[tuple[str, str], str] = {}
    for spec in SHORTCUTS:
        for sequence in spec.sequences():
            key = (spec.page, sequence.toString())
            assert key not in seen, f"{spec.name} and {seen[key]} both use {key[1]}"
            seen[key] = spec.name


def test_f1_lists_the_window_s_and_every_area_s_shortcuts(qtbot, window) -> None:
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = dialog.model.rows()
    listed = {(r.where, r.keys, r.action) for r in rows}
    assert ("Everywhere", "F1", "Keyboard shortcuts") in listed
    assert ("Everywhere", "Ctrl+1", "Go to Handover log") in listed
    assert ("Everywhere", f"Ctrl+{window.page_keys().index('settings') + 1}", "Go to Settings") in listed
    assert ("Attendance", "Ctrl+L", "File leave") in listed
    assert ("Scorecards ▸ Scorecard", "Ctrl+R", "Record an event") in listed  # the tab it needs, as the page names it
    assert ("Handover log", "Ctrl+Return, Ctrl+Enter", "Confirm a takeover, an item's closing or penalties") in listed
    keyed = {spec.page for spec in SHORTCUTS}
    with_keys = {window.nav.item(row).text() for row, key in enumerate(window.page_keys()) if key in keyed}
    assert {r.where.split(" ▸ ")[0] for r in rows} == {"Everywhere"} | with_keys
    assert len([r for r in rows if r.where != "Everywhere"]) == len(SHORTCUTS)


def test_the_go_to_rows_name_the_area_each_key_opens(qtbot, window) -> None:
    for row in range(window.nav.count()):
        qtbot.keyClick(window.nav, Qt.Key(Qt.Key.Key_1 + row), CTRL)
        assert window.nav.currentRow() == row
    dialog = window.show_shortcuts()
    go_to = [r for r in dialog.model.rows() if r.action.startswith("Go to ")]
    assert [(r.keys, r.action) for r in go_to] == [
        (f"Ctrl+{row + 1}", f"Go to {window.nav.item(row).text()}") for row in range(window.nav.count())
    ]


def test_a_trainer_sees_only_the_areas_they_use(qtbot, demo_ctx) -> None:
    window = MainWindow(demo_ctx, actor=demo_ctx.auth.resolve_actor("trainer"), idle_lock_ms=0)
    qtbot.addWidget(window)
    rows = window.show_shortcuts().model.rows()
    assert {r.where.split(" ▸ ")[0] for r in rows} == {"Everywhere", "Scorecards", "Quality", "People & teams", "Settings"}


def test_about_names_the_version(qtbot, window, monkeypatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    window._about.trigger()
    assert shown and shown[0][0] == "About csdesk" and f"csdesk {csdesk.__version__}" in shown[0][1]


def test_ctrl_l_files_leave_and_alt_arrows_change_the_month(qtbot, window) -> None:
    window.show_page("attendance")
    page = window.pages["attendance"]
    month = (page.year, page.month)
    press(qtbot, window, "attendance", Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert (page.year, page.month) != month
    press(qtbot, window, "attendance", Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert (page.year, page.month) == month
    press(qtbot, window, "attendance", Qt.Key.Key_L)
    assert isinstance(page.leave_dialog, LeaveDialog) and page.leave_dialog.isVisible()
    page.leave_dialog.reject()


def test_ctrl_i_imports_on_the_page_shown(qtbot, window, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda parent, title, *a: (asked.append(title), ("", ""))[1])
    press(qtbot, window, "people", Qt.Key.Key_I)
    press(qtbot, window, "attendance", Qt.Key.Key_I)
    assert len(asked) == 2 and asked[0] != asked[1]


def test_ctrl_n_adds_a_person_and_ctrl_f_finds_one(qtbot, window, monkeypatch) -> None:
    opened: list[PersonDialog] = []
    monkeypatch.setattr(PersonDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    press(qtbot, window, "people", Qt.Key.Key_N)
    assert len(opened) == 1 and opened[0].windowTitle()
    people = window.pages["people"]
    people.search.setText("A00")
    press(qtbot, window, "people", Qt.Key.Key_F)
    assert people.search.hasFocus() and people.search.selectedText() == "A00"


def test_ctrl_r_records_an_event_on_the_scorecard(qtbot, window, monkeypatch) -> None:
    opened: list[EventDialog] = []
    monkeypatch.setattr(EventDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    window.show_page("scorecards")
    page = window.pages["scorecards"]
    wait_loaded(qtbot, page)
    page.tabs.setCurrentWidget(page.scorecard)
    qtbot.waitUntil(lambda: page.scorecard.record_button.isEnabled())
    press(qtbot, window, "scorecards", Qt.Key.Key_R)
    assert len(opened) == 1
    page.tabs.setCurrentWidget(page.ranking)  # the button is out of sight: the key does nothing
    press(qtbot, window, "scorecards", Qt.Key.Key_R)
    assert len(opened) == 1


def test_ctrl_p_opens_the_print_menu_of_a_menu_button(qtbot, window) -> None:
    press(qtbot, window, "callbacks", Qt.Key.Key_P)
    menu = window.pages["callbacks"].print_menu
    qtbot.waitUntil(menu.isVisible)
    menu.close()


def test_a_shortcut_reads_as_the_platform_writes_it() -> None:
    assert BY_NAME["attendance.print"].text() == QKeySequence(QKeySequence.StandardKey.Print).toString()
    assert BY_NAME["handover.confirm"].text() == "Ctrl+Return, Ctrl+Enter"
    assert [s.toString() for s in BY_NAME["scorecards.open"].sequences()] == ["Return", "Enter"]
