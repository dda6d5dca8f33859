"""Fixtures of core's tests beyond the ``govparts.core.testing`` plugin: a throw-away NATS server."""

import sys
from pathlib import Path

from govparts.core.testing_nats import nats_server, pytest_terminal_summary

# The relay tests and the consumer processes they start import ``relay_support`` from beside them.
TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

__all__ = ["nats_server", "pytest_terminal_summary"]
