"""Subcommands for backups (interfaces.md): ``csdesk backup [--out FILE]`` and ``csdesk restore FILE``.

``backup`` writes a consistent copy of the SQLite database, also while the GUI runs
(default: ``backups/csdesk-YYYYMMDD-HHMMSS.db`` in the user data folder). JSON keys
(stable): path, bytes, tables {table: rows}.

``restore`` replaces the data with a backup after a safety copy of the current data (a damaged
database file is kept as it was instead: damaged_copy, and safety_copy is null).
JSON keys (stable): restored, database, safety_copy, damaged_copy, migrated, tables {table: rows}.
Both exit 1 when the file or the database is refused (nothing changed), 2 on usage errors.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from csdesk import i18n
from csdesk.i18n import _

# Import kinds of this area: kind -> "context_attribute.method".
IMPORTERS: dict[str, str] = {}


def cmd_backup(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table

    ctx = context(args)
    actor = command_actor(ctx, args)
    result = ctx.backup.backup(actor, Path(args.out) if args.out else None)
    if args.json:
        emit_json({"path": str(result.path), "bytes": result.bytes, "tables": result.tables})
        return EXIT_OK
    print(_("Backup written: {path} ({size})").format(path=result.path, size=i18n.format_megabytes(result.bytes)))
    print_table([_("Table"), _("Rows")], _table_rows(result.tables))
    return EXIT_OK


def _table_rows(tables: dict[str, int]) -> list[tuple[str, str]]:
    from csdesk.services.backup_files import TABLE_NAMES

    return [(_(TABLE_NAMES.get(name, name)), i18n.format_number(rows)) for name, rows in tables.items()]


def cmd_restore(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, error, print_table
    from csdesk.context import build_context
    from csdesk.errors import DatabaseUnreadable
    from csdesk.services.base import SYSTEM

    try:
        ctx = context(args)
        actor = command_actor(ctx, args)
    except DatabaseUnreadable as exc:
        # The one moment a restore is needed most: nobody can sign in to a database SQLite cannot
        # read (its accounts are in it), so whoever may write the file restores over it, as the
        # system; the damaged file is kept as it is and the restored log records the restore.
        error(exc.message())
        error(_("The database cannot be read, so nobody can sign in to it: the backup is restored as the system account."))
        ctx, actor = build_context(args.db, args.policy, unreadable=True), SYSTEM
    result = ctx.backup.restore(actor, Path(args.file))
    if args.json:
        emit_json({
            "restored": str(result.source), "database": str(result.database),
            "safety_copy": str(result.safety_copy) if result.safety_copy else None,
            "damaged_copy": str(result.damaged_copy) if result.damaged_copy else None,
            "migrated": result.migrated, "tables": result.tables,
        })
        return EXIT_OK
    print(_("Restored {file} into {database}.").format(file=result.source, database=result.database))
    if result.safety_copy is not None:
        print(_("Safety copy of the previous data: {path}").format(path=result.safety_copy))
    if result.damaged_copy is not None:
        print(_("The database was damaged, so no safety copy could be made; the damaged file was kept as it was: {path}").format(
            path=result.damaged_copy
        ))
    if result.migrated:
        print(_("The backup came from an older version of csdesk; its data was brought up to date."))
    print_table([_("Table"), _("Rows")], _table_rows(result.tables))
    return EXIT_OK


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup`` and ``restore``."""
    backup = sub.add_parser("backup", help=_("a consistent copy of the database, also while csdesk runs"))
    backup.add_argument(
        "--out", metavar="FILE", help=_("the backup file or folder (default: the backups folder in the user data folder)")
    )
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help=_("replace the data with a backup (a safety copy of the current data is made first)"))
    restore.add_argument("file", help=_("the backup file to restore"))
    restore.set_defaults(func=cmd_restore)
