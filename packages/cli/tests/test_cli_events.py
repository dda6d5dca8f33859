"""``govparts events``: the catalogue of event types and the outbox's undelivered events."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from cli_support import Run, row
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.db import session_scope

CLOSED = "cn.govparts.probe.ticket.closed.v1"


def test_list_gives_each_type_with_its_schema(run: Run, probe_part: None) -> None:
    """Lists the part's event type with its producer, version, description and payload schema."""
    result, data = run.json("events", "list")
    assert result.exit_code == 0, result.output
    closed = next(e for e in data if e["type"] == CLOSED)
    assert (closed["producer"], closed["version"]) == ("probe", 1)
    assert closed["schema"]["properties"]["ticket_id"]["type"] == "string"
    table = run("events", "list", "--locale", "ug")
    assert row(table.stdout, CLOSED)[1:] == ["probe", "1", "\u2067خىزمەت تالونى تاماملاندى\u2069"]


def test_pending_lists_what_the_outbox_holds(run: Run, probe_part: None, engine: Engine, db_url: str) -> None:
    """Lists an event written to the outbox until a dispatcher hands it on, then says none waits."""
    run("events", "list")  # registers the part's event types, as any reader of the catalogue does
    with session_scope(engine) as session:
        sent = events.publish(session, CLOSED, {"ticket_id": "T-1"}, subject="ticket/T-1")
    result, data = run.json("events", "pending", "--url", db_url)
    assert result.exit_code == 0, result.output
    assert [(e["event_id"], e["type"], e["subject"], e["handler_id"]) for e in data] == [
        (sent.id, CLOSED, "ticket/T-1", None)
    ]
    events.Dispatcher(engine).run()
    assert run.json("events", "pending", "--url", db_url)[1] == []
    text = run("events", "pending", "--url", db_url, "--locale", "en")
    assert text.stdout.strip() == "No event is waiting for delivery."


def test_pending_on_a_database_without_the_outbox_is_bad_input(run: Run, db_url: str) -> None:
    """Reports a database without the outbox tables as bad input naming --db, never the SQL."""
    if db_url.startswith("sqlite:"):
        sqlite3.connect(sa.make_url(db_url).database or "").close()  # an empty database
    result, data = run.json("events", "pending", "--db", db_url)
    assert result.exit_code == 2
    assert data["error"]["field"] == "db"
    assert "SELECT" not in data["error"]["message"]
