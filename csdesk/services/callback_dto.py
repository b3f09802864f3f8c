"""What the callback service hands to the windows and the command line (frozen, no ORM rows).

Phone numbers in these records are already masked for the reader's role
(rules.md §12): a view never receives a number its user may not see.
"""

from __future__ import annotations

from datetime import date, datetime

from csdesk.records import record



@record
class AgendaCall:
    id: int
    kind: str
    member_id: int
    member: str
    phone: str  # masked for the reader's role
    tier: str
    vip: bool
    agent: str | None  # employee_no
    agent_name: str | None
    window_start: datetime
    due: datetime
    status: str  # due | overdue | done (rules.callbacks.status)
    outcome: str | None
    attempt: int
    retry_of: str
    reschedules: int
    note: str
    notes: str
    closed_at: datetime | None
    contact_id: int | None
    version: int = 1  # what a change must be based on (StaleWrite otherwise)

    @property
    def open(self) -> bool:
        return self.closed_at is None


@record
class QuotaLine:
    """An agent's day: effective outgoing calls against the quota, and the open calls on the agenda."""

    agent: str
    agent_name: str
    effective: int
    target: int
    home_visit: bool
    load: int = 0

    @property
    def remaining(self) -> int:
        return max(self.target - self.effective, 0)

    @property
    def met(self) -> bool:
        return self.effective >= self.target


@record
class Agenda:
    day: date
    agent: str | None  # None: every agent the reader may see
    calls: tuple[AgendaCall, ...]
    quotas: tuple[QuotaLine, ...]

    def count(self, status: str) -> int:
        return sum(1 for c in self.calls if c.status == status)


@record
class OutcomeRecorded:
    call: AgendaCall
    result: str  # rules.callbacks RESULT_*
    effective: bool
    follow_up: AgendaCall | None = None


@record
class AgentChoice:
    """An agent a call can go to, with what the balanced suggestion weighs."""

    agent: str
    name: str
    level: str
    team: str | None
    load: int
    home_visit: bool


@record
class SuggestedMove:
    call_id: int
    member: str
    kind: str
    from_agent: str | None
    to_agent: str
    to_name: str


@record
class Suggestion:
    moves: tuple[SuggestedMove, ...]
    unassigned: tuple[int, ...] = ()


@record
class MemberInput:
    name: str
    phone: str | None  # None on an update: keep the number on file (the editor may see it masked)
    agent: str | None = None  # employee_no
    birthday: date | None = None
    vip: bool = False
    tier: str = "general"
    note: str = ""


@record
class MemberView:
    id: int
    name: str
    phone: str  # masked for the reader's role
    birthday: date | None
    vip: bool
    tier: str
    agent: str | None
    agent_name: str | None
    note: str
    version: int = 1  # what a change must be based on (StaleWrite otherwise)


@record
class ContactInput:
    member_id: int
    kind: str
    agent: str  # the agent who took it owns it until solved (rules.md §9)
    received_at: datetime | None = None  # default: now
    severity: int = 1
    item: str = ""
    text: str = ""
    by_phone: bool = True  # an incoming call: logged, never counted in the quota


@record
class ContactView:
    id: int
    member_id: int
    member: str
    phone: str
    kind: str
    received_at: datetime
    agent: str | None
    agent_name: str | None
    severity: int
    status: str
    item: str
    text: str
    progress: str
    solved_at: datetime | None
    message_sent_at: datetime | None
    replied_at: datetime | None
    version: int = 1  # what a change must be based on (StaleWrite otherwise)
