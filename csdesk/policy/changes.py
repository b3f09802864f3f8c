"""Which keys differ between two policies, named as the loader names them in its problems
(``attendance.late_deduction``, ``scoring.grades[2].min``): what a what-if lists and what an
applied change writes to the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import time
from typing import Any

from csdesk.policy.model import Policy
from csdesk.records import record


@record
class PolicyChange:
    """One key that differs: ``before`` in the first policy, ``after`` in the second (None: not set)."""

    key: str
    before: Any
    after: Any


def policy_changes(before: Policy, after: Policy) -> tuple[PolicyChange, ...]:
    """Every key whose value differs, in the order the policy file has them (defaults included:
    a file that writes down a default changes nothing)."""
    old, new = dict(_flat_keys(_values(before))), dict(_flat_keys(_values(after)))
    return tuple(
        PolicyChange(key, old.get(key), new.get(key)) for key in dict.fromkeys([*new, *old]) if old.get(key) != new.get(key)
    )


def _values(policy: Policy) -> dict[str, Any]:
    return {key: value for key, value in asdict(policy).items() if key != "source"}


def _flat_keys(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value); a list of plain values (``extra_holidays``) is one value, a time is
    written as in the file (``08:30``)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flat_keys(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(data, list | tuple) and any(isinstance(item, dict) for item in data):
        for i, item in enumerate(data):
            yield from _flat_keys(item, f"{prefix}[{i}]")
    else:
        yield prefix, data.strftime("%H:%M") if isinstance(data, time) else data
