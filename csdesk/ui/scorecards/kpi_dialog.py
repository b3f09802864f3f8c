"""Enter an agent's monthly KPIs and 360 scores (rules.md §6): one row each, Tab down, Enter saves.

Each field holds the value as entered, in the language's decimal notation (``96,5`` in Spanish;
both ``,`` and ``.`` are accepted). An empty field means "no value" and clears a stored one.
A number that does not parse, and any value the service refuses, is explained under its row;
the dialog stays open. A signed-off month is shown read-only.
"""

from __future__ import annotations

import html
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import _, format_editable, format_month, format_number, format_percent
from csdesk.labels import EVALUATOR_NAMES, KPI_NAMES, KPI_UNITS, name_of
from csdesk.services.base import Actor
from csdesk.services.months import LOCKED_MONTH_MESSAGE
from csdesk.services.scorecard_access import can_rate
from csdesk.services.scorecard_compute import AgentScorecard
from csdesk.services.scorecard_imports import parse_decimal
from csdesk.services.scorecard_types import KpiInput, KpiInputs
from csdesk.services.scorecards import ScorecardService

KPI, SCORE_360 = "kpi", "360"
ERROR_STYLE = "color: #b02a37"
FIELD_WIDTH = 110
Key = tuple[str, str]  # (KPI or SCORE_360, name)


