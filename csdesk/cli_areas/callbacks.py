"""Subcommands of the callbacks area (interfaces.md).

* ``csdesk import sales FILE`` — new members from sales, with their service-call plans;
* ``csdesk callbacks [--date D] [--agent NO] [--overdue] [--export FILE]`` — the agenda;
* ``csdesk print birthdays --month M --lang L --out FILE.pdf`` — the birthday calls of
  month M (print it in the last week of the month before: "next month's list");
* ``csdesk print call-sheet --date D --agent NO …`` and
  ``csdesk print callback-performance --month M …`` — the day's call sheet and the
  monthly performance report.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from csdesk import i18n
from csdesk.i18n import _, format_iso_date

# Import kinds of this area: kind -> "context_attribute.method".
IMPORTERS: dict[str, str] = {"sales": "callbacks.import_sales"}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a date (YYYY-MM-DD)").format(value=text)) from None


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a month (YYYY-MM)").format(value=text)) from None


def _print_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of the document (default: LANG)"))
    parser.add_argument("--out", required=True, help=_("the PDF file to write"))


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg, unused-ignore]
    """Add this area's subcommands and print documents."""
    agenda = sub.add_parser("callbacks", help=_("the callback agenda"))
    agenda.add_argument("--date", type=_date, help=_("the day (default: today)"))
    agenda.add_argument("--agent", metavar="NO", help=_("one agent's calls (employee number)"))
    agenda.add_argument("--overdue", action="store_true", help=_("only overdue calls"))
    agenda.add_argument("--export", metavar="FILE", help=_("also write the agenda to FILE (.ics or .xlsx)"))
    agenda.set_defaults(func=cmd_callbacks)

    birthdays = print_sub.add_parser("birthdays", help=_("the birthday-call list of a month, VIP apart"))
    birthdays.add_argument("--month", type=_month, help=_("the month of the birthdays (default: next month)"))
    _print_options(birthdays)
    birthdays.set_defaults(func=cmd_print_birthdays)

    sheet = print_sub.add_parser("call-sheet", help=_("an agent's call sheet for a day"))
    sheet.add_argument("--date", type=_date, help=_("the day (default: today)"))
    sheet.add_argument("--agent", metavar="NO", required=True)
    _print_options(sheet)
    sheet.set_defaults(func=cmd_print_call_sheet)

    perf = print_sub.add_parser("callback-performance", help=_("monthly callback performance: on time, late, missed"))
    perf.add_argument("--month", type=_month, required=True)
    _print_options(perf)
    perf.set_defaults(func=cmd_print_performance)


def cmd_callbacks(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table
    from csdesk.labels import CALLBACK_KIND_NAMES, OUTCOME_NAMES, name_of
    from csdesk.callback_labels import STATUS_NAMES

    ctx = context(args)
    actor = command_actor(ctx, args)
    agenda = ctx.callbacks.agenda(actor, args.date, args.agent, overdue_only=args.overdue)
    if args.export:
        ctx.callbacks.export_agenda(actor, agenda, Path(args.export))
    if args.json:
        emit_json({
            "date": agenda.day.isoformat(),
            "calls": [
                {"id": c.id, "kind": c.kind, "member": c.member, "agent": c.agent, "due": c.due.date().isoformat(),
                 "window_start": c.window_start.isoformat(timespec="minutes"), "status": c.status, "outcome": c.outcome}
                for c in agenda.calls
            ],
        })
        return EXIT_OK
    print(_("Callbacks of {day}: {due} due, {overdue} overdue, {done} done").format(
        day=format_iso_date(agenda.day), due=agenda.count("due"), overdue=agenda.count("overdue"), done=agenda.count("done")))
    print_table(
        [_("ID"), _("Kind"), _("Member"), _("Phone"), _("Agent"), _("Window opens"), _("Due"), _("Status"), _("Outcome")],
        [
            (c.id, name_of(CALLBACK_KIND_NAMES, c.retry_of or c.kind) + (f" #{c.attempt}" if c.attempt else ""),
             c.member, c.phone, c.agent or "", c.window_start.strftime("%Y-%m-%d %H:%M"), format_iso_date(c.due.date()),
             _(STATUS_NAMES[c.status]), name_of(OUTCOME_NAMES, c.outcome) if c.outcome else "")
            for c in agenda.calls
        ],
    )
    if agenda.agent is not None and agenda.quotas:
        q = agenda.quotas[0]
        print(_("Quota: {effective} of {target} effective outgoing calls").format(effective=q.effective, target=q.target))
    return EXIT_OK


def cmd_print_birthdays(args: argparse.Namespace) -> int:
    from csdesk.cli import command_actor, context, written
    from csdesk.rules.callbacks import next_month

    ctx = context(args)
    actor = command_actor(ctx, args)
    month = args.month or next_month(ctx.callbacks.today())
    data = ctx.callbacks.print_birthday_list(actor, month, Path(args.out))
    return written(args, {"month": month.strftime("%Y-%m"), "vip": len(data.vip), "normal": len(data.normal)})


def cmd_print_call_sheet(args: argparse.Namespace) -> int:
    from csdesk.cli import command_actor, context, written

    ctx = context(args)
    actor = command_actor(ctx, args)
    day = args.date or ctx.callbacks.today()
    data = ctx.callbacks.print_call_sheet(actor, day, args.agent, Path(args.out))
    return written(args, {"date": day.isoformat(), "agent": data.agent, "calls": len(data.lines)})


def cmd_print_performance(args: argparse.Namespace) -> int:
    from csdesk.cli import command_actor, context, written

    ctx = context(args)
    actor = command_actor(ctx, args)
    data = ctx.callbacks.print_performance(actor, args.month, Path(args.out))
    return written(args, {"month": args.month.strftime("%Y-%m"), "planned": data.total.planned})
