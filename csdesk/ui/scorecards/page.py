"""The Scorecards page: month and team, ranking, the trainer's entry grid, an agent's scorecard,
the agents' disputes (for whoever arbitrates), sign-off (lock / reopen) and batch printing of
the evaluation sheets."""

from __future__ import annotations

from decimal import Decimal

import shiboken6
from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from csdesk.context import AppContext
from csdesk import gc_tuning
from csdesk.errors import CsdeskError
from csdesk.i18n import LANGUAGE_NAMES, N_, _, current_language, format_datetime, format_iso_date, format_month, ngettext
from csdesk.services.base import PERSONNEL, Actor
from csdesk.services.disputes import ARBITRATE
from csdesk.services.months import month_first
from csdesk.services.qa import VIEW as QA_VIEW
from csdesk.services.scorecard_access import can_rate
from csdesk.services.scorecard_compute import AgentScorecard, month_end
from csdesk.services.scorecards import AgentRecord, MonthScorecards
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.dialogs.import_wizard import open_import_wizard
from csdesk.ui.let_go import let_go_later
from csdesk.ui.messages import confirm, show_error
from csdesk.ui.month_box import fill_months
from csdesk.ui.scorecards.disputes_view import DisputesView
from csdesk.ui.scorecards.entry_grid import EntryTableModel, EntryView
from csdesk.ui.scorecards.printing import SheetPrinter
from csdesk.ui.scorecards.ranking_view import RankingView
from csdesk.ui.scorecards.scorecard_view import ScorecardView
from csdesk.ui.table_model import fit_columns_once
from csdesk.ui.team_filter import fill_team_filter
from csdesk.ui.tips import set_state, with_keys

# what one background load brings back: the month, the grid's rows, the agents (full loads only)
# and the month's QA averages per agent (empty but on a full load for a grid reader with qa.view)
_Averages = dict[str, tuple[Decimal, int]]
_Loaded = tuple[MonthScorecards, list[AgentScorecard], list[AgentRecord] | None, _Averages]

# The import buttons' titles (the wizard's window title too).
IMPORT_TITLES = {"ratings": N_("Import ratings"), "exams": N_("Import exam scores"), "events": N_("Import events")}


