"""No lost update in the handover log and between a ratings import and a scorecard edit (issue #12).

Two PCs are two contexts on one database (a SQLite file, or the throw-away PostgreSQL server).
The races are run for real: one thread per PC, released together by a barrier, many rounds. In
each round exactly one side wins; the other is refused (StaleWrite or ValidationError, never a
traceback and never a silent success), and the rows and their audit entries agree.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from csdesk.errors import CsdeskError, RuleViolation, StaleWrite, ValidationError
from csdesk.models.domain import AuditEntry
from csdesk.models.domain_handover import (
    HandoverDetail,
    HandoverFilter,
    HandoverInput,
    HandoverItem,
    ItemInput,
    WorkCounts,
    WorkRecord,
    WorkRecordInput,
)
from csdesk.models.domain_scorecards import EventRecord
from csdesk.models.repo_scorecards import ScorecardRepository
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import FixedClock, make_context

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server

ANA = Actor("ana", "supervisor")
BEN = Actor("ben", "supervisor")
TINA = Actor("tina", "trainer")  # imports the trainer's ratings file
TODAY = datetime(2026, 11, 20, 10, 0)
MONTH = "2026-11"
TEAM = "客服一组"
DUE = datetime(2026, 11, 21, 12, 0)
ROUNDS = 20


@pytest.fixture
def pcs(tmp_path: Path, db_url: str):
    """Two PCs on one database with a small demo department (people, logins, roster) in it."""
    clock = FixedClock(TODAY)
    one = make_context(tmp_path / "one", clock, db=db_url)
    one.demo.build(SYSTEM, agents=6, months=1, seed=5, areas=False)
    two = make_context(tmp_path / "two", clock, db=db_url)
    yield one, two
    one.close()
    two.close()


def race(*jobs: Callable[[], object]) -> list[object]:
    """Run ``jobs`` at the same moment, one thread each: each one's result, or what it raised."""
    start = threading.Barrier(len(jobs))
    out: list[object] = [None] * len(jobs)

    def run(i: int, job: Callable[[], object]) -> None:
        start.wait()
        try:
            out[i] = job()
        except BaseException as exc:  # noqa: BLE001 - a traceback fails the caller's assertions
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a PC still waits after a minute"
    crashed = [r for r in out if isinstance(r, BaseException) and not isinstance(r, CsdeskError)]
    assert not crashed, crashed  # refusals are CsdeskErrors, never a database error
    return out


def one_wins(results: list[object], kind: type, refusal: type[CsdeskError]) -> tuple[object, CsdeskError]:
    """The one result of ``kind`` and the one refusal: never both sides done, never both refused."""
    won = [r for r in results if isinstance(r, kind)]
    refused = [r for r in results if isinstance(r, refusal)]
    assert len(won) == 1 and len(refused) == 1, results
    return won[0], refused[0]


def audit_of(ctx, entity: str, entity_id: object, action: str) -> list[AuditEntry]:
    """The audit entries of one record and action, oldest first."""
    entries = ctx.audit.recent(SYSTEM, 500, entity)
    return sorted((e for e in entries if e.entity_id == str(entity_id) and e.action == action), key=lambda e: e.id)


def handover(ctx, who: Actor, summary: str, *items: ItemInput, authors=("A001",), desk_messy=False, **kw) -> HandoverDetail:
    return ctx.handover.write(who, HandoverInput("D", TEAM, tuple(authors), summary, desk_messy=desk_messy, items=items), **kw)


def new_item(subject: str) -> ItemInput:
    return ItemInput(subject, "call back", "A001", DUE)


def item_named(detail: HandoverDetail, subject: str) -> HandoverItem:
    return next(i for i in detail.items if i.subject == subject)


# --- handover entries -------------------------------------------------------------------------------


def test_two_pcs_taking_over_one_handover_at_once_take_it_over_once(pcs) -> None:
    one, two = pcs
    sup, lead = one.auth.resolve_actor("supervisor"), two.auth.resolve_actor("lead1")
    for n in range(ROUNDS):
        entry = handover(one, ANA, f"round {n}")
        got = race(
            lambda: one.handover.acknowledge(sup, entry.id, f"supervisor takes over {n}"),
            lambda: two.handover.acknowledge(lead, entry.id, f"lead takes over {n}"),
        )
        won, refused = one_wins(got, HandoverDetail, ValidationError)
        assert "already acknowledged" in refused.message()
        after = one.handover.detail(ANA, entry.id)
        assert (after.acknowledged_by, after.takeover_note) == (won.acknowledged_by, won.takeover_note)
        (ack,) = audit_of(one, "handover", entry.id, "handover.acknowledge")
        assert ack.details["by"] == after.acknowledged_by.employee_no


