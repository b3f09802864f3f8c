"""Previews build their PDF on a worker thread (issue 15, "never block the GUI thread"): the
window keeps repainting, the document is in the language chosen for it while the window keeps
its own, closing the preview mid-build discards the document, and a refusal is shown."""

from __future__ import annotations

import gc
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QWidget
from reportlab.pdfgen.canvas import Canvas

from csdesk import i18n
from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.ui import print_preview
from csdesk.ui.callbacks import printing as callback_printing
from csdesk.ui.print_preview import preview_pdf
from csdesk.ui.qa.page import QAPage
from tests.helpers.factories import own_temp_folder
from tests.helpers.pdf import pdf_text
from tests.helpers.qt import wait_loaded

LEFT = Qt.MouseButton.LeftButton
WAIT = 5  # seconds a build waits for the test to let it go


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of the test's own, where the previews' folders are made."""
    return own_temp_folder(tmp_path, monkeypatch)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[QWidget | None, str]]:
    """The errors shown (parent, text) instead of message boxes."""
    errors: list[tuple[QWidget | None, str]] = []

    def show(parent: QWidget | None, exc: CsdeskError, _title: str | None = None) -> None:
        errors.append((parent, exc.message()))

    monkeypatch.setattr(print_preview, "show_error", show)
    monkeypatch.setattr(callback_printing, "show_error", show)
    return errors


def one_page_pdf(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "csdesk")
    canvas.save()


class Gate:
    """A build that waits, on the worker thread, until the test lets it go."""

    def __init__(self) -> None:
        self.started, self.released, self.ended = threading.Event(), threading.Event(), threading.Event()
        self.waited: list[bool] = []

    def build(self, path: Path) -> None:
        self.started.set()
        self.waited.append(self.released.wait(WAIT))
        path.parent.mkdir(exist_ok=True)  # as a folder Windows could not remove while the build held it
        one_page_pdf(path)
        self.ended.set()


def test_the_window_keeps_repainting_while_a_slow_document_is_built(qtbot, temp: Path) -> None:
    # No stopwatch (a loaded CI machine stretches any gap): the build itself waits until the
    # window's event loop has turned many times. Built on the GUI thread, it would wait in vain.
    ticks: list[int] = []
    turned = threading.Event()

    def tick() -> None:
        ticks.append(threading.get_ident())
        if len(ticks) >= 20:
            turned.set()

    timer = QTimer()
    timer.timeout.connect(tick)
    builders: list[int] = []
    waited: list[bool] = []

    def slow(path: Path) -> None:
        builders.append(threading.get_ident())
        ticks.clear()
        turned.clear()
        waited.append(turned.wait(WAIT))
        one_page_pdf(path)

    timer.start(5)
    dialog = preview_pdf(None, slow, title="Preview", suggested_name="slow.pdf")
    qtbot.addWidget(dialog)
    assert not dialog.ready and dialog.busy.isVisible() and not dialog.print_button.isEnabled()
    assert dialog.busy.findChild(QLabel).text() == "Preparing the document…"
    assert dialog.busy.findChild(QProgressBar).maximum() == 0  # busy, no steps
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)
    timer.stop()
    gui = threading.get_ident()
    assert waited == [True] and builders != [gui] and set(ticks) == {gui}
    assert dialog.document.pageCount() == 1 and not dialog.busy.isVisible() and dialog.print_button.isEnabled()
    assert dialog.page_count.text() == "1 page"
    dialog.close()
    assert list(temp.iterdir()) == []


@pytest.fixture
def floor(demo_ctx):
    qa = demo_ctx.auth.resolve_actor("qa")
    answers = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}
    demo_ctx.qa.record_inspection(qa, "A002", "T-77", date(2026, 10, 6), answers)
    return demo_ctx


def test_a_spanish_document_is_built_while_the_window_speaks_chinese(qtbot, floor, temp: Path, monkeypatch) -> None:
    i18n.install("zh_CN")
    page = QAPage(floor.qa, floor.people, actor=floor.auth.resolve_actor("supervisor"))
    qtbot.addWidget(page)
    page.show()
    wait_loaded(qtbot, page)
    page.language.setCurrentIndex(page.language.findData("es_ES"))
    gate = Gate()
    real = floor.qa.print_month

    def print_month(actor, month, out, *, team=None) -> None:  # type: ignore[no-untyped-def]
        gate.started.set()
        gate.waited.append(gate.released.wait(WAIT))  # the window makes labels meanwhile
        real(actor, month, out, team=team)

    monkeypatch.setattr(floor.qa, "print_month", print_month)
    labels: list[str] = []
    timer = QTimer()
    timer.timeout.connect(lambda: labels.append(QLabel(_("Close")).text()))
    qtbot.mouseClick(page.summary_tab.print_button, LEFT)
    qtbot.waitUntil(gate.started.is_set)
    labels.append(QLabel(_("Close")).text())  # while the worker is in Spanish
    timer.start(5)
    gate.released.set()
    preview = page.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.ready, timeout=20_000)
    timer.stop()
    assert gate.waited == [True]  # the window ran its event loop while the document was built
    (folder,) = temp.iterdir()
    text = pdf_text(folder / "qa-summary-2026-10.pdf")
    assert "Resumen mensual de inspección de calidad" in text and "月度质检汇总" not in text
    assert len(labels) > 1 and set(labels) == {"关闭"}
    assert preview.windowTitle() == "月度质检汇总" and preview.close_button.text() == "关闭"
    assert i18n.current_language() == "zh_CN"
    preview.done(0)


def test_closing_the_preview_while_it_builds_discards_the_document(qtbot, temp: Path, shown) -> None:
    gate = Gate()
    dialog = preview_pdf(None, gate.build, title="Preview", suggested_name="late.pdf")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(gate.started.is_set)
    qtbot.mouseClick(dialog.close_button, LEFT)
    assert not dialog.isVisible() and list(temp.iterdir()) == []
    gate.released.set()
    qtbot.waitUntil(gate.ended.is_set)
    qtbot.waitUntil(lambda: list(temp.iterdir()) == [])  # the late document and its folder go too
    qtbot.wait(50)
    assert not dialog.ready and dialog.document.pageCount() == 0 and shown == []


def test_a_preview_whose_window_went_while_it_built_is_discarded(qtbot, temp: Path, shown) -> None:
    gate = Gate()
    parent = QWidget()
    dialog = preview_pdf(parent, gate.build, title="Preview", suggested_name="late.pdf")
    qtbot.waitUntil(gate.started.is_set)
    shiboken6.delete(parent)  # the page closed: the preview went with it
    assert not shiboken6.isValid(dialog)
    gate.released.set()
    qtbot.waitUntil(gate.ended.is_set)
    qtbot.waitUntil(lambda: list(temp.iterdir()) == [])
    assert shown == []


def test_a_refused_document_closes_the_preview_and_shows_why(qtbot, temp: Path, shown) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def refuse(_path: Path) -> None:
        time.sleep(0.2)
        raise CsdeskError("Nothing to print")

    dialog = preview_pdf(parent, refuse, title="Preview", suggested_name="form.pdf")
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: shown != [])
    assert shown == [(parent, "Nothing to print")]
    assert not dialog.isVisible() and not dialog.ready and list(temp.iterdir()) == []


def test_a_bug_in_the_build_surfaces_on_the_gui_thread(qtbot, temp: Path, shown) -> None:
    def broken(_path: Path) -> None:
        raise ZeroDivisionError("a bug")

    with qtbot.capture_exceptions() as raised:
        dialog = preview_pdf(None, broken, title="Preview", suggested_name="form.pdf")
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: raised != [])
    assert [type(exc) for _type, exc, _tb in raised] == [ZeroDivisionError]
    assert not dialog.isVisible() and shown == [] and list(temp.iterdir()) == []


# --- the callback documents' print dialog ------------------------------------------------------


def print_dialog(qtbot, produce) -> callback_printing.PrintDialog:  # type: ignore[no-untyped-def]
    dialog = callback_printing.PrintDialog("Call sheet", produce, initial=date(2026, 10, 15), by_month=False)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_print_dialog_builds_in_the_chosen_language_off_the_gui_thread(qtbot, temp: Path, monkeypatch) -> None:
    i18n.install("zh_CN")
    previews: list[callback_printing.PdfPreviewDialog] = []
    monkeypatch.setattr(callback_printing.PdfPreviewDialog, "exec", lambda d: previews.append(d) or 0)
    gate = Gate()
    spoken: list[str] = []

    def produce(_day: date, out: Path) -> None:
        spoken.append(_("Close"))
        gate.build(out)

    dialog = print_dialog(qtbot, produce)
    dialog.language.setCurrentIndex(dialog.language.findData("es_ES"))
    qtbot.mouseClick(dialog.preview_button, LEFT)
    qtbot.waitUntil(gate.started.is_set)
    assert dialog.busy.isVisible() and not dialog.preview_button.isEnabled() and not dialog.save_button.isEnabled()
    assert QLabel(_("Close")).text() == "关闭"  # the window's language, while the worker speaks Spanish
    gate.released.set()
    qtbot.waitUntil(lambda: previews != [])
    assert gate.waited == [True] and spoken == ["Cerrar"] and len(previews[0].pages) == 1
    assert not dialog.busy.isVisible() and dialog.preview_button.isEnabled()
    assert list(temp.iterdir()) == []  # the preview closed: its folder is gone


def test_the_print_dialog_s_preview_opens_once_the_document_is_built(qtbot, temp: Path) -> None:
    """The real preview: it runs its own event loop inside the slot of the build's "done" signal."""
    dialog = print_dialog(qtbot, lambda _day, out: one_page_pdf(out))
    seen: list[int] = []

    def close_the_preview() -> None:
        preview = QApplication.activeModalWidget()
        if not isinstance(preview, callback_printing.PdfPreviewDialog):
            QTimer.singleShot(20, close_the_preview)
            return
        gc.collect()  # whatever nothing holds any more goes now
        seen.append(len(preview.pages))
        preview.reject()

    QTimer.singleShot(20, close_the_preview)
    qtbot.mouseClick(dialog.preview_button, LEFT)
    qtbot.waitUntil(lambda: seen != [] and list(temp.iterdir()) == [])
    qtbot.wait(50)
    assert seen == [1] and dialog.written is not None and dialog.preview_button.isEnabled()


