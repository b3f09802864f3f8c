"""The site's name on paper (issue #14): the name set in Settings (or the policy's [site]) heads
every page of every document with the logo beside it, pages are numbered "x / y", an empty field
leaves no stray separator, and a logo that cannot be read is logged and left out, never a
traceback."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from csdesk import i18n
from csdesk.errors import PermissionDenied, ValidationError
from csdesk.policy.model import Site
from csdesk.services.base import SYSTEM
from tests.helpers.factories import FixedClock, make_context
from tests.helpers.pdf import pdf_pages, pdf_text
from tests.reports.layout import pages

SITE = "华南客服中心"
MONTH = "2026-10"


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The 30-agent demo's October (its teams' summaries run over a page), printed at 2:33 at night."""
    i18n.install("en")
    ctx = make_context(tmp_path_factory.mktemp("site"), FixedClock(datetime(2026, 10, 15, 2, 33)))
    ctx.demo.build(SYSTEM, agents=30, months=1, seed=7)
    yield ctx
    ctx.close()


def _png(path: Path) -> Path:
    Image.new("RGB", (120, 60), "#1f4e79").save(path)
    return path


def _image_pages(path: Path) -> set[int]:
    """The pages that draw an image (``pdfimages -list``: one row per image drawn)."""
    rows = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return {int(row.split()[0]) for row in rows.splitlines()[2:] if row.strip()}


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def _check_every_page(path: Path, name: str, *, logo: bool) -> list[str]:
    """Each page opens with the site's name, carries its number "x / y", has no line starting with
    a separator, and shows the logo (or no image at all)."""
    texts = pages(path)
    total = pdf_pages(path)
    assert len(texts) == total
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0].startswith(name), (number, lines[0])
        assert _squeezed(i18n._("Page {page}").format(page=f"{number} / {total}")) in _squeezed(text), number
        assert not [line for line in lines if line.startswith("·")], number
    assert _image_pages(path) == (set(range(1, total + 1)) if logo else set())
    return texts


