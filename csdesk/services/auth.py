"""Users, passwords (argon2) and who may do what."""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from csdesk.errors import CsdeskError, NotFound, ValidationError
from csdesk.i18n import N_, format_datetime
from csdesk.models.db import UnitOfWork
from csdesk.models.domain import User
from csdesk.services.base import Actor, Service, require, use_permissions

# Cheap enough to keep the login and the demo snappy on a 2-core PC, still argon2id.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


# The audit log's user name and entity id columns hold 64 characters.
_NAME_MAX = 64


class LoginFailed(CsdeskError):
    """Wrong user name or password (deliberately not saying which)."""


class AccountLocked(LoginFailed):
    """Too many failed sign-ins for this name: refused, even with the right password, until ``until``."""

    def __init__(self, msgid: str, /, until: datetime, **params: object) -> None:
        super().__init__(msgid, until=format_datetime(until, "yyyy-MM-dd HH:mm"), **params)
        self.until = until


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    """A hash of the same cost that no password matches in practice: unknown names verify against it
    so that signing in as one takes as long as a wrong password for a real name."""
    return _HASHER.hash("csdesk: no such user")


def _verify(stored: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def lock_end(failures: Sequence[datetime], limit: int, window: timedelta) -> datetime | None:
    """When the last lockout among ``failures`` (counted failed sign-ins, oldest first) ends: ``limit``
    failures within ``window`` lock the name until ``window`` after the last of them; None if none did.
    Attempts made while locked are not counted (the caller leaves them out), so they never extend it."""
    streak: list[datetime] = []
    end = None
    for at in failures:
        streak = [t for t in streak if at - t < window] + [at]
        if len(streak) >= limit:
            end = at + window
            streak = []
    return end


class AuthService(Service):
    """Sign-in, user accounts and the role table in force."""

    def put_roles_in_force(self) -> None:
        """``Actor.can`` answers from this policy's [roles] table (the composition root calls this)."""
        use_permissions(self.policy)

    def login(self, username: str, password: str) -> Actor:
        """The actor for a right name and password; every failure is audited (``auth.failed``, never
        the password). A name with ``security.lockout_failures`` failures within
        ``security.lockout_minutes`` is refused until that many minutes after the last one. Unknown
        names cost one argon2 verification too, and lock the same way, so neither the time nor the
        answer tells which names exist."""
        name = username.strip()
        now = self.now()
        with self._uow() as uow:
            found = uow.users.by_username(name)
            locked_until = self._locked_until(uow, name, now)
            ok = _verify(found[1] if found is not None else _dummy_hash(), password)
            if locked_until is None and ok and found is not None and found[0].active:
                user = found[0]
                actor = Actor(user.username, user.role, user.person_id)
                self.audit(uow, actor, "login", "user", user.id)
                uow.commit()
                return actor
            tried = name[:_NAME_MAX]
            if locked_until is not None:
                self.audit(uow, Actor(tried, ""), "auth.failed", "user", tried, locked=True)
            else:
                self.audit(uow, Actor(tried, ""), "auth.failed", "user", tried)
                uow.flush()
                locked_until = self._locked_until(uow, name, now)
            uow.commit()
        if locked_until is not None:
            raise AccountLocked(
                N_("Too many failed sign-ins: {name} is locked until {until}."), until=locked_until, name=tried
            )
        raise LoginFailed(N_("Wrong user name or password."))

    def _locked_until(self, uow: UnitOfWork, name: str, now: datetime) -> datetime | None:
        """When the lockout of ``name`` ends, if it is locked at ``now`` (read from the audit log)."""
        sec = self.policy.security
        window = timedelta(minutes=sec.lockout_minutes)
        # A lockout in force began with a failure less than one window ago, and the failures that
        # caused it lie within one window before that one.
        entries = uow.audit.failed_sign_ins(name[:_NAME_MAX], now - 2 * window)
        counted = [e.at for e in entries if not e.details.get("locked")]
        end = lock_end(counted, sec.lockout_failures, window)
        return end if end is not None and now < end else None

    def change_password(self, actor: Actor, old: str, new: str) -> None:
        """``actor`` changes their own password: the current one must be right and the new one at
        least ``security.min_password_length`` characters long. Audited without either password."""
        minimum = self.policy.security.min_password_length
        with self._uow() as uow:
            found = uow.users.by_username(actor.username)
            if found is None:
                raise NotFound(N_("No csdesk user named {name}"), name=actor.username)
            user, stored = found
            if not _verify(stored, old):
                raise ValidationError(N_("The current password is wrong."), field="old")
            if len(new) < minimum:
                raise ValidationError(
                    N_("The new password must have at least {count} characters."), field="new", count=minimum
                )
            if new == old:
                raise ValidationError(N_("The new password must differ from the current one."), field="new")
            uow.users.set_password(user.id, hash_password(new))
            self.audit(uow, actor, "auth.password_change", "user", user.id, username=user.username)
            uow.commit()

    def create_user(self, actor: Actor, username: str, password: str, role: str, employee_no: str | None = None) -> User:
        require(actor, "people.edit")
        if role not in self.policy.codes.roles:
            raise ValidationError(N_("Unknown role {role}"), field="role", role=role)
        if len(password) < 4:
            raise ValidationError(N_("The password must have at least 4 characters."), field="password")
        with self._uow() as uow:
            if uow.users.by_username(username) is not None:
                raise ValidationError(N_("The user name {name} is taken."), field="username", name=username)
            person_id = None
            if employee_no:
                ids = uow.people.ids_by_employee_no()
                if employee_no not in ids:
                    raise NotFound(N_("No person with employee number {no}"), no=employee_no)
                person_id = ids[employee_no]
            user_id = uow.users.add(username, hash_password(password), role, person_id)
            self.audit(uow, actor, "user.create", "user", user_id, username=username, role=role)
            uow.commit()
            return User(user_id, username, role, person_id)

    def users(self) -> list[User]:
        with self._uow() as uow:
            return uow.users.list()

    def resolve_actor(self, username: str | None) -> Actor:
        """The command line's ``--user``: that user, else the OS user, else the first supervisor."""
        with self._uow() as uow:
            for name in (username, getpass.getuser()):
                if name:
                    found = uow.users.by_username(name)
                    if found:
                        return Actor(found[0].username, found[0].role, found[0].person_id)
                    if name == username:
                        raise NotFound(N_("No csdesk user named {name}"), name=name)
            first = uow.users.first_with_role("supervisor")
            if first:
                return Actor(first.username, first.role, first.person_id)
        # An empty database (before `csdesk demo` or the first import): act as the system.
        return Actor("system", "supervisor")
