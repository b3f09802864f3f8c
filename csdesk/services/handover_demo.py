"""Demo handovers and work records (``csdesk demo``), and the synthetic log of the benchmark.

Every team hands over once a day, day shift to evening shift; each handover opens a few
items in Chinese or Spanish, and open items carry over until a later shift closes them
(``rules.handover.carry_over``). The newest handover of each team is left unacknowledged,
so the incoming team lead sees it at sign-in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final, NamedTuple

from csdesk.models.db import UnitOfWork
from csdesk.models.repo_handover import HandoverRepository, build_search_text
from csdesk.policy import Policy
from csdesk.rules.handover import OpenItem, carry_over

DEMO_DAYS: Final = 30
WORK_RECORD_DAYS: Final = 14

_SUBJECTS = ["王女士 (会员 {n})", "李先生", "张家长 {n}", "Sra. Núñez", "Sr. Peña Ibáñez", "Familia Muñoz {n}",
             "退款申请 {n}", "Reclamación {n}", "课程顾问回电", "会员卡 {n}"]
_PENDING = ["退款进度待财务确认", "客户要求明天上午回电", "投诉升级, 等主管答复", "补发发票",
            "llamar para confirmar la atención recibida", "enviar el justificante por correo",
            "esperar respuesta del departamento de facturación", "reprogramar la clase de prueba",
            "核对课时余额", "revisar la queja sobre el horario"]
_OUTCOMES = ["已解决, 客户满意", "已回电并确认", "resuelto por teléfono", "cliente conforme, caso cerrado",
             "已转交财务处理", "devolución realizada"]
_SUMMARIES = ["今日外呼 {a} 通, 投诉 {b} 起, 回访完成 {c} 个。", ("Hoy {a} llamadas salientes, {b} quejas, {c} "
               "seguimientos. Atención al cliente sin incidencias."), "共接听 {a} 个来电, 其中投诉 {b} 起; 系统稳定。",
              "Turno tranquilo: {a} llamadas, {b} reclamaciones, {c} devoluciones de llamada."]
_DESK = ["桌面整洁, 设备正常", "Todo en orden, auriculares revisados", "3 号耳机有杂音, 已报修", "Puesto limpio"]
_WORK = ["外呼新会员 {a} 个, 处理投诉 {b} 起", "Llamadas de bienvenida y {b} quejas atendidas", "回访老会员, 整理资料",
         "Seguimiento de reseñas negativas"]
_PLAN = ["继续跟进未完成回访", "Terminar las llamadas pendientes", "准备周一例会材料", "Revisar casos abiertos"]


@dataclass
class SyntheticLog:
    """Rows for ``HandoverRepository.bulk_insert``, ids already assigned."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    authors: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    passages: list[dict[str, Any]] = field(default_factory=list)
    penalties: list[dict[str, Any]] = field(default_factory=list)


class Member(NamedTuple):
    """A team member the generator picks authors, takers and owners from."""

    id: int
    employee_no: str
    name: str


def generate(rng: random.Random, teams: list[tuple[int | None, list[Member]]], first_day: date, days: int,
             shift: str, *, first_ids: tuple[int, int] = (0, 0), new_items: tuple[int, int] = (0, 5),
             close_chance: float = 0.55, messy_event: str = "M02", messy_points: int = -2,
             leads: frozenset[int] = frozenset()) -> SyntheticLog:
    """One handover per team and day from ``first_day`` for ``days`` days.

    The newest is left unacknowledged and written by someone not in ``leads``, so the
    team lead has it waiting at sign-in.
    """
    log = SyntheticLog()
    entry_id, item_id = first_ids
    first_item = item_id  # items are numbered on from here: log.items[n] has id first_item + n + 1
    for team_id, members in teams:
        if len(members) < 2:
            continue
        open_items: list[OpenItem] = []
        texts: dict[str, tuple[str, str, int]] = {}  # item id -> subject, pending, owner id
        names = {pid: f"{no} {name}" for pid, no, name in members}
        for d in range(days):
            entry_id += 1
            written = datetime.combine(first_day + timedelta(days=d), time(17, 40 + rng.randint(0, 15)))
            last = d == days - 1
            author = rng.choice([m for m in members if m.id not in leads] if last else members)
            taker = rng.choice([m for m in members if m is not author])
            closing = {i.item_id for i in open_items if rng.random() < close_chance}
            moved = carry_over(open_items, closing, str(entry_id))
            for closed_id in moved.closed:
                row = log.items[int(closed_id) - first_item - 1]
                row.update(closed_at=written - timedelta(minutes=rng.randint(5, 300)), closed_by="demo",
                           outcome=rng.choice(_OUTCOMES))
            listed = list(moved.carried)
            for _n in range(rng.randint(*new_items)):
                item_id += 1
                owner = rng.choice(members)
                subject = rng.choice(_SUBJECTS).format(n=rng.randint(1000, 9999))
                pending = rng.choice(_PENDING)
                due = written + timedelta(hours=rng.randint(2, 60))
                texts[str(item_id)] = (subject, pending, owner.id)
                log.items.append({"id": item_id, "opened_in": entry_id, "subject": subject, "pending": pending,
                                  "owner_id": owner.id, "due": due, "priority": rng.choice(("high", "normal", "normal", "low")),
                                  "link_kind": rng.choice((None, None, "callback", "complaint")), "link_ref": None,
                                  "closed_at": None, "closed_by": None, "closed_in": None, "outcome": ""})
                if log.items[-1]["link_kind"]:
                    log.items[-1]["link_ref"] = str(rng.randint(1, 5000))
                listed.append(OpenItem(str(item_id), owner.employee_no, due, subject, pending, shifts=(str(entry_id),)))
            parts = []
            for pos, item in enumerate(listed, start=1):
                subject, pending, owner_id = texts[item.item_id]
                row = log.items[int(item.item_id) - first_item - 1]
                log.passages.append({"entry_id": entry_id, "item_id": int(item.item_id), "position": pos,
                                     "pending": pending, "owner_id": owner_id, "due": row["due"], "priority": row["priority"]})
                parts += [subject, pending, names[owner_id]]
            a, b, c = rng.randint(20, 60), rng.randint(0, 4), rng.randint(3, 15)
            summary = rng.choice(_SUMMARIES).format(a=a, b=b, c=c)
            desk = rng.choice(_DESK)
            messy = rng.random() < 0.03
            note = "" if last else rng.choice(["已阅, 接班", "Recibido, sigo con los pendientes", "已接班, 先处理逾期项"])
            log.entries.append({
                "id": entry_id, "written_at": written, "shift_code": shift, "team_id": team_id, "written_by": "demo",
                "summary": summary, "desk_state": desk, "desk_messy": messy,
                "acknowledged_by_id": None if last else taker.id,
                "acknowledged_at": None if last else written + timedelta(minutes=rng.randint(5, 25)),
                "takeover_note": note,
                "search_text": build_search_text([summary, desk, note, names[author.id], "" if last else names[taker.id], *parts]),
            })
            log.authors.append({"entry_id": entry_id, "person_id": author.id, "position": 0})
            if messy:
                log.penalties.append({"entry_id": entry_id, "person_id": author.id, "code": messy_event,
                                      "points": messy_points, "reason": "MESSY_DESK", "recorded_by": "demo",
                                      "at": written + timedelta(minutes=30)})
            open_items = listed
    return log


