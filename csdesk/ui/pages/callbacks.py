"""The callbacks area's page (issue #7): the callback scheduler."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.services.base import Actor
from csdesk.ui.callbacks.page import CallbacksPage


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return CallbacksPage(ctx.callbacks, actor=actor)
