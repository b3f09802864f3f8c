"""Settings ▸ Shifts: the shift templates of the policy (rules.md Appendix A), edited in a table and
written to the site policy file (issue 17); in force from the next start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _
from csdesk.labels import SHIFT_NAMES
from csdesk.policy import Policy, ShiftTemplate
from csdesk.services.base import Actor
from csdesk.services.site_policy import Applied, SitePolicyService
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.messages import ERROR_STYLE
from csdesk.ui.policy_change import again_text, apply_confirmed, written_text
from csdesk.ui.tips import set_state

Index = QModelIndex | QPersistentModelIndex

CODE, NAME, START, END, REST, MEAL_START, MEAL_MINUTES = range(7)
HEADERS = (
    N_("Code"),
    N_("Shift name"),
    N_("Start"),
    N_("End"),
    N_("Rest"),
    N_("Meal break start"),
    N_("Meal break (minutes)"),
)
_TEXT_FIELDS = {CODE: "code", START: "start", END: "end", MEAL_START: "meal_break_start"}


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


@dataclass
class ShiftRow:
    """One shift as typed: times are the HH:MM texts the policy file holds (checked on Apply)."""

    code: str = ""
    start: str = ""
    end: str = ""
    rest: bool = False
    meal_break_start: str = ""  # empty: no planned meal break
    meal_break_minutes: int = 0

    @classmethod
    def of(cls, shift: ShiftTemplate) -> ShiftRow:
        # A working shift ending at midnight is written "24:00", as the policy file has it.
        end = "24:00" if not shift.rest and shift.end == time(0) else _clock(shift.end)
        meal = _clock(shift.meal_break_start) if shift.meal_break_start is not None else ""
        return cls(shift.code, _clock(shift.start), end, shift.rest, meal, shift.meal_break_minutes)

    def as_keys(self) -> dict[str, Any]:
        """The row as a site policy file's ``[[shifts]]`` table (no meal break start: left out)."""
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "rest": self.rest,
            "meal_break_start": self.meal_break_start or None,
            "meal_break_minutes": self.meal_break_minutes,
        }


class ShiftsTableModel(QAbstractTableModel):
    """The shifts being edited; nothing is written until the section applies them."""

    def __init__(self, shifts: tuple[ShiftTemplate, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = [ShiftRow.of(shift) for shift in shifts]
        self._editable = True

    def change(self) -> dict[str, Any]:
        """The site policy keys for the table: the whole ``shifts`` array."""
        return {"shifts": [row.as_keys() for row in self._rows]}

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(ShiftRow())
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def freeze(self) -> None:
        """No more edits: what the table shows has been written."""
        self._editable = False
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, NAME), self.index(len(self._rows) - 1, NAME))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if column == REST:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.rest else Qt.CheckState.Unchecked
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column == NAME:
            return _(SHIFT_NAMES[row.code]) if row.code in SHIFT_NAMES else ""
        if column == MEAL_MINUTES:
            return row.meal_break_minutes
        return getattr(row, _TEXT_FIELDS[column])

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or not self._editable or index.column() == NAME:
            return base
        if index.column() == REST:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self._editable:
            return False
        row, column = self._rows[index.row()], index.column()
        edit = role == Qt.ItemDataRole.EditRole
        if column == REST and role == Qt.ItemDataRole.CheckStateRole:
            row.rest = Qt.CheckState(value) == Qt.CheckState.Checked
        elif column == MEAL_MINUTES and edit and isinstance(value, int) and value >= 0:
            row.meal_break_minutes = value
        elif column in _TEXT_FIELDS and edit:
            text = str(value).strip()
            # The roster reads shift codes in capitals.
            setattr(row, _TEXT_FIELDS[column], text.upper() if column == CODE else text)
        else:
            return False
        # A new code names the shift anew: its name column changes too.
        last = self.index(index.row(), NAME if column == CODE else column)
        self.dataChanged.emit(index, last)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section])
        return super().headerData(section, orientation, role)


class ShiftsSection(QGroupBox):
    """The shifts in force, editable; Apply writes them to the site policy file through the
    SitePolicyService (which checks ``settings.edit``, refuses a bad or stale change and audits
    it). One apply per run: the next change needs the policy this one puts in force."""

    def __init__(
        self, site_policy: SitePolicyService, policy: Policy, *, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shiftsSection")
        self._site_policy = site_policy
        self._actor = actor
        self.model = ShiftsTableModel(policy.shifts, self)
        self.applied: Applied | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("shiftsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self._hint = QLabel()
        self._hint.setWordWrap(True)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addShift")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeShift")
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("applyShifts")
        self.status = QLabel()
        self.status.setObjectName("shiftsStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self._hint)
        self.empty_hint = show_when_empty(self.table, lambda: _(
            "No shifts. Add shift adds one; every rostered day needs a shift."))
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add_shift)
        self.remove_button.clicked.connect(self.remove_shift)
        self.apply_button.clicked.connect(self.apply_changes)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Shifts"))
        self._hint.setText(
            _("Times as HH:MM (24:00 for midnight); a shift ending at or before its start ends the next day. "
              "An empty meal break start means no planned meal break.")
        )  # fmt: skip
        self.add_button.setText(_("Add shift"))
        self.remove_button.setText(_("Remove shift"))
        self.apply_button.setText(_("Apply shift changes…"))
        self.model.retranslate()
        self._update_buttons()
        self.empty_hint.refresh()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _update_buttons(self, *_args: object) -> None:
        # One change per run: the next one needs the policy this one puts in force.
        applied = _("Applied: start csdesk again to change the shifts again") if self.applied is not None else ""
        set_state(self.add_button, _("Add an empty shift row; type its code first"), applied)
        set_state(self.remove_button, _("Take the selected shift out of the table"),
                  applied or ("" if self._selected_row() is not None else _("Select a shift in the table first")))
        set_state(self.apply_button, _("Write the table to the site policy file, after showing what changes"), applied)

    def add_shift(self) -> None:
        """A new empty row, its code cell ready for typing."""
        index = self.model.index(self.model.add_row(), CODE)
        self.table.selectRow(index.row())
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def remove_shift(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.model.remove_row(row)
        self._update_buttons()

    def apply_changes(self) -> None:
        """Preview the table as the site's shifts, confirm the keys it changes, write them."""
        change = self.model.change()
        try:
            _policy, changes = self._site_policy.preview(change)
            if not changes:  # nothing to ask: apply refuses it with its own message
                self._site_policy.apply(self._actor, change)
            applied = apply_confirmed(self, self._site_policy, self._actor, change, changes, title=_("Apply shift changes"))
        except CsdeskError as exc:
            self._show_status(exc.message(), error=True)
            return
        if applied is None:
            return
        self.applied = applied
        self.model.freeze()
        self._update_buttons()
        self._show_status(written_text(applied) + "\n" + again_text(), error=False)

    def _show_status(self, text: str, *, error: bool) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)
