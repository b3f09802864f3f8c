"""How a day status looks: a colour that reads in print and on screen, and a letter for colour-blind users."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QFont

from csdesk.i18n import current_language, pgettext
from csdesk.rules.holidays import SUBSTITUTED
from csdesk.services.attendance_types import AgentDay

#: How a HOLIDAY that is a substituted day off of a holiday block looks, beside a statutory one.
DAY_OFF = "DAY_OFF"
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
    DAY_OFF: ("#f3eefb", "#4a2a82"),
    "MISSED": ("#f3d6ef", "#7a1f6e"),
    "NOSHIFT": ("#ffffff", "#999999"),
}
PENDING = ("#fff7d6", "#7a4f00")
PLANNED = "#9aa3ad"  # a shift code of a day not judged yet: grey italic on white, never a status colour


def base_status(status: str) -> str:
    return "LEAVE" if status.startswith("LEAVE") else status


def abbreviation(status: str) -> str:
    """A one-glyph mark per status (translated: 迟/早/旷/假/休 in Chinese)."""
    language = current_language()
    marks = _MARKS.get(language)
    if marks is None:  # once per language: the grid asks for some 2,000 marks on every month shown
        # TRANSLATORS: the day status marks of the attendance calendar: one or two glyphs each, all
        # different, and none equal to a roster shift code (D, E, R), which days not judged yet show.
        marks = _MARKS[language] = {
            "ON": pgettext("day status mark", "✓"),
            "LATE": pgettext("day status mark", "Lt"),
            "EARLY": pgettext("day status mark", "Ea"),
            "LATE_EARLY": pgettext("day status mark", "LE"),
            "ABSENT": pgettext("day status mark", "A"),
            "LEAVE": pgettext("day status mark", "V"),
            "REST": pgettext("day status mark", "–"),
            "HOLIDAY": pgettext("day status mark", "H"),
            DAY_OFF: pgettext("day status mark", "Ho"),
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


class DayLook:
    """How a day cell looks, the same in the team grid and the agent calendar.

    A judged day shows its status; a later day shows approved leave on a working shift as
    leave (its status once judged), and otherwise its planned shift code in grey italic."""

    def __init__(self, rest_shifts: Iterable[str]) -> None:
        self._rest = frozenset(rest_shifts)
        self.planned_colour = QColor(PLANNED)
        self.pending_colour = QColor(PENDING[0])
        self.planned_font = QFont()
        self.planned_font.setItalic(True)

    def status(self, day: AgentDay) -> str | None:
        """The status the cell is coloured and marked by (``DAY_OFF`` for a holiday that is a
        substituted day off); None for a planned shift."""
        if day.status == "HOLIDAY" and day.holiday_kind == SUBSTITUTED:
            return DAY_OFF
        if day.status:
            return day.status
        if day.leave_status == "approved" and day.shift is not None and day.shift not in self._rest:
            return "LEAVE"
        return None

    def mark(self, day: AgentDay) -> str:
        status = self.status(day)
        return abbreviation(status) if status else day.shift or ""

    def background(self, day: AgentDay) -> QColor | None:
        status = self.status(day)
        if status:
            return colours(status)[0]
        return self.pending_colour if day.leave_status == "pending" else None

    def foreground(self, day: AgentDay) -> QColor:
        status = self.status(day)
        return colours(status)[1] if status else self.planned_colour
