"""Users, passwords (argon2) and who may do what."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from csdesk.errors import CsdeskError, NotFound, PermissionDenied, ValidationError
from csdesk.i18n import N_, format_datetime
from csdesk.models.db import UnitOfWork, UowFactory
from csdesk.models.domain import PersonData, User, UserAccount
from csdesk.policy import Policy
from csdesk.services.base import SYSTEM, Actor, Clock, Service, require, use_permissions
from csdesk.services.people import PunchIds

# Cheap enough to keep the login and the demo snappy on a 2-core PC, still argon2id: OWASP's
# memory and passes (19 MiB, 2), in two lanes, which argon2 fills on two threads (RFC 9106 asks
# for as many lanes as the machine has cores): a sign-in verifies in 13 ms, not 22, for the same
# memory. A stored hash keeps the lanes it was made with until its password is next set.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=2)


# The audit log's user name and entity id columns hold 64 characters.
_NAME_MAX = 64

# Adding accounts, resetting their passwords, changing their roles, deactivating them. Its own
# permission, not "people.edit": whoever holds it can hand out every other permission, so a site
# may want to give editing people's records without it ([roles] in policy.toml).
USERS_MANAGE = "users.manage"
SUPERVISOR = "supervisor"  # the role of the first account a new site makes (rules.md §1)


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
    """Sign-in, user accounts and the role table in force. ``clean_person`` checks a new person's
    fields as the people list does (PeopleService.clean)."""

    def __init__(
        self, uow: UowFactory, policy: Policy, clock: Clock, *, clean_person: Callable[[PersonData], PersonData]
    ) -> None:
        super().__init__(uow, policy, clock)
        self._clean_person = clean_person

    def put_roles_in_force(self) -> None:
        """``Actor.can`` answers from this policy's [roles] table (the composition root calls this)."""
        use_permissions(self.policy)

    def login(self, username: str, password: str, *, record: bool = True) -> Actor:
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
                if record:  # the command line's sign-in is not a change: a read command writes nothing
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
        found = uow.users.by_username(name)
        entries = uow.audit.failed_sign_ins(name[:_NAME_MAX], now - 2 * window, found[0].id if found else None)
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
        """A new active account (``users.manage``): a free user name, a role of ``codes.roles``, a
        password of at least ``security.min_password_length`` characters and optionally the person
        it belongs to. Audited without the password."""
        require(actor, USERS_MANAGE)
        name = self._check_new_account(username, role, password)
        with self._uow() as uow:
            self._check_free(uow, name)
            person_id = None
            if employee_no:
                ids = uow.people.ids_by_employee_no()
                if employee_no not in ids:
                    raise NotFound(N_("No person with employee number {no}"), no=employee_no)
                person_id = ids[employee_no]
            user_id = uow.users.add(name, hash_password(password), role, person_id)
            self.audit(uow, actor, "user.create", "user", user_id, username=name, role=role, employee_no=employee_no)
            uow.commit()
            return User(user_id, name, role, person_id)

    def create_supervisor_with_person(
        self, actor: Actor, username: str, password: str, employee_no: str, name: str
    ) -> User:
        """A new person ``employee_no`` / ``name`` in the supervisor role and an active supervisor
        account for them, in one unit of work: the first-run set-up's first supervisor, who is on
        no people list yet (``users.manage`` and ``people.edit``; the set-up acts as the local
        administrator of a database without accounts). Checked as :meth:`create_user` and the
        people list check them; both audited, without the password."""
        require(actor, USERS_MANAGE)
        require(actor, "people.edit")
        login = self._check_new_account(username, SUPERVISOR, password)
        person = self._clean_person(PersonData(employee_no, name, None, role=SUPERVISOR))
        with self._uow() as uow:
            self._check_free(uow, login)
            if uow.people.get(person.employee_no) is not None:
                raise ValidationError(N_("Employee number {no} is already used."), field="employee_no", no=person.employee_no)
            if clash := PunchIds(uow.people.list(include_inactive=True)).clash(person):
                raise clash
            person_id = uow.people.add(person, None)
            self.audit(uow, actor, "person.create", "person", person.employee_no,
                       employee_no=person.employee_no, name=person.name, role=SUPERVISOR)  # fmt: skip
            user_id = uow.users.add(login, hash_password(password), SUPERVISOR, person_id)
            self.audit(uow, actor, "user.create", "user", user_id, username=login, role=SUPERVISOR, employee_no=person.employee_no)
            uow.commit()
        return User(user_id, login, SUPERVISOR, person_id)

    def accounts(self, actor: Actor) -> list[UserAccount]:
        """Every account with its role, linked person, whether it is active and its last sign-in
        (``users.manage``)."""
        require(actor, USERS_MANAGE)
        with self._uow() as uow:
            return uow.users.accounts()

    def reset_password(self, actor: Actor, user_id: int, password: str) -> None:
        """Give another account a new password (one's own is changed with the current one, see
        :meth:`change_password`). Audited without the password."""
        require(actor, USERS_MANAGE)
        self._check_new_password(password)
        with self._uow() as uow:
            user = self._other_user(uow, actor, user_id)
            uow.users.set_password(user.id, hash_password(password))
            self.audit(uow, actor, "user.password_reset", "user", user.id, username=user.username)
            uow.commit()

    def set_role(self, actor: Actor, user_id: int, role: str) -> None:
        """Change another account's role to one of ``codes.roles``; never so that no active account
        may manage users any more."""
        require(actor, USERS_MANAGE)
        self._check_role(role)
        with self._uow() as uow:
            user = self._other_user(uow, actor, user_id)
            if user.role == role:
                return
            if user.active:
                self._keep_a_manager(uow, user)
            uow.users.set_role(user.id, role)
            self.audit(uow, actor, "user.role", "user", user.id, username=user.username, role=role, old_role=user.role)
            uow.commit()

    def set_active(self, actor: Actor, user_id: int, active: bool) -> None:
        """Deactivate another account (it can no longer sign in; its history stays) or reactivate
        it; never the last active account that may manage users."""
        require(actor, USERS_MANAGE)
        with self._uow() as uow:
            user = self._other_user(uow, actor, user_id)
            if user.active == active:
                return
            if not active:
                self._keep_a_manager(uow, user)
            uow.users.set_active(user.id, active)
            action = "user.reactivate" if active else "user.deactivate"
            self.audit(uow, actor, action, "user", user.id, username=user.username)
            uow.commit()

    def _check_new_account(self, username: str, role: str, password: str) -> str:
        """The user name of a new account, stripped; refused when malformed, and a role or
        password the policy does not allow."""
        name = username.strip()
        if not name or len(name) > _NAME_MAX or any(ch.isspace() for ch in name):
            raise ValidationError(
                N_("A user name has 1 to {count} characters and no spaces."), field="username", count=_NAME_MAX
            )
        self._check_role(role)
        self._check_new_password(password)
        return name

    @staticmethod
    def _check_free(uow: UnitOfWork, name: str) -> None:
        if uow.users.by_username(name) is not None:
            raise ValidationError(N_("The user name {name} is taken."), field="username", name=name)

    def _check_role(self, role: str) -> None:
        if role not in self.policy.codes.roles:
            raise ValidationError(N_("Unknown role {role}"), field="role", role=role)

    def _check_new_password(self, password: str) -> None:
        minimum = self.policy.security.min_password_length
        if len(password) < minimum:
            raise ValidationError(N_("The new password must have at least {count} characters."), field="password", count=minimum)

    def _other_user(self, uow: UnitOfWork, actor: Actor, user_id: int) -> User:
        """The account ``user_id``, which must not be the actor's own (one cannot lock oneself out)."""
        user = uow.users.get(user_id)
        if user is None:
            raise NotFound(N_("The user account {id} no longer exists."), id=user_id)
        if user.username.lower() == actor.username.lower():
            raise PermissionDenied(
                N_("This is your own account: change your password with File ▸ Change password…; someone else changes its role or deactivates it.")
            )
        return user

    def _keep_a_manager(self, uow: UnitOfWork, leaving: User) -> None:
        """Refuse when ``leaving`` is the last active account whose role may manage users."""
        managers = [code for code, perms in self.policy.permissions.items() if USERS_MANAGE in perms]
        if leaving.role not in managers:
            return
        if not [u for u in uow.users.active_with_roles(managers) if u.id != leaving.id]:
            raise PermissionDenied(
                N_("{name} is the last active account that may manage users; keep at least one."), name=leaving.username
            )

    # --- the command line -------------------------------------------------------------------

    def command_line_signs_in(self) -> bool:
        """Whether a command must sign in with a password: ``security.cli_password`` is on and the
        database has accounts (before the first one there is nobody to check)."""
        return self.policy.security.cli_password and self.has_accounts()

    def has_accounts(self) -> bool:
        """Whether any sign-in account exists yet."""
        with self._uow() as uow:
            return uow.users.count() > 0

    def resolve_actor(self, username: str | None) -> Actor:
        """Who acts without a password (``security.cli_password = false``, and tests): ``username``,
        else the OS user, else the first active supervisor. A database without accounts (before
        ``csdesk demo`` or the first set-up) acts as the system."""
        with self._uow() as uow:
            if not uow.users.count():
                return SYSTEM
            for name in (username, getpass.getuser()):
                if name:
                    found = uow.users.by_username(name)
                    if found and found[0].active:
                        return Actor(found[0].username, found[0].role, found[0].person_id)
                    if name == username:
                        if found:
                            raise PermissionDenied(N_("The account {name} is deactivated."), name=found[0].username)
                        raise NotFound(N_("No csdesk user named {name}"), name=name)
            first = uow.users.first_with_role("supervisor")
            if first:
                return Actor(first.username, first.role, first.person_id)
        return SYSTEM
