"""Helpers of the cli tests: a runner for the ``govparts`` app and a file writer."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from govparts.cli.app import app

PROBE_REVISION = "9b0be0000001"
"""The revision of the fake part ``probe``'s migration branch (see the ``probe_part`` fixture)."""


class Run:
    """Invokes ``govparts`` with arguments and gives the result; ``json()`` parses its stdout."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args))

    def json(self, *args: str) -> tuple[Result, Any]:
        result = self(*args, "--json")
        return result, json.loads(result.stdout)


def write(path: Path, text: str) -> None:
    """Write ``text`` (dedented) to ``path``, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def row(output: str, first: str) -> list[str]:
    """The cells of the table row in ``output`` whose first cell is ``first``."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("│┃").split("│")]
        if cells and cells[0] == first:
            return cells
    raise AssertionError(f"no row starting with {first!r} in:\n{output}")
