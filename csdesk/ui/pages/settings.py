"""Settings: interface language, the site's name and logo, the site policy file (with its shifts
and holidays), the database location, backups, users."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from csdesk import i18n
from csdesk.context import AppContext
from csdesk.errors import CsdeskError, PolicyError
from csdesk.i18n import _
from csdesk.resources import default_policy_path
from csdesk.services.auth import USERS_MANAGE
from csdesk.services.backup import BackupResult, RestoreResult
from csdesk.services.base import Actor
from csdesk.services.policy_service import check_file
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.messages import confirm, show_error, show_info
from csdesk.ui.pages.settings_holidays import HolidaysSection
from csdesk.ui.pages.settings_shifts import ShiftsSection
from csdesk.ui.pages.settings_site import SiteSection
from csdesk.ui.pages.settings_users import UsersSection
from csdesk.ui.qt_setup import settings
from csdesk.ui.shortcuts import bind_button
from csdesk.ui.tips import set_state, with_keys


class SettingsPage(QWidget):
    """Language for everyone; policy and database for roles with ``settings.edit``; backups for
    the roles the backup service allows; the sign-in accounts for roles with ``users.manage``."""

    language_changed = Signal(str)
    backup_written = Signal(object)  # BackupResult
    database_restored = Signal(object)  # RestoreResult; the window closes after it

    def __init__(self, ctx: AppContext, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.job: Job | None = None  # the backup or restore under way
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        store = settings()
        self._title = QLabel()
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self._lang_box = QGroupBox()
        lang_form = QFormLayout(self._lang_box)
        self._lang_label = QLabel()
        lang_form.addRow(self._lang_label, self.language)

        self._policy_box = QGroupBox()
        self.policy_path = QLineEdit(str(store.value("policy_file", "") or ""))
        self.policy_path.setObjectName("policyPath")
        self._browse_policy = QPushButton()
        self.check_policy = QPushButton()
        self.check_policy.setObjectName("checkPolicy")
        self.policy_status = QLabel()
        self.policy_status.setObjectName("policyStatus")
        self.policy_status.setWordWrap(True)
        self._policy_source = QLabel()
        self._policy_source.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.policy_path, 1)
        row.addWidget(self._browse_policy)
        row.addWidget(self.check_policy)
        self.try_change = QPushButton()  # the policy what-if (issue 16)
        self.try_change.setObjectName("tryPolicyChange")
        row.addWidget(self.try_change)
        policy_layout = QVBoxLayout(self._policy_box)
        policy_layout.addWidget(self._policy_source)
        policy_layout.addLayout(row)
        policy_layout.addWidget(self.policy_status)

        self._db_box = QGroupBox()
        self.db_location = QLineEdit(str(store.value("db", "") or ""))
        self.db_location.setObjectName("dbLocation")
        self._db_current = QLabel()
        self._db_current.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveSettings")
        self.saved_label = QLabel()
        db_layout = QVBoxLayout(self._db_box)
        db_layout.addWidget(self._db_current)
        db_layout.addWidget(self.db_location)

        self._backup_box = QGroupBox()
        self._backup_folder = QLabel()
        self._backup_folder.setWordWrap(True)
        self.backup_button = QPushButton()
        self.backup_button.setObjectName("backupNow")
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restoreBackup")
        self.backup_status = QLabel()
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        backup_layout = QVBoxLayout(self._backup_box)
        backup_layout.addWidget(self._backup_folder)
        backup_layout.addLayout(buttons)
        backup_layout.addWidget(self.backup_status)
        self._backup_box.setVisible(self._ctx.backup.allowed(self._actor))
        self._backing_up = False  # a backup or restore under way

        # Built only for those who may manage users: nobody else even reads the account list.
        self.users: UsersSection | None = None
        if self._actor.can(USERS_MANAGE):
            self.users = UsersSection(self._ctx.auth, self._ctx.people, actor=self._actor)

        can_edit = self._actor.can("settings.edit")
        # Built only for those who may change it (it is saved with the other settings).
        self.site: SiteSection | None = SiteSection(self._ctx.site, actor=self._actor) if can_edit else None
        # The shifts and holidays are the site policy file's: written there, in force from the next start.
        self.shifts: ShiftsSection | None = None
        self.holidays: HolidaysSection | None = None
        if can_edit:
            self.shifts = ShiftsSection(self._ctx.site_policy, self._ctx.policy, actor=self._actor)
            self.holidays = HolidaysSection(self._ctx.site_policy, self._ctx.policy, actor=self._actor)
        self._policy_box.setVisible(can_edit)
        self._db_box.setVisible(can_edit)
        self.save_button.setVisible(can_edit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.saved_label, 1)
        # The sections scroll when the screen is too low for all of them (1366×768, 150 % scaling).
        content = QWidget()
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        QVBoxLayout(self).addWidget(scroll)
        layout = QVBoxLayout(content)
        layout.addWidget(self._title)
        layout.addWidget(self._lang_box)
        if self.site is not None:
            layout.addWidget(self.site)
        layout.addWidget(self._policy_box)
        for section in (self.shifts, self.holidays):
            if section is not None:
                layout.addWidget(section)
        layout.addWidget(self._db_box)
        layout.addLayout(bottom)
        layout.addWidget(self._backup_box)
        if self.users is not None:
            layout.addWidget(self.users, 1)
        layout.addStretch(1)

    def _connect_signals(self) -> None:
        self.language.currentIndexChanged.connect(self._on_language)
        self._browse_policy.clicked.connect(self._browse)
        self.check_policy.clicked.connect(self.run_policy_check)
        self.try_change.clicked.connect(self.try_policy_change)
        self.save_button.clicked.connect(self.save)
        bind_button(self.save_button, "settings.save")
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.restore)

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Settings") + "</h2>")
        self._lang_box.setTitle(_("Interface"))
        self._lang_label.setText(_("Language"))
        self._policy_box.setTitle(_("Policy (the department rulebook)"))
        source = self._ctx.policy.source
        if _same_file(source, default_policy_path()):
            text = _("In force: the shipped default")  # the file's path, where the program is, says nothing
        else:
            text = _("In force: {source}").format(source=source)
        self._policy_source.setToolTip(source)
        if self._ctx.policy_error is not None:
            text += "<br><span style='color:#b00020'>" + _("The site policy file was refused; the shipped default is in force.") + "</span>"
        self._policy_source.setText(text)
        self.policy_path.setPlaceholderText(_("Site policy file (TOML); empty: the shipped default"))
        self._browse_policy.setText(_("Browse…"))
        self.check_policy.setText(_("Check"))
        self.try_change.setText(_("Try a change…"))
        self._db_box.setTitle(_("Database"))
        self._db_current.setText(_("In use: {url}").format(url=self._ctx.db_url))
        self.db_location.setPlaceholderText(_("Path or URL; empty: the user data folder"))
        self.save_button.setText(_("Save"))
        self._backup_box.setTitle(_("Backups"))
        unsupported = self._ctx.backup.unsupported()
        if unsupported is None:
            self._backup_folder.setText(_("Backups are written to {folder}").format(folder=self._ctx.backup.backups_folder))
        else:
            self._backup_folder.setText(unsupported.message())
        self.backup_button.setText(_("Back up now…"))
        self.restore_button.setText(_("Restore from backup…"))
        self._browse_policy.setToolTip(_("Choose the site's policy file (TOML)"))
        self.check_policy.setToolTip(_("Check the policy file for mistakes without using it"))
        self.try_change.setToolTip(_("Try a change of the policy on a month and compare the results; nothing is written"))
        self.save_button.setToolTip(with_keys(_("Save the site, the policy file and the database location"), "settings.save"))
        self._update_backup_buttons()
        for section in (self.site, self.shifts, self.holidays, self.users):
            if section is not None:
                section.retranslate_ui()

    def _on_language(self) -> None:
        code = self.language.currentData()
        settings().setValue("language", code)
        self.language_changed.emit(code)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Policy file"), "", _("Policy (*.toml)"))
        if path:
            self.policy_path.setText(path)

    def run_policy_check(self) -> bool:
        path = self.policy_path.text().strip()
        if not path:
            self.policy_status.setText(_("The shipped default policy is valid."))
            return True
        try:
            check_file(Path(path))
        except PolicyError as exc:
            self.policy_status.setText("<span style='color:#b00020'>" + exc.message().replace("\n", "<br>") + "</span>")
            return False
        self.policy_status.setText(_("{file}: valid").format(file=path))
        return True

    def try_policy_change(self) -> None:
        """The what-if window: a change of the policy in force, tried on a month; nothing is written."""
        from csdesk.ui.dialogs.whatif_dialog import WhatIfDialog  # with QtCharts: loaded when first asked for

        WhatIfDialog(self._ctx, actor=self._actor, parent=self).exec()

    def save(self) -> None:
        if not self.run_policy_check():
            self.saved_label.setText(_("Not saved: fix the policy file first."))
            return
        if self.site is not None and not self.site.save():
            self.saved_label.setText(_("Not saved: fix the site's name or logo first."))
            return
        store = settings()
        store.setValue("policy_file", self.policy_path.text().strip())
        store.setValue("db", self.db_location.text().strip())
        self.saved_label.setText(_("Saved. The site's name prints from now on; the policy and database take effect at the next start."))

    # --- backups --------------------------------------------------------------------------

    def back_up(self) -> None:
        """Ask where (the default name in the backups folder), then copy in the background."""
        try:
            suggested = self._ctx.backup.default_backup_path()
        except CsdeskError as exc:
            show_error(self, exc)
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Back up the database"), str(suggested), _("csdesk backups (*.db)"))
        if not path:
            return
        target = Path(path) if Path(path).suffix else Path(path).with_suffix(".db")
        service, actor = self._ctx.backup, self._actor
        self._start(_("Backing up…"), lambda _job: service.backup(actor, target), self._backed_up)

    def restore(self) -> None:
        """Choose a backup, confirm, restore in the background; then csdesk must start again."""
        folder = str(self._ctx.backup.backups_folder)
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Restore from backup"), folder, _("csdesk backups (*.db);;All files (*)")
        )
        if not path:
            return
        question = _(
            "Replace all the data in the database with the backup {file}?\n\n"
            "A safety copy of the current data is made first, so this can be undone. "
            "csdesk closes when the restore is done."
        ).format(file=path)
        if not confirm(self, question, _("Restore from backup")):
            return
        service, actor = self._ctx.backup, self._actor
        # Nothing may be written while the data is replaced: the whole window waits for the answer.
        self.window().setEnabled(False)
        self._start(_("Restoring…"), lambda _job: service.restore(actor, Path(path)), self._restored)

    def _update_backup_buttons(self) -> None:
        """Disabled while a backup or restore runs, or where csdesk cannot back up (PostgreSQL is
        backed up on its server): the tooltip says which."""
        unsupported = self._ctx.backup.unsupported()
        why = (unsupported.message() if unsupported is not None
               else _("A backup or restore is under way; wait for it to finish") if self._backing_up else "")
        set_state(self.backup_button, _("Copy the whole database to a backup file now"), why)
        set_state(self.restore_button, _("Replace the data with a backup file (a safety copy is made first)"), why)

    def _start(self, status: str, op: Callable[[Job], object], done: Callable[[Any], None]) -> None:
        self._backing_up = True
        self._update_backup_buttons()
        self.backup_status.setText(status)
        self.job = run_in_background(op, done, self._backup_failed)

    def _finish(self, status: str) -> None:
        self.job = None
        self.window().setEnabled(True)
        self._backing_up = False
        self._update_backup_buttons()
        self.backup_status.setText(status)

    def _backed_up(self, result: BackupResult) -> None:
        text = _("Backup written: {path} ({size})").format(path=result.path, size=i18n.format_megabytes(result.bytes))
        self._finish(text)
        self.backup_written.emit(result)
        show_info(self, text, _("Back up the database"))

    def _restored(self, result: RestoreResult) -> None:
        self._finish(_("Restored from {file}.").format(file=result.source))
        self.database_restored.emit(result)
        kept = (
            _("Safety copy of the previous data: {path}").format(path=result.safety_copy)
            if result.safety_copy is not None
            else _("The database was damaged, so no safety copy could be made; the damaged file was kept as it was: {path}").format(
                path=result.damaged_copy
            )
        )
        show_info(
            self,
            _("Restored from {file}.").format(file=result.source)
            + "\n"
            + kept
            + "\n\n"
            + _("csdesk closes now. Start it again and sign in to work with the restored data."),
            _("Restore from backup"),
        )
        # Every open page shows the old data and the signed-in user may not exist any more:
        # close the main window (as File › Quit does), which ends the application.
        self.window().close()

    def _backup_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CsdeskError):
            self._finish("")
            raise exc  # a bug: to the exception hook
        self._finish(exc.message())
        show_error(self, exc)


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return SettingsPage(ctx, actor=actor)


def _same_file(source: str, path: Path) -> bool:
    try:
        return bool(source) and Path(source).resolve() == path.resolve()
    except OSError:
        return False
