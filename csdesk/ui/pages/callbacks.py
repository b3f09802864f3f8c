"""The callbacks area's page (issue #7)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.i18n import N_
from csdesk.services.base import Actor
from csdesk.ui.pages.coming import ComingPage


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return ComingPage(
        title=N_("Callbacks"),
        what=N_("The agenda of service calls after a sale, birthday calls, complaints and bad reviews, with outcomes, retries and the daily quota."),
        issue=7,
    )
