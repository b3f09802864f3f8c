"""The composition root of the services: database, policy and every use case, built once.

The GUI (``csdesk.app``) and the command line (``csdesk.cli``) both start here;
tests build the same context on a temporary SQLite file. The four areas' services
are built (and imported) on first use, so a start pays only for what it shows, and
they are wired to each other here, not inside each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from datetime import datetime
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csdesk.errors import PolicyError
from csdesk.models.db import UnitOfWork, UowFactory, default_data_dir, open_database, resolve_url, sqlite_path, uow_factory
from csdesk.policy import Policy
from csdesk.records import record
from csdesk.services.audit import AuditService
from csdesk.services.auth import AuthService
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.people import PeopleService
from csdesk.services.policy_service import SiteService, load_in_force, site_policy_path
from csdesk.services.roster import RosterService

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from csdesk.models.domain_scorecards import MonthLock
    from csdesk.services.attendance import AttendanceService
    from csdesk.services.backup import BackupService
    from csdesk.services.callbacks import CallbackService
    from csdesk.services.demo import DemoService
    from csdesk.services.disputes import DisputeService
    from csdesk.services.handover import HandoverService
    from csdesk.services.qa import QAService
    from csdesk.services.scorecards import ScorecardService
    from csdesk.services.site_policy import SitePolicyService
    from csdesk.services.whatif import Areas, MonthJob, MonthWhatIf, WhatIfService

Clock = Callable[[], datetime]


class AppContext:
    """Every service, sharing one session factory, one policy and one clock."""

    def __init__(
        self,
        db_url: str,
        policy: Policy,
        policy_error: PolicyError | None,
        policy_file: str | None,
        uow: UowFactory,
        clock: Clock,
        data_dir: Path | None = None,
    ) -> None:
        self.db_url = db_url
        self.data_dir = data_dir or default_data_dir()  # backups go in its ``backups`` folder
        self.policy = policy
        self.policy_error = policy_error
        self.policy_file = policy_file  # the site file in force (None: the shipped default), for child processes
        self._uow = uow
        self._clock = clock
        self.engine: Engine | None = None  # set by build_context; close() lets go of its connections
        self.people = PeopleService(uow, policy, clock)
        self.auth = AuthService(uow, policy, clock, clean_person=self.people.clean)
        self.auth.put_roles_in_force()  # Actor.can answers from this policy's [roles] table
        self.roster = RosterService(uow, policy, clock)
        self.audit = AuditService(uow, policy, clock)
        self.site = SiteService(uow, policy, clock)  # the name and logo every document prints

    @cached_property
    def demo(self) -> DemoService:
        from csdesk.services.demo import DemoService

        service = DemoService(self._uow, self.policy, self._clock)
        service.sign_off = lambda actor, month: self.scorecards.months.lock_month(actor, month)
        return service

    def close(self) -> None:
        """Close the database connections (a PostgreSQL server sees the session end)."""
        if self.engine is not None:
            self.engine.dispose()

    @cached_property
    def attendance(self) -> AttendanceService:
        from csdesk.services.attendance import AttendanceService

        return AttendanceService(self._uow, self.policy, self._clock)

    @cached_property
    def scorecards(self) -> ScorecardService:
        service = self._scorecards_under(self.policy, self._uow, lambda: self.attendance)
        # A lock stores each area's results in its one transaction (services/months.py). Attendance
        # first: the scorecards then take its events from the month it computed, not again.
        service.months.on_lock.insert(0, lambda uow, lock, actor: self._store_attendance(service, uow, lock, actor))
        return service

    def _store_attendance(self, scorecards: ScorecardService, uow: UnitOfWork, lock: MonthLock, actor: Actor) -> dict[str, Any]:
        """A lock's attendance month; the scorecards' stored facts are read meanwhile, while a
        forked child works half of the people (see :func:`csdesk.services.fanout.meanwhile`)."""
        from csdesk.services import fanout
        from csdesk.services.months import month_first

        with fanout.meanwhile(scorecards.stored_facts(uow, month_first(lock.month), kpi=True)):
            return self.attendance.store_month(uow, lock, actor)

    def _scorecards_under(
        self, policy: Policy, uow: UowFactory, attendance: Callable[[], AttendanceService], clock: Clock | None = None
    ) -> ScorecardService:
        """A scorecards service under ``policy`` over ``uow`` that pulls from ``attendance()`` and the
        handover log: the one in force, or the other policy's of a what-if."""
        from csdesk.records import maker
        from csdesk.services.scorecards import ExternalEvent, ScorecardService

        service = ScorecardService(uow, policy, clock or self._clock)
        # The scorecards service checks that the reader sees the card before it asks for its line.
        service.set_attendance_source(
            lambda no, year, month: attendance().month_line(SYSTEM, no, year, month),
            batch=lambda nos, year, month: attendance().month_lines(SYSTEM, nos, year, month),
        )
        # Scorecards pull what other areas count (rules.md Appendix A): attendance's M01/S01 with
        # their day, and the handover log's M04/M02 penalties (rules.md §4). Nothing is copied.
        service.add_event_source(
            "attendance",
            lambda uow, start, end, nos: [
                made(no, e.day, e.code, e.points, f"{e.day.isoformat()}#{i}")
                for made in [maker(ExternalEvent)]  # a month's 7,000 made without __init__
                for i, (no, e) in enumerate(attendance().generated_events(uow, start, end, nos))
            ],
        )
        service.add_event_source(
            "handover",
            lambda uow, start, end, _nos: [
                ExternalEvent(p.person.employee_no, p.day, p.code, p.points, str(p.id), p.reason, p.recorded_by, p.at)
                for p in self.handover.penalties_between(start, end, uow)
            ],
        )
        return service

    def _areas_under(self, policy: Policy, uow: UowFactory, attendance: AttendanceService | None, clock: Clock | None = None) -> Areas:
        """The attendance service (``attendance`` itself when given) and the scorecards service under
        ``policy`` over ``uow``, wired as the ones in force, reading the time from ``clock`` (else
        the context's): what a what-if computes with."""
        from csdesk.services.attendance import AttendanceService
        from csdesk.services.whatif import Areas

        pulled = attendance or AttendanceService(uow, policy, clock or self._clock)
        return Areas(pulled, self._scorecards_under(policy, uow, lambda: pulled, clock))

    @cached_property
    def whatif(self) -> WhatIfService:
        from csdesk.services.whatif import WhatIfService

        # A month under the policy in force and under a file laid over it (issue 16); a range's
        # months also in child processes, when they can open the database too.
        site_file = Path(self.policy_file) if self.policy_file else None
        spec = self.child_spec()
        elsewhere = partial(whatif_month_in_child, spec) if spec is not None else None
        return WhatIfService(self._uow, self.policy, self._clock, site_file=site_file, areas=self._areas_under, elsewhere=elsewhere)

    def child_spec(self) -> ChildSpec | None:
        """What a child process builds the same services from; None when no other process can open
        the database (SQLite in memory)."""
        if sqlite_path(self.db_url) is None and not self.db_url.startswith("postgresql"):
            return None
        return ChildSpec(self.db_url, self.policy, self.policy_file, self.data_dir)

    @cached_property
    def site_policy(self) -> SitePolicyService:
        from csdesk.services.site_policy import SitePolicyService

        # Apply a change to the site policy file (issues 16 and 17): in force from the next start.
        site_file = Path(self.policy_file) if self.policy_file else None
        return SitePolicyService(self._uow, self.policy, self._clock, site_file=site_file, data_dir=self.data_dir)

    @cached_property
    def handover(self) -> HandoverService:
        from csdesk.services.handover import HandoverService

        service = HandoverService(self._uow, self.policy, self._clock)
        # The work record (工作日志) takes its counts from the callback area (issue #6).
        # (HandoverService.suggested_counts has checked the caller may write work records.)
        service.counts_source = lambda no, day: self.callbacks.day_counts(SYSTEM, no, day)
        return service

    @cached_property
    def callbacks(self) -> CallbackService:
        from csdesk.services.callbacks import CallbackService

        return CallbackService(self._uow, self.policy, self._clock)

    @cached_property
    def qa(self) -> QAService:
        from csdesk.services.qa import QAService

        # A spot-check error becomes an evaluation event through the scorecards' own use case.
        return QAService(self._uow, self.policy, self._clock, scorecards=lambda: self.scorecards)

    @cached_property
    def disputes(self) -> DisputeService:
        from csdesk.services.disputes import DisputeService

        return DisputeService(self._uow, self.policy, self._clock)

    @cached_property
    def backup(self) -> BackupService:
        from csdesk.services.backup import BackupService

        return BackupService(self._uow, self.policy, self._clock, db_url=self.db_url, data_dir=self.data_dir)


