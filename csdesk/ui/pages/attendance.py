"""The attendance calendar: team overview coloured by status, leave requests, forms (issue #4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from csdesk.context import AppContext
from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, current_language, format_month, format_number, format_time, ngettext
from csdesk.labels import LEAVE_NAMES, SHIFT_NAMES, name_of
from csdesk.policy import ShiftTemplate
from csdesk.services.attendance_types import AgentDay, AgentMonth, LeaveRequest, PunchCorrection, TeamMonth
from csdesk.services.auth import USERS_MANAGE
from csdesk.services.base import Actor
from csdesk.services.imports.reader import TableChoice
from csdesk.services.jobs import ServiceCall
from csdesk.ui.attendance.agent_view import AgentMonthView
from csdesk.ui.attendance.approve_leave_dialog import ApproveLeaveDialog, asks_questions
from csdesk.ui.attendance.day_dialog import DayDialog
from csdesk.ui.attendance.grid_model import LEAVE_STATUS_NAMES, LOOK_NAMES, TeamMonthModel
from csdesk.ui.attendance.leave_dialog import LeaveDialog
from csdesk.ui.attendance.requests_view import RequestsView
from csdesk.ui.attendance.roster_view import RosterView
from csdesk.ui.attendance.status_style import DAY_OFF, PLANNED, abbreviation, colours
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.dialogs.import_dialog import run_import
from csdesk.ui.dialogs.import_wizard import open_import_wizard
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.frozen_table import FrozenColumnTableView
from csdesk.ui.messages import show_error, show_failure
from csdesk.ui.print_preview import preview_pdf
from csdesk.ui.shortcuts import BY_NAME, bind_buttons
from csdesk.ui.table_model import ColumnSpec, RowTableModel
from csdesk.ui.team_filter import fill_team_filter
from csdesk.ui.tips import set_state, with_keys

LEGEND = ("ON", "LATE", "EARLY", "LATE_EARLY", "ABSENT", "LEAVE", "MISSED", "REST", "HOLIDAY", DAY_OFF)

LEAVE_COLUMNS: tuple[ColumnSpec[LeaveRequest], ...] = (
    ColumnSpec(N_("Employee"), lambda r: f"{r.employee_no} {r.name}"),
    ColumnSpec(N_("Type"), lambda r: name_of(LEAVE_NAMES, r.leave_type)),
    ColumnSpec(N_("From"), lambda r: r.start.isoformat()),
    ColumnSpec(N_("To"), lambda r: r.end.isoformat()),
    ColumnSpec(N_("Days"), lambda r: format_number(r.days), align_right=True),
    ColumnSpec(N_("Status"), lambda r: _(LEAVE_STATUS_NAMES.get(r.status, r.status))),
    ColumnSpec(N_("Reason"), lambda r: r.reason),
)
LEAVE_TYPE_COLUMN = 1


def shift_caption(shift: ShiftTemplate) -> str:
    """``D Day shift 08:30–18:00``: a shift code as the legend explains it."""
    text = f"{shift.code} {name_of(SHIFT_NAMES, shift.code)}"
    return text if shift.rest else f"{text} {format_time(shift.start)}–{format_time(shift.end)}"


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return AttendancePage(ctx, actor=actor)


class AttendancePage(QWidget):
    """The supervisor's morning: who is late, who is absent, whose leave waits."""

    def __init__(self, ctx: AppContext, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._service = ctx.attendance
        self._actor = actor
        today = self._service.now().date()
        self.year, self.month = today.year, today.month
        self._cache: dict[tuple[int, int, str | None], TeamMonth] = {}
        self._leave_cache: dict[tuple[int, int, str | None], list[LeaveRequest]] = {}  # kept with the month
        self._token = 0
        self.jobs: list[Job] = []
        self._rest_shifts = [shift.code for shift in ctx.policy.shifts if shift.rest]
        self.model = TeamMonthModel(self, rest_shifts=self._rest_shifts)
        self.leave_model: RowTableModel[LeaveRequest] = RowTableModel(LEAVE_COLUMNS, self)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    # --- layout ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.team = QComboBox()
        self.team.setObjectName("attendanceTeam")
        self.previous = QPushButton("◀")
        self.next = QPushButton("▶")
        for arrow in (self.previous, self.next):
            arrow.setFixedWidth(36)
        self.this_month = QPushButton()
        self.month_label = QLabel()
        self.month_label.setObjectName("monthLabel")
        self.month_label.setMinimumWidth(150)
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton()
        self.import_button.setVisible(self._actor.can("import"))
        self.leave_button = QPushButton()
        self.print_button = QPushButton()
        self.status = QLabel()
        self.status.setObjectName("attendanceStatus")
        bar = QHBoxLayout()
        for w in (self.team, self.previous, self.month_label, self.next, self.this_month):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.import_button, self.leave_button, self.print_button):
            bar.addWidget(w)
        # Two rows of statuses: in one, their names widened the page past a laptop screen in Spanish.
        self.legend = QGridLayout()
        self._legend_labels: list[tuple[QLabel, str]] = []
        per_row = (len(LEGEND) + 1) // 2
        for n, status in enumerate(LEGEND):
            chip = QLabel()
            back, fore = colours(status)
            chip.setStyleSheet(f"background:{back.name()}; color:{fore.name()}; padding:2px 6px; border-radius:3px;")
            self.legend.addWidget(chip, n // per_row, n % per_row, Qt.AlignmentFlag.AlignLeft)
            self._legend_labels.append((chip, status))
        self.legend.setColumnStretch(per_row, 1)
        # A row of its own: beside the statuses it would widen the page past a laptop screen in Spanish.
        self.shift_legend = QHBoxLayout()
        self.shifts_title = QLabel()
        self.shift_legend.addWidget(self.shifts_title)
        self._shift_chips: list[tuple[QLabel, ShiftTemplate]] = []
        for shift in self._ctx.policy.shifts:  # the codes days not judged yet show: grey italic, as in the grid
            chip = QLabel()
            chip.setStyleSheet(f"color:{PLANNED}; font-style:italic; border:1px dashed {PLANNED}; padding:1px 5px;")
            self.shift_legend.addWidget(chip)
            self._shift_chips.append((chip, shift))
        self.shift_legend.addStretch(1)

        self.grid = FrozenColumnTableView()
        self.grid.setObjectName("teamGrid")
        self.grid.setModel(self.model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.set_row_height(24)
        self.grid.verticalHeader().hide()
        header = self.grid.horizontalHeader()
        header.setMinimumSectionSize(24)
        header.setDefaultSectionSize(27)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.leave_table = QTableView()
        self.leave_table.setObjectName("leaveTable")
        self.leave_table.setModel(self.leave_model)
        self.leave_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.leave_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.leave_table.verticalHeader().hide()
        leave_header = self.leave_table.horizontalHeader()
        leave_header.setStretchLastSection(True)
        # A leave type's name whole ("Permiso por matrimonio"): the column follows its longest name.
        leave_header.setSectionResizeMode(LEAVE_TYPE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.leave_hint = show_when_empty(self.leave_table, self._leave_hint_text)
        self.grid_hint = show_when_empty(self.grid, self._grid_hint_text)
        self.leave_title = QLabel()
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approveLeave")
        self.reject_button = QPushButton()
        self.closed_button = QPushButton()
        self.closed_button.setObjectName("backFromLeave")
        self.reject_button.setObjectName("rejectLeave")
        self.form_button = QPushButton()
        self.form_button.setObjectName("leaveForm")
        for b in (self.approve_button, self.reject_button, self.closed_button):
            b.setVisible(self._actor.can("attendance.approve"))
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.leave_title)
        side_layout.addWidget(self.leave_table, 1)
        actions = QHBoxLayout()
        for b in (self.approve_button, self.reject_button, self.closed_button, self.form_button):
            actions.addWidget(b)
        side_layout.addLayout(actions)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.grid)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.agent_view = AgentMonthView(rest_shifts=self._rest_shifts)
        self.roster_view = RosterView(self._ctx.roster, actor=self._actor)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("attendanceTabs")
        self.tabs.addTab(split, "")
        self.tabs.addTab(self.agent_view, "")
        self.tabs.addTab(self.roster_view, "")
        self.requests_view = RequestsView(self._service, actor=self._actor)
        self.tabs.addTab(self.requests_view, "")
        self._title = QLabel()
        title_row = QHBoxLayout()
        title_row.addWidget(self._title)
        title_row.addStretch(1)
        title_row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addLayout(bar)
        layout.addLayout(self.legend)
        layout.addLayout(self.shift_legend)
        layout.addWidget(self.tabs, 1)

    def _connect_signals(self) -> None:
        self.previous.clicked.connect(lambda: self.shift_month(-1))
        self.next.clicked.connect(lambda: self.shift_month(1))
        self.this_month.clicked.connect(self._go_today)
        self.team.currentIndexChanged.connect(self.refresh)
        self.grid.activated.connect(self.open_day)  # a double-click or Enter; not doubleClicked too: one dialog
        self.import_button.clicked.connect(self.import_punches)
        self.leave_button.clicked.connect(lambda: self.file_leave())
        self.print_button.clicked.connect(self.print_summary)
        self.approve_button.clicked.connect(lambda: self.decide_selected(True))
        self.reject_button.clicked.connect(lambda: self.decide_selected(False))
        self.closed_button.clicked.connect(self.close_selected_on_return)
        self.form_button.clicked.connect(self.print_selected_form)
        self.roster_view.changed.connect(self.invalidate)
        self.requests_view.changed.connect(self.invalidate)
        self.tabs.currentChanged.connect(self._load_roster_if_shown)
        self.leave_table.selectionModel().selectionChanged.connect(self._update_leave_buttons)
        self.leave_model.modelReset.connect(self._update_leave_buttons)  # a reset clears the selection quietly
        bind_buttons(
            (self.import_button, "attendance.import"),
            (self.leave_button, "attendance.leave"),
            (self.print_button, "attendance.print"),
            (self.previous, "attendance.previous"),
            (self.next, "attendance.next"),
            (self.approve_button, "attendance.approve"),
            (self.reject_button, "attendance.reject"),
            (self.closed_button, "attendance.back"),
        )

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Attendance") + "</h2>")
        fill_team_filter(self.team, self._ctx.people, self._actor)
        self.this_month.setText(_("This month"))
        self.import_button.setText(_("Import punches…"))
        self.leave_button.setText(_("File leave…"))
        self.print_button.setText(_("Print summary…"))
        self.leave_title.setText("<b>" + _("Leave requests this month") + "</b>")
        self.approve_button.setText(_("Approve"))
        self.reject_button.setText(_("Reject"))
        self.closed_button.setText(_("Back from leave (销假)"))
        self.form_button.setText(_("Print form…"))
        self.tabs.setTabText(0, _("Team calendar"))
        self.tabs.setTabText(1, _("Agent month"))
        self.tabs.setTabText(2, _("Roster"))
        self.tabs.setTabText(3, _("Corrections and swaps"))
        for chip, status in self._legend_labels:
            chip.setText(f"{abbreviation(status)} {_(LOOK_NAMES[status])}")
        self.shifts_title.setText(_("Planned shifts:"))
        for chip, shift in self._shift_chips:
            chip.setText(shift_caption(shift))
        self.previous.setToolTip(with_keys(_("Previous month"), "attendance.previous"))
        self.next.setToolTip(with_keys(_("Next month"), "attendance.next"))
        self.this_month.setToolTip(_("Back to the current month"))
        self.import_button.setToolTip(with_keys(_("Import the punch clock's file for any month"), "attendance.import"))
        self.leave_button.setToolTip(with_keys(_("File a leave request for an agent"), "attendance.leave"))
        self.print_button.setToolTip(with_keys(_("Preview and print the month's attendance summary"), "attendance.print"))
        self._update_leave_buttons()
        self.leave_hint.refresh()
        self.grid_hint.refresh()

    # --- what the buttons and the empty lists say ---------------------------------------------

    def _leave_hint_text(self) -> str:
        if self.model.month is None:
            return ""  # still calculating: nothing to say yet
        return _("No leave requests this month. File leave… ({keys}) to add one, or pick another month.").format(
            keys=BY_NAME["attendance.leave"].text())

    def _grid_hint_text(self) -> str:
        if self.model.month is None:
            return ""
        if self.team.currentData() is not None:
            return _("Nobody in this team works this month. Pick another team or month, or add people on the "
                     "People & teams page.")
        return _("Nobody works this month. Add people on the People & teams page, then import the roster and "
                 "the punch clock's file (Import punches…).")

    def _update_leave_buttons(self, *_args: object) -> None:
        """Approve, Reject, Back from leave and Print form follow the selected request; disabled,
        each says why and what to do."""
        request = self.selected_leave()
        month = self.model.month
        locked = month is not None and month.locked
        pick = _("Select a leave request in the list first")
        signed_off = _("This month is signed off; reopen it on the Scorecards page to change its leave")
        decide = pick if request is None else signed_off if locked else ""
        status = request.status if request is not None else ""
        set_state(self.approve_button, with_keys(_("Approve the selected leave request"), "attendance.approve"),
                  decide or (_("This request is approved already") if status == "approved" else ""))
        set_state(self.reject_button, with_keys(_("Reject the selected leave request"), "attendance.reject"),
                  decide or (_("This request is rejected already") if status == "rejected" else ""))
        back = decide
        if not back and request is not None:
            if request.status != "approved":
                back = _("Approve the request first: only approved leave is closed on return")
            elif request.cancelled_on_return:
                back = _("The return from this leave is recorded already")
        set_state(self.closed_button, with_keys(_("Record that the agent reported back from the selected leave (销假)"),
                                                "attendance.back"), back)
        set_state(self.form_button, _("Preview and print the selected request's leave form"),
                  pick if request is None else "")

    # --- loading: off the GUI thread, cached per month ----------------------------------------

    def shift_month(self, delta: int) -> None:
        index = self.year * 12 + self.month - 1 + delta
        self.year, self.month = index // 12, index % 12 + 1
        self.refresh()

    def _go_today(self) -> None:
        today = self._service.now().date()
        self.year, self.month = today.year, today.month
        self.refresh()

    def invalidate(self) -> None:
        self._cache.clear()
        self._leave_cache.clear()
        self.refresh()

    def refresh(self) -> None:
        """Show the cached month at once, or start computing it in the background."""
        self.month_label.setText(f"<b>{format_month(self.year, self.month)}</b>")
        key = (self.year, self.month, self.team.currentData())
        self._token += 1
        token = self._token
        self._reload_leave()
        if key in self._cache:
            self._show(self._cache[key])
            return
        self.status.setText(_("Calculating…"))
        year, month, team = key

        def done(result: TeamMonth) -> None:
            if not isValid(self):
                return  # the page was closed while its month was computed
            self._cache[key] = result
            if token == self._token:
                self._show(result)

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self.status.setText("")
            if isinstance(exc, CsdeskError):
                show_error(self, exc)
                return
            raise exc

        self.jobs.append(run_in_background(lambda _job: self._service.team_month(self._actor, year, month, team), done, failed))

    def _show(self, result: TeamMonth) -> None:
        self.model.set_month(result)
        self.agent_view.set_month(result)
        self._load_roster_if_shown()
        self.grid.setColumnWidth(0, 170)
        header = self.grid.horizontalHeader()
        for col in range(self.model.first_total_column, self.model.columnCount()):
            # As wide as the total's name in the user's language ("Salida anticipada"), at least 58 px.
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            self.grid.setColumnWidth(col, max(58, header.fontMetrics().horizontalAdvance(title) + 16))
        absent = sum(a.absent for a in result.agents)
        late = sum(a.late + a.early for a in result.agents)
        agents = len(result.agents)
        text = " · ".join((
            ngettext("{n} agent", "{n} agents", agents).format(n=agents),
            ngettext("{n} late arrival or early leave", "{n} late arrivals or early leaves", late).format(n=late),
            ngettext("{n} absence", "{n} absences", absent).format(n=absent),
        ))  # fmt: skip
        if result.locked:
            text += " · " + _("signed off (locked)")
        self.status.setText(text)
        self._update_leave_buttons()
        self.leave_hint.refresh()
        self.grid_hint.refresh()

    def _load_roster_if_shown(self) -> None:
        if self.tabs.currentWidget() is self.requests_view and self.model.month is not None:
            self.requests_view.load(self.year, self.month, [(a.employee_no, a.name) for a in self.model.month.agents])
        if self.tabs.currentWidget() is self.roster_view:
            people = self._ctx.roster.people(self._actor, team=self.team.currentData())
            self.roster_view.load(self.year, self.month, self.team.currentData(), people)

    def _reload_leave(self) -> None:
        key = (self.year, self.month, self.team.currentData())
        rows = self._leave_cache.get(key)
        if rows is None:
            rows = self._leave_cache[key] = self._service.leave_requests(self._actor, team=key[2], year=key[0], month=key[1])
        self.leave_model.set_rows(rows)

    # --- actions ----------------------------------------------------------------------------

    def open_day(self, index: QModelIndex) -> None:
        if index.column() == 0 and self.model.month is not None:  # the agent's name: their month
            self.agent_view.select(self.model.agent(index.row()).employee_no)
            self.tabs.setCurrentWidget(self.agent_view)
            return
        day = self.model.day_at(index)
        if day is None:
            return
        agent = self.model.agent(index.row())
        pending = [r for r in self.leave_model.rows() if r.employee_no == agent.employee_no and r.status == "pending" and r.start <= day.day <= r.end]
        locked = self.model.month is not None and self.model.month.locked
        corrections = self._corrections(agent, day)
        dialog = DayDialog(self._service, actor=self._actor, agent=agent, day=day, pending=pending, locked=locked,
                           corrections=corrections, user_names=self._user_names() if corrections else {}, parent=self)
        dialog.changed.connect(self.invalidate)
        dialog.file_leave_requested.connect(lambda no, d: self.file_leave(no, d))
        dialog.open()
        self.day_dialog = dialog

    def _corrections(self, agent: AgentMonth, day: AgentDay) -> list[PunchCorrection]:
        """The approved corrections behind a corrected day (read when its dialog opens)."""
        if not day.corrected:
            return []
        month = self._service.corrections(self._actor, day.day.year, day.day.month, status="approved")
        return [c for c in month if c.employee_no == agent.employee_no and c.day == day.day]

    def _user_names(self) -> Mapping[str, str]:
        """Sign-in name → the linked person's name, for an actor who sees the accounts (else none:
        the dialog shows sign-in names)."""
        if not self._actor.can(USERS_MANAGE):
            return {}
        return {a.username: a.person_name for a in self._ctx.auth.accounts(self._actor) if a.person_name}

    def file_leave(self, employee_no: str | None = None, day: date | None = None) -> None:
        people = [(a.employee_no, a.name) for a in (self.model.month.agents if self.model.month else ())]
        dialog = LeaveDialog(self._service, actor=self._actor, people=people, employee_no=employee_no, day=day, parent=self)
        dialog.accepted.connect(self.invalidate)
        dialog.open()
        self.leave_dialog = dialog

    def selected_leave(self) -> LeaveRequest | None:
        rows = self.leave_table.selectionModel().selectedRows()
        return self.leave_model.row(rows[0].row()) if rows else None

    def decide_selected(self, approve: bool) -> None:
        request = self.selected_leave()
        if request is None:
            return
        if approve and asks_questions(request):  # the approver answers what the request asks
            self.approve_dialog = ApproveLeaveDialog(self._service, request, actor=self._actor, parent=self)
            self.approve_dialog.changed.connect(self.invalidate)
            self.approve_dialog.open()
            return
        try:
            self._service.decide_leave(self._actor, request.id, approve, version=request.version)
        except CsdeskError as exc:
            show_failure(self, exc, self.invalidate)
            return
        self.invalidate()

    def close_selected_on_return(self) -> None:
        request = self.selected_leave()
        if request is None:
            return
        try:
            self._service.cancel_on_return(self._actor, request.id, version=request.version)
        except CsdeskError as exc:
            show_failure(self, exc, self.invalidate)
            return
        self.invalidate()

    def print_selected_form(self) -> None:
        request = self.selected_leave()
        if request is not None:
            self.preview = preview_pdf(self, lambda path: self._service.print_leave(self._actor, request.id, path),
                                       title=_("Leave form"), suggested_name=f"leave-{request.id}.pdf")

    def print_summary(self) -> None:
        # Read here: the PDF is built on a worker thread while the page may move to another month.
        service, actor, year, month = self._service, self._actor, self.year, self.month
        team = self.team.currentData()
        self.preview = preview_pdf(self, lambda path: service.print_month(actor, year, month, team, path),
                                   title=_("Attendance summary"), suggested_name=f"attendance-{year:04d}-{month:02d}.pdf")

    def import_punches(self) -> None:
        """Through the import wizard: the table as read, how its dates are written, the dry run."""
        open_import_wizard(
            self, _("Import punches"), "punches", self._service,
            lambda service, path, progress, date_order=None: service.import_punches(self._actor, path, progress, date_order),
            actor=self._actor, on_done=self.invalidate, process=self._punch_call,
        )  # fmt: skip

    def _punch_call(self, path: Path, table: TableChoice | None, dry_run: bool, options: Mapping[str, Any]) -> ServiceCall:
        """Punch files run to a million rows: the import (and its dry run) runs in its own process."""
        return ServiceCall(self._ctx.db_url, self._ctx.policy_file, current_language(), "attendance.import_punches",
                           self._actor, (path,), tuple(options.items()), table, dry_run)  # fmt: skip

    def start_import(self, path: Path) -> Job:
        """Import a punch file as it is (no wizard), in its own process."""
        job = run_import(self, _("Import punches"), self._punch_call(path, None, False, {}), self.invalidate)
        self.jobs.append(job)
        return job
