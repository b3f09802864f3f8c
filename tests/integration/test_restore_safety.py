"""Restore safety (issue #12): an exclusive restore, restoring over a damaged database, and a
damaged backup refused with a message.

1. A restore holds SQLite's write lock on the live file from the safety copy to the end of the load
   (one write transaction): a writer in another process that is told its commit succeeded finds
   its row in the safety copy (committed before the restore) or in the live database (committed
   after it); a restore that cannot get the lock within the busy timeout is refused, naming why.
2. A live file too damaged for a safety copy (a page overwritten, truncated, garbage, emptied) is
   kept byte for byte as ``backups/csdesk-damaged-…db`` and the backup is restored over it; the
   result, the audit entry and the command line name the kept file.
3. A damaged backup (bits flipped in the header, a page in the middle, the last page; truncated;
   zero bytes) is refused with a CsdeskError naming it, exit 1 on the command line with one line
   on stderr and no traceback, and the live database is left as it was.

One demo database and a backup of it are built per module; each test works on copies.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.errors import CsdeskError, StorageError, ValidationError
from csdesk.models.db import sqlite_path
from csdesk.services import backup as backup_module
from csdesk.services import backup_files
from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock, make_context

ROOT = Path(__file__).resolve().parents[2]
DAMAGED_SAYS = "The database was damaged, so no safety copy could be made; the damaged file was kept as it was: "


# --- the module's demo database and its backup ---------------------------------------------------


class Template:
    def __init__(self, live: Path, backup: Path, people: int) -> None:
        self.live, self.backup, self.people = live, backup, people


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("template")
    ctx = make_context(folder, FixedClock())
    try:
        ctx.demo.build(SYSTEM, agents=12, months=1, seed=7, areas=False)
        backup = ctx.backup.backup(SYSTEM, folder / "good.db").path
        people = ctx.people.count()
    finally:
        ctx.close()
    with closing(sqlite3.connect(backup, isolation_level=None)) as conn:
        conn.execute("VACUUM")  # no free pages: every page of the file is in use, so every flip below matters
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    live = folder / "csdesk.db"
    assert not live.with_name("csdesk.db-wal").exists()  # closed: one self-contained file
    return Template(live, backup, people)


@pytest.fixture
def work(template: Template, tmp_path: Path, clock: FixedClock):
    """A context on a copy of the demo database, and a copy of its backup."""
    live = tmp_path / "csdesk.db"
    shutil.copyfile(template.live, live)
    backup = tmp_path / "good.db"
    shutil.copyfile(template.backup, backup)
    ctx = make_context(tmp_path, clock, db=str(live))
    yield ctx, live, backup
    ctx.close()


def _query(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def _teams(path: Path) -> set[str]:
    return {name for (name,) in _query(path, "SELECT name FROM teams")}


def _content(path: Path) -> str:
    """A fingerprint of every row of every table (not of the file's bytes, which a checkpoint may move)."""
    with closing(sqlite3.connect(path)) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def _integrity(path: Path) -> list[tuple]:
    return _query(path, "PRAGMA integrity_check")


def _beside(live: Path) -> list[str]:
    """What lies in the live database's folder besides it: no prepared file may stay behind."""
    return sorted(p.name for p in live.parent.iterdir() if p.name.startswith("." + live.name) or ".part" in p.name)


def _backups(ctx) -> list[str]:
    folder = ctx.backup.backups_folder
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- 1. the restore takes the database exclusively -------------------------------------------------

# A writer as the app writes: the project's engine (WAL, busy timeout 5 s, a pooled connection kept
# across the restore), one committed transaction per row. It prints each row's name once the commit
# returned, and stops when the stop file appears.
WRITER = r"""
import sys
from pathlib import Path
from sqlalchemy import text
from csdesk.models.db import make_engine

db, stop = sys.argv[1], Path(sys.argv[2])
engine = make_engine(f"sqlite:///{db}")
i = 0
while not stop.exists():
    i += 1
    name = f"writer-{i}"
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO teams (name) VALUES (:name)"), {"name": name})
    except Exception as exc:
        print(f"failed {name} {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
    else:
        print(f"committed {name}", flush=True)
engine.dispose()
"""


class Writer:
    """The writer process and what it said, read as it goes."""

    def __init__(self, live: Path, stop: Path) -> None:
        self.committed: list[str] = []
        self.failed: list[str] = []
        self.stop = stop
        self.errors = stop.with_name("writer-stderr.txt")
        with self.errors.open("w") as errors:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", WRITER, str(live), str(stop)],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
            )
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def finish(self) -> None:
        self.stop.touch()
        try:
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.thread.join(timeout=5)
            assert self.proc.stdout is not None
            self.proc.stdout.close()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            kind, _sep, rest = line.strip().partition(" ")
            (self.committed if kind == "committed" else self.failed).append(rest.split(" ")[0])

    def wait_for(self, commits: int, timeout: float = 8.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.committed) < commits:
            assert self.proc.poll() is None, self.errors.read_text()
            assert time.monotonic() < deadline, f"the writer committed only {len(self.committed)} rows"
            time.sleep(0.01)