def test_two_pcs_recording_one_handovers_penalties_at_once_record_each_penalty_once(pcs) -> None:
    one, two = pcs
    for n in range(ROUNDS):
        entry = handover(one, ANA, "", authors=("A001", "A004"), desk_messy=True)  # incomplete and messy
        picks = [(c.person.employee_no, c.code) for c in one.handover.penalty_choices(ANA, entry.id) if c.suggested]
        assert len(picks) == 4
        chosen = picks if n % 2 else None  # ticked in the dialog, or the suggested ones (command line)
        got = race(
            lambda: one.handover.record_penalties(ANA, entry.id, chosen),
            lambda: two.handover.record_penalties(BEN, entry.id, chosen),
        )
        won, refused = one_wins(got, tuple, ValidationError)
        assert "recorded already" in refused.message() or "no penalty" in refused.message()
        rows = one.handover.detail(ANA, entry.id).penalties
        assert sorted((p.person.employee_no, p.code) for p in rows) == sorted(picks)  # none twice
        assert sorted(p.id for p in rows) == sorted(p.id for p in won)
        audited = audit_of(one, "handover", entry.id, "handover.penalty")
        assert sorted((e.details["person"], e.details["code"]) for e in audited) == sorted(picks)
        assert {e.username for e in audited} == {p.recorded_by for p in rows} and len({p.recorded_by for p in rows}) == 1


def test_penalties_ticked_on_a_screen_another_pc_recorded_meanwhile_are_refused_whole(pcs) -> None:
    one, two = pcs
    entry = handover(one, ANA, "", desk_messy=True)
    shown = one.handover.penalty_choices(ANA, entry.id)
    assert not any(c.recorded for c in shown)
    two.handover.record_penalties(BEN, entry.id, [("A001", "M04")])
    with pytest.raises(ValidationError) as info:
        one.handover.record_penalties(ANA, entry.id, [("A001", "M04"), ("A001", "M02")])
    text = info.value.message()
    assert "M04" in text and "ben" in text and "2026-11-20 10:00" in text, text
    (only,) = one.handover.detail(ANA, entry.id).penalties  # the M02 of the refused pick is not recorded either
    assert (only.code, only.recorded_by) == ("M04", "ben")
    assert len(audit_of(one, "handover", entry.id, "handover.penalty")) == 1
    after_reload = one.handover.record_penalties(ANA, entry.id, [("A001", "M02")])  # after reloading, the rest
    assert sorted((p.code, p.recorded_by) for p in after_reload) == [("M02", "ana"), ("M04", "ben")]


