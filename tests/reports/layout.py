"""Layout facts read back from a PDF with ``pdftotext -layout`` (issue #14): pages, words split
across lines. Shared by the tests in tests/reports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from tests.helpers.pdf import pdf_text

_TOKEN = re.compile(r"\S+")
_PLACEHOLDER = re.compile(r"\{\w*\}")


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


def whole_words_missing(text: str, words: Iterable[str]) -> list[str]:
    """The ``words`` that appear nowhere whole in ``text`` (a split word is missing whole)."""
    tokens = {t.strip("()[]:;,.·/×—–") for t in text.split()}
    return sorted(w for w in words if w not in tokens)
