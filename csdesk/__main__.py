"""``python -m csdesk``: the same entry point as the ``csdesk`` console script."""

import multiprocessing
import sys

from csdesk.cli import main

if __name__ == "__main__":  # long imports run in a spawned child that re-imports this module
    multiprocessing.freeze_support()  # the PyInstaller bundle
    sys.exit(main())
