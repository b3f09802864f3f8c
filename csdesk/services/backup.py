"""Backing up the SQLite database while csdesk runs, and restoring a backup.

Copies go through SQLite's online backup API, so a backup taken while another
connection writes (WAL) is a consistent snapshot of the last commit. A backup is
written to a temporary file beside its target, checked, then renamed: a failed
backup never leaves half a file. A PostgreSQL database is backed up on its server (pg_dump), not here.

A restore checks the file (and its audit chain) first, then prepares the data to load in a
temporary file beside the database: the backup, migrated to this program's schema, its audit
triggers made anew and the restore's own audit entry appended. Only then is the live file touched,
in ONE write transaction of the backup API: its first step takes SQLite's write lock on the live
database (waiting at most the busy timeout, else the restore is refused and nothing changes), the
safety copy of the last commit is taken while that lock is held, and the remaining pages are
copied and committed. No other writer can commit between the safety copy and the load: a commit
before the lock is in the safety copy, one that waits for the lock lands on top of the restored
data (or fails with "database is locked"), and none is reported as written and then lost.

A live file too damaged to be safety-copied (failed integrity check, "file is not a database",
"malformed") is kept byte for byte instead, as ``backups/csdesk-damaged-YYYYMMDD-HHMMSS.db`` (with
its -wal and -shm), and the backup is restored over it: loaded in place under the write lock when
SQLite can still lock the file, else (a garbage or truncated file nobody can write to) the
prepared file replaces it.

Automatic backups (policy ``[backup]``) are taken on exit and once a day, named
``auto-YYYYMMDD-HHMMSS-<reason>.db``; only the newest ``keep`` of them are kept, and manual
backups (``csdesk-*.db``) are never deleted. An automatic backup never raises: a failure is logged.

How a file is opened, checked and put in place is :mod:`csdesk.services.backup_files`.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from csdesk.errors import CsdeskError, StorageError, ValidationError
from csdesk.i18n import N_
from csdesk.models.audit_triggers import create_triggers
from csdesk.models.base import schema_heads
from csdesk.models.db import MIGRATIONS_DIR, UowFactory, make_engine, migrate, sqlite_path, uow_factory
from csdesk.policy import Policy
from csdesk.records import record
from csdesk.services.backup_files import (
    CANNOT_WRITE,
    BackupCheck,
    Unsound,
    chain_refused,
    check_chain,
    check_file,
    companions,
    damage_code,
    give_up_when_busy,
    open_live,
    open_source,
    page_size,
    part_beside,
    publish,
    remove_with_companions,
    unique_path,
    unsound,
)
from csdesk.services.base import SYSTEM, Actor, Service, require

log = logging.getLogger("csdesk.backup")

# Backing up and restoring the whole database is the supervisor's (and director's) job.
PERMISSION = "settings.edit"

AUTOMATIC_REASONS = ("exit", "daily")
# auto-20261015-093000-exit.db, auto-20261015-093000-exit-2.db (a second one in the same second)
_AUTO_NAME = re.compile(r"^auto-(\d{8}-\d{6})-([a-z]+)(?:-(\d+))?\.db$")
# csdesk-20261015-093000.db: a manual backup in the default folder (not csdesk-before-restore-…)
_MANUAL_NAME = re.compile(r"^csdesk-(\d{8}-\d{6})(?:-\d+)?\.db$")
_STAMP = "%Y%m%d-%H%M%S"
_DAILY_AFTER = timedelta(hours=24)
_POSTGRES = N_(
    "A PostgreSQL database is backed up and restored on its server with pg_dump and pg_restore, not by csdesk."
)
_NOT_RESTORED = N_("The database could not be restored from {file}: {error}")
_WRITER_BUSY = N_("Another program is writing to the database; try the restore again when it has finished.")
# What the backup API copies per step while restoring. The first step takes the write lock and copies
# this much into the connection's page cache (uncommitted and not yet in any file: far below the
# default cache of 2,000 KiB, so nothing spills); the safety copy is taken right after it, inside the lock.
_STEP_BYTES = 256 * 1024


@record
class BackupResult:
    """A checked backup file: where, how big, and the row counts of the main tables."""

    path: Path
    bytes: int
    tables: dict[str, int]
    table_count: int
    revisions: tuple[str, ...]


@record
class RestoreResult:
    """What was restored into which database, and where the previous data was kept."""

    source: Path
    database: Path
    safety_copy: Path | None  # None when the live file was damaged: see damaged_copy
    tables: dict[str, int]
    revisions: tuple[str, ...]  # the backup's schema revision(s), before migrating
    migrated: bool
    # The live file as it was, byte for byte, when it was too damaged for a safety copy.
    damaged_copy: Path | None = None


@cache
def known_revisions() -> frozenset[str]:
    """Every schema revision this program has a migration for (the heads and their ancestors)."""
    from alembic.script import ScriptDirectory

    return frozenset(script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions())


class _LiveDamaged(Exception):
    """Internal: the restore found the live file damaged; it starts again keeping the file as it is."""


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
            raise StorageError(CANNOT_WRITE, file=str(folder), error=str(exc)) from exc
        return folder

    def default_backup_path(self) -> Path:
        """``backups/csdesk-YYYYMMDD-HHMMSS.db``, not yet taken."""
        return unique_path(self.backups_dir() / f"csdesk-{self.now():%Y%m%d-%H%M%S}.db")

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
                target = unique_path(target / f"csdesk-{self.now():%Y%m%d-%H%M%S}.db")
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
            target = unique_path(self.backups_dir() / f"auto-{self.now():{_STAMP}}-{reason}.db")
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
        """Replace the live data with the backup at ``path``; the current data is kept in a safety copy
        (or, when the live file is damaged, the file itself as it was) first. See the module's docstring."""
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
            raise chain_refused(source, broken)
        folder = self.backups_dir()
        stamp = f"{self.now():{_STAMP}}"
        engine = self._engine()
        engine.dispose()  # no pooled connection keeps pages of the data being replaced
        try:
            safety: Path | None = unique_path(folder / f"csdesk-before-restore-{stamp}.db")
            damaged: Path | None = None
            try:
                self._restore_into(actor, source, live, checked, safety=safety)
            except _LiveDamaged:
                safety, damaged = None, unique_path(folder / f"csdesk-damaged-{stamp}.db")
                self._restore_into(actor, source, live, checked, damaged=damaged)
                log.warning("restored %s over the damaged database %s, kept as %s", source, live, damaged)
        finally:
            engine.dispose()
        return RestoreResult(
            source, live, safety, checked.tables, tuple(sorted(checked.revisions)), checked.revisions != schema_heads(),
            damaged_copy=damaged,
        )

    def _restore_into(
        self, actor: Actor, source: Path, live: Path, checked: BackupCheck,
        *, safety: Path | None = None, damaged: Path | None = None,
    ) -> None:
        """Prepare the backup beside ``live``, then load it: with a safety copy at ``safety`` (raises
        _LiveDamaged when the live file turns out damaged), or keeping the damaged file at ``damaged``."""
        kept = {"safety_copy": str(safety)} if safety is not None else {"damaged_copy": str(damaged)}
        details = {"source": str(source), **kept, "revisions": sorted(checked.revisions)}
        staged = self._stage(source, live, page_size(live), actor, details)
        try:
            try:
                self._load_locked(staged, live, source, safety=safety, damaged=damaged)
            except _LiveDamaged:
                if damaged is None:
                    raise
                # SQLite cannot even lock the file (garbage, truncated): nobody can write to it either.
                # Keep it as it is, then the prepared file takes its place.
                self._replace(staged, live, source, damaged)
        finally:
            remove_with_companions(staged)

    def _stage(self, source: Path, live: Path, page_size: int | None, actor: Actor, details: dict[str, object]) -> Path:
        """A temporary file beside ``live`` holding exactly what the live file will hold: the backup, migrated,
        its audit triggers made anew, its audit chain checked, and the restore's audit entry appended.
        Nothing here touches the live database: a failure leaves it as it was."""
        staged = part_beside(live, f".{live.name}.restore-", _NOT_RESTORED, source)
        try:
            try:
                with closing(open_source(source)) as src, closing(sqlite3.connect(staged, isolation_level=None)) as dest:
                    src.backup(dest)
                    dest.execute("PRAGMA journal_mode=DELETE")
                    # A WAL-mode database cannot change its page size during a backup into it
                    # (https://sqlite.org/c3ref/backup_finish.html): the prepared file takes the live one's.
                    if page_size is not None and int(dest.execute("PRAGMA page_size").fetchone()[0]) != page_size:
                        dest.execute(f"PRAGMA page_size = {int(page_size)}")
                        dest.execute("VACUUM")
            except sqlite3.Error as exc:
                raise StorageError(_NOT_RESTORED, file=str(source), error=str(exc)) from exc
            engine = make_engine(f"sqlite:///{staged}")
            try:
                migrate(engine)  # an older backup is brought up to this program's schema (and its audit chain built)
                with engine.begin() as conn:  # a copied file may have lost its triggers: make them anew
                    create_triggers(conn)
                uow = uow_factory(sessionmaker(engine, expire_on_commit=False))
                with uow() as unit:
                    broken = unit.audit.verify()
                if broken is not None:
                    raise chain_refused(source, broken)
                with uow() as unit:
                    self.audit(unit, actor, "backup.restore", "database", live.name, **details)
                    unit.commit()
            finally:
                engine.dispose()
            try:
                with closing(sqlite3.connect(staged, isolation_level=None)) as conn:
                    conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file again (the engine used WAL)
            except sqlite3.Error as exc:
                raise StorageError(_NOT_RESTORED, file=str(source), error=str(exc)) from exc
        except BaseException:
            remove_with_companions(staged)
            raise
        return staged

    def _load_locked(self, staged: Path, live: Path, source: Path, *, safety: Path | None, damaged: Path | None) -> None:
        """Copy every page of ``staged`` into the live file in one write transaction, keeping the data
        it replaces first (a safety copy at ``safety``, or the file byte for byte at ``damaged``).

        The backup API's first step takes the live file's write lock (waiting at most the busy
        timeout: else the restore is refused) and copies a few pages into its cache, uncommitted.
        The progress callback then keeps the last commit, which no one can change before the load
        commits: in WAL mode another connection reads it (readers go on while one connection
        writes); in rollback-journal mode the backup holds an EXCLUSIVE lock that no reader passes,
        but the file itself is still the last commit (nothing was written to it yet), so its bytes
        are copied. An exception in the callback abandons the backup: the transaction rolls back and
        the live file is as it was.
        """
        made: list[Path] = []
        wal = True

        def locked(status: int, _remaining: int, _total: int) -> None:
            if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise StorageError(_WRITER_BUSY)
            if made or status != sqlite3.SQLITE_OK:
                return
            # The first step copied fewer pages than the file has (see ``step`` below): nothing is
            # committed yet, and this connection holds the write lock until the last step commits.
            if damaged is not None:
                made.extend(self._keep_damaged(live, damaged))
                return
            assert safety is not None
            made.append(safety)
            try:
                if wal:
                    self._copy(live, safety)
                else:
                    self._copy_file(live, safety)
            except Unsound as exc:
                log.warning("the database %s cannot be safety-copied: %s", live, exc.message())
                raise _LiveDamaged() from exc

        try:
            try:
                with closing(open_source(staged)) as src, closing(open_live(live)) as dest:
                    pages = int(src.execute("PRAGMA page_count").fetchone()[0])
                    page_size = int(src.execute("PRAGMA page_size").fetchone()[0])
                    if pages < 2:  # a csdesk database has dozens of tables; one step must not copy everything
                        raise StorageError(_NOT_RESTORED, file=str(source), error="page_count < 2")
                    wal = str(dest.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
                    step = max(1, min(pages - 1, _STEP_BYTES // page_size))
                    src.backup(dest, pages=step, progress=locked)
            except sqlite3.Error as exc:
                # The prepared file was just written; a damaged live file cannot be locked or written.
                if damage_code(exc) and unsound(live):
                    raise _LiveDamaged() from exc
                raise StorageError(_NOT_RESTORED, file=str(source), error=str(exc)) from exc
        except BaseException:
            for path in made:  # the restore did not happen: no safety copy of it stays behind
                path.unlink(missing_ok=True)
            raise

    def _copy_file(self, live: Path, target: Path) -> None:
        """The bytes of a rollback-journal database that nobody can write (the restore holds its
        EXCLUSIVE lock), checked, at ``target``; Unsound when the check fails."""
        part = part_beside(target, f".{target.name}.", CANNOT_WRITE, target)
        try:
            try:
                shutil.copyfile(live, part)
            except OSError as exc:
                raise StorageError(CANNOT_WRITE, file=str(target), error=str(exc)) from exc
            publish(part, target)
        finally:
            remove_with_companions(part)

    def _keep_damaged(self, live: Path, target: Path, *, journal: bool = False) -> list[Path]:
        """Copy the damaged live file byte for byte to ``target`` (and its -wal, with the -shm, when
        the -wal holds anything; with ``journal``, a rollback journal left beside it); the copies
        made. Called while the restore holds the write lock (whose own journal is not copied), or
        for a file nobody can lock: it does not change while it is copied."""
        pairs = [(live, target)]
        wal = live.with_name(live.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            pairs += [(live.with_name(live.name + s), target.with_name(target.name + s)) for s in ("-wal", "-shm")]
        hot = live.with_name(live.name + "-journal")
        if journal and hot.is_file() and hot.stat().st_size > 0:
            pairs.append((hot, target.with_name(target.name + "-journal")))
        made: list[Path] = []
        try:
            for original, copy in pairs:
                if not original.exists():
                    continue
                part = copy.with_name(f".{copy.name}.part")
                try:
                    shutil.copyfile(original, part)
                    os.replace(part, copy)
                finally:
                    part.unlink(missing_ok=True)
                made.append(copy)
        except OSError as exc:
            for copy in made:
                copy.unlink(missing_ok=True)
            raise StorageError(CANNOT_WRITE, file=str(target), error=str(exc)) from exc
        return made

    def _replace(self, staged: Path, live: Path, source: Path, damaged: Path) -> None:
        """Keep the damaged live file as it is at ``damaged``, then put the prepared file in its place."""
        try:
            with closing(sqlite3.connect(staged, isolation_level=None)) as conn:
                conn.execute("PRAGMA journal_mode=WAL")  # as the live file was (closing leaves no -wal)
            check_file(staged)
        except sqlite3.Error as exc:
            raise StorageError(_NOT_RESTORED, file=str(source), error=str(exc)) from exc
        except CsdeskError as exc:
            raise StorageError(_NOT_RESTORED, file=str(source), error=exc.message()) from exc
        self._keep_damaged(live, damaged, journal=True)
        try:
            # Its -wal, -shm and journal belong to the damaged file: SQLite would read them into the new one.
            # (The copies at ``damaged`` stay, also when this fails: they are all that is left of it.)
            for companion in companions(live):
                companion.unlink(missing_ok=True)
            os.replace(staged, live)
        except OSError as exc:
            raise StorageError(_NOT_RESTORED, file=str(source), error=str(exc)) from exc

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
        part = part_beside(target, f".{target.name}.", CANNOT_WRITE, target)
        try:
            try:
                with closing(open_live(live)) as source, closing(sqlite3.connect(part, isolation_level=None)) as dest:
                    # All pages in one step: one read snapshot of the last commit. (Python retries a busy
                    # step for ever: give up after the busy timeout, as a query would.)
                    source.backup(dest, progress=give_up_when_busy())
                    dest.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            except sqlite3.Error as exc:
                # "file is not a database", "malformed": the live file is damaged (a restore keeps it as it is).
                problem = Unsound if damage_code(exc) else StorageError
                raise problem(CANNOT_WRITE, file=str(target), error=str(exc)) from exc
            checked = publish(part, target)
        finally:
            remove_with_companions(part)
        return checked
