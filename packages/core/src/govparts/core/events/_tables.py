"""Tables of the transactional outbox and of delivery to handlers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Imported before any table is defined: it gives the shared metadata its naming convention.
from ..db import JSON, UTCDateTime, big_id, metadata

__all__ = [
    "DELIVERED",
    "PENDING",
    "EventDelivery",
    "EventSubscription",
    "OutboxEvent",
    "OutboxSubject",
    "ProcessedEvent",
]

PENDING = "pending"
DELIVERED = "delivered"


class OutboxEvent(SQLModel, table=True):
    """An event written in the same transaction as the change it reports (the transactional outbox).

    ``position`` orders all events; ``subject_seq`` numbers the events of one subject 1, 2, 3… in
    commit order. ``fanned_out`` turns true once a delivery to every subscribed handler exists.
    """

    __tablename__ = "core_outbox_event"
    __table_args__ = (
        sa.UniqueConstraint("subject", "subject_seq"),
        sa.Index("ix_core_outbox_event_type", "type", "position"),
        sa.Index(
            "ix_core_outbox_event_unfanned",
            "position",
            # Each database's own rendering of "not fanned out", so that its planner matches it.
            postgresql_where=sa.text("NOT fanned_out"),
            sqlite_where=sa.text("fanned_out = 0"),
        ),
    )

    position: int | None = Field(default=None, primary_key=True, sa_type=big_id())
    id: str = Field(max_length=100, unique=True)
    type: str = Field(max_length=200)
    source: str = Field(max_length=500)
    subject: str = Field(max_length=500)
    subject_seq: int = Field(sa_type=sa.BigInteger)
    time: datetime = Field(sa_type=UTCDateTime)
    datacontenttype: str | None = Field(default=None, max_length=100)
    dataschema: str | None = Field(default=None, max_length=500)
    data: Any = Field(default=None, sa_type=JSON, nullable=True)
    extensions: Any = Field(default=None, sa_type=JSON, nullable=True)
    fanned_out: bool = Field(default=False)


class OutboxSubject(SQLModel, table=True):
    """The last sequence number given to each subject; its row is the subject's publishing lock."""

    __tablename__ = "core_outbox_subject"

    subject: str = Field(max_length=500, primary_key=True)
    last_seq: int = Field(sa_type=sa.BigInteger)


class EventSubscription(SQLModel, table=True):
    """A handler's subscription to an event type; new events of the type fan out to it."""

    __tablename__ = "core_event_subscription"

    handler_id: str = Field(max_length=100, primary_key=True)
    event_type: str = Field(max_length=200, primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class EventDelivery(SQLModel, table=True):
    """The delivery of one event to one handler: pending until the handler's transaction commits.

    A failed attempt leaves it pending with ``attempts``, ``last_error`` and ``next_attempt_at``.
    """

    __tablename__ = "core_event_delivery"
    __table_args__ = (
        sa.Index(
            "ix_core_event_delivery_pending",
            "handler_id",
            "subject",
            "event_position",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    handler_id: str = Field(max_length=100, primary_key=True)
    event_position: int = Field(
        sa_type=sa.BigInteger,
        primary_key=True,
        foreign_key="core_outbox_event.position",
        sa_column_kwargs={"autoincrement": False},
    )
    subject: str = Field(max_length=500)
    status: str = Field(default=PENDING, max_length=16)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProcessedEvent(SQLModel, table=True):
    """An event a handler has processed, written in the same transaction as the handler's effects."""

    __tablename__ = "core_processed_event"

    handler_id: str = Field(max_length=100, primary_key=True)
    event_id: str = Field(max_length=100, primary_key=True)
    processed_at: datetime = Field(sa_type=UTCDateTime)


OUTBOX: sa.Table = metadata.tables[OutboxEvent.__tablename__]
SUBJECT: sa.Table = metadata.tables[OutboxSubject.__tablename__]
SUBSCRIPTION: sa.Table = metadata.tables[EventSubscription.__tablename__]
DELIVERY: sa.Table = metadata.tables[EventDelivery.__tablename__]
PROCESSED: sa.Table = metadata.tables[ProcessedEvent.__tablename__]
