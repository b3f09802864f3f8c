"""Factories shared by the tests: a fixed clock, a context on a temporary database, files."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any


class FixedClock:
    """A clock the test moves by hand; services never read the real time in tests."""

    def __init__(self, now: datetime = datetime(2026, 10, 15, 9, 30)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_context(
    tmp_path: Path, clock: FixedClock | None = None, policy_file: Path | None = None, db: str | None = None
):
    """Services on ``db`` (a URL or path; default a SQLite file in ``tmp_path``)."""
    from csdesk.context import build_context

    return build_context(
        db or str(tmp_path / "csdesk.db"),
        str(policy_file) if policy_file else None,
        clock=clock or FixedClock(),
        data_dir=tmp_path,
    )


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def two_agents_on_day_shifts(ctx: Any, tmp_path: Path) -> Any:
    """Two agents (A1, A2 of 一组) on day shifts from 12 to 25 October 2026, weekends off: the
    leave tests' desk."""
    from csdesk.services.base import SYSTEM

    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", "employee_no,name,team\nA1,张伟,一组\nA2,María Núñez,一组\n"))
    lines = ["employee_no,date,shift"]
    for no in ("A1", "A2"):
        for d in range(12, 26):
            lines.append(f"{no},2026-10-{d:02d},{'R' if date(2026, 10, d).weekday() >= 5 else 'D'}")
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", "\n".join(lines) + "\n"))
    return ctx


def own_temp_folder(tmp_path: Path, monkeypatch: Any) -> Path:
    """A temp folder of the test's own (``tempfile`` makes its folders there): print previews'
    folders are made, and swept, there and never in the machine's real one."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def two_agents_first_half_of_october(ctx: Any, tmp_path: Path) -> Any:
    """Two agents (A1 张伟, A2 María Núñez of 一组) on day shifts every day from 1 to 14 October
    2026: the finish tests' desk (tooltips, empty states, shortcuts)."""
    from csdesk.services.base import SYSTEM

    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "p.csv", "employee_no,name,team\nA1,张伟,一组\nA2,María Núñez,一组\n"))
    rows = ["employee_no,date,shift"] + [f"{no},2026-10-{d:02d},D" for no in ("A1", "A2") for d in range(1, 15)]
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "r.csv", "\n".join(rows) + "\n"))
    return ctx
