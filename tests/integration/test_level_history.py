"""The level history (rules.md §8): recorded when a level is set, and the ladder judged from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text

from csdesk.errors import ValidationError
from csdesk.models.domain import PersonData
from csdesk.models.repositories import person_data
from csdesk.services.base import SYSTEM
from tests.helpers.factories import write_csv
from tests.integration.test_scorecard_service import SUPERVISOR, rate, sc_ctx_fixture  # noqa: F401 - the sc_ctx fixture

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


TODAY = date(2026, 10, 15)  # the FixedClock's day
FULL = (30, 20, 15, 15)  # 80 points: grade B on its own
LEADERS = ("A002", "A003", "A005")  # seniors since long before the window: never judged for demotion
SIGNED_OFF = ("2026-07", "2026-08", "2026-09")
CURRENT = "2026-10"


def set_level(ctx, clock, no: str, level: str, on: date, note: str = "") -> None:
    """Change ``no``'s level in the form with the service clock on ``on``."""
    saved, clock.now = clock.now, datetime.combine(on, time(9, 0))
    try:
        ctx.people.update(SUPERVISOR, replace(person_data(ctx.people.get(SYSTEM, no)), level=level), level_note=note)
    finally:
        clock.now = saved


def play_month(ctx, month: str, low: tuple[str, ...] = (), high: tuple[str, ...] = (), bonuses: int = 1) -> None:
    """The leaders score 85 (80 + one B03); ``low`` agents 80, ranked below them (outside the top 3,
    yet grade B so no quarter falls below B); ``high`` agents 80 + ``bonuses`` + 1 B03, ranked first."""
    year, mon = int(month[:4]), int(month[5:])
    for no in (*LEADERS, *low, *high):
        rate(ctx, no, FULL, month=month)
    for no in LEADERS:
        ctx.scorecards.record_event(SUPERVISOR, no, date(year, mon, 2), "B03")
    for no in high:
        for day in range(bonuses + 1):
            ctx.scorecards.record_event(SUPERVISOR, no, date(year, mon, 2 + day), "B03")
    if month != CURRENT:
        ctx.scorecards.months.lock(SUPERVISOR, month)


def card(ctx, no: str, month: str = CURRENT):
    return ctx.scorecards.scorecard(SUPERVISOR, month, no)


# --- recording ------------------------------------------------------------------------------------


def test_a_new_agent_level_starts_at_the_join_date_or_today(sc_ctx) -> None:
    joined = sc_ctx.people.level_history(SYSTEM, "A006")
    assert [(c.level, c.effective, c.recorded_by) for c in joined.changes] == [("junior", date(2025, 4, 1), "supervisor")]
    assert joined.since == date(2025, 4, 1) and joined.level == "junior"
    sc_ctx.people.add(SUPERVISOR, PersonData("B001", "陈静", "客服一组", "agent", None, None))
    new = sc_ctx.people.level_history(SYSTEM, "B001")
    assert (new.level, new.since) == ("trainee", TODAY)  # an agent without a level starts on the first
    created = next(e for e in sc_ctx.audit.recent(SUPERVISOR) if e.action == "person.create" and e.entity_id == "B001")
    assert created.details["level_since"] == TODAY.isoformat()
    assert sc_ctx.people.level_history(SYSTEM, "S001").changes == ()  # staff carry no level


def test_a_level_change_is_recorded_from_today_with_its_note_and_audited(sc_ctx) -> None:
    before = person_data(sc_ctx.people.get(SYSTEM, "A006"))
    sc_ctx.people.update(SUPERVISOR, replace(before, level="intermediate"), level_note="Q3 review: promoted")
    sc_ctx.people.update(SUPERVISOR, replace(before, level="intermediate", phone="600123456"))  # no level change
    history = sc_ctx.people.level_history(SYSTEM, "A006")
    assert [(c.level, c.effective) for c in history.changes] == [("junior", date(2025, 4, 1)), ("intermediate", TODAY)]
    assert history.changes[-1].note == "Q3 review: promoted" and history.since == TODAY
    entries = [e for e in sc_ctx.audit.recent(SUPERVISOR) if e.action == "person.level"]
    assert len(entries) == 1
    assert entries[0].entity_id == "A006" and entries[0].username == "supervisor"
    assert entries[0].details == {"before": "junior", "after": "intermediate", "effective": "2026-10-15", "note": "Q3 review: promoted"}


