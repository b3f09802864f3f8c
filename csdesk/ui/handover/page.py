"""The handover log page: a banner for handovers waiting for the signed-in user, then three
tabs — the log, writing a handover, the work records.

The two writing tabs are built the first time they are shown, so opening the page costs
only the log. A saved draft is flagged on the "Write handover" tab until then.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from csdesk.errors import CsdeskError
from csdesk.i18n import _, ngettext
from csdesk.models.domain_handover import HandoverSummary
from csdesk.services.base import Actor
from csdesk.services.handover import HandoverService
from csdesk.services.people import PeopleService
from csdesk.ui.handover.form import DRAFT_KIND, HandoverForm
from csdesk.ui.handover.log_view import LogView
from csdesk.ui.handover.models import format_when, names
from csdesk.ui.handover.work_records import WorkRecordView
from csdesk.ui.shortcuts import make_shortcut

BANNER_STYLE = "QFrame#pendingBanner { background: #fff4ce; border: 1px solid #d4a72c; border-radius: 4px; }"


def _holder() -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    return holder


class HandoverPage(QWidget):
    def __init__(self, service: HandoverService, people: PeopleService, *, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._people = people
        self._actor = actor
        self.pending: tuple[HandoverSummary, ...] = ()
        self._form: HandoverForm | None = None
        self._records: WorkRecordView | None = None
        self._has_draft = False
        self._build_ui()
        self._connect_signals()
        self._retranslate_own()  # the log translated itself when built
        self.log.reload()
        self.refresh_banner()

    def _build_ui(self) -> None:
        self._title = QLabel()
        self.banner = QFrame()
        self.banner.setObjectName("pendingBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner_text = QLabel()
        self.banner_text.setObjectName("pendingText")
        self.banner_text.setWordWrap(True)
        self.banner_button = QPushButton()
        self.banner_button.setObjectName("pendingShow")
        row = QHBoxLayout(self.banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.banner_button)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("handoverTabs")
        self.log = LogView(self._service, self._people, actor=self._actor)
        self.tabs.addTab(self.log, "")
        self.form_tab: QWidget | None = None
        if self._actor.can("handover.write"):
            self.form_tab = _holder()
            self.tabs.addTab(self.form_tab, "")
            try:
                self._has_draft = self._service.load_draft(self._actor, DRAFT_KIND) is not None
            except CsdeskError:
                self._has_draft = False
        self.records_tab = _holder()
        self.tabs.addTab(self.records_tab, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.new_shortcut = make_shortcut("handover.new", self)
        self.find_shortcut = make_shortcut("handover.find", self)
        self.print_shortcut = make_shortcut("handover.print", self)

    def _connect_signals(self) -> None:
        self.banner_button.clicked.connect(self.show_pending)
        self.log.entries_changed.connect(self.refresh_banner)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.new_shortcut.activated.connect(self.write_new)
        self.find_shortcut.activated.connect(self.focus_search)
        self.print_shortcut.activated.connect(self.print_current)

    def retranslate_ui(self) -> None:
        self.log.retranslate_ui()
        for built in (self._form, self._records):
            if built is not None:
                built.retranslate_ui()
        self._retranslate_own()

    def _retranslate_own(self) -> None:
        self._title.setText("<h2>" + escape(_("Handover log")) + "</h2>")
        self.tabs.setTabText(self.tabs.indexOf(self.log), _("&Log"))
        if self.form_tab is not None:
            text = _("&Write handover (Ctrl+N)")
            if self._has_draft and self._form is None:
                text += " ✎ " + _("draft")
            self.tabs.setTabText(self.tabs.indexOf(self.form_tab), text)
        self.tabs.setTabText(self.tabs.indexOf(self.records_tab), _("Wor&k records"))
        self.banner_button.setText(_("Show"))
        self.banner_button.setToolTip(_("Show the handovers waiting for your acknowledgement"))
        self._show_banner()

    # --- the writing tabs, built when first shown ---------------------------------------

    @property
    def form(self) -> HandoverForm | None:
        """The handover form (None for roles that cannot write); built on first use."""
        if self.form_tab is None:
            return None
        if self._form is None:
            self._form = HandoverForm(self._service, self._people, actor=self._actor)
            self._form.saved.connect(self._after_save)
            layout = self.form_tab.layout()
            assert layout is not None
            layout.addWidget(self._form)
            self._form.show()  # at once, not when the layout gets round to it
            self._retranslate_own()
        return self._form

    @property
    def records(self) -> WorkRecordView:
        if self._records is None:
            self._records = WorkRecordView(self._service, self._people, actor=self._actor)
            layout = self.records_tab.layout()
            assert layout is not None
            layout.addWidget(self._records)
            self._records.show()
        return self._records

    def _tab_shown(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.form_tab:
            self.form  # noqa: B018 - builds the tab
        elif widget is self.records_tab:
            self.records  # noqa: B018 - builds the tab

    def show_records(self) -> WorkRecordView:
        self.tabs.setCurrentWidget(self.records_tab)
        return self.records

    # --- banner -------------------------------------------------------------------------

    def refresh_banner(self) -> None:
        """Handovers still waiting for the signed-in user's takeover (rules.md §4 step 3)."""
        try:
            self.pending = self._service.pending_for(self._actor)
        except CsdeskError:
            self.pending = ()
        self._show_banner()

    def _show_banner(self) -> None:
        self.banner.setVisible(bool(self.pending))
        if not self.pending:
            return
        first = self.pending[0]
        text = ngettext("{n} handover is waiting for your acknowledgement.",
                        "{n} handovers are waiting for your acknowledgement.", len(self.pending)).format(n=len(self.pending))
        detail = _("Latest: No. {id}, {team}, handed over by {names} at {when}").format(
            id=first.id, team=first.team or _("All teams"), names=names(first.authors), when=format_when(first.written_at))
        late = sum(p.overdue_items for p in self.pending)
        extra = (" · " + ngettext("{n} overdue item", "{n} overdue items", late).format(n=late)) if late else ""
        self.banner_text.setText(f"<b>⚠ {escape(text)}</b><br>{escape(detail)}{escape(extra)}")

    def show_pending(self) -> None:
        self.tabs.setCurrentWidget(self.log)
        self.log.show_unacknowledged()
        if self.pending:
            self.log.select_entry(self.pending[0].id)
        self.log.detail.ack_button.setFocus()

    # --- keyboard -----------------------------------------------------------------------

    def write_new(self) -> None:
        """Ctrl+N: to the handover form, cursor in the work summary."""
        form = self.form
        if form is None or self.form_tab is None:
            return
        self.tabs.setCurrentWidget(self.form_tab)
        form.summary.setFocus()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.log)
        self.log.search.setFocus()
        self.log.search.selectAll()

    def print_current(self) -> None:
        """Ctrl+P: the weekly digest on the work-records tab, else the selected handover's form."""
        if self.tabs.currentWidget() is self.records_tab:
            self.records.print_digest()
        else:
            self.log.detail.print_form()

    def _after_save(self, entry_id: int) -> None:
        self.tabs.setCurrentWidget(self.log)
        self.log.reload(entry_id)
        self.refresh_banner()
