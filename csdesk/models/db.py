"""Engine, migrations and the unit of work.

SQLite is the embedded default (WAL, foreign keys on, a busy timeout); a
``postgresql+psycopg://`` URL selects a shared server. The schema is brought to
the head revision on first use.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from csdesk.errors import DatabaseUnreadable, StorageError
from csdesk.i18n import N_
from csdesk.models.repositories import (
    AuditRepository,
    PersonRepository,
    RosterRepository,
    SettingRepository,
    TeamRepository,
    UserRepository,
)
from csdesk.models.base import schema_heads
from csdesk.models.repo_months import MonthRepository

if TYPE_CHECKING:
    from csdesk.models.domain import AuditEntry
    from csdesk.models.repo_attendance import AttendanceRepository
    from csdesk.models.repo_callbacks import CallbackRepository
    from csdesk.models.repo_disputes import DisputeRepository
    from csdesk.models.repo_handover import HandoverRepository
    from csdesk.models.repo_qa import QaRepository
    from csdesk.models.repo_scorecards import ScorecardRepository

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("csdesk", appauthor=False))


def resolve_url(value: str | None = None) -> str:
    """``--db`` value, else ``CSDESK_DB``, else ``csdesk.db`` in the user data folder.

    A bare path means SQLite at that path; anything with ``://`` is a SQLAlchemy URL.
    """
    value = value or os.environ.get("CSDESK_DB") or ""
    if not value:
        value = str(default_data_dir() / "csdesk.db")
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///") :])
    return None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and the pragmas set."""
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(N_("Cannot create the database folder {path}"), path=str(path.parent)) from exc
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StorageError(N_("Cannot open the database {url}: {error}"), url=url, error=str(exc)) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return frozenset()
        return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def migrate(engine: Engine) -> None:
    """Bring the schema to the head revision (cheap when it already is)."""
    try:
        if current_revisions(engine) == schema_heads():
            return
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
    except OperationalError as exc:
        raise StorageError(N_("Cannot open the database {url}: {error}"), url=str(engine.url), error=str(exc.orig)) from exc
    except DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
        raise DatabaseUnreadable(
            N_("The database {url} cannot be read ({error}). If the file is damaged, restore a backup over it: csdesk restore BACKUP_FILE"),
            url=str(engine.url), error=str(exc.orig),
        ) from exc


def open_database(url: str, *, migrated: bool = True) -> sessionmaker[Session]:
    """Engine + migrations + a session factory (``expire_on_commit=False``). ``migrated=False``
    opens without reading the file at all (a restore over a database SQLite cannot read)."""
    engine = make_engine(url)
    if migrated:
        migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)


# Set inside ``never_commit()``: units of work begun there (in this thread) never commit.
_NEVER_COMMIT: ContextVar[bool] = ContextVar("csdesk_never_commit", default=False)


@contextmanager
def never_commit() -> Iterator[None]:
    """A dry run: every unit of work begun inside (in this thread) writes and flushes where it
    would commit, so the action sees and counts everything it would write, and then rolls back,
    its audit entry with it. Exact for an action that writes in one unit of work (every import)."""
    token = _NEVER_COMMIT.set(True)
    try:
        yield
    finally:
        _NEVER_COMMIT.reset(token)


_keep_last = False  # set by keep_last_memo(): the command line's process
_kept: dict[object, object] = {}  # the last memo left for the process's end


def keep_last_memo(keep: bool = True) -> None:
    """Leave the last unit of work's memo for the end of the process: the command line's entry
    point, whose process ends with ``os._exit`` right after its command and so frees nothing.
    Freeing a computed month took 30-50 ms of each command (a month's scorecards, its lock, a
    what-if). The memo before it is still released when the next unit of work ends, so a command
    that computes months one after another (a what-if's range) keeps at most one of them."""
    global _keep_last
    _keep_last = keep


