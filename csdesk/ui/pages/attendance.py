"""The attendance area's page (issue #4)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from csdesk.context import AppContext
from csdesk.i18n import N_
from csdesk.services.base import Actor
from csdesk.ui.pages.coming import ComingPage


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return ComingPage(
        title=N_("Attendance"),
        what=N_("The team's month calendar coloured by status, punch-clock import, lates and absences with their deductions, leave requests and approvals, and the forms to sign."),
        issue=4,
    )
