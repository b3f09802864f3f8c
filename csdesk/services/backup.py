"""Backing up the SQLite database while csdesk runs, and restoring a backup.

Copies go through SQLite's online backup API, so a backup taken while another
connection writes (WAL) is a consistent snapshot of the last commit. A backup is
written to a temporary file beside its target, checked, then renamed: a failed
backup never leaves half a file. A restore checks the file (and its audit chain) first, makes a safety
copy of the current data, then loads the backup into the live file and migrates it.
A PostgreSQL database is backed up on its server (pg_dump), not here.

Automatic backups (policy ``[backup]``) are taken on exit and once a day, named
``auto-YYYYMMDD-HHMMSS-<reason>.db``; only the newest ``keep`` of them are kept, and manual
backups (``csdesk-*.db``) are never deleted. An automatic backup never raises: a failure is logged.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy.engine import Engine

from csdesk.errors import CsdeskError, NotFound, StorageError, ValidationError
from csdesk.i18n import N_
from csdesk.models.audit_triggers import GAP, HASH_MISMATCH, PREV_MISMATCH, ChainBreak, create_triggers
from csdesk.models.base import schema_heads
from csdesk.models.db import MIGRATIONS_DIR, UowFactory, migrate, sqlite_path
from csdesk.policy import Policy
from csdesk.services.base import SYSTEM, Actor, Service, require

log = logging.getLogger("csdesk.backup")

# Backing up and restoring the whole database is the supervisor's (and director's) job.
PERMISSION = "settings.edit"

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

_CANNOT_WRITE = N_("Cannot write the backup {file}: {error}")
_BUSY_SECONDS = 5.0
AUTOMATIC_REASONS = ("exit", "daily")
# auto-20261015-093000-exit.db, auto-20261015-093000-exit-2.db (a second one in the same second)
_AUTO_NAME = re.compile(r"^auto-(\d{8}-\d{6})-([a-z]+)(?:-(\d+))?\.db$")
# csdesk-20261015-093000.db: a manual backup in the default folder (not csdesk-before-restore-…)
_MANUAL_NAME = re.compile(r"^csdesk-(\d{8}-\d{6})(?:-\d+)?\.db$")
_STAMP = "%Y%m%d-%H%M%S"
_DAILY_AFTER = timedelta(hours=24)  # as the app's own connections (busy_timeout=5000)
_POSTGRES = N_(
    "A PostgreSQL database is backed up and restored on its server with pg_dump and pg_restore, not by csdesk."
)


# A restored file whose audit log was rewritten is refused, naming the first broken entry.
_CHAIN_BROKEN: dict[str, str] = {
    HASH_MISMATCH: N_(
        "{file} cannot be restored: entry {id} of its audit log was changed (its contents do not match its hash)."
    ),
    PREV_MISMATCH: N_(
        "{file} cannot be restored: entry {id} of its audit log does not point to the entry before it (the chain was altered)."
    ),
    GAP: N_("{file} cannot be restored: entries of its audit log before entry {id} were removed."),
}


def _chain_refused(path: Path, broken: ChainBreak) -> ValidationError:
    return ValidationError(_CHAIN_BROKEN[broken.problem], field="file", file=str(path), id=broken.id)


def check_chain(path: Path) -> ChainBreak | None:
    """The first broken entry of the audit log in the file at ``path``, or None (also when the file
    predates the chain: the migration builds it)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.orm import Session

    from csdesk.models.repositories import AuditRepository

    engine = create_engine("sqlite://", creator=lambda: _open_source(path))
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


@dataclass(frozen=True)
class BackupResult:
    """A checked backup file: where, how big, and the row counts of the main tables."""

    path: Path
    bytes: int
    tables: dict[str, int]
    table_count: int
    revisions: tuple[str, ...]


@dataclass(frozen=True)
class RestoreResult:
    """What was restored into which database, and where the previous data was kept."""

    source: Path
    database: Path
    safety_copy: Path
    tables: dict[str, int]
    revisions: tuple[str, ...]  # the backup's schema revision(s), before migrating
    migrated: bool


