"""Shift-handover rules (rules.md §4): acknowledgement, carry-over, overdue items, penalties, search."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.errors import RuleViolation
from csdesk.policy import load_policy
from csdesk.rules.handover import (
    HandoverEntry,
    OpenItem,
    PenaltySuggestion,
    RecordProblem,
    acknowledge,
    carry_over,
    is_overdue,
    matches,
    open_item,
    overdue_items,
    penalty_suggestions,
    record_problems,
    search_key,
)

POLICY = load_policy()
WRITTEN = datetime(2026, 10, 3, 17, 50)


def entry(**changes: object) -> HandoverEntry:
    base = HandoverEntry("H1", ("A1",), WRITTEN, summary="32 calls, 2 complaints",
                         items=(open_item("I1", "H1", owner="A1", due=datetime(2026, 10, 4, 12, 0),
                                          customer="王女士", pending="退款进度"),))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# --- acknowledgement -----------------------------------------------------------------------------


def test_the_incoming_shift_acknowledges_with_a_takeover_note() -> None:
    done = acknowledge(entry(), "B2", datetime(2026, 10, 3, 18, 0), "已阅, 跟进王女士退款")
    assert (done.acknowledged_by, done.acknowledged_at, done.takeover_note) == (
        "B2", datetime(2026, 10, 3, 18, 0), "已阅, 跟进王女士退款")
    assert done.acknowledged


@pytest.mark.parametrize(
    ("authors", "by"),
    [(("A1",), "A1"), (("A1", "A2"), "A2")],
)
def test_an_author_cannot_acknowledge_their_own_handover(authors: tuple[str, ...], by: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        acknowledge(entry(authors=authors), by, WRITTEN, "ok")
    assert exc.value.field == "acknowledged_by" and exc.value.params["person"] == by


def test_a_handover_cannot_be_acknowledged_twice() -> None:
    done = acknowledge(entry(), "B2", WRITTEN, "ok")
    with pytest.raises(RuleViolation) as exc:
        acknowledge(done, "C3", WRITTEN, "ok too")
    assert exc.value.field == "acknowledged_by" and exc.value.params["person"] == "B2"


@pytest.mark.parametrize(
    ("by", "at", "note", "field"),
    [
        ("B2", WRITTEN, "", "takeover_note"),
        ("B2", WRITTEN, "   ", "takeover_note"),
        ("", WRITTEN, "ok", "acknowledged_by"),
        ("B2", datetime(2026, 10, 3, 17, 49), "ok", "acknowledged_at"),
    ],
)
def test_acknowledgement_needs_a_person_a_note_and_a_time_after_writing(by: str, at: datetime, note: str,
                                                                       field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        acknowledge(entry(), by, at, note)
    assert exc.value.field == field


# --- open items carry over ------------------------------------------------------------------------


def test_open_items_carry_over_keeping_identity_and_history() -> None:
    items = [open_item("I1", "H1", owner="A1", pending="退款"), open_item("I2", "H1", pending="回电")]
    result = carry_over(items, {"I2"}, "H2")
    assert result.closed == ("I2",)
    assert [(i.item_id, i.shifts, i.pending) for i in result.carried] == [("I1", ("H1", "H2"), "退款")]
    assert result.carried[0].times_carried == 1


def test_an_item_closed_on_the_record_does_not_carry_over() -> None:
    closed = dataclasses.replace(open_item("I1", "H1"), closed_at=datetime(2026, 10, 3, 16, 0))
    result = carry_over([closed, open_item("I2", "H1")], (), "H2")
    assert [i.item_id for i in result.carried] == ["I2"]
    assert result.closed == ("I1",)


def test_items_carry_through_several_shifts_until_closed() -> None:
    items: tuple[OpenItem, ...] = (open_item("I1", "H1"), open_item("I2", "H1"), open_item("I3", "H1"))
    for handover, closed in (("H2", set()), ("H3", {"I2"}), ("H4", set())):
        items = carry_over(items, closed, handover).carried
    assert [(i.item_id, i.shifts) for i in items] == [
        ("I1", ("H1", "H2", "H3", "H4")), ("I3", ("H1", "H2", "H3", "H4"))]
    assert carry_over(items, {"I1", "I3"}, "H5").carried == ()


def test_carrying_into_the_same_handover_twice_changes_nothing() -> None:
    once = carry_over([open_item("I1", "H1")], (), "H2")
    assert carry_over(once.carried, (), "H2") == once


def test_closing_an_id_that_was_not_open_is_ignored() -> None:
    assert carry_over([open_item("I1", "H1")], {"I9"}, "H2").closed == ()


def test_an_item_listed_twice_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        carry_over([open_item("I1", "H1"), open_item("I1", "H1")], (), "H2")
    assert exc.value.field == "items" and exc.value.params["item"] == "I1"


@settings(max_examples=100)
@given(ids=st.lists(st.integers(0, 50), unique=True, max_size=12), closed=st.sets(st.integers(0, 50)))
def test_carry_over_keeps_exactly_the_unclosed_items_in_order(ids: list[int], closed: set[int]) -> None:
    items = [open_item(str(i), "H1") for i in ids]
    result = carry_over(items, {str(c) for c in closed}, "H2")
    assert [i.item_id for i in result.carried] == [str(i) for i in ids if i not in closed]
    assert sorted(result.closed + tuple(i.item_id for i in result.carried)) == sorted(str(i) for i in ids)


# --- overdue items --------------------------------------------------------------------------------

NOW = datetime(2026, 10, 4, 9, 0)


@pytest.mark.parametrize(
    ("due", "closed_at", "overdue"),
    [
        (datetime(2026, 10, 4, 8, 59), None, True),
        (NOW, None, False),  # due now: not yet overdue
        (datetime(2026, 10, 5), None, False),
        (datetime(2026, 10, 1), datetime(2026, 10, 2), False),  # closed
        (None, None, False),  # no due time: cannot be overdue
    ],
)
def test_an_item_is_overdue_when_its_due_time_passed_and_it_is_not_closed(
        due: datetime | None, closed_at: datetime | None, overdue: bool) -> None:
    item = dataclasses.replace(open_item("I1", "H1", due=due), closed_at=closed_at)
    assert is_overdue(item, NOW) is overdue


def test_overdue_items_list_the_longest_overdue_first() -> None:
    items = [open_item("I1", "H1", due=datetime(2026, 10, 3)),
             open_item("I2", "H1", due=datetime(2026, 10, 1)),
             open_item("I3", "H1", due=datetime(2026, 10, 9)), open_item("I4", "H1")]
    assert [i.item_id for i in overdue_items(items, NOW)] == ["I2", "I1"]


# --- record completeness and penalty suggestions --------------------------------------------------


def test_a_complete_record_has_no_problems_and_suggests_nothing() -> None:
    assert record_problems(entry()) == ()
    assert penalty_suggestions(entry(), messy_desk=False, policy=POLICY) == ()


def test_record_problems_name_the_missing_parts() -> None:
    items = (OpenItem("I1", owner="", due=None, pending=""), OpenItem("I2", owner="A1", due=NOW, pending="x"),
             OpenItem("I3", closed_at=NOW))  # closed items are not checked
    assert record_problems(entry(summary=" ", items=items)) == (
        RecordProblem("SUMMARY_MISSING"),
        RecordProblem("ITEM_PENDING_MISSING", "I1"),
        RecordProblem("ITEM_OWNER_MISSING", "I1"),
        RecordProblem("ITEM_DUE_MISSING", "I1"),
    )


def test_an_incomplete_record_suggests_m04_for_each_author() -> None:
    incomplete = entry(authors=("A1", "A2"), summary="")
    suggestions = penalty_suggestions(incomplete, messy_desk=False, policy=POLICY)
    problems = (RecordProblem("SUMMARY_MISSING"),)
    assert suggestions == (PenaltySuggestion("A1", "M04", -5, "INCOMPLETE_RECORD", problems),
                           PenaltySuggestion("A2", "M04", -5, "INCOMPLETE_RECORD", problems))


def test_a_messy_desk_suggests_m02() -> None:
    assert penalty_suggestions(entry(), messy_desk=True, policy=POLICY) == (
        PenaltySuggestion("A1", "M02", -2, "MESSY_DESK"),)


def test_both_penalties_can_apply_together() -> None:
    codes = [s.event_code for s in penalty_suggestions(entry(summary=""), messy_desk=True, policy=POLICY)]
    assert codes == ["M04", "M02"]


def test_penalty_codes_and_points_come_from_the_policy() -> None:
    events = tuple(dataclasses.replace(e, points_min=-3, points_max=-3) if e.code == "M02" else e
                   for e in POLICY.events)
    policy = dataclasses.replace(POLICY, events=events,
                                 handover=dataclasses.replace(POLICY.handover, incomplete_record_event="M13"))
    got = {(s.event_code, s.points) for s in penalty_suggestions(entry(summary=""), True, policy)}
    assert got == {("M13", -2), ("M02", -3)}  # M13 −2…−5 defaults to its smallest magnitude


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Atención al Cliente", "atencion al cliente"),
        ("ÑANDÚ", "nandu"),
        ("ＡＢＣ１２３", "abc123"),  # full width to half width
        ("客户投诉", "客户投诉"),  # CJK kept as is
        ("客户\u3000投诉", "客户 投诉"),  # ideographic space
        ("  many   spaces\t\n", "many spaces"),
        ("Straße", "strasse"),
        ("ℌello", "hello"),
        ("", ""),
    ],
)
def test_search_key_folds_case_accents_and_width(text: str, key: str) -> None:
    assert search_key(text) == key


@pytest.mark.parametrize(
    ("query", "text", "found"),
    [
        ("atencion", "Atención al cliente", True),
        ("ATENCIÓN", "atencion al cliente", True),
        ("投诉", "客户投诉电话", True),
        ("投诉 退款", "客户投诉, 要求退款", True),  # every word must occur
        ("退款", "客户投诉电话", False),
        ("投诉 退货", "客户投诉, 要求退款", False),
        ("ＶＩＰ", "vip客户", True),
        ("王女士", "王女士 13812345678", True),
        ("", "anything", True),
        ("   ", "", True),
    ],
)
def test_matches_finds_chinese_and_spanish_substrings(query: str, text: str, found: bool) -> None:
    assert matches(query, text) is found


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_search_key_is_idempotent(text: str) -> None:
    assert search_key(search_key(text)) == search_key(text)


@settings(max_examples=200)
@given(st.text(max_size=40), st.data())
def test_any_piece_of_a_text_finds_the_text(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert matches(text[start:end], text)
