"""Golden pages of the printed documents (issue #14), for tests/reports/test_golden.py.

Prints the first page of every document in csdesk/reports in Chinese and in Spanish from the
fixed inputs of tests/reports/golden_inputs.py and saves it, rasterized by ``pdftoppm``, as
``tests/reports/golden/<document>-<language>.png``. Run it after an intended change to a printout:

    .venv/bin/python tools/refresh_golden.py

The inputs carry a fixed print time and fixed names, so the pictures change only when the
documents (or their translations) do. Needs ``pdftoppm`` (poppler-utils) and the compiled
catalogues (``./run test`` compiles them).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reports.golden_inputs import DOCUMENTS, GOLDEN, LANGUAGES, golden_path, render_page  # noqa: E402


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: install poppler-utils", file=sys.stderr)
        return 1
    GOLDEN.mkdir(exist_ok=True)
    for document in DOCUMENTS:
        for lang in LANGUAGES:
            path = render_page(document, lang, golden_path(document, lang))
            print(path.relative_to(ROOT))
    total = sum(path.stat().st_size for path in GOLDEN.glob("*.png"))
    print(f"{total / 1024:.0f} KiB in {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
