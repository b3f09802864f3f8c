"""What every service shares: the actor, the clock, permission checks and the audit entry."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Self, cast

from csdesk.errors import NotFound, PermissionDenied, StaleWrite
from csdesk.i18n import N_, format_datetime
from csdesk.models.db import UnitOfWork, UowFactory, never_commit
from csdesk.models.domain import AuditEntry
from csdesk.policy import Policy, load_policy
from csdesk.records import record

Clock = Callable[[], datetime]

# What each role may do: the [roles] table of the policy in force (policy.toml), put in force by
# the composition root (csdesk.context); the shipped policy's table until then (tests, scripts).
_permissions: Mapping[str, frozenset[str]] | None = None
_scopes: Mapping[str, str] | None = None

ALL, TEAM, OWN = "all", "team", "own"  # whose records a role sees (RoleDef.scope)
PERSONNEL = "people.personnel"  # phone, birthday, level, join date and pay (rules.md §1, §12)


def use_permissions(policy: Policy) -> None:
    """Make ``Actor.can`` and ``Actor.scope`` answer from ``policy``'s role table."""
    global _permissions, _scopes
    _permissions, _scopes = policy.permissions, policy.scopes


def permissions_in_force() -> Mapping[str, frozenset[str]]:
    """Role → permission names that ``Actor.can`` consults."""
    global _permissions
    if _permissions is None:
        use_permissions(load_policy())
    assert _permissions is not None
    return _permissions


def scopes_in_force() -> Mapping[str, str]:
    """Role → whose records it sees (``all``, ``team``, ``own``)."""
    if _scopes is None:
        use_permissions(load_policy())
    assert _scopes is not None
    return _scopes


@record
class Actor:
    """Who is doing it: the signed-in user (GUI) or ``--user`` (command line)."""

    username: str
    role: str
    person_id: int | None = None

    def can(self, permission: str) -> bool:
        return permission in permissions_in_force().get(self.role, ())

    @property
    def scope(self) -> str:
        """Whose records this actor sees: ``all``, its ``team`` or its ``own`` (the role's scope;
        a role the table does not know sees only its own)."""
        return scopes_in_force().get(self.role, OWN)


SYSTEM = Actor("system", "supervisor")

# "The caller did not say what it saw": no stale-write check (a script, an import row).
UNSEEN: Any = object()


def require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise PermissionDenied(N_("Your role may not do this ({permission})."), permission=permission)


@record
class Visible:
    """Whose records one actor may see, resolved against the database: everyone, one team (a team
    lead's: ``team`` and its members' ``ids``), or one person (an agent's own); and whether
    personnel fields are shown."""

    everyone: bool
    team: str | None = None
    person_id: int | None = None
    employee_no: str | None = None
    ids: frozenset[int] = frozenset()
    personnel: bool = False
    own_team: str | None = None  # one person's (an agent's) own team: asking for it is asking for their own

    def sees(self, person_id: int | None) -> bool:
        return self.everyone or person_id in self.ids

    def shows_personnel(self, person_id: int | None) -> bool:
        """Personnel fields of this person: with ``people.personnel``, or one's own."""
        return self.personnel or (person_id is not None and person_id == self.person_id)

    def check(self, person_id: int | None) -> None:
        """Refuse a record of someone this actor does not see."""
        if not self.sees(person_id):
            raise PermissionDenied(_NOT_YOURS_TEAM if self.team is not None else _NOT_YOURS, team=self.team or "")

    def narrow(self, team: str | None, employee_no: str | None) -> tuple[str | None, str | None]:
        """The (team, employee_no) filter a read asks for, narrowed to what this actor sees;
        asking for another team or person than one's own is refused."""
        if self.everyone:
            return team, employee_no
        if self.team is not None:  # a team lead: their team, or one person of it
            if team is not None and team != self.team:
                raise PermissionDenied(_NOT_YOURS_TEAM, team=self.team)
            return self.team, employee_no
        if self.employee_no is None:
            raise PermissionDenied(N_("Your account is not linked to a person, so there are no records of yours to show."))
        if (employee_no is not None and employee_no != self.employee_no) or (team is not None and team != self.own_team):
            raise PermissionDenied(_NOT_YOURS)  # another person's or another team's: refused, not quietly narrowed
        return None, self.employee_no


_NOT_YOURS = N_("You see only your own records.")
_NOT_YOURS_TEAM = N_("You see only your own team ({team}).")


def visible_to(uow: UnitOfWork, actor: Actor, permission: str) -> Visible:
    """Check ``permission`` and resolve whose records ``actor`` sees (rules.md §1, §12)."""
    require(actor, permission)
    personnel = actor.can(PERSONNEL)
    if actor.scope == ALL:
        return Visible(True, personnel=personnel)
    person = uow.people.by_id(actor.person_id) if actor.person_id is not None else None
    if person is None:
        return Visible(False, personnel=personnel)
    if actor.scope == TEAM and person.team is not None:
        ids = frozenset(p.id for p in uow.people.list(team=person.team, include_inactive=True)) | {person.id}
        return Visible(False, person.team, person.id, person.employee_no, ids, personnel)
    return Visible(False, None, person.id, person.employee_no, frozenset({person.id}), personnel, person.team)


class Service:
    """Base of the use-case classes: a unit-of-work factory, the policy and a clock."""

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now) -> None:
        self._uow = uow
        self.policy = policy
        self._clock = clock

    def now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    def dry_run(self) -> Self:
        """This service as a dry run: each method does all it would do, reports what it would
        have written, and leaves the database as it was (csdesk.models.db.never_commit). The
        import wizard shows an import's dry-run report before the import itself runs."""
        return cast(Self, DryRun(self))

    def audit(
        self, uow: UnitOfWork, actor: Actor, action: str, entity: str, entity_id: object, *, when: datetime | None = None,
        **details: Any,
    ) -> None:
        """Append who/when/what to the audit log, inside the caller's unit of work; ``when``: the
        time the change itself was stamped with (else the clock's now)."""
        uow.audit.add(when or self.now(), actor.username, action, entity, str(entity_id), details)

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


class DryRun:
    """A service whose every method, and every method of the services it holds, runs as a dry run."""

    def __init__(self, service: Service) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._service, name)
        if isinstance(value, Service):
            return value.dry_run()
        if not callable(value):
            return value

        @functools.wraps(value)
        def dry(*args: Any, **kwargs: Any) -> Any:
            with never_commit():
                return value(*args, **kwargs)

        return dry


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
