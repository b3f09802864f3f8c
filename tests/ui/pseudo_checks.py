"""What the pseudo-locale test looks for in a shown window: a text the window cuts, and a window
bigger than the screen.

Each check measures what Qt itself would need to draw the text whole (the style's own size for a
header section, a group box title, a combo box's field) against the room the widget was given.
Only what is shown is looked at: a hidden widget, or one on a tab not shown, is not.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStyleOptionGroupBox,
    QStyleOptionHeader,
    QTableView,
    QTabBar,
    QToolButton,
    QTreeView,
    QWidget,
)

W = TypeVar("W", bound=QWidget)
# A push button's text plus its frame and margins (the style makes any button at least 80 px
# wide, whatever its text: a narrower one is not cut).
BUTTON_MARGINS = 12
# QLineEdit draws its text (and its placeholder) 2 px in from each side of its contents.
LINE_EDIT_MARGIN = 2


def plain(text: str) -> str:
    """``text`` as shown: the mnemonic ampersands gone, a doubled one kept."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shown(root: QWidget, kind: type[W]) -> list[W]:
    """The widgets of ``kind`` in ``root`` on screen, in ``root``'s own window (a dialog that is
    a child of ``root`` is a window of its own, checked on its own)."""
    window = root.window()
    return [w for w in root.findChildren(kind) if w.isVisible() and w.window() is window]


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}{'#' + widget.objectName() if widget.objectName() else ''}"


def _needed_width(widget: QLabel | QPushButton | QCheckBox | QRadioButton) -> int:
    if isinstance(widget, QPushButton):
        text = widget.fontMetrics().horizontalAdvance(plain(widget.text()))
        icon = widget.iconSize().width() + 4 if not widget.icon().isNull() else 0
        return min(widget.sizeHint().width(), text + icon + BUTTON_MARGINS)
    return widget.sizeHint().width()


def clipped_texts(root: QWidget) -> list[str]:
    """The shown labels, buttons, check boxes and radio buttons of ``root`` narrower than their
    text (a word-wrapped label breaks its lines on purpose: not counted)."""
    found = []
    for kind in (QLabel, QPushButton, QCheckBox, QRadioButton):
        for widget in shown(root, kind):
            wrapped = isinstance(widget, QLabel) and widget.wordWrap()
            if not widget.text() or wrapped:
                continue
            need = _needed_width(widget)
            if need > widget.width():
                found.append(f"{kind.__name__} {widget.text()!r}: {need} px in {widget.width()}")
    return found


def clipped_tabs(root: QWidget) -> list[str]:
    """Tab bars that shorten a tab's text (elide it) or scroll (some tabs out of sight)."""
    found = []
    for bar in shown(root, QTabBar):
        if any(button.isVisible() for button in bar.findChildren(QToolButton)):
            texts = [plain(bar.tabText(i)) for i in range(bar.count())]
            need = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
            found.append(f"QTabBar {texts!r}: scrolls, {need} px in {bar.width()}")
            continue
        for i in range(bar.count()):
            need, room = bar.tabSizeHint(i).width(), bar.tabRect(i).width()
            if bar.isTabVisible(i) and need > room:
                found.append(f"QTabBar tab {plain(bar.tabText(i))!r}: {need} px in {room}")
    return found


def clipped_group_titles(root: QWidget) -> list[str]:
    """Group boxes narrower than their title (as the style sizes a box for its title)."""
    found = []
    for box in shown(root, QGroupBox):
        if not box.title():
            continue
        option = QStyleOptionGroupBox()
        option.initFrom(box)
        option.text = box.title()
        option.subControls = QStyle.SubControl.SC_GroupBoxLabel
        if box.isCheckable():
            option.subControls |= QStyle.SubControl.SC_GroupBoxCheckBox
        metrics = box.fontMetrics()
        width = metrics.horizontalAdvance(plain(box.title()) + " ")
        if box.isCheckable():
            style = box.style()
            width += style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, option, box)
            width += style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, option, box)
        room = QSize(width, metrics.height())
        need = box.style().sizeFromContents(QStyle.ContentsType.CT_GroupBox, option, room, box).width()
        if need > box.width():
            found.append(f"QGroupBox {box.title()!r}: {need} px in {box.width()}")
    return found


