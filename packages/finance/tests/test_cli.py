"""``govparts finance …`` through the installed ``govparts`` entry point (issue 18)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from govparts.core.security import Actor
from govparts.finance import ReferenceService

from .conftest import CHIEF, ORG, YEAR, post, quota_receipt

pytest.importorskip("govparts.cli")
pytest.importorskip("beancount")


def _govparts(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``govparts`` command (the console script beside this interpreter)."""
    script = Path(sys.executable).with_name("govparts")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "govparts.cli"]
    env = {**os.environ, "COLUMNS": "200", "GOVPARTS_LOCALE": "en"}
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, check=False)


def _bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("bean-check") or str(Path(sys.executable).with_name("bean-check"))
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)


def test_finance_help_lists_its_commands() -> None:
    """Prints the finance commands' help through the installed command and exits 0."""
    done = _govparts("finance", "--help")
    assert done.returncode == 0, done.stderr
    assert "export-beancount" in done.stdout
    assert "Traceback" not in done.stderr
    done = _govparts("finance", "export-beancount", "--help")
    assert done.returncode == 0, done.stderr
    assert "--db" in done.stdout


@pytest.mark.db
def test_export_beancount_command_writes_books_bean_check_accepts(engine: sa.Engine, tmp_path: Path) -> None:
    """Exports posted vouchers of two organisations through the command; bean-check accepts the file."""
    service = ReferenceService(engine, unbudgeted="allow")
    service.open_year(CHIEF, ORG, YEAR)
    other = "11650100MB0000002X"
    service.open_year(CHIEF, other, YEAR)
    post(service, quota_receipt("5000.00"))
    post(service, quota_receipt("300.00").model_copy(update={"org": other}))
    poster = Actor(id="u-batch", name="批量", roles=frozenset({"reviewer", "bookkeeper"}))
    service.post_batch(poster, ORG, [quota_receipt("1.01", date(YEAR, 2, 3))])
    url = engine.url.render_as_string(hide_password=False)
    out = tmp_path / "books.beancount"
    done = _govparts("finance", "export-beancount", "--db", url, str(out))
    assert done.returncode == 0, done.stderr
    checked = _bean_check(out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = out.read_text(encoding="utf-8")
    assert "5001.01 CNY" in text
    assert "300.00 CNY" in text

    only = tmp_path / "one.beancount"
    done = _govparts("finance", "export-beancount", "--url", url, "--org", other, str(only))
    assert done.returncode == 0, done.stderr
    assert _bean_check(only).returncode == 0
    assert "5000.00" not in only.read_text(encoding="utf-8")


def test_export_beancount_refuses_a_missing_database_and_leaves_nothing(tmp_path: Path) -> None:
    """Exits 2 naming --db when the SQLite file does not exist, creating neither database nor output."""
    missing = tmp_path / "missing.db"
    out = tmp_path / "books.beancount"
    done = _govparts("finance", "export-beancount", "--db", f"sqlite:///{missing}", str(out))
    assert done.returncode == 2
    assert "db" in done.stderr
    assert "Traceback" not in done.stderr
    assert not missing.exists()
    assert not out.exists()
