"""The sign-in dialog shown at start."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk import i18n
from csdesk.i18n import _
from csdesk.services.auth import AuthService, LoginFailed
from csdesk.services.base import Actor


class LoginDialog(QDialog):
    """User name, password and the interface language; ``actor`` is set on success."""

    language_chosen = Signal(str)

    def __init__(self, auth: AuthService, *, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self.actor: Actor | None = None
        self._build_ui(language)
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self, language: str) -> None:
        self._title = QLabel()
        self._title.setObjectName("loginTitle")
        self._user = QLineEdit()
        self._user.setObjectName("username")
        self._password = QLineEdit()
        self._password.setObjectName("password")
        self._password.setEchoMode(QLineEdit.EchoMode.Password)
        self._language = QComboBox()
        for code in i18n.LANGUAGES:
            self._language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self._language.setCurrentIndex(max(0, self._language.findData(language)))
        self._error = QLabel()
        self._error.setObjectName("loginError")
        self._error.setStyleSheet("color: #b00020;")
        self._error.setWordWrap(True)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._labels = [QLabel(), QLabel(), QLabel()]
        self._form = QFormLayout()
        for label, field in zip(self._labels, (self._user, self._password, self._language), strict=True):
            label.setBuddy(field)
            self._form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(self._form)
        layout.addWidget(self._error)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(380)

    def _connect_signals(self) -> None:
        self._buttons.accepted.connect(self._try_login)
        self._buttons.rejected.connect(self.reject)
        self._language.currentIndexChanged.connect(self._on_language)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Sign in to csdesk"))
        self._title.setText("<b>" + _("Customer-service desk") + "</b>")
        for label, text in zip(self._labels, (_("&User name"), _("&Password"), _("&Language")), strict=True):
            label.setText(text)
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        self._buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _on_language(self) -> None:
        code = self._language.currentData()
        i18n.install(code)
        self.language_chosen.emit(code)
        self.retranslate_ui()

    def _try_login(self) -> None:
        try:
            self.actor = self._auth.login(self._user.text(), self._password.text())
        except LoginFailed as exc:
            self._error.setText(exc.message())
            self._password.selectAll()
            self._password.setFocus()
            return
        self.accept()
