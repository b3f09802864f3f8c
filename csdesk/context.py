"""The composition root of the services: database, policy and every use case, built once.

The GUI (``csdesk.app``) and the command line (``csdesk.cli``) both start here;
tests build the same context on a temporary SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from csdesk.errors import PolicyError
from csdesk.models.db import default_data_dir, open_database, resolve_url, uow_factory
from csdesk.policy import Policy
from csdesk.services.attendance import AttendanceService
from csdesk.services.audit import AuditService
from csdesk.services.auth import AuthService
from csdesk.services.callbacks import CallbackService
from csdesk.services.demo import DemoService
from csdesk.services.handover import HandoverService
from csdesk.services.people import PeopleService
from csdesk.services.policy_service import load_in_force, site_policy_path
from csdesk.services.roster import RosterService
from csdesk.services.scorecards import ExternalEvent, ScorecardService


@dataclass(frozen=True)
class AppContext:
    """Every service, sharing one session factory and one policy."""

    db_url: str
    policy: Policy
    policy_error: PolicyError | None
    policy_file: str | None  # the site file in force (None: the shipped default), for child processes
    auth: AuthService
    people: PeopleService
    roster: RosterService
    audit: AuditService
    demo: DemoService
    attendance: AttendanceService
    scorecards: ScorecardService
    handover: HandoverService
    callbacks: CallbackService


def build_context(
    db: str | None = None,
    policy_file: str | None = None,
    clock: Callable[[], datetime] = datetime.now,
    data_dir: Path | None = None,
) -> AppContext:
    """Open (and migrate) the database and load the policy in force."""
    url = resolve_url(db)
    loaded = load_in_force(site_policy_path(policy_file, data_dir or default_data_dir()))
    uow = uow_factory(open_database(url))
    policy = loaded.policy
    ctx = AppContext(
        db_url=url,
        policy=policy,
        policy_error=loaded.error,
        policy_file=str(loaded.site_file) if loaded.site_file and loaded.error is None else None,
        auth=AuthService(uow, policy, clock),
        people=PeopleService(uow, policy, clock),
        roster=RosterService(uow, policy, clock),
        audit=AuditService(uow, policy, clock),
        demo=DemoService(uow, policy, clock),
        attendance=AttendanceService(uow, policy, clock),
        scorecards=ScorecardService(uow, policy, clock),
        handover=HandoverService(uow, policy, clock),
        callbacks=CallbackService(uow, policy, clock),
    )
    # The areas meet here, not inside each other: attendance feeds M01/S01 and the attendance
    # line of the scorecards (rules.md Appendix A).
    ctx.attendance.event_sink = ctx.scorecards.sync_attendance_events
    ctx.scorecards.set_attendance_source(ctx.attendance.month_line)
    ctx.scorecards.add_month_preparer(ctx.attendance.prepare_month)
    # Handover penalties (M04/M02, rules.md §4) count on the scorecard, kept by the handover log.
    ctx.scorecards.add_event_source(
        "handover",
        lambda start, end: [
            ExternalEvent(p.person.employee_no, p.day, p.code, p.points, str(p.id), p.reason, p.recorded_by, p.at)
            for p in ctx.handover.penalties_between(start, end)
        ],
    )
    # The work record (工作日志) takes its counts from the callback area (issue #6).
    ctx.handover.counts_source = ctx.callbacks.day_counts
    return ctx
