"""``python -m evals`` runs the eval harness (same options as ``coach eval``)."""

import sys

from agent.cli import run

raise SystemExit(int(run(["eval", *sys.argv[1:]])))