def test_a_failed_save_records_no_level_change(sc_ctx) -> None:
    from csdesk.errors import ValidationError

    bad = replace(person_data(sc_ctx.people.get(SYSTEM, "A006")), level="intermediate", gender="X")
    with pytest.raises(ValidationError):
        sc_ctx.people.update(SUPERVISOR, bad)
    assert [c.level for c in sc_ctx.people.level_history(SYSTEM, "A006").changes] == ["junior"]


def test_importing_people_records_first_levels_and_level_changes(ctx, tmp_path: Path) -> None:
    header = "employee_no,name,team,level,join_date\n"
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "p.csv", header + "A001,张伟,客服一组,junior,2025-03-01\nA002,李娜,客服一组,,\n"))
    assert [(c.level, c.effective) for c in ctx.people.level_history(SYSTEM, "A001").changes] == [("junior", date(2025, 3, 1))]
    assert ctx.people.level_history(SYSTEM, "A002").since == TODAY  # no join date: from the day of the import
    report = ctx.people.import_file(SYSTEM, write_csv(tmp_path / "q.csv", header + "A001,张伟,客服一组,intermediate,2025-03-01\n"))
    assert report.updated == 1
    assert [(c.level, c.effective) for c in ctx.people.level_history(SYSTEM, "A001").changes] == [
        ("junior", date(2025, 3, 1)), ("intermediate", TODAY),
    ]  # fmt: skip
    assert any(e.action == "person.level" and e.entity_id == "A001" for e in ctx.audit.recent(SYSTEM))


# --- the ladder -----------------------------------------------------------------------------------


def test_an_intermediate_agent_three_months_outside_the_top_since_the_promotion_is_warned(sc_ctx, clock) -> None:
    set_level(sc_ctx, clock, "A006", "intermediate", date(2026, 6, 20))
    for month in (*SIGNED_OFF, CURRENT):
        play_month(sc_ctx, month, low=("A006",))
    assert "DEMOTION_WARNING" not in card(sc_ctx, "A006", "2026-08").flags  # two months so far
    warned = card(sc_ctx, "A006")
    assert warned.rank > 3 and warned.card.grade == "B"
    assert "DEMOTION_WARNING" in warned.flags
    assert warned.demotion_reasons == ("MONTHS_OUTSIDE_TOP",) and warned.level_since == date(2026, 6, 20)
    lines = {line.code: line for line in sc_ctx.scorecards.explain(SUPERVISOR, CURRENT, "A006").for_part("flag")}
    assert lines["MONTHS_OUTSIDE_TOP"].text == "3 months outside the top 3 since 2026-06-20"
    assert lines["MONTHS_OUTSIDE_TOP"].rule == lines["DEMOTION_WARNING"].rule == "§8"
    assert not any("DEMOTION_WARNING" in card(sc_ctx, no).flags for no in LEADERS)


def test_months_outside_the_top_before_the_promotion_do_not_count(sc_ctx, clock) -> None:
    for month in (*SIGNED_OFF, CURRENT):
        play_month(sc_ctx, month, low=("A006",))
    set_level(sc_ctx, clock, "A006", "intermediate", date(2026, 10, 1))
    after = card(sc_ctx, "A006")
    assert after.rank > 3 and after.level_since == date(2026, 10, 1)
    assert "DEMOTION_WARNING" not in after.flags and after.demotion_reasons == ()


def test_a_senior_is_warned_for_three_months_outside_the_top_within_a_year_of_the_promotion(sc_ctx, clock) -> None:
    set_level(sc_ctx, clock, "A004", "senior", date(2026, 6, 20))  # promoted from intermediate
    set_level(sc_ctx, clock, "A006", "intermediate", date(2026, 6, 20))  # the same months, not consecutive
    pattern = {"2026-07": "low", "2026-08": "high", "2026-09": "low", CURRENT: "low"}
    for month, kind in pattern.items():
        agents = ("A004", "A006", "A001")
        play_month(sc_ctx, month, low=agents if kind == "low" else ("A001",), high=agents[:2] if kind == "high" else ())
    assert card(sc_ctx, "A004", "2026-08").rank == 1
    senior = card(sc_ctx, "A004")
    assert "DEMOTION_WARNING" in senior.flags and senior.demotion_reasons == ("MONTHS_OUTSIDE_TOP",)
    assert "DEMOTION_WARNING" not in card(sc_ctx, "A006").flags  # intermediate: only two in a row
    # A001 has been senior since joining in 2023: the year after that promotion is long over.
    assert card(sc_ctx, "A001").rank > 3 and "DEMOTION_WARNING" not in card(sc_ctx, "A001").flags


