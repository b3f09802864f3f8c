"""Catalogue maintenance for `./run i18n`: English msgstr = msgid (the source language)."""

from __future__ import annotations

import sys

from csdesk.resources import translations_dir


def fill_english() -> int:
    from babel.messages.pofile import read_po, write_po

    path = translations_dir() / "en" / "LC_MESSAGES" / "csdesk.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, sort_output=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["fill-english"]:
        sys.exit(fill_english())
    sys.exit("usage: python -m csdesk.i18n_tools fill-english")
