"""One handover in full: header, summary, desk state, takeover, its items and the actions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.handover_labels import problem_label, shift_label
from csdesk.i18n import _, format_signed, ngettext
from csdesk.models.domain_handover import HandoverDetail, HandoverItem
from csdesk.services.base import Actor
from csdesk.services.handover import HandoverService
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.handover.dialogs import AcknowledgeDialog, CloseItemDialog, ItemHistoryDialog, PenaltyDialog
from csdesk.ui.handover.models import (
    ITEM_COLUMNS,
    ITEM_LINK_COLUMN,
    ITEM_STATUS_COLUMN,
    SUBJECT_COLUMN,
    format_when,
    lay_out_item_columns,
    names,
)
from csdesk.ui.messages import show_error
from csdesk.ui.print_preview import preview_pdf
from csdesk.ui.table_model import RowTableModel
from csdesk.ui.tips import set_state, with_keys


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>") if value else "—"


class DetailPanel(QWidget):
    """Shows ``detail``; ``changed(entry_id)`` after an acknowledgement, closing or penalty."""

    changed = Signal(int)

    def __init__(self, service: HandoverService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self.detail: HandoverDetail | None = None
        self._nothing_to_select = False
        self.preview: QDialog | None = None  # the last print preview opened
        self._me = service.person_of(actor)
        self.items: RowTableModel[HandoverItem] = RowTableModel(ITEM_COLUMNS, self)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.show_detail(None)

    def _build_ui(self) -> None:
        self.header = QLabel()
        self.header.setObjectName("detailHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QLabel()
        self.body.setObjectName("detailBody")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView()
        self.table.setObjectName("detailItems")
        self.table.setModel(self.items)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        lay_out_item_columns(self.table, capped=(SUBJECT_COLUMN, ITEM_STATUS_COLUMN, ITEM_LINK_COLUMN))
        self.ack_button = QPushButton()
        self.ack_button.setObjectName("acknowledgeButton")
        self.close_item_button = QPushButton()
        self.close_item_button.setObjectName("closeItemButton")
        self.history_button = QPushButton()
        self.history_button.setObjectName("historyButton")
        self.penalty_button = QPushButton()
        self.penalty_button.setObjectName("penaltyButton")
        self.print_button = QPushButton()
        self.print_button.setObjectName("printHandoverButton")
        buttons = QHBoxLayout()
        for b in (self.ack_button, self.close_item_button, self.history_button, self.penalty_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        can_write = self._actor.can("handover.write")
        self.ack_button.setVisible(can_write)
        self.close_item_button.setVisible(can_write)
        self.penalty_button.setVisible(can_write and self._actor.can("scorecards.edit"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.items_label = QLabel()
        layout.addWidget(self.items_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.items_hint = show_when_empty(self.table, lambda: "" if self.detail is None else _(
            "No open items were handed over with this handover."))

    def _connect_signals(self) -> None:
        self.ack_button.clicked.connect(self.acknowledge)
        self.close_item_button.clicked.connect(self.close_item)
        self.history_button.clicked.connect(self.show_history)
        self.penalty_button.clicked.connect(self.record_penalties)
        self.print_button.clicked.connect(self.print_form)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.show_history())

    def retranslate_ui(self) -> None:
        self.ack_button.setText(_("Acknowledge…"))
        self.close_item_button.setText(_("Close item…"))
        self.history_button.setText(_("Item history…"))
        self.penalty_button.setText(_("Record penalties…"))
        self.print_button.setText(_("Print…"))
        self.show_detail(self.detail)

    # --- showing ----------------------------------------------------------------------

    def set_nothing_to_select(self, nothing: bool) -> None:
        """With an empty log there is nothing to select: the log's own hint says what to do, and
        this panel does not ask for a selection."""
        self._nothing_to_select = nothing
        if self.detail is None:
            self.show_detail(None)

    def show_detail(self, detail: HandoverDetail | None) -> None:
        self.detail = detail
        if detail is None:
            prompt = "" if self._nothing_to_select else _("Select a handover to see it in full.")
            self.header.setText("<i>" + escape(prompt) + "</i>" if prompt else "")
            self.body.clear()
            self.items.set_rows([])
            self.items_label.clear()
            self._update_buttons()
            return
        status = (_("Acknowledged by {name} at {when}").format(name=detail.acknowledged_by.label,
                                                                when=format_when(detail.acknowledged_at))
                  if detail.acknowledged_by else _("Not acknowledged yet"))
        colour = "#1a7f37" if detail.acknowledged else "#9a6700"
        # Message ids stay outside f-strings: pybabel does not look inside f-string expressions.
        title = _("Handover {id}").format(id=detail.id)
        team = detail.team or _("All teams")
        self.header.setText(
            f"<h3>{escape(title)} · {escape(format_when(detail.written_at))} · "
            f"{escape(shift_label(detail.shift))} · {escape(team)}</h3>"
            + escape(_("Outgoing: {names}").format(names=names(detail.authors) or "—"))
            + f" · <span style='color:{colour}'>{escape(status)}</span>")
        summary_label, desk_label, messy_label = _("Work summary"), _("Desk and equipment"), _("desk left messy")
        parts = [f"<b>{escape(summary_label)}</b><br>{_text(detail.summary)}",
                 f"<b>{escape(desk_label)}</b><br>{_text(detail.desk_state)}"
                 + (f" <span style='color:#b00020'>({escape(messy_label)})</span>" if detail.desk_messy else "")]
        if detail.acknowledged:
            takeover_label = _("Takeover note")
            parts.append(f"<b>{escape(takeover_label)}</b><br>{_text(detail.takeover_note)}")
        if detail.problems:
            listed = "".join(f"<li>{escape(problem_label(p))}</li>" for p in dict.fromkeys(detail.problems))
            incomplete_label = _("Incomplete record")
            parts.append(f"<span style='color:#b00020'><b>{escape(incomplete_label)}</b><ul>{listed}</ul></span>")
        if detail.penalties:
            parts.append("<b>" + escape(_("Penalties recorded")) + "</b>: " + escape(", ".join(
                f"{p.person.name} {p.code} {format_signed(p.points)}" for p in detail.penalties)))
        self.body.setText("<br>".join(parts))
        self.items.set_rows(detail.items)
        still_open = detail.open_items
        late = sum(1 for i in still_open if i.overdue)
        overdue = ngettext("{n} overdue", "{n} overdue", late).format(n=late)
        self.items_label.setText(
            "<b>" + escape(ngettext("{n} open item", "{n} open items", len(still_open)).format(n=len(still_open)))
            + "</b>" + (f" <span style='color:#b00020'>· {escape(overdue)}</span>" if late else ""))
        self._update_buttons()

    def selected_item(self) -> HandoverItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items.row(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        d = self.detail
        item = self.selected_item()
        own = d is not None and self._me is not None and self._me in d.authors
        pick_handover = _("Select a handover in the log first")
        pick_item = _("Select an item in the list first")
        set_state(self.ack_button, _("Take over this shift with a takeover note"),
                  pick_handover if d is None
                  else _("This handover is acknowledged already") if d.acknowledged
                  else _("You wrote this handover; the incoming shift acknowledges it") if own else "")
        set_state(self.close_item_button, _("Close the selected item with its outcome; it is carried no more"),
                  pick_item if item is None else "" if item.is_open else _("This item is closed already"))
        set_state(self.history_button, _("Show each handover the selected item passed through"),
                  pick_item if item is None else "")
        set_state(self.penalty_button, _("Record penalties on the scorecards for this handover's problems"),
                  pick_handover if d is None else "")
        set_state(self.print_button, with_keys(_("Preview and print the handover form"), "handover.print"),
                  pick_handover if d is None else "")

    # --- actions ----------------------------------------------------------------------

    def acknowledge(self) -> None:
        if self.detail is None or self.detail.acknowledged:
            return
        dialog = AcknowledgeDialog(self._service, self.detail, actor=self._actor, parent=self)
        if dialog.exec() and dialog.result_detail is not None:
            self.show_detail(dialog.result_detail)
            self.changed.emit(dialog.result_detail.id)

    def close_item(self) -> None:
        item = self.selected_item()
        if item is None or not item.is_open or self.detail is None:
            return
        dialog = CloseItemDialog(self._service, item, actor=self._actor, parent=self)
        if (dialog.exec() and dialog.closed is not None) or dialog.stale:
            self.changed.emit(self.detail.id)

    def show_history(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        try:
            passages = self._service.item_history(self._actor, item.id)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        ItemHistoryDialog(item, passages, parent=self).exec()

    def record_penalties(self) -> None:
        if self.detail is None:
            return
        try:
            choices = self._service.penalty_choices(self._actor, self.detail.id)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        dialog = PenaltyDialog(self._service, self.detail.id, choices, actor=self._actor, parent=self)
        if dialog.exec() and dialog.recorded:
            self.changed.emit(self.detail.id)

    def print_form(self) -> None:
        if self.detail is None:
            return
        entry_id = self.detail.id
        self.preview = preview_pdf(self, lambda path: self._service.print_handover(self._actor, entry_id, path),
                                   title=_("Handover form {id}").format(id=entry_id),
                                   suggested_name=f"handover-{entry_id}.pdf")
