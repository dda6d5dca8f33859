"""One relay per stream: a second relay on the same database and stream is refused while the first runs."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from relay_support import publish_counts, stream_last_seq
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.errors import ConfigurationError
from govparts.core.testing_nats import NatsServer

TESTS = Path(__file__).resolve().parent
GOVPARTS = shutil.which("govparts") or str(Path(sys.executable).with_name("govparts"))
REFUSED = "another relay is already publishing this database to stream GOVPARTS"


def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}


def test_second_relay_in_another_thread_is_refused_until_the_first_stops(
    engine: Engine, nats_server: NatsServer
) -> None:
    """Refuses a second relay on the same database and stream, in three languages, until the first stops."""
    publish_counts(engine, [("item/1", n) for n in range(20)])
    running: dict[str, Any] = {}

    def first() -> None:
        async def main() -> events.RelayReport:
            running["stop"] = asyncio.Event()
            running["loop"] = asyncio.get_running_loop()
            return await events.Relay(engine, nats_server.url, poll_interval=0.05).run(stop=running["stop"])

        running["report"] = asyncio.run(main())

    thread = threading.Thread(target=first)
    thread.start()
    try:
        _wait_for(lambda: stream_last_seq(nats_server.url) >= 20, 30, "the first relay to publish")
        with pytest.raises(ConfigurationError) as refused:
            asyncio.run(events.Relay(engine, nats_server.url).run(once=True))
        assert refused.value.field == "stream"
        assert REFUSED in refused.value.message("en")
        assert "已有另一个中继进程" in refused.value.message("zh_Hans_CN")
        assert "ئېقىمغا پەقەت بىرلا ئۇلىغۇچ" in refused.value.message("ug_CN")
        publish_counts(engine, [("item/1", n) for n in range(20, 25)])
        _wait_for(lambda: stream_last_seq(nats_server.url) >= 25, 30, "the first relay to go on")
    finally:
        running["loop"].call_soon_threadsafe(running["stop"].set)
        thread.join(timeout=30)
    assert running["report"].published == 25
    publish_counts(engine, [("item/1", 25)])
    assert asyncio.run(events.Relay(engine, nats_server.url).run(once=True)).published == 1


def test_second_relay_process_exits_with_an_error_and_runs_after_the_first_is_killed(
    engine: Engine, db_url: str, nats_server: NatsServer
) -> None:
    """Stops a second ``govparts relay`` process with a localised error; after kill -9 of the first, runs."""
    publish_counts(engine, [(f"item/{n % 5}", n) for n in range(500)])
    command = [GOVPARTS, "relay", "--db", db_url, "--nats", nats_server.url]
    first = subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: stream_last_seq(nats_server.url) >= 500, 60, "the first relay to publish")
        second = subprocess.run(
            [*command, "--once", "--json", "--locale", "ug_CN"],
            env=_env(),
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 2, second.stderr.decode()
        error = json.loads(second.stdout)["error"]
        assert (error["code"], error["field"]) == ("configuration-error", "stream")
        assert "GOVPARTS" in error["message"]
        assert "ئۇلىغۇچ" in error["message"]
        english = subprocess.run(
            [*command, "--once", "--locale", "en"], env=_env(), capture_output=True, timeout=60, check=False
        )
        assert english.returncode == 2
        assert REFUSED in " ".join(english.stderr.decode().split())
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    publish_counts(engine, [("item/9", 500)])
    again = subprocess.run(
        [*command, "--once", "--json"], env=_env(), capture_output=True, timeout=60, check=False
    )
    assert again.returncode == 0, again.stderr.decode()
    assert json.loads(again.stdout)["published"] == 1
    assert stream_last_seq(nats_server.url) == 501
