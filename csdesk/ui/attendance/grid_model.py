"""The team overview: agents × days of the month, plus the month totals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from csdesk.i18n import N_, _, format_number, format_time
from csdesk.labels import DAY_STATUS_NAMES, LEAVE_NAMES, SHIFT_NAMES, name_of
from csdesk.rules.holidays import MAKEUP, OFF_KINDS, STATUTORY, SUBSTITUTED
from csdesk.services.attendance_types import AgentDay, AgentMonth, TeamMonth
from csdesk.ui.attendance.status_style import DAY_OFF, DayLook

Index = QModelIndex | QPersistentModelIndex
DAY_OFF_HEADER = "#b00020"  # the day number of a weekend day or a day off of a holiday block

TOTALS: tuple[tuple[str, str], ...] = (
    ("late", N_("Late")),
    ("early", N_("Early")),
    ("absent", N_("Absent")),
    ("missed", N_("Missed")),
    ("leave_days", N_("Leave")),
    ("deduction_cny", N_("Deduction")),
    ("full_attendance_bonus_cny", N_("Bonus")),
)
HOLIDAY_KIND_NAMES = {
    STATUTORY: N_("Public holiday"),
    SUBSTITUTED: N_("Day off in a holiday block"),
    MAKEUP: N_("Make-up working day"),
}
#: What the legend calls each look of a day (DayLook.status).
LOOK_NAMES = {**DAY_STATUS_NAMES, DAY_OFF: HOLIDAY_KIND_NAMES[SUBSTITUTED]}
LEAVE_STATUS_NAMES = {"pending": N_("pending"), "approved": N_("approved"), "rejected": N_("rejected")}
REASONS = {
    "NO_PUNCHES": N_("no punches"),
    "LATE_OVER_MAX": N_("late by more than the limit"),
    "EARLY_OVER_MAX": N_("left early by more than the limit"),
    "LEAVE_NOT_APPROVED": N_("leave not approved"),
    "ONE_PUNCH": N_("only one punch"),
    "LEAVE_NO_CERTIFICATE": N_("no certificate for the leave"),
    "LEAVE_NOT_CANCELLED": N_("leave not closed on return (销假)"),
    "LATES_AS_ABSENCE": N_("third consecutive late/early: counted as an absence"),
}


def day_tooltip(day: AgentDay) -> str:
    """Status, holiday, shift, punches and reasons of one day, in the current language."""
    lines = [day.day.isoformat()]
    holiday = _(HOLIDAY_KIND_NAMES[day.holiday_kind]) if day.holiday_kind else None
    if day.status and not (day.status == "HOLIDAY" and holiday):  # a holiday's kind names it better
        lines.append(name_of(DAY_STATUS_NAMES, day.status) if not day.status.startswith("LEAVE") else name_of(LEAVE_NAMES, day.status))
    if holiday:
        lines.append(_("{holiday}: worked").format(holiday=holiday) if day.holiday_worked else holiday)
    if day.shift:
        lines.append(_("Shift: {shift}").format(shift=f"{day.shift} {name_of(SHIFT_NAMES, day.shift)}"))
    if day.punches:
        lines.append(_("Punches: {times}").format(times=", ".join(format_time(p) for p in day.punches)))
    if day.late_minutes:
        lines.append(_("Late by {n} min").format(n=day.late_minutes))
    if day.early_minutes:
        lines.append(_("Left {n} min early").format(n=day.early_minutes))
    if day.reason:
        lines.append(_("Reason: {reason}").format(reason=_(REASONS.get(day.reason, day.reason))))
    if day.leave_code and day.leave_status:
        status = _(LEAVE_STATUS_NAMES.get(day.leave_status, day.leave_status))
        lines.append(_("Leave request ({type}): {status}").format(type=name_of(LEAVE_NAMES, day.leave_code), status=status))
    if day.corrected:
        lines.append(_("Corrected punch"))
    return "\n".join(lines)


class TeamMonthModel(QAbstractTableModel):
    """Column 0: the agent; then one column per day; then the totals."""

    DAY_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None, *, rest_shifts: Iterable[str] = ()) -> None:
        super().__init__(parent)
        self.month: TeamMonth | None = None
        self._first_total = 1  # the agent column, then the days (set_month), then the totals
        self._holidays: dict[date, str] = {}  # the month's days that have a holiday kind (set_month)
        self._look = DayLook(rest_shifts)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_month(self, month: TeamMonth | None) -> None:
        self.beginResetModel()
        self.month = month
        self._first_total = 1 + (len(month.days) if month else 0)
        # One calendar for everyone: the first agent's days carry the kinds of the month's days.
        days = month.agents[0].days if month and month.agents else ()
        self._holidays = {d.day: d.holiday_kind for d in days if d.holiday_kind}
        self.endResetModel()

    @property
    def first_total_column(self) -> int:
        return self._first_total

    def agent(self, row: int) -> AgentMonth:
        assert self.month is not None
        return self.month.agents[row]

    def day_at(self, index: Index) -> AgentDay | None:
        if not self.month or not index.isValid() or not 1 <= index.column() < self.first_total_column:
            return None
        return self.month.agents[index.row()].days[index.column() - 1]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self.month else len(self.month.agents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self.month else 1 + len(self.month.days) + len(TOTALS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.month or not index.isValid():
            return None
        agent = self.month.agents[index.row()]
        col = index.column()
        first_total = self._first_total
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{agent.employee_no} {agent.name}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return agent.team or ""
            return None
        if col >= first_total:
            key, _label = TOTALS[col - first_total]
            value = getattr(agent, key)
            if role == Qt.ItemDataRole.DisplayRole:
                return format_number(value) if value else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ForegroundRole and key == "deduction_cny" and value:
                return QColor("#8b0000")
            return None
        day = agent.days[col - 1]
        if role == self.DAY_ROLE:
            return day
        if role == Qt.ItemDataRole.DisplayRole:
            return self._look.mark(day)
        if role == Qt.ItemDataRole.ToolTipRole:
            return day_tooltip(day)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._look.background(day)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._look.foreground(day)
        if role == Qt.ItemDataRole.FontRole:
            if not day.status:
                return self._look.planned_font  # not judged yet: a plan, not a status
            if day.status not in ("ON", "REST", "NOSHIFT"):
                return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not self.month:
            return None
        if section == 0:
            return _("Agent") if role == Qt.ItemDataRole.DisplayRole else None
        if section >= self.first_total_column:
            if role == Qt.ItemDataRole.DisplayRole:
                return _(TOTALS[section - self.first_total_column][1])
            return None
        day = self.month.days[section - 1]
        kind = self._holidays.get(day)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(day.day)
        if role == Qt.ItemDataRole.ForegroundRole and (kind in OFF_KINDS or (day.weekday() >= 5 and kind != MAKEUP)):
            return QColor(DAY_OFF_HEADER)  # a day off; a make-up working day (调休) is not one
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{day.isoformat()}\n{_(HOLIDAY_KIND_NAMES[kind])}" if kind else day.isoformat()
        return None
