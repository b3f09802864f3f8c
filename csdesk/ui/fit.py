"""Widgets wide enough for their own texts, in every language.

A placeholder or a header is written once in English and may be 40 % longer in Spanish: a line
edit or a table sized for the English text cuts it with an ellipsis ("e.g. promotion deci…").
These helpers give a widget the minimum width its text needs, measured with its own font.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHeaderView, QLineEdit, QStyle, QStyleOptionHeader, QTableView

# Room around a line edit's text: its frame, Qt's 2 px text margin on each side, and a little air.
_SPARE = 6


def fit_placeholder(edit: QLineEdit) -> None:
    """Make ``edit`` at least as wide as its placeholder text (call after setting the text)."""
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit) if edit.hasFrame() else 0
    margins = edit.textMargins()
    need = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    edit.setMinimumWidth(need + 2 * frame + 2 * 2 + margins.left() + margins.right() + _SPARE)


def header_need(header: QHeaderView, section: int) -> int:
    """The width ``section``'s header text needs, as QHeaderView.sectionSizeFromContents answers
    it (a protected method, so computed the same way: the style's size of a header section)."""
    orientation = header.orientation()
    text = header.model().headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
    option = QStyleOptionHeader()
    option.initFrom(header)
    option.section = section
    option.text = "" if text is None else str(text)
    option.orientation = orientation
    option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown  # room for the arrow, sorted or not
    return header.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option, QSize(), header).width()


def fit_headers(table: QTableView) -> None:
    """Keep ``table`` at least as wide as its columns need: a stretched column its header's text,
    any other its header or its rows, whichever is wider (measured again whenever the rows
    change), so a narrow pane or dialog never cuts a header."""
    _fit_now(table)
    model = table.model()
    for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
        signal.connect(lambda *_args: _fit_now(table))


def _fit_now(table: QTableView) -> None:
    header = table.horizontalHeader()
    need = 0
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        wide = header_need(header, section)
        if header.sectionResizeMode(section) != QHeaderView.ResizeMode.Stretch:
            wide = max(wide, table.sizeHintForColumn(section))
        need += wide
    frame = 2 * table.frameWidth()
    scroll = table.verticalScrollBar().sizeHint().width()
    table.setMinimumWidth(need + frame + scroll)
