"""``python -m evals`` runs the eval harness (same options as ``coach eval``)."""

import sys

from evals.runner import main

raise SystemExit(main(sys.argv[1:]))
