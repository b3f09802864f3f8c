"""Characters the embedded font lacks, told to the person who printed (issue 14).

A document's story replaces each character its font lacks (an emoji) by a visible placeholder
and reports them once per document (csdesk.reports.styles.missing_glyphs_reported, which logs
an English warning for the log). :func:`missing_glyphs_told` hands the same report, per
document, to whoever printed: the command line writes it on stderr, the print preview shows it,
both in the user's language (:meth:`MissingGlyphs.message`).

No ReportLab here: the command line and the preview import this module before (or without)
building any PDF.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from csdesk.i18n import ngettext

# WORKAROUND: styles.missing_glyphs_reported reports a document's missing characters only as this
# log record, with (document, characters, placeholder) as its arguments; it is listened for here
# rather than changed there (styles.py has another owner). Should that module hand the report to
# a callback, this listener becomes that callback. tests/reports/test_glyph_notices.py fails if
# the record changes.
REPORTS_LOGGER = "csdesk.reports"
LOGGED_FORMAT = "%s: the font has no glyph for %s; printed as %s"


@dataclass(frozen=True)
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


class _Listener(logging.Handler):
    """Takes the missing-glyph reports of documents built on one thread (a preview builds on a
    worker thread; another preview may build at the same time on another)."""

    def __init__(self, thread: int, tell: Callable[[MissingGlyphs], None]) -> None:
        super().__init__(logging.WARNING)
        self._thread, self._tell = thread, tell

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if record.thread != self._thread or record.msg != LOGGED_FORMAT or not isinstance(args, tuple) or len(args) != 3:
            return
        self._tell(MissingGlyphs(*(str(a) for a in args)))


@contextmanager
def missing_glyphs_told(tell: Callable[[MissingGlyphs], None]) -> Iterator[None]:
    """Inside: each document built on this thread whose font lacks some of its characters is
    passed to ``tell``, once per document. A log handler set up elsewhere still gets the English
    record; Python's last-resort printing of it to stderr stops, so the person reads it once."""
    listener = _Listener(threading.get_ident(), tell)
    logger = logging.getLogger(REPORTS_LOGGER)
    logger.addHandler(listener)
    try:
        yield
    finally:
        logger.removeHandler(listener)
