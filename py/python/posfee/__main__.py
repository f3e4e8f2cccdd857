"""The ``posfee`` command (console script and ``python -m posfee``): the Rust command line of
the ``cli/`` crate, run through the extension module, so that its flags, output and errors are
the same as those of the ``posfee`` binary (``cargo install --path cli``)."""

import sys
from typing import List, Optional

from posfee._core import main as _run


def main(argv: Optional[List[str]] = None) -> int:
    """Runs ``posfee`` with ``argv`` (default ``sys.argv[1:]``) on the process's stdout and
    stderr; returns the exit status (0; 2 for bad input, with one line
    ``posfee: error [code]: …`` on stderr; 1 for an internal error)."""
    sys.stdout.flush()
    sys.stderr.flush()
    return _run(["posfee", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
