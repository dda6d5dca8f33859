"""Every command a part contributes to ``govparts`` answers ``--help`` through the installed script.

The cli's own tests walk its command tree alone (``tox -e pkg-cli``, no part installed); here every
part is installed, so the walk reaches the sub-commands the parts mount through the ``govparts.cli``
entry points (``govparts finance export-beancount``, ``govparts conformance run``…).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govparts.cli import _plugins
from govparts.cli.app import app

PART_COMMANDS = [p for p in _plugins.command_paths(app) if p and p[0] in _plugins.plugin_entry_points()]


def _installed_command() -> str:
    found = Path(sys.executable).with_name("govparts")
    return str(found) if found.exists() else (shutil.which("govparts") or "govparts")


def test_the_parts_mount_their_commands() -> None:
    """Finds the finance and conformance sub-commands among the installed plugins."""
    names = {" ".join(p) for p in PART_COMMANDS}
    assert {"finance", "finance export-beancount", "conformance", "conformance run"} <= names


@pytest.mark.parametrize("path", PART_COMMANDS, ids=" ".join)
def test_every_part_command_answers_help(path: tuple[str, ...]) -> None:
    """``govparts <part command> --help`` exits 0 with a usage text and no traceback, --db not --url."""
    done = subprocess.run(
        [_installed_command(), *path, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "100", "GOVPARTS_LOCALE": "en"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "Usage" in done.stdout
    assert "--url" not in done.stdout