class ScorecardsPage(QWidget):
    """Everything of the monthly evaluation on one page, in three tabs.

    The month is computed on the thread pool (a department of 2,000 agents takes about half a
    second): the page says "Calculating…", keeps the month and team pickers live, and shows only the
    answer to the latest question. ``loaded`` is emitted each time a month has been shown.
    """

    loaded = Signal()

    def __init__(self, ctx: AppContext, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._actor = ctx, actor
        self._service = ctx.scorecards
        self.data: MonthScorecards | None = None
        self.stale = False  # the grid saved something the ranking and scorecard do not show yet
        self.loading = False
        self._token = 0  # the latest load; answers to earlier ones are dropped
        self._full_pending = False  # a full load was asked for and has not been shown yet
        self._jobs: set[Job] = set()
        # One load at a time: a load may sync the month's attendance events first, and loads
        # asked for while one runs wait, then return at once when a later one has been asked for.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.entry_model = EntryTableModel(self._service, actor, ctx.policy, self)
        self.printer = SheetPrinter(self, ctx, actor)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()
        self.reload()

    # --- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self._title = QLabel()
        self.month = QComboBox()
        self.month.setObjectName("scorecardMonth")
        fill_months(self.month, self._service.now().date())
        self.team = QComboBox()
        self.team.setObjectName("scorecardTeam")
        self.lock_state = QLabel()
        self.lock_state.setObjectName("lockState")
        self.lock_button = QPushButton()
        self.lock_button.setObjectName("lockMonth")
        self.reopen_button = QPushButton()
        self.reopen_button.setObjectName("reopenMonth")
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.print_button = QPushButton()
        self.print_button.setObjectName("printSheets")
        self.print_menu = QMenu(self)
        self.print_agent = self.print_menu.addAction("")
        self.print_team = self.print_menu.addAction("")
        self.print_all = self.print_menu.addAction("")
        self.print_button.setMenu(self.print_menu)
        for b in (self.lock_button, self.reopen_button):
            b.setVisible(self._actor.can("scorecards.lock"))
        bar = QHBoxLayout()
        for left in (self.month, self.team, self.lock_state):
            bar.addWidget(left)
        bar.addStretch(1)
        for right in (self.lock_button, self.reopen_button, self.language, self.print_button):
            bar.addWidget(right)

        self.ranking = RankingView(self._ctx.policy.meta.currency, pay=self._actor.can(PERSONNEL))
        self.entry = EntryView()
        self.entry.setObjectName("entryGrid")
        self.entry.setModel(self.entry_model)
        self.entry.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.entry.horizontalHeader().setResizeContentsPrecision(40)  # a sample of rows, not 2,000 of them
        self.entry.horizontalHeader().setSectionResizeMode(self.entry_model.column_of("reason"), QHeaderView.ResizeMode.Stretch)
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoEntry")
        self.import_ratings = QPushButton()
        self.import_exams = QPushButton()
        self.import_events = QPushButton()
        self.entry_hint = QLabel()
        self.entry_hint.setObjectName("entryHint")
        self.entry_hint.setWordWrap(True)  # a long hint in Spanish wraps instead of widening the window
        entry_bar = QHBoxLayout()
        entry_bar.addWidget(self.entry_hint, 1)
        for b in (self.undo_button, self.import_ratings, self.import_exams, self.import_events):
            entry_bar.addWidget(b)
        self.import_events.setVisible(self._actor.can("scorecards.edit"))
        entry_tab = QWidget(self)  # kept (hidden) for roles that do not rate
        entry_tab.setVisible(False)
        column = QVBoxLayout(entry_tab)
        column.addLayout(entry_bar)
        column.addWidget(self.entry, 1)
        self.scorecard = ScorecardView(self._service, disputes=self._ctx.disputes, actor=self._actor, qa=self._ctx.qa)
        self.disputes = DisputesView(self._ctx.disputes, actor=self._actor, parent=self)
        self.disputes.setVisible(False)  # a tab for whoever arbitrates (the tab shows it)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("scorecardTabs")
        self.tabs.addTab(self.ranking, "")
        if can_rate(self._actor):
            self.tabs.addTab(entry_tab, "")
        self.tabs.addTab(self.scorecard, "")
        if self._actor.can(ARBITRATE):
            self.tabs.addTab(self.disputes, "")
        self.status = QLabel()
        self.status.setObjectName("scorecardStatus")
        self.status.setWordWrap(True)
        # One line is kept for it, so "Calculating…" coming and going does not lay the page out
        # again (the ranking would measure its rows twice more on every load).
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        self.team.currentIndexChanged.connect(lambda _i: self.reload())
        self.lock_button.clicked.connect(self.lock_month)
        self.reopen_button.clicked.connect(self.reopen_month)
        self.ranking.agent_activated.connect(self.open_scorecard)
        self.entry_model.saved.connect(self._entry_saved)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.entry_model.edit_failed.connect(lambda text: self._say(text, error=True))
        self.entry_model.edit_pending.connect(lambda text: self._say(text, error=False))
        self.entry.undo_requested.connect(self.undo)
        self.undo_button.clicked.connect(self.undo)
        self.import_ratings.clicked.connect(lambda: self.import_file("ratings"))
        self.import_exams.clicked.connect(lambda: self.import_file("exams"))
        self.import_events.clicked.connect(lambda: self.import_file("events"))
        self.scorecard.changed.connect(self._refresh_lists)
        self.scorecard.response.changed.connect(self.disputes.reload)
        self.disputes.changed.connect(self.scorecard.reload)
        self.scorecard.print_requested.connect(lambda no: self.print_sheets(employee_no=no))
        self.print_agent.triggered.connect(lambda: self.print_sheets(employee_no=self.scorecard.employee_no()))
        self.print_team.triggered.connect(lambda: self.print_sheets(team=self.team.currentData()))
        self.print_all.triggered.connect(lambda: self.print_sheets())

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Scorecards") + "</h2>")
        for i in range(self.month.count()):
            key = self.month.itemData(i)
            self.month.setItemText(i, format_month(int(key[:4]), int(key[5:])))
        self._reload_teams()
        self.lock_button.setText(_("Lock month"))
        self.reopen_button.setText(_("Reopen…"))
        self.print_button.setText(_("Print sheets"))
        self.print_agent.setText(_("This agent"))
        self.print_team.setText(_("This team"))
        self.print_all.setText(_("All agents"))
        self.undo_button.setText(_("Undo"))
        self.import_ratings.setText(_("Import ratings…"))
        self.import_exams.setText(_("Import exams…"))
        self.import_events.setText(_("Import events…"))
        self.entry_hint.setText(_("Type a value, Tab to the next cell, Enter to the row below; Ctrl+Z undoes."))
        titles = [_("Ranking")] + ([_("Exam and rating entry")] if can_rate(self._actor) else []) + [_("Scorecard")]
        titles += [_("Disputes")] if self._actor.can(ARBITRATE) else []
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)
        self.scorecard.retranslate_ui()
        self.disputes.retranslate_ui()
        self._show_lock()

    def _reload_teams(self) -> None:
        fill_team_filter(self.team, self._ctx.people, self._actor)

    # --- loading -------------------------------------------------------------------------------

    def month_key(self) -> str:
        return str(self.month.currentData())

    def select_month(self, key: str) -> None:
        self.month.setCurrentIndex(self.month.findData(key))

    def reload(self) -> None:
        """Load the chosen month and team from scratch (the grid's undo history starts again)."""
        self._load(full=True)

    def _refresh_lists(self) -> None:
        """Recompute the month after a change (ranks move); the grid keeps its edits and undo."""
        self._load(full=False)

    def _load(self, *, full: bool) -> None:
        key, team = self.month_key(), self.team.currentData()
        service, actor, rates = self._service, self._actor, can_rate(self._actor)
        qa = self._ctx.qa if rates and actor.can(QA_VIEW) else None
        # A refresh asked for while a full load is on its way is a full load too: the grid and
        # the scorecard must be set up for the month on screen before they take its rows.
        full = full or self._full_pending or key != self.entry_model.month
        self._full_pending = full
        self._token += 1
        token = self._token
        self.loading = True
        if full:
            self.entry.setEnabled(False)  # its rows are another month's until the answer comes
        self._hold_paint(True)
        self._show_lock()
        self._say(_("Calculating…"), error=False)

        def work(_job: Job) -> _Loaded | None:
            if token != self._token:
                return None  # a later load was asked for while this one waited
            with gc_tuning.bulk_load():
                data = service.month(actor, key, team=team)
                rows = sorted(data.cards, key=lambda c: c.employee_no) if rates else []  # the grid's rows: the same cards
                averages = qa.averages(actor, key, team) if full and qa else {}
                return data, rows, service.agents(actor, team) if full else None, averages

        handle: list[Job] = []

        def settle() -> bool:
            """Forget the job; True when its answer is still wanted by a live page."""
            self._jobs.difference_update(handle)
            handle.clear()
            return shiboken6.isValid(self) and token == self._token

        def done(result: _Loaded | None) -> None:
            if settle() and result is not None:
                self._show(key, *result)

        def failed(exc: BaseException) -> None:
            current = settle()
            if current:
                self._finish()
            if not isinstance(exc, CsdeskError):
                raise exc  # a bug: surfaces on the GUI thread
            if current:
                show_error(self, exc)

        job = run_in_background(work, done, failed, pool=self._pool)
        handle.append(job)
        self._jobs.add(job)

    def _show(self, key: str, data: MonthScorecards, rows: list[AgentScorecard], agents: list[AgentRecord] | None,
              averages: _Averages) -> None:  # fmt: skip
        self._full_pending = False
        before = self.data.cards if self.data is not None else ()
        self.data = data
        self.ranking.set_cards(data.cards)
        # The rest in the next turn of the event loop: each part stays well under the 50 ms a
        # person notices (the ranking is reset and painted first, then the grid and the card).
        token = self._token

        def rest() -> None:
            try:
                self._show_rest(token, key, data, rows, agents, averages)
            finally:
                # Every part now holds the new month: the one shown before is let go of a few
                # cards at a time (2,000 cards freed in one go held the GUI thread 30-40 ms).
                let_go_later(before)

        QTimer.singleShot(0, rest)

    def _show_rest(self, token: int, key: str, data: MonthScorecards, rows: list[AgentScorecard], agents: list[AgentRecord] | None,
                   averages: _Averages) -> None:  # fmt: skip
        if not shiboken6.isValid(self) or token != self._token:
            return  # a later load took over; it finishes the page
        locked = data.lock is not None
        if agents is None:
            self.scorecard.set_cards(data.cards)
            if can_rate(self._actor):
                self.entry_model.update_rows(rows)
            self.stale = False
        else:
            first = month_first(key)
            self.entry_model.set_rows(key, rows, editable=not locked)
            fit_columns_once(self.entry)  # to the first month's rows, then left to the user
            self.entry_model.set_qa_averages(averages)
            in_month = [a for a in agents if a.join_date is None or a.join_date <= month_end(first)]
            self.scorecard.set_month(key, first, month_end(first), in_month, editable=not locked, cards=data.cards)
            self.disputes.set_month(key, self.team.currentData())
        self._finish()

    def _hold_paint(self, hold: bool) -> None:
        """The big tables keep what they show, unpainted, while the worker builds the next month.

        Every cell painted calls into Python; while the worker runs, each such call waits for it
        to hand the GIL over. A repaint of the ranking during a load made 3,640 calls and held the
        event loop for 165-200 ms (the tables repaint when the bar above them changes)."""
        for view in (self.ranking.table, self.entry):
            view.setUpdatesEnabled(not hold)

    def _finish(self) -> None:
        self._hold_paint(False)
        self.loading = False
        self.entry.setEnabled(True)
        if self.status.text() == _("Calculating…"):
            self._say("", error=False)
        self._show_lock()
        self.loaded.emit()

    def _entry_saved(self, text: str) -> None:
        self.stale = True
        self._say(text, error=False)

    def _tab_changed(self, _index: int) -> None:
        if self.stale and self.tabs.currentWidget() is not self.entry.parentWidget():
            self._refresh_lists()
            self.scorecard.reload()

    def _show_lock(self) -> None:
        lock = self.data.lock if self.data else None
        if lock is None:
            self.lock_state.setText(_("Open for changes"))
        else:
            self.lock_state.setText(
                _("Locked by {user} on {when}").format(user=lock.locked_by, when=format_datetime(lock.locked_at, "short"))
            )
        ready = not self.loading  # locking needs the month on screen to be the month it locks
        loading = _("Wait until the month is shown")
        locked = _("{month} is locked; reopen it first.").format(month=lock.month) if lock else ""
        set_state(self.lock_button, with_keys(_("Sign the month off: its results are stored and later edits refused"),
                                              "scorecards.lock"),
                  loading if not ready else (_("The month is locked already") if lock else ""))  # fmt: skip
        set_state(self.reopen_button, _("Reopen the signed-off month for changes (a reason is asked and audited)"),
                  loading if not ready else ("" if lock else _("The month is open: nothing to reopen")))  # fmt: skip
        set_state(self.undo_button, _("Take back the last change made in the grid"), locked)
        set_state(self.print_button, with_keys(_("Print the evaluation sheets of one agent, a team or everyone"),
                                               "scorecards.print"), "" if ready else loading)  # fmt: skip
        imports = ((self.import_ratings, _("Import the month's ratings (CSV or XLSX)"), "scorecards.import_ratings"),
                   (self.import_exams, _("Import the month's exam scores (CSV or XLSX)"), "scorecards.import_exams"),
                   (self.import_events, _("Import bonus and deduction events (CSV or XLSX)"), "scorecards.import_events"))
        for button, tip, shortcut in imports:  # a locked month takes no import (reopen it first)
            set_state(button, with_keys(tip, shortcut), locked)

    def _say(self, text: str, *, error: bool) -> None:
        self.status.setStyleSheet("color: #b02a37" if error else "")
        self.status.setText(text)

    # --- actions ---------------------------------------------------------------------------------

    def open_scorecard(self, employee_no: str) -> None:
        self.scorecard.show_agent(employee_no)
        self.tabs.setCurrentWidget(self.scorecard)

    def undo(self) -> None:
        try:
            if not self.entry_model.undo():
                self._say(_("Nothing to undo."), error=False)
        except CsdeskError as exc:
            self._say(exc.message(), error=True)

    def lock_month(self) -> None:
        key = self.month_key()
        cards = self.data.cards if self.data else ()
        unrated = [c for c in cards if not c.card.is_rated]
        provisional = sum(1 for c in cards if c.card.is_rated and not c.card.complete)
        question = _("Lock {month}? Ratings, exams and events of the month can no longer be changed until it is reopened.").format(month=key)
        if provisional:
            question += "\n\n" + ngettext(
                "{n} agent is not fully rated yet.", "{n} agents are not fully rated yet.", provisional
            ).format(n=provisional)
        if unrated:
            question += "\n\n" + ngettext(
                "{n} agent is not rated and will have no grade, pay float or rank this month:",
                "{n} agents are not rated and will have no grade, pay float or rank this month:",
                len(unrated),
            ).format(n=len(unrated)) + "\n" + "\n".join(f"  {c.employee_no} {c.name}" for c in unrated)
        try:
            question += self._open_disputes_warning(key)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        if not confirm(self, question):
            return
        try:
            self._service.months.lock(self._actor, key)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.reload()
        self._say(_("{month} is locked.").format(month=key), error=False)

    def _open_disputes_warning(self, key: str) -> str:
        """The lock question's paragraphs naming the agents whose dispute of the month is open,
        and the month's inspections whose dispute is open."""
        disputes = self._ctx.disputes.open_disputes(self._actor, key)
        inspections = self._ctx.disputes.open_inspection_disputes(self._actor, key)
        text = ""
        if disputes:
            text += "\n\n" + ngettext(
                "{n} agent's dispute of this month is still open:",
                "{n} agents' disputes of this month are still open:",
                len(disputes),
            ).format(n=len(disputes)) + "\n" + "\n".join(f"  {d.employee_no} {d.name}: {d.reason}" for d in disputes)
        if inspections:
            text += "\n\n" + ngettext(
                "{n} dispute of an inspection of this month is still open:",
                "{n} disputes of inspections of this month are still open:",
                len(inspections),
            ).format(n=len(inspections)) + "\n" + "\n".join(
                f"  {d.employee_no} {d.name}, {d.contact} ({format_iso_date(d.inspected_on)}): {d.reason}"
                for d in inspections
            )  # fmt: skip
        return text

    def reopen_month(self) -> None:
        key = self.month_key()
        reason, ok = QInputDialog.getText(self, _("Reopen month"), _("Why must {month} be changed after sign-off?").format(month=key))
        if not ok:
            return
        try:
            self._service.months.reopen(self._actor, key, reason)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self.reload()
        self._say(_("{month} is open again.").format(month=key), error=False)

    def print_sheets(self, *, employee_no: str | None = None, team: str | None = None) -> None:
        key = self.month_key()
        name = f"evaluation-{key}-{employee_no or team or 'all'}"
        self.printer.start(key, employee_no=employee_no, team=team, lang=str(self.language.currentData()), name=name)

    def import_file(self, kind: str) -> None:
        """``kind``: ratings, exams or events, through the import wizard (preview, dry run)."""
        actor = self._actor
        open_import_wizard(
            self, _(IMPORT_TITLES[kind]), kind, self._service,
            lambda service, path, progress, **options: getattr(service, f"import_{kind}")(actor, path, progress, **options),
            actor=actor, on_done=self.reload,
        )  # fmt: skip
