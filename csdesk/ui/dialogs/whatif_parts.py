"""Two parts of the what-if window (issue 16): the grade distribution before and after as bars,
and one agent's trail with the lines the change moves."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from csdesk.i18n import N_, _
from csdesk.services.whatif import AgentChange, AgentWhy
from csdesk.ui.fit import fit_headers
from csdesk.ui.table_model import ColumnSpec, RowTableModel
from csdesk.whatif_text import moved_lines

BEFORE_COLOUR, AFTER_COLOUR = QColor("#9e9e9e"), QColor("#1565c0")


def grade_counts(people: Sequence[AgentChange], grades: Sequence[str]) -> tuple[list[str], list[int], list[int]]:
    """The grades in the policy's order (then any other, such as the F below the last band), with
    how many people have each before and after (the unrated have no grade and are not counted)."""
    before = Counter(a.before.grade for a in people if a.before.grade)
    after = Counter(a.after.grade for a in people if a.after.grade)
    seen = set(before) | set(after)
    order = [g for g in grades if g in seen] + sorted(seen - set(grades))
    return order, [before[g] for g in order], [after[g] for g in order]


class GradeChart(QChartView):
    """How many agents have each grade under the policy in force and under the change."""

    def __init__(self, grades: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(QChart(), parent)
        self._grades = tuple(grades)
        self.counts: tuple[list[str], list[int], list[int]] = ([], [], [])
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(170)

    def set_people(self, people: Sequence[AgentChange]) -> None:
        """Draw the grades of ``people`` on a fresh chart (the view deletes the previous one)."""
        self.counts = grade_counts(people, self._grades)
        order, before, after = self.counts
        chart = QChart()
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.setTitle(_("Grades before and after"))
        self.setChart(chart)
        if not order:
            return
        series = QBarSeries()
        for name, values, colour in ((_("Before"), before, BEFORE_COLOUR), (_("After"), after, AFTER_COLOUR)):
            bars = QBarSet(name)
            bars.setColor(colour)
            bars.append([float(v) for v in values])
            series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(order)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        counts = QValueAxis()
        counts.setRange(0, max(1, *before, *after))
        counts.applyNiceNumbers()  # whole-number ticks: a count of people
        counts.setLabelFormat("%d")
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(counts)


_Line = tuple[str, str, str]
_COLUMNS: list[ColumnSpec[_Line]] = [
    ColumnSpec(N_("Under the policy in force"), lambda line: line[0] or "—"),
    ColumnSpec(N_("With the change"), lambda line: line[1] or "—"),
    ColumnSpec(N_("Rulebook"), lambda line: line[2]),
]


class WhyDialog(QDialog):
    """The lines of one agent's month that the change moves, before beside after, with the rule."""

    def __init__(self, why: AgentWhy, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("What moves for {name} ({no}), {month}").format(name=name, no=why.employee_no, month=why.month))
        self.lines = moved_lines(why)
        self.heading = QLabel()
        self.heading.setObjectName("whyHeading")
        self.heading.setWordWrap(True)
        self.heading.setText(
            _("The lines of the month the change moves; a dash: the line is not there on that side.")
            if self.lines
            else _("Nothing of this month moves for this agent.")
        )
        self.model: RowTableModel[_Line] = RowTableModel(_COLUMNS, self)
        self.model.set_rows(self.lines)
        self.table = QTableView()
        self.table.setObjectName("whyTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        # Each row as tall as its wrapped text at the width the columns get once shown.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        fit_headers(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 360)
