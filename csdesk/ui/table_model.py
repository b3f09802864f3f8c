"""A read-only table model over a list of row objects, described by column specs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from csdesk.i18n import _
from csdesk.records import record

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


INACTIVE_GREY = QColor("#888888")

# The roles as plain ints, for data(): a painted cell asks for some eight roles, and each look-up
# of a member of Qt's enums costs 0.3 µs, as much as the rest of a refused role's call.
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
EDIT_ROLE = int(Qt.ItemDataRole.EditRole)
TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND_ROLE = int(Qt.ItemDataRole.ForegroundRole)
BACKGROUND_ROLE = int(Qt.ItemDataRole.BackgroundRole)
FONT_ROLE = int(Qt.ItemDataRole.FontRole)
USER_ROLE = int(Qt.ItemDataRole.UserRole)
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def grey_if_inactive(row: Any) -> QColor | None:
    """``ColumnSpec.foreground`` for rows with an ``active`` flag: inactive ones are greyed out."""
    return None if row.active else INACTIVE_GREY


@record
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
    _ANSWERED = frozenset({DISPLAY_ROLE, int(SORT_ROLE), ALIGNMENT_ROLE, FOREGROUND_ROLE, TOOLTIP_ROLE, FONT_ROLE})

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

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if role not in self._ANSWERED or not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        spec = self._columns[index.column()]
        item = self._rows[index.row()]
        if role == DISPLAY_ROLE:
            return spec.text(item)
        if role == self.SORT_ROLE:
            return spec.sort_key(item) if spec.sort_key else spec.text(item)
        if role == ALIGNMENT_ROLE:
            return RIGHT_ALIGNED if spec.align_right else None
        if role == FOREGROUND_ROLE:
            return spec.foreground(item) if spec.foreground else None
        if role == TOOLTIP_ROLE:
            return spec.tooltip(item) if spec.tooltip else None
        return spec.font(item) if spec.font else None  # FONT_ROLE

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self._columns[section].header)
        return super().headerData(section, orientation, role)


def fit_columns_once(table: QTableView) -> None:
    """Fit ``table``'s columns to their header and first rows once, then leave the widths to the
    user: the ``ResizeToContents`` sections are fitted and become ``Interactive`` (a stretched
    one stays stretched), so once fitted there is nothing left to fit.

    A header that resized to contents at every model reset asked ``data()`` for each role of a
    sample of cells on the GUI thread at each month switch (3,520 calls for the entry grid's 40
    sampled rows)."""
    header = table.horizontalHeader()
    fitting = [s for s in range(header.count()) if header.sectionResizeMode(s) == QHeaderView.ResizeMode.ResizeToContents]
    if not fitting or table.model() is None or not table.model().rowCount():
        return
    header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
    for section in fitting:
        header.setSectionResizeMode(section, QHeaderView.ResizeMode.Interactive)


class PickListModel(QAbstractListModel):
    """The items of a long combo box (a month's 2,000 agents): (text, key) pairs, the key as the
    item's data (``currentData()``). They are set in one reset and the box asks only for the rows
    it shows; filling the box item by item made 2,000 calls into Qt on the GUI thread, and
    ``findData`` asks the model row by row (see :meth:`row_of`)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, str]] = []
        self._rows: dict[str, int] = {}

    def set_items(self, items: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._rows = {key: n for n, (_text, key) in enumerate(self._items)}
        self.endResetModel()

    def row_of(self, key: str) -> int:
        """The row of ``key``, -1 if it is not listed."""
        return self._rows.get(key, -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        if role == DISPLAY_ROLE or role == EDIT_ROLE:
            return self._items[index.row()][0]
        if role == USER_ROLE:
            return self._items[index.row()][1]
        return None


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