def _section_need(header: QHeaderView, section: int) -> int:
    """What QHeaderView.sectionSizeFromContents answers (it is protected: computed the same way)."""
    model = header.model()
    orientation = header.orientation()
    text = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
    option = QStyleOptionHeader()
    option.initFrom(header)
    option.section = section
    option.text = "" if text is None else str(text)
    option.orientation = orientation
    font = model.headerData(section, orientation, Qt.ItemDataRole.FontRole)
    if font is not None:
        option.fontMetrics = QFontMetrics(font)
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:  # its arrow takes room
        option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    return header.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option, QSize(), header).width()


def clipped_headers(root: QWidget) -> list[str]:
    """Column headers of tables and trees narrower than their text where the person cannot widen
    the column by dragging: a fixed, stretched (or last, stretched) or sized-to-contents section.
    (An interactive column the person may widen is not counted.)"""
    found = []
    for view in shown(root, QAbstractItemView):
        header = _header_of(view)
        if header is None or view.model() is None or not header.isVisible():
            continue
        last = _last_shown(header)
        for section in range(header.count()):
            if header.isSectionHidden(section) or header.sectionSize(section) == 0:
                continue
            mode = header.sectionResizeMode(section)
            stretched = header.stretchLastSection() and section == last
            if mode == QHeaderView.ResizeMode.Interactive and not stretched:
                continue
            need, room = _section_need(header, section), header.sectionSize(section)
            if need > room:
                text = view.model().headerData(section, Qt.Orientation.Horizontal)
                how = f"{mode.name}, last" if stretched else mode.name
                found.append(f"{_name(view)} column {text!r} ({how}): {need} px in {room}")
    return found


def _header_of(view: QAbstractItemView) -> QHeaderView | None:
    """The column header of a table or tree view (a list has none)."""
    if isinstance(view, QTableView):
        return view.horizontalHeader()
    if isinstance(view, QTreeView):
        return view.header()
    return None


def _last_shown(header: QHeaderView) -> int:
    for visual in range(header.count() - 1, -1, -1):
        logical = header.logicalIndex(visual)
        if not header.isSectionHidden(logical):
            return logical
    return -1


def clipped_combos(root: QWidget) -> list[str]:
    """Combo boxes whose field is narrower than the text they show."""
    found = []
    for combo in shown(root, QComboBox):
        text = combo.currentText()
        if not text:
            continue
        metrics = combo.fontMetrics()
        need = metrics.horizontalAdvance(text)
        if combo.isEditable():
            edit = combo.lineEdit()
            room = edit.contentsRect().width() - 2 * LINE_EDIT_MARGIN
        else:
            option = QStyleOptionComboBox()
            option.initFrom(combo)
            option.editable = False
            option.currentText = text
            field = combo.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
            )
            room = field.width() - 2  # CE_ComboBoxLabel draws 1 px in from each side
            if not combo.itemIcon(combo.currentIndex()).isNull():
                room -= combo.iconSize().width() + 4
        if need > room:
            found.append(f"{_name(combo)} showing {text!r}: {need} px in {room}")
    return found


def clipped_placeholders(root: QWidget) -> list[str]:
    """Empty line edits whose placeholder text does not fit (Qt cuts it with an ellipsis)."""
    found = []
    for edit in shown(root, QLineEdit):
        placeholder = edit.placeholderText()
        if edit.text() or not placeholder:
            continue
        option = QStyleOptionFrame()
        option.initFrom(edit)
        if edit.hasFrame():
            option.lineWidth = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, option, edit)
        contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
        margins = edit.textMargins()
        sides = sum(b.width() for b in edit.findChildren(QToolButton) if b.isVisibleTo(edit))
        room = contents.width() - margins.left() - margins.right() - sides - 2 * LINE_EDIT_MARGIN
        need = edit.fontMetrics().horizontalAdvance(placeholder)
        if need > room:
            found.append(f"{_name(edit)} placeholder {placeholder!r}: {need} px in {room}")
    return found


def clipped(root: QWidget) -> list[str]:
    """Every text of ``root`` shown cut: labels and buttons, tabs, group box titles, column
    headers, combo boxes, placeholders."""
    return (
        clipped_texts(root) + clipped_tabs(root) + clipped_group_titles(root) + clipped_headers(root)
        + clipped_combos(root) + clipped_placeholders(root)
    )  # fmt: skip


def oversize(widget: QWidget, room: QSize) -> list[str]:
    """``widget`` needs more than ``room`` (the screen, less what is around it)."""
    need = widget.minimumSizeHint()
    if need.width() <= room.width() and need.height() <= room.height():
        return []
    name = widget.objectName() or type(widget).__name__
    return [f"{name} needs {need.width()}×{need.height()}, the screen leaves {room.width()}×{room.height()}"]
