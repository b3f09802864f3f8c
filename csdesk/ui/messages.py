"""Showing expected errors to the user, and the last-resort handler for bugs."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.i18n import _

log = logging.getLogger("csdesk")

ERROR_STYLE = "color: #b00020;"  # what a form says is wrong, under the form


def error_label(name: str = "formError") -> QLabel:
    """The red, wrapping line where a form or section says what it refused."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def show_error(parent: QWidget | None, error: CsdeskError | str, title: str | None = None) -> None:
    text = error.message() if isinstance(error, CsdeskError) else error
    QMessageBox.warning(parent, title or _("csdesk"), text)


def show_failure(parent: QWidget | None, error: CsdeskError, reload: Callable[[], None]) -> None:
    """``show_error``, except that a record changed on another PC (StaleWrite) is offered for
    reloading, and ``reload`` runs when the person accepts."""
    if isinstance(error, StaleWrite):
        if offer_reload(parent, error):
            reload()
        return
    show_error(parent, error)


def show_info(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or _("csdesk"), text)


def confirm(parent: QWidget | None, text: str, title: str | None = None) -> bool:
    answer = QMessageBox.question(parent, title or _("csdesk"), text)
    return answer == QMessageBox.StandardButton.Yes


def offer_reload(parent: QWidget | None, error: StaleWrite) -> bool:
    """Someone else changed the record on another PC: say who, when and what; True when the
    person chooses to reload it (nothing of theirs was saved)."""
    box = QMessageBox(QMessageBox.Icon.Information, _("Changed by someone else"), error.message(), parent=parent)
    reload = box.addButton(_("Reload"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload)
    box.exec()
    return box.clickedButton() is reload


def stale_in_dialog(dialog: QDialog, label: QLabel, error: StaleWrite) -> None:
    """A dialog's save met a record someone else changed: say so in the dialog's error label, mark
    the dialog ``stale`` (its page reloads) and close it when the person chooses to reload."""
    label.setText(error.message())
    dialog.stale = True  # type: ignore[attr-defined]
    if offer_reload(dialog, error):
        dialog.reject()


def install_excepthook() -> None:
    """Bugs are logged and shown once as 'something went wrong', not swallowed."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        log.error("unhandled exception\n%s", text)
        if sys.__stderr__:
            sys.__stderr__.write(text)
        box = QMessageBox(QMessageBox.Icon.Critical, _("Something went wrong"), _("csdesk hit an unexpected error. Your saved data is safe; the last action may not have completed."))
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook
