"""Approve a leave request: ask what its type and its notice require, and record exactly the answers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.i18n import _, format_date, format_number, ngettext
from csdesk.labels import LEAVE_NAMES, name_of
from csdesk.services.attendance import AttendanceService
from csdesk.services.attendance_types import LeaveRequest
from csdesk.services.base import Actor
from csdesk.ui.messages import stale_in_dialog


def asks_questions(request: LeaveRequest) -> bool:
    """Whether approving ``request`` needs answers: a certificate its type requires, or short notice."""
    return request.certificate_required or request.short_notice


def _days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=format_number(n))


def _notice_given(days: int) -> str:
    """Days filed ahead of the leave; a request filed after the leave began says so."""
    if days >= 0:
        return _days(days)
    late = -days
    return ngettext("filed {n} day after the leave began", "filed {n} days after the leave began", late).format(
        n=format_number(late)
    )


class ApproveLeaveDialog(QDialog):
    """The certificate the type requires (provided or not), and for short notice its acceptance
    with a note; approved through AttendanceService.decide_leave, which checks the answers.

    ``changed`` after the approval (``approved`` holds the request as stored), or when another PC
    changed the request meanwhile (``stale``): the caller reloads.
    """

    changed = Signal()

    def __init__(self, attendance: AttendanceService, request: LeaveRequest, *, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._attendance = attendance
        self._request = request
        self._actor = actor
        self.approved: LeaveRequest | None = None
        self.stale = False
        self._build_ui()
        self.buttons.accepted.connect(self._approve)
        self.buttons.rejected.connect(self.reject)
        self.accept_short.toggled.connect(self.note.setEnabled)

    def _build_ui(self) -> None:
        r = self._request
        self.setWindowTitle(_("Approve leave"))
        dates = format_date(r.start) if r.start == r.end else f"{format_date(r.start)} – {format_date(r.end)}"
        summary = QLabel(f"{r.name} ({r.employee_no}) · {name_of(LEAVE_NAMES, r.leave_type)} · {dates}")
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        self.certificate_box = QGroupBox(_("Certificate"))
        self.certificate = QCheckBox(_("Certificate provided"))
        self.certificate.setObjectName("approveCertificate")
        self.certificate.setChecked(r.certificate)  # as noted when it was filed; the approver confirms
        certificate_hint = QLabel(_("If it is not provided, it is due on return; without it the days count as absences."))
        certificate_hint.setWordWrap(True)
        box = QVBoxLayout(self.certificate_box)
        box.addWidget(self.certificate)
        box.addWidget(certificate_hint)
        self.certificate_box.setVisible(r.certificate_required)
        self.notice_box = QGroupBox(_("Short notice"))
        self.notice = QLabel(_("Notice required: {required}. Notice given: {given}.").format(
            required=_days(r.notice_days_required), given=_notice_given(r.notice_days_given)))
        self.notice.setObjectName("approveNotice")
        self.notice.setWordWrap(True)
        self.accept_short = QCheckBox(_("Accept the short notice"))
        self.accept_short.setObjectName("acceptShortNotice")
        self.note = QLineEdit()
        self.note.setObjectName("approveNote")
        self.note.setPlaceholderText(_("Why the short notice is accepted"))
        self.note.setEnabled(False)
        box = QVBoxLayout(self.notice_box)
        for widget in (self.notice, self.accept_short, self.note):
            box.addWidget(widget)
        self.notice_box.setVisible(r.short_notice)
        self.error = QLabel()
        self.error.setObjectName("approveError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Approve"))
        layout = QVBoxLayout(self)
        for widget in (summary, self.certificate_box, self.notice_box, self.error, self.buttons):
            layout.addWidget(widget)

    def _approve(self) -> None:
        r = self._request
        try:
            self.approved = self._attendance.decide_leave(
                self._actor, r.id, True,
                certificate=self.certificate.isChecked() if r.certificate_required else None,
                short_notice_accepted=r.short_notice and self.accept_short.isChecked(),
                note=self.note.text() if r.short_notice else "",
                version=r.version,
            )
        except StaleWrite as exc:
            stale_in_dialog(self, self.error, exc)
            self.changed.emit()
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.changed.emit()
        self.accept()
