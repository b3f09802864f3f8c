"""Missed-punch corrections and shift swaps of the month: request, decide, print the form."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, format_time
from csdesk.services.attendance import AttendanceService
from csdesk.services.attendance_types import PunchCorrection, ShiftSwap
from csdesk.services.base import Actor
from csdesk.ui.attendance.grid_model import LEAVE_STATUS_NAMES
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.messages import show_failure
from csdesk.ui.print_preview import preview_pdf
from csdesk.ui.table_model import ColumnSpec, RowTableModel
from csdesk.ui.tips import set_state

CORRECTION_COLUMNS: tuple[ColumnSpec[PunchCorrection], ...] = (
    ColumnSpec(N_("Employee"), lambda c: f"{c.employee_no} {c.name}"),
    ColumnSpec(N_("Day"), lambda c: c.day.isoformat()),
    ColumnSpec(N_("Time"), lambda c: format_time(c.at)),
    ColumnSpec(N_("Status"), lambda c: _(LEAVE_STATUS_NAMES.get(c.status, c.status))),
    ColumnSpec(N_("Requested by"), lambda c: c.requested_by),
    ColumnSpec(N_("Reason"), lambda c: c.reason),
)
SWAP_COLUMNS: tuple[ColumnSpec[ShiftSwap], ...] = (
    ColumnSpec(N_("Employee"), lambda s: f"{s.employee_no} {s.name}"),
    ColumnSpec(N_("Colleague"), lambda s: f"{s.colleague_no} {s.colleague_name}"),
    ColumnSpec(N_("Day"), lambda s: s.day.isoformat()),
    ColumnSpec(N_("Shift"), lambda s: s.shift or ""),
    ColumnSpec(N_("Status"), lambda s: _(LEAVE_STATUS_NAMES.get(s.status, s.status))),
    ColumnSpec(N_("Reason"), lambda s: s.reason),
)


def _table(model: RowTableModel) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class SwapDialog(QDialog):
    """调班: who gives the shift, the named colleague who takes it, the day, why."""

    def __init__(self, people: list[tuple[str, str]], day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Request a shift swap"))
        self.person, self.colleague = QComboBox(), QComboBox()
        for no, name in people:
            self.person.addItem(f"{no} {name}", no)
            self.colleague.addItem(f"{no} {name}", no)
        self.colleague.setCurrentIndex(min(1, self.colleague.count() - 1))
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit()
        form = QFormLayout()
        form.addRow(_("Employee"), self.person)
        form.addRow(_("Colleague who takes the shift"), self.colleague)
        form.addRow(_("Day"), self.day)
        form.addRow(_("Reason"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class RequestsView(QWidget):
    changed = Signal()

    def __init__(self, attendance: AttendanceService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = attendance
        self._actor = actor
        self.year = self.month = 0
        self.people: list[tuple[str, str]] = []
        self.corrections: RowTableModel[PunchCorrection] = RowTableModel(CORRECTION_COLUMNS, self)
        self.swaps: RowTableModel[ShiftSwap] = RowTableModel(SWAP_COLUMNS, self)
        self.correction_table = _table(self.corrections)
        self.swap_table = _table(self.swaps)
        approve = actor.can("attendance.approve")
        self.approve_fix, self.reject_fix, self.print_fix = QPushButton(_("Approve")), QPushButton(_("Reject")), QPushButton(_("Print form…"))
        self.request_swap, self.approve_swap, self.reject_swap, self.print_swap = (
            QPushButton(_("Request swap…")), QPushButton(_("Approve")), QPushButton(_("Reject")), QPushButton(_("Print form…")),
        )
        for b in (self.approve_fix, self.reject_fix, self.approve_swap, self.reject_swap):
            b.setVisible(approve)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>" + _("Missed-punch corrections") + "</b>"))
        layout.addWidget(self.correction_table, 1)
        row = QHBoxLayout()
        for b in (self.approve_fix, self.reject_fix, self.print_fix):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>" + _("Shift swaps") + "</b>"))
        layout.addWidget(self.swap_table, 1)
        row = QHBoxLayout()
        for b in (self.request_swap, self.approve_swap, self.reject_swap, self.print_swap):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.approve_fix.clicked.connect(lambda: self._decide_fix(True))
        self.reject_fix.clicked.connect(lambda: self._decide_fix(False))
        self.print_fix.clicked.connect(self._print_fix)
        self.request_swap.clicked.connect(self._request_swap)
        self.approve_swap.clicked.connect(lambda: self._decide_swap(True))
        self.reject_swap.clicked.connect(lambda: self._decide_swap(False))
        self.print_swap.clicked.connect(self._print_swap)
        self.correction_hint = show_when_empty(self.correction_table, lambda: _(
            "No missed-punch corrections this month. Open a day on the team calendar (double-click it) to "
            "correct a punch."))
        self.swap_hint = show_when_empty(self.swap_table, lambda: _(
            "No shift swaps this month. Request swap… records one agent handing a shift to a colleague."))
        for view, model in ((self.correction_table, self.corrections), (self.swap_table, self.swaps)):
            view.selectionModel().selectionChanged.connect(self._update_buttons)
            model.modelReset.connect(self._update_buttons)
        self.request_swap.setToolTip(_("Record that an agent hands a shift to a named colleague"))
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        """The buttons of each list follow its selection; disabled, they say what to select."""
        fix = self._selected(self.correction_table, self.corrections)
        swap = self._selected(self.swap_table, self.swaps)
        pick_fix = "" if fix is not None else _("Select a correction in the list first")
        pick_swap = "" if swap is not None else _("Select a swap in the list first")
        set_state(self.approve_fix, _("Approve the selected correction: the punch counts from now on"), pick_fix)
        set_state(self.reject_fix, _("Reject the selected correction"), pick_fix)
        set_state(self.print_fix, _("Preview and print the selected correction's form"), pick_fix)
        set_state(self.approve_swap, _("Approve the selected swap: the roster changes for that day"), pick_swap)
        set_state(self.reject_swap, _("Reject the selected swap"), pick_swap)
        set_state(self.print_swap, _("Preview and print the selected swap's form"), pick_swap)

    def load(self, year: int, month: int, people: list[tuple[str, str]]) -> None:
        self.year, self.month, self.people = year, month, people
        self.corrections.set_rows(self._service.corrections(self._actor, year, month))
        self.swaps.set_rows(self._service.swaps(self._actor, year, month))

    def _selected(self, view: QTableView, model: RowTableModel):  # type: ignore[no-untyped-def,type-arg]
        rows = view.selectionModel().selectedRows()
        return model.row(rows[0].row()) if rows else None

    def _run(self, action) -> None:  # type: ignore[no-untyped-def]
        try:
            action()
        except CsdeskError as exc:
            show_failure(self, exc, self._reload)
            return
        self._reload()

    def _reload(self) -> None:
        self.load(self.year, self.month, self.people)
        self.changed.emit()

    def _decide_fix(self, approve: bool) -> None:
        fix = self._selected(self.correction_table, self.corrections)
        if fix is not None:
            self._run(lambda: self._service.decide_correction(self._actor, fix.id, approve, version=fix.version))

    def _decide_swap(self, approve: bool) -> None:
        swap = self._selected(self.swap_table, self.swaps)
        if swap is not None:
            self._run(lambda: self._service.decide_swap(self._actor, swap.id, approve, version=swap.version))

    def _request_swap(self) -> None:
        dialog = SwapDialog(self.people, self._service.now().date(), self)
        if dialog.exec():
            day: date = dialog.day.date().toPython()  # type: ignore[assignment]
            self._run(lambda: self._service.request_swap(self._actor, dialog.person.currentData(), dialog.colleague.currentData(), day, dialog.reason.text()))

    def _print_fix(self) -> None:
        fix = self._selected(self.correction_table, self.corrections)
        if fix is not None:
            self.preview = preview_pdf(self, lambda path: self._service.print_correction(self._actor, fix, path), title=_("Missed-punch correction"),
                                       suggested_name=f"missed-punch-{fix.id}.pdf")

    def _print_swap(self) -> None:
        swap = self._selected(self.swap_table, self.swaps)
        if swap is not None:
            self.preview = preview_pdf(self, lambda path: self._service.print_swap(self._actor, swap, path), title=_("Shift swap"),
                                       suggested_name=f"swap-{swap.id}.pdf")
