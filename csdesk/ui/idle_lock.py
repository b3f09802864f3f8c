"""The desk locks after idle minutes (policy ``security.idle_lock_minutes``, issue #12).

An application-wide event filter restarts a single-shot timer on every keyboard, mouse, wheel or
touch input; when it runs out the main window is covered and :class:`LockDialog` asks the signed-in
user's password again, through ``AuthService.login`` (so failures count towards the lockout and
are audited). The window underneath is only covered, never rebuilt: unlocking keeps every page
as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.i18n import _
from csdesk.services.auth import AuthService, LoginFailed
from csdesk.services.base import Actor

# What counts as a person at the desk: input, not the paints and timers of a window left alone.
_INPUT = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
})  # fmt: skip


class IdleWatcher(QObject):
    """Emits ``idle`` after ``interval_ms`` without input anywhere in the application (0: never)."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(0, interval_ms))
        self._timer.timeout.connect(self.idle.emit)
        self.enabled = interval_ms > 0
        app = QApplication.instance()
        if self.enabled and app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval() if self.enabled else 0

    def start(self) -> None:
        if self.enabled:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Restart only while counting: input typed into the lock dialog must not start it again.
        if event.type() in _INPUT and self._timer.isActive():
            self._timer.start()
        return False


class LockDialog(QDialog):
    """"csdesk is locked": the signed-in user's password unlocks (``unlocked`` with the actor the
    sign-in returned); "Sign out" gives up the session (``sign_out_chosen``)."""

    unlocked = Signal(object)  # Actor
    sign_out_chosen = Signal()

    def __init__(self, auth: AuthService, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self.setObjectName("lockDialog")
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self._message = QLabel()
        self._message.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self._password_label = QLabel()
        self._password_label.setBuddy(self.password)
        self.error = QLabel()
        self.error.setObjectName("lockError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self._buttons = QDialogButtonBox()
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("lockSignOut")
        self.sign_out_button.setAutoDefault(False)
        self._buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self._buttons.addButton(self.sign_out_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        form = QFormLayout()
        form.addRow(self._password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self._message)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(380)

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self.try_unlock)
        self.sign_out_button.clicked.connect(self._sign_out)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("csdesk is locked"))
        self._message.setText(
            _("The desk was locked after a while without use. {user}, type your password to go on where you left off.").format(
                user=self._actor.username
            )
        )
        self._password_label.setText(_("&Password"))
        self.unlock_button.setText(_("Unlock"))
        self.sign_out_button.setText(_("Sign out"))

    def try_unlock(self) -> None:
        try:
            actor = self._auth.login(self._actor.username, self.password.text())
        except LoginFailed as exc:
            self.error.setText(exc.message())
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.error.clear()
        self.accept()
        self.unlocked.emit(actor)

    def _sign_out(self) -> None:
        self.password.clear()
        self.accept()
        self.sign_out_chosen.emit()

    def reject(self) -> None:
        """Escape does not unlock: only the password or signing out ends the lock."""
