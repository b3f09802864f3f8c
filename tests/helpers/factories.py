"""Factories shared by the tests: a fixed clock, a context on a temporary database, files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


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
