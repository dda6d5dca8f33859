"""``govparts demo``: migrations, a process with audit and events, records — every outcome checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import Run, row

from govparts.core.demo import make_office

STEPS = ["Migrations", "Process", "Audit", "Events", "Records"]
RLI, PDI = "\u2067", "\u2069"


def test_demo_passes_every_check_on_a_given_database(run: Run, db_url: str, probe_part: None) -> None:
    """Runs every step on the given database, including the part's own step, and passes."""
    result, data = run.json("demo", "--db", db_url, "--locale", "en")
    assert result.exit_code == 0, [c for c in data["checks"] if not c["passed"]]
    assert data["passed"] is True
    assert data["database"] == db_url
    steps = [c["step_title"] for c in data["checks"]]
    assert sorted(set(steps), key=steps.index) == [*STEPS, "Probe part", "Audit · Events"]
    assert {
        "id": "probe.demo.1",
        "step": "probe.demo",
        "step_title": "Probe part",
        "text": "probe table migrated",
        "passed": True,
        "detail": "en",
    } in data["checks"]
    assert len(data["checks"]) >= 13


def test_demo_replaces_its_default_database(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, install: Callable[..., None]
) -> None:
    """Creates govparts-demo.db in the working directory and starts from a new one on every run."""
    monkeypatch.chdir(tmp_path)
    first, data = run.json("demo", "--locale", "en")
    assert first.exit_code == 0, [c for c in data["checks"] if not c["passed"]]
    database = tmp_path / "govparts-demo.db"
    assert data["database"] == f"sqlite:///{database}"
    assert database.is_file()
    second, again = run.json("demo", "--locale", "en")
    assert second.exit_code == 0

    def migrated(report: dict[str, Any]) -> str:
        return next(c["detail"] for c in report["checks"] if c["id"] == "core.migrations.branches-applied")

    # A fresh file each time: the second run applies every revision again.
    assert migrated(again) == migrated(data)
    assert not migrated(again).startswith("0 ")


def test_demo_fails_with_exit_1_when_a_check_fails(
    run: Run, db_url: str, install: Callable[..., None]
) -> None:
    """Exits 1 and marks the failed check when a part's demo step finds a fault."""
    install("probe_part.part:FAILING")
    result = run("demo", "--db", db_url, "--locale", "zh")
    assert result.exit_code == 1
    assert row(result.stdout, "探针部件")[1:] == ["probe finds a fault", "未通过", "on purpose"]
    assert "部分检查未通过。" in result.stdout


def test_demo_speaks_uyghur(run: Run, db_url: str, install: Callable[..., None]) -> None:
    """Names the steps and checks in Uyghur with --locale ug, Uyghur text kept whole."""
    result = run("demo", "--db", db_url, "--locale", "ug")
    assert result.exit_code == 0, result.output
    assert row(result.stdout, "\u2067ئىز قوغلاش\u2069")[1:3] == [
        "\u2067ئىز قوغلاش زەنجىرى بۇزۇلمىغان\u2069",
        "\u2067ئۆتتى\u2069",
    ]


def test_demo_runs_the_office_scenario_in_phase_order(
    run: Run, db_url: str, install: Callable[..., None]
) -> None:
    """Parts' phases run in order on one office: a fact set in ``staff`` is read in ``operate``."""
    install("probe_part.part:OFFICE", "probe_part.part:READER")
    result, data = run.json("demo", "--db", db_url, "--locale", "en", "--seed", "4")
    assert result.exit_code == 0, [c for c in data["checks"] if not c["passed"]]
    assert data["seed"] == 4
    checks = {(c["step_title"], c["text"]): c for c in data["checks"]}
    assert checks[("Reader part · The month's business", "people read")]["detail"] == "2"
    office = checks[("Probe part · Checks and reports", "the office has a credit code")]["detail"]
    assert office == make_office(4).credit_code
    assert checks[("Audit · Events", "the event outbox is drained")]["passed"]
    assert data["tables"] == [
        {
            "key": "probe.people",
            "part": "probe",
            "title": "People",
            "columns": ["Name"],
            "rows": [["阿依古丽·艾力"], ["王建国"], ["ئايگۈل"]],
        }
    ]


def test_demo_reports_a_phase_that_crashes(run: Run, db_url: str, install: Callable[..., None]) -> None:
    """An exception in a part's phase is a failed check naming it; the other phases still run; exit 1."""
    install("probe_part.part:OFFICE", "probe_part.part:READER")
    result, data = run.json("demo", "--db", db_url, "--locale", "en", "--seed", "13")
    assert result.exit_code == 1
    failed = [(c["id"], c["step_title"], c["detail"]) for c in data["checks"] if not c["passed"]]
    assert failed == [
        (
            "reader.operate.ran-to-end",
            "Reader part · The month's business",
            "RuntimeError: seed 13 is unlucky",
        )
    ]
    assert any(c["text"] == "the office has a credit code" for c in data["checks"])


def test_demo_tables_keep_uyghur_whole(run: Run, db_url: str, install: Callable[..., None]) -> None:
    """A table's Uyghur cells are printed inside right-to-left isolates, titles in the locale."""
    install("probe_part.part:OFFICE")
    result = run("demo", "--db", db_url, "--locale", "ug")
    assert result.exit_code == 0, result.output
    assert f"{RLI}خادىملار{PDI}" in result.stdout
    assert f"{RLI}ئايگۈل{PDI}" in result.stdout


def test_demo_refuses_a_seed_whose_office_the_database_holds(run: Run, db_url: str, probe_part: None) -> None:
    """Refuses at once, naming --db and --seed, when the seed's office is already there; writes nothing."""
    import sqlalchemy as sa

    from govparts.core import audit
    from govparts.core.db import create_engine

    first, _data = run.json("demo", "--db", db_url, "--seed", "7", "--locale", "en")
    assert first.exit_code == 0
    engine = create_engine(db_url)
    try:
        head = audit.verify(engine).head_seq
        again = run("demo", "--db", db_url, "--seed", "7", "--locale", "en")
        assert again.exit_code == 2
        message = again.stderr
        assert "--seed" in message
        assert "--db" in message
        assert make_office(7).credit_code in message
        assert audit.verify(engine).head_seq == head
        with engine.connect() as conn:
            offices = conn.execute(sa.text("SELECT seed FROM demo_office")).scalars().all()
        assert offices == [7]
        other, data = run.json("demo", "--db", db_url, "--seed", "8", "--locale", "en")
        assert other.exit_code == 0, [c for c in data["checks"] if not c["passed"]]
    finally:
        engine.dispose()


def test_demo_refusal_is_localised(run: Run, db_url: str, probe_part: None) -> None:
    """Says in Chinese and Uyghur which seed's office is there and which options to change."""
    assert run("demo", "--db", db_url, "--seed", "9").exit_code == 0
    zh = run("demo", "--db", db_url, "--seed", "9", "--locale", "zh")
    assert "已有种子 9 的演示单位" in zh.stderr
    ug = run("demo", "--db", db_url, "--seed", "9", "--locale", "ug")
    assert "ئۇرۇقىنىڭ" in ug.stderr
