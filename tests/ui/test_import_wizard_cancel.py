"""Cancelling a long import started from the import wizard (issue #13: "Long imports keep the
progress bar and cancel"): the progress bar runs, the person presses Cancel, and nothing of the
import is left in the database, not even the rows it had already changed before the press."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton, QWidget
from sqlalchemy import text

from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.dialogs.import_wizard import ImportWizard, open_import_wizard
from tests.helpers.factories import write_csv

SUPERVISOR = Actor("supervisor", "supervisor")
DAYS = 200  # from 2026-10-01: October and November change the demo's shifts, the rest are new
HALFWAY = 2_000  # the roster import reports progress every 1,000 rows of its 3,800


def roster_rows(ctx) -> list[tuple[object, ...]]:
    with ctx.engine.connect() as con:
        rows = con.execute(text("SELECT person_id, day, shift_code FROM roster ORDER BY person_id, day"))
        return [tuple(r) for r in rows]


def big_roster(ctx, path: Path) -> Path:
    """Every person's shift for DAYS days, codes in turn: 3,800 rows."""
    people = sorted(p.employee_no for p in ctx.people.people(SYSTEM))
    first = date(2026, 10, 1)
    rows = [
        f"{no},{(first + timedelta(days=d)).isoformat()},{'DER'[(d + n) % 3]}"
        for d in range(DAYS) for n, no in enumerate(people)
    ]  # fmt: skip
    return write_csv(path, "\n".join(["employee_no,date,shift", *rows]) + "\n")


def test_cancel_while_the_progress_bar_runs_writes_nothing_and_says_so(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, message, *a: said.append(message) or QMessageBox.StandardButton.Ok
    )
    path = big_roster(demo_ctx, tmp_path / "roster.csv")
    before, last_entry = roster_rows(demo_ctx), demo_ctx.audit.recent(SYSTEM, 1)[0]
    assert len(before) == 915  # the demo's October and November

    # The import itself (not its dry run) holds at HALFWAY, having changed October and November's
    # shifts, until the person has pressed Cancel: the press lands while the import runs.
    halfway, pressed = threading.Event(), threading.Event()

    def importer(roster, path, progress, **options):
        def paced(done: int, total: int) -> bool:
            if roster is demo_ctx.roster and done >= HALFWAY and not halfway.is_set():
                progress(done, total)
                halfway.set()
                pressed.wait(30)
            return progress(done, total)

        return roster.import_file(SUPERVISOR, path, paced, **options)

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(path), ""))
    wizard = open_import_wizard(
        parent, "Import roster", "roster", demo_ctx.roster, importer, actor=SUPERVISOR, on_done=lambda: None
    )
    assert isinstance(wizard, ImportWizard)
    qtbot.waitUntil(lambda: wizard._dry_job is None, timeout=60_000)
    people = len(demo_ctx.people.people(SYSTEM))
    assert wizard.summary.text().splitlines()[0].endswith(f"for {people} agents, 2026-10-01 … 2027-04-18")
    try:
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
        assert not wizard.isVisible()
        qtbot.waitUntil(halfway.is_set, timeout=60_000)
        progress = parent.findChild(QProgressDialog)
        assert progress is not None
        qtbot.waitUntil(lambda: progress.isVisible() and progress.value() == HALFWAY, timeout=10_000)
        assert progress.maximum() == DAYS * people  # the bar runs: 2,000 of 3,800
        cancel = progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    finally:
        pressed.set()
    qtbot.waitUntil(lambda: bool(said), timeout=60_000)

    assert said == ["The import was cancelled; nothing was written."]
    after = roster_rows(demo_ctx)
    assert len(after) == len(before) and after == before  # not one of the changed shifts is left
    assert demo_ctx.audit.recent(SYSTEM, 1)[0] == last_entry  # no roster.set, no import.roster
