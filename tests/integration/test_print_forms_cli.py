"""``csdesk print missed-punch ID`` and ``csdesk print swap ID`` (issue 14): the forms an HR office
accepts (these and the leave form) name people with their employee numbers, never sign-in names,
and print only for callers who see the record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.services.base import SYSTEM
from tests.helpers.pdf import pdf_text

SUPERVISOR = "周慧敏 (S001)"  # the demo supervisor's person: the account "supervisor" is linked to S001


@dataclass(frozen=True)
class Records:
    db: str
    agent: str  # agent1's person as the forms name them
    colleague: str
    own_fix: int  # agent1's correction, approved by the supervisor
    other_fix: int  # a colleague's correction
    own_swap: int  # agent1 gives a shift to the colleague, approved by the supervisor
    other_swap: int  # two other agents' swap
    own_leave: int  # agent1's leave, approved by the supervisor


@pytest.fixture
def records(demo_ctx, db_url: str) -> Records:
    ctx = demo_ctx
    names = {p.employee_no: p.name for p in ctx.people.people(SYSTEM)}
    agent1, supervisor = ctx.auth.resolve_actor("agent1"), ctx.auth.resolve_actor("supervisor")
    day = date(2026, 10, 14)
    own_fix = ctx.attendance.request_correction(agent1, "A001", day, datetime(2026, 10, 14, 18, 2), "reloj 打卡机").id
    ctx.attendance.decide_correction(supervisor, own_fix, True)
    other_fix = ctx.attendance.request_correction(supervisor, "A002", day, datetime(2026, 10, 14, 9, 1), "olvido").id
    own_swap = ctx.attendance.request_swap(agent1, "A001", "A004", date(2026, 10, 20), "cita médica")
    ctx.attendance.decide_swap(supervisor, own_swap, True)
    other_swap = ctx.attendance.request_swap(supervisor, "A002", "A003", date(2026, 10, 21), "familia")
    own_leave = ctx.attendance.file_leave(agent1, "A001", "PERSONAL", date(2026, 10, 22), date(2026, 10, 22), reason="trámite").id
    ctx.attendance.decide_leave(supervisor, own_leave, True)
    agent, colleague = f"{names['A001']} (A001)", f"{names['A004']} (A004)"
    return Records(db_url, agent, colleague, own_fix, other_fix, own_swap, other_swap, own_leave)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _print(capsys: pytest.CaptureFixture[str], records: Records, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--db", records.db, "print", *args)


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_the_missed_punch_form_names_applicant_and_approver_with_employee_numbers(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    out = tmp_path / "fix.pdf"
    code, stdout, _err = _print(capsys, records, "missed-punch", str(records.own_fix), "--lang", lang, "--out", str(out))
    assert code == 0 and str(out) in stdout
    text = pdf_text(out)
    assert records.agent in text  # requested by agent1's person
    assert SUPERVISOR in text  # decided by the supervisor's person
    assert "supervisor" not in text and "agent1" not in text  # never a sign-in name


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_the_swap_form_names_both_people_and_the_approver_with_employee_numbers(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    out = tmp_path / "swap.pdf"
    code, _out, _err = _print(capsys, records, "swap", str(records.own_swap), "--lang", lang, "--out", str(out))
    assert code == 0
    text = pdf_text(out)
    assert records.agent in text and records.colleague in text and SUPERVISOR in text
    assert "supervisor" not in text


def test_the_leave_form_names_applicant_and_approver_with_employee_numbers(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "leave.pdf"
    code, _out, _err = _print(capsys, records, "leave", str(records.own_leave), "--lang", "zh_CN", "--out", str(out))
    assert code == 0
    text = pdf_text(out)
    assert records.agent in text and SUPERVISOR in text
    assert "supervisor" not in text and "agent1" not in text


@pytest.mark.parametrize(("document", "record"), [("missed-punch", "other_fix"), ("swap", "other_swap")])
def test_an_agent_printing_a_colleague_s_form_is_refused(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str, record: str
) -> None:
    out = tmp_path / "other.pdf"
    record_id = str(getattr(records, record))
    code, stdout, err = _print(capsys, records, document, record_id, "--lang", "en", "--out", str(out), "--user", "agent1")
    assert code == 1 and not out.exists() and stdout == ""
    assert "only your own records" in err


@pytest.mark.parametrize(("document", "record"), [("missed-punch", "own_fix"), ("swap", "own_swap")])
def test_an_agent_prints_their_own_form(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str, record: str
) -> None:
    out = tmp_path / "own.pdf"
    record_id = str(getattr(records, record))
    code, _out, _err = _print(capsys, records, document, record_id, "--lang", "en", "--out", str(out), "--user", "agent1")
    assert code == 0 and records.agent in pdf_text(out)


@pytest.mark.parametrize("document", ["missed-punch", "swap"])
def test_an_unknown_id_exits_1_naming_the_id(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str
) -> None:
    out = tmp_path / "none.pdf"
    code, stdout, err = _print(capsys, records, document, "4711", "--lang", "en", "--out", str(out))
    assert code == 1 and stdout == "" and not out.exists()
    assert "4711" in err


@pytest.mark.parametrize("document", ["missed-punch", "swap"])
def test_a_refusal_with_json_prints_one_json_document(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str
) -> None:
    out = tmp_path / "none.pdf"
    code, stdout, _err = _print(capsys, records, document, "4711", "--lang", "es_ES", "--out", str(out), "--json")
    assert code == 1
    doc = json.loads(stdout)
    assert doc["ok"] is False and "4711" in doc["error"]


def test_a_printed_form_with_json_prints_one_json_document(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "fix.pdf"
    code, stdout, _err = _print(capsys, records, "missed-punch", str(records.own_fix), "--lang", "en", "--out", str(out), "--json")
    assert code == 0 and json.loads(stdout) == {"file": str(out)}


def test_a_missing_id_is_a_usage_error(records: Records, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["--db", records.db, "print", "swap", "--lang", "en", "--out", "x.pdf"])
    assert usage.value.code == 2
