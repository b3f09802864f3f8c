"""Users, passwords (argon2) and who may do what."""

from __future__ import annotations

import getpass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from csdesk.errors import CsdeskError, NotFound, ValidationError
from csdesk.i18n import N_
from csdesk.models.domain import User
from csdesk.services.base import Actor, Service, require, use_permissions

# Cheap enough to keep the login and the demo snappy on a 2-core PC, still argon2id.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


class LoginFailed(CsdeskError):
    """Wrong user name or password (deliberately not saying which)."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


class AuthService(Service):
    """Sign-in, user accounts and the role table in force."""

    def put_roles_in_force(self) -> None:
        """``Actor.can`` answers from this policy's [roles] table (the composition root calls this)."""
        use_permissions(self.policy)

    def login(self, username: str, password: str) -> Actor:
        with self._uow() as uow:
            found = uow.users.by_username(username.strip())
            ok = False
            if found is not None and found[0].active:
                try:
                    ok = _HASHER.verify(found[1], password)
                except (VerificationError, InvalidHashError):
                    ok = False
            if not ok or found is None:
                raise LoginFailed(N_("Wrong user name or password."))
            user = found[0]
            actor = Actor(user.username, user.role, user.person_id)
            self.audit(uow, actor, "login", "user", user.id)
            uow.commit()
            return actor

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
