"""Appending to the hash chain, and the canonical form each record's hash covers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from ..errors import ConfigurationError, InvalidInput
from ..i18n import N_
from ._tables import GENESIS_HASH, HEAD, RECORD

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = [
    "ALGORITHMS",
    "CANONICAL_FIELDS",
    "AuditEntry",
    "AuditStamp",
    "append",
    "append_many",
    "canonical_form",
    "digest",
    "hash_algorithm",
    "history",
]

CANONICAL_FIELDS: tuple[str, ...] = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_unit",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "details",
    "alg",
    "prev_hash",
)
"""The fields a record's hash covers, ``prev_hash`` (the previous record's hash) among them."""

ALGORITHMS = ("sm3", "sha256")
"""The hash algorithms a record may name."""


class _ActorLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def unit(self) -> str | None: ...


@cache
def hash_algorithm() -> str:
    """``"sm3"`` (GB/T 32905-2016) when this Python's OpenSSL offers it, else ``"sha256"``."""
    try:
        hashlib.new("sm3")
    except ValueError:
        return "sha256"
    return "sm3"


def _hasher(alg: str) -> Any:
    if alg not in ALGORITHMS:
        raise ConfigurationError(
            N_("{field}: unknown hash algorithm {got} (known: {allowed})"),
            field="alg",
            got=alg,
            allowed=list(ALGORITHMS),
        )
    try:
        return hashlib.new(alg)
    except ValueError as exc:
        raise ConfigurationError(
            N_("{field}: this Python's OpenSSL does not offer {got}; the chain cannot be checked here"),
            field="alg",
            got=alg,
        ) from exc


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_form(record: Mapping[Any, Any]) -> bytes:
    """The bytes a record's hash covers: its :data:`CANONICAL_FIELDS` as canonical JSON.

    Keys sorted, no insignificant whitespace, UTF-8 without escapes, the time as
    ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC. Anyone holding an export of the chain can recompute
    every hash from this description alone.
    """
    values = {name: record[name] for name in CANONICAL_FIELDS}
    values["recorded_at"] = _timestamp(values["recorded_at"])
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(record: Mapping[Any, Any]) -> str:
    """The hex digest of :func:`canonical_form` with the record's own algorithm (``alg``)."""
    hasher = _hasher(record["alg"])
    hasher.update(canonical_form(record))
    return str(hasher.hexdigest())


def _plain_json(value: Any, name: str) -> Any:
    # What is hashed must be exactly what the database gives back: JSON's own types only.
    if value is None:
        return None
    from pydantic_core import PydanticSerializationError, to_jsonable_python

    try:
        text = json.dumps(to_jsonable_python(value), ensure_ascii=False, allow_nan=False)
    except (PydanticSerializationError, ValueError, TypeError) as exc:
        raise InvalidInput(
            N_("{field}: cannot be recorded as JSON ({reason})"), field=name, reason=str(exc)
        ) from exc
    return json.loads(text)


@dataclass(frozen=True)
class AuditEntry:
    """What to record: an action by an actor on one thing, with its state before and after.

    ``before``, ``after`` and ``details`` may be anything pydantic can turn into JSON (models,
    dicts, decimals, dates); they are stored and hashed as that JSON.
    """

    action: str
    entity: str
    entity_id: str
    actor: _ActorLike | str | None = None
    before: Any = None
    after: Any = None
    details: Any = None
    actor_unit: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class AuditStamp:
    """What an append returns: where the record sits in the chain and its hash."""

    seq: int
    hash: str
    alg: str
    recorded_at: datetime


def _actor_fields(entry: AuditEntry) -> tuple[str | None, str | None]:
    actor = entry.actor
    if actor is None or isinstance(actor, str):
        return actor, entry.actor_unit
    return actor.id, entry.actor_unit if entry.actor_unit is not None else actor.unit


def _require_text(value: str, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise InvalidInput(
            N_("{field}: expected text of 1 to {limit} characters, got {got}"),
            field=name,
            got=str(value),
            limit=limit,
        )
    return value


def _dialect(bind: Session | sa.Connection) -> str:
    if isinstance(bind, sa.Connection):
        return bind.dialect.name
    return bind.get_bind().dialect.name


def _lock_head(bind: Session | sa.Connection) -> tuple[int, str]:
    query = sa.select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1).with_for_update()
    row = bind.execute(query).first()
    if row is None:
        # Tables made without the after-create row (by hand): create it, racing safely.
        insert: Any
        if _dialect(bind) == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        bind.execute(insert(HEAD).values(id=1, seq=0, hash=GENESIS_HASH).on_conflict_do_nothing())
        row = bind.execute(query).one()
    return int(row.seq), str(row.hash)


def append_many(
    bind: Session | sa.Connection, entries: Iterable[AuditEntry], *, at: datetime | None = None
) -> list[AuditStamp]:
    """Append ``entries`` to the chain, in order, inside the caller's transaction.

    The chain head is locked until the caller's transaction ends, so concurrent appends queue and
    the chain never forks; keep the rest of the transaction short. All entries share one time
    (``at``, default now) and are written with one statement. Invalid entries raise
    :class:`~govparts.core.errors.InvalidInput` naming the field before anything is written.
    """
    items = list(entries)
    if not items:
        return []
    recorded_at = (at or datetime.now(UTC)).astimezone(UTC)
    alg = hash_algorithm()
    prepared: list[dict[str, Any]] = []
    for index, entry in enumerate(items):
        actor_id, actor_unit = _actor_fields(entry)
        where = f"entries[{index}]"
        prepared.append(
            {
                "recorded_at": recorded_at,
                "actor_id": None if actor_id is None else _require_text(actor_id, f"{where}.actor", 100),
                "actor_unit": None if actor_unit is None else _require_text(actor_unit, f"{where}.unit", 100),
                "action": _require_text(entry.action, f"{where}.action", 64),
                "entity": _require_text(entry.entity, f"{where}.entity", 100),
                "entity_id": _require_text(str(entry.entity_id), f"{where}.entity_id", 100),
                "before": _plain_json(entry.before, f"{where}.before"),
                "after": _plain_json(entry.after, f"{where}.after"),
                "details": _plain_json(entry.details, f"{where}.details"),
                "alg": alg,
            }
        )
    seq, previous = _lock_head(bind)
    stamps: list[AuditStamp] = []
    for values in prepared:
        seq += 1
        values["seq"] = seq
        values["prev_hash"] = previous
        values["hash"] = previous = digest(values)
        stamps.append(AuditStamp(seq=seq, hash=previous, alg=alg, recorded_at=recorded_at))
    bind.execute(sa.insert(RECORD), prepared)
    bind.execute(sa.update(HEAD).where(HEAD.c.id == 1).values(seq=seq, hash=previous))
    return stamps


def append(
    bind: Session | sa.Connection,
    *,
    action: str,
    entity: str,
    entity_id: str,
    actor: _ActorLike | str | None = None,
    before: Any = None,
    after: Any = None,
    details: Any = None,
    at: datetime | None = None,
) -> AuditStamp:
    """Append one record inside the caller's transaction (see :func:`append_many`)."""
    entry = AuditEntry(action, entity, entity_id, actor, before, after, details)
    return append_many(bind, [entry], at=at)[0]


def history(bind: Session | sa.Connection, entity: str, entity_id: str) -> Sequence[sa.Row[Any]]:
    """The records about one thing, oldest first (rows with every column of ``core_audit_record``)."""
    query = (
        sa.select(RECORD)
        .where(RECORD.c.entity == entity, RECORD.c.entity_id == str(entity_id))
        .order_by(RECORD.c.seq)
    )
    return bind.execute(query).all()