@dataclass(frozen=True)
class BackupCheck:
    revisions: frozenset[str]
    tables: dict[str, int]
    table_count: int


@cache
def known_revisions() -> frozenset[str]:
    """Every schema revision this program has a migration for (the heads and their ancestors)."""
    from alembic.script import ScriptDirectory

    return frozenset(script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions())


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _open_source(path: Path) -> sqlite3.Connection:
    """Read a database file without leaving -wal/-shm files beside someone's backup.

    A plain copy of a WAL-mode file has no -wal of its own: reading it as immutable
    needs no shared memory. With a -wal beside it, it is read normally, WAL included.
    """
    wal = path.with_name(path.name + "-wal")
    uri = _uri(path, "ro") if wal.exists() else _uri(path, "ro") + "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=_BUSY_SECONDS, isolation_level=None)


def _open_live(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(_uri(path, "rw"), uri=True, timeout=_BUSY_SECONDS, isolation_level=None)


def _remove(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def _unique(path: Path) -> Path:
    """``path``, or ``name-2.db``, ``name-3.db``… when it is taken."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def check_file(path: Path) -> BackupCheck:
    """Is ``path`` a sound csdesk database? Its revisions and main row counts, else a CsdeskError naming it."""
    if not path.is_file():
        raise NotFound(N_("The backup file {file} does not exist."), file=str(path))
    not_csdesk = N_("{file} is not a csdesk backup: it has no csdesk tables.")
    try:
        with closing(_open_source(path)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
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


class BackupService(Service):
    """``backup`` and ``restore`` of the SQLite database the context uses."""

    def __init__(
        self, uow: UowFactory, policy: Policy, clock: Callable[[], datetime] = datetime.now, *, db_url: str, data_dir: Path
    ) -> None:
        super().__init__(uow, policy, clock)
        self._db_url = db_url
        self._data_dir = data_dir

    # --- what the screens ask before offering the buttons ----------------------------

    def allowed(self, actor: Actor) -> bool:
        return actor.can(PERMISSION)

    def unsupported(self) -> CsdeskError | None:
        """Why this database cannot be backed up here (PostgreSQL, in-memory), or None."""
        if sqlite_path(self._db_url) is not None:
            return None
        if self._db_url.startswith("sqlite"):
            return ValidationError(
                N_("The database {url} is not a file, so there is nothing to back up."), url=self._db_url
            )
        return ValidationError(_POSTGRES)

    @property
    def backups_folder(self) -> Path:
        """Where backups and safety copies go: ``backups`` in the user data folder."""
        return self._data_dir / "backups"

    def backups_dir(self) -> Path:
        """:attr:`backups_folder`, created if it is not there yet."""
        folder = self.backups_folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(_CANNOT_WRITE, file=str(folder), error=str(exc)) from exc
        return folder

    def default_backup_path(self) -> Path:
        """``backups/csdesk-YYYYMMDD-HHMMSS.db``, not yet taken."""
        return _unique(self.backups_dir() / f"csdesk-{self.now():%Y%m%d-%H%M%S}.db")

    # --- the use cases ------------------------------------------------------------------

    def backup(self, actor: Actor, out: Path | None = None) -> BackupResult:
        """A consistent, checked copy of the live database at ``out`` (default: the backups folder)."""
        require(actor, PERMISSION)
        live = self._live_path()
        if out is None:
            target = self.default_backup_path()
        else:
            target = out.expanduser().absolute()
            if target.is_dir():
                target = _unique(target / f"csdesk-{self.now():%Y%m%d-%H%M%S}.db")
        in_use = {live.resolve(), *(live.resolve().with_name(live.name + s) for s in ("-wal", "-shm"))}
        if target.resolve() in in_use:
            raise ValidationError(
                N_("A backup cannot overwrite the database in use: {file}"), field="out", file=str(target)
            )
        checked = self._copy(live, target)
        size = target.stat().st_size
        with self._uow() as uow:
            self.audit(uow, actor, "backup.create", "database", live.name, path=str(target), bytes=size)
            uow.commit()
        return BackupResult(target, size, checked.tables, checked.table_count, tuple(sorted(checked.revisions)))

    def automatic(self, reason: str) -> Path | None:
        """An automatic backup (``reason`` "exit" or "daily") in the backups folder, then the oldest
        automatic ones beyond ``backup.keep`` deleted. Its path, or None: not SQLite (nothing is
        written), or it failed (logged, never raised: closing the app must not depend on it)."""
        if reason not in AUTOMATIC_REASONS:
            raise ValueError(f"unknown automatic backup reason {reason!r}")  # a bug in the caller
        if sqlite_path(self._db_url) is None:
            return None
        target: Path | None = None
        try:
            live = self._live_path()
            target = _unique(self.backups_dir() / f"auto-{self.now():{_STAMP}}-{reason}.db")
            self._copy(live, target)
            size = target.stat().st_size
            deleted = self._rotate()
            with self._uow() as uow:
                self.audit(
                    uow, SYSTEM, "backup.automatic", "database", live.name,
                    path=str(target), bytes=size, reason=reason, deleted=deleted,
                )
                uow.commit()
        except Exception as exc:  # an automatic backup must never stop the app
            detail = exc.message() if isinstance(exc, CsdeskError) else f"{type(exc).__name__}: {exc}"
            log.error("automatic backup (%s) failed: %s", reason, detail, exc_info=not isinstance(exc, CsdeskError))
            return None
        log.info("automatic backup (%s) written to %s", reason, target)
        return target

    def daily_due(self) -> bool:
        """Is a daily automatic backup due: policy ``backup.daily`` on, the database SQLite, and no
        automatic or manual backup in the backups folder made in the last 24 hours (service clock)?"""
        if not self.policy.backup.daily or sqlite_path(self._db_url) is None:
            return False
        now = self.now()
        return not any(now - _DAILY_AFTER < stamp <= now for stamp in self._backup_times())

    def automatic_backups(self) -> list[Path]:
        """The automatic backups in the backups folder, oldest first."""
        folder = self.backups_folder
        try:
            names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        except OSError:
            return []
        found = []
        for name in names:
            match = _AUTO_NAME.match(name)
            if match:
                path = folder / name
                try:
                    written = path.stat().st_mtime_ns  # orders two made in the same second
                except OSError:
                    continue
                found.append(((match.group(1), written, int(match.group(3) or 1), name), path))
        return [path for _key, path in sorted(found)]

    def _backup_times(self) -> list[datetime]:
        """When each automatic or manual backup in the backups folder was made (from its name)."""
        folder = self.backups_folder
        try:
            names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        except OSError as exc:
            log.warning("cannot list the backups folder %s: %s", folder, exc)
            return []
        times = []
        for name in names:
            match = _AUTO_NAME.match(name) or _MANUAL_NAME.match(name)
            if match:
                try:
                    times.append(datetime.strptime(match.group(1), _STAMP))
                except ValueError:
                    continue
        return times

    def _rotate(self) -> list[str]:
        """Delete the oldest automatic backups beyond ``backup.keep``; the names deleted."""
        keep = self.policy.backup.keep
        autos = self.automatic_backups()
        deleted = []
        for path in autos[: max(len(autos) - keep, 0)]:
            try:
                path.unlink()
            except OSError as exc:  # kept for the next rotation; the new backup stands
                log.warning("cannot delete the old automatic backup %s: %s", path, exc)
                continue
            deleted.append(path.name)
        return deleted

    def restore(self, actor: Actor, path: Path) -> RestoreResult:
        """Replace the live data with the backup at ``path``; the current data is kept in a safety copy first."""
        require(actor, PERMISSION)
        live = self._live_path()
        source = path.expanduser().absolute()
        if source.exists() and source.resolve() == live.resolve():
            raise ValidationError(
                N_("{file} is the database in use; choose a backup file."), field="file", file=str(source)
            )
        checked = check_file(source)
        unknown = checked.revisions - known_revisions()
        if unknown:
            raise ValidationError(
                N_("{file} comes from a newer version of csdesk (schema {revision}); update csdesk before restoring it."),
                field="file", file=str(source), revision=", ".join(sorted(unknown)),
            )
        broken = check_chain(source)
        if broken is not None:
            raise _chain_refused(source, broken)
        safety = _unique(self.backups_dir() / f"csdesk-before-restore-{self.now():%Y%m%d-%H%M%S}.db")
        self._copy(live, safety)
        engine = self._engine()
        engine.dispose()  # no pooled connection keeps pages of the data being replaced
        self._load(source, live)
        try:
            migrate(engine)  # an older backup is brought up to this program's schema (and its audit chain built)
            with engine.begin() as conn:  # a copied file may have lost its triggers: make them anew
                create_triggers(conn)
            with self._uow() as uow:
                broken = uow.audit.verify()
            if broken is not None:
                raise _chain_refused(source, broken)
            with self._uow() as uow:
                self.audit(
                    uow, actor, "backup.restore", "database", live.name,
                    source=str(source), safety_copy=str(safety), revisions=sorted(checked.revisions),
                )
                uow.commit()
        except BaseException:
            # Migrating, checking the audit chain or auditing failed: put the previous data back.
            engine.dispose()
            self._load(safety, live)
            raise
        finally:
            engine.dispose()
        return RestoreResult(
            source, live, safety, checked.tables, tuple(sorted(checked.revisions)), checked.revisions != schema_heads()
        )

    # --- helpers ------------------------------------------------------------------------

    def _live_path(self) -> Path:
        problem = self.unsupported()
        if problem is not None:
            raise problem
        path = sqlite_path(self._db_url)
        assert path is not None
        return path

    def _engine(self) -> Engine:
        """The engine behind the unit of work, whose pooled connections a restore closes."""
        with self._uow() as uow:
            return uow.session.get_bind().engine

    def _copy(self, live: Path, target: Path) -> BackupCheck:
        """Online backup of ``live`` to a temporary file beside ``target``, checked, then renamed."""
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        except OSError as exc:
            raise StorageError(_CANNOT_WRITE, file=str(target), error=str(exc)) from exc
        os.close(fd)
        part = Path(name)
        try:
            try:
                with closing(_open_live(live)) as source, closing(sqlite3.connect(part, isolation_level=None)) as dest:
                    source.backup(dest)  # all pages in one step: one read snapshot of the last commit
                    dest.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            except sqlite3.Error as exc:
                raise StorageError(_CANNOT_WRITE, file=str(target), error=str(exc)) from exc
            try:
                checked = check_file(part)
            except CsdeskError as exc:
                raise StorageError(
                    N_("The copy of the database failed its check, so no backup was written: {error}"), error=exc.message()
                ) from exc
            try:
                os.replace(part, target)
            except OSError as exc:
                raise StorageError(_CANNOT_WRITE, file=str(target), error=str(exc)) from exc
        finally:
            _remove(part)
        return checked

    def _load(self, source: Path, live: Path) -> None:
        """Copy every page of ``source`` into the live file (one write transaction: all or nothing)."""
        try:
            with closing(_open_source(source)) as src, closing(_open_live(live)) as dest:
                # SQLite cannot change the page size of a WAL-mode destination during a backup
                # (https://sqlite.org/c3ref/backup_finish.html): leave WAL for the copy, then return.
                resize = src.execute("PRAGMA page_size").fetchone() != dest.execute("PRAGMA page_size").fetchone()
                mode = dest.execute("PRAGMA journal_mode").fetchone()[0]
                if resize:
                    dest.execute("PRAGMA journal_mode=DELETE")
                src.backup(dest)
                if resize:
                    dest.execute(f"PRAGMA journal_mode={mode}")
        except sqlite3.Error as exc:
            raise StorageError(
                N_("The database could not be restored from {file}: {error}"), file=str(source), error=str(exc)
            ) from exc

