"""``python -m posfee`` runs the ``posfee`` command."""

import sys

from posfee.cli import main

if __name__ == "__main__":
    sys.exit(main())
