"""Child processes for the crash test (tests/integration/test_crash_safety.py), which kills them.

* A batch of GUI-service edits: ``python -m tests.helpers.crash_edits edits DB MONTH AGENTS COUNT``
  builds the services on ``DB`` the way the GUI does (``build_context``) and makes the edits of
  :func:`plan` one after the other, each its own unit of work as each GUI action is. The test
  imports :func:`plan` too, to know what the first ``k`` edits leave behind.
* A fork server: ``python -m tests.helpers.crash_edits serve`` imports csdesk once, then runs each
  command it is sent in a forked child (``csdesk.cli.main(argv)``, the code ``python -m csdesk``
  runs, or the edits), kills the child with SIGKILL at the instant it is given unless the child
  ended first, and answers how it ended. A child pays no interpreter start and no imports, so
  the random instants fall where the command works, and a trial costs a fraction of a fresh
  process. The server opens no database itself: every child opens its own, after the fork.

Protocol, one JSON document a line. Request: ``{"command": "csdesk"|"edits", "argv": [...],
"out": PATH, "err": PATH, "kill_after": SECONDS|null}``; answer: ``{"pid": N, "seconds": S,
"killed": BOOL, "code": N|null}`` (``killed`` only when the SIGKILL found the child running).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

#: The audit action each kind of edit writes (``Service.audit`` in the same unit of work).
ACTIONS = {
    "rating": "rating.set",
    "event": "event.record",
    "exam": "exam.set",
    "leave": "leave.file",
    "correction": "punch.correct",  # the supervisor's own correction is approved at once
}
CRITERIA = (("service_quality", 30), ("execution", 20), ("collaboration", 15), ("discipline", 15))
EVENT_CODE = "B03"  # a bonus with no once-a-month limit
LEAVE_TYPE = "PERSONAL"
REASON = "crash test"
ACTOR = "supervisor"


@dataclass(frozen=True)
class Edit:
    kind: str
    employee_no: str
    day: date  # the day the edit is about (first of the month for ratings and exams)
    criterion: str | None = None
    value: Decimal | None = None  # rating or exam score
    at: datetime | None = None  # corrected punch time

    @property
    def action(self) -> str:
        return ACTIONS[self.kind]


def plan(agents: list[str], month: date, count: int = 100) -> list[Edit]:
    """``count`` edits in ``month`` (a past, open month), cycling through the five kinds.

    Every rating and exam edit writes a cell no earlier edit of the batch wrote, with a value in
    quarter points (the demo rates in whole and half points), so that it shows in the table."""
    assert count <= 5 * len(agents), "rating and exam cells must not repeat"
    kinds = ("rating", "event", "exam", "leave", "correction")
    edits = []
    for i in range(count):
        kind, j = kinds[i % 5], i // 5
        no = agents[j % len(agents)]
        day = month.replace(day=1 + j % 28)
        if kind == "rating":
            criterion, top = CRITERIA[(j // len(agents)) % len(CRITERIA)]
            edits.append(Edit(kind, no, month, criterion, Decimal(j % (top - 1)) + Decimal("0.25")))
        elif kind == "exam":
            edits.append(Edit(kind, no, month, value=Decimal(60 + j % 40) + Decimal("0.25")))
        elif kind == "correction":
            edits.append(Edit(kind, no, day, at=datetime(day.year, day.month, day.day, 12, 34, j % 60)))
        else:
            edits.append(Edit(kind, no, day))
    return edits


def run_edits(db: str, edits: list[Edit]) -> None:
    from csdesk.context import build_context

    ctx = build_context(db)
    actor = ctx.auth.resolve_actor(ACTOR)
    scorecards, attendance = ctx.scorecards, ctx.attendance
    for e in edits:
        if e.kind == "rating":
            scorecards.set_rating(actor, e.day, e.employee_no, e.criterion, e.value)
        elif e.kind == "event":
            scorecards.record_event(actor, e.employee_no, e.day, EVENT_CODE, note=REASON)
        elif e.kind == "exam":
            scorecards.set_exam(actor, e.day, e.employee_no, e.value)
        elif e.kind == "leave":
            attendance.file_leave(actor, e.employee_no, LEAVE_TYPE, e.day, e.day, reason=REASON)
        else:
            assert e.at is not None
            attendance.request_correction(actor, e.employee_no, e.day, e.at, REASON)
    print(f"{len(edits)} edits", flush=True)


def edits_main(argv: list[str]) -> int:
    """``DB MONTH AGENT,AGENT,... COUNT``."""
    db, month, agents, count = argv[0], date.fromisoformat(argv[1] + "-01"), argv[2].split(","), int(argv[3])
    run_edits(db, plan(agents, month, count))
    return 0


# --- the fork server ------------------------------------------------------------------------


def _command(name: str) -> Any:
    if name == "csdesk":
        from csdesk.cli import main

        return main
    assert name == "edits"
    return edits_main


def _child(request: dict[str, Any]) -> None:
    """In the forked child: output to the request's files, run the command, exit without cleanup."""
    code = 70
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        for fd, path in ((1, request["out"]), (2, request["err"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
        code = int(_command(request["command"])(list(request["argv"])) or 0)
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # noqa: BLE001 - reported on the child's stderr
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _warm_up() -> None:
    """Import what the commands use (no database is opened here)."""
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import csdesk.context
    import csdesk.services.attendance
    import csdesk.services.callbacks
    import csdesk.services.handover
    import csdesk.services.scorecards  # noqa: F401
    from csdesk.cli import build_parser

    build_parser()  # imports the area command modules


def serve() -> None:
    _warm_up()
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            _child(request)
        kill_after = request.get("kill_after")
        killed = False
        if kill_after is not None:
            time.sleep(max(0.0, kill_after - (time.perf_counter() - start)))
            # Not reaped yet, so the pid is still this child's even if it has just ended.
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                os.kill(pid, signal.SIGKILL)
                killed = True
        if kill_after is None or killed:
            _pid, status = os.waitpid(pid, 0)
        seconds = time.perf_counter() - start
        if os.WIFSIGNALED(status):
            killed = killed and os.WTERMSIG(status) == signal.SIGKILL
            code = -os.WTERMSIG(status)
        else:
            killed, code = False, os.WEXITSTATUS(status)
        print(json.dumps({"pid": pid, "seconds": seconds, "killed": killed, "code": code}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    else:
        assert sys.argv[1] == "edits"
        sys.exit(edits_main(sys.argv[2:]))
