"""The entity side of the engine (``Stateful``) and the log of who performed which transition."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Imported before any table is defined: it gives the shared metadata its naming convention.
from ..db import UTCDateTime, big_id, metadata

__all__ = ["Stateful", "TransitionRecord"]


class Stateful(SQLModel):
    """Mixin for a table whose rows a :class:`~govparts.core.process.ProcessEngine` governs.

    Adds ``state`` (the current state's id) and ``version`` (raised by one on every transition, the
    optimistic lock). The table keeps its own single-column primary key::

        class Document(Stateful, table=True):
            id: int | None = Field(default=None, primary_key=True)
            title: str

    Only the engine changes ``state`` and ``version``: it refuses an entity whose state or version
    was changed in memory.
    """

    state: str = Field(default="", max_length=64, index=True)
    version: int = Field(default=0)


class TransitionRecord(SQLModel, table=True):
    """One performed transition: which process, entity, move, actor and when.

    Separation of duties reads it ("the reviewer must not be the preparer"); ``audit_seq`` points at
    the audit record and ``event_id`` at the outbox event written in the same transaction.
    """

    __tablename__ = "core_transition_log"
    __table_args__ = (sa.Index("ix_core_transition_log_entity", "entity", "entity_id", "transition"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=big_id())
    process: str = Field(max_length=100)
    process_version: str = Field(max_length=20)
    entity: str = Field(max_length=64)
    entity_id: str = Field(max_length=100)
    transition: str = Field(max_length=64)
    from_state: str = Field(max_length=64)
    to_state: str = Field(max_length=64)
    version: int
    actor_id: str = Field(max_length=100)
    actor_unit: str | None = Field(default=None, max_length=100)
    at: datetime = Field(sa_type=UTCDateTime)
    event_id: str | None = Field(default=None, max_length=100)
    audit_seq: int = Field(sa_type=sa.BigInteger)


LOG: sa.Table = metadata.tables[TransitionRecord.__tablename__]
