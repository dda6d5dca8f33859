"""One agency of ``govparts demo --broker``: a part in its own process, with its own database.

Started by the coordinator (:mod:`govparts.cli._demo_broker`) as
``python -m govparts.cli._agency --part NAME --db URL --nats URL --name NAME --seed N --locale L
--kind K --since TIME``, it reads one request a line on stdin (JSON) and answers one line on stdout
(JSON: ``{"ok": true, ...}`` or ``{"ok": false, "error": "..."}``); anything else the process prints
goes to stderr. The requests:

``init``
    The built-in core steps of the demo on this agency's database (its migrations are core's and
    its own part's only), and the office claimed; answers their checks.
``step``
    Run phase ``phase`` of the part (with the shared ``facts`` of the scenario, see
    :data:`govparts.core.demo.SHARED_FACTS`), drain the outbox through the part's own handlers, and
    publish the outbox to the stream (a relay run until nothing is left); answers the new checks,
    tables, the shared facts the step changed, the event types it published and those its handlers
    consume.
``consume``
    Apply what the stream holds for the part's handlers (a :class:`~govparts.core.events.BrokerConsumer`
    per run of durable consumers named ``<name>__<handler id>``, from ``--since`` on), then drain the
    outbox locally; answers the new checks and the event types waiting to be published.
``publish``
    Publish the outbox to the stream (after ``consume``: the coordinator asks one agency at a time,
    as the stream has one publisher at a time).
``close``
    Core's closing checks on this database (the audit chain, the drained outbox); the agency's
    durable consumers are deleted from the broker.
``stop``
    Exit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

import sqlalchemy as sa

from govparts.core import events
from govparts.core.db import create_engine
from govparts.core.demo import (
    DemoContext,
    DemoTable,
    closing_checks,
    facts_from_json,
    facts_to_json,
    make_office,
    run_step,
)
from govparts.core.errors import GovPartsError
from govparts.core.money import Money
from govparts.core.parts import Part

from ._ui import _

OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]

if TYPE_CHECKING:
    from govparts.core.events import Handler

__all__ = ["Agency", "main", "table_from_json", "table_to_json"]


def _cell_to_json(value: object) -> object:
    if isinstance(value, Money):
        return {"amount": str(value)}
    return value


def _cell_from_json(value: Any) -> str | int | Money:
    if isinstance(value, dict):
        return Money.of(str(value["amount"]))
    return value if isinstance(value, int) else str(value)


def table_to_json(table: DemoTable) -> dict[str, Any]:
    """``table`` as JSON-ready data, amounts kept as amounts (:func:`table_from_json` reads it)."""
    data = asdict(table)
    data["values"] = [[_cell_to_json(v) for v in row] for row in table.values]
    return data


def table_from_json(data: Mapping[str, Any]) -> DemoTable:
    """The :class:`DemoTable` :func:`table_to_json` wrote."""
    return DemoTable(
        part=str(data["part"]),
        title=str(data["title"]),
        columns=tuple(data["columns"]),
        rows=tuple(tuple(row) for row in data["rows"]),
        rtl_columns=tuple(data["rtl_columns"]),
        key=str(data["key"]),
        values=tuple(tuple(_cell_from_json(v) for v in row) for row in data["values"]),
    )


class Agency:
    """The part ``part`` as an agency: its database at ``url``, its events through ``servers``."""

    def __init__(
        self,
        part: Part,
        *,
        url: str,
        servers: list[str],
        name: str,
        stream: str,
        seed: int,
        locale: str,
        kind: str,
        since: datetime,
    ) -> None:
        self.part = part
        self.url = url
        self.servers = servers
        self.name = name
        self.stream = events.StreamSettings(name=stream)
        self.since = since
        self.kind = kind
        self.engine = create_engine(url)
        self.ctx = DemoContext(
            engine=self.engine,
            dispatcher=events.Dispatcher(self.engine),
            office=make_office(seed, kind),
            locale=locale,
            seed=seed,
        )
        self.scenario: Mapping[str, Callable[[DemoContext], None]] = part.load("demo")
        self.subscribed: set[str] = set()
        self.position = 0
        self.checks_sent = 0
        self.tables_sent = 0

    # -- answers ----------------------------------------------------------------------------------

    def _news(self) -> dict[str, Any]:
        checks = [asdict(c) for c in self.ctx.checks[self.checks_sent :]]
        tables = [table_to_json(t) for t in self.ctx.tables[self.tables_sent :]]
        self.checks_sent, self.tables_sent = len(self.ctx.checks), len(self.ctx.tables)
        return {"checks": checks, "tables": tables, "handles": self._consumed_types()}

    def _consumed_types(self) -> list[str]:
        return sorted({t for h in self.ctx.dispatcher.handlers.values() for t in h.event_types})

    def _new_types(self) -> list[str]:
        """The event types written to the outbox since the last call (to be published)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(OUTBOX.c.type, sa.func.max(OUTBOX.c.position))
                .where(OUTBOX.c.position > self.position)
                .group_by(OUTBOX.c.type)
            ).all()
        self.position = max([self.position, *(int(row[1]) for row in rows)])
        return sorted(str(row[0]) for row in rows)

    # -- requests ---------------------------------------------------------------------------------

    def init(self) -> dict[str, Any]:
        """The built-in core steps on this database; their checks as the demo reports them."""
        from ._demo import DemoReport, _claim_office, _Step, _steps_of_core

        report = DemoReport(database=self.url, seed=self.ctx.seed)
        _claim_office(self.engine, self.ctx.seed, self.kind, self.url)
        # Core's branch and the part's own (a part without migrations, another vendor's, has none).
        own = (f"{self.part.name}@head",) if self.part.migrations else ()
        for key, title, body in _steps_of_core(self.engine, targets=("core@head", *own)):
            step = _Step(report, key, _(title), self.ctx.locale)
            with step.running():
                body(step)
        return {"core": [asdict(c) for c in report.checks], **self._news()}

    def step(self, phase: str, facts: Mapping[str, Any]) -> dict[str, Any]:
        """Run ``phase`` of the part, then publish what it wrote."""
        self.ctx.facts.update(facts_from_json(facts))
        before = facts_to_json(self.ctx.facts)
        run_step(self.ctx, self.part.name, phase, self.scenario[phase])
        after = facts_to_json(self.ctx.facts)
        published = self.publish()["types"]
        changed = {key: value for key, value in after.items() if before.get(key) != value}
        return {"facts": changed, "types": published, **self._news()}

    def publish(self) -> dict[str, Any]:
        """Publish the outbox to the stream until nothing is left; the types it held."""
        types = self._new_types()
        if types:
            relay = events.Relay(self.engine, self.servers, stream=self.stream)
            asyncio.run(relay.run(once=True))
        return {"types": types}

    def consume(self, phase: str) -> dict[str, Any]:
        """Apply the stream's events to the part's handlers, then drain the outbox locally."""
        handlers = list(self.ctx.dispatcher.handlers.values())
        fresh = [h for h in handlers if h.id not in self.subscribed]
        known = [h for h in handlers if h.id in self.subscribed]
        applied = dead = 0
        for group, since in ((fresh, self.since), (known, None)):
            if not group:
                continue
            consumer = events.BrokerConsumer(
                self.engine, self.servers, group, name=self.name, stream=self.stream, ack_wait=10.0
            )
            found = asyncio.run(consumer.run(once=True, start_time=since))
            applied += found.applied
            dead += found.dead_lettered
        self.subscribed.update(h.id for h in handlers)
        self.ctx.part, self.ctx.phase = self.part.name, phase
        if dead:
            self.ctx.check(
                ("事件已送达处理程序", "an event reached its handler", "ھادىسە بىر تەرەپ قىلغۇچىغا يەتتى"),
                False,
                f"{dead} → {self.stream.dead_letter_stream}",
                id=f"{phase}.event-delivered",
            )
        self.ctx.dispatch()
        return {"applied": applied, "waiting": self._waiting(), **self._news()}

    def _waiting(self) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(OUTBOX.c.position).where(OUTBOX.c.position > self.position).limit(1)
            )
            return found.first() is not None

    def close(self) -> dict[str, Any]:
        """Core's closing checks on this database; the agency's durable consumers are removed."""
        closing_checks(self.ctx)
        asyncio.run(self._forget(list(self.ctx.dispatcher.handlers.values())))
        return self._news()

    async def _forget(self, handlers: list[Handler]) -> None:
        if handlers:
            await events.BrokerConsumer(
                self.engine, self.servers, handlers, name=self.name, stream=self.stream
            ).remove()

    def answer(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """The answer to one request of the coordinator."""
        op = request.get("op")
        if op == "init":
            return self.init()
        if op == "step":
            return self.step(str(request["phase"]), request.get("facts") or {})
        if op == "consume":
            return self.consume(str(request["phase"]))
        if op == "publish":
            return self.publish()
        if op == "close":
            return self.close()
        raise ValueError(f"unknown request {op!r}")


def serve(agency: Agency, requests: TextIO, answers: TextIO) -> None:
    """Answer ``requests`` (JSON lines) on ``answers`` until ``stop`` or the end of the input."""
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "stop":
            break
        try:
            reply: dict[str, Any] = {"ok": True, **agency.answer(request)}
        except GovPartsError as err:
            reply = {"ok": False, "error": err.message(agency.ctx.locale)}
        except Exception as exc:  # reported to the coordinator, which stops the run
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(reply, ensure_ascii=False) + "\n")
        answers.flush()


def main(argv: list[str] | None = None) -> int:
    """Run one agency on stdin/stdout (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m govparts.cli._agency")
    for option in ("--part", "--db", "--nats", "--name", "--stream", "--locale", "--kind", "--since"):
        parser.add_argument(option, required=True)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)
    # The answers get the real stdout; whatever else is printed goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    from ._demo_broker import load_part

    agency = Agency(
        load_part(args.part),
        url=args.db,
        servers=[s.strip() for s in args.nats.split(",") if s.strip()],
        name=args.name,
        stream=args.stream,
        seed=args.seed,
        locale=args.locale,
        kind=args.kind,
        since=datetime.fromisoformat(args.since),
    )
    try:
        serve(agency, sys.stdin, answers)
    finally:
        agency.engine.dispose()
    return 0


if __name__ == "__main__":  # pragma: no cover - the process the coordinator starts
    raise SystemExit(main())
