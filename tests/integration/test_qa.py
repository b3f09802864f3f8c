"""Quality inspections end to end (rules.md §10, issue 15): recording and importing inspections,
``csdesk qa``, form versions, findings and their follow-up, spot-check deductions, the weekly
quota, calibration and who sees what."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.errors import LockedMonth, PermissionDenied, StaleWrite, ValidationError
from csdesk.services.base import SYSTEM
from csdesk.services.imports.refusal import FileRejected
from tests.helpers.factories import FixedClock, make_context, write_csv

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server

ALL_YES = {q: "yes" for q in ("Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07")}
KEYS = {"employee_no", "inspections", "average", "critical_failures", "open_findings"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 10, 20, 9, 0))


@pytest.fixture
def floor(ctx):
    """``ctx`` with the demo's people and logins: A001 (agent1) and A004 in 客服一组 (lead1's
    team), A002 in 客服二组, S001 the supervisor, S002 the trainer, S003 the QA inspector."""
    ctx.demo.build(SYSTEM, agents=6, months=1, seed=3, areas=False)
    return ctx


def actor(ctx, login: str):
    return ctx.auth.resolve_actor(login)


def record(ctx, no: str = "A001", contact: str = "CALL-1", day: date = date(2026, 10, 5), **changes: str):
    answers = {**ALL_YES, **{q.upper(): a for q, a in changes.items()}}
    return ctx.qa.record_inspection(actor(ctx, "qa"), no, contact, day, answers)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- recording --------------------------------------------------------------------------------


def test_an_inspection_is_saved_with_its_answers_score_findings_and_audit_entry(floor) -> None:
    detail = floor.qa.record_inspection(
        actor(floor, "qa"), "A001", " CALL-1 ", date(2026, 10, 5), {**ALL_YES, "Q02": "no", "Q05": "0.5", "Q07": "na"},
        mode="live", comment="busy line", comments={"Q02": "no greeting"},
    )  # fmt: skip
    saved = detail.inspection
    assert (saved.employee_no, saved.contact, saved.inspector_no, saved.mode, saved.comment) == (
        "A001", "CALL-1", "S003", "live", "busy line")
    assert (saved.form_code, saved.form_version, saved.score, detail.result.exact) == ("STANDARD", 1, Decimal("80.0"), 80)
    assert [(a.question, a.answer, a.comment) for a in detail.answers][:3] == [
        ("Q01", "yes", ""), ("Q02", "no", "no greeting"), ("Q03", "yes", "")]
    assert [(f.question, f.kind, f.impact, f.deadline, f.status) for f in detail.findings] == [
        ("Q02", "etiquette", "major", date(2026, 10, 12), "open"), ("Q05", "service", "minor", date(2026, 10, 12), "open")]
    entry = floor.audit.recent(SYSTEM, 1)[0]
    assert (entry.action, entry.entity, entry.details["employee_no"], entry.details["score"]) == (
        "qa.inspection", "qa_inspection", "A001", "80.0")
    # the same answers again change nothing; other answers under the same key are refused
    assert record(floor, q02="no", q05="0.5", q07="na").inspection.id == saved.id
    with pytest.raises(ValidationError) as exc:
        record(floor)
    assert exc.value.field == "answer"


@pytest.mark.parametrize(
    ("changes", "options", "field"),
    [
        ({"Q99": "yes"}, {}, "question"),
        ({"Q03": "often"}, {}, "answer"),
        ({"Q03": "2"}, {}, "answer"),
        ({}, {"form": "NOPE"}, "form"),
        ({}, {"mode": "phone"}, "mode"),
        ({}, {"inspector": "A001"}, "inspector"),
        ({}, {"comments": {"Q42": "?"}}, "question"),
        ({}, {"inspector": "Z999"}, "inspector"),
    ],
)
def test_an_inspection_breaking_the_form_is_refused_naming_the_field(floor, changes, options, field) -> None:
    with pytest.raises(ValidationError) as exc:
        floor.qa.record_inspection(actor(floor, "qa"), "A001", "CALL-1", date(2026, 10, 5), {**ALL_YES, **changes}, **options)
    assert exc.value.field == field
    assert floor.qa.inspections(SYSTEM, "2026-10") == []


def test_a_locked_month_and_a_future_day_refuse_inspections(floor) -> None:
    floor.scorecards.months.lock_month(SYSTEM, "2026-09")
    with pytest.raises(LockedMonth):
        record(floor, day=date(2026, 9, 30))
    with pytest.raises(ValidationError) as exc:
        record(floor, day=date(2026, 10, 21))
    assert exc.value.field == "date"


# --- the import --------------------------------------------------------------------------------

FILE = (
    "质检记录 2026年10月\n"  # a title row above the header
    "工号,日期,联系记录,质检员,题号,结果,方式,备注,校准\n"
    + "".join(f"A001,2026-10-05,CALL-1,S003,{q},{a},录音回放,{c},否\n"
              for q, a, c in [("Q01", "yes", ""), ("Q02", "no", "没有开场白"), ("q03", "YES", ""), ("Q04", "yes", ""),
                              ("Q05", "0.5", "语气生硬"), ("Q06", "yes", ""), ("Q07", "na", "")])
    + "".join(f"A001,2026-10-05,CALL-1,S001,{q},{a},,,是\n" for q, a in [("Q01", "yes"), ("Q02", "yes"), ("Q06", "no")])
    + "".join(f"A002,2026/10/06,T-77,S003,{q},{a},实时监听,,\n" for q, a in [("Q01", "yes"), ("Q06", "no")])
    + "A004,2026-10-07,CALL-9,S003,Q01,yes,,,\n"
    "A004,2026-10-07,CALL-9,S003,Q02,sometimes,,,\n"  # row 16: a bad answer; row 15 is not saved either
    "Z999,2026-10-07,CALL-3,S003,Q01,yes,,,\n"  # row 17: nobody of that number
    "A002,2026-09-30,T-70,S003,Q01,yes,,,\n"  # row 18: September is locked
    "A002,2026-10-30,T-80,S003,Q01,yes,,,\n"  # row 19: in the future
    "A002,2026-10-08,T-81,A002,Q01,yes,,,\n"  # row 20: nobody inspects their own contact
    "A002,2026-10-08,T-82,S003,Q01,yes,replay,,\n"
    "A002,2026-10-08,T-82,S003,Q01,no,replay,,\n"  # row 22: the question twice
)


def test_an_inspections_file_saves_its_good_inspections_whole_and_names_each_bad_row(floor, tmp_path: Path) -> None:
    floor.scorecards.months.lock_month(SYSTEM, "2026-09")
    path = write_csv(tmp_path / "质检.csv", FILE, encoding="gb18030")
    report = floor.qa.import_inspections(actor(floor, "qa"), path)
    assert [(p.row, p.field) for p in report.problems] == [
        (15, "contact"), (16, "answer"), (17, "employee_no"), (18, "date"), (19, "date"), (20, "inspector"),
        (21, "contact"), (22, "question")]  # fmt: skip
    assert "row 16" in report.problems[0].message and "2026-09" in report.problems[3].message
    assert (report.exit_code, report.rows, report.written, report.duplicates) == (3, 20, 12, 0)
    assert (report.first_date, report.last_date) == (date(2026, 10, 5), date(2026, 10, 6))  # of the rows saved
    assert "Inspections dated 2026-10-05 to 2026-10-06." in report.notes and len(report.people or ()) == 2
    saved = floor.qa.inspections(SYSTEM, "2026-10", calibration=True)
    assert [(i.employee_no, i.contact, i.inspector_no, i.mode, i.calibration, i.score) for i in saved] == [
        ("A001", "CALL-1", "S003", "replay", False, Decimal("80.0")),
        ("A001", "CALL-1", "S001", "replay", True, Decimal("0.0")),
        ("A002", "T-77", "S003", "live", False, Decimal("0.0")),
    ]  # fmt: skip
    detail = floor.qa.inspection(SYSTEM, saved[0].id)
    assert {a.question: a.comment for a in detail.answers if a.comment} == {"Q02": "没有开场白", "Q05": "语气生硬"}
    assert floor.qa.inspection(SYSTEM, saved[1].id).findings == ()  # calibration raises no findings
    again = floor.qa.import_inspections(actor(floor, "qa"), path)
    assert (again.written, again.duplicates, len(again.problems)) == (0, 12, 8)
    assert (again.first_date, again.last_date, again.people) == (date(2026, 10, 5), date(2026, 10, 6), None)
    assert len(floor.qa.inspections(SYSTEM, "2026-10", calibration=True)) == 3


def test_the_command_line_imports_and_reports_bad_rows_by_file_row_and_field(floor, db_url: str, tmp_path: Path, capsys) -> None:
    floor.scorecards.months.lock_month(SYSTEM, "2026-09")
    # (the command runs on today's clock: the row dated in the future is left out)
    path = write_csv(tmp_path / "i.csv", FILE.replace("A002,2026-10-30,T-80,S003,Q01,yes,,,\n", ""))
    code, out, err = run(capsys, "--db", db_url, "--json", "import", "inspections", str(path))
    doc = json.loads(out)
    assert (code, doc["kind"], doc["written"], doc["rejected"]) == (3, "inspections", 12, 7)
    assert f"{path}:16: answer:" in err and f"{path}:17: employee_no:" in err


# --- csdesk qa ---------------------------------------------------------------------------------


def test_qa_json_has_the_documented_keys_and_leaves_calibration_out(floor, db_url: str, capsys) -> None:
    record(floor)  # 100
    record(floor, contact="CALL-2", q01="no", q02="no")  # etiquette 1/3: 100 - 20 = 80
    record(floor, contact="CALL-3", q06="no")  # critical: 0, one finding
    floor.qa.record_inspection(actor(floor, "supervisor"), "A001", "CALL-3", date(2026, 10, 6), {"Q06": "yes"},
                               calibration=True)  # fmt: skip
    record(floor, no="A002", contact="T-1", day=date(2026, 9, 30), q01="no")  # September: an open finding by October's end
    code, out, _err = run(capsys, "--db", db_url, "--json", "qa", "--month", "2026-10")
    doc = json.loads(out)
    assert code == 0 and doc["month"] == "2026-10"
    assert all(set(agent) == KEYS for agent in doc["agents"])
    assert doc["agents"] == [
        {"employee_no": "A001", "inspections": 3, "average": 60.0, "critical_failures": 1, "open_findings": 3},
        {"employee_no": "A002", "inspections": 0, "average": None, "critical_failures": 0, "open_findings": 1},
    ]
    code, out, _err = run(capsys, "--db", db_url, "--json", "qa", "--month", "2026-10", "--team", "客服二组")
    assert [a["employee_no"] for a in json.loads(out)["agents"]] == ["A002"]
    code, out, _err = run(capsys, "--db", db_url, "qa", "--month", "2026-10", "--agent", "A001")
    assert code == 0 and "A001" in out and "60.0" in out and "A002" not in out


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--agent", "ZZZ", "Unknown employee number ZZZ"),
    ("--team", "Equipo Norte", "No team named Equipo Norte"),
])  # fmt: skip
def test_qa_refuses_an_unknown_agent_or_team_naming_it(floor, db_url: str, capsys, option: str, value: str,
                                                        message: str) -> None:  # fmt: skip
    code, out, err = run(capsys, "--db", db_url, "--json", "qa", "--month", "2026-11", option, value)
    assert code == 1 and message in err
    doc = json.loads(out)  # one JSON document, as every refused command writes
    assert doc["ok"] is False and doc["error"] == message
    code, out, err = run(capsys, "--db", db_url, "--lang", "es_ES", "qa", "--month", "2026-11", option, value)
    assert code == 1 and value in err and message not in err and out == ""  # said in the language asked for


def test_the_average_is_the_exact_mean_rounded_once_half_up(floor) -> None:
    only_etiquette = {"q04": "na", "q05": "na", "q06": "na", "q07": "na"}
    record(floor, q03="no", **only_etiquette)  # 66.666…
    record(floor, contact="CALL-2", q01="no")  # 90
    assert floor.qa.month_summary(SYSTEM, "2026-10").agents[0].average == Decimal("78.3")  # not 78.4


# --- form versions ----------------------------------------------------------------------------

HEAVIER_SERVICE = """
[qa]
form_version = {version}
[[qa.sections]]
code = "etiquette"
weight = 20
questions = ["Q01", "Q02", "Q03"]
[[qa.sections]]
code = "process"
weight = 20
questions = ["Q04", "Q07"]
[[qa.sections]]
code = "service"
weight = 60
questions = ["Q05", "Q06"]
"""


def test_a_changed_form_never_changes_a_saved_score(floor, tmp_path: Path, db_url: str, clock: FixedClock) -> None:
    saved = record(floor, q05="no").inspection  # service 50 % of 40: 80
    site = tmp_path / "site.toml"
    site.write_text(HEAVIER_SERVICE.format(version=2), encoding="utf-8")
    later = make_context(tmp_path, clock, policy_file=site, db=db_url)
    try:
        detail = later.qa.inspection(SYSTEM, saved.id)
        assert (detail.inspection.score, detail.result.exact, detail.form.version) == (Decimal("80.0"), 80, 1)
        assert [s.weight for s in detail.form.sections] == [30, 30, 40]  # the form as it was
        assert [(f.code, f.version) for f in later.qa.forms()] == [("STANDARD", 2)]
        new = record(later, contact="CALL-2", q05="no")  # the same answers on version 2: 70
        assert (new.inspection.form_version, new.inspection.score) == (2, Decimal("70.0"))
        assert later.qa.month_summary(SYSTEM, "2026-10").agents[0].average == Decimal("75.0")
    finally:
        later.close()


def test_a_form_changed_without_a_new_version_is_refused(floor, tmp_path: Path, db_url: str, clock: FixedClock) -> None:
    record(floor)
    site = tmp_path / "site.toml"
    site.write_text(HEAVIER_SERVICE.format(version=1), encoding="utf-8")
    later = make_context(tmp_path, clock, policy_file=site, db=db_url)
    try:
        with pytest.raises(ValidationError) as exc:
            record(later, contact="CALL-2")
        assert exc.value.field == "form" and "raise its version" in exc.value.message()
        assert len(later.qa.inspections(SYSTEM, "2026-10")) == 1
    finally:
        later.close()


# --- findings ------------------------------------------------------------------------------------


def test_a_finding_is_fed_back_then_rechecked_and_closes_when_resolved(floor) -> None:
    qa = actor(floor, "qa")
    (finding,) = record(floor, q04="no").findings
    with pytest.raises(ValidationError) as exc:
        floor.qa.recheck(qa, finding.id, "resolved")
    assert exc.value.field == "status"
    fed = floor.qa.feed_back(qa, finding.id, "talked with A001 and lead", version=finding.version)
    assert (fed.status, fed.fed_back_by, fed.note) == ("fed_back", "qa", "talked with A001 and lead")
    with pytest.raises(StaleWrite):
        floor.qa.recheck(qa, finding.id, "resolved", version=finding.version)  # what the screen showed before
    with pytest.raises(ValidationError) as exc:
        floor.qa.recheck(qa, finding.id, "fine")
    assert exc.value.field == "outcome"
    kept = floor.qa.recheck(qa, finding.id, "unresolved", day=date(2026, 10, 12))
    assert kept.closed_on is None and [f.id for f in floor.qa.findings(SYSTEM)] == [finding.id]
    closed = floor.qa.recheck(qa, finding.id, "resolved", "script used now", day=date(2026, 10, 19), version=kept.version)
    assert (closed.status, closed.outcome, closed.closed_on, closed.rechecked_by) == (
        "rechecked", "resolved", date(2026, 10, 19), "qa")
    assert floor.qa.findings(SYSTEM) == []
    assert floor.qa.month_summary(SYSTEM, "2026-10").agents[0].open_findings == 0
    assert [e.action for e in floor.audit.recent(SYSTEM, 3)] == ["qa.recheck", "qa.recheck", "qa.feedback"]


def test_a_spot_check_error_becomes_an_m13_deduction_in_one_step(floor) -> None:
    (finding,) = record(floor, q07="no").findings
    with pytest.raises(PermissionDenied):  # the inspector may not record evaluation events
        floor.qa.deduct_spot_check(actor(floor, "qa"), finding.id, -3)
    supervisor = actor(floor, "supervisor")
    with pytest.raises(ValidationError) as exc:
        floor.qa.deduct_spot_check(supervisor, finding.id, -6)  # M13 is −2…−5
    assert exc.value.field == "points"
    assert floor.qa.findings(SYSTEM)[0].event_id is None
    linked = floor.qa.deduct_spot_check(supervisor, finding.id, 3)  # unsigned: the code's sign
    lines = floor.scorecards.explain(SYSTEM, "2026-10", "A001").lines
    assert [(line.code, line.points, line.day) for line in lines if line.code == "M13"] == [
        ("M13", Decimal(-3), date(2026, 10, 5))]
    assert linked.event_id is not None
    with pytest.raises(ValidationError) as exc:
        floor.qa.deduct_spot_check(supervisor, finding.id)
    assert exc.value.field == "finding"
    assert floor.audit.recent(SYSTEM, 1)[0].action == "qa.spot_check"


def test_two_pcs_deducting_the_same_finding_at_once_count_it_once(floor, monkeypatch: pytest.MonkeyPatch) -> None:
    (finding,) = record(floor, q07="no").findings
    supervisor = actor(floor, "supervisor")
    record_event = floor.scorecards.record_event

    def meanwhile(*args, **kwargs):  # another PC deducts the finding while this one records its event
        event = record_event(*args, **kwargs)
        monkeypatch.setattr(floor.scorecards, "record_event", record_event)
        floor.qa.deduct_spot_check(supervisor, finding.id)
        return event

    monkeypatch.setattr(floor.scorecards, "record_event", meanwhile)
    with pytest.raises(ValidationError) as exc:
        floor.qa.deduct_spot_check(supervisor, finding.id, -4)
    assert exc.value.field == "finding"
    lines = floor.scorecards.explain(SYSTEM, "2026-10", "A001").lines
    assert [(line.code, line.points) for line in lines if line.code == "M13"] == [("M13", Decimal(-2))]  # the other's
    assert floor.qa.findings(SYSTEM)[0].event_id is not None


# --- the week and calibration --------------------------------------------------------------------


def test_the_weekly_quota_lists_the_agents_behind_without_calibration(floor) -> None:
    record(floor, day=date(2026, 10, 12))
    record(floor, contact="CALL-2", day=date(2026, 10, 18))
    record(floor, no="A002", contact="T-1", day=date(2026, 10, 13))
    floor.qa.record_inspection(actor(floor, "supervisor"), "A002", "T-1", date(2026, 10, 13), ALL_YES, calibration=True)
    behind = floor.qa.behind_quota(SYSTEM, date(2026, 10, 18))  # Monday 12 to Sunday 18 October
    assert [(b.employee_no, b.done, b.required) for b in behind] == [
        ("A002", 1, 2), ("A003", 0, 2), ("A004", 0, 2), ("A005", 0, 2), ("A006", 0, 2)]
    lead = floor.qa.behind_quota(actor(floor, "lead1"), date(2026, 10, 14))
    assert [b.employee_no for b in lead] == ["A004"]
    assert len(floor.qa.behind_quota(SYSTEM)) == 6  # today's week (from Monday 19 October): nobody inspected yet


def test_calibration_shows_the_spread_per_question_and_inspector(floor) -> None:
    record(floor, q02="no")
    floor.qa.record_inspection(actor(floor, "supervisor"), "A001", "CALL-1", date(2026, 10, 8),
                               {**ALL_YES, "Q05": "no"}, calibration=True)  # fmt: skip
    view = floor.qa.calibration(SYSTEM, "A001", "CALL-1")
    assert [(i.inspector_no, i.calibration) for i in view.inspections] == [("S003", False), ("S001", True)]
    assert view.result.agreed == "S003"
    spread = {q.question: (q.spread, q.differing) for q in view.result.questions}
    assert spread["Q02"] == (1, ("S001",)) and spread["Q05"] == (1, ("S001",)) and spread["Q01"] == (0, ())
    # S003: etiquette 2/3 -> 90; S001: service 1/2 -> 80
    assert [(i.inspector, i.difference, i.differing) for i in view.result.inspectors] == [("S003", 0, 0), ("S001", -10, 2)]
    assert floor.qa.month_summary(SYSTEM, "2026-10").agents[0].inspections == 1


# --- who sees what --------------------------------------------------------------------------------


def test_an_agent_sees_only_their_own_inspections_and_a_team_lead_their_team(floor) -> None:
    own = record(floor).inspection
    record(floor, no="A004", contact="CALL-4", q01="no")
    other = record(floor, no="A002", contact="T-1", q01="no").inspection
    agent, lead = actor(floor, "agent1"), actor(floor, "lead1")
    assert [a.employee_no for a in floor.qa.month_summary(agent, "2026-10").agents] == ["A001"]
    assert [i.id for i in floor.qa.inspections(agent, "2026-10")] == [own.id]
    assert floor.qa.inspection(agent, own.id).inspection.employee_no == "A001"
    assert floor.qa.findings(agent) == []
    for denied in (
        lambda: floor.qa.inspection(agent, other.id),
        lambda: floor.qa.month_summary(agent, "2026-10", employee_no="A002"),
        lambda: floor.qa.calibration(agent, "A002", "T-1"),
        lambda: floor.qa.record_inspection(agent, "A001", "CALL-9", date(2026, 10, 5), ALL_YES, inspector="S003"),
        lambda: floor.qa.month_summary(lead, "2026-10", team="客服二组"),
    ):
        with pytest.raises(PermissionDenied):
            denied()
    assert [a.employee_no for a in floor.qa.month_summary(lead, "2026-10").agents] == ["A001", "A004"]
    assert [f.employee_no for f in floor.qa.findings(lead)] == ["A004"]


def test_calibration_is_for_those_who_inspect_never_for_the_agent_or_a_team_lead(floor) -> None:
    """Calibration is the inspectors' own work (rules.md §10): an agent cannot compare the
    inspectors of their own contact, nor read or print a calibration inspection of it."""
    counted = record(floor, q02="no").inspection
    calibration = floor.qa.record_inspection(actor(floor, "supervisor"), "A001", "CALL-1", date(2026, 10, 8),
                                             {**ALL_YES, "Q05": "no"}, calibration=True).inspection  # fmt: skip
    for login in ("agent1", "lead1"):
        reader = actor(floor, login)
        for denied in (
            lambda: floor.qa.calibration(reader, "A001", "CALL-1"),
            lambda: floor.qa.inspection(reader, calibration.id),
            lambda: floor.qa.inspection_report(reader, calibration.id),
        ):
            with pytest.raises(PermissionDenied):
                denied()
        assert [i.id for i in floor.qa.inspections(reader, "2026-10", calibration=True)] == [counted.id]
        assert floor.qa.calibration_contacts(reader, "2026-10") == []
        assert floor.qa.inspection(reader, counted.id).inspection.id == counted.id  # the one that counts stays theirs
    for login in ("qa", "supervisor"):
        inspector = actor(floor, login)
        assert len(floor.qa.calibration(inspector, "A001", "CALL-1").inspections) == 2
        assert [(c.contact, c.inspections) for c in floor.qa.calibration_contacts(inspector, "2026-10")] == [("CALL-1", 2)]
        assert floor.qa.inspection(inspector, calibration.id).inspection.calibration


def test_an_agent_cannot_print_a_calibration_inspection_of_their_contact(floor, db_url: str, tmp_path: Path, capsys,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    calibration = floor.qa.record_inspection(actor(floor, "supervisor"), "A001", "CALL-1", date(2026, 10, 8), ALL_YES,
                                             calibration=True).inspection  # fmt: skip
    monkeypatch.setenv("CSDESK_USER", "agent1")
    out = tmp_path / "calibration.pdf"
    code, _out, err = run(capsys, "--db", db_url, "print", "qa-inspection", str(calibration.id), "--lang", "en",
                          "--out", str(out))  # fmt: skip
    assert code == 1 and "qa.edit" in err and not out.exists()


def test_an_inspections_file_decides_its_dates_day_month_order_as_every_import_does(floor, tmp_path: Path) -> None:
    """10/05 reads either way; 10/13 only month first, so the whole file is month first. A file whose
    dates never tell is refused whole until the order is given (issue 13)."""
    rows = "工号,日期,联系记录,质检员,题号,结果\nA001,10/05/2026,CALL-5,S003,Q01,yes\nA002,10/13/2026,T-13,S003,Q01,yes\n"
    report = floor.qa.import_inspections(actor(floor, "qa"), write_csv(tmp_path / "us.csv", rows))
    assert report.problems == [] and "Dates read as month/day/year." in report.notes
    days = {i.contact: i.inspected_on for i in floor.qa.inspections(SYSTEM, "2026-10")}
    assert days == {"CALL-5": date(2026, 10, 5), "T-13": date(2026, 10, 13)}
    unclear = write_csv(tmp_path / "unclear.csv", "工号,日期,联系记录,质检员,题号,结果\nA001,03/10/2026,CALL-7,S003,Q01,yes\n")
    with pytest.raises(FileRejected) as refused:
        floor.qa.import_inspections(actor(floor, "qa"), unclear)
    assert refused.value.params["date_order_needed"] is True
    assert floor.qa.import_inspections(actor(floor, "qa"), unclear, date_order="dmy").written == 1
    assert {i.contact: i.inspected_on for i in floor.qa.inspections(SYSTEM, "2026-10")}["CALL-7"] == date(2026, 10, 3)