def _print_all(ctx, out: Path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """The leave form, one team's evaluation sheets and the attendance summary of a team whose
    summary runs over two pages or more."""
    leave = ctx.attendance.leave_requests(SYSTEM, year=2026, month=10)[0]
    ctx.attendance.print_leave(SYSTEM, leave.id, out / "leave.pdf")
    teams = sorted({a.team for a in ctx.attendance.team_month(SYSTEM, 2026, 10).agents if a.team})
    ctx.scorecards.print_evaluation(SYSTEM, MONTH, out / "sheets.pdf", team=teams[0])
    for team in teams:
        ctx.attendance.print_month(SYSTEM, 2026, 10, team, out / "summary.pdf")
        if pdf_pages(out / "summary.pdf") >= 2:
            break
    else:
        pytest.fail("no team's summary runs over a page")
    return {"leave": out / "leave.pdf", "sheets": out / "sheets.pdf", "summary": out / "summary.pdf"}


@pytest.mark.parametrize("lang", ["zh_CN", "es_ES"])
def test_the_site_and_its_logo_head_every_page_of_the_forms_sheets_and_summary(floor, tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    floor.site.set_site(SYSTEM, SITE, str(_png(tmp_path / "logo.png")))
    i18n.install(lang)
    printed = _print_all(floor, tmp_path)
    for path in printed.values():
        _check_every_page(path, SITE, logo=True)
    assert pdf_pages(printed["sheets"]) >= 2 and pdf_pages(printed["summary"]) >= 2
    # Later pages of the summary still say which report, month and team they are.
    title, month = i18n._("Monthly attendance summary"), i18n.format_month(2026, 10)
    for text in pages(printed["summary"])[1:]:
        head = _squeezed(text.strip().splitlines()[0])
        assert _squeezed(title) in head and _squeezed(month) in head


def test_without_a_site_or_logo_nothing_is_left_dangling(floor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    floor.site.set_site(SYSTEM, "", "")
    printed = _print_all(floor, tmp_path)
    leave = pages(printed["leave"])[0]
    first = next(line.strip() for line in leave.splitlines() if line.strip())
    assert first.startswith(i18n._("Leave request form"))  # the form's name, no separator before it
    for path in printed.values():
        texts = pages(path)
        assert not [line for text in texts for line in text.splitlines() if line.strip().startswith("·")]
        assert _image_pages(path) == set()
    assert floor.site.site() == Site()


def test_with_a_name_and_no_logo_every_page_is_headed_by_the_name(floor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    floor.site.set_site(SYSTEM, "Centro Sur", "")
    for path in _print_all(floor, tmp_path).values():
        _check_every_page(path, "Centro Sur", logo=False)


def test_a_logo_that_went_missing_or_broke_is_logged_and_the_document_prints(
    floor, tmp_path: Path, caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    logo = _png(tmp_path / "logo.png")
    floor.site.set_site(SYSTEM, SITE, str(logo))
    leave = floor.attendance.leave_requests(SYSTEM, year=2026, month=10)[0]
    for damage in (lambda: logo.write_bytes(b"\x89PNG\r\n\x1a\n but not an image"), logo.unlink):
        damage()
        caplog.clear()
        out = tmp_path / "leave.pdf"
        with caplog.at_level(logging.WARNING, logger="csdesk.reports"):
            floor.attendance.print_leave(SYSTEM, leave.id, out)
        _check_every_page(out, SITE, logo=False)
        assert [r for r in caplog.records if str(logo) in r.getMessage() and r.levelno == logging.WARNING]


def test_the_policy_s_site_is_printed_until_settings_set_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site_file = tmp_path / "site.toml"
    site_file.write_text(f'[site]\nname = "Policy Site"\nlogo = "{tmp_path / "nowhere.png"}"\n', encoding="utf-8")
    ctx = make_context(tmp_path, FixedClock(), policy_file=site_file)
    try:
        ctx.demo.build(SYSTEM, agents=3, months=1, seed=7, areas=False)
        assert ctx.site.site() == Site("Policy Site", str(tmp_path / "nowhere.png"))
        out = tmp_path / "summary.pdf"
        with caplog.at_level(logging.WARNING, logger="csdesk.reports"):
            ctx.attendance.print_month(SYSTEM, 2026, 10, None, out)
        _check_every_page(out, "Policy Site", logo=False)
        assert any("nowhere.png" in r.getMessage() for r in caplog.records)
        ctx.site.set_site(SYSTEM, "Settings Site", "")
        assert ctx.site.site().name == "Settings Site"
    finally:
        ctx.close()


def test_the_english_footer_prints_the_time_with_one_space(floor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    floor.site.set_site(SYSTEM, "", "")
    leave = floor.attendance.leave_requests(SYSTEM, year=2026, month=10)[0]
    out = tmp_path / "leave.pdf"
    floor.attendance.print_leave(SYSTEM, leave.id, out)
    footer = next(line for line in pdf_text(out).splitlines() if i18n._("Printed {when}").split("{")[0].strip() in line)
    assert re.search(r"2:33\sAM", footer), footer  # not "2:33   AM"


def test_setting_the_site_is_the_settings_editors_and_audited(floor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lead = floor.auth.resolve_actor("lead1")
    with pytest.raises(PermissionDenied):
        floor.site.set_site(lead, "Mine", "")
    text_file = tmp_path / "logo.png"
    text_file.write_text("not a picture", encoding="utf-8")
    for bad in (str(text_file), str(tmp_path / "missing.png")):
        with pytest.raises(ValidationError):
            floor.site.set_site(SYSTEM, SITE, bad)
    with pytest.raises(ValidationError):
        floor.site.set_site(SYSTEM, "x" * 101, "")
    supervisor = floor.auth.resolve_actor("supervisor")
    floor.site.set_site(supervisor, "  Centro   Norte ", "")
    assert floor.site.site() == Site("Centro Norte", "")
    entry = next(e for e in floor.audit.recent(supervisor, 20, entity="settings") if e.action == "settings.site")
    assert entry.username == "supervisor" and entry.details["after"] == {"name": "Centro Norte", "logo": ""}


def test_the_site_is_kept_with_the_data_for_every_pc(floor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    floor.site.set_site(SYSTEM, "Centro Este", "")
    other_pc = make_context(tmp_path, FixedClock(), db=floor.db_url)
    try:
        assert other_pc.site.site().name == "Centro Este"
    finally:
        other_pc.close()
