"""The shared PDF pieces: embedded font, escaping, characters the font lacks, decoration, read
back as text."""

from __future__ import annotations

import logging
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from csdesk import i18n
from csdesk.reports.styles import (
    build_pdf,
    field_table,
    grid_table,
    missing_glyphs_reported,
    para,
    placeholder,
    printable,
    register_fonts,
    signature_lines,
    text_width,
    word_width,
)
from tests.helpers.pdf import pdf_pages, pdf_text


def test_mixed_chinese_spanish_and_escaped_markup_round_trip(tmp_path: Path) -> None:
    i18n.install("es_ES")
    out = tmp_path / "x.pdf"
    story = [
        para("Evaluación mensual 月度考核", "Title"),
        field_table([("Agente", "María Núñez 张伟"), ("Equipo", "客服一组 <&> ¿¡")]),
        signature_lines(["Agente", "Supervisor"]),
    ]
    build_pdf(out, story, title="t", header="csdesk", printed_at=datetime(2026, 11, 22, 9, 0))
    text = pdf_text(out)
    for expected in ("Evaluación mensual", "月度考核", "María Núñez", "张伟", "客服一组 <&> ¿¡", "Página 1", "Firma"):
        assert expected in text
    assert pdf_pages(out) == 1
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all("WenQuanYiMicroHei" in line for line in fonts)  # one font for everything ...
    assert all(line.split()[-5] == "yes" for line in fonts)  # ... and it is embedded


# --- characters the font lacks (issue #14) ---------------------------------------------------


def _font_draws(text: str) -> bool:
    face = pdfmetrics.getFont(register_fonts()).face
    return all(ord(c) in face.charToGlyph for c in text)


def test_the_placeholder_is_a_character_the_font_draws_and_not_the_tick_box() -> None:
    assert _font_draws(placeholder()) and placeholder() != "□"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("👍 ok 你好", "{p} ok 你好"),
        ("María Núñez ¿¡ 张伟 — 08:30–18:00 ★ • €", "María Núñez ¿¡ 张伟 — 08:30–18:00 ★ • €"),  # all in the font
        ("a\tb\nc\u00a0d\u200be", "a\tb\nc\u00a0d\u200be"),  # spaces and invisible marks draw nothing: kept
        ("2:33\u202fAM", "2:33\u00a0AM"),  # a space the font lacks (drawn an em wide): the no-break space
        ("👍🏽 ❤️ 🇨🇳 👨\u200d👩\u200d👧", "{p} {p} {p} {p}"),  # skin tone, variation, flag, family: one each
        ("★\ufe0f", "★\ufe0f"),  # a variation selector the font lacks after a character it has
    ],
)
def test_printable_replaces_each_character_the_font_lacks_once(text: str, printed: str) -> None:
    with missing_glyphs_reported("a document"):  # (reported here, not with another test's document)
        assert printable(text) == printed.format(p=placeholder())


def test_measured_widths_are_those_of_the_printed_text() -> None:
    family, flag = "👨\u200d👩\u200d👧", "🇨🇳"  # one placeholder each, not three and two gaps
    assert text_width(f"{family} ok", 9) == text_width(f"{placeholder()} ok", 9)
    assert word_width(f"{flag}{flag}", 9) == word_width(placeholder() * 2, 9)


def _build(out: Path, title: str, texts: list[str], header: str = "csdesk", cell: str = "—") -> None:
    story = [para(t) for t in texts] + [grid_table([["No.", "Name"], ["1", cell]])]  # a plain-string cell
    build_pdf(out, story, title=title, header=header, printed_at=datetime(2026, 11, 22, 9, 0))


def test_a_document_warns_once_naming_itself_and_the_characters(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "x.pdf"
    with caplog.at_level(logging.WARNING, logger="csdesk.reports"):
        _build(out, "Informe 7", ["👍 ok", "otra vez 👍", "🙂 y 张伟"], header="Centro 🏢", cell="🚀 cohete")
        _build(tmp_path / "y.pdf", "Informe 8", ["sin nada raro"])
    assert [r.getMessage() for r in caplog.records] == [
        "Informe 7: the font has no glyph for 👍 (U+1F44D), 🙂 (U+1F642), 🚀 (U+1F680), 🏢 (U+1F3E2); "
        f"printed as {placeholder()}"
    ]  # each character once, the table's and page header's too; the next document starts afresh
    text = pdf_text(out)
    for printed in ("Centro {p}", "{p} y 张伟", "{p} cohete"):
        assert printed.format(p=placeholder()) in text


def test_a_failed_build_forgets_its_characters(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="csdesk.reports"), pytest.raises(ZeroDivisionError):
        with missing_glyphs_reported("broken"):
            printable("👍")
            raise ZeroDivisionError
    with caplog.at_level(logging.WARNING, logger="csdesk.reports"):
        _build(tmp_path / "x.pdf", "clean", ["nada"])
    assert not caplog.records
