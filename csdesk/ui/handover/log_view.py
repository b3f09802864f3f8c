"""The handover timeline (newest first) with its filters, beside the selected handover."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.handover_labels import STATUS_FILTER_NAMES
from csdesk.i18n import _, format_number, ngettext
from csdesk.models.domain_handover import STATUS_FILTERS, HandoverFilter, HandoverSummary
from csdesk.services.base import Actor
from csdesk.services.handover import HandoverService
from csdesk.services.people import PeopleService
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.handover.detail import DetailPanel
from csdesk.ui.handover.models import TIMELINE_COLUMNS, blocked
from csdesk.ui.messages import show_error
from csdesk.ui.shortcuts import BY_NAME
from csdesk.ui.table_model import RowTableModel

NO_DATE = QDate(2000, 1, 1)  # the date edits' "no limit" value, shown blank
SEARCH_DELAY_MS = 250
# Roles whose people write or take over handovers (the person filter lists them).
HANDOVER_ROLES = ("agent", "team_lead", "supervisor")


class _OptionalDateEdit(QDateEdit):
    """A date edit whose minimum means "no limit" and shows as blank."""

    def __init__(self) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(" ")
        self.setDate(NO_DATE)

    def value(self) -> date | None:
        if self.date() == NO_DATE:
            return None
        value = self.date().toPython()
        assert isinstance(value, date)
        return value


class LogView(QWidget):
    """Filters, the timeline and the detail panel; ``entries_changed`` after any change."""

    entries_changed = Signal()

    def __init__(self, service: HandoverService, people: PeopleService, *, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._people = people
        self._actor = actor
        self.total = 0
        self._shown = False
        self.model: RowTableModel[HandoverSummary] = RowTableModel(TIMELINE_COLUMNS, self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.date_from = _OptionalDateEdit()
        self.date_from.setObjectName("dateFrom")
        self.date_to = _OptionalDateEdit()
        self.date_to.setObjectName("dateTo")
        self.team = QComboBox()
        self.team.setObjectName("teamFilter")
        self.person = QComboBox()
        self.person.setObjectName("personFilter")
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.search = QLineEdit()
        self.search.setObjectName("handoverSearch")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("timelineCount")
        self._labels = [QLabel() for _n in range(5)]
        filters = QHBoxLayout()
        for label, widget in zip(self._labels, (self.date_from, self.date_to, self.team, self.person, self.status),
                                 strict=True):
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        self.table = QTableView()
        self.table.setObjectName("timeline")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((44, 118, 44, 90, 120, 120, 110)):
            self.table.setColumnWidth(column, width)
        self.detail = DetailPanel(self._service, actor=self._actor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        # the search on a line of its own: beside five filters it was squeezed to nothing in Spanish
        layout.addWidget(self.search)
        layout.addWidget(self.splitter, 1)
        self.hint = show_when_empty(self.table, self._hint_text)

    def _connect_signals(self) -> None:
        for combo in (self.team, self.person, self.status):
            combo.currentIndexChanged.connect(self.reload)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.reload)
        self._search_timer.timeout.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.detail.changed.connect(self._after_change)

    def retranslate_ui(self) -> None:
        for label, text in zip(self._labels, (_("&From"), _("&To"), _("T&eam"), _("&Person"), _("S&tatus")), strict=True):
            label.setText(text)
        self.search.setPlaceholderText(_("Search text, names, items… (Ctrl+F)"))
        with blocked(self.team, self.person, self.status):
            self._fill(self.team, [(_("All teams"), None)] + [(t.name, t.name) for t in self._people.teams()])
            people = self._people.directory(self._actor, roles=list(HANDOVER_ROLES))
            self._fill(self.person, [(_("Everyone"), None)] + [(f"{no} {name}", no) for no, name in people])
            self._fill(self.status, [(_("Any status"), None)] + [(_(STATUS_FILTER_NAMES[s]), s) for s in STATUS_FILTERS])
        self.detail.retranslate_ui()
        self.hint.refresh()

    def _hint_text(self) -> str:
        """What to do when the timeline is empty: loosen the filters, or write the first handover."""
        if self.current_filter() != HandoverFilter():
            return _("No handovers match these filters. Clear the search, choose Any status or widen the dates.")
        if self._actor.can("handover.write"):
            return _("No handovers yet. Write the first one on the Write handover tab ({keys}).").format(
                keys=BY_NAME["handover.new"].text())
        return _("No handovers yet. They are listed here once the shifts write them.")

    @staticmethod
    def _fill(combo: QComboBox, entries: list[tuple[str, str | None]]) -> None:
        current = combo.currentData()
        combo.clear()
        for text, data in entries:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    # --- data -------------------------------------------------------------------------

    def current_filter(self) -> HandoverFilter:
        return HandoverFilter(start=self.date_from.value(), end=self.date_to.value(), team=self.team.currentData(),
                              person=self.person.currentData(), status=self.status.currentData(),
                              text=self.search.text())

    def reload(self, select_id: int | None = None) -> None:
        """Query the timeline with the filters; keeps (or moves to ``select_id``) the selection."""
        self._search_timer.stop()
        keep = select_id if isinstance(select_id, int) and not isinstance(select_id, bool) else self.current_id()
        try:
            page = self._service.list_entries(self._actor, self.current_filter())
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.total = page.total
        shown = len(page.rows)
        self.detail.set_nothing_to_select(shown == 0)  # the hint over the empty timeline says what to do
        self.model.set_rows(page.rows)
        self.count.setText(ngettext("{shown} of {total} handover", "{shown} of {total} handovers", page.total).format(
            shown=format_number(shown), total=format_number(page.total))
            + (" — " + _("narrow the filters to see older ones") if shown < page.total else ""))
        rows = [r for r in range(shown) if page.rows[r].id == keep]
        self.select_row(rows[0] if rows else 0)

    def select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self.detail.show_detail(None)
            return
        self._shown = False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        if not self._shown:  # it was the current row already: no signal
            self._show_current()

    def select_entry(self, entry_id: int) -> bool:
        for r in range(self.model.rowCount()):
            if self.model.row(r).id == entry_id:
                self.select_row(r)
                return True
        return False

    def current_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row(index.row()).id if index.isValid() and index.row() < self.model.rowCount() else None

    def _show_current(self) -> None:
        self._shown = True
        entry_id = self.current_id()
        if entry_id is None:
            self.detail.show_detail(None)
            return
        try:
            self.detail.show_detail(self._service.detail(self._actor, entry_id))
        except CsdeskError as exc:
            show_error(self, exc)

    def _after_change(self, entry_id: int) -> None:
        self.reload(entry_id)
        if self.current_id() != entry_id:  # the filters hide it now (e.g. just acknowledged): keep showing it
            self.table.selectionModel().clear()
            try:
                self.detail.show_detail(self._service.detail(self._actor, entry_id))
            except CsdeskError as exc:
                show_error(self, exc)
        self.entries_changed.emit()

    def show_unacknowledged(self) -> None:
        """The banner's "Show": only handovers still waiting for their takeover."""
        with blocked(self.status, self.date_from, self.date_to):
            self.status.setCurrentIndex(max(0, self.status.findData("unacknowledged")))
            self.date_from.setDate(NO_DATE)
            self.date_to.setDate(NO_DATE)
        self.reload()

