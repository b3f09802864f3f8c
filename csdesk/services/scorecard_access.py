"""Who may do what with scorecards, the sources of evaluation events, and the checks every
part of the scorecards area shares (the service, its imports): plain functions, no state."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UowFactory
from csdesk.models.domain_scorecards import AgentRecord
from csdesk.models.repo_scorecards import ScorecardRepository
from csdesk.services.base import Actor, Visible, require, visible_to
from csdesk.services.months import LOCK_PERMISSION

if TYPE_CHECKING:
    from csdesk.services.scorecard_compute import AgentScorecard

VIEW, EDIT, RATE = "scorecards.view", "scorecards.edit", "scorecards.rate"
PAY_LINE = "pay_float"  # the kind of a card's pay-float line (rules.scoring)
MANUAL = "manual"  # typed in by a person (the GUI or an events file)
ATTENDANCE = "attendance"  # generated from the attendance month (M01/S01)
PER_MONTH_MESSAGE = N_("Event {code} counts at most {n}× a month; {name} already has it on {date}.")


def can_rate(actor: Actor) -> bool:
    """rules.md §5: the trainer rates; the supervisor reviews the rating and may correct it."""
    return actor.can(RATE) or actor.can(LOCK_PERMISSION)


def require_rate(actor: Actor) -> None:
    if not can_rate(actor):
        require(actor, RATE)


def viewable(uow: UowFactory, actor: Actor, employee_no: str | None = None, team: str | None = None) -> Visible:
    """Check that ``actor`` may read scorecards and resolve whose: everyone's, their team's (a
    team lead) or their own (an agent). Asking for another person's or team's card is refused."""
    with uow() as unit:
        visible = visible_to(unit, actor, VIEW)
        if employee_no is not None and not visible.everyone:
            found = unit.scorecards.agents(employee_no=employee_no, include_inactive=True)
            visible.check(found[0].person_id if found else None)
    visible.narrow(team, employee_no)
    return visible


def for_viewer(card: AgentScorecard, visible: Visible) -> AgentScorecard:
    """``card`` as ``visible``'s reader may see it: without pay (the pay float and its line) and
    personnel fields (level, join date) unless they see personnel files or it is their own."""
    if visible.shows_personnel(card.agent.person_id):
        return card
    score = card.card
    return dataclasses.replace(
        card,
        agent=dataclasses.replace(card.agent, level=None, join_date=None),
        level_since=None,
        card=dataclasses.replace(score, pay_float_cny=None, lines=tuple(line for line in score.lines if line.kind != PAY_LINE)),
    )


def find_agent(repo: ScorecardRepository, employee_no: str) -> AgentRecord:
    """The agent with ``employee_no`` (inactive ones too), or NotFound."""
    found = repo.agents(employee_no=employee_no, include_inactive=True)
    if not found:
        raise NotFound(N_("No agent with employee number {no}"), no=employee_no)
    return found[0]


def check_day(day: date, today: date) -> None:
    """Events are recorded for days that have happened."""
    if day > today:
        raise ValidationError(N_("The date {date} is in the future."), field="date", date=day.isoformat())