def test_a_writer_in_another_process_never_loses_a_commit_it_was_told_succeeded(work, tmp_path: Path) -> None:
    ctx, live, backup = work
    stop = tmp_path / "stop"
    writer = Writer(live, stop)
    restores = []
    try:
        writer.wait_for(20)
        for _ in range(6):  # each restore meets the writer at another instant
            restores.append(ctx.backup.restore(SYSTEM, backup))
            writer.wait_for(len(writer.committed) + 5)
        after_last = len(writer.committed)
        writer.wait_for(after_last + 20)
    finally:
        writer.finish()
    assert writer.proc.returncode == 0, writer.errors.read_text()

    live_rows = _teams(live)
    safety_rows = [_teams(r.safety_copy) for r in restores]
    committed = set(writer.committed)
    lost = committed - live_rows - set().union(*safety_rows)
    assert not lost, f"{len(lost)} rows the writer was told were committed are nowhere: {sorted(lost)[:10]}"
    # Nothing was written that the writer was told failed, and the restore really met the writer:
    # rows before it are kept in the safety copies, rows after the last one sit on the restored data.
    assert not (set(writer.failed) & (live_rows | set().union(*safety_rows)))
    assert all(r.safety_copy is not None and r.damaged_copy is None for r in restores)
    assert len({r.safety_copy for r in restores}) == len(restores)
    assert {f"writer-{i}" for i in range(1, 21)} <= safety_rows[0]
    assert set(writer.committed[after_last:]) <= live_rows
    assert not {n for n in live_rows if n.startswith("writer-")} - committed
    assert _integrity(live) == [("ok",)]
    assert ctx.people.count() == len(_query(backup, "SELECT id FROM people"))
    assert _beside(live) == []


