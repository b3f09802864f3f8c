"""csdesk.services.fanout.spread: the pieces of a long read computed side by side in child
processes and here, with the same results (or the same error) as the plain loop."""

from __future__ import annotations

import concurrent.futures
import os
import time
from functools import partial

import pytest

from csdesk.services import fanout
from csdesk.services.fanout import spread

HERE = os.getpid()


def square(piece: int) -> tuple[int, int]:
    """(the piece squared, the process that computed it)."""
    return piece * piece, os.getpid()


def slow_square(piece: int) -> tuple[int, int]:
    """Here, a piece takes long enough for the pool to hand the last ones to its child."""
    time.sleep(0.05)
    return square(piece)


def square_except(bad: int, piece: int) -> tuple[int, int]:
    if piece == bad:
        raise ValueError(f"piece {piece}")
    return square(piece)


def test_the_results_are_the_plain_loop_s_in_order_and_a_child_computes_some() -> None:
    pieces = list(range(12))
    results = spread(pieces, slow_square, square, children=1)
    assert [value for value, _pid in results] == [p * p for p in pieces]
    computed_by = [pid for _value, pid in results]
    assert computed_by[0] == HERE  # this process takes the pieces from the front
    assert computed_by[-1] != HERE  # the child from the back
    assert set(computed_by) - {HERE}


def test_a_piece_the_child_could_not_compute_is_computed_here() -> None:
    results = spread(list(range(6)), slow_square, partial(square_except, 5), children=1)
    assert results[5] == (25, HERE)
    assert [value for value, _pid in results] == [0, 1, 4, 9, 16, 25]


def test_an_error_here_is_raised_as_from_the_plain_loop() -> None:
    def here(piece: int) -> tuple[int, int]:
        if piece == 0:
            raise ValueError("the first piece")
        return square(piece)

    with pytest.raises(ValueError, match="the first piece"):
        spread(list(range(4)), here, square, children=1)


@pytest.mark.parametrize("children", [0, None])
def test_without_a_child_it_is_the_plain_loop(children: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fanout, "spare_processors", lambda: 0)  # one processor
    assert spread([1, 2, 3], square, square, children=children) == [(1, HERE), (4, HERE), (9, HERE)]


def test_without_a_way_to_compute_elsewhere_or_with_one_piece_it_is_the_plain_loop() -> None:
    assert spread([1, 2], square, None, children=1) == [(1, HERE), (4, HERE)]
    assert spread([3], square, square, children=1) == [(9, HERE)]


def test_a_pool_that_cannot_start_leaves_every_piece_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)  # imported by spread() when it needs one
    assert spread([1, 2, 3], square, square, children=1) == [(1, HERE), (4, HERE), (9, HERE)]


# --- halves: one list of work, its second half in a forked child (the command line) -------------

# Run in a fresh process: a test worker has threads of its own, and halves forks only a process of one.
HALVES_SCRIPT = r"""
import json, os, sys, threading, time
from csdesk.services import fanout

HERE = os.getpid()
case = sys.argv[1]
fanout.allow_fork(not case.endswith("not-allowed"))


def work(chunk):
    return [(item * item, os.getpid()) for item in chunk]


def failing_there(chunk):  # fails in the child only
    if os.getpid() != HERE:
        raise ValueError("child")
    return work(chunk)


def dying_there(chunk):
    if os.getpid() != HERE:
        os._exit(9)
    return work(chunk)


def failing_here(chunk):
    if os.getpid() == HERE:
        raise ValueError("here")
    time.sleep(0.2)
    return work(chunk)


items = list(range(10))
out = {"here": HERE}
if case == "other-thread":
    stop = threading.Event()
    threading.Thread(target=stop.wait).start()
    out["results"] = fanout.halves(items, work)
    stop.set()
elif case == "failing-there":
    out["results"] = fanout.halves(items, failing_there)
elif case == "dying-there":
    out["results"] = fanout.halves(items, dying_there)
elif case == "failing-here":
    try:
        fanout.halves(items, failing_here)
    except ValueError as exc:
        out["error"] = str(exc)
    try:
        os.waitpid(-1, os.WNOHANG)
        out["children_left"] = True
    except ChildProcessError:
        out["children_left"] = False
elif case in ("meanwhile", "meanwhile-not-allowed", "meanwhile-failing"):
    order = []

    def read():
        order.append(("read", os.getpid()))
        if case == "meanwhile-failing":
            raise ValueError("read")
        return "facts"

    def noting(chunk):
        order.append(("work", os.getpid()))
        return work(chunk)

    later = fanout.Later(read, 4.0)  # as much as four of the ten items
    with fanout.meanwhile(later):
        out["results"] = fanout.halves(items, noting)
    out["pending_after"] = later.pending
    try:
        out["later"] = later.result()
    except ValueError as exc:
        out["later_error"] = str(exc)
    out["order"] = order
else:
    out["results"] = fanout.halves(items, work)
print(json.dumps(out))
"""


def _halves(case: str) -> dict:
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", HALVES_SCRIPT, case], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or not os.path.isdir("/proc/self/task") or fanout.spare_processors() < 1,
                                reason="halves forks only on Linux with a second processor")  # fmt: skip


@needs_fork
def test_halves_gives_the_plain_results_in_order_the_second_half_from_a_child() -> None:
    out = _halves("allowed")
    assert [value for value, _pid in out["results"]] == [i * i for i in range(10)]
    pids = [pid for _value, pid in out["results"]]
    assert set(pids[:5]) == {out["here"]}
    assert len(set(pids[5:])) == 1 and pids[5] != out["here"]


@pytest.mark.parametrize("case", ["not-allowed", "other-thread"])
def test_halves_works_here_alone_unless_allowed_and_on_one_thread(case: str) -> None:
    out = _halves(case)
    assert out["results"] == [[i * i, out["here"]] for i in range(10)]


@needs_fork
@pytest.mark.parametrize("case", ["failing-there", "dying-there"])
def test_a_half_the_child_could_not_work_is_worked_here(case: str) -> None:
    out = _halves(case)
    assert out["results"] == [[i * i, out["here"]] for i in range(10)]


@needs_fork
def test_an_error_in_this_process_s_half_is_raised_and_the_child_is_ended() -> None:
    out = _halves("failing-here")
    assert out["error"] == "here"
    assert out["children_left"] is False


@needs_fork
def test_the_job_meanwhile_is_done_here_first_while_the_child_works_the_larger_half() -> None:
    out = _halves("meanwhile")
    assert [value for value, _pid in out["results"]] == [i * i for i in range(10)]
    pids = [pid for _value, pid in out["results"]]
    # Ten items of cost 1 and a job of cost 4 here: three items here, seven in the child.
    assert set(pids[:3]) == {out["here"]} and out["here"] not in pids[3:]
    assert out["order"][0] == ["read", out["here"]]  # the child's own notes stay in the child
    assert out["pending_after"] is False and out["later"] == "facts"


def test_without_a_fork_the_job_meanwhile_is_done_when_its_result_is_asked_for() -> None:
    out = _halves("meanwhile-not-allowed")
    assert out["results"] == [[i * i, out["here"]] for i in range(10)]
    assert out["pending_after"] is True and out["later"] == "facts"
    assert out["order"] == [["work", out["here"]], ["read", out["here"]]]


@needs_fork
def test_an_error_of_the_job_meanwhile_is_raised_where_its_result_is_asked_for() -> None:
    out = _halves("meanwhile-failing")
    assert [value for value, _pid in out["results"]] == [i * i for i in range(10)]
    assert out["later_error"] == "read"
