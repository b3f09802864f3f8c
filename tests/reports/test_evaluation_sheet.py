"""The evaluation sheet PDF, read back as text: Chinese and Spanish, escaped user text, batches."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from csdesk.reports.evaluation_sheet import (
    EvaluationSheet,
    RenderCancelled,
    SheetEvent,
    SheetLabels,
    SheetRating,
    render,
)
from tests.helpers.pdf import pdf_pages, pdf_text

ZH = SheetLabels(
    title="月度考核表", agent="客服代表", employee_no="工号", team="班组", level="级别", month="月份",
    rated_part="评分部分", criterion="考核项", score="得分", maximum="满分", events="加减分记录", date="日期",
    code="代码", item="项目", points="分值", recorded_by="记录人", note="备注", no_events="本月无加减分记录。",
    summary="结果", bonus="加分", deduction="扣分", adjustment="调整", reason="原因", raw_total="封顶前总分",
    total="总分", grade="等级", pay_float="浮动工资", exam="考试", attendance="考勤", flags="提示",
    comments="评语", signature="签名", sign_date="日期", agent_signs="客服代表", evaluator_signs="考核人（培训专员）",
    supervisor_signs="客服主管", page="第 {page} 页", printed="打印于 {when}",
)  # fmt: skip
ES = SheetLabels(
    title="Hoja de evaluación mensual", agent="Agente", employee_no="N.º de empleado", team="Equipo", level="Nivel",
    month="Mes", rated_part="Parte valorada", criterion="Criterio", score="Puntuación", maximum="Máximo",
    events="Bonificaciones y deducciones", date="Fecha", code="Código", item="Concepto", points="Puntos",
    recorded_by="Registrado por", note="Nota", no_events="Sin bonificaciones ni deducciones este mes.",
    summary="Resultado", bonus="Bonificación", deduction="Deducción", adjustment="Ajuste", reason="Motivo",
    raw_total="Total antes del tope", total="Total", grade="Calificación", pay_float="Variable salarial",
    exam="Examen", attendance="Asistencia", flags="Avisos", comments="Comentarios", signature="Firma",
    sign_date="Fecha", agent_signs="Agente", evaluator_signs="Evaluador (formador)", supervisor_signs="Supervisor",
    page="Página {page}", printed="Impreso el {when}",
)  # fmt: skip


def sheet(labels: SheetLabels, **changes: object) -> EvaluationSheet:
    base = EvaluationSheet(
        labels=labels, header="华南客服中心 · Atención al cliente", printed="2026/10/15 09:30",
        agent_name="María Núñez 张伟", employee_no="A001", team="客服一组 <&>", level="中级客服", month="2026年10月",
        ratings=(SheetRating("服务质量", "27.5", "30"), SheetRating("Ejecución", "17", "20")),
        rated_total="44.5", rated_maximum="80",
        events=(SheetEvent("2026-10-03", "M01", "迟到或早退", "−3", "lead1", "llegó <tarde> & sin avisar"),),
        bonus="+5", deduction="−3", adjustment="+2", adjustment_reason="ayudó <&> al equipo 帮助同事",
        raw_total="48.5", total="48.5", grade="F", pay_float="\u2212¥300.00", exam="100",
        attendance="迟到 1 次，扣款 ¥20", flags=("辞退预警",),
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_chinese_sheet_reads_back_with_spanish_names_and_escaped_text(tmp_path: Path) -> None:
    out = tmp_path / "zh.pdf"
    render([sheet(ZH)], out, title="考核")
    text = pdf_text(out)
    for expected in (
        "月度考核表", "María Núñez 张伟", "客服一组 <&>", "llegó <tarde> & sin avisar", "ayudó <&> al equipo",
        "M01", "迟到或早退", "27.5", "48.5", "\u2212¥300.00", "辞退预警", "迟到 1 次", "考核人（培训专员）", "客服主管",
        "签名", "第1/1页",  # pdftotext drops the spaces between CJK runs "打印于 2026/10/15 09:30", "华南客服中心",
    ):  # fmt: skip
        assert expected in text, expected
    assert pdf_pages(out) == 1
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("WenQuanYi" in row[0] and row[-5] == "yes" for row in rows)  # one font, embedded


def test_a_spanish_sheet_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "es.pdf"
    render([sheet(ES, month="octubre de 2026", rated_total="44,5", events=())], out, title="Evaluación")
    text = pdf_text(out)
    for expected in (
        "Hoja de evaluación mensual", "octubre de 2026", "María Núñez 张伟", "44,5", "Sin bonificaciones ni deducciones",
        "Motivo", "ayudó <&> al equipo", "Evaluador (formador)", "Firma", "Página 1", "Impreso el",
    ):  # fmt: skip
        assert expected in text, expected


def test_a_batch_has_one_agent_per_page_each_in_its_own_language(tmp_path: Path) -> None:
    out = tmp_path / "batch.pdf"
    seen: list[tuple[int, int]] = []
    sheets = [sheet(ZH, employee_no="A001"), sheet(ES, employee_no="A002", agent_name="Íñigo Peña"), sheet(ZH, employee_no="A003")]
    render(sheets, out, title="batch", progress=lambda done, total: seen.append((done, total)) or True)
    assert pdf_pages(out) == 3
    pages = pdf_text(out).split("\f")
    assert "A001" in pages[0] and "第1/3页" in pages[0]  # numbered "x / y", each in its sheet's language
    assert "Íñigo Peña" in pages[1] and "Página 2 / 3" in pages[1]
    assert "A003" in pages[2] and "第3/3页" in pages[2]
    assert seen[-1] == (3, 3)


def test_events_beyond_the_page_go_to_a_continuation_list_the_sheet_refers_to(tmp_path: Path) -> None:
    many = tuple(SheetEvent(f"2026-10-{d % 28 + 1:02d}", "M08", "非工作闲聊", "−1", "lead1", f"第 {d} 次") for d in range(60))
    out = tmp_path / "long.pdf"
    labels = replace(ZH, more_events="另有 {n} 条记录，见续页", continuation="考核表续页")
    render([sheet(labels, events=many), sheet(ZH, employee_no="A002")], out, title="x")
    pages = pdf_text(out).split("\f")
    assert pdf_pages(out) == 3
    sheet_page, continued = pages[0], pages[1]
    # The sheet keeps its result and its three signatures, and says where the other events are.
    assert "结果" in sheet_page and sheet_page.count("签名") == 3 and "见续页" in sheet_page
    shown = sheet_page.count("非工作闲聊")
    assert f"另有 {60 - shown} 条记录" in sheet_page
    assert "考核表续页" in continued and continued.count("非工作闲聊") == 60 - shown and "签名" not in continued
    assert "A002" not in pages[0] + pages[1] and "A002" in pages[2]
    # Every page's head names the agent, the team and the month (issue #14), the continuation's too.
    heads = [page.lstrip("\n").splitlines()[0] for page in pages[:3]]
    assert all("客服一组 <&>" in head and "2026年10月" in head for head in heads), heads
    assert "A001" in heads[0] and "A001" in heads[1] and "A002" in heads[2]


def test_the_running_head_names_the_team_and_leaves_out_what_is_empty(tmp_path: Path) -> None:
    out = tmp_path / "es.pdf"
    render([sheet(ES, team="Equipo Sur", month="octubre de 2026"), sheet(ES, employee_no="A002", team="")], out, title="x")
    first, second = (page.lstrip("\n").splitlines()[0] for page in pdf_text(out).split("\f")[:2])
    assert first.split("Hoja de evaluación mensual")[-1].split() == [
        "María", "Núñez", "张伟", "·", "A001", "·", "Equipo", "Sur", "·", "octubre", "de", "2026"]  # fmt: skip
    assert "A002 · 2026年10月" in second and "· ·" not in second


def test_the_progress_callback_can_cancel(tmp_path: Path) -> None:
    with pytest.raises(RenderCancelled):
        render([sheet(ZH), sheet(ZH)], tmp_path / "x.pdf", title="x", progress=lambda done, total: done < 1)
