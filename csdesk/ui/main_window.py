"""The main window: navigation to the areas the signed-in role may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
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
from csdesk.services.base import ROLE_NAMES, Actor
from csdesk.ui.pages.audit import AuditPage
from csdesk.ui.pages.coming import ComingPage
from csdesk.ui.pages.people import PeoplePage
from csdesk.ui.pages.settings import SettingsPage
from csdesk.ui.qt_setup import settings


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # marked N_
    permission: str | None
    factory: Callable[[AppContext, Actor], QWidget]


def _coming(key: str, title: str, what: str, issue: int) -> Callable[[AppContext, Actor], QWidget]:
    return lambda ctx, actor: ComingPage(title=title, what=what, issue=issue)


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "handover",
        N_("Handover log"),
        "handover.view",
        _coming(
            "handover",
            N_("Handover log"),
            N_("Shift handovers with their open items, the takeover acknowledgement, carry-over of unfinished items, search, and the printed handover form."),
            6,
        ),
    ),
    PageSpec(
        "attendance",
        N_("Attendance"),
        "attendance.view",
        _coming(
            "attendance",
            N_("Attendance"),
            N_("The team's month calendar coloured by status, punch-clock import, lates and absences with their deductions, leave requests and approvals, and the forms to sign."),
            4,
        ),
    ),
    PageSpec(
        "scorecards",
        N_("Scorecards"),
        "scorecards.view",
        _coming(
            "scorecards",
            N_("Scorecards"),
            N_("Each agent's monthly evaluation: the rated 80 points, bonus and deduction events, grade, pay float, exam scores, ranking, month lock and the evaluation sheets."),
            5,
        ),
    ),
    PageSpec(
        "callbacks",
        N_("Callbacks"),
        "callbacks.view",
        _coming(
            "callbacks",
            N_("Callbacks"),
            N_("The agenda of service calls after a sale, birthday calls, complaints and bad reviews, with outcomes, retries and the daily quota."),
            7,
        ),
    ),
    PageSpec("people", N_("People & teams"), "people.view", lambda ctx, actor: PeoplePage(ctx.people, actor=actor)),
    PageSpec("audit", N_("Audit log"), "audit.view", lambda ctx, actor: AuditPage(ctx.audit, actor=actor)),
    PageSpec("settings", N_("Settings"), None, lambda ctx, actor: SettingsPage(ctx, actor=actor)),
)


class MainWindow(QMainWindow):
    """Left: the areas; right: the current page. Geometry and last page are remembered."""

    language_changed = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, ctx: AppContext, *, actor: Actor) -> None:
        super().__init__()
        self._ctx = ctx
        self._actor = actor
        self.pages: dict[str, QWidget] = {}
        self._specs = [p for p in PAGES if p.permission is None or actor.can(p.permission)]
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._restore()

    def _build_ui(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for spec in self._specs:
            page = spec.factory(self._ctx, self._actor)
            page.setObjectName(f"page_{spec.key}")
            self.pages[spec.key] = page
            self.stack.addWidget(page)
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
        self._file_menu = self.menuBar().addMenu("")
        self._sign_out = QAction(self)
        self._quit = QAction(self)
        self._quit.setShortcut(QKeySequence.StandardKey.Quit)
        self._file_menu.addAction(self._sign_out)
        self._file_menu.addSeparator()
        self._file_menu.addAction(self._quit)
        for i in range(min(9, len(self._specs))):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _checked=False, row=i: self.nav.setCurrentRow(row))
            self.addAction(action)

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self._quit.triggered.connect(self.close)
        self._sign_out.triggered.connect(self.sign_out_requested.emit)
        settings_page = self.pages.get("settings")
        if isinstance(settings_page, SettingsPage):
            settings_page.language_changed.connect(self.language_changed.emit)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("csdesk — customer-service desk"))
        for row, spec in enumerate(self._specs):
            self.nav.item(row).setText(_(spec.title))
        self._file_menu.setTitle(_("&File"))
        self._sign_out.setText(_("Sign out"))
        self._quit.setText(_("Quit"))
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
        self.show_page(last if last in self.pages else self._specs[0].key)

    def closeEvent(self, event: QCloseEvent) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/page", self.current_page_key())
        super().closeEvent(event)
