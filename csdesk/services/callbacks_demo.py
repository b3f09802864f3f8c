"""Demo data of the callbacks area: members, sales with their plans, outcomes, contacts, visits.

Called once by ``csdesk demo`` (csdesk.services.demo) on an empty database:
``build_demo(uow, policy, rng, people_ids, today)``. Every date comes from the
rules (sale_plan, birthday_plan, complaint_call, review_message), so the demo
agenda shows what a real one would: a few overdue calls, today's due calls,
calls done today, retries and a reschedule.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from csdesk.models.db import UnitOfWork
from csdesk.models.repo_callbacks import CallbackRepository
from csdesk.policy import Policy
from csdesk.rules import callbacks as rules
from csdesk.services.callback_base import BIRTHDAYS_PLANNED_KEY, opening_calendar

MEMBERS_PER_AGENT = 24
_CN_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
_CN_CHILD = ["小明", "欣怡", "子涵", "浩然", "梓萱", "宇轩", "诗涵", "俊杰", "雨桐", "一诺", "思远", "可馨"]
_ES_CHILD = ["Lucía", "Mateo", "Sofía", "Hugo", "Martina", "Leo", "Valeria", "Álvaro", "Irene", "Íker", "Nerea", "Ángel"]
_ES_FAMILY = ["García", "Muñoz", "Peña", "Ibáñez", "Castaño", "López", "Núñez", "Sánchez"]
_ITEMS = ["教材光盘无法播放", "上课时间调整", "网卡无法登录", "Factura duplicada", "Cambio de horario", "退费咨询"]


def _base_row(kind: str, member_id: int, agent_id: int | None, window_start: datetime, due: datetime, now: datetime,
              **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kind": kind, "member_id": member_id, "agent_id": agent_id, "window_start": window_start, "due": due,
        "status": "open", "outcome": None, "result": None, "attempt": 0, "retry_of": "", "root_id": None,
        "previous_id": None, "reschedules": 0, "note": "", "sale_id": None, "contact_id": None, "notes": "",
        "closed_at": None, "created_at": now,
    }
    row.update(extra)
    return row


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment in working hours between ``start`` and ``end``."""
    span = max((end - start).total_seconds(), 0)
    moment = start + timedelta(seconds=rng.uniform(0, span))
    hour = min(max(moment.hour, 9), 19)
    return datetime.combine(moment.date(), time(hour, rng.randrange(0, 60, 5)))


