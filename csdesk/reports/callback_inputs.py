"""Frozen inputs of the callback reports; the service fills them, the renderers only draw.

Kept apart from the renderers so the service can build them without loading
ReportLab. Text fields hold what is printed (phones already masked for the
reader's role, script points already translated); codes stay codes.
"""

from __future__ import annotations

from datetime import date, datetime

from csdesk.records import record


@record
class BirthdayLine:
    member: str
    birthday: date
    call_date: date
    age: int
    phone: str
    agent: str
    agent_name: str


@record
class BirthdayListInput:
    """The birthday calls of ``month`` (its first day), VIP and normal customers apart."""

    month: date
    vip: tuple[BirthdayLine, ...]
    normal: tuple[BirthdayLine, ...]
    printed_at: datetime
    site: str = ""  # the site's name and logo file, heading every page
    logo: str = ""


@record
class CallSheetLine:
    kind: str
    retry_of: str
    attempt: int
    note: str
    member: str
    phone: str
    tier: str
    vip: bool
    window_start: datetime
    due: datetime
    status: str
    outcome: str | None
    script: tuple[str, ...]


@record
class CallSheetInput:
    """One agent's calls of one day, with the script points and the day's quota."""

    day: date
    agent: str
    agent_name: str
    effective: int
    target: int
    home_visit: bool
    lines: tuple[CallSheetLine, ...]
    printed_at: datetime
    site: str = ""  # the site's name and logo file, heading every page
    logo: str = ""


@record
class PerformanceRow:
    """Promised calls of one agent and kind in the month, by how they went."""

    agent: str
    agent_name: str
    kind: str
    planned: int
    on_time: int
    late: int
    missed: int
    pending: int
    reached: int

    @property
    def on_time_rate(self) -> float | None:
        finished = self.on_time + self.late + self.missed
        return self.on_time / finished if finished else None


@record
class PerformanceInput:
    month: date
    rows: tuple[PerformanceRow, ...]  # per agent and kind
    by_agent: tuple[PerformanceRow, ...]  # kind == ""
    by_kind: tuple[PerformanceRow, ...]  # agent == ""
    total: PerformanceRow
    printed_at: datetime
    site: str = ""  # the site's name and logo file, heading every page
    logo: str = ""
