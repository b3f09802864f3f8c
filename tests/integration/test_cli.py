"""The command line: subcommands, JSON, exit codes and errors on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csdesk.cli import main
from tests.helpers.factories import write_csv


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_creates_a_department_and_prints_logins(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", db, "demo", "--agents", "9", "--months", "1")
    assert code == 0
    assert "supervisor" in out and "demo" in out
    code, out, _err = run(capsys, "--db", db, "--json", "demo", "--if-empty")
    assert code == 0 and json.loads(out)["skipped"] is True
    code, _out, err = run(capsys, "--db", db, "demo")
    assert code == 1 and "empty database" in err


def test_import_people_partial_exit_3_with_row_and_field_on_stderr(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "p.csv", "employee_no,name,team,birthday\nA1,张伟,一组,1990-01-01\nA2,Ana,一组,1990-02-30\n")
    code, out, err = run(capsys, "--db", db, "--json", "import", "people", str(path))
    assert code == 3
    doc = json.loads(out)
    assert doc["written"] == 1 and doc["errors"][0]["row"] == 3 and doc["errors"][0]["field"] == "birthday"
    assert f"{path}:3: birthday:" in err


def test_import_missing_column_exit_1(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "p.csv", "employee_no,name\nA1,x\n")
    code, out, err = run(capsys, "--db", db, "import", "people", str(path))
    assert code == 1 and out == "" and "team" in err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["import", "nonsense", "x.csv"])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "invalid choice: 'nonsense'" in err  # no --json: no JSON


def test_a_usage_error_with_json_prints_one_json_document_too(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--json", "import", "nonsense", "x.csv"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert info.value.code == 2 and doc["ok"] is False and "invalid choice: 'nonsense'" in doc["error"]
    assert doc["usage"].startswith("usage: csdesk import") and "invalid choice" in err


def test_policy_show_json_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--json", "policy", "show")
    assert code == 0 and json.loads(out)["scoring"]["cap"] == 110
    bad = tmp_path / "bad.toml"
    bad.write_text("[scoring]\ncap = 'x'\n", encoding="utf-8")
    code, _out, err = run(capsys, "policy", "check", str(bad))
    assert code == 1 and "scoring.cap" in err and "whole number" in err
    good = tmp_path / "good.toml"
    good.write_text("[scoring]\ncap = 105\n", encoding="utf-8")
    code, out, _err = run(capsys, "policy", "check", str(good))
    assert code == 0 and "valid" in out


def test_corrupt_site_policy_falls_back_to_default_with_one_message(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "--policy", str(bad), "--json", "demo", "--agents", "3", "--months", "1")
    assert code == 0 and json.loads(out)["people"] > 0
    assert "bad.toml" in err and "default" in err


def test_output_follows_lang(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "p.csv", "employee_no,name,team\nA1,张伟,一组\n")
    code, out, _err = run(capsys, "--db", db, "--lang", "es_ES", "import", "people", str(path))
    assert code == 0
    assert "1 fila" in out  # Spanish summary line, its count in the singular


def test_global_options_work_after_the_command_too(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue writes ``csdesk attendance --month M --json``; scripts put the options either side."""
    assert run(capsys, "--db", db, "demo", "--agents", "6", "--months", "1")[0] == 0
    code, after, _err = run(capsys, "attendance", "--month", "2026-10", "--json", "--db", db)
    assert code == 0
    code, before, _err = run(capsys, "--db", db, "--json", "attendance", "--month", "2026-10")
    assert code == 0 and json.loads(after) == json.loads(before) and json.loads(after)["month"] == "2026-10"
    code, out, _err = run(capsys, "scorecard", "--month", "2026-10", "--db", db, "--lang", "es_ES", "--user", "supervisor")
    assert code == 0 and "Calificación" in out
    with pytest.raises(SystemExit) as usage:  # a print command still needs its own options
        main(["--db", db, "print", "evaluation", "--month", "2026-10", "--all", "--json"])
    assert usage.value.code == 2 and "--out" in capsys.readouterr().err


def test_the_process_ends_with_its_output_written_its_code_and_its_rows_kept(db: str, tmp_path: Path, capsys) -> None:
    """``python -m csdesk`` ends without freeing its heap (csdesk.cli.run): what a command printed
    into a pipe still arrives, its exit code is the command's, and what it wrote is in the database."""
    import os
    import subprocess
    import sys

    rows = "".join(f"A{i},人{i},一组,1990-01-01\n" for i in range(1, 301))
    path = write_csv(tmp_path / "p.csv", "employee_no,name,team,birthday\n" + rows + "B1,Ana,一组,1990-02-30\n")
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}  # a buffered pipe
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, "-m", "csdesk", "--db", db, "--json", "import", "people", str(path)],
                          capture_output=True, text=True, env=env, check=False)  # fmt: skip
    assert done.returncode == 3, done.stderr
    doc = json.loads(done.stdout)  # a whole document: the pipe's buffer was flushed
    assert doc["written"] == 300 and doc["errors"][0]["row"] == 302
    assert f"{path}:302: birthday:" in done.stderr
    import sqlite3

    with sqlite3.connect(db) as conn:  # the end of the process has not kept a commit from the file
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (300,)