@record
class ChildSpec:
    """The services of a child process (picklable): the same database, policy and folders."""

    db_url: str
    policy: Policy = field(repr=False)
    policy_file: str | None
    data_dir: Path


_child: tuple[ChildSpec, AppContext] | None = None  # a child's context, kept for its next piece


def child_context(spec: ChildSpec) -> AppContext:
    """The context a child process computes in: built once per child, over the database its parent
    has opened (and migrated) already, under the policy its parent has in force."""
    global _child
    if _child is None or _child[0] != spec:
        from csdesk import gc_tuning

        gc_tuning.tune()  # as the parent's start-up does
        uow = uow_factory(open_database(spec.db_url, migrated=False))
        _child = (spec, AppContext(spec.db_url, spec.policy, None, spec.policy_file, uow, datetime.now, spec.data_dir))
    return _child[1]


def whatif_month_in_child(spec: ChildSpec, actor: Actor, job: MonthJob) -> MonthWhatIf:
    """One month of a what-if range, in a child process (:func:`csdesk.services.fanout.spread`)."""
    return child_context(spec).whatif.month(actor, job)


def build_context(
    db: str | None = None,
    policy_file: str | None = None,
    clock: Clock = datetime.now,
    data_dir: Path | None = None,
    *,
    unreadable: bool = False,
) -> AppContext:
    """Open (and migrate) the database and load the policy in force. ``unreadable``: the database
    file is damaged beyond SQLite reading it, and the context is only for restoring a backup over
    it (nothing is read from it; its services other than ``backup.restore`` are not to be used)."""
    url = resolve_url(db)
    data_dir = data_dir or default_data_dir()
    loaded = load_in_force(site_policy_path(policy_file, data_dir))
    sessions = open_database(url, migrated=not unreadable)
    uow = uow_factory(sessions)
    site_file = str(loaded.site_file) if loaded.site_file and loaded.error is None else None
    ctx = AppContext(url, loaded.policy, loaded.error, site_file, uow, clock, data_dir)
    ctx.engine = sessions.kw["bind"]
    if unreadable:
        return ctx
    with uow() as unit:  # one query: months locked before a lock stored its results (older databases)
        legacy = bool(unit.months.locks_without_results())
    if legacy:
        ctx.scorecards.months.store_missing_results(SYSTEM)
    return ctx