def test_no_recorded_level_start_means_no_demotion_warning(sc_ctx, clock) -> None:
    from csdesk.models.db import UnitOfWork, open_database

    set_level(sc_ctx, clock, "A006", "intermediate", date(2026, 6, 20))
    with UnitOfWork(open_database(sc_ctx.db_url)) as uow:  # as for people entered before the history was kept
        uow.session.execute(text("DELETE FROM level_changes WHERE person_id = (SELECT id FROM people WHERE employee_no = 'A006')"))
        uow.commit()
    for month in (*SIGNED_OFF, CURRENT):
        play_month(sc_ctx, month, low=("A006",))
    unknown = card(sc_ctx, "A006")
    assert sc_ctx.people.level_history(SYSTEM, "A006").since is None and unknown.level_since is None
    assert unknown.rank > 3 and "DEMOTION_WARNING" not in unknown.flags


def test_promotion_counts_only_quarters_wholly_at_the_current_level(sc_ctx, clock) -> None:
    for month in (*SIGNED_OFF, CURRENT):  # 80 + 3 B03 = 95: grade A every month, ranked first
        play_month(sc_ctx, month, high=("A006",), bonuses=2)
    assert "PROMOTION_ELIGIBLE:intermediate" in card(sc_ctx, "A006").flags  # junior since joining
    months = sc_ctx.scorecards.months
    for month in ("2026-07", "2026-08"):  # a level start inside a signed-off month: reopen it first
        months.reopen(SUPERVISOR, month, "level history entered late")
    set_level(sc_ctx, clock, "A006", "intermediate", date(2026, 7, 10))
    set_level(sc_ctx, clock, "A006", "junior", date(2026, 8, 5), note="back after a review")
    for month in ("2026-07", "2026-08"):
        months.lock(SUPERVISOR, month)
    again = card(sc_ctx, "A006")
    assert again.level_since == date(2026, 8, 5)
    assert not any(f.startswith("PROMOTION_ELIGIBLE") for f in again.flags)  # Q3 began before August


def test_the_demo_warns_some_agents_of_demotion_and_not_others(ctx) -> None:
    ctx.demo.build(SYSTEM, agents=30, months=3, seed=1)
    cards = ctx.scorecards.month(SUPERVISOR, TODAY).cards
    ladder = [c for c in cards if c.agent.level in ("intermediate", "senior")]
    warned = [c for c in ladder if "DEMOTION_WARNING" in c.flags]
    assert warned and len(warned) < len(ladder)
    assert all(c.level_since is not None and c.demotion_reasons for c in warned)


def test_a_corrected_start_replaces_the_one_recorded_before_it(sc_ctx) -> None:
    """Entered later with an earlier date, a correction of the same level's start wins."""
    people = sc_ctx.people
    person = people.get(SYSTEM, "A006")
    data = person_data(person)
    people.update(SUPERVISOR, data, level_note="fecha real del ascenso", level_since=date(2026, 2, 1))
    assert people.level_history(SYSTEM, "A006").since == date(2026, 2, 1)
    people.update(SUPERVISOR, data, level_since=date(2026, 2, 1))  # the same date again: nothing new
    assert len(people.level_history(SYSTEM, "A006").changes) == len({(c.level, c.effective) for c in people.level_history(SYSTEM, "A006").changes})
    with pytest.raises(ValidationError) as future:
        people.update(SUPERVISOR, data, level_since=date(2099, 1, 1))
    assert future.value.field == "level_since"


def test_a_month_of_another_level_has_no_start_of_todays_level(sc_ctx) -> None:
    """A (since Jan), B (since Apr), A again (since Aug): a June month is not an A month."""
    from csdesk.models.db import UnitOfWork, open_database
    from csdesk.models.repositories import LevelChangeRepository

    people = sc_ctx.people
    data = person_data(people.get(SYSTEM, "A006"))
    first, other = data.level, next(code for code in sc_ctx.policy.level_codes if code != data.level)
    people.update(SUPERVISOR, data, level_since=date(2026, 1, 5))
    people.update(SUPERVISOR, replace(data, level=other), level_since=date(2026, 4, 1))
    people.update(SUPERVISOR, replace(data, level=first), level_since=date(2026, 8, 1))
    pid = people.get(SYSTEM, "A006").id
    with UnitOfWork(open_database(sc_ctx.db_url)) as uow:
        starts = LevelChangeRepository(uow.session)
        assert starts.current_starts(date(2026, 10, 31), [pid]) == {pid: date(2026, 8, 1)}
        assert starts.current_starts(date(2026, 6, 30), [pid]) == {}  # the B period
        assert starts.current_starts(date(2026, 2, 28), [pid]) == {pid: date(2026, 1, 5)}
