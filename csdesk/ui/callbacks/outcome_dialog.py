"""Record a call's outcome in one step: reached, busy → the agreed new time, no answer, wrong number, refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite, ValidationError
from csdesk.i18n import N_, _, format_iso_date
from csdesk.labels import OUTCOME_NAMES, name_of
from csdesk.rules.callbacks import BUSY_RESCHEDULED, NOTE_MESSAGE, REACHED
from csdesk.services.base import Actor
from csdesk.services.callback_dto import AgendaCall, OutcomeRecorded
from csdesk.services.callback_scripts import script_points
from csdesk.services.callbacks import CallbackService
from csdesk.ui.callbacks.models import kind_text
from csdesk.ui.messages import stale_in_dialog

# What each outcome does, shown under the choices (rules.apply_outcome).
_HINTS = {
    "REACHED": N_("The call is done."),
    "BUSY_RESCHEDULED": N_("The customer asked for another time: the call moves there; it is not failed."),
    "NO_ANSWER": N_("This attempt is closed and a retry is scheduled by the policy."),
    "WRONG_NUMBER": N_("The call is closed; correct the member's phone."),
    "REFUSED": N_("The call is closed."),
}


def script_html(call: AgendaCall) -> str:
    points = script_points(call.kind, call.retry_of, call.note)
    if not points:
        return "<i>" + escape(_("No script points for this call.")) + "</i>"
    return "<ul style='margin-left:-20px'>" + "".join(f"<li>{escape(p)}</li>" for p in points) + "</ul>"


class OutcomeDialog(QDialog):
    """Shows the call and its script points; one choice and Save records the attempt."""

    def __init__(self, service: CallbackService, *, actor: Actor, call: AgendaCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._call = call
        self.recorded: OutcomeRecorded | None = None
        self.stale = False  # another PC changed the call meanwhile: the page should reload
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self._summary = QLabel()
        self._summary.setWordWrap(True)
        self._script_box = QGroupBox()
        self._script = QLabel(script_html(self._call))
        self._script.setWordWrap(True)
        QVBoxLayout(self._script_box).addWidget(self._script)
        self._choices = QGroupBox()
        self.group = QButtonGroup(self)
        choice_layout = QVBoxLayout(self._choices)
        self.buttons_by_code: dict[str, QRadioButton] = {}
        for code in self._service.policy.callbacks.outcomes:
            button = QRadioButton()
            button.setObjectName(f"outcome_{code}")
            self.group.addButton(button)
            self.buttons_by_code[code] = button
            choice_layout.addWidget(button)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        choice_layout.addWidget(self.hint)
        self.new_time = QDateTimeEdit()
        self.new_time.setObjectName("newTime")
        self.new_time.setCalendarPopup(True)
        self.new_time.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.new_time.setDateTime(QDateTime(self._service.now() + timedelta(hours=2)))
        self.new_time.setEnabled(False)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("outcomeNotes")
        self.notes.setFixedHeight(70)
        self._form = QFormLayout()
        self._time_label = QLabel()
        self._notes_label = QLabel()
        self._form.addRow(self._time_label, self.new_time)
        self._form.addRow(self._notes_label, self.notes)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self._summary)
        layout.addWidget(self._script_box)
        layout.addWidget(self._choices)
        layout.addLayout(self._form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        if REACHED in self.buttons_by_code:
            self.buttons_by_code[REACHED].setChecked(True)

    def _connect_signals(self) -> None:
        self.group.buttonToggled.connect(self._on_choice)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        c = self._call
        self.setWindowTitle(_("Record the outcome"))
        self._summary.setText(
            f"<b>{escape(kind_text(c))}</b> — {escape(c.member)}{' ★ VIP' if c.vip else ''}<br>"
            + escape(_("Phone: {phone}").format(phone=c.phone)) + "<br>"
            + escape(_("Due: {due}").format(due=format_iso_date(c.due.date())))
        )
        self._script_box.setTitle(_("Script points"))
        self._choices.setTitle(_("Outcome"))
        for code, button in self.buttons_by_code.items():
            text = name_of(OUTCOME_NAMES, code)
            if code == REACHED and c.note == NOTE_MESSAGE:
                text += " — " + _("the message was sent")
            button.setText(text)
        self._time_label.setText(_("Agreed new time"))
        self._notes_label.setText(_("Notes"))
        self._on_choice()

    def outcome(self) -> str | None:
        for code, button in self.buttons_by_code.items():
            if button.isChecked():
                return code
        return None

    def _on_choice(self, *_args: object) -> None:
        code = self.outcome()
        self.new_time.setEnabled(code == BUSY_RESCHEDULED)
        self.hint.setText(_(_HINTS[code]) if code in _HINTS else "")

    def choose(self, code: str) -> None:
        self.buttons_by_code[code].setChecked(True)

    def save(self) -> None:
        code = self.outcome()
        if code is None:
            self.error.setText(_("Choose an outcome."))
            return
        new_time: datetime | None = self.new_time.dateTime().toPython() if code == BUSY_RESCHEDULED else None  # type: ignore[assignment]
        try:
            self.recorded = self._service.record_outcome(
                self._actor, self._call.id, code, self.notes.toPlainText(), new_time, version=self._call.version
            )
        except StaleWrite as exc:
            stale_in_dialog(self, self.error, exc)
            return
        except ValidationError as exc:
            self.error.setText(exc.message())
            if exc.field == "new_time":
                self.new_time.setFocus()
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()
