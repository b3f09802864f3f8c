"""Reading the append-only audit log."""

from __future__ import annotations

from csdesk.models.domain import AuditEntry
from csdesk.services.base import Actor, Service, require


class AuditService(Service):
    def recent(self, actor: Actor, limit: int = 500, entity: str | None = None) -> list[AuditEntry]:
        require(actor, "audit.view")
        with self._uow() as uow:
            return uow.audit.recent(limit, entity)
