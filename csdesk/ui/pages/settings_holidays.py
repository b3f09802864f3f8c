"""Settings ▸ Holidays (issue 17): a year's holiday calendar as the policy in force computes it, and
the site's own changes to it (added holidays, country holidays treated as ordinary days, make-up
working days, whether holidays are worked), written to the site policy file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, format_date
from csdesk.policy import Policy
from csdesk.rules.holidays import MAKEUP, STATUTORY, SUBSTITUTED
from csdesk.services.attendance_month import holiday_calendar
from csdesk.services.base import Actor
from csdesk.services.site_policy import SitePolicyService
from csdesk.ui.attendance.grid_model import HOLIDAY_KIND_NAMES
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.messages import error_label
from csdesk.ui.policy_change import again_text, apply_confirmed, written_text
from csdesk.ui.tips import set_state

TABLE = "department_hours"
WORKED = "holidays_worked"
#: The site's date lists of ``department_hours``, in the order the section shows them.
DATE_LISTS: tuple[tuple[str, str], ...] = (
    ("extra_holidays", N_("Site holidays")),
    ("removed_holidays", N_("Country holidays treated as ordinary days")),
    ("makeup_days", N_("Make-up working days")),
)
WORKED_CAPTION = N_("Holidays are worked (the roster fills them)")
#: What the confirmation calls each key the section changes.
KEY_CAPTIONS = {f"{TABLE}.{key}": caption for key, caption in (*DATE_LISTS, (WORKED, WORKED_CAPTION))}
YEARS = (2000, 2100)  # the years the calendar can be shown for
LIST_ROWS = 3  # a site list shows this many dates before it scrolls: the section stays compact


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateListEditor(QWidget):
    """One site list of ``YYYY-MM-DD`` dates, on one row: the list, a date, Add and Remove."""

    dates_changed = Signal()

    def __init__(self, dates: Sequence[str], today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        rows_height = self.list.fontMetrics().lineSpacing() * LIST_ROWS
        self.list.setMaximumHeight(rows_height + 2 * self.list.frameWidth() + 4)
        self.list.addItems(sorted(dates))
        self.date = QDateEdit(_qdate(today))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addWidget(self.date, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.add_button.clicked.connect(self.add_date)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update_remove)
        self._update_remove()

    def retranslate_ui(self) -> None:
        self.add_button.setText(_("Add"))
        self.remove_button.setText(_("Remove"))
        self.add_button.setToolTip(_("Add the date chosen beside the list"))
        self._update_remove()

    def dates(self) -> list[str]:
        """The listed dates, ``YYYY-MM-DD``, in order."""
        return [self.list.item(row).text() for row in range(self.list.count())]

    def add_date(self) -> None:
        """Add the chosen date in its place; a date already listed stays listed once."""
        text = self.date.date().toString("yyyy-MM-dd")
        listed = self.dates()
        if text in listed:
            return
        self.list.insertItem(sorted([*listed, text]).index(text), text)
        self.dates_changed.emit()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.dates_changed.emit()

    def _update_remove(self) -> None:
        set_state(self.remove_button, _("Take the selected dates off the list"),
                  "" if self.list.selectedItems() else _("Select dates in the list first"))


class HolidaysSection(QGroupBox):
    """The calendar of a chosen year (the policy in force) beside the site's lists; Apply writes
    the changed keys to the site policy file through the SitePolicyService, which checks
    ``settings.edit``, refuses a date in two lists and audits the change. The new calendar is in
    force from the next start, so one change is applied per run."""

    def __init__(self, site_policy: SitePolicyService, policy: Policy, *, actor: Actor,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("holidaysSection")
        self._site_policy = site_policy
        self._policy = policy
        self._actor = actor
        self._applied = False
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        today = self._site_policy.now().date()
        hours = self._policy.department_hours
        self.year = QSpinBox()
        self.year.setObjectName("holidayYear")
        self.year.setRange(*YEARS)
        self.year.setValue(today.year)
        self.calendar = QListWidget()
        self.calendar.setObjectName("holidaysInForce")
        self.calendar.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.calendar.setWordWrap(True)
        self.lists = {key: DateListEditor(getattr(hours, key), today) for key, _caption in DATE_LISTS}
        for key, editor in self.lists.items():
            editor.setObjectName(key)
        self.worked = QCheckBox()
        self.worked.setObjectName("holidaysWorked")
        self.worked.setChecked(hours.holidays_worked)
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("applyHolidays")
        self.status = QLabel()
        self.status.setObjectName("holidaysStatus")
        self.status.setWordWrap(True)
        self.error = error_label("holidaysError")

        self._year_label = QLabel()
        year_row = QHBoxLayout()
        year_row.addWidget(self._year_label)
        year_row.addWidget(self.year)
        year_row.addStretch(1)
        in_force = QVBoxLayout()
        in_force.addLayout(year_row)
        in_force.addWidget(self.calendar, 1)
        self._captions = {key: QLabel() for key, _caption in DATE_LISTS}
        form = QFormLayout()
        for key, editor in self.lists.items():
            form.addRow(self._captions[key], editor)
        form.addRow(self.worked)
        apply_row = QHBoxLayout()
        apply_row.addWidget(self.apply_button)
        apply_row.addStretch(1)
        form.addRow(apply_row)
        form.addRow(self.status)
        form.addRow(self.error)
        self.calendar_hint = show_when_empty(self.calendar, lambda: _(
            "No holidays in force in this year. The site adds its own in the lists beside."))
        layout = QHBoxLayout(self)
        layout.addLayout(in_force, 2)
        layout.addLayout(form, 3)

    def _connect_signals(self) -> None:
        self.year.valueChanged.connect(self.show_year)
        for editor in self.lists.values():
            editor.dates_changed.connect(self._update_apply)
        self.worked.toggled.connect(self._update_apply)
        self.apply_button.clicked.connect(self.apply_changes)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Holidays"))
        self._year_label.setText(_("Holidays in force in"))
        for key, caption in DATE_LISTS:
            self._captions[key].setText(_(caption))
            self.lists[key].retranslate_ui()
        self.worked.setText(_(WORKED_CAPTION))
        self.apply_button.setText(_("Apply holiday changes…"))
        self.show_year()
        self._update_apply()

    def show_year(self) -> None:
        """List the chosen year's holidays as the calendar in force has them, marking the site's."""
        calendar = holiday_calendar(self.year.value(), self._policy)
        hours = self._policy.department_hours
        by_site = {*hours.extra_holidays, *hours.makeup_days}
        by_kind = (
            (STATUTORY, calendar.statutory),
            (SUBSTITUTED, calendar.substituted),
            (MAKEUP, calendar.makeup),
        )
        kinds = {day: kind for kind, days in by_kind for day in days}
        self.calendar.clear()
        for day in sorted(kinds):
            parts = [f"{format_date(day)} ({format_date(day, 'EEE')})", _(HOLIDAY_KIND_NAMES[kinds[day]])]
            if day.isoformat() in by_site:
                parts.append(_("added by the site"))
            item = QListWidgetItem(" — ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, day)
            self.calendar.addItem(item)

    def change(self) -> dict[str, Any]:
        """The keys of ``department_hours`` the section changes (empty: none)."""
        hours = self._policy.department_hours
        keys: dict[str, Any] = {
            key: editor.dates()
            for key, editor in self.lists.items()
            if set(editor.dates()) != set(getattr(hours, key))
        }
        if self.worked.isChecked() != hours.holidays_worked:
            keys[WORKED] = self.worked.isChecked()
        return {TABLE: keys} if keys else {}

    def _update_apply(self) -> None:
        set_state(self.apply_button, _("Write the changed lists to the site policy file, after showing what changes"),
                  _("Applied: start csdesk again to change the holidays again") if self._applied
                  else "" if self.change() else _("Nothing changed yet: add or remove a date first"))

    def apply_changes(self) -> None:
        """Show what changes, then write it to the site policy file; a refusal is shown under the
        button and the lists keep what was entered."""
        change = self.change()
        self.error.clear()
        try:
            _policy, changes = self._site_policy.preview(change)
            applied = apply_confirmed(
                self, self._site_policy, self._actor, change, changes, title=_("Holidays"), captions=KEY_CAPTIONS
            )
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        if applied is None:
            return
        self._applied = True
        self._update_apply()
        self.status.setText(written_text(applied) + "\n" + again_text())
