"""The shared PDF pieces: embedded font, escaping, decoration, read back as text."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from csdesk import i18n
from csdesk.reports.styles import build_pdf, field_table, para, signature_lines
from tests.helpers.pdf import pdf_pages, pdf_text


def test_mixed_chinese_spanish_and_escaped_markup_round_trip(tmp_path: Path) -> None:
    i18n.install("es_ES")
    out = tmp_path / "x.pdf"
    story = [
        para("Evaluación mensual 月度考核", "Title"),
        field_table([("Agente", "María Núñez 张伟"), ("Equipo", "客服一组 <&> ¿¡")]),
        signature_lines(["Agente", "Supervisor"]),
    ]
    build_pdf(out, story, title="t", header="csdesk", printed_at=datetime(2026, 11, 22, 9, 0))
    text = pdf_text(out)
    for expected in ("Evaluación mensual", "月度考核", "María Núñez", "张伟", "客服一组 <&> ¿¡", "Página 1", "Firma"):
        assert expected in text
    assert pdf_pages(out) == 1
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all("WenQuanYiMicroHei" in line for line in fonts)  # one font for everything ...
    assert all(line.split()[-5] == "yes" for line in fonts)  # ... and it is embedded
