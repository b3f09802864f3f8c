"""Subcommands of the attendance area (interfaces.md): attendance, imports, printouts."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from csdesk import i18n
from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table, written
from csdesk.errors import ValidationError
from csdesk.i18n import _

# Import kinds of this area: kind -> "context_attribute.method".
IMPORTERS: dict[str, str] = {
    "punches": "attendance.import_punches",
    "leave": "attendance.import_leave",
}


def _month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` for argparse: a bad month is a usage error (exit 2)."""
    from csdesk.services.imports.reader import parse_month

    try:
        return parse_month(text, "month")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from exc


def cmd_attendance(args: argparse.Namespace) -> int:
    ctx = context(args)
    actor = command_actor(ctx, args)
    year, month = args.month
    if args.json:
        emit_json(ctx.attendance.attendance_json(actor, year, month, args.team, args.agent))
        return EXIT_OK
    tm = ctx.attendance.team_month(actor, year, month, args.team, args.agent)
    print(_("Attendance {month}").format(month=i18n.format_month(year, month)))
    print_table(
        [_("Employee no."), _("Name"), _("Late"), _("Early leave"), _("Absences"), _("Missed punches"), _("Leave days"), _("Deduction"), _("Bonus")],
        [
            (a.employee_no, a.name, a.late, a.early, a.absent, a.missed, i18n.format_number(a.leave_days),
             i18n.format_number(a.deduction_cny), i18n.format_number(a.full_attendance_bonus_cny))
            for a in tm.agents
        ],
    )
    return EXIT_OK


def cmd_print_leave(args: argparse.Namespace) -> int:
    ctx = context(args)
    i18n.install(args.lang)
    ctx.attendance.print_leave(command_actor(ctx, args), args.id, Path(args.out))
    return written(args)


def cmd_print_missed_punch(args: argparse.Namespace) -> int:
    ctx = context(args)
    i18n.install(args.lang)
    ctx.attendance.print_correction_by_id(command_actor(ctx, args), args.id, Path(args.out))
    return written(args)


def cmd_print_swap(args: argparse.Namespace) -> int:
    ctx = context(args)
    i18n.install(args.lang)
    ctx.attendance.print_swap_by_id(command_actor(ctx, args), args.id, Path(args.out))
    return written(args)


def cmd_print_attendance(args: argparse.Namespace) -> int:
    ctx = context(args)
    i18n.install(args.lang)
    year, month = args.month
    ctx.attendance.print_month(command_actor(ctx, args), year, month, args.team, Path(args.out))
    return written(args)


def _form_parser(
    print_sub: argparse._SubParsersAction, name: str, help_text: str, func: Callable[[argparse.Namespace], int]
) -> None:
    """``print NAME ID --lang L --out FILE.pdf``: one stored request's form."""
    form = print_sub.add_parser(name, help=help_text)
    form.add_argument("id", type=int)
    form.add_argument("--lang", dest="lang", choices=i18n.LANGUAGES, required=True)
    form.add_argument("--out", required=True)
    form.set_defaults(func=func)


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands and ``print`` documents."""
    att = sub.add_parser("attendance", help=_("the month's attendance: per-day status, counts, money"))
    att.add_argument("--month", required=True, type=_month, help="YYYY-MM")
    att.add_argument("--agent", help=_("one agent's employee number"))
    att.add_argument("--team")
    att.set_defaults(func=cmd_attendance)

    _form_parser(print_sub, "leave", _("leave form to sign"), cmd_print_leave)
    _form_parser(print_sub, "missed-punch", _("missed-punch correction form to sign"), cmd_print_missed_punch)
    _form_parser(print_sub, "swap", _("shift-swap form to sign"), cmd_print_swap)

    month = print_sub.add_parser("attendance", help=_("monthly attendance summary"))
    month.add_argument("--month", required=True, type=_month, help="YYYY-MM")
    month.add_argument("--team")
    month.add_argument("--lang", dest="lang", choices=i18n.LANGUAGES, required=True)
    month.add_argument("--out", required=True)
    month.set_defaults(func=cmd_print_attendance)
