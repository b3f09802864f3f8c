"""The handover area's page (issue #6)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.i18n import N_
from csdesk.services.base import Actor
from csdesk.ui.pages.coming import ComingPage


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return ComingPage(
        title=N_("Handover log"),
        what=N_("Shift handovers with their open items, the takeover acknowledgement, carry-over of unfinished items, search, and the printed handover form."),
        issue=6,
    )
