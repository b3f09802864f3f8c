"""Reading the append-only audit log in words, filtering it, exporting it, and checking its hash chain."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from csdesk.audit_labels import AREA_ACTIONS, AREAS, OTHER, AuditWords, actions_named, describe
from csdesk.errors import ValidationError
from csdesk.i18n import N_, _
from csdesk.models.audit_triggers import GAP, HASH_MISMATCH, PREV_MISMATCH, ChainBreak
from csdesk.models.domain import AuditEntry
from csdesk.records import record
from csdesk.services.base import Actor, Service, require
from csdesk.services.export_cells import neutralise
from csdesk.services.months import month_first, month_key, months_between

VIEW = "audit.view"

# What a person reads for each ChainBreak.problem.
PROBLEMS: dict[str, str] = {
    HASH_MISMATCH: N_("its contents do not match its hash: the entry was changed"),
    PREV_MISMATCH: N_("it does not point to the entry before it: the chain was altered"),
    GAP: N_("entries before it are missing: they were removed"),
}

PAGE_SIZE = 500  # entries the window shows at a time
_EXPORT_BATCH = 2000  # entries read per query while exporting


@record
class AuditVerification:
    """The result of checking the chain: how many entries, and the first broken one (None: intact)."""

    entries: int
    first_broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_broken is None


@record
class AuditFilter:
    """Which entries to show; None (or empty text) is "any"."""

    user: str | None = None  # the user name that acted, exactly
    area: str | None = None  # one of csdesk.audit_labels.AREAS
    month: str | None = None  # "YYYY-MM", by the entry's time
    text: str | None = None  # in the user name, the action (code or words), the record or the details


@record
class AuditLine:
    """One entry with its words (in the language current when it was read)."""

    id: int
    at: datetime
    username: str
    action: str  # the code, e.g. "leave.approve"
    entity: str
    entity_id: str
    details: dict[str, Any]
    words: AuditWords

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditLine:
        e = entry
        return cls(e.id, e.at, e.username, e.action, e.entity, e.entity_id, e.details, describe(e))

    def as_dict(self) -> dict[str, Any]:
        """For ``--json``: the stored fields and the words, keys in English."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.username,
            "area": self.words.area,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "details": self.details,
            "area_text": self.words.area_text,
            "action_text": self.words.action_text,
            "record_text": self.words.record_text,
            "details_text": list(self.words.details),
        }


@record
class AuditListing:
    """One page of the filtered log, newest first, and how many entries match in all."""

    lines: tuple[AuditLine, ...]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.lines)

    @property
    def last_id(self) -> int | None:
        """The oldest entry shown: the next page starts below it."""
        return self.lines[-1].id if self.lines else None


