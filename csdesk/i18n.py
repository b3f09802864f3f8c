"""Translations and the one formatter for dates, times, numbers and money.

Every user-visible string goes through ``_``/``ngettext``/``pgettext`` of the
``csdesk`` gettext domain; module-level strings are marked ``N_`` and translated
when shown. Display formatting goes through Babel only (Qt's QLocale formats
4-digit Spanish numbers differently, see shared/notes/stack.md §5).

The language is the window's (:func:`install`), except on a thread drawing a
document in another one (:func:`in_language`): a PDF built in Spanish on a
worker thread while the window repaints in Chinese (issue 15).
"""

from __future__ import annotations

import gettext
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from typing import Final

from csdesk.resources import translations_dir

DOMAIN: Final = "csdesk"
LANGUAGES: Final = ("zh_CN", "zh_TW", "es_ES", "en")
DEFAULT_LANGUAGE: Final = "en"
# Native names, shown in the language picker (never translated).
LANGUAGE_NAMES: Final = {
    "zh_CN": "简体中文",
    "zh_TW": "繁體中文",
    "es_ES": "Español",
    "en": "English",
}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language: str = DEFAULT_LANGUAGE
_locales: dict[str, object] = {}
_catalogues: dict[str, gettext.NullTranslations] = {}
_catalogues_lock = threading.Lock()


class _Document(threading.local):
    """The language of the document this thread is drawing (None: the window's)."""

    translation: gettext.NullTranslations | None = None
    language: str | None = None


_document = _Document()
# How many threads have a document language set. ``_`` is called very often: while no thread
# draws a document in a language of its own, it reads this one global and not the thread-local.
_drawing = 0
_drawing_lock = threading.Lock()


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, when shown."""
    return message


def _(message: str) -> str:
    if _drawing:
        own = _document.translation
        if own is not None:
            return own.gettext(message)
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _in_use().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _in_use().pgettext(context, message)


def _in_use() -> gettext.NullTranslations:
    """The catalogue in use on the calling thread: its document's, else the window's."""
    if _drawing:
        own = _document.translation
        if own is not None:
            return own
    return _translation


def normalize_language(value: str | None) -> str:
    """Map ``LANG``-style values (``es_ES.UTF-8``, ``zh-tw``, ``es``) to a shipped language."""
    if not value:
        return DEFAULT_LANGUAGE
    code = value.split(".")[0].split("@")[0].replace("-", "_")
    for lang in LANGUAGES:
        if code.lower() == lang.lower():
            return lang
    prefix = code.split("_")[0].lower()
    if prefix == "zh":
        region = code.split("_")[1].upper() if "_" in code else "CN"
        return "zh_TW" if region in ("TW", "HK", "MO", "HANT") else "zh_CN"
    for lang in LANGUAGES:
        if lang.split("_")[0].lower() == prefix:
            return lang
    return DEFAULT_LANGUAGE


def language_from_env() -> str:
    return normalize_language(os.environ.get("LC_ALL") or os.environ.get("LANG"))


def load_translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang``: the compiled .mo, else the .po compiled in memory."""
    base = translations_dir() / lang / "LC_MESSAGES"
    mo = base / f"{DOMAIN}.mo"
    po = base / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    return gettext.NullTranslations()


def catalogue(lang: str) -> gettext.NullTranslations:
    """The catalogue of a shipped language, loaded once per process (any thread may ask)."""
    found = _catalogues.get(lang)
    if found is None:
        with _catalogues_lock:
            found = _catalogues.get(lang)
            if found is None:
                found = _catalogues[lang] = load_translations(lang)
    return found


def install(lang: str) -> str:
    """Make ``lang`` the window's language for ``_`` and the formatters; returns it."""
    global _translation, _language
    lang = normalize_language(lang)
    _translation = catalogue(lang)
    _language = lang
    return lang


@contextmanager
def in_language(lang: str) -> Iterator[str]:
    """Translate and format in ``lang`` on the calling thread only, for a document drawn there;
    other threads (the window's) keep theirs. Nests; yields the language used."""
    global _drawing
    lang = normalize_language(lang)
    translation = catalogue(lang)
    before = _document.translation, _document.language
    with _drawing_lock:
        _drawing += 1
    _document.translation, _document.language = translation, lang
    try:
        yield lang
    finally:
        _document.translation, _document.language = before
        with _drawing_lock:
            _drawing -= 1


def current_language() -> str:
    """The calling thread's document language (:func:`in_language`), else the window's."""
    if _drawing:
        own = _document.language
        if own is not None:
            return own
    return _language


def babel_locale(lang: str | None = None) -> object:
    """The parsed Babel ``Locale`` (Babel re-parses a locale *name* on every call: ~15x slower)."""
    key = lang or current_language()
    if key not in _locales:
        from babel import Locale

        _locales[key] = Locale.parse(key)
    return _locales[key]


# --- the one formatter -------------------------------------------------------


def format_date(value: date | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    from babel.dates import format_date as _fd

    return _fd(value, format=fmt, locale=babel_locale())


def format_iso_date(value: date | None) -> str:
    """Dates in grids: ISO ``YYYY-MM-DD`` sorts and reads the same in every language."""
    return value.isoformat() if value else ""


def format_time(value: time | datetime | None, fmt: str = "HH:mm") -> str:
    if value is None:
        return ""
    from babel.dates import format_time as _ft

    return _ft(value, format=fmt, locale=babel_locale())


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    from babel.dates import format_datetime as _fdt

    return _fdt(value, format=fmt, locale=babel_locale())


def format_month(year: int, month: int) -> str:
    """``2026-10`` as the language writes it: 2026年10月 / octubre de 2026."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", datetime(year, month, 1), locale=babel_locale())


def format_number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    from babel.numbers import format_decimal

    if decimals is None:
        return format_decimal(value, locale=babel_locale())
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def format_editable(value: Decimal | None) -> str:
    """A number as a person would type it back: exact digits, the language's decimal mark, no
    grouping (``96,5`` in Spanish), so the field's text parses to the same value."""
    if value is None:
        return ""
    from babel.numbers import get_decimal_symbol

    return format(value, "f").replace(".", get_decimal_symbol(babel_locale()))


def format_megabytes(size: int) -> str:
    """A file size in megabytes, one decimal, never shown as 0 (backups, imports)."""
    return _("{size} MB").format(size=format_number(max(size / 1_048_576, 0.1), 1))


MINUS = "\u2212"  # the typographic minus sign of every negative amount printed or shown


def format_signed(value: int | float | Decimal | None) -> str:
    """Points with an explicit sign: +5, −2, 0 (nothing for None)."""
    if value is None:
        return ""
    text = format_number(abs(value))
    if value > 0:
        return "+" + text
    if value < 0:
        return MINUS + text
    return text


def format_money(value: int | float | Decimal | None, currency: str = "CNY", *, lang: str | None = None) -> str:
    """An amount with its currency as ``lang`` (default: the current language) writes it, a
    negative one with the typographic minus U+2212, not Babel's hyphen-minus: "−CN¥30.00",
    "−30,00 CNY" (JSON output never comes here: it keeps plain numbers)."""
    if value is None:
        return ""
    from babel.numbers import format_currency, get_minus_sign_symbol

    locale = babel_locale(lang)
    text = format_currency(value, currency, locale=locale)
    if value < 0:
        sign = get_minus_sign_symbol(locale)  # "-" (with a direction mark in some languages)
        text = text.replace(sign, sign.replace("-", MINUS), 1)
    return text


def format_percent(value: float) -> str:
    from babel.numbers import format_percent as _fp

    return _fp(value, locale=babel_locale())
