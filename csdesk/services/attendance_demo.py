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
    leaves: list[tuple[int, date, datetime, str, bool]] = []  # (person, day, shift start, type, approved)
    # The first day punched: person, day, shift start and end, where its punches start in ``punches``.
    first_worked: tuple[int, date, datetime, datetime, int] | None = None
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
            leaves.append((pid, day, start, rng.choice(["SICK", "PERSONAL"]), approved))
            continue
        if first_worked is None:
            first_worked = (pid, day, start, end, len(punches))
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
    # The demo holds an approved sick leave with its certificate, so that its leave forms show the
    # certificate line (issue 14): when the dice gave none, the first leave becomes one, or without
    # any leave the first day worked (its punches dropped). The dice are thrown as before.
    if leaves and not any(approved and _needs_certificate(policy, code) for _p, _d, _s, code, approved in leaves):
        pid, day, start, _code, _approved = leaves[0]
        leaves[0] = (pid, day, start, "SICK", True)
    elif not leaves and first_worked is not None:
        pid, day, start, end, at = first_worked
        hour = timedelta(hours=1)
        punches[at : at + 2] = [p for p in punches[at : at + 2] if not (p[0] == pid and start - hour <= p[1] <= end + hour)]
        leaves.append((pid, day, start, "SICK", True))
    for pid, day, start, code, approved in leaves:
        repo.add_leave(
            person_id=pid, leave_type=code, start=day, end=day, hours=None, status="approved" if approved else "pending",
            # The certificate only where the type asks for one (sick leave), as an approval records it.
            reason="demo", certificate=approved and _needs_certificate(policy, code), cancelled_on_return=approved,
            created_at=datetime.combine(day - timedelta(days=2), datetime.min.time()), created_by=actor,
            decided_by=actor if approved else None,
            decided_at=datetime.combine(day - timedelta(days=1), datetime.min.time()) if approved else None,
            # back the next morning, when the supervisor records the 销假
            returned_at=min(datetime.combine(day + timedelta(days=1), start.time()), now) if approved else None,
            returned_by=actor if approved else None,
        )
    for i in range(0, len(punches), 50_000):
        repo.insert_punches_ignoring_duplicates(punches[i : i + 50_000])
    return len(punches)


def _needs_certificate(policy: Policy, code: str) -> bool:
    return policy.leave.type(code).certificate_required
