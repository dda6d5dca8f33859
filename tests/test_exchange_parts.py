"""Every part's data in the exchange format, through the ``govparts`` command, on the demo's office.

For each installed part: ``govparts exchange export --part P`` from the demo's database, ``govparts
validate`` of the package, ``govparts exchange import`` into an empty database, export again: the data
files are byte-identical, and importing the package a second time changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from govparts.cli._demo import run_demo
from govparts.cli.app import app
from govparts.core import exchange
from govparts.core.demo import make_office
from govparts.core.parts import iter_parts

pytestmark = pytest.mark.db

PARTS = [p.name for p in iter_parts() if exchange.part_adapters(p)]
SEED = 17


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's database: a month of the office's business in every part."""
    path = tmp_path_factory.mktemp("office") / "office.db"
    url = f"sqlite:///{path}"
    report = run_demo(url, "en", seed=SEED)
    assert report.passed, [(c.step, c.name, c.detail) for c in report.checks if not c.passed]
    return url


def _run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_part_publishes_an_exchange_adapter() -> None:
    """The five parts each exchange at least one published model."""
    assert set(PARTS) >= {"personnel", "attendance", "finance", "assets", "archives"}


@pytest.mark.parametrize("part", PARTS)
def test_round_trip_through_the_command(part: str, office: str, tmp_path: Path) -> None:
    """Export → validate → import into an empty database → export: the same bytes; re-import: no change."""
    sender = make_office(SEED).organization
    first, second = tmp_path / "first", tmp_path / "second"
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    common = ["--sender", sender.credit_code, "--sender-name", sender.name]
    exported = _run("exchange", "export", "--part", part, "--out", str(first), "--url", office, *common)
    files = exported["manifest"]["files"]
    assert files
    assert sum(f["records"] for f in files) > 0, files
    checked = _run("validate", str(first))
    assert checked["ok"] is True

    _run("db", "upgrade", "--url", empty)
    imported = _run("exchange", "import", str(first), "--url", empty)
    assert imported["ok"] is True
    _run("exchange", "export", "--part", part, "--out", str(second), "--url", empty, *common)
    for entry in files:
        assert (first / entry["path"]).read_bytes() == (second / entry["path"]).read_bytes(), entry["path"]

    again = _run("exchange", "import", str(first), "--url", empty)
    assert all(f["inserted"] == 0 for f in again["files"]), again["files"]