# Another program holding the write lock until it is told to commit.
HOLDER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=5, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO teams (name) VALUES ('written during the restore')")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("committed", flush=True)
"""


def test_a_restore_that_cannot_get_the_write_lock_is_refused_and_changes_nothing(
    work, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, live, backup = work
    monkeypatch.setattr(backup_files, "BUSY_SECONDS", 0.3)  # the restore's busy timeout (5 s in use)
    before = _content(live)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(live)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(StorageError) as info:
            ctx.backup.restore(SYSTEM, backup)
        assert time.monotonic() - started < 3
        assert info.value.message() == (
            "Another program is writing to the database; try the restore again when it has finished."
        )
        assert _backups(ctx) == []  # no safety copy of a restore that did not happen
        assert _beside(live) == []
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "committed"  # its commit was not disturbed
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait(timeout=5)
        for pipe in (holder.stdin, holder.stdout):
            if pipe is not None:
                pipe.close()
    assert "written during the restore" in _teams(live)
    with closing(sqlite3.connect(live)) as conn, conn:
        conn.execute("DELETE FROM teams WHERE name = 'written during the restore'")
    assert _content(live) == before

    # Once the other program is done, the restore goes ahead.
    result = ctx.backup.restore(SYSTEM, backup)
    assert result.safety_copy is not None and _content(result.safety_copy) == before


def test_a_writer_waiting_for_the_lock_commits_on_top_of_the_restored_data(work) -> None:
    """The other order: the restore holds the lock while a writer waits; the writer's commit follows it."""
    ctx, live, backup = work
    real_copy = ctx.backup._copy
    outcome: dict[str, object] = {}
    waiting: list[threading.Thread] = []

    def write() -> None:
        try:
            with closing(sqlite3.connect(live, timeout=5, isolation_level=None)) as conn:
                conn.execute("INSERT INTO teams (name) VALUES ('waited for the restore')")
            outcome["ok"] = True
        except sqlite3.Error as exc:
            outcome["error"] = exc

    def copy_while_a_writer_waits(source: Path, target: Path):
        thread = threading.Thread(target=write)
        thread.start()
        thread.join(0.5)  # the writer is stuck on the restore's lock
        assert thread.is_alive()
        waiting.append(thread)
        return real_copy(source, target)

    ctx.backup._copy = copy_while_a_writer_waits  # type: ignore[method-assign]
    result = ctx.backup.restore(SYSTEM, backup)
    assert len(waiting) == 1
    waiting[0].join(5)
    assert outcome.get("ok") is True, outcome.get("error")
    assert "waited for the restore" in _teams(live)  # on top of the restored data
    assert result.safety_copy is not None and "waited for the restore" not in _teams(result.safety_copy)
    assert ctx.people.count() == len(_query(backup, "SELECT id FROM people"))


def test_a_rollback_journal_database_gets_its_safety_copy_from_its_bytes_under_the_lock(work) -> None:
    """Not WAL: the restore's EXCLUSIVE lock keeps readers out, so the safety copy is the file's bytes."""
    ctx, live, backup = work
    ctx.engine.dispose()
    with closing(sqlite3.connect(live, isolation_level=None)) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
        conn.execute("INSERT INTO teams (name) VALUES ('after the backup')")
    before = _content(live)
    result = ctx.backup.restore(SYSTEM, backup)
    assert result.safety_copy is not None and result.damaged_copy is None
    assert _content(result.safety_copy) == before and _integrity(result.safety_copy) == [("ok",)]
    assert "after the backup" not in _teams(live) and _integrity(live) == [("ok",)]
    assert _beside(live) == []


def test_a_backup_with_another_page_size_is_restored_into_the_wal_database(work) -> None:
    ctx, live, backup = work
    with closing(sqlite3.connect(backup, isolation_level=None)) as conn:
        conn.execute("PRAGMA page_size = 8192")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    assert _query(live, "PRAGMA page_size") == [(4096,)] and _query(live, "PRAGMA journal_mode") == [("wal",)]
    result = ctx.backup.restore(SYSTEM, backup)
    assert result.safety_copy is not None
    assert _query(live, "PRAGMA journal_mode") == [("wal",)] and _integrity(live) == [("ok",)]
    assert ctx.people.count() == len(_query(backup, "SELECT id FROM people"))


def test_a_failure_while_preparing_the_restore_leaves_no_file_behind(work, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, live, backup = work
    before = _content(live)

    def fail(_engine) -> None:
        raise StorageError("The database could not be written: {error}", error="disk full")

    monkeypatch.setattr(backup_module, "migrate", fail)
    with pytest.raises(StorageError, match="disk full"):
        ctx.backup.restore(SYSTEM, backup)
    assert _backups(ctx) == [] and _beside(live) == []
    ctx.engine.dispose()
    assert _content(live) == before


# --- 2. restoring over a damaged database ---------------------------------------------------------


def _overwrite_a_middle_page(data: bytes) -> bytes:
    page = 4096
    assert len(data) % page == 0
    middle = len(data) // page // 2 * page
    noise = random.Random(12).randbytes(page)
    return data[:middle] + noise + data[middle + page :]


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 3 + 100]


def _garbage(data: bytes) -> bytes:
    return random.Random(7).randbytes(len(data))


