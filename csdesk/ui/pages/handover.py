"""The handover area's page (issue #6): log, writing a handover, work records."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.services.base import Actor
from csdesk.ui.handover.page import HandoverPage


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return HandoverPage(ctx.handover, ctx.people, actor=actor)
