"""Tests of the conformance kit; the toy part ``conformance_toy`` beside them proves the framework.

The toy part is imported as a top-level package, the way a vendor's own module would be, so that
``module:attribute`` references to it resolve in the kit, in the CLI and in pytester runs alike.

The ``pytester`` plugin is loaded here rather than through ``pytest_plugins``: pytest refuses
``pytest_plugins`` in a conftest below the rootdir when the whole repository is collected.
"""

import sys
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