def release(memo: dict[object, object]) -> None:
    """Free what a unit of work computed, now and a piece at a time (see also
    :func:`keep_last_memo`).

    Now: a month computed in the memo can be a million objects, and services built over a shared
    unit of work (the what-if's) hold it in reference cycles that only the cyclic collector would
    free, late and at length. A piece at a time: freeing is one C call that holds the GIL until
    the last object is gone (a 2,000-agent month: 30-50 ms in one go, which the GUI thread, waiting
    for the GIL, showed as a stall); value by value, with the GIL handed on between values, and a
    value with a ``release()`` of its own (a :class:`~csdesk.services.attendance_month.DayMemo`)
    emptying itself the same way, no piece takes more than a few milliseconds."""
    if _keep_last and memo:
        earlier = dict(_kept)
        _kept.clear()
        _kept.update(memo)
        memo.clear()
        memo = earlier
    while memo:
        _key, value = memo.popitem()
        let_go = getattr(value, "release", None)
        if callable(let_go):
            let_go()
        del value
        time.sleep(0)  # hands the GIL to a thread that waits for it


class UnitOfWork:
    """One user action: repositories over one session; rolls back unless committed."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._factory = session_factory
        self.committed = False
        self.dry = False

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self.committed = False
        self.dry = _NEVER_COMMIT.get()
        self.teams = TeamRepository(self.session)
        self.people = PersonRepository(self.session)
        self.users = UserRepository(self.session)
        self.roster = RosterRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.settings = SettingRepository(self.session)
        self.months = MonthRepository(self.session)
        self._areas: dict[str, Any] = {}
        self.memo: dict[object, object] = {}  # results computed once per unit of work
        return self

    # The areas' repositories are built (and their modules imported) when first used: a command
    # that never touches the callbacks does not pay for importing them at start.

    def _area(self, name: str, build: Callable[[Session], Any]) -> Any:
        repo = self._areas.get(name)
        if repo is None:
            repo = self._areas[name] = build(self.session)
        return repo

    @property
    def attendance(self) -> AttendanceRepository:
        from csdesk.models.repo_attendance import AttendanceRepository

        return self._area("attendance", AttendanceRepository)  # type: ignore[no-any-return]

    @property
    def scorecards(self) -> ScorecardRepository:
        from csdesk.models.repo_scorecards import ScorecardRepository

        return self._area("scorecards", ScorecardRepository)  # type: ignore[no-any-return]

    @property
    def handover(self) -> HandoverRepository:
        from csdesk.models.repo_handover import HandoverRepository

        return self._area("handover", HandoverRepository)  # type: ignore[no-any-return]

    @property
    def callbacks(self) -> CallbackRepository:
        from csdesk.models.repo_callbacks import CallbackRepository

        return self._area("callbacks", CallbackRepository)  # type: ignore[no-any-return]

    @property
    def qa(self) -> QaRepository:
        from csdesk.models.repo_qa import QaRepository

        return self._area("qa", QaRepository)  # type: ignore[no-any-return]

    @property
    def disputes(self) -> DisputeRepository:
        from csdesk.models.repo_disputes import DisputeRepository

        return self._area("disputes", DisputeRepository)  # type: ignore[no-any-return]

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self.committed:
                self.session.rollback()
        finally:
            self.session.close()
            release(self.memo)
        if isinstance(exc, OperationalError):
            raise StorageError(N_("The database could not be written: {error}"), error=str(exc.orig)) from exc

    def commit(self) -> None:
        if self.dry:
            self.session.flush()  # what the commit would send; __exit__ rolls it back
            return
        try:
            self.session.commit()
        except OperationalError as exc:
            self.session.rollback()
            raise StorageError(N_("The database could not be written: {error}"), error=str(exc.orig)) from exc
        self.committed = True

    def flush(self) -> None:
        self.session.flush()

    def claim(self, entity: str, row_id: int) -> int | None:
        """Claim one record until the commit and return its version (csdesk.models.versioning)."""
        from csdesk.models.versioning import claim_row

        return claim_row(self.session, entity, row_id)

    def claim_area(self, area: str) -> None:
        """Writers of ``area`` (an import) take turns until the commit (csdesk.models.versioning)."""
        from csdesk.models.versioning import claim_area

        claim_area(self.session, area)

    def last_change(self, entity: str, entity_id: object) -> AuditEntry | None:
        """The audit log's newest entry about one record."""
        from csdesk.models.versioning import last_change

        return last_change(self.session, entity, entity_id)


UowFactory = Callable[[], UnitOfWork]


def uow_factory(session_factory: Callable[[], Session]) -> UowFactory:
    return lambda: UnitOfWork(session_factory)
