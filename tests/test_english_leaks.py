"""English that reached a Spanish or Chinese window: Qt's own file dialog and the rulebook's appendix."""

from __future__ import annotations

import gettext
from datetime import date

import pytest
from PySide6.QtCore import QLibraryInfo
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

from csdesk import i18n
from csdesk.services.base import SYSTEM
from csdesk.ui import qt_setup


@pytest.fixture
def qt_language(qapp):
    """Install a Qt language as the app does; English again afterwards for the other tests."""
    yield lambda lang: qt_setup.install_qt_language(qapp, lang)
    qt_setup.install_qt_language(qapp, "en")


ENGLISH = {"lookInLabel": "&Look in:", "fileNameLabel": "File &name:", "fileTypeLabel": "Files of &type:"}


def file_dialog_labels(qtbot) -> dict[str, str]:
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own dialog, as on Linux
    qtbot.addWidget(dialog)
    return {name: dialog.findChild(QLabel, name).text() for name in ENGLISH}


@pytest.mark.parametrize(("lang", "look_in"), [("es_ES", "Ver en:"), ("zh_CN", "查找范围："), ("zh_TW", "尋找於：")])
def test_qt_s_own_file_dialog_speaks_the_language(qtbot, qt_language, lang: str, look_in: str) -> None:
    assert file_dialog_labels(qtbot) == ENGLISH
    qt_language(lang)
    labels = file_dialog_labels(qtbot)
    # Qt's catalogues know "Look in:" only without the accelerator Qt 6 added to it.
    assert labels["lookInLabel"] == look_in
    assert all(text and text != ENGLISH[name] for name, text in labels.items())


STANDARD = QDialogButtonBox.StandardButton


@pytest.mark.parametrize(
    ("lang", "texts"),
    [("es_ES", ["Aceptar", "Guardar", "Cerrar", "Cancelar"]), ("zh_CN", ["确定", "保存", "关闭", "取消"]), ("zh_TW", ["確定", "儲存", "關閉", "取消"])],
)
def test_the_dialogs_standard_buttons_speak_the_language(qtbot, qt_language, lang: str, texts: list[str]) -> None:
    # The day, print and what-if dialogs close with QDialogButtonBox's own Close button.
    qt_language(lang)
    box = QDialogButtonBox(STANDARD.Ok | STANDARD.Save | STANDARD.Close | STANDARD.Cancel)
    qtbot.addWidget(box)
    assert [box.button(b).text() for b in (STANDARD.Ok, STANDARD.Save, STANDARD.Close, STANDARD.Cancel)] == texts


def test_qt_s_translations_are_found_in_the_pyside6_package_when_qt_s_own_path_is_empty(
    qtbot, qt_language, monkeypatch, tmp_path
) -> None:
    # A frozen bundle: Qt's configured translations folder holds nothing.
    class NowhereLibraryInfo:
        LibraryPath = QLibraryInfo.LibraryPath

        @staticmethod
        def path(_which: QLibraryInfo.LibraryPath) -> str:
            return str(tmp_path / "nowhere")

    monkeypatch.setattr(qt_setup, "QLibraryInfo", NowhereLibraryInfo)
    qt_language("es_ES")
    assert file_dialog_labels(qtbot)["fileNameLabel"] == "&Nombre de fichero:"
    qt_language("en")
    assert file_dialog_labels(qtbot) == ENGLISH


class AppendixInSpanish(gettext.NullTranslations):
    """The catalogue as the translators will fill it (the lead regenerates the real one)."""

    def gettext(self, message: str) -> str:
        return {"§5, Appendix A": "§5, Anexo A"}.get(message, message)


def test_an_event_s_rulebook_citation_is_translated(demo_ctx, monkeypatch) -> None:
    agent = demo_ctx.people.people(SYSTEM, roles=["agent"])[0].employee_no
    demo_ctx.scorecards.record_event(SYSTEM, agent, date(2026, 10, 2), "B03")
    monkeypatch.setattr(i18n, "_translation", AppendixInSpanish())
    line = demo_ctx.scorecards.explain(SYSTEM, "2026-10", agent).for_part("bonus")[0]
    assert (line.code, line.rule) == ("B03", "§5, Anexo A")
