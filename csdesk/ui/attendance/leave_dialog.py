"""File a leave request: who, which type, which days (or hours), why."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import _
from csdesk.labels import LEAVE_NAMES, name_of
from csdesk.services.attendance import AttendanceService
from csdesk.services.attendance_types import LeaveRequest
from csdesk.services.base import Actor


def _date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class LeaveDialog(QDialog):
    """Saved through AttendanceService.file_leave; the request waits for approval."""

    def __init__(
        self,
        attendance: AttendanceService,
        *,
        actor: Actor,
        people: list[tuple[str, str]],
        employee_no: str | None = None,
        day: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._attendance = attendance
        self._actor = actor
        self.saved: LeaveRequest | None = None
        self.setWindowTitle(_("File leave"))
        self.person = QComboBox()
        self.person.setObjectName("leavePerson")
        for no, name in people:
            self.person.addItem(f"{no} {name}", no)
        if employee_no:
            self.person.setCurrentIndex(max(0, self.person.findData(employee_no)))
        self.leave_type = QComboBox()
        self.leave_type.setObjectName("leaveType")
        for code in attendance.policy.leave_codes:
            self.leave_type.addItem(f"{name_of(LEAVE_NAMES, code)} ({code})", code)
        start = day or attendance.now().date()
        self.start = _date_edit(start)
        self.end = _date_edit(start)
        self.part_day = QCheckBox(_("Part of one day"))
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.5, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(1)
        self.hours.setEnabled(False)
        self.reason = QLineEdit()
        self.reason.setObjectName("leaveReason")
        self.certificate = QCheckBox(_("Certificate provided"))
        # What sets a marriage or maternity entitlement (rules.md §3); shown for those types only.
        self.event_date = _date_edit(start)
        self.event_label = QLabel()
        self.remarriage = QCheckBox(_("Remarriage"))
        self.difficult = QCheckBox(_("Difficult birth"))
        self.babies = QSpinBox()
        self.babies.setRange(1, 6)
        self.babies_label = QLabel(_("Babies"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Employee"), self.person)
        form.addRow(_("Type"), self.leave_type)
        form.addRow(_("From"), self.start)
        form.addRow(_("To"), self.end)
        form.addRow(self.part_day, self.hours)
        form.addRow(_("Reason"), self.reason)
        form.addRow("", self.certificate)
        form.addRow(self.event_label, self.event_date)
        form.addRow("", self.remarriage)
        form.addRow("", self.difficult)
        form.addRow(self.babies_label, self.babies)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.part_day.toggled.connect(self.hours.setEnabled)
        self.part_day.toggled.connect(lambda on: self.end.setEnabled(not on))
        self.leave_type.currentIndexChanged.connect(self._show_details)
        self._show_details()
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

    def _show_details(self) -> None:
        code = self.leave_type.currentData()
        marriage, maternity = code == "MARRIAGE", code == "MATERNITY"
        self.event_label.setText(_("Date of the marriage") if marriage else _("Date of the birth"))
        for widget in (self.event_label, self.event_date):
            widget.setVisible(marriage or maternity)
        self.remarriage.setVisible(marriage)
        for widget in (self.difficult, self.babies, self.babies_label):
            widget.setVisible(maternity)

    def _save(self) -> None:
        start: date = self.start.date().toPython()  # type: ignore[assignment]
        end: date = start if self.part_day.isChecked() else self.end.date().toPython()  # type: ignore[assignment]
        try:
            self.saved = self._attendance.file_leave(
                self._actor,
                self.person.currentData(),
                self.leave_type.currentData(),
                start,
                end,
                hours=self.hours.value() if self.part_day.isChecked() else None,
                reason=self.reason.text(),
                certificate=self.certificate.isChecked(),
                event_date=self.event_date.date().toPython() if self.event_date.isVisibleTo(self) else None,  # type: ignore[arg-type]
                remarriage=self.remarriage.isChecked(),
                difficult_birth=self.difficult.isChecked(),
                babies=self.babies.value(),
            )
        except (ValidationError, CsdeskError) as exc:
            self.error.setText(exc.message())
            return
        self.accept()
