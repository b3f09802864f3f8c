"""How a day status looks: a colour that reads in print and on screen, and a letter for colour-blind users."""

from __future__ import annotations

from PySide6.QtGui import QColor

from csdesk.i18n import current_language, pgettext

# (background, foreground); chosen from a colour-blind-safe palette (Okabe–Ito, lightened).
COLOURS: dict[str, tuple[str, str]] = {
    "ON": ("#dff3e4", "#1b5e20"),
    "LATE": ("#ffe8b3", "#7a4f00"),
    "EARLY": ("#ffe8b3", "#7a4f00"),
    "LATE_EARLY": ("#ffd180", "#6d3d00"),
    "ABSENT": ("#f8c4c4", "#8b0000"),
    "LEAVE": ("#cfe3fb", "#0b3d91"),
    "REST": ("#f0f0f0", "#666666"),
    "HOLIDAY": ("#e6dcf5", "#4a2a82"),
    "MISSED": ("#f3d6ef", "#7a1f6e"),
    "NOSHIFT": ("#ffffff", "#999999"),
}
PENDING = ("#fff7d6", "#7a4f00")


def base_status(status: str) -> str:
    return "LEAVE" if status.startswith("LEAVE") else status


def abbreviation(status: str) -> str:
    """A one-glyph mark per status (translated: 迟/早/旷/假/休 in Chinese)."""
    language = current_language()
    marks = _MARKS.get(language)
    if marks is None:  # once per language: the grid asks for some 2,000 marks on every month shown
        marks = _MARKS[language] = {
            "ON": pgettext("day status mark", "✓"),
            "LATE": pgettext("day status mark", "L"),
            "EARLY": pgettext("day status mark", "E"),
            "LATE_EARLY": pgettext("day status mark", "LE"),
            "ABSENT": pgettext("day status mark", "A"),
            "LEAVE": pgettext("day status mark", "V"),
            "REST": pgettext("day status mark", "R"),
            "HOLIDAY": pgettext("day status mark", "H"),
            "MISSED": pgettext("day status mark", "M"),
            "NOSHIFT": "",
        }
    return marks.get(base_status(status), "?")


_MARKS: dict[str, dict[str, str]] = {}
_QCOLOURS: dict[str, tuple[QColor, QColor]] = {}


def colours(status: str) -> tuple[QColor, QColor]:
    """Background and text colour of a day status (made once per status, shared)."""
    pair = _QCOLOURS.get(status)
    if pair is None:
        back, fore = COLOURS.get(base_status(status), ("#ffffff", "#000000"))
        pair = _QCOLOURS[status] = (QColor(back), QColor(fore))
    return pair
