"""What every service shares: the actor, the clock, permission checks and the audit entry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csdesk.errors import NotFound, PermissionDenied, StaleWrite
from csdesk.i18n import N_, format_datetime
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain import AuditEntry
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

# "The caller did not say what it saw": no stale-write check (a script, an import row).
UNSEEN: Any = object()


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

    def claim(
        self, uow: UnitOfWork, entity: str, row_id: int, seen: int | None, missing: str = "", audit_id: object = None
    ) -> int:
        """Claim one record for this unit of work (no other PC changes it before the commit) and
        return its version. ``seen`` is the version the person's screen showed (None: the caller
        read it in this unit of work): a different one means someone changed the record since,
        and nothing is written (:class:`StaleWrite`, naming who, when and what from the audit log,
        where the record is ``audit_id``, default ``row_id``). ``missing`` is the NotFound message
        when there is no such record."""
        current = uow.claim(entity, row_id)
        if current is None:
            raise NotFound(missing or N_("The record {id} no longer exists."), id=row_id)
        if seen is not None and seen != current:
            raise stale_write(uow, entity, row_id if audit_id is None else audit_id)
        return current


def stale_write(uow: UnitOfWork, entity: str, row_id: object) -> StaleWrite:
    """The refusal of a write based on an old read, told from the record's last audit entry."""
    last = uow.last_change(entity, row_id)
    if last is None:
        return StaleWrite(N_("Someone else changed this record after you opened it. Nothing was saved: reload it and try again."))
    return StaleWrite(
        N_("{who} changed this record at {when} after you opened it ({change}). Nothing was saved: reload it and try again."),
        who=last.username, when=format_datetime(last.at, "yyyy-MM-dd HH:mm"), change=_describe(last),
    )


def _describe(entry: AuditEntry) -> str:
    """What the entry changed, in short (the audit window's wording when it has one)."""
    shown = ", ".join(f"{key}: {value}" for key, value in sorted(entry.details.items()) if value not in (None, ""))
    return f"{entry.action}: {shown}" if shown else entry.action
