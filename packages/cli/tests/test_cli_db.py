"""``govparts db``: applying every installed branch's migrations, and reporting where a database is."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from cli_support import PROBE_REVISION, Run

from govparts.core import migrate


def test_upgrade_applies_every_branch_once(run: Run, db_url: str, probe_part: None) -> None:
    """Applies core's and the installed part's migrations, then nothing on a second run."""
    result, data = run.json("db", "upgrade", "--url", db_url)
    assert result.exit_code == 0, result.output
    applied = {r["id"]: r["part"] for r in data["revisions"]}
    assert applied[PROBE_REVISION] == "probe"
    assert set(applied) == {r.id for r in migrate.history()}
    assert PROBE_REVISION in data["current"]
    again, data = run.json("db", "upgrade", "--url", db_url)
    assert (again.exit_code, data["revisions"]) == (0, [])
    text = run("db", "upgrade", "--url", db_url, "--locale", "zh")
    assert text.stdout.strip() == "数据库已是最新。"


def test_status_lists_what_is_pending(run: Run, db_url: str, probe_part: None) -> None:
    """Lists the part's revision as pending before the upgrade and nothing after."""
    if db_url.startswith("sqlite:"):
        sqlite3.connect(sa.make_url(db_url).database or "").close()  # an empty database
    result, data = run.json("db", "status", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert PROBE_REVISION in [r["id"] for r in data["revisions"]]
    assert data["current"] == []
    run("db", "upgrade", "--db", db_url)
    result, data = run.json("db", "status", "--url", db_url)
    assert data["revisions"] == []


def test_history_names_each_revisions_part(run: Run, probe_part: None) -> None:
    """Lists every revision with the part it belongs to and its branch."""
    result, data = run.json("db", "history")
    assert result.exit_code == 0
    probe = next(r for r in data if r["id"] == PROBE_REVISION)
    assert (probe["part"], probe["branch_labels"], probe["message"]) == ("probe", ["probe"], "probe tables")


@pytest.mark.parametrize(
    "url",
    ["not a url", "sqlite:////no/such/folder/govparts.db", "mysql://someone@localhost/govparts"],
    ids=["unparsable", "unopenable", "unsupported"],
)
def test_bad_database_url_is_refused_naming_the_field(run: Run, url: str) -> None:
    """Refuses a URL that cannot be parsed, opened or served, naming --db, with exit code 2."""
    result, data = run.json("db", "upgrade", "--db", url, "--locale", "en")
    assert result.exit_code == 2
    assert data["error"]["field"] == "db"
    text = run("db", "upgrade", "--url", url, "--locale", "en")
    assert text.stderr.startswith("Error: db:")
    assert "Traceback" not in text.output


def test_upgrade_writes_nothing_for_a_database_an_uninstalled_part_migrated(
    run: Run, db_url: str, probe_part: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refuses to touch a database at a revision no installed part provides, naming the revision."""
    from govparts.core import parts

    run("db", "upgrade", "--url", db_url)
    monkeypatch.setattr(parts, "entry_points", lambda group: [])
    result = run("db", "upgrade", "--url", db_url, "--locale", "en")
    assert result.exit_code == 2
    assert PROBE_REVISION in result.stderr
