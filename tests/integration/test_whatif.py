"""The policy what-if (issue 16): a month under the policy in force and under a file laid over it.

A department of three agents is built by hand for September 2026 (today is 2026-10-15), and every
figure is computed here by hand from the rulebook (resources/policy.toml):

=====  ==================  =====  ===================================  =====  =====  =========  =========
agent  ratings             rated  attendance (D shifts, 1–20 Sept)     M01    S01    total      deduction
=====  ==================  =====  ===================================  =====  =====  =========  =========
A1     28 + 18 + 14 + 14   74     late on the 3rd and the 10th         2×−2          70 C       2×20 = 40
A2     30 + 20 + 15 + 15   80     late on the 14th, 15th and 16th:             −20   60 E       50
                                  three in a row are one absence
A3     27 + 18 + 14 + 13   72     on time every day                                  72 C       0
=====  ==================  =====  ===================================  =====  =====  =========  =========

Pay floats: (total − 80) × 10 CNY: −100, −200, −80. A1 and A2 are in 一组 with the team lead L1.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from csdesk.cli import main
from csdesk.errors import PermissionDenied, PolicyError, ValidationError
from csdesk.policy import Policy
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.whatif import Outcome, WhatIf
from tests.helpers.factories import FixedClock, make_context, write_csv
from tests.integration.test_reads_never_write import dump, writes_spied

MONTH = "2026-09"
SUP = Actor("supervisor", "supervisor")
TRAINER = Actor("trainer", "trainer")
RATINGS = {"A1": (28, 18, 14, 14), "A2": (30, 20, 15, 15), "A3": (27, 18, 14, 13)}
LATE = {"A1": (3, 10), "A2": (14, 15, 16), "A3": ()}
CRITERIA = ("service_quality", "execution", "collaboration", "discipline")


@pytest.fixture
def floor(ctx, tmp_path: Path):
    """The department of the module docstring: people, September's roster and punches, ratings."""
    people = "employee_no,name,team,level,role\nA1,张伟,一组,junior,\nA2,María Núñez,一组,junior,\nA3,Óscar Peña,二组,senior,\nL1,王班长,一组,,team_lead\n"
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", people))
    roster, punches = ["employee_no,date,shift"], ["工号,打卡时间"]
    for no, late in LATE.items():
        for d in range(1, 21):
            roster.append(f"{no},2026-09-{d:02d},D")
            punches += [f"{no},2026-09-{d:02d} {'08:40' if d in late else '08:20'}", f"{no},2026-09-{d:02d} 18:05"]
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", "\n".join(roster) + "\n"))
    ctx.attendance.import_punches(SYSTEM, write_csv(tmp_path / "punches.csv", "\n".join(punches) + "\n"))
    for no, values in RATINGS.items():
        for criterion, value in zip(CRITERIA, values, strict=True):
            ctx.scorecards.set_rating(SUP, MONTH, no, criterion, value)
    return ctx


