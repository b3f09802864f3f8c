"""The main window: navigation to the areas the signed-in role may use."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from csdesk.context import AppContext
from csdesk.i18n import N_, _
from csdesk.labels import ROLE_NAMES
from csdesk.records import record
from csdesk.services.base import Actor
from csdesk.ui.dialogs.password import PasswordDialog
from csdesk.ui.dialogs.shortcuts_dialog import ShortcutsDialog, show_about
from csdesk.ui.idle_lock import CoveredWindows, IdleWatcher, LockDialog
from csdesk.ui.messages import show_info
from csdesk.ui.qt_setup import settings


@record
class PageSpec:
    key: str
    title: str  # marked N_
    permission: str | None
    factory: Callable[[AppContext, Actor], QWidget]


def _area(module: str) -> Callable[[AppContext, Actor], QWidget]:
    """Each area's page module exposes ``create_page(ctx, actor)``; imported when built, so a start
    imports only the page it shows (the settings page alone brings the what-if and QtCharts)."""

    def factory(ctx: AppContext, actor: Actor) -> QWidget:
        page: QWidget = importlib.import_module(f"csdesk.ui.pages.{module}").create_page(ctx, actor)
        return page

    return factory


PAGES: tuple[PageSpec, ...] = (
    PageSpec("handover", N_("Handover log"), "handover.view", _area("handover")),
    PageSpec("attendance", N_("Attendance"), "attendance.view", _area("attendance")),
    PageSpec("scorecards", N_("Scorecards"), "scorecards.view", _area("scorecards")),
    PageSpec("callbacks", N_("Callbacks"), "callbacks.view", _area("callbacks")),
    PageSpec("qa", N_("Quality"), "qa.view", _area("qa")),
    PageSpec("people", N_("People & teams"), "people.view", _area("people")),
    PageSpec("audit", N_("Audit log"), "audit.view", _area("audit")),
    PageSpec("settings", N_("Settings"), None, _area("settings")),
)


class _LazyPages(dict[str, QWidget]):
    """``window.pages[key]`` builds the page on first use."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self._window = window

    def __missing__(self, key: str) -> QWidget:
        return self._window.page(key)


