"""The desk locks after idle minutes (policy ``security.idle_lock_minutes``, issue #12).

An application-wide event filter restarts a single-shot timer on every keyboard, mouse, wheel or
touch input; when it runs out the main window is covered and :class:`LockDialog` asks the signed-in
user's password again, through ``AuthService.login`` (so failures count towards the lockout and
are audited). The window underneath is only covered, never rebuilt: unlocking keeps every page
as it was.

The application's other windows are put out of sight too (:class:`CoveredWindows`): a person
dialog or a message box left open would otherwise show personnel data and scores, and take
input, beside the lock. Modeless windows are hidden. A modal dialog is veiled instead: hiding a
QDialog ends its ``exec()`` (QDialog::setVisible(false) exits the dialog's event loop, so the
caller would go on as if Cancel had been pressed), so it stays shown but covered, disabled and
untitled until the unlock, and its ``exec()`` goes on waiting for the person's answer.
"""

from __future__ import annotations

from typing import TypeGuard

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from csdesk.i18n import _
from csdesk.records import record
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


# Windows that come and go with what they belong to: closed or ignored, never veiled.
_TRANSIENT = frozenset({Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.Desktop})


@record
class _Veiled:
    window: QWidget
    veil: QWidget
    title: str
    focus: QWidget | None
    disabled_by_lock: bool


def _alive(widget: QWidget | None) -> TypeGuard[QWidget]:
    return widget is not None and shiboken6.isValid(widget)


class CoveredWindows(QObject):
    """Puts every other window of the application out of sight while the desk is locked, and
    brings each back as it was on the unlock (see the module docstring for why modal dialogs
    are veiled rather than hidden). Windows that open while locked are veiled as they show."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keep: tuple[QWidget, ...] = ()
        self._hidden: list[QWidget] = []
        self._veiled: list[_Veiled] = []
        self._active: QWidget | None = None

    def hidden(self) -> list[QWidget]:
        return [w for w in self._hidden if _alive(w)]

    def veiled(self) -> list[QWidget]:
        return [v.window for v in self._veiled if _alive(v.window)]

    def cover(self, *keep: QWidget) -> None:
        """Hide or veil every visible window except ``keep`` (the locked window, its lock dialog)."""
        self._keep = keep
        self._active = QApplication.activeWindow()
        for _attempt in range(10):  # menus and drop-down lists close (a menu's exec() returns None)
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        QToolTip.hideText()
        for window in QApplication.topLevelWidgets():
            if not self._concerns(window) or not window.isVisible():
                continue
            if window.isModal():  # may be inside exec(): hiding it would end that
                self._veil(window)
            else:
                window.hide()
                self._hidden.append(window)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uncover(self) -> None:
        """The unlock: every window as it was, the one in use active again."""
        self._stop()
        for window in self.hidden():
            window.show()
        for veiled in self._veiled:
            if not _alive(veiled.window):
                continue
            window = veiled.window
            window.removeEventFilter(self)
            window.setWindowTitle(veiled.title)
            if veiled.disabled_by_lock:
                window.setEnabled(True)
            if _alive(veiled.veil):
                veiled.veil.hide()
                veiled.veil.deleteLater()
            if _alive(veiled.focus) and veiled.focus.isEnabled():
                veiled.focus.setFocus()  # disabling the window took the focus from it
        active = self._active
        covered = self.hidden() + self.veiled()
        if _alive(active) and active.isVisible() and any(active is w for w in covered):
            active.raise_()  # the dialog in use when the desk locked, not the window the lock leaves
            active.activateWindow()
        self._forget()

    def abandon(self) -> None:
        """Sign-out (or the locked window closing) instead of the unlock: nothing is shown
        again; veiled dialogs are answered Cancel, so each waiting ``exec()`` returns (nothing in
        them is saved)."""
        self._stop()
        for veiled in self._veiled:
            if _alive(veiled.window):
                veiled.window.removeEventFilter(self)
                if isinstance(veiled.window, QDialog):
                    veiled.window.reject()
        self._forget()

    def _concerns(self, window: QWidget) -> bool:
        return (
            window.isWindow()
            and window.windowType() not in _TRANSIENT
            and not any(window is kept for kept in self._keep)
            and not any(window is v.window for v in self._veiled)
        )

    def _veil(self, window: QWidget) -> None:
        veil = QWidget(window)
        veil.setObjectName("lockVeil")
        veil.setAutoFillBackground(True)  # opaque: nothing of the dialog shows through
        veil.setGeometry(window.rect())
        veil.show()
        veil.raise_()
        focus = window.focusWidget()
        disabled_by_lock = not window.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
        if disabled_by_lock:
            window.setEnabled(False)  # no typing into, or clicking, what the veil covers
        title = window.windowTitle()
        window.setWindowTitle(_("csdesk is locked"))  # a title may name the person
        window.installEventFilter(self)
        self._veiled.append(_Veiled(window, veil, title, focus, disabled_by_lock))

    def _stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _forget(self) -> None:
        self._keep, self._hidden, self._veiled, self._active = (), [], [], None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and self._concerns(watched):
            self._veil(watched)  # opened while locked (a background job's message, say)
        elif kind in (QEvent.Type.Resize, QEvent.Type.Close):
            for veiled in self._veiled:
                if watched is veiled.window:
                    if kind == QEvent.Type.Close:  # the window manager's close button: not while locked
                        event.ignore()
                        return True
                    if _alive(veiled.veil):
                        veiled.veil.setGeometry(veiled.window.rect())
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
