"""People & teams: the personnel list, the person form and the import."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.context import AppContext
from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, format_iso_date, ngettext
from csdesk.models.domain import Person
from csdesk.labels import LEVEL_NAMES, ROLE_NAMES
from csdesk.services.base import PERSONNEL, Actor
from csdesk.services.people import PeopleService
from csdesk.ui.dialogs.import_wizard import open_import_wizard
from csdesk.ui.dialogs.person import PersonDialog
from csdesk.ui.messages import confirm, show_error
from csdesk.ui.shortcuts import bind_buttons, bind_field
from csdesk.ui.table_model import ColumnSpec, RowFilterProxy, RowTableModel, grey_if_inactive
from csdesk.ui.team_filter import fill_team_filter
from csdesk.ui.tips import set_state, with_keys

PEOPLE_COLUMNS: tuple[ColumnSpec[Person], ...] = (
    ColumnSpec(N_("Employee no."), lambda p: p.employee_no, foreground=grey_if_inactive),
    ColumnSpec(N_("Name"), lambda p: p.name, foreground=grey_if_inactive),
    ColumnSpec(N_("Team"), lambda p: p.team or "", foreground=grey_if_inactive),
    ColumnSpec(N_("Role"), lambda p: _(ROLE_NAMES.get(p.role, p.role)), foreground=grey_if_inactive),
    ColumnSpec(N_("Level"), lambda p: _(LEVEL_NAMES.get(p.level, p.level)) if p.level else "", foreground=grey_if_inactive),
    ColumnSpec(N_("Joined"), lambda p: format_iso_date(p.join_date), foreground=grey_if_inactive),
    ColumnSpec(N_("Birthday"), lambda p: format_iso_date(p.birthday), foreground=grey_if_inactive),
    ColumnSpec(N_("Phone"), lambda p: p.phone or "", foreground=grey_if_inactive),
    ColumnSpec(N_("Device id"), lambda p: p.device_id or "", foreground=grey_if_inactive),
    ColumnSpec(N_("Status"), lambda p: _("active") if p.active else _("inactive"), foreground=grey_if_inactive),
)
PERSONNEL_COLUMNS = PEOPLE_COLUMNS[4:9]  # level, joined, birthday, phone, device id


class PeoplePage(QWidget):
    """List, add, edit, deactivate and import people; editing is the supervisor's."""

    def __init__(self, people: PeopleService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people = people
        self._actor = actor
        # Level, join date, birthday and phone are personnel fields (rules.md §1): not even a column
        # for a reader who does not see personnel files (the service leaves them empty too).
        columns = PEOPLE_COLUMNS if actor.can(PERSONNEL) else tuple(c for c in PEOPLE_COLUMNS if c not in PERSONNEL_COLUMNS)
        self.model: RowTableModel[Person] = RowTableModel(columns, self)
        self.proxy = RowFilterProxy(self)  # the model sorts (2,000 people: 30,000 data() calls less per reload)
        self.proxy.setSourceModel(self.model)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.reload()

    def _build_ui(self) -> None:
        self._title = QLabel()
        self.team_filter = QComboBox()
        self.team_filter.setObjectName("teamFilter")
        self.search = QLineEdit()
        self.search.setObjectName("peopleSearch")
        self.search.setClearButtonEnabled(True)
        self.show_inactive = QCheckBox()
        self.add_button = QPushButton()
        self.add_button.setObjectName("addPerson")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("editPerson")
        self.toggle_button = QPushButton()
        self.toggle_button.setObjectName("togglePerson")
        self.import_button = QPushButton()
        self.import_button.setObjectName("importPeople")
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Widths from a sample of the rows, not every row (2,000 people: 0.46 s on every reload).
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.team_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.show_inactive)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.toggle_button, self.import_button):
            buttons.addWidget(b)
            b.setVisible(self._actor.can("people.edit") if b is not self.import_button else self._actor.can("import"))
        buttons.addStretch(1)
        buttons.addWidget(self._count)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._apply_filter)
        self.team_filter.currentIndexChanged.connect(self.reload)
        self.show_inactive.toggled.connect(self.reload)
        self.add_button.clicked.connect(self.add_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.import_button.clicked.connect(self.import_file)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        bind_field("people.find", self.search)
        bind_buttons((self.add_button, "people.add"), (self.edit_button, "people.edit"), (self.import_button, "people.import"))

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("People & teams") + "</h2>")
        self.search.setPlaceholderText(_("Search by number, name, team or phone…"))
        self.show_inactive.setText(_("Show inactive"))
        self.add_button.setText(_("Add person…"))
        self.edit_button.setText(_("Edit…"))
        self.toggle_button.setText(_("Deactivate"))
        self.import_button.setText(_("Import…"))
        self.import_button.setToolTip(
            _(
                "Import a people file: a row per person with employee number, name and team (工号, 姓名, "
                "班组), and any of role, level, join date, birthday, gender, phone and device id. A text "
                "file (.csv, .txt, .dat), an Excel workbook (.xlsx, .xlsm, .xls) or an HTML table saved "
                "by another program. The wizard shows the rows as read before anything is written."
            )
        )
        self._reload_teams()

    def _reload_teams(self) -> None:
        fill_team_filter(self.team_filter, self._people, self._actor, lambda team: f"{team.name} ({team.members})")

    def reload(self) -> None:
        rows = self._people.people(self._actor, team=self.team_filter.currentData(), include_inactive=self.show_inactive.isChecked())
        self.model.set_rows(rows)
        self._apply_filter()
        self._update_buttons()

    def _apply_filter(self) -> None:
        self.proxy.set_text(self.search.text())
        total = self.model.rowCount()
        self._count.setText(
            ngettext("{shown} of {total} person", "{shown} of {total} people", total).format(shown=self.proxy.rowCount(), total=total)
        )

    def selected(self) -> Person | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row(self.proxy.mapToSource(rows[0]).row())

    def select_employee(self, employee_no: str) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data() == employee_no:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        person = self.selected()
        pick = "" if person is not None else _("Select a person in the list first")
        set_state(self.edit_button, with_keys(_("Change the selected person's details (audited)"), "people.edit"), pick)
        set_state(self.toggle_button, _("Deactivate or reactivate the selected person: their history stays"), pick)
        self.add_button.setToolTip(with_keys(_("Add a person to a team"), "people.add"))
        self.toggle_button.setText(_("Reactivate") if person is not None and not person.active else _("Deactivate"))

    def add_person(self) -> None:
        dialog = PersonDialog(self._people, actor=self._actor, teams=[t.name for t in self._people.teams()], parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._reload_teams()
            self.reload()
            self.select_employee(dialog.saved.employee_no)

    def edit_selected(self) -> None:
        person = self.selected()
        if person is None or not self._actor.can("people.edit"):
            return
        dialog = PersonDialog(self._people, actor=self._actor, teams=[t.name for t in self._people.teams()], person=person, parent=self)
        if (dialog.exec() and dialog.saved is not None) or dialog.stale:
            self._reload_teams()
            self.reload()
            self.select_employee(person.employee_no)

    def toggle_selected(self) -> None:
        person = self.selected()
        if person is None:
            return
        if person.active and not confirm(self, _("Deactivate {name} ({no})? They stay in the records but leave the lists.").format(name=person.name, no=person.employee_no)):
            return
        try:
            self._people.set_active(self._actor, person.employee_no, not person.active)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.reload()

    def import_file(self) -> None:
        actor = self._actor
        open_import_wizard(
            self, _("Import people"), "people", self._people,
            lambda people, path, progress, **options: people.import_file(actor, path, progress, **options),
            actor=actor, on_done=self._after_import,
        )  # fmt: skip

    def _after_import(self) -> None:
        self._reload_teams()
        self.reload()


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return PeoplePage(ctx.people, actor=actor)
