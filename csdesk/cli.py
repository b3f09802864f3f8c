"""The ``csdesk`` command line: argument parsing and output only; the services do the work.

Exit codes (interfaces.md): 0 success, 1 input rejected in whole, 2 usage error,
3 partial import. Errors go to stderr, one line each.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import importlib
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from csdesk import gc_tuning, i18n
from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from csdesk.services.base import Actor

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

# Each area adds its subcommands: ``register(sub, print_sub)`` and an ``IMPORTERS`` mapping.
AREA_MODULES: tuple[str, ...] = (
    "csdesk.cli_areas.attendance",
    "csdesk.cli_areas.scorecards",
    "csdesk.cli_areas.handover",
    "csdesk.cli_areas.callbacks",
    "csdesk.cli_areas.qa",
    "csdesk.cli_areas.backup",
    "csdesk.cli_areas.whatif",
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], out: Any = None) -> None:
    """A plain text table that lines up Chinese (double-width) and Latin text."""
    out = out or sys.stdout
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)


def _json_default(value: Any) -> Any:
    """One level of what JSON cannot hold as it is: a dataclass as a dict of its fields, a time
    as ``HH:MM``, a date as ISO text. The encoder asks for these alone (:func:`emit_json`: a
    document is not walked twice, once to convert it and once to write it)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _jsonable(value: Any) -> Any:
    """``value`` as plain JSON data all the way down (:func:`_json_default` at every level)."""
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    try:
        plain = _json_default(value)
    except TypeError:
        return value  # JSON holds it as it is (numbers, text, None)
    return _jsonable(plain) if isinstance(plain, dict) else plain


def emit_json(doc: Any) -> None:
    """One JSON document: indented for a person at a terminal, compact for a script (the standard
    library's C encoder writes only compact JSON: a 2,000-agent month 0.15 s -> 0.02 s)."""
    pretty = sys.stdout.isatty()
    text = json.dumps(doc, default=_json_default, ensure_ascii=False, indent=2 if pretty else None)
    sys.stdout.write(text + "\n")
    gc_tuning.keep_until_exit(doc)


def written(args: argparse.Namespace, doc: Mapping[str, object] | None = None) -> int:
    """What a print command says once its PDF is written: ``{"file": …}`` (and ``doc``'s keys)
    with ``--json``, else a line naming the file."""
    if args.json:
        emit_json({"file": args.out, **(doc or {})})
    else:
        print(_("Written: {path}").format(path=args.out))
    return EXIT_OK


def error(message: str) -> None:
    print(message, file=sys.stderr)


class UsageProblem(CsdeskError):
    """The command lacks something it needs that argparse cannot see (exit 2, a usage error)."""


def command_actor(ctx: Any, args: argparse.Namespace) -> Actor:
    """Who runs this command (interfaces.md, "Who did it"): ``--user`` (else ``CSDESK_USER``),
    signed in through the GUI's own :meth:`AuthService.login` (lockout, audited failures) with the
    password from ``CSDESK_PASSWORD``, else asked on the terminal. With ``security.cli_password =
    false``, or before the database has any account, nobody signs in and stderr says whom the
    command acts as."""
    from csdesk.labels import ROLE_NAMES

    auth = ctx.auth
    name = getattr(args, "user", None) or os.environ.get("CSDESK_USER") or None
    if auth.command_line_signs_in():
        if not name:
            raise UsageProblem(
                N_("Sign in with --user NAME (or CSDESK_USER); the password comes from CSDESK_PASSWORD or is asked on the terminal.")
            )
        actor: Actor = auth.login(name, _password(name), record=False)
        return actor
    actor = auth.resolve_actor(name)
    error(_("csdesk: acting as {user} ({role})").format(user=actor.username, role=_(ROLE_NAMES.get(actor.role, actor.role))))
    return actor


def _password(name: str) -> str:
    """``CSDESK_PASSWORD`` for scripts, else asked without echo at a terminal."""
    given = os.environ.get("CSDESK_PASSWORD")
    if given is not None:
        return given
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageProblem(N_("No password for {user}: set CSDESK_PASSWORD or run the command at a terminal."), user=name)
    try:
        return getpass.getpass(_("Password for {user}: ").format(user=name))
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise UsageProblem(N_("No password given.")) from None


