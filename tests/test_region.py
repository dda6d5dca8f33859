"""A region in one database: offices of different kinds side by side, and no cross-talk between them.

A regional deployment keeps many organisations in one database (ARCHITECTURE.md, "Many offices in one
database"). Here a government body (机关, GB 32100 ``11``) and a public institution (事业单位, ``12``)
run the whole scenario — every installed part, a month of business, events between the parts — one
after the other in the test's database (SQLite, or a real PostgreSQL server under ``tox -e pg``).
The proof of isolation is a comparison: each office's report (headcounts, attendance, trial
balances, asset and document registers, every figure the parts print) is the same in the shared
database as in a database of its own, so no part let one office's data change or leak into the other's.
Two demos started at once on one database take turns and both pass, through the installed command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govparts.cli._demo import DemoReport, run_demo
from govparts.core import exchange
from govparts.core.db import create_engine
from govparts.core.demo import make_office
from govparts.core.parts import get_part, iter_parts

pytestmark = pytest.mark.db

OFFICES = ((41, "administrative"), (42, "institution"))


def _failed(report: DemoReport) -> list[tuple[str, str, str]]:
    return [(c.step, c.name, c.detail) for c in report.checks if not c.passed]


def _figures(report: DemoReport) -> list[tuple[str, str, tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    return [(t.part, t.title, t.columns, t.rows) for t in report.tables]


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> dict[int, DemoReport]:
    """Each office run in a SQLite database of its own: the figures a shared database must reproduce."""
    reports = {}
    for seed, kind in OFFICES:
        path = tmp_path_factory.mktemp(f"alone-{seed}") / "office.db"
        reports[seed] = run_demo(f"sqlite:///{path}", "en", seed=seed, kind=kind)
    return reports


@pytest.fixture
def shared(db_url: str) -> Iterator[dict[int, DemoReport]]:
    """Both offices, one after the other, in the test's database."""
    return {seed: run_demo(db_url, "en", seed=seed, kind=kind) for seed, kind in OFFICES}


def test_offices_of_two_kinds_share_one_database_without_cross_talk(
    alone: dict[int, DemoReport], shared: dict[int, DemoReport]
) -> None:
    """Both offices pass every check in one database, and each reports exactly what it reports alone."""
    codes = {make_office(seed, kind).credit_code[:2] for seed, kind in OFFICES}
    assert codes == {"11", "12"}
    for seed, _kind in OFFICES:
        assert _failed(alone[seed]) == []
        assert _failed(shared[seed]) == []
        assert _figures(shared[seed]) == _figures(alone[seed])
    assert _figures(alone[41]) != _figures(alone[42])


def _cli(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "govparts.cli", *args],
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_demos_started_at_once_on_one_database_both_pass(db_url: str, tmp_path: Path) -> None:
    """Two ``govparts demo`` started together on one database take turns; both pass, none corrupted."""
    runs = [_cli("demo", "--db", db_url, "--seed", str(seed), "--json", cwd=tmp_path) for seed in (51, 52)]
    outcomes = [run.communicate(timeout=600) for run in runs]
    for run, (stdout, stderr) in zip(runs, outcomes, strict=True):
        assert run.returncode == 0, stdout[-2000:] + stderr[-2000:]
    assert any("waiting" in stderr or "等待" in stderr for _, stderr in outcomes)


@pytest.fixture(scope="module")
def two_offices(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding both offices of the region, each after its month of business."""
    url = f"sqlite:///{tmp_path_factory.mktemp('two') / 'region.db'}"
    for seed, kind in OFFICES:
        assert not _failed(run_demo(url, "en", seed=seed, kind=kind))
    return url


def _exported(adapter: Any, engine: Any, org: str | None) -> list[str]:
    return [record.model_dump_json() for record in adapter.export(engine, org=org)]


@pytest.mark.parametrize("part", [p.name for p in iter_parts() if exchange.part_adapters(p)])
def test_every_adapter_exports_one_organisation_at_a_time(part: str, two_offices: str) -> None:
    """Each office's export holds its own records only, and the two together are all the records."""
    engine = create_engine(two_offices)
    codes = [make_office(seed, kind).credit_code for seed, kind in OFFICES]
    seen = 0
    try:
        for adapter in exchange.part_adapters(get_part(part)):
            everything = _exported(adapter, engine, None)
            first, second = (_exported(adapter, engine, code) for code in codes)
            seen += bool(first) and bool(second)
            # Together exactly all records (a model without an organisation field, such as a punch,
            # may hold equal records in both offices, so this counts them, not sets them).
            assert Counter(first) + Counter(second) == Counter(everything), adapter.model_id
            assert not any(codes[1] in line for line in first), adapter.model_id
            assert not any(codes[0] in line for line in second), adapter.model_id
        assert seen, "no adapter of the part exported records of both offices"
    finally:
        engine.dispose()
