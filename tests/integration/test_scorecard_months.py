"""Month sign-off: a locked month refuses edits until reopened with a reason; standings and history."""

from __future__ import annotations

from datetime import date

import pytest

from csdesk.errors import LockedMonth, PermissionDenied, ValidationError
from csdesk.services.base import Actor
from csdesk.services.months import check_open, month_key
from tests.integration.test_scorecard_service import LEAD, SUPERVISOR, TRAINER, rate, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


MONTH = "2026-09"


def test_month_keys_accept_the_usual_spellings() -> None:
    assert month_key("2026-9") == month_key("2026/09") == month_key("2026年9月") == month_key(date(2026, 9, 30)) == "2026-09"
    with pytest.raises(ValidationError):
        month_key("September")


def test_a_locked_month_rejects_every_edit_naming_the_month(sc_ctx) -> None:
    sc = sc_ctx.scorecards
    event = sc.record_event(LEAD, "A001", date(2026, 9, 3), "M02")
    sc.months.lock(SUPERVISOR, MONTH)
    assert sc.months.is_locked("2026-09") and not sc.months.is_locked("2026-10")
    edits = [
        lambda: sc.set_rating(TRAINER, MONTH, "A001", "execution", 18),
        lambda: sc.set_exam(TRAINER, MONTH, "A001", 90),
        lambda: sc.set_adjustment(TRAINER, MONTH, "A001", 1, "why"),
        lambda: sc.record_event(LEAD, "A001", date(2026, 9, 4), "M02"),
        lambda: sc.correct_event(LEAD, event.id, "typo", points=-2, day=date(2026, 10, 1)),
        lambda: sc.void_event(LEAD, event.id, "typo"),
    ]
    for edit in edits:
        with pytest.raises(LockedMonth) as info:
            edit()
        assert "2026-09" in info.value.message() and "reopen" in info.value.message()
    sc.record_event(LEAD, "A001", date(2026, 10, 2), "M02")  # the next month stays open


def test_moving_an_event_into_a_locked_month_is_refused(sc_ctx) -> None:
    sc = sc_ctx.scorecards
    event = sc.record_event(LEAD, "A001", date(2026, 10, 3), "M02")
    sc.months.lock(SUPERVISOR, MONTH)
    with pytest.raises(LockedMonth):
        sc.correct_event(LEAD, event.id, "wrong month", day=date(2026, 9, 30))


def test_reopening_needs_a_reason_the_right_role_and_is_audited(sc_ctx) -> None:
    months = sc_ctx.scorecards.months
    with pytest.raises(PermissionDenied):
        months.lock(TRAINER, MONTH)
    months.lock(SUPERVISOR, MONTH)
    with pytest.raises(ValidationError):
        months.lock(SUPERVISOR, MONTH)
    with pytest.raises(ValidationError) as info:
        months.reopen(SUPERVISOR, MONTH, "  ")
    assert info.value.field == "reason"
    months.reopen(SUPERVISOR, MONTH, "exam re-marked")
    assert not months.is_locked(MONTH)
    entry = next(e for e in sc_ctx.audit.recent(SUPERVISOR) if e.action == "month.reopen")
    assert entry.entity_id == MONTH and entry.details["reason"] == "exam re-marked" and entry.details["locked_by"] == "supervisor"
    sc_ctx.scorecards.set_rating(TRAINER, MONTH, "A001", "execution", 18)
    with pytest.raises(ValidationError):
        months.reopen(SUPERVISOR, MONTH, "again")


def test_check_open_works_inside_another_areas_unit_of_work(sc_ctx) -> None:
    sc_ctx.scorecards.months.lock(SUPERVISOR, MONTH)
    from csdesk.models.db import UnitOfWork, open_database

    with UnitOfWork(open_database(sc_ctx.db_url)) as uow:
        check_open(uow, "2026-10")
        with pytest.raises(LockedMonth):
            check_open(uow, date(2026, 9, 12))


def test_locking_stores_standings_and_last_place_twice_below_70_warns(sc_ctx) -> None:
    sc = sc_ctx.scorecards
    agents = [a.employee_no for a in sc.agents(SUPERVISOR)]
    worst = next(a.employee_no for a in reversed(sc.agents(SUPERVISOR)) if a.level != "trainee")
    for month in ("2026-09", "2026-10"):
        for no in agents:
            rate(sc_ctx, no, (20, 15, 10, 10) if no == worst else (25, 17, 13, 13), month=month)
    before = sc.scorecard(SUPERVISOR, "2026-10", worst)
    assert before.card.total == 55 and "DISMISSAL_WARNING" in before.flags  # below 60 on its own
    sc.months.lock(SUPERVISOR, "2026-09")
    # Raise the month above 60: now only the last-place rule (two months last, below 70) warns.
    rate(sc_ctx, worst, (25, 15, 13, 12), month="2026-10")
    after = sc.scorecard(SUPERVISOR, "2026-10", worst)
    assert after.card.total == 65 and after.card.last_place and "DISMISSAL_WARNING" in after.flags
    best = sc.scorecard(SUPERVISOR, "2026-10", agents[0])
    assert "DISMISSAL_WARNING" not in best.flags


def test_reopening_drops_the_standings_of_the_month(sc_ctx) -> None:
    from csdesk.models.db import UnitOfWork, open_database
    from csdesk.models.repo_scorecards import ScorecardRepository

    rate(sc_ctx, "A001", month=MONTH)
    months = sc_ctx.scorecards.months
    months.lock(SUPERVISOR, MONTH)
    factory = open_database(sc_ctx.db_url)
    with UnitOfWork(factory) as uow:
        assert len(ScorecardRepository(uow.session).standings([MONTH])) == 1  # the others are not rated: no standing
    months.reopen(SUPERVISOR, MONTH, "redo")
    with UnitOfWork(factory) as uow:
        assert ScorecardRepository(uow.session).standings([MONTH]) == {}


def test_promotion_eligibility_comes_from_signed_off_months(sc_ctx) -> None:
    sc = sc_ctx.scorecards
    junior = next(a for a in sc.agents(SUPERVISOR) if a.level == "junior")
    agents = [a.employee_no for a in sc.agents(SUPERVISOR) if a.join_date <= date(2026, 7, 1)]
    for month in ("2026-07", "2026-08", "2026-09"):
        for no in agents:
            rate(sc_ctx, no, (30, 20, 15, 15) if no == junior.employee_no else (20, 15, 10, 10), month=month)
        for day in (2, 3, 4):  # 80 + 15: grade A every month, so the quarter is A
            sc.record_event(SUPERVISOR, junior.employee_no, date(int(month[:4]), int(month[5:]), day), "B03")
        sc.months.lock(SUPERVISOR, month)
    rate(sc_ctx, junior.employee_no, (30, 20, 15, 15))
    card = sc.scorecard(SUPERVISOR, "2026-10", junior.employee_no)
    assert "PROMOTION_ELIGIBLE:intermediate" in card.flags
    other = sc.scorecard(SUPERVISOR, "2026-10", next(n for n in agents if n != junior.employee_no))
    assert not any(f.startswith("PROMOTION_ELIGIBLE") for f in other.flags)


def test_a_trainer_cannot_lock(sc_ctx) -> None:
    with pytest.raises(PermissionDenied):
        sc_ctx.scorecards.months.reopen(Actor("t", "trainer"), MONTH, "x")
