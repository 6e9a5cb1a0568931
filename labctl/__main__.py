"""``python -m labctl``: the ``cors-lab`` command (labctl/cli.py), from a checkout."""

import sys

from .cli import main

sys.exit(main())