def build_demo(uow: UnitOfWork, policy: Policy, rng: random.Random, people_ids: dict[str, int], today: date,
               now: datetime | None = None) -> None:
    """Fill the callbacks tables for the agents among ``people_ids`` (employee_no -> id).

    ``now`` (default: 09:30 of ``today``) is the moment the demo floor has reached:
    calls are settled up to it, never after.
    """
    repo = uow.callbacks
    now = now or datetime.combine(today, time(9, 30))
    agents = sorted((no, pid) for no, pid in people_ids.items() if no.startswith("A"))
    if not agents:
        return
    members: list[dict[str, Any]] = []
    for no, pid in agents:
        for _i in range(MEMBERS_PER_AGENT):
            spanish = rng.random() < 0.25
            name = (f"{rng.choice(_ES_CHILD)} {rng.choice(_ES_FAMILY)}" if spanish
                    else rng.choice(_CN_FAMILY) + rng.choice(_CN_CHILD))
            vip = rng.random() < 0.15
            birthday = today - timedelta(days=rng.randint(3 * 365, 10 * 365))
            if rng.random() < 0.12:  # some birthdays this month, for the birthday list and calls
                birthday = birthday.replace(month=today.month, day=min(rng.randint(1, 28), 28))
            members.append({
                "name": name, "phone": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}", "birthday": birthday,
                "vip": vip, "tier": "important" if vip else rng.choice(["general"] * 4 + ["potential"]),
                "agent_id": pid, "note": "", "created_at": now,
            })
    repo.add_members(members)
    ids = repo.member_ids_by_key((m["name"], m["phone"]) for m in members)
    sales = []
    for m in members:
        sale = today - timedelta(days=rng.randint(0, 70))
        card = sale + timedelta(days=rng.choice([0, 0, 1, 2]))
        first_class = sale + timedelta(days=rng.randint(20, 80)) if rng.random() < 0.8 else None
        sales.append({"member_id": ids[(m["name"], m["phone"])], "sale_date": sale, "card_received": min(card, today),
                      "first_class": first_class, "agent_id": m["agent_id"], "created_at": now})
    repo.add_sales(sales)
    opening = opening_calendar(policy)
    sale_ids = {k: s.id for k, s in repo.sales_by_key((s["member_id"], s["sale_date"]) for s in sales).items()}
    calls: list[dict[str, Any]] = []
    log: list[dict[str, Any]] = []
    for s in sales:
        plan = rules.sale_plan(s["sale_date"], s["card_received"], s["first_class"], policy, opening)
        for planned in plan.calls:
            row = _base_row(planned.kind, s["member_id"], s["agent_id"], planned.window_start, planned.due, now,
                            note=planned.note, sale_id=sale_ids[(s["member_id"], s["sale_date"])])
            _settle(rng, row, now, log)
            calls.append(row)
    first = today.replace(day=1)
    for m in members:
        party = rules.birthday_plan(m["birthday"], today.year, opening)
        if party.window_start.date() >= first and party.window_start.date().month == today.month:
            row = _base_row(rules.BIRTHDAY, ids[(m["name"], m["phone"])], m["agent_id"], party.window_start, party.due, now)
            _settle(rng, row, now, log)
            calls.append(row)
    repo.add_calls(calls)
    _contacts(repo, rng, policy, agents, ids, members, now)
    _retries(uow, repo, rng, policy, now, log, opening)
    repo.add_log_rows(log + _incoming(rng, agents, ids, members, now))
    repo.add_home_visits([{"agent_id": pid, "day": today, "note": ""} for _no, pid in agents[1:3]])
    uow.settings.set(BIRTHDAYS_PLANNED_KEY, today.strftime("%Y-%m"))


def _settle(rng: random.Random, row: dict[str, Any], now: datetime, log: list[dict[str, Any]]) -> None:
    """Close a demo call the way a real floor would: mostly on time, a few late, a few still open."""
    start, due = row["window_start"], row["due"]
    if start > now:
        return
    roll = rng.random()
    if due < now:
        if roll < 0.05:
            return  # overdue
        closed = _between(rng, start, due) if roll < 0.92 else _between(rng, due, min(now, due + timedelta(days=3)))
    elif roll < 0.45:
        closed = _between(rng, start, now)
    else:
        return
    if closed > now:
        return
    outcome = rules.REACHED if rng.random() < 0.9 else rng.choice([rules.WRONG_NUMBER, rules.REFUSED])
    row.update(status="closed", outcome=outcome,
               result=rules.RESULT_DONE if outcome == rules.REACHED else rules.RESULT_CLOSED, closed_at=closed)
    log.append({"agent_id": row["agent_id"], "member_id": row["member_id"], "callback_id": None, "at": closed,
                "direction": rules.OUTGOING, "outcome": outcome, "notes": ""})


