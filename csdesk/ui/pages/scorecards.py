"""The scorecards area's page (issue #5)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.i18n import N_
from csdesk.services.base import Actor
from csdesk.ui.pages.coming import ComingPage


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return ComingPage(
        title=N_("Scorecards"),
        what=N_("Each agent's monthly evaluation: the rated 80 points, bonus and deduction events, grade, pay float, exam scores, ranking, month lock and the evaluation sheets."),
        issue=5,
    )
