"""The trainer's grid: agents × the rated criteria, exam, adjustment and its reason.

Keyboard-first: type in a cell, Tab to the next editable cell, Enter to the cell below (from
an adjustment to its reason). Numbers are shown and edited with the language's decimal mark; a
point is taken too. Each cell is saved through the service as soon as it is left; a refused
value is not kept: the cell shows what is stored again and the page's status line says why,
naming the agent and the column. Ctrl+V pastes a block copied from a spreadsheet: each cell
is saved or refused on its own and every refusal is listed. An adjustment other than 0 waits
(amber) for its reason, then both are saved together. Ctrl+Z undoes the last saved edits, one
by one. A value another PC changed since the grid was read is not overwritten: the cell goes
back to what the grid read, and the person is offered to reload.
"""

from __future__ import annotations

import textwrap
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
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QWidget

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.i18n import N_, _, format_editable, format_number, ngettext
from csdesk.labels import CRITERION_NAMES
from csdesk.policy import Policy
from csdesk.records import record
from csdesk.rules.scoring import validate_adjustment_range
from csdesk.services.base import Actor
from csdesk.services.qa import VIEW as QA_VIEW
from csdesk.services.scorecard_compute import AgentScorecard
from csdesk.services.scorecard_imports import parse_decimal
from csdesk.services.scorecards import ScorecardService
from csdesk.ui import messages
from csdesk.ui.shortcuts import make_shortcut, matches
from csdesk.ui.table_model import (
    ALIGNMENT_ROLE,
    BACKGROUND_ROLE,
    DISPLAY_ROLE,
    EDIT_ROLE,
    RIGHT_ALIGNED,
    TOOLTIP_ROLE,
)

Index = QModelIndex | QPersistentModelIndex
PENDING_BACKGROUND = QColor("#fff3cd")
HEADER_WRAP = 18  # characters per header line
WAITING_FOR_REASON = N_("Type the reason: the adjustment is saved together with it.")
WAITING_FOR_ADJUSTMENT = N_("Type the adjustment this reason is for.")
QA_GUIDED = "service_quality"  # the rated criterion the month's QA average is a guide for
NO_QA = "—"  # the QA column of an agent without an inspection that counts this month


@record
class _Column:
    kind: str  # number, name, qa, criterion, exam, adjustment, reason, total, grade
    header: str
    code: str = ""
    maximum: int = 0


@record
class _Undo:
    employee_no: str
    kind: str  # a criterion code, "exam" or "adjustment"
    old: Any  # Decimal | None, or (Decimal | None, reason) for the adjustment