# --- commands -----------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from csdesk.services.demo import DemoResult

    ctx = context(args)
    if args.if_empty and ctx.auth.has_accounts():
        # A database with sign-in accounts is not empty: nothing will be written, so nobody need
        # sign in (`./run` asks for this at every start).
        result = DemoResult(skipped=True)
    else:
        result = ctx.demo.build(
            command_actor(ctx, args), agents=args.agents, months=args.months, seed=args.seed, if_empty=args.if_empty
        )
    if args.json:
        emit_json(result)
        return EXIT_OK
    if result.skipped:
        print(_("The database already holds data; no demo added: {url}").format(url=ctx.db_url))
        return EXIT_OK
    print(_("Demo department created in {url}").format(url=ctx.db_url))
    print(
        _("{teams} teams, {people} people, {days} roster days, {punches} punches").format(
            teams=result.teams, people=result.people, days=result.roster_days, punches=result.punches
        )
    )
    print(_("Demo logins (user / password / role):"))
    print_table([_("User"), _("Password"), _("Role")], [(d.username, d.password, d.role) for d in result.logins])
    return EXIT_OK


# Import kinds: the service method on the context that reads each file (interfaces.md).
IMPORTERS: dict[str, str] = {
    "people": "people.import_file",
    "roster": "roster.import_file",
}


def cmd_import(args: argparse.Namespace) -> int:
    ctx = context(args)
    actor = command_actor(ctx, args)
    service_name, method = IMPORTERS[args.kind].split(".")
    importer: Callable[..., Any] = getattr(getattr(ctx, service_name), method)
    options: dict[str, Any] = {}
    if args.date_order:
        from csdesk.services.import_preview import DATED_KINDS

        if args.kind not in DATED_KINDS:
            raise UsageProblem(
                N_("--date-order is for the files that hold dates: {kinds}."), kinds=", ".join(sorted(DATED_KINDS))
            )
        options["date_order"] = args.date_order
    report = importer(actor, Path(args.file), **options)  # refused whole: main's _refused says so
    for p in report.problems:
        error(f"{args.file}:{p.row}: {p.field}: {p.message}")
    if args.json:
        emit_json(report.as_dict())
    else:
        for note in report.notes:
            print(note)
        print(
            ngettext(
                "{kind}: {rows} row, {written} new, {updated} updated, {duplicates} duplicates, {rejected} rejected",
                "{kind}: {rows} rows, {written} new, {updated} updated, {duplicates} duplicates, {rejected} rejected",
                report.rows,
            ).format(
                kind=args.kind, rows=report.rows, written=report.written, updated=report.updated,
                duplicates=report.duplicates, rejected=len(report.problems),
            )
        )
    return report.exit_code


