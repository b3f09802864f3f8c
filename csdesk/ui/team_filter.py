"""The team filter the People, Attendance and Scorecards pages share: every team for a reader who
sees everyone, only their own for a team lead (the services narrow to it anyway: the list does
not offer what would be refused)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox

from csdesk.i18n import _
from csdesk.models.domain import Team
from csdesk.services.base import Actor
from csdesk.services.people import PeopleService


def fill_team_filter(
    combo: QComboBox, people: PeopleService, actor: Actor, label: Callable[[Team], str] = lambda team: team.name
) -> None:
    """Refill ``combo`` with "All teams" (for a reader who sees everyone) and the teams ``actor``
    sees, keeping the current choice when it is still there; no signal is sent. An agent sees no
    team: the filter is hidden."""
    current = combo.currentData()
    combo.blockSignals(True)
    try:
        combo.clear()
        teams = people.teams_seen(actor)
        if people.sees_every_team(actor):
            combo.addItem(_("All teams"), None)
        for team in teams:
            combo.addItem(label(team), team.name)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.setVisible(combo.count() > 0)
    finally:
        combo.blockSignals(False)
