"""Subcommands of the scorecards area (interfaces.md): scorecard, explain, month lock/reopen,
print evaluation, and the ratings/exams/events imports."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from csdesk import i18n
from csdesk.i18n import _, format_iso_date, format_money, format_number, format_signed, ngettext

# Import kinds of this area: kind -> "context_attribute.method".
IMPORTERS: dict[str, str] = {
    "ratings": "scorecards.import_ratings",
    "exams": "scorecards.import_exams",
    "events": "scorecards.import_events",
}


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: whole values as integers (72, not 72.0), others as decimals (67.5)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def card_json(card: Any) -> dict[str, Any]:
    """One agent of ``csdesk scorecard --json``, keys exactly as interfaces.md."""
    c = card.card
    return {
        "employee_no": card.employee_no,
        "name": card.name,
        "rated": number(c.rated),
        "bonus": number(c.bonus),
        "deduction": number(c.deduction),
        "adjustment": number(c.adjustment),
        "raw_total": number(c.raw_total),
        "total": number(c.total),
        "grade": c.grade,
        "pay_float_cny": number(c.pay_float_cny),
        "exam": number(c.exam),
        "rank": c.rank,
        "flags": list(card.flags),
    }


def cmd_scorecard(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table
    from csdesk.gc_tuning import keep_until_exit
    from csdesk.services.scorecard_explain import flag_label

    ctx = context(args)
    actor = command_actor(ctx, args)
    result = ctx.scorecards.month(actor, args.month, team=args.team, employee_no=args.agent)
    keep_until_exit(result)
    if args.json:
        emit_json({"month": result.month, "agents": [card_json(c) for c in result.cards]})
        return EXIT_OK
    currency = ctx.policy.meta.currency
    print(_("Scorecards {month}").format(month=result.month) + (_(" (locked)") if result.lock else ""))
    print_table(
        [_("Rank"), _("Employee no."), _("Name"), _("Team"), _("Rated"), _("Bonus"), _("Deduction"), _("Adjustment"),
         _("Raw total"), _("Total"), _("Grade"), _("Pay float"), _("Exam"), _("Flags")],
        [
            (c.rank or "", c.employee_no, c.name, c.agent.team or "", format_number(c.card.rated) if c.card.is_rated else _("not rated"),
             format_signed(c.card.bonus), format_signed(-c.card.deduction), format_signed(c.card.adjustment),
             format_number(c.card.raw_total), format_number(c.card.total), c.card.grade or "", format_money(c.card.pay_float_cny, currency),
             format_number(c.card.exam), "; ".join(flag_label(f) for f in c.flags))
            for c in result.cards
        ],
    )  # fmt: skip
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table
    from csdesk.services.scorecard_explain import part_label

    ctx = context(args)
    actor = command_actor(ctx, args)
    ex = ctx.scorecards.explain(actor, args.month, args.agent)
    c = ex.card.card
    if args.json:
        emit_json({
            "month": ex.card.month, "employee_no": ex.card.employee_no, "name": ex.card.name,
            "total": number(c.total), "grade": c.grade, "pay_float_cny": number(c.pay_float_cny),
            "lines": [
                {"part": line.part, "code": line.code, "points": number(line.points), "date": line.day,
                 "source": line.source, "by": line.who, "note": line.note, "rule": line.rule, "text": line.text}
                for line in ex.lines
            ],
        })  # fmt: skip
        return EXIT_OK
    if c.is_rated:
        print(_("{name} ({no}), {month}: total {total}, grade {grade}, pay float {pay}").format(
            name=ex.card.name, no=ex.card.employee_no, month=ex.card.month, total=format_number(c.total), grade=c.grade,
            pay=format_money(c.pay_float_cny, ctx.policy.meta.currency)))  # fmt: skip
    else:
        print(_("{name} ({no}), {month}: not rated (no total, grade, pay float or rank)").format(
            name=ex.card.name, no=ex.card.employee_no, month=ex.card.month))  # fmt: skip
    print_table(
        [_("Part"), _("What"), _("Date"), _("Source"), _("By"), _("Note"), _("Rule")],
        [(part_label(line.part), line.text, format_iso_date(line.day), line.source, line.who, line.note, line.rule) for line in ex.lines],
    )
    return EXIT_OK


LISTED_AT_MOST = 20


def _listed(employee_nos: list[str]) -> str:
    """The first employee numbers of a long list, and how many more (all of them in --json)."""
    shown = ", ".join(employee_nos[:LISTED_AT_MOST])
    rest = len(employee_nos) - LISTED_AT_MOST
    return shown + (" " + ngettext("and {n} more", "and {n} more", rest).format(n=rest) if rest > 0 else "")


def cmd_month(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table

    ctx = context(args)
    actor = command_actor(ctx, args)
    months = ctx.scorecards.months
    if args.action == "lock":
        result = months.lock_month(actor, args.month)
        lock, unrated = result.lock, result.details.get("not_rated", [])
        disputed = result.details.get("open_disputes", [])
        inspections = ctx.disputes.open_inspection_disputes(actor, lock.month)  # the Quality page's (issue 15)
        doc: dict[str, Any] = {
            "month": lock.month, "locked": True, "locked_by": lock.locked_by, "locked_at": lock.locked_at.isoformat(),
            "revision": lock.revision, "not_rated": unrated, "open_disputes": disputed,
            "open_inspection_disputes": [
                {"id": d.id, "inspection": d.inspection_id, "employee_no": d.employee_no, "contact": d.contact,
                 "date": d.inspected_on.isoformat()}
                for d in inspections
            ],
        }  # fmt: skip
        message = _("{month} is locked.").format(month=lock.month)
        if unrated:
            print(ngettext(
                "Warning: {n} agent is not rated and has no grade, pay float or rank this month: {agents}",
                "Warning: {n} agents are not rated and have no grade, pay float or rank this month: {agents}",
                len(unrated),
            ).format(n=len(unrated), agents=_listed(unrated)), file=sys.stderr)  # fmt: skip
        if disputed:
            print(ngettext(
                "Warning: {n} agent's dispute of this month is still open: {agents}",
                "Warning: {n} agents' disputes of this month are still open: {agents}",
                len(disputed),
            ).format(n=len(disputed), agents=_listed(disputed)), file=sys.stderr)  # fmt: skip
        if inspections:
            print(ngettext(
                "Warning: {n} dispute of an inspection of this month is still open: {inspections}",
                "Warning: {n} disputes of inspections of this month are still open: {inspections}",
                len(inspections),
            ).format(n=len(inspections), inspections=_listed([
                _("{no} (inspection {id})").format(no=d.employee_no, id=d.inspection_id) for d in inspections
            ])), file=sys.stderr)  # fmt: skip
    elif args.action == "reopen":
        months.reopen(actor, args.month, args.reason)
        doc = {"month": args.month, "locked": False}
        message = _("{month} is open again.").format(month=args.month)
    else:
        locks = months.locks()
        if args.json:
            emit_json({"locked": [{"month": m.month, "locked_by": m.locked_by, "locked_at": m.locked_at.isoformat()} for m in locks]})
        else:
            print_table([_("Month"), _("Locked by"), _("Locked at")], [(m.month, m.locked_by, m.locked_at.isoformat(" ")) for m in locks])
        return EXIT_OK
    if args.json:
        emit_json(doc)
    else:
        print(message)
    return EXIT_OK


def cmd_print_evaluation(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json

    ctx = context(args)
    actor = command_actor(ctx, args)
    lang = args.sheet_lang or args.lang or i18n.current_language()
    result = ctx.scorecards.print_evaluation(
        actor, args.month, Path(args.out), employee_no=args.agent, team=args.team, lang=lang
    )
    if args.json:
        emit_json({"file": str(result.path), "sheets": result.sheets, "lang": lang})
    else:
        written = ngettext("{count} evaluation sheet written to {file}", "{count} evaluation sheets written to {file}", result.sheets)
        print(written.format(count=result.sheets, file=result.path), file=sys.stdout)
    return EXIT_OK


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands and print documents."""
    card = sub.add_parser("scorecard", help=_("the month's scorecards and ranking"))
    card.add_argument("--month", required=True, help="YYYY-MM")
    card.add_argument("--agent", help=_("employee number"))
    card.add_argument("--team")
    card.set_defaults(func=cmd_scorecard)

    why = sub.add_parser("explain", help=_("every point and every yuan of an agent's month, traced to its rule and record"))
    why.add_argument("--month", required=True, help="YYYY-MM")
    why.add_argument("--agent", required=True, help=_("employee number"))
    why.set_defaults(func=cmd_explain)

    month = sub.add_parser("month", help=_("sign a month off (lock) or reopen it"))
    month_sub = month.add_subparsers(dest="action", required=True)
    lock = month_sub.add_parser("lock", help=_("lock the month: later changes are refused"))
    lock.add_argument("month", help="YYYY-MM")
    reopen = month_sub.add_parser("reopen", help=_("reopen a locked month (the reason is audited)"))
    reopen.add_argument("month", help="YYYY-MM")
    reopen.add_argument("--reason", required=True)
    month_sub.add_parser("list", help=_("the locked months"))
    month.set_defaults(func=cmd_month)

    sheet = print_sub.add_parser("evaluation", help=_("monthly evaluation sheets, one agent per page"))
    sheet.add_argument("--month", required=True, help="YYYY-MM")
    who = sheet.add_mutually_exclusive_group(required=True)
    who.add_argument("--agent", help=_("employee number"))
    who.add_argument("--team")
    who.add_argument("--all", action="store_true", help=_("every agent"))
    sheet.add_argument("--lang", dest="sheet_lang", choices=i18n.LANGUAGES, help=_("language of the sheets"))
    sheet.add_argument("--out", required=True, help="FILE.pdf")
    sheet.set_defaults(func=cmd_print_evaluation)
