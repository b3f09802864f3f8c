"""Reads never write: every month of the demo, read through every read path, leaves the database as it was.

Scorecards are computed on demand from the stored facts (attendance's M01/S01 and the handover
penalties are pulled, not copied) and a locked month is read back from ``month_results``: so no
read (command line, service call a page makes on load, printout) may write anything, for a
locked month or an open one, the current month included.

The demo is built once for the module (real clock, as ``csdesk demo`` does). Its own signed-off
months hold scorecard facts only; two more months that also hold roster, punches, leave and
handover penalties are locked here, so locked months of both kinds are read. Each test compares a
full ``iterdump`` of the database with the one taken before any read, and also fails on any
INSERT/UPDATE/DELETE statement sent to the database while it reads (even one rolled back).

Not a read, so not here: ``CallbackService.ensure_birthdays``, which the callbacks page calls on
load on purpose to plan the month's birthday calls (a write, once a month).
"""

from __future__ import annotations

import contextlib
import difflib
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from csdesk.cli import main
from csdesk.errors import CsdeskError
from csdesk.models.domain_handover import HandoverFilter
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.months import month_first, month_key

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


AGENTS = 12
DEMO_MONTHS = 4  # the current month and the three before it, plus three signed-off months before those
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def dump(db: Path) -> list[str]:
    """The whole database as SQL text (after a WAL checkpoint), one statement a line."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        return "\n".join(conn.iterdump()).splitlines()


@contextlib.contextmanager
def writes_spied() -> Iterator[list[str]]:
    """Every INSERT/UPDATE/DELETE/DDL statement any engine of this process sends while inside."""
    seen: list[str] = []

    def spy(_conn, _cursor, statement: str, *_args: object) -> None:
        if WRITE.match(statement):
            seen.append(" ".join(statement.split())[:200])

    event.listen(Engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", spy)


def assert_unchanged(before: list[str], after: list[str], writes: list[str]) -> None:
    if before != after:
        diff = list(difflib.unified_diff(before, after, "before the reads", "after the reads", n=1, lineterm=""))
        pytest.fail("A read changed the database:\n" + "\n".join(diff[:40]))
    assert not writes, "Reads sent write statements:\n" + "\n".join(dict.fromkeys(writes))


@dataclass
class Demo:
    db: Path
    ctx: Any
    actor: Actor
    months: list[str]  # every month of the demo, oldest first (the next month's roster included)
    locked: set[str]
    team: str
    agent: str  # counted in every month
    newcomer: str  # joined inside the demo span: not counted in its first months
    leave_ids: list[int]
    before: list[str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    from csdesk.context import build_context

    folder = tmp_path_factory.mktemp("reads")
    db = folder / "csdesk.db"
    ctx = build_context(str(db), data_dir=folder)
    ctx.demo.build(SYSTEM, agents=AGENTS, months=DEMO_MONTHS, seed=11)
    actor = ctx.auth.resolve_actor("supervisor")
    current = ctx.demo.now().date().replace(day=1)
    # Two months with attendance facts (the last one with handover penalties too) are signed off
    # here as well; the demo signs off only months before its roster starts.
    for back in (2, 1):
        ctx.scorecards.months.lock_month(actor, month_key(shift(current, -back)))
    locked = {lock.month for lock in ctx.scorecards.months.locks()}
    first = min(month_first(m) for m in locked)
    months = []
    month = first
    while month <= shift(current, 1):
        months.append(month_key(month))
        month = shift(month, 1)
    agents = ctx.scorecards.agents(actor)
    oldest = min(agents, key=lambda a: (a.join_date or date.min, a.employee_no))
    newest = max(agents, key=lambda a: (a.join_date or date.min, a.employee_no))
    leave_ids = []
    for key in months:
        found = ctx.attendance.leave_requests(SYSTEM, year=int(key[:4]), month=int(key[5:]))
        leave_ids += [r.id for r in found[:1]]
    signed_off = ctx.policy.demotion.months_outside_top  # the demo's own signed-off months
    assert len(locked) == signed_off + 2 and len(months) == signed_off + DEMO_MONTHS + 1
    assert leave_ids, "the demo has leave to print"
    return Demo(db, ctx, actor, months, locked, oldest.team or "", oldest.employee_no, newest.employee_no, leave_ids, dump(db))


def test_the_command_line_reads_every_month_without_writing(demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def run(*args: str, ok: bool = True) -> str:
        code = main(["--db", str(demo.db), "--user", "supervisor", *args])
        out, err = capsys.readouterr()
        if ok:
            assert code == 0, f"csdesk {' '.join(args)}: exit {code}: {err}"
        return out

    with writes_spied() as writes:
        for key in demo.months:
            run("scorecard", "--month", key)
            run("scorecard", "--month", key, "--json")
            run("scorecard", "--month", key, "--team", demo.team, "--json")
            run("scorecard", "--month", key, "--agent", demo.agent, "--json")
            run("attendance", "--month", key)
            run("attendance", "--month", key, "--json")
            run("attendance", "--month", key, "--team", demo.team, "--json")
            run("explain", "--month", key, "--agent", demo.agent)
            run("explain", "--month", key, "--agent", demo.agent, "--json")
            run("explain", "--month", key, "--agent", demo.newcomer, "--json", ok=False)  # not counted yet in early months
            run("print", "evaluation", "--month", key, "--all", "--out", str(tmp_path / f"sheets-{key}.pdf"))
            run("print", "attendance", "--month", key, "--lang", "en", "--out", str(tmp_path / f"attendance-{key}.pdf"))
        for leave_id in demo.leave_ids:
            run("print", "leave", str(leave_id), "--lang", "en", "--out", str(tmp_path / f"leave-{leave_id}.pdf"))
        run("handover", "list")
        run("handover", "list", "--json")
        run("callbacks")
        run("callbacks", "--json")
        run("month", "list")
        run("month", "list", "--json")
    assert_unchanged(demo.before, dump(demo.db), writes)


def test_the_services_the_pages_use_read_every_month_without_writing(demo: Demo, tmp_path: Path) -> None:
    ctx, actor = demo.ctx, demo.actor
    sc, att = ctx.scorecards, ctx.attendance
    with writes_spied() as writes:
        # The scorecards page and the scorecard window.
        for key in demo.months:
            year, month = int(key[:4]), int(key[5:])
            result = sc.month(actor, key)
            assert (result.lock is not None) == (key in demo.locked)
            sc.month(actor, key, team=demo.team)
            sc.entry_rows(actor, key)
            sc.entry_rows(actor, key, demo.team)
            sc.agents(actor, demo.team)
            sc.evaluation_sheets(actor, key)
            sc.evaluation_sheets(actor, key, employee_no=demo.agent)
            for card in result.cards:
                explanation = sc.explain_card(actor, card)
                lines = sc.event_lines(actor, explanation.card)
                sc.corrections(actor, [line.id for line in lines if line.id])
            for no in (demo.agent, demo.newcomer):
                try:
                    sc.explain(actor, key, no)
                    sc.month(actor, key, employee_no=no)
                    sc.kpi_inputs(actor, key, no)
                except CsdeskError:
                    assert no == demo.newcomer  # not counted before joining
                sc.trend(actor, key, no)
            # The attendance page: calendar, leave, requests, roster.
            att.team_month(SYSTEM, year, month)
            att.team_month(SYSTEM, year, month, demo.team)
            att.team_month(SYSTEM, year, month, employee_no=demo.agent)
            att.attendance_json(SYSTEM, year, month)
            att.attendance_json(SYSTEM, year, month, demo.team, demo.agent)
            att.month_line(SYSTEM, demo.agent, year, month)
            att.month_lines(SYSTEM, [c.employee_no for c in result.cards], year, month)
            for request in att.leave_requests(SYSTEM, year=year, month=month):
                att.get_leave(SYSTEM, request.id)
            att.leave_requests(SYSTEM, team=demo.team, year=year, month=month)
            att.corrections(SYSTEM, year, month)
            att.swaps(SYSTEM, year, month)
            ctx.roster.month(SYSTEM, year, month)
            ctx.roster.month(SYSTEM, year, month, demo.team)
            att.print_month(SYSTEM, year, month, None, tmp_path / f"attendance-{key}.pdf")
        att.leave_requests(SYSTEM)
        att.leave_requests(SYSTEM, "approved")
        ctx.roster.plan_warnings()
        sc.months.locks()
        for key in demo.months:
            sc.months.lock_info(key)
            sc.months.history(key)
        sc.recordable_codes()
        # The people and audit pages.
        ctx.people.teams()
        for person in ctx.people.people(SYSTEM, include_inactive=True):
            ctx.people.level_history(SYSTEM, person.employee_no)
        ctx.people.people(SYSTEM, team=demo.team, roles=["agent", "team_lead"])
        ctx.audit.recent(actor)
        # The handover page: log, detail, penalties, items, drafts, work records, printouts.
        hv = ctx.handover
        hv.person_of(actor)
        hv.pending_for(actor)
        hv.load_draft(actor, "handover")
        hv.load_draft(actor, "work_record")
        hv.prefill(actor, demo.team)
        page = hv.list_entries(actor)
        for key in demo.months:
            first = month_first(key)
            hv.list_entries(actor, HandoverFilter(start=first, end=shift(first, 1) - timedelta(days=1)))
            hv.export(actor, first, shift(first, 1) - timedelta(days=1))
            hv.work_records(actor, first, shift(first, 1) - timedelta(days=1))
            hv.penalties_between(first, shift(first, 1) - timedelta(days=1))
        for summary in page.rows[:10]:
            detail = hv.detail(actor, summary.id)
            hv.penalty_choices(actor, summary.id)
            for item in detail.items:
                hv.item_history(actor, item.id)
        hv.print_handover(actor, page.rows[0].id, tmp_path / "handover.pdf")
        hv.print_work_digest(actor, hv.now().date() - timedelta(days=7), tmp_path / "digest.pdf")
        # The callbacks page (its birthday planning on load is a write, see the docstring).
        cb = ctx.callbacks
        today = cb.today()
        for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
            agenda = cb.agenda(actor, day)
            cb.workload(actor, day)
            cb.agents(actor, day)
            for call in agenda.calls[:5]:
                cb.call(actor, call.id)
                cb.member_calls(actor, call.member_id)
                cb.member(actor, call.member_id)
        cb.agent_names(actor)
        cb.members(actor)
        cb.contacts(actor)
        cb.contacts(actor, open_only=False)
        cb.contact_tally(actor, today)
    assert_unchanged(demo.before, dump(demo.db), writes)
