"""A character the font lacks prints as a visible placeholder and is reported once (issue 14):
to whoever printed, in their language, on the command line's stderr (the exit code stays 0)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.cli import main
from csdesk.reports import leave_form
from csdesk.reports.glyph_notices import MissingGlyphs, missing_glyphs_told
from csdesk.reports.styles import placeholder
from csdesk.services.base import SYSTEM
from tests.helpers.pdf import pdf_text
from tests.reports.test_seed_fields import HEADER, SICK

THUMB, FEVER = "\U0001f44d", "\U0001f912"  # 👍 🤒: not in WenQuanYi Micro Hei
REASON = f"发烧 fiebre {THUMB} {FEVER} {THUMB}"


def _told(out: Path, **changes: object) -> list[MissingGlyphs]:
    told: list[MissingGlyphs] = []
    with missing_glyphs_told(told.append):
        leave_form.render(replace(SICK, **changes), HEADER, out)
    return told


def test_a_character_the_font_lacks_prints_as_a_visible_placeholder_and_is_told_once(tmp_path: Path) -> None:
    i18n.install("es_ES")
    out = tmp_path / "leave.pdf"
    told = _told(out, reason=REASON, name=f"María {THUMB}")
    text = pdf_text(out)
    assert THUMB not in text and FEVER not in text  # never silently dropped ...
    assert f"fiebre {placeholder()} {placeholder()} {placeholder()}" in text  # ... a placeholder in its place
    assert placeholder() == "\ufffd"
    assert len(told) == 1  # one report for the document, each character named once
    assert told[0].characters == f"{THUMB} (U+1F44D), {FEVER} (U+1F912)" and told[0].count == 2
    assert told[0].document == i18n._("Leave request form")


def test_a_document_the_font_prints_whole_tells_nothing(tmp_path: Path) -> None:
    assert _told(tmp_path / "leave.pdf") == []


def test_a_document_nobody_is_told_of_logs_a_warning_and_one_told_of_only_an_info(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="csdesk.reports"):
        leave_form.render(replace(SICK, reason=REASON), HEADER, tmp_path / "alone.pdf")
        _told(tmp_path / "told.pdf", reason=REASON)
    records = [r for r in caplog.records if r.name == "csdesk.reports" and "no glyph" in r.msg]
    assert [r.levelno for r in records] == [logging.WARNING, logging.INFO]


def test_a_thread_is_told_only_of_its_own_documents(tmp_path: Path) -> None:
    import threading

    told: list[MissingGlyphs] = []
    other = threading.Thread(target=lambda: leave_form.render(replace(SICK, reason=REASON), HEADER, tmp_path / "o.pdf"))
    with missing_glyphs_told(told.append):
        other.start()
        other.join()
    assert told == []


def test_the_message_is_translated_and_counts_the_characters() -> None:
    one = MissingGlyphs("请假条", f"{THUMB} (U+1F44D)", "\ufffd")
    two = MissingGlyphs("请假条", f"{THUMB} (U+1F44D), {FEVER} (U+1F912)", "\ufffd")
    i18n.install("zh_CN")
    assert one.message() == f"请假条：打印字体中没有 {THUMB} (U+1F44D)，已打印为 \ufffd。"
    i18n.install("en")
    assert one.message() == f"请假条: {THUMB} (U+1F44D) is not in the printing font and is printed as \ufffd."
    assert two.message().startswith(f"请假条: {THUMB} (U+1F44D), {FEVER} (U+1F912) are not in")


# --- the command line -------------------------------------------------------------------------------


@pytest.fixture
def emoji_leave(demo_ctx, db_url: str) -> tuple[str, int]:
    leave = demo_ctx.attendance.file_leave(SYSTEM, "A001", "SICK", date(2026, 10, 20), date(2026, 10, 20), reason=REASON)
    return db_url, leave.id


def test_print_tells_on_stderr_in_the_user_s_language_which_characters_it_replaced(
    emoji_leave: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, leave_id = emoji_leave
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # the supervisor's language; the form is printed in Spanish
    out = tmp_path / "leave.pdf"
    code = main(["--db", db, "print", "leave", str(leave_id), "--lang", "es_ES", "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 0 and str(out) in stdout  # printed: the notice is no failure
    lines = stderr.splitlines()
    assert lines == [f"Formulario de solicitud de permiso：打印字体中没有 {THUMB} (U+1F44D), {FEVER} (U+1F912)，已打印为 \ufffd。"]
    assert "the font has no glyph" not in stderr  # the log's English line is not shown besides
    assert placeholder() in pdf_text(out)


def test_a_global_lang_before_the_command_is_the_user_s_language(
    emoji_leave: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, leave_id = emoji_leave
    out = tmp_path / "leave.pdf"
    code = main(["--lang", "zh_CN", "--db", db, "print", "leave", str(leave_id), "--lang", "en", "--out", str(out)])
    _stdout, stderr = capsys.readouterr()
    assert code == 0 and stderr.count("U+1F44D") == 1 and "已打印为" in stderr


def test_print_says_nothing_of_a_document_the_font_prints_whole(
    demo_ctx, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leave = demo_ctx.attendance.file_leave(SYSTEM, "A001", "SICK", date(2026, 10, 20), date(2026, 10, 20), reason="发烧")
    code = main(["--db", db_url, "print", "leave", str(leave.id), "--lang", "zh_CN", "--out", str(tmp_path / "l.pdf")])
    assert code == 0 and capsys.readouterr().err == ""


def test_print_evaluation_tells_the_command_line_too(
    demo_ctx, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_ctx.scorecards.record_event(SYSTEM, "A001", date(2026, 10, 14), "B03", note=f"ayudó {THUMB}")
    out = tmp_path / "sheets.pdf"
    args = ["--lang", "en", "--db", db_url, "print", "evaluation", "--month", "2026-10", "--agent", "A001", "--out", str(out)]
    code = main(args)
    _stdout, stderr = capsys.readouterr()
    assert code == 0 and stderr.count("U+1F44D") == 1 and "is not in the printing font" in stderr
