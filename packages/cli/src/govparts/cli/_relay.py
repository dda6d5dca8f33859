"""``govparts relay`` and ``govparts consume``: the outbox to NATS JetStream, and back into handlers.

``relay`` publishes the committed outbox of ``--db`` to the deployment's stream at ``--nats`` (see
``govparts.core.events.Relay``); ``consume`` feeds handlers with the stream's events in the database
``--db`` of another agency (``govparts.core.events.BrokerConsumer``). Both run until Ctrl-C or
SIGTERM, or with ``--once`` until nothing is waiting, and then print what they did.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_

from ._db import open_engine
from ._ui import DOMAIN, OPTIONS, DbOption, JsonOption, LocaleOption, _, session

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from govparts.core.events import Handler

NatsOption = Annotated[
    str,
    typer.Option(
        "--nats",
        metavar="URL",
        help=_("The NATS server with JetStream, nats://HOST:PORT (several separated by commas)."),
        rich_help_panel=OPTIONS,
    ),
]
StreamOption = Annotated[
    str,
    typer.Option("--stream", metavar="NAME", help=_("The deployment's stream."), rich_help_panel=OPTIONS),
]
OnceOption = Annotated[
    bool,
    typer.Option(
        "--once",
        help=_("Stop when nothing is waiting instead of running until interrupted."),
        rich_help_panel=OPTIONS,
    ),
]


def _servers(nats: str) -> list[str]:
    return [server.strip() for server in nats.split(",") if server.strip()]


def relay(
    *,
    nats: NatsOption,
    db: DbOption = None,
    stream: StreamOption = "GOVPARTS",
    once: OnceOption = False,
    batch: Annotated[
        int,
        typer.Option(
            "--batch",
            metavar="N",
            min=1,
            max=4000,
            help=_("Events sent per round without waiting for each acknowledgement."),
            rich_help_panel=OPTIONS,
        ),
    ] = 2000,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    """Publish the committed outbox to NATS JetStream, in order per subject."""
    from govparts.core.events import StreamSettings, run_relay

    with session(locale, as_json) as out, open_engine(db) as engine:
        report = run_relay(
            engine, _servers(nats), stream=StreamSettings(name=stream), once=once, batch_size=batch
        )
        out.emit(
            asdict(report),
            _("Published {published} event(s); {duplicates} were already in the stream.").format(
                published=report.published, duplicates=report.duplicates
            ),
        )


def _load_handlers(engine: Engine, references: list[str], part_names: list[str]) -> list[Handler]:
    from importlib import import_module

    from govparts.core.events import Handler
    from govparts.core.parts import iter_parts

    found: list[Handler] = []
    targets: list[tuple[str, Any]] = []
    for reference in references:
        module, _sep, attribute = reference.partition(":")
        if not module or not attribute:
            raise InvalidInput(
                N_("{field}: {got} is not of the form module:attribute"),
                field="handlers",
                got=reference,
                domain=DOMAIN,
            )
        targets.append((reference, getattr(import_module(module), attribute)))
    parts = {part.name: part for part in iter_parts()}
    for name in part_names:
        part = parts.get(name)
        if part is None or not part.handlers:
            raise InvalidInput(
                N_("{field}: no installed part named {got} declares handlers"),
                field="part",
                got=name,
                domain=DOMAIN,
            )
        targets.append((name, part.load("handlers")))
    for _name, target in targets:
        made = target(engine) if callable(target) and not isinstance(target, Handler) else target
        found += [made] if isinstance(made, Handler) else list(made)
    if not found:
        raise InvalidInput(N_("{field}: the handler consumes no event type"), field="handlers", domain=DOMAIN)
    return found


def consume(
    *,
    nats: NatsOption,
    name: Annotated[
        str,
        typer.Option(
            "--name",
            metavar="NAME",
            help=_("This consumer (the agency): names its durable consumers and its dead letters."),
            rich_help_panel=OPTIONS,
        ),
    ],
    handlers: Annotated[
        list[str] | None,
        typer.Option(
            "--handlers",
            metavar="MODULE:ATTRIBUTE",
            help=_("Handlers to feed: a list of handlers, or a function of the engine returning one."),
            rich_help_panel=OPTIONS,
        ),
    ] = None,
    part: Annotated[
        list[str] | None,
        typer.Option(
            "--part",
            metavar="NAME",
            help=_("Feed the handlers an installed part declares."),
            rich_help_panel=OPTIONS,
        ),
    ] = None,
    db: DbOption = None,
    stream: StreamOption = "GOVPARTS",
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            metavar="CODE",
            help=_("Receive only this organisation's events (its unified social credit code)."),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    from_seq: Annotated[
        int | None,
        typer.Option(
            "--from-seq",
            metavar="N",
            min=1,
            help=_("Replay from this stream sequence number."),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            metavar="TIME",
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"],
            help=_("Replay from this time (ISO 8601 with its offset)."),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    max_deliveries: Annotated[
        int,
        typer.Option(
            "--max-deliveries",
            metavar="N",
            min=1,
            help=_("Dead-letter an event whose handler failed on this many deliveries."),
            rich_help_panel=OPTIONS,
        ),
    ] = 5,
    ack_wait: Annotated[
        float,
        typer.Option(
            "--ack-wait",
            metavar="SECONDS",
            min=0.5,
            help=_("Seconds after which an unacknowledged event is delivered again."),
            rich_help_panel=OPTIONS,
        ),
    ] = 30.0,
    once: OnceOption = False,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    """Apply the stream's events to handlers in this database, each event once."""
    from govparts.core.events import BrokerConsumer, StreamSettings, run_consumer

    with session(locale, as_json) as out, open_engine(db) as engine:
        if from_seq is not None and since is not None:
            raise InvalidInput(
                N_("{field}: give either --from-seq or --since, not both"), field="since", domain=DOMAIN
            )
        consumer = BrokerConsumer(
            engine,
            _servers(nats),
            _load_handlers(engine, handlers or [], part or []),
            name=name,
            stream=StreamSettings(name=stream),
            org=org,
            max_deliveries=max_deliveries,
            ack_wait=ack_wait,
        )
        report = run_consumer(consumer, once=once, start_sequence=from_seq, start_time=since)
        out.emit(
            asdict(report),
            _(
                "Applied {applied} event(s); {duplicates} already applied; {dead} sent to the dead letters."
            ).format(applied=report.applied, duplicates=report.duplicates, dead=report.dead_lettered),
        )
