"""The callbacks page: the agenda by day and agent, contacts, members; printing and export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import _, format_time, ngettext
from csdesk.labels import OUTCOME_NAMES, name_of
from csdesk.rules.callbacks import RESULT_RESCHEDULED, next_month
from csdesk.services.base import Actor
from csdesk.callback_labels import STATUS_NAMES
from csdesk.services.callback_dto import AgendaCall, ContactView, MemberView, OutcomeRecorded
from csdesk.services.callbacks import CallbackService
from csdesk.ui.callbacks.agenda_view import AgendaTab
from csdesk.ui.callbacks.contact_dialog import ContactDialog, ContactUpdateDialog
from csdesk.ui.callbacks.lists import ContactsTab, MembersTab
from csdesk.ui.callbacks.member_dialog import MemberDialog
from csdesk.ui.callbacks.outcome_dialog import OutcomeDialog
from csdesk.ui.callbacks.printing import PrintDialog
from csdesk.ui.callbacks.reassign_dialog import ReassignDialog
from csdesk.ui.dialogs.import_wizard import open_import_wizard
from csdesk.ui.messages import show_error
from csdesk.ui.qt_setup import settings
from csdesk.ui.shortcuts import bind_buttons, bind_field
from csdesk.ui.tips import with_keys

_AGENT_KEY = "callbacks/agent"
_ALL = "*"


class CallbacksPage(QWidget):
    """Everything of the callback scheduler in one page; every action goes through the service."""

    def __init__(self, service: CallbackService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._editor = actor.can("callbacks.edit")
        if self._editor:
            try:
                service.ensure_birthdays(actor)  # this month's (and, in its last week, next month's) birthday calls
            except CsdeskError as exc:
                show_error(self, exc)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.reload()

    # --- construction -------------------------------------------------------------------

    def _build_ui(self) -> None:
        self._title = QLabel()
        self.prev_day = QToolButton()
        self.prev_day.setText("◀")
        self.next_day = QToolButton()
        self.next_day.setText("▶")
        self.day = QDateEdit(QDate(self._service.today()))
        self.day.setObjectName("agendaDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.today_button = QPushButton()
        self.agent = QComboBox()
        self.agent.setObjectName("agendaAgent")
        if self._actor.role != "agent":
            self.agent.addItem("", None)  # all agents; text set in retranslate_ui
        for no, name in self._service.agent_names(self._actor):  # an agent gets only themselves
            self.agent.addItem(f"{no} {name}", no)
        # Open on the agent chosen last time, else the first agent: one agent's day is a short
        # list, where "all agents" on a large floor is thousands of rows.
        self._settings = settings()  # kept: a fresh QSettings writes to disk on every change (~15 ms)
        remembered = str(self._settings.value(_AGENT_KEY, "") or "")
        index = self.agent.findData(None if remembered == _ALL else remembered) if remembered else -1
        if index < 0:
            index = 1 if self.agent.count() > 1 and self.agent.itemData(0) is None else 0
        self.agent.setCurrentIndex(index)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.search = QLineEdit()
        self.search.setObjectName("agendaSearch")
        self.search.setClearButtonEnabled(True)
        self.print_button = QToolButton()
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_menu = QMenu(self)
        self.print_button.setMenu(self.print_menu)
        self.export_button = QToolButton()
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self)
        self.export_button.setMenu(self.export_menu)
        self.act_sheet = self.print_menu.addAction("")
        self.act_birthdays = self.print_menu.addAction("")
        self.act_performance = self.print_menu.addAction("")
        self.act_ics = self.export_menu.addAction("")
        self.act_xlsx = self.export_menu.addAction("")
        bar = QHBoxLayout()
        for w in (self.prev_day, self.day, self.next_day, self.today_button, self.agent, self.status):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.export_button)
        self.agenda_tab = AgendaTab(self._actor)
        self.contacts_tab = ContactsTab(self._service, self._actor)
        self.members_tab = MembersTab(self._service, self._actor)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("callbackTabs")
        self.tabs.addTab(self.agenda_tab, "")
        self.tabs.addTab(self.contacts_tab, "")
        self.tabs.addTab(self.members_tab, "")
        self.message = QLabel()
        self.message.setObjectName("callbackMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.prev_day.clicked.connect(lambda: self.day.setDate(self.day.date().addDays(-1)))
        self.next_day.clicked.connect(lambda: self.day.setDate(self.day.date().addDays(1)))
        self.today_button.clicked.connect(lambda: self.day.setDate(QDate(self._service.today())))
        self.day.dateChanged.connect(lambda _d: self.reload(workload=True))
        self.agent.currentIndexChanged.connect(self._on_agent)
        self.status.currentIndexChanged.connect(lambda _i: self.agenda_tab.proxy.set_status(self.status.currentData() or ""))
        self.search.textChanged.connect(lambda text: self.agenda_tab.proxy.setFilterFixedString(text.strip()))
        self.agenda_tab.outcome_requested.connect(self.record_outcome)
        self.agenda_tab.reassign_requested.connect(self.reassign)
        self.agenda_tab.calls_dropped.connect(self.drop_calls)
        self.agenda_tab.home_visit_toggled.connect(self.set_home_visit)
        self.agenda_tab.contact_requested.connect(self.log_contact)
        self.contacts_tab.log_requested.connect(self.log_contact)
        self.contacts_tab.update_requested.connect(self.update_contact)
        self.members_tab.add_requested.connect(lambda: self.edit_member(None))
        self.members_tab.edit_requested.connect(self.edit_member)
        self.members_tab.import_requested.connect(self.import_sales)
        self.members_tab.birthdays_requested.connect(self.print_birthdays)
        self.tabs.currentChanged.connect(self._on_tab)
        self.act_sheet.triggered.connect(self.print_call_sheet)
        self.act_birthdays.triggered.connect(self.print_birthdays)
        self.act_performance.triggered.connect(self.print_performance)
        self.act_ics.triggered.connect(lambda: self.export("ics"))
        self.act_xlsx.triggered.connect(lambda: self.export("xlsx"))
        bind_field("callbacks.find", self.search)
        bind_buttons(
            (self.prev_day, "callbacks.previous"),
            (self.next_day, "callbacks.next"),
            (self.agenda_tab.outcome_button, "callbacks.outcome"),
            (self.members_tab.import_button, "callbacks.import"),
            (self.print_button, "callbacks.print"),
            (self.export_button, "callbacks.export"),
        )

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Callbacks") + "</h2>")
        self.today_button.setText(_("Today"))
        if self.agent.count() and self.agent.itemData(0) is None:
            self.agent.setItemText(0, _("All agents"))
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(_("All calls"), None)
        for code in ("due", "overdue", "done"):
            self.status.addItem(_(STATUS_NAMES[code]), code)
        self.status.blockSignals(False)
        self.search.setPlaceholderText(_("Filter by member, phone, kind…"))
        self.search.setToolTip(with_keys(_("Show only the calls whose member, phone or kind contains this text"),
                                         "callbacks.find"))
        self.print_button.setText(_("Print"))
        self.export_button.setText(_("Export"))
        self.prev_day.setToolTip(with_keys(_("Previous day"), "callbacks.previous"))
        self.next_day.setToolTip(with_keys(_("Next day"), "callbacks.next"))
        self.today_button.setToolTip(_("Back to today's agenda"))
        self.print_button.setToolTip(with_keys(_("Print the agent's call sheet, the birthday list or the month's "
                                                 "callback performance"), "callbacks.print"))
        self.export_button.setToolTip(with_keys(_("Export the agenda shown to iCalendar (.ics) or Excel (.xlsx)"),
                                                "callbacks.export"))
        self._name_sheet_action()
        self.act_birthdays.setText(_("Birthday list…"))
        self.act_performance.setText(_("Monthly callback performance…"))
        self.act_ics.setText(_("Agenda to iCalendar (.ics)…"))
        self.act_xlsx.setText(_("Agenda to Excel (.xlsx)…"))
        self.tabs.setTabText(0, _("Agenda"))
        self.tabs.setTabText(1, _("Complaints and reviews"))
        self.tabs.setTabText(2, _("Members"))

    # --- reading ------------------------------------------------------------------------

    def _on_agent(self, _index: int) -> None:
        self._settings.setValue(_AGENT_KEY, self.agent.currentData() or _ALL)
        self.reload(workload=False)

    def selected_day(self) -> date:
        day: date = self.day.date().toPython()  # type: ignore[assignment]
        return day

    def reload(self, workload: bool = True) -> None:
        """The agenda of the chosen day and agent; ``workload`` also refreshes every agent's load and quota."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            agenda = self._service.agenda(self._actor, self.selected_day(), self.agent.currentData())
            if workload:
                self.agenda_tab.set_workload(self._service.workload(self._actor, self.selected_day()))
            self.agenda_tab.set_agenda(agenda)
        except CsdeskError as exc:
            failure: CsdeskError | None = exc
        else:
            failure = None
        finally:
            QApplication.restoreOverrideCursor()
        if failure is not None:
            show_error(self, failure)
            return
        self.act_sheet.setEnabled(agenda.agent is not None)
        self._name_sheet_action()

    def _name_sheet_action(self) -> None:
        """A menu shows no tooltips: its disabled call-sheet entry says in its text what to do."""
        if self.act_sheet.isEnabled():
            self.act_sheet.setText(_("Call sheet of the agent…"))
        else:
            self.act_sheet.setText(_("Call sheet of the agent (choose one agent first)"))

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.contacts_tab:
            self.contacts_tab.reload()
        elif self.tabs.widget(index) is self.members_tab:
            self.members_tab.reload()

    def _say(self, text: str) -> None:
        self.message.setText(text)

    # --- actions ------------------------------------------------------------------------

    def record_outcome(self, call: AgendaCall) -> OutcomeRecorded | None:
        dialog = OutcomeDialog(self._service, actor=self._actor, call=call, parent=self)
        if not dialog.exec() or dialog.recorded is None:
            if dialog.stale:
                self.reload()
            return None
        done = dialog.recorded
        text = _("{member}: {outcome}").format(member=call.member, outcome=name_of(OUTCOME_NAMES, done.call.outcome or ""))
        if done.result == RESULT_RESCHEDULED:
            text += " · " + _("moved to {when}").format(when=f"{done.call.window_start:%Y-%m-%d} {format_time(done.call.window_start)}")
        if done.follow_up is not None:
            text += " · " + _("next attempt from {when}").format(when=f"{done.follow_up.window_start:%Y-%m-%d} {format_time(done.follow_up.window_start)}")
        self._say(text)
        self.reload()
        return done

    def reassign(self, call_ids: list[int]) -> None:
        dialog = ReassignDialog(self._service, actor=self._actor, call_ids=call_ids, day=self.selected_day(), parent=self)
        if dialog.exec():
            moved = dialog.moved
            self._say(ngettext("{n} call re-assigned.", "{n} calls re-assigned.", moved).format(n=moved))
            self.reload()

    def drop_calls(self, call_ids: list[int], agent: str) -> None:
        try:
            moved = self._service.reassign(self._actor, call_ids, agent)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self._say(ngettext("{n} call re-assigned to {agent}.", "{n} calls re-assigned to {agent}.", moved)
                  .format(n=moved, agent=agent))
        self.reload()

    def set_home_visit(self, on: bool) -> None:
        agent = self.agent.currentData()
        if agent is None:
            return
        try:
            self._service.set_home_visit(self._actor, agent, self.selected_day(), on)
        except CsdeskError as exc:
            show_error(self, exc)
        self.reload()

    def log_contact(self) -> None:
        calls = self.agenda_tab.selected_calls()
        member = self._service.member(self._actor, calls[0].member_id) if len(calls) == 1 else None
        dialog = ContactDialog(self._service, actor=self._actor, member=member, agent=self.agent.currentData(), parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._say(_("Contact logged for {member}.").format(member=dialog.saved.member))
            self.reload()
            self.contacts_tab.reload()

    def update_contact(self, contact: ContactView) -> None:
        dialog = ContactUpdateDialog(self._service, actor=self._actor, contact=contact, parent=self)
        if dialog.exec():
            self.contacts_tab.reload()
            self.reload()

    def edit_member(self, member: MemberView | None) -> None:
        dialog = MemberDialog(self._service, actor=self._actor, member=member, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.members_tab.reload()
            self.reload()

    def import_sales(self) -> None:
        actor = self._actor
        open_import_wizard(
            self, _("Import sales"), "sales", self._service,
            lambda service, path, progress, **options: service.import_sales(actor, path, progress, **options),
            actor=actor, on_done=self._after_import,
        )  # fmt: skip

    def _after_import(self) -> None:
        self.members_tab.reload()
        self.reload()

    # --- printing and export ------------------------------------------------------------

    def print_call_sheet(self) -> PrintDialog | None:
        agent = self.agent.currentData()
        if agent is None:
            return None
        dialog = PrintDialog(_("Call sheet"), lambda day, out: self._service.print_call_sheet(self._actor, day, agent, out),
                             initial=self.selected_day(), by_month=False, parent=self)
        dialog.exec()
        return dialog

    def print_birthdays(self) -> PrintDialog:
        dialog = PrintDialog(_("Birthday list"), lambda month, out: self._service.print_birthday_list(self._actor, month, out),
                             initial=next_month(self._service.today()), by_month=True, parent=self)
        dialog.exec()
        return dialog

    def print_performance(self) -> PrintDialog:
        last = self._service.today().replace(day=1) - timedelta(days=1)
        dialog = PrintDialog(_("Monthly callback performance"),
                             lambda month, out: self._service.print_performance(self._actor, month, out),
                             initial=last.replace(day=1), by_month=True, parent=self)
        dialog.exec()
        return dialog

    def export(self, kind: str) -> None:
        agenda = self.agenda_tab.agenda
        if agenda is None:
            return
        name = f"callbacks-{agenda.day.isoformat()}{'-' + agenda.agent if agenda.agent else ''}.{kind}"
        pattern = _("iCalendar (*.ics)") if kind == "ics" else _("Excel workbook (*.xlsx)")
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the agenda"), name, pattern)
        if not path:
            return
        out = Path(path if path.lower().endswith("." + kind) else f"{path}.{kind}")
        try:
            n = self._service.export_agenda(self._actor, agenda, out)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self._say(ngettext("{n} call exported to {path}.", "{n} calls exported to {path}.", n).format(n=n, path=out))
