"""Subcommands of the handover area (interfaces.md): ``handover list`` and ``print handover``.

``csdesk handover list [--from D] [--to D] [--team T] [--json]`` — entries, newest first,
with the items each lists. JSON keys (stable): id, written_at, shift, team, authors,
acknowledged_by, acknowledged_at, summary, open_items [{id, subject, pending, owner, due,
priority, status, shifts}]. People are employee numbers; times ``YYYY-MM-DD HH:MM``;
``status`` is open, overdue or closed; ``shifts`` the handover ids the item passed through.

``csdesk print handover ID --lang L --out FILE.pdf`` — the handover form to sign;
``csdesk print work-digest --week D [--team T] --lang L --out FILE.pdf`` — the weekly
work-record digest for the Monday meeting.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csdesk import i18n
from csdesk.errors import ValidationError
from csdesk.i18n import N_, _

if TYPE_CHECKING:
    from csdesk.models.domain_handover import HandoverDetail

# Import kinds of this area: kind -> "context_attribute.method".
IMPORTERS: dict[str, str] = {}


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("'{value}' is not a date (YYYY-MM-DD)").format(value=value)) from exc


def _stamp(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value else None


def entry_json(d: HandoverDetail) -> dict[str, Any]:
    """One entry in the stable JSON shape of ``handover list``."""
    return {
        "id": d.id,
        "written_at": _stamp(d.written_at),
        "shift": d.shift,
        "team": d.team,
        "authors": [a.employee_no for a in d.authors],
        "acknowledged_by": d.acknowledged_by.employee_no if d.acknowledged_by else None,
        "acknowledged_at": _stamp(d.acknowledged_at),
        "summary": d.summary,
        "open_items": [
            {"id": i.id, "subject": i.subject, "pending": i.pending, "owner": i.owner.employee_no if i.owner else None,
             "due": _stamp(i.due), "priority": i.priority, "status": i.status, "shifts": list(i.shifts)}
            for i in d.items
        ],
    }


def cmd_list(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table

    ctx = context(args)
    actor = command_actor(ctx, args)
    if args.start and args.end and args.start > args.end:
        raise ValidationError(N_("--from must not be after --to"), field="from")
    entries = ctx.handover.export(actor, args.start, args.end, args.team)
    if args.json:
        emit_json({"from": args.start, "to": args.end, "entries": [entry_json(d) for d in entries]})
        return EXIT_OK
    rows = []
    for d in entries:
        still_open = [i for i in d.items if i.is_open]
        late = sum(1 for i in still_open if i.overdue)
        rows.append((d.id, i18n.format_datetime(d.written_at, "short"), d.shift, d.team or "",
                     ", ".join(a.name for a in d.authors), d.acknowledged_by.name if d.acknowledged_by else _("not yet"),
                     f"{len(still_open)}" + (" (" + _("{n} overdue").format(n=late) + ")" if late else ""),
                     d.summary[:40]))
    print_table([_("No."), _("Handed over at"), _("Shift"), _("Team"), _("Outgoing"), _("Acknowledged by"),
                 _("Open items"), _("Summary")], rows)
    return EXIT_OK


def cmd_print_handover(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context

    ctx = context(args)
    actor = command_actor(ctx, args)
    ctx.handover.print_handover(actor, args.id, Path(args.out))
    print(_("Written {path}").format(path=args.out))
    return EXIT_OK


def cmd_print_digest(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context

    ctx = context(args)
    actor = command_actor(ctx, args)
    ctx.handover.print_work_digest(actor, args.week, Path(args.out), args.team)
    print(_("Written {path}").format(path=args.out))
    return EXIT_OK


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands and print documents."""
    handover = sub.add_parser("handover", help=_("the shift-handover log"))
    actions = handover.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=_("handover entries with their open items"))
    listing.add_argument("--from", dest="start", type=_day, help=_("first day (YYYY-MM-DD)"))
    listing.add_argument("--to", dest="end", type=_day, help=_("last day (YYYY-MM-DD)"))
    listing.add_argument("--team", help=_("only this team"))
    listing.set_defaults(func=cmd_list)

    form = print_sub.add_parser("handover", help=_("the handover form to sign"))
    form.add_argument("id", type=int)
    form.add_argument("--out", required=True, help=_("PDF file to write"))
    form.set_defaults(func=cmd_print_handover)

    digest = print_sub.add_parser("work-digest", help=_("the weekly work-record digest"))
    digest.add_argument("--week", type=_day, required=True, help=_("a day of the week (YYYY-MM-DD)"))
    digest.add_argument("--team", help=_("only this team"))
    digest.add_argument("--out", required=True, help=_("PDF file to write"))
    digest.set_defaults(func=cmd_print_digest)
