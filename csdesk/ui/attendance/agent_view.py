"""One agent's month as a calendar (weeks × weekdays), coloured and marked like the team grid."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from csdesk.i18n import _, format_number, format_time
from csdesk.services.attendance_types import AgentDay, AgentMonth, TeamMonth
from csdesk.ui.attendance.grid_model import day_tooltip
from csdesk.ui.attendance.status_style import DayLook
from csdesk.ui.empty_state import show_when_empty

Index = QModelIndex | QPersistentModelIndex


class AgentMonthModel(QAbstractTableModel):
    def __init__(self, parent: Any = None, *, rest_shifts: Iterable[str] = ()) -> None:
        super().__init__(parent)
        self.cells: list[list[AgentDay | None]] = []
        self._look = DayLook(rest_shifts)

    def set_agent(self, agent: AgentMonth | None) -> None:
        self.beginResetModel()
        self.cells = []
        if agent is not None and agent.days:
            first = agent.days[0].day
            weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month)
            self.cells = [[agent.days[d - 1] if d else None for d in week] for week in weeks]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 7

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        day = self.cells[index.row()][index.column()]
        if day is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            times = " ".join(format_time(p) for p in day.punches[:2])
            return f"{day.day.day}\n{self._look.mark(day)}\n{times}".rstrip()
        if role == Qt.ItemDataRole.ToolTipRole:
            return day_tooltip(day)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._look.background(day)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._look.foreground(day)
        if role == Qt.ItemDataRole.FontRole and not day.status:
            return self._look.planned_font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            # Qt's own day names follow the interface language (QLocale default set at start).
            return QLocale().dayName(section + 1, QLocale.FormatType.ShortFormat)
        return None


class AgentMonthView(QWidget):
    """Pick an agent of the loaded month; see the calendar and the month's totals."""

    def __init__(self, parent: QWidget | None = None, *, rest_shifts: Iterable[str] = ()) -> None:
        super().__init__(parent)
        self.agent = QComboBox()
        self.agent.setObjectName("agentPicker")
        self.model = AgentMonthModel(self, rest_shifts=rest_shifts)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.totals = QLabel()
        self.totals.setObjectName("agentTotals")
        top = QHBoxLayout()
        top.addWidget(self.agent)
        top.addWidget(self.totals, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._month: TeamMonth | None = None
        self._entries: list[tuple[str, str]] = []  # what the agent box lists
        self.agent.currentIndexChanged.connect(self._show)
        self.hint = show_when_empty(self.table, lambda: "" if self._month is None else _(
            "Nobody works this month in this team. Pick another team or month on the bar above."))

    def set_month(self, month: TeamMonth) -> None:
        current = self.agent.currentData()
        self._month = month
        entries = [(f"{a.employee_no} {a.name}", a.employee_no) for a in month.agents]
        if entries != self._entries:  # the same people month after month: 2,000 items not refilled
            self._entries = entries
            self.agent.blockSignals(True)
            self.agent.clear()
            for text, employee_no in entries:
                self.agent.addItem(text, employee_no)
            self.agent.setCurrentIndex(max(0, self.agent.findData(current)))
            self.agent.blockSignals(False)
        self._show()

    def select(self, employee_no: str) -> None:
        self.agent.setCurrentIndex(max(0, self.agent.findData(employee_no)))

    def _show(self) -> None:
        agent = self._month.agent(self.agent.currentData()) if self._month else None
        self.model.set_agent(agent)
        if agent is None:
            self.totals.setText("")
            return
        self.totals.setText(
            _("Late {late} · early {early} · absences {absent} · missed {missed} · leave days {leave} · deduction {money} · bonus {bonus}").format(
                late=agent.late, early=agent.early, absent=agent.absent, missed=agent.missed, leave=format_number(agent.leave_days),
                money=format_number(agent.deduction_cny), bonus=format_number(agent.full_attendance_bonus_cny),
            )
        )
