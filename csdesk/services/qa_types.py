"""What the quality-inspection area's use cases give and take (:class:`csdesk.services.qa.QAService`):
plain frozen records for the windows, the command line and the printed reports."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from csdesk.models.domain_qa import FindingRecord, InspectionRecord, QaAnswer
from csdesk.policy.model import QaForm
from csdesk.records import record
from csdesk.rules.qa import Calibration, InspectionScore, RawAnswer
from csdesk.services.qa_sampling import ProposedContact


@record
class AgentQaLine:
    """One agent's month (``csdesk qa``): ``average`` None without an inspection."""

    employee_no: str
    name: str
    team: str | None
    inspections: int
    average: Decimal | None
    critical_failures: int
    open_findings: int


@record
class QaMonth:
    month: str
    agents: tuple[AgentQaLine, ...]


@record
class QaAverage:
    """One agent's month as a guide beside the rated service quality: ``average`` None without
    an inspection that counts."""

    employee_no: str
    inspections: int
    average: Decimal | None


@record
class InspectionEntry:
    """One inspection to save (:meth:`QAService.record_inspections`), as
    :meth:`QAService.record_inspection` takes it: ``answers`` {question: yes/no/na/points},
    ``inspector`` an employee no. (None: the person the account belongs to)."""

    employee_no: str
    contact: str
    day: date
    answers: Mapping[str, RawAnswer]
    inspector: str | None = None
    form: str | None = None
    mode: str | None = None
    calibration: bool = False
    comment: str = ""
    comments: Mapping[str, str] | None = None


@record
class InspectionDetail:
    """A saved inspection with its answers in form order, scored again with the copy of the form
    it was saved with (``result.exact`` equals the stored score), and its findings."""

    inspection: InspectionRecord
    form: QaForm
    answers: tuple[QaAnswer, ...]
    result: InspectionScore
    findings: tuple[FindingRecord, ...]


@record
class QuotaLine:
    """An agent behind the weekly minimum (rules.md §10)."""

    employee_no: str
    name: str
    team: str | None
    done: int
    required: int


@record
class ProposedAgent:
    """An agent proposed for inspection in a week (:meth:`QAService.sample`): ``done`` this week's
    inspections, ``needed`` how many the weekly minimum still wants, ``month_done`` the month's,
    ``contacts`` up to ``needed`` of the week's conversations to inspect (the first first)."""

    employee_no: str
    name: str
    team: str | None
    done: int
    needed: int
    month_done: int
    contacts: tuple[ProposedContact, ...] = ()


@record
class CalibrationView:
    """Every inspection of one agent's contact and how the inspectors compare (by employee no.)."""

    employee_no: str
    contact: str
    inspections: tuple[InspectionRecord, ...]
    result: Calibration


@record
class CalibrationContact:
    """A contact of the month inspected more than once (calibration inspections included)."""

    employee_no: str
    name: str
    contact: str
    inspections: int
