"""Record versions: the guard against lost updates between several PCs (issue #12).

Every table of records people edit has a ``version`` column, 1 when the row is inserted. A
trigger adds one on every UPDATE, whatever statement makes it (a form, an import, a bulk
re-assignment), so a version read earlier tells whether the row changed since.

A use case that changes a record first *claims* it (:func:`claim_row`): on PostgreSQL the row
is locked (``SELECT … FOR UPDATE``) until the transaction ends; on SQLite the database's write
lock is taken (SQLite has one writer at a time). Everything the use case reads after the claim
is current, and no other PC can change the record before the commit, so a check of the version
the person saw (or of the status, "already closed") cannot race with another PC's write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import json

from sqlalchemy import column, select, table, text
from sqlalchemy.orm import Session

from csdesk.models.domain import AuditEntry
from csdesk.models.tables import AuditRow

# The tables whose rows people edit: each has ``id`` and ``version``. These are the ones revision
# 0013 versioned; a table created later creates its own trigger (qa_findings: revision 0015,
# scorecard_responses: revision 0016, inspection_responses: revision 0018).
VERSIONED_TABLES = (
    "people",
    "roster",
    "punch_corrections",
    "leave_requests",
    "shift_swaps",
    "members",
    "contacts",
    "callbacks",
    "handover_entries",
    "handover_items",
    "ratings",
    "rating_adjustments",
    "exam_scores",
    "evaluation_events",
    "kpi_inputs",
)

# The audit log's entity names of versioned records → their tables.
ENTITY_TABLES = {
    "person": "people",
    "punch_correction": "punch_corrections",
    "leave": "leave_requests",
    "swap": "shift_swaps",
    "member": "members",
    "contact": "contacts",
    "callback": "callbacks",
    "handover": "handover_entries",
    "handover_item": "handover_items",
    "evaluation_event": "evaluation_events",
    "qa_finding": "qa_findings",
    "scorecard_response": "scorecard_responses",
    "inspection_response": "inspection_responses",
}

_PG_FUNCTION = """CREATE OR REPLACE FUNCTION csdesk_next_version() RETURNS trigger AS $$
BEGIN
    IF NEW.version = OLD.version THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql"""


def create_version_triggers(conn: Any, tables: Iterable[str] = VERSIONED_TABLES) -> None:
    """(Re-)create the triggers that count every UPDATE of a versioned table. A table created
    after revision 0013 gets its trigger in its own migration, which names it in ``tables``."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(text(_PG_FUNCTION))
    for table in tables:
        name = f"{table}_next_version"
        if dialect == "sqlite":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            # Recursive triggers are off in SQLite, and the WHEN clause stops at the inner UPDATE anyway.
            conn.execute(text(
                f"CREATE TRIGGER {name} AFTER UPDATE ON {table} FOR EACH ROW WHEN NEW.version = OLD.version "
                f"BEGIN UPDATE {table} SET version = OLD.version + 1 WHERE id = OLD.id; END"
            ))  # fmt: skip
        elif dialect == "postgresql":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            conn.execute(text(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION csdesk_next_version()"
            ))  # fmt: skip


def claim_database(session: Session) -> None:
    """Take the write lock now (SQLite; a no-op elsewhere): what is read next stays current until
    the commit. On SQLite an UPDATE that matches nothing still takes the database's write lock."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE settings SET key = key WHERE 0 = 1"))


def claim_row(session: Session, entity: str, row_id: int) -> int | None:
    """Claim one record (an :data:`ENTITY_TABLES` entity) for this transaction and return its
    current version (None: no such row). PostgreSQL locks the row (other writers of it wait for
    the commit); SQLite takes the write lock."""
    claim_database(session)
    rows = table(ENTITY_TABLES[entity], column("id"), column("version"))
    stmt = select(rows.c.version).where(rows.c.id == row_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    found = session.execute(stmt).scalar_one_or_none()
    return None if found is None else int(found)


# How long an import waits on SQLite for another PC's import to finish (PostgreSQL waits as long as it takes).
_IMPORT_WAIT_MS = 120_000
_SQLITE_WAIT_MS = 5_000  # db._sqlite_pragmas


def claim_area(session: Session, area: str) -> None:
    """Serialise writers of one area for this transaction (imports): the second waits for the first
    to commit and then reads what it wrote, so it counts those rows as already there."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:area))"), {"area": f"csdesk.{area}"})
        return
    session.execute(text(f"PRAGMA busy_timeout = {_IMPORT_WAIT_MS}"))
    try:
        claim_database(session)
    finally:
        session.execute(text(f"PRAGMA busy_timeout = {_SQLITE_WAIT_MS}"))


def last_change(session: Session, entity: str, entity_id: object) -> AuditEntry | None:
    """The audit log's newest entry about one record: who changed it last, when, and how."""
    row = session.scalars(
        select(AuditRow)
        .where(AuditRow.entity == entity, AuditRow.entity_id == str(entity_id))
        .order_by(AuditRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return AuditEntry(row.id, row.at, row.username, row.action, row.entity, row.entity_id, json.loads(row.details or "{}"))
