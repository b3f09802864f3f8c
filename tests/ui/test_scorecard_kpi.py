"""The KPI and 360 entry of the scorecard window: type, Tab, Enter; refusals shown under the row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from csdesk import i18n
from csdesk.services.base import Actor
from csdesk.ui.scorecards.kpi_dialog import KPI, SCORE_360, KpiDialog
from csdesk.ui.scorecards.page import ScorecardsPage
from tests.helpers.qt import wait_loaded

SUPERVISOR = Actor("supervisor", "supervisor")
TRAINER = Actor("trainer", "trainer")
MONTH = "2026-10"  # the fixed clock's month, the page's first
AGENT = "A001"
NOTHING = "KPI: nothing entered for this month."


def open_page(qtbot, ctx, actor: Actor) -> ScorecardsPage:
    page = ScorecardsPage(ctx, actor=actor)
    wait_loaded(qtbot, page)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.open_scorecard(AGENT)
    return page


@pytest.fixture
def page(qtbot, demo_ctx) -> ScorecardsPage:
    return open_page(qtbot, demo_ctx, TRAINER)


def stored(ctx):
    inputs = ctx.scorecards.kpi_inputs(SUPERVISOR, MONTH, AGENT)
    return inputs.kpi_values(), inputs.values_360()


def field(dialog: KpiDialog, kind: str, name: str):
    return dialog.rows[(kind, name)].field


def run_dialog(qtbot, page: ScorecardsPage, monkeypatch, steps) -> KpiDialog:
    """Click "Edit KPIs…" and drive the dialog as a user would (``exec`` shows it modeless)."""
    opened: list[KpiDialog] = []

    def exec_(dialog: KpiDialog) -> int:
        opened.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        steps(dialog)
        return dialog.result()

    monkeypatch.setattr(KpiDialog, "exec", exec_)
    qtbot.mouseClick(page.scorecard.kpi_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    return opened[0]


def test_type_satisfaction_and_a_360_score_and_enter_saves_and_the_block_shows_them(qtbot, page, demo_ctx, monkeypatch) -> None:
    view = page.scorecard
    assert view.kpi.text() == NOTHING and view.kpi_button.isVisible() and view.kpi_button.isEnabled()

    def steps(dialog: KpiDialog) -> None:
        satisfaction = field(dialog, KPI, "satisfaction")
        assert satisfaction.hasFocus()  # the first field has the focus
        qtbot.keyClicks(satisfaction, "96.5")
        for _n in range(6):  # Tab goes down the rows: 3 more KPIs, self, supervisor, customer
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        customer = field(dialog, SCORE_360, "customer")
        assert QApplication.focusWidget() is customer
        qtbot.keyClicks(customer, "88")
        qtbot.keyClick(customer, Qt.Key.Key_Return)

    dialog = run_dialog(qtbot, page, monkeypatch, steps)
    assert dialog.result() == KpiDialog.DialogCode.Accepted and dialog.saved is not None
    kpis, scores = stored(demo_ctx)
    assert kpis == {"satisfaction": Decimal("96.5"), "complaint_rate": None, "response_time": None, "resolution_rate": None}
    assert scores == {"self": None, "supervisor": None, "customer": Decimal("88")}
    # (96.5 − 80) / (98 − 80) × 100 = 91.7: excellent; the only 360 score is the result
    assert view.kpi.text() == "KPI 91.7 (Excellent, ×1.5): Customer satisfaction 96.5 → 92<br>360 evaluation 88.0"


def test_the_dialog_shows_the_stored_values_and_an_emptied_field_clears_one(qtbot, page, demo_ctx, monkeypatch) -> None:
    demo_ctx.scorecards.set_kpi_inputs(TRAINER, MONTH, AGENT, kpis={"satisfaction": 90, "response_time": 12.5}, scores_360={"self": 70})

    def steps(dialog: KpiDialog) -> None:
        assert field(dialog, KPI, "satisfaction").text() == "90"
        assert field(dialog, KPI, "response_time").text() == "12.5"
        assert field(dialog, KPI, "complaint_rate").text() == ""
        assert field(dialog, SCORE_360, "self").text() == "70"
        assert dialog.rows[(KPI, "response_time")].unit.text() == "seconds on average"
        self_score = field(dialog, SCORE_360, "self")
        self_score.selectAll()
        qtbot.keyClick(self_score, Qt.Key.Key_Delete)
        qtbot.keyClick(self_score, Qt.Key.Key_Enter)

    run_dialog(qtbot, page, monkeypatch, steps)
    kpis, scores = stored(demo_ctx)
    assert kpis["satisfaction"] == 90 and kpis["response_time"] == Decimal("12.5") and scores["self"] is None
    assert "360 evaluation" not in page.scorecard.kpi.text()


def test_a_360_score_over_100_is_explained_under_its_row_and_nothing_is_saved(qtbot, page, demo_ctx, monkeypatch) -> None:
    def steps(dialog: KpiDialog) -> None:
        qtbot.keyClicks(field(dialog, KPI, "satisfaction"), "95")
        customer = field(dialog, SCORE_360, "customer")
        qtbot.mouseClick(customer, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(customer, "120")
        qtbot.keyClick(customer, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.saved is None  # stays open
        error = dialog.rows[(SCORE_360, "customer")].error
        assert error.isVisible()
        assert error.text() == "The score of Customer evaluation must be between 0 and 100, not 120"
        assert customer.hasFocus()
        qtbot.keyClick(customer, Qt.Key.Key_Backspace)  # typing again clears the reason
        assert not error.isVisible()
        qtbot.keyClick(customer, Qt.Key.Key_Escape)

    dialog = run_dialog(qtbot, page, monkeypatch, steps)
    assert dialog.result() == KpiDialog.DialogCode.Rejected
    kpis, scores = stored(demo_ctx)
    assert set(kpis.values()) == {None} and set(scores.values()) == {None}
    assert page.scorecard.kpi.text() == NOTHING


def test_text_that_is_no_number_is_explained_when_the_field_is_left(qtbot, page, demo_ctx, monkeypatch) -> None:
    def steps(dialog: KpiDialog) -> None:
        satisfaction = field(dialog, KPI, "satisfaction")
        qtbot.keyClicks(satisfaction, "muy bien")
        qtbot.keyClick(satisfaction, Qt.Key.Key_Tab)
        error = dialog.rows[(KPI, "satisfaction")].error
        assert error.isVisible() and error.text() == "Customer satisfaction: 'muy bien' is not a number"
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert dialog.isVisible() and satisfaction.hasFocus()  # Enter went back to the bad field
        dialog.reject()

    run_dialog(qtbot, page, monkeypatch, steps)
    assert stored(demo_ctx)[0]["satisfaction"] is None


def test_spanish_shows_and_accepts_the_decimal_comma(qtbot, page, demo_ctx, monkeypatch) -> None:
    demo_ctx.scorecards.set_kpi_inputs(TRAINER, MONTH, AGENT, kpis={"complaint_rate": Decimal("1.5")})
    i18n.install("es_ES")

    def steps(dialog: KpiDialog) -> None:
        complaints = field(dialog, KPI, "complaint_rate")
        assert complaints.text() == "1,5"
        complaints.selectAll()
        qtbot.keyClicks(complaints, "2,25")
        qtbot.keyClick(complaints, Qt.Key.Key_Return)

    run_dialog(qtbot, page, monkeypatch, steps)
    assert stored(demo_ctx)[0]["complaint_rate"] == Decimal("2.25")


def test_a_month_locked_while_the_dialog_is_open_refuses_and_the_dialog_says_why(qtbot, page, demo_ctx, monkeypatch) -> None:
    def steps(dialog: KpiDialog) -> None:
        demo_ctx.scorecards.months.lock(SUPERVISOR, MONTH)  # signed off at the supervisor's desk meanwhile
        satisfaction = field(dialog, KPI, "satisfaction")
        qtbot.keyClicks(satisfaction, "97")
        qtbot.keyClick(satisfaction, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.saved is None
        assert dialog.error.text().startswith("The month 2026-10 is locked (signed off by supervisor)")
        dialog.reject()

    run_dialog(qtbot, page, monkeypatch, steps)
    assert stored(demo_ctx)[0]["satisfaction"] is None


def test_a_locked_month_shows_its_inputs_read_only(qtbot, demo_ctx) -> None:
    demo_ctx.scorecards.set_kpi_inputs(TRAINER, MONTH, AGENT, kpis={"satisfaction": 91})
    demo_ctx.scorecards.months.lock(SUPERVISOR, MONTH)
    page = open_page(qtbot, demo_ctx, SUPERVISOR)
    view = page.scorecard
    assert view.kpi_button.isVisible() and not view.kpi_button.isEnabled()
    dialog = view.kpi_dialog()  # what a stale window would open
    assert dialog is not None
    qtbot.addWidget(dialog)
    satisfaction = field(dialog, KPI, "satisfaction")
    assert satisfaction.text() == "91" and satisfaction.isReadOnly()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert "locked (signed off by supervisor)" in dialog.lock_note.text()
    dialog.save()  # Enter on a read-only dialog does nothing
    assert dialog.saved is None and stored(demo_ctx)[0]["satisfaction"] == 91


def test_roles_that_do_not_rate_get_no_kpi_entry(qtbot, demo_ctx) -> None:
    page = open_page(qtbot, demo_ctx, demo_ctx.auth.resolve_actor("lead1"))  # the demo's team lead
    assert not page.scorecard.kpi_button.isVisibleTo(page)
