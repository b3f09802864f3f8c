"""Drive the real windows: sign in, visit every page, add a person, switch language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox

from csdesk import i18n
from csdesk.app import Workstation
from csdesk.services.base import SYSTEM, Actor
from csdesk.ui.dialogs.person import PersonDialog
from csdesk.ui.login import LoginDialog
from csdesk.ui.main_window import MainWindow
from csdesk.ui.pages.coming import ComingPage
from csdesk.ui.pages.people import PeoplePage


def _login(qtbot, auth, user: str, password: str) -> LoginDialog:
    dialog = LoginDialog(auth, language="en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog._user, user)
    qtbot.keyClicks(dialog._password, password)
    qtbot.mouseClick(dialog._buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    return dialog


def test_the_sign_in_form_labels_its_fields(qtbot, demo_ctx) -> None:
    dialog = LoginDialog(demo_ctx.auth, language="en")
    qtbot.addWidget(dialog)
    assert [label.text() for label in dialog._labels] == ["&User name", "&Password", "&Language"]
    assert dialog._labels[0].buddy() is dialog._user


def test_wrong_password_is_refused_in_the_dialog(qtbot, demo_ctx) -> None:
    dialog = _login(qtbot, demo_ctx.auth, "supervisor", "nope")
    assert dialog.actor is None
    assert dialog._error.text() == "Wrong user name or password."


def test_supervisor_signs_in_and_visits_every_page(qtbot, demo_ctx) -> None:
    dialog = _login(qtbot, demo_ctx.auth, "supervisor", "demo")
    assert dialog.actor == Actor("supervisor", "supervisor", dialog.actor.person_id)
    window = MainWindow(demo_ctx, actor=dialog.actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.page_keys() == ["handover", "attendance", "scorecards", "callbacks", "qa", "people", "audit", "settings"]
    for row, key in enumerate(window.page_keys()):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget() is window.pages[key]
        assert window.current_page_key() == key
    for page in window.pages.values():  # areas not built yet say so, and show no data
        if isinstance(page, ComingPage):
            assert "not built yet" in page._body.text()
    assert type(window.pages["attendance"]).__name__ == "AttendancePage"
    people = window.pages["people"]
    assert isinstance(people, PeoplePage)
    assert people.model.rowCount() == demo_ctx.people.count()
    audit = window.pages["audit"]
    window.show_page("audit")
    assert any(audit.model.row(r).action == "login" for r in range(audit.model.rowCount()))


def test_a_trainer_does_not_see_what_the_role_may_not_use(qtbot, demo_ctx) -> None:
    actor = _login(qtbot, demo_ctx.auth, "trainer", "demo").actor
    window = MainWindow(demo_ctx, actor=actor)
    qtbot.addWidget(window)
    assert window.page_keys() == ["scorecards", "qa", "people", "settings"]
    people = window.pages["people"]
    assert not people.add_button.isVisibleTo(people) and not people.import_button.isVisibleTo(people)


def test_an_agent_s_desk_shows_their_own_month_scorecard_and_roster_row(qtbot, demo_ctx) -> None:
    actor = _login(qtbot, demo_ctx.auth, "agent1", "demo").actor
    window = MainWindow(demo_ctx, actor=actor)
    qtbot.addWidget(window)
    assert window.page_keys() == ["attendance", "scorecards", "callbacks", "qa", "settings"]
    window.show_page("attendance")
    page = window.pages["attendance"]
    qtbot.waitUntil(lambda: page.model.month is not None, timeout=10_000)
    assert [a.employee_no for a in page.model.month.agents] == ["A001"]
    assert not page.team.isVisibleTo(page)  # an agent sees no team to choose
    page.tabs.setCurrentWidget(page.roster_view)
    assert [p.employee_no for p in page.roster_view.model.people] == ["A001"]
    window.show_page("scorecards")
    cards = window.pages["scorecards"]
    qtbot.waitUntil(lambda: cards.ranking.model.rowCount() == 1, timeout=10_000)
    assert cards.ranking.model.row(0).employee_no == "A001"


def test_a_team_lead_s_people_page_lists_their_team_without_personnel_columns(qtbot, demo_ctx) -> None:
    actor = _login(qtbot, demo_ctx.auth, "lead1", "demo").actor
    window = MainWindow(demo_ctx, actor=actor)
    qtbot.addWidget(window)
    window.show_page("people")
    people = window.pages["people"]
    team = demo_ctx.people.get(actor, "L001").team
    rows = [people.model.row(r) for r in range(people.model.rowCount())]
    assert rows and {p.team for p in rows} == {team}
    assert len(rows) < demo_ctx.people.count()  # not the whole floor
    headers = {people.model.headerData(c, Qt.Orientation.Horizontal) for c in range(people.model.columnCount())}
    assert {"Name", "Team"} <= headers and not {"Level", "Joined", "Birthday", "Phone", "Device id"} & headers


def test_add_a_person_by_keyboard_and_find_them(qtbot, demo_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    actor = Actor("supervisor", "supervisor")
    page = PeoplePage(demo_ctx.people, actor=actor)
    qtbot.addWidget(page)
    page.show()
    dialogs: list[PersonDialog] = []

    def fill_and_save(dialog: PersonDialog) -> int:
        dialogs.append(dialog)
        qtbot.keyClicks(dialog.employee_no, "A900")
        # QTest cannot synthesise key events for CJK; an input method commits text like this.
        dialog.name.insert("Núria 周")
        dialog.team.setCurrentText("Equipo Sur")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(PersonDialog, "exec", fill_and_save)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert dialogs[0].saved is not None
    page.search.insert("Núria 周")
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 1).data() == "Núria 周"
    assert page.selected().employee_no == "A900"


def test_people_search_and_header_sort_work_together(qtbot, demo_ctx) -> None:
    page = PeoplePage(demo_ctx.people, actor=Actor("supervisor", "supervisor"))
    qtbot.addWidget(page)
    page.show()
    everyone = page.model.rowCount()
    team = demo_ctx.people.get(SYSTEM, "A001").team
    page.search.insert(team.upper())  # any column, any case
    members = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert 0 < len(members) < everyone
    assert members == sorted(members)  # the model's order (number, ascending) shows through
    name_column = 1
    page.table.horizontalHeader().setSortIndicator(name_column, Qt.SortOrder.DescendingOrder)  # a header click
    names = [page.proxy.index(r, name_column).data() for r in range(page.proxy.rowCount())]
    assert names == sorted(names, reverse=True) and len(names) == len(members)
    page.reload()  # a reload keeps both the search and the order
    assert [page.proxy.index(r, name_column).data() for r in range(page.proxy.rowCount())] == names
    page.search.clear()
    assert page.proxy.rowCount() == everyone
    assert "people" in page._count.text() and str(everyone) in page._count.text()


def test_person_form_names_the_bad_field(qtbot, demo_ctx) -> None:
    dialog = PersonDialog(demo_ctx.people, actor=Actor("supervisor", "supervisor"), teams=["客服一组"])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.employee_no, "A001")  # taken by the demo
    dialog.name.insert("重复")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.saved is None
    assert "already used" in dialog.error.text()


def test_deactivate_asks_then_greys_out(qtbot, demo_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    page = PeoplePage(demo_ctx.people, actor=Actor("supervisor", "supervisor"))
    qtbot.addWidget(page)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.select_employee("A002")
    qtbot.mouseClick(page.toggle_button, Qt.MouseButton.LeftButton)
    assert "A002" not in {p.employee_no for p in demo_ctx.people.people(SYSTEM)}
    page.show_inactive.setChecked(True)
    page.select_employee("A002")
    assert page.toggle_button.text() == "Reactivate"


def test_switching_language_rebuilds_the_window_in_chinese(qtbot, demo_ctx) -> None:
    app = QApplication.instance()
    station = Workstation(app, demo_ctx)
    window = station.open_window(Actor("supervisor", "supervisor"), page="settings")
    qtbot.addWidget(window)
    settings_page = window.pages["settings"]
    settings_page.language.setCurrentIndex(settings_page.language.findData("zh_CN"))
    new = station.window
    qtbot.addWidget(new)
    assert new is not window
    assert i18n.current_language() == "zh_CN"
    assert new.current_page_key() == "settings"
    assert new.nav.item(0).text() == "交接班日志" or new.nav.item(0).text() != "Handover log"
    assert any("主管" in label.text() for label in new.statusBar().findChildren(QLabel))


def test_settings_checks_a_policy_file(qtbot, demo_ctx, tmp_path) -> None:
    window = MainWindow(demo_ctx, actor=Actor("supervisor", "supervisor"))
    qtbot.addWidget(window)
    page = window.pages["settings"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[scoring]\ncap = 'x'\n", encoding="utf-8")
    page.policy_path.setText(str(bad))
    qtbot.mouseClick(page.check_policy, Qt.MouseButton.LeftButton)
    assert "scoring.cap" in page.policy_status.text()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Not saved" in page.saved_label.text()


def test_table_model_passes_the_model_tester(qtbot, qtmodeltester, demo_ctx) -> None:
    page = PeoplePage(demo_ctx.people, actor=Actor("supervisor", "supervisor"))
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)


def test_the_person_form_records_when_the_level_started(qtbot, demo_ctx) -> None:
    """rules.md §8 counts months since the current level started: the form shows and corrects it."""
    people = demo_ctx.people
    person = people.get(SYSTEM, "A003")
    recorded = people.level_history(SYSTEM, "A003").since
    dialog = PersonDialog(people, actor=Actor("supervisor", "supervisor"), teams=["客服一组"], person=person)
    qtbot.addWidget(dialog)
    assert dialog.level_since.value() == recorded  # the recorded start, as it stands
    start = date(2025, 3, 1) if person.join_date is None or person.join_date <= date(2025, 3, 1) else person.join_date
    dialog.level_since.set_value(start)
    dialog.level_note.insert("ascenso aprobado en marzo")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    assert people.level_history(SYSTEM, "A003").since == start
    entry = next(e for e in demo_ctx.audit.recent(Actor("supervisor", "supervisor"), limit=5) if e.action == "person.level")
    assert entry.details["effective"] == start.isoformat() and entry.details["note"] == "ascenso aprobado en marzo"


def test_a_new_level_starts_today_and_never_in_the_future(qtbot, demo_ctx) -> None:
    people = demo_ctx.people
    dialog = PersonDialog(people, actor=Actor("supervisor", "supervisor"), teams=["客服一组"], person=people.get(SYSTEM, "A004"))
    qtbot.addWidget(dialog)
    other = next(i for i in range(dialog.level.count()) if dialog.level.itemData(i) not in (None, people.get(SYSTEM, "A004").level))
    dialog.level.setCurrentIndex(other)
    assert dialog.level_since.value() == demo_ctx.people.now().date()
    dialog.level.setCurrentIndex(dialog.level.findData(people.get(SYSTEM, "A004").level))  # back: the recorded start again
    assert dialog.level_since.value() == people.level_history(SYSTEM, "A004").since
    dialog.level.setCurrentIndex(other)
    dialog.level_since.set_value(date.today() + timedelta(days=30))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.saved is None and "future" in dialog.error.text()


def test_a_person_changed_on_another_pc_is_not_overwritten(qtbot, demo_ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: the form opened before a colleague saved the same person refuses to save over it,
    names who changed it, and closes when the supervisor chooses Reload."""
    from csdesk.models.domain import PersonData
    from csdesk.ui import messages

    shown = demo_ctx.people.get(SYSTEM, "A001")
    dialog = PersonDialog(demo_ctx.people, actor=Actor("supervisor", "supervisor"), teams=[shown.team or ""], person=shown)
    qtbot.addWidget(dialog)
    fields = (shown.employee_no, shown.name, shown.team, shown.role, shown.level, shown.join_date, shown.birthday, shown.gender)
    demo_ctx.people.update(Actor("trainer2", "supervisor"), PersonData(*fields, "600 111 222"))
    offered: list[str] = []
    monkeypatch.setattr(messages, "offer_reload", lambda parent, exc: offered.append(exc.message()) is None)  # "Reload"
    dialog.name.setText(shown.name + " Ruiz")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.saved is None and dialog.stale and dialog.result() == 0
    assert "trainer2 changed this record" in dialog.error.text() and "Nothing was saved" in dialog.error.text()
    assert offered == [dialog.error.text()]
    after = demo_ctx.people.get(SYSTEM, "A001")
    assert (after.phone, after.name) == ("600 111 222", shown.name)  # the colleague's save stands, ours is not half-applied
