"""The GUI's composition root: Qt set-up, services, sign-in and the main window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from csdesk import gc_tuning, i18n
from csdesk.context import AppContext, build_context
from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.resources import resource_path
from csdesk.services.base import Actor
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.first_run import IMPORT, FirstRunWizard
from csdesk.ui.login import LoginDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.messages import install_excepthook, show_error
from csdesk.ui.pages.people import PeoplePage
from csdesk.ui.qt_setup import APPLICATION, ORGANISATION, display_missing, install_qt_language, register_font, settings


class Workstation:
    """Owns the main window; rebuilds it when the language changes or the user signs out."""

    def __init__(self, app: QApplication, ctx: AppContext) -> None:
        self.app = app
        self.ctx = ctx
        self.window: MainWindow | None = None
        self.backup_job: Job | None = None

    def set_language(self, lang: str) -> None:
        lang = i18n.install(lang)
        install_qt_language(self.app, lang)
        settings().setValue("language", lang)

    def start(self) -> bool:
        """A database without sign-in accounts is a new site: the first-run set-up; any other
        database: the sign-in. False when the person gave up."""
        return self.sign_in() if self.ctx.auth.has_accounts() else self.first_run()

    def first_run(self) -> bool:
        """Set the site up, sign its first supervisor in, and open the people import if chosen."""
        wizard = FirstRunWizard(self.ctx, language=i18n.current_language())
        wizard.language_chosen.connect(self.set_language)
        if not wizard.exec() or wizard.actor is None:
            return False
        if wizard.start_with != IMPORT:
            self.open_window(wizard.actor)
            return True
        people = self.open_window(wizard.actor, page="people").page("people")
        assert isinstance(people, PeoplePage)  # the supervisor sees it
        QTimer.singleShot(0, people.import_file)  # once the window shows
        return True

    def sign_in(self) -> bool:
        dialog = LoginDialog(self.ctx.auth, language=i18n.current_language())
        dialog.language_chosen.connect(self.set_language)
        if not dialog.exec() or dialog.actor is None:
            return False
        # The incoming shift reads the handover first (rules.md §4): open on it when one waits.
        waiting = dialog.actor.can("handover.write") and bool(self.ctx.handover.pending_for(dialog.actor))
        self.open_window(dialog.actor, page="handover" if waiting else None)
        return True

    def open_window(self, actor: Actor, page: str | None = None) -> MainWindow:
        old = self.window
        self.window = MainWindow(self.ctx, actor=actor)
        self.window.language_changed.connect(lambda lang, a=actor: self._relanguage(a, lang))
        self.window.sign_out_requested.connect(self._sign_out)
        if page:
            self.window.show_page(page)
        if old is not None:
            self.window.restoreGeometry(old.saveGeometry())
            old.close()
            old.deleteLater()
        self.window.show()
        return self.window

    # --- automatic backups (policy [backup]; SQLite only) -----------------------------------

    def start_automatic_backups(self) -> None:
        """Back up on exit, and once a day in the background; never before the first window shows."""
        if self.ctx.backup.unsupported() is not None:  # PostgreSQL (pg_dump) or an in-memory database
            return
        self.app.aboutToQuit.connect(self._backup_on_exit)
        QTimer.singleShot(0, self._backup_if_due)

    def _backup_on_exit(self) -> None:
        self.ctx.backup.automatic("exit")  # logs its own failure; never raises

    def _backup_if_due(self) -> None:
        if self.backup_job is not None or not self.ctx.backup.daily_due():
            return
        backup = self.ctx.backup
        self.backup_job = run_in_background(
            lambda _job: backup.automatic("daily"), self._daily_backup_done, self._daily_backup_failed
        )

    def _daily_backup_done(self, _path: object) -> None:
        self.backup_job = None

    def _daily_backup_failed(self, exc: BaseException) -> None:
        self.backup_job = None
        logging.getLogger("csdesk.backup").error("daily automatic backup failed: %s", exc)

    def _relanguage(self, actor: Actor, lang: str) -> None:
        page = self.window.current_page_key() if self.window else None
        self.set_language(lang)
        self.open_window(actor, page)

    def _sign_out(self) -> None:
        if self.window is not None:
            self.window.hide()
        if not self.sign_in():
            self.app.quit()


def self_test(app: QApplication) -> int:
    """``csdesk gui --self-test``: what a new PC needs to run csdesk, checked without a person and
    without touching the site's data. A small demo department in a temporary folder; the supervisor
    signs in; every page is built and drawn; an evaluation sheet is printed in the language in use.
    0 when everything worked; 1, with the reason on stderr, when something did not."""
    import tempfile
    from datetime import date, timedelta
    from pathlib import Path

    from csdesk.services.base import SYSTEM

    with tempfile.TemporaryDirectory(prefix="csdesk-self-test-") as folder:
        try:
            ctx = build_context(str(Path(folder) / "self-test.db"), data_dir=Path(folder))
            ctx.demo.build(SYSTEM, agents=SELF_TEST_AGENTS, months=1, seed=1, if_empty=True)
            actor = ctx.auth.login("supervisor", "demo")
            window = MainWindow(ctx, actor=actor)
            window.show()
            for key in window.page_keys():
                window.show_page(key)
                app.processEvents()
            month = f"{date.today().replace(day=1) - timedelta(days=1):%Y-%m}"
            sheet = Path(folder) / "sheet.pdf"
            printed = ctx.scorecards.print_evaluation(actor, month, sheet, employee_no="A001", lang=i18n.current_language())
            if printed.sheets != 1 or not sheet.read_bytes().startswith(b"%PDF"):
                raise RuntimeError(f"the evaluation sheet was not printed: {printed}")
            window.close()
            ctx.close()
        except Exception as exc:  # noqa: BLE001 - the self-test reports whatever went wrong, in one line
            print(_("Self-test failed: {error}").format(error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
            return 1
    print(_("Self-test passed: database, sign-in, {pages} pages and a printed sheet.").format(pages=len(window.page_keys())))
    return 0


#: The demo department of ``--self-test``: enough to fill every page, quick to make.
SELF_TEST_AGENTS = 6


def run_gui(db: str | None = None, policy_file: str | None = None, *, check: bool = False) -> int:
    if display_missing():
        print(
            _("No display found. Run `xvfb-run ./run` on a headless machine, or set QT_QPA_PLATFORM=offscreen."),
            file=sys.stderr,
        )
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon(str(resource_path("icons", "csdesk.png"))))
    app.setDesktopFileName("csdesk")  # matches resources/csdesk.desktop (the taskbar's icon and name)
    register_font(app)
    store = settings()
    lang = i18n.install(str(store.value("language", "") or i18n.language_from_env()))
    install_qt_language(app, lang)
    if check:
        return self_test(app)
    install_excepthook()
    try:
        ctx = build_context(db or str(store.value("db", "") or "") or None, policy_file or str(store.value("policy_file", "") or "") or None)
    except CsdeskError as exc:
        show_error(None, exc)
        return 1
    if ctx.policy_error is not None:
        show_error(None, ctx.policy_error.message() + "\n\n" + _("Using the shipped default policy instead."))
    # Frozen before any window exists: a window replaced at sign-out or a language change must
    # stay collectable (its reference cycles would never be freed once frozen).
    gc_tuning.freeze_startup()
    station = Workstation(app, ctx)
    if not station.start():
        return 0
    station.start_automatic_backups()
    return app.exec()
