"""The command as a careless user meets it (issues 15.4, 15.7, 18): every command's help through the
installed entry point, one database option ``--db``, defaults that match the demo, and bad paths or
databases that give a message and exit code 2, never a traceback, a half-written package or an empty
database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import typer
from cli_support import Run
from sqlalchemy.engine import Engine

from govparts.cli import _plugins
from govparts.cli._ui import database_error
from govparts.cli.app import app
from govparts.core import events, exchange, parts
from govparts.core.db import create_engine, metadata
from govparts.core.exchange import sample
from govparts.core.ids import citizen_id

SENDER = ("--sender", "11650102MB00000013", "--sender-name", "乌鲁木齐市天山区人民政府办公室")
DB_COMMANDS = [
    ("exchange", "export", "--part", "exchange-sample", *SENDER),
    ("exchange", "import", "package.zip"),
    ("events", "pending"),
    ("db", "status"),
]
"""The commands of this distribution that open a database (beside ``db upgrade``, which creates)."""


def _installed_command() -> str:
    found = Path(sys.executable).with_name("govparts")
    return str(found) if found.exists() else (shutil.which("govparts") or "govparts")


COMMAND_PATHS = _plugins.command_paths(app)


def test_the_command_tree_is_read_from_the_app() -> None:
    """The enumeration finds the groups and their sub-commands, plugins included."""
    names = {" ".join(p) for p in COMMAND_PATHS}
    assert {"", "exchange export", "exchange import", "events pending", "db upgrade", "validate"} <= names
    assert set(_plugins.plugin_entry_points()) <= {p[0] for p in COMMAND_PATHS if p}


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "govparts")
def test_every_command_answers_help_through_the_installed_entry_point(path: tuple[str, ...]) -> None:
    """``govparts … --help`` runs through the installed script for every command, with no traceback."""
    env = {**os.environ, "COLUMNS": "100", "GOVPARTS_LOCALE": "en"}
    done = subprocess.run(
        [_installed_command(), *path, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "Usage" in done.stdout
    assert "--url" not in done.stdout, "--url is a hidden alias; the option is --db"


def test_no_command_shows_url_as_its_database_option() -> None:
    """Every visible database option is --db; any --url left is hidden (issue 18)."""
    root: Any = typer.main.get_command(app)
    context = root.context_class(root)
    for path in COMMAND_PATHS:
        command: Any = root
        for name in path:
            command = command.get_command(context, name)
            if isinstance(command, _plugins._Unloaded):
                command = command.load()
        for param in command.params:
            if "--url" in getattr(param, "opts", ()):
                assert param.hidden, " ".join(path)


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """The sample exchange part is the one installed part (not for the entry-point tests)."""
    if "entry_point" in request.node.name or "command_tree" in request.node.name:
        return
    entry = EntryPoint(
        name="exchange-sample", value="govparts.core.exchange.sample_part:PART", group=parts.ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        parts, "entry_points", lambda group: [entry] if group == parts.ENTRY_POINT_GROUP else []
    )


@pytest.mark.parametrize("args", DB_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_missing_database_file_is_refused_and_not_created(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """A --db naming no file gives exit 2 naming --db; no empty database is left behind."""
    missing = tmp_path / "typo.db"
    extra = ("--out", str(tmp_path / "out.zip")) if args[1] == "export" else ()
    result = run(*args, *extra, "--db", f"sqlite:///{missing}", "--locale", "en")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: db: there is no database at")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", DB_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_file_that_is_not_a_database_is_bad_input(run: Run, tmp_path: Path, args: tuple[str, ...]) -> None:
    """A --db naming a file that is not a database gives exit 2 and a message, never a traceback."""
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    if args[1] == "import":
        args = ("exchange", "import", str(_package(tmp_path)))
    extra = ("--out", str(tmp_path / "out.zip")) if args[1] == "export" else ()
    result = run(*args, *extra, "--db", f"sqlite:///{notes}", "--locale", "en")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip().startswith("Error: db: the database cannot be used (file is not a database)")
    assert not (tmp_path / "out.zip").exists()


def test_url_stays_a_hidden_alias_of_db(run: Run, engine: Engine, db_url: str) -> None:
    """--url and --url=… still name the database, for one release."""
    for args in (("--url", db_url), (f"--url={db_url}",)):
        result = run("events", "pending", *args, "--json")
        assert result.exit_code == 0, result.output


def _package(folder: Path) -> Path:
    """A zip package of three sample employees."""
    data = b"".join(exchange.canonical_line(r) for r in sample.make_employees(3))
    digests = exchange.Digests()
    digests.update(data)
    entry = exchange.DataFile(
        path=f"{sample.ADAPTER.model_id}.jsonl",
        model_id=sample.ADAPTER.model_id,
        model_version="1.0",
        records=digests.lines,
        sha256=digests.sha256,
        sm3=digests.sm3,
    )
    manifest = exchange.Manifest(
        sender={"credit_code": SENDER[1], "name": SENDER[3]},  # type: ignore[arg-type]
        created_at=datetime(2026, 11, 25, tzinfo=UTC),
        files=(entry,),
    )
    target = folder / "package.zip"
    import zipfile

    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(entry.path, data)
        zf.writestr(exchange.MANIFEST_NAME, manifest.to_bytes())
    return target


def test_export_uses_the_demos_database_by_default(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --db nor GOVPARTS_DB_URL, export reads govparts-demo.db in the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVPARTS_DB_URL", raising=False)
    demo = create_engine(f"sqlite:///{tmp_path / 'govparts-demo.db'}")
    metadata.create_all(demo)
    report = exchange.import_package(_package(tmp_path), demo)
    assert report.written
    demo.dispose()
    result = run("exchange", "export", "--part", "exchange-sample", *SENDER, "--out", "out.zip", "--json")
    assert result.exit_code == 0, result.output
    assert exchange.read_manifest(tmp_path / "out.zip").files[0].records == 3
    assert not (tmp_path / "govparts.db").exists()


def test_export_never_overwrites_and_refuses_unwritable_paths(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """--out naming an existing file, a missing folder or a file as folder is exit 2; nothing changes."""
    existing = tmp_path / "existing.zip"
    existing.write_bytes(b"precious")
    before = sorted(p.name for p in tmp_path.iterdir())
    for out in (existing, tmp_path / "no-such-folder" / "x.zip", existing / "inside"):
        result = run(
            "exchange", "export", "--part", "exchange-sample", *SENDER, "--out", str(out), "--db", db_url
        )
        assert result.exit_code == 2, (out, result.output)
        assert result.stderr.startswith("Error: out:"), result.stderr
        assert "Traceback" not in result.output
    assert existing.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_failed_export_leaves_nothing_behind(run: Run, db_url: str, tmp_path: Path) -> None:
    """An export from a database without the part's tables leaves no folder, zip or partial file."""
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE unrelated (id INTEGER)"))
    engine.dispose()
    target = tmp_path / "exports"
    target.mkdir()
    for name in ("x.zip", "folder"):
        result = run(
            "exchange",
            "export",
            "--part",
            "exchange-sample",
            *SENDER,
            "--out",
            str(target / name),
            "--db",
            db_url,
        )
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    assert list(target.iterdir()) == []


