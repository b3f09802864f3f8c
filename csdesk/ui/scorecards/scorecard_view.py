"""One agent's month: every number of the card, where it comes from, events, KPIs and the trend.

Each number is a button: clicking it lists the lines behind it (the same trail as
``csdesk explain``). Events are recorded, corrected and voided here; a correction or a void
asks for the reason and the event stays listed (voided ones greyed). Whoever rates (trainer,
supervisor) enters the month's KPIs and 360 scores from the KPI block. Under the card, the
agent's response to it: on their own card an agent acknowledges or disputes it. Beside the rated
part, the rated service quality and the month's QA average as a guide (for a reader with ``qa.view``).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, format_iso_date, format_money, format_number, format_signed, ngettext
from csdesk.labels import CRITERION_NAMES, EVENT_NAMES, KPI_NAMES, KPI_TIER_NAMES, LEVEL_NAMES, name_of
from csdesk.models.domain_scorecards import AgentRecord, EventRecord
from csdesk.services.base import Actor
from csdesk.services.disputes import DisputeService
from csdesk.services.qa import VIEW as QA_VIEW
from csdesk.services.qa import QaAverage, QAService
from csdesk.services.scorecard_access import can_rate
from csdesk.services.scorecard_compute import AgentScorecard
from csdesk.services.scorecard_results import CountedLine
from csdesk.services.scorecard_explain import (
    SOURCE_NAMES,
    ExplainLine,
    Explanation,
    attendance_text,
    flag_label,
    part_label,
    source_label,
)
from csdesk.services.scorecards import ScorecardService
from csdesk.ui.messages import show_error, show_failure, show_info
from csdesk.ui.scorecards.disputes_view import ResponseBar
from csdesk.ui.scorecards.entry_grid import QA_GUIDED
from csdesk.ui.scorecards.event_dialog import EventDialog, searchable
from csdesk.ui.scorecards.kpi_dialog import KpiDialog
from csdesk.ui.scorecards.trend_chart import TrendChart
from csdesk.ui.table_model import ColumnSpec, PickListModel, RowTableModel, read_only_table
from csdesk.ui.tips import set_state, with_keys

_GREY = QColor("#999999")
SUMMARY = (  # (part the button explains, caption)
    ("rated", N_("Rated part")),
    ("bonus", N_("Bonus")),
    ("deduction", N_("Deduction")),
    ("adjustment", N_("Adjustment")),
    ("raw_total", N_("Raw total")),
    ("total", N_("Total")),
    ("grade", N_("Grade")),
    ("pay_float", N_("Pay float")),
    ("exam", N_("Exam")),
    ("rank", N_("Rank")),
)


def _status(e: CountedLine) -> str:
    if e.voided:
        return _("void")
    if e.kind == "refused":
        return _("not counted")
    return _("corrected") if e.corrected else ""


def _points(e: CountedLine) -> str:
    """The line's points; in brackets when the line counts nothing (voided, or over a limit)."""
    text = format_signed(e.points)
    return text if e.counted else f"({text})"


def _grey(e: CountedLine) -> QColor | None:
    return _GREY if not e.counted else None


def _struck(e: CountedLine) -> QFont | None:
    """A voided line stays listed, struck through."""
    if not e.voided:
        return None
    font = QFont()
    font.setStrikeOut(True)
    return font


EVENT_COLUMNS: tuple[ColumnSpec[CountedLine], ...] = (
    ColumnSpec(N_("Date"), lambda e: format_iso_date(e.day), foreground=_grey, font=_struck),
    ColumnSpec(N_("Code"), lambda e: e.code, foreground=_grey, font=_struck),
    ColumnSpec(N_("Item"), lambda e: name_of(EVENT_NAMES, e.code), foreground=_grey, font=_struck),
    ColumnSpec(N_("Points"), _points, lambda e: e.points, align_right=True, foreground=_grey, font=_struck,
               tooltip=lambda e: "" if e.counted else _("Not counted in the total")),
    ColumnSpec(N_("Source"), lambda e: _(SOURCE_NAMES.get(e.source, e.source)), foreground=_grey, font=_struck),
    ColumnSpec(N_("Recorded by"), lambda e: e.recorded_by, foreground=_grey, font=_struck),
    ColumnSpec(N_("Note"), lambda e: e.note, tooltip=lambda e: e.note, foreground=_grey, font=_struck),
    ColumnSpec(N_("Status"), _status, foreground=_grey),
)
EXPLAIN_COLUMNS: tuple[ColumnSpec[ExplainLine], ...] = (
    ColumnSpec(N_("Part"), lambda line: part_label(line.part)),
    ColumnSpec(N_("What"), lambda line: line.text, tooltip=lambda line: line.text),
    ColumnSpec(N_("Date"), lambda line: format_iso_date(line.day)),
    ColumnSpec(N_("Source"), source_label),
    ColumnSpec(N_("By"), lambda line: line.who),
    ColumnSpec(N_("Note"), lambda line: line.note, tooltip=lambda line: line.note),
    ColumnSpec(N_("Rule"), lambda line: line.rule),
)


