"""The Quality page (rules.md §10): the month's inspections, the findings and their follow-up,
who is behind the weekly quota, calibration and the month's summary, with the printed report of
an inspection and the month's summary.

Everything shown comes from :class:`QAService`, which narrows it to what the signed-in person
sees (an agent their own, a team lead their team); the buttons that change something are there
only for those who may. The agents' responses to their inspections come from
:class:`DisputeService` (issue 15): under the inspections, an agent acknowledges or disputes
their own chosen inspection and the supervisor arbitrates a dispute. The lists load together
off the GUI thread: ``loading`` is True until the answer to the latest question is shown, then
``loaded`` is emitted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from csdesk.errors import CsdeskError
from csdesk.i18n import LANGUAGE_NAMES, _, current_language, format_month, format_number, ngettext
from csdesk.models.domain_disputes import InspectionResponse
from csdesk.models.domain_qa import FindingRecord, InspectionRecord
from csdesk.records import record
from csdesk.services.base import OWN, Actor
from csdesk.services.disputes import DisputeService
from csdesk.services.people import PeopleService
from csdesk.services.qa import EDIT, CalibrationContact, ProposedAgent, QAService, QaMonth, QuotaLine
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.callbacks.printing import document_language
from csdesk.ui.dialogs.import_wizard import ImportWizard, open_import_wizard
from csdesk.ui.messages import show_error
from csdesk.ui.month_box import fill_months
from csdesk.ui.print_preview import PdfPreviewDialog, preview_pdf
from csdesk.ui.qa.calibration_view import CalibrationTab
from csdesk.ui.qa.follow_up import DeductionDialog, FindingDialog, FollowUpDialog
from csdesk.ui.qa.inspection_dialog import InspectionDialog
from csdesk.ui.qa.response_bar import InspectionResponseBar
from csdesk.ui.qa.tabs import FindingsTab, InspectionsTab, QuotaTab, SummaryTab
from csdesk.ui.team_filter import fill_team_filter



@record
class _Loaded:
    """One answer of the service to the page's filters."""

    inspections: list[InspectionRecord]
    findings: list[FindingRecord]
    behind: list[QuotaLine]
    proposed: list[ProposedAgent]
    contacts: list[CalibrationContact]
    summary: QaMonth
    today: date
    responses: list[InspectionResponse]


