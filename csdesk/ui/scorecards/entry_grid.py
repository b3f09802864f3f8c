"""The trainer's grid: agents × the rated criteria, exam, adjustment and its reason.

Keyboard-first: type in a cell, Tab to the next editable cell, Enter to the cell below. Each
cell is saved through the service as soon as it is left; a refused value stays in the cell in
red with the rule's message as its tooltip (and in the page's status line). An adjustment
other than 0 waits (amber) for its reason, then both are saved together. Ctrl+Z undoes the
last saved edits, one by one. A value another PC changed since the grid was read is not
overwritten: the cell goes back to what the grid read, and the person is offered to reload.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QWidget

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.i18n import N_, _, format_number
from csdesk.labels import CRITERION_NAMES
from csdesk.policy import Policy
from csdesk.rules.scoring import validate_adjustment_range
from csdesk.services.base import Actor
from csdesk.services.scorecard_compute import AgentScorecard
from csdesk.services.scorecard_imports import parse_decimal
from csdesk.services.scorecards import ScorecardService
from csdesk.ui import messages

Index = QModelIndex | QPersistentModelIndex
ERROR_BACKGROUND = QColor("#f8d7da")
PENDING_BACKGROUND = QColor("#fff3cd")
HEADER_WRAP = 18  # characters per header line
WAITING_FOR_REASON = N_("Type the reason: the adjustment is saved together with it.")
WAITING_FOR_ADJUSTMENT = N_("Type the adjustment this reason is for.")


@dataclass(frozen=True)
class _Column:
    kind: str  # number, name, criterion, exam, adjustment, reason, total, grade
    header: str
    code: str = ""
    maximum: int = 0


@dataclass(frozen=True)
class _Undo:
    employee_no: str
    kind: str  # a criterion code, "exam" or "adjustment"
    old: Any  # Decimal | None, or (Decimal | None, reason) for the adjustment


class EntryTableModel(QAbstractTableModel):
    """Rows are the agents' cards of the month; edits go to the ScorecardService."""

    saved = Signal(str)  # a short confirmation for the status line
    edit_failed = Signal(str)  # the rule's message
    edit_pending = Signal(str)
    # Another PC changed the value since the grid read it (StaleWrite, employee no., column).
    stale_edit_refused = Signal(object, str, int)

    def __init__(self, service: ScorecardService, actor: Actor, policy: Policy, parent: Any = None) -> None:
        super().__init__(parent)
        self._service, self._actor, self._policy = service, actor, policy
        self.month = ""
        self.editable = True
        self._rows: list[AgentScorecard] = []
        self._pending: dict[tuple[str, str], tuple[str, str, bool]] = {}  # (no, kind) -> (text, message, error)
        self.undo_stack: list[_Undo] = []
        self.columns = [
            _Column("number", N_("Employee no.")),
            _Column("name", N_("Name")),
            *[_Column("criterion", CRITERION_NAMES.get(c.code, c.code), c.code, c.max) for c in policy.scoring.criteria],
            _Column("exam", N_("Exam"), "exam", policy.scoring.exam_full_marks),
            _Column("adjustment", N_("Adjustment"), "adjustment"),
            _Column("reason", N_("Reason"), "reason"),
            _Column("total", N_("Total")),
            _Column("grade", N_("Grade")),
        ]

    # --- loading ------------------------------------------------------------------------------

    def set_rows(self, month: str, rows: list[AgentScorecard], editable: bool) -> None:
        self.beginResetModel()
        self.month, self._rows, self.editable = month, list(rows), editable
        self._pending.clear()
        self.undo_stack.clear()
        self.endResetModel()

    def update_rows(self, rows: list[AgentScorecard]) -> None:
        """Fresh values for the same agents (after events changed totals); edits and undo stay."""
        fresh = {r.employee_no: r for r in rows}
        self._rows = [fresh.get(r.employee_no, r) for r in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def reload_rows(self) -> None:
        """Read the grid's agents again from the service, as stored now (another PC changed
        one); values typed and waiting in other cells, and the undo history, stay."""
        self.update_rows(self._service.entry_rows(self._actor, self.month))

    def row(self, index: int) -> AgentScorecard:
        return self._rows[index]

    def column_of(self, kind: str, code: str = "") -> int:
        return next(i for i, c in enumerate(self.columns) if c.kind == kind and (not code or c.code == code))

    def row_of(self, employee_no: str) -> int:
        return next(i for i, r in enumerate(self._rows) if r.employee_no == employee_no)

    def pending(self, employee_no: str, kind: str) -> tuple[str, str, bool] | None:
        return self._pending.get((employee_no, kind))

    # --- Qt model -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            title = _(column.header)
            if column.kind == "criterion":  # long names (Spanish) wrap instead of widening the grid
                return textwrap.fill(f"{title} ({column.maximum})", HEADER_WRAP)
            return title
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "criterion":
            return _("{criterion}: 0 to {max}").format(criterion=_(column.header), max=column.maximum)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.columns[index.column()].kind in ("criterion", "exam", "adjustment", "reason"):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _stored(self, row: AgentScorecard, column: _Column) -> Decimal | str | None:
        if column.kind == "criterion":
            entered = row.ratings.get(column.code)
            return entered.value if entered else None
        if column.kind == "exam":
            return row.exam.value if row.exam else None
        if column.kind == "adjustment":
            return row.adjustment.value if row.adjustment else None
        if column.kind == "reason":
            return row.adjustment.reason if row.adjustment else ""
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        pending = self._pending.get((row.employee_no, column.code)) if column.code else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if pending is not None:
                return pending[0]
            if column.kind == "number":
                return row.employee_no
            if column.kind == "name":
                return row.name
            if column.kind == "total":
                return format_number(row.card.total) if row.has_data else ""
            if column.kind == "grade":
                return row.card.grade if row.card.complete else ""
            value = self._stored(row, column)
            if isinstance(value, Decimal):
                return str(value) if role == Qt.ItemDataRole.EditRole else format_number(value)
            return value or ""
        if role == Qt.ItemDataRole.BackgroundRole and pending is not None:
            return ERROR_BACKGROUND if pending[2] else PENDING_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            if pending is not None:
                return pending[1]
            if column.kind == "criterion":
                return _("0 to {max}").format(max=column.maximum)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind not in ("name", "reason", "number"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        row, column = self._rows[index.row()], self.columns[index.column()]
        text = str(value or "").strip()
        shown = self.data(index, Qt.ItemDataRole.EditRole)
        if text == (shown or "") and (row.employee_no, column.code) not in self._pending:
            return True  # nothing changed
        try:
            return self._apply(index.row(), column, text)
        except StaleWrite as exc:
            # The typed value was weighed against one this person never saw: it is not kept, and
            # the cell shows what the grid read until the person chooses to reload.
            kinds = ("adjustment", "reason") if column.kind in ("adjustment", "reason") else (column.code,)
            for kind in kinds:
                self._pending.pop((row.employee_no, kind), None)
            self._changed(index.row())
            self.edit_failed.emit(exc.message())
            self.stale_edit_refused.emit(exc, row.employee_no, index.column())
            return False
        except CsdeskError as exc:
            self._pending[(row.employee_no, column.code)] = (text, exc.message(), True)
            self._changed(index.row())
            self.edit_failed.emit(exc.message())
            return False

    # --- saving -----------------------------------------------------------------------------

    def _apply(self, r: int, column: _Column, text: str) -> bool:
        row = self._rows[r]
        no = row.employee_no
        if column.kind == "reason":
            adjustment = self._pending.get((no, "adjustment"))
            value = parse_decimal(adjustment[0], "adjustment") if adjustment else (row.adjustment.value if row.adjustment else None)
            if value is None:
                self._hold(r, no, "reason", text, _(WAITING_FOR_ADJUSTMENT))
                return True
            return self._save_adjustment(r, value, text)
        number = parse_decimal(text, column.code) if text else None
        if column.kind == "adjustment":
            reason = self._pending.get((no, "reason"), (row.adjustment.reason if row.adjustment else "", "", False))[0]
            if number is not None and number != 0 and not reason.strip():
                validate_adjustment_range(number, self._policy)  # refused now, not after the reason
                self._hold(r, no, "adjustment", text, _(WAITING_FOR_REASON))
                return True
            return self._save_adjustment(r, number, reason)
        old = self._stored(row, column)
        # ``expected``: what this grid shows as stored; another PC's newer value is not overwritten.
        if column.kind == "criterion":
            card = self._service.set_rating(self._actor, self.month, no, column.code, number, expected=old)
        else:
            card = self._service.set_exam(self._actor, self.month, no, number, expected=old)
        self.undo_stack.append(_Undo(no, column.code, old))
        self._replace(r, card, (column.code,))
        self.saved.emit(_("Saved: {name}, {what}").format(name=row.name, what=_(column.header)))
        return True

    def _save_adjustment(self, r: int, value: Decimal | None, reason: str) -> bool:
        row = self._rows[r]
        old = (row.adjustment.value, row.adjustment.reason) if row.adjustment else (None, "")
        card = self._service.set_adjustment(self._actor, self.month, row.employee_no, value, reason, expected=old[0])
        self.undo_stack.append(_Undo(row.employee_no, "adjustment", old))
        self._replace(r, card, ("adjustment", "reason"))
        self.saved.emit(_("Saved: {name}, {what}").format(name=row.name, what=_("Adjustment")))
        return True

    def _hold(self, r: int, no: str, kind: str, text: str, message: str) -> None:
        self._pending[(no, kind)] = (text, message, False)
        self._changed(r)
        self.edit_pending.emit(message)

    def _replace(self, r: int, card: AgentScorecard, kinds: tuple[str, ...]) -> None:
        self._rows[r] = card
        for kind in kinds:
            self._pending.pop((card.employee_no, kind), None)
        self._changed(r)

    def _changed(self, r: int) -> None:
        self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.columns) - 1))

    def undo(self) -> bool:
        """Put back the value the last saved edit replaced; False when there is nothing to undo."""
        if not self.undo_stack:
            return False
        entry = self.undo_stack.pop()
        r = self.row_of(entry.employee_no)
        if entry.kind == "adjustment":
            value, reason = entry.old
            card = self._service.set_adjustment(self._actor, self.month, entry.employee_no, value, reason)
        elif entry.kind == "exam":
            card = self._service.set_exam(self._actor, self.month, entry.employee_no, entry.old)
        else:
            card = self._service.set_rating(self._actor, self.month, entry.employee_no, entry.kind, entry.old)
        self._replace(r, card, (entry.kind,))
        self.saved.emit(_("Undone: {name}").format(name=card.name))
        return True


