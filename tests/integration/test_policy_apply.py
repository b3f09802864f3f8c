"""Applying a policy change (issue 16's Apply, issue 17's Shifts and Holidays): the site policy file
is written with its comments kept, audited key by key, refused when bad or stale, and a signed
month keeps the numbers it was signed with."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.errors import PermissionDenied, PolicyError, ValidationError
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import FixedClock, make_context, write_csv
from tests.integration.test_whatif import MONTH, SUP, TRAINER, floor  # noqa: F401 - the fixture

SITE_FILE = """# Our site: lates cost more here (decided 2026-09-01).
[site]
name = "Tienda Centro"

[attendance]
late_deduction = 25   # per late, CNY
"""


def site_file(tmp_path: Path, text: str = SITE_FILE) -> Path:
    path = tmp_path / "site" / "policy.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_change_is_laid_into_the_site_file_keeping_its_comments_and_audited(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, policy_file=site_file(tmp_path))
    applied = ctx.site_policy.apply(SUP, {"attendance": {"absence_deduction": 60}}, summary={"months": "2026-09", "agents_changed": 2})
    text = applied.path.read_text(encoding="utf-8")
    assert "# Our site: lates cost more here" in text and "late_deduction = 25   # per late, CNY" in text
    assert tomllib.loads(text)["attendance"] == {"late_deduction": 25, "absence_deduction": 60}
    assert [(c.key, c.before, c.after) for c in applied.changes] == [("attendance.absence_deduction", 50, 60)]
    entry = ctx.audit.recent(SUP)[0]
    assert (entry.action, entry.entity) == ("policy.apply", "policy")
    assert entry.details["attendance.absence_deduction"] == [50, 60] and entry.details["summary"] == {"months": "2026-09", "agents_changed": 2}
    assert ctx.policy.attendance.absence_deduction == 50  # this programme keeps the policy it started with
    again = make_context(tmp_path, policy_file=applied.path)
    assert again.policy.attendance.absence_deduction == 60 and again.policy.attendance.late_deduction == 25


def test_with_no_site_file_the_data_folder_s_is_written_and_found_at_the_next_start(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    grades = [dataclasses.asdict(g) for g in ctx.policy.scoring.grades]
    grades[1]["min"] = 88
    applied = ctx.site_policy.apply(SUP, {"scoring": {"grades": grades}})
    assert applied.path == tmp_path / "policy.toml"
    assert applied.path.read_text(encoding="utf-8").startswith("# csdesk site policy")
    assert [c.key for c in applied.changes] == ["scoring.grades[1].min"]
    assert make_context(tmp_path).policy.scoring.grades[1].min == 88  # found without being named


def test_a_bad_change_names_its_key_and_writes_nothing(tmp_path: Path) -> None:
    path = site_file(tmp_path)
    ctx = make_context(tmp_path, policy_file=path)
    entries = len(ctx.audit.recent(SUP))
    with pytest.raises(PolicyError) as caught:
        ctx.site_policy.apply(SUP, {"attendance": {"late_deduction": "twenty"}})
    assert "attendance.late_deduction" in caught.value.message()
    with pytest.raises(ValidationError, match="Nothing to apply"):
        ctx.site_policy.apply(SUP, {"attendance": {"late_deduction": 25}})
    assert path.read_text(encoding="utf-8") == SITE_FILE and len(ctx.audit.recent(SUP)) == entries
    assert not list(path.parent.glob("*.writing"))


def test_only_settings_edit_may_apply(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    with pytest.raises(PermissionDenied):
        ctx.site_policy.apply(TRAINER, {"attendance": {"late_deduction": 30}})
    assert not (tmp_path / "policy.toml").exists()


def test_a_file_changed_since_the_start_is_not_overwritten(tmp_path: Path) -> None:
    path = site_file(tmp_path)
    ctx = make_context(tmp_path, policy_file=path)
    other_pc = SITE_FILE.replace("late_deduction = 25", "late_deduction = 35")
    path.write_text(other_pc, encoding="utf-8")
    with pytest.raises(ValidationError, match="changed since csdesk started"):
        ctx.site_policy.apply(SUP, {"attendance": {"absence_deduction": 60}})
    assert path.read_text(encoding="utf-8") == other_pc
    # A site file that appeared since a start without one is someone else's too.
    bare = make_context(tmp_path / "bare")
    (tmp_path / "bare" / "policy.toml").write_text("[attendance]\nlate_deduction = 40\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="changed since"):
        bare.site_policy.apply(SUP, {"attendance": {"absence_deduction": 60}})


def test_a_shift_on_the_roster_cannot_be_removed(tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    people = "employee_no,name,team,level,role\nA1,张伟,一组,junior,\n"
    ctx.people.import_file(SYSTEM, write_csv(tmp_path / "people.csv", people))
    ctx.roster.import_file(SYSTEM, write_csv(tmp_path / "roster.csv", "employee_no,date,shift\nA1,2026-10-05,E\nA1,2026-10-06,E\n"))
    shifts = [dataclasses.asdict(s) for s in ctx.policy.shifts if s.code != "E"]
    with pytest.raises(ValidationError) as caught:
        ctx.site_policy.apply(SUP, {"shifts": shifts})
    assert (caught.value.params["code"], caught.value.params["days"]) == ("E", 2)
    assert not (tmp_path / "policy.toml").exists()


def test_a_signed_month_keeps_its_numbers_and_the_open_month_moves(floor, tmp_path: Path) -> None:  # noqa: F811
    ctx = floor
    ctx.scorecards.months.lock(SUP, MONTH)
    signed = ctx.scorecards.month(SUP, MONTH)
    lines = ctx.attendance.team_month(SUP, 2026, 9).agents
    applied = ctx.site_policy.apply(SUP, {"attendance": {"late_deduction": 30}, "scoring": {"pay_float_per_point": 20}})
    assert applied.locked_months == (MONTH,)
    after = make_context(tmp_path, FixedClock(), policy_file=applied.path, db=ctx.db_url)
    assert after.policy.attendance.late_deduction == 30
    assert after.scorecards.month(SUP, MONTH).cards == signed.cards
    assert [a.deduction_cny for a in after.attendance.team_month(SUP, 2026, 9).agents] == [a.deduction_cny for a in lines]
    ctx.scorecards.months.reopen(SUP, MONTH, "policy changed")
    reopened = after.scorecards.month(SUP, MONTH)
    assert [c.card.pay_float_cny for c in reopened.cards] != [c.card.pay_float_cny for c in signed.cards]


def test_policy_apply_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    db = str(tmp_path / "cli.db")
    change = tmp_path / "change.toml"
    change.write_text("[attendance]\nlate_deduction = 30\n", encoding="utf-8")
    assert main(["--db", db, "policy", "apply", str(change), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["changes"] == [{"key": "attendance.late_deduction", "from": 20, "to": 30}] and doc["locked_months"] == []
    assert tomllib.loads(Path(doc["file"]).read_text(encoding="utf-8")) == {"attendance": {"late_deduction": 30}}
    change.write_text("[attendance]\nlate_deduction = -3\n", encoding="utf-8")
    assert main(["--db", db, "--policy", doc["file"], "policy", "apply", str(change)]) == 1
    assert "attendance.late_deduction" in capsys.readouterr().err
