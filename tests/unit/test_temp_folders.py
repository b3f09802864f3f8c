"""Temporary print folders: each goes when its preview closes; a crashed run's left-overs go a day later."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from csdesk.errors import CsdeskError
from csdesk.ui import print_preview
from csdesk.ui.print_preview import new_print_folder, preview_pdf, remove_stale_print_folders

from tests.helpers.factories import own_temp_folder

DAY = 24 * 60 * 60


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of the test's own: never sweep the machine's real one."""
    return own_temp_folder(tmp_path, monkeypatch)


def aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def folder(parent: Path, name: str, age: float) -> Path:
    made = parent / name
    made.mkdir()
    (made / "sheet.pdf").write_bytes(b"%PDF")
    return aged(made, age)


def one_page_pdf(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "csdesk")
    canvas.save()


def test_a_new_print_folder_removes_only_our_folders_older_than_a_day(temp: Path, tmp_path: Path) -> None:
    crashed_print = folder(temp, "csdesk-print-crashed", 2 * DAY)
    crashed_sheets = folder(temp, "csdesk-sheets-crashed", 2 * DAY)
    in_use = folder(temp, "csdesk-print-in-use", 60 * 60)
    someone_else = folder(temp, "other-app-print-x", 2 * DAY)
    a_file = temp / "csdesk-print-file"
    a_file.write_bytes(b"a file, not a folder of ours")
    aged(a_file, 2 * DAY)
    outside = folder(tmp_path, "outside", 2 * DAY)
    link = temp / "csdesk-print-link"
    link.symlink_to(outside, target_is_directory=True)
    aged(link, 2 * DAY)

    made = new_print_folder()

    assert made.parent == temp and made.name.startswith("csdesk-print-") and made.is_dir()
    assert not crashed_print.exists() and not crashed_sheets.exists()
    assert in_use.is_dir() and someone_else.is_dir() and a_file.is_file()
    assert link.is_symlink() and (outside / "sheet.pdf").is_file()  # a link is never followed


def test_the_sweep_judges_age_by_the_clock_it_is_given(temp: Path) -> None:
    recent = folder(temp, "csdesk-sheets-recent", 60)
    remove_stale_print_folders(now=time.time() + DAY)
    assert not recent.exists()


def test_a_preview_removes_its_folder_when_it_closes(qtbot, temp: Path) -> None:
    dialog = preview_pdf(None, one_page_pdf, title="Preview", suggested_name="form.pdf")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready)  # built on a worker thread
    (made,) = temp.iterdir()
    assert (made / "form.pdf").is_file() and dialog.document.pageCount() == 1
    dialog.close()
    assert list(temp.iterdir()) == []


def test_a_document_that_cannot_be_built_leaves_no_folder(qtbot, temp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[CsdeskError] = []
    monkeypatch.setattr(print_preview, "show_error", lambda _parent, exc: shown.append(exc))

    def refuse(_path: Path) -> None:
        raise CsdeskError("Nothing to print")

    dialog = preview_pdf(None, refuse, title="Preview", suggested_name="form.pdf")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert not dialog.isVisible() and not dialog.ready and list(temp.iterdir()) == []


def test_a_preview_still_open_when_the_main_window_goes_leaves_no_folder_at_the_quit(qtbot, temp: Path) -> None:
    """A preview's parent window closed (the application quitting) destroys the preview without
    its "finished": its folder goes when the application quits, not a day later."""
    from PySide6.QtWidgets import QApplication, QWidget

    window = QWidget()
    dialog = preview_pdf(window, one_page_pdf, title="Preview", suggested_name="form.pdf")
    qtbot.waitUntil(lambda: dialog.ready)
    (made,) = temp.iterdir()
    window.deleteLater()  # the preview goes with it, never finished
    qtbot.waitUntil(lambda: not print_preview.shiboken6.isValid(dialog))
    assert made.is_dir() and made in print_preview._LIVE
    # what the application's aboutToQuit (connected by new_print_folder) runs
    assert print_preview._hooked is QApplication.instance()
    print_preview.remove_live_print_folders()
    assert list(temp.iterdir()) == [] and made not in print_preview._LIVE
