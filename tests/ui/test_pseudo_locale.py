"""A pseudo-locale 40 % longer than English: at 1366×768, and on a 1920×1080 screen at 150 %
scaling (1280×720 in Qt's device-independent pixels), every page of the main window (each tab of
it), every dialog of the application (issue 17) and the pages' states that show more still fit the
screen and show each text whole: labels, buttons, check boxes, radio buttons, tabs, group box
titles, column headers, combo boxes and placeholders (tests/ui/pseudo_checks.py says how each is
measured). A test lists the application's dialog classes and fails on one no case opens.

The translation appends accented padding (the placeholders and markup stay as they are), as a
longer language such as Spanish does; the bundled font is in use, as in the application. What
does not fit yet is listed in KNOWN, each a strict xfail naming the widget and the file to fix.
"""

from __future__ import annotations

import gettext
import importlib
import math
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from csdesk import i18n
from csdesk.context import AppContext
from csdesk.services.base import SYSTEM
from csdesk.ui.attendance.approve_leave_dialog import ApproveLeaveDialog
from csdesk.ui.attendance.day_dialog import DayDialog
from csdesk.ui.attendance.leave_dialog import LeaveDialog
from csdesk.ui.attendance.requests_view import SwapDialog
from csdesk.ui.callbacks.contact_dialog import ContactDialog, ContactUpdateDialog
from csdesk.ui.callbacks.member_dialog import MemberDialog
from csdesk.ui.callbacks.outcome_dialog import OutcomeDialog
from csdesk.ui.callbacks.printing import PdfPreviewDialog as CallbackPreviewDialog
from csdesk.ui.callbacks.printing import PrintDialog
from csdesk.ui.callbacks.reassign_dialog import ReassignDialog
from csdesk.ui.dialogs.dispute_dialog import ArbitrateDialog, DisputeDialog
from csdesk.ui.dialogs.import_dialog import ImportReportDialog
from csdesk.ui.dialogs.import_wizard import ImportWizard
from csdesk.ui.dialogs.password import PasswordDialog
from csdesk.ui.dialogs.person import PersonDialog
from csdesk.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from csdesk.ui.dialogs.users import AddUserDialog, ResetPasswordDialog, RoleDialog
from csdesk.ui.dialogs.whatif_dialog import WhatIfDialog
from csdesk.ui.dialogs.whatif_parts import WhyDialog
from csdesk.ui.first_run import FirstRunWizard
from csdesk.ui.handover.dialogs import AcknowledgeDialog, CloseItemDialog, ItemHistoryDialog, PenaltyDialog
from csdesk.ui.idle_lock import LockDialog
from csdesk.ui.login import LoginDialog
from csdesk.ui.main_window import PAGES, MainWindow
from csdesk.ui.print_preview import PdfPreviewDialog
from csdesk.ui.qa.disputes import InspectionArbitrateDialog, InspectionResponseDialog
from csdesk.ui.qa.follow_up import DeductionDialog, FollowUpDialog
from csdesk.ui.qa.inspection_dialog import InspectionDialog
from csdesk.ui.qt_setup import register_font
from csdesk.ui.scorecards.event_dialog import EventDialog
from csdesk.ui.scorecards.kpi_dialog import KpiDialog
from csdesk.ui.scorecards.printing import SheetPreviewDialog
from csdesk.ui.scorecards.scorecard_view import ScorecardView
from tests.helpers.factories import FixedClock, make_context, own_temp_folder
from tests.ui import pseudo_openers as openers
from tests.ui.pseudo_checks import clipped, oversize
from tests.ui.pseudo_openers import Floor, Scene

SCREEN = QSize(1366, 768)
#: The screens every window must fit: a 1366×768 laptop at 100 %, and a 1920×1080 one at 150 %
#: (what Windows proposes for it), which leaves 1280×720 device-independent pixels.
SCREENS = {"1366x768": SCREEN, "1920x1080 at 150%": QSize(1280, 720)}
PADDING = "ÅÉÎÕÜåéîõüçñ"
_MARKUP = re.compile(r"<[^>]+>|\{[^}]*\}")
_CLOSING_TAGS = re.compile(r"(</[^>]+>)*$")

