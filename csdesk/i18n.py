"""Translations and the one formatter for dates, times, numbers and money.

Every user-visible string goes through ``_``/``ngettext``/``pgettext`` of the
``csdesk`` gettext domain; module-level strings are marked ``N_`` and translated
when shown. Display formatting goes through Babel only (Qt's QLocale formats
4-digit Spanish numbers differently, see shared/notes/stack.md §5).
"""

from __future__ import annotations

import gettext
import io
import os
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


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, when shown."""
    return message


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translation.pgettext(context, message)


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


def install(lang: str) -> str:
    """Make ``lang`` the current language for ``_`` and the formatters; returns it."""
    global _translation, _language
    lang = normalize_language(lang)
    _translation = load_translations(lang)
    _language = lang
    return lang


def current_language() -> str:
    return _language


def babel_locale(lang: str | None = None) -> object:
    """The parsed Babel ``Locale`` (Babel re-parses a locale *name* on every call: ~15x slower)."""
    key = lang or _language
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


def format_signed(value: int | float | Decimal | None) -> str:
    """Points with an explicit sign: +5, −2, 0 (nothing for None)."""
    if value is None:
        return ""
    text = format_number(abs(value))
    if value > 0:
        return "+" + text
    if value < 0:
        return "\u2212" + text
    return text


def format_money(value: int | float | Decimal | None, currency: str = "CNY") -> str:
    if value is None:
        return ""
    from babel.numbers import format_currency

    return format_currency(value, currency, locale=babel_locale())


def format_percent(value: float) -> str:
    from babel.numbers import format_percent as _fp

    return _fp(value, locale=babel_locale())
