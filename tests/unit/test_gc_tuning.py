"""csdesk.gc_tuning: the collector waits while a command line starts, and a unit of work lets go
of what it computed as it ends (by reference counting, not by a later collection)."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import weakref

from csdesk.models.db import UnitOfWork


def _run(code: str) -> str:
    """``code`` in a fresh interpreter (the collector's state is the process's own)."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_quiet_start_collects_nothing_until_it_ends_then_freezes_what_it_built() -> None:
    out = _run("""
        import gc
        from csdesk import gc_tuning
        gc_tuning.quiet_start()
        off = gc.isenabled()
        start_up = [[i] for i in range(100_000)]  # what imports build, kept for good
        collected = gc.get_count()[0]
        gc_tuning.end_quiet_start()
        print(off, collected >= 100_000, gc.isenabled(), gc.get_freeze_count() >= 100_000, gc.get_threshold() == gc_tuning.THRESHOLDS)
    """)
    assert out == "False True True True True"


def test_without_a_quiet_start_its_end_changes_nothing() -> None:
    # A test (or the GUI's own start) calls the command line's main() in a running process.
    out = _run("""
        import gc
        from csdesk import gc_tuning
        before = gc.get_threshold()
        gc_tuning.end_quiet_start()
        print(gc.isenabled(), gc.get_freeze_count(), gc.get_threshold() == before)
    """)
    assert out == "True 0 True"


def test_the_command_line_starts_quietly_and_runs_its_command_with_the_collector_on() -> None:
    out = _run("""
        import gc, sys
        from csdesk import cli

        def policy_command(args):
            print(gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
            return 0

        cli.cmd_policy = policy_command  # the parser takes the command from the module
        before = cli.build_parser

        def parser():
            print(gc.isenabled(), flush=True)  # the imports the parser needs: collector off
            return before()

        cli.build_parser = parser
        sys.argv = ["csdesk", "policy", "show"]
        cli.run()
    """)
    assert out.split() == ["False", "True", "True"]


def test_a_unit_of_work_empties_its_memo_as_it_ends_even_inside_a_reference_cycle() -> None:
    class Month:
        """Stands for a computed month kept in the memo."""

    class Service:
        """A service built over the open unit of work, in a cycle with another (the what-if's)."""

        def __init__(self, uow: UnitOfWork) -> None:
            self.uow = uow
            self.partner = self

    from csdesk.models.db import open_database, uow_factory

    factory = uow_factory(open_database("sqlite://"))
    collecting = gc.isenabled()
    gc.disable()  # only reference counting may free it
    try:
        with factory() as uow:
            month = Month()
            uow.memo["month"] = month
            keep = Service(uow)
            freed = weakref.ref(month)
            del month
        assert freed() is None
        assert keep.uow.memo == {}
    finally:
        if collecting:
            gc.enable()


def test_a_memo_is_let_go_a_value_at_a_time_and_a_day_memo_a_person_at_a_time() -> None:
    from datetime import datetime

    from csdesk.models.db import release
    from csdesk.policy import load_policy
    from csdesk.services.attendance_month import DayMemo

    policy = load_policy()
    days = DayMemo()
    people = days.people(policy, datetime(2026, 10, 28, 18, 0))
    people.update({1: object(), 2: object()})  # type: ignore[dict-item]
    assert days.people(policy, datetime(2026, 10, 28, 18, 0)) is people  # the same classification kept
    emptied = []

    class Piece:
        def release(self) -> None:
            emptied.append(self)

    piece = Piece()
    memo: dict[object, object] = {"days": days, "piece": piece, "plain": [1, 2, 3]}
    release(memo)
    assert memo == {} and people == {} and emptied == [piece]
    assert days.people(policy, datetime(2026, 10, 28, 18, 0)) == {}  # a new, empty entry


def test_the_command_line_leaves_its_last_memo_to_the_process_end_and_frees_the_one_before() -> None:
    out = _run("""
        import weakref
        from csdesk.models import db

        class Month:
            pass

        db.keep_last_memo()
        first, second = Month(), Month()
        a, b = weakref.ref(first), weakref.ref(second)
        memo = {"month": first}
        del first
        db.release(memo)
        kept_first = a() is not None and memo == {}
        memo = {"month": second}
        del second
        db.release(memo)
        print(kept_first, a() is None, b() is not None)
        db.keep_last_memo(False)
        memo = {}
        db.release(memo)  # the window's way: nothing kept, what is given is freed
    """)
    assert out == "True True True"


def test_the_window_does_not_keep_memos() -> None:
    out = _run("""
        import sys
        from csdesk import cli, gc_tuning
        from csdesk.models import db
        import csdesk.app
        csdesk.app.run_gui = lambda **kw: print(db._keep_last, gc_tuning._keeping) or 0
        sys.argv = ["csdesk", "gui"]
        cli.run()
    """)
    assert out == "False False"


def test_a_commands_results_are_kept_to_the_end_of_its_process_only_where_it_ends_without_freeing() -> None:
    out = _run("""
        import weakref
        from csdesk import gc_tuning

        class Cards:
            pass

        given = Cards()
        gone = weakref.ref(given)
        gc_tuning.keep_until_exit(given)  # a test calling the command line's main(): not kept
        del given
        freed = gone() is None
        gc_tuning.keep_results()
        given = Cards()
        kept = weakref.ref(given)
        gc_tuning.keep_until_exit(given)
        del given
        print(freed, kept() is not None)
    """)
    assert out == "True True"
