"""Who may do what with scorecards, the sources of evaluation events, and the checks every
part of the scorecards area shares (the service, its imports): plain functions, no state."""

from __future__ import annotations

from datetime import date

from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UowFactory
from csdesk.models.domain_scorecards import AgentRecord
from csdesk.models.repo_scorecards import ScorecardRepository
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


def viewable(uow: UowFactory, actor: Actor, employee_no: str | None) -> str | None:
    """An agent may read only their own card; returns the employee number to filter on."""
    if actor.can(VIEW):
        return employee_no
    require(actor, VIEW_OWN)
    with uow() as unit:
        agents = unit.scorecards.agents(include_inactive=True)
        own = next((a for a in agents if a.person_id == actor.person_id), None)
    if own is None or (employee_no is not None and employee_no != own.employee_no):
        require(actor, VIEW)
    assert own is not None
    return own.employee_no


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
