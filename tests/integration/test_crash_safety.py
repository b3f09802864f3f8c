"""Crash safety: SIGKILL at random instants, then the database must be whole.

One demo database is built per module; every trial works on a fresh copy of it (or of the same
database with the previous month locked by an uninterrupted run). A trial runs ``month lock``,
``month reopen``, an import or a batch of GUI-service edits (tests/helpers/crash_edits.py) in a
child process, kills it with SIGKILL at a random instant of its measured uninterrupted duration,
and then checks with plain ``sqlite3``:

* ``PRAGMA integrity_check`` is ``ok``;
* every month is wholly open (no lock, no standings, no results except under a reopened revision)
  or wholly locked (lock, its results: a card per agent and an attendance month per person, its
  standings), and equal, row for row, to what an uninterrupted run (or no run) leaves;
* a locked previous month shows, through ``csdesk --json scorecard|attendance --month M``,
  exactly what the uninterrupted lock showed (and the first trials that leave it open show what
  it showed before);
* after an import: none or all of the file's rows, with or without the import's audit entries;
* after the batch of edits: each edit wholly there with its audit entry, or not at all.

The month under test is the previous calendar month: wholly past, so the real clock the
command line reads does not change its numbers during the run.

Children: most trials run in a fork server (crash_edits ``serve``) that has imported csdesk once,
so a child starts working at once and a trial costs a fraction of a fresh interpreter; every
fifth trial (``CSDESK_CRASH_FRESH_EVERY``) starts a fresh ``python -m csdesk`` (or ``python -m
tests.helpers.crash_edits``) exactly as a user does. Instants come from ``random.Random`` seeded per trial
(``CSDESK_CRASH_SEED`` overrides the seed); every message names the seed, the trial and the
instant. The module prints a summary of the trials at its end (``pytest -s``).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import crash_edits

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("CSDESK_CRASH_SEED", "20261206"))
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

# Kills that found the process running, per kind of trial: 20 + 10 + 7 * 3 + 6 = 57.
LOCK_KILLS, REOPEN_KILLS, KILLS_PER_IMPORT, EDIT_KILLS = 20, 10, 3, 6
# Every fifth trial starts a fresh interpreter instead of a forked child (1: every trial does).
FRESH_EVERY = int(os.environ.get("CSDESK_CRASH_FRESH_EVERY", "5"))
OPEN_VIEW_CHECKS = 6  # trials whose month was left open that read it through csdesk too
EARLY_SHARE = 0.25  # share of a fresh process's instants drawn over its start-up too
IMPORT_KINDS = ("punches", "roster", "leave", "ratings", "exams", "events", "people")
IMPORT_TABLES = {
    "punches": "punches", "roster": "roster", "leave": "leave_requests", "ratings": "ratings",
    "exams": "exam_scores", "events": "evaluation_events", "people": "people",
}  # fmt: skip


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def connect(db: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(db))


def scalar(db: Path, sql: str, *params: Any) -> Any:
    with connect(db) as con:
        return con.execute(sql, params).fetchone()[0]


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connect(db) as con:
        return con.execute(sql, params).fetchall()


def checkpoint(db: Path) -> None:
    """Fold the WAL into the file, so that copying ``db`` alone copies all of it."""
    with connect(db) as con:
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0, f"{db} is still in use"
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def cli_json(db: Path, *args: str) -> Any:
    """``csdesk --db DB --json ARGS`` run in this process (its start-up is paid once)."""
    from csdesk.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--db", str(db), "--json", *args])
    gc.collect()  # close that run's connections now
    assert code == 0, f"csdesk {' '.join(args)} on {db}: exit {code}"
    return json.loads(out.getvalue())


# --- children and killing them -----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    killed: bool  # the SIGKILL found the process running
    code: int
    seconds: float
    fresh: bool
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""


def fresh_run(command: str, argv: list[str], log: Path, kill_after: float | None) -> Run:
    """``python -m csdesk ARGV`` (or the edits) as a new process; SIGKILL after ``kill_after`` s."""
    module = ["csdesk"] if command == "csdesk" else ["tests.helpers.crash_edits", "edits"]
    with log.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", *module, *argv], env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err
        )
        if kill_after is not None:
            time.sleep(max(0.0, kill_after - (time.perf_counter() - start)))
        # poll() reaps a child that has ended; one it has not reaped keeps its pid for the kill.
        killed = kill_after is not None and child.poll() is None
        if killed:
            os.kill(child.pid, signal.SIGKILL)
        code = child.wait(timeout=120)
        seconds = time.perf_counter() - start
    return Run(killed and code == -signal.SIGKILL, code, seconds, True, log)


class ForkServer:
    """tests/helpers/crash_edits.py ``serve``: forks a warm child per command and kills it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.crash_edits", "serve"],
            env=ENV, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        assert "ready" in json.loads(self.stdout.readline())

    def run(
        self, command: str, argv: list[str], log: Path, kill_after: float | None, out: Path | None = None
    ) -> Run:
        request = {
            "command": command,
            "argv": argv,
            "out": str(out or os.devnull),
            "err": str(log),
            "kill_after": kill_after,
        }
        self.stdin.write(json.dumps(request) + "\n")
        self.stdin.flush()
        line = self.stdout.readline()
        assert line, "the fork server died"
        answer = json.loads(line)
        return Run(answer["killed"], answer["code"], answer["seconds"], False, log)

    def close(self) -> None:
        self.stdin.close()
        self.stdout.close()
        self.process.wait(timeout=30)


