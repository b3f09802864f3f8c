"""Which policy is in force, and checking a site policy file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from csdesk.errors import PolicyError
from csdesk.policy import Policy, load_policy


@dataclass(frozen=True)
class PolicyLoad:
    """The policy in force and, when a site file was refused, why (the app runs on the default)."""

    policy: Policy
    site_file: Path | None
    error: PolicyError | None = None


def site_policy_path(configured: str | None, data_dir: Path) -> Path | None:
    """Settings value, else ``CSDESK_POLICY``, else ``policy.toml`` in the data folder if present."""
    value = configured or os.environ.get("CSDESK_POLICY")
    if value:
        return Path(value).expanduser()
    candidate = data_dir / "policy.toml"
    return candidate if candidate.is_file() else None


def load_in_force(site_file: Path | None) -> PolicyLoad:
    """Load the site file over the default; a corrupt site file falls back to the default."""
    if site_file is None:
        return PolicyLoad(load_policy(), None)
    try:
        return PolicyLoad(load_policy(site_file), site_file)
    except PolicyError as exc:
        return PolicyLoad(load_policy(), site_file, exc)


def check_file(path: Path) -> Policy:
    """``csdesk policy check FILE``: raises PolicyError naming every bad key."""
    return load_policy(path)
