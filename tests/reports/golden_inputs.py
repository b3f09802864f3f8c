"""The golden pages of issue #14: the first page of each printed document in Chinese and Spanish,
rendered from fixed inputs (fixed print times and names; no clock, no random) and rasterized
with ``pdftoppm``. Shared by tools/refresh_golden.py, which writes the golden PNGs, and
tests/reports/test_golden.py, which compares a fresh rendering with them.

The inputs are those of each document's own tests in tests/reports; where a test builds its
input inline, the smallest part of it is copied here.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from csdesk import i18n
from csdesk.reports import (
    attendance_summary,
    birthday_list,
    call_sheet,
    callback_performance,
    evaluation_sheet,
    handover_form,
    leave_form,
    missed_punch_form,
    qa_inspection,
    qa_summary,
    swap_form,
    work_digest,
)
from csdesk.reports.callback_inputs import CallSheetInput, CallSheetLine, PerformanceInput, PerformanceRow
from csdesk.reports.evaluation_inputs import SheetLabels
from csdesk.reports.qa_summary import QaSummaryInput, SummaryRow, TeamSummary
from csdesk.reports.work_digest import DigestDay, DigestItem, DigestPerson, WorkDigestInput
from csdesk.services.attendance_types import FormHeader, LedgerEntry, PunchCorrection, ShiftSwap, Signer
from csdesk.services.scorecard_print import LABELS, SheetText
from tests.reports.test_attendance_forms import HEADER, _agent, _summary
from tests.reports.test_callback_reports import _birthdays
from tests.reports.test_evaluation_sheet import sheet
from tests.reports.test_handover_forms import form
from tests.reports.test_qa_reports import report
from tests.reports.test_seed_fields import SICK, SIGNERS, WORK

GOLDEN = Path(__file__).resolve().parent / "golden"
LANGUAGES = ("zh_CN", "es_ES")
PRINTED = datetime(2026, 10, 15, 9, 30)  # when the inputs built here were printed (builders fix their own)
DPI = 40  # small files; the labels and the layout still show


def _header() -> FormHeader:
    return replace(HEADER, printed_at=PRINTED, language=i18n.current_language())


def _evaluation_sheet(out: Path) -> None:
    text = SheetText()  # the sheet's labels from the catalogue, as the service prints them
    labels = SheetLabels(**{k: text(v) for k, v in asdict(LABELS).items()})
    data = sheet(labels, lang=text.lang, month=text.month(date(2026, 10, 1)), printed=text.moment(PRINTED))
    evaluation_sheet.render([data], out, title=labels.title)


def _handover_form(out: Path) -> None:
    handover_form.render(form(work_records=WORK), out)


def _leave_form(out: Path) -> None:
    leave_form.render(SICK, _header(), out, signers={**SIGNERS, "maria": Signer("agent", "María Núñez", "E0001")})


def _missed_punch_form(out: Path) -> None:
    correction = PunchCorrection(
        3, "E0002", "张伟", "Equipo María", date(2026, 10, 14), datetime(2026, 10, 14, 18, 2),
        "El reloj falló <&> 打卡机故障", "approved", date(2026, 10, 15), "zhangwei", "admin",
        datetime(2026, 10, 15, 11, 0),
    )  # fmt: skip
    signers = {"zhangwei": Signer("agent", "张伟", "E0002"), "admin": Signer("supervisor")}
    missed_punch_form.render(correction, _header(), out, signers=signers)


def _swap_form(out: Path) -> None:
    swap = ShiftSwap(4, "E0002", "张伟", "E0003", "María Núñez", date(2026, 10, 22), "E", "pending",
                     "Cita médica <&> 家里有事", datetime(2026, 10, 15, 9, 0),
                     shift_before="E", colleague_shift_before="R", shift_after="R", colleague_shift_after="E")  # fmt: skip
    swap_form.render(swap, _header(), out)


def _attendance_summary(out: Path) -> None:
    def entry(day: int, no: str, name: str, code: str, cny: int) -> LedgerEntry:
        return LedgerEntry(date(2026, 10, day), no, name, code, cny)

    zhang = _agent("E0001", "张伟", late=2, early=1, absent=1, deduction_cny=1310,
                   flags=("DISCIPLINARY_REVIEW",),
                   ledger=(entry(3, "E0001", "张伟", "LATE", 20), entry(9, "E0001", "张伟", "PAY_CUT", 1250)))
    maria = _agent("E0002", "María Núñez", early=1, missed=1, leave_days=1.5, deduction_cny=30,
                   ledger=(entry(5, "E0002", "María Núñez", "EARLY", 20),
                           entry(6, "E0002", "María Núñez", "MISSED_PUNCH", 10)))
    full = _agent("E0003", "李娜", full_attendance_bonus_cny=100)
    attendance_summary.render(replace(_summary((zhang, maria, full)), header=_header()), out)


def _call_sheet(out: Path) -> None:
    line = CallSheetLine("RETRY", "SALE1", 1, "", "José <Peña> & hijos", "13812345678", "important", True,
                         datetime(2026, 10, 15, 13, 30), datetime(2026, 10, 16, 23, 59), "due", None,
                         ("Felicitar al nuevo socio", "Confirmar los datos"))  # fmt: skip
    call_sheet.render(CallSheetInput(date(2026, 10, 15), "A001", "孙艳", 3, 8, True, (line,), PRINTED), out)


def _birthday_list(out: Path) -> None:
    birthday_list.render(_birthdays(), out)


def _callback_performance(out: Path) -> None:
    row = PerformanceRow("A001", "孙艳", "SALE1", 10, 7, 1, 1, 1, 8)
    agent = replace(row, kind="")
    kind = replace(row, agent="", agent_name="")
    data = PerformanceInput(date(2026, 10, 1), (row,), (agent,), (kind,), agent, PRINTED)
    callback_performance.render(data, out)


def _work_digest(out: Path) -> None:
    def day(d: int, shift: str, done: str, todo: str, *counts: int) -> DigestDay:
        return DigestDay(date(2026, 10, d), shift, done, todo, *counts)

    people = (
        DigestPerson("孫艷 (A001)", "客服一组", (day(12, "D", "外呼新会员", "继续回访", 20, 1, 5),
                                               day(13, "D", "回访老会员", "", 15, 0, 4))),
        DigestPerson("María Núñez (A003)", "Equipo Sur",
                     (day(12, "E", "Atención de quejas", "Revisar", 7, 3, 2),)),
    )  # fmt: skip
    open_items = (DigestItem(7, "王女士", "退款进度", "孫艷 (A001)", datetime(2026, 10, 14, 12, 0), "overdue", 3),)
    week = (date(2026, 10, 12), date(2026, 10, 18))
    printed = datetime(2026, 10, 19, 9, 0)  # the Monday after the week
    data = WorkDigestInput("", None, *week, people, 14, 1, 9, 6, open_items, 2, printed)
    work_digest.render(data, out)


def _qa_inspection(out: Path) -> None:
    qa_inspection.render(report(), out)


def _qa_summary(out: Path) -> None:
    def row(n: int) -> SummaryRow:
        name = "Begoña Peña" if n % 2 else "王欣怡"
        return SummaryRow(f"A{n:03d}", name, 2, Decimal("87.5"), int(n % 3 == 0), 1)

    subtotal = SummaryRow("", "", 60, Decimal("87.5"), 10, 30)
    teams = tuple(
        TeamSummary(team, tuple(row(n) for n in range(start, start + 30)), subtotal)
        for team, start in (("客服一组", 1), ("Equipo Sur", 31))
    )
    total = SummaryRow("", "", 120, Decimal("87.5"), 20, 60)
    qa_summary.render(QaSummaryInput("华南客服中心", "", PRINTED, date(2026, 10, 1), None, teams, total), out)


# Each printed document (its module in csdesk/reports) and how its golden page is drawn.
DOCUMENTS: dict[str, Callable[[Path], None]] = {
    "evaluation_sheet": _evaluation_sheet,
    "handover_form": _handover_form,
    "leave_form": _leave_form,
    "missed_punch_form": _missed_punch_form,
    "swap_form": _swap_form,
    "attendance_summary": _attendance_summary,
    "call_sheet": _call_sheet,
    "birthday_list": _birthday_list,
    "callback_performance": _callback_performance,
    "work_digest": _work_digest,
    "qa_inspection": _qa_inspection,
    "qa_summary": _qa_summary,
}


def golden_path(document: str, lang: str) -> Path:
    return GOLDEN / f"{document}-{lang}.png"


def render_page(document: str, lang: str, png: Path) -> Path:
    """Print ``document`` in ``lang`` (which becomes the current language) and write its first
    page to ``png`` as a grey image at :data:`DPI`."""
    i18n.install(lang)
    with tempfile.TemporaryDirectory(prefix="csdesk-golden-") as folder:
        pdf = Path(folder) / f"{document}.pdf"
        DOCUMENTS[document](pdf)
        prefix = png.with_suffix("")
        command = ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*command, str(pdf), str(prefix)], capture_output=True, check=True)
    return png
