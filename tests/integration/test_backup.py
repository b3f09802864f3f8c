"""Backup and restore on real SQLite files: online copies, checks, safety copies, the CLI."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.errors import NotFound, PermissionDenied, StorageError, ValidationError
from csdesk.models.base import schema_heads
from csdesk.models.db import sqlite_path
from csdesk.services import backup as backup_module
from csdesk.services import backup_files
from csdesk.services.backup import BackupService
from csdesk.services.base import SYSTEM, Actor

AGENT = Actor("agent1", "agent")
DIRECTOR = Actor("director", "director")


def _live(ctx) -> Path:
    path = sqlite_path(ctx.db_url)
    assert path is not None
    return path


def _query(path: Path, sql: str, *params: object) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def _counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _state(ctx) -> tuple[int, int, list[str]]:
    """What a refused restore must leave alone: people, audit entries, files in the backups folder."""
    folder = ctx.backup.backups_folder
    files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    return ctx.people.count(), len(ctx.audit.recent(SYSTEM, 10_000)), files


# --- backup ---------------------------------------------------------------------------------


def test_backup_during_an_open_write_transaction_copies_the_last_commit(demo_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    live = _live(demo_ctx)
    people = demo_ctx.people.count()
    writer = sqlite3.connect(live, timeout=5, isolation_level=None)
    assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE people SET name = 'half-written' WHERE employee_no = 'A001'")
    writer.execute("INSERT INTO teams (name) VALUES ('uncommitted team')")
    real_copy = demo_ctx.backup._copy

    def copy_then_release(source: Path, target: Path):
        checked = real_copy(source, target)  # made while the writer holds its transaction
        writer.execute("ROLLBACK")  # released before the audit entry is written
        return checked

    monkeypatch.setattr(demo_ctx.backup, "_copy", copy_then_release)
    try:
        result = demo_ctx.backup.backup(SYSTEM)
    finally:
        writer.close()
    assert result.path == demo_ctx.data_dir / "backups" / "csdesk-20261015-093000.db"
    assert result.bytes == result.path.stat().st_size
    assert _query(result.path, "PRAGMA integrity_check") == [("ok",)]
    assert _query(result.path, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert _query(result.path, "SELECT name FROM people WHERE employee_no = 'A001'")[0][0] != "half-written"
    assert _query(result.path, "SELECT count(*) FROM teams WHERE name = 'uncommitted team'") == [(0,)]
    assert result.tables["people"] == people
    assert set(_query(result.path, "SELECT version_num FROM alembic_version")) == {(r,) for r in schema_heads()}
    assert sorted(p.name for p in result.path.parent.iterdir()) == [result.path.name]  # no temporary file left


def test_the_copy_has_the_same_rows_and_the_backup_is_audited(demo_ctx) -> None:
    before = _counts(_live(demo_ctx))
    result = demo_ctx.backup.backup(SYSTEM)
    copy = _counts(result.path)
    assert copy == before
    assert result.table_count == len(before)
    assert {k: copy[k] for k in result.tables} == result.tables
    entry = demo_ctx.audit.recent(SYSTEM, 1)[0]
    assert (entry.action, entry.details["path"], entry.details["bytes"]) == ("backup.create", str(result.path), result.bytes)


def test_backups_in_the_same_second_do_not_overwrite_each_other(ctx) -> None:
    first = ctx.backup.backup(SYSTEM)
    second = ctx.backup.backup(SYSTEM)
    assert first.path != second.path and first.path.exists() and second.path.exists()
    assert second.path.name == "csdesk-20261015-093000-2.db"


def test_backup_to_a_folder_uses_the_default_name(ctx, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    assert ctx.backup.backup(SYSTEM, folder).path == folder / "csdesk-20261015-093000.db"


def test_a_failed_check_leaves_no_file(ctx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, **_options: object):
        raise ValidationError("{file} is damaged: its integrity check failed ({error}).", file=str(path), error="x")

    monkeypatch.setattr(backup_files, "check_file", broken)  # the check a new copy gets before it is renamed
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(StorageError, match="failed its check"):
        ctx.backup.backup(SYSTEM, out / "b.db")
    assert list(out.iterdir()) == []


def test_backup_refuses_to_overwrite_the_live_database(ctx) -> None:
    with pytest.raises(ValidationError, match="database in use"):
        ctx.backup.backup(SYSTEM, _live(ctx))
    assert ctx.people.count() == 0 and _query(_live(ctx), "PRAGMA integrity_check") == [("ok",)]


def test_backup_into_a_missing_folder_is_a_storage_error(ctx, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="nowhere"):
        ctx.backup.backup(SYSTEM, tmp_path / "nowhere" / "b.db")


def test_postgresql_is_refused_with_a_pointer_to_pg_dump(ctx, tmp_path: Path) -> None:
    service = BackupService(ctx._uow, ctx.policy, db_url="postgresql+psycopg://u@localhost/csdesk", data_dir=tmp_path)
    assert service.unsupported() is not None
    with pytest.raises(ValidationError, match="pg_dump"):
        service.backup(SYSTEM)
    with pytest.raises(ValidationError, match="pg_dump"):
        service.restore(SYSTEM, tmp_path / "x.db")


def test_only_supervisors_and_directors_may_back_up_or_restore(demo_ctx) -> None:
    result = demo_ctx.backup.backup(DIRECTOR)
    assert demo_ctx.backup.allowed(DIRECTOR) and not demo_ctx.backup.allowed(AGENT)
    with pytest.raises(PermissionDenied):
        demo_ctx.backup.backup(AGENT)
    before = _state(demo_ctx)
    with pytest.raises(PermissionDenied):
        demo_ctx.backup.restore(AGENT, result.path)
    assert _state(demo_ctx) == before


# --- restore --------------------------------------------------------------------------------


def test_restore_brings_back_a_deleted_person_keeps_a_safety_copy_and_audits(demo_ctx) -> None:
    live = _live(demo_ctx)
    backup = demo_ctx.backup.backup(SYSTEM).path
    with closing(sqlite3.connect(live, isolation_level=None)) as conn:  # a person removed for good
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM people WHERE employee_no = 'A003'")
    assert "A003" not in {p.employee_no for p in demo_ctx.people.people(SYSTEM, include_inactive=True)}

    result = demo_ctx.backup.restore(SYSTEM, backup)

    assert "A003" in {p.employee_no for p in demo_ctx.people.people(SYSTEM, include_inactive=True)}  # same context, new data
    assert result.source == backup and result.database == live and result.migrated is False
    assert result.safety_copy.parent == demo_ctx.data_dir / "backups"
    assert result.safety_copy.name == "csdesk-before-restore-20261015-093000.db"
    assert _query(result.safety_copy, "SELECT count(*) FROM people WHERE employee_no = 'A003'") == [(0,)]
    assert _query(result.safety_copy, "PRAGMA integrity_check") == [("ok",)]
    entry = demo_ctx.audit.recent(SYSTEM, 1)[0]
    assert entry.action == "backup.restore" and entry.username == "system"
    assert entry.details["safety_copy"] == str(result.safety_copy) and entry.details["source"] == str(backup)
    assert _query(live, "PRAGMA integrity_check") == [("ok",)]
    # The safety copy undoes the restore.
    demo_ctx.backup.restore(SYSTEM, result.safety_copy)
    assert "A003" not in {p.employee_no for p in demo_ctx.people.people(SYSTEM, include_inactive=True)}


def _text_file(tmp_path: Path, _backup: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 200, encoding="utf-8")
    return path


def _truncated(tmp_path: Path, backup: Path) -> Path:
    data = backup.read_bytes()
    path = tmp_path / "truncated.db"
    path.write_bytes(data[: len(data) // 2])
    return path


def _newer(tmp_path: Path, backup: Path) -> Path:
    path = tmp_path / "newer.db"
    path.write_bytes(backup.read_bytes())
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    return path


def _foreign(tmp_path: Path, _backup: Path) -> Path:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
    return path


def _missing(tmp_path: Path, _backup: Path) -> Path:
    return tmp_path / "gone.db"


@pytest.mark.parametrize(
    ("make", "error", "says"),
    [
        (_text_file, ValidationError, "not a readable SQLite database"),
        (_truncated, ValidationError, "damaged|not a readable SQLite database"),  # depends on where the cut falls
        (_newer, ValidationError, "newer version of csdesk (schema 9999_from_the_future)"),
        (_foreign, ValidationError, "not a csdesk backup"),
        (_missing, NotFound, "does not exist"),
    ],
    ids=["text", "truncated", "newer-schema", "not-csdesk", "missing"],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(demo_ctx, tmp_path: Path, make, error, says) -> None:
    backup = demo_ctx.backup.backup(SYSTEM).path
    bad = make(tmp_path, backup)
    live_before = _counts(_live(demo_ctx))
    before = _state(demo_ctx)
    with pytest.raises(error) as info:
        demo_ctx.backup.restore(SYSTEM, bad)
    message = info.value.message()
    assert str(bad) in message  # names the file
    assert any(part in message for part in says.split("|"))
    assert _state(demo_ctx) == before  # no safety copy, no audit entry, same people
    assert _counts(_live(demo_ctx)) == live_before


def test_restore_refuses_the_live_database_itself(demo_ctx) -> None:
    with pytest.raises(ValidationError, match="database in use"):
        demo_ctx.backup.restore(SYSTEM, _live(demo_ctx))


def test_an_older_backup_is_restored_and_migrated(ctx, tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from csdesk.models.db import MIGRATIONS_DIR

    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009_level_history")
    engine.dispose()
    with closing(sqlite3.connect(old)) as conn, conn:
        conn.execute("INSERT INTO teams (name) VALUES ('老一组')")

    result = ctx.backup.restore(SYSTEM, old)

    assert result.migrated is True and result.revisions == ("0009_level_history",)
    assert set(_query(_live(ctx), "SELECT version_num FROM alembic_version")) == {(r,) for r in schema_heads()}
    assert _query(_live(ctx), "SELECT name FROM teams") == [("老一组",)]
    assert ctx.audit.recent(SYSTEM, 1)[0].action == "backup.restore"


def test_a_failed_migration_puts_the_previous_data_back(demo_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = demo_ctx.backup.backup(SYSTEM).path
    with closing(sqlite3.connect(_live(demo_ctx), isolation_level=None)) as conn:
        conn.execute("INSERT INTO teams (name) VALUES ('after the backup')")

    def fail(_engine) -> None:
        raise StorageError("The database could not be written: {error}", error="disk full")

    monkeypatch.setattr(backup_module, "migrate", fail)
    with pytest.raises(StorageError, match="disk full"):
        demo_ctx.backup.restore(SYSTEM, backup)
    assert _query(_live(demo_ctx), "SELECT count(*) FROM teams WHERE name = 'after the backup'") == [(1,)]


# --- command line -----------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cli.db"
    assert main(["--db", str(path), "demo", "--agents", "9", "--months", "1"]) == 0
    capsys.readouterr()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_backup_json_and_restore(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nightly.db"
    code, stdout, err = run(capsys, "--db", str(db), "--json", "backup", "--out", str(out))
    assert code == 0 and err == ""
    doc = json.loads(stdout)
    assert set(doc) == {"path", "bytes", "tables"}
    assert doc["path"] == str(out) and doc["bytes"] == out.stat().st_size and doc["tables"]["people"] > 9

    code, stdout, _err = run(capsys, "--db", str(db), "backup", "--out", str(tmp_path / "plain.db"), "--user", "supervisor")
    assert code == 0 and "Backup written: " in stdout and "plain.db" in stdout and "People" in stdout  # tables by their names, not SQL ones

    code, stdout, _err = run(capsys, "--db", str(db), "restore", str(out), "--json")
    assert code == 0
    doc = json.loads(stdout)
    assert doc["restored"] == str(out) and doc["migrated"] is False and Path(doc["safety_copy"]).is_file()

    code, stdout, _err = run(capsys, "--db", str(db), "restore", str(out))
    assert code == 0 and "Safety copy of the previous data: " in stdout


def test_cli_restore_of_a_text_file_exits_1_naming_it(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "readme.txt"
    bad.write_text("hello", encoding="utf-8")
    code, stdout, err = run(capsys, "--db", str(db), "restore", str(bad))
    assert code == 1 and stdout == "" and str(bad) in err and len(err.strip().splitlines()) == 1


def test_cli_agent_is_refused_exit_1(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, err = run(capsys, "--db", str(db), "--user", "agent1", "backup")
    assert code == 1 and stdout == "" and "settings.edit" in err


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["restore"], ["backup", "--nonsense"], ["restore", "a.db", "b.db"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    capsys.readouterr()


def test_check_file_accepts_a_plain_copy_of_a_wal_database_without_touching_its_folder(demo_ctx, tmp_path: Path) -> None:
    folder = tmp_path / "copied"
    folder.mkdir()
    copy = folder / "csdesk.db"
    with closing(sqlite3.connect(_live(demo_ctx))) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy.write_bytes(_live(demo_ctx).read_bytes())  # a WAL-mode header, no -wal beside it
    checked = backup_module.check_file(copy)
    assert checked.tables["people"] == demo_ctx.people.count()
    assert [p.name for p in folder.iterdir()] == ["csdesk.db"]
