"""``python -m csdesk``: the same entry point as the ``csdesk`` console script."""

import sys

from csdesk.cli import run

if __name__ == "__main__":  # long imports run in a spawned child that re-imports this module
    if getattr(sys, "frozen", False):  # the PyInstaller bundle; elsewhere there is nothing to do
        import multiprocessing

        multiprocessing.freeze_support()
    run()
