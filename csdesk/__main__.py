"""``python -m csdesk``: the same entry point as the ``csdesk`` console script."""

import multiprocessing

from csdesk.cli import run

if __name__ == "__main__":  # long imports run in a spawned child that re-imports this module
    multiprocessing.freeze_support()  # the PyInstaller bundle
    run()