class AuditService(Service):
    def recent(self, actor: Actor, limit: int = 500, entity: str | None = None) -> list[AuditEntry]:
        require(actor, VIEW)
        with self._uow() as uow:
            return uow.audit.recent(limit, entity)

    # --- the filtered view ----------------------------------------------------------------

    def search(
        self, actor: Actor, where: AuditFilter = AuditFilter(), *, limit: int = PAGE_SIZE, before_id: int | None = None
    ) -> AuditListing:
        """Entries matching ``where``, newest first, at most ``limit``; ``before_id``: the page
        after the one whose oldest entry had that id. ``total`` counts every match (all pages)."""
        require(actor, VIEW)
        filters = self._filters(where)
        with self._uow() as uow:
            entries = uow.audit.search(limit=max(limit, 0), before_id=before_id, **filters)
            total = uow.audit.count_matching(**filters)
        return AuditListing(tuple(AuditLine.of(e) for e in entries), total)

    def iter_lines(self, actor: Actor, where: AuditFilter = AuditFilter()) -> Iterator[AuditLine]:
        """Every matching entry, newest first, read a batch at a time (an export of 100,000 entries
        never holds them all). The caller is checked now, not when the first line is read."""
        require(actor, VIEW)
        return self._lines(where)

    def _lines(self, where: AuditFilter) -> Iterator[AuditLine]:
        filters = self._filters(where)
        before: int | None = None
        while True:
            with self._uow() as uow:
                batch = uow.audit.search(limit=_EXPORT_BATCH, before_id=before, **filters)
            yield from (AuditLine.of(e) for e in batch)
            if len(batch) < _EXPORT_BATCH:
                return
            before = batch[-1].id

    def people(self, actor: Actor) -> list[str]:
        """The user names that appear in the log (for the "who" filter)."""
        require(actor, VIEW)
        with self._uow() as uow:
            return uow.audit.usernames()

    def months(self, actor: Actor) -> list[str]:
        """The months from the newest entry's back to the oldest's, newest first ("YYYY-MM")."""
        require(actor, VIEW)
        with self._uow() as uow:
            span = uow.audit.span()
        if span is None:
            return []
        return months_between(span[0].date(), span[1].date())[::-1]

    @staticmethod
    def _filters(where: AuditFilter) -> dict[str, Any]:
        """The repository's filters for ``where`` (an unknown area or a bad month is refused)."""
        filters: dict[str, Any] = {}
        if where.user:
            filters["username"] = where.user
        if where.area:
            if where.area not in AREAS:
                raise ValidationError(
                    N_("{field}: '{value}' is not one of {choices}"),
                    field="area", value=where.area, choices=", ".join(AREAS),
                )  # fmt: skip
            if where.area == OTHER:
                filters["exclude_actions"] = [p for patterns in AREA_ACTIONS.values() for p in patterns]
            else:
                filters["actions"] = list(AREA_ACTIONS[where.area])
        if where.month:
            first = month_first(month_key(where.month))
            filters["start"] = datetime.combine(first, datetime.min.time())
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            filters["end"] = datetime.combine(following, datetime.min.time())
        text = (where.text or "").strip()
        if text:
            filters["text"] = text
            filters["text_actions"] = actions_named(text)
        return filters

    # --- export -----------------------------------------------------------------------------

    def export_xlsx(self, actor: Actor, where: AuditFilter, out: Path | BinaryIO) -> int:
        """Every entry of the filtered view to an XLSX workbook in words; returns how many."""
        require(actor, VIEW)
        self._filters(where)  # a bad filter is refused before the file is touched
        return write_xlsx(self.iter_lines(actor, where), out)

    # --- the chain ----------------------------------------------------------------------------

    def verify(self, actor: Actor) -> AuditVerification:
        """Check every entry's hash and link, in id order, in one read transaction."""
        require(actor, VIEW)
        with self._uow() as uow:
            entries, broken = uow.audit.check()
        return AuditVerification(entries, broken)


# --- the XLSX workbook ------------------------------------------------------------------------

XLSX_HEADERS = (N_("When"), N_("Who"), N_("Area"), N_("What"), N_("Details"))
XLSX_WIDTHS = (19, 18, 20, 55, 100)


def _text(value: str) -> object:
    """A text cell: no formula (export_cells), and no control character openpyxl refuses."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def write_xlsx(lines: Iterable[AuditLine], out: Path | BinaryIO, progress: Callable[[int], None] | None = None) -> int:
    """One sheet: a bold, frozen header row in the current language, then one row per entry,
    the time as a date-time cell and every text passed through the cell neutraliser."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)  # streamed: 100,000 rows without 100,000 cell objects
    ws = wb.create_sheet(_("Audit log")[:31])
    ws.freeze_panes = "A2"
    for n, width in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    bold = Font(bold=True)
    header = []
    for title in XLSX_HEADERS:
        cell = WriteOnlyCell(ws, value=_text(_(title)))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for line in lines:
        when = WriteOnlyCell(ws, value=line.at)
        when.number_format = "yyyy-mm-dd hh:mm:ss"
        w = line.words
        ws.append([when, _text(line.username), _text(w.area_text), _text(w.what), _text(w.details_text)])
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    wb.save(out)
    return count
