"""The scorecards area's page (issue #5)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.services.base import Actor
from csdesk.ui.shortcuts import bind_buttons


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor, its buttons'
    shortcuts bound."""
    from csdesk.ui.scorecards.page import ScorecardsPage

    page = ScorecardsPage(ctx, actor=actor)
    bind_buttons(
        (page.print_button, "scorecards.print"),
        (page.scorecard.record_button, "scorecards.record"),
        (page.import_ratings, "scorecards.import_ratings"),
        (page.import_exams, "scorecards.import_exams"),
        (page.import_events, "scorecards.import_events"),
        (page.lock_button, "scorecards.lock"),
    )
    return page
