"""``csdesk handover list`` and ``csdesk print handover`` / ``print work-digest``."""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk.cli import main
from csdesk.models.domain_handover import HandoverInput, ItemInput
from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock, make_context
from tests.helpers.pdf import pdf_text

ENTRY_KEYS = {"id", "written_at", "shift", "team", "authors", "acknowledged_by", "acknowledged_at", "summary", "open_items"}
ITEM_KEYS = {"id", "subject", "pending", "owner", "due", "priority", "status", "shifts"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two handovers of 客服一组 (the second carries an item and is acknowledged) and one of Equipo Sur."""
    folder = tmp_path_factory.mktemp("cli")
    clock = FixedClock(datetime(2026, 10, 14, 17, 50))
    ctx = make_context(folder, clock)
    ctx.demo.build(SYSTEM, agents=12, months=1, seed=7, areas=False)
    lead, sup = ctx.auth.resolve_actor("lead1"), ctx.auth.resolve_actor("supervisor")
    ctx.handover.write(lead, HandoverInput("D", "客服一组", ("L001",), "今天投诉较多", items=(
        ItemInput("王女士", "退款进度", "A001", datetime(2026, 10, 15, 12, 0), "high"),)))
    clock.now = datetime(2026, 10, 15, 17, 50)
    second = ctx.handover.write(lead, HandoverInput("D", "客服一组", ("A001",), "Atención al cliente normal"))
    ctx.handover.acknowledge(lead, second.id, "已阅")
    ctx.handover.write(sup, HandoverInput("D", "Equipo Sur", ("A003",), "Turno tranquilo"))
    return str(folder / "csdesk.db")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_handover_list_json_has_the_stable_keys_newest_first(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", db, "--user", "supervisor", "handover", "list", "--json")
    assert code == 0
    doc = json.loads(out)
    entries = doc["entries"]
    assert [e["id"] for e in entries] == [3, 2, 1]
    assert all(set(e) == ENTRY_KEYS for e in entries)
    second = entries[1]
    assert (second["written_at"], second["shift"], second["team"], second["authors"]) == ("2026-10-15 17:50", "D", "客服一组", ["A001"])
    assert (second["acknowledged_by"], second["acknowledged_at"]) == ("L001", "2026-10-15 17:50")
    (item,) = second["open_items"]
    assert set(item) == ITEM_KEYS
    assert (item["subject"], item["owner"], item["due"], item["priority"], item["shifts"]) == (
        "王女士", "A001", "2026-10-15 12:00", "high", [1, 2])
    assert item["status"] in ("open", "overdue")
    assert entries[0]["acknowledged_by"] is None and entries[0]["open_items"] == []


def test_handover_list_filters_by_dates_given_after_the_subcommand(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", db, "handover", "list", "--from", "2026-10-14", "--to", "2026-10-14", "--json")
    assert code == 0
    doc = json.loads(out)
    assert [e["id"] for e in doc["entries"]] == [1] and doc["from"] == "2026-10-14"
    code, out, _err = run(capsys, "--db", db, "--json", "handover", "list", "--from", "2026-10-16")
    assert json.loads(out)["entries"] == []


def test_handover_list_prints_a_table_and_rejects_bad_input(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", db, "handover", "list")
    assert code == 0 and "今天投诉较多" in out and "not yet" in out
    code, _out, err = run(capsys, "--db", db, "handover", "list", "--from", "2026-10-16", "--to", "2026-10-01")
    assert code == 1 and "--from" in err
    with pytest.raises(SystemExit) as info:
        main(["--db", db, "handover", "list", "--from", "16/10/2026"])
    assert info.value.code == 2


@pytest.mark.parametrize(("lang", "expected"), [("es_ES", "15/10/26"), ("zh_TW", "2026/10/15")])
def test_print_handover_writes_the_form_in_the_language(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        lang: str, expected: str) -> None:
    out = tmp_path / "h.pdf"
    code, _out, _err = run(capsys, "--db", db, "print", "handover", "2", "--lang", lang, "--out", str(out))
    assert code == 0
    text = pdf_text(out)
    for part in ("Atención al cliente normal", "王女士", "退款进度", "已阅", "(A001)", "(L001)", expected):
        assert part in text


def test_print_an_unknown_handover_is_rejected(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--db", db, "print", "handover", "99", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "99" in err and not (tmp_path / "x.pdf").exists()


def test_print_work_digest(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d.pdf"
    code, _out, _err = run(capsys, "--db", db, "print", "work-digest", "--week", "2026-10-15", "--team", "客服一组",
                           "--lang", "zh_CN", "--out", str(out))
    assert code == 0
    text = pdf_text(out)
    assert "客服一组" in text and "王女士" in text and "2026年10月12日" in text


def test_the_demo_generator_feeds_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from csdesk.services.handover_demo import build_demo

    ctx = make_context(tmp_path)
    ctx.demo.build(SYSTEM, agents=6, months=1, seed=2, areas=False)
    with ctx.handover._uow() as uow:
        build_demo(uow, ctx.policy, random.Random(1), uow.people.ids_by_employee_no(), date(2026, 10, 15))
        uow.commit()
    code, out, _err = run(capsys, "--db", str(tmp_path / "csdesk.db"), "--json", "handover", "list", "--from", "2026-10-14")
    assert code == 0 and len(json.loads(out)["entries"]) == 3
