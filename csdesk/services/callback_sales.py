"""``csdesk import sales``: new members from sales, each sale with its four service calls.

Rows are read and checked first (bad rows reported with row and field, then
skipped); members, sales and calls are then written in bulk in one unit of
work, so 10,000 sales take well under the 2 s the issue allows. Re-importing
the same file changes nothing; a row that adds a first-class date to a known
sale plans the missing call 4, and changed dates move calls not yet attempted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from csdesk.errors import ValidationError
from csdesk.i18n import N_, _
from csdesk.models.domain_callbacks import MemberData, SaleRecord
from csdesk.models.repo_callbacks import CALL_OPEN, CallbackRepository
from csdesk.records import record
from csdesk.rules import callbacks as rules
from csdesk.services.base import Actor
from csdesk.services.callback_base import opening_calendar
from csdesk.services.imports.dates import FileDates
from csdesk.services.imports.reader import (
    Column,
    FileFormat,
    ImportReport,
    open_import,
    parse_choice,
    required,
)

if TYPE_CHECKING:
    from csdesk.services.callback_members import CallbackMembers


class NewMember(NamedTuple):
    """A member inserted by this import, as birthday planning needs it."""

    id: int
    birthday: date | None
    agent_id: int | None

SALES_FORMAT = FileFormat(
    "sales",
    (
        Column("member", ("会员", "会员姓名", "miembro", "socio", "cliente")),
        Column("phone", ("电话", "联系电话", "teléfono", "telefono")),
        Column("sale_date", ("成交日期", "fecha de venta", "fecha venta")),
        Column("agent", ("服务人员", "客服", "工号", "employee_no", "agente")),
        Column("card_received", ("服务卡日期", "收到服务卡", "fecha de tarjeta"), required=False),
        Column("first_class", ("开课日期", "家长会", "primera clase"), required=False),
        Column("birthday", ("生日", "cumpleaños", "cumpleanos"), required=False),
        Column("vip", ("贵宾", "vip客户"), required=False),
    ),
)
_YES_NO = {
    "yes": "1", "y": "1", "true": "1", "1": "1", "vip": "1", "是": "1", "sí": "1", "si": "1", "x": "1",
    "no": "0", "n": "0", "false": "0", "0": "0", "否": "0", "": "0",
}


@record
class _SaleLine:
    number: int
    member: str
    phone: str
    sale_date: date
    agent_id: int
    card_received: date | None
    first_class: date | None
    birthday: date | None
    vip: bool | None
    plan: rules.SalePlan

    @property
    def key(self) -> tuple[str, str]:
        return (self.member, self.phone)


_DATES = ("sale_date", "card_received", "first_class", "birthday")


def _date(dates: FileDates, row: dict[str, str], name: str, number: int) -> date | None:
    """An optional date cell, in the file's day/month order."""
    text = row.get(name, "").strip()
    return dates.day(text, name, number) if text else None


def _parse(
    svc: CallbackMembers, dates: FileDates, row: dict[str, str], number: int, people: dict[str, int],
    today: date, opening: rules.OpeningCalendar,
) -> _SaleLine:
    from csdesk.services.callback_members import clean_phone

    member = required(row, "member")
    phone = clean_phone(required(row, "phone"))
    sale_date = dates.day(required(row, "sale_date"), "sale_date", number)
    if sale_date > today:
        raise ValidationError(N_("The sale date cannot be in the future."), field="sale_date")
    agent = required(row, "agent")
    if agent not in people:
        raise ValidationError(N_("No person with employee number {no}"), field="agent", no=agent)
    card = _date(dates, row, "card_received", number)
    first_class = _date(dates, row, "first_class", number)
    birthday = _date(dates, row, "birthday", number)
    if birthday and birthday > today:
        raise ValidationError(N_("The birthday cannot be in the future."), field="birthday")
    vip = parse_choice(row["vip"], "vip", _YES_NO) == "1" if row.get("vip") else None
    plan = rules.sale_plan(sale_date, card, first_class, svc.policy, opening)
    return _SaleLine(number, member, phone, sale_date, people[agent], card, first_class, birthday, vip, plan)