class _Row:
    """The widgets of one input: caption, field, unit, weight and the error line below it."""

    def __init__(self, kind: str, item: KpiInput) -> None:
        self.kind, self.item = kind, item
        self.caption = QLabel()
        self.field = QLineEdit(format_editable(item.value))
        self.field.setObjectName(f"{kind}_{item.name}")
        self.field.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.field.setFixedWidth(FIELD_WIDTH)
        self.caption.setBuddy(self.field)
        self.unit = QLabel()
        self.weight = QLabel(format_percent(item.weight / 100))
        self.weight.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.error = QLabel()
        self.error.setObjectName(f"{kind}_{item.name}_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

    @property
    def key(self) -> Key:
        return self.kind, self.item.name

    def label(self) -> str:
        return name_of(KPI_NAMES if self.kind == KPI else EVALUATOR_NAMES, self.item.name)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class KpiDialog(QDialog):
    """The KPI and 360 inputs of one agent and month; ``saved`` holds the card after a save."""

    def __init__(self, service: ScorecardService, *, actor: Actor, inputs: KpiInputs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._actor, self.inputs = service, actor, inputs
        self.editable = can_rate(actor) and not inputs.locked
        self.saved: AgentScorecard | None = None
        self.rows: dict[Key, _Row] = {}
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("kpiHeading")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(12)  # CJK units otherwise run into the weight column
        self.section_captions: list[QLabel] = []
        self.weight_captions: list[QLabel] = []
        line = 0
        for kind, items in ((KPI, self.inputs.kpis), (SCORE_360, self.inputs.scores_360)):
            section, weight = QLabel(), QLabel()
            weight.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
            weight.setStyleSheet("color: #666666")
            self.section_captions.append(section)
            self.weight_captions.append(weight)
            grid.addWidget(section, line, 0, 1, 3)
            grid.addWidget(weight, line, 3)
            line += 1
            for item in items:
                row = _Row(kind, item)
                self.rows[row.key] = row
                grid.addWidget(row.caption, line, 0)
                grid.addWidget(row.field, line, 1)
                grid.addWidget(row.unit, line, 2)
                grid.addWidget(row.weight, line, 3)
                grid.addWidget(row.error, line + 1, 1, 1, 3)
                line += 2
        self.lock_note = QLabel()
        self.lock_note.setObjectName("kpiLocked")
        self.lock_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("kpiError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)  # Enter in any field saves
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(grid)
        layout.addWidget(self.lock_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # Keyboard-first: Tab goes down the fields in the order shown, then to the buttons.
        chain: list[QWidget] = [row.field for row in self.rows.values()] + list(self.buttons.buttons())
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        for row in self.rows.values():
            row.field.setReadOnly(not self.editable)
        self.save_button.setEnabled(self.editable)
        self.lock_note.setVisible(self.inputs.locked)
        if self.rows:
            first = next(iter(self.rows.values())).field
            first.setFocus()
            first.selectAll()

    def _connect_signals(self) -> None:
        for row in self.rows.values():
            row.field.textEdited.connect(lambda _text, r=row: self._edited(r))
            row.field.editingFinished.connect(lambda r=row: self._parse(r))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("KPI and 360 scores"))
        i = self.inputs
        month = format_month(int(i.month[:4]), int(i.month[5:]))
        self.heading.setText(f"<b>{html.escape(i.name)}</b> · {html.escape(i.employee_no)} · {html.escape(month)}")
        self.hint.setText(_("An empty field means no value. Enter saves."))
        for section, text in zip(self.section_captions, (_("Service KPIs"), _("360 evaluation")), strict=True):
            section.setText("<b>" + html.escape(text) + "</b>")
        for weight in self.weight_captions:
            weight.setText(_("Weight"))
        scales = self._service.policy.kpi.scales
        for row in self.rows.values():
            row.caption.setText(row.label())
            if row.kind == KPI:
                unit = KPI_UNITS.get(row.item.name)
                row.unit.setText(_(unit) if unit else "")
                scale = scales.get(row.item.name)
                if scale is not None:
                    row.field.setToolTip(
                        _("{floor} scores 0 and {target} scores 100").format(
                            floor=format_number(scale.floor), target=format_number(scale.target)
                        )
                    )
            else:
                row.unit.setText(_("0 to {max}").format(max=format_number(self.inputs.score_max)))
        if i.lock is not None:
            self.lock_note.setText(_(LOCKED_MONTH_MESSAGE).format(month=month, user=i.lock.locked_by))

    # --- validation and saving -------------------------------------------------------------------

    def _edited(self, row: _Row) -> None:
        row.show_error("")
        self.error.clear()

    def _parse(self, row: _Row) -> tuple[bool, Decimal | None]:
        """The field's number (None when empty); a text that is no number is explained under it."""
        text = row.field.text().strip()
        if not text:
            row.show_error("")
            return True, None
        try:
            value = parse_decimal(text, row.label())
        except ValidationError as exc:
            row.show_error(exc.message())
            return False, None
        row.show_error("")
        return True, value

    def save(self) -> None:
        if not self.editable:
            return
        self.error.clear()
        changes: dict[str, dict[str, Decimal | None]] = {KPI: {}, SCORE_360: {}}
        bad: list[_Row] = []
        for row in self.rows.values():
            ok, value = self._parse(row)
            if not ok:
                bad.append(row)
            elif value != row.item.value:
                changes[row.kind][row.item.name] = value
        if bad:
            bad[0].field.setFocus()
            return
        if not changes[KPI] and not changes[SCORE_360]:
            self.accept()  # nothing changed: nothing to write
            return
        try:
            self.saved = self._service.set_kpi_inputs(
                self._actor, self.inputs.month, self.inputs.employee_no, kpis=changes[KPI], scores_360=changes[SCORE_360]
            )
        except CsdeskError as exc:
            self._show_refusal(exc)
            return
        self.accept()

    def _show_refusal(self, exc: CsdeskError) -> None:
        """The service's reason, under the row it names when it names one."""
        field = exc.field if isinstance(exc, ValidationError) else ""
        row = next((r for r in self.rows.values() if r.item.name == field), None) if field else None
        if row is None:
            self.error.setText(exc.message())
            return
        # The service names the input by its code ("customer"): show its translated name, and
        # numbers in the language's notation.
        params = {
            k: row.label() if k != "field" and v == field else format_number(v) if isinstance(v, Decimal) else v
            for k, v in exc.params.items()
        }
        row.show_error(_(exc.msgid).format(**params))
        row.field.setFocus()
        row.field.selectAll()
