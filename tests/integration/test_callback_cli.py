"""``csdesk import sales``, ``csdesk callbacks`` and the callback print commands, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csdesk.cli import main
from tests.helpers.factories import write_csv
from tests.helpers.pdf import pdf_text
from tests.integration.test_callback_service import empty_callbacks

SALES = (
    "member,phone,sale_date,agent,card_received,first_class,birthday,vip\n"
    "张伟,13812345678,2026-10-14,A001,,2026-11-30,2019-11-03,yes\n"
    "Íñigo Núñez,600 123 456,2026-09-10,A002,,,2020-11-20,no\n"
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A demo department, with the service clock fixed at 2026-10-15 09:30 for every command."""
    from datetime import datetime

    import csdesk.context as context_module

    real = context_module.build_context
    monkeypatch.setattr(context_module, "build_context",
                        lambda db=None, policy_file=None, **_k: real(db, policy_file, clock=lambda: datetime(2026, 10, 15, 9, 30), data_dir=tmp_path))
    path = str(tmp_path / "cli.db")
    assert main(["--db", path, "demo", "--agents", "6", "--months", "1"]) == 0
    empty_callbacks(f"sqlite:///{path}")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_sales_reports_bad_rows_by_row_and_field_and_re_import_changes_nothing(db: str, tmp_path: Path, capsys) -> None:
    capsys.readouterr()
    path = write_csv(tmp_path / "s.csv", SALES + "Bad,13800000000,2026-10-14,Z999,,,,\nOtro,12,2026-10-14,A001,,,,\n")
    code, out, err = run(capsys, "--db", db, "--json", "import", "sales", str(path))
    doc = json.loads(out)
    assert code == 3 and (doc["written"], doc["rejected"]) == (2, 2)
    assert [(e["row"], e["field"]) for e in doc["errors"]] == [(4, "agent"), (5, "phone")]
    assert f"{path}:4: agent:" in err
    code, out, _err = run(capsys, "--db", db, "--json", "import", "sales", str(path))
    assert code == 3 and (json.loads(out)["written"], json.loads(out)["duplicates"]) == (0, 2)


def test_import_sales_reads_chinese_headers_in_gbk(db: str, tmp_path: Path, capsys) -> None:
    text = "会员,电话,成交日期,工号,服务卡日期\n李小明,13900000001,2026-10-13,A003,2026-10-14\n"
    path = write_csv(tmp_path / "gbk.csv", text, encoding="gbk")
    code, out, _err = run(capsys, "--db", db, "--json", "import", "sales", str(path))
    assert code == 0 and json.loads(out)["written"] == 1


def test_import_sales_without_a_required_column_is_rejected_whole(db: str, tmp_path: Path, capsys) -> None:
    path = write_csv(tmp_path / "s.csv", "member,phone,sale_date\nX,13800000000,2026-10-14\n")
    code, out, err = run(capsys, "--db", db, "import", "sales", str(path))
    assert code == 1 and out == "" and "agent" in err


def test_callbacks_json_has_exactly_the_interface_keys(db: str, tmp_path: Path, capsys) -> None:
    run(capsys, "--db", db, "import", "sales", str(write_csv(tmp_path / "s.csv", SALES)))
    code, out, _err = run(capsys, "--db", db, "--json", "callbacks", "--date", "2026-10-15")
    doc = json.loads(out)
    assert code == 0 and set(doc) == {"date", "calls"} and doc["date"] == "2026-10-15"
    keys = {"id", "kind", "member", "agent", "due", "window_start", "status", "outcome"}
    assert doc["calls"] and all(set(c) == keys for c in doc["calls"])
    sale1 = next(c for c in doc["calls"] if c["member"] == "张伟" and c["kind"] == "SALE1")
    assert (sale1["agent"], sale1["due"], sale1["window_start"], sale1["status"], sale1["outcome"]) == (
        "A001", "2026-10-16", "2026-10-14T00:00", "due", None)
    overdue = json.loads(run(capsys, "--db", db, "--json", "callbacks", "--date", "2026-10-15", "--overdue")[1])["calls"]
    assert overdue and {c["status"] for c in overdue} == {"overdue"}
    assert {(c["member"], c["kind"]) for c in overdue} == {("Íñigo Núñez", "SALE1"), ("Íñigo Núñez", "SALE2")}
    mine = json.loads(run(capsys, "--db", db, "--json", "callbacks", "--agent", "A002")[1])["calls"]
    assert {c["agent"] for c in mine} == {"A002"}


def test_callbacks_table_and_unknown_agent(db: str, tmp_path: Path, capsys) -> None:
    run(capsys, "--db", db, "import", "sales", str(write_csv(tmp_path / "s.csv", SALES)))
    code, out, _err = run(capsys, "--db", db, "callbacks", "--agent", "A001")
    assert code == 0 and "张伟" in out and "Quota: 0 of 15" in out
    code, _out, err = run(capsys, "--db", db, "callbacks", "--agent", "NOPE")
    assert code == 1 and "NOPE" in err
    with pytest.raises(SystemExit) as info:
        main(["--db", db, "callbacks", "--date", "15/10/2026"])
    assert info.value.code == 2


def test_callbacks_export_writes_ics_and_xlsx(db: str, tmp_path: Path, capsys) -> None:
    run(capsys, "--db", db, "import", "sales", str(write_csv(tmp_path / "s.csv", SALES)))
    for suffix in ("ics", "xlsx"):
        out = tmp_path / f"agenda.{suffix}"
        assert run(capsys, "--db", db, "callbacks", "--export", str(out))[0] == 0
        assert out.stat().st_size > 0
    assert b"BEGIN:VCALENDAR" in (tmp_path / "agenda.ics").read_bytes()


def test_print_birthdays_lists_the_birthdays_of_the_month_given(db: str, tmp_path: Path, capsys) -> None:
    run(capsys, "--db", db, "import", "sales", str(write_csv(tmp_path / "s.csv", SALES)))
    out = tmp_path / "bd.pdf"
    code, stdout, _err = run(capsys, "--db", db, "--json", "print", "birthdays", "--month", "2026-11", "--lang", "es_ES", "--out", str(out))
    assert code == 0 and json.loads(stdout) == {"file": str(out), "month": "2026-11", "vip": 1, "normal": 1}
    text = pdf_text(out)
    assert "noviembre de 2026" in text and "张伟" in text and "Íñigo Núñez" in text
    # Without --month: next month, the list printed in the last week of this one.
    code, stdout, _err = run(capsys, "--db", db, "--json", "print", "birthdays", "--out", str(out))
    assert json.loads(stdout)["month"] == "2026-11"


def test_print_call_sheet_and_performance(db: str, tmp_path: Path, capsys) -> None:
    run(capsys, "--db", db, "import", "sales", str(write_csv(tmp_path / "s.csv", SALES)))
    sheet = tmp_path / "sheet.pdf"
    code, _out, _err = run(capsys, "--db", db, "--lang", "zh_CN", "print", "call-sheet", "--date", "2026-10-15", "--agent", "A001", "--out", str(sheet))
    assert code == 0 and "张伟" in pdf_text(sheet) and "2026年10月15日" in pdf_text(sheet)
    perf = tmp_path / "perf.pdf"
    code, out, _err = run(capsys, "--db", db, "--json", "print", "callback-performance", "--month", "2026-10", "--lang", "en", "--out", str(perf))
    assert code == 0 and json.loads(out)["planned"] == 3
    assert "October 2026" in pdf_text(perf)
