"""The audit log's hash chain: entries chain, `audit verify` finds tampering, triggers refuse rewrites,
the migration chains existing entries, and restore re-creates the triggers and refuses broken chains."""

from __future__ import annotations

import itertools
import json
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.errors import PermissionDenied, ValidationError
from csdesk.models.audit_triggers import GAP, GENESIS, HASH_MISMATCH, PREV_MISMATCH, entry_hash
from csdesk.models.db import sqlite_path
from csdesk.services.base import SYSTEM, Actor

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


SQLITE_FILE = pytest.mark.sqlite_only("tampers with the SQLite file; PostgreSQL's triggers: test_postgres.py")
TRIGGERS = {"audit_log_no_update", "audit_log_no_delete", "audit_log_no_rewrite"}


def _live(ctx) -> Path:
    path = sqlite_path(ctx.db_url)
    assert path is not None
    return path


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _triggers(path: Path) -> set[str]:
    with closing(_connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}


def _tamper(path: Path, *statements: str) -> None:
    """Change the log behind csdesk's back: drop the triggers, run ``statements``."""
    with closing(_connect(path)) as conn:
        for name in TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        for stmt in statements:
            conn.execute(stmt)


def _add(ctx, n: int) -> None:
    with ctx.audit._uow() as uow:
        for i in range(n):
            uow.audit.add(datetime(2026, 10, 1, 9, 0, i), "sup", "test.add", "thing", str(i), {"n": i, "名": "张"})
        uow.commit()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_entries_chain_each_to_the_one_before(ctx) -> None:
    from sqlalchemy import text

    from csdesk.models.db import make_engine

    _add(ctx, 4)
    engine = make_engine(ctx.db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, username, action, entity, entity_id, details, prev_hash, hash FROM audit_log ORDER BY id")
        ).all()
    engine.dispose()
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert rows[0][6] == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after[6] == before[7]
    first = rows[0]
    assert first[7] == entry_hash(1, datetime(2026, 10, 1, 9, 0, 0), *first[1:6], GENESIS)
    result = ctx.audit.verify(SYSTEM)
    assert result.ok and result.entries == 4 and result.first_broken is None


def test_verify_needs_audit_view(ctx) -> None:
    with pytest.raises(PermissionDenied):
        ctx.audit.verify(Actor("agent1", "agent"))


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cli.db"
    assert main(["--db", str(path), "demo", "--agents", "6", "--months", "1"]) == 0
    for n in range(3):  # more audit entries: backup.create
        assert main(["--db", str(path), "backup", "--out", str(tmp_path / f"b{n}.db")]) == 0
    capsys.readouterr()
    return path


