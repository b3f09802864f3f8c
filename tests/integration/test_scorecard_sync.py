"""The attendance area's hook: M01/S01 events generated from the attendance month."""

from __future__ import annotations

from datetime import date

import pytest

from csdesk.errors import LockedMonth, ValidationError
from csdesk.models.db import UnitOfWork, open_database
from tests.integration.test_scorecard_service import LEAD, SUPERVISOR, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture


def sync(ctx, events, no: str = "A001", month: int = 10, commit: bool = True):
    with UnitOfWork(open_database(ctx.db_url)) as uow:
        result = ctx.scorecards.sync_attendance_events(uow, no, 2026, month, events)
        if commit:
            uow.commit()
    return result


def attendance_events(ctx, no: str = "A001", include_voided: bool = False):
    card = ctx.scorecards.scorecard(SUPERVISOR, "2026-10", no)
    return sorted((e.day, e.code, e.points) for e in card.events if e.source == "attendance")


def test_generated_events_are_added_and_marked_as_coming_from_attendance(sc_ctx) -> None:
    result = sync(sc_ctx, [(date(2026, 10, 2), "M01", -2), (date(2026, 10, 5), "S01", -20)])
    assert (result.added, result.voided, result.kept) == (2, 0, 0)
    card = sc_ctx.scorecards.scorecard(SUPERVISOR, "2026-10", "A001")
    assert card.card.deduction == 22
    assert {line.source_ref.split(":")[0] for line in card.card.lines if line.code in ("M01", "S01")} == {"attendance"}


def test_syncing_again_replaces_only_what_changed_and_never_deletes(sc_ctx) -> None:
    sync(sc_ctx, [(date(2026, 10, 2), "M01", -2), (date(2026, 10, 5), "S01", -20)])
    again = sync(sc_ctx, [(date(2026, 10, 2), "M01", -2), (date(2026, 10, 5), "S01", -20)])
    assert (again.added, again.voided, again.kept) == (0, 0, 2)
    changed = sync(sc_ctx, [(date(2026, 10, 2), "M01", -2), (date(2026, 10, 7), "M01", -2)])
    assert (changed.added, changed.voided, changed.kept) == (1, 1, 1)
    assert attendance_events(sc_ctx) == [(date(2026, 10, 2), "M01", -2), (date(2026, 10, 7), "M01", -2)]
    with UnitOfWork(open_database(sc_ctx.db_url)) as uow:
        from csdesk.models.repo_scorecards import ScorecardRepository

        everything = ScorecardRepository(uow.session).events(date(2026, 10, 1), date(2026, 10, 31), include_voided=True)
    voided = [e for e in everything if e.voided]
    assert [(e.code, e.day) for e in voided] == [("S01", date(2026, 10, 5))]
    trail = sc_ctx.scorecards.corrections(SUPERVISOR, [voided[0].id])
    assert trail[0].action == "sync" and trail[0].reason == "attendance recomputed"


def test_manual_events_are_left_alone_by_the_sync(sc_ctx) -> None:
    sc_ctx.scorecards.record_event(LEAD, "A001", date(2026, 10, 2), "M01", -3, "seen by the lead")
    sync(sc_ctx, [(date(2026, 10, 2), "M01", -2)])
    sync(sc_ctx, [])
    card = sc_ctx.scorecards.scorecard(SUPERVISOR, "2026-10", "A001")
    assert [(e.source, e.points) for e in card.events] == [("manual", -3)]


def test_the_sync_writes_nothing_unless_the_caller_commits(sc_ctx) -> None:
    sync(sc_ctx, [(date(2026, 10, 2), "M01", -2)], commit=False)
    assert attendance_events(sc_ctx) == []


def test_an_event_outside_the_month_or_out_of_range_is_refused(sc_ctx) -> None:
    with pytest.raises(ValidationError):
        sync(sc_ctx, [(date(2026, 9, 30), "M01", -2)])
    with pytest.raises(ValidationError):
        sync(sc_ctx, [(date(2026, 10, 3), "M01", -9)])


def test_a_locked_month_refuses_a_changing_sync_but_not_an_unchanged_one(sc_ctx) -> None:
    sync(sc_ctx, [(date(2026, 10, 2), "M01", -2)])
    sc_ctx.scorecards.months.lock(SUPERVISOR, "2026-10")
    assert sync(sc_ctx, [(date(2026, 10, 2), "M01", -2)]).kept == 1
    with pytest.raises(LockedMonth):
        sync(sc_ctx, [(date(2026, 10, 2), "M01", -2), (date(2026, 10, 3), "S01", -20)])


def test_attendance_events_are_corrected_in_attendance_not_by_hand(sc_ctx) -> None:
    sync(sc_ctx, [(date(2026, 10, 2), "M01", -2)])
    event = sc_ctx.scorecards.scorecard(SUPERVISOR, "2026-10", "A001").events[0]
    with pytest.raises(ValidationError, match="attendance"):
        sc_ctx.scorecards.void_event(SUPERVISOR, event.id, "was on time")
