"""The signed month: a lock stores the month's results, a locked month shows them whatever changes
afterwards (the policy file included), reopening keeps them in history, and databases locked
before results were stored get them once when opened."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from csdesk.services.months import policy_hash
from tests.helpers.factories import FixedClock, make_context
from tests.integration.test_scorecard_service import LEAD, SUPERVISOR, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture
from tests.integration.test_scorecard_service import rate as rate_october

MONTH = "2026-09"


def rate(ctx, no: str, values=(25, 17.5, 12, 13)) -> None:
    rate_october(ctx, no, values, month=MONTH)


def _numbers(ctx, month: str = MONTH) -> list[tuple]:
    return [
        (c.employee_no, c.card.total, c.card.grade, c.card.pay_float_cny, c.rank, c.flags, len(c.card.lines))
        for c in ctx.scorecards.month(SUPERVISOR, month).cards
    ]


def test_a_locked_month_shows_what_was_signed_even_under_a_new_policy(sc_ctx, tmp_path) -> None:
    rate(sc_ctx, "A001")
    rate(sc_ctx, "A002", (20, 15, 10, 10))
    sc_ctx.scorecards.record_event(LEAD, "A001", date(2026, 9, 3), "M02")
    result = sc_ctx.scorecards.months.lock_month(SUPERVISOR, MONTH)
    assert result.lock.revision == 1 and result.lock.policy_hash == policy_hash(sc_ctx.policy)
    assert sorted(result.details["not_rated"]) == [f"A{n:03d}" for n in range(3, 13)]
    signed = _numbers(sc_ctx)
    site = tmp_path / "site.toml"
    site.write_text("[scoring]\npay_float_per_point = 20\nstandard_total = 70\n", encoding="utf-8")
    changed = make_context(tmp_path, FixedClock(), policy_file=site)
    assert changed.policy.scoring.pay_float_per_point == 20
    assert _numbers(changed) == signed  # the stored results, not a recomputation
    card = changed.scorecards.scorecard(SUPERVISOR, MONTH, "A001")
    assert card.locked and card.card.pay_float_cny == Decimal(signed[0][3] if signed[0][0] == "A001" else signed[1][3])
    changed.scorecards.months.reopen(SUPERVISOR, MONTH, "policy changed")
    assert _numbers(changed) != signed  # open again: computed under the policy in force


def test_reopening_keeps_the_signed_results_in_history_and_a_new_lock_is_a_new_revision(sc_ctx) -> None:
    rate(sc_ctx, "A001")
    months = sc_ctx.scorecards.months
    months.lock(SUPERVISOR, MONTH)
    months.reopen(SUPERVISOR, MONTH, "exam score typed wrong")
    (old,) = months.history(MONTH)
    assert (old.revision, old.reopened_by, old.reason) == (1, "supervisor", "exam score typed wrong")
    sc_ctx.scorecards.set_exam(SUPERVISOR, MONTH, "A001", 95)
    again = months.lock(SUPERVISOR, MONTH)
    assert again.revision == 2
    with sqlite3.connect(sc_ctx.db_url.removeprefix("sqlite:///")) as db:
        revisions = dict(db.execute("SELECT revision, count(*) FROM month_results WHERE month = ? AND kind = 'card' GROUP BY revision", (MONTH,)))
        actions = [row[0] for row in db.execute("SELECT action FROM audit_log WHERE entity = 'month' ORDER BY id")]
    assert revisions == {1: 12, 2: 12}
    assert actions == ["month.lock", "month.reopen", "month.lock"]
    assert sc_ctx.scorecards.scorecard(SUPERVISOR, MONTH, "A001").card.exam == 95


def test_a_month_locked_before_results_were_stored_gets_them_once_when_opened(sc_ctx, tmp_path) -> None:
    rate(sc_ctx, "A001")
    sc_ctx.scorecards.months.lock(SUPERVISOR, MONTH)
    signed = _numbers(sc_ctx)
    with sqlite3.connect(sc_ctx.db_url.removeprefix("sqlite:///")) as db:  # as migration 0011 leaves an older lock
        db.execute("DELETE FROM month_results")
        db.execute("UPDATE month_locks SET policy_hash = NULL")
    reopened = make_context(tmp_path, FixedClock())
    assert _numbers(reopened) == signed
    with sqlite3.connect(sc_ctx.db_url.removeprefix("sqlite:///")) as db:
        stored = db.execute("SELECT count(*) FROM month_results WHERE kind = 'card'").fetchone()[0]
        audit = [row[0] for row in db.execute("SELECT action FROM audit_log WHERE action = 'month.results_stored'")]
    assert stored == 12 and audit == ["month.results_stored"]
    make_context(tmp_path, FixedClock())  # a second start finds nothing to do
    with sqlite3.connect(sc_ctx.db_url.removeprefix("sqlite:///")) as db:
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'month.results_stored'").fetchone()[0] == 1


def test_unrated_agents_have_no_grade_pay_or_rank_and_are_not_last(sc_ctx) -> None:
    rate(sc_ctx, "A001")
    rate(sc_ctx, "A002", (10, 10, 5, 5))
    cards = {c.employee_no: c for c in sc_ctx.scorecards.month(SUPERVISOR, MONTH).cards}
    unrated = cards["A005"]
    assert (unrated.card.total, unrated.card.grade, unrated.card.pay_float_cny, unrated.rank) == (None, None, None, None)
    assert "NOT_RATED" in unrated.flags and unrated.team_rank is None
    assert cards["A002"].rank == 2 and cards["A002"].card.last_place  # last among the rated only
    assert [c.employee_no for c in sc_ctx.scorecards.month(SUPERVISOR, MONTH).cards][:2] == ["A001", "A002"]


def test_the_events_table_lists_every_line_the_total_counts(sc_ctx) -> None:
    """Issue: A012 showed 'deduction −12' but listed −2 and +5; the −10 for an exam below 60 was missing."""
    sc = sc_ctx.scorecards
    rate(sc_ctx, "A001")
    sc.record_event(LEAD, "A001", date(2026, 9, 3), "M02")
    sc.set_exam(SUPERVISOR, MONTH, "A001", 40)  # below the pass mark: D07
    voided = sc.record_event(LEAD, "A001", date(2026, 9, 4), "M02")
    sc.void_event(LEAD, voided.id, "typed twice")
    card = sc.scorecard(SUPERVISOR, MONTH, "A001")
    lines = sc.event_lines(SUPERVISOR, card)
    counted = [line for line in lines if line.counted]
    assert sum(line.points for line in counted) == card.card.bonus - card.card.deduction
    assert {line.source for line in counted} == {"manual", "exam"}
    assert [line.code for line in lines if line.voided] == ["M02"]
    explained = [line for line in sc.explain(SUPERVISOR, MONTH, "A001").lines if line.part == "deduction"]
    sheet = sc.evaluation_sheets(SUPERVISOR, MONTH, employee_no="A001", lang="en")[0]
    assert [line.code for line in counted] == [line.code for line in explained] == [e.code for e in sheet.events]


def test_damaged_stored_results_are_refused_naming_the_month(sc_ctx) -> None:
    import pytest

    from csdesk.errors import StorageError

    rate(sc_ctx, "A001")
    sc_ctx.scorecards.months.lock(SUPERVISOR, MONTH)
    with sqlite3.connect(sc_ctx.db_url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE month_results SET payload = '{\"x\": 1}' WHERE kind = 'card' AND subject = 'A001'")
    with pytest.raises(StorageError) as info:
        sc_ctx.scorecards.scorecard(SUPERVISOR, MONTH, "A001")
    assert MONTH in info.value.message()
