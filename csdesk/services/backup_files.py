"""What a backup file is, and whether it is sound: SQLite files opened without leaving anything
beside them, checked (integrity, csdesk's tables, the audit chain), written beside their target
and renamed into place only once checked (:mod:`csdesk.services.backup` takes and restores them).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from csdesk.errors import CsdeskError, NotFound, StorageError, ValidationError
from csdesk.i18n import N_
from csdesk.models.audit_triggers import GAP, HASH_MISMATCH, PREV_MISMATCH, ChainBreak
from csdesk.records import record

CANNOT_WRITE = N_("Cannot write the backup {file}: {error}")
BUSY_SECONDS = 5.0  # as the app's own connections (busy_timeout=5000)
# SQLite's answers for a file that is not (or no longer) a sound database.
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

# The tables whose row counts a backup reports (the rest are details of these), with the words
# a person reads for them.
TABLE_NAMES: dict[str, str] = {
    "teams": N_("Teams"),
    "people": N_("People"),
    "users": N_("Users"),
    "roster": N_("Roster days"),
    "punches": N_("Punches"),
    "leave_requests": N_("Leave requests"),
    "evaluation_events": N_("Evaluation events"),
    "ratings": N_("Ratings"),
    "exam_scores": N_("Exam scores"),
    "handover_entries": N_("Handover entries"),
    "callbacks": N_("Callbacks"),
    "audit_log": N_("Audit log"),
}
MAIN_TABLES: tuple[str, ...] = tuple(TABLE_NAMES)


# A restored file whose audit log was rewritten is refused, naming the first broken entry.
CHAIN_BROKEN: dict[str, str] = {
    HASH_MISMATCH: N_(
        "{file} cannot be restored: entry {id} of its audit log was changed (its contents do not match its hash)."
    ),
    PREV_MISMATCH: N_(
        "{file} cannot be restored: entry {id} of its audit log does not point to the entry before it (the chain was altered)."
    ),
    GAP: N_("{file} cannot be restored: entries of its audit log before entry {id} were removed."),
}


def chain_refused(path: Path, broken: ChainBreak) -> ValidationError:
    return ValidationError(CHAIN_BROKEN[broken.problem], field="file", file=str(path), id=broken.id)


def check_chain(path: Path) -> ChainBreak | None:
    """The first broken entry of the audit log in the file at ``path``, or None (also when the file
    predates the chain: the migration builds it)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.orm import Session

    from csdesk.models.repositories import AuditRepository

    engine = create_engine("sqlite://", creator=lambda: open_source(path))
    try:
        with engine.connect() as conn:
            columns = {column["name"] for column in inspect(conn).get_columns("audit_log")}
            if "hash" not in columns:
                return None
            with Session(bind=conn) as session:
                return AuditRepository(session).verify()
    except Exception as exc:  # unreadable rows: check_file has vouched for the file itself
        raise ValidationError(
            N_("{file} is not a csdesk backup: it is not a readable SQLite database ({error})."),
            field="file", file=str(path), error=str(exc),
        ) from exc
    finally:
        engine.dispose()


@record
class BackupCheck:
    revisions: frozenset[str]
    tables: dict[str, int]
    table_count: int


class Unsound(StorageError):
    """The live file cannot be copied as sound data: SQLite finds it damaged, or its copy fails the check."""


def damage_code(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in DAMAGE_CODES


def give_up_when_busy() -> Callable[[int, int, int], None]:
    """A progress callback for ``Connection.backup`` that stops retrying after the busy timeout."""
    since: list[float] = []

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            since.clear()
            return
        since[:] = since or [time.monotonic()]
        if time.monotonic() - since[0] >= BUSY_SECONDS:
            raise sqlite3.OperationalError("database is locked")

    return progress


def file_uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def open_source(path: Path) -> sqlite3.Connection:
    """Read a database file without leaving -wal/-shm files beside someone's backup.

    A plain copy of a WAL-mode file has no -wal of its own: reading it as immutable
    needs no shared memory. With a -wal beside it, it is read normally, WAL included.
    """
    wal = path.with_name(path.name + "-wal")
    uri = file_uri(path, "ro") if wal.exists() else file_uri(path, "ro") + "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None)


def open_live(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(file_uri(path, "rw"), uri=True, timeout=BUSY_SECONDS, isolation_level=None)


def companions(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))


def remove_with_companions(path: Path) -> None:
    for leftover in (path, *companions(path)):
        leftover.unlink(missing_ok=True)


def page_size(path: Path) -> int | None:
    """The live file's page size, or None when SQLite cannot read it (a damaged file)."""
    try:
        with closing(open_live(path)) as conn:
            return int(conn.execute("PRAGMA page_size").fetchone()[0])
    except sqlite3.Error:
        return None


def unsound(path: Path) -> bool:
    """Does SQLite find the live file damaged (asked after a load into it failed)?"""
    try:
        with closing(open_live(path)) as conn:
            return conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok"
    except sqlite3.Error as exc:
        return damage_code(exc)


def unique_path(path: Path) -> Path:
    """``path``, or ``name-2.db``, ``name-3.db``… when it is taken."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def check_file(path: Path, *, thorough: bool = True) -> BackupCheck:
    """Is ``path`` a sound csdesk database? Its revisions and main row counts, else a CsdeskError naming it.

    A file from elsewhere (a restore) gets SQLite's ``integrity_check``; a copy csdesk has just
    made with the backup API gets ``quick_check`` (the same page and record checks without
    comparing every index with its table: four times faster, most of a 2 GB backup's time)."""
    if not path.is_file():
        raise NotFound(N_("The backup file {file} does not exist."), file=str(path))
    not_csdesk = N_("{file} is not a csdesk backup: it has no csdesk tables.")
    try:
        with closing(open_source(path)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check" if thorough else "PRAGMA quick_check")]
            if problems != ["ok"]:
                raise ValidationError(
                    N_("{file} is damaged: its integrity check failed ({error})."),
                    field="file", file=str(path), error="; ".join(problems[:3]),
                )
            if not {"alembic_version", "people"} <= names:
                raise ValidationError(not_csdesk, field="file", file=str(path))
            revisions = frozenset(row[0] for row in conn.execute("SELECT version_num FROM alembic_version"))
            if not revisions:
                raise ValidationError(not_csdesk, field="file", file=str(path))
            counts = {
                t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in MAIN_TABLES if t in names
            }
    except sqlite3.Error as exc:  # a text file, a truncated copy, an unreadable file
        raise ValidationError(
            N_("{file} is not a csdesk backup: it is not a readable SQLite database ({error})."),
            field="file", file=str(path), error=str(exc),
        ) from exc
    return BackupCheck(revisions, counts, len(names))


def part_beside(path: Path, prefix: str, message: str, named: Path) -> Path:
    """A new empty temporary file in ``path``'s folder (renamed into place once written and
    checked, so no half file is ever left under a real name); StorageError ``message`` naming
    ``named`` when the folder cannot take it."""
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=path.parent)
    except OSError as exc:
        raise StorageError(message, file=str(named), error=str(exc)) from exc
    os.close(fd)
    return Path(name)


def publish(part: Path, target: Path) -> BackupCheck:
    """Check the copy csdesk just wrote at ``part``, then rename it to ``target`` (never half a file)."""
    try:
        checked = check_file(part, thorough=False)
    except CsdeskError as exc:
        raise Unsound(
            N_("The copy of the database failed its check, so no backup was written: {error}"), error=exc.message()
        ) from exc
    try:
        os.replace(part, target)
    except OSError as exc:
        raise StorageError(CANNOT_WRITE, file=str(target), error=str(exc)) from exc
    return checked
