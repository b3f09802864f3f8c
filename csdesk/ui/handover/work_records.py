"""Work records (工作日志): the week's records beside the form for one person, day and shift,
and the weekly digest for the Monday meeting (rules.md §4, §11)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite, ValidationError
from csdesk.handover_labels import shift_label
from csdesk.i18n import _, format_date, format_time
from csdesk.models.domain_handover import (
    COUNTS_CALLBACKS,
    COUNTS_TYPED,
    WorkCounts,
    WorkRecord,
    WorkRecordInput,
)
from csdesk.services.base import UNSEEN, Actor
from csdesk.services.handover import HandoverService
from csdesk.services.handover_records import MAX_DAILY_COUNT
from csdesk.services.people import PeopleService
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.handover.drafts import DraftKeeper
from csdesk.ui.handover.log_view import HANDOVER_ROLES
from csdesk.ui.handover.models import WORK_RECORD_COLUMNS, blocked
from csdesk.ui.messages import offer_reload, show_error
from csdesk.ui.print_preview import preview_pdf
from csdesk.ui.shortcuts import make_shortcut
from csdesk.ui.table_model import RowTableModel
from csdesk.ui.tips import with_keys

DRAFT_KIND = "work_record"


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class WorkRecordView(QWidget):
    def __init__(self, service: HandoverService, people: PeopleService, *, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._people = people
        self._actor = actor
        self._from_callbacks = False
        # The stored record the form shows (a save based on it is refused if another PC changed it
        # since): None for an empty form, UNSEEN for one restored from a draft (not checked).
        self._shown: Any = None
        self.preview: QDialog | None = None  # the last print preview opened
        self.model: RowTableModel[WorkRecord] = RowTableModel(WORK_RECORD_COLUMNS, self)
        self.drafts = DraftKeeper(self.snapshot, lambda p: service.save_draft(actor, DRAFT_KIND, p), self._draft_failed, self)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._load_draft()
        self.reload()

    def _build_ui(self) -> None:
        today = QDate(self._service.now().date())
        self.week = _date_edit("digestWeek")
        self.week.setDate(today)
        self.team = QComboBox()
        self.team.setObjectName("recordsTeam")
        self.digest_button = QPushButton()
        self.digest_button.setObjectName("printDigest")
        self.week_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.week_label)
        top.addWidget(self.week)
        top.addWidget(self.team)
        top.addStretch(1)
        top.addWidget(self.digest_button)
        self.table = QTableView()
        self.table.setObjectName("workRecords")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)

        self.person = QComboBox()
        self.person.setObjectName("recordPerson")
        self.day = _date_edit("recordDay")
        self.day.setDate(today)
        self.day.setMaximumDate(today)
        self.shift = QComboBox()
        self.shift.setObjectName("recordShift")
        self.today_work = QPlainTextEdit()
        self.today_work.setObjectName("recordToday")
        self.today_work.setTabChangesFocus(True)
        self.plan = QPlainTextEdit()
        self.plan.setObjectName("recordPlan")
        self.plan.setTabChangesFocus(True)
        for edit in (self.today_work, self.plan):
            edit.setMaximumHeight(130)
        self.calls = QSpinBox()
        self.complaints = QSpinBox()
        self.callbacks = QSpinBox()
        for box, name in ((self.calls, "recordCalls"), (self.complaints, "recordComplaints"), (self.callbacks, "recordCallbacks")):
            box.setObjectName(name)
            box.setRange(0, MAX_DAILY_COUNT)
        self.fill_button = QPushButton()
        self.fill_button.setObjectName("fillFromCallbacks")
        self.fill_button.setEnabled(self._service.counts_source is not None)
        self.notes = QLineEdit()
        self.notes.setObjectName("recordNotes")
        self.error = QLabel()
        self.error.setObjectName("recordError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.status = QLabel()
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveRecord")
        self._count_labels = [QLabel() for _n in range(3)]
        for label, box in zip(self._count_labels, (self.calls, self.complaints, self.callbacks), strict=True):
            label.setBuddy(box)
        # One count a line: side by side, their names made the form wider than a laptop screen in Spanish.
        counts = QWidget()
        counts_grid = QGridLayout(counts)
        counts_grid.setContentsMargins(0, 0, 0, 0)
        for row, (label, box) in enumerate(zip(self._count_labels, (self.calls, self.complaints, self.callbacks), strict=True)):
            counts_grid.addWidget(label, row, 0)
            counts_grid.addWidget(box, row, 1)
        counts_grid.addWidget(self.fill_button, 0, 2)
        counts_grid.setColumnStretch(3, 1)
        self.form = QFormLayout()
        self._form_labels = [QLabel() for _n in range(7)]
        for label, field in zip(self._form_labels, (self.person, self.day, self.shift, self.today_work, self.plan,
                                                    counts, self.notes), strict=True):
            self.form.addRow(label, field)
            if field is not counts:
                label.setBuddy(field)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(self.form)
        right_layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        right_layout.addLayout(bottom)
        right_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.save_shortcut = make_shortcut("handover.save", right, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.hint = show_when_empty(self.table, lambda: (
            _("No work records this week. Pick another week or team, or write one in the form beside this list.")
            if self._actor.can("handover.write") else _("No work records this week. Pick another week or team.")))
        writable = self._actor.can("handover.write")
        right.setEnabled(writable)

    def _connect_signals(self) -> None:
        self.week.dateChanged.connect(self.reload)
        self.team.currentIndexChanged.connect(self.reload)
        self.digest_button.clicked.connect(self.print_digest)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self.edit_row(current.row()))
        for signal in (self.person.currentIndexChanged, self.day.dateChanged, self.shift.currentIndexChanged,
                       self.today_work.textChanged, self.plan.textChanged, self.notes.textChanged):
            signal.connect(self.drafts.schedule)
        for box in (self.calls, self.complaints, self.callbacks):
            box.valueChanged.connect(self._typed_count)
        self.fill_button.clicked.connect(self.fill_from_callbacks)
        self.save_button.clicked.connect(self.save)
        self.save_shortcut.activated.connect(self.save)

    def retranslate_ui(self) -> None:
        self.week_label.setText(_("Week of"))
        self.digest_button.setText(_("Print weekly digest…"))
        for label, text in zip(self._form_labels, (_("Pe&rson"), _("D&ay"), _("S&hift"), _("&Today's work"),
                                                   _("Tomorrow's &plan"), _("Counts"), _("N&otes")), strict=True):
            label.setText(text)
        for label, text in zip(self._count_labels, (_("Calls made"), _("Complaints taken"), _("Callbacks done")), strict=True):
            label.setText(text)
        self.fill_button.setText(_("From callbacks"))
        self.fill_button.setToolTip(_("Fill the counts from the callback area") if self._service.counts_source
                                    else _("The callback area is not available; type the counts"))
        self.save_button.setText(_("Save work record (Ctrl+S)"))
        self.digest_button.setToolTip(with_keys(_("Preview and print the week's digest of work records"), "handover.print"))
        self.save_button.setToolTip(_("Save this person's record of the day; saving again changes it"))
        self.hint.refresh()
        me = self._service.person_of(self._actor)
        with blocked(self.team, self.person, self.shift):
            self.team.clear()
            self.team.addItem(_("All teams"), None)
            for t in self._people.teams():
                self.team.addItem(t.name, t.name)
            self.person.clear()
            for no, name in self._people.directory(self._actor, roles=list(HANDOVER_ROLES)):
                self.person.addItem(f"{no} {name}", no)
            self.person.setCurrentIndex(max(0, self.person.findData(me.employee_no if me else None)))
            self.shift.clear()
            for code in self._service.shift_codes():
                self.shift.addItem(shift_label(code), code)
            self.shift.setCurrentIndex(max(0, self.shift.findData(self._service.default_shift())))

    # --- list -------------------------------------------------------------------------

    def week_range(self) -> tuple[date, date]:
        day: date = self.week.date().toPython()  # type: ignore[assignment]
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)

    def reload(self) -> None:
        start, end = self.week_range()
        try:
            self.model.set_rows(self._service.work_records(self._actor, start, end, self.team.currentData()))
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.table.resizeColumnsToContents()

    def edit_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        r = self.model.row(row)
        self._shown = r
        self.fill({"person": r.person.employee_no, "day": r.day.isoformat(), "shift": r.shift, "today_work": r.today_work,
                   "tomorrow_plan": r.tomorrow_plan, "calls": r.counts.calls_made, "complaints": r.counts.complaints_taken,
                   "callbacks": r.counts.callbacks_done, "from_callbacks": r.counts_from == COUNTS_CALLBACKS,
                   "notes": r.notes})

    # --- form -------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {"person": self.person.currentData(), "day": self.day.date().toString("yyyy-MM-dd"),
                "shift": self.shift.currentData(), "today_work": self.today_work.toPlainText(),
                "tomorrow_plan": self.plan.toPlainText(), "calls": self.calls.value(), "complaints": self.complaints.value(),
                "callbacks": self.callbacks.value(), "from_callbacks": self._from_callbacks, "notes": self.notes.text()}

    def fill(self, state: dict[str, Any]) -> None:
        with self.drafts.paused():
            self.person.setCurrentIndex(max(0, self.person.findData(state.get("person"))))
            day = QDate.fromString(str(state.get("day", "")), "yyyy-MM-dd")
            if day.isValid():
                self.day.setDate(day)
            self.shift.setCurrentIndex(max(0, self.shift.findData(state.get("shift"))))
            self.today_work.setPlainText(str(state.get("today_work", "")))
            self.plan.setPlainText(str(state.get("tomorrow_plan", "")))
            self.calls.setValue(int(state.get("calls", 0)))
            self.complaints.setValue(int(state.get("complaints", 0)))
            self.callbacks.setValue(int(state.get("callbacks", 0)))
            self._from_callbacks = bool(state.get("from_callbacks"))
            self.notes.setText(str(state.get("notes", "")))

    def _load_draft(self) -> None:
        try:
            draft = self._service.load_draft(self._actor, DRAFT_KIND)
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        if draft is not None:
            self._shown = UNSEEN
            self.fill(draft.payload)
            self.status.setText(_("Draft restored (saved {when})").format(when=format_time(draft.saved_at)))

    def _draft_failed(self, exc: CsdeskError) -> None:
        self.status.setText(_("The draft could not be saved: {error}").format(error=exc.message()))

    def hideEvent(self, event: Any) -> None:
        self.drafts.flush()
        super().hideEvent(event)

    def _typed_count(self) -> None:
        self._from_callbacks = False
        self.drafts.schedule()

    def fill_from_callbacks(self) -> None:
        day: date = self.day.date().toPython()  # type: ignore[assignment]
        counts = self._service.suggested_counts(self._actor, self.person.currentData() or "", day)
        if counts is None:
            self.status.setText(_("The callback area has no counts for {day}.").format(day=format_date(day)))
            return
        with self.drafts.paused():
            self.calls.setValue(counts.calls_made)
            self.complaints.setValue(counts.complaints_taken)
            self.callbacks.setValue(counts.callbacks_done)
        self._from_callbacks = True
        self.drafts.schedule()

    def save(self) -> None:
        day: date = self.day.date().toPython()  # type: ignore[assignment]
        data = WorkRecordInput(
            employee_no=self.person.currentData() or "", day=day, shift=self.shift.currentData() or "",
            today_work=self.today_work.toPlainText(), tomorrow_plan=self.plan.toPlainText(),
            counts=WorkCounts(self.calls.value(), self.complaints.value(), self.callbacks.value()),
            counts_from=COUNTS_CALLBACKS if self._from_callbacks else COUNTS_TYPED, notes=self.notes.text())
        try:
            saved = self._service.save_work_record(self._actor, data, expected=self._shown)
            self._service.discard_draft(self._actor, DRAFT_KIND)
        except StaleWrite as exc:  # another PC saved this person's record for the day and shift first
            self.error.setText(exc.message())
            if offer_reload(self, exc):
                self.reload()
            return
        except ValidationError as exc:
            self.error.setText(exc.message())
            widget = {"today_work": self.today_work, "shift": self.shift, "employee_no": self.person}.get(exc.field)
            if widget is not None:
                widget.setFocus()
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.drafts.forget()
        self._shown = None
        self.error.clear()
        self.status.setText(_("Work record of {name} for {day} saved.").format(name=saved.person.name, day=format_date(saved.day)))
        with self.drafts.paused():
            self.today_work.clear()
            self.plan.clear()
            self.notes.clear()
            for box in (self.calls, self.complaints, self.callbacks):
                box.setValue(0)
        self.reload()

    def print_digest(self) -> None:
        start, _end = self.week_range()
        team = self.team.currentData()
        self.preview = preview_pdf(self, lambda path: self._service.print_work_digest(self._actor, start, path, team),
                                   title=_("Weekly work-record digest"), suggested_name=f"work-digest-{start.isoformat()}.pdf")

