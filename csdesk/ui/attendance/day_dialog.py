"""One agent's day: punches, status, and what the supervisor can do about it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.i18n import N_, _, format_time
from csdesk.services.attendance import AttendanceService
from csdesk.services.attendance_types import AgentDay, AgentMonth, LeaveRequest, PunchCorrection
from csdesk.services.base import Actor
from csdesk.ui.attendance.approve_leave_dialog import ApproveLeaveDialog, asks_questions
from csdesk.ui.attendance.grid_model import day_tooltip
from csdesk.ui.messages import offer_reload

LOCKED_DAY = N_("This month is signed off (locked): nothing in it can change. A supervisor can reopen it on the Scorecards page.")


class DayDialog(QDialog):
    """Shows the day; corrects a punch with a reason; files, approves or rejects leave."""

    changed = Signal()
    file_leave_requested = Signal(str, object)  # employee_no, date

    def __init__(
        self,
        attendance: AttendanceService,
        *,
        actor: Actor,
        agent: AgentMonth,
        day: AgentDay,
        pending: list[LeaveRequest],
        locked: bool = False,
        corrections: Sequence[PunchCorrection] = (),
        user_names: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``corrections``: the approved corrections of a corrected day; ``user_names``: sign-in
        name → person's name, to say who filed and approved them."""
        super().__init__(parent)
        self._attendance = attendance
        self._actor = actor
        self._agent = agent
        self._day = day
        self.setWindowTitle(_("{name} on {day}").format(name=agent.name, day=day.day.isoformat()))
        self.summary = QLabel(day_tooltip(day).replace("\n", "<br>"))
        self.summary.setObjectName("daySummary")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        if corrections:
            layout.addWidget(self._corrections_box(corrections, user_names or {}))

        can_approve = actor.can("attendance.approve")
        self.fix_box = QGroupBox(_("Correct a punch"))
        self.fix_time = QTimeEdit(QTime(18, 0))
        self.fix_time.setDisplayFormat("HH:mm")
        self.fix_reason = QLineEdit()
        self.fix_reason.setObjectName("fixReason")
        self.fix_reason.setPlaceholderText(_("Reason (required)"))
        self.fix_button = QPushButton(_("Add corrected punch") if can_approve else _("Request correction"))
        self.fix_button.setObjectName("addCorrection")
        fix_form = QFormLayout(self.fix_box)
        fix_form.addRow(_("Time"), self.fix_time)
        fix_form.addRow(_("Reason"), self.fix_reason)
        fix_form.addRow("", self.fix_button)
        self.swap_button = QPushButton(_("Left without an arranged swap"))
        self.swap_button.setObjectName("unarrangedSwap")
        self.swap_button.setToolTip(_("Records the deduction for leaving the shift without an arranged swap; uses the reason above."))
        self.swap_button.setVisible(can_approve and bool(day.shift))
        fix_form.addRow("", self.swap_button)
        layout.addWidget(self.fix_box)

        self.leave_buttons: dict[int, tuple[QPushButton, QPushButton]] = {}
        if pending:
            box = QGroupBox(_("Pending leave"))
            rows = QVBoxLayout(box)
            for request in pending:
                line = QHBoxLayout()
                line.addWidget(QLabel(f"{request.leave_type} {request.start.isoformat()} – {request.end.isoformat()} {request.reason}"), 1)
                approve, reject = QPushButton(_("Approve")), QPushButton(_("Reject"))
                approve.setObjectName(f"approve_{request.id}")
                approve.setEnabled(can_approve)
                reject.setEnabled(can_approve)
                approve.clicked.connect(lambda _c=False, r=request: self._approve(r))
                reject.clicked.connect(lambda _c=False, r=request: self._decide(r.id, False, r.version))
                line.addWidget(approve)
                line.addWidget(reject)
                rows.addLayout(line)
                self.leave_buttons[request.id] = (approve, reject)
            layout.addWidget(box)
        self.leave_button = QPushButton(_("File leave for this day…"))
        layout.addWidget(self.leave_button)
        layout.addWidget(self.error)
        if locked:  # a signed-off month takes no change: no edit controls, and why
            for widget in (self.fix_box, self.leave_button, *(b for pair in self.leave_buttons.values() for b in pair)):
                widget.hide()
            self.error.setStyleSheet("color: palette(window-text);")  # a note, not an error
            self.error.setText(_(LOCKED_DAY))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fix_button.clicked.connect(self._correct)
        self.swap_button.clicked.connect(self._unarranged_swap)
        self.leave_button.clicked.connect(self._file_leave)

    def _corrections_box(self, corrections: Sequence[PunchCorrection], user_names: Mapping[str, str]) -> QGroupBox:
        box = QGroupBox(_("Corrected punches"))
        lines = QVBoxLayout(box)
        for c in corrections:
            filed_by = user_names.get(c.requested_by, c.requested_by)
            approved_by = user_names.get(c.decided_by or "", c.decided_by or "")
            if approved_by in ("", filed_by):
                who = _("entered by {name}").format(name=filed_by)
            else:
                who = _("filed by {filed_by}, approved by {approved_by}").format(filed_by=filed_by, approved_by=approved_by)
            line = QLabel(f"{format_time(c.at)} · {c.reason} · {who}")
            line.setTextFormat(Qt.TextFormat.PlainText)  # the reason is typed text
            line.setWordWrap(True)
            lines.addWidget(line)
        box.setObjectName("dayCorrections")
        return box

    def _correct(self) -> None:
        t = self.fix_time.time()
        at = datetime(self._day.day.year, self._day.day.month, self._day.day.day, t.hour(), t.minute())
        try:
            self._attendance.request_correction(self._actor, self._agent.employee_no, self._day.day, at, self.fix_reason.text())
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.changed.emit()
        self.accept()

    def _unarranged_swap(self) -> None:
        try:
            self._attendance.mark_unarranged_swap(self._actor, self._agent.employee_no, self._day.day, self.fix_reason.text())
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.changed.emit()
        self.accept()

    def _approve(self, request: LeaveRequest) -> None:
        """Approve at once, or first ask what the request needs answered."""
        if not asks_questions(request):
            self._decide(request.id, True, request.version)
            return
        self.approve_dialog = ApproveLeaveDialog(self._attendance, request, actor=self._actor, parent=self)
        self.approve_dialog.changed.connect(self._decided)
        self.approve_dialog.open()

    def _decided(self) -> None:
        self.changed.emit()
        self.accept()

    def _decide(self, leave_id: int, approve: bool, version: int | None = None) -> None:
        try:
            self._attendance.decide_leave(self._actor, leave_id, approve, version=version)
        except StaleWrite as exc:
            self.error.setText(exc.message())
            if offer_reload(self, exc):
                self.changed.emit()
                self.reject()
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self._decided()

    def _file_leave(self) -> None:
        self.file_leave_requested.emit(self._agent.employee_no, self._day.day)
        self.accept()
