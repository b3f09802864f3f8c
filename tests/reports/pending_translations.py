"""A shipped catalogue with the translations of msgids it does not have yet (issue 14's new
wording), as the translators will fill them: the lead regenerates the real catalogues."""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from csdesk import i18n


class PendingTranslations(gettext.NullTranslations):
    """``lang``'s catalogue, with ``messages`` (msgid → translation) laid over it."""

    def __init__(self, lang: str, messages: Mapping[str, str]) -> None:
        super().__init__()
        self._messages = dict(messages)
        self.add_fallback(i18n.catalogue(lang))

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or super().gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """A plural message is given by its singular msgid (n = 1) and its plural one (else)."""
        return self._messages.get(msgid1 if n == 1 else msgid2) or super().ngettext(msgid1, msgid2, n)


@contextmanager
def translated(lang: str, messages: Mapping[str, str]) -> Iterator[None]:
    """Inside: ``lang`` installed as the window's language with ``messages`` translated, and as
    the language of any document drawn in ``lang`` (i18n.in_language)."""
    catalogue = PendingTranslations(lang, messages)
    real = i18n._catalogues.get(lang)
    i18n.install(lang)
    i18n._catalogues[lang] = catalogue
    i18n._translation = catalogue
    try:
        yield
    finally:
        if real is None:
            i18n._catalogues.pop(lang, None)
        else:
            i18n._catalogues[lang] = real
        i18n.install(lang)
