"""``python -m scoring`` runs the ``samklima`` command."""

import sys

from scoring.cli import main

sys.exit(main())