class EntryTableModel(QAbstractTableModel):
    """Rows are the agents' cards of the month; edits go to the ScorecardService."""

    saved = Signal(str)  # a short confirmation for the status line
    edit_failed = Signal(str)  # the refusals of one edit or paste, a line each
    edit_pending = Signal(str)
    # Another PC changed the value since the grid read it (StaleWrite, employee no., column).
    stale_edit_refused = Signal(object, str, int)

    def __init__(self, service: ScorecardService, actor: Actor, policy: Policy, parent: Any = None) -> None:
        super().__init__(parent)
        self._service, self._actor, self._policy = service, actor, policy
        self.month = ""
        self.editable = True
        self._rows: list[AgentScorecard] = []
        self._qa: dict[str, tuple[Decimal, int]] = {}  # employee no. -> the month's QA average, inspections
        self._pending: dict[tuple[str, str], tuple[str, str]] = {}  # (no, kind) -> (text, message)
        self.undo_stack: list[_Undo] = []
        # The month's QA average, read-only, for a reader with qa.view when the policy rates
        # service quality: before the criteria (beside service quality, the first of them by
        # default), so that a block pasted from a spreadsheet still runs criteria, exam,
        # adjustment, reason without a gap.
        guided = any(c.code == QA_GUIDED for c in policy.scoring.criteria)
        qa = [_Column("qa", N_("QA average"))] if guided and actor.can(QA_VIEW) else []
        self.columns = [
            _Column("number", N_("Employee no.")),
            _Column("name", N_("Name")),
            *qa,
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

    def set_qa_averages(self, averages: dict[str, tuple[Decimal, int]]) -> None:
        """The month's QA average and inspection count per agent, shown in the QA column and in
        the service-quality cells' tooltips (none for a reader without ``qa.view``)."""
        self._qa = dict(averages)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

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

    def pending(self, employee_no: str, kind: str) -> tuple[str, str] | None:
        return self._pending.get((employee_no, kind))

    def after_enter(self, index: Index) -> QModelIndex:
        """Where Enter goes from ``index``: from an adjustment to its reason, from a reason to the
        next row's adjustment (the two are one entry), from any other cell to the one below."""
        kind = self.columns[index.column()].kind
        if kind == "adjustment":
            return self.index(index.row(), self.column_of("reason"))
        return self.index(index.row() + 1, self.column_of("adjustment") if kind == "reason" else index.column())

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
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "qa":
            return _("The month's quality-inspection average (how many inspections, in brackets): a guide for rating service quality")
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

    _ANSWERED = frozenset({DISPLAY_ROLE, EDIT_ROLE, BACKGROUND_ROLE, TOOLTIP_ROLE, ALIGNMENT_ROLE})

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if role not in self._ANSWERED or not index.isValid():
            return None  # the roles a painted cell asks for and this grid does not set: first, cheaply
        row, column = self._rows[index.row()], self.columns[index.column()]
        pending = self._pending.get((row.employee_no, column.code)) if column.code else None
        if role == DISPLAY_ROLE or role == EDIT_ROLE:
            if pending is not None:
                return pending[0]
            if column.kind == "number":
                return row.employee_no
            if column.kind == "name":
                return row.name
            if column.kind == "qa":
                return self._qa_text(row)
            if column.kind == "total":
                return format_number(row.card.total) if row.has_data else ""
            if column.kind == "grade":
                return row.card.grade if row.card.complete else ""
            value = self._stored(row, column)
            if isinstance(value, Decimal):
                return format_editable(value) if role == EDIT_ROLE else format_number(value)
            return value or ""
        if role == BACKGROUND_ROLE:
            return PENDING_BACKGROUND if pending is not None else None
        if role == TOOLTIP_ROLE:
            if pending is not None:
                return pending[1]
            if column.kind == "criterion":
                return self._criterion_tip(row, column)
            if column.kind == "qa":
                return self._qa_guide(row) or _("No inspections this month")
        if role == ALIGNMENT_ROLE and column.kind not in ("name", "reason", "number"):
            return RIGHT_ALIGNED
        return None

    def _qa_text(self, row: AgentScorecard) -> str:
        """The QA column's cell: the average and, in brackets, how many inspections it is of."""
        qa = self._qa.get(row.employee_no)
        if qa is None:
            return NO_QA
        average, n = qa
        return f"{format_number(average, 1)} ({format_number(n)})"

    def _qa_guide(self, row: AgentScorecard) -> str:
        """The month's QA average in words ("" without an inspection that counts)."""
        qa = self._qa.get(row.employee_no)
        if qa is None:
            return ""
        average, n = qa
        guide = ngettext("QA average {average} ({n} inspection)", "QA average {average} ({n} inspections)", n)
        return guide.format(average=format_number(average, 1), n=format_number(n))

    def _criterion_tip(self, row: AgentScorecard, column: _Column) -> str:
        """The criterion's range; for service quality also the month's QA average, if any."""
        tip = _("0 to {max}").format(max=column.maximum)
        guide = self._qa_guide(row) if column.code == QA_GUIDED else ""
        return tip + "\n" + guide if guide else tip

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._editable(index):
            return False
        refusal = self._enter(index, str(value or ""))
        if refusal:
            self.edit_failed.emit(refusal)
        return not refusal

    def paste(self, top_left: Index, text: str) -> None:
        """A block copied from a spreadsheet (a line a row, a tab between cells), from ``top_left``
        on: each editable cell it covers is saved or refused on its own (the others are skipped),
        and the refusals are listed together, a line each."""
        if not top_left.isValid():
            return
        refusals: list[str] = []
        for r, line in enumerate(text.splitlines(), start=top_left.row()):
            for c, value in enumerate(line.split("\t"), start=top_left.column()):
                index = self.index(r, c)
                if self._editable(index):
                    refusals.append(self._enter(index, value))
        if any(refusals):
            self.edit_failed.emit("\n".join(filter(None, refusals)))

    def _editable(self, index: Index) -> bool:
        return index.isValid() and bool(self.flags(index) & Qt.ItemFlag.ItemIsEditable)

    def _enter(self, index: Index, value: str) -> str:
        """Save one cell's text; "" when it was taken, else why not (naming agent and column).
        A refused text is not kept: the cell shows what is stored again."""
        row, column = self._rows[index.row()], self.columns[index.column()]
        text = value.strip()
        unchanged = text == (self.data(index, Qt.ItemDataRole.EditRole) or "")
        if unchanged and (row.employee_no, column.code) not in self._pending:
            return ""  # nothing to save
        try:
            self._apply(index.row(), column, text)
            return ""
        except StaleWrite as exc:
            # The typed value was weighed against one this person never saw: the cell shows what
            # the grid read until the person chooses to reload.
            kinds = ("adjustment", "reason") if column.kind in ("adjustment", "reason") else (column.code,)
            self._drop(index.row(), kinds)
            self.stale_edit_refused.emit(exc, row.employee_no, index.column())
            return self._refusal(row, column, exc)
        except CsdeskError as exc:
            self._drop(index.row(), (column.code,))
            return self._refusal(row, column, exc)

    def _drop(self, r: int, kinds: tuple[str, ...]) -> None:
        for kind in kinds:
            self._pending.pop((self._rows[r].employee_no, kind), None)
        self._changed(r)

    def _refusal(self, row: AgentScorecard, column: _Column, error: CsdeskError) -> str:
        """The service's message naming the agent, and the column by the grid's header instead of
        its code (``service_quality``); the column is named in front unless the message does."""
        title = _(column.header)
        named = {key: title for key, value in error.params.items() if value == column.code}
        problem = _(error.msgid).format(**{**error.params, **named}) if named else error.message()
        if title.casefold() not in problem.casefold():
            problem = _("{column}: {problem}").format(column=title, problem=problem)
        return _("{employee_no} {name} · {problem}").format(
            employee_no=row.employee_no, name=row.name, problem=problem
        )

    # --- saving -----------------------------------------------------------------------------

    def _apply(self, r: int, column: _Column, text: str) -> None:
        row = self._rows[r]
        no = row.employee_no
        if column.kind == "reason":
            adjustment = self._pending.get((no, "adjustment"))
            value = parse_decimal(adjustment[0], "adjustment") if adjustment else (row.adjustment.value if row.adjustment else None)
            if value is None:
                self._hold(r, no, "reason", text, _(WAITING_FOR_ADJUSTMENT))
            else:
                self._save_adjustment(r, value, text)
            return
        number = parse_decimal(text, column.code) if text else None
        if column.kind == "adjustment":
            reason = self._pending.get((no, "reason"), (row.adjustment.reason if row.adjustment else "", ""))[0]
            if number is not None and number != 0 and not reason.strip():
                validate_adjustment_range(number, self._policy)  # refused now, not after the reason
                self._hold(r, no, "adjustment", text, _(WAITING_FOR_REASON))
            else:
                self._save_adjustment(r, number, reason)
            return
        old = self._stored(row, column)
        # ``expected``: what this grid shows as stored; another PC's newer value is not overwritten.
        if column.kind == "criterion":
            card = self._service.set_rating(self._actor, self.month, no, column.code, number, expected=old)
        else:
            card = self._service.set_exam(self._actor, self.month, no, number, expected=old)
        self.undo_stack.append(_Undo(no, column.code, old))
        self._replace(r, card, (column.code,))
        self.saved.emit(_("Saved: {name}, {what}").format(name=row.name, what=_(column.header)))

    def _save_adjustment(self, r: int, value: Decimal | None, reason: str) -> None:
        row = self._rows[r]
        old = (row.adjustment.value, row.adjustment.reason) if row.adjustment else (None, "")
        card = self._service.set_adjustment(self._actor, self.month, row.employee_no, value, reason, expected=old[0])
        self.undo_stack.append(_Undo(row.employee_no, "adjustment", old))
        self._replace(r, card, ("adjustment", "reason"))
        self.saved.emit(_("Saved: {name}, {what}").format(name=row.name, what=_("Adjustment")))

    def _hold(self, r: int, no: str, kind: str, text: str, message: str) -> None:
        self._pending[(no, kind)] = (text, message)
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
    """Tab and Shift+Tab move between editable cells only; Enter moves down, like a spreadsheet
    (an adjustment's Enter goes on to its reason); Ctrl+V pastes a block from the current cell."""

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
        self._changing_current = False
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(False)
        shortcut = make_shortcut("scorecards.undo", self, Qt.ShortcutContext.WidgetWithChildrenShortcut)
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

    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:
        # A cursor put on another row (Reload does) closes the open editor with the hint Enter
        # gives; that close must not move the cursor on again.
        self._changing_current = True
        try:
            super().currentChanged(current, previous)
        finally:
            self._changing_current = False

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache and not self._changing_current:  # Enter
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._enter_pressed()
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self._enter_pressed()
            return
        model = self.model()
        if matches(event, "scorecards.paste") and isinstance(model, EntryTableModel):
            model.paste(self.currentIndex(), QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def _enter_pressed(self) -> None:
        model, current = self.model(), self.currentIndex()
        if isinstance(model, EntryTableModel) and current.isValid():
            after = model.after_enter(current)
            if after.isValid():
                self.setCurrentIndex(after)
