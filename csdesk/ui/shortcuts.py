"""Every keyboard shortcut of the areas' pages, in one table.

A page binds its shortcuts by name (:func:`make_shortcut`, :func:`bind_button`), so a key
sequence is written here only, and Help ▸ Keyboard shortcuts lists what the pages really bind.
The main window's own shortcuts (File ▸ Quit, Ctrl+1…9, Help) are read from its actions.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QPushButton, QToolButton, QWidget

from csdesk.i18n import N_
from csdesk.records import record

Keys = str | QKeySequence.StandardKey
StandardKey = QKeySequence.StandardKey


@record
class ShortcutSpec:
    """One shortcut: where it works (a main-window page key, and the title of the tab it needs,
    marked N_ as the page marks it), what it does (marked N_), its keys (a platform's standard
    key binds every sequence the platform gives it)."""

    name: str
    page: str
    tab: str | None
    action: str
    keys: tuple[Keys, ...]

    def sequences(self) -> list[QKeySequence]:
        return [s for keys in self.keys for s in _bindings(keys)]

    def text(self) -> str:
        """The keys as the platform writes them (``Ctrl+P``); a standard key by its first binding."""
        return keys_text([s for keys in self.keys for s in _bindings(keys)[:1]])


def keys_text(sequences: list[QKeySequence]) -> str:
    """Key sequences as the platform writes them: ``Ctrl+Return, Ctrl+Enter``."""
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)


def _bindings(keys: Keys) -> list[QKeySequence]:
    if isinstance(keys, StandardKey):
        return list(QKeySequence.keyBindings(keys))
    return [QKeySequence(keys)]


def _spec(name: str, action: str, *keys: Keys, tab: str | None = None) -> ShortcutSpec:
    return ShortcutSpec(name, name.split(".")[0], tab, action, keys)


_ENTRY = N_("Exam and rating entry")  # the scorecards page's tab
_CALENDAR = N_("Team calendar")  # the attendance page's tab with the leave requests
_INSPECTIONS = N_("Inspections")  # the quality page's tab
SHORTCUTS: tuple[ShortcutSpec, ...] = (
    _spec("handover.new", N_("Write a new handover"), StandardKey.New),
    _spec("handover.find", N_("Search the log"), StandardKey.Find),
    _spec("handover.print", N_("Print the handover shown; on the work records, the weekly digest"),
          StandardKey.Print),
    _spec("handover.save", N_("Save the handover or the work record"), StandardKey.Save),
    _spec("handover.confirm", N_("Confirm a takeover, an item's closing or penalties"),
          "Ctrl+Return", "Ctrl+Enter"),
    _spec("attendance.import", N_("Import punches"), "Ctrl+I"),
    _spec("attendance.leave", N_("File leave"), "Ctrl+L"),
    _spec("attendance.print", N_("Print the month's summary"), StandardKey.Print),
    _spec("attendance.previous", N_("Previous month"), "Alt+Left"),
    _spec("attendance.next", N_("Next month"), "Alt+Right"),
    _spec("attendance.approve", N_("Approve the selected leave request"), "Ctrl+Shift+A", tab=_CALENDAR),
    _spec("attendance.reject", N_("Reject the selected leave request"), "Ctrl+Shift+R", tab=_CALENDAR),
    _spec("attendance.back", N_("Record the return from the selected leave (销假)"), "Ctrl+Shift+B", tab=_CALENDAR),
    _spec("scorecards.print", N_("Print sheets (choose whose)"), StandardKey.Print),
    _spec("scorecards.open", N_("Open the selected agent's scorecard"), "Return", "Enter", tab=N_("Ranking")),
    _spec("scorecards.record", N_("Record an event"), "Ctrl+R", tab=N_("Scorecard")),
    _spec("scorecards.import_ratings", N_("Import ratings"), "Ctrl+I", tab=_ENTRY),
    _spec("scorecards.import_exams", N_("Import exams"), "Ctrl+Shift+I", tab=_ENTRY),
    _spec("scorecards.import_events", N_("Import events"), "Ctrl+Shift+R", tab=_ENTRY),
    _spec("scorecards.undo", N_("Undo the last saved entries"), StandardKey.Undo, tab=_ENTRY),
    _spec("scorecards.paste", N_("Paste a block copied from a spreadsheet"), StandardKey.Paste, tab=_ENTRY),
    _spec("scorecards.lock", N_("Lock the month (sign it off)"), "Ctrl+Shift+L"),
    _spec("callbacks.previous", N_("Previous day"), "Alt+Left"),
    _spec("callbacks.next", N_("Next day"), "Alt+Right"),
    _spec("callbacks.find", N_("Filter the agenda"), StandardKey.Find),
    _spec("callbacks.outcome", N_("Record the selected call's outcome"), "Ctrl+R", tab=N_("Agenda")),
    _spec("callbacks.import", N_("Import sales"), "Ctrl+I", tab=N_("Members")),
    _spec("callbacks.print", N_("Print (choose what)"), StandardKey.Print),
    _spec("callbacks.export", N_("Export the agenda (choose the format)"), "Ctrl+E"),
    _spec("qa.new", N_("Record a new inspection"), StandardKey.New, tab=_INSPECTIONS),
    _spec("qa.import", N_("Import inspections"), "Ctrl+I", tab=_INSPECTIONS),
    _spec("qa.print", N_("Print the selected inspection"), StandardKey.Print, tab=_INSPECTIONS),
    _spec("people.add", N_("Add a person"), StandardKey.New),
    _spec("people.edit", N_("Edit the selected person"), "F2"),
    _spec("people.find", N_("Search people"), StandardKey.Find),
    _spec("people.import", N_("Import people"), "Ctrl+I"),
    _spec("audit.find", N_("Search the log"), StandardKey.Find),
    _spec("audit.refresh", N_("Refresh"), "F5"),
    _spec("audit.export", N_("Export"), "Ctrl+E"),
    _spec("settings.save", N_("Save the settings"), StandardKey.Save),
)
BY_NAME: dict[str, ShortcutSpec] = {s.name: s for s in SHORTCUTS}


def make_shortcut(
    name: str, parent: QWidget, context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut
) -> QShortcut:
    """A QShortcut for the keys of ``name`` on ``parent``. In the default context it works while
    ``parent`` is shown and enabled: on its page only, and never for a role that does not see it."""
    shortcut = QShortcut(parent)
    shortcut.setKeys(BY_NAME[name].sequences())
    shortcut.setContext(context)
    return shortcut


def bind(name: str, parent: QWidget, slot: Callable[[], object]) -> QShortcut:
    """``make_shortcut`` connected to ``slot``."""
    shortcut = make_shortcut(name, parent)
    shortcut.activated.connect(slot)
    return shortcut


def bind_button(button: QPushButton | QToolButton, name: str) -> QShortcut:
    """The keys of ``name`` press ``button`` (or open its menu) while it is shown and enabled."""
    return bind(name, button, lambda: press(button))


def bind_field(name: str, field: QLineEdit) -> QShortcut:
    """The keys of ``name`` put the cursor in ``field`` (a search box), its text selected."""
    return bind(name, field, lambda: (field.setFocus(), field.selectAll()))


def bind_buttons(*pairs: tuple[QPushButton | QToolButton, str]) -> None:
    """``bind_button`` for each (button, shortcut name)."""
    for button, name in pairs:
        bind_button(button, name)


def press(button: QPushButton | QToolButton) -> None:
    """Click ``button``; a button with a menu opens it below itself, without waiting for it."""
    menu = button.menu()
    if menu is None:
        button.click()
    else:
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))


def matches(event: QKeyEvent, name: str) -> bool:
    """Whether ``event`` is one of the keys of ``name`` (for a widget that handles them itself)."""
    pressed = QKeySequence(event.keyCombination())
    return any(
        event.matches(keys) if isinstance(keys, StandardKey) else pressed == QKeySequence(keys)
        for keys in BY_NAME[name].keys
    )
