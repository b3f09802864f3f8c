"""The quality-inspection area's page (issue #15): inspections, findings, quota, calibration, summary."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.services.base import Actor
from csdesk.ui.qa.page import QAPage


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return QAPage(ctx.qa, ctx.people, actor=actor, disputes=ctx.disputes)
