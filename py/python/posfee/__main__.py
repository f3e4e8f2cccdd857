"""``python -m posfee`` runs the ``posfee`` command."""

import sys

from posfee.cli import main

sys.exit(main())
