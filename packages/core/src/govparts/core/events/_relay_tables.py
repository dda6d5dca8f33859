"""Tables of the relay's progress: how far the outbox has been published to the broker."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Imported before any table is defined: it gives the shared metadata its naming convention.
from ..db import UTCDateTime, metadata

__all__ = ["RelayAhead", "RelayCursor"]


class RelayCursor(SQLModel, table=True):
    """How far the relay to one stream has published the outbox.

    Every outbox event at or below ``position`` is in the stream or will never exist (its
    transaction rolled back). ``stream_seq`` is the stream's last sequence number the relay knew
    when it committed this row: after a crash, messages above it are the ones the broker stored
    but the relay had not yet recorded.
    """

    __tablename__ = "core_relay_cursor"

    stream: str = Field(max_length=100, primary_key=True)
    position: int = Field(default=0, sa_type=sa.BigInteger)
    stream_seq: int = Field(default=0, sa_type=sa.BigInteger)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class RelayAhead(SQLModel, table=True):
    """An event published to the stream although an earlier position is still undecided.

    On PostgreSQL a transaction holding a lower outbox position may commit after one holding a
    higher position; until it does (or is known to have rolled back) the cursor stays below it and
    the events published past it are listed here, so that none is published twice or skipped.
    """

    __tablename__ = "core_relay_ahead"

    stream: str = Field(max_length=100, primary_key=True)
    position: int = Field(sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})


CURSOR: sa.Table = metadata.tables[RelayCursor.__tablename__]
AHEAD: sa.Table = metadata.tables[RelayAhead.__tablename__]
