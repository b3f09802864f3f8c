"""A read-only table model over a list of row objects, described by column specs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from csdesk.i18n import _

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


INACTIVE_GREY = QColor("#888888")


def grey_if_inactive(row: Any) -> QColor | None:
    """``ColumnSpec.foreground`` for rows with an ``active`` flag: inactive ones are greyed out."""
    return None if row.active else INACTIVE_GREY


@dataclass(frozen=True)
class ColumnSpec(Generic[T]):
    """One column: a header (marked N_), the display text, and optional sort key and styling."""

    header: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    align_right: bool = False
    foreground: Callable[[T], QColor | None] | None = None
    tooltip: Callable[[T], str] | None = None
    font: Callable[[T], QFont | None] | None = None


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows are plain DTOs from a service; ``set_rows`` replaces them all.

    The model sorts itself (``sort``), by each column's sort key computed once per row, and keeps
    the last order when its rows are replaced. A QSortFilterProxyModel sorting 2,000 rows asks
    ``data()`` some 40,000 times on the GUI thread (~100 ms); put a QIdentityProxyModel in front
    instead when a proxy is wanted, and the view's header still sorts (the proxy passes ``sort``
    on).
    """

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[ColumnSpec[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        self._order: tuple[int, Qt.SortOrder] | None = None  # the last sort asked for

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._order is not None:
            self._sort_rows(*self._order)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = [(index, self._rows[index.row()]) for index in before]
        self._sort_rows(column, order)
        position = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(before, [self.index(position[id(row)], index.column()) for index, row in moved])
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        spec = self._columns[column]
        key = spec.sort_key or spec.text
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def row(self, index: int) -> T:
        return self._rows[index]

    def columns(self) -> list[ColumnSpec[T]]:
        return list(self._columns)

    def rows(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        spec = self._columns[index.column()]
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.text(item)
        if role == self.SORT_ROLE:
            return spec.sort_key(item) if spec.sort_key else spec.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and spec.foreground:
            return spec.foreground(item)
        if role == Qt.ItemDataRole.ToolTipRole and spec.tooltip:
            return spec.tooltip(item)
        if role == Qt.ItemDataRole.FontRole and spec.font:
            return spec.font(item)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self._columns[section].header)
        return super().headerData(section, orientation, role)


class RowFilterProxy(QSortFilterProxyModel):
    """A free-text filter over every column of a :class:`RowTableModel` that leaves sorting to it.

    The model sorts by keys computed once per row; this proxy only hides rows. Each row's text
    (every column, lower-cased) is built once per reset and kept, so typing in the search box
    does not ask ``data()`` for every cell again (2,000 people × 9 columns per key press).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._haystacks: dict[int, str] = {}

    def setSourceModel(self, model: Any) -> None:  # noqa: N802 (Qt's name)
        super().setSourceModel(model)
        model.modelReset.connect(self._haystacks.clear)

    def set_text(self, text: str) -> None:
        """Show the rows whose columns contain ``text`` (case-insensitive; empty: every row)."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+: invalidateFilter is deprecated
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange()
        else:
            self._needle = needle
            self.invalidateFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)  # the proxy keeps the model's order: it never sorts itself

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self._needle:
            return True
        model = self.sourceModel()
        item = model.row(source_row)
        haystack = self._haystacks.get(id(item))
        if haystack is None:
            haystack = "\n".join(spec.text(item) for spec in model.columns()).casefold()
            self._haystacks[id(item)] = haystack
        return self._needle in haystack


def read_only_table(model: QAbstractTableModel, name: str) -> QTableView:
    """A read-only list of ``model``'s rows, one row chosen at a time, its columns as wide as
    their contents and the last one taking the rest."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table
