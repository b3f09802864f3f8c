"""Golden pages (issue #14): the first page of every printed document, in Chinese and Spanish,
looks as it did when tools/refresh_golden.py last drew it, within a tolerance for anti-aliasing.

At 40 dpi the pictures guard the layout (a moved table, a wrapped line, a changed or re-centred
title, a page that grew); a one-word change of a small label moves about 0.01 % of the pixels and
is left to the tests that read the text back."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from csdesk.reports import missed_punch_form
from tests.reports.golden_inputs import DOCUMENTS, LANGUAGES, golden_path, render_page

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing; ./run test installs it"
)

REPORTS = Path(missed_punch_form.__file__).parent
GREY_STEP = 48  # a pixel whose grey value moved further than this differs ...
# ... and a page may have up to this share of such pixels: a changed title moves 0.4-0.5 %.
MOST_DIFFERING = 0.001


def mismatch(golden: Path, fresh: Path) -> str | None:
    """How ``fresh`` differs from ``golden`` beyond the tolerance, or None if it does not."""
    with Image.open(golden) as golden_file, Image.open(fresh) as fresh_file:
        old, new = golden_file.convert("L"), fresh_file.convert("L")
    if old.size != new.size:
        return f"the page is {new.width}×{new.height} px instead of {old.width}×{old.height}"
    moved = ImageChops.difference(old, new).point(lambda grey: 255 if grey > GREY_STEP else 0)
    share = moved.histogram()[255] / (old.width * old.height)
    if share < MOST_DIFFERING:
        return None
    return f"{share:.2%} of the pixels differ (at most {MOST_DIFFERING:.2%})"


@needs_pdftoppm
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_first_page_matches_its_golden_picture(tmp_path: Path, document: str, lang: str) -> None:
    golden = golden_path(document, lang)
    assert golden.is_file(), f"{golden.name} is missing: run `python tools/refresh_golden.py`"
    fresh = render_page(document, lang, tmp_path / golden.name)
    problem = mismatch(golden, fresh)
    assert problem is None, (
        f"{document} in {lang}: {problem}; the new page is {fresh}. "
        "If the change is intended, run `python tools/refresh_golden.py`."
    )


@needs_pdftoppm
def test_a_changed_title_does_not_match_the_golden_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translate = missed_punch_form._
    title = "Missed-punch correction form"  # "Formulario de corrección de fichaje olvidado" in Spanish

    def retitled(msgid: str) -> str:
        return "Solicitud de fichaje" if msgid == title else translate(msgid)

    monkeypatch.setattr(missed_punch_form, "_", retitled)
    fresh = render_page("missed_punch_form", "es_ES", tmp_path / "changed.png")
    problem = mismatch(golden_path("missed_punch_form", "es_ES"), fresh)
    assert problem is not None and "of the pixels differ" in problem


def test_a_few_stray_pixels_are_within_the_tolerance(tmp_path: Path) -> None:
    golden = golden_path("swap_form", "zh_CN")
    with Image.open(golden) as page:
        page = page.convert("L")
        for x in range(0, 50, 5):  # ten pixels turned from white to black or back
            page.putpixel((x, x), 255 - page.getpixel((x, x)))
        page.save(tmp_path / "stray.png")
    assert mismatch(golden, tmp_path / "stray.png") is None


def test_every_printed_document_has_golden_pages() -> None:
    def prints(module: Path) -> bool:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        return any(isinstance(node, ast.FunctionDef) and node.name == "render" for node in tree.body)

    printed = {module.stem for module in REPORTS.glob("*.py") if prints(module)}
    assert printed == set(DOCUMENTS)
