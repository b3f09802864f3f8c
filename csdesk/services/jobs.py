"""Long operations that run in a separate process (a CPU-bound import must not starve the GUI).

Python threads share one interpreter lock: a parsing thread makes every Python call the
GUI makes (each table cell it paints) wait its turn. A child process has its own.
The child rebuilds the services from the same database URL and policy file.
"""

from __future__ import annotations

from typing import Any

from csdesk.records import record
from csdesk.services.base import Actor
from csdesk.services.imports.reader import TableChoice, reading_as


@record
class ServiceCall:
    """Which service method to call in the child, with what (all picklable)."""

    db_url: str
    policy_file: str | None
    language: str
    method: str  # "attendance.import_punches"
    actor: Actor
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()  # after the progress callback: (name, value) pairs
    table: TableChoice | None = None  # an import reads its table there (the import wizard's choice)
    dry_run: bool = False  # nothing is written: the report of what would be (Service.dry_run)


def run_service_call(call: ServiceCall, progress: Any) -> Any:
    """Executed in the child: build the context, install the language, call the method."""
    from csdesk import i18n
    from csdesk.context import build_context

    i18n.install(call.language)
    ctx = build_context(call.db_url, call.policy_file)
    service_name, method = call.method.split(".")
    service = getattr(ctx, service_name)
    if call.dry_run:
        service = service.dry_run()
    with reading_as(call.table):
        return getattr(service, method)(call.actor, *call.args, progress, **dict(call.kwargs))
