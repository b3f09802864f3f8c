"""The quality-inspection area's page (issue #15): inspections, findings, quota, calibration, summary."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.services.base import Actor
from csdesk.ui.qa.page import QAPage
from csdesk.ui.shortcuts import bind_buttons


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor, its buttons'
    shortcuts bound."""
    page = QAPage(ctx.qa, ctx.people, actor=actor, disputes=ctx.disputes)
    tab = page.inspections_tab
    bind_buttons((tab.new_button, "qa.new"), (tab.import_button, "qa.import"), (tab.print_button, "qa.print"))
    return page
