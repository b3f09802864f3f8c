"""Process-wide Qt set-up: the bundled font, Qt's own translations, settings."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from csdesk.i18n import normalize_language
from csdesk.resources import font_path

ORGANISATION = "csdesk"
APPLICATION = "csdesk"
_translators: list[QTranslator] = []


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


def install_qt_language(app: QApplication, lang: str) -> None:
    """QLocale default + Qt's qtbase translations, so stock buttons speak the language too."""
    lang = normalize_language(lang)
    QLocale.setDefault(QLocale(lang))
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if lang == "en":
        return
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(f"qtbase_{lang}", path) or translator.load(f"qtbase_{lang.split('_')[0]}", path):
        app.installTranslator(translator)
        _translators.append(translator)


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)
