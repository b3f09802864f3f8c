"""Record one inspection on the policy's form (rules.md §10): agent, contact, date, inspector and
mode above; each section's questions below, answered yes / no / not applicable (or with points,
where the form weighs a question more), with a comment per question.

Every scored question needs an answer; the service checks the rest and its refusals are shown
in the dialog, the question they name marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import _, format_number, format_percent
from csdesk.labels import name_of
from csdesk.policy.model import QaForm
from csdesk.qa_labels import ANSWER_NAMES, MODE_NAMES, SECTION_NAMES, question_label
from csdesk.rules.qa import NA, NO, YES
from csdesk.services.base import Actor
from csdesk.services.qa import InspectionDetail, QAService
from csdesk.ui.scorecards.event_dialog import resolve, searchable

POINTS = "points"  # the choice of a question worth more than one point: part of its points
ERROR_STYLE = "color: #b02a37"


@dataclass
class AnswerRow:
    """The widgets of one question: its label, one radio button per answer, the points (a
    question worth more than one point) and the comment."""

    code: str
    label: QLabel
    buttons: dict[str, QRadioButton]
    points: QDoubleSpinBox | None
    comment: QLineEdit

    def value(self) -> str | None:
        """The answer as the service reads it (yes, no, na or the points), None: not answered."""
        for answer, button in self.buttons.items():
            if button.isChecked():
                return format(self.points.value(), "g") if answer == POINTS and self.points else answer
        return None

    def mark(self, wrong: bool) -> None:
        self.label.setStyleSheet(ERROR_STYLE if wrong else "")


class InspectionDialog(QDialog):
    """One new inspection; Save records it through the service (``saved`` holds it then)."""

    def __init__(
        self, service: QAService, *, actor: Actor, agents: list[tuple[str, str]], inspectors: list[tuple[str, str]],
        agent: str | None, today: date, contact: str = "", parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        """``agent`` (an employee no.) and ``contact``: what the form starts filled in with."""
        super().__init__(parent)
        self._service, self._actor = service, actor
        self.saved: InspectionDetail | None = None
        self.rows: dict[str, AnswerRow] = {}
        self._build_ui(agents, inspectors, today)
        self._connect_signals()
        self.retranslate_ui()
        self.agent.setCurrentIndex(max(0, self.agent.findData(agent)) if agent else -1)
        self.contact.setText(contact)
        self._build_questions()

    # --- construction -------------------------------------------------------------------

    def _build_ui(self, agents: list[tuple[str, str]], inspectors: list[tuple[str, str]], today: date) -> None:
        policy = self._service.policy.qa
        self.agent = QComboBox()
        self.agent.setObjectName("qaAgent")
        searchable(self.agent)
        for no, name in agents:
            self.agent.addItem(f"{no} · {name}", no)
        self.contact = QLineEdit()
        self.contact.setObjectName("qaContact")
        self.day = QDateEdit(QDate(today))
        self.day.setObjectName("qaDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(QDate(today))
        self.inspector = QComboBox()
        self.inspector.setObjectName("qaInspector")
        self.inspector.addItem("", None)  # the signed-in account's person; text set in retranslate_ui
        for no, name in inspectors:
            self.inspector.addItem(f"{no} · {name}", no)
        self.mode = QComboBox()
        self.mode.setObjectName("qaMode")
        for code in policy.modes:
            self.mode.addItem(name_of(MODE_NAMES, code), code)
        self.mode.setCurrentIndex(max(0, self.mode.findData(policy.default_mode)))
        self.form = QComboBox()
        self.form.setObjectName("qaForm")
        for form in self._service.forms():
            self.form.addItem(_("{form}, version {version}").format(form=form.code, version=form.version), form.code)
        self.calibration = QCheckBox()
        self.calibration.setObjectName("qaCalibration")
        self.comment = QLineEdit()
        self.comment.setObjectName("qaComment")
        self.fields = QFormLayout()
        self.labels = [QLabel() for _n in range(7)]
        for label, field in zip(self.labels, (self.agent, self.contact, self.day, self.inspector, self.mode, self.form,
                                              self.comment), strict=True):  # fmt: skip
            self.fields.addRow(label, field)
        self.fields.addRow("", self.calibration)
        self.fields.setRowVisible(self.form, self.form.count() > 1)
        self.questions = QWidget()
        self.questions.setObjectName("qaQuestions")
        self._questions_layout = QVBoxLayout(self.questions)
        scroll = QScrollArea()
        scroll.setWidget(self.questions)
        scroll.setWidgetResizable(True)
        self.error = QLabel()
        self.error.setObjectName("qaError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.fields)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(860, 760)

    def _connect_signals(self) -> None:
        self.form.currentIndexChanged.connect(lambda _i: self._build_questions())
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New inspection"))
        texts = (_("Agent"), _("Contact"), _("Date"), _("Inspector"), _("Mode"), _("Form"), _("Comment"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.inspector.setItemText(0, _("Myself"))
        self.contact.setPlaceholderText(_("Call or ticket reference"))
        self.calibration.setText(_("Calibration inspection (does not count in the agent's results)"))

    def chosen_form(self) -> QaForm:
        code = self.form.currentData()
        return next(f for f in self._service.forms() if f.code == code)

    def _build_questions(self) -> None:
        """One box per section of the chosen form, and one for its bonus questions."""
        while (item := self._questions_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.rows.clear()
        form = self.chosen_form()
        critical = set(form.critical_questions).union(*(s.critical for s in form.sections))
        for section in form.sections:
            title = _("{section} · weight {weight}").format(
                section=name_of(SECTION_NAMES, section.code), weight=format_percent(section.weight / 100))
            self._questions_layout.addWidget(self._section_box(title, section.questions, form, critical))
        if form.bonus_questions:
            codes = tuple(b.code for b in form.bonus_questions)
            self._questions_layout.addWidget(self._section_box(_("Bonus questions"), codes, form, critical))
        self._questions_layout.addStretch(1)
        # The answers line up from box to box: every question's label as wide as the widest.
        widest = max((row.label.sizeHint().width() for row in self.rows.values()), default=0)
        for row in self.rows.values():
            row.label.setMinimumWidth(widest)

    def _section_box(self, title: str, codes: tuple[str, ...], form: QaForm, critical: set[str]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setColumnStretch(6, 1)
        for row, code in enumerate(codes):
            label = QLabel(question_label(code) + (" ★" if code in critical else ""))
            if code in critical:
                label.setToolTip(_("Critical question: a no fails its section or the whole inspection."))
            group = QButtonGroup(box)
            buttons: dict[str, QRadioButton] = {}
            choices = [YES, NO, NA] + ([POINTS] if form.points_of(code) > 1 else [])
            for column, answer in enumerate(choices, start=1):
                button = QRadioButton(_(ANSWER_NAMES[answer]) if answer in ANSWER_NAMES else _("Points"))
                button.setObjectName(f"answer_{code}_{answer}")
                group.addButton(button)
                buttons[answer] = button
                grid.addWidget(button, row, column)
            points = self._points_box(form.points_of(code), buttons) if POINTS in buttons else None
            if points is not None:
                grid.addWidget(points, row, 5)
            comment = QLineEdit()
            comment.setObjectName(f"comment_{code}")
            comment.setPlaceholderText(_("Comment"))
            grid.addWidget(label, row, 0)
            grid.addWidget(comment, row, 6)
            self.rows[code] = AnswerRow(code, label, buttons, points, comment)
        return box

    @staticmethod
    def _points_box(most: int, buttons: dict[str, QRadioButton]) -> QDoubleSpinBox:
        points = QDoubleSpinBox()
        points.setRange(0, most)
        points.setSingleStep(0.5)
        points.setDecimals(1)
        points.setSuffix(" / " + format_number(most))
        points.setEnabled(False)
        buttons[POINTS].toggled.connect(points.setEnabled)
        return points

    # --- saving -------------------------------------------------------------------------

    def save(self) -> None:
        for row in self.rows.values():
            row.mark(False)
        agent = resolve(self.agent)
        if not agent:
            self.error.setText(_("Pick an agent from the list."))
            return
        form = self.chosen_form()
        answers = {code: value for code, row in self.rows.items() if (value := row.value()) is not None}
        missing = [q for q in form.questions if q not in answers]
        if missing:
            self.rows[missing[0]].mark(True)
            self.error.setText(_("Answer question {question}.").format(question=question_label(missing[0])))
            return
        picked = self.day.date()
        try:
            self.saved = self._service.record_inspection(
                self._actor, agent, self.contact.text(), date(picked.year(), picked.month(), picked.day()), answers,
                inspector=self.inspector.currentData(), form=form.code, mode=self.mode.currentData(),
                calibration=self.calibration.isChecked(), comment=self.comment.text(),
                comments={code: text for code, row in self.rows.items() if (text := row.comment.text().strip())},
            )  # fmt: skip
        except CsdeskError as exc:
            question = exc.params.get("question")
            if question in self.rows:
                self.rows[question].mark(True)
            self.error.setText(exc.message())
            return
        self.accept()
