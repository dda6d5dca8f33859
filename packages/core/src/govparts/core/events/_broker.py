"""What the exchange centre's broker (NATS JetStream) holds: subjects, the stream, the message form.

Subjects. Every event is published on ``govparts.<org>.<event type>``, for example
``govparts.91650000MA77ABCDE1.cn.govparts.personnel.employee.hired.v1``. ``<org>`` is the unified
social credit code (GB 32100-2015) of the organisation the event belongs to, taken from the first of

1. the CloudEvents extension attribute ``org``;
2. the payload's fields ``org``, ``organization_credit_code``, ``organization.credit_code``,
   ``person.organization_credit_code``, ``unit.organization_credit_code``,
   ``to_unit.organization_credit_code``, ``from_unit.organization_credit_code``;

else ``_`` (an event of the whole deployment). A value that is not a valid subject token (letters,
digits, ``_`` and ``-``, at most 64) also gives ``_``. So an agency subscribes to its own
organisation's events with ``govparts.<its code>.>``, and to one type across every organisation with
``govparts.*.<event type>``.

The stream. One stream per deployment (default name ``GOVPARTS``) captures ``govparts.>`` with the
limits retention policy: messages stay until they are older than ``max_age`` (default 30 days) or
the stream exceeds ``max_bytes`` (default: unlimited), whether or not consumers have read them, so a
consumer can replay. The broker drops a message whose ``Nats-Msg-Id`` (the CloudEvents ``id``) it
has stored within the ``duplicate_window`` (default one hour). Dead letters go to a second stream,
``<name>_DLQ``, on ``govparts-dlq.<consumer>`` (kept 90 days), so that only the relay publishes to
the main stream.

Messages. The body is the event in CloudEvents' structured JSON form (``Content-Type:
application/cloudevents+json``, CloudEvents 1.0 JSON event format §3), exactly what
:meth:`CloudEvent.from_json` reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput
from ..i18n import N_

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js import JetStreamContext

__all__ = [
    "CONTENT_TYPE",
    "DEAD_LETTER_PREFIX",
    "ORG_PATHS",
    "SUBJECT_PREFIX",
    "StreamSettings",
    "connect",
    "ensure_streams",
    "event_org",
    "nats_subject",
]

SUBJECT_PREFIX = "govparts"
DEAD_LETTER_PREFIX = "govparts-dlq"
CONTENT_TYPE = "application/cloudevents+json"
NO_ORG = "_"
ORG_PATHS: tuple[tuple[str, ...], ...] = (
    ("org",),
    ("organization_credit_code",),
    ("organization", "credit_code"),
    ("person", "organization_credit_code"),
    ("unit", "organization_credit_code"),
    ("to_unit", "organization_credit_code"),
    ("from_unit", "organization_credit_code"),
)
"""Where in a payload the organisation's credit code is looked for, in this order."""
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_STREAM_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_DAY = 86_400.0


@dataclass(frozen=True)
class StreamSettings:
    """The deployment's stream and its retention; the relay creates it or brings it to these values."""

    name: str = "GOVPARTS"
    max_age: float = 30 * _DAY
    """Seconds a message is kept (limits retention policy)."""
    max_bytes: int = -1
    """The stream's size limit in bytes; -1 is unlimited. The oldest messages go first."""
    duplicate_window: float = 3600.0
    """Seconds within which a repeated ``Nats-Msg-Id`` is dropped."""
    dead_letter_max_age: float = 90 * _DAY

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _STREAM_NAME.match(self.name):
            raise InvalidInput(
                N_("{field}: {got} does not have the required form"), field="stream", got=str(self.name)
            )
        for field, value in (
            ("max_age", self.max_age),
            ("duplicate_window", self.duplicate_window),
            ("dead_letter_max_age", self.dead_letter_max_age),
        ):
            if not value > 0:
                raise InvalidInput(
                    N_("{field}: must be at least {limit}, got {got}"), field=field, limit=1, got=value
                )

    @property
    def dead_letter_stream(self) -> str:
        """The name of the stream of dead letters."""
        return f"{self.name}_DLQ"


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def event_org(data: Any, extensions: Mapping[str, Any] | None = None) -> str:
    """The ``<org>`` token of an event's subject: its ``org`` extension, else its payload's, else ``_``."""
    found = (extensions or {}).get("org")
    if found is None:
        for path in ORG_PATHS:
            found = _lookup(data, path)
            if found is not None:
                break
    if isinstance(found, str) and _TOKEN.match(found):
        return found
    return NO_ORG


def nats_subject(event_type: str, data: Any, extensions: Mapping[str, Any] | None = None) -> str:
    """The broker subject of an event: ``govparts.<org>.<event type>``."""
    return f"{SUBJECT_PREFIX}.{event_org(data, extensions)}.{event_type}"


def dead_letter_subject(consumer: str) -> str:
    """The subject where ``consumer`` puts events it gives up on."""
    return f"{DEAD_LETTER_PREFIX}.{consumer}"


def stop_on_signals(stop: asyncio.Event) -> None:
    """Set ``stop`` on SIGINT and SIGTERM (where the running loop can take signal handlers)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Only the main thread's loop takes signal handlers; elsewhere the caller sets ``stop``.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)


async def connect(
    servers: str | list[str],
    *,
    name: str,
    disconnected: Callable[[], Awaitable[None]] | None = None,
) -> Client:
    """A connection that keeps reconnecting (every half second, for ever) when the broker goes away;
    ``disconnected`` is awaited each time the connection is lost."""
    import nats

    options: dict[str, Any] = {} if disconnected is None else {"disconnected_cb": disconnected}
    return await nats.connect(
        servers,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
        allow_reconnect=True,
        **options,
    )


async def ensure_streams(js: JetStreamContext, settings: StreamSettings) -> int:
    """Create the stream and its dead-letter stream, or bring them to ``settings``; returns the
    main stream's last sequence number."""
    from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
    from nats.js.errors import NotFoundError

    wanted = (
        StreamConfig(
            name=settings.name,
            subjects=[f"{SUBJECT_PREFIX}.>"],
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            storage=StorageType.FILE,
            max_age=settings.max_age,
            max_bytes=settings.max_bytes,
            duplicate_window=settings.duplicate_window,
            description="govparts events (CloudEvents JSON), published by govparts relay",
        ),
        StreamConfig(
            name=settings.dead_letter_stream,
            subjects=[f"{DEAD_LETTER_PREFIX}.>"],
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            storage=StorageType.FILE,
            max_age=settings.dead_letter_max_age,
            description="govparts events consumers gave up on, with the reason in headers",
        ),
    )
    last = 0
    for config in wanted:
        try:
            await js.stream_info(str(config.name))
        except NotFoundError:
            info = await js.add_stream(config)
        else:
            info = await js.update_stream(config)
        if config.name == settings.name:
            last = int(info.state.last_seq or 0)
    return last
