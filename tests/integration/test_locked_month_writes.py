"""Locked means locked: every write path into a signed-off month is refused, and the month's numbers stay.

One demo department (clock 2026-10-15) is built for the module, with records filed while
September was open (pending leave, an approved leave, a pending correction and swap, events, a
handover without its penalties, people who joined in August, September and October); then
September is signed off. Each case runs on its own copy of that database and walks one write
path into September:

* a service call (the GUI's path) must raise LockedMonth naming the month and leave the whole
  database as it was (a dump before and after);
* an import (``csdesk import KIND``) of a file with one row in September and one good row in
  October must exit 3 with one problem naming September, write the good row, and change no row
  that names September (the audit log aside).

Either way the month's stored numbers (``scorecard --json`` and ``attendance --json``) are unchanged.

People changes (services/people.py) — a locked month shows what it stored, so these cannot alter
its numbers; they are refused so that its facts stay as signed. The rule: a change is refused when
a date it sets falls in a locked month, or when a locked month lies between the old and the new
value of a date it moves (both ends included). The dates are the join date (old -> new; a new
person: the join date), the start of a level (a new level: its ``level_since``, default today; a
corrected start: the recorded start -> the new one), and today for what carries no date of its
own (deactivating or reactivating someone, a new role). So deactivating an agent September counted
is allowed in October (September keeps the agent in its stored results) and refused while
October itself is locked.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from csdesk.cli import main
from csdesk.cli_areas.scorecards import card_json
from csdesk.errors import LockedMonth
from csdesk.models.domain import PersonData
from csdesk.models.repositories import person_data
from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock, make_context, write_csv

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


NOW = datetime(2026, 10, 15, 9, 30)
LOCKED, OPEN = "2026-09", "2026-10"
SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def sep(day: int) -> date:
    return SEP.replace(day=day)


def oct_(day: int) -> date:
    return OCT.replace(day=day)


@dataclass
class Env:
    """A copy of the demo with September locked, and the records the cases act on."""

    ctx: Any
    db: Path
    tmp: Path
    ids: dict[str, Any] = field(default_factory=dict)


# --- the demo, built once -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("locked")
    clock = FixedClock(NOW)
    ctx = make_context(folder, clock)
    ctx.demo.build(SYSTEM, agents=12, months=3, seed=5)
    lead = ctx.auth.resolve_actor("lead1")
    agents = sorted(ctx.scorecards.agents(SYSTEM), key=lambda a: a.employee_no)
    levels = ctx.policy.level_codes
    lead_team = next(p.team for p in ctx.people.people(SYSTEM) if p.id == lead.person_id)  # the lead requests for their team
    veteran = next(
        a for a in agents
        if a.team == lead_team and a.join_date and a.join_date < date(2026, 4, 1) and a.level in ("junior", "intermediate")
    )  # fmt: skip
    colleague = next(a for a in agents if a.team == veteran.team and a is not veteran)
    team = veteran.team
    ids: dict[str, Any] = {
        "agent": veteran.employee_no, "colleague": colleague.employee_no, "team": team,
        "promoted": levels[levels.index(veteran.level) + 1],
    }  # fmt: skip

    # People who joined around September (the newcomer has a roster in August only).
    for no, joined in (("A900", date(2026, 8, 1)), ("A901", sep(5)), ("A902", oct_(2))):
        ctx.people.add(SYSTEM, PersonData(no, f"Nuevo {no}", team, "agent", "junior", joined))
    ctx.roster.set_shifts(SYSTEM, [("A900", date(2026, 8, day), "D") for day in range(4, 11)])

    # Records filed while September was open.
    clock.now = datetime(2026, 9, 12, 10, 0)
    ids["pending_leave"] = ctx.attendance.file_leave(SYSTEM, veteran.employee_no, "PERSONAL", sep(21), sep(21)).id
    approved = ctx.attendance.file_leave(SYSTEM, colleague.employee_no, "PERSONAL", sep(22), sep(22))
    ids["approved_leave"] = ctx.attendance.decide_leave(SYSTEM, approved.id, True).id
    ids["pending_correction"] = ctx.attendance.request_correction(lead, veteran.employee_no, sep(11), datetime(2026, 9, 11, 8, 29), "forgot").id
    ids["pending_swap"] = ctx.attendance.request_swap(SYSTEM, veteran.employee_no, colleague.employee_no, sep(24))
    ids["sep_event"] = ctx.scorecards.record_event(SYSTEM, veteran.employee_no, sep(8), "B03").id
    clock.now = NOW
    ids["oct_event"] = ctx.scorecards.record_event(SYSTEM, veteran.employee_no, oct_(5), "B03").id
    # A handover written in September with a penalty not recorded yet.
    for summary in ctx.handover.list_entries(SYSTEM).rows:
        if summary.written_at.strftime("%Y-%m") == LOCKED:
            free = [c for c in ctx.handover.penalty_choices(SYSTEM, summary.id) if not c.recorded]
            if free:
                ids["handover"] = (summary.id, (free[0].person.employee_no, free[0].code))
                break
    assert "handover" in ids, "the demo has a September handover"
    assert ctx.attendance.corrections(SYSTEM, 2026, 9, "pending")

    ctx.scorecards.months.lock_month(SYSTEM, LOCKED)
    return folder / "csdesk.db", ids


@pytest.fixture
def env(template: tuple[Path, dict[str, Any]], tmp_path: Path) -> Env:
    source, ids = template
    folder = tmp_path / "db"
    folder.mkdir()
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(folder / "csdesk.db")) as dst:
        src.backup(dst)  # a consistent copy, the WAL included
    return Env(make_context(folder, FixedClock(NOW)), folder / "csdesk.db", tmp_path, dict(ids))


# --- what is compared ---------------------------------------------------------------------------


def dump(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        return list(conn.iterdump())


def numbers(ctx: Any, month: str) -> dict[str, Any]:
    """What ``csdesk scorecard --json`` and ``csdesk attendance --json`` show for the month."""
    cards = ctx.scorecards.month(SYSTEM, month)
    assert cards.lock is not None, f"{month} is locked"
    return {
        "scorecard": [card_json(c) for c in cards.cards],
        "attendance": ctx.attendance.attendance_json(SYSTEM, int(month[:4]), int(month[5:])),
    }


# --- the service calls ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    name: str
    act: Callable[[Env], object]
    month: str = LOCKED  # the locked month the refusal names
    refused: bool = True  # False: allowed, and the locked month's numbers stay
    setup: Callable[[Env], object] | None = None
    xfail: str | None = None

    def param(self) -> Any:
        marks = [pytest.mark.xfail(reason=self.xfail, strict=True)] if self.xfail else []
        return pytest.param(self, id=self.name, marks=marks)


def _person(env: Env, no: str) -> PersonData:
    return person_data(env.ctx.people.get(SYSTEM, no))


def _lock_october(env: Env) -> None:
    env.ctx.scorecards.months.lock_month(SYSTEM, OPEN)


def _other_shift(env: Env, no: str, day: date) -> str:
    now = next((e.shift_code for e in env.ctx.roster.month(SYSTEM, day.year, day.month) if e.employee_no == no and e.day == day), None)
    return "E" if now != "E" else "D"


def _leave_across_the_month_end(env: Env) -> None:
    """Filed and approved while September was open; September is locked again after it."""
    months = env.ctx.scorecards.months
    months.reopen(SYSTEM, LOCKED, "leave filed late")
    leave = env.ctx.attendance.file_leave(SYSTEM, env.ids["agent"], "PERSONAL", sep(30), oct_(1))
    env.ids["across"] = env.ctx.attendance.decide_leave(SYSTEM, leave.id, True, short_notice_accepted=True, note="filed late").id
    months.lock_month(SYSTEM, LOCKED)


WRITES = [
    # scorecards
    Write("set_rating", lambda e: e.ctx.scorecards.set_rating(SYSTEM, LOCKED, e.ids["agent"], "execution", 15)),
    Write("set_adjustment", lambda e: e.ctx.scorecards.set_adjustment(SYSTEM, LOCKED, e.ids["agent"], 2, "helped")),
    Write("set_exam", lambda e: e.ctx.scorecards.set_exam(SYSTEM, LOCKED, e.ids["agent"], 55)),
    Write("set_kpi_inputs", lambda e: e.ctx.scorecards.set_kpi_inputs(SYSTEM, LOCKED, e.ids["agent"], {"satisfaction": 80}, {"supervisor": 70})),
    Write("record_event", lambda e: e.ctx.scorecards.record_event(SYSTEM, e.ids["agent"], sep(9), "M02")),
    Write("correct_event", lambda e: e.ctx.scorecards.correct_event(SYSTEM, e.ids["sep_event"], "typo", points=2)),
    Write("correct_event_into_the_month", lambda e: e.ctx.scorecards.correct_event(SYSTEM, e.ids["oct_event"], "wrong day", day=sep(30))),
    Write("void_event", lambda e: e.ctx.scorecards.void_event(SYSTEM, e.ids["sep_event"], "duplicate")),
    # attendance
    Write("file_leave", lambda e: e.ctx.attendance.file_leave(SYSTEM, e.ids["agent"], "PERSONAL", sep(14), sep(14))),
    Write("file_leave_across_the_month_end", lambda e: e.ctx.attendance.file_leave(SYSTEM, e.ids["agent"], "PERSONAL", sep(30), oct_(2))),
    Write("decide_leave", lambda e: e.ctx.attendance.decide_leave(SYSTEM, e.ids["pending_leave"], True)),
    Write("cancel_on_return", lambda e: e.ctx.attendance.cancel_on_return(SYSTEM, e.ids["approved_leave"])),
    Write(
        "cancel_on_return_of_leave_across_the_month_end",
        lambda e: e.ctx.attendance.cancel_on_return(SYSTEM, e.ids["across"]),
        setup=_leave_across_the_month_end,
    ),
    Write("request_correction", lambda e: e.ctx.attendance.request_correction(SYSTEM, e.ids["agent"], sep(10), datetime(2026, 9, 10, 8, 20), "forgot")),
    Write("decide_correction", lambda e: e.ctx.attendance.decide_correction(SYSTEM, e.ids["pending_correction"], True)),
    Write("mark_unarranged_swap", lambda e: e.ctx.attendance.mark_unarranged_swap(SYSTEM, e.ids["agent"], sep(10), "left early")),
    Write("request_swap", lambda e: e.ctx.attendance.request_swap(SYSTEM, e.ids["agent"], e.ids["colleague"], sep(25))),
    Write("decide_swap", lambda e: e.ctx.attendance.decide_swap(SYSTEM, e.ids["pending_swap"], True)),
    # roster
    Write("set_shift", lambda e: e.ctx.roster.set_shift(SYSTEM, e.ids["agent"], sep(10), _other_shift(e, e.ids["agent"], sep(10)))),
    Write(
        "set_shifts_with_one_cell_in_the_month",
        lambda e: e.ctx.roster.set_shifts(
            SYSTEM,
            [
                (e.ids["agent"], oct_(20), _other_shift(e, e.ids["agent"], oct_(20))),
                (e.ids["agent"], sep(10), _other_shift(e, e.ids["agent"], sep(10))),
            ],
        ),
    ),
    Write("copy_previous_month", lambda e: e.ctx.roster.copy_previous_month(SYSTEM, 2026, 9)),
    # people
    Write("new_level_since_inside_the_month", lambda e: e.ctx.people.update(SYSTEM, replace(_person(e, e.ids["agent"]), level=e.ids["promoted"]), level_since=sep(15))),
    Write("corrected_level_start_into_the_month", lambda e: e.ctx.people.update(SYSTEM, _person(e, "A900"), level_since=sep(15))),
    Write("join_date_moved_into_the_month", lambda e: e.ctx.people.update(SYSTEM, replace(_person(e, "A902"), join_date=sep(10)))),
    Write("join_date_moved_out_of_the_month", lambda e: e.ctx.people.update(SYSTEM, replace(_person(e, "A901"), join_date=oct_(2)))),
    Write(
        "join_date_moved_past_the_locked_months",  # the demo's own signed-off months (May-July) would stop counting the agent
        lambda e: e.ctx.people.update(SYSTEM, replace(_person(e, e.ids["agent"]), join_date=oct_(1))),
        month="2026-05",
    ),
    Write("new_person_joined_inside_the_month", lambda e: e.ctx.people.add(SYSTEM, PersonData("A910", "Tarde", e.ids["team"], "agent", "junior", sep(20)))),
    Write("deactivate_while_today_is_locked", lambda e: e.ctx.people.set_active(SYSTEM, e.ids["agent"], False), month=OPEN, setup=_lock_october),
    Write("new_level_from_today_while_today_is_locked", lambda e: e.ctx.people.update(SYSTEM, replace(_person(e, e.ids["agent"]), level=e.ids["promoted"])), month=OPEN, setup=_lock_october),
    Write("deactivate_an_agent_the_month_counted", lambda e: e.ctx.people.set_active(SYSTEM, e.ids["agent"], False), refused=False),
    Write("new_level_from_today", lambda e: e.ctx.people.update(SYSTEM, replace(_person(e, e.ids["agent"]), level=e.ids["promoted"])), refused=False),
    # handover
    Write("handover_penalty", lambda e: e.ctx.handover.record_penalties(SYSTEM, e.ids["handover"][0], [e.ids["handover"][1]])),
]


@pytest.mark.parametrize("write", [w.param() for w in WRITES])
def test_a_write_into_a_locked_month_is_refused_and_changes_nothing(env: Env, write: Write) -> None:
    if write.setup is not None:
        write.setup(env)
    shown = {m: numbers(env.ctx, m) for m in {LOCKED, write.month}}
    before = dump(env.db)
    if write.refused:
        with pytest.raises(LockedMonth) as info:
            write.act(env)
        assert write.month in info.value.message() and "reopen" in info.value.message()
        after = dump(env.db)
        assert after == before, "a refused write changed the database: " + "; ".join(
            line[:160] for line in (Counter(after) - Counter(before))
        )
    else:
        write.act(env)
    assert {m: numbers(env.ctx, m) for m in shown} == shown


# --- the imports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    kind: str
    rows: Callable[[Env], str]  # the CSV: a header, the row in September, the good row in October
    field: str
    table: str  # where the good row lands
    xfail: str | None = None
    name: str = ""

    def param(self) -> Any:
        marks = [pytest.mark.xfail(reason=self.xfail, strict=True)] if self.xfail else []
        return pytest.param(self, id=self.name or self.kind, marks=marks)


def _people_rows(e: Env) -> str:
    def line(p: PersonData) -> str:
        return ",".join(str(v or "") for v in (p.employee_no, p.name, p.team, p.role, p.level, p.join_date, p.birthday, p.gender, p.phone))

    moved = replace(_person(e, "A902"), join_date=sep(10))
    new = PersonData("A960", "Recién Llegada", e.ids["team"], "agent", "junior", oct_(5), gender="F")
    return "employee_no,name,team,role,level,join_date,birthday,gender,phone\n" + line(moved) + "\n" + line(new) + "\n"


def _late_clock_out(e: Env) -> str:
    """A clock-out after midnight on 1 October ends an evening shift of 30 September (E ends at 24:00)."""
    who = next(
        x.employee_no for x in e.ctx.roster.month(SYSTEM, 2026, 9) if x.day == sep(30) and x.shift_code == "E"
    )
    return f"employee_no,time\n{who},2026-10-01 00:20\n{e.ids['agent']},2026-10-12 18:05\n"


IMPORTS = [
    Import("punches", lambda e: f"employee_no,time\n{e.ids['agent']},2026-09-10 08:21\n{e.ids['agent']},2026-10-12 18:05\n", "time", "punches"),
    Import(
        "punches", _late_clock_out, "time", "punches", name="punches_after_midnight_ending_the_months_last_shift",
    ),
    Import(
        "roster",
        lambda e: f"employee_no,date,shift\n{e.ids['agent']},2026-09-10,{_other_shift(e, e.ids['agent'], sep(10))}\n"
        f"{e.ids['agent']},2026-10-20,{_other_shift(e, e.ids['agent'], oct_(20))}\n",
        "date", "roster",
    ),
    Import("leave", lambda e: f"employee_no,type,start,end,status\n{e.ids['agent']},PERSONAL,2026-09-14,2026-09-14,approved\n"
           f"{e.ids['agent']},PERSONAL,2026-10-13,2026-10-13,approved\n", "start", "leave_requests"),
    Import("people", _people_rows, "join_date", "people"),
    Import("ratings", lambda e: f"employee_no,month,service_quality,execution,collaboration,discipline\n{e.ids['agent']},2026-09,20,15,10,10\n"
           f"{e.ids['agent']},2026-10,20,15,10,10\n", "month", "ratings"),
    Import("exams", lambda e: f"employee_no,month,score\n{e.ids['agent']},2026-09,55\n{e.ids['agent']},2026-10,56\n", "month", "exam_scores"),
    Import("events", lambda e: f"employee_no,date,code\n{e.ids['agent']},2026-09-10,M02\n{e.ids['agent']},2026-10-10,M02\n", "date", "evaluation_events"),
]


@pytest.mark.parametrize("imp", [i.param() for i in IMPORTS])
def test_an_import_row_in_a_locked_month_is_a_bad_row_and_the_good_row_is_written(
    env: Env, imp: Import, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = numbers(env.ctx, LOCKED)
    before = dump(env.db)
    path = write_csv(env.tmp / f"{imp.kind}.csv", imp.rows(env))
    code = main(["--db", str(env.db), "--json", "--user", "supervisor", "import", imp.kind, str(path)])
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert code == 3, err
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, imp.field)]
    assert LOCKED in report["errors"][0]["message"] and "locked" in report["errors"][0]["message"]
    assert report["written"] + report["updated"] == 1
    after = dump(env.db)
    changed = list((Counter(after) - Counter(before)) + (Counter(before) - Counter(after)))
    assert any(line.startswith(f'INSERT INTO "{imp.table}"') for line in changed), "the good row is written"
    touched = [line for line in changed if f"'{LOCKED}" in line and not line.startswith('INSERT INTO "audit_log"')]
    assert touched == [], "rows of the locked month changed"
    assert numbers(env.ctx, LOCKED) == shown


def test_the_cases_cover_every_write_path_of_the_brief() -> None:
    """The table names each service write and each import kind (a guard against a row dropped by mistake)."""
    names = {w.name for w in WRITES}
    for method in ("set_rating", "set_adjustment", "set_exam", "set_kpi_inputs", "record_event", "correct_event", "void_event",
                   "file_leave", "decide_leave", "cancel_on_return", "request_correction", "decide_correction",
                   "mark_unarranged_swap", "request_swap", "decide_swap", "set_shift", "copy_previous_month", "handover_penalty"):
        assert method in names
    assert {i.kind for i in IMPORTS} == {"punches", "roster", "leave", "people", "ratings", "exams", "events"}
