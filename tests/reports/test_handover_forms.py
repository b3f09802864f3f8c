"""The handover form and the weekly digest, rendered from plain inputs and read back as text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from csdesk import i18n
from csdesk.labels import SHIFT_NAMES, name_of
from csdesk.reports.handover_form import FormItem, HandoverFormInput, render
from csdesk.reports.work_digest import DigestDay, DigestItem, DigestPerson, WorkDigestInput
from csdesk.reports.work_digest import render as render_digest
from tests.helpers.pdf import pdf_pages, pdf_text

WRITTEN = datetime(2026, 10, 15, 17, 50)


def form(**changes: object) -> HandoverFormInput:
    base = HandoverFormInput(
        entry_id=42, site="客服中心", team="客服一组", shift="D", shift_hours="08:30–18:00", written_at=WRITTEN,
        written_by="lead1", authors=("陈杰 (L001)", "María Núñez (A003)"),
        summary="今日外呼 32 通; atención al cliente <sin> incidencias & quejas",
        desk_state="3 号耳机有杂音", desk_messy=True,
        items=(
            FormItem(7, "王女士 (会员 1234)", "退款進度待財務確認", "孫艷 (A001)", datetime(2026, 10, 15, 12, 0), "high",
                     "overdue", 2, "complaint", "88"),
            FormItem(9, "Sra. Peña Ibáñez", "llamar mañana para confirmar", "", None, "normal", "open", 0),
            FormItem(5, "李先生", "补发发票", "", None, "low", "closed", 1, outcome="已寄出"),
        ),
        acknowledged_by="周慧敏 (S001)", acknowledged_at=datetime(2026, 10, 15, 18, 5), takeover_note="已閱, 先處理逾期項",
        printed_at=datetime(2026, 10, 15, 18, 10),
    )
    return HandoverFormInput(**{**base.__dict__, **changes})


@pytest.mark.parametrize(
    ("lang", "dates"),
    [("zh_TW", ("2026/10/15", "下午5:50")), ("es_ES", ("15/10/26", "17:50")), ("en", ("10/15/26", "5:50"))],
)
def test_the_handover_form_carries_both_parties_every_item_and_signature_lines(tmp_path: Path, lang: str,
                                                                              dates: tuple[str, str]) -> None:
    i18n.install(lang)
    out = tmp_path / "h.pdf"
    render(form(), out)
    text = pdf_text(out)
    assert pdf_pages(out) == 1
    for part in ("陈杰 (L001)", "María Núñez (A003)", "周慧敏 (S001)", "王女士 (会员 1234)", "退款進度待財務確認",
                 "Sra. Peña Ibáñez", "llamar mañana", "已寄出", "已閱, 先處理逾期項", "3 号耳机有杂音",
                 "atención al cliente <sin> incidencias & quejas", "客服中心", "08:30–18:00", *dates):
        assert part in text, part
    assert text.count("____________") >= 4  # a signature and a date line for each party


def test_an_unacknowledged_form_leaves_room_for_the_takeover_note(tmp_path: Path) -> None:
    i18n.install("es_ES")
    out = tmp_path / "h.pdf"
    render(form(acknowledged_by=None, acknowledged_at=None, takeover_note="", items=()), out)
    text = pdf_text(out)
    incoming = next(line for line in text.splitlines() if i18n._("Incoming") in line)
    assert "陈杰 (L001)" in text and "________" in incoming  # a line to write the incoming name on


def test_a_long_handover_runs_over_pages_with_the_header_repeated(tmp_path: Path) -> None:
    i18n.install("zh_TW")
    items = tuple(FormItem(n, f"客戶 {n}", "回電確認 " * 8, "", None, "normal", "open", 0) for n in range(60))
    out = tmp_path / "h.pdf"
    render(form(items=items), out)
    assert pdf_pages(out) > 1
    assert "客戶 59" in pdf_text(out)


def test_the_weekly_digest_names_each_person_with_totals_and_open_items(tmp_path: Path) -> None:
    i18n.install("es_ES")
    people = (
        DigestPerson("孫艷 (A001)", "客服一组", (DigestDay(date(2026, 10, 12), "D", "外呼新会员", "继续回访", 20, 1, 5),
                                               DigestDay(date(2026, 10, 13), "D", "回访老会员", "", 15, 0, 4))),
        DigestPerson("María Núñez (A003)", "Equipo Sur", (DigestDay(date(2026, 10, 12), "E", "Atención de quejas", "Revisar", 7, 3, 2),)),
    )
    data = WorkDigestInput(site="", team=None, week_start=date(2026, 10, 12), week_end=date(2026, 10, 18), people=people,
                           handovers=14, unacknowledged=1, items_opened=9, items_closed=6,
                           open_items=(DigestItem(7, "王女士", "退款进度", "孫艷 (A001)", datetime(2026, 10, 14, 12, 0), "overdue", 3),),
                           penalties=2, printed_at=datetime(2026, 10, 19, 9, 0))
    out = tmp_path / "d.pdf"
    render_digest(data, out)
    text = pdf_text(out)
    for part in ("孫艷 (A001)", "María Núñez (A003)", "Atención de quejas", "外呼新会员", "王女士", "退款进度",
                 "12 oct 2026", "18 oct 2026"):
        assert part in text, part
    line = next(line for line in text.splitlines() if "孫艷 (A001)" in line and "客服一组" in line)
    assert line.split()[-4:] == ["2", "35", "1", "9"]  # records, calls, complaints, callbacks


# --- issue 14: the shift by its name, the takeover's date and time in words ---------------------


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW", "es_ES", "en"])
def test_the_handover_form_names_the_shift_without_its_code(tmp_path: Path, lang: str) -> None:
    i18n.install(lang)
    out = tmp_path / "h.pdf"
    render(form(shift="E", shift_hours="15:30–24:00"), out)
    name = name_of(SHIFT_NAMES, "E")
    row = " ".join(next(line for line in pdf_text(out).splitlines() if name in line).split())
    assert f"{i18n._('Shift')} {name} 15:30–24:00" in row
    assert "E" not in row.split()  # no raw code before the name (it printed "E 晚班 15:30–24:00")




def test_the_spanish_takeover_reads_on_the_date_at_the_time(tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    i18n.install("es_ES")  # the sentence glued "a las" to a date and a time before
    render(form(), out)
    text = " ".join(pdf_text(out).split())
    assert "recibió el turno el 15/10/26 a las 18:05." in text
    assert "a las 15/10/26" not in text  # never "at" a date


def test_the_takeover_sentence_gives_the_date_and_the_time_apart_in_every_language(tmp_path: Path) -> None:
    # Each language words it around its own {date} and {time}: a translation may put them in any order.
    i18n.install("zh_CN")
    out = tmp_path / "h.pdf"
    render(form(), out)
    assert "并于 2026/10/15 18:05 接班。" in " ".join(pdf_text(out).split())
