"""What every service shares: the actor, the clock, permission checks and the audit entry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csdesk.errors import PermissionDenied
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.policy import Policy, load_policy

Clock = Callable[[], datetime]

# What each role may do: the [roles] table of the policy in force (policy.toml), put in force by
# the composition root (csdesk.context); the shipped policy's table until then (tests, scripts).
_permissions: Mapping[str, frozenset[str]] | None = None


def use_permissions(policy: Policy) -> None:
    """Make ``Actor.can`` answer from ``policy``'s role table."""
    global _permissions
    _permissions = policy.permissions


def permissions_in_force() -> Mapping[str, frozenset[str]]:
    """Role → permission names that ``Actor.can`` consults."""
    global _permissions
    if _permissions is None:
        _permissions = load_policy().permissions
    return _permissions


@dataclass(frozen=True)
class Actor:
    """Who is doing it: the signed-in user (GUI) or ``--user`` (command line)."""

    username: str
    role: str
    person_id: int | None = None

    def can(self, permission: str) -> bool:
        return permission in permissions_in_force().get(self.role, ())


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
