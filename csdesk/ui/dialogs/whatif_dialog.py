"""Settings › Policy › "Try a change…" (issue 16): the most-asked keys of the policy in force as a
form (each with its rulebook paragraph), or a TOML file with any keys, and a month (and team) to try
them on. Compare writes the form's changes to a temporary site policy file and computes the month
under both policies in the background (WhatIfService.compare: nothing is written to the database);
the agents who change are listed, the biggest change first, with the grades before and after as
bars; double-clicking an agent shows the lines of their month the change moves. Apply (for those
with ``settings.edit``) writes the compared change to the site policy file after confirmation
(SitePolicyService.apply: audited with the summary; in force from the next start; a signed-off
month keeps the numbers it was signed with).
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
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
from csdesk.i18n import N_, _, format_money, format_number
from csdesk.policy import EventCode, Policy
from csdesk.services.base import Actor
from csdesk.services.site_policy import EDIT as POLICY_EDIT
from csdesk.services.whatif import AgentChange, AgentWhy, Summary, Totals, WhatIf
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.dialogs.whatif_parts import GradeChart, WhyDialog
from csdesk.ui.messages import error_label, show_error
from csdesk.ui.policy_change import apply_confirmed
from csdesk.ui.table_model import ColumnSpec, RowTableModel
from csdesk.ui.team_filter import fill_team_filter
from csdesk.whatif_text import moved, summary_lines

#: The attendance keys of the form (rules.md §2), as the loader names them.
ATTENDANCE_KEYS = ("late_deduction", "absence_deduction", "consecutive_lates_as_absence")
ATTENDANCE_LABELS = {
    "late_deduction": N_("Deduction per late or early leave (CNY)"),
    "absence_deduction": N_("Deduction per absence (CNY)"),
    "consecutive_lates_as_absence": N_("Consecutive lates that count as an absence"),
}
#: The rulebook paragraph beside each part of the form.
SECTION_ATTENDANCE, SECTION_GRADES, SECTION_EVENTS = N_("rules.md §2"), N_("rules.md §5"), N_("rules.md Appendix A")
#: What ``AgentChange.changed`` names, as the table says it.
CHANGED_LABELS = {
    "total": N_("Total"), "grade": N_("Grade"), "pay_float_cny": N_("Pay float"), "deduction_cny": N_("Deduction"),
    "flags": N_("Flags"),
}  # fmt: skip


# --- the form's changes as a site policy file ------------------------------------------------


def parse_value(text: str) -> Any:
    """What was typed as a TOML value: a whole number, a number, else a text (which the loader
    refuses by its key where a number belongs)."""
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))  # a JSON string is a TOML basic string


def toml_text(tables: Mapping[str, Mapping[str, Any]], arrays: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """A site policy file of plain tables (``[attendance]``) and whole arrays of tables
    (``[[scoring.grades]]``: a site file replaces a whole array)."""
    lines: list[str] = []
    for name, values in tables.items():
        if values:
            lines += [f"[{name}]", *(f"{key} = {_toml_value(v)}" for key, v in values.items())]
    for name, rows in arrays.items():
        for row in rows:
            lines += [f"[[{name}]]", *(f"{key} = {_toml_value(v)}" for key, v in row.items())]
    return "\n".join(lines) + "\n"


def _field(value: Any, name: str) -> QLineEdit:
    edit = QLineEdit(str(value))
    edit.setObjectName(name)
    edit.setMaximumWidth(120)
    return edit


# --- the result ------------------------------------------------------------------------------


def _delta(before: Decimal | int | None, after: Decimal | int | None) -> Decimal:
    """How far a value moves (a value not shown does not move)."""
    return abs(Decimal(after or 0) - Decimal(before or 0))


def change_size(a: AgentChange) -> tuple[Decimal, Decimal, Decimal]:
    """The size of one agent's change: points, then pay float, then deduction."""
    return (_delta(a.before.total, a.after.total), _delta(a.before.pay_float_cny, a.after.pay_float_cny),
            _delta(a.before.deduction_cny, a.after.deduction_cny))  # fmt: skip


def _columns(currency: str) -> list[ColumnSpec[AgentChange]]:
    def money(field: str) -> ColumnSpec[AgentChange]:
        return ColumnSpec(
            CHANGED_LABELS[field],
            lambda a: moved(format_money(getattr(a.before, field), currency), format_money(getattr(a.after, field), currency)),
            lambda a: _delta(getattr(a.before, field), getattr(a.after, field)),
            align_right=True,
        )

    return [
        ColumnSpec(N_("Employee no."), lambda a: a.employee_no),
        ColumnSpec(N_("Name"), lambda a: a.name),
        ColumnSpec(
            N_("Total"), lambda a: moved(format_number(a.before.total), format_number(a.after.total)), change_size, align_right=True
        ),
        ColumnSpec(N_("Grade"), lambda a: moved(a.before.grade or "", a.after.grade or "")),
        money("pay_float_cny"),
        money("deduction_cny"),
        ColumnSpec(N_("What changed"), lambda a: ", ".join(_(CHANGED_LABELS[f]) for f in a.changed)),
    ]


