"""A shown month is let go of a few objects per turn of the event loop, never in one long turn."""

from __future__ import annotations

import gc
import weakref

from csdesk.ui import let_go
from csdesk.ui.let_go import PER_TURN, let_go_later, still_held
from csdesk.ui.scorecards import page as page_module
from tests.helpers.qt import wait_loaded
from tests.integration.test_scorecard_service import sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture
from tests.ui.test_scorecard_view import page  # noqa: F401 - the page fixture


class Thing:
    pass


def test_objects_are_freed_a_few_per_turn_of_the_event_loop(qtbot) -> None:
    qtbot.waitUntil(lambda: still_held() == 0)  # anything an earlier test left
    things = [Thing() for _ in range(PER_TURN * 2 + 10)]
    refs = [weakref.ref(t) for t in things]
    let_go_later(things)
    del things
    gc.collect()
    assert all(r() is not None for r in refs) and still_held() == len(refs)  # kept until the loop turns
    let_go._let_go()._drop_some()  # one turn's share
    assert still_held() == PER_TURN + 10
    assert [r() is None for r in refs] == [True] * PER_TURN + [False] * (PER_TURN + 10)  # oldest first
    qtbot.waitUntil(lambda: still_held() == 0)
    assert all(r() is None for r in refs)


def test_the_month_shown_before_is_let_go_of_once_the_new_one_is_shown(qtbot, page, monkeypatch) -> None:  # noqa: F811
    given: list[int] = []  # what the page handed over (its identity: holding it would keep it)
    monkeypatch.setattr(page_module, "let_go_later", lambda objects: (given.append(id(objects)), let_go_later(objects)))
    before = page.data.cards
    first_card = weakref.ref(before[0])
    page.month.setCurrentIndex(page.month.currentIndex() + 1)  # the month before
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: bool(given))
    assert given == [id(before)] and page.data.cards is not before
    assert page.scorecard.cards and before[0] not in page.scorecard.cards.values()  # every part holds the new month
    del before
    qtbot.waitUntil(lambda: still_held() == 0)
    gc.collect()
    assert first_card() is None  # nothing else kept it