pytestmark = [
    # The pages' completer popups ask the offscreen platform for things it cannot do; harmless.
    pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing"),
]


def lengthen(text: str) -> str:
    """``text`` 40 % longer: accented padding before any closing tags, placeholders kept."""
    if not text.strip():
        return text
    visible = len(_MARKUP.sub("", text))
    count = math.ceil(visible * 0.4)
    padding = (PADDING * (count // len(PADDING) + 1))[:count]
    end = _CLOSING_TAGS.search(text).start()
    return text[:end] + padding + text[end:]


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return lengthen(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return lengthen(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return lengthen(message)


def test_the_pseudo_locale_lengthens_and_keeps_placeholders_and_markup() -> None:
    assert lengthen("Save") == "SaveÅÉ"
    assert lengthen("<b>{n} days</b>") == "<b>{n} daysÅÉ</b>"
    assert lengthen("{shown} of {total} handovers").format(shown=1, total=2).startswith("1 of 2 handovers")


def test_the_checks_find_a_cut_text_and_a_window_wider_than_the_screen(qtbot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    cut = QLabel("A label far longer than its room")
    cut.setFixedWidth(60)
    wrapped = QLabel("A label that breaks its lines")
    wrapped.setWordWrap(True)
    wrapped.setFixedWidth(60)
    arrow = QPushButton("▶")  # narrower than any button the style makes, and whole
    arrow.setFixedWidth(36)
    wide = QPushButton("A button as wide as its long text")
    for widget in (cut, wrapped, arrow, wide):
        layout.addWidget(widget)
    root.show()
    qtbot.waitExposed(root)
    assert [line.split(":")[0] for line in clipped(root)] == ["QLabel 'A label far longer than its room'"]
    assert oversize(root, QSize(wide.width() - 1, 768)) and not oversize(root, QSize(1366, 768))


def test_the_checks_find_a_cut_tab_title_header_combo_and_placeholder(qtbot) -> None:
    """Each kind of cut text, once cut and once whole: only the cut ones are reported."""
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    tabs = QTabWidget()  # three long tabs in 200 px: Qt shortens or scrolls them
    for text in ("Inspections of the month", "Findings to follow up", "Month summary"):
        tabs.addTab(QWidget(), text)
    tabs.setFixedWidth(200)
    roomy_tabs = QTabWidget()
    roomy_tabs.addTab(QWidget(), "One")
    narrow_box, box = QGroupBox("A group box title longer than the box"), QGroupBox("Short")
    narrow_box.setFixedWidth(80)
    table = QTableWidget(1, 3)
    table.setHorizontalHeaderLabels(["Fixed but long heading", "Dragged", "Last, stretched heading"])
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
    table.setColumnWidth(0, 60)
    table.setColumnWidth(1, 20)  # interactive: the person widens it by dragging, not counted
    table.horizontalHeader().setStretchLastSection(True)
    table.setFixedWidth(240)
    combo, roomy_combo = QComboBox(), QComboBox()
    combo.addItem("A choice far longer than the box")
    combo.setFixedWidth(90)
    roomy_combo.addItem("Fits")
    edit, roomy_edit = QLineEdit(), QLineEdit()
    edit.setPlaceholderText("A hint far longer than the field")
    edit.setFixedWidth(90)
    roomy_edit.setPlaceholderText("Fits")
    filled = QLineEdit("typed")  # a placeholder is not shown once something is typed
    filled.setPlaceholderText("A hint far longer than the field")
    filled.setFixedWidth(90)
    for widget in (tabs, roomy_tabs, narrow_box, box, table, combo, roomy_combo, edit, roomy_edit, filled):
        layout.addWidget(widget)
    root.show()
    qtbot.waitExposed(root)
    problems = [line.split(":")[0] for line in clipped(root)]
    assert problems[0].startswith("QTabBar")
    assert problems[1:] == [
        "QGroupBox 'A group box title longer than the box'",
        "QTableWidget column 'Fixed but long heading' (Fixed)",
        "QTableWidget column 'Last, stretched heading' (Interactive, last)",
        "QComboBox showing 'A choice far longer than the box'",
        "QLineEdit placeholder 'A hint far longer than the field'",
    ]
    tabs.setFixedWidth(900)
    table.setFixedWidth(900)
    table.setColumnWidth(0, 300)
    for widget in (narrow_box, combo, edit):
        widget.setFixedWidth(400)
    QApplication.processEvents()
    assert clipped(root) == []


@pytest.fixture(scope="module")
def furnished(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, Floor]]:
    """The demo department with its areas and what some dialogs need (pseudo_openers.furnish),
    built once: the windows here save nothing."""
    ctx = make_context(tmp_path_factory.mktemp("pseudo"), FixedClock())
    ctx.demo.build(SYSTEM, agents=12, months=1, seed=7)
    floor = openers.furnish(ctx)
    yield ctx, floor
    ctx.close()


@pytest.fixture(scope="module")
def demo(furnished: tuple[AppContext, Floor]) -> AppContext:
    return furnished[0]


@pytest.fixture(scope="module")
def floor(furnished: tuple[AppContext, Floor]) -> Floor:
    return furnished[1]


@pytest.fixture
def pseudo(qapp, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The bundled font, and every string of the interface in the pseudo-locale."""
    font = qapp.font()
    register_font(qapp)
    monkeypatch.setattr(i18n, "_translation", PseudoTranslations())
    yield
    qapp.setFont(font)


def every_tab(root: QWidget) -> Iterator[None]:
    """Show each tab of ``root``'s tab widgets in turn (those built on first show get built),
    laid out with the texts they show."""
    QApplication.processEvents()
    yield
    for tabs in root.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.isVisible() and index != tabs.currentIndex():
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                yield


# --- what does not fit yet -----------------------------------------------------------------------


class KnownClipping(AssertionError):
    """Only the texts a KNOWN entry names are cut (any other cut text fails the test outright)."""


class Known(NamedTuple):
    cut: str  # a pattern every problem found matches
    reason: str  # the widget, and the file its fix goes in


#: Cases that do not fit yet: "page NAME", "dialog NAME" or "state NAME", with "@SCREEN" when only
#: on that screen. Each is a strict xfail that accepts only the cuts its pattern names: once fixed,
#: the test says so (XPASS), and a new cut in the same window fails it.
KNOWN: dict[str, Known] = {}


def _marks(case: str, screen: str) -> list[pytest.MarkDecorator]:
    known = KNOWN.get(f"{case}@{screen}") or KNOWN.get(case)
    if known is None:
        return []
    return [pytest.mark.xfail(reason=known.reason, strict=True, raises=KnownClipping)]


def _params(kind: str, names: Iterable[str], *, screens: bool = True) -> list[object]:
    """Each of ``names`` (on each screen, with ``screens``), KNOWN cases expected to fail."""
    if not screens:
        return [pytest.param(name, marks=_marks(f"{kind} {name}", "")) for name in names]
    return [
        pytest.param(name, screen, marks=_marks(f"{kind} {name}", screen), id=f"{name}-{screen}")
        for name in names for screen in SCREENS
    ]  # fmt: skip


def judge(case: str, screen: str, problems: list[str], known_cases: dict[str, Known] = KNOWN) -> None:
    """Pass with no problem; a case's known cuts alone raise KnownClipping (its xfail); any other
    cut raises a plain AssertionError, which its xfail does not accept."""
    if not problems:
        return
    text = "\n".join(problems)
    known = known_cases.get(f"{case}@{screen}") or known_cases.get(case)
    if known is not None and all(re.search(known.cut, line) for line in problems):
        raise KnownClipping(text)
    raise AssertionError(text)


def test_a_known_cut_is_expected_but_a_new_cut_beside_it_is_not() -> None:
    known = {"page p": Known(r"^QLabel 'Old'", "a label in p.py"), "page q@small": Known(r"^QLabel", "q.py")}
    judge("page p", "small", [])
    with pytest.raises(KnownClipping):
        judge("page p", "small", ["QLabel 'Old': 90 px in 80"], known)
    with pytest.raises(AssertionError) as raised:
        judge("page p", "small", ["QLabel 'Old': 90 px in 80", "QLabel 'New': 50 px in 40"], known)
    assert not isinstance(raised.value, KnownClipping)
    with pytest.raises(KnownClipping):
        judge("page q", "small", ["QLabel 'Any': 90 px in 80"], known)
    with pytest.raises(AssertionError) as raised:
        judge("page q", "large", ["QLabel 'Any': 90 px in 80"], known)  # known on the small screen only
    assert not isinstance(raised.value, KnownClipping)


# --- the main window's pages -------------------------------------------------------------------

READY: dict[str, Callable[[QWidget], bool]] = {  # pages that load in the background
    "attendance": lambda page: page.model.month is not None,
    "scorecards": lambda page: not page.loading,
    "qa": lambda page: not page.loading,
}


def open_window(qtbot, ctx, key: str, screen: QSize = SCREEN, login: str = "supervisor") -> MainWindow:
    """``login``'s window filling ``screen`` with only page ``key`` built (and shown)."""
    window = MainWindow(ctx, actor=ctx.auth.resolve_actor(login), idle_lock_ms=0)
    qtbot.addWidget(window)
    window.show_page(key)
    window.resize(screen)
    window.show()
    qtbot.waitExposed(window)
    ready = READY.get(key)
    if ready is not None:
        qtbot.waitUntil(lambda: ready(window.pages[key]), timeout=10_000)
    return window


def page_problems(window: MainWindow, key: str, room: QSize) -> list[str]:
    """What is cut on page ``key`` (on each of its tabs), and whether it fits ``room``."""
    page = window.pages[key]
    problems = []
    for _shown in every_tab(page):
        problems += clipped(window)
    frame = window.size() - window.stack.size()  # the list of areas, menus, status bar
    return problems + oversize(page, room - frame)


@pytest.mark.parametrize(("key", "screen"), _params("page", [spec.key for spec in PAGES]))
def test_each_page_fits_the_screen_with_every_text_whole(qtbot, demo, pseudo, key: str, screen: str) -> None:
    window = open_window(qtbot, demo, key, SCREENS[screen])
    judge(f"page {key}", screen, page_problems(window, key, SCREENS[screen]))


# --- every dialog, and the pages' states that show more ------------------------------------------


class Case(NamedTuple):
    page: str  # the page the window shows
    open: Callable[[Scene], object]  # what the person does there
    shows: type[QDialog] | None = None  # the dialog that must open (None: a state of the page)
    login: str = "supervisor"


def _on_scorecard(s: Scene) -> ScorecardView:
    page = s.page("scorecards")
    page.tabs.setCurrentWidget(page.scorecard)
    return page.scorecard


def _close_item(s: Scene) -> None:
    openers.select_open_item(s).close_item()


def _outcome(s: Scene) -> None:
    page = s.page("callbacks")
    page.record_outcome(page.agenda_tab.model.row(0))


DIALOGS: dict[str, Case] = {
    # the main window and Settings
    "sign-in": Case("settings", lambda s: LoginDialog(s.ctx.auth, language="en", parent=s.window).show(), LoginDialog),
    "first run": Case("settings", lambda s: FirstRunWizard(s.ctx, language="en", parent=s.window).show(), FirstRunWizard),
    "password": Case("settings", lambda s: s.window.change_password(), PasswordDialog),
    "keyboard shortcuts": Case("settings", lambda s: s.window.show_shortcuts(), ShortcutsDialog),
    "idle lock": Case("settings", lambda s: s.window.lock(), LockDialog),
    "add user": Case("settings", lambda s: s.page("settings").users.add_user(), AddUserDialog),
    "reset password": Case("settings", lambda s: openers.account_action(s, "reset_button"), ResetPasswordDialog),
    "role": Case("settings", lambda s: openers.account_action(s, "role_button"), RoleDialog),
    "try a policy change": Case("settings", lambda s: s.page("settings").try_policy_change(), WhatIfDialog),
    "what-if result": Case("settings", openers.what_if_compared, WhatIfDialog),
    "what-if why": Case("settings", openers.what_if_why, WhyDialog),
    # People, and the import wizard with what it ends with
    "person": Case("people", lambda s: s.page("people").add_person(), PersonDialog),
    "import people": Case("people", openers.import_people, ImportWizard),
    "import report": Case("people", openers.import_report, ImportReportDialog),
    # Attendance
    "import punches": Case("attendance", openers.import_punches, ImportWizard),
    "file leave": Case("attendance", lambda s: s.page("attendance").file_leave(), LeaveDialog),
    "approve leave": Case("attendance", openers.approve_leave, ApproveLeaveDialog),
    "day": Case("attendance", openers.open_day, DayDialog),
    "corrected day": Case("attendance", openers.corrected_day, DayDialog),
    "missed-punch request": Case("attendance", openers.missed_punch_request, DayDialog, login="lead1"),
    "shift swap": Case("attendance", lambda s: s.page("attendance").requests_view._request_swap(), SwapDialog),
    "print preview": Case("attendance", openers.print_summary, PdfPreviewDialog),
    # Scorecards
    "record event": Case("scorecards", lambda s: _on_scorecard(s).record_event(), EventDialog),
    "KPIs": Case("scorecards", lambda s: _on_scorecard(s).edit_kpis(), KpiDialog),
    "dispute": Case("scorecards", openers.dispute_scorecard, DisputeDialog, login="agent1"),
    "arbitrate": Case("scorecards", openers.arbitrate_scorecard, ArbitrateDialog),
    "evaluation sheets": Case("scorecards", openers.evaluation_sheet, SheetPreviewDialog),
    # Handover
    "acknowledge": Case("handover", lambda s: s.page("handover").log.detail.acknowledge(), AcknowledgeDialog),
    "close item": Case("handover", _close_item, CloseItemDialog),
    "item history": Case("handover", openers.item_history, ItemHistoryDialog),
    "penalties": Case("handover", lambda s: s.page("handover").log.detail.record_penalties(), PenaltyDialog),
    # Callbacks
    "log contact": Case("callbacks", lambda s: s.page("callbacks").log_contact(), ContactDialog),
    "update contact": Case("callbacks", openers.update_contact, ContactUpdateDialog),
    "outcome": Case("callbacks", _outcome, OutcomeDialog),
    "reassign": Case("callbacks", openers.reassign, ReassignDialog),
    "member": Case("callbacks", lambda s: s.page("callbacks").edit_member(None), MemberDialog),
    "print a list": Case("callbacks", lambda s: s.page("callbacks").print_birthdays(), PrintDialog),
    "list preview": Case("callbacks", openers.callback_preview, CallbackPreviewDialog),
    # Quality
    "new inspection": Case("qa", openers.new_inspection, InspectionDialog),
    "feed back": Case("qa", lambda s: openers.finding(s, "feed_back_button"), FollowUpDialog),
    "re-check": Case("qa", lambda s: openers.finding(s, "recheck_button", "A002"), FollowUpDialog),
    "deduction": Case("qa", lambda s: openers.finding(s, "deduct_button"), DeductionDialog),
    "respond to an inspection": Case("qa", openers.respond_to_inspection, InspectionResponseDialog, login="agent1"),
    "arbitrate an inspection": Case("qa", openers.arbitrate_inspection, InspectionArbitrateDialog),
}
#: Dialog classes no case opens, each with why (the test below fails on any other).
SKIPPED: dict[str, str] = {
    "csdesk.ui.dialogs.dispute_dialog.TextDialog": "a base: shown as the dispute and arbitration dialogs",
    "csdesk.ui.dialogs.users._AccountDialog": "a base: shown as add user, reset password and role",
    "csdesk.ui.qa.follow_up.FindingDialog": "a base: shown as feed back, re-check and deduction",
}
#: Pages in a state that shows what their first look does not.
STATES: dict[str, Case] = {
    "handover item editor": Case("handover", openers.edit_item),
    "calibration": Case("qa", openers.calibration),
    "inspection response": Case("qa", lambda s: openers.inspection(s, s.floor.disputed_inspection)),
}


def shown_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def each_step(dialog: QDialog) -> Iterator[None]:
    """A wizard shows each of its pages in turn; any other dialog is shown as it is."""
    if not isinstance(dialog, QWizard):
        yield
        return
    for page_id in dialog.pageIds():
        dialog.setStartId(page_id)
        dialog.restart()
        yield


def _qualified(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _subclasses(kind: type) -> Iterator[type]:
    for sub in kind.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_dialog_of_the_application_is_checked_or_skipped_for_a_reason() -> None:
    import csdesk.ui

    for module in pkgutil.walk_packages(csdesk.ui.__path__, "csdesk.ui."):
        importlib.import_module(module.name)
    found = {_qualified(kind) for kind in _subclasses(QDialog) if kind.__module__.startswith("csdesk.ui.")}
    checked = {_qualified(case.shows) for case in DIALOGS.values() if case.shows is not None}
    # A dialog no case opens: add a case to DIALOGS (or the class to SKIPPED, saying why).
    assert sorted(found - checked - set(SKIPPED)) == []
    assert sorted(set(SKIPPED) - found) == [] and sorted(set(SKIPPED) & checked) == []
    assert "csdesk.ui.dialogs.import_wizard.ImportWizard" in found  # the walk sees the dialogs at all


@pytest.fixture
def scene(
    qtbot, demo: AppContext, floor: Floor, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[Case, str], Scene]:
    """A window for a case on a screen: modal dialogs are shown instead (their exec() answers
    "cancelled" at once); print previews' folders in the test's own temp folder."""
    monkeypatch.setattr(QDialog, "exec", lambda dialog: (dialog.show(), 0)[1])
    own_temp_folder(tmp_path, monkeypatch)

    def make(case: Case, screen: str) -> Scene:
        window = open_window(qtbot, demo, case.page, SCREENS[screen], case.login)
        actor = demo.auth.resolve_actor(case.login)
        return Scene(qtbot, window, actor, demo, floor, monkeypatch, tmp_path)

    return make


@pytest.mark.parametrize("name", _params("dialog", DIALOGS, screens=False))
def test_each_dialog_fits_each_screen_with_every_text_whole(scene, pseudo, name: str) -> None:
    """Opened once over the window on the first screen, then sized and checked for each screen
    (a dialog's size is its own: the window behind it does not change it)."""
    case = DIALOGS[name]
    s = scene(case, next(iter(SCREENS)))
    before = set(shown_dialogs())
    case.open(s)
    dialogs = [d for d in shown_dialogs() if d not in before]
    assert [d for d in dialogs if type(d) is case.shows], f"no {case.shows} opened: {dialogs}"
    problems = []
    for screen, room in SCREENS.items():
        for dialog in dialogs:
            for _step in each_step(dialog):
                dialog.resize(dialog.sizeHint().boundedTo(room))  # as a window manager places a new dialog
                QApplication.processEvents()
                problems += [f"{screen}: {line}" for line in oversize(dialog, room) + clipped(dialog)]
    for dialog in reversed(dialogs):
        dialog.close()
    judge(f"dialog {name}", "", problems)


@pytest.mark.parametrize(("name", "screen"), _params("state", STATES))
def test_each_page_state_fits_the_screen_with_every_text_whole(scene, pseudo, name: str, screen: str) -> None:
    case, room = STATES[name], SCREENS[screen]
    s = scene(case, screen)
    case.open(s)
    QApplication.processEvents()
    frame = s.window.size() - s.window.stack.size()
    judge(f"state {name}", screen, clipped(s.window) + oversize(s.page(case.page), room - frame))
