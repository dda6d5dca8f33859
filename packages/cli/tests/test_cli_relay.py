"""``govparts relay`` and ``govparts consume`` against a throw-away NATS JetStream server."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_support import Run
from pydantic import BaseModel
from sqlmodel import Session

from govparts.core import events
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.testing_nats import NatsServer, nats_server

__all__ = ["nats_server"]

ORG = "91650000MA77Q0LH4A"


class Stamped(BaseModel):
    """Payload of the test events."""

    org: str
    n: int


STAMPED = events.EventType(
    "cn.govparts.clirelaytest.paper.stamped.v1",
    Stamped,
    {"zh_Hans_CN": "盖章", "en": "Stamped", "ug_CN": "تامغا بېسىلدى"},
)
if STAMPED.type not in {kind.type for kind in events.registered()}:
    events.register(STAMPED)
SEEN: list[tuple[str, int]] = []


def _record(session: Session, event: events.CloudEvent) -> None:
    SEEN.append((str(event.subject), int(event.data["n"])))


@pytest.fixture
def handlers_module(monkeypatch: pytest.MonkeyPatch) -> str:
    """A module ``clirelay_handlers`` whose ``handlers`` list feeds ``SEEN``."""
    module = types.ModuleType("clirelay_handlers")
    module.handlers = [events.Handler("clirelay.stamp", (STAMPED.type,), _record)]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clirelay_handlers", module)
    SEEN.clear()
    return "clirelay_handlers:handlers"


def _database(path: Path, count: int) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    with session_scope(engine) as session:
        events.publish_batch(
            session, STAMPED, [(f"paper/{n % 3}", {"org": ORG, "n": n}) for n in range(count)]
        )
    engine.dispose()
    return url


def test_relay_once_publishes_the_outbox_and_consume_applies_it(
    run: Run, nats_server: NatsServer, tmp_path: Path, handlers_module: str
) -> None:
    """Publishes every committed event with --once, and a consumer in another database applies each once."""
    source = _database(tmp_path / "source.db", 25)
    result, report = run.json("relay", "--db", source, "--nats", nats_server.url, "--once")
    assert result.exit_code == 0, result.output
    assert (report["published"], report["duplicates"]) == (25, 0)
    result, report = run.json("relay", "--url", source, "--nats", nats_server.url, "--once")
    assert (result.exit_code, report["published"]) == (0, 0)
    target = _database(tmp_path / "agency.db", 0)
    consume = ["consume", "--db", target, "--nats", nats_server.url, "--name", "agency-a"]
    result, report = run.json(*consume, "--handlers", handlers_module, "--once")
    assert result.exit_code == 0, result.output
    assert report["applied"] == 25
    assert sorted(n for _, n in SEEN) == list(range(25))
    result, report = run.json(*consume, "--handlers", handlers_module, "--once", "--from-seq", "1")
    assert (result.exit_code, report["applied"], report["duplicates"]) == (0, 0, 25)
    with create_engine(target).connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(events.ProcessedEvent.__table__)).scalar()
            == 25
        )  # type: ignore[attr-defined]


def test_consume_refuses_a_handler_reference_without_an_attribute(
    run: Run, nats_server: NatsServer, tmp_path: Path
) -> None:
    """Refuses --handlers without module:attribute as bad input naming the option."""
    target = _database(tmp_path / "agency.db", 0)
    result = run(
        "consume",
        "--db",
        target,
        "--nats",
        nats_server.url,
        "--name",
        "agency-a",
        "--handlers",
        "nomodule",
        "--once",
    )
    assert result.exit_code == 2
    assert "handlers" in result.output


def test_consume_refuses_both_a_sequence_and_a_time(
    run: Run, nats_server: NatsServer, tmp_path: Path, handlers_module: str
) -> None:
    """Refuses --from-seq together with --since, naming the option, before connecting."""
    target = _database(tmp_path / "agency.db", 0)
    result = run(
        "consume", "--db", target, "--nats", nats_server.url, "--name", "agency-a",
        "--handlers", handlers_module, "--from-seq", "1", "--since", "2026-12-01T00:00:00+0800", "--once",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "since" in result.output
