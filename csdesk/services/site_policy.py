"""Applying a change to the site policy file: the what-if's Apply (issue 16), Settings › Shifts and
Holidays (issue 17) and ``csdesk policy apply FILE``.

A change is a site policy file's keys (tables merge, arrays of tables replace, as the loader lays
a site file over the shipped default). It is laid into the site file in force (or, when there is
none, ``policy.toml`` in the data folder, which every start then finds), keeping the file's
comments and order (``tomlkit``), and checked exactly as the loader checks a site file before
anything is written: a bad key is refused with a :class:`PolicyError` naming it.

What is written never moves a signed month: a locked month's numbers are the results its lock
stored, whatever the policy. The running programme keeps the policy it started with (every
service was built on it); the new one is in force from the next start, and the caller says so.

Two PCs that share one site file never overwrite each other silently: the file on disk must
still give the policy this programme started with, else the change is refused and nothing is
written (start again to see the other change first). The audit entry (``policy.apply``) lists
every key before → after and, from the what-if, the summary of whom it moves.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from csdesk.errors import PolicyError, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UowFactory
from csdesk.policy import Policy, build_policy, merge, read_toml
from csdesk.policy.changes import PolicyChange, policy_changes
from csdesk.records import record
from csdesk.resources import default_policy_path
from csdesk.services.base import Actor, Clock, Service, require

EDIT = "settings.edit"
SITE_FILE_NAME = "policy.toml"
_HEADER = (
    "csdesk site policy: these keys are laid over the shipped default (resources/policy.toml).\n"
    "Written by csdesk (Settings, Try a change… › Apply, csdesk policy apply); comments are kept."
)


@record
class Applied:
    """What ``apply`` wrote: the file, each key before → after, and the signed months that keep
    the numbers their lock stored."""

    path: Path
    changes: tuple[PolicyChange, ...]
    locked_months: tuple[str, ...]


class SitePolicyService(Service):
    """``apply`` a change to the site policy file (``settings.edit``); ``preview`` it first."""

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock = datetime.now, *, site_file: Path | None,
                 data_dir: Path) -> None:  # fmt: skip
        super().__init__(uow, policy, clock)
        self._site_file = site_file
        self._data_dir = data_dir

    @property
    def target(self) -> Path:
        """The file a change is written to: the site file in force, else the data folder's."""
        return self._site_file if self._site_file is not None else self._data_dir / SITE_FILE_NAME

    def preview(self, change: Mapping[str, Any] | Path) -> tuple[Policy, tuple[PolicyChange, ...]]:
        """The policy the change would put in force and the keys it changes; writes nothing."""
        _text, policy, changes = self._laid_over(change)
        return policy, changes

    def apply(self, actor: Actor, change: Mapping[str, Any] | Path, *, summary: Mapping[str, Any] | None = None) -> Applied:
        """Lay ``change`` (its keys, or a TOML file of them) into the site policy file and audit it
        with ``summary`` (the what-if's figures: months, agents changed, grade changes, money). Refused, with nothing written, when the change is
        invalid (PolicyError naming each key), changes nothing, removes a shift the roster still
        uses, or the file changed since this programme started."""
        require(actor, EDIT)
        text, policy, changes = self._laid_over(change)
        if not changes:
            raise ValidationError(N_("Nothing to apply: the policy in force already has these values."), field="policy")
        path = self.target
        with self._uow() as uow:
            removed = {s.code for s in self.policy.shifts} - {s.code for s in policy.shifts}
            used = uow.roster.days_by_shift(removed) if removed else {}
            if used:
                code, days = sorted(used.items())[0]
                raise ValidationError(
                    N_("The shift {code} cannot be removed: the roster has it on {days} days."),
                    field="shifts", code=code, days=days,
                )  # fmt: skip
            locked = tuple(sorted(lock.month for lock in uow.months.locks()))
            details: dict[str, Any] = {"file": str(path)}
            details.update({c.key: [_plain(c.before), _plain(c.after)] for c in changes})
            if summary:
                details["summary"] = dict(summary)
            if locked:
                details["locked_months"] = list(locked)
            self.audit(uow, actor, "policy.apply", "policy", path.name, **details)
            previous = _write(path, text)
            try:
                uow.commit()
            except BaseException:
                _restore(path, previous)
                raise
        return Applied(path, changes, locked)

    # --- the change laid over the file ------------------------------------------------------

    def _laid_over(self, change: Mapping[str, Any] | Path) -> tuple[str, Policy, tuple[PolicyChange, ...]]:
        """The site file's new text, the policy it gives and the keys that change."""
        keys = read_toml(change) if isinstance(change, Path) else dict(change)
        path = self.target
        current = self._current(path)
        document = tomlkit.parse(current) if current is not None else _new_document()
        _lay(document, keys)
        text = tomlkit.dumps(document)
        data = merge(read_toml(default_policy_path()), tomllib.loads(text))
        policy = build_policy(data, str(change) if isinstance(change, Path) else str(path))
        return text, replace(policy, source=str(path)), policy_changes(self.policy, policy)

    def _current(self, path: Path) -> str | None:
        """The site file's text, when it still gives the policy in force (None: no file yet)."""
        if not path.is_file():
            if self._site_file is not None:  # it was there at the start
                raise _changed_since(path)
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise PolicyError(str(path), [("", N_("cannot be read"))]) from None
        on_disk = build_policy(merge(read_toml(default_policy_path()), read_toml(path)), str(path))
        if self._site_file is None or replace(on_disk, source="") != replace(self.policy, source=""):
            raise _changed_since(path)
        return text


def _changed_since(path: Path) -> ValidationError:
    return ValidationError(
        N_("The site policy file {file} changed since csdesk started (another PC or an editor): "
           "start csdesk again to see that change before making another."),
        field="policy", file=str(path),
    )  # fmt: skip


def _new_document() -> tomlkit.TOMLDocument:
    document = tomlkit.document()
    for line in _HEADER.splitlines():
        document.add(tomlkit.comment(line))
    document.add(tomlkit.nl())
    return document


def _lay(table: Any, keys: Mapping[str, Any]) -> None:
    """Tables merge key by key; anything else (a value, a list, an array of tables) replaces."""
    for key, value in _written(keys).items():
        here = table.get(key)
        if isinstance(value, Mapping) and isinstance(here, Table | dict) and not isinstance(here, AoT):
            _lay(here, value)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            aot = tomlkit.aot()
            for row in value:
                aot.append(tomlkit.item(dict(row)))
            table[key] = aot
        else:
            table[key] = value


def _written(value: Any) -> Any:
    """A value as the file writes it: a time as ``08:30``, a date as ``2026-10-01``, a key set to
    None left out (TOML has no "not set": the default applies)."""
    if isinstance(value, Mapping):
        return {k: _written(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_written(v) for v in value]
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _plain(value: Any) -> Any:
    """A value for the audit log's JSON (a tuple of dates as a list)."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _write(path: Path, text: str) -> str | None:
    """Replace ``path`` with ``text`` in one step (a crash leaves the old file or the new, never
    half of one); returns the previous text (None: there was no file)."""
    previous = path.read_text(encoding="utf-8") if path.is_file() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".writing")
    with temporary.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)
    return previous


def _restore(path: Path, previous: str | None) -> None:
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        _write(path, previous)
