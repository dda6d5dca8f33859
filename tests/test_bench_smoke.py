"""Every benchmark scenario still runs (on a few records), so the figures in the notes stay reproducible.

Timing is never judged here: speed targets live in ``bench/`` and are checked by ``bench/run.py --check``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
