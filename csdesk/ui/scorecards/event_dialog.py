"""Record (or correct) an evaluation event: agent, code, points, note — Enter saves.

Agent and code are searchable: type part of the employee number or name, part of the code or
any word of its translated name (\"late\", \"迟到\"). Points are pre-filled with the code's
default and limited to its range. A correction also asks for the reason, which is kept.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.labels import event_label
from csdesk.models.domain_scorecards import AgentRecord, EventRecord
from csdesk.services.base import Actor
from csdesk.services.scorecards import ScorecardService


def searchable(combo: QComboBox) -> None:
    """Type any part of an item to find it (not only its beginning)."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)


def line_edit(combo: QComboBox) -> QLineEdit:
    """The text field of an editable combo box."""
    edit = combo.lineEdit()
    assert edit is not None, "the combo box is not editable"
    return edit


def resolve(combo: QComboBox) -> str | None:
    """The item the typed text names: an exact item, or the only item containing the text."""
    text = combo.currentText().strip().casefold()
    if not text:
        return None
    if combo.currentIndex() >= 0 and combo.itemText(combo.currentIndex()).casefold() == text:
        return str(combo.currentData())
    found = [i for i in range(combo.count()) if text in combo.itemText(i).casefold()]
    if len(found) != 1:
        return None
    combo.setCurrentIndex(found[0])
    return str(combo.currentData())


class EventDialog(QDialog):
    """New event (``event`` None) or correction of ``event`` (reason required)."""

    def __init__(
        self, service: ScorecardService, *, actor: Actor, agents: list[AgentRecord], first: date, last: date,
        employee_no: str | None = None, event: EventRecord | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._service, self._actor, self._event = service, actor, event
        self._agents, self._first, self._last = agents, first, last
        self.saved: EventRecord | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._fill(employee_no)

    def _build_ui(self) -> None:
        self.agent = QComboBox()
        self.agent.setObjectName("eventAgent")
        searchable(self.agent)
        self.code = QComboBox()
        self.code.setObjectName("eventCode")
        searchable(self.code)
        self.code.setMinimumWidth(420)
        self.points = QSpinBox()
        self.points.setObjectName("eventPoints")
        self.range_hint = QLabel()
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit()
        self.note.setObjectName("eventNote")
        self.reason = QLineEdit()
        self.reason.setObjectName("eventReason")
        self.error = QLabel()
        self.error.setObjectName("eventError")
        self.error.setStyleSheet("color: #b02a37")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.form = QFormLayout()
        fields: list[QWidget] = [self.agent, self.code, self.points, self.range_hint, self.day, self.note]
        if self._event is not None:
            fields.append(self.reason)
        self.labels = [QLabel() for _field in fields]
        for label, field in zip(self.labels, fields, strict=True):
            self.form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.code.currentIndexChanged.connect(self._code_changed)
        line_edit(self.code).editingFinished.connect(lambda: resolve(self.code))
        line_edit(self.agent).editingFinished.connect(lambda: resolve(self.agent))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Record an event") if self._event is None else _("Correct event {id}").format(id=self._event.id))
        texts = [_("Agent"), _("Code"), _("Points"), "", _("Date"), _("Note"), _("Reason for the correction")]
        for label, text in zip(self.labels, texts, strict=False):
            label.setText(text)
        self.note.setPlaceholderText(_("What happened (optional)"))
        line_edit(self.code).setPlaceholderText(_("Type a code or words of its name…"))

    def _fill(self, employee_no: str | None) -> None:
        for agent in self._agents:
            self.agent.addItem(f"{agent.employee_no} · {agent.name}", agent.employee_no)
        for code in self._service.recordable_codes():
            self.code.addItem(event_label(code.code), code.code)
        self.day.setDateRange(QDate(self._first), QDate(self._last))
        event = self._event
        if event is not None:
            employee_no = next((a.employee_no for a in self._agents if a.person_id == event.person_id), employee_no)
            self.agent.setEnabled(False)
            self.code.setCurrentIndex(max(0, self.code.findData(event.code)))
            self.points.setValue(event.points)
            self.day.setDate(QDate(event.day))
            self.note.setText(event.note)
        else:
            self.code.setCurrentIndex(-1)
            self.code.setEditText("")
            self.day.setDate(QDate(self._last))
        self.agent.setCurrentIndex(max(0, self.agent.findData(employee_no)) if employee_no else -1)
        if employee_no is None:
            self.agent.setEditText("")
        (self.code if employee_no else self.agent).setFocus()

    def _code_changed(self, _index: int) -> None:
        code = self.code.currentData()
        if not code:
            return
        event = self._service.policy.event(code)
        low, high = sorted((event.points_min, event.points_max))
        self.points.setRange(low, high)
        if self._event is None or code != self._event.code:
            self.points.setValue(event.default_points)
        self.points.setEnabled(low != high)
        self.range_hint.setText(_("{low} to {high} points").format(low=low, high=high) if low != high else "")

    def save(self) -> None:
        employee_no, code = resolve(self.agent), resolve(self.code)
        if not employee_no:
            self.error.setText(_("Pick an agent from the list."))
            return
        if not code:
            self.error.setText(_("Pick an event code from the list."))
            return
        picked = self.day.date()
        day = date(picked.year(), picked.month(), picked.day())
        try:
            if self._event is None:
                self.saved = self._service.record_event(self._actor, employee_no, day, code, self.points.value(), self.note.text())
            else:
                self.saved = self._service.correct_event(
                    self._actor, self._event.id, self.reason.text(), day=day, code=code, points=self.points.value(),
                    note=self.note.text(), version=self._event.version,
                )
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()
