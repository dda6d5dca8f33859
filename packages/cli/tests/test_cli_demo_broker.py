"""``govparts demo --broker`` with the command line alone: its options, its folder, and probe parts
(no installed part needed). The run of the five parts as agencies, and another vendor's attendance
among them, is in the workspace's ``tests/test_demo_broker.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_support import Run

from govparts.cli._demo_broker import _workdir
from govparts.core.testing_nats import NatsServer, nats_server

__all__ = ["nats_server"]


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--workdir", "x"], "broker"), (["--broker", "nats://127.0.0.1:9", "--db", "sqlite://"], "db")],
)
def test_workdir_needs_the_broker_and_the_broker_takes_no_db(
    run: Run, tmp_path: Path, args: list[str], field: str
) -> None:
    result, report = run.json("demo", *args)
    assert result.exit_code == 2
    assert report["error"]["field"] == field


def test_the_default_folder_is_temporary(tmp_path: Path) -> None:
    with _workdir(None) as made:
        (made / "personnel.db").write_bytes(b"")
        assert made.is_dir()
    assert not made.exists()
    kept = tmp_path / "kept"
    with _workdir(kept) as folder:
        (folder / "personnel.db").write_bytes(b"")
    assert (kept / "personnel.db").exists()


def test_a_failing_phase_fails_the_run_and_a_parts_own_facts_stay_home(
    nats_server: NatsServer,
    tmp_path: Path,
    probe_site: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A phase that raises is a failed check of its part and phase, the run goes on and fails; a fact a
    part keeps under its own key (``probe.people``) does not travel to another agency."""
    from govparts.cli._demo_broker import run_broker_demo

    monkeypatch.syspath_prepend(str(probe_site))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(probe_site), os.environ.get("PYTHONPATH")]))
    )
    report = run_broker_demo(
        nats_server.url,
        "en",
        workdir=tmp_path / "agencies",
        seed=13,
        parts=["probe_part.part:READER", "probe_part.part:OFFICE"],
    )
    verdicts = {c.id: (c.passed, c.detail) for c in report.checks}
    assert report.passed is False
    assert verdicts["reader.operate.ran-to-end"] == (False, "RuntimeError: seed 13 is unlucky")
    assert verdicts["reader.people-read"] == (False, "0")
    assert verdicts["probe.the-office-has-a-credit-code"][0] is True
    assert all(passed for key, (passed, _) in verdicts.items() if key.startswith("core."))
    assert [t.key for t in report.tables] == ["probe.people"]
    assert sorted(p.name for p in (tmp_path / "agencies").glob("*.db")) == ["probe.db", "reader.db"]
