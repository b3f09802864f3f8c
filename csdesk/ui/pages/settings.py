"""Settings: interface language, the site policy file, the database location."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk import i18n
from csdesk.context import AppContext
from csdesk.errors import PolicyError
from csdesk.i18n import _
from csdesk.services.base import Actor
from csdesk.services.policy_service import check_file
from csdesk.ui.qt_setup import settings


class SettingsPage(QWidget):
    """Language for everyone; policy and database for roles with ``settings.edit``."""

    language_changed = Signal(str)

    def __init__(self, ctx: AppContext, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
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

        can_edit = self._actor.can("settings.edit")
        self._policy_box.setVisible(can_edit)
        self._db_box.setVisible(can_edit)
        self.save_button.setVisible(can_edit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.saved_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._lang_box)
        layout.addWidget(self._policy_box)
        layout.addWidget(self._db_box)
        layout.addLayout(bottom)
        layout.addStretch(1)

    def _connect_signals(self) -> None:
        self.language.currentIndexChanged.connect(self._on_language)
        self._browse_policy.clicked.connect(self._browse)
        self.check_policy.clicked.connect(self.run_policy_check)
        self.save_button.clicked.connect(self.save)

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Settings") + "</h2>")
        self._lang_box.setTitle(_("Interface"))
        self._lang_label.setText(_("Language"))
        self._policy_box.setTitle(_("Policy (the department rulebook)"))
        source = self._ctx.policy.source
        text = _("In force: {source}").format(source=source)
        if self._ctx.policy_error is not None:
            text += "<br><span style='color:#b00020'>" + _("The site policy file was refused; the shipped default is in force.") + "</span>"
        self._policy_source.setText(text)
        self.policy_path.setPlaceholderText(_("Site policy file (TOML); empty: the shipped default"))
        self._browse_policy.setText(_("Browse…"))
        self.check_policy.setText(_("Check"))
        self._db_box.setTitle(_("Database"))
        self._db_current.setText(_("In use: {url}").format(url=self._ctx.db_url))
        self.db_location.setPlaceholderText(_("Path or URL; empty: the user data folder"))
        self.save_button.setText(_("Save"))

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

    def save(self) -> None:
        if not self.run_policy_check():
            self.saved_label.setText(_("Not saved: fix the policy file first."))
            return
        store = settings()
        store.setValue("policy_file", self.policy_path.text().strip())
        store.setValue("db", self.db_location.text().strip())
        self.saved_label.setText(_("Saved. The policy and database take effect at the next start."))
