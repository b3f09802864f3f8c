"""Process-wide Qt set-up: the bundled font, Qt's own translations, settings."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from csdesk.i18n import normalize_language
from csdesk.resources import font_path

ORGANISATION = "csdesk"
APPLICATION = "csdesk"
_translators: list[QTranslator] = []
log = logging.getLogger("csdesk")
_MNEMONIC = re.compile(r"(?<!&)&(?!&)")  # one "&" marks the accelerator; "&&" is a plain "&"


def display_missing() -> bool:
    """True on Linux without X11/Wayland and without an explicit QT_QPA_PLATFORM."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def register_font(app: QApplication) -> str | None:
    """Register WenQuanYi Micro Hei so Chinese renders with no system CJK font."""
    fid = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    if not families:
        return None
    font = QFont(families[0])
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return families[0]


class MnemonicFallbackTranslator(QTranslator):
    """WORKAROUND: Qt 6 gave some texts of its own file dialog an accelerator ("&Look in:",
    "Files of &type:"), but Qt's Spanish and Chinese catalogues (qttranslations, as shipped with
    PySide6 6.11) translate only the older texts without it ("Look in:"), so that dialog showed
    them in English. Asked only for what Qt's catalogue lacks (it is installed before it, and Qt
    asks the last installed first), this answers with Qt's translation of the text without
    the accelerator.
    """

    def __init__(self, qt_catalogue: QTranslator, parent: QObject) -> None:
        super().__init__(parent)
        self._qt = qt_catalogue

    # None, not "", is Qt's "not translated here" (an empty text would be shown as the translation).
    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        plain = _MNEMONIC.sub("", source, count=1)
        if plain == source:
            return None
        return self._qt.translate(context, plain, disambiguation, n) or None


def qt_translation_dirs() -> list[str]:
    """Where Qt's own catalogues (``qtbase_<lang>.qm``) may be, the likeliest first.

    Qt's configured folder, then the PySide6 package's own: ``Qt/translations`` in the Linux
    and macOS wheels, ``translations`` in the Windows wheel. A frozen bundle keeps the package's
    folder even when Qt's configured path points where nothing was installed.
    """
    package = Path(PySide6.__file__).parent
    configured = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return [configured, str(package / "Qt" / "translations"), str(package / "translations")]


def install_qt_language(app: QApplication, lang: str) -> None:
    """QLocale default + Qt's qtbase translations, so stock buttons and Qt's own file dialog
    ("Look in:") speak the language too."""
    lang = normalize_language(lang)
    QLocale.setDefault(QLocale(lang))
    for old in _translators:
        app.removeTranslator(old)
        old.deleteLater()
    _translators.clear()
    if lang == "en":
        return
    translator = QTranslator(app)
    folders = qt_translation_dirs()
    # load() also tries the shorter names: qtbase_es_ES -> qtbase_es.
    if not any(translator.load(f"qtbase_{lang}", folder) for folder in folders):
        log.warning("Qt's own translations (qtbase_%s.qm) are in none of %s", lang, folders)
        return
    _translators.extend((MnemonicFallbackTranslator(translator, app), translator))
    for installed in _translators:
        app.installTranslator(installed)


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)
