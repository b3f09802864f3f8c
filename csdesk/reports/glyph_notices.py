"""Characters the embedded font lacks, told to the person who printed (issue 14).

A document's story replaces each character its font lacks (an emoji) by a visible placeholder
and reports them once per document (csdesk.reports.styles.missing_glyphs_reported calls
:func:`tell`). :func:`missing_glyphs_told` names who is told, per document: the command line
writes it on stderr, the print preview shows it, both in the user's language
(:meth:`MissingGlyphs.message`). A document built with nobody to tell logs an English warning.

No ReportLab here: the command line and the preview import this module before (or without)
building any PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from csdesk.i18n import ngettext
from csdesk.records import record


@record
class MissingGlyphs:
    """One document's characters its font lacks, as the document reported them once."""

    document: str  # the document's title, in its language
    characters: str  # each character and its code points: "👍 (U+1F44D), 😀 (U+1F600)"
    placeholder: str  # what they print as

    @property
    def count(self) -> int:
        """How many characters were replaced (each named once, with its code points)."""
        return max(1, self.characters.count("(U+"))

    def message(self) -> str:
        """The report in the current language, for the person who printed."""
        # TRANSLATORS: after printing; {characters} lists each one with its code, "👍 (U+1F44D)",
        # and {placeholder} is the mark printed in their place (�).
        text = ngettext(
            "{document}: {characters} is not in the printing font and is printed as {placeholder}.",
            "{document}: {characters} are not in the printing font and are printed as {placeholder}.",
            self.count,
        )
        return text.format(document=self.document, characters=self.characters, placeholder=self.placeholder)


# Who is told, in this thread (a preview builds on a worker thread, another preview may build at
# the same time on another: a context variable is each thread's own).
_TELL: ContextVar[Callable[[MissingGlyphs], None] | None] = ContextVar("csdesk_glyph_tell", default=None)


def tell(report: MissingGlyphs) -> bool:
    """Hand a document's report to whoever asked to be told on this thread (styles calls this
    when a document is done); False when nobody asked (the report then goes to the log only)."""
    listener = _TELL.get()
    if listener is None:
        return False
    listener(report)
    return True


@contextmanager
def missing_glyphs_told(listener: Callable[[MissingGlyphs], None]) -> Iterator[None]:
    """Inside: each document built on this thread whose font lacks some of its characters is
    passed to ``listener``, once per document (and logged at INFO only, so the person reads it
    once, in their language, not again as Python's English warning on stderr)."""
    token = _TELL.set(listener)
    try:
        yield
    finally:
        _TELL.reset(token)
