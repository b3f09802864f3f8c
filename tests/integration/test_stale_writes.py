"""No lost update between two PCs (issue #12): a write based on what a screen showed before another
PC changed the record is refused with who, when and what; nothing of it is written. Two PCs are two
contexts on one database (a SQLite file, or the throw-away PostgreSQL server)."""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from csdesk.errors import CsdeskError, StaleWrite
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import FixedClock, make_context

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server

ANA = Actor("ana", "supervisor")
BEN = Actor("ben", "supervisor")
TODAY = datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def pcs(tmp_path: Path, db_url: str):
    """Two PCs on one database with the demo department in it."""
    clock = FixedClock(TODAY)
    one = make_context(tmp_path / "one", clock, db=db_url)
    one.demo.build(SYSTEM, agents=6, months=2, seed=5)
    two = make_context(tmp_path / "two", clock, db=db_url)
    yield one, two
    one.close()
    two.close()


def _refused_by_ben(info: pytest.ExceptionInfo[StaleWrite]) -> None:
    text = info.value.message()
    assert "ben" in text and "2026-11-20 10:00" in text, text


def test_an_outcome_recorded_on_a_call_another_pc_closed_is_refused(pcs) -> None:
    one, two = pcs
    call = next(c for c in one.callbacks.agenda(ANA, TODAY.date()).calls if c.open)
    two.callbacks.record_outcome(BEN, call.id, "REACHED", "spoke to the customer", version=call.version)
    with pytest.raises(StaleWrite) as info:
        one.callbacks.record_outcome(ANA, call.id, "NO_ANSWER", version=call.version)
    _refused_by_ben(info)
    assert "callback.outcome" in info.value.message() or "REACHED" in info.value.message()
    after = one.callbacks.call(ANA, call.id)
    assert after.outcome == "REACHED" and after.version == call.version + 1
    outcomes = [e for e in one.audit.recent(SYSTEM, 5000) if e.action == "callback.outcome" and e.entity_id == str(call.id)]
    assert len(outcomes) == 1


def test_closing_an_item_another_pc_changed_is_refused(pcs) -> None:
    one, two = pcs
    page = one.handover.list_entries(ANA)
    entry, item = next((row.id, i) for row in page.rows for i in one.handover.detail(ANA, row.id).open_items)
    two.handover.close_item(BEN, item.id, "settled by phone", version=item.version)
    with pytest.raises(StaleWrite) as info:
        one.handover.close_item(ANA, item.id, "refund sent", version=item.version)
    _refused_by_ben(info)
    (after,) = [i for i in one.handover.detail(ANA, entry).items if i.id == item.id]
    assert (after.outcome, after.closed_by) == ("settled by phone", "ben")


def test_a_leave_decision_on_a_request_another_pc_decided_is_refused(pcs) -> None:
    one, two = pcs
    request = one.attendance.file_leave(ANA, "A001", "PERSONAL", date(2026, 11, 25), date(2026, 11, 25), reason="family")
    two.attendance.decide_leave(BEN, request.id, False, version=request.version)
    with pytest.raises(StaleWrite) as info:
        one.attendance.decide_leave(ANA, request.id, True, version=request.version)
    _refused_by_ben(info)
    (stored,) = [r for r in one.attendance.leave_requests(SYSTEM, year=2026, month=11) if r.id == request.id]
    assert stored.status == "rejected"


def test_a_person_form_saved_over_another_pcs_change_is_refused(pcs) -> None:
    from dataclasses import replace

    from csdesk.models.repositories import person_data

    one, two = pcs
    seen = one.people.get(SYSTEM, "A002")
    two.people.update(BEN, replace(person_data(seen), phone="600 111 222"), version=seen.version)
    with pytest.raises(StaleWrite) as info:
        one.people.update(ANA, replace(person_data(seen), name="Renamed"), version=seen.version)
    _refused_by_ben(info)
    now = one.people.get(SYSTEM, "A002")
    assert now.name == seen.name and now.phone == "600 111 222"


def test_a_rating_typed_over_a_value_another_pc_stored_is_refused(pcs) -> None:
    one, two = pcs
    month = "2026-11"
    one.scorecards.set_rating(ANA, month, "A003", "service_quality", Decimal("20"))
    two.scorecards.set_rating(BEN, month, "A003", "service_quality", Decimal("18"), expected=Decimal("20"))
    with pytest.raises(StaleWrite) as info:
        one.scorecards.set_rating(ANA, month, "A003", "service_quality", Decimal("19"), expected=Decimal("20"))
    _refused_by_ben(info)
    card = next(c for c in one.scorecards.month(ANA, month).cards if c.employee_no == "A003")
    assert card.ratings["service_quality"].value == Decimal("18")
    # What the screen showed is what is stored: the write goes through.
    one.scorecards.set_rating(ANA, month, "A003", "service_quality", Decimal("19"), expected=Decimal("18"))


def test_voiding_an_event_another_pc_corrected_is_refused(pcs) -> None:
    one, two = pcs
    event = one.scorecards.record_event(ANA, "A004", date(2026, 11, 10), "B01", note="praised by a customer")
    two.scorecards.correct_event(BEN, event.id, "wrong day", day=date(2026, 11, 11), version=event.version)
    with pytest.raises(StaleWrite) as info:
        one.scorecards.void_event(ANA, event.id, "duplicate", version=event.version)
    _refused_by_ben(info)


def test_a_write_without_a_seen_version_is_not_refused(pcs) -> None:
    """A script or the command line acts on the record as it is now."""
    one, two = pcs
    calls = [c for c in one.callbacks.agenda(ANA, TODAY.date()).calls if c.open]
    two.callbacks.record_outcome(BEN, calls[0].id, "NO_ANSWER")
    done = one.callbacks.record_outcome(ANA, calls[1].id, "REACHED")
    assert done.call.outcome == "REACHED"


def test_two_pcs_closing_the_same_calls_at_once_close_each_once(pcs) -> None:
    """The race itself: both PCs read the same open calls and answer at the same moment."""
    one, two = pcs
    calls = [c for c in one.callbacks.agenda(ANA, TODAY.date()).calls if c.open][:8]
    assert len(calls) >= 4
    results: dict[str, list[object]] = {"ana": [], "ben": []}
    start = threading.Barrier(2)

    def work(ctx, actor: Actor, outcome: str) -> None:
        start.wait()
        for call in calls:
            try:
                ctx.callbacks.record_outcome(actor, call.id, outcome, version=call.version)
                results[actor.username].append(call.id)
            except CsdeskError as exc:
                results[actor.username].append(exc)

    threads = [threading.Thread(target=work, args=(one, ANA, "REACHED")), threading.Thread(target=work, args=(two, BEN, "REFUSED"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    won = [r for who in results.values() for r in who if isinstance(r, int)]
    refused = [r for who in results.values() for r in who if isinstance(r, StaleWrite)]
    assert sorted(won) == sorted(c.id for c in calls)  # each call closed exactly once
    assert len(refused) == len(calls)  # and every other attempt told so
    for call in calls:
        after = one.callbacks.call(ANA, call.id)
        assert after.outcome in ("REACHED", "REFUSED")
        who = "ana" if after.outcome == "REACHED" else "ben"
        assert call.id in results[who]
