"""Showing expected errors to the user, and the last-resort handler for bugs."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from csdesk.errors import CsdeskError
from csdesk.i18n import _

log = logging.getLogger("csdesk")


def show_error(parent: QWidget | None, error: CsdeskError | str, title: str | None = None) -> None:
    text = error.message() if isinstance(error, CsdeskError) else error
    QMessageBox.warning(parent, title or _("csdesk"), text)


def show_info(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or _("csdesk"), text)


def confirm(parent: QWidget | None, text: str, title: str | None = None) -> bool:
    answer = QMessageBox.question(parent, title or _("csdesk"), text)
    return answer == QMessageBox.StandardButton.Yes


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
