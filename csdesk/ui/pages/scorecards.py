"""The scorecards area's page (issue #5)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.services.base import Actor


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    from csdesk.ui.scorecards.page import ScorecardsPage

    return ScorecardsPage(ctx, actor=actor)
