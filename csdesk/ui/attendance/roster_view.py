"""The month roster: agents × days of shift codes, edited by typing, clicking or drag-select."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, format_number, ngettext
from csdesk.labels import SHIFT_NAMES, name_of
from csdesk.models.domain import Person
from csdesk.services.base import Actor
from csdesk.services.roster import RosterService, month_range
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.messages import show_error
from csdesk.ui.tips import set_state

Index = QModelIndex | QPersistentModelIndex
SHIFT_COLOURS = {"D": "#e3f2fd", "E": "#ede7f6", "R": "#f5f5f5"}
WARNINGS = {
    "CONTINUOUS_WORK_TOO_LONG": N_("Shift {shift}: {minutes} minutes in a row without a break (at most {max_minutes})."),
    "MEAL_BREAK_TOO_LONG": N_("Shift {shift}: a meal break of {minutes} minutes (at most {max_minutes})."),
}


class RosterModel(QAbstractTableModel):
    """Editable: a typed shift code goes to RosterService.set_shifts and is shown once accepted."""

    rejected = Signal(object)

    def __init__(self, roster: RosterService, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self._roster = roster
        self._actor = actor
        self.people: list[Person] = []
        self.days: list[date] = []
        self.shifts: dict[tuple[str, date], str] = {}

    def load(self, year: int, month: int, people: list[Person]) -> None:
        start, end = month_range(year, month)
        self.beginResetModel()
        self.people = people
        self.days = [date(year, month, d) for d in range(1, end.day + 1)]
        self.shifts = {(e.employee_no, e.day): e.shift_code for e in self._roster.month(self._actor, year, month)}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.days)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        code = self.shifts.get((self.people[index.row()].employee_no, self.days[index.column()]), "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return code
        if role == Qt.ItemDataRole.BackgroundRole and code:
            return QColor(SHIFT_COLOURS.get(code, "#fffde7"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and code:
            return f"{code} {name_of(SHIFT_NAMES, code)}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(self.days[section].day)
        person = self.people[section]
        return f"{person.employee_no} {person.name}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if self._actor.can("attendance.edit") else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.apply([index], str(value).strip().upper())

    def apply(self, indexes: list[Index], code: str) -> bool:
        """Save ``code`` into every cell of ``indexes`` through the service; refresh on success."""
        changes = [(self.people[i.row()].employee_no, self.days[i.column()], code) for i in indexes]
        try:
            self._roster.set_shifts(self._actor, changes)
        except CsdeskError as exc:
            self.rejected.emit(exc)
            return False
        for no, day, _code in changes:
            self.shifts[(no, day)] = code
        for i in indexes:
            self.dataChanged.emit(i, i)
        return True


class RosterView(QWidget):
    """The roster grid, a shift picker for the selection, copy of last month, and the plan checks."""

    changed = Signal()

    def __init__(self, roster: RosterService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._roster = roster
        self._actor = actor
        self.model = RosterModel(roster, actor, self)
        self.table = QTableView()
        self.table.setObjectName("rosterGrid")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.shift = QComboBox()
        for code in roster.policy.shift_codes:
            self.shift.addItem(f"{code} {name_of(SHIFT_NAMES, code)}", code)
        self.apply_button = QPushButton(_("Set shift for the selection"))
        self.copy_button = QPushButton(_("Copy last month's pattern"))
        self.warnings = QLabel()
        self.warnings.setObjectName("rosterWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8b0000;")
        can_edit = actor.can("attendance.edit")
        for w in (self.shift, self.apply_button, self.copy_button):
            w.setVisible(can_edit)
        bar = QHBoxLayout()
        bar.addWidget(self.shift)
        bar.addWidget(self.apply_button)
        bar.addWidget(self.copy_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warnings)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.apply_button.clicked.connect(self.apply_to_selection)
        self.copy_button.clicked.connect(self.copy_previous)
        self.model.rejected.connect(lambda exc: show_error(self, exc))
        self._year, self._month, self._team = 0, 0, None
        self.hint = show_when_empty(self.table, self._hint_text)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()
        self._show_warnings()

    def _hint_text(self) -> str:
        if not self._year:
            return ""  # not loaded yet
        return _("Nobody to roster in this team. Pick another team, or add people on the People & teams page.")

    def _update_buttons(self, *_args: object) -> None:
        empty = self.model.rowCount() == 0
        set_state(self.apply_button, _("Give the chosen shift to every selected day (drag across the grid to select)"),
                  "" if self.table.selectionModel().hasSelection() else _("Select days in the grid first"))
        set_state(self.copy_button, _("Fill this month's empty days with the shifts of four weeks earlier (same weekday)"),
                  _("Nobody to roster in this team") if empty else "")

    def load(self, year: int, month: int, team: str | None, people: list[Person]) -> None:
        self._year, self._month, self._team = year, month, team
        self.model.load(year, month, people)

    def apply_to_selection(self) -> None:
        indexes = self.table.selectionModel().selectedIndexes()
        if indexes and self.model.apply(indexes, self.shift.currentData()):
            self.changed.emit()

    def copy_previous(self) -> None:
        try:
            count = self._roster.copy_previous_month(self._actor, self._year, self._month, self._team)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.model.load(self._year, self._month, self.model.people)
        self.warnings.setText(ngettext("{n} day filled from last month's pattern.",
                                       "{n} days filled from last month's pattern.", count).format(n=format_number(count)))
        self.changed.emit()

    def _show_warnings(self) -> None:
        lines = [_(WARNINGS[code]).format(shift=shift, **params) for shift, code, params in self._roster.plan_warnings() if code in WARNINGS]
        self.warnings.setText("⚠ " + "<br>⚠ ".join(lines) if lines else "")
