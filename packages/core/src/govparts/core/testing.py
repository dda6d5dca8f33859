"""pytest plugin: run the same tests on SQLite and on a real PostgreSQL server.

Registered under the ``pytest11`` entry point, so every package's tests get its fixtures. Importing
it imports only the standard library; nothing happens unless a test asks for a database.

Options (environment variables in brackets):

``--govparts-db=sqlite|postgresql`` [``GOVPARTS_TEST_DB``]
    which database the ``engine`` and ``db_url`` fixtures give (default ``sqlite``).
``--govparts-pg-url=URL`` [``GOVPARTS_TEST_PG_URL``]
    an existing server (an admin URL that may ``CREATE DATABASE``); without it the plugin starts a
    throw-away cluster with the PostgreSQL binaries it finds (``initdb``/``pg_ctl``), running it as
    the ``postgres`` user when the tests run as root.

Each test gets a database of its own: a fresh SQLite file, or a fresh PostgreSQL database created
for it and dropped after. Tests that use a database are marked ``db``; tests marked
``postgresql`` need PostgreSQL itself (real concurrent sessions) and are skipped on SQLite runs.
When PostgreSQL was asked for but cannot be had, those tests are skipped and the run ends with a
section naming them and saying how to enable them; with ``GOVPARTS_TEST_REQUIRE_PG=1`` (set by CI)
they fail instead, so a CI run can never pass without having reached PostgreSQL.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_SKIPPED_PG: list[str] = []
_PG_PROBLEM: list[str] = []
HOW_TO_ENABLE = (
    "install the PostgreSQL server (Debian: apt-get install postgresql) so that initdb and pg_ctl "
    "are found, or point GOVPARTS_TEST_PG_URL at a server where the user may CREATE DATABASE"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("govparts", "govparts database fixtures")
    group.addoption(
        "--govparts-db",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("GOVPARTS_TEST_DB", "sqlite"),
        help="database for the engine/db_url fixtures (default: sqlite)",
    )
    group.addoption(
        "--govparts-pg-url",
        default=os.environ.get("GOVPARTS_TEST_PG_URL"),
        help="admin URL of an existing PostgreSQL server (default: start a temporary cluster)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: the test uses a database (set automatically)")
    config.addinivalue_line(
        "markers", "postgresql: the test needs a real PostgreSQL server (real concurrent sessions)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    backend = config.getoption("--govparts-db")
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "engine" in names or "db_url" in names or item.get_closest_marker("postgresql"):
            item.add_marker(pytest.mark.db)
        if item.get_closest_marker("postgresql") and backend != "postgresql":
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: runs with --govparts-db=postgresql (tox -e pg)")
            )


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("GOVPARTS_TEST_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL is required (GOVPARTS_TEST_REQUIRE_PG=1) but {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _find_pg_bin() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    for folder in candidates:
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


class TemporaryPostgres:
    """A throw-away PostgreSQL cluster on a free loopback port, stopped and removed on exit."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="govparts-pg-"))
        self.datadir = self.root / "data"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> str:
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.datadir), "-U", "govparts", "--auth=trust", "-E", "UTF8", "--no-locale"
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-o", options, "-l", str(self.root / "log"), "-w", "start"
        )
        return f"postgresql+psycopg://govparts@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def govparts_db_backend(request: pytest.FixtureRequest) -> str:
    """``"sqlite"`` or ``"postgresql"``: the database this run tests."""
    return str(request.config.getoption("--govparts-db"))


@pytest.fixture(scope="session")
def postgres_admin_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Admin URL of a PostgreSQL server for this run (started here when none is given)."""
    given = request.config.getoption("--govparts-pg-url")
    if given:
        yield str(given)
        return
    if _PG_PROBLEM:
        _unavailable(_PG_PROBLEM[0])
    bindir = _find_pg_bin()
    if bindir is None:
        _PG_PROBLEM.append("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
        _unavailable(_PG_PROBLEM[0])
    server = TemporaryPostgres(bindir)
    try:
        url = server.start()
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        _PG_PROBLEM.append(f"could not start PostgreSQL from {bindir}: {detail.strip()[:300]}")
        server.stop()
        _unavailable(_PG_PROBLEM[0])
    try:
        yield url
    finally:
        for admin in _ADMIN_ENGINES.values():
            admin.dispose()
        _ADMIN_ENGINES.clear()
        server.stop()


_ADMIN_ENGINES: dict[str, Any] = {}


def _admin_execute(admin_url: str, statement: str) -> None:
    import sqlalchemy as sa

    engine = _ADMIN_ENGINES.get(admin_url)
    if engine is None:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        _ADMIN_ENGINES[admin_url] = engine
    with engine.connect() as conn:
        conn.exec_driver_sql(statement)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, govparts_db_backend: str, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database of this run's backend, for this test alone."""
    if govparts_db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'govparts-test.db'}"
        return
    try:
        admin_url: str = request.getfixturevalue("postgres_admin_url")
    except pytest.skip.Exception:
        _SKIPPED_PG.append(request.node.nodeid)
        raise
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:16]}"
    _admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_TEMPLATES: dict[tuple[str, ...], str] = {}
"""PostgreSQL: the template database holding the tables of each set of imported tables, by that set."""


def _from_template(db_url: str) -> None:
    """Replace the empty PostgreSQL database of ``db_url`` by a copy of a template that holds every
    imported govparts table (made once per set of tables): copying is cheaper than creating the
    tables and their indexes for every test."""
    import sqlalchemy as sa

    from govparts.core.db import create_engine, metadata

    url = sa.make_url(db_url)
    admin_url = url.set(database="postgres").render_as_string(hide_password=False)
    key = tuple(sorted(metadata.tables))
    template = _TEMPLATES.get(key)
    if template is None:
        template = f"tmpl_{hashlib.blake2b(' '.join(key).encode(), digest_size=8).hexdigest()}"
        _admin_execute(admin_url, f'CREATE DATABASE "{template}"')
        made = create_engine(url.set(database=template).render_as_string(hide_password=False))
        try:
            metadata.create_all(made, checkfirst=False)
        finally:
            made.dispose()
        _TEMPLATES[key] = template
    _admin_execute(admin_url, f'DROP DATABASE "{url.database}"')
    _admin_execute(admin_url, f'CREATE DATABASE "{url.database}" TEMPLATE "{template}" STRATEGY FILE_COPY')


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on this test's own database with every imported govparts table created."""
    from govparts.core.db import create_engine, metadata

    if db_url.startswith("postgresql"):
        _from_template(db_url)
        eng = create_engine(db_url)
    else:
        eng = create_engine(db_url)
        metadata.create_all(eng)
    try:
        yield eng
    finally:
        eng.dispose()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _SKIPPED_PG:
        return
    terminalreporter.section("govparts: PostgreSQL tests skipped", yellow=True)
    reason = _PG_PROBLEM[0] if _PG_PROBLEM else "PostgreSQL was not available"
    terminalreporter.write_line(f"{len(_SKIPPED_PG)} test(s) did not run on PostgreSQL: {reason}.")
    terminalreporter.write_line(f"To enable them: {HOW_TO_ENABLE}.")
    for nodeid in _SKIPPED_PG[:50]:
        terminalreporter.write_line(f"  skipped: {nodeid}")
    if len(_SKIPPED_PG) > 50:
        terminalreporter.write_line(f"  … and {len(_SKIPPED_PG) - 50} more")
