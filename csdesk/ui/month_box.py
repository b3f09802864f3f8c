"""The month picker of the pages that show one month at a time (scorecards, quality)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox

from csdesk.services.scorecard_compute import shift_month

MONTHS_LISTED = 24


def fill_months(box: QComboBox, today: date) -> None:
    """The last ``MONTHS_LISTED`` months, this one first, each with its ``YYYY-MM`` as data (the
    text is set when the page is translated)."""
    first = today.replace(day=1)
    for n in range(MONTHS_LISTED):
        box.addItem("", f"{shift_month(first, -n):%Y-%m}")