def insert(repo: HandoverRepository, log: SyntheticLog) -> None:
    repo.bulk_insert(log.entries, log.authors, log.items, log.passages)
    for p in log.penalties:
        repo.add_penalty(p["entry_id"], p["person_id"], p["code"], p["points"], p["reason"], p["recorded_by"], p["at"])


def team_members(uow: UnitOfWork, people_ids: dict[str, int]) -> tuple[list[tuple[int | None, list[Member]]], frozenset[int]]:
    """Each team's id with its agents and team lead (id, employee_no, name); the leads' ids."""
    ids = uow.teams.id_by_name()
    out: list[tuple[int | None, list[Member]]] = []
    leads: set[int] = set()
    for team in uow.teams.list():
        people = [p for p in uow.people.list(team=team.name) if p.employee_no in people_ids]
        out.append((ids[team.name], [Member(people_ids[p.employee_no], p.employee_no, p.name) for p in people
                                     if p.role in ("agent", "team_lead")]))
        leads |= {people_ids[p.employee_no] for p in people if p.role == "team_lead"}
    return out, frozenset(leads)


def build_demo(uow: UnitOfWork, policy: Policy, rng: random.Random, people_ids: dict[str, int], today: date) -> None:
    """Thirty days of handovers per team and two weeks of work records (called by ``csdesk demo``)."""
    repo = uow.handover
    teams, leads = team_members(uow, people_ids)
    shift = next((s.code for s in policy.shifts if not s.rest), "D")
    last_entry, last_item = repo.max_ids()
    log = SyntheticLog()
    for team in teams:  # ids run on across teams
        part = generate(rng, [team], today - timedelta(days=DEMO_DAYS), DEMO_DAYS, shift, first_ids=(last_entry, last_item),
                        messy_event=policy.handover.messy_desk_event,
                        messy_points=policy.event(policy.handover.messy_desk_event).default_points, leads=leads)
        for name in ("entries", "authors", "items", "passages", "penalties"):
            getattr(log, name).extend(getattr(part, name))
        last_entry, last_item = last_entry + len(part.entries), last_item + len(part.items)
    insert(repo, log)
    _work_records(uow, repo, rng, people_ids, today, {s.code for s in policy.shifts if s.rest})


def _work_records(uow: UnitOfWork, repo: HandoverRepository, rng: random.Random, people_ids: dict[str, int],
                  today: date, rest: set[str]) -> None:
    start = today - timedelta(days=WORK_RECORD_DAYS)
    agents = {p.employee_no for p in uow.people.list(roles=["agent"])}
    rows = []
    for entry in uow.roster.for_range(start, today - timedelta(days=1)):
        if entry.employee_no not in agents or entry.employee_no not in people_ids or entry.shift_code in rest:
            continue
        a, b, c = rng.randint(10, 25), rng.randint(0, 3), rng.randint(2, 12)
        rows.append({"person_id": people_ids[entry.employee_no], "day": entry.day, "shift_code": entry.shift_code,
                     "today_work": rng.choice(_WORK).format(a=a, b=b), "tomorrow_plan": rng.choice(_PLAN),
                     "calls_made": a, "complaints_taken": b, "callbacks_done": c, "counts_from": "typed", "notes": "",
                     "updated_at": datetime.combine(entry.day, time(17, 30)), "updated_by": "demo"})
    repo.add_work_records(rows)
