"""What every service shares: the actor, the clock, permission checks and the audit entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csdesk.errors import PermissionDenied
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.policy import Policy

Clock = Callable[[], datetime]

# What each role may do. Personnel files are the supervisor's alone (rules.md §1).
PERMISSIONS: dict[str, frozenset[str]] = {
    "director": frozenset(
        {"people.view", "handover.view", "attendance.view", "scorecards.view", "callbacks.view", "audit.view", "settings.edit"}
    ),
    "supervisor": frozenset(
        {
            "people.view",
            "people.edit",
            "handover.view",
            "handover.write",
            "attendance.view",
            "attendance.edit",
            "attendance.approve",
            "scorecards.view",
            "scorecards.edit",
            "scorecards.rate",
            "scorecards.lock",
            "callbacks.view",
            "callbacks.edit",
            "audit.view",
            "settings.edit",
            "import",
        }
    ),
    "team_lead": frozenset(
        {"people.view", "handover.view", "handover.write", "attendance.view", "scorecards.view", "scorecards.edit", "callbacks.view", "callbacks.edit"}
    ),
    "trainer": frozenset({"people.view", "scorecards.view", "scorecards.edit", "scorecards.rate"}),
    "qa": frozenset({"people.view", "scorecards.view", "qa.edit", "callbacks.view"}),
    "agent": frozenset({"callbacks.view", "scorecards.view.own", "attendance.view.own"}),
}

@dataclass(frozen=True)
class Actor:
    """Who is doing it: the signed-in user (GUI) or ``--user`` (command line)."""

    username: str
    role: str
    person_id: int | None = None

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


SYSTEM = Actor("system", "supervisor")


def require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise PermissionDenied(N_("Your role may not do this ({permission})."), permission=permission)


class Service:
    """Base of the use-case classes: a unit-of-work factory, the policy and a clock."""

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now) -> None:
        self._uow = uow
        self.policy = policy
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    def audit(self, uow: UnitOfWork, actor: Actor, action: str, entity: str, entity_id: object, **details: Any) -> None:
        """Append who/when/what to the audit log, inside the caller's unit of work."""
        uow.audit.add(self.now(), actor.username, action, entity, str(entity_id), details)
