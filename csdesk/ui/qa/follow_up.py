"""Following a finding up (rules.md §10): feed it back to the agent and team lead, re-check it
with an outcome, or make a spot-check error a deduction on the scorecard (rules.md §5, M13)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.i18n import _, format_iso_date, format_signed
from csdesk.labels import event_label, name_of
from csdesk.models.domain_qa import FindingRecord
from csdesk.qa_labels import OUTCOME_NAMES, question_label
from csdesk.rules.qa import OUTCOMES, RESOLVED
from csdesk.services.base import Actor
from csdesk.services.qa import QAService
from csdesk.ui.messages import stale_in_dialog

ERROR_STYLE = "color: #b02a37"


def describe(finding: FindingRecord) -> str:
    """The finding in one line: agent, contact, day and question."""
    return _("{agent} · contact {contact} of {date} · {question}").format(
        agent=f"{finding.employee_no} {finding.name}", contact=finding.contact,
        date=format_iso_date(finding.inspected_on), question=question_label(finding.question))  # fmt: skip


class FindingDialog(QDialog):
    """A dialog about one finding: its description on top, an error line and Save / Cancel below.
    Save calls ``_write``; ``saved`` then holds the finding as saved, and ``stale`` is set when
    another PC changed it first."""

    def __init__(self, service: QAService, actor: Actor, finding: FindingRecord, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._service, self._actor, self.finding = service, actor, finding
        self.saved: FindingRecord | None = None
        self.stale = False
        self.summary = QLabel(describe(finding))
        self.summary.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        try:
            self.saved = self._write()
        except StaleWrite as exc:
            stale_in_dialog(self, self.error, exc)
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()

    def _write(self) -> FindingRecord:
        """Make the change through the service; the finding as saved."""
        raise NotImplementedError

    def done_text(self, saved: FindingRecord) -> str:
        """What was done, in words, for the page's message line."""
        raise NotImplementedError


class FollowUpDialog(FindingDialog):
    """Feed a finding back (``recheck`` False) or re-check it with an outcome and a day, with a note."""

    def __init__(self, service: QAService, *, actor: Actor, finding: FindingRecord, recheck: bool, today: date,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(service, actor, finding, parent)
        self._recheck = recheck
        self.outcomes: dict[str, QRadioButton] = {}
        self.day = QDateEdit(QDate(today))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDateRange(QDate(finding.inspected_on), QDate(today))
        self.note = QPlainTextEdit(finding.note)
        self.note.setObjectName("followUpNote")
        self.note.setMaximumHeight(90)
        if recheck:
            choices = QHBoxLayout()
            group = QButtonGroup(self)
            for outcome in OUTCOMES:
                button = QRadioButton(name_of(OUTCOME_NAMES, outcome))
                button.setObjectName(f"outcome_{outcome}")
                group.addButton(button)
                choices.addWidget(button)
                self.outcomes[outcome] = button
            self.outcomes[RESOLVED].setChecked(True)
            self.form.addRow(_("Outcome"), choices)
            self.form.addRow(_("Re-checked on"), self.day)
        self.form.addRow(_("Note"), self.note)
        self.setWindowTitle(_("Re-check the finding") if recheck else _("Feed the finding back"))
        hint = _("Re-check whether the agent put it right.") if recheck else _(
            "The finding was fed back to the agent and their team lead.")
        self.summary.setText(f"{describe(finding)}\n{hint}")

    def _write(self) -> FindingRecord:
        version, note = self.finding.version, self.note.toPlainText()
        if not self._recheck:
            return self._service.feed_back(self._actor, self.finding.id, note, version=version)
        outcome = next(code for code, button in self.outcomes.items() if button.isChecked())
        picked = self.day.date()
        day = date(picked.year(), picked.month(), picked.day())
        return self._service.recheck(self._actor, self.finding.id, outcome, note, day=day, version=version)

    def done_text(self, saved: FindingRecord) -> str:
        if self._recheck:
            return _("Finding {question} of {agent} re-checked: {outcome}.").format(
                question=saved.question, agent=saved.employee_no, outcome=name_of(OUTCOME_NAMES, saved.outcome or ""))
        return _("Finding {question} of {agent} fed back.").format(question=saved.question, agent=saved.employee_no)


class DeductionDialog(FindingDialog):
    """Confirm that a spot-check error becomes a deduction on the agent's scorecard, with its
    points inside the code's range (the smallest by default)."""

    def __init__(self, service: QAService, *, actor: Actor, finding: FindingRecord, parent: QWidget | None = None) -> None:
        super().__init__(service, actor, finding, parent)
        event = service.policy.event(service.policy.qa.spot_check_event)
        low, high = sorted((event.points_min, event.points_max))
        self.points = QSpinBox()
        self.points.setObjectName("deductionPoints")
        self.points.setRange(low, high)
        self.points.setValue(event.default_points)
        self.points.setEnabled(low != high)
        self.form.addRow(_("Points"), self.points)
        self.setWindowTitle(_("Make it a deduction"))
        self.summary.setText(describe(finding) + "\n" + _(
            "Record {event} on {date} on the agent's scorecard? This is done once per finding.").format(
            event=event_label(event.code), date=format_iso_date(finding.inspected_on)))  # fmt: skip

    def _write(self) -> FindingRecord:
        return self._service.deduct_spot_check(self._actor, self.finding.id, self.points.value(),
                                               version=self.finding.version)  # fmt: skip

    def done_text(self, saved: FindingRecord) -> str:
        return _("{event}, {points} points, recorded for {agent} ({question}).").format(
            event=event_label(self._service.policy.qa.spot_check_event), points=format_signed(self.points.value()),
            agent=saved.employee_no, question=question_label(saved.question))  # fmt: skip
