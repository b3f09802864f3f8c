"""The line under the Quality page's inspections that says where the agent stands on the chosen
inspection (issue 15): Acknowledge… and Dispute… on the reader's own inspection, Arbitrate… for
whoever decides disputes, as the Scorecards page's line does for a month."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from csdesk.i18n import _
from csdesk.models.domain_disputes import ACKNOWLEDGED, InspectionResponse
from csdesk.models.domain_qa import InspectionRecord
from csdesk.services.base import Actor
from csdesk.services.disputes import ARBITRATE, DisputeService
from csdesk.ui.qa.disputes import InspectionArbitrateDialog, InspectionResponseDialog, state_text


class InspectionResponseBar(QWidget):
    """The chosen inspection's response and decision, with the buttons the reader may use."""

    changed = Signal()  # a response or a decision was saved (or found changed on another PC)

    def __init__(self, disputes: DisputeService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._disputes, self._actor = disputes, actor
        self.inspection: InspectionRecord | None = None
        self.latest: InspectionResponse | None = None
        self.state = QLabel()
        self.state.setObjectName("inspectionResponseState")
        self.state.setWordWrap(True)
        self.acknowledge_button = QPushButton()
        self.acknowledge_button.setObjectName("acknowledgeInspection")
        self.dispute_button = QPushButton()
        self.dispute_button.setObjectName("disputeInspection")
        self.arbitrate_button = QPushButton()
        self.arbitrate_button.setObjectName("arbitrateInspection")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.state, 1)
        for button in (self.acknowledge_button, self.dispute_button, self.arbitrate_button):
            row.addWidget(button)
        self.acknowledge_button.clicked.connect(lambda: self.respond(dispute=False))
        self.dispute_button.clicked.connect(lambda: self.respond(dispute=True))
        self.arbitrate_button.clicked.connect(self.arbitrate)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.acknowledge_button.setText(_("Acknowledge…"))
        self.dispute_button.setText(_("Dispute…"))
        self.arbitrate_button.setText(_("Arbitrate…"))
        self._show()

    @property
    def own(self) -> bool:
        """The inspection shown is the reader's own and counts: they may respond to it."""
        i = self.inspection
        return i is not None and not i.calibration and i.person_id == self._actor.person_id

    def show_inspection(self, inspection: InspectionRecord | None, latest: InspectionResponse | None) -> None:
        """Show where the agent stands on ``inspection`` (None: none chosen, nothing shown)."""
        self.inspection, self.latest = inspection, latest
        self._show()

    def _show(self) -> None:
        inspection, latest = self.inspection, self.latest
        self.setVisible(inspection is not None)
        if inspection is None:
            return
        if inspection.calibration:
            text = html.escape(_("Calibration inspection: it does not count in the agent's results."), quote=False)
        else:
            caption = _("Your response:") if self.own else _("The agent's response:")
            text = f"<b>{caption}</b> {html.escape(state_text(latest), quote=False)}"  # text, not an attribute
        self.state.setText(text)
        waiting = latest is not None and latest.is_open
        self.state.setStyleSheet("color: #b02a37" if waiting else "")
        for button in (self.acknowledge_button, self.dispute_button):
            button.setVisible(self.own)
        self.acknowledge_button.setEnabled(not waiting and not (latest is not None and latest.kind == ACKNOWLEDGED))
        self.dispute_button.setEnabled(not waiting)
        self.arbitrate_button.setVisible(self._actor.can(ARBITRATE) and not inspection.calibration)
        self.arbitrate_button.setEnabled(waiting)

    def respond(self, *, dispute: bool) -> InspectionResponseDialog | None:
        """The agent acknowledges or disputes the inspection shown, in a dialog."""
        if self.inspection is None or not self.own:
            return None
        dialog = InspectionResponseDialog(self._disputes, actor=self._actor, inspection=self.inspection,
                                          dispute=dispute, latest=self.latest, parent=self)  # fmt: skip
        saved = bool(dialog.exec()) and dialog.saved is not None
        if saved:
            self.latest = dialog.saved
            self._show()
        if saved or dialog.stale:  # a response saved on another PC meanwhile: show where things stand
            self.changed.emit()
        return dialog

    def arbitrate(self) -> InspectionArbitrateDialog | None:
        """The supervisor decides the open dispute of the inspection shown."""
        if self.latest is None or not self.latest.is_open:
            return None
        dialog = InspectionArbitrateDialog(self._disputes, self.latest, actor=self._actor, parent=self)
        decided = bool(dialog.exec()) and dialog.saved is not None
        if decided:
            self.latest = dialog.saved
            self._show()
        if decided or dialog.stale:
            self.changed.emit()
        return dialog