def _retries(uow: UnitOfWork, repo: CallbackRepository, rng: random.Random, policy: Policy, now: datetime,
             log: list[dict[str, Any]], opening: rules.OpeningCalendar) -> None:
    """A few of today's open calls got no answer this morning (a retry follows) or a busy customer."""
    agenda = [c for c in repo.agenda(rules.start_of_day(now.date()), now, None) if c.status == "open" and c.agent_id]
    rng.shuffle(agenda)
    earlier = now - timedelta(hours=1)
    for rec in agenda[: max(1, len(agenda) // 12)]:
        call = rules.Call(rec.kind, rec.window_start, rec.due, ref=str(rec.id))
        result = rules.apply_outcome(call, rules.NO_ANSWER, earlier, policy, opening=opening)
        repo.close_call(rec.id, outcome=rules.NO_ANSWER, result=result.result, at=earlier)
        log.append({"agent_id": rec.agent_id, "member_id": rec.member_id, "callback_id": rec.id, "at": earlier,
                    "direction": rules.OUTGOING, "outcome": rules.NO_ANSWER, "notes": ""})
        if result.follow_up is not None:
            f = result.follow_up
            repo.add_call(_base_row(rules.RETRY, rec.member_id, rec.agent_id, f.window_start, f.due, now,
                                    attempt=f.attempt, retry_of=f.retry_of, root_id=rec.id, previous_id=rec.id,
                                    sale_id=rec.sale_id, contact_id=rec.contact_id))
    for rec in agenda[len(agenda) // 12 : len(agenda) // 12 + 2]:
        agreed = datetime.combine(now.date(), time(16, 30))
        if agreed <= now:  # the demo built late in the day: the customer asked for tomorrow morning
            agreed = datetime.combine(now.date() + timedelta(days=1), time(10, 30))
        moved = rules.apply_outcome(rules.Call(rec.kind, rec.window_start, rec.due), rules.BUSY_RESCHEDULED, earlier,
                                    policy, agreed).call
        repo.reschedule_call(rec.id, window_start=moved.window_start, due=moved.due, reschedules=1,
                             outcome=rules.BUSY_RESCHEDULED, notes="客户在开会 / cliente ocupado")
        log.append({"agent_id": rec.agent_id, "member_id": rec.member_id, "callback_id": rec.id, "at": earlier,
                    "direction": rules.OUTGOING, "outcome": rules.BUSY_RESCHEDULED, "notes": ""})


def _contacts(repo: CallbackRepository, rng: random.Random, policy: Policy, agents: list[tuple[str, int]],
              ids: dict[tuple[str, str], int], members: list[dict[str, Any]], now: datetime) -> None:
    calls = []
    for i, (_no, pid) in enumerate(agents[:8]):
        m = members[i * MEMBERS_PER_AGENT]
        member_id = ids[(m["name"], m["phone"])]
        kind = ("COMPLAINT", "ENQUIRY", "REVIEW", "OTHER")[i % 4]
        received = datetime.combine(now.date() - timedelta(days=i % 3), time(9, rng.randint(0, 29)))
        solved = i % 3 == 2
        contact_id = repo.add_contact(
            member_id=member_id, kind=kind, received_at=received, agent_id=pid, severity=1 + i % 3,
            status="SOLVED" if solved else "OPEN", item=rng.choice(_ITEMS), text="", progress="",
            solved_at=now if solved else None, created_by="demo",
        )
        plan = None
        if kind in policy.callbacks.same_day_kinds:
            plan = rules.complaint_call(received, kind, policy)
        elif kind == rules.REVIEW:
            plan = rules.review_message(received)
        if plan is not None:
            calls.append(_base_row(plan.kind, member_id, pid, plan.window_start, plan.due, now, note=plan.note,
                                   contact_id=contact_id))
    repo.add_calls(calls)


def _incoming(rng: random.Random, agents: list[tuple[str, int]], ids: dict[tuple[str, str], int],
              members: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Incoming calls this morning: logged, never counted in the quota."""
    rows = []
    for _no, pid in agents:
        for _i in range(rng.randint(0, 3)):
            m = rng.choice(members)
            rows.append({"agent_id": pid, "member_id": ids[(m["name"], m["phone"])], "callback_id": None,
                         "at": now - timedelta(minutes=rng.randint(5, 80)), "direction": rules.INCOMING,
                         "outcome": None, "notes": ""})
    return rows