class ScorecardView(QWidget):
    """The scorecard window of one agent and month."""

    changed = Signal()  # an event was recorded, corrected or voided, or the KPI inputs changed
    print_requested = Signal(str)  # employee number

    def __init__(
        self, service: ScorecardService, *, disputes: DisputeService, actor: Actor, qa: QAService | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._service, self._actor = service, actor
        self._qa = qa if qa is not None and actor.can(QA_VIEW) else None  # the QA average beside service quality
        self.qa_average: QaAverage | None = None
        self.response = ResponseBar(disputes, actor=actor)
        self.month = ""
        self.first = self.last = date.today()
        self.editable = True
        self.explanation: Explanation | None = None
        self.agents: list[AgentRecord] = []
        self.cards: dict[str, AgentScorecard] = {}  # the month's cards the page has loaded
        self._stale = False  # a reload was asked for while hidden
        self.part = "total"
        self.events_model: RowTableModel[CountedLine] = RowTableModel(EVENT_COLUMNS, self)
        self.explain_model: RowTableModel[ExplainLine] = RowTableModel(EXPLAIN_COLUMNS, self)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.agent = QComboBox()
        self.agent.setObjectName("scorecardAgent")
        self.agent_list = PickListModel(self.agent)  # the month's agents, set in one go
        self.agent.setModel(self.agent_list)
        searchable(self.agent)
        self.agent.setMinimumWidth(260)
        self.header = QLabel()
        self.header.setObjectName("scorecardHeader")
        self.values: dict[str, QPushButton] = {}
        self.captions: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, (part, _caption) in enumerate(SUMMARY):
            caption = QLabel()
            button = QPushButton()
            button.setObjectName(f"value_{part}")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("font-size: 15px; font-weight: bold; text-align: left; padding: 2px 6px")
            self.values[part], self.captions[part] = button, caption
            grid.addWidget(caption, (i // 5) * 2, i % 5)
            grid.addWidget(button, (i // 5) * 2 + 1, i % 5)
        self.quality = QLabel()
        self.quality.setObjectName("scorecardQaAverage")
        self.quality.setWordWrap(True)
        self.quality.setVisible(self._qa is not None)
        self.flags = QLabel()
        self.flags.setObjectName("scorecardFlags")
        self.flags.setStyleSheet("color: #b02a37")
        self.flags.setWordWrap(True)
        self.attendance = QLabel()
        self.attendance.setObjectName("scorecardAttendance")
        self.attendance.setWordWrap(True)
        self.kpi = QLabel()
        self.kpi.setObjectName("scorecardKpi")
        self.kpi.setWordWrap(True)
        self.kpi_button = QPushButton()
        self.kpi_button.setObjectName("editKpis")
        self.explain_caption = QLabel()
        self.explain_caption.setObjectName("explainCaption")
        self.events_table = read_only_table(self.events_model, "eventsTable")
        self.explain_table = read_only_table(self.explain_model, "explainTable")
        self.chart = TrendChart(self._service.policy)
        self.record_button = QPushButton()
        self.record_button.setObjectName("recordEvent")
        self.correct_button = QPushButton()
        self.void_button = QPushButton()
        self.history_button = QPushButton()
        self.print_button = QPushButton()
        self.print_button.setObjectName("printSheet")
        self.events_caption = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.agent)
        top.addWidget(self.header, 1)
        top.addWidget(self.print_button)
        # The caption above its buttons, not beside them: the row fits 1280 px at 150 % in Spanish.
        buttons = QHBoxLayout()
        for b in (self.record_button, self.correct_button, self.void_button, self.history_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        events = QWidget()
        column = QVBoxLayout(events)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.events_caption)
        column.addLayout(buttons)
        column.addWidget(self.events_table)
        explain = QWidget()
        column = QVBoxLayout(explain)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.explain_caption)
        column.addWidget(self.explain_table)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.chart, 1)
        kpi_line = QHBoxLayout()
        kpi_line.addWidget(self.kpi, 1)
        kpi_line.addWidget(self.kpi_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(kpi_line)
        column.addWidget(self.attendance)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(events)
        left.addWidget(explain)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([760, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.quality)
        layout.addWidget(self.flags)
        layout.addWidget(self.response)
        layout.addWidget(body, 1)

    def _connect_signals(self) -> None:
        for part, button in self.values.items():
            if part != "rank":
                button.clicked.connect(lambda _c=False, p=part: self.show_part(p))
        self.agent.activated.connect(lambda _i: self.reload())
        self.record_button.clicked.connect(self.record_event)
        self.correct_button.clicked.connect(self.correct_selected)
        self.void_button.clicked.connect(self.void_selected)
        self.history_button.clicked.connect(self.show_history)
        self.kpi_button.clicked.connect(self.edit_kpis)
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.employee_no() or ""))
        self.events_table.selectionModel().selectionChanged.connect(self._update_buttons)

    def retranslate_ui(self) -> None:
        for part, caption in SUMMARY:
            self.captions[part].setText(_(caption))
            self.values[part].setToolTip(_("Where {what} comes from: its lines in the list below").format(what=_(caption)))
        self.record_button.setText(_("Record event…"))
        self.quality.setToolTip(_("The month's quality-inspection average is a guide for rating service quality: it never changes the score."))
        self.correct_button.setText(_("Correct…"))
        self.void_button.setText(_("Void…"))
        self.history_button.setText(_("History…"))
        self.print_button.setText(_("Print sheet…"))
        self.kpi_button.setText(_("Edit KPIs…"))
        self.print_button.setToolTip(_("Print this agent's evaluation sheet for the month"))
        self.kpi_button.setToolTip(_("Enter the month's KPI figures and 360 evaluation (rules.md §6)"))
        self._update_buttons()
        self.events_caption.setText("<b>" + _("Bonus and deduction events") + "</b>")
        self.response.retranslate_ui()
        if self.explanation is not None:
            self._show(self.explanation)

    # --- loading -----------------------------------------------------------------------------

    def set_cards(self, cards: tuple[AgentScorecard, ...]) -> None:
        """The month's computed cards, so that switching agents does not recompute the month."""
        self.cards = {c.employee_no: c for c in cards}

    def set_month(
        self, month: str, first: date, last: date, agents: list[AgentRecord], editable: bool, cards: tuple[AgentScorecard, ...] = ()
    ) -> None:
        self.month, self.first, self.last, self.editable = month, first, last, editable
        self.set_cards(cards)
        current = self.employee_no()
        listed = [(a.employee_no, a.name) for a in agents]
        if listed != [(a.employee_no, a.name) for a in self.agents] or self.agent.count() != len(agents):
            # 2,000 names: refilled only when the month's agents differ (most switches keep them)
            self.agent.blockSignals(True)
            self.agent_list.set_items([(f"{no} · {name}", no) for no, name in listed])
            self.agent.blockSignals(False)
        self.agents = agents
        self.show_agent(current or (agents[0].employee_no if agents else None))

    def employee_no(self) -> str | None:
        data = self.agent.currentData()
        return str(data) if data else None

    def show_agent(self, employee_no: str | None) -> None:
        index = self.agent_list.row_of(employee_no) if employee_no else -1
        self.agent.setCurrentIndex(index)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Show the chosen agent's card; while this view is hidden (another tab), only remember to
        (the card's explanation, events and trend are read on the GUI thread)."""
        if not self.isVisible():
            self._stale = True
            self._update_buttons()  # the month's lock still shows on the buttons
            return
        self._stale = False
        self._reload()

    def _reload(self) -> None:
        no = self.employee_no()
        if not no or not self.month:
            self.explanation = None
            self.qa_average = None
            self.quality.setText("")
            self.events_model.set_rows([])
            self.explain_model.set_rows([])
            self.response.show_card("", "", own=False)
            self._update_buttons()
            return
        try:
            cached = self.cards.get(no)
            explanation = (
                self._service.explain_card(self._actor, cached) if cached else self._service.explain(self._actor, self.month, no)
            )
            events = self._service.event_lines(self._actor, explanation.card)
            trend = self._service.trend(self._actor, self.month, no)
            self.qa_average = self._qa.average(self._actor, self.month, no) if self._qa is not None else None
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.events_model.set_rows(events)
        self.chart.set_points(trend)
        self._show(explanation)

    def _show(self, ex: Explanation) -> None:
        self.explanation = ex
        card, c = ex.card, ex.card.card
        currency = self._service.policy.meta.currency
        level = _(LEVEL_NAMES[card.agent.level]) if card.agent.level in LEVEL_NAMES else (card.agent.level or "")
        lock = _(" — locked") if card.locked else ""
        self.header.setText(f"<b>{card.name}</b> · {card.employee_no} · {card.agent.team or ''} · {level} · {card.month}{lock}")
        texts = {
            "rated": f"{format_number(c.rated)} / {self._service.policy.scoring.rated_max}" if c.is_rated else _("not rated"),
            "bonus": format_signed(c.bonus),
            "deduction": format_signed(-c.deduction),
            "adjustment": format_signed(c.adjustment),
            "raw_total": format_number(c.raw_total),
            "total": (format_number(c.total) + ("" if c.complete else " *")) if c.is_rated else "—",
            "grade": c.grade or "—",
            "pay_float": format_money(c.pay_float_cny, currency),
            "exam": format_number(c.exam) if c.exam is not None else "—",
            "rank": _("{rank} (team {team})").format(rank=c.rank or "—", team=card.team_rank or "—"),
        }
        for part, text in texts.items():
            self.values[part].setText(text)
        self.quality.setText(self._quality_text(ex))
        self.flags.setText("  ·  ".join(flag_label(f) for f in card.flags))
        self.attendance.setText(
            _("Attendance: {line}").format(line=attendance_text(ex.attendance)) if ex.attendance is not None else ""
        )
        self.kpi.setText(self._kpi_text(ex))
        self.response.show_card(card.month, card.employee_no, own=card.agent.person_id == self._actor.person_id)
        self.show_part(self.part)
        self._update_buttons()

    def _quality_text(self, ex: Explanation) -> str:
        """The rated service quality and, beside it, the month's QA average as the trainer's guide."""
        qa = self.qa_average
        if self._qa is None or qa is None or qa.employee_no != ex.card.employee_no:
            return ""
        if qa.average is None:
            guide = _("QA average this month: no inspections")
        else:
            guide = ngettext("QA average this month: {average} ({n} inspection)",
                             "QA average this month: {average} ({n} inspections)", qa.inspections).format(
                average=format_number(qa.average, 1), n=format_number(qa.inspections))  # fmt: skip
        criterion = next((c for c in self._service.policy.scoring.criteria if c.code == QA_GUIDED), None)
        if criterion is None:
            return guide
        rated = ex.card.ratings.get(QA_GUIDED)
        value = f"{format_number(rated.value)} / {criterion.max}" if rated is not None else _("not rated")
        return _("{criterion}: {value}  ·  {guide}").format(
            criterion=name_of(CRITERION_NAMES, QA_GUIDED), value=value, guide=guide)

    def _kpi_text(self, ex: Explanation) -> str:
        block = ex.card.kpi
        if block is None:
            return _("KPI: nothing entered for this month.")
        parts = []
        if block.kpi is not None:
            detail = ", ".join(
                f"{name_of(KPI_NAMES, p.name)} {format_number(p.raw, 1)} → {format_number(p.score, 0)}"
                for p in block.kpi.parts if p.raw is not None and p.score is not None
            )  # fmt: skip
            parts.append(_("KPI {score} ({tier}, ×{coefficient}): {detail}").format(
                score=format_number(block.kpi.score, 1), tier=name_of(KPI_TIER_NAMES, block.tier), coefficient=format_number(block.coefficient), detail=detail))  # fmt: skip
        if block.evaluation_360 is not None:
            parts.append(_("360 evaluation {score}").format(score=format_number(block.evaluation_360.score, 1)))
        return "<br>".join(parts)

    def show_part(self, part: str) -> None:
        """List where one number of the card comes from."""
        if self.explanation is None:
            return
        self.part = "total" if part == "raw_total" else part
        lines = self.explanation.for_part(self.part)
        self.explain_model.set_rows(lines)
        self.explain_caption.setText("<b>" + _("Where {what} comes from").format(what=part_label(self.part)) + "</b>")

    # --- events ----------------------------------------------------------------------------------

    def selected_line(self) -> CountedLine | None:
        rows = self.events_table.selectionModel().selectedRows()
        return self.events_model.row(rows[0].row()) if rows else None

    def selected_event(self) -> EventRecord | None:
        """The stored event behind the selected line (None for lines no person recorded)."""
        line = self.selected_line()
        return line.record if line is not None else None

    def _update_buttons(self) -> None:
        can_edit = self._actor.can("scorecards.edit") and self.editable
        event = self.selected_event()
        manual = event is not None and not event.voided and event.source == "manual"
        locked = "" if self.editable else _("The month is locked; reopen it on the Scorecards page first.")
        set_state(self.record_button, with_keys(_("Record a bonus or deduction event for this agent"), "scorecards.record"),
                  locked or ("" if self.agents else _("Choose an agent first")))  # fmt: skip
        if event is None:
            pick = _("Select an event in the list first")
        elif not manual:
            pick = _("Only a recorded event can be corrected; change its source instead.")
        else:
            pick = ""
        set_state(self.correct_button, _("Correct the selected event's points or note (audited)"), locked or pick)
        set_state(self.void_button, _("Void the selected event: it stays listed, struck out, and no longer counts"),
                  locked or pick)  # fmt: skip
        set_state(self.history_button, _("Every change of the selected event, who made it and when"),
                  "" if event is not None else _("Select an event in the list first"))  # fmt: skip
        for b in (self.record_button, self.correct_button, self.void_button):
            b.setVisible(self._actor.can("scorecards.edit"))
        # rules.md §6 inputs are entered by whoever rates (the service's require_rate).
        self.kpi_button.setVisible(can_rate(self._actor))
        self.kpi_button.setEnabled(can_rate(self._actor) and self.editable and self.explanation is not None)

    def event_dialog(self, event: EventRecord | None = None) -> EventDialog:
        last = min(self.last, self._service.now().date())
        return EventDialog(
            self._service, actor=self._actor, agents=self.agents, first=self.first, last=max(self.first, last),
            employee_no=self.employee_no(), event=event, parent=self,
        )  # fmt: skip

    def record_event(self) -> None:
        dialog = self.event_dialog()
        if dialog.exec() and dialog.saved is not None:
            self._after_change(dialog.saved)

    def correct_selected(self) -> None:
        event = self.selected_event()
        if event is None:
            return
        dialog = self.event_dialog(event)
        if dialog.exec() and dialog.saved is not None:
            self._after_change(dialog.saved)

    def void_selected(self) -> None:
        event = self.selected_event()
        if event is None:
            return
        reason, ok = QInputDialog.getText(
            self, _("Void event"), _("Why does {code} on {date} no longer count?").format(code=event.code, date=event.day.isoformat())
        )
        if not ok:
            return
        try:
            saved = self._service.void_event(self._actor, event.id, reason, version=event.version)
        except CsdeskError as exc:
            show_failure(self, exc, self.reload)
            return
        self._after_change(saved)

    def show_history(self) -> None:
        event = self.selected_event()
        if event is None:
            return
        trail = self._service.corrections(self._actor, [event.id])
        lines = [_("Recorded by {who} on {when}").format(who=event.recorded_by, when=event.recorded_at.isoformat(" ", "minutes"))]
        for entry in trail:
            lines.append(
                _("{when} {who} ({action}): {reason}").format(
                    when=entry.at.isoformat(" ", "minutes"), who=entry.by, action=entry.action, reason=entry.reason
                )
                + f"\n    {entry.before} → {entry.after}"
            )
        show_info(self, "\n".join(lines), _("History of event {id}").format(id=event.id))

    # --- KPIs and 360 scores -------------------------------------------------------------------

    def kpi_dialog(self) -> KpiDialog | None:
        """The entry dialog of the shown agent's month, with the inputs as stored now."""
        no = self.employee_no()
        if not no or not self.month:
            return None
        try:
            inputs = self._service.kpi_inputs(self._actor, self.month, no)
        except CsdeskError as exc:
            show_error(self, exc)
            return None
        return KpiDialog(self._service, actor=self._actor, inputs=inputs, parent=self)

    def edit_kpis(self) -> None:
        dialog = self.kpi_dialog()
        if dialog is not None and dialog.exec() and dialog.saved is not None:
            self._card_changed(dialog.saved.employee_no)

    def _after_change(self, event: EventRecord) -> None:
        self._card_changed(event_agent(self.agents, event))
        for row in range(self.events_model.rowCount()):
            if self.events_model.row(row).id == event.id and event.id:
                self.events_table.selectRow(row)

    def _card_changed(self, employee_no: str) -> None:
        self.cards.pop(employee_no, None)  # stale; the page hands new cards in
        self.changed.emit()
        self.reload()


def event_agent(agents: list[AgentRecord], event: EventRecord) -> str:
    return next((a.employee_no for a in agents if a.person_id == event.person_id), "")