def test_a_command_whose_month_is_worked_in_two_processes_gives_what_one_process_gives(db: str, tmp_path: Path, capsys) -> None:
    """The command line lets a month's people be worked in halves, one in a forked child
    (csdesk.services.fanout.halves) while the scorecards' facts are read (fanout.meanwhile), and
    a what-if's two months side by side: the scorecards, the attendance, the what-if and what a
    lock stores are those of the one-process run (``main`` in this test process, which never
    forks)."""
    import os
    import sqlite3
    import subprocess
    import sys

    assert run(capsys, "--db", db, "demo", "--agents", "40", "--months", "1")[0] == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    # A month of 40 agents is less work than a fork is worth (fanout.FORK_WORTH_SECONDS):
    # the entry point is run with that threshold at nothing, so the halves are forked.
    entry = "import csdesk.services.fanout as m; m.FORK_WORTH_SECONDS = 0; from csdesk.cli import run; run()"

    def process(database: str, *args: str) -> str:
        done = subprocess.run([sys.executable, "-c", entry, "--db", database, *args], capture_output=True, text=True, env=env, check=True)
        return done.stdout

    change = tmp_path / "lates.toml"  # moves attendance and scorecards: both months side by side
    change.write_text("[attendance]\nconsecutive_lates_as_absence = 2\n", encoding="utf-8")
    whatif = ["whatif", "--month", "2026-10", "--with", str(change)]
    for command in (["scorecard", "--month", "2026-10"], ["attendance", "--month", "2026-10"], whatif):
        code, here, _err = run(capsys, "--db", db, "--json", *command)
        assert code == 0 and json.loads(process(db, "--json", *command)) == json.loads(here)
    copies = []
    for name in ("here.db", "there.db"):
        copy = str(tmp_path / name)
        with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        copies.append(copy)
    assert run(capsys, "--db", copies[0], "month", "lock", "2026-10")[0] == 0
    process(copies[1], "month", "lock", "2026-10")
    stored = []
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            stored.append(conn.execute("SELECT kind, subject, team, payload FROM month_results ORDER BY kind, subject").fetchall())
    assert len(stored[0]) > 80 and stored[0] == stored[1]


def test_reading_a_months_scorecards_imports_neither_the_gui_nor_what_other_commands_need(db: str, capsys) -> None:
    """``csdesk scorecard`` as a whole process is timed (issue "The signed month"): its start-up
    imports no window, no PDF library, no process pool and no other command's wording."""
    import os
    import subprocess
    import sys

    assert run(capsys, "--db", db, "demo", "--agents", "6", "--months", "1")[0] == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CSDESK_USER": "supervisor", "CSDESK_PASSWORD": "demo"}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "csdesk", "--db", db, "--json", "scorecard", "--month", "2026-10"],
                          capture_output=True, text=True, env=env, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "csdesk.services.scorecards" in imported and json.loads(done.stdout)["month"] == "2026-10"
    unwanted = {"PySide6", "reportlab", "multiprocessing", "concurrent.futures.process", "csdesk.whatif_text", "csdesk.policy.changes"}
    assert not unwanted & imported


def test_the_command_line_imports_sqlalchemy_and_the_tables_with_the_collector_off() -> None:
    """Start-up builds some 300,000 objects that live as long as the process: the collector waits
    until the imports are done (gc_tuning.quiet_start). It used to start waiting only after the
    first and largest of them, SQLAlchemy's and the tables', were imported (15-20 ms of a command)."""
    import os
    import subprocess
    import sys

    probe = (
        "import gc, sys\n"
        "seen = {}\n"
        "class Probe:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name in ('sqlalchemy', 'csdesk.models.tables'):\n"
        "            seen.setdefault(name, gc.isenabled())\n"
        "sys.meta_path.insert(0, Probe())\n"
        "sys.argv = ['csdesk', '--help']\n"
        "from csdesk.cli import run\n"
        "try:\n"
        "    run()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    # --help exits from the parser, after run() has made its imports; os._exit is not reached.
    wrapped = probe + "sys.stderr.write(repr(seen))\n"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True, env=env, check=False)
    import ast

    assert ast.literal_eval(done.stderr.strip().splitlines()[-1]) == {"sqlalchemy": False, "csdesk.models.tables": False}, done.stderr
