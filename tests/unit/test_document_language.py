"""A document's language is its thread's own (issue 15): a worker draws a PDF in Spanish while
the window, on another thread, keeps translating and formatting in its language."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as babel_date

from csdesk import i18n

DAY = date(2026, 10, 5)


def drawn() -> tuple[str, ...]:
    """What a document drawn on the calling thread writes, through every kind of lookup."""
    return (
        i18n._("Close"),
        i18n.ngettext("{n} page", "{n} pages", 3).format(n=3),
        i18n.current_language(),
        i18n.format_date(DAY, "long"),
        i18n.format_number(Decimal("1234.5"), 1),
        str(i18n.babel_locale()),
    )


def expected(lang: str, close: str, pages: str, number: str) -> tuple[str, ...]:
    return close, pages, lang, babel_date(DAY, "long", locale=lang), number, str(Locale.parse(lang))


SPANISH = expected("es_ES", "Cerrar", "3 páginas", "1.234,5")
CHINESE = expected("zh_CN", "关闭", "共 3 页", "1,234.5")
ENGLISH = expected("en", "Close", "3 pages", "1,234.5")


def test_two_threads_draw_in_two_languages_while_the_window_keeps_its_own() -> None:
    i18n.install("en")
    together = threading.Barrier(3, timeout=10)  # the two drawing threads and the window's
    seen: dict[str, list[tuple[str, ...]]] = {}
    after: dict[str, tuple[str, ...]] = {}

    def draw(lang: str) -> None:
        with i18n.in_language(lang):
            together.wait()  # both are in their document's language now
            seen[lang] = [drawn() for _round in range(300)]  # interleaved with the other thread
            together.wait()
        after[lang] = drawn()

    threads = [threading.Thread(target=draw, args=(lang,)) for lang in ("es_ES", "zh_CN")]
    for thread in threads:
        thread.start()
    together.wait()
    window = [drawn() for _round in range(300)]
    together.wait()
    for thread in threads:
        thread.join(10)

    assert set(seen["es_ES"]) == {SPANISH}
    assert set(seen["zh_CN"]) == {CHINESE}
    assert set(window) == {ENGLISH}  # the window's thread, meanwhile
    assert after == {"es_ES": ENGLISH, "zh_CN": ENGLISH}  # each thread back to the window's


def test_a_document_language_nests_and_outlives_a_change_of_the_window_s() -> None:
    i18n.install("en")
    with i18n.in_language("zh-cn") as outer:  # a LANG-style value, as the language pickers pass
        assert outer == "zh_CN" and drawn() == CHINESE
        with i18n.in_language("es_ES"):
            assert drawn() == SPANISH
        assert drawn() == CHINESE
        i18n.install("es_ES")  # the person switches the window's language meanwhile
        assert drawn() == CHINESE
    assert drawn() == SPANISH
    i18n.install("en")
    assert drawn() == ENGLISH


def test_a_catalogue_is_loaded_once() -> None:
    assert i18n.catalogue("es_ES") is i18n.catalogue("es_ES")
    i18n.install("es_ES")
    assert i18n._translation is i18n.catalogue("es_ES")
