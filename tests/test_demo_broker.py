"""``govparts demo --broker``: each part an agency of its own, events only through NATS JetStream.

Each part runs as an agency of its own (its own process and database); this needs the whole
workspace installed, so it lives here rather than in the command line's package tests. The broker
test runs the installed ``govparts`` script against a throw-away JetStream server (the
``nats_server`` fixture; skipped without the ``nats-server`` binary, see
:mod:`govparts.core.testing_nats`) and compares its report with the single-process demo's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from govparts.cli._demo_broker import _Agency
from govparts.core.demo import PART_ORDER
from govparts.core.errors import ConfigurationError
from govparts.core.testing_nats import NatsServer, nats_server

__all__ = ["nats_server"]


class Run:
    """Invokes ``govparts`` in-process; ``json()`` parses its stdout."""

    def __init__(self) -> None:
        from govparts.cli.app import app

        self.app = app
        self.runner = CliRunner()

    def json(self, *args: str) -> tuple[Any, Any]:
        result = self.runner.invoke(self.app, [*args, "--json"])
        return result, json.loads(result.stdout)


@pytest.fixture
def run() -> Run:
    """The ``govparts`` command, run in-process."""
    return Run()


GOVPARTS = str(Path(sys.executable).parent / "govparts")
SCRATCH = {"alembic_version", "demo_office", "demo_leave_request"}
"""Tables every demo database holds beside core's: Alembic's and the demo's own scratch tables."""


