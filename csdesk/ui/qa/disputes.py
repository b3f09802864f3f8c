"""Agents' responses to their quality inspections (issue 15), in words and dialogs: where the
agent stands on an inspection, the supervisor's list of the month's responses, the agent's
Acknowledge… / Dispute… dialog and the supervisor's Arbitrate… dialog. The dialogs share the
base of the month's dispute dialogs (csdesk.ui.dialogs.dispute_dialog) and read the same."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from csdesk.audit_labels import INSPECTION_OUTCOME_NAMES, INSPECTION_RESPONSE_NAMES
from csdesk.i18n import N_, _, format_datetime, format_iso_date, format_number
from csdesk.models.domain_disputes import ACKNOWLEDGED, InspectionResponse, ScorecardResponse
from csdesk.models.domain_qa import InspectionRecord
from csdesk.services.base import Actor
from csdesk.services.disputes import DisputeService
from csdesk.ui.dialogs.dispute_dialog import TextDialog
from csdesk.ui.table_model import ColumnSpec

OPEN_RED = QColor("#b02a37")  # an open dispute, as on the Scorecards page


def when_text(value: datetime | None) -> str:
    """When a response or a decision was made, short (the Quality and Scorecards pages' lists)."""
    return format_datetime(value, "short")


def decision_text(r: InspectionResponse | ScorecardResponse, names: Mapping[str, str] = INSPECTION_OUTCOME_NAMES) -> str:
    """The supervisor's decision in words, by ``names`` (an inspection's by default; a month's
    by DISPUTE_OUTCOME_NAMES): "awaiting the supervisor" while a dispute is open."""
    if r.outcome is None:
        return _("awaiting the supervisor") if r.is_open else ""
    return _(names.get(r.outcome, r.outcome))


def state_text(r: InspectionResponse | None) -> str:
    """Where the agent stands on the inspection, in one line (their latest response)."""
    if r is None:
        return _("Not acknowledged or disputed yet.")
    if r.kind == ACKNOWLEDGED:
        if r.reason:
            return _("Acknowledged on {when}: {comment}").format(when=when_text(r.created_at), comment=r.reason)
        return _("Acknowledged on {when}.").format(when=when_text(r.created_at))
    text = _("Disputed on {when}: {reason}").format(when=when_text(r.created_at), reason=r.reason)
    if r.outcome is None:
        return text + " — " + _("awaiting the supervisor's decision.")
    return text + " — " + _("{decision} by {who} on {when}: {note}").format(
        decision=decision_text(r), who=r.decided_by or "", when=when_text(r.decided_at), note=r.note)


def inspection_words(contact: str, day: date, score: Decimal) -> str:
    """An inspection in a sentence: its contact, day and score."""
    return _("the inspection of {contact} on {date} (score {score})").format(
        contact=contact, date=format_iso_date(day), score=format_number(score, 1))


# The supervisor's list of the month's responses to inspections (the Scorecards page's Disputes tab).
RESPONSE_COLUMNS: tuple[ColumnSpec[InspectionResponse], ...] = (
    ColumnSpec(N_("Employee no."), lambda r: r.employee_no),
    ColumnSpec(N_("Name"), lambda r: r.name),
    ColumnSpec(N_("Team"), lambda r: r.team or ""),
    ColumnSpec(N_("Contact"), lambda r: r.contact),
    ColumnSpec(N_("Inspected on"), lambda r: format_iso_date(r.inspected_on), lambda r: (r.inspected_on, r.id)),
    ColumnSpec(N_("Score"), lambda r: format_number(r.score, 1), lambda r: r.exact, align_right=True),
    ColumnSpec(N_("Response"), lambda r: _(INSPECTION_RESPONSE_NAMES.get(r.kind, r.kind))),
    ColumnSpec(N_("Date"), lambda r: when_text(r.created_at), lambda r: r.created_at),
    ColumnSpec(N_("Reason"), lambda r: r.reason, tooltip=lambda r: r.reason),
    ColumnSpec(N_("Decision"), decision_text, foreground=lambda r: OPEN_RED if r.is_open else None),
    ColumnSpec(N_("Decided by"), lambda r: r.decided_by or ""),
    ColumnSpec(N_("Note"), lambda r: r.note, tooltip=lambda r: r.note),
)


class InspectionResponseDialog(TextDialog[InspectionResponse]):
    """The agent acknowledges one of their inspections (a comment optional) or disputes it (the
    reason required); saved through DisputeService. ``latest``: the response the agent's screen
    shows (a response saved on another PC since refuses this one)."""

    def __init__(
        self, disputes: DisputeService, *, actor: Actor, inspection: InspectionRecord, dispute: bool,
        latest: InspectionResponse | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._disputes, self._actor, self.inspection, self.dispute = disputes, actor, inspection, dispute
        self._seen = latest.id if latest is not None else 0
        self.text.setObjectName("inspectionResponseText")
        self._caption = QLabel()
        self._caption.setWordWrap(True)
        self._text_label = QLabel()
        self._text_label.setBuddy(self.text)
        self.form.addRow(self._caption)
        self.form.addRow(self._text_label, self.text)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        i = self.inspection
        inspection = inspection_words(i.contact, i.inspected_on, i.score)
        if self.dispute:
            self.setWindowTitle(_("Dispute the inspection"))
            ask = _("Tell the supervisor what is wrong with {inspection}. They decide and answer you here.")
            self._text_label.setText(_("&Reason"))
            self.text.setPlaceholderText(_("Reason (required)"))
            self._set_buttons(_("Dispute"))
        else:
            self.setWindowTitle(_("Acknowledge the inspection"))
            ask = _("You have seen {inspection} and accept it.")
            self._text_label.setText(_("&Comment"))
            self.text.setPlaceholderText(_("Comment (optional)"))
            self._set_buttons(_("Acknowledge"))
        self._caption.setText(ask.format(inspection=inspection))

    def _write(self, text: str) -> InspectionResponse:
        if self.dispute:
            return self._disputes.dispute_inspection(self._actor, self.inspection.id, text, seen=self._seen)
        return self._disputes.acknowledge_inspection(self._actor, self.inspection.id, text, seen=self._seen)


class InspectionArbitrateDialog(TextDialog[InspectionResponse]):
    """The supervisor decides one dispute of an inspection: upheld or changed, and a note says why."""

    def __init__(
        self, disputes: DisputeService, dispute: InspectionResponse, *, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._disputes, self._actor, self.dispute = disputes, actor, dispute
        self.text.setObjectName("inspectionArbitrationNote")
        self.outcome = QComboBox()
        self.outcome.setObjectName("inspectionArbitrationOutcome")
        for code in INSPECTION_OUTCOME_NAMES:
            self.outcome.addItem("", code)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # the agent's own words
        self.summary.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self._labels = (QLabel(), QLabel())
        for label, field in zip(self._labels, (self.outcome, self.text), strict=True):
            label.setBuddy(field)
        self.form.addRow(self.summary)
        self.form.addRow(self._labels[0], self.outcome)
        self.form.addRow("", self.hint)
        self.form.addRow(self._labels[1], self.text)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        d = self.dispute
        self.setWindowTitle(_("Arbitrate a dispute"))
        self.summary.setText(
            _("{name} ({no}) disputes {inspection} ({when}):").format(
                name=d.name, no=d.employee_no, inspection=inspection_words(d.contact, d.inspected_on, d.score),
                when=when_text(d.created_at))
            + "\n" + d.reason
        )  # fmt: skip
        for i, msgid in enumerate(INSPECTION_OUTCOME_NAMES.values()):
            self.outcome.setItemText(i, _(msgid))
        # The QA area cannot re-score a saved inspection: "changed" is a decision only.
        self.hint.setText(
            _("Deciding the inspection changed records your decision: its answers and score stay as saved.")
        )
        self._labels[0].setText(_("&Decision"))
        self._labels[1].setText(_("&Note for the agent"))
        self.text.setPlaceholderText(_("Why (required)"))
        self._set_buttons(_("Arbitrate"))

    def _write(self, text: str) -> InspectionResponse:
        outcome = str(self.outcome.currentData())
        return self._disputes.arbitrate_inspection(
            self._actor, self.dispute.id, outcome, text, version=self.dispute.version
        )
