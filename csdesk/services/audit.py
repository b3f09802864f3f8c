"""Reading the append-only audit log and checking its hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from csdesk.i18n import N_
from csdesk.models.audit_triggers import GAP, HASH_MISMATCH, PREV_MISMATCH, ChainBreak
from csdesk.models.domain import AuditEntry
from csdesk.services.base import Actor, Service, require

# What a person reads for each ChainBreak.problem.
PROBLEMS: dict[str, str] = {
    HASH_MISMATCH: N_("its contents do not match its hash: the entry was changed"),
    PREV_MISMATCH: N_("it does not point to the entry before it: the chain was altered"),
    GAP: N_("entries before it are missing: they were removed"),
}


@dataclass(frozen=True)
class AuditVerification:
    """The result of checking the chain: how many entries, and the first broken one (None: intact)."""

    entries: int
    first_broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_broken is None


class AuditService(Service):
    def recent(self, actor: Actor, limit: int = 500, entity: str | None = None) -> list[AuditEntry]:
        require(actor, "audit.view")
        with self._uow() as uow:
            return uow.audit.recent(limit, entity)

    def verify(self, actor: Actor) -> AuditVerification:
        """Check every entry's hash and link, in id order, in one read transaction."""
        require(actor, "audit.view")
        with self._uow() as uow:
            entries, broken = uow.audit.check()
        return AuditVerification(entries, broken)