class EntryView(QTableView):
    """Tab and Shift+Tab move between editable cells only; Enter moves down, like a spreadsheet."""

    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(False)
        shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.undo_requested.emit)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if isinstance(model, EntryTableModel):
            model.stale_edit_refused.connect(self._stale_edit_refused)

    def _stale_edit_refused(self, error: StaleWrite, employee_no: str, column: int) -> None:
        # Asked once the cell's editor has closed: a modal box opened while the editor commits
        # takes its focus, and the editor would commit the refused text a second time.
        QTimer.singleShot(0, self, lambda: self._offer_reload(error, employee_no, column))

    def _offer_reload(self, error: StaleWrite, employee_no: str, column: int) -> None:
        """Say who changed the value; Reload reads the grid again and puts the cursor back on
        the same agent and column, so the other PC's value is in sight."""
        model = self.model()
        if not isinstance(model, EntryTableModel) or not messages.offer_reload(self, error):
            return
        model.reload_rows()
        row = next((r for r in range(model.rowCount()) if model.row(r).employee_no == employee_no), None)
        if row is not None:
            index = model.index(row, column)
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        if action not in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious):
            return index
        model = self.model()
        for _step in range(model.columnCount() * max(1, model.rowCount())):
            if not index.isValid() or model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                break
            self.setCurrentIndex(index)
            index = super().moveCursor(action, modifiers)
        return index

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: on to the cell below
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._move_down()
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self._move_down()
            return
        super().keyPressEvent(event)

    def _move_down(self) -> None:
        current = self.currentIndex()
        if current.isValid() and current.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(current.siblingAtRow(current.row() + 1))
