"""An agent disputes their month's scorecard (the reason); the supervisor arbitrates a dispute
(upheld or changed, with a note). Errors are shown in the dialog; it closes once saved. The
dialogs of a quality inspection's response and arbitration (csdesk.ui.qa.disputes) share their base.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.audit_labels import DISPUTE_OUTCOME_NAMES
from csdesk.errors import CsdeskError, StaleWrite
from csdesk.i18n import _, format_datetime, format_month
from csdesk.models.domain_disputes import ScorecardResponse
from csdesk.services.base import Actor
from csdesk.services.disputes import DisputeService
from csdesk.ui.messages import stale_in_dialog

T = TypeVar("T")  # the response a dialog saves


def month_words(key: str) -> str:
    """``"2026-10"`` as the language names the month."""
    return format_month(int(key[:4]), int(key[5:]))


class TextDialog(QDialog, Generic[T]):
    """A form over a required text (the reason, the note) with an error line and OK / Cancel."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.saved: T | None = None
        self.stale = False  # the record changed on another PC (csdesk.ui.messages.stale_in_dialog)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setObjectName("disputeError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

    def _set_buttons(self, ok: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _save(self) -> None:
        try:
            self.saved = self._write(self.text.toPlainText())
        except StaleWrite as exc:
            stale_in_dialog(self, self.error, exc)
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            self.text.setFocus()
            return
        self.accept()

    def _write(self, text: str) -> T:
        raise NotImplementedError


class DisputeDialog(TextDialog[ScorecardResponse]):
    """The agent says why their month's scorecard is wrong; saved through DisputeService.dispute."""

    def __init__(self, disputes: DisputeService, *, actor: Actor, month: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._disputes, self._actor, self.month = disputes, actor, month
        self.text.setObjectName("disputeReason")
        self._caption = QLabel()
        self._caption.setWordWrap(True)
        self._reason_label = QLabel()
        self._reason_label.setBuddy(self.text)
        self.form.addRow(self._caption)
        self.form.addRow(self._reason_label, self.text)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Dispute the scorecard"))
        ask = _("Tell the supervisor what is wrong with your scorecard of {month}. They decide and answer you here.")
        self._caption.setText(ask.format(month=month_words(self.month)))
        self._reason_label.setText(_("&Reason"))
        self.text.setPlaceholderText(_("Reason (required)"))
        self._set_buttons(_("Dispute"))

    def _write(self, text: str) -> ScorecardResponse:
        return self._disputes.dispute(self._actor, self.month, text)


class ArbitrateDialog(TextDialog[ScorecardResponse]):
    """The supervisor decides one dispute: the scorecard is upheld or changed, and a note says why."""

    def __init__(
        self, disputes: DisputeService, dispute: ScorecardResponse, *, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._disputes, self._actor, self.dispute = disputes, actor, dispute
        self.text.setObjectName("arbitrationNote")
        self.outcome = QComboBox()
        self.outcome.setObjectName("arbitrationOutcome")
        for code in DISPUTE_OUTCOME_NAMES:
            self.outcome.addItem("", code)
        self._summary = QLabel()
        self._summary.setTextFormat(Qt.TextFormat.PlainText)  # the agent's own words
        self._summary.setWordWrap(True)
        self._labels = (QLabel(), QLabel())
        for label, field in zip(self._labels, (self.outcome, self.text), strict=True):
            label.setBuddy(field)
        self.form.addRow(self._summary)
        self.form.addRow(self._labels[0], self.outcome)
        self.form.addRow(self._labels[1], self.text)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        d = self.dispute
        self.setWindowTitle(_("Arbitrate a dispute"))
        self._summary.setText(
            _("{name} ({no}) disputes {month} ({when}):").format(
                name=d.name, no=d.employee_no, month=month_words(d.month), when=format_datetime(d.created_at, "short"))
            + "\n" + d.reason
        )  # fmt: skip
        for i, msgid in enumerate(DISPUTE_OUTCOME_NAMES.values()):
            self.outcome.setItemText(i, _(msgid))
        self._labels[0].setText(_("&Decision"))
        self._labels[1].setText(_("&Note for the agent"))
        self.text.setPlaceholderText(_("Why (required)"))
        self._set_buttons(_("Arbitrate"))

    def _write(self, text: str) -> ScorecardResponse:
        outcome = str(self.outcome.currentData())
        return self._disputes.arbitrate(self._actor, self.dispute.id, outcome, text, version=self.dispute.version)
