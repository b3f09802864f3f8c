"""Log a complaint, enquiry, other contact or bad review; update its progress and status."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import _, format_datetime
from csdesk.services.base import Actor
from csdesk.callback_labels import CONTACT_KIND_NAMES, CONTACT_KINDS, CONTACT_STATUS_NAMES, CONTACT_STATUSES, SEVERITIES, SEVERITY_NAMES
from csdesk.services.callback_dto import (
    ContactInput,
    ContactView,
    MemberView,
)
from csdesk.services.callbacks import CallbackService
from csdesk.ui.callbacks.member_dialog import MemberPicker
from csdesk.ui.messages import error_label


class ContactDialog(QDialog):
    """A new contact: its callback is planned by the rules (same day, or message then phone)."""

    def __init__(self, service: CallbackService, *, actor: Actor, member: MemberView | None = None,
                 agent: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self.saved: ContactView | None = None
        self.member = MemberPicker(service, actor, member)
        self.kind = QComboBox()
        self.kind.setObjectName("contactKind")
        for code in CONTACT_KINDS:
            self.kind.addItem(_(CONTACT_KIND_NAMES[code]), code)
        self.agent = QComboBox()
        self.agent.setObjectName("contactAgent")
        for no, name in service.agent_names(actor):
            self.agent.addItem(f"{no} {name}", no)
        self.agent.setCurrentIndex(max(0, self.agent.findData(agent or (member.agent if member else None))))
        self.severity = QComboBox()
        self.severity.setObjectName("contactSeverity")
        for level in SEVERITIES:
            self.severity.addItem(_(SEVERITY_NAMES[level]), level)
        self.received = QDateTimeEdit(QDateTime(service.now()))
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.item = QLineEdit()
        self.item.setObjectName("contactItem")
        self.text = QPlainTextEdit()
        self.text.setFixedHeight(80)
        self.by_phone = QCheckBox()
        self.by_phone.setChecked(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self._labels = [QLabel() for _i in range(7)]
        form = QFormLayout()
        for label, widget in zip(self._labels, (self.member, self.kind, self.agent, self.severity, self.received, self.item, self.text), strict=True):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.by_phone)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Log a contact"))
        for label, text in zip(self._labels, (_("Member"), _("Type"), _("Owner"), _("Severity"), _("Received"), _("Item"), _("Details")), strict=True):
            label.setText(text)
        self.by_phone.setText(_("Came in by phone (logged as an incoming call; not counted in the quota)"))
        self._on_kind()

    def _on_kind(self, *_args: object) -> None:
        kind = self.kind.currentData()
        if kind in self._service.policy.callbacks.same_day_kinds:
            text = _("A callback is due today: answer the same day, or call with a firm time for the answer.")
        elif kind == "REVIEW":
            text = _("A message is due today; if the customer does not reply in time, a phone call follows.")
        else:
            text = _("Logged and tallied; no callback is planned.")
        self.hint.setText(text)
        self.by_phone.setEnabled(kind != "REVIEW")

    def save(self) -> None:
        member = self.member.member()
        if member is None:
            self.error.setText(_("Choose a member."))
            return
        received: datetime = self.received.dateTime().toPython()  # type: ignore[assignment]
        data = ContactInput(member_id=member.id, kind=self.kind.currentData(), agent=self.agent.currentData() or "",
                            received_at=received.replace(second=0, microsecond=0), severity=self.severity.currentData(),
                            item=self.item.text(), text=self.text.toPlainText(), by_phone=self.by_phone.isChecked())
        try:
            self.saved = self._service.log_contact(self._actor, data)
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()


class ContactUpdateDialog(QDialog):
    """Status and progress of a contact; for a bad review, when the customer replied."""

    def __init__(self, service: CallbackService, *, actor: Actor, contact: ContactView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._contact = contact
        self.saved: ContactView | None = None
        self._summary = QLabel()
        self._summary.setWordWrap(True)
        self.status = QComboBox()
        self.status.setObjectName("contactStatus")
        for code in CONTACT_STATUSES:
            self.status.addItem(_(CONTACT_STATUS_NAMES[code]), code)
        self.status.setCurrentIndex(max(0, self.status.findData(contact.status)))
        self.progress = QPlainTextEdit(contact.progress)
        self.progress.setObjectName("contactProgress")
        self.replied = QCheckBox()
        self.replied_at = QDateTimeEdit(QDateTime(contact.replied_at or service.now()))
        self.replied_at.setCalendarPopup(True)
        self.replied_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.replied.setChecked(contact.replied_at is not None)
        self.replied_at.setEnabled(self.replied.isChecked())
        self.replied.toggled.connect(self.replied_at.setEnabled)
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.replied)
        reply_row.addWidget(self.replied_at, 1)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self._labels = [QLabel(), QLabel()]
        form = QFormLayout()
        form.addRow(self._labels[0], self.status)
        form.addRow(self._labels[1], self.progress)
        layout = QVBoxLayout(self)
        layout.addWidget(self._summary)
        layout.addLayout(form)
        if contact.kind == "REVIEW":
            layout.addLayout(reply_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        c = self._contact
        self.setWindowTitle(_("Contact progress"))
        self._summary.setText(f"{_(CONTACT_KIND_NAMES.get(c.kind, c.kind))} — {c.member} · {format_datetime(c.received_at, 'short')}"
                              + (f"\n{c.item}" if c.item else ""))
        self._labels[0].setText(_("Status"))
        self._labels[1].setText(_("Progress"))
        self.replied.setText(_("The customer replied to our message at"))

    def save(self) -> None:
        replied: datetime | None = self.replied_at.dateTime().toPython() if self.replied.isChecked() else None  # type: ignore[assignment]
        try:
            self.saved = self._service.update_contact(self._actor, self._contact.id, self.status.currentData(),
                                                      self.progress.toPlainText(), replied, version=self._contact.version)
        except ValidationError as exc:
            self.error.setText(exc.message())
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()
