"""The handover service on real SQLite: carry-over, acknowledgement, search, overdue items,
penalties, the sign-in notice, drafts and work records (rules.md §4, issue #6)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from csdesk.errors import LockedMonth, NotFound, PermissionDenied, RuleViolation, ValidationError
from csdesk.models.domain_handover import (
    HandoverFilter,
    HandoverInput,
    ItemInput,
    WorkCounts,
    WorkRecordInput,
)
from csdesk.services.base import SYSTEM, Actor

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


LEAD = Actor("lead1", "team_lead")  # person_id filled in by the fixture
TEAM = "客服一组"


@pytest.fixture
def hctx(demo_ctx, clock):
    """The demo department at 17:50, the day shift about to hand over."""
    clock.now = datetime(2026, 10, 15, 17, 50)
    return demo_ctx


def actor(ctx, username: str) -> Actor:
    return ctx.auth.resolve_actor(username)


def write(ctx, who: Actor, authors=("L001",), summary="交接正常", items=(), team=TEAM, **kw):
    return ctx.handover.write(who, HandoverInput("D", team, tuple(authors), summary, items=tuple(items), **kw))


def item(subject: str, pending: str = "待回电", owner: str = "A001", due: datetime | None = datetime(2026, 10, 16, 12, 0),
         **kw) -> ItemInput:
    return ItemInput(subject, pending, owner, due, **kw)


def later(clock, hours: float) -> None:
    clock.now += timedelta(hours=hours)


# --- carry-over -----------------------------------------------------------------------------------


def test_open_items_carry_over_three_shifts_and_one_closed_in_the_middle_stops(hctx, clock) -> None:
    lead, sup = actor(hctx, "lead1"), actor(hctx, "supervisor")
    h1 = write(hctx, lead, items=[item("王女士"), item("Sr. Núñez"), item("退款 1234")])
    x, y, z = (i.id for i in h1.items)
    later(clock, 6)
    prefill = hctx.handover.prefill(lead)
    assert [i.id for i in prefill.carried] == [x, y, z] and prefill.previous_id == h1.id
    h2 = write(hctx, lead, authors=("A001",), items=[ItemInput("", "", item_id=y, outcome="已回电, 客户满意")])
    assert [i.id for i in h2.items] == [x, y, z]
    assert {i.id: i.status for i in h2.items}[y] == "closed"
    later(clock, 6)
    h3 = write(hctx, sup, authors=("A004",), items=[item("Familia Muñoz")])
    assert [i.subject for i in h3.items] == ["王女士", "退款 1234", "Familia Muñoz"]
    by_id = {i.id: i for i in h3.items}
    assert by_id[x].shifts == (h1.id, h2.id, h3.id) and by_id[x].times_carried == 2
    history = hctx.handover.item_history(lead, y)
    assert [p.entry_id for p in history] == [h1.id, h2.id] and history[-1].closed_here
    assert [p.entry_id for p in hctx.handover.item_history(lead, x)] == [h1.id, h2.id, h3.id]


def test_a_carried_item_left_out_of_the_form_still_carries_and_edits_are_kept_per_shift(hctx, clock) -> None:
    lead = actor(hctx, "lead1")
    h1 = write(hctx, lead, items=[item("王女士", pending="退款进度")])
    later(clock, 8)
    (x,) = (i.id for i in h1.items)
    write(hctx, lead, authors=("A001",), items=[ItemInput("", "财务已受理, 等到账", "A004", None, item_id=x)])
    later(clock, 8)
    h3 = write(hctx, lead, authors=("A004",))  # the form says nothing about the item: it carries anyway
    assert [i.id for i in h3.items] == [x]
    history = hctx.handover.item_history(lead, x)
    assert [(p.pending, p.owner.employee_no) for p in history] == [("退款进度", "A001"), ("财务已受理, 等到账", "A004"),
                                                                 ("财务已受理, 等到账", "A004")]
    assert hctx.handover.detail(lead, h1.id).items[0].pending == "退款进度"  # the first shift's words are kept


def test_an_item_closed_between_shifts_does_not_carry_and_cannot_be_closed_twice(hctx, clock) -> None:
    lead = actor(hctx, "lead1")
    h1 = write(hctx, lead, items=[item("王女士"), item("李先生")])
    closed = hctx.handover.close_item(lead, h1.items[0].id, "已解决")
    assert closed.status == "closed" and closed.outcome == "已解决" and closed.closed_by == "lead1"
    with pytest.raises(ValidationError, match="closed already"):
        hctx.handover.close_item(lead, h1.items[0].id, "again")
    with pytest.raises(ValidationError) as exc:
        hctx.handover.close_item(lead, h1.items[1].id, "  ")
    assert exc.value.field == "outcome"
    later(clock, 4)
    assert [i.subject for i in write(hctx, lead, authors=("A001",)).items] == ["李先生"]


def test_carry_over_stays_within_the_team(hctx, clock) -> None:
    lead = actor(hctx, "lead1")
    write(hctx, lead, items=[item("王女士")])
    later(clock, 1)
    other = write(hctx, lead, authors=("A002",), team="客服二组")
    assert other.items == ()


def test_a_stray_item_id_or_a_closed_new_item_is_refused(hctx) -> None:
    lead = actor(hctx, "lead1")
    with pytest.raises(ValidationError) as exc:
        write(hctx, lead, items=[ItemInput("x", "y", item_id=999)])
    assert exc.value.field == "items"
    with pytest.raises(ValidationError) as exc:
        write(hctx, lead, items=[ItemInput("x", "y", outcome="done")])
    assert exc.value.field == "outcome"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (HandoverInput("X", TEAM, ("L001",), "s"), "shift"),
        (HandoverInput("D", "No such team", ("L001",), "s"), "team"),
        (HandoverInput("D", TEAM, (), "s"), "authors"),
        (HandoverInput("D", TEAM, ("Z999",), "s"), "authors"),
        (HandoverInput("D", TEAM, ("L001",), "s", items=(ItemInput("  ", "p"),)), "subject"),
        (HandoverInput("D", TEAM, ("L001",), "s", items=(ItemInput("a", "p", owner="Z999"),)), "owner"),
        (HandoverInput("D", TEAM, ("L001",), "s", items=(ItemInput("a", "p", priority="urgent"),)), "priority"),
        (HandoverInput("D", TEAM, ("L001",), "s", items=(ItemInput("a", "p", link_kind="callback"),)), "link_ref"),
    ],
)
def test_a_bad_handover_is_refused_naming_the_field_and_writes_nothing(hctx, data: HandoverInput, field: str) -> None:
    lead = actor(hctx, "lead1")
    with pytest.raises(ValidationError) as exc:
        hctx.handover.write(lead, data)
    assert exc.value.field == field
    assert hctx.handover.list_entries(lead).total == 0


# --- acknowledgement ----------------------------------------------------------------------------


def test_the_incoming_person_acknowledges_with_a_takeover_note(hctx, clock) -> None:
    h = write(hctx, actor(hctx, "lead1"), authors=("A001",))
    later(clock, 0.2)
    done = hctx.handover.acknowledge(actor(hctx, "lead1"), h.id, "已阅, 先处理逾期项")
    assert done.acknowledged_by.employee_no == "L001" and done.acknowledged_at == clock.now
    assert done.takeover_note == "已阅, 先处理逾期项"
    audit = [(e.action, e.entity_id) for e in hctx.audit.recent(actor(hctx, "supervisor"), entity="handover")]
    assert ("handover.acknowledge", str(h.id)) in audit and ("handover.write", str(h.id)) in audit


def test_a_handover_cannot_be_acknowledged_by_its_author_twice_or_without_a_note(hctx) -> None:
    lead, sup = actor(hctx, "lead1"), actor(hctx, "supervisor")
    h = write(hctx, lead)  # written by L001, lead1's person
    with pytest.raises(RuleViolation, match="own author"):
        hctx.handover.acknowledge(lead, h.id, "ok")
    with pytest.raises(RuleViolation) as exc:
        hctx.handover.acknowledge(sup, h.id, "   ")
    assert exc.value.field == "takeover_note"
    hctx.handover.acknowledge(sup, h.id, "收到")
    hctx.auth.create_user(sup, "lead2", "secret-pass", "team_lead", "L002")
    with pytest.raises(RuleViolation, match="already acknowledged"):
        hctx.handover.acknowledge(actor(hctx, "lead2"), h.id, "again")


def test_only_writers_linked_to_a_person_take_over(hctx) -> None:
    h = write(hctx, actor(hctx, "lead1"))
    with pytest.raises(PermissionDenied):
        hctx.handover.acknowledge(actor(hctx, "director"), h.id, "ok")
    with pytest.raises(ValidationError, match="not linked to a person"):
        hctx.handover.acknowledge(Actor("system", "supervisor"), h.id, "ok")
    with pytest.raises(NotFound):
        hctx.handover.acknowledge(actor(hctx, "supervisor"), 999, "ok")
    with pytest.raises(PermissionDenied):
        write(hctx, actor(hctx, "director"))


def test_the_incoming_shift_is_told_at_sign_in_until_it_takes_over(hctx, clock) -> None:
    lead, sup, director = actor(hctx, "lead1"), actor(hctx, "supervisor"), actor(hctx, "director")
    h = write(hctx, sup, authors=("A001",))
    write(hctx, sup, authors=("A002",), team="客服二组")
    assert [p.id for p in hctx.handover.pending_for(lead)] == [h.id]  # a team lead: their team only
    assert len(hctx.handover.pending_for(sup)) == 2
    assert hctx.handover.pending_for(director) == ()  # may read, may not take over
    hctx.handover.acknowledge(lead, h.id, "接班")
    assert hctx.handover.pending_for(lead) == ()
    own = write(hctx, lead)
    assert own.id not in [p.id for p in hctx.handover.pending_for(lead)]


# --- timeline, search, overdue ------------------------------------------------------------------


def test_search_finds_a_chinese_substring_and_a_spanish_word_typed_without_accents(hctx, clock) -> None:
    lead = actor(hctx, "lead1")
    a = write(hctx, lead, summary="今天客户投诉电话较多", items=[item("王女士", pending="退款进度待确认")])
    later(clock, 1)
    b = write(hctx, lead, authors=("A003",), team="Equipo Sur", summary="Mucha atención al cliente hoy",
              items=[item("Sra. Núñez", pending="llamar mañana")])

    def ids(text: str, **kw) -> list[int]:
        return [r.id for r in hctx.handover.list_entries(lead, HandoverFilter(text=text, **kw)).rows]

    assert ids("投诉") == [a.id]
    assert ids("进度待") == [a.id]  # an item's text, mid-word
    assert ids("atencion") == [b.id]
    assert ids("ATENCIÓN") == [b.id]
    assert ids("nunez manana") == [b.id]  # every word must occur
    assert ids("nunez 投诉") == []
    assert ids("100%") == [] and ids("_") == []  # LIKE wildcards are plain text
    assert ids(hctx.people.get(SYSTEM, "A003").name.split()[0]) == [b.id]  # authors' names are searchable
    assert ids("", team="Equipo Sur") == [b.id]
    assert ids("", person="A003") == [b.id]
    assert ids("", start=date(2026, 10, 16)) == []
    assert ids("") == [b.id, a.id]  # newest first


def test_status_filters_and_overdue_items_stand_out(hctx, clock) -> None:
    lead = actor(hctx, "lead1")
    h1 = write(hctx, lead, items=[item("王女士", due=datetime(2026, 10, 15, 19, 0)), item("李先生", due=None)])
    later(clock, 0.5)
    h2 = write(hctx, lead, authors=("A002",), team="客服二组")
    later(clock, 2)  # 20:20: 王女士 is overdue
    rows = {r.id: r for r in hctx.handover.list_entries(lead).rows}
    assert (rows[h1.id].open_items, rows[h1.id].overdue_items) == (2, 1)
    detail = hctx.handover.detail(lead, h1.id)
    assert [i.status for i in detail.items] == ["overdue", "open"]

    def ids(status: str) -> list[int]:
        return [r.id for r in hctx.handover.list_entries(lead, HandoverFilter(status=status)).rows]

    assert ids("overdue") == [h1.id] and ids("open") == [h1.id]
    assert ids("unacknowledged") == [h2.id, h1.id] and ids("acknowledged") == []


def test_the_timeline_shows_the_newest_page_and_counts_them_all(hctx, clock) -> None:
    lead = actor(hctx, "lead1")
    for n in range(5):
        write(hctx, lead, authors=("A001",), summary=f"班次 {n}")
        later(clock, 1)
    page = hctx.handover.list_entries(lead, HandoverFilter(limit=3))
    assert page.total == 5 and [r.summary for r in page.rows] == ["班次 4", "班次 3", "班次 2"]


def test_an_incomplete_record_is_named_before_and_after_saving(hctx) -> None:
    lead = actor(hctx, "lead1")
    data = HandoverInput("D", TEAM, ("L001",), "", items=(ItemInput("王女士", "", "", None),))
    assert {p.code for p in hctx.handover.check(lead, data)} == {
        "SUMMARY_MISSING", "ITEM_PENDING_MISSING", "ITEM_OWNER_MISSING", "ITEM_DUE_MISSING"}
    saved = hctx.handover.write(lead, data)
    assert set(saved.problems) == {"SUMMARY_MISSING", "ITEM_PENDING_MISSING", "ITEM_OWNER_MISSING", "ITEM_DUE_MISSING"}


# --- penalties ------------------------------------------------------------------------------------


def test_penalties_are_suggested_and_recorded_in_one_step_for_the_scorecards(hctx) -> None:
    sup = actor(hctx, "supervisor")
    h = write(hctx, sup, authors=("A001", "A004"), summary="", desk_messy=True)
    choices = hctx.handover.penalty_choices(sup, h.id)
    assert {(c.person.employee_no, c.code, c.points, c.suggested) for c in choices} == {
        ("A001", "M04", -5, True), ("A001", "M02", -2, True), ("A004", "M04", -5, True), ("A004", "M02", -2, True)}
    recorded = hctx.handover.record_penalties(sup, h.id)
    assert len(recorded) == 4
    month = hctx.handover.penalties_between(date(2026, 10, 1), date(2026, 10, 31))
    assert {(p.person.employee_no, p.code, p.points, p.day) for p in month} == {
        ("A001", "M04", -5, date(2026, 10, 15)), ("A001", "M02", -2, date(2026, 10, 15)),
        ("A004", "M04", -5, date(2026, 10, 15)), ("A004", "M02", -2, date(2026, 10, 15))}
    assert hctx.handover.penalties_between(date(2026, 11, 1), date(2026, 11, 30)) == ()
    with pytest.raises(ValidationError, match="no penalty"):
        hctx.handover.record_penalties(sup, h.id)  # all recorded already
    assert all(c.recorded for c in hctx.handover.penalty_choices(sup, h.id))


def test_a_penalty_may_be_picked_even_when_not_suggested_but_not_for_a_stranger(hctx) -> None:
    sup = actor(hctx, "supervisor")
    h = write(hctx, sup, authors=("A001",), items=[item("王女士")])
    assert not any(c.suggested for c in hctx.handover.penalty_choices(sup, h.id))
    with pytest.raises(ValidationError):
        hctx.handover.record_penalties(sup, h.id)
    (p,) = hctx.handover.record_penalties(sup, h.id, [("A001", "M02")])
    assert (p.code, p.points, p.recorded_by) == ("M02", -2, "supervisor")
    with pytest.raises(ValidationError):
        hctx.handover.record_penalties(sup, h.id, [("A002", "M04")])


def test_penalties_are_refused_in_a_locked_month(hctx) -> None:
    sup = actor(hctx, "supervisor")
    h = write(hctx, sup, authors=("A001",), summary="")
    from csdesk.models.tables_attendance import MonthLockRow

    with hctx.handover._uow() as uow:
        uow.session.add(MonthLockRow(month="2026-10", locked_at=datetime(2026, 10, 31), locked_by="supervisor"))
        uow.commit()
    with pytest.raises(LockedMonth):
        hctx.handover.record_penalties(sup, h.id)


# --- drafts, work records, demo -----------------------------------------------------------------


def test_drafts_are_kept_per_user_until_discarded(hctx) -> None:
    lead, sup = actor(hctx, "lead1"), actor(hctx, "supervisor")
    hctx.handover.save_draft(lead, "handover", {"summary": "写到一半"})
    hctx.handover.save_draft(lead, "handover", {"summary": "写到一半, 继续"})
    assert hctx.handover.load_draft(lead, "handover").payload == {"summary": "写到一半, 继续"}
    assert hctx.handover.load_draft(sup, "handover") is None
    hctx.handover.discard_draft(lead, "handover")
    assert hctx.handover.load_draft(lead, "handover") is None
    with pytest.raises(ValidationError):
        hctx.handover.save_draft(lead, "nonsense", {})


def test_work_records_are_one_per_person_day_and_shift_and_counts_may_come_from_callbacks(hctx) -> None:
    hctx.handover.counts_source = None  # first as a site without the callback area: counts are typed
    lead = actor(hctx, "lead1")
    day = date(2026, 10, 15)
    rec = WorkRecordInput("A001", day, "D", "外呼 20 个", "继续回访", WorkCounts(20, 1, 5))
    first = hctx.handover.save_work_record(lead, rec)
    second = hctx.handover.save_work_record(lead, WorkRecordInput("A001", day, "D", "外呼 22 个", counts=WorkCounts(22, 1, 5)))
    assert first.id == second.id and second.today_work == "外呼 22 个"
    assert [r.counts.calls_made for r in hctx.handover.work_records(lead, day, day)] == [22]
    with pytest.raises(ValidationError) as exc:
        hctx.handover.save_work_record(lead, WorkRecordInput("A001", day, "D", "  "))
    assert exc.value.field == "today_work"
    with pytest.raises(ValidationError):
        hctx.handover.save_work_record(lead, WorkRecordInput("A001", day + timedelta(days=1), "D", "future"))
    assert hctx.handover.suggested_counts(SYSTEM, "A001", day) is None  # callback area not wired in
    hctx.handover.counts_source = lambda no, d: {"calls_made": 17, "complaints_taken": 2, "callbacks_done": 9}
    try:
        assert hctx.handover.suggested_counts(SYSTEM, "A001", day) == WorkCounts(17, 2, 9)
    finally:
        hctx.handover.counts_source = None


def test_the_weekly_digest_sums_each_person_and_lists_what_is_still_open(hctx) -> None:
    lead = actor(hctx, "lead1")
    write(hctx, lead, items=[item("王女士", due=datetime(2026, 10, 15, 12, 0))])
    for d, calls in ((12, 10), (13, 15)):
        hctx.handover.save_work_record(lead, WorkRecordInput("A001", date(2026, 10, d), "D", "外呼", counts=WorkCounts(calls, 1, 2)))
    digest = hctx.handover.work_digest(lead, date(2026, 10, 15), TEAM)
    assert (digest.week_start, digest.week_end) == (date(2026, 10, 12), date(2026, 10, 18))
    (person,) = digest.people
    assert person.calls_made == 25 and person.complaints_taken == 2 and len(person.days) == 2
    assert digest.handovers == 1 and digest.unacknowledged == 1 and digest.items_opened == 1
    assert [(i.subject, i.status) for i in digest.open_items] == [("王女士", "overdue")]


def test_the_demo_leaves_the_team_leads_handover_waiting(demo_ctx, clock) -> None:
    from csdesk.services.handover_demo import DEMO_DAYS, build_demo

    with demo_ctx.handover._uow() as uow:
        build_demo(uow, demo_ctx.policy, random.Random(3), uow.people.ids_by_employee_no(), clock.now.date())
        uow.commit()
    lead = actor(demo_ctx, "lead1")
    assert demo_ctx.handover.list_entries(lead).total == 3 * DEMO_DAYS
    (waiting,) = demo_ctx.handover.pending_for(lead)
    assert waiting.team == TEAM and "L001" not in [a.employee_no for a in waiting.authors]
    assert demo_ctx.handover.list_entries(lead, HandoverFilter(text="atencion")).total > 0
    assert demo_ctx.handover.work_records(lead, clock.now.date() - timedelta(days=14), clock.now.date())
