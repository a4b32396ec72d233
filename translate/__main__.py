"""``python -m translate`` runs the dewire command line."""

import sys

from translate.cli import main

sys.exit(main())