def change(tmp_path: Path, text: str, name: str = "change.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def table(name: str, rows: list[dict[str, Any]]) -> str:
    """An array of tables in TOML (a site file replaces a whole array)."""
    return "".join(f"[[{name}]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in row.items()) for row in rows)


def grades_with(policy: Policy, code: str, low: float) -> str:
    return table("scoring.grades", [{**dataclasses.asdict(g), **({"min": low} if g.code == code else {})} for g in policy.scoring.grades])


def events_with(policy: Policy, code: str, **points: int) -> str:
    return table("events", [{**dataclasses.asdict(e), **(points if e.code == code else {})} for e in policy.events])


def criteria_with(policy: Policy, code: str, top: int) -> str:
    rows = [{**dataclasses.asdict(c), **({"max": top} if c.code == code else {})} for c in policy.scoring.criteria]
    return table("scoring.criteria", rows)


def moved(result: WhatIf) -> dict[str, tuple[str, ...]]:
    return {a.employee_no: a.changed for a in result.months[0].agents}


def people(result: WhatIf) -> dict[str, tuple[Outcome, Outcome]]:
    return {a.employee_no: (a.before, a.after) for a in result.months[0].everyone}


BEFORE = {
    "A1": Outcome(Decimal(70), "C", Decimal(-100), 40, ()),
    "A2": Outcome(Decimal(60), "E", Decimal(-200), 50, ()),
    "A3": Outcome(Decimal(72), "C", Decimal(-80), 0, ()),
}


@pytest.mark.parametrize("text", ["", "[attendance]\nlate_deduction = 20\n"], ids=["empty file", "the value in force"])
def test_an_empty_change_is_the_month_as_it_is(floor, tmp_path: Path, text: str) -> None:
    result = floor.whatif.compare(SUP, MONTH, change(tmp_path, text))
    assert result.changes == () and result.months[0].agents == () and not result.months[0].locked
    assert {no: before for no, (before, _after) in people(result).items()} == BEFORE  # the hand-computed month
    assert all(before == after for before, after in people(result).values())
    cards = {c.employee_no: c.card for c in floor.scorecards.month(SUP, MONTH).cards}
    lines = {a.employee_no: a for a in floor.attendance.team_month(SYSTEM, 2026, 9).agents}
    assert {no: (c.total, c.grade, c.pay_float_cny, lines[no].deduction_cny) for no, c in cards.items()} == {
        no: (o.total, o.grade, o.pay_float_cny, o.deduction_cny) for no, o in BEFORE.items()
    }
    summary = result.summary
    assert (summary.agents_changed, summary.grade_changes) == (0, {})
    assert (summary.deduction_cny.before, summary.deduction_cny.after) == (90, 90)
    assert (summary.pay_float_cny.before, summary.pay_float_cny.after) == (-380, -380)


def test_what_a_late_costs_moves_the_money_of_the_agents_with_lates_that_stand(floor, tmp_path: Path) -> None:
    result = floor.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\nlate_deduction = 30\n"))
    assert [(c.key, c.before, c.after) for c in result.changes] == [("attendance.late_deduction", 20, 30)]
    assert moved(result) == {"A1": ("deduction_cny",)}  # A2's three lates are one absence: 50 either way
    assert people(result)["A1"][1] == dataclasses.replace(BEFORE["A1"], deduction_cny=60)
    assert (result.summary.deduction_cny.before, result.summary.deduction_cny.after) == (90, 110)
    assert result.summary.grade_changes == {}


def test_a_grade_threshold_moves_the_agents_at_it(floor, tmp_path: Path) -> None:
    result = floor.whatif.compare(SUP, MONTH, change(tmp_path, grades_with(floor.policy, "C", 71)))
    assert [(c.key, c.before, c.after) for c in result.changes] == [("scoring.grades[2].min", 70, 71)]
    assert moved(result) == {"A1": ("grade",)}  # 70 is no longer C; A3's 72 still is
    assert people(result)["A1"][1].grade == "D"
    assert result.summary.grade_changes == {"C→D": 1} and result.summary.agents_changed == 1


def test_an_event_s_points_move_the_agents_with_that_event(floor, tmp_path: Path) -> None:
    index = [e.code for e in floor.policy.events].index("M01")
    result = floor.whatif.compare(SUP, MONTH, change(tmp_path, events_with(floor.policy, "M01", points_max=-3)))
    assert [(c.key, c.before, c.after) for c in result.changes] == [(f"events[{index}].points_max", -2, -3)]
    # M01 now defaults to −3: A1's two lates cost 6 points, 70 → 68, D, pay float −120.
    assert moved(result) == {"A1": ("total", "grade", "pay_float_cny")}
    assert people(result)["A1"][1] == Outcome(Decimal(68), "D", Decimal(-120), 40, ())
    assert result.summary.grade_changes == {"C→D": 1}
    assert (result.summary.pay_float_cny.before, result.summary.pay_float_cny.after) == (-380, -400)


def test_one_agent_s_trail_shows_the_lines_the_change_moves_and_their_rule(floor, tmp_path: Path) -> None:
    from csdesk.whatif_text import moved_lines

    path = change(tmp_path, events_with(floor.policy, "M01", points_max=-3) + "[attendance]\nlate_deduction = 30\n")
    why = floor.whatif.explain(SUP, MONTH, "A1", path)
    moved = moved_lines(why)
    # The two lates (M01), the pay float, the grade and the attendance money, in the trail's order.
    assert len(moved) == 5
    assert all("−2" in before and "−3" in after and "Appendix A" in rule for before, after, rule in moved[:2])
    assert "70" in moved[2][0] and "68" in moved[2][1] and ("Grade C" in moved[3][0] and "Grade D" in moved[3][1])
    assert "40" in moved[4][0] and "60" in moved[4][1] and moved[4][2] == "§2"
    assert moved_lines(floor.whatif.explain(SUP, MONTH, "A3", path)) == []  # on time every day
    with pytest.raises(PermissionDenied):
        floor.whatif.explain(Actor("agent", "agent"), MONTH, "A1", path)


def test_a_lower_criterion_maximum_leaves_out_the_ratings_above_it(floor, tmp_path: Path) -> None:
    result = floor.whatif.compare(SUP, MONTH, change(tmp_path, criteria_with(floor.policy, "service_quality", 29)))
    assert [(c.key, c.before, c.after) for c in result.changes] == [("scoring.criteria[0].max", 30, 29)]
    # Only A2 was given 30 of it: that rating no longer fits and is left out, the card is incomplete:
    # 20 + 15 + 15 − 20 (S01) = 30, F, pay float −500 bounded at −300.
    assert moved(result) == {"A2": ("total", "grade", "pay_float_cny", "flags")}
    assert people(result)["A2"][1] == Outcome(Decimal(30), "F", Decimal(-300), 50, ("RATING_INCOMPLETE",))


def test_two_lates_in_a_row_as_an_absence_moves_the_agent_with_a_run_of_lates(floor, tmp_path: Path) -> None:
    result = floor.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\nconsecutive_lates_as_absence = 2\n"))
    # A2: the 14th and 15th are one absence (50 CNY, S01 −20), the 16th stands as a late (20 CNY, M01
    # −2): 80 − 22 = 58, F, pay float −220, a dismissal warning. A1's lates are not in a row.
    assert moved(result) == {"A2": ("total", "grade", "pay_float_cny", "deduction_cny", "flags")}
    assert people(result)["A2"][1] == Outcome(Decimal(58), "F", Decimal(-220), 70, ("DISMISSAL_WARNING",))
    assert result.summary.grade_changes == {"E→F": 1}


FILES: dict[str, Callable[[Policy], str]] = {
    "late_deduction": lambda p: "[attendance]\nlate_deduction = 30\n",
    "grade": lambda p: grades_with(p, "C", 71),
    "event points": lambda p: events_with(p, "M01", points_max=-3),
    "lates in a row": lambda p: "[attendance]\nconsecutive_lates_as_absence = 2\n",
    "pay float and money": lambda p: "[scoring]\npay_float_per_point = 12\n[attendance]\nabsence_deduction = 80\n",
}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_after_is_the_month_under_the_file_as_the_site_policy(floor, tmp_path: Path, kind: str) -> None:
    """Whatever the what-if leaves uncomputed (an area the change cannot move), its ``after`` is
    what the month shows once the file is the site policy."""
    path = change(tmp_path, FILES[kind](floor.policy))
    result = floor.whatif.compare(SUP, MONTH, path)
    site = make_context(tmp_path, FixedClock(), policy_file=path)
    try:
        lines = {a.employee_no: a for a in site.attendance.team_month(SUP, 2026, 9).agents}
        shown = {
            c.employee_no: Outcome(c.card.total, c.card.grade, c.card.pay_float_cny, lines[c.employee_no].deduction_cny,
                                   (*c.flags, *lines[c.employee_no].flags))
            for c in site.scorecards.month(SUP, MONTH).cards
        }  # fmt: skip
    finally:
        site.close()
    assert {no: after for no, (_before, after) in people(result).items()} == shown


def test_the_attendance_month_is_classified_again_only_when_the_change_can_move_it(floor, tmp_path: Path, monkeypatch) -> None:
    from csdesk.services import attendance

    classified: list[tuple[int, int]] = []

    def counting(real: Any) -> Any:
        def count(year: int, month: int, *args: Any, **kwargs: Any) -> Any:
            result = real(year, month, *args, **kwargs)
            classified.extend([(year, month)] * (len(result) if real is under else 1))  # under several policies at once
            return result

        return count

    # The people's months, with their days or without (a what-if's, and what the scorecards pull
    # when nobody asked for the months), under one policy or several.
    under = attendance.people_months_under
    for name in ("assemble_team_month", "people_months", "people_months_under"):
        monkeypatch.setattr(attendance, name, counting(getattr(attendance, name)))
    # The scorecards of September pull August's events too (the last-place run); August is empty.
    floor.whatif.compare(SUP, MONTH, change(tmp_path, grades_with(floor.policy, "C", 71)))
    assert sorted(classified) == [(2026, 8), (2026, 9)]  # both scorecards pull the one classification
    classified.clear()
    floor.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\nlate_deduction = 30\n"))
    assert sorted(classified) == [(2026, 8), (2026, 9), (2026, 9)]  # the scorecards are not computed again
    classified.clear()
    floor.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\nconsecutive_lates_as_absence = 2\n"))
    assert sorted(classified) == [(2026, 8), (2026, 8), (2026, 9), (2026, 9)]


def test_the_days_are_classified_again_only_when_the_change_can_move_a_day(floor, tmp_path: Path, monkeypatch) -> None:
    """A change of the month's walk (its money, runs and events) reuses the days as the policy in
    force classified them (attendance_month.DayMemo); a change of how a day is judged does not."""
    from csdesk.services import attendance_month

    people: list[int] = []
    real = attendance_month.classify_person

    def counting(*args: Any, **kwargs: Any) -> Any:
        people.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(attendance_month, "classify_person", counting)
    floor.scorecards.month(SUP, MONTH)
    once = len(people)
    assert once > 0
    for walk_only in ("late_deduction = 30", "consecutive_lates_as_absence = 2", "consecutive_absences_pay_cut = 2"):
        people.clear()
        floor.whatif.compare(SUP, MONTH, change(tmp_path, f"[attendance]\n{walk_only}\n"))
        assert len(people) == once, walk_only
    people.clear()
    floor.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\ngrace_minutes = 10\n"))
    assert len(people) == 2 * once


def test_nothing_is_written_for_an_open_or_a_locked_month(floor, tmp_path: Path) -> None:
    floor.scorecards.months.lock_month(SUP, "2026-08")
    db = Path(floor.db_url.removeprefix("sqlite:///"))
    before = dump(db)
    with writes_spied() as writes:
        for kind, text in sorted(FILES.items()):
            path = change(tmp_path, text(floor.policy), f"{kind}.toml")
            floor.whatif.compare_months(SUP, "2026-08", MONTH, path)
            floor.whatif.compare(TRAINER, MONTH, path)
    assert not writes
    assert dump(db) == before  # byte for byte (sqlite3 iterdump)


def test_a_locked_month_is_computed_from_its_facts_and_says_so(floor, tmp_path: Path) -> None:
    floor.scorecards.months.lock_month(SUP, MONTH)  # signed with a late at 20 CNY and 10 CNY a point
    site_file = change(tmp_path, "[attendance]\nlate_deduction = 25\n[scoring]\npay_float_per_point = 20\n", "site.toml")
    site = make_context(tmp_path, FixedClock(), policy_file=site_file)
    try:
        signed = site.attendance.team_month(SUP, 2026, 9).agent("A1")
        signed_card = site.scorecards.scorecard(SUP, MONTH, "A1")
        assert (signed.deduction_cny, signed_card.card.pay_float_cny) == (40, -100)  # as signed, whatever is in force now
        result = site.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\nlate_deduction = 30\n"))
        assert result.months[0].locked
        assert [(c.key, c.before, c.after) for c in result.changes] == [("attendance.late_deduction", 25, 30)]
        # Both sides from the facts under the policy in force: 2 × 25 CNY, (70 − 80) × 20 CNY.
        assert people(result)["A1"] == (Outcome(Decimal(70), "C", Decimal(-200), 50, ()), Outcome(Decimal(70), "C", Decimal(-200), 60, ()))
        assert moved(result) == {"A1": ("deduction_cny",)}
        assert site.attendance.team_month(SUP, 2026, 9).agent("A1") == signed  # the signed month is as it was
        assert site.scorecards.scorecard(SUP, MONTH, "A1") == signed_card
    finally:
        site.close()


def test_several_months_with_a_total_per_agent(floor, tmp_path: Path) -> None:
    result = floor.whatif.compare_months(SUP, "2026-08", MONTH, change(tmp_path, "[attendance]\nlate_deduction = 30\n"))
    assert [m.month for m in result.months] == ["2026-08", MONTH] and (result.first, result.last) == ("2026-08", MONTH)
    assert result.months[0].agents == ()  # August has no shifts
    (a1,) = result.totals
    assert (a1.employee_no, a1.months) == ("A1", (MONTH,))
    assert (a1.deduction_cny.before, a1.deduction_cny.after) == (40, 60)
    assert (a1.pay_float_cny.before, a1.pay_float_cny.after) == (-100, -100)  # August is not rated: no pay float
    assert result.summary.agents_changed == 1 and result.summary.deduction_cny.after == 110
    with pytest.raises(ValidationError):
        floor.whatif.compare_months(SUP, MONTH, "2026-08", change(tmp_path, ""))


def test_a_range_spread_over_a_child_process_is_the_range_computed_here(floor, tmp_path: Path, monkeypatch) -> None:
    from csdesk.services import fanout
    from csdesk.services import whatif as whatif_module

    path = change(tmp_path, "[attendance]\nconsecutive_lates_as_absence = 2\nlate_deduction = 30\n")
    here = floor.whatif.compare_months(SUP, "2026-07", MONTH, path)  # 4 people × 3 months: not worth a child
    spread_with: list[object] = []
    computed_here: list[str] = []

    def spread(pieces, one, there, **kwargs):  # type: ignore[no-untyped-def]
        spread_with.append(there)

        def here(job):  # type: ignore[no-untyped-def]
            computed_here.append(f"{job.first:%Y-%m}")
            return one(job)

        return fanout.spread(pieces, here, there, children=1)

    monkeypatch.setattr(whatif_module, "SPREAD_FROM", 1)
    monkeypatch.setattr(whatif_module, "spread", spread)
    db = Path(floor.db_url.removeprefix("sqlite:///"))
    before = dump(db) if floor.db_url.startswith("sqlite") else None
    spread_over = floor.whatif.compare_months(SUP, "2026-07", MONTH, path)
    assert spread_with and spread_with[0] is not None  # the months were offered to a child
    assert MONTH not in computed_here  # the child took the last month (and computed it: not done again here)
    assert spread_over == here
    assert before is None or dump(db) == before


def test_a_bad_file_is_refused_naming_each_key_and_its_problem(floor, tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        floor.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\nlate_deduction = -5\n"))
    assert info.value.problems == [("attendance.late_deduction", "must not be negative")]
    with pytest.raises(PolicyError) as info:
        floor.whatif.compare(SUP, MONTH, change(tmp_path, "[attendance]\nlate_fee = 30\nlate_deduction = 'a lot'\n"))
    assert sorted(key for key, _problem in info.value.problems) == ["attendance.late_deduction", "attendance.late_fee"]
    with pytest.raises(PolicyError):
        floor.whatif.compare(SUP, MONTH, tmp_path / "missing.toml")


def test_a_team_lead_sees_their_team_without_pay_and_a_trainer_no_attendance_money(floor, tmp_path: Path) -> None:
    lead = Actor("lead1", "team_lead", floor.people.get(SYSTEM, "L1").id)
    path = change(tmp_path, "[attendance]\nlate_deduction = 30\n[scoring]\npay_float_per_point = 12\n")
    result = floor.whatif.compare(lead, MONTH, path)
    assert set(people(result)) == {"A1", "A2"}
    assert all(o.pay_float_cny is None for pair in people(result).values() for o in pair)
    assert moved(result) == {"A1": ("deduction_cny",)}  # the pay floats that move are not the lead's to see
    assert result.summary.pay_float_cny.before is None and result.summary.deduction_cny.after == 110
    with pytest.raises(PermissionDenied):
        floor.whatif.compare(lead, MONTH, path, team="二组")
    trained = floor.whatif.compare(TRAINER, MONTH, path)
    assert set(people(trained)) == {"A1", "A2", "A3"}
    assert all(o.deduction_cny is None and o.pay_float_cny is None for pair in people(trained).values() for o in pair)
    assert trained.months[0].agents == () and trained.summary.deduction_cny.before is None


# --- the command line -------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db, *args])
    out, err = capsys.readouterr()
    return code, out, err


OUTCOME = {"total", "grade", "pay_float_cny", "deduction_cny", "flags"}
SUMMARY = {"agents_changed", "grade_changes", "deduction_cny", "pay_float_cny"}


def test_the_command_line_json_for_a_month_and_a_range(floor, tmp_path: Path, capsys) -> None:
    path = str(change(tmp_path, "[attendance]\nlate_deduction = 30\n"))
    code, out, _err = run(capsys, floor.db_url, "--json", "whatif", "--month", MONTH, "--with", path)
    doc = json.loads(out)
    assert code == 0 and set(doc) == {"month", "locked", "changes", "agents", "summary"}
    assert doc["changes"] == [{"key": "attendance.late_deduction", "from": 20, "to": 30}]
    (a1,) = doc["agents"]
    assert set(a1) == {"employee_no", "name", "before", "after", "changed"} and set(a1["before"]) == set(a1["after"]) == OUTCOME
    assert (a1["employee_no"], a1["changed"], a1["before"]["deduction_cny"], a1["after"]["deduction_cny"]) == ("A1", ["deduction_cny"], 40, 60)
    assert a1["before"]["total"] == 70 and a1["before"]["pay_float_cny"] == -100
    assert set(doc["summary"]) == SUMMARY and doc["summary"]["deduction_cny"] == {"before": 90, "after": 110}
    code, out, _err = run(capsys, floor.db_url, "--json", "whatif", "--from", "2026-08", "--to", MONTH, "--with", path)
    doc = json.loads(out)
    assert code == 0 and set(doc) == {"from", "to", "changes", "months", "agents", "summary"}
    assert [set(m) for m in doc["months"]] == [{"month", "locked", "agents", "summary"}] * 2
    assert doc["agents"] == [{"employee_no": "A1", "name": "张伟", "months": [MONTH],
                              "before": {"deduction_cny": 40, "pay_float_cny": -100},
                              "after": {"deduction_cny": 60, "pay_float_cny": -100}}]  # fmt: skip


def test_the_command_line_refuses_a_bad_file_naming_the_key(floor, tmp_path: Path, capsys) -> None:
    path = str(change(tmp_path, "[attendance]\nlate_deduction = -5\n"))
    code, out, err = run(capsys, floor.db_url, "--json", "whatif", "--month", MONTH, "--with", path)
    doc = json.loads(out)  # one JSON document
    assert code == 1 and doc["ok"] is False and doc["file"] == path
    assert "attendance.late_deduction: must not be negative" in doc["error"] and "attendance.late_deduction" in err
    code, _out, _err = run(capsys, floor.db_url, "whatif", "--from", MONTH, "--with", path)
    assert code == 2  # --from without --to


def test_the_command_line_table_says_when_the_month_is_locked(floor, tmp_path: Path, capsys) -> None:
    floor.scorecards.months.lock_month(SUP, MONTH)
    path = str(change(tmp_path, "[attendance]\nlate_deduction = 30\n"))
    code, out, _err = run(capsys, floor.db_url, "--lang", "en", "whatif", "--month", MONTH, "--with", path)
    assert code == 0
    assert "attendance.late_deduction  20" in out and "computed here from its facts" in out
    assert "A1" in out and "A2" not in out and "1 agent changes." in out
    assert "Employee no." in out and "Deduction" in out


@pytest.mark.parametrize("reader", ["supervisor", "team_lead"])
def test_the_two_months_side_by_side_are_each_the_month_computed_alone(floor, tmp_path: Path, reader: str) -> None:
    """ScorecardService.compared (the what-if's two scorecard months, forked apart on the command
    line) gives what month(from_facts=True) gives under each policy, as each reader sees it."""
    from csdesk.services.whatif import _sharing

    other, _changes = floor.whatif.policy_with(change(tmp_path, "[attendance]\nconsecutive_lates_as_absence = 2\n" + grades_with(floor.policy, "C", 71)))
    actor = SUP if reader == "supervisor" else floor.auth.resolve_actor(
        floor.auth.create_user(SYSTEM, "lead1", "x" * 12, "team_lead", employee_no="L1").username
    )
    with floor._uow() as uow:
        mine = floor._areas_under(floor.policy, _sharing(uow), None)
        theirs = floor._areas_under(other, _sharing(uow), None)
        before, after = mine.scorecards.compared(actor, MONTH, theirs.scorecards, lambda m: m, lambda m: m)
        assert before == mine.scorecards.month(actor, MONTH, from_facts=True)
        assert after == theirs.scorecards.month(actor, MONTH, from_facts=True)
    assert before != after  # the change moves somebody (A2's three lates in a row, A1's 70 under a C of 71)
    if reader == "team_lead":
        assert {c.agent.team for c in before.cards} == {"一组"} and all(c.card.pay_float_cny is None for c in before.cards)
