"""The agenda tab: the day's calls, the agents' load and quota (drop calls on an agent), the script points."""

from __future__ import annotations

from xml.sax.saxutils import escape

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.i18n import _, format_datetime, ngettext
from csdesk.services.base import Actor
from csdesk.services.callback_dto import Agenda, AgendaCall, QuotaLine
from csdesk.ui.callbacks.models import AgendaFilterProxy, AgendaTableModel, AgentLoadModel, kind_text, quota_text
from csdesk.ui.callbacks.outcome_dialog import script_html
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.shortcuts import BY_NAME
from csdesk.ui.tips import set_state, with_keys


def count_text(agenda: Agenda) -> str:
    """The counts line, e.g. "2 calls due · 0 calls overdue · 1 call done": each count with its
    own plural, and the noun in each part so that a translator can make the words agree with it."""
    due, overdue, done = (agenda.count(status) for status in ("due", "overdue", "done"))
    return " · ".join((
        ngettext("{n} call due", "{n} calls due", due).format(n=due),
        ngettext("{n} call overdue", "{n} calls overdue", overdue).format(n=overdue),
        ngettext("{n} call done", "{n} calls done", done).format(n=done),
    ))


def make_table(name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(40)  # measure a sample of rows, not all of them
    header.setStretchLastSection(True)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


class AgendaTab(QWidget):
    """Shows an :class:`Agenda`; the page does the service calls when a signal asks."""

    outcome_requested = Signal(object)  # AgendaCall
    reassign_requested = Signal(list)  # call ids
    calls_dropped = Signal(list, str)  # call ids, employee_no
    home_visit_toggled = Signal(bool)
    contact_requested = Signal()

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._editor = actor.can("callbacks.edit")
        self.model = AgendaTableModel(self)
        self.proxy = AgendaFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.agents = AgentLoadModel(self, accept_drops=self._editor)
        self.agenda: Agenda | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.table = make_table("agendaTable")
        # Sized to the contents once (first agenda shown), then left to the user: measuring
        # on every reset would cost more than the query when switching agents.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._sized = False
        self.table.setModel(self.proxy)
        # No sort until a header is clicked: the service's order (overdue, due, done; nearest deadline) stands.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setDragEnabled(self._editor)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly if self._editor else QAbstractItemView.DragDropMode.NoDragDrop)
        self.counts = QLabel()
        self.counts.setObjectName("agendaCounts")
        self.agent_table = make_table("agentLoad")
        self.agent_table.setModel(self.agents)
        self.agent_table.horizontalHeader().setStretchLastSection(False)
        self.agent_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.agent_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.agent_table.setAcceptDrops(self._editor)
        self.agent_table.viewport().setAcceptDrops(self._editor)
        self.agent_table.setDropIndicatorShown(True)
        self.agent_table.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly if self._editor else QAbstractItemView.DragDropMode.NoDragDrop)
        self._agents_box = QGroupBox()
        agents_layout = QVBoxLayout(self._agents_box)
        self._drop_hint = QLabel()
        self._drop_hint.setWordWrap(True)
        self._drop_hint.setVisible(self._editor)
        agents_layout.addWidget(self.agent_table)
        agents_layout.addWidget(self._drop_hint)
        self._quota_box = QGroupBox()
        self.quota_bar = QProgressBar()
        self.quota_bar.setObjectName("quotaBar")
        self.quota_label = QLabel()
        self.quota_label.setObjectName("quotaLabel")
        self.home_visit = QCheckBox()
        self.home_visit.setObjectName("homeVisit")
        self.home_visit.setVisible(self._editor)
        quota_layout = QVBoxLayout(self._quota_box)
        quota_layout.addWidget(self.quota_bar)
        quota_layout.addWidget(self.quota_label)
        quota_layout.addWidget(self.home_visit)
        self._script_box = QGroupBox()
        self.script = QLabel()
        self.script.setObjectName("scriptPoints")
        self.script.setWordWrap(True)
        self.script.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self._script_box).addWidget(self.script)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self._quota_box)
        side_layout.addWidget(self._agents_box, 1)
        side_layout.addWidget(self._script_box, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.counts)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([820, 400])
        self.outcome_button = QPushButton()
        self.outcome_button.setObjectName("recordOutcome")
        self.reassign_button = QPushButton()
        self.reassign_button.setObjectName("reassign")
        self.reassign_button.setVisible(self._editor)
        self.contact_button = QPushButton()
        self.contact_button.setObjectName("logContact")
        buttons = QHBoxLayout()
        buttons.addWidget(self.outcome_button)
        buttons.addWidget(self.reassign_button)
        buttons.addWidget(self.contact_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)
        self.hint = show_when_empty(self.table, self._hint_text)
        self.agents_hint = show_when_empty(self.agent_table, lambda: _(
            "No agents with callbacks on this day. Their load shows here once calls are scheduled."))

    def _hint_text(self) -> str:
        """What to do when the day's list is empty: another day, or a looser filter."""
        if self.agenda is None:
            return ""  # not loaded yet
        if self.model.rowCount():
            return _("No calls match the filter. Clear the search box or choose All calls.")
        return _("No callbacks on this day. Pick another day ({previous}, {next}) or another agent; new calls come "
                 "from the sales imported on the Members tab.").format(
            previous=BY_NAME["callbacks.previous"].text(), next=BY_NAME["callbacks.next"].text())

    def _connect_signals(self) -> None:
        self.table.doubleClicked.connect(lambda _i: self._request_outcome())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.outcome_button.clicked.connect(self._request_outcome)
        self.reassign_button.clicked.connect(self._request_reassign)
        self.contact_button.clicked.connect(self.contact_requested.emit)
        self.agents.calls_dropped.connect(self.calls_dropped.emit)
        self.home_visit.clicked.connect(lambda _checked=False: self.home_visit_toggled.emit(self.home_visit.isChecked()))

    def retranslate_ui(self) -> None:
        self._agents_box.setTitle(_("Agents: open calls and quota"))
        self._drop_hint.setText(_("Drag calls onto an agent to re-assign them."))
        self._quota_box.setTitle(_("Daily quota"))
        self.home_visit.setText(_("Home visits today (lower quota)"))
        self._script_box.setTitle(_("Script points"))
        self.outcome_button.setText(_("Record outcome…"))
        self.reassign_button.setText(_("Re-assign…"))
        self.contact_button.setText(_("Log contact…"))
        self.contact_button.setToolTip(
            _("Log a complaint, enquiry or review, for the selected call's member if one is selected"))
        self._on_selection()
        self.hint.refresh()
        self.agents_hint.refresh()

    def set_agenda(self, agenda: Agenda) -> None:
        selected = {c.id for c in self.selected_calls()}
        self.agenda = agenda
        self.model.set_rows(agenda.calls)
        if not self._sized and agenda.calls:
            self.table.resizeColumnsToContents()
            self._sized = True
        self.counts.setText(count_text(agenda))
        self._show_quota(agenda)
        self._reselect(selected)
        self._on_selection()

    def set_workload(self, lines: tuple[QuotaLine, ...]) -> None:
        self.agents.set_rows(lines)

    def _show_quota(self, agenda: Agenda) -> None:
        one = agenda.quotas[0] if agenda.agent is not None and agenda.quotas else None
        lines: list[QuotaLine] = [one] if one else list(agenda.quotas)
        effective, target = sum(q.effective for q in lines), sum(q.target for q in lines)
        # QProgressBar.setValue repaints at once (synchronously); with updates off it only
        # schedules a paint, which keeps switching agents fast.
        self.quota_bar.setUpdatesEnabled(False)
        self.quota_bar.setRange(0, max(target, 1))
        self.quota_bar.setValue(min(effective, max(target, 1)))
        self.quota_bar.setFormat(f"{effective} / {target}")
        self.quota_bar.setUpdatesEnabled(True)
        text = quota_text(effective, target)
        if one is not None and one.home_visit:
            text += " · " + _("home visits today: quota lowered")
        if one is None:
            text = _("All agents: {text}").format(text=text)
        self.quota_label.setText(text)
        self.home_visit.setEnabled(one is not None)
        self.home_visit.blockSignals(True)
        self.home_visit.setChecked(bool(one and one.home_visit))
        self.home_visit.blockSignals(False)

    def _reselect(self, ids: set[int]) -> None:
        if not ids:
            return
        selection = self.table.selectionModel()
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, 0))
            if self.model.row(source.row()).id in ids:
                selection.select(self.proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)

    def selected_calls(self) -> list[AgendaCall]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.row(self.proxy.mapToSource(i).row()) for i in rows]

    def select_call(self, call_id: int) -> bool:
        self.table.clearSelection()
        for r in range(self.proxy.rowCount()):
            if self.model.row(self.proxy.mapToSource(self.proxy.index(r, 0)).row()).id == call_id:
                self.table.selectRow(r)
                return True
        return False

    def _on_selection(self, *_args: object) -> None:
        calls = self.selected_calls()
        open_calls = [c for c in calls if c.open]
        set_state(self.outcome_button, with_keys(_("Record the outcome of the selected call"), "callbacks.outcome"),
                  _("Select one call in the list first") if len(calls) != 1
                  else "" if calls[0].open else _("This call is closed already"))
        set_state(self.reassign_button, _("Give the selected open calls to another agent (or drag them onto one)"),
                  "" if open_calls else _("Select open calls in the list first") if not calls
                  else _("The selected calls are closed already"))
        if len(calls) != 1:
            self.script.setText(_("Select a call to see its script points."))
            return
        c = calls[0]
        text = f"<b>{escape(kind_text(c))}</b> — {escape(c.member)}<br>" + script_html(c)
        if c.notes:
            text += "<p><i>" + escape(c.notes).replace("\n", "<br>") + "</i></p>"
        if c.closed_at is not None:
            text += "<p>" + escape(_("Closed {when}").format(when=format_datetime(c.closed_at, "short"))) + "</p>"
        self.script.setText(text)

    def _request_outcome(self) -> None:
        calls = self.selected_calls()
        if len(calls) == 1 and calls[0].open:
            self.outcome_requested.emit(calls[0])

    def _request_reassign(self) -> None:
        ids = [c.id for c in self.selected_calls() if c.open]
        if ids:
            self.reassign_requested.emit(ids)