def test_closing_the_print_dialog_while_it_builds_discards_the_preview(qtbot, temp: Path, monkeypatch, shown) -> None:
    previews: list[callback_printing.PdfPreviewDialog] = []
    monkeypatch.setattr(callback_printing.PdfPreviewDialog, "exec", lambda d: previews.append(d) or 0)
    gate = Gate()
    dialog = print_dialog(qtbot, lambda _day, out: gate.build(out))
    qtbot.mouseClick(dialog.preview_button, LEFT)
    qtbot.waitUntil(gate.started.is_set)
    dialog.reject()
    gate.released.set()
    qtbot.waitUntil(gate.ended.is_set)
    qtbot.waitUntil(lambda: list(temp.iterdir()) == [])
    qtbot.wait(50)
    assert previews == [] and dialog.written is None and shown == []


def test_the_print_dialog_shows_a_refusal_and_can_try_again(qtbot, temp: Path, shown) -> None:
    def refuse(_day: date, _out: Path) -> None:
        raise CsdeskError("Nothing to print")

    dialog = print_dialog(qtbot, refuse)
    qtbot.mouseClick(dialog.preview_button, LEFT)
    qtbot.waitUntil(lambda: shown != [])
    assert shown == [(dialog, "Nothing to print")]
    assert dialog.isVisible() and not dialog.busy.isVisible() and dialog.preview_button.isEnabled()
    assert dialog.written is None