def cmd_policy(args: argparse.Namespace) -> int:
    if args.action == "check":
        from csdesk.services.policy_service import check_file

        policy = check_file(Path(args.file))
        if args.json:
            emit_json({"file": args.file, "valid": True, "problems": []})
        else:
            print(_("{file}: valid ({events} event codes, {shifts} shifts, {leave} leave types)").format(
                file=args.file, events=len(policy.events), shifts=len(policy.shifts), leave=len(policy.leave.types)))
        return EXIT_OK
    if args.action == "apply":
        return _apply_policy(args)
    from csdesk.models.db import default_data_dir
    from csdesk.services.policy_service import load_in_force, site_policy_path

    loaded = load_in_force(site_policy_path(args.policy, default_data_dir()))
    if loaded.error:
        error(loaded.error.message())
        error(_("Using the shipped default policy instead."))
    doc = _jsonable(loaded.policy)
    if args.json:
        emit_json(doc)
    else:
        print(_("Policy in force: {source}").format(source=loaded.policy.source))
        for key, value in _flatten(doc):
            print(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return EXIT_OK


def _apply_policy(args: argparse.Namespace) -> int:
    """``policy apply FILE``: FILE's keys laid into the site policy file, audited; in force from
    the next start; a signed month keeps the numbers its lock stored."""
    ctx = context(args)
    applied = ctx.site_policy.apply(command_actor(ctx, args), Path(args.file))
    if args.json:
        emit_json({
            "file": str(applied.path),
            "changes": [{"key": c.key, "from": _jsonable(c.before), "to": _jsonable(c.after)} for c in applied.changes],
            "locked_months": list(applied.locked_months),
        })  # fmt: skip
        return EXIT_OK
    from csdesk.whatif_text import change_lines

    for line in change_lines(applied.changes):
        print(line)
    print(_("Written: {path}. The new policy is in force from the next start.").format(path=applied.path))
    if applied.locked_months:
        print(_("Signed-off months keep the numbers they were signed with: {months}").format(
            months=", ".join(applied.locked_months)))
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    """``audit verify``: check the audit log's hash chain (exit 1 naming the first broken entry);
    ``audit list`` / ``audit export``: the log in words, filtered."""
    from csdesk.services.audit import PROBLEMS, AuditFilter

    ctx = context(args)
    actor = command_actor(ctx, args)
    if args.action in ("list", "export"):
        where = AuditFilter(user=args.by, area=args.area, month=args.month, text=args.search)
        if args.action == "export":
            count = ctx.audit.export_xlsx(actor, where, Path(args.out))
            if args.json:
                emit_json({"file": args.out, "entries": count})
            else:
                print(i18n.ngettext("Written: {path} ({n} entry)", "Written: {path} ({n} entries)", count).format(
                    path=args.out, n=i18n.format_number(count)))
            return EXIT_OK
        listing = ctx.audit.search(actor, where, limit=args.limit)
        if args.json:
            emit_json({"total": listing.total, "entries": [line.as_dict() for line in listing.lines]})
            return EXIT_OK
        print_table(
            [_("When"), _("Who"), _("Area"), _("What"), _("Details")],
            [(i18n.format_datetime(line.at, "short"), line.username, line.words.area_text, line.words.what,
              line.words.details_text) for line in listing.lines],
        )  # fmt: skip
        if listing.more:
            print(_("The newest {shown} of {total} entries").format(
                shown=i18n.format_number(len(listing.lines)), total=i18n.format_number(listing.total)))
        return EXIT_OK
    result = ctx.audit.verify(actor)
    broken = result.first_broken
    if args.json:
        doc: dict[str, Any] = {"ok": result.ok, "entries": result.entries}
        if broken is not None:
            doc["first_broken"] = {"id": broken.id, "problem": broken.problem}
        emit_json(doc)
    elif broken is None:
        print(i18n.ngettext(
            "The audit log is intact: {entries} entry, chained from the start.",
            "The audit log is intact: {entries} entries, each chained to the one before.",
            result.entries,
        ).format(entries=i18n.format_number(result.entries)))
    else:
        error(_("The audit log is broken at entry {id} of {entries}: {problem}.").format(
            id=broken.id, entries=i18n.format_number(result.entries),
            problem=_(PROBLEMS.get(broken.problem, broken.problem))))
    return EXIT_OK if broken is None else EXIT_REJECTED


def _flatten(doc: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(doc, dict):
        out: list[tuple[str, Any]] = []
        for k, v in doc.items():
            out += _flatten(v, f"{prefix}.{k}" if prefix else k)
        return out
    if isinstance(doc, list) and doc and isinstance(doc[0], dict):
        out = []
        for i, v in enumerate(doc):
            out += _flatten(v, f"{prefix}[{i}]")
        return out
    return [(prefix, doc)]


def context(args: argparse.Namespace) -> Any:
    """The services for a command (also used by the area command modules)."""
    from csdesk.context import build_context

    ctx = build_context(args.db, args.policy)
    if ctx.policy_error is not None:
        error(ctx.policy_error.message())
        error(_("Using the shipped default policy instead."))
    return ctx


# --- parser -------------------------------------------------------------------------


def _global_options(parser: argparse.ArgumentParser, *, after_command: bool = False) -> None:
    """--db, --json, --lang, --user and --policy. After a subcommand they take no default (the
    value before the subcommand, or the top-level default, stands) and give way to a subcommand's
    own option of the same name (``print … --lang`` is the document's language)."""
    options: list[tuple[str, dict[str, Any]]] = [
        ("--db", {"help": _("database path or URL (default: CSDESK_DB, else the user data folder)")}),
        ("--json", {"action": "store_true", "help": _("print one JSON document on stdout")}),
        ("--lang", {"choices": i18n.LANGUAGES, "help": _("language of the output (default: LANG)")}),
        ("--user", {"help": _("who does it: signs in as this user (default: CSDESK_USER; password: CSDESK_PASSWORD, else asked)")}),
        ("--policy", {"help": _("site policy file (default: CSDESK_POLICY, else policy.toml in the data folder)")}),
    ]
    for flag, kwargs in options:
        if after_command:
            if flag in parser._option_string_actions:
                continue
            kwargs = {**kwargs, "default": argparse.SUPPRESS}
        parser.add_argument(flag, **kwargs)


def _accept_global_options_after_commands(parser: argparse.ArgumentParser) -> None:
    """``csdesk attendance --month M --json`` as well as ``csdesk --json attendance --month M``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases share a parser
                _global_options(child, after_command=True)
                _accept_global_options_after_commands(child)


def _audit_month(text: str) -> str:
    """``YYYY-MM`` for ``audit list/export --month``: a bad month is a usage error (exit 2)."""
    from csdesk.services.months import month_key

    try:
        return month_key(text)
    except CsdeskError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from exc


def _audit_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filters of ``audit list`` and ``audit export`` (``--user`` is who runs the command)."""
    from csdesk.audit_labels import AREAS

    parser.add_argument("--month", type=_audit_month, help=_("only entries of this month (YYYY-MM)"))
    parser.add_argument("--by", metavar="USER", help=_("only entries by this user name"))
    parser.add_argument("--area", choices=AREAS, help=_("only entries of this area"))
    parser.add_argument("--search", metavar="TEXT", help=_("only entries whose user, action, record or details contain TEXT"))


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors (exit 2) also print one JSON document on stdout when
    the command line asks for ``--json`` (issue 13: ``--json`` always prints one)."""

    json_on_error = False  # set by main() from the command line, before parsing

    def error(self, message: str) -> NoReturn:
        if _Parser.json_on_error:
            emit_json({"ok": False, "error": message, "usage": self.format_usage().strip()})
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="csdesk", description=_("csdesk: the customer-service supervisor's workstation."))
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help=_("fill the database with a demo department"))
    demo.add_argument("--agents", type=int, default=30)
    demo.add_argument("--months", type=int, default=3)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help=_("do nothing when the database already holds people"))
    demo.set_defaults(func=cmd_demo)

    imp = sub.add_parser("import", help=_("import a CSV or XLSX file"))
    for module in AREA_MODULES:
        IMPORTERS.update(getattr(importlib.import_module(module), "IMPORTERS", {}))
    imp.add_argument("kind", choices=sorted(IMPORTERS))
    imp.add_argument("file")
    imp.add_argument(
        "--date-order", choices=("dmy", "mdy"),
        help=_(
            "the day/month order of dates such as 02/11/2026 when the file cannot tell "
            "(dmy: day first, mdy: month first)"
        ),
    )
    imp.set_defaults(func=cmd_import)

    pol = sub.add_parser("policy", help=_("show the policy in force or check a site policy file"))
    pol_sub = pol.add_subparsers(dest="action", required=True)
    pol_sub.add_parser("show")
    check = pol_sub.add_parser("check")
    check.add_argument("file")
    apply = pol_sub.add_parser("apply", help=_("lay a file's keys into the site policy file (in force from the next start)"))
    apply.add_argument("file")
    pol.set_defaults(func=cmd_policy)

    aud = sub.add_parser("audit", help=_("list, export or check the audit log"))
    aud_sub = aud.add_subparsers(dest="action", required=True)
    aud_sub.add_parser("verify", help=_("check the audit log's hash chain and name the first broken entry"))
    listing = aud_sub.add_parser("list", help=_("the audit log in words, newest first"))
    _audit_filter_options(listing)
    listing.add_argument("--limit", type=int, default=100, help=_("at most this many entries (default: 100)"))
    export = aud_sub.add_parser("export", help=_("the audit log in words to an XLSX file"))
    _audit_filter_options(export)
    export.add_argument("--out", required=True, metavar="FILE.xlsx", help=_("the XLSX file to write"))
    aud.set_defaults(func=cmd_audit)

    printers = sub.add_parser("print", help=_("print a form or report to PDF"))
    print_sub = printers.add_subparsers(dest="document", required=True, metavar="DOCUMENT")
    for module in AREA_MODULES:
        importlib.import_module(module).register(sub, print_sub)

    gui = sub.add_parser("gui", help=_("start the desktop application (the default)"))
    gui.add_argument("--self-test", action="store_true", dest="self_test",
                     help=_("check this PC can run csdesk (a demo in a temporary folder: sign-in, every page, a printed sheet) and exit"))  # fmt: skip
    gui.set_defaults(func=None)
    _accept_global_options_after_commands(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    gc_tuning.tune()
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language must be known before the parser's help texts are built.
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    i18n.install(lang or i18n.language_from_env())
    user_lang = _user_language(argv)
    parser = build_parser()
    _Parser.json_on_error = "--json" in argv
    args = parser.parse_args(argv)
    gc_tuning.end_quiet_start()  # after the imports the parser needed (see run())
    if args.command in (None, "gui"):
        from csdesk.app import run_gui
        from csdesk.models.db import keep_last_memo
        from csdesk.services import fanout

        fanout.allow_fork(False)  # Qt's threads: never fork (see fanout.allow_fork)
        keep_last_memo(False)  # a window's months are let go of as it moves on (models/db.py)
        gc_tuning.keep_results(False)  # and nothing is kept for an exit that frees nothing

        return run_gui(db=args.db, policy_file=args.policy, check=getattr(args, "self_test", False))
    from csdesk.reports.glyph_notices import MissingGlyphs, missing_glyphs_told  # no ReportLab

    missing: list[MissingGlyphs] = []
    try:
        with missing_glyphs_told(missing.append):
            return int(args.func(args))
    except BrokenPipeError:  # `csdesk … | head`: the reader went away; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except UsageProblem as exc:
        return _refused(args, exc, EXIT_USAGE)
    except CsdeskError as exc:  # PolicyError too
        return _refused(args, exc, EXIT_REJECTED)
    finally:
        # A printed document whose font lacks some of its characters says so once (issue 14), on
        # stderr in the user's language (the exit code stays the command's).
        with i18n.in_language(user_lang):
            for report in missing:
                error(report.message())


# Global options that take a value (_global_options), to find the command word after them.
_VALUED_OPTIONS = ("--db", "--lang", "--user", "--policy")


def _user_language(argv: Sequence[str]) -> str:
    """The language of the person at the terminal: a global ``--lang`` before the command, else
    ``LC_ALL``/``LANG``. A ``print`` command's own ``--lang`` is its document's language; any other
    command's ``--lang`` is its output's, which is the user's choice as well."""
    before = True
    found: str | None = None
    command: str | None = None
    pending: str | None = None
    for arg in argv:
        if pending is not None:
            if pending == "--lang" and (before or command != "print"):
                found = arg
            pending = None
        elif arg in _VALUED_OPTIONS:
            pending = arg
        elif arg.startswith("--lang="):
            if before or command != "print":
                found = arg.split("=", 1)[1]
        elif before and not arg.startswith("-"):
            before, command = False, arg
    return i18n.normalize_language(found or i18n.language_from_env())


def run() -> None:
    """The process's entry point (``csdesk``, ``python -m csdesk``): :func:`main`, then the exit.

    A command that held a department's months in memory spent 0.15–0.6 s at exit freeing them
    object by object, which nobody waits for on purpose. So after a command (never after the
    GUI, whose Qt objects save their settings as they go) the process does what an exit must do
    (the output flushed, the exit handlers run: log handlers, temporary folders, child
    processes) and ends there. The database loses nothing: every write has committed, and SQLite
    keeps a commit through the end of its process, closed or not."""
    # The collector waits until the imports are done (main() ends it): before the first of them,
    # models.db's, which brings SQLAlchemy and the tables (with the collector on, 15-20 ms of
    # collections scanning what they build).
    gc_tuning.quiet_start()
    from csdesk.models.db import keep_last_memo
    from csdesk.services import fanout

    fanout.allow_fork()  # a command runs on one thread (the GUI turns it off again)
    keep_last_memo()  # the process ends with os._exit, below: nothing to free at its end
    gc_tuning.keep_results()  # nor a command's results (keep_until_exit)
    code = main()
    if "PySide6.QtWidgets" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, a stream already closed
            pass
    import atexit

    atexit._run_exitfuncs()
    os._exit(code)


def _refused(args: argparse.Namespace, exc: CsdeskError, code: int) -> int:
    """A refused command: one line on stderr, and with ``--json`` one JSON document on stdout
    (interfaces.md: ``{"ok": false, "error": …}`` with ``file`` and ``field`` where they apply)."""
    from csdesk.services.imports.refusal import refusal_dict

    error(exc.message())
    if getattr(args, "json", False):
        file = getattr(args, "file", None)
        emit_json(refusal_dict(exc, file if isinstance(file, str) else ""))
    return code


if __name__ == "__main__":
    run()
