"""Layout facts read back from a PDF with ``pdftotext -layout`` (issue #14): pages, words split
across lines, text off the printable area; and the labels a document asks the catalogue for.
Shared by the tests in tests/reports."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from csdesk import i18n
from tests.helpers.pdf import pdf_text

_TOKEN = re.compile(r"\S+")
_PLACEHOLDER = re.compile(r"\{\w*\}")
_MIDDLE = 3  # characters of a middle piece of a broken word at least (broken_words)


def pages(path: Path) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    text = pdf_text(path)
    return text.split("\f")[: text.count("\f")]


def label_words(labels: Iterable[str], shortest: int = 3) -> set[str]:
    """The words of a document's own labels (placeholders and punctuation around them dropped)."""
    words: set[str] = set()
    for label in labels:
        for word in _PLACEHOLDER.sub(" ", label).split():
            word = word.strip("()[]:;,.·/×—–")
            if len(word) >= shortest:
                words.add(word)
    return words


def split_words(text: str, words: Iterable[str]) -> list[str]:
    """The ``words`` that appear broken across lines: a piece at the end of one line's cell and
    the rest starting a later line (up to three lines on) in about the same column, such as
    "Priorida" / "d" or "21" / "4". Returns "piece|rest" for each one found."""
    wanted = set(words)
    lines = [[(m.start(), m.group()) for m in _TOKEN.finditer(line)] for line in text.splitlines()]
    found: list[str] = []
    for i, line in enumerate(lines):
        for col, token in line:
            for word in wanted:
                if len(token) >= len(word) or not word.startswith(token):
                    continue
                rest = word[len(token) :]
                for below in lines[i + 1 : i + 4]:
                    if any(t.startswith(rest) and abs(c - col) <= max(len(word), 6) for c, t in below):
                        # "rest" may run on into punctuation ("d:"), but must complete the word.
                        if any(t == rest or not t[len(rest) :][:1].isalnum() for c, t in below if t.startswith(rest)):
                            found.append(f"{token}|{rest}")
                            break
    return sorted(set(found))


def broken_words(text: str, words: Iterable[str]) -> list[str]:
    """The ``words`` broken across lines in two pieces or more, as :func:`split_words` finds
    them, and also in three or more ("Tasa de p" / "untualida" / "d"): each piece ends its cell's
    line and the next one starts one of the next three lines in about the same column; a middle
    piece, a whole line of its cell, has three characters at least (a column of "llamada 1",
    "llamada 2", … is not "12" broken). Returns "piece|piece|…" for each one found."""
    wanted = set(words)
    lines = [[(m.start(), m.group()) for m in _TOKEN.finditer(line)] for line in text.splitlines()]

    def rest(i: int, col: int, left: str, reach: int) -> list[str] | None:
        """The pieces that complete ``left`` below line ``i`` near column ``col``."""
        for n, below in enumerate(lines[i + 1 : i + 4], start=i + 1):
            for c, t in below:
                if abs(c - col) > reach:
                    continue
                # The last piece may run on into punctuation ("d:"), but must complete the word.
                if t.startswith(left) and not t[len(left) :][:1].isalnum():
                    return [left]
                middle = len(t) >= _MIDDLE and left.startswith(t) and len(t) < len(left)
                more = rest(n, c, left[len(t) :], reach) if middle else None
                if more:
                    return [t, *more]
        return None

    found: set[str] = set()
    for i, line in enumerate(lines):
        for col, token in line:
            for word in wanted:
                if len(token) < len(word) and word.startswith(token):
                    pieces = rest(i, col, word[len(token) :], max(len(word), 6))
                    if pieces:
                        found.add("|".join((token, *pieces)))
    return sorted(found)


def whole_words_missing(text: str, words: Iterable[str]) -> list[str]:
    """The ``words`` that appear nowhere whole in ``text`` (a split word is missing whole)."""
    tokens = {t.strip("()[]:;,.·/×—–") for t in text.split()}
    return sorted(w for w in words if w not in tokens)


def words_outside(path: Path, side: float, top_bottom: float) -> list[str]:
    """The words of ``path`` (``pdftotext -bbox-layout``) not wholly inside each page less
    ``side`` points left and right and ``top_bottom`` points above and below, as
    "page N: word (x0, y0, x1, y1)"."""
    command = ["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(path), "-"]
    out = subprocess.run(command, capture_output=True, check=True)
    found: list[str] = []
    for number, page in enumerate(ET.fromstring(out.stdout).iterfind(".//{*}page"), start=1):
        width, height = float(page.get("width", 0)), float(page.get("height", 0))
        for word in page.iterfind(".//{*}word"):
            x0, y0, x1, y1 = (float(word.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax"))
            if x0 < side or x1 > width - side or y0 < top_bottom or y1 > height - top_bottom:
                found.append(f"page {number}: {word.text} ({x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f})")
    return found


@contextmanager
def labels_asked() -> Iterator[list[str]]:
    """Inside: every label the code asks ``csdesk.i18n`` to translate (``_``, ``ngettext``,
    ``pgettext``, the ``N_`` names shown through them), as translated with its placeholders: a
    document's own labels, read off the document as it is made instead of listed by hand."""
    texts: list[str] = []
    catalogue = i18n._translation  # noqa: SLF001 (wrapped for the block, then put back)

    def noted(text: str) -> str:
        texts.append(text)
        return text

    i18n._translation = SimpleNamespace(  # type: ignore[assignment]  # noqa: SLF001
        gettext=lambda message: noted(catalogue.gettext(message)),
        ngettext=lambda singular, plural, n: noted(catalogue.ngettext(singular, plural, n)),
        pgettext=lambda context, message: noted(catalogue.pgettext(context, message)),
    )
    try:
        yield texts
    finally:
        i18n._translation = catalogue  # noqa: SLF001
