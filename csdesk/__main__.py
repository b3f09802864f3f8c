"""``python -m csdesk``: the same entry point as the ``csdesk`` console script."""

import sys

from csdesk.cli import main

sys.exit(main())