def _demo(tmp_path: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [GOVPARTS, "demo", "--json", "--locale", "en", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    failed = [c for c in report["checks"] if not c["passed"]]
    assert done.returncode == 0, (failed, done.stderr[-3000:])
    return report


def _tables(path: Path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _processed(path: Path) -> dict[str, int]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT handler_id, count(*) FROM core_processed_event GROUP BY handler_id")
            )
            return {str(r[0]): int(r[1]) for r in rows}
    finally:
        engine.dispose()


def test_every_part_as_its_own_agency_passes_every_check_of_the_single_process_demo(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    """One process and one database per part, events only through the broker; the same checks pass
    and the same tables come out as in the single-process demo."""
    workdir = tmp_path / "agencies"
    single = tmp_path / "single"
    single.mkdir()
    broker = _demo(tmp_path, "--broker", nats_server.url, "--workdir", str(workdir))
    alone = _demo(single)

    assert broker["passed"] is True
    assert all(c["passed"] for c in broker["checks"])
    schema = json.loads((files("govparts.cli") / "demo-report.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(broker)] == []
    parts = [p for p in PART_ORDER if (workdir / f"{p}.db").exists()]
    assert parts == list(PART_ORDER)
    assert sorted(p.name for p in workdir.glob("*.db")) == sorted(f"{p}.db" for p in parts)

    # Every check of the single-process demo, by id: the parts' alike, core's once per agency.
    ids = [c["id"] for c in broker["checks"]]
    assert len(ids) == len(set(ids))
    own = {i for i in ids if not i.startswith("core.")}
    assert own == {c["id"] for c in alone["checks"] if not c["id"].startswith("core.")}
    for check in alone["checks"]:
        if check["id"].startswith("core."):
            tail = check["id"].removeprefix("core.")
            assert {f"core.{p}.{tail}" for p in parts} <= set(ids), check["id"]
    assert broker["tables"] == alone["tables"]

    # Each database holds its own part's tables and core's, nothing of another part.
    for part in parts:
        tables = _tables(workdir / f"{part}.db")
        assert any(t.startswith(f"{part}_") for t in tables), part
        strangers = {t for t in tables if not t.startswith((f"{part}_", "core_")) and t not in SCRATCH}
        assert strangers == set(), part

    # The events crossed: each consuming agency applied what others published, from the broker.
    assert _processed(workdir / "attendance.db").get("attendance.follow-personnel", 0) > 0
    assert _processed(workdir / "finance.db").get("finance.asset-vouchers", 0) > 0
    assert _processed(workdir / "assets.db").get("assets.return-on-separation", 0) > 0


def test_a_workdir_that_holds_a_demo_is_refused_before_anything_runs(run: Run, tmp_path: Path) -> None:
    """A folder with an agency's database is refused naming --workdir; nothing is started."""
    (tmp_path / "personnel.db").write_bytes(b"")
    result, report = run.json("demo", "--broker", "nats://127.0.0.1:9", "--workdir", str(tmp_path))
    assert result.exit_code == 2
    assert report["error"]["field"] == "workdir", report
    assert "personnel.db" in report["error"]["message"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["personnel.db"]


def test_an_agency_that_stops_is_an_error_naming_the_broker(tmp_path: Path) -> None:
    """The coordinator reports an agency that died, with the end of its log, and does not hang."""
    from govparts.core.parts import iter_parts

    log = tmp_path / "personnel.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; print('no broker here', file=sys.stderr); sys.exit(3)"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=handle,
            text=True,
        )
    process.wait()
    part = next(p for p in iter_parts() if p.name == "personnel")
    agency = _Agency(part, process, log)
    with pytest.raises(ConfigurationError) as caught:
        agency.request("init")
    assert caught.value.field == "broker"
    assert "no broker here" in caught.value.message("en")
    agency.stop()


VENDORS = Path(__file__).resolve().parent / "vendors"


def test_a_second_vendors_attendance_joins_as_the_attendance_agency(
    nats_server: NatsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tests/vendors/attendance_sqlite3`` (plain sqlite3, no reference code) is the attendance agency
    between the reference personnel and finance agencies: it learns the office's people from
    personnel's events through the broker alone, and every check passes; the agencies' durable
    consumers are deleted at the end."""
    from govparts.cli._demo_broker import run_broker_demo
    from govparts.core.parts import get_part

    monkeypatch.syspath_prepend(str(VENDORS))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(VENDORS), os.environ.get("PYTHONPATH")]))
    )
    workdir = tmp_path / "agencies"
    report = run_broker_demo(
        nats_server.url,
        "en",
        workdir=workdir,
        seed=7,
        parts=[get_part("personnel"), "attendance_sqlite3.part:PART", get_part("finance")],
    )
    failed = [c for c in report.checks if not c.passed]
    assert failed == []
    mine = [c for c in report.checks if c.step_key.startswith("attendance.")]
    assert len(mine) >= 10, [c.name for c in mine]
    assert sorted(p.name for p in workdir.glob("*.db")) == ["attendance.db", "finance.db", "personnel.db"]
    # The vendor keeps its data in a sqlite3 file of its own beside its agency's database.
    assert list(workdir.glob("attendance.db.*.sqlite3"))
    assert {t for t in _tables(workdir / "attendance.db") if t.startswith("attendance_")} == set()
    followed = _processed(workdir / "attendance.db")
    assert followed.get("attendance-sqlite3.follow-personnel", 0) > 0, followed
    assert "attendance.follow-personnel" not in followed, "the reference part ran"
    # The agencies' durable consumers, which delivered those events, are gone from the broker.
    assert [name for name in _consumers(nats_server.url) if name.startswith("demo-")] == []


@pytest.mark.parametrize("reference", ["no-such-part", "os:path", "no_such_module_here:PART"])
def test_a_part_reference_that_names_no_part_is_refused(reference: str) -> None:
    from govparts.cli._demo_broker import load_part
    from govparts.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        load_part(reference)
    assert caught.value.field == "part"
    assert reference in caught.value.message("en")
    assert load_part("personnel").name == "personnel"


def _consumers(url: str) -> list[str]:
    import asyncio

    import nats

    async def names() -> list[str]:
        nc = await nats.connect(url)
        try:
            return [c.name for c in await nc.jetstream().consumers_info("GOVPARTS")]
        finally:
            await nc.close()

    return asyncio.run(names())