class MainWindow(QMainWindow):
    """Left: the areas; right: the current page. Geometry and last page are remembered."""

    language_changed = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, ctx: AppContext, *, actor: Actor, idle_lock_ms: int | None = None) -> None:
        """``idle_lock_ms``: lock after that long without input (default: the policy's
        ``security.idle_lock_minutes``; 0: never)."""
        super().__init__()
        self._ctx = ctx
        self._actor = actor
        self.pages = _LazyPages(self)
        self._specs = [p for p in PAGES if p.permission is None or actor.can(p.permission)]
        if idle_lock_ms is None:
            idle_lock_ms = ctx.policy.security.idle_lock_minutes * 60_000
        self.idle = IdleWatcher(idle_lock_ms, self)
        self.lock_dialog: LockDialog | None = None
        self.other_windows = CoveredWindows(self)  # the dialogs and windows the lock puts out of sight
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._restore()
        self.idle.start()

    def _build_ui(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for spec in self._specs:
            # Pages are built on first visit: a cold start pays only for the page it opens on.
            self.stack.addWidget(QWidget())
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(180, 36))
            self.nav.addItem(item)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._status = QLabel()
        self.statusBar().addPermanentWidget(self._status)
        # Covers the whole window (menus and pages) while it is locked; opaque, so nothing shows.
        self.cover = QWidget(self)
        self.cover.setObjectName("lockCover")
        self.cover.setAutoFillBackground(True)
        self.cover.hide()
        self._file_menu = self.menuBar().addMenu("")
        self._change_password = QAction(self)
        self._sign_out = QAction(self)
        self._quit = QAction(self)
        self._quit.setShortcut(QKeySequence.StandardKey.Quit)
        self._file_menu.addAction(self._change_password)
        self._file_menu.addAction(self._sign_out)
        self._file_menu.addSeparator()
        self._file_menu.addAction(self._quit)
        self._help_menu = self.menuBar().addMenu("")
        self._shortcuts = self._help_menu.addAction("")
        self._shortcuts.setShortcut(QKeySequence.StandardKey.HelpContents)
        self._about = self._help_menu.addAction("")
        for i in range(min(9, len(self._specs))):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _checked=False, row=i: self.nav.setCurrentRow(row))
            self.addAction(action)

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._show_row)
        self._quit.triggered.connect(self.close)
        self._sign_out.triggered.connect(self.sign_out_requested.emit)
        self._change_password.triggered.connect(self.change_password)
        self._shortcuts.triggered.connect(self.show_shortcuts)
        self._about.triggered.connect(lambda: show_about(self))
        self.idle.idle.connect(self.lock)

    def page(self, key: str) -> QWidget:
        """The page of area ``key``, built now if it was not shown before."""
        if key not in self.pages:
            row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
            page = self._specs[row].factory(self._ctx, self._actor)
            page.setObjectName(f"page_{key}")
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[key] = page
            if key == "settings":
                page.language_changed.connect(self.language_changed.emit)  # type: ignore[attr-defined]
        return self.pages[key]

    def change_password(self) -> None:
        """File ▸ Change password…: the signed-in user changes their own password."""
        PasswordDialog(self._ctx.auth, self._actor, self).exec()

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help ▸ Keyboard shortcuts (F1): this window's and its areas' shortcuts."""
        dialog = ShortcutsDialog(self)
        dialog.open()
        return dialog

    # --- the idle lock -------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.cover.isVisible()

    def lock(self) -> None:
        """Cover the window, put the application's other windows out of sight, and ask the
        signed-in user's password again (after idle minutes)."""
        if self.lock_dialog is not None or not self.isVisible():  # a window left at sign-out never locks
            return
        self.idle.stop()
        self.cover.setGeometry(self.rect())
        self.cover.show()
        self.cover.raise_()
        dialog = LockDialog(self._ctx.auth, self._actor, self)
        dialog.unlocked.connect(self._unlocked)
        dialog.sign_out_chosen.connect(self._sign_out_from_lock)
        self.lock_dialog = dialog
        self.other_windows.cover(self, dialog)
        dialog.open()  # window-modal: the covered window takes no input until it is answered
        dialog.password.setFocus()

    def _unlocked(self, actor: Actor) -> None:
        self._close_lock_dialog()
        if actor != self._actor:
            # The account's role (or person) changed meanwhile: the pages were built for the old
            # one, so this window may not go on; a fresh sign-in builds them for the new one.
            self.other_windows.abandon()
            show_info(self, _("Your account was changed while the desk was locked. Sign in again."))
            self.sign_out_requested.emit()
            return
        self.cover.hide()
        self.other_windows.uncover()
        self.idle.start()

    def _sign_out_from_lock(self) -> None:
        self._close_lock_dialog()  # the cover stays: the window is left behind, never shown unlocked
        self.other_windows.abandon()
        self.sign_out_requested.emit()

    def _close_lock_dialog(self) -> None:
        if self.lock_dialog is not None:
            self.lock_dialog.deleteLater()
            self.lock_dialog = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.cover.setGeometry(self.rect())

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._specs):
            self.stack.setCurrentWidget(self.page(self._specs[row].key))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("csdesk — customer-service desk"))
        for row, spec in enumerate(self._specs):
            self.nav.item(row).setText(_(spec.title))
        self._file_menu.setTitle(_("&File"))
        self._change_password.setText(_("Change &password…"))
        self._sign_out.setText(_("Sign out"))
        self._quit.setText(_("Quit"))
        self._help_menu.setTitle(_("&Help"))
        self._shortcuts.setText(_("&Keyboard shortcuts…"))
        self._about.setText(_("&About csdesk…"))
        self._status.setText(
            _("Signed in as {user} ({role})").format(user=self._actor.username, role=_(ROLE_NAMES.get(self._actor.role, self._actor.role)))
        )

    def show_page(self, key: str) -> None:
        for row, spec in enumerate(self._specs):
            if spec.key == key:
                self.nav.setCurrentRow(row)
                return

    def current_page_key(self) -> str:
        row = self.nav.currentRow()
        return self._specs[row].key if 0 <= row < len(self._specs) else ""

    def page_keys(self) -> list[str]:
        return [s.key for s in self._specs]

    def _restore(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        last = str(store.value("window/page", "") or "")
        key = last if last in self.page_keys() else self._specs[0].key
        # The remembered page is selected now but built when the window is first shown: a start
        # that opens another page first (a command, a notification) does not build this one too.
        self.nav.blockSignals(True)
        try:
            self.show_page(key)
        finally:
            self.nav.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:
        self._show_row(self.nav.currentRow())  # builds the page selected before the first show
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle.stop()
        self.other_windows.abandon()  # closed while locked: what the lock covered ends with it
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/page", self.current_page_key())
        super().closeEvent(event)
