"""Re-assign calls in bulk: all to one agent, or the balanced suggestion (rules.md §9)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, ngettext
from csdesk.labels import CALLBACK_KIND_NAMES, name_of
from csdesk.services.base import Actor
from csdesk.services.callback_dto import AgentChoice, SuggestedMove, Suggestion
from csdesk.services.callbacks import CallbackService
from csdesk.ui.table_model import ColumnSpec, RowTableModel


def _to(move: SuggestedMove) -> str:
    text = f"{move.to_agent} {move.to_name}"
    return text + " · " + _("stays") if move.to_agent == move.from_agent else text


MOVE_COLUMNS: tuple[ColumnSpec[SuggestedMove], ...] = (
    ColumnSpec(N_("Call"), lambda m: f"{m.call_id} {name_of(CALLBACK_KIND_NAMES, m.kind)}"),
    ColumnSpec(N_("Member"), lambda m: m.member),
    ColumnSpec(N_("From"), lambda m: m.from_agent or "—"),
    ColumnSpec(N_("To"), _to),
)


class ReassignDialog(QDialog):
    """The supervisor sees the suggestion before anything moves, and may pick one agent instead."""

    def __init__(self, service: CallbackService, *, actor: Actor, call_ids: list[int], day: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._call_ids = call_ids
        self._day = day
        self.moved = 0
        self.suggestion: Suggestion | None = None
        self.moves: RowTableModel[SuggestedMove] = RowTableModel(MOVE_COLUMNS, self)
        self._agents: list[AgentChoice] = service.agents(actor, day)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.suggest()

    def _build_ui(self) -> None:
        self._intro = QLabel()
        self.balanced = QRadioButton()
        self.balanced.setObjectName("balanced")
        self.balanced.setChecked(True)
        self.one_agent = QRadioButton()
        self.one_agent.setObjectName("oneAgent")
        self.agent = QComboBox()
        self.agent.setObjectName("targetAgent")
        for a in self._agents:
            self.agent.addItem(f"{a.agent} {a.name}", a.agent)
        self.agent.setEnabled(False)
        self.table = QTableView()
        self.table.setObjectName("suggestedMoves")
        self.table.setModel(self.moves)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.away = QCheckBox()
        self.away.setObjectName("awayFromCurrent")
        self._note = QLabel()
        self._note.setWordWrap(True)
        self.refresh = QPushButton()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        row = QHBoxLayout()
        row.addWidget(self.one_agent)
        row.addWidget(self.agent, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self.balanced)
        layout.addWidget(self.away)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._note)
        layout.addWidget(self.refresh)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 420)

    def _connect_signals(self) -> None:
        self.one_agent.toggled.connect(self.agent.setEnabled)
        self.balanced.toggled.connect(self.table.setEnabled)
        self.refresh.clicked.connect(self.suggest)
        self.away.toggled.connect(lambda _on: self.suggest())
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Re-assign calls"))
        n = len(self._call_ids)
        self._intro.setText(ngettext("{n} call selected.", "{n} calls selected.", n).format(n=n))
        self.balanced.setText(_("Balanced suggestion: by current load, then ability and experience"))
        self.one_agent.setText(_("All to one agent:"))
        self.away.setText(_("Not to the agents who hold them now (away or off sick)"))
        self.refresh.setText(_("Suggest again"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Accept"))

    def suggest(self) -> None:
        try:
            self.suggestion = self._service.suggest_assignment(self._actor, self._call_ids, self._day, self.away.isChecked())
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.moves.set_rows(self.suggestion.moves)
        left = len(self.suggestion.unassigned)
        self._note.setText(
            ngettext("{n} call could not be placed: every agent's day is full.",
                     "{n} calls could not be placed: every agent's day is full.", left).format(n=left) if left else ""
        )

    def apply(self) -> None:
        try:
            if self.one_agent.isChecked():
                self.moved = self._service.reassign(self._actor, self._call_ids, self.agent.currentData())
            elif self.suggestion is not None:
                self.moved = self._service.apply_assignments(
                    self._actor, {m.call_id: m.to_agent for m in self.suggestion.moves})
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()
