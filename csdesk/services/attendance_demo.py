"""Demo punches and leave for ``csdesk demo``: mostly on time, some lates, absences, leave."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from csdesk.models.db import UnitOfWork
from csdesk.policy import Policy
from csdesk.rules.attendance import shift_bounds


def build_demo(uow: UnitOfWork, policy: Policy, rng: random.Random, now: datetime, actor: str) -> int:
    """Punch-clock records for every rostered working day up to ``now``; returns how many."""
    repo = uow.attendance
    people = {pid: no for no, pid in uow.people.ids_by_employee_no().items()}
    first = date(2000, 1, 1)
    rows = repo.roster(list(people), first, now.date())
    punches: list[tuple[int, datetime, str | None]] = []
    sick_done: set[int] = set()
    for pid, day, code in rows:
        template = policy.shift(code)
        if template.rest:
            continue
        start, end = shift_bounds(day, code, policy)
        if end > now:
            continue
        # A day in 500 is a no-show and one in 125 a day of sick or personal leave: with one
        # absence costing −20 points (S01), a higher rate would put a third of the floor at F.
        roll = rng.random()
        if roll < 0.002:
            continue  # absent: no punches at all
        if roll < 0.01 and pid not in sick_done and day.day < 25:
            sick_done.add(pid)
            approved = rng.random() < 0.85
            repo.add_leave(
                person_id=pid, leave_type=rng.choice(["SICK", "PERSONAL"]), start=day, end=day, hours=None,
                status="approved" if approved else "pending", reason="demo", certificate=approved, cancelled_on_return=approved,
                created_at=datetime.combine(day - timedelta(days=2), datetime.min.time()), created_by=actor,
                decided_by=actor if approved else None, decided_at=datetime.combine(day - timedelta(days=1), datetime.min.time()) if approved else None,
                # back the next morning, when the supervisor records the 销假
                returned_at=min(datetime.combine(day + timedelta(days=1), start.time()), now) if approved else None,
                returned_by=actor if approved else None,
            )
            continue
        clock_in = start - timedelta(minutes=rng.randint(2, 15))
        clock_out = end + timedelta(minutes=rng.randint(0, 20))
        if roll < 0.05:
            clock_in = start + timedelta(minutes=rng.randint(1, 25))
        elif roll < 0.06:
            clock_out = end - timedelta(minutes=rng.randint(1, 20))
        punches.append((pid, clock_in.replace(second=rng.randint(0, 59)), "T1"))
        if roll > 0.995:
            continue  # a missed clock-out
        punches.append((pid, clock_out.replace(second=rng.randint(0, 59)), "T1"))
    for i in range(0, len(punches), 50_000):
        repo.insert_punches_ignoring_duplicates(punches[i : i + 50_000])
    return len(punches)
