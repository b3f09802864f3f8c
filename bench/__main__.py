"""Run every benchmark (or those whose module name contains argv[1])."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def _compiled() -> None:
    """csdesk's bytecode written, as an installation has it (pip compiles a package it installs,
    the bundle holds it compiled): in a checkout run with PYTHONDONTWRITEBYTECODE set, each
    command of a whole-process figure compiled csdesk's 200 modules again (+0.15 s of 1 s)."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "csdesk"), quiet=1)


def main() -> None:
    _compiled()
    from csdesk import gc_tuning

    gc_tuning.tune()  # the collector settings csdesk's own entry point uses, GUI and CLI
    from bench.common import host_reference

    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    host_reference()  # first: the figures below are read against it
    here = Path(__file__).resolve().parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if info.name.startswith("bench_") and wanted in info.name:
            print(f"# {info.name}", flush=True)
            importlib.import_module(f"bench.{info.name}").main()


if __name__ == "__main__":  # benchmarks spawn child processes that re-import this module
    main()
