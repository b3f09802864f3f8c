"""The expected failures of csdesk: every one carries a translatable message id.

Views and the command line catch only :class:`CsdeskError`; anything else is a bug
and reaches the global exception hook. This module imports only the standard
library so that the pure rules may raise these too.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - marks strings for extraction (see csdesk.i18n)
    return message


class CsdeskError(Exception):
    """An expected failure with a message id (marked N_) and its parameters."""

    def __init__(self, msgid: str, /, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        """The message in the current language, placeholders filled."""
        from csdesk.i18n import _  # lazy: keeps this module stdlib-only

        return _(self.msgid).format(**self.params)

    def __str__(self) -> str:
        return self.message()


class ValidationError(CsdeskError):
    """Input that breaks a rule of the form or the policy; names the field."""

    def __init__(self, msgid: str, /, field: str = "", **params: Any) -> None:
        super().__init__(msgid, field=field, **params)
        self.field = field


class RuleViolation(ValidationError):
    """A business rule refused the request (raised by csdesk.rules)."""


class NotFound(CsdeskError):
    """A record the request names does not exist."""


class PermissionDenied(CsdeskError):
    """The signed-in user's role may not do this."""


class LockedMonth(CsdeskError):
    """The month is signed off; it must be reopened with a reason first."""


class StaleWrite(CsdeskError):
    """Someone else changed the record after this person read it; nothing was written.

    ``who``, ``when`` and ``change`` come from the audit log's last entry for the record.
    """


class StorageError(CsdeskError):
    """The database could not be read or written (locked, full disk, bad URL)."""


class DatabaseUnreadable(StorageError):
    """The database file is not (or no longer) a database SQLite can read: only a restore helps."""


class PolicyError(CsdeskError):
    """A policy file is unreadable or invalid; ``problems`` lists (key, message)."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(N_("Policy file {source} is invalid"), source=source)
        self.source = source
        self.problems = problems

    def message(self) -> str:
        from csdesk.i18n import _

        head = super().message()
        lines = [f"  {key}: {_(problem)}" for key, problem in self.problems]
        return "\n".join([head, *lines])