def test_a_rolled_back_import_shows_no_inserted_column(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """The table of a refused import has no 'Inserted' column; its JSON says 0 inserted per file."""
    data = b"".join(exchange.canonical_line(r) for r in sample.make_employees(3)) + b"{}\n"
    digests = exchange.Digests()
    digests.update(data)
    package = tmp_path / "pkg"
    package.mkdir()
    name = f"{sample.ADAPTER.model_id}.jsonl"
    (package / name).write_bytes(data)
    entry = exchange.DataFile(
        path=name,
        model_id=sample.ADAPTER.model_id,
        model_version="1.0",
        records=4,
        sha256=digests.sha256,
        sm3=digests.sm3,
    )
    manifest = exchange.Manifest(
        sender={"credit_code": SENDER[1], "name": SENDER[3]},  # type: ignore[arg-type]
        created_at=datetime(2026, 11, 25, tzinfo=UTC),
        files=(entry,),
    )
    (package / exchange.MANIFEST_NAME).write_bytes(manifest.to_bytes())
    result, data_out = run.json("exchange", "import", str(package), "--db", db_url, "--locale", "en")
    assert result.exit_code == 1
    [counted] = data_out["files"]
    assert (counted["records"], counted["valid"], counted["rejected"], counted["inserted"]) == (4, 3, 1, 0)
    table = run("exchange", "import", str(package), "--db", db_url, "--locale", "en")
    assert "Inserted" not in table.stdout
    assert "Nothing was written." in table.stdout


def test_pending_is_limited_and_fast_on_a_large_outbox(run: Run, engine: Engine, db_url: str) -> None:
    """100,000 undelivered events list the first 100 (or --limit) in seconds."""
    now = datetime(2026, 11, 25, tzinfo=UTC)
    rows = [
        {
            "id": f"evt-{n:06d}",
            "type": "cn.govparts.probe.ticket.closed.v1",
            "source": "/probe",
            "subject": f"ticket/{n % 1000}",
            "subject_seq": n // 1000 + 1,
            "time": now,
            "fanned_out": False,
        }
        for n in range(100_000)
    ]
    table = metadata.tables["core_outbox_event"]
    with engine.begin() as conn:
        conn.execute(sa.insert(table), rows)
    started = time.perf_counter()
    result, found = run.json("events", "pending", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert len(found) == 100
    assert [e["event_id"] for e in found[:2]] == ["evt-000000", "evt-000001"]
    shown = run("events", "pending", "--db", db_url, "--limit", "5", "--locale", "en")
    assert "Showing the first 5" in shown.stdout
    assert time.perf_counter() - started < 20
    assert len(events.pending(engine, limit=7)) == 7


def test_database_errors_keep_the_first_line_without_parameters(engine: Engine) -> None:
    """A failing statement's message names the driver's complaint, never the SQL or its parameters."""
    body = "65010219900101123"
    person = body + citizen_id.calc_check_character(body)
    # Parameters shown on purpose (core's engines hide them by default): the cli must still strip them.
    noisy = create_engine(str(engine.url.render_as_string(hide_password=False)), hide_parameters=False)
    with pytest.raises(sa.exc.DBAPIError) as caught, noisy.begin() as conn:
        conn.execute(sa.text("INSERT INTO no_such_table (citizen_id) VALUES (:cid)"), {"cid": person})
    noisy.dispose()
    assert person in str(caught.value)  # what SQLAlchemy itself would print
    wrapped = database_error(caught.value)
    assert wrapped is not None
    message = wrapped.message("en")
    assert message.startswith("db: the database cannot be used (")
    assert "no_such_table" in message
    assert person not in message
    assert "[SQL" not in message
    assert "parameters" not in message
    assert database_error(ValueError("x")) is None