def import_sales_file(svc: CallbackMembers, actor: Actor, path: Path, progress: Callable[[int, int], bool] | None = None,
                      *, date_order: str | None = None) -> ImportReport:
    """The dates' day/month order is decided once for the file (:class:`FileDates`); ``date_order``
    (``"dmy"``/``"mdy"``) gives it for a file that cannot tell, which is otherwise refused whole."""
    report, rows, dates = open_import(path, SALES_FORMAT, "sales", _DATES, date_order)
    now = svc.now()
    today = now.date()
    opening = opening_calendar(svc.policy)  # the windows skip days the department is closed
    with svc._uow() as uow:
        uow.claim_area("sales")
        repo = uow.callbacks
        repo.prepare_bulk()
        people = uow.people.ids_by_employee_no()
        lines: list[_SaleLine] = []
        seen: dict[tuple[str, str, date], int] = {}
        for i, (number, row) in enumerate(rows):
            if progress and i % 500 == 0 and not progress(i, len(rows)):
                report.cancelled = True
                return report  # nothing committed
            try:
                line = _parse(svc, dates, row, number, people, today, opening)
            except ValidationError as exc:
                report.reject(number, exc)
                continue
            key = (line.member, line.phone, line.sale_date)
            if key in seen:
                report.reject(number, ValidationError(
                    N_("This sale appears twice in the file (first in row {row})."), field="member", row=seen[key]))
                continue
            seen[key] = number
            lines.append(line)
            report.took(line.sale_date)
        report.note_dates(_("Sales dated {first} to {last}."))

        # Members: the last row of a member gives their current data.
        latest = {line.key: line for line in lines}
        ids = repo.member_ids_by_key(latest)
        last_member = repo.last_member_id()
        repo.add_members([
            {"name": m, "phone": p, "birthday": line.birthday, "vip": bool(line.vip),
             "tier": svc.policy.callbacks.tiers[0] if line.vip else "general", "agent_id": line.agent_id,
             "note": "", "created_at": now}
            for (m, p), line in latest.items() if (m, p) not in ids
        ])
        new_members = {k for k in latest if k not in ids}
        if new_members:
            ids.update(repo.member_ids_after(last_member))
        changed = _update_members(repo, ids, latest, new_members)

        # Sales and their plans; members new to the file have no sales yet.
        existing = repo.sales_by_key({(ids[line.key], line.sale_date) for line in lines if line.key not in new_members})
        new_lines = [line for line in lines if (ids[line.key], line.sale_date) not in existing]
        last_sale = repo.last_sale_id()
        repo.add_sales([
            {"member_id": ids[line.key], "sale_date": line.sale_date, "card_received": line.card_received,
             "first_class": line.first_class, "agent_id": line.agent_id, "created_at": now}
            for line in new_lines
        ])
        sale_ids = repo.sale_ids_after(last_sale)
        calls = []
        for line in new_lines:
            member_id = ids[line.key]
            sale_id = sale_ids[(member_id, line.sale_date)]
            calls += [svc.call_row(c.kind, member_id, line.agent_id, c, now, sale_id=sale_id) for c in line.plan.calls]
        repo.add_calls(calls)
        report.written = len(new_lines)

        fresh = {line.number for line in new_lines}
        known = [line for line in lines if line.number not in fresh]
        replanned = _replan_known_sales(svc, repo, ids, existing, known, now, opening)
        for line in lines:
            if line.number in fresh:
                report.took(person=line.agent_id)
            elif ids[line.key] in changed or (ids[line.key], line.sale_date) in replanned:
                report.took(person=line.agent_id)
                report.updated += 1
            else:
                report.duplicates += 1
        fresh_members = [NewMember(ids[k], latest[k].birthday, latest[k].agent_id) for k in new_members if latest[k].birthday]
        svc._plan_member_birthdays(uow, repo, sorted(changed), fresh=fresh_members)
        svc.audit(uow, actor, "import.sales", "file", path.name, written=report.written, updated=report.updated,
                  duplicates=report.duplicates, rejected=len(report.problems), calls=len(calls))
        uow.commit()
    if progress:
        progress(len(rows), len(rows))
    return report


def _update_members(repo: CallbackRepository, ids: dict[tuple[str, str], int], latest: dict[tuple[str, str], _SaleLine],
                    new_members: set[tuple[str, str]]) -> set[int]:
    """Known members whose birthday, VIP flag or owning agent the file changes."""
    known = {k: ids[k] for k in latest if k not in new_members}
    records = repo.members_by_ids(known.values())
    changed: set[int] = set()
    for key, member_id in known.items():
        line, rec = latest[key], records[member_id]
        stored = MemberData.of(rec)
        # An empty birthday or VIP cell leaves the stored one as it is.
        data = replace(
            stored, birthday=rec.birthday if line.birthday is None else line.birthday,
            vip=rec.vip if line.vip is None else line.vip, agent_id=line.agent_id,
        )  # fmt: skip
        if data != stored:
            repo.update_member(member_id, data)
            changed.add(member_id)
    return changed


def _replan_known_sales(svc: CallbackMembers, repo: CallbackRepository, ids: dict[tuple[str, str], int],
                        existing: dict[tuple[int, date], SaleRecord], lines: list[_SaleLine],
                        now: datetime, opening: rules.OpeningCalendar) -> set[tuple[int, date]]:
    """A known sale with new dates: plan missing calls, move calls nobody has tried yet."""
    replanned: set[tuple[int, date]] = set()
    changes = []
    for line in lines:
        key = (ids[line.key], line.sale_date)
        sale = existing[key]
        card = line.card_received or sale.card_received
        first_class = line.first_class or sale.first_class
        if (card, first_class) != (sale.card_received, sale.first_class):
            changes.append((key, sale, card, first_class, line))
    planned = repo.sale_calls([(sale.id, sale.member_id) for _key, sale, *_rest in changes])
    for key, sale, card, first_class, line in changes:
        repo.set_sale_dates(sale.id, card, first_class)
        plan = rules.sale_plan(sale.sale_date, card, first_class, svc.policy, opening)
        current = {c.kind: c for c in planned.get(sale.id, [])}
        for call in plan.calls:
            rec = current.get(call.kind)
            if rec is None:
                repo.add_call(svc.call_row(call.kind, sale.member_id, sale.agent_id or line.agent_id, call, now, sale_id=sale.id))
            elif rec.status == CALL_OPEN and rec.reschedules == 0 and not rec.outcome:
                repo.move_call(rec.id, window_start=call.window_start, due=call.due, note=call.note)
        replanned.add(key)
    return replanned
