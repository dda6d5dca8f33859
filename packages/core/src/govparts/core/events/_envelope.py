"""The event envelope: CloudEvents 1.0 in its JSON (structured) form."""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Any, Literal, NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import InvalidInput, from_validation_error
from ..i18n import N_

__all__ = [
    "EVENT_TYPE_PATTERN",
    "CloudEvent",
    "EventIdBlock",
    "EventTypeName",
    "new_event_id",
    "new_event_ids",
    "parse_event_type",
    "reserve_event_ids",
]

EVENT_TYPE_PATTERN = (
    r"^cn\.govparts\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.v([1-9][0-9]*)$"
)
"""``cn.govparts.<part>.<entity>.<event>.v<N>``: lower-case words, a major version from 1."""

_TYPE = re.compile(EVENT_TYPE_PATTERN)
# CloudEvents 1.0 §3.1.1 (attribute naming): lower-case ASCII letters and digits; 20 characters or
# fewer is the spec's recommendation for portability, kept here as a rule.
_EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")
_CONTEXT_ATTRIBUTES = frozenset(
    {"specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema", "data"}
)


class EventTypeName(NamedTuple):
    """The parts of an event type name."""

    part: str
    entity: str
    event: str
    version: int


def parse_event_type(name: str, *, field: str = "type") -> EventTypeName:
    """Split ``cn.govparts.<part>.<entity>.<event>.v<N>``; anything else raises InvalidInput."""
    match = _TYPE.match(name) if isinstance(name, str) else None
    if match is None:
        raise InvalidInput(
            N_(
                "{field}: {got} is not an event type name of the form "
                "cn.govparts.<part>.<entity>.<event>.v<N>"
            ),
            field=field,
            got=str(name),
        )
    part, entity, event, version = match.groups()
    return EventTypeName(part, entity, event, int(version))


# UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then 74 random bits around
# the version (7) and variant (0b10) bits. An id is kept here as the 122-bit number "time, random".
_RANDOM_BITS = 74
_LOW_BITS = 62
_LOW = (1 << _LOW_BITS) - 1
_last_id = 0
_id_lock = threading.Lock()


def new_event_id() -> str:
    """A fresh event id, unique per source as CloudEvents 1.0 §3.1.1 asks: a UUID version 7.

    A version 7 UUID (RFC 9562 §5.7) begins with the time in milliseconds, so ids made later sort
    later and the outbox's unique index on ``id`` grows at its right-hand edge instead of at a random
    page per event. Ids from one process increase strictly (RFC 9562 §6.2, method 2).
    """
    return new_event_ids(1)[0]


def new_event_ids(count: int) -> list[str]:
    """``count`` fresh event ids in increasing order (see :func:`new_event_id`).

    The first is the current millisecond followed by 74 fresh random bits; the rest count up by one
    from it (the "monotonic random" method of RFC 9562 §6.2), and none is below an id this process
    gave before.
    """
    global _last_id
    if count <= 0:
        return []
    noise = int.from_bytes(os.urandom(10), "big") >> (80 - _RANDOM_BITS)
    with _id_lock:
        first = max((time.time_ns() // 1_000_000) << _RANDOM_BITS | noise, _last_id + 1)
        _last_id = first + count - 1
    return [_formatted(value) for value in range(first, first + count)]


def _formatted(value: int) -> str:
    high = value >> _LOW_BITS  # time and the 12 random bits of "rand_a"
    text = f"{(high >> 12) << 16 | 0x7000 | (high & 0xFFF):016x}{1 << 63 | (value & _LOW):016x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class EventIdBlock(NamedTuple):
    """``size`` consecutive event ids that differ only in their last group (48 bits, 12 hex digits).

    The ``n``-th id (from 0) is ``prefix`` followed by ``first_tail + n`` in 12 lower-case hex digits,
    so a database can spell the ids itself (``printf('%012x', …)``, ``lpad(to_hex(…), 12, '0')``).
    """

    prefix: str
    first_tail: int
    size: int


_TAIL_BITS = 48
_TAIL = (1 << _TAIL_BITS) - 1


def reserve_event_ids(count: int) -> EventIdBlock:
    """Reserve ``count`` fresh event ids (as :func:`new_event_ids` would give) as an :class:`EventIdBlock`.

    The block starts where :func:`new_event_ids` would, except that when counting up would carry out
    of the last group it starts at the next value whose last group is zero instead: still above
    every id given before, so ids stay unique and increasing.
    """
    global _last_id
    if not 0 < count <= _TAIL:
        raise ValueError(f"count must be between 1 and {_TAIL}, got {count}")
    noise = int.from_bytes(os.urandom(10), "big") >> (80 - _RANDOM_BITS)
    with _id_lock:
        first = max((time.time_ns() // 1_000_000) << _RANDOM_BITS | noise, _last_id + 1)
        if (first & _TAIL) + count - 1 > _TAIL:
            first = (first | _TAIL) + 1
        _last_id = first + count - 1
    return EventIdBlock(_formatted(first)[:-12], first & _TAIL, count)


class CloudEvent(BaseModel):
    """An event as it crosses a system boundary: a CloudEvents 1.0 envelope, JSON event format.

    Required context attributes are ``id``, ``source``, ``specversion`` (``"1.0"``) and ``type``;
    govparts also always sets ``subject`` (the thing the event is about, e.g. ``"document/42"``, which
    is also the unit of ordering), ``time`` and ``dataschema``. ``data`` is the payload as JSON, valid
    against the payload model of the event type in the catalogue. Extension attributes are kept.
    ``to_json()`` leaves out absent optional attributes, as the JSON format asks.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1, max_length=100)
    source: str = Field(min_length=1, max_length=500)
    type: str = Field(pattern=EVENT_TYPE_PATTERN, max_length=200)
    time: AwareDatetime | None = None
    subject: str | None = Field(default=None, min_length=1, max_length=500)
    datacontenttype: str | None = "application/json"
    dataschema: str | None = Field(default=None, min_length=1, max_length=500)
    data: Any = None

    @model_validator(mode="after")
    def _extension_names(self) -> CloudEvent:
        for name, value in (self.model_extra or {}).items():
            if not _EXTENSION_NAME.match(name):
                raise ValueError(f"extension attribute {name!r} must be 1-20 lower-case letters or digits")
            if not isinstance(value, (str, int, bool)) or isinstance(value, float):
                raise ValueError(f"extension attribute {name!r} must be a string, integer or boolean")
        return self

    @property
    def extensions(self) -> dict[str, Any]:
        """Extension attributes (anything beyond the CloudEvents core context attributes)."""
        return {k: v for k, v in (self.model_extra or {}).items() if k not in _CONTEXT_ATTRIBUTES}

    def to_json(self) -> str:
        """The event in the CloudEvents JSON format (``application/cloudevents+json``)."""
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> CloudEvent:
        """Read an event in the CloudEvents JSON format; a malformed one raises InvalidRecord."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise from_validation_error(exc, model="CloudEvent") from None
