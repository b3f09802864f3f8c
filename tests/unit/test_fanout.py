"""csdesk.services.fanout.spread: the pieces of a long read computed side by side in child
processes and here, with the same results (or the same error) as the plain loop."""

from __future__ import annotations

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

    monkeypatch.setattr(fanout, "ProcessPoolExecutor", refused)
    assert spread([1, 2, 3], square, square, children=1) == [(1, HERE), (4, HERE), (9, HERE)]