class QAPage(QWidget):
    """Everything of quality inspection on one page, in five tabs; every action goes through the service."""

    loaded = Signal()

    def __init__(
        self, service: QAService, people: PeopleService, *, actor: Actor, disputes: DisputeService | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        """``disputes``: where agents respond to their inspections (None: no responses shown)."""
        super().__init__(parent)
        self._service, self._people, self._actor, self._disputes = service, people, actor, disputes
        self.today = service.now().date()
        self.loading = False
        self.preview: PdfPreviewDialog | None = None
        self._token = 0  # the latest load; answers to earlier ones are dropped
        self._jobs: set[Job] = set()
        self._left = False  # the page was hidden (another page chosen) since it was last shown
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self._reload_filters()
        self.reload()

    # --- construction -------------------------------------------------------------------

    def _build_ui(self) -> None:
        self._title = QLabel()
        self.month = QComboBox()
        self.month.setObjectName("qaMonth")
        fill_months(self.month, self.today)
        self.team = QComboBox()
        self.team.setObjectName("qaTeam")
        self.agent = QComboBox()
        self.agent.setObjectName("qaAgentFilter")
        self.agent.setVisible(self._actor.scope != OWN)  # an agent sees only themselves
        self.language_label = QLabel()
        self.language = QComboBox()
        self.language.setObjectName("qaPrintLanguage")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        bar = QHBoxLayout()
        for widget in (self.month, self.team, self.agent):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("qaStatus")
        bar.addWidget(self.status)
        bar.addWidget(self.language_label)
        bar.addWidget(self.language)
        self.inspections_tab = InspectionsTab(self._actor)
        self.response: InspectionResponseBar | None = None
        if self._disputes is not None:
            self.response = InspectionResponseBar(self._disputes, actor=self._actor)
            column = self.inspections_tab.layout()
            assert isinstance(column, QVBoxLayout)
            column.insertWidget(column.count() - 1, self.response)  # between the table and its buttons
        self.findings_tab = FindingsTab(self._actor, self.today)
        self.quota_tab = QuotaTab(self._actor, self.today)
        self.calibration_tab = CalibrationTab(actor=self._actor)
        self.summary_tab = SummaryTab()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("qaTabs")
        for tab in (self.inspections_tab, self.findings_tab, self.quota_tab, self.calibration_tab, self.summary_tab):
            self.tabs.addTab(tab, "")
        # calibration is the inspectors' own work: not even its tab for an agent or a reader
        self.tabs.setTabVisible(self.tabs.indexOf(self.calibration_tab), self.calibration_tab.allowed)
        self.message = QLabel()
        self.message.setObjectName("qaMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        self.team.currentIndexChanged.connect(lambda _i: self._team_changed())
        self.agent.currentIndexChanged.connect(lambda _i: self.reload())
        self.findings_tab.open_only.toggled.connect(lambda _on: self.reload())
        self.quota_tab.week.dateChanged.connect(lambda _d: self.reload())
        self.quota_tab.inspect_button.clicked.connect(self.inspect_proposed)
        if self._actor.can(EDIT):  # only those who may record inspections
            self.quota_tab.proposed_table.doubleClicked.connect(lambda _i: self.inspect_proposed())
        self.inspections_tab.new_button.clicked.connect(self.new_inspection)
        self.inspections_tab.import_button.clicked.connect(self.import_inspections)
        self.inspections_tab.print_button.clicked.connect(self.print_inspection)
        self.inspections_tab.table.doubleClicked.connect(lambda _i: self.print_inspection())
        self.inspections_tab.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_response())
        if self.response is not None:
            self.response.changed.connect(self.reload)
        self.findings_tab.feed_back_button.clicked.connect(lambda: self.follow_up(recheck=False))
        self.findings_tab.recheck_button.clicked.connect(lambda: self.follow_up(recheck=True))
        self.findings_tab.deduct_button.clicked.connect(self.deduct)
        self.calibration_tab.contact_chosen.connect(self.show_calibration)
        self.summary_tab.print_button.clicked.connect(self.print_summary)

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Quality inspection") + "</h2>")
        for i in range(self.month.count()):
            year, month = map(int, str(self.month.itemData(i)).split("-"))
            self.month.setItemText(i, format_month(year, month))
        self.language_label.setText(_("Print in"))
        titles = (_("Inspections"), _("Findings"), _("Weekly quota"), _("Calibration"), _("Month summary"))
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)
        for tab in (self.inspections_tab, self.findings_tab, self.quota_tab, self.calibration_tab, self.summary_tab):
            tab.retranslate_ui()
        if self.response is not None:
            self.response.retranslate_ui()
        if self.agent.count() and self.agent.itemData(0) is None:
            self.agent.setItemText(0, _("All agents"))

    def _reload_filters(self) -> None:
        fill_team_filter(self.team, self._people, self._actor)
        self._fill_agents()

    def _fill_agents(self) -> None:
        """The agents of the chosen team (all the reader sees), keeping the one chosen if still there."""
        current = self.agent.currentData()
        self.agent.blockSignals(True)
        try:
            self.agent.clear()
            self.agent.addItem(_("All agents"), None)
            for no, name in self._service.agents(self._actor, self.team.currentData()):
                self.agent.addItem(f"{no} {name}", no)
            self.agent.setCurrentIndex(max(0, self.agent.findData(current)))
        except CsdeskError as exc:
            show_error(self, exc)
        finally:
            self.agent.blockSignals(False)

    def _team_changed(self) -> None:
        self._fill_agents()
        self.reload()

    # --- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Load every tab for the chosen month, team and agent, off the GUI thread."""
        service, actor, disputes = self._service, self._actor, self._disputes
        month, team, agent = str(self.month.currentData()), self.team.currentData(), self.agent.currentData()
        open_only, week = self.findings_tab.open_only.isChecked(), self.quota_tab.week_of()
        self._token += 1
        token = self._token
        self.loading = True
        self.status.setText(_("Loading…"))

        def work(_job: Job) -> _Loaded | None:
            if token != self._token:
                return None  # a later load was asked for meanwhile
            return _Loaded(
                service.inspections(actor, month, team=team, employee_no=agent, calibration=True),
                service.findings(actor, team=team, employee_no=agent, open_only=open_only),
                service.behind_quota(actor, week, team=team),
                service.sample(actor, week, team=team),
                service.calibration_contacts(actor, month, team=team),
                service.month_summary(actor, month, team=team, employee_no=agent),
                service.now().date(),
                disputes.inspection_responses(actor, month, team, agent) if disputes else [],
            )  # fmt: skip

        handle: list[Job] = []

        def settle() -> bool:
            """Forget the job; True when its answer is still wanted by a live page."""
            self._jobs.difference_update(handle)
            return shiboken6.isValid(self) and token == self._token

        def done(result: _Loaded | None) -> None:
            if settle() and result is not None:
                self._show(result)

        def failed(exc: BaseException) -> None:
            current = settle()
            if current:
                self._finish()
            if not isinstance(exc, CsdeskError):
                raise exc  # a bug: surfaces on the GUI thread
            if current:
                show_error(self, exc)

        job = run_in_background(work, done, failed)
        handle.append(job)
        self._jobs.add(job)

    def _show(self, data: _Loaded) -> None:
        self.today = data.today
        chosen = self.inspections_tab.selected()
        self.inspections_tab.show_inspections(data.inspections, data.responses)
        if chosen is not None:
            self.inspections_tab.select_inspection(chosen.id)  # a reload keeps the inspection chosen
        self._show_response()
        self.findings_tab.show_findings(data.findings, data.today)
        self.quota_tab.set_rows(data.behind)
        self.quota_tab.show_proposed(data.proposed)
        self.calibration_tab.set_contacts(data.contacts)
        self.summary_tab.show_month(data.summary)
        self._finish()

    def _finish(self) -> None:
        self.loading = False
        self.status.setText("")
        self.loaded.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._left:  # back on the page: a response or a decision may have come in from another PC
            self._left = False
            self.reload()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        self._left = True

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _show_response(self) -> None:
        """The chosen inspection's response and decision under the list."""
        if self.response is not None:
            chosen = self.inspections_tab.selected()
            self.response.show_inspection(chosen, self.inspections_tab.responses.get(chosen.id) if chosen else None)

    # --- recording and following up -------------------------------------------------------

    def new_inspection(self) -> InspectionDialog | None:
        """The inspection form for the agent chosen above (if any)."""
        return self._inspect(self.agent.currentData())

    def import_inspections(self) -> ImportWizard | None:
        """An inspections file through the import wizard (preview, mapping, dry run), then the
        month shown again."""
        actor = self._actor
        return open_import_wizard(
            self, _("Import inspections"), "inspections", self._service,
            lambda qa, path, progress, **options: qa.import_inspections(actor, path, progress, **options),
            actor=actor, on_done=self.reload,
        )  # fmt: skip

    def inspect_proposed(self) -> InspectionDialog | None:
        """The inspection form for the agent chosen among those proposed, with their first
        proposed call or contact."""
        chosen = self.quota_tab.chosen_proposed()
        if chosen is None:
            return None
        return self._inspect(chosen.employee_no, chosen.contacts[0].reference if chosen.contacts else "")

    def _inspect(self, agent: str | None, contact: str = "") -> InspectionDialog | None:
        """The inspection form filled in with ``agent`` and ``contact``; once saved, the lists
        show it and its findings."""
        try:
            agents, inspectors = self._service.agents(self._actor), self._service.inspectors(self._actor)
        except CsdeskError as exc:
            show_error(self, exc)
            return None
        dialog = InspectionDialog(self._service, actor=self._actor, agents=agents, inspectors=inspectors,
                                  agent=agent, contact=contact, today=self.today, parent=self)  # fmt: skip
        if dialog.exec() and dialog.saved is not None:
            saved = dialog.saved
            n = len(saved.findings)
            self._say(ngettext("Inspection of {agent} saved: score {score}, {n} finding.",
                               "Inspection of {agent} saved: score {score}, {n} findings.", n).format(
                agent=f"{saved.inspection.employee_no} {saved.inspection.name}",
                score=format_number(saved.inspection.score, 1), n=format_number(n)))  # fmt: skip
            self.reload()
        return dialog

    def follow_up(self, *, recheck: bool) -> FollowUpDialog | None:
        """Feed the chosen finding back, or re-check it."""
        finding = self.findings_tab.selected()
        if finding is None:
            return None
        dialog = FollowUpDialog(self._service, actor=self._actor, finding=finding, recheck=recheck, today=self.today,
                                parent=self)  # fmt: skip
        self._run(dialog)
        return dialog

    def deduct(self) -> DeductionDialog | None:
        """Make the chosen finding a spot-check deduction on the agent's scorecard (asked first)."""
        finding = self.findings_tab.selected()
        if finding is None:
            return None
        dialog = DeductionDialog(self._service, actor=self._actor, finding=finding, parent=self)
        self._run(dialog)
        return dialog

    def _run(self, dialog: FindingDialog) -> None:
        """Run a finding's dialog; reload after a change, or when another PC changed it first."""
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._say(dialog.done_text(dialog.saved))
            self.reload()
        elif dialog.stale:
            self.reload()

    def show_calibration(self, contact: CalibrationContact) -> None:
        """Compare the inspectors of the contact chosen on the calibration tab."""
        try:
            view = self._service.calibration(self._actor, contact.employee_no, contact.contact)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.calibration_tab.show_calibration(view)

    # --- printing -----------------------------------------------------------------------

    def print_inspection(self) -> PdfPreviewDialog | None:
        """The chosen inspection's report, previewed in the language chosen for printing."""
        chosen = self.inspections_tab.selected()
        if chosen is None:
            return None
        service, actor, inspection_id = self._service, self._actor, chosen.id
        return self._preview(lambda path: service.print_inspection(actor, inspection_id, path),
                             _("Quality inspection report {id}").format(id=inspection_id),
                             f"qa-inspection-{inspection_id}.pdf")  # fmt: skip

    def print_summary(self) -> PdfPreviewDialog | None:
        """The month's QA summary of the chosen team."""
        service, actor, month, team = self._service, self._actor, str(self.month.currentData()), self.team.currentData()
        return self._preview(lambda path: service.print_month(actor, month, path, team=team),
                             _("Monthly quality inspection summary"), f"qa-summary-{month}.pdf")  # fmt: skip

    def _preview(self, build: Callable[[Path], None], title: str, name: str) -> PdfPreviewDialog | None:
        lang = self.language.currentData()

        def in_language(path: Path) -> None:
            with document_language(lang):
                build(path)

        self.preview = preview_pdf(self, in_language, title=title, suggested_name=name)
        return self.preview
