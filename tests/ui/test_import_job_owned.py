"""An import runs to its end and reports, whoever dropped the handle on it: the wizard closes itself
and the Import button keeps nothing (a job collected on a worker thread took the process down)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QLabel, QWidget

from csdesk.services.imports.reader import ImportReport
from csdesk.ui.dialogs import import_dialog


def test_a_dropped_import_job_still_reports(qtbot, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(import_dialog.ImportReportDialog, "exec", lambda self: shown.append(self.findChild(QLabel, "importSummary").text()) or 0)
    parent = QWidget()
    qtbot.addWidget(parent)
    go = threading.Event()
    done: list[bool] = []

    def op(_job) -> ImportReport:
        go.wait(10)
        return ImportReport("people.csv", "people", rows=1, written=1)

    import_dialog.run_import(parent, "Import people", op, lambda: done.append(True))  # the handle is dropped
    gc.collect()
    go.set()
    qtbot.waitUntil(lambda: bool(done) and bool(shown), timeout=10_000)
    assert shown[0].startswith("1 row: 1 new")
    qtbot.waitUntil(lambda: not import_dialog._RUNNING, timeout=2_000)  # let go once it reported


def test_a_dropped_child_process_job_runs_to_its_end(qtbot, tmp_path) -> None:
    """The import wizard drops its dry run's job when it cancels it (closing, another header row):
    the job, its child's queue and event, are held until the child is joined."""
    from csdesk.services.base import SYSTEM
    from csdesk.services.jobs import ServiceCall
    from csdesk.ui import background

    (tmp_path / "people.csv").write_text("employee_no,name,team,role\nA1,Ana,T,agent\n", encoding="utf-8")
    call = ServiceCall(f"sqlite:///{tmp_path / 'x.db'}", None, "en", "people.import_file", SYSTEM,
                       (str(tmp_path / "people.csv"),), dry_run=True)  # fmt: skip
    ended: list[object] = []
    job = background.run_in_process(call, ended.append, ended.append)
    job.cancel()
    del job  # the owner lets go at once, as the wizard does
    gc.collect()
    qtbot.waitUntil(lambda: bool(ended), timeout=30_000)
    qtbot.waitUntil(lambda: not background._CHILDREN, timeout=15_000)  # joined, then let go
