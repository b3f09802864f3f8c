"""The scorecard's trend chart: its value axis shows numbers at every height the window gives it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from csdesk.policy.loader import load_policy
from csdesk.services.scorecards import TrendPoint
from csdesk.ui.scorecards.trend_chart import TrendChart


def value_labels(chart: TrendChart) -> list[str]:
    """The texts QtCharts drew on the value axis (its label items have no Python class of their own)."""
    texts = []
    for item in chart.scene().items():
        label = item.toGraphicsObject()
        if label is not None and label.metaObject().className() == "ValueAxisLabel" and label.isVisible():
            texts.append(label.toPlainText())
    return texts


@pytest.mark.parametrize("height", [220, 300, 420, 700])
def test_the_value_axis_labels_are_numbers_not_ellipses(qtbot, height: int) -> None:
    policy = load_policy()
    chart = TrendChart(policy)
    qtbot.addWidget(chart)
    chart.resize(480, height)  # the scorecard window's right pane at 1366×768 is about 480 × 300
    chart.set_points([TrendPoint(f"2026-{m:02d}", Decimal(60 + 2 * m), "B", True) for m in range(1, 13)])
    chart.show()
    qtbot.waitExposed(chart)
    qtbot.waitUntil(lambda: bool(value_labels(chart)))
    labels = value_labels(chart)
    assert all(label.isdigit() for label in labels), labels
    assert "0" in labels and len(labels) >= 2
    if height >= 300:  # room for a scale to read the line against, not only its ends
        assert len(labels) >= 3, labels
