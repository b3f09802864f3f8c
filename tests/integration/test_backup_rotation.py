"""Automatic rotating backups (issue #12): on exit and daily, the newest ``backup.keep`` kept."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from csdesk.errors import PolicyError, StorageError
from csdesk.policy import load_policy
from csdesk.policy.model import BackupPolicy
from csdesk.services.backup import BackupService
from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock


def _service(ctx, clock: FixedClock, *, keep: int = 3, daily: bool = True) -> BackupService:
    policy = dataclasses.replace(ctx.policy, backup=BackupPolicy(keep=keep, daily=daily))
    return BackupService(ctx._uow, policy, clock, db_url=ctx.db_url, data_dir=ctx.data_dir)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _automatic_entries(ctx) -> list:
    return [e for e in ctx.audit.recent(SYSTEM, 10_000) if e.action == "backup.automatic"]


# --- policy -----------------------------------------------------------------------------------


def test_the_shipped_policy_keeps_ten_and_backs_up_daily() -> None:
    assert load_policy().backup == BackupPolicy(keep=10, daily=True)


@pytest.mark.parametrize(
    ("toml", "key"),
    [("keep = 0", "backup.keep"), ("keep = 2.5", "backup.keep"), ('daily = "yes"', "backup.daily"), ("often = 1", "backup.often")],
)
def test_bad_backup_policy_keys_are_named(tmp_path: Path, toml: str, key: str) -> None:
    site = tmp_path / "site.toml"
    site.write_text(f"[backup]\n{toml}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(site)
    assert key in [problem[0] for problem in caught.value.problems]


# --- rotation ---------------------------------------------------------------------------------


def test_only_the_newest_automatic_backups_are_kept_and_manual_ones_never_deleted(ctx, clock: FixedClock) -> None:
    service = _service(ctx, clock, keep=3)
    manual = service.backup(SYSTEM).path  # csdesk-20261015-093000.db
    written = []
    for i in range(3 + 3):
        clock.now += timedelta(hours=1)
        path = service.automatic("exit" if i % 2 else "daily")
        assert path is not None and path.exists()
        written.append(path)
    folder = service.backups_folder
    assert written[0].name == "auto-20261015-103000-daily.db"
    assert _names(folder) == sorted([manual.name, *(p.name for p in written[-3:])])
    assert service.automatic_backups() == written[-3:]
    with closing(sqlite3.connect(written[-1])) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_two_automatic_backups_in_one_second_are_both_kept_in_order(ctx, clock: FixedClock) -> None:
    service = _service(ctx, clock, keep=2)
    first = service.automatic("daily")
    second = service.automatic("daily")
    third = service.automatic("exit")
    assert first is not None and second is not None and third is not None
    assert second.name == "auto-20261015-093000-daily-2.db"
    # the same second: the oldest written is the one rotated away
    assert not first.exists() and second.exists() and third.exists()


def test_automatic_backups_are_audited_with_what_they_deleted(ctx, clock: FixedClock) -> None:
    service = _service(ctx, clock, keep=1)
    first = service.automatic("daily")
    clock.now += timedelta(minutes=5)
    second = service.automatic("exit")
    assert first is not None and second is not None
    entries = _automatic_entries(ctx)
    assert len(entries) == 2
    newest = entries[0] if entries[0].details["path"] == str(second) else entries[1]
    assert newest.username == "system"
    assert newest.details["reason"] == "exit"
    assert newest.details["bytes"] == second.stat().st_size
    assert newest.details["deleted"] == [first.name]
    assert ctx.audit.verify(SYSTEM).ok


# --- daily ------------------------------------------------------------------------------------


def test_daily_is_due_until_a_backup_younger_than_24_hours_exists(ctx, clock: FixedClock) -> None:
    service = _service(ctx, clock)
    assert service.daily_due()  # no backups folder yet
    assert service.automatic("daily") is not None
    assert not service.daily_due()
    clock.now += timedelta(hours=23, minutes=59)
    assert not service.daily_due()
    clock.now += timedelta(minutes=1)
    assert service.daily_due()
    service.backup(SYSTEM)  # a manual backup counts too
    assert not service.daily_due()
    clock.now += timedelta(days=2)
    assert service.daily_due()
    assert not _service(ctx, clock, daily=False).daily_due()


def test_a_safety_copy_or_a_stray_file_does_not_count_as_a_backup(ctx, clock: FixedClock) -> None:
    service = _service(ctx, clock)
    folder = service.backups_dir()
    (folder / f"csdesk-before-restore-{clock.now:%Y%m%d-%H%M%S}.db").write_bytes(b"")
    (folder / "auto-notes.db").write_bytes(b"")
    assert service.daily_due()


# --- where there is nothing to do, or it fails ------------------------------------------------


def test_postgresql_gets_no_automatic_backup(ctx, tmp_path: Path, clock: FixedClock) -> None:
    data = tmp_path / "pg-data"
    service = BackupService(ctx._uow, ctx.policy, clock, db_url="postgresql+psycopg://u@localhost/csdesk", data_dir=data)
    assert service.automatic("exit") is None
    assert not service.daily_due()
    assert not data.exists()
    assert _automatic_entries(ctx) == []


def test_an_unwritable_backups_folder_gives_none_and_a_log_line(ctx, clock: FixedClock, caplog) -> None:
    service = _service(ctx, clock)
    service.backups_folder.write_bytes(b"a file where the folder should be")
    with caplog.at_level(logging.ERROR, logger="csdesk.backup"):
        assert service.automatic("exit") is None
    assert any("automatic backup (exit) failed" in r.getMessage() for r in caplog.records)
    assert _automatic_entries(ctx) == []


def test_a_failed_copy_leaves_no_file_and_keeps_the_old_backups(ctx, clock: FixedClock, monkeypatch, caplog) -> None:
    service = _service(ctx, clock, keep=1)
    old = service.automatic("daily")
    assert old is not None

    def broken_copy(live: Path, target: Path):
        raise StorageError("Cannot write the backup {file}: {error}", file=str(target), error="disk full")

    monkeypatch.setattr(service, "_copy", broken_copy)
    clock.now += timedelta(hours=1)
    with caplog.at_level(logging.ERROR, logger="csdesk.backup"):
        assert service.automatic("exit") is None
    assert any("disk full" in r.getMessage() for r in caplog.records)
    assert _names(service.backups_folder) == [old.name]  # nothing rotated away by a failed backup
    assert len(_automatic_entries(ctx)) == 1


def test_an_unknown_reason_is_a_bug(ctx, clock: FixedClock) -> None:
    with pytest.raises(ValueError):
        _service(ctx, clock).automatic("hourly")


# --- the GUI's wiring -------------------------------------------------------------------------


def test_the_workstation_backs_up_daily_in_the_background_and_on_exit(ctx, qapp, qtbot) -> None:
    from csdesk.app import Workstation

    station = Workstation(qapp, ctx)
    station.start_automatic_backups()
    try:
        folder = ctx.backup.backups_folder
        qtbot.waitUntil(lambda: folder.is_dir() and any(p.name.endswith("-daily.db") for p in folder.iterdir()))
        qtbot.waitUntil(lambda: station.backup_job is None)
        assert not ctx.backup.daily_due()
        qapp.aboutToQuit.emit()
        assert [p.name for p in ctx.backup.automatic_backups()] == [
            "auto-20261015-093000-daily.db", "auto-20261015-093000-exit.db"
        ]
    finally:
        qapp.aboutToQuit.disconnect(station._backup_on_exit)


def test_the_workstation_takes_no_automatic_backups_of_postgresql(ctx, qapp, monkeypatch, qtbot) -> None:
    from csdesk.app import Workstation

    monkeypatch.setattr(ctx.backup, "_db_url", "postgresql+psycopg://u@localhost/csdesk")
    station = Workstation(qapp, ctx)
    station.start_automatic_backups()
    qtbot.wait(20)
    assert station.backup_job is None and not ctx.backup.backups_folder.exists()