def _emptied(_data: bytes) -> bytes:
    return b""


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "a-page-overwritten": _overwrite_a_middle_page,
    "truncated": _truncated,
    "garbage": _garbage,
    "emptied": _emptied,
}


def _damage(live: Path, how: Callable[[bytes], bytes]) -> bytes:
    assert not live.with_name(live.name + "-wal").exists()  # the context let go of the file
    damaged = how(live.read_bytes())
    live.write_bytes(damaged)
    return damaged


def _sqlite_says_damaged(path: Path) -> bool:
    try:
        return _integrity(path) != [("ok",)] or not _query(path, "SELECT name FROM sqlite_master")
    except sqlite3.DatabaseError:
        return True


@pytest.mark.parametrize("kind", list(DAMAGES))
def test_a_backup_is_restored_over_a_damaged_database_which_is_kept_byte_for_byte(work, kind: str) -> None:
    ctx, live, backup = work
    with closing(sqlite3.connect(live, isolation_level=None)) as conn:
        conn.execute("INSERT INTO teams (name) VALUES ('after the backup')")
    ctx.engine.dispose()
    damaged = _damage(live, DAMAGES[kind])
    assert _sqlite_says_damaged(live)

    result = ctx.backup.restore(SYSTEM, backup)

    assert result.safety_copy is None
    assert result.damaged_copy == ctx.data_dir / "backups" / "csdesk-damaged-20261015-093000.db"
    assert result.damaged_copy.read_bytes() == damaged  # exactly as it was
    assert _backups(ctx) == [result.damaged_copy.name]
    assert _integrity(live) == [("ok",)]
    assert ctx.people.count() == len(_query(backup, "SELECT id FROM people"))  # the same context works on
    assert "after the backup" not in _teams(live)
    entry = ctx.audit.recent(SYSTEM, 1)[0]
    assert entry.action == "backup.restore"
    assert entry.details["damaged_copy"] == str(result.damaged_copy) and "safety_copy" not in entry.details
    assert _beside(live) == []
    # The next restore is an ordinary one again.
    again = ctx.backup.restore(SYSTEM, backup)
    assert again.safety_copy is not None and again.damaged_copy is None


