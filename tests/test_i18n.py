"""Catalogues: fresh, complete, placeholders intact, plurals and the one formatter."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from csdesk import i18n

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ("zh_CN", "zh_TW", "es_ES")
PLACEHOLDER = re.compile(r"\{\w*\}")


def _catalog(lang: str):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "csdesk.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _extract() -> set[str]:
    """The msgids in the code, extracted exactly as the catalogue template is."""
    from babel.messages.extract import extract_from_dir

    ids: set[str] = set()
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT / "csdesk"), method_map=[("**.py", "python")], keywords=keywords
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogue_is_not_stale(lang: str) -> None:
    """Every string in the code is in the catalogue, and nothing obsolete is left."""
    in_code = _extract()
    in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(lang) if m.id}
    assert in_code - in_catalogue == set(), "update the catalogues: see README, Translations"
    assert in_catalogue - in_code == set()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_is_translated_with_the_same_placeholders(lang: str) -> None:
    missing, mismatched = [], []
    for m in _catalog(lang):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        if not all(strings) or m.fuzzy:
            missing.append(ids[0])
            continue
        for s in strings:
            if sorted(PLACEHOLDER.findall(s)) != sorted(PLACEHOLDER.findall(ids[-1])):
                mismatched.append(ids[0])
    assert missing == []
    assert mismatched == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh_CN", "主管"), ("zh_TW", "主管"), ("es_ES", "Supervisor"), ("en", "Supervisor")],
)
def test_each_language_translates_a_known_message(lang: str, expected: str) -> None:
    i18n.install(lang)
    assert expected in i18n._("Supervisor")


def test_plural_forms() -> None:
    i18n.install("es_ES")
    one = i18n.ngettext("{shown} of {total} person", "{shown} of {total} people", 1)
    many = i18n.ngettext("{shown} of {total} person", "{shown} of {total} people", 3)
    assert one != many
    i18n.install("zh_CN")
    assert i18n.ngettext("{shown} of {total} person", "{shown} of {total} people", 3) != "{shown} of {total} people"


@pytest.mark.parametrize(
    ("value", "lang"), [("es_ES.UTF-8", "es_ES"), ("zh_TW", "zh_TW"), ("zh-hk", "zh_TW"), ("zh", "zh_CN"), ("es_MX", "es_ES"), ("fr_FR", "en"), (None, "en")]
)
def test_language_normalisation(value: str | None, lang: str) -> None:
    assert i18n.normalize_language(value) == lang


def test_one_formatter_for_numbers_and_dates() -> None:
    i18n.install("es_ES")
    assert i18n.format_number(Decimal("1234.5")) == "1.234,5"
    assert "noviembre" in i18n.format_month(2026, 11)
    i18n.install("zh_CN")
    assert i18n.format_date(date(2026, 11, 22)) == "2026年11月22日"
    assert i18n.format_signed(-2) == "\u22122" and i18n.format_signed(5) == "+5"


@pytest.mark.parametrize(
    ("lang", "negative", "positive"),
    [("en", "\u2212CN¥30.00", "CN¥30.00"), ("es_ES", "\u221230,00\u00a0CNY", "30,00\u00a0CNY"),
     ("zh_CN", "\u2212¥1,234.50", "¥1,234.50"), ("zh_TW", "\u2212CN¥30.00", "CN¥30.00")],
)  # fmt: skip
def test_money_prints_the_typographic_minus_in_every_language(lang: str, negative: str, positive: str) -> None:
    """Issue 14: "-30" printed with the hyphen-minus; the one formatter writes U+2212."""
    i18n.install(lang)
    amount = Decimal("-1234.5") if lang == "zh_CN" else -30
    assert i18n.format_money(amount) == negative and i18n.format_money(abs(amount)) == positive
    assert "-" not in i18n.format_money(Decimal("-0.5"), "EUR") and i18n.format_money(None) == ""
    i18n.install("en")  # another language asked for by name: the sheets' own, whatever the UI's
    assert i18n.format_money(amount, lang=lang) == negative


def test_no_message_id_hides_inside_an_f_string() -> None:
    """pybabel cannot see ``_("...")`` inside f-string expressions: such text would never be translated."""
    import ast

    hidden = []
    for path in sorted((ROOT / "csdesk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "ngettext", "pgettext")
                    and any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in inner.args)
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert hidden == []