# --- the state of the months -------------------------------------------------------------------


@dataclass(frozen=True)
class MonthState:
    """Everything stored about one month's sign-off, but the times (they differ from run to run)."""

    lock: tuple[Any, ...] | None  # (revision, locked_by, policy_hash)
    history: tuple[tuple[Any, ...], ...]  # (revision, locked_by, policy_hash, reopened_by, reason)
    results: tuple[tuple[Any, ...], ...]  # (revision, kind, subject, team, payload), sorted
    standings: tuple[tuple[Any, ...], ...]

    def kinds(self, revision: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.results:
            if r[0] == revision:
                counts[r[1]] = counts.get(r[1], 0) + 1
        return counts

    def summary(self) -> str:
        lock = f"locked (revision {self.lock[0]})" if self.lock else "open"
        revisions = sorted({r[0] for r in self.results})
        results = {rev: self.kinds(rev) for rev in revisions}
        return f"{lock}, reopened revisions {[h[0] for h in self.history]}, results {results}, {len(self.standings)} standings"


OPEN = MonthState(None, (), (), ())


def month_states(db: Path) -> dict[str, MonthState]:
    queries = {
        "locks": "SELECT month, revision, locked_by, policy_hash FROM month_locks",
        "history": "SELECT month, revision, locked_by, policy_hash, reopened_by, reason FROM month_lock_history ORDER BY id",
        "results": "SELECT month, revision, kind, subject, team, payload FROM month_results",
        "standings": "SELECT month, person_id, total, grade, rank, last_place, complete, excellent FROM scorecard_standings",
    }
    found: dict[str, dict[str, list[tuple[Any, ...]]]] = {name: {} for name in queries}
    with connect(db) as con:
        for name, sql in queries.items():
            for month, *rest in con.execute(sql):
                found[name].setdefault(month, []).append(tuple(rest))
    return {
        m: MonthState(
            found["locks"][m][0] if m in found["locks"] else None,
            tuple(found["history"].get(m, ())),
            tuple(sorted(found["results"].get(m, ()), key=lambda r: (r[0], r[1], r[2]))),
            tuple(sorted(found["standings"].get(m, ()))),
        )
        for m in set().union(*found.values())
    }


def assert_whole(month: str, state: MonthState, signed: MonthState | None, where: str) -> None:
    """Wholly open or wholly locked (``signed``: the month as an uninterrupted lock leaves it)."""
    reopened = {h[0] for h in state.history}
    if state.lock is None:
        assert not state.standings, f"{where}: {month} is open but has standings: {state.summary()}"
        orphans = {r[0] for r in state.results} - reopened
        assert not orphans, (
            f"{where}: {month} is open but has results of a revision never signed {orphans}: {state.summary()}"
        )
        return
    revision = state.lock[0]
    assert revision not in reopened, (
        f"{where}: {month} is locked under a reopened revision: {state.summary()}"
    )
    assert state.kinds(revision), f"{where}: {month} is locked without its results: {state.summary()}"
    if signed is not None and signed.lock is not None:
        want = signed.kinds(signed.lock[0])
        assert state.kinds(revision) == want, (
            f"{where}: {month} is locked with results {state.kinds(revision)}, a lock stores {want}"
        )
        assert len(state.standings) == len(signed.standings), (
            f"{where}: {month} is locked with {len(state.standings)} standings, a lock stores {len(signed.standings)}"
        )


def check_months(db: Path, allowed: dict[str, list[MonthState]], where: str) -> dict[str, MonthState]:
    """Every month whole and equal to one of its ``allowed`` states (a month not named: open)."""
    states = month_states(db)
    for month in sorted(set(states) | set(allowed)):
        state, options = states.get(month, OPEN), allowed.get(month, [OPEN])
        assert_whole(month, state, next((s for s in options if s.lock), None), where)
        assert state in options, (
            f"{where}: {month} is {state.summary()}; an uninterrupted run leaves "
            + " or ".join(s.summary() for s in options)
            + ("" if state.summary() not in [s.summary() for s in options] else " (same counts, other rows)")
        )
    return states


def check_integrity(db: Path, where: str) -> None:
    with connect(db) as con:
        result = [r[0] for r in con.execute("PRAGMA integrity_check")]
    assert result == ["ok"], f"{where}: integrity_check: {result[:5]}"


# --- the world: the demo, the uninterrupted runs, the trials -------------------------------------


@dataclass
class World:
    dir: Path
    base: Path  # the demo: the previous month open
    locked: Path  # the demo with the previous month locked by an uninterrupted `month lock`
    month: str
    agents: list[str]
    server: ForkServer
    startup: float = 0.0  # what a fresh process takes more than a forked child
    lock_seconds: float = 0.0  # a forked child's uninterrupted run
    reopen_seconds: float = 0.0
    states: dict[str, MonthState] = field(default_factory=dict)  # the demo's months
    locked_state: MonthState = OPEN
    reopened_state: MonthState = OPEN
    open_view: tuple[Any, Any] = (None, None)  # scorecard and attendance JSON of the open month
    locked_view: tuple[Any, Any] = (None, None)  # the same, read back from the uninterrupted lock
    copies: int = 0
    open_checks: int = 0
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def copy(self, source: Path, name: str) -> Path:
        self.copies += 1
        target = self.dir / f"{self.copies:03d}-{name}.db"
        shutil.copyfile(source, target)
        return target

    def check_view(self, db: Path, locked: bool, at: str) -> None:
        """A locked month shows what the uninterrupted lock showed; an open one (checked in the
        first trials that leave it open: nothing a lock may change is read) what it showed before."""
        if not locked:
            self.open_checks += 1
            if self.open_checks > OPEN_VIEW_CHECKS:
                return
        want = self.locked_view if locked else self.open_view
        assert self.view(db) == want, f"{at}: csdesk shows other numbers than an uninterrupted run"

    def view(self, db: Path) -> tuple[Any, Any]:
        return cli_json(db, "scorecard", "--month", self.month), cli_json(
            db, "attendance", "--month", self.month
        )

    def run(
        self,
        command: str,
        argv: list[str],
        log: Path,
        kill_after: float | None = None,
        *,
        fresh: bool = False,
    ) -> Run:
        return (fresh_run if fresh else self.server.run)(command, argv, log, kill_after)

    def trials(
        self, category: str, kills: int, seconds: float, trial: Callable[[int, bool, float], tuple[Run, str]]
    ) -> None:
        """Trials until ``kills`` of them killed a running process (a run that ends before its
        instant is checked too); spare attempts absorb a machine faster than measured."""
        killed = attempts = 0
        stats = self.stats.setdefault(category, {})
        # The uninterrupted duration of a forked child, and that of a fresh process (estimated
        # until one ends before its instant, which measures it).
        bounds = {False: seconds, True: self.startup + seconds}
        while killed < kills and attempts < 2 * kills + 5:
            n, attempts = attempts, attempts + 1
            fresh = n % FRESH_EVERY == FRESH_EVERY - 1
            rng = random.Random(f"{SEED}:{category}:{n}")
            low = 0.0
            if fresh and rng.random() >= EARLY_SHARE:  # where the work is, after the start-up
                low = min(self.startup, bounds[True] * 0.9)
            instant = rng.uniform(low, bounds[fresh])
            run, outcome = trial(n, fresh, instant)
            killed += run.killed
            if not run.killed:
                bounds[fresh] = run.seconds
            key = f"{'fresh' if fresh else 'forked'} {'killed' if run.killed else 'ended'} {outcome}"
            stats[key] = stats.get(key, 0) + 1
            self.log.append(f"{category} #{n}: instant {instant:.3f}/{run.seconds:.3f} s {key}")
        stats.update(attempts=attempts, kills=killed, uninterrupted=round(seconds, 3))
        assert killed >= kills, (
            f"seed {SEED}: only {killed} of {attempts} {category} runs were still running at their instant: {stats}"
        )


def where(category: str, n: int, instant: float, run: Run) -> str:
    how = "fresh process" if run.fresh else "forked child"
    state = "killed" if run.killed else f"ended with {run.code} before the kill"
    return f"seed {SEED}, {category} trial {n}, {how}, instant {instant:.3f} s ({state})"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    started = time.perf_counter()
    folder = tmp_path_factory.mktemp("crash")
    base = folder / "base.db"
    demo = subprocess.run(
        [sys.executable, "-m", "csdesk", "--db", str(base), "demo"],
        check=False,
        env=ENV,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert demo.returncode == 0, demo.stderr
    checkpoint(base)
    month = previous_month(date.today()).isoformat()[:7]
    agents = [
        r[0]
        for r in rows(
            base, "SELECT employee_no FROM people WHERE role = 'agent' AND active ORDER BY employee_no"
        )
    ]
    assert len(agents) >= 20
    states = month_states(base)
    assert month not in states, f"the demo leaves the previous month {month} open: {states.get(month)}"
    server = ForkServer()
    w = World(folder, base, folder / "locked.db", month, agents, server, states=states)
    try:
        # Start-up: a command that opens the database and is refused at once (reopen an open month).
        probe = w.copy(base, "probe")
        args = ["--db", str(probe), "--json", "month", "reopen", month, "--reason", "probe"]
        fresh, forked = (
            w.run("csdesk", args, probe.with_suffix(".log"), fresh=True),
            w.run("csdesk", args, probe.with_suffix(".log")),
        )
        assert fresh.code == forked.code == 1, fresh.stderr()
        w.startup = max(0.0, fresh.seconds - forked.seconds)
        w.open_view = w.view(probe)

        # The uninterrupted lock: `csdesk --db COPY --json month lock M` as a user runs it.
        reference = w.copy(base, "lock-reference")
        run = w.run(
            "csdesk",
            ["--db", str(reference), "--json", "month", "lock", month],
            reference.with_suffix(".log"),
            fresh=True,
        )
        assert run.code == 0, run.stderr()
        checkpoint(reference)
        shutil.copyfile(reference, w.locked)
        after = month_states(reference)
        assert {m: s for m, s in after.items() if m != month} == w.states, "a lock changes no other month"
        w.locked_state = after[month]
        w.locked_view = w.view(reference)
        assert w.locked_state.lock is not None and w.locked_state.standings
        kinds = w.locked_state.kinds(w.locked_state.lock[0])
        assert kinds.get("card") == len(w.locked_view[0]["agents"]), kinds
        assert kinds.get("attendance") == len(w.locked_view[1]["agents"]), kinds

        # The same lock in a forked child: the same rows (the fork server runs the command line's code).
        forked_lock = w.copy(base, "lock-forked")
        run = w.run(
            "csdesk",
            ["--db", str(forked_lock), "--json", "month", "lock", month],
            forked_lock.with_suffix(".log"),
        )
        assert run.code == 0, run.stderr()
        w.lock_seconds = run.seconds
        assert month_states(forked_lock) == after

        # The uninterrupted reopen.
        reopened = w.copy(w.locked, "reopen-reference")
        run = w.run(
            "csdesk",
            ["--db", str(reopened), "--json", "month", "reopen", month, "--reason", "x"],
            reopened.with_suffix(".log"),
        )
        assert run.code == 0, run.stderr()
        w.reopen_seconds = run.seconds
        w.reopened_state = month_states(reopened)[month]
        assert w.reopened_state.lock is None and w.reopened_state.history
        w.log.append(
            f"set-up {time.perf_counter() - started:.1f} s; start-up {w.startup:.3f} s, lock {w.lock_seconds:.3f} s, reopen {w.reopen_seconds:.3f} s"
        )
        yield w
    finally:
        server.close()
    kills = sum(s.get("kills", 0) for s in w.stats.values())
    print(
        f"\ncrash trials (seed {SEED}): {kills} kills in {w.copies} copies, {time.perf_counter() - started:.1f} s"
    )
    for category, stats in w.stats.items():
        print(f"  {category}: {stats}")
    print("  " + "\n  ".join(w.log))


# --- month lock / reopen -----------------------------------------------------------------------


def test_kill_during_month_lock(world: World) -> None:
    allowed = {**{m: [s] for m, s in world.states.items()}, world.month: [OPEN, world.locked_state]}

    def trial(n: int, fresh: bool, instant: float) -> tuple[Run, str]:
        db = world.copy(world.base, f"lock-{n}")
        run = world.run(
            "csdesk",
            ["--db", str(db), "--json", "month", "lock", world.month],
            db.with_suffix(".log"),
            instant,
            fresh=fresh,
        )
        at = where("lock", n, instant, run)
        assert run.killed or run.code == 0, f"{at}: {run.stderr()}"
        check_integrity(db, at)
        locked = check_months(db, allowed, at).get(world.month, OPEN).lock is not None
        world.check_view(db, locked, at)
        remove(db)
        return run, "locked" if locked else "open"

    world.trials("lock", LOCK_KILLS, world.lock_seconds, trial)


def test_kill_during_month_reopen(world: World) -> None:
    allowed = {
        **{m: [s] for m, s in world.states.items()},
        world.month: [world.locked_state, world.reopened_state],
    }
    revision = world.locked_state.lock[0]  # type: ignore[index]

    def trial(n: int, fresh: bool, instant: float) -> tuple[Run, str]:
        db = world.copy(world.locked, f"reopen-{n}")
        argv = ["--db", str(db), "--json", "month", "reopen", world.month, "--reason", "x"]
        run = world.run("csdesk", argv, db.with_suffix(".log"), instant, fresh=fresh)
        at = where("reopen", n, instant, run)
        assert run.killed or run.code == 0, f"{at}: {run.stderr()}"
        check_integrity(db, at)
        state = check_months(db, allowed, at)[world.month]
        locked = state.lock is not None
        if not locked:  # reopened: the signed results stay, under the reopened revision
            assert [h[0] for h in state.history] == [revision], f"{at}: {state.summary()}"
            assert state.results == world.locked_state.results, (
                f"{at}: the signed results changed: {state.summary()}"
            )
        world.check_view(db, locked, at)
        remove(db)
        return run, "locked" if locked else "reopened"

    world.trials("reopen", REOPEN_KILLS, world.reopen_seconds, trial)


# --- imports -----------------------------------------------------------------------------------


def write_rows(path: Path, header: list[str], body: Iterator[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(body)
    return path


def import_file(world: World, kind: str) -> Path:
    """A file of good rows, none already stored, none in a locked month: 3,360 punches, 3,000
    roster days, 2,000 people; 1,200 leave requests, 480 rating lines (1,920 ratings), 720 exams
    and 840 events, whose importers look up and audit line by line (one commit at the end all
    the same: more lines would only make a longer run)."""
    rng = random.Random(f"{SEED}:file:{kind}")
    first = date.fromisoformat(world.month + "-01")
    days = [first + timedelta(days=i) for i in range(28)]
    after = date.fromisoformat(scalar(world.base, "SELECT max(day) FROM roster")) + timedelta(days=1)
    future = [after + timedelta(days=i) for i in range(100)]
    months = []  # a year after the month under test and on: never locked
    for i in range(12, 12 + 24):
        y, m = divmod(first.month - 1 + i, 12)
        months.append(f"{first.year + y:04d}-{m + 1:02d}")
    agents, path = world.agents, world.dir / f"{kind}.csv"
    if kind == "punches":  # 4 mid-day punches a day for 28 days (the demo punches at the shifts' ends)
        return write_rows(path, ["employee_no", "time", "device"], (
            [no, f"{d.isoformat()} {h}:{rng.randrange(60):02d}:{rng.randrange(60):02d}", "crash"]
            for no in agents for d in days for h in (10, 11, 12, 13)
        ))  # fmt: skip
    if kind == "roster":  # 100 days after the demo's roster
        return write_rows(
            path,
            ["employee_no", "date", "shift"],
            ([no, d.isoformat(), rng.choice("DER")] for no in agents for d in future),
        )
    if kind == "leave":
        return write_rows(path, ["employee_no", "type", "start", "end", "status"], (
            [no, "PERSONAL", d.isoformat(), d.isoformat(), "pending"] for no in agents for d in future[:40]
        ))  # fmt: skip
    if kind == "ratings":  # 4 ratings a line
        return write_rows(path, ["employee_no", "month", "service_quality", "execution", "collaboration", "discipline"], (
            [no, m, str(rng.randrange(10, 30)), str(rng.randrange(5, 20)), str(rng.randrange(5, 15)), str(rng.randrange(5, 15))]
            for no in agents for m in months[:16]
        ))  # fmt: skip
    if kind == "exams":
        return write_rows(
            path,
            ["employee_no", "month", "score"],
            ([no, m, str(rng.randrange(60, 101))] for no in agents for m in months),
        )
    if kind == "events":  # a bonus and a deduction a day, each with its own note (no duplicates)
        return write_rows(path, ["employee_no", "date", "code", "note"], (
            [no, d.isoformat(), code, f"crash {no} {d} {code}"] for no in agents for d in days[:14] for code in ("B03", "M03")
        ))  # fmt: skip
    assert kind == "people"
    teams = [r[0] for r in rows(world.base, "SELECT name FROM teams ORDER BY id")]
    return write_rows(
        path,
        ["employee_no", "name", "team"],
        ([f"X{i:05d}", f"Crash {i}", teams[i % len(teams)]] for i in range(2000)),
    )


# The import's own audit entries: the command's sign-in (``login``) is committed before it starts,
# in a transaction of its own, so a kill may leave it without the import.
IMPORT_AUDIT = "SELECT count(*) FROM audit_log WHERE action <> 'login'"


@pytest.mark.parametrize("kind", IMPORT_KINDS)
def test_kill_during_import(world: World, kind: str) -> None:
    table = IMPORT_TABLES[kind]
    path = import_file(world, kind)
    with path.open(encoding="utf-8") as f:
        lines = sum(1 for _ in f) - 1
    count = f"SELECT count(*) FROM {table}"
    before, audit_before = scalar(world.base, count), scalar(world.base, IMPORT_AUDIT)
    allowed = {m: [s] for m, s in world.states.items()}

    # The uninterrupted run: every row written, and how long that takes.
    reference = world.copy(world.base, f"import-{kind}")
    out = reference.with_suffix(".json")
    run = world.server.run(
        "csdesk",
        ["--db", str(reference), "--json", "import", kind, str(path)],
        reference.with_suffix(".log"),
        None,
        out,
    )
    assert run.code == 0, run.stderr()
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (
        report["written"] == lines and report["rejected"] == report["duplicates"] == report["updated"] == 0
    ), report
    after, audit_after = scalar(reference, count), scalar(reference, IMPORT_AUDIT)
    assert after - before == lines * (4 if kind == "ratings" else 1), (
        f"{kind}: {after - before} rows from {lines} lines"
    )
    assert audit_after > audit_before
    remove(reference)

    def trial(n: int, fresh: bool, instant: float) -> tuple[Run, str]:
        db = world.copy(world.base, f"import-{kind}-{n}")
        run = world.run(
            "csdesk",
            ["--db", str(db), "--json", "import", kind, str(path)],
            db.with_suffix(".log"),
            instant,
            fresh=fresh,
        )
        at = where(f"import {kind}", n, instant, run)
        assert run.killed or run.code == 0, f"{at}: {run.stderr()}"
        check_integrity(db, at)
        check_months(db, allowed, at)
        got, audit = scalar(db, count), scalar(db, IMPORT_AUDIT)
        assert got in (before, after), (
            f"{at}: {table} holds {got} rows, neither {before} (none of the file) nor {after} (all of it)"
        )
        assert audit == (audit_before if got == before else audit_after), (
            f"{at}: {got - before} of {after - before} {table} rows with {audit - audit_before} of {audit_after - audit_before} audit entries"
        )
        remove(db)
        return run, "all" if got == after else "none"

    world.trials(f"import {kind}", KILLS_PER_IMPORT, run.seconds, trial)


# --- a batch of GUI-service edits ------------------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    """What the edits touch, read with sqlite3: rows added after the demo's, and the cells set."""

    audit: list[tuple[Any, ...]]  # (action, entity_id)
    events: list[tuple[Any, ...]]  # (id, employee_no, day)
    leave: list[tuple[Any, ...]]
    corrections: list[tuple[Any, ...]]
    ratings: dict[tuple[str, str], Decimal]
    exams: dict[str, Decimal]


EDITED_TABLES = ("audit_log", "evaluation_events", "leave_requests", "punch_corrections")


def edited(db: Path, month: str, marks: dict[str, int]) -> Edited:
    person = "(SELECT employee_no FROM people p WHERE p.id = t.person_id)"
    return Edited(
        rows(db, "SELECT action, entity_id FROM audit_log WHERE id > ? ORDER BY id", marks["audit_log"]),
        rows(
            db,
            f"SELECT id, {person}, day FROM evaluation_events t WHERE id > ? ORDER BY id",
            marks["evaluation_events"],
        ),
        rows(
            db,
            f"SELECT id, {person}, start_day FROM leave_requests t WHERE id > ? ORDER BY id",
            marks["leave_requests"],
        ),
        rows(
            db,
            f"SELECT id, {person}, day FROM punch_corrections t WHERE id > ? ORDER BY id",
            marks["punch_corrections"],
        ),
        {
            (no, c): Decimal(v)
            for no, c, v in rows(
                db, f"SELECT {person}, criterion, value FROM ratings t WHERE month = ?", month
            )
        },
        {
            no: Decimal(v)
            for no, v in rows(db, f"SELECT {person}, score FROM exam_scores t WHERE month = ?", month)
        },
    )


def check_edits(now: Edited, base: Edited, edits: list[crash_edits.Edit], month: str, at: str) -> int:
    """The database holds the first ``k`` edits, each with its audit entry, and nothing of the rest."""
    k = len(now.audit)
    assert k <= len(edits), f"{at}: {k} new audit entries for {len(edits)} edits: {now.audit[-3:]}"
    done = edits[:k]
    assert [a for a, _ in now.audit] == [e.action for e in done], (
        f"{at}: audit entries not those of the first {k} edits: {now.audit}"
    )
    ids: dict[str, list[int]] = {}
    for (action, entity), e in zip(now.audit, done, strict=True):
        if e.kind in ("rating", "exam"):
            assert entity == f"{e.employee_no}/{month}", f"{at}: {action} {entity} for {e}"
        else:
            ids.setdefault(e.kind, []).append(int(entity))
    for kind, stored in (("event", now.events), ("leave", now.leave), ("correction", now.corrections)):
        wanted = [(e.employee_no, e.day.isoformat()) for e in done if e.kind == kind]
        got = [(r[1], r[2]) for r in stored]
        assert got == wanted, (
            f"{at}: {len(got)} new {kind} rows ({got[-2:]}) for {len(wanted)} audited edits ({wanted[-2:]})"
        )
        assert [r[0] for r in stored] == ids.get(kind, []), (
            f"{at}: the {kind} rows and their audit entries name other ids"
        )
    for i, e in enumerate(edits):
        if e.kind == "rating":
            cell = (e.employee_no, e.criterion or "")
            want = e.value if i < k else base.ratings.get(cell)
            assert now.ratings.get(cell) == want, (
                f"{at}: rating {cell} is {now.ratings.get(cell)}, not {want} (edit {i}; {k} audited)"
            )
        elif e.kind == "exam":
            want = e.value if i < k else base.exams.get(e.employee_no)
            got = now.exams.get(e.employee_no)
            assert got == want, f"{at}: exam of {e.employee_no} is {got}, not {want} (edit {i}; {k} audited)"
    return k


def test_kill_during_gui_service_edits(world: World) -> None:
    edits = crash_edits.plan(world.agents, date.fromisoformat(world.month + "-01"))
    marks = {t: scalar(world.base, f"SELECT coalesce(max(id), 0) FROM {t}") for t in EDITED_TABLES}
    base = edited(world.base, world.month, marks)
    allowed = {m: [s] for m, s in world.states.items()}

    def argv(db: Path) -> list[str]:
        return [str(db), world.month, ",".join(world.agents), str(len(edits))]

    # The uninterrupted batch: every edit there, and how long it takes.
    reference = world.copy(world.base, "edits")
    run = world.run("edits", argv(reference), reference.with_suffix(".log"))
    assert run.code == 0, run.stderr()
    assert check_edits(
        edited(reference, world.month, marks), base, edits, world.month, "uninterrupted"
    ) == len(edits)
    remove(reference)

    def trial(n: int, fresh: bool, instant: float) -> tuple[Run, str]:
        db = world.copy(world.base, f"edits-{n}")
        run = world.run("edits", argv(db), db.with_suffix(".log"), instant, fresh=fresh)
        at = where("edits", n, instant, run)
        assert run.killed or run.code == 0, f"{at}: {run.stderr()}"
        check_integrity(db, at)
        check_months(db, allowed, at)
        k = check_edits(edited(db, world.month, marks), base, edits, world.month, at)
        remove(db)
        return run, f"{k} of {len(edits)} edits"

    world.trials("edits", EDIT_KILLS, run.seconds, trial)
