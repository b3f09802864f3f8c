"""A month of attendance as computed once per unit of work, and as a lock stores it.

A locked month's attendance page, ``csdesk attendance --json``, the summary it prints and the
attendance line on each evaluation sheet all read the people's months its lock stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from csdesk.models.db import UnitOfWork
from csdesk.models.domain_scorecards import MonthLock
from csdesk.models.repo_months import ATTENDANCE
from csdesk.records import record
from csdesk.rules.attendance import GeneratedEvent
from csdesk.services import snapshot_codec
from csdesk.services.attendance_month import month_days
from csdesk.services.months import month_first
from csdesk.services.attendance_types import AgentDay, AgentMonth, LedgerEntry, TeamMonth

snapshot_codec.register(AgentMonth, rows={"days": AgentDay, "ledger": LedgerEntry})


@record
class MonthOutcome:
    """A computed month: the people's months and, by employee number, the events it generates."""

    team_month: TeamMonth
    events: Mapping[str, tuple[GeneratedEvent, ...]]


def stored_row(agent: AgentMonth) -> tuple[str, str | None, str]:
    """One person's month as a lock stores it: (employee number, team, its text)."""
    return agent.employee_no, agent.team, snapshot_codec.dumps(agent)


def store_team_month(uow: UnitOfWork, lock: MonthLock, rows: Iterable[tuple[str, str | None, str]]) -> int:
    """Store each person's month (:func:`stored_row`) as the results of ``lock`` (inside the lock's transaction)."""
    return uow.months.store_results(lock.month, lock.revision, ATTENDANCE, rows)


def stored_team_month(uow: UnitOfWork, lock: MonthLock, team: str | None, employee_no: str | None) -> TeamMonth:
    """The month ``lock`` signed, of one team or person: every day of it judged."""
    first = month_first(lock.month)
    if employee_no is not None:
        agents = tuple(
            snapshot_codec.loads(p, AgentMonth, lock.month) for p in uow.months.results(lock.month, lock.revision, ATTENDANCE, subjects=[employee_no])
        )
    else:
        key = (ATTENDANCE, str(uow.session.get_bind().url), lock.month, lock.revision, lock.locked_at)
        everyone = snapshot_codec.remembered(
            key, lambda: tuple(snapshot_codec.loads(p, AgentMonth, lock.month) for p in uow.months.results(lock.month, lock.revision, ATTENDANCE))
        )
        agents = tuple(a for a in everyone if team is None or a.team == team)
    days = month_days(first.year, first.month)
    return TeamMonth(first.year, first.month, team, days, agents, days[-1], locked=True)
