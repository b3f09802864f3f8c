"""A table view whose first column stays in view when it scrolls sideways."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget

from csdesk.ui.table_model import Index


class FrozenColumnTableView(QTableView):
    """A table whose first column stays put when it scrolls sideways (Qt's "frozencolumn" example).

    A second view over the same model and selection shows only column 0 on top of it; the two
    scroll together vertically, and an activated name (Enter, double-click) is this view's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frozen = QTableView(self)
        self._frozen.setObjectName("frozenColumn")
        self._frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._frozen.setFrameShape(QFrame.Shape.NoFrame)
        self._frozen.verticalHeader().hide()
        self._frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for view in (self, self._frozen):
            view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().stackUnder(self._frozen)
        self._frozen.activated.connect(self.activated)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.verticalScrollBar().valueChanged.connect(self._frozen.verticalScrollBar().setValue)
        self._frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self._frozen.setModel(model)
        self._frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._hide_unfrozen)
        self._hide_unfrozen()

    def set_row_height(self, pixels: int) -> None:
        for view in (self, self._frozen):
            view.verticalHeader().setDefaultSectionSize(pixels)

    def setSelectionMode(self, mode: QAbstractItemView.SelectionMode) -> None:
        super().setSelectionMode(mode)
        self._frozen.setSelectionMode(mode)

    def _hide_unfrozen(self) -> None:
        model = self.model()
        for column in range(1, model.columnCount() if model is not None else 0):
            self._frozen.setColumnHidden(column, True)
        self._frozen.setColumnWidth(0, self.columnWidth(0))
        self._place_frozen()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self._frozen.setColumnWidth(0, new)
            self._place_frozen()

    def _place_frozen(self) -> None:
        self._frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self._frozen.setGeometry(self.viewport().x(), self.frameWidth(), self.columnWidth(0),
                                self.viewport().height() + self.horizontalHeader().height())

    def updateGeometries(self) -> None:  # a resize, a new month: the header and viewport may have moved
        super().updateGeometries()
        self._place_frozen()

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = super().moveCursor(action, modifiers)
        hidden = self._frozen.columnWidth(0) - self.visualRect(current).x()  # under the names
        if action == QAbstractItemView.CursorAction.MoveLeft and current.column() > 0 and hidden > 0:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - hidden)
        return current

    def scrollTo(
        self, index: Index, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
    ) -> None:
        if index.column() > 0:  # the frozen column is always in view
            super().scrollTo(index, hint)