def _count(path: Path) -> int:
    with closing(_connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_audit_verify_is_ok_on_the_demo(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = _count(db)
    assert entries > 0
    code, out, err = run(capsys, "--db", str(db), "--json", "audit", "verify")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"ok": True, "entries": entries}  # signing in to verify writes nothing
    code, out, _ = run(capsys, "--db", str(db), "audit", "verify")
    assert code == 0 and "intact" in out and str(entries) in out


def test_changed_details_are_found_at_that_entry(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    k = 3
    _tamper(db, f"""UPDATE audit_log SET details = '{{"forged": true}}' WHERE id = {k}""")
    code, out, err = run(capsys, "--db", str(db), "--json", "audit", "verify")
    assert code == 1
    doc = json.loads(out)
    assert doc["ok"] is False and doc["entries"] == _count(db)
    assert doc["first_broken"] == {"id": k, "problem": HASH_MISMATCH}
    code, out, err = run(capsys, "--db", str(db), "audit", "verify")
    assert code == 1 and f"entry {k} " in err and "changed" in err


def test_a_relinked_entry_is_found_as_a_broken_link(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(db, f"UPDATE audit_log SET prev_hash = '{'1' * 64}' WHERE id = 2")
    code, out, _ = run(capsys, "--db", str(db), "--json", "audit", "verify")
    assert code == 1 and json.loads(out)["first_broken"] == {"id": 2, "problem": PREV_MISMATCH}


@SQLITE_FILE
def test_a_deleted_middle_entry_is_found(ctx) -> None:
    _add(ctx, 5)
    _tamper(_live(ctx), "DELETE FROM audit_log WHERE id = 3")
    result = ctx.audit.verify(SYSTEM)
    assert not result.ok and result.entries == 4
    assert (result.first_broken.id, result.first_broken.problem) == (4, GAP)


@SQLITE_FILE
def test_triggers_refuse_insert_or_replace_update_delete_and_unchained_inserts(ctx) -> None:
    _add(ctx, 2)
    live = _live(ctx)
    with closing(_connect(live)) as conn:
        original = conn.execute("SELECT * FROM audit_log WHERE id = 1").fetchone()
        cols = "(id, at, username, action, entity, entity_id, details, prev_hash, hash)"
        row = "(1, '2026-10-01 00:00:00.000000', 'eve', 'x', 'e', '1', '{}', 'p', 'h')"
        for stmt in (
            f"INSERT OR REPLACE INTO audit_log {cols} VALUES {row}",
            f"REPLACE INTO audit_log {cols} VALUES {row}",
            f"INSERT INTO audit_log {cols} VALUES {row} ON CONFLICT(id) DO UPDATE SET username = 'eve'",
            # no id (SQLite would pick one), no hash: both bypass the repository
            "INSERT INTO audit_log (at, username, action, entity, entity_id, details, prev_hash, hash) VALUES "
            + "('2026-10-01', 'eve', 'x', 'e', '1', '{}', 'p', 'h')",
            "INSERT INTO audit_log (id, at, username, action, entity, entity_id, details) VALUES "
            + "(99, '2026-10-01', 'eve', 'x', 'e', '1', '{}')",
            "UPDATE audit_log SET username = 'eve' WHERE id = 1",
            "DELETE FROM audit_log WHERE id = 1",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(stmt)
        assert conn.execute("SELECT * FROM audit_log WHERE id = 1").fetchone() == original
    assert ctx.audit.verify(SYSTEM).ok


def _database_at_0011(path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from csdesk.models.db import MIGRATIONS_DIR

    engine = create_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0011_signed_month")
    engine.dispose()
    with closing(_connect(path)) as conn:
        conn.executemany(
            "INSERT INTO audit_log (at, username, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("2026-09-01 08:00:00.000000", "sup", "person.add", "person", "1", '{"name": "张三"}'),
                ("2026-09-01 08:00:05.250000", "lead1", "leave.approve", "leave", "7", "{}"),
                ("2026-09-02 17:45:00.000000", "sup", "month.lock", "month", "2026-08", '{"revision": 1}'),
            ],
        )
        conn.execute("INSERT INTO teams (name) VALUES ('老一组')")


def test_migrating_a_0011_database_chains_its_entries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.db"
    _database_at_0011(old)
    code, out, err = run(capsys, "--db", str(old), "--json", "audit", "verify")  # opening migrates
    assert (code, err) == (0, "csdesk: acting as system (Supervisor)\n")  # no accounts yet: nobody signs in
    assert json.loads(out) == {"ok": True, "entries": 3}
    assert _triggers(old) == TRIGGERS
    with closing(_connect(old)) as conn:
        assert conn.execute("SELECT prev_hash FROM audit_log WHERE id = 1").fetchone()[0] == GENESIS
        assert conn.execute("SELECT count(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 0
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_log SET username = 'eve' WHERE id = 2")
    # New entries continue the chain.
    assert main(["--db", str(old), "backup", "--out", str(tmp_path / "b.db")]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", str(old), "--json", "audit", "verify")
    assert json.loads(out) == {"ok": True, "entries": 4}


@SQLITE_FILE
def test_restore_recreates_the_triggers(demo_ctx, tmp_path: Path) -> None:
    backup = demo_ctx.backup.backup(SYSTEM).path
    with closing(_connect(backup)) as conn:  # a copy that lost its triggers, chain intact
        for name in TRIGGERS:
            conn.execute(f"DROP TRIGGER {name}")
    assert _triggers(backup) == set()
    demo_ctx.backup.restore(SYSTEM, backup)
    live = _live(demo_ctx)
    assert _triggers(live) == TRIGGERS
    assert demo_ctx.audit.verify(SYSTEM).ok
    with closing(_connect(live)) as conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE id = 1")


@SQLITE_FILE
def test_restore_of_an_older_backup_chains_it(ctx, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _database_at_0011(old)
    result = ctx.backup.restore(SYSTEM, old)
    assert result.migrated
    verified = ctx.audit.verify(SYSTEM)
    assert verified.ok and verified.entries == 4  # three chained by the migration, then backup.restore
    assert _triggers(_live(ctx)) == TRIGGERS


@SQLITE_FILE
def test_restore_refuses_a_backup_with_a_broken_chain_and_changes_nothing(demo_ctx) -> None:
    _add(demo_ctx, 3)
    backup = demo_ctx.backup.backup(SYSTEM).path
    _tamper(backup, "UPDATE audit_log SET username = 'eve' WHERE id = 2")
    live = _live(demo_ctx)
    entries = _count(live)
    folder = demo_ctx.backup.backups_folder
    files = sorted(p.name for p in folder.iterdir())
    with pytest.raises(ValidationError) as info:
        demo_ctx.backup.restore(SYSTEM, backup)
    message = info.value.message()
    assert str(backup) in message and "entry 2 " in message
    assert _count(live) == entries and sorted(p.name for p in folder.iterdir()) == files
    assert _triggers(live) == TRIGGERS


@SQLITE_FILE
def test_a_chain_broken_after_migrating_puts_the_previous_data_back(demo_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    from csdesk.models.audit_triggers import ChainBreak
    from csdesk.services import backup as backup_module

    backup = demo_ctx.backup.backup(SYSTEM).path
    live = _live(demo_ctx)
    with closing(_connect(live)) as conn:
        conn.execute("INSERT INTO teams (name) VALUES ('after the backup')")
    monkeypatch.setattr(backup_module, "check_chain", lambda _path: None)  # the file passes the first look
    monkeypatch.setattr(
        "csdesk.models.repositories.AuditRepository.verify", lambda self: ChainBreak(5, HASH_MISMATCH)
    )
    with pytest.raises(ValidationError, match="entry 5 "):
        demo_ctx.backup.restore(SYSTEM, backup)
    with closing(_connect(live)) as conn:
        assert conn.execute("SELECT count(*) FROM teams WHERE name = 'after the backup'").fetchone() == (1,)