TOTAL_COLUMN = 2  # sorted by the size of the whole change


def summary_text(summary: Summary, currency: str) -> str:
    """Agents changed, grade changes, deductions and pay floats before → after, on one line."""
    return "  ".join(summary_lines(summary, currency))


# --- the dialog ------------------------------------------------------------------------------


class WhatIfDialog(QDialog):
    """The form or a file, a month and team; Compare; the summary and the agents who change."""

    def __init__(self, ctx: AppContext, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._actor = ctx, actor
        self._policy: Policy = ctx.policy
        self.job: Job | None = None  # the comparison under way
        self.compared: WhatIf | None = None
        self.file: Path | None = None  # a loaded file replaces the form
        self._compared_change: Path | str | None = None  # what the result was computed with (a file or TOML text)
        self.applied = False  # the policy file was written: a second change waits for the next start
        self.why_job: Job | None = None  # one agent's trail under way
        self.why_dialog: WhyDialog | None = None
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._show_event()

    # --- building ------------------------------------------------------------------------

    def _build_ui(self) -> None:
        attendance = self._policy.attendance
        self.attendance = {name: _field(getattr(attendance, name), name) for name in ATTENDANCE_KEYS}
        self.grades = {g.code: _field(_plain(g.min), f"grade_{g.code}") for g in self._policy.scoring.grades}
        self.event_code = QComboBox()
        self.event_code.setObjectName("event")
        for e in self._policy.events:
            self.event_code.addItem(e.code, e.code)
        self.points_min, self.points_max = _field("", "points_min"), _field("", "points_max")

        self._form_box = QGroupBox()
        form = QFormLayout(self._form_box)
        self._labels: dict[str, QLabel] = {}
        self._sections: list[tuple[QLabel, str]] = []  # the rulebook paragraph beside each key
        for name, edit in self.attendance.items():
            form.addRow(self._label(name), self._beside(edit, SECTION_ATTENDANCE))
        for code, edit in self.grades.items():
            form.addRow(self._label(f"grade_{code}"), self._beside(edit, SECTION_GRADES))
        holder = QWidget()
        points = QHBoxLayout(holder)
        points.setContentsMargins(0, 0, 0, 0)
        for widget in (self.event_code, self.points_min, self.points_max):
            points.addWidget(widget)
        form.addRow(self._label("event"), self._beside(holder, SECTION_EVENTS))

        self.file_label = QLabel()
        self.file_label.setObjectName("whatifFile")
        self.file_label.setWordWrap(True)
        self.load_button = QPushButton()
        self.load_button.setObjectName("whatifLoad")
        self.form_button = QPushButton()  # back to the form after a file
        self.form_button.setObjectName("whatifUseForm")
        file_row = QHBoxLayout()
        file_row.addWidget(self.load_button)
        file_row.addWidget(self.form_button)
        file_row.addWidget(self.file_label, 1)

        self.month = QDateEdit()
        self.month.setObjectName("whatifMonth")
        self.month.setDisplayFormat("yyyy-MM")
        last = date.today().replace(day=1) - timedelta(days=1)  # last month
        self.month.setDate(QDate(last.year, last.month, 1))
        self.team = QComboBox()
        self.team.setObjectName("whatifTeam")
        fill_team_filter(self.team, self._ctx.people, self._actor)
        self.compare_button = QPushButton()
        self.compare_button.setObjectName("whatifCompare")
        self.compare_button.setDefault(True)
        when = QHBoxLayout()
        self._month_label, self._team_label = QLabel(), QLabel()
        for widget in (self._month_label, self.month, self._team_label, self.team, self.compare_button):
            when.addWidget(widget)
        when.addStretch(1)

        self.error = error_label("whatifError")
        self.summary = QLabel()
        self.summary.setObjectName("whatifSummary")
        self.summary.setWordWrap(True)
        self.model: RowTableModel[AgentChange] = RowTableModel(_columns(self._policy.meta.currency), self)
        self.table = QTableView()
        self.table.setObjectName("whatifTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TOTAL_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.chart = GradeChart([g.code for g in self._policy.scoring.grades])
        self.chart.setObjectName("whatifChart")
        self.chart.setMinimumWidth(260)
        result = QHBoxLayout()
        result.addWidget(self.table, 3)
        result.addWidget(self.chart, 2)

        self.why_button = QPushButton()
        self.why_button.setObjectName("whatifWhy")
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("whatifApply")
        self.apply_button.setVisible(self._actor.can(POLICY_EDIT))
        actions = QHBoxLayout()
        actions.addWidget(self.why_button)
        actions.addStretch(1)
        actions.addWidget(self.apply_button)
        self._enable_result_actions()

        layout = QVBoxLayout(self)
        layout.addWidget(self._form_box)
        layout.addLayout(file_row)
        layout.addLayout(when)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addLayout(result, 1)
        layout.addLayout(actions)
        self.resize(980, 660)

    def _label(self, name: str) -> QLabel:
        self._labels[name] = QLabel()
        return self._labels[name]

    def _beside(self, widget: QWidget, section: str) -> QWidget:
        """``widget`` with the rulebook paragraph it comes from beside it."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget)
        note = QLabel()
        note.setStyleSheet("color: #666666;")
        self._sections.append((note, section))
        row.addWidget(note)
        row.addStretch(1)
        return holder

    def _connect_signals(self) -> None:
        self.event_code.currentIndexChanged.connect(self._show_event)
        self.load_button.clicked.connect(self._load_file)
        self.form_button.clicked.connect(lambda: self.use_file(None))
        self.compare_button.clicked.connect(self.compare)
        self.table.doubleClicked.connect(lambda _index: self.explain_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable_result_actions())
        self.why_button.clicked.connect(self.explain_selected)
        self.apply_button.clicked.connect(self.apply_change)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Try a policy change"))
        self._form_box.setTitle(_("Change these keys of the policy in force"))
        for name in ATTENDANCE_KEYS:
            self._labels[name].setText(_(ATTENDANCE_LABELS[name]))
        for code in self.grades:
            self._labels[f"grade_{code}"].setText(_("Grade {grade} from (points)").format(grade=code))
        for note, section in self._sections:
            note.setText(_(section))
        self._labels["event"].setText(_("Event points (lowest, highest)"))
        self.load_button.setText(_("Load a file…"))
        self.form_button.setText(_("Use the form"))
        self._month_label.setText(_("Month"))
        self._team_label.setText(_("Team"))
        self.compare_button.setText(_("Compare"))
        self.why_button.setText(_("What moves for this agent…"))
        self.why_button.setToolTip(_("Or double-click an agent: the lines of their month the change moves, and the rule of each."))
        self.apply_button.setText(_("Apply this change…"))
        self.apply_button.setToolTip(_("Write the change to the site policy file; csdesk uses it from its next start."))
        self._show_file()

    # --- the form ------------------------------------------------------------------------

    def _show_event(self) -> None:
        """The chosen event's points as the policy in force has them."""
        event = self._event()
        self.points_min.setText(str(event.points_min))
        self.points_max.setText(str(event.points_max))

    def _event(self) -> EventCode:
        return next(e for e in self._policy.events if e.code == self.event_code.currentData())

    def _load_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Policy file"), "", _("Policy (*.toml)"))
        if path:
            self.use_file(Path(path))

    def use_file(self, path: Path | None) -> None:
        """Compare with ``path``'s keys instead of the form's (None: the form again)."""
        self.file = path
        self._form_box.setEnabled(path is None)
        self._show_file()

    def _show_file(self) -> None:
        self.form_button.setVisible(self.file is not None)
        self.file_label.setText("" if self.file is None else _("Keys from {file}").format(file=self.file))

    def changes_text(self) -> str:
        """The form's changed keys as a site policy file (a grade or event change writes the whole
        array, as a site file must)."""
        attendance = self._policy.attendance
        changed = {
            name: edit.text() for name, edit in self.attendance.items() if edit.text().strip() != str(getattr(attendance, name))
        }
        tables = {"attendance": {name: parse_value(text) for name, text in changed.items()}}
        arrays: dict[str, list[dict[str, Any]]] = {}
        grades = self._policy.scoring.grades
        if any(self.grades[g.code].text().strip() != _plain(g.min) for g in grades):
            arrays["scoring.grades"] = [{**dataclasses.asdict(g), "min": parse_value(self.grades[g.code].text())} for g in grades]
        event = self._event()
        points = {"points_min": parse_value(self.points_min.text()), "points_max": parse_value(self.points_max.text())}
        if points != {"points_min": event.points_min, "points_max": event.points_max}:
            events = self._policy.events
            arrays["events"] = [{**dataclasses.asdict(e), **(points if e.code == event.code else {})} for e in events]
        return toml_text(tables, arrays)

    # --- comparing -----------------------------------------------------------------------

    def compare(self) -> None:
        """Compute the month under both policies in the background; nothing is written."""
        service, actor, team = self._ctx.whatif, self._actor, self.team.currentData()
        picked = self.month.date()
        month = f"{picked.year():04d}-{picked.month():02d}"
        change: Path | str = self.file if self.file is not None else self.changes_text()
        self._compared_change = None

        def op(_job: Job) -> WhatIf:
            with _change_file(change) as path:
                return service.compare(actor, month, path, team=team)

        self._compared_change = change
        self.compare_button.setEnabled(False)
        self.error.setText("")
        self.summary.setText(_("Computing {month} under both policies…").format(month=month))
        self.job = run_in_background(op, self._compared, self._failed)

    def _compared(self, result: WhatIf) -> None:
        self.job, self.compared = None, result
        self.compare_button.setEnabled(True)
        month = result.months[0]
        text = summary_text(month.summary, self._policy.meta.currency)
        if month.locked:
            locked = _("{month} is signed off: computed here from its facts under both policies, not read from what was signed.")
            text = locked.format(month=month.month) + "\n" + text
        self.summary.setText(text)
        self.model.set_rows(month.agents)
        self.chart.set_people(month.everyone)
        self._enable_result_actions()

    def _failed(self, exc: BaseException) -> None:
        self.job, self.compared = None, None
        self.compare_button.setEnabled(True)
        self.summary.setText("")
        self.model.set_rows([])
        self.chart.set_people([])
        self._enable_result_actions()
        if not isinstance(exc, CsdeskError):
            raise exc  # a bug: to the exception hook
        self.error.setText(exc.message())


    # --- one agent, and applying ----------------------------------------------------------------

    def _enable_result_actions(self) -> None:
        compared = self.compared is not None and self.job is None
        self.why_button.setEnabled(compared and self.table.currentIndex().isValid())
        self.apply_button.setEnabled(compared and not self.applied and bool(self.compared and self.compared.changes))

    def explain_selected(self) -> None:
        """The selected agent's month under both policies, line by line (computed in the background)."""
        index = self.table.currentIndex()
        if self.compared is None or self._compared_change is None or not index.isValid():
            return
        agent = self.model.row(index.row())
        service, actor, month, change = self._ctx.whatif, self._actor, self.compared.first, self._compared_change

        def op(_job: Job) -> AgentWhy:
            with _change_file(change) as path:
                return service.explain(actor, month, agent.employee_no, path)

        def shown(why: AgentWhy) -> None:
            self.why_job = None
            self.why_dialog = WhyDialog(why, agent.name, self)
            self.why_dialog.open()

        def failed(exc: BaseException) -> None:
            self.why_job = None
            if not isinstance(exc, CsdeskError):
                raise exc
            show_error(self, exc)

        self.why_job = run_in_background(op, shown, failed)

    def apply_change(self) -> bool:
        """Write the compared change to the site policy file, after confirmation."""
        result, change = self.compared, self._compared_change
        if result is None or change is None or self.applied:
            return False
        keys: Path | dict[str, Any] = change if isinstance(change, Path) else tomllib.loads(change)
        more = summary_lines(result.summary, self._policy.meta.currency)
        try:
            applied = apply_confirmed(self, self._ctx.site_policy, self._actor, keys, result.changes,
                                      title=_("Apply a policy change"), more=more, summary=audit_summary(result))  # fmt: skip
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return False
        self.applied = applied is not None
        self._enable_result_actions()
        return self.applied


class _change_file:
    """The change as a file for the services: a loaded file as it is, the form's text in a
    temporary folder removed afterwards."""

    def __init__(self, change: Path | str) -> None:
        self._change = change
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if isinstance(self._change, Path):
            return self._change
        self._folder = tempfile.TemporaryDirectory(prefix="csdesk-whatif-")
        path = Path(self._folder.name) / "change.toml"
        path.write_text(self._change, encoding="utf-8")
        return path

    def __exit__(self, *exc: object) -> None:
        if self._folder is not None:
            self._folder.cleanup()


def audit_summary(result: WhatIf) -> dict[str, Any]:
    """The what-if's figures for the audit entry (numbers, not words: any language reads them)."""
    s = result.summary
    months = result.first if result.first == result.last else f"{result.first}…{result.last}"
    money = {name: [str(t.before), str(t.after)] for name, t in (("deduction_cny", s.deduction_cny), ("pay_float_cny", s.pay_float_cny))
             if t.before is not None}  # fmt: skip
    return {"months": months, "agents_changed": s.agents_changed, "grade_changes": dict(s.grade_changes), **money}


def _plain(value: float) -> str:
    """A threshold as typed in the form: ``90`` rather than ``90.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)