def test_two_pcs_saving_one_teams_handover_from_the_same_form_save_it_once(pcs) -> None:
    one, two = pcs
    handover(one, ANA, "start", new_item("carried customer"))
    expected = {"carried customer"}
    for n in range(ROUNDS // 2):
        seen_one, seen_two = one.handover.prefill(ANA, TEAM), two.handover.prefill(BEN, TEAM)
        got = race(
            lambda: handover(one, ANA, f"ana {n}", new_item(f"ana {n}"), previous_id=seen_one.previous_id),
            lambda: handover(two, BEN, f"ben {n}", new_item(f"ben {n}"), previous_id=seen_two.previous_id),
        )
        won, refused = one_wins(got, HandoverDetail, StaleWrite)
        assert won.written_by in refused.message() and str(won.id) in refused.message()
        expected.add(f"{won.written_by} {n}")
        carried = {i.subject for i in one.handover.prefill(ANA, TEAM).carried}
        assert carried == expected  # the winner's new item goes on; the refused one wrote nothing
        assert len(audit_of(one, "handover", won.id, "handover.write")) == 1


def test_a_pc_whose_clock_is_behind_carries_on_from_the_handover_a_pc_ahead_saved(tmp_path: Path, db_url: str) -> None:
    """PC clocks differ: the team's previous handover is the one saved last, not the one with the
    latest clock reading (a PC 10 minutes ahead must not hide its handover from the others)."""
    ahead, behind = FixedClock(TODAY + timedelta(minutes=10)), FixedClock(TODAY)
    one = make_context(tmp_path / "one", ahead, db=db_url)
    one.demo.build(SYSTEM, agents=6, months=1, seed=5, areas=False)
    two = make_context(tmp_path / "two", behind, db=db_url)
    try:
        first = handover(two, BEN, "early shift", new_item("from the early shift"))
        saved = handover(one, ANA, "ahead", new_item("from the fast PC"), previous_id=first.id)
        seen = two.handover.prefill(BEN, TEAM)  # two's clock is 10 minutes behind one's entry
        assert seen.previous_id == saved.id
        assert {i.subject for i in seen.carried} == {"from the early shift", "from the fast PC"}
        later = handover(two, BEN, "behind", previous_id=seen.previous_id)
        assert {i.subject for i in later.items} == {"from the early shift", "from the fast PC"}
        with pytest.raises(StaleWrite):  # a form filled before the fast PC saved is still refused
            handover(two, BEN, "stale", previous_id=first.id)
    finally:
        one.close()
        two.close()


def test_two_pcs_saving_one_teams_handover_at_once_without_a_form_lose_no_item(pcs) -> None:
    """Scripts give no previous handover: both are saved, one after the other, and the later one
    carries what the earlier one opened."""
    one, two = pcs
    expected: set[str] = set()
    for n in range(ROUNDS // 2):
        got = race(
            lambda: handover(one, ANA, f"ana {n}", new_item(f"ana {n}")),
            lambda: handover(two, BEN, f"ben {n}", new_item(f"ben {n}")),
        )
        assert all(isinstance(r, HandoverDetail) for r in got), got
        expected |= {f"ana {n}", f"ben {n}"}
        later = max(got, key=lambda d: d.id)
        assert {i.subject for i in later.open_items} == expected
        assert {i.subject for i in one.handover.prefill(ANA, TEAM).carried} == expected


def test_closing_an_item_while_another_pc_closes_it_in_a_handover_keeps_one_outcome(pcs) -> None:
    one, two = pcs
    for n in range(ROUNDS):
        entry = handover(one, ANA, f"round {n}", new_item(f"customer {n}"))
        item = item_named(entry, f"customer {n}")
        seen = two.handover.prefill(BEN, TEAM)
        data = HandoverInput("D", TEAM, ("A004",), f"ben {n}", items=(
            ItemInput(item.subject, item.pending, "A001", item.due, item_id=item.id, outcome=f"ben settled {n}"),))
        got = race(
            lambda: one.handover.close_item(ANA, item.id, f"ana settled {n}", version=item.version),
            lambda: two.handover.write(BEN, data, previous_id=seen.previous_id),
        )
        won = [r for r in got if not isinstance(r, CsdeskError)]
        refused = [r for r in got if isinstance(r, StaleWrite)]
        assert len(won) == 1 and len(refused) == 1, got
        after = item_named(one.handover.detail(ANA, entry.id), item.subject)
        (closed,) = audit_of(one, "handover_item", item.id, "handover.close_item")  # closed once, on record
        assert (closed.username, closed.details["outcome"]) == (after.closed_by, after.outcome)
        if isinstance(won[0], HandoverItem):  # Ana closed it: Ben's handover is refused, naming her
            assert (after.outcome, after.closed_by, after.closed_in) == (f"ana settled {n}", "ana", None)
            assert "ana" in refused[0].message()
        else:  # Ben's handover closed it: Ana's close is refused, naming him
            assert (after.outcome, after.closed_by, after.closed_in) == (f"ben settled {n}", "ben", won[0].id)
            assert "ben" in refused[0].message() and closed.details["entry"] == won[0].id


def test_two_pcs_closing_one_item_at_once_close_it_once(pcs) -> None:
    """Without a version (the command line) the second sees the first's outcome: closed already."""
    one, two = pcs
    for n in range(ROUNDS):
        item = item_named(handover(one, ANA, f"round {n}", new_item(f"customer {n}")), f"customer {n}")
        got = race(
            lambda: one.handover.close_item(ANA, item.id, f"ana settled {n}"),
            lambda: two.handover.close_item(BEN, item.id, f"ben settled {n}"),
        )
        won, refused = one_wins(got, HandoverItem, ValidationError)
        assert "closed already" in refused.message()
        (closed,) = audit_of(one, "handover_item", item.id, "handover.close_item")
        assert (closed.username, closed.details["outcome"]) == (won.closed_by, won.outcome)


def test_a_takeover_and_an_item_closed_at_once_are_both_found_by_the_search(pcs) -> None:
    """The entry's search text is rebuilt by both: neither rebuild drops the other's words."""
    one, two = pcs
    sup = one.auth.resolve_actor("supervisor")
    for n in range(ROUNDS // 2):
        entry = handover(one, ANA, f"round {n}", new_item(f"customer {n}"))
        item = item_named(entry, f"customer {n}")
        got = race(
            lambda: one.handover.acknowledge(sup, entry.id, f"zebra{n} checked the desk"),
            lambda: two.handover.close_item(BEN, item.id, f"okapi{n} refunded", version=item.version),
        )
        assert not any(isinstance(r, CsdeskError) for r in got), got
        for word in (f"zebra{n}", f"okapi{n}"):
            found = one.handover.list_entries(ANA, HandoverFilter(text=word)).rows
            assert entry.id in [r.id for r in found], word


# --- work records -------------------------------------------------------------------------------------


def test_two_pcs_saving_one_work_record_from_empty_forms_keep_one_and_refuse_the_other(pcs) -> None:
    one, two = pcs
    for n in range(ROUNDS):
        day = TODAY.date() - timedelta(days=n)
        got = race(
            lambda: one.handover.save_work_record(ANA, WorkRecordInput("A001", day, "D", f"ana {n}", counts=WorkCounts(10)), expected=None),
            lambda: two.handover.save_work_record(BEN, WorkRecordInput("A001", day, "D", f"ben {n}", counts=WorkCounts(20)), expected=None),
        )
        won, refused = one_wins(got, WorkRecord, StaleWrite)
        assert won.updated_by in refused.message()
        (stored,) = one.handover.work_records(ANA, day, day, person="A001")
        assert (stored.id, stored.today_work, stored.updated_by) == (won.id, won.today_work, won.updated_by)
        (saved,) = audit_of(one, "work_record", stored.id, "work_record.save")
        assert (saved.username, saved.details["calls"]) == (stored.updated_by, stored.counts.calls_made)


def test_two_scripts_saving_one_work_record_at_once_replace_it_in_turn(pcs) -> None:
    """Without what the form showed, the second replaces the first, as one after the other (no crash)."""
    one, two = pcs
    for n in range(ROUNDS // 2):
        day = TODAY.date() - timedelta(days=n)
        got = race(
            lambda: one.handover.save_work_record(ANA, WorkRecordInput("A002", day, "D", f"ana {n}", counts=WorkCounts(10))),
            lambda: two.handover.save_work_record(BEN, WorkRecordInput("A002", day, "D", f"ben {n}", counts=WorkCounts(20))),
        )
        assert all(isinstance(r, WorkRecord) for r in got), got
        (stored,) = one.handover.work_records(ANA, day, day, person="A002")
        saves = audit_of(one, "work_record", stored.id, "work_record.save")
        assert len(saves) == 2 and (saves[-1].username, saves[-1].details["calls"]) == (stored.updated_by, stored.counts.calls_made)


def test_a_work_record_saved_over_another_pcs_change_is_refused(pcs) -> None:
    one, two = pcs
    day = TODAY.date()
    one.handover.save_work_record(ANA, WorkRecordInput("A003", day, "D", "20 calls", counts=WorkCounts(20)))
    (shown,) = one.handover.work_records(ANA, day, day, person="A003")
    two.handover.save_work_record(BEN, WorkRecordInput("A003", day, "D", "24 calls", counts=WorkCounts(24)), expected=shown)
    with pytest.raises(StaleWrite) as info:
        one.handover.save_work_record(ANA, WorkRecordInput("A003", day, "D", "21 calls", counts=WorkCounts(21)), expected=shown)
    assert "ben" in info.value.message() and "2026-11-20 10:00" in info.value.message()
    (now,) = one.handover.work_records(ANA, day, day, person="A003")
    assert (now.today_work, now.updated_by) == ("24 calls", "ben")
    with pytest.raises(StaleWrite):  # a form that started empty does not replace a stored record unseen
        one.handover.save_work_record(ANA, WorkRecordInput("A003", day, "D", "new form"), expected=None)
    done = one.handover.save_work_record(ANA, WorkRecordInput("A003", day, "D", "21 calls", counts=WorkCounts(21)), expected=now)
    assert done.today_work == "21 calls"


# --- ratings import against a scorecard edit ------------------------------------------------------------

RATINGS_HEAD = "employee_no,month,service_quality,execution,collaboration,discipline\n"


def ratings_file(path: Path, *rows: tuple[str, int], filler: int = 0) -> Path:
    """A ratings file: (employee_no, service quality) rows, then ``filler`` rows naming nobody
    (rejected, but they make the import call its progress callback mid-file)."""
    lines = [f"{no},{MONTH},{value},17,12,13\n" for no, value in rows]
    lines += [f"X{k:04d},{MONTH},20,17,12,13\n" for k in range(filler)]
    path.write_text(RATINGS_HEAD + "".join(lines), encoding="utf-8")
    return path


def service_quality(ctx, employee_no: str) -> Decimal | None:
    card = next(c for c in ctx.scorecards.month(ANA, MONTH).cards if c.employee_no == employee_no)
    entered = card.ratings.get("service_quality")
    return None if entered is None else entered.value


def rating_chain(ctx, employee_no: str) -> list[tuple[str, str, Decimal | None, Decimal | None]]:
    """(who, action, before, after) of service quality, per audit entry of the scorecard, oldest first."""
    out = []
    for e in sorted(ctx.audit.recent(SYSTEM, 500, "scorecard"), key=lambda e: e.id):
        if e.entity_id != f"{employee_no}/{MONTH}":
            continue
        if e.action == "rating.set" and e.details.get("criterion") == "service_quality":
            before, after = e.details.get("before"), e.details.get("value")
        elif e.action == "rating.import":
            before, after = (e.details.get("before") or {}).get("service_quality"), e.details["values"]["service_quality"]
        else:
            continue
        out.append((e.username, e.action, None if before is None else Decimal(str(before)), Decimal(str(after))))
    return out


def assert_chain_holds(ctx, employee_no: str) -> None:
    """Each change starts from the value the one before left, and the row holds the last one's."""
    chain = rating_chain(ctx, employee_no)
    for (_w, _a, _b, after), (who, action, before, _after) in zip(chain, chain[1:]):
        assert before == after, (who, action, chain)
    assert chain[-1][3] == service_quality(ctx, employee_no)


def rate_fully(ctx, employee_no: str, quality: int) -> None:
    """All four criteria stored, so an import only updates rows (an insert would make the
    database itself hold the edit back, through the row's reference to the person)."""
    for criterion, value in (("execution", 16), ("collaboration", 11), ("discipline", 12), ("service_quality", quality)):
        ctx.scorecards.set_rating(ANA, MONTH, employee_no, criterion, Decimal(value))


def test_two_pcs_recording_a_once_a_month_event_at_once_record_it_once(pcs) -> None:
    """B01 may be recorded once a month per agent: two PCs recording it for the same agent at the
    same moment count the limit one after the other; one is recorded, the other refused."""
    one, two = pcs
    day = TODAY.date()
    for no in ("A001", "A002", "A003", "A004", "A005", "A006"):
        got = race(
            lambda no=no: one.scorecards.record_event(ANA, no, day, "B01", note="ana"),
            lambda no=no: two.scorecards.record_event(BEN, no, day, "B01", note="ben"),
        )
        won, refused = one_wins(got, EventRecord, RuleViolation)
        assert refused.field == "code"
        card = one.scorecards.scorecard(SYSTEM, MONTH, no)
        assert [line.code for line in one.scorecards.event_lines(SYSTEM, card) if line.code == "B01"] == ["B01"]
        assert len(audit_of(one, "evaluation_event", won.id, "event.record")) == 1


def test_a_rating_edit_based_on_the_value_before_an_import_is_refused_naming_the_importer(pcs, tmp_path) -> None:
    one, two = pcs
    one.scorecards.set_rating(ANA, MONTH, "A003", "service_quality", Decimal("20"))
    report = two.scorecards.import_ratings(TINA, ratings_file(tmp_path / "r.csv", ("A003", 25)))
    assert report.updated == 1
    with pytest.raises(StaleWrite) as info:
        one.scorecards.set_rating(ANA, MONTH, "A003", "service_quality", Decimal("19"), expected=Decimal("20"))
    assert "tina" in info.value.message() and "2026-11-20 10:00" in info.value.message()
    assert service_quality(one, "A003") == Decimal("25")
    assert_chain_holds(one, "A003")


def test_a_rating_edit_made_while_an_import_runs_waits_and_is_refused(pcs, tmp_path) -> None:
    """The import has written the row but not committed when the edit comes: the edit waits for
    the import's claim on the person, then sees the imported value and is refused."""
    one, two = pcs
    rate_fully(one, "A003", 20)
    path = ratings_file(tmp_path / "r.csv", ("A003", 25), filler=200)
    midway, editing = threading.Event(), threading.Event()

    def progress(done: int, _total: int) -> bool:
        if done >= 200:  # A003's row is written, nothing committed yet
            midway.set()
            editing.wait(10)
            time.sleep(0.5)  # the edit reaches the database and waits there
        return True

    def edit() -> object:
        midway.wait(10)
        editing.set()
        return one.scorecards.set_rating(ANA, MONTH, "A003", "service_quality", Decimal("19"), expected=Decimal("20"))

    report, refused = race(lambda: two.scorecards.import_ratings(TINA, path, progress), edit)
    assert report.updated == 1 and len(report.problems) == 200
    assert isinstance(refused, StaleWrite) and "tina" in refused.message(), refused
    assert service_quality(one, "A003") == Decimal("25")
    assert_chain_holds(one, "A003")


def test_an_import_waits_for_an_edit_in_progress_and_records_its_value_as_before(pcs, tmp_path, monkeypatch) -> None:
    """The edit has written the row but not committed when the import comes: the import waits,
    reads the edited value, and its audit entry says it replaced that value."""
    one, two = pcs
    rate_fully(one, "A003", 20)
    wrote, importing = threading.Event(), threading.Event()
    original = ScorecardRepository.set_rating

    def paused(self, *args, **kwargs):
        before = original(self, *args, **kwargs)
        if threading.current_thread().name == "edit":
            self._s.flush()  # the row is written (and, on PostgreSQL, locked) now
            wrote.set()
            importing.wait(10)
            time.sleep(0.5)  # the import reaches the database and waits there
        return before

    monkeypatch.setattr(ScorecardRepository, "set_rating", paused)
    result: list[object] = []

    def edit() -> None:
        result.append(one.scorecards.set_rating(ANA, MONTH, "A003", "service_quality", Decimal("17"), expected=Decimal("20")))

    editor = threading.Thread(target=edit, name="edit")
    editor.start()
    assert wrote.wait(10)
    importing.set()
    report = two.scorecards.import_ratings(TINA, ratings_file(tmp_path / "r.csv", ("A003", 25)))
    editor.join(30)
    assert result and not isinstance(result[0], BaseException)
    assert report.updated == 1
    assert service_quality(one, "A003") == Decimal("25")
    chain = rating_chain(one, "A003")
    assert [(who, before, after) for who, _a, before, after in chain[-2:]] == [
        ("ana", Decimal("20"), Decimal("17")), ("tina", Decimal("17"), Decimal("25"))]
    assert_chain_holds(one, "A003")


def test_imports_and_edits_racing_on_one_rating_lose_no_update(pcs, tmp_path) -> None:
    one, two = pcs
    rate_fully(one, "A004", 10)
    for n in range(ROUNDS):
        shown = service_quality(one, "A004")
        imported, typed = Decimal(11 + n % 9), Decimal(21 + n % 9)
        path = ratings_file(tmp_path / f"r{n}.csv", ("A004", int(imported)))
        report, edit = race(
            lambda: two.scorecards.import_ratings(TINA, path),
            lambda: one.scorecards.set_rating(ANA, MONTH, "A004", "service_quality", typed, expected=shown),
        )
        assert report.written + report.updated + report.duplicates == 1 and not report.problems
        if isinstance(edit, StaleWrite):  # the import came first
            assert "tina" in edit.message()
        else:  # the edit came first; the import then replaced the edited value, on record
            assert not isinstance(edit, BaseException)
            assert rating_chain(one, "A004")[-1][:3] == ("tina", "rating.import", typed)
        assert service_quality(one, "A004") == imported
    assert_chain_holds(one, "A004")


def test_two_imports_of_other_kinds_naming_the_same_people_in_other_orders_both_finish(pcs, tmp_path) -> None:
    """Each import claims its people in one order (by id), so two never wait for each other in a circle."""
    one, two = pcs
    people = [f"A{k:03d}" for k in range(1, 7)]
    for n in range(ROUNDS // 4):
        ratings = ratings_file(tmp_path / f"r{n}.csv", *[(no, 10 + n) for no in people])
        exams = tmp_path / f"e{n}.csv"
        exams.write_text("employee_no,month,score\n" + "".join(f"{no},{MONTH},{80 + n}\n" for no in reversed(people)))
        got = race(lambda: one.scorecards.import_ratings(TINA, ratings), lambda: two.scorecards.import_exams(TINA, exams))
        assert [r.written + r.updated for r in got] == [6, 6] and not any(r.problems for r in got)
