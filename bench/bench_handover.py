"""Issue 6 figures: opening the handover log and a full-text search on five years of handovers
(≈ 5,500 entries, 30,000 open items), each to stay under 100 ms."""

from __future__ import annotations

import os
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from bench.common import CACHE, median_time, report

YEARS = 5
FIRST_DAY = date(2021, 10, 15)
TODAY = FIRST_DAY + timedelta(days=365 * YEARS + 1)


def build(path: Path) -> None:
    """30 agents in 3 teams (``csdesk demo``), then one handover per team and day for five years."""
    from csdesk.context import build_context
    from csdesk.models.repo_handover import HandoverRepository
    from csdesk.services.base import SYSTEM
    from csdesk.services.handover_demo import generate, insert, team_members

    ctx = build_context(str(path))
    ctx.demo.build(SYSTEM, agents=30, months=1, seed=3, areas=False)
    with ctx.handover._uow() as uow:
        teams, leads = team_members(uow, uow.people.ids_by_employee_no())
        log = generate(random.Random(6), teams, FIRST_DAY, (TODAY - FIRST_DAY).days, "D", new_items=(0, 11), leads=leads)
        insert(HandoverRepository(uow.session), log)
        uow.commit()


def database() -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"handover-{YEARS}y.db"
    if not path.exists():
        build(path)
    return path


def main() -> None:
    from sqlalchemy import text

    from csdesk.context import build_context
    from csdesk.models.domain_handover import HandoverFilter

    start = time.perf_counter()
    path = database()
    report("handover_synthetic_db_build", time.perf_counter() - start, "s (cached after the first run)")
    now = datetime.combine(TODAY, dtime(9, 30))
    ctx = build_context(str(path), clock=lambda: now, data_dir=path.parent)
    lead = ctx.auth.resolve_actor("lead1")
    service = ctx.handover
    with service._uow() as uow:
        counts = {t: uow.session.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("handover_entries", "handover_items", "handover_entry_items")}
    report("handover_entries", counts["handover_entries"], "entries")
    report("handover_items", counts["handover_items"], "items")
    report("handover_item_passages", counts["handover_entry_items"], "rows")

    def open_log() -> None:
        service.pending_for(lead)
        page = service.list_entries(lead, HandoverFilter())
        service.detail(lead, page.rows[0].id)

    open_log()
    report("handover_open_log", median_time(open_log, 9) * 1000, "ms (sign-in banner + newest 300 rows + first detail)")
    for name, query in (("spanish_without_accents", "atencion"), ("chinese_substring", "财务确认"),
                        ("two_words", "nunez reprogramar"), ("no_match", "zzzz")):
        flt = HandoverFilter(text=query)
        service.list_entries(lead, flt)
        found = service.list_entries(lead, flt).total
        report(f"handover_search_{name}", median_time(lambda f=flt: service.list_entries(lead, f), 9) * 1000,
               f"ms ({found} of {counts['handover_entries']} entries found)")
    flt = HandoverFilter(text="退款", team="客服一组", start=TODAY - timedelta(days=365), status="open")
    report("handover_search_filtered_year_team_open", median_time(lambda: service.list_entries(lead, flt), 9) * 1000,
           "ms (text + one year + one team + open items)")
    report("handover_export_one_month", median_time(lambda: service.export(lead, TODAY - timedelta(days=30), TODAY), 3) * 1000,
           "ms (handover list --json data)")
    report("handover_open_page_gui", _page_time(ctx, lead) * 1000, "ms (offscreen, first paint: banner, timeline, first detail; writing tabs build on first use)")


def _page_time(ctx: object, actor: object) -> float:
    """Building the page (three tabs, banner, timeline, first detail) on the offscreen platform."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from csdesk.ui.handover.page import HandoverPage

    app = QApplication.instance() or QApplication([])
    times = []
    for _n in range(5):
        begin = time.perf_counter()
        page = HandoverPage(ctx.handover, ctx.people, actor=actor)  # type: ignore[attr-defined]
        page.show()
        app.processEvents()
        times.append(time.perf_counter() - begin)
        page.close()
        page.deleteLater()
        app.processEvents()
    return sorted(times)[len(times) // 2]


if __name__ == "__main__":
    main()
