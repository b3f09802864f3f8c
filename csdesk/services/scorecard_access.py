"""Who may do what with scorecards, and the sources of evaluation events."""

from __future__ import annotations

from csdesk.i18n import N_
from csdesk.services.base import Actor, require
from csdesk.services.months import LOCK_PERMISSION

VIEW, VIEW_OWN, EDIT, RATE = "scorecards.view", "scorecards.view.own", "scorecards.edit", "scorecards.rate"
MANUAL = "manual"  # typed in by a person (the GUI or an events file)
ATTENDANCE = "attendance"  # generated from the attendance month (M01/S01)
PER_MONTH_MESSAGE = N_("Event {code} counts at most {n}× a month; {name} already has it on {date}.")


def can_rate(actor: Actor) -> bool:
    """rules.md §5: the trainer rates; the supervisor reviews the rating and may correct it."""
    return actor.can(RATE) or actor.can(LOCK_PERMISSION)


def require_rate(actor: Actor) -> None:
    if not can_rate(actor):
        require(actor, RATE)
