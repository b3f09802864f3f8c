"""Settings ▸ Holidays (issue 17): the supervisor sees the year's calendar in force, edits the site's
lists and applies them to the site policy file; a date in two lists is refused with nothing written."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from csdesk.services.base import Actor
from csdesk.ui import policy_change
from csdesk.ui.pages.settings_holidays import HolidaysSection
from tests.helpers.factories import make_context

SUP = Actor("supervisor", "supervisor")


@pytest.fixture
def answers(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The confirmation is accepted; what it and the message after it said, in order."""
    said: list[str] = []
    monkeypatch.setattr(policy_change, "confirm", lambda _parent, text, _title=None: said.append(text) or True)
    monkeypatch.setattr(policy_change, "show_info", lambda _parent, text, _title=None: said.append(text))
    return said


def _section(qtbot, ctx) -> HolidaysSection:  # type: ignore[no-untyped-def]
    section = HolidaysSection(ctx.site_policy, ctx.policy, actor=SUP)
    qtbot.addWidget(section)
    section.show()
    return section


def _shown_days(section: HolidaysSection) -> list[date]:
    calendar = section.calendar
    return [calendar.item(row).data(Qt.ItemDataRole.UserRole) for row in range(calendar.count())]


def _shown_text(section: HolidaysSection, day: date) -> str:
    return section.calendar.item(_shown_days(section).index(day)).text()


def _add(qtbot, section: HolidaysSection, key: str, day: date) -> None:  # type: ignore[no-untyped-def]
    editor = section.lists[key]
    editor.date.setDate(QDate(day.year, day.month, day.day))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)


def _apply(qtbot, section: HolidaysSection) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(section.apply_button, Qt.MouseButton.LeftButton)


def test_the_year_list_shows_the_calendar_in_force_and_follows_the_year(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    section = _section(qtbot, ctx)
    assert section.year.value() == 2026  # the clock's year
    assert date(2026, 10, 1) in _shown_days(section)
    assert "Public holiday" in _shown_text(section, date(2026, 10, 1))
    assert "added by the site" not in _shown_text(section, date(2026, 10, 1))
    section.year.setValue(2027)
    days = _shown_days(section)
    assert date(2027, 10, 1) in days and date(2026, 10, 1) not in days
    assert {d.year for d in days} == {2027}


def test_a_site_holiday_added_and_applied_is_written_and_audited(qtbot, ctx, answers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    section = _section(qtbot, ctx)
    assert not section.apply_button.isEnabled()  # nothing changed yet
    _add(qtbot, section, "extra_holidays", date(2026, 10, 9))
    _add(qtbot, section, "extra_holidays", date(2026, 10, 9))  # already listed: nothing happens
    assert section.lists["extra_holidays"].dates() == ["2026-10-09"]
    _apply(qtbot, section)
    site_file = tmp_path / "policy.toml"
    assert tomllib.loads(site_file.read_text(encoding="utf-8"))["department_hours"] == {"extra_holidays": ["2026-10-09"]}
    entry = ctx.audit.recent(SUP)[0]
    assert (entry.action, entry.details["department_hours.extra_holidays"]) == ("policy.apply", [[], ["2026-10-09"]])
    confirmation, info = answers
    assert "Site holidays: — → Oct 9, 2026" in confirmation and "next start" in confirmation
    assert info == f"Written to {site_file}; in force from the next start."
    assert section.status.text().startswith(info) and "Start csdesk again" in section.status.text()
    assert section.error.text() == ""
    _add(qtbot, section, "makeup_days", date(2026, 10, 10))
    assert not section.apply_button.isEnabled()  # one change a run: the next waits for a start
    assert ctx.policy.department_hours.extra_holidays == ()  # this run keeps the policy it started with


def test_a_date_in_two_lists_is_refused_and_nothing_is_written(qtbot, ctx, answers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    section = _section(qtbot, ctx)
    _add(qtbot, section, "extra_holidays", date(2026, 10, 9))
    _add(qtbot, section, "removed_holidays", date(2026, 10, 9))
    _apply(qtbot, section)
    assert "department_hours.removed_holidays[0]" in section.error.text()
    assert "only one of extra_holidays, removed_holidays and makeup_days" in section.error.text()
    assert not (tmp_path / "policy.toml").exists()
    assert answers == []  # refused before the confirmation
    assert section.lists["extra_holidays"].dates() == ["2026-10-09"]  # nothing entered is lost
    assert section.lists["removed_holidays"].dates() == ["2026-10-09"]
    assert section.apply_button.isEnabled()


def test_a_site_date_removed_from_its_list_is_written_without_it(qtbot, clock, answers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site_file = tmp_path / "site.toml"
    site_file.write_text('[department_hours]\nextra_holidays = ["2026-12-24", "2026-10-09"]\n', encoding="utf-8")
    ctx = make_context(tmp_path, clock, policy_file=site_file)
    try:
        section = _section(qtbot, ctx)
        assert "added by the site" in _shown_text(section, date(2026, 10, 9))
        editor = section.lists["extra_holidays"]
        assert editor.dates() == ["2026-10-09", "2026-12-24"]
        assert not editor.remove_button.isEnabled()  # nothing chosen
        editor.list.setCurrentRow(0)
        qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
        assert editor.dates() == ["2026-12-24"]
        _apply(qtbot, section)
        assert tomllib.loads(site_file.read_text(encoding="utf-8"))["department_hours"]["extra_holidays"] == ["2026-12-24"]
        assert section.error.text() == ""
    finally:
        ctx.close()
