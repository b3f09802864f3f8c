"""Change one's own password (File ▸ Change password…); errors are shown in the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.services.auth import AuthService
from csdesk.services.base import Actor


class PasswordDialog(QDialog):
    """Current password, the new one twice; accepted once the service has changed it."""

    def __init__(self, auth: AuthService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self._build_ui()
        self._buttons.accepted.connect(self._save)
        self._buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.old = self._password_field("oldPassword")
        self.new = self._password_field("newPassword")
        self.repeat = self._password_field("repeatPassword")
        self.error = QLabel()
        self.error.setObjectName("passwordError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._labels = [QLabel(), QLabel(), QLabel()]
        form = QFormLayout()
        for label, field in zip(self._labels, (self.old, self.new, self.repeat), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(360)

    @staticmethod
    def _password_field(name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Change password"))
        texts = (_("&Current password"), _("&New password"), _("&Repeat new password"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Change password"))
        self._buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _save(self) -> None:
        if self.new.text() != self.repeat.text():
            self._show_error(_("The new password and its repetition differ."), self.repeat)
            return
        try:
            self._auth.change_password(self._actor, self.old.text(), self.new.text())
        except CsdeskError as exc:
            field = self.old if getattr(exc, "field", "") == "old" else self.new
            self._show_error(exc.message(), field)
            return
        self.accept()

    def _show_error(self, message: str, field: QLineEdit) -> None:
        self.error.setText(message)
        field.selectAll()
        field.setFocus()
