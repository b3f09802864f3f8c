"""Agents' responses to their month's scorecard (issue 15): the line on a scorecard that says
where the agent stands, with Acknowledge and Dispute… on their own card, and the supervisor's
list of the month's responses with Arbitrate…; below it, the responses to the month's quality
inspections, with Arbitrate… too (the agents respond on the Quality page)."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.audit_labels import DISPUTE_OUTCOME_NAMES, RESPONSE_KIND_NAMES
from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, ngettext
from csdesk.models.domain_disputes import ACKNOWLEDGED, InspectionResponse, ScorecardResponse
from csdesk.services.base import Actor
from csdesk.services.disputes import DisputeService
from csdesk.services.qa import VIEW as QA_VIEW
from csdesk.ui.dialogs.dispute_dialog import ArbitrateDialog, DisputeDialog
from csdesk.ui.messages import show_error, show_failure
from csdesk.ui.qa.disputes import RESPONSE_COLUMNS as INSPECTION_RESPONSE_COLUMNS
from csdesk.ui.qa.disputes import InspectionArbitrateDialog, decision_text, when_text
from csdesk.ui.table_model import ColumnSpec, RowTableModel, read_only_table
from csdesk.ui.tips import set_state

_OPEN = QColor("#b02a37")


def _decision(r: ScorecardResponse) -> str:
    return decision_text(r, DISPUTE_OUTCOME_NAMES)


def state_text(r: ScorecardResponse | None) -> str:
    """Where the agent stands on the month, in one line (their latest response)."""
    if r is None:
        return _("Not acknowledged or disputed yet.")
    if r.kind == ACKNOWLEDGED:
        return _("Acknowledged on {when}.").format(when=when_text(r.created_at))
    text = _("Disputed on {when}: {reason}").format(when=when_text(r.created_at), reason=r.reason)
    if r.outcome is None:
        return text + " — " + _("awaiting the supervisor's decision.")
    return text + " — " + _("{decision} by {who} on {when}: {note}").format(
        decision=_decision(r), who=r.decided_by or "", when=when_text(r.decided_at), note=r.note)


RESPONSE_COLUMNS: tuple[ColumnSpec[ScorecardResponse], ...] = (
    ColumnSpec(N_("Employee no."), lambda r: r.employee_no),
    ColumnSpec(N_("Name"), lambda r: r.name),
    ColumnSpec(N_("Team"), lambda r: r.team or ""),
    ColumnSpec(N_("Response"), lambda r: _(RESPONSE_KIND_NAMES.get(r.kind, r.kind))),
    ColumnSpec(N_("Date"), lambda r: when_text(r.created_at), lambda r: r.created_at),
    ColumnSpec(N_("Reason"), lambda r: r.reason, tooltip=lambda r: r.reason),
    ColumnSpec(N_("Decision"), _decision, foreground=lambda r: _OPEN if r.is_open else None),
    ColumnSpec(N_("Decided by"), lambda r: r.decided_by or ""),
    ColumnSpec(N_("Note"), lambda r: r.note, tooltip=lambda r: r.note),
)


class ResponseBar(QWidget):
    """One agent's stand on the month shown; Acknowledge and Dispute… when it is the reader's own card."""

    changed = Signal()  # the agent acknowledged or disputed

    def __init__(self, disputes: DisputeService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._disputes, self._actor = disputes, actor
        self.month, self.employee_no, self.own = "", "", False
        self.latest: ScorecardResponse | None = None
        self.state = QLabel()
        self.state.setObjectName("responseState")
        self.state.setWordWrap(True)
        self.acknowledge_button = QPushButton()
        self.acknowledge_button.setObjectName("acknowledgeScorecard")
        self.dispute_button = QPushButton()
        self.dispute_button.setObjectName("disputeScorecard")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.state, 1)
        row.addWidget(self.acknowledge_button)
        row.addWidget(self.dispute_button)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.dispute_button.clicked.connect(self.dispute)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.acknowledge_button.setText(_("Acknowledge"))
        self.dispute_button.setText(_("Dispute…"))
        self._show()

    def show_card(self, month: str, employee_no: str, *, own: bool) -> None:
        """Show the agent's stand on ``month``; ``own``: the card is the reader's, who may respond."""
        self.month, self.employee_no, self.own = month, employee_no, own
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()  # a decision may have come in since (the supervisor's PC)

    def refresh(self) -> None:
        if not self.month or not self.employee_no:
            self.latest = None
        else:
            try:
                responses = self._disputes.responses(self._actor, self.month)
            except CsdeskError as exc:
                show_error(self, exc)
                return
            self.latest = next((r for r in reversed(responses) if r.employee_no == self.employee_no), None)
        self._show()

    def _show(self) -> None:
        self.setVisible(bool(self.month and self.employee_no))  # no card shown, nothing to say
        latest = self.latest
        caption = _("Your response:") if self.own else _("The agent's response:")
        self.state.setText(f"<b>{caption}</b> {html.escape(state_text(latest))}")
        self.state.setStyleSheet("color: #b02a37" if latest is not None and latest.is_open else "")
        waiting = latest is not None and latest.is_open
        for button in (self.acknowledge_button, self.dispute_button):
            button.setVisible(self.own)
        awaits = _("Your dispute awaits the supervisor's decision") if waiting else ""
        acknowledged = latest is not None and latest.kind == ACKNOWLEDGED
        set_state(self.acknowledge_button, _("Say you have seen this month's scorecard and accept it"),
                  awaits or (_("You acknowledged this month already") if acknowledged else ""))  # fmt: skip
        set_state(self.dispute_button, _("Ask, with a reason, for this month's scorecard to be looked at again"), awaits)

    def acknowledge(self) -> None:
        try:
            self._disputes.acknowledge(self._actor, self.month)
        except CsdeskError as exc:
            show_failure(self, exc, self.refresh)
            return
        self._responded()

    def dispute(self) -> None:
        dialog = DisputeDialog(self._disputes, actor=self._actor, month=self.month, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._responded()

    def _responded(self) -> None:
        self.refresh()
        self.changed.emit()


class DisputesView(QWidget):
    """The month's responses for the supervisor, open disputes in red, and Arbitrate…; below,
    the responses to the month's inspections (for a reader who sees inspections)."""

    changed = Signal()  # a dispute was decided

    def __init__(self, disputes: DisputeService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._disputes, self._actor = disputes, actor
        self.month: str = ""
        self.team: str | None = None
        self._stale = False
        self.model: RowTableModel[ScorecardResponse] = RowTableModel(RESPONSE_COLUMNS, self)
        self.summary = QLabel()
        self.summary.setObjectName("disputesSummary")
        self.table = read_only_table(self.model, "disputesTable")
        self.arbitrate_button = QPushButton()
        self.arbitrate_button.setObjectName("arbitrateDispute")
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.arbitrate_button)
        # The responses to the month's inspections (issue 15), for a reader who sees inspections.
        self.shows_inspections = actor.can(QA_VIEW)
        self.inspection_model: RowTableModel[InspectionResponse] = RowTableModel(INSPECTION_RESPONSE_COLUMNS, self)
        self.inspection_summary = QLabel()
        self.inspection_summary.setObjectName("inspectionDisputesSummary")
        self.inspection_table = read_only_table(self.inspection_model, "inspectionDisputesTable")
        self.arbitrate_inspection_button = QPushButton()
        self.arbitrate_inspection_button.setObjectName("arbitrateInspectionDispute")
        inspection_bar = QHBoxLayout()
        inspection_bar.addWidget(self.inspection_summary, 1)
        inspection_bar.addWidget(self.arbitrate_inspection_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(inspection_bar)
        layout.addWidget(self.inspection_table, 1)
        for widget in (self.inspection_summary, self.inspection_table, self.arbitrate_inspection_button):
            widget.setVisible(self.shows_inspections)
        self.arbitrate_button.clicked.connect(self.arbitrate_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_button())
        self.table.doubleClicked.connect(lambda _i: self.arbitrate_selected())
        self.arbitrate_inspection_button.clicked.connect(self.arbitrate_selected_inspection)
        self.inspection_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_button())
        self.inspection_table.doubleClicked.connect(lambda _i: self.arbitrate_selected_inspection())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.arbitrate_button.setText(_("Arbitrate…"))
        self.arbitrate_inspection_button.setText(_("Arbitrate…"))
        self._update_button()
        self._show_summary()

    def set_month(self, month: str, team: str | None) -> None:
        """The page's month and team; read now if on screen, else when next shown."""
        self.month, self.team = month, team
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        try:
            rows = self._disputes.responses(self._actor, self.month, self.team) if self.month else []
            inspections = (
                self._disputes.inspection_responses(self._actor, self.month, self.team)
                if self.month and self.shows_inspections else []
            )  # fmt: skip
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        self.inspection_model.set_rows(inspections)
        self._show_summary()
        self._update_button()

    def _show_summary(self) -> None:
        rows = [self.model.row(i) for i in range(self.model.rowCount())]
        open_count = sum(1 for r in rows if r.is_open)
        if not open_count:
            self.summary.setText(_("No dispute awaits your decision."))
        else:
            waiting = ngettext("{n} dispute awaits your decision.", "{n} disputes await your decision.", open_count)
            self.summary.setText(waiting.format(n=open_count))
        open_inspections = sum(1 for r in self.inspection_model.rows() if r.is_open)
        if not open_inspections:
            self.inspection_summary.setText(_("No dispute of an inspection awaits your decision."))
        else:
            self.inspection_summary.setText(ngettext(
                "{n} dispute of an inspection awaits your decision.",
                "{n} disputes of inspections await your decision.",
                open_inspections,
            ).format(n=open_inspections))  # fmt: skip

    def selected(self) -> ScorecardResponse | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select_employee(self, employee_no: str) -> None:
        """Select the agent's newest response."""
        found = [i for i in range(self.model.rowCount()) if self.model.row(i).employee_no == employee_no]
        if found:
            self.table.selectRow(found[-1])

    def selected_inspection(self) -> InspectionResponse | None:
        rows = self.inspection_table.selectionModel().selectedRows()
        return self.inspection_model.row(rows[0].row()) if rows else None

    def select_inspection_response(self, inspection_id: int) -> None:
        """Select the newest response to the inspection ``inspection_id``."""
        found = [i for i in range(self.inspection_model.rowCount())
                 if self.inspection_model.row(i).inspection_id == inspection_id]  # fmt: skip
        if found:
            self.inspection_table.selectRow(found[-1])

    def _update_button(self) -> None:
        chosen = self.selected()
        decide = _("Decide the selected dispute: upheld or changed, with a note for the agent")
        set_state(self.arbitrate_button, decide, _("Select an open dispute first") if chosen is None or not chosen.is_open else "")
        inspection = self.selected_inspection()
        set_state(self.arbitrate_inspection_button, decide,
                  _("Select an open dispute first") if inspection is None or not inspection.is_open else "")  # fmt: skip

    def arbitrate_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.is_open:
            return
        dialog = ArbitrateDialog(self._disputes, chosen, actor=self._actor, parent=self)
        decided = dialog.exec() and dialog.saved is not None
        if decided or dialog.stale:
            self.reload()
        if decided:
            self.changed.emit()

    def arbitrate_selected_inspection(self) -> None:
        chosen = self.selected_inspection()
        if chosen is None or not chosen.is_open:
            return
        dialog = InspectionArbitrateDialog(self._disputes, chosen, actor=self._actor, parent=self)
        if (dialog.exec() and dialog.saved is not None) or dialog.stale:
            self.reload()
