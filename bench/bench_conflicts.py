"""Issue "Several PCs": two processes make 1,000 conflicting edits each on the same records, on
SQLite and on PostgreSQL (a throw-away server, as in the tests). Every edit reads the record as a
screen would (its version, or the value shown), waits a moment as a person does, and writes based
on what it read. Records: people, contacts, evaluation events, leave decisions, ratings.

Figures: edits saved, edits refused (each one reported as StaleWrite), and **lost updates**, which
must be 0. A lost update is a saved write that was based on a version another saved write had
already replaced: for versioned records, two saved writes based on the same version; for ratings,
an audit entry whose "before" is not the value the entry before it stored.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bench.common import report

EDITS = 1000
MONTH = "2026-11"
NOW = datetime(2026, 11, 20, 10, 0)
CRITERION = "service_quality"


def _context(url: str, folder: Path):
    from csdesk.context import build_context

    return build_context(url, None, clock=lambda: NOW, data_dir=folder)


def _setup(url: str, folder: Path) -> dict[str, list]:
    """The demo department and the records both processes fight over."""
    from csdesk.services.base import SYSTEM

    ctx = _context(url, folder)
    ctx.demo.build(SYSTEM, agents=8, months=2, seed=11)
    people = ["A001", "A002", "A003"]
    contacts = [c.id for c in ctx.callbacks.contacts(SYSTEM, open_only=False)][:3]
    events = [ctx.scorecards.record_event(SYSTEM, no, date(2026, 11, 9), "B01", note="start").id for no in people]
    leaves = [
        ctx.attendance.file_leave(SYSTEM, no, "PERSONAL", date(2026, 11, 26), date(2026, 11, 26), reason="bench").id
        for no in people
    ]
    for no in people:
        ctx.scorecards.set_rating(SYSTEM, MONTH, no, CRITERION, Decimal("20"))
    ctx.close()
    return {"people": people, "contacts": contacts, "events": events, "leaves": leaves}


def _worker(url: str, folder: str, name: str, targets: dict[str, list], seed: int, out: str) -> None:
    from csdesk.errors import StaleWrite
    from csdesk.models.repositories import person_data
    from csdesk.services.base import SYSTEM, Actor

    ctx = _context(url, Path(folder))
    actor = Actor(name, "supervisor")
    rnd = random.Random(seed)
    saved: list[tuple[str, object, int]] = []  # (record, id, version it was based on)
    refused = 0
    other = 0
    kinds = ["person", "contact", "event", "leave", "rating"]
    for n in range(EDITS):
        kind = kinds[n % len(kinds)]
        pick = rnd.randrange(3)
        try:
            if kind == "person":
                no = targets["people"][pick]
                seen = ctx.people.get(SYSTEM, no)
                time.sleep(rnd.random() * 0.006)
                ctx.people.update(actor, replace(person_data(seen), phone=f"6{seed}{n:07d}"), version=seen.version)
                saved.append((kind, no, seen.version))
            elif kind == "contact":
                cid = targets["contacts"][pick]
                seen = next(c for c in ctx.callbacks.contacts(actor, open_only=False) if c.id == cid)
                time.sleep(rnd.random() * 0.006)
                ctx.callbacks.update_contact(actor, cid, seen.status, f"{name} {n}", version=seen.version)
                saved.append((kind, cid, seen.version))
            elif kind == "event":
                eid = targets["events"][pick]
                with ctx.scorecards._uow() as uow:  # the event as the scorecard shows it
                    version = uow.scorecards.event(eid).version
                time.sleep(rnd.random() * 0.006)
                ctx.scorecards.correct_event(actor, eid, "bench", note=f"{name} {n}", version=version)
                saved.append((kind, eid, version))
            elif kind == "leave":
                lid = targets["leaves"][pick]
                seen = next(r for r in ctx.attendance.leave_requests(SYSTEM, year=2026, month=11) if r.id == lid)
                time.sleep(rnd.random() * 0.006)
                ctx.attendance.decide_leave(actor, lid, seen.status != "approved", version=seen.version)
                saved.append((kind, lid, seen.version))
            else:
                no = targets["people"][pick]
                card = next(c for c in ctx.scorecards.month(actor, MONTH).cards if c.employee_no == no)
                shown = card.ratings[CRITERION].value if CRITERION in card.ratings else None
                time.sleep(rnd.random() * 0.006)
                value = Decimal(rnd.randrange(0, 51)) / 2
                ctx.scorecards.set_rating(actor, MONTH, no, CRITERION, value, expected=shown)
        except StaleWrite:
            refused += 1
        except Exception as exc:  # noqa: BLE001 - counted and shown: the benchmark must not hide them
            other += 1
            if other <= 3:
                print(f"  {name}: {type(exc).__name__}: {exc}", flush=True)
    ctx.close()
    Path(out).write_text(json.dumps({"saved": saved, "refused": refused, "other": other}), encoding="utf-8")


def _rating_breaks(url: str, folder: Path) -> int:
    """Audit entries of ratings whose 'before' is not what the entry before them stored."""
    from csdesk.services.base import SYSTEM

    ctx = _context(url, folder)
    entries = [e for e in reversed(ctx.audit.recent(SYSTEM, 100_000)) if e.action == "rating.set"]
    ctx.close()
    last: dict[str, object] = {}
    breaks = 0
    for e in entries:
        key = e.entity_id
        value = e.details.get("value")
        before = e.details.get("before")
        if key in last and str(last[key]) != str(before):
            breaks += 1
        last[key] = value
    return breaks


def _run(label: str, url: str, folder: Path) -> None:
    targets = _setup(url, folder)
    spawn = mp.get_context("spawn")
    outs = [folder / f"out-{i}.json" for i in range(2)]
    start = time.perf_counter()
    procs = [
        spawn.Process(target=_worker, args=(url, str(folder), name, targets, i + 1, str(outs[i])))
        for i, name in enumerate(("pc_one", "pc_two"))
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    results = [json.loads(o.read_text(encoding="utf-8")) for o in outs]
    saved = [tuple(s) for r in results for s in r["saved"]]
    based = Counter((kind, str(rid), version) for kind, rid, version in saved)
    lost = sum(n - 1 for n in based.values() if n > 1) + _rating_breaks(url, folder)
    refused = sum(r["refused"] for r in results)
    other = sum(r["other"] for r in results)
    report(f"{label}: edits tried", 2 * EDITS, "")
    report(f"{label}: edits refused as changed by the other PC (StaleWrite)", refused, "")
    report(f"{label}: other errors", other, "")
    report(f"{label}: lost updates (goal 0)", lost, "")
    report(f"{label}: time for both processes", elapsed, "s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="csdesk-bench-conflicts-") as tmp:
        folder = Path(tmp)
        (folder / "sqlite").mkdir()
        _run("sqlite", str(folder / "sqlite" / "csdesk.db"), folder / "sqlite")
        from tests.helpers import pg

        reason = pg.unavailable()
        if reason:
            print(f"postgresql: skipped ({reason})")
            return
        server = pg.Server()
        try:
            server.start()
            server.make_template()
            (folder / "pg").mkdir()
            _run("postgresql", server.fresh_database(), folder / "pg")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
