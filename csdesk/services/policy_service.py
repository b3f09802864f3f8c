"""Which policy is in force, checking a site policy file, and the site's name and logo."""

from __future__ import annotations

import os
from pathlib import Path

from csdesk.errors import PolicyError, ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.policy import Policy, load_policy
from csdesk.policy.model import OptionalText, Site
from csdesk.records import record
from csdesk.services.base import Actor, Service, require

# The settings table's keys for what Settings sets over the policy's [site] (kept with the data,
# so every PC on one database prints the same name).
SITE_NAME = "site.name"
SITE_LOGO = "site.logo"
SITE_NAME_MAX = 100  # characters; the printed header shrinks its type to fit the line
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@record
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


def site_in_force(uow: UnitOfWork, policy: Policy) -> Site:
    """The site's name and logo as Settings set them, else the policy's ``[site]`` (read inside the
    caller's unit of work: every service that prints asks here)."""
    name = uow.settings.get(SITE_NAME, "") or policy.site.name
    logo = uow.settings.get(SITE_LOGO, "") or policy.site.logo
    return Site(OptionalText(name), OptionalText(logo))


class SiteService(Service):
    """The site's name and logo printed on every document (issue #14), set in Settings."""

    def site(self) -> Site:
        """The name and logo in force (nothing personal: anyone may read them)."""
        with self._uow() as uow:
            return site_in_force(uow, self.policy)

    def set_site(self, actor: Actor, name: str, logo: str) -> Site:
        """Set the site's name and logo for every PC on this database (``settings.edit``); empty
        values fall back to the policy's ``[site]``. The logo must be a PNG file this PC reads.
        Audited with the values before and after; nothing is written when nothing changes."""
        require(actor, "settings.edit")
        name, logo = " ".join(name.split()), logo.strip()
        if len(name) > SITE_NAME_MAX:
            raise ValidationError(N_("The site's name has at most {count} characters."), field="name", count=SITE_NAME_MAX)
        if logo:
            _check_png(Path(logo))
        with self._uow() as uow:
            before = {"name": uow.settings.get(SITE_NAME, ""), "logo": uow.settings.get(SITE_LOGO, "")}
            after = {"name": name, "logo": logo}
            if after != before:
                uow.settings.set(SITE_NAME, name)
                uow.settings.set(SITE_LOGO, logo)
                self.audit(uow, actor, "settings.site", "settings", "site", before=before, after=after)
                uow.commit()
            return site_in_force(uow, self.policy)


def _check_png(path: Path) -> None:
    """Refuse a logo that is not a readable PNG file (checked by its signature)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_PNG_SIGNATURE))
    except OSError:
        raise ValidationError(N_("The logo {file} cannot be read."), field="logo", file=str(path)) from None
    if head != _PNG_SIGNATURE:
        raise ValidationError(N_("The logo {file} is not a PNG image."), field="logo", file=str(path))
