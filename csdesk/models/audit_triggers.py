"""The audit log's hash chain and the triggers that keep the log append-only.

Shared by the migration that introduced the chain (``0012_audit_chain``), the repository
(:class:`csdesk.models.repositories.AuditRepository`) and ``restore`` (which re-creates the
triggers of a restored file and checks its chain).

The chain
---------
Every entry stores ``prev_hash`` (the ``hash`` of the entry before it in id order; 64 zeros for
the first) and its own ``hash``: the SHA-256, in lower-case hex, of the UTF-8 bytes of the JSON
array ::

    [id, at, username, action, entity, entity_id, details, prev_hash]

written by ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``, where ``id`` is the
integer id, ``at`` is ``datetime.isoformat()`` of the stored (naive) time as it reads back
(``2026-10-15T09:30:00``; microseconds only when not zero), ``details`` is the details JSON text
exactly as stored, and the others are the stored strings. Changing any stored field of an entry
breaks its hash; removing an entry breaks the link of the one after it. (Anyone able to rewrite
the whole file could recompute every hash after their change; the chain makes edits evident,
it is not a signature. A removed tail of the log is not detectable from the chain alone.)

The triggers
------------
SQLite refuses ``UPDATE`` and ``DELETE`` and any ``INSERT`` whose id is not above the current
greatest id (what ``INSERT OR REPLACE``/``REPLACE``/an upsert of an existing entry does: REPLACE
deletes the old row without firing DELETE triggers) or that carries no hash. PostgreSQL does
the same with two trigger functions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import text

from csdesk.records import record

GENESIS = "0" * 64  # prev_hash of the first entry

# What is wrong with an entry (ChainBreak.problem).
HASH_MISMATCH = "hash"  # its stored fields do not give its hash: the entry was changed
PREV_MISMATCH = "prev_hash"  # it does not point at the entry before it
GAP = "gap"  # entries before it are missing (its prev_hash and its id both skip)


@record
class ChainBreak:
    """The first entry at which the chain does not hold."""

    id: int
    problem: str  # HASH_MISMATCH, PREV_MISMATCH or GAP


def entry_hash(
    entry_id: int, at: datetime, username: str, action: str, entity: str, entity_id: str, details: str, prev_hash: str
) -> str:
    """The hash of one entry (the serialisation is described in the module's docstring)."""
    payload = json.dumps(
        [int(entry_id), at.isoformat(), username, action, entity, entity_id, details, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def first_break(rows: Iterable[Any]) -> tuple[int, ChainBreak | None]:
    """Walk ``rows`` (id, at, username, action, entity, entity_id, details, prev_hash, hash) in id
    order: how many there are and the first broken entry, or None when the chain holds.

    A gap in the ids is only a break when the links skip too: a sequence that skipped numbers
    (a rolled-back insert on PostgreSQL) was chained across the gap and stays valid.
    """
    count = 0
    prev_id: int | None = None
    prev = GENESIS
    broken: ChainBreak | None = None
    for entry_id, at, username, action, entity, entity_id, details, prev_hash, stored in rows:
        count += 1
        if broken is not None:
            continue  # keep counting
        if prev_hash != prev:
            skipped = entry_id != (1 if prev_id is None else prev_id + 1)
            broken = ChainBreak(entry_id, GAP if skipped else PREV_MISMATCH)
        elif stored != entry_hash(entry_id, at, username, action, entity, entity_id, details or "", prev_hash or ""):
            broken = ChainBreak(entry_id, HASH_MISMATCH)
        prev_id, prev = entry_id, stored
    return count, broken


# --- triggers -----------------------------------------------------------------------------

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
    "DROP TRIGGER IF EXISTS audit_log_no_rewrite",
]
_SQLITE_CREATE = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    # NEW.id is -1 here when the insert leaves the id to SQLite: refused too (the repository
    # always gives the id, since it is part of the hash).
    """CREATE TRIGGER audit_log_no_rewrite BEFORE INSERT ON audit_log
       WHEN NEW.id IS NULL OR NEW.id <= (SELECT coalesce(max(id), 0) FROM audit_log)
            OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]
_PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_insert_check ON audit_log",
]
_PG_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE OR REPLACE FUNCTION audit_log_insert_check() RETURNS trigger AS $$
       BEGIN
         IF NEW.id IS NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
            OR NEW.id <= (SELECT coalesce(max(id), 0) FROM audit_log) THEN
           RAISE EXCEPTION 'audit_log is append-only';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_log_insert_check BEFORE INSERT ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_insert_check()""",
]


def drop_triggers(conn: Any) -> None:
    """Remove the audit log's triggers (old and new) on a SQLAlchemy connection."""
    dialect = conn.dialect.name
    for stmt in _SQLITE_DROP if dialect == "sqlite" else _PG_DROP if dialect == "postgresql" else []:
        conn.execute(text(stmt))


def create_triggers(conn: Any) -> None:
    """(Re)create the audit log's triggers on a SQLAlchemy connection (any older ones are dropped)."""
    drop_triggers(conn)
    dialect = conn.dialect.name
    for stmt in _SQLITE_CREATE if dialect == "sqlite" else _PG_CREATE if dialect == "postgresql" else []:
        conn.execute(text(stmt))
