"""The Help menu's windows: every keyboard shortcut of the main window, and About csdesk."""

from __future__ import annotations

import platform
from html import escape
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk import __version__
from csdesk.i18n import N_, _
from csdesk.records import record
from csdesk.ui.shortcuts import SHORTCUTS, keys_text
from csdesk.ui.table_model import ColumnSpec, RowTableModel

if TYPE_CHECKING:
    from csdesk.ui.main_window import MainWindow


@record
class ShortcutRow:
    where: str
    keys: str
    action: str


COLUMNS: tuple[ColumnSpec[ShortcutRow], ...] = (
    ColumnSpec(N_("Where"), lambda r: r.where),
    ColumnSpec(N_("Keys"), lambda r: r.keys),
    ColumnSpec(N_("What it does"), lambda r: r.action),
)


def _plain(text: str) -> str:
    """A menu entry's text as a sentence: no mnemonic ampersand, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…")


def window_rows(window: MainWindow) -> list[ShortcutRow]:
    """The main window's own shortcuts, read from its actions: the menus', then the areas'
    (the window adds one action per area, in the list's order)."""
    everywhere = _("Everywhere")
    rows = [
        ShortcutRow(everywhere, keys_text(action.shortcuts()[:1]), _plain(action.text()))
        for menu_action in window.menuBar().actions()
        if (menu := menu_action.menu()) is not None
        for action in menu.actions()
        if action.shortcuts()
    ]
    area_actions = [a for a in window.actions() if a.shortcuts() and not a.text()]
    for row, action in enumerate(area_actions):
        go_to = _("Go to {area}").format(area=window.nav.item(row).text())
        rows.append(ShortcutRow(everywhere, keys_text(action.shortcuts()[:1]), go_to))
    return rows


def page_rows(window: MainWindow) -> list[ShortcutRow]:
    """The pages' shortcuts (the table the pages bind from), for the areas this user sees."""
    titles = {key: window.nav.item(row).text() for row, key in enumerate(window.page_keys())}
    return [
        ShortcutRow(_where(titles[key], spec.tab), spec.text(), _(spec.action))
        for key in titles
        for spec in SHORTCUTS
        if spec.page == key and spec.text()
    ]


def _where(page: str, tab: str | None) -> str:
    return page if tab is None else f"{page} ▸ {_(tab)}"


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: one table, the main window's first, then each area's."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.model: RowTableModel[ShortcutRow] = RowTableModel(COLUMNS, self)
        self.model.set_rows(window_rows(window) + page_rows(window))
        self._build_ui()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("shortcutsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # No description ends in "…" (the Spanish ones are long): what is wider than the dialog
        # wraps, each row as tall as its text.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._hint = QLabel()
        self._hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 600)
        self._fit_to_table()

    def _fit_to_table(self) -> None:
        """As wide as the table asks, within 90 % of the screen."""
        columns = sum(self.table.sizeHintForColumn(c) for c in range(self.model.columnCount()))
        chrome = 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width() + 48  # frame, scroll bar, margins
        room = int(self.screen().availableGeometry().width() * 0.9)
        self.resize(min(room, max(self.width(), columns + chrome)), self.height())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Keyboard shortcuts"))
        self._hint.setText(
            _("An area's shortcuts work while its page is shown; those of a tab, while the tab is open.")
        )


def about_text() -> str:
    """Help ▸ About csdesk: the version, what it is, and the versions a support call asks for."""
    lines = [
        f"<b>csdesk {escape(__version__)}</b>",
        escape(
            _("The customer-service supervisor's workstation: handover log, attendance, scorecards and callbacks.")
        ),
        escape(f"Qt {pyside_version} · Python {platform.python_version()}"),
    ]
    return "<br><br>".join(lines)


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, _("About csdesk"), about_text())
