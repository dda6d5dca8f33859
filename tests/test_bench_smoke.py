"""Every benchmark scenario still runs (on a few records), so the figures in the notes stay reproducible.

Timing is never judged here: speed targets live in ``bench/`` and are checked by ``bench/run.py --check``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_scenario_runs_and_reports_its_ratio() -> None:
    """Runs each scenario on 300 records and reports throughput against a floor measured in the same run."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--records", "300", "--json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    results = json.loads(run.stdout)["results"]
    names = {r["scenario"] for r in results}
    assert {"core-validate", "personnel-import", "attendance-month", "finance-ledger"} <= names
    assert {"assets-depreciation", "archives-register", "exchange-import"} <= names
    for result in results:
        assert result["subject"]["records_per_second"] > 0
        assert result["floor"]["records_per_second"] > 0
        assert result["ratio"] > 0


DATABASE_SCENARIOS = ("personnel-import", "finance-ledger", "archives-register", "assets-depreciation")


def _databases(admin_url: str) -> set[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(sa.text("SELECT datname FROM pg_database")).scalars())
    finally:
        engine.dispose()


@pytest.mark.postgresql
def test_database_scenarios_run_on_postgresql_against_copy_and_drop_their_databases(
    postgres_admin_url: str,
) -> None:
    """The scenarios that write rows run on a PostgreSQL server given by URL, with the floors measured
    on that server, and leave no database behind."""
    before = _databases(postgres_admin_url)
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--records", "300", "--json"]
    command += ["--db", postgres_admin_url]
    for name in DATABASE_SCENARIOS:
        command += ["--scenario", name]
    run = subprocess.run(command, check=True, capture_output=True, text=True, timeout=600)
    report = json.loads(run.stdout)
    assert report["environment"]["database"].startswith("PostgreSQL ")
    results = {r["scenario"]: r for r in report["results"]}
    assert set(results) == set(DATABASE_SCENARIOS)
    for result in results.values():
        assert result["database"].startswith("PostgreSQL ")
        assert result["subject"]["records_per_second"] > 0
        assert result["floor"]["records_per_second"] > 0
        assert result["ratio"] > 0
    assert _databases(postgres_admin_url) == before, "every database a scenario made is dropped"
