"""The calibration tab (rules.md §10): the month's contacts several inspectors scored; for the
one picked, each question's answers side by side against the agreed answer, and each inspector's
score against the inspection that counts.

Calibration is the inspectors' own work: for a reader who may not record inspections (an agent,
a team lead, a read-only role) the tab lists nothing and says so; the service refuses them the
comparison and the calibration inspections anyway (``QAService``)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from csdesk.i18n import _
from csdesk.rules.qa import InspectorSpread, QuestionSpread
from csdesk.services.base import Actor
from csdesk.services.qa import CalibrationContact, CalibrationView, may_calibrate
from csdesk.ui.callbacks.agenda_view import make_table
from csdesk.ui.fit import fit_headers
from csdesk.ui.qa.models import CONTACT_COLUMNS, inspector_columns, question_columns
from csdesk.ui.table_model import RowTableModel

M = TypeVar("M", bound=QAbstractItemModel)


def _replace(table: QTableView, model: M) -> M:
    old = table.model()
    table.setModel(model)
    if old is not None:
        old.deleteLater()
    return model


class CalibrationTab(QWidget):
    """Contacts on the left; the picked contact's comparison on the right (``contact_chosen``).
    ``actor``: who reads (None: shown as to one who may inspect)."""

    contact_chosen = Signal(object)  # CalibrationContact

    def __init__(self, parent: QWidget | None = None, *, actor: Actor | None = None) -> None:
        super().__init__(parent)
        self.allowed = actor is None or may_calibrate(actor)
        self.view: CalibrationView | None = None
        self.contacts: RowTableModel[CalibrationContact] = RowTableModel(CONTACT_COLUMNS, self)
        self.contacts_table = make_table("qaCalibrationContacts")
        self.contacts_table.setModel(self.contacts)
        fit_headers(self.contacts_table)  # a narrow pane: its headers whole all the same
        self.questions: RowTableModel[QuestionSpread] = RowTableModel(question_columns((), None), self)
        self.questions_table = make_table("qaCalibrationQuestions")
        self.questions_table.setModel(self.questions)
        self.inspectors: RowTableModel[InspectorSpread] = RowTableModel(inspector_columns({}, None), self)
        self.inspectors_table = make_table("qaCalibrationInspectors")
        self.inspectors_table.setModel(self.inspectors)
        self.heading = QLabel()
        self.heading.setObjectName("qaCalibrationHeading")
        self.heading.setWordWrap(True)
        self.questions_label = QLabel()
        self.inspectors_label = QLabel()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.heading, 0), (self.questions_label, 0), (self.questions_table, 3),
                                (self.inspectors_label, 0), (self.inspectors_table, 2)):  # fmt: skip
            column.addWidget(widget, stretch)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.contacts_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setVisible(self.allowed)
        self.closed = QLabel()  # why a reader who may not inspect sees no calibration
        self.closed.setObjectName("qaCalibrationClosed")
        self.closed.setWordWrap(True)
        self.closed.setVisible(not self.allowed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.closed)
        layout.addWidget(splitter, 1)
        self.contacts_table.selectionModel().selectionChanged.connect(lambda *_a: self._chosen())

    def retranslate_ui(self) -> None:
        self.questions_label.setText("<b>" + _("Per question") + "</b>")
        self.inspectors_label.setText("<b>" + _("Per inspector, against the inspection that counts") + "</b>")
        self.closed.setText(_("Calibration is the inspectors' own work: it is shown to those who record inspections."))
        self._heading()

    def set_contacts(self, contacts: list[CalibrationContact]) -> None:
        """The month's contacts; the comparison on show is cleared (it may be another month's).
        None listed for a reader who may not inspect."""
        self.contacts.set_rows(contacts if self.allowed else [])
        self.show_calibration(None)

    def _chosen(self) -> None:
        rows = self.contacts_table.selectionModel().selectedRows()
        if rows:
            self.contact_chosen.emit(self.contacts.row(rows[0].row()))

    def show_calibration(self, view: CalibrationView | None) -> None:
        """The comparison of one contact's inspectors (None: nothing chosen)."""
        view = view if self.allowed else None
        self.view = view
        result = view.result if view else None
        names = {r.inspector_no: r.inspector_name for r in view.inspections} if view else {}
        agreed = result.agreed if result else None
        order = [(s.inspector, names.get(s.inspector, "")) for s in result.inspectors] if result else []
        # The columns depend on the inspectors compared: new models, the old ones let go.
        self.questions = _replace(self.questions_table, RowTableModel(question_columns(order, agreed), self))
        self.questions.set_rows(result.questions if result else ())
        self.inspectors = _replace(self.inspectors_table, RowTableModel(inspector_columns(names, agreed), self))
        self.inspectors.set_rows(result.inspectors if result else ())
        self._heading()

    def _heading(self) -> None:
        view = self.view
        if view is None:
            text = _("Pick a contact that several inspectors scored.") if self.contacts.rowCount() else _(
                "No contact was scored by several inspectors this month.")
        elif view.result.agreed is None:
            text = _("Contact {contact}: every inspection is a calibration inspection; none is the agreed one.").format(
                contact=view.contact)
        else:
            text = _("Contact {contact}: the answers of {inspector} count and are the agreed ones.").format(
                contact=view.contact, inspector=view.result.agreed)
        self.heading.setText(text)
