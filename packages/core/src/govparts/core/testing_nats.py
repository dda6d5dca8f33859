"""pytest fixture: a throw-away NATS JetStream server on 127.0.0.1, as the plugin does for PostgreSQL.

``nats_server`` starts ``nats-server -js -a 127.0.0.1 -p PORT -sd DIR`` on a free port with a
temporary store and stops it after the test; :meth:`NatsServer.restart` stops and starts it on the
same port and store (the broker restart of the fault tests), :meth:`NatsServer.kill` kills it.

Without the ``nats-server`` binary (``GOVPARTS_NATS_SERVER`` may name it) the tests that use the
fixture are skipped, and :func:`pytest_terminal_summary` (import it into a ``conftest.py``) ends the
run with a section that names them and says how to enable them; with
``GOVPARTS_TEST_REQUIRE_NATS=1`` (set by CI) they fail instead. Importing this module imports only
the standard library and pytest.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["HOW_TO_ENABLE", "NatsServer", "find_nats_server", "nats_server", "pytest_terminal_summary"]

HOW_TO_ENABLE = (
    "install the NATS server (Debian: apt-get install nats-server) so that nats-server is on PATH, "
    "or point GOVPARTS_NATS_SERVER at the binary"
)
_SKIPPED: list[str] = []


def find_nats_server() -> str | None:
    """The ``nats-server`` binary: ``GOVPARTS_NATS_SERVER``, else the one on PATH or in /usr/sbin."""
    named = os.environ.get("GOVPARTS_NATS_SERVER")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("nats-server") or shutil.which("nats-server", path="/usr/sbin:/usr/local/sbin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NatsServer:
    """A JetStream server of the test's own, with its store in ``store``."""

    def __init__(self, binary: str, store: Path) -> None:
        self.binary = binary
        self.store = store
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = store.parent / f"nats-{self.port}.log"

    @property
    def url(self) -> str:
        """The client URL, ``nats://127.0.0.1:PORT``."""
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        command = [self.binary, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(self.store)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nats-server did not start within 15 seconds")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 seconds)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """Kill the server at once (SIGKILL)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self, *, pause: float = 0.0) -> None:
        """Stop and start again on the same port and store."""
        self.stop()
        time.sleep(pause)
        self.start()


@pytest.fixture
def nats_server(request: pytest.FixtureRequest) -> Iterator[NatsServer]:
    """A running throw-away JetStream server on 127.0.0.1 for this test alone."""
    binary = find_nats_server()
    if binary is None:
        reason = f"nats-server not found; to enable these tests, {HOW_TO_ENABLE}"
        if os.environ.get("GOVPARTS_TEST_REQUIRE_NATS") == "1":
            pytest.fail(f"NATS is required (GOVPARTS_TEST_REQUIRE_NATS=1) but {reason}", pytrace=False)
        _SKIPPED.append(request.node.nodeid)
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="govparts-nats-"))
    server = NatsServer(binary, folder / "store")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """A closing section naming the tests skipped for want of a NATS server, and how to enable them."""
    if not _SKIPPED:
        return
    terminalreporter.section("govparts: NATS JetStream tests skipped", yellow=True)
    terminalreporter.write_line(f"{len(_SKIPPED)} test(s) did not run: nats-server was not found.")
    terminalreporter.write_line(f"To enable them: {HOW_TO_ENABLE}.")
    for nodeid in _SKIPPED[:50]:
        terminalreporter.write_line(f"  skipped: {nodeid}")
