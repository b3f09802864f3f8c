"""The Quality page's list tabs: the month's inspections, the findings, who is behind the weekly
quota and the month's summary. Each shows what the page hands it; the page makes the service calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Generic, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.i18n import _, format_number, ngettext
from csdesk.models.domain_disputes import InspectionResponse
from csdesk.models.domain_qa import FindingRecord, InspectionRecord
from csdesk.rules.qa import OPEN
from csdesk.services.base import Actor
from csdesk.services.qa import EDIT, AgentQaLine, ProposedAgent, QaMonth, QuotaLine
from csdesk.ui.callbacks.agenda_view import make_table
from csdesk.ui.qa.models import (
    PROPOSED_COLUMNS,
    QUOTA_COLUMNS,
    SUMMARY_COLUMNS,
    finding_columns,
    inspection_columns,
    overdue,
)
from csdesk.ui.table_model import ColumnSpec, RowFilterProxy, RowTableModel
from csdesk.ui.tips import set_state, with_keys

T = TypeVar("T")


class ListTab(QWidget, Generic[T]):
    """A table of rows over a bar of controls and a line of buttons."""

    def __init__(self, name: str, columns: Sequence[ColumnSpec[T]], parent: QWidget | None = None, *,
                 order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # fmt: skip
        """``order``: how the first column is sorted until the person clicks a heading."""
        super().__init__(parent)
        self.model: RowTableModel[T] = RowTableModel(columns, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table: QTableView = make_table(name)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, order)
        self.count = QLabel()
        self.bar = QHBoxLayout()
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def add_button(self, name: str, visible: bool = True) -> QPushButton:
        """A button on the tab's bottom line (``visible`` False: not for this reader)."""
        button = QPushButton()
        button.setObjectName(name)
        button.setVisible(visible)
        self.buttons.addWidget(button)
        return button

    def selected(self) -> T | None:
        """The record of the row chosen, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def set_rows(self, rows: Sequence[T]) -> None:
        """Show ``rows`` (the heading's sort order is kept)."""
        self.model.set_rows(rows)


class InspectionsTab(ListTab[InspectionRecord]):
    """The month's inspections (calibration ones greyed) with the agents' responses to them, a
    search, New inspection… and printing."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("qaInspections", inspection_columns(lambda inspection_id: self.responses.get(inspection_id)),
                         parent, order=Qt.SortOrder.DescendingOrder)  # newest first  # fmt: skip
        self.responses: dict[int, InspectionResponse] = {}  # inspection id -> the agent's latest response
        self.search = QLineEdit()
        self.search.setObjectName("qaSearch")
        self.search.setClearButtonEnabled(True)
        self.bar.addWidget(self.search, 1)
        self.bar.addWidget(self.count)
        self.new_button = self.add_button("newInspection", actor.can(EDIT))
        self.import_button = self.add_button("importInspections", actor.can(EDIT))
        self.print_button = self.add_button("printInspection")
        self.buttons.addStretch(1)
        self.search.textChanged.connect(self.proxy.set_text)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Filter by agent, contact, inspector…"))
        self.new_button.setText(_("New inspection…"))
        self.import_button.setText(_("Import…"))
        self.import_button.setToolTip(_(
            "Import an inspections file (CSV, XLSX or XLS): one row per question, with the agent, "
            "date, contact, inspector, question and answer"
        ))
        self.print_button.setText(_("Print the report…"))
        self._count()

    def set_rows(self, rows: Sequence[InspectionRecord]) -> None:
        super().set_rows(rows)
        self._count()
        self._enable()

    def show_inspections(self, rows: Sequence[InspectionRecord], responses: Sequence[InspectionResponse]) -> None:
        """The inspections and the responses to them (in the order made: the last one stands)."""
        self.responses.clear()
        self.responses.update((r.inspection_id, r) for r in responses)
        self.set_rows(rows)

    def select_inspection(self, inspection_id: int) -> None:
        """Choose the row of the inspection ``inspection_id``, if it is listed."""
        for r in range(self.proxy.rowCount()):
            if self.model.row(self.proxy.mapToSource(self.proxy.index(r, 0)).row()).id == inspection_id:
                self.table.selectRow(r)
                return

    def _count(self) -> None:
        n = self.model.rowCount()
        text = ngettext("{n} inspection", "{n} inspections", n).format(n=format_number(n))
        waiting = sum(1 for r in self.responses.values() if r.is_open)
        if waiting:
            text += " · " + ngettext("{n} open dispute", "{n} open disputes", waiting).format(n=format_number(waiting))
        self.count.setText(text)

    def _enable(self) -> None:
        self.new_button.setToolTip(with_keys(_("Record an inspection of a contact, question by question"), "qa.new"))
        set_state(self.print_button, with_keys(_("Print the selected inspection's report"), "qa.print"),
                  "" if self.selected() is not None else _("Select an inspection first"))  # fmt: skip


class FindingsTab(ListTab[FindingRecord]):
    """Findings by deadline (overdue ones red): feed back, re-check, make a deduction."""

    def __init__(self, actor: Actor, today: date, parent: QWidget | None = None) -> None:
        super().__init__("qaFindings", finding_columns(lambda: self.today), parent)
        self.today = today  # the service's day, renewed with every load: what is overdue
        self.open_only = QCheckBox()
        self.open_only.setObjectName("qaOpenOnly")
        self.open_only.setChecked(True)
        self.bar.addWidget(self.open_only)
        self.bar.addStretch(1)
        self.bar.addWidget(self.count)
        editor = actor.can(EDIT)
        self.feed_back_button = self.add_button("feedBack", editor)
        self.recheck_button = self.add_button("recheck", editor)
        # A deduction is recorded on the scorecard too, which asks for scorecards.edit.
        self.deduct_button = self.add_button("deduct", editor and actor.can("scorecards.edit"))
        self.buttons.addStretch(1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.enable())
        self.enable()

    def retranslate_ui(self) -> None:
        self.open_only.setText(_("Only those not put right yet"))
        self.feed_back_button.setText(_("Feed back…"))
        self.recheck_button.setText(_("Re-check…"))
        self.deduct_button.setText(_("Make it a deduction…"))
        self._count()

    def show_findings(self, rows: Sequence[FindingRecord], today: date) -> None:
        """The findings as loaded on ``today`` (what is overdue)."""
        self.today = today
        self.set_rows(rows)
        self._count()
        self.enable()

    def _count(self) -> None:
        late = sum(1 for f in self.model.rows() if overdue(f, self.today))
        n = self.model.rowCount()
        text = ngettext("{n} finding", "{n} findings", n).format(n=format_number(n))
        if late:
            text += " · " + ngettext("{n} overdue", "{n} overdue", late).format(n=format_number(late))
        self.count.setText(text)

    def enable(self) -> None:
        """Each action for the findings it applies to: feed back an open one, re-check one fed
        back and not put right, make a deduction of one that is not one yet."""
        f = self.selected()
        pick = _("Select a finding first")
        set_state(self.feed_back_button, _("Record that the finding was told to the agent and team lead"),
                  pick if f is None else ("" if f.status == OPEN else _("This finding was fed back already")))  # fmt: skip
        set_state(self.recheck_button, _("Record the re-check of a finding fed back, with its outcome"),
                  pick if f is None else ("" if f.status != OPEN and f.closed_on is None
                                          else _("Feed the finding back first") if f.status == OPEN
                                          else _("This finding is closed")))  # fmt: skip
        set_state(self.deduct_button, _("Make the finding an M13 deduction on the agent's scorecard"),
                  pick if f is None else ("" if f.event_id is None else _("This finding is a deduction already")))  # fmt: skip


class QuotaTab(ListTab[QuotaLine]):
    """The agents inspected fewer times than the weekly minimum in the chosen week, and below
    them the agents proposed for inspection that week (behind the quota first) with the calls
    and contacts to inspect, and Inspect… to inspect the chosen one's first."""

    def __init__(self, actor: Actor, today: date, parent: QWidget | None = None) -> None:
        super().__init__("qaQuota", QUOTA_COLUMNS, parent)
        self.week = QDateEdit(QDate(today))
        self.week.setObjectName("qaWeek")
        self.week.setCalendarPopup(True)
        self.week.setDisplayFormat("yyyy-MM-dd")
        self.week_label = QLabel()
        self.bar.addWidget(self.week_label)
        self.bar.addWidget(self.week)
        self.bar.addStretch(1)
        self.bar.addWidget(self.count)
        self.proposed_label = QLabel()
        self.proposed_label.setObjectName("qaProposedTitle")
        self.proposed: RowTableModel[ProposedAgent] = RowTableModel(PROPOSED_COLUMNS, self)
        self.proposed_table = make_table("qaProposed")
        self.proposed_table.setModel(self.proposed)
        self.inspect_button = QPushButton()
        self.inspect_button.setObjectName("inspectProposed")
        self.inspect_button.setVisible(actor.can(EDIT))
        proposed_buttons = QHBoxLayout()
        proposed_buttons.addWidget(self.inspect_button)
        proposed_buttons.addStretch(1)
        column = self.layout()
        assert isinstance(column, QVBoxLayout)
        column.addWidget(self.proposed_label)
        column.addWidget(self.proposed_table, 1)
        column.addLayout(proposed_buttons)
        self.proposed_table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self._enable()

    def retranslate_ui(self) -> None:
        self.week_label.setText(_("Week of"))
        self.proposed_label.setText(_("Proposed this week"))
        self.inspect_button.setText(_("Inspect…"))
        self._count()

    def show_proposed(self, rows: Sequence[ProposedAgent]) -> None:
        """The agents proposed for inspection in the chosen week, in the service's order."""
        self.proposed.set_rows(rows)
        self._enable()

    def chosen_proposed(self) -> ProposedAgent | None:
        """The proposed agent whose row is chosen, if any."""
        rows = self.proposed_table.selectionModel().selectedRows()
        return self.proposed.row(rows[0].row()) if rows else None

    def _enable(self) -> None:
        set_state(self.inspect_button, _("Inspect the chosen agent's first proposed contact"),
                  "" if self.chosen_proposed() is not None else _("Choose a proposed agent first"))  # fmt: skip

    def week_of(self) -> date:
        picked = self.week.date()
        return date(picked.year(), picked.month(), picked.day())

    def set_rows(self, rows: Sequence[QuotaLine]) -> None:
        super().set_rows(rows)
        self._count()

    def _count(self) -> None:
        n = self.model.rowCount()
        if n:
            text = ngettext("{n} agent is behind the weekly quota", "{n} agents are behind the weekly quota", n)
        else:
            text = _("Everyone has had the week's inspections.")
        self.count.setText(text.format(n=format_number(n)))


class SummaryTab(ListTab[AgentQaLine]):
    """The month's results per agent, as ``csdesk qa`` shows them, and printing them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("qaSummary", SUMMARY_COLUMNS, parent)
        self.bar.addWidget(self.count)
        self.bar.addStretch(1)
        self.print_button = self.add_button("printSummary")
        self.buttons.addStretch(1)
        self.month: QaMonth | None = None

    def retranslate_ui(self) -> None:
        self.print_button.setText(_("Print the month's summary…"))
        self.print_button.setToolTip(_("Print the month's QA summary per team, in the language chosen above"))
        self._count()

    def show_month(self, month: QaMonth) -> None:
        self.month = month
        self.set_rows(month.agents)
        self._count()

    def _count(self) -> None:
        agents = self.month.agents if self.month else ()
        inspections = sum(a.inspections for a in agents)
        text = ngettext("{n} inspection counted", "{n} inspections counted", inspections)
        self.count.setText(text.format(n=format_number(inspections)))
