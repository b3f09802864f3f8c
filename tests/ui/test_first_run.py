"""The first run (issue #17): on a database without sign-in accounts the GUI starts the set-up
wizard, not the sign-in; typed through, it names the site, keeps the language, makes the first
supervisor (a person and their account), starts the people list and signs the supervisor in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWizard

from csdesk import i18n
from csdesk.app import Workstation
from csdesk.services.base import SYSTEM
from csdesk.ui import qt_setup
from csdesk.ui.first_run import DEMO, EMPTY, IMPORT, FirstRunWizard
from csdesk.ui.login import LoginDialog

PASSWORD = "long-enough-1"
SCREEN = (1366, 768)


@pytest.fixture
def wizard(qtbot, ctx) -> FirstRunWizard:  # type: ignore[no-untyped-def]
    assert not ctx.auth.has_accounts()  # an empty database: a new site
    wizard = FirstRunWizard(ctx, language="en")
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _click(qtbot, wizard: FirstRunWizard, button: QWizard.WizardButton) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.button(button), Qt.MouseButton.LeftButton)


def _site(qtbot, wizard: FirstRunWizard, name: str = "Centro Sur", language: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page = wizard.site_page
    if language is not None:
        page.language.setCurrentIndex(page.language.findData(language))
    qtbot.keyClicks(page.site_name, name)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)


def _account(  # type: ignore[no-untyped-def]
    qtbot, wizard: FirstRunWizard, username: str = "jefa", again: str = PASSWORD, employee_no: str = "S100"
) -> None:
    page = wizard.account_page
    for field, text in ((page.username, username), (page.password, PASSWORD), (page.password_again, again),
                        (page.employee_no, employee_no), (page.person_name, "Ana Torres")):  # fmt: skip
        field.clear()
        qtbot.keyClicks(field, text)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)


def _finish(qtbot, wizard: FirstRunWizard, start_with: str) -> None:  # type: ignore[no-untyped-def]
    choice = wizard.start_page.choices[start_with]
    qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))  # on its circle
    assert choice.isChecked()
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)


def test_a_new_site_is_set_up_and_its_first_supervisor_signed_in(qtbot, ctx, wizard) -> None:  # type: ignore[no-untyped-def]
    chosen: list[str] = []
    wizard.language_chosen.connect(chosen.append)
    _site(qtbot, wizard, "Centro Sur", language="es_ES")
    assert wizard.account_page._labels[0].text() == "&Usuario"  # noqa: SLF001 (the wizard speaks Spanish now)
    _account(qtbot, wizard)
    _finish(qtbot, wizard, EMPTY)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.actor is not None and (wizard.actor.username, wizard.actor.role) == ("jefa", "supervisor")
    assert ctx.auth.login("jefa", PASSWORD).person_id == wizard.actor.person_id  # the account signs in
    person = ctx.people.get(wizard.actor, "S100")
    assert (person.name, person.role, person.id) == ("Ana Torres", "supervisor", wizard.actor.person_id)
    assert ctx.site.site().name == "Centro Sur"
    assert chosen == ["es_ES"] and i18n.current_language() == "es_ES"  # the language chosen is the one in use
    assert wizard.start_with == EMPTY and ctx.people.count() == 1


def test_two_different_passwords_are_refused_on_their_page(qtbot, ctx, wizard) -> None:  # type: ignore[no-untyped-def]
    _site(qtbot, wizard)
    _account(qtbot, wizard, again=PASSWORD + "x")
    assert wizard.currentPage() is wizard.account_page
    assert wizard.account_page.error.text() == i18n._("The two passwords differ. Type the same password twice.")
    assert wizard.account_page.password_again.text() == ""
    _account(qtbot, wizard, again=PASSWORD)
    assert wizard.currentPage() is wizard.start_page
    assert not ctx.auth.has_accounts()  # Next checked the account; nothing is written before Finish


def test_the_account_is_checked_before_the_last_page(qtbot, ctx, wizard) -> None:  # type: ignore[no-untyped-def]
    _site(qtbot, wizard)
    page = wizard.account_page
    for username, employee_no in (("two words", "S100"), ("jefa", "S 100")):
        _account(qtbot, wizard, username=username, employee_no=employee_no)
        assert wizard.currentPage() is page and page.error.text()
    assert not ctx.auth.has_accounts() and ctx.people.count() == 0


def test_load_the_demo_makes_the_demo_people_and_the_account_beside_them(qtbot, ctx, wizard) -> None:  # type: ignore[no-untyped-def]
    _site(qtbot, wizard)
    _account(qtbot, wizard, username="supervisor")  # the demo brings an account of that name
    _finish(qtbot, wizard, DEMO)
    assert wizard.start_page.status.text()  # "Loading the demo department…"
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    qtbot.waitUntil(lambda: wizard.job is None, timeout=120_000)
    assert "supervisor" in wizard.start_page.error.text()  # taken: said on the page, nothing else made
    people = ctx.people.count()
    assert people > 30 and ctx.people.get(SYSTEM, "A001").role == "agent"
    _click(qtbot, wizard, QWizard.WizardButton.BackButton)
    _account(qtbot, wizard, username="jefa")
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert ctx.people.count() == people + 1  # the demo was not loaded twice
    assert ctx.auth.login("jefa", PASSWORD).role == "supervisor"


def test_the_gui_sets_up_an_empty_database_and_signs_in_to_any_other(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(FirstRunWizard, "exec", lambda self: shown.append("set-up") or 0)
    monkeypatch.setattr(LoginDialog, "exec", lambda self: shown.append("sign-in") or 0)
    station = Workstation(QApplication.instance(), ctx)
    assert not station.start() and shown == ["set-up"]
    ctx.auth.create_supervisor_with_person(SYSTEM, "jefa", PASSWORD, "S100", "Ana Torres")
    assert not station.start() and shown == ["set-up", "sign-in"]


def test_import_people_now_opens_the_people_import_once_signed_in(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def run_wizard(wizard: FirstRunWizard) -> int:
        qtbot.addWidget(wizard)
        wizard.show()
        _site(qtbot, wizard)
        _account(qtbot, wizard)
        _finish(qtbot, wizard, IMPORT)
        return int(wizard.result())

    asked: list[str] = []
    monkeypatch.setattr(FirstRunWizard, "exec", run_wizard)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda parent, title, *a, **k: asked.append(title) or ("", ""))
    station = Workstation(QApplication.instance(), ctx)
    assert station.start()
    window = station.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: asked == [i18n._("Import people")])
    assert window.current_page_key() == "people"


@pytest.mark.parametrize(("lang", "finish"), [("zh_CN", "完成(&F)"), ("es_ES", "&Finalizar")])
def test_every_page_fits_a_1366_by_768_screen(qtbot, ctx, qapp, tmp_path: Path, lang: str, finish: str) -> None:  # type: ignore[no-untyped-def]
    qt_setup.install_qt_language(qapp, lang)
    try:
        wizard = FirstRunWizard(ctx, language=lang)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.site_page.site_name.setText("华南客服中心")
        account = wizard.account_page
        for field, text in ((account.username, "jefa"), (account.password, PASSWORD), (account.password_again, PASSWORD),
                            (account.employee_no, "S100"), (account.person_name, "Ana Torres")):  # fmt: skip
            field.setText(text)
        for n, page in enumerate((wizard.site_page, wizard.account_page, wizard.start_page)):
            if n:
                wizard.next()
            assert wizard.currentPage() is page
            hint = wizard.sizeHint()
            assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], (lang, n, hint)
            assert wizard.grab().save(str(tmp_path / f"first-run-{lang}-{n + 1}.png"))
        assert wizard.buttonText(QWizard.WizardButton.FinishButton) == finish  # Qt's own buttons in the language
    finally:
        qt_setup.install_qt_language(qapp, "en")