def _restore_cli(capsys: pytest.CaptureFixture[str], live: Path, backup: Path, *extra: str) -> tuple[int, str, str]:
    code = main(["--db", str(live), "restore", str(backup), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _kept_path(stdout: str) -> Path:
    lines = [line for line in stdout.splitlines() if line.startswith(DAMAGED_SAYS)]
    assert len(lines) == 1, stdout
    return Path(lines[0][len(DAMAGED_SAYS) :])


@pytest.mark.parametrize("output", ["text", "json"])
def test_cli_restores_over_a_damaged_database_and_names_the_kept_file(
    template: Template, tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    live = tmp_path / "cli.db"
    shutil.copyfile(template.live, live)
    damaged = _damage(live, _overwrite_a_middle_page)
    assert _sqlite_says_damaged(live)

    code, out, err = _restore_cli(capsys, live, template.backup, *(["--json"] if output == "json" else []))

    assert code == 0, err
    assert "Traceback" not in err
    if output == "json":
        doc = json.loads(out)
        assert doc["safety_copy"] is None and doc["restored"] == str(template.backup)
        kept = Path(doc["damaged_copy"])
    else:
        assert "Safety copy" not in out
        kept = _kept_path(out)
    assert kept.name.startswith("csdesk-damaged-") and kept.parent.name == "backups"
    assert kept.read_bytes() == damaged
    assert _integrity(live) == [("ok",)]
    assert len(_query(live, "SELECT id FROM people")) == template.people
    kept.unlink()  # the CLI's backups folder is the test session's data folder


@pytest.mark.parametrize("kind", ["truncated", "garbage"])
def test_cli_restores_over_an_unreadable_database(
    template: Template, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    live = tmp_path / "cli.db"
    shutil.copyfile(template.live, live)
    damaged = _damage(live, DAMAGES[kind])
    code, out, err = _restore_cli(capsys, live, template.backup)
    assert code == 0, err
    assert "cannot be read" in err and "Traceback" not in err  # said why nobody signed in
    assert _kept_path(out).read_bytes() == damaged
    assert _integrity(live) == [("ok",)]
    assert len(_query(live, "SELECT id FROM people")) == template.people


# --- 3. a damaged backup is refused with a message ------------------------------------------------


def _flip(offsets: Callable[[bytes], list[int]], mask: int = 0x80) -> Callable[[bytes], bytes]:
    def flip(data: bytes) -> bytes:
        out = bytearray(data)
        for offset in offsets(data):
            out[offset] ^= mask
        return bytes(out)

    return flip


def _page_start(data: bytes, which: str) -> int:
    size = int.from_bytes(data[16:18], "big")
    pages = len(data) // size
    number = pages // 2 if which == "middle" else pages - 1  # 0-based
    return number * size


BAD_BACKUPS: dict[str, Callable[[bytes], bytes]] = {
    # "SQLite format 3\0": no longer a database
    "header-magic": _flip(lambda _d: [0, 5], mask=0x01),
    # the page size (4096) turned into one SQLite does not have
    "header-page-size": _flip(lambda _d: [16], mask=0x01),
    # the b-tree page type of a page in the middle, then of the last page
    "middle-page": _flip(lambda d: [_page_start(d, "middle")]),
    "last-page": _flip(lambda d: [_page_start(d, "last")]),
    # bits flipped at all three places at once
    "header-middle-end": _flip(lambda d: [0, _page_start(d, "middle"), _page_start(d, "last")], mask=0x02),
    "truncated": lambda d: d[: len(d) * 2 // 3 + 17],
    "zero-bytes": lambda _d: b"",
}


def _bad_backup(template: Template, folder: Path, kind: str) -> Path:
    bad = folder / f"bad-{kind}.db"
    bad.write_bytes(BAD_BACKUPS[kind](template.backup.read_bytes()))
    return bad


@pytest.mark.parametrize("kind", list(BAD_BACKUPS))
def test_a_damaged_backup_is_refused_naming_it_and_nothing_changes(work, template: Template, kind: str) -> None:
    ctx, live, _backup = work
    bad = _bad_backup(template, live.parent, kind)
    before = _content(live)
    with pytest.raises(CsdeskError) as info:
        ctx.backup.restore(SYSTEM, bad)
    assert isinstance(info.value, ValidationError)
    message = info.value.message()
    assert str(bad) in message
    assert any(words in message for words in ("is damaged", "not a readable SQLite database", "not a csdesk backup"))
    assert _backups(ctx) == [] and _beside(live) == []
    ctx.engine.dispose()
    assert _content(live) == before and _integrity(live) == [("ok",)]
    assert ctx.people.count() == template.people


@pytest.mark.parametrize("kind", list(BAD_BACKUPS))
def test_cli_refuses_a_damaged_backup_exit_1_one_line_no_traceback(
    template: Template, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    live = tmp_path / "cli.db"
    shutil.copyfile(template.live, live)
    bad = _bad_backup(template, tmp_path, kind)
    before = _content(live)
    code, out, err = _restore_cli(capsys, live, bad)
    assert code == 1 and out == ""
    assert "Traceback" not in err
    lines = [line for line in err.strip().splitlines() if not line.startswith("csdesk: acting as")]
    assert len(lines) == 1 and str(bad) in lines[0]
    assert _content(live) == before and _integrity(live) == [("ok",)]


def test_python_m_csdesk_refuses_a_bit_flipped_backup_without_a_traceback(template: Template, tmp_path: Path) -> None:
    """The same as a user runs it: a separate interpreter, exit code 1, the reason on stderr."""
    live = tmp_path / "cli.db"
    shutil.copyfile(template.live, live)
    bad = _bad_backup(template, tmp_path, "middle-page")
    before = _content(live)
    done = subprocess.run(
        [sys.executable, "-m", "csdesk", "--db", str(live), "restore", str(bad)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert str(bad) in done.stderr
    assert "is damaged" in done.stderr or "not a readable SQLite database" in done.stderr
    assert _content(live) == before
