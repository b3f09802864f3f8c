"""The agent's last 12 months as a line (QtCharts), with the standard total and the cap marked."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.services.scorecards import TrendPoint
from csdesk.ui.empty_state import show_when_empty

# Steps between the value axis' ticks, finest first (chart layout, not policy).
TICK_STEPS = (10, 20, 25, 50, 100)
# QtCharts pads each value label by this much above and below (ChartAxisElement::labelPadding).
_LABEL_PADDING = 4.0


def fit_ticks(axis: QValueAxis, plot: QRectF) -> None:
    """Space ``axis``' ticks so that every label has a line of its own.

    QtCharts elides a value label to "…" when its share of the plot's height is less than the
    label is tall: on a short chart the step between ticks grows instead.
    """
    line = QFontMetricsF(axis.labelsFont()).height() + 2 * _LABEL_PADDING
    room = max(2, int(plot.height() // line))  # labels that fit, one per tick
    span = axis.max() - axis.min()
    step = next((s for s in TICK_STEPS if span / s + 1 <= room), span)
    axis.setTickInterval(step)


class TrendChart(QChartView):
    """Totals per month; months with nothing entered are left out."""

    def __init__(self, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(QChart(), parent)
        self._policy = policy
        self.points: list[TrendPoint] = []
        self._drawn = False
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self.hint = show_when_empty(self, self._hint_text, is_empty=lambda: not self.points)

    def _hint_text(self) -> str:
        if not self._drawn:
            return ""
        return _("Nothing entered for this agent in the last 12 months. The line starts with the first month "
                 "that has ratings, exams or events.")

    def set_points(self, points: list[TrendPoint]) -> None:
        """Draw ``points`` on a fresh chart (the view deletes the previous one)."""
        self.points = list(points)
        self._drawn = True
        self.hint.refresh()
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setTitle(_("Total, last 12 months"))
        self.setChart(chart)
        if not points:
            return
        s = self._policy.scoring
        totals = QLineSeries()
        totals.setName(_("Total"))
        totals.setPointsVisible(True)
        totals.setPointLabelsVisible(True)
        totals.setPointLabelsFormat("@yPoint")
        standard = QLineSeries()
        standard.setName(_("Standard ({n})").format(n=s.standard_total))
        standard.setPen(QPen(QColor("#6c757d"), 1, Qt.PenStyle.DashLine))
        for x, point in enumerate(points):
            totals.append(QPointF(x, float(point.total)))
            standard.append(QPointF(x, s.standard_total))
        months = QBarCategoryAxis()
        months.append([p.month for p in points])
        months.setLabelsAngle(-90)
        values = QValueAxis()
        values.setRange(0, s.cap)
        values.setLabelFormat("%d")
        values.setTickType(QValueAxis.TickType.TicksDynamic)
        values.setTickAnchor(0)
        chart.plotAreaChanged.connect(lambda plot: fit_ticks(values, plot))
        chart.addSeries(standard)
        chart.addSeries(totals)
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        for series in (standard, totals):
            series.attachAxis(months)
            series.attachAxis(values)
