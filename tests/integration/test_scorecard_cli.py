"""``csdesk import ratings|exams|events``, ``scorecard``, ``explain``, ``month`` and ``print evaluation``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csdesk.cli import main
from tests.helpers.factories import write_csv
from tests.helpers.pdf import pdf_pages, pdf_text

KEYS = {"employee_no", "name", "rated", "bonus", "deduction", "adjustment", "raw_total", "total", "grade", "pay_float_cny", "exam", "rank", "flags"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("sc") / "cli.db")
    assert main(["--db", path, "demo", "--agents", "6", "--months", "1", "--seed", "5"]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_ratings_reports_bad_rows_and_reimport_changes_nothing(db: str, tmp_path: Path, capsys) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        "工号,月份,服务质量,执行,协作,纪律,调整,调整原因\n"
        "A001,2026-09,25,17.5,12,13,2,helped <&> team\n"
        "A002,2026-09,31,17,12,13,,\n"
        "A003,2026-09,28,18,13,14,3,\n"
        "A004,2026-09,28,18,13,14,,\n",
        encoding="gb18030",
    )
    code, out, err = run(capsys, "--db", db, "--json", "import", "ratings", str(path))
    doc = json.loads(out)
    assert code == 3 and doc["written"] == 2
    assert [(e["row"], e["field"]) for e in doc["errors"]] == [(3, "service_quality"), (4, "adjustment_reason")]
    assert f"{path}:3: service_quality:" in err
    code, out, _err = run(capsys, "--db", db, "--json", "import", "ratings", str(path))
    assert json.loads(out)["written"] == 0 and json.loads(out)["duplicates"] == 2


def test_import_events_reads_signs_and_counts(db: str, tmp_path: Path, capsys) -> None:
    path = write_csv(
        tmp_path / "e.csv",
        "employee_no,date,code,points,count,note\n"
        "A001,2026-09-03,M01,3,2,late twice\n"
        "A001,2026-09-04,B03,,,covered\n"
        "A002,2026-09-05,B02,,,\n"
        "A009,2026-09-05,M02,,,\n",
    )
    code, out, _err = run(capsys, "--db", db, "--json", "import", "events", str(path))
    doc = json.loads(out)
    assert code == 3 and doc["written"] == 2 and [e["row"] for e in doc["errors"]] == [4, 5]
    code, out, _err = run(capsys, "--db", db, "--json", "explain", "--month", "2026-09", "--agent", "A001")
    lines = json.loads(out)["lines"]
    assert [(x["code"], x["points"]) for x in lines if x["part"] in ("bonus", "deduction")] == [("M01", -3), ("M01", -3), ("B03", 5)]
    assert {x["by"] for x in lines if x["code"] == "M01"} == {"supervisor"}
    assert run(capsys, "--db", db, "--json", "import", "events", str(path))[1].count('"duplicates": 2') == 1


def test_import_exams(db: str, tmp_path: Path, capsys) -> None:
    path = write_csv(tmp_path / "x.csv", "employee_no,month,成绩\nA001,2026-09,100\nA002,2026-09,101\n")
    code, out, _err = run(capsys, "--db", db, "--json", "import", "exams", str(path))
    assert code == 3 and json.loads(out)["written"] == 1


def test_scorecard_json_has_exactly_the_documented_keys(db: str, capsys) -> None:
    code, out, _err = run(capsys, "--db", db, "--json", "scorecard", "--month", "2026-09")
    doc = json.loads(out)
    assert code == 0 and doc["month"] == "2026-09"
    assert all(set(agent) == KEYS for agent in doc["agents"])
    a001 = next(a for a in doc["agents"] if a["employee_no"] == "A001")
    assert a001["rated"] == 67.5 and a001["bonus"] == 10 and a001["deduction"] == 6 and a001["adjustment"] == 2
    assert a001["total"] == 73.5 and a001["grade"] == "C" and a001["exam"] == 100 and a001["rank"] == 1
    assert isinstance(a001["bonus"], int)
    code, out, _err = run(capsys, "--db", db, "--json", "scorecard", "--month", "2026-09", "--agent", "A002")
    assert [a["employee_no"] for a in json.loads(out)["agents"]] == ["A002"]


def test_scorecard_table_and_explain_in_plain_text(db: str, capsys) -> None:
    code, out, _err = run(capsys, "--db", db, "scorecard", "--month", "2026-09", "--team", "客服一组")
    assert code == 0 and "A001" in out and "Grade" in out
    code, out, _err = run(capsys, "--db", db, "explain", "--month", "2026-09", "--agent", "A001")
    assert code == 0 and "helped <&> team" in out and "Pay float" in out


def test_month_lock_refuses_imports_until_reopened_with_a_reason(db: str, tmp_path: Path, capsys) -> None:
    assert run(capsys, "--db", db, "month", "lock", "2026-08")[0] == 0
    code, _out, err = run(capsys, "--db", db, "month", "lock", "2026-08")
    assert code == 1 and "already locked" in err
    path = write_csv(tmp_path / "x.csv", "employee_no,month,score\nA001,2026-08,90\n")
    code, out, err = run(capsys, "--db", db, "--json", "import", "exams", str(path))
    assert code == 3 and json.loads(out)["errors"][0]["field"] == "month" and "locked" in err
    with pytest.raises(SystemExit) as info:
        main(["--db", db, "month", "reopen", "2026-08"])
    assert info.value.code == 2
    capsys.readouterr()
    assert run(capsys, "--db", db, "month", "reopen", "2026-08", "--reason", "late exam")[0] == 0
    assert run(capsys, "--db", db, "import", "exams", str(path))[0] == 0


def test_print_evaluation_for_a_team_one_agent_per_page(db: str, tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "team.pdf"
    code, out, _err = run(capsys, "--db", db, "--json", "print", "evaluation", "--month", "2026-09", "--team", "客服一组", "--lang", "es_ES", "--out", str(out_file))
    assert code == 0 and json.loads(out)["sheets"] == 2
    assert pdf_pages(out_file) == 2
    text = pdf_text(out_file)
    assert "A001" in text and "A004" in text and "helped <&> team" in text


def test_print_evaluation_needs_a_choice_of_agents(db: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--db", db, "print", "evaluation", "--month", "2026-09", "--out", str(tmp_path / "x.pdf")])
    assert info.value.code == 2
