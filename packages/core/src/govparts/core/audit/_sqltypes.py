"""Column types shared by core's tables."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from ..errors import InvalidInput
from ..i18n import N_

__all__ = ["JSON", "UTCDateTime", "big_id"]

JSON = sa.JSON(none_as_null=True)
"""JSON where Python ``None`` is SQL ``NULL`` (not the JSON text ``null``)."""


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware UTC datetime on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no zone, so the value is stored as naive UTC and
    read back aware. A naive value is refused: a time without its zone is ambiguous.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(N_("{field}: the time must carry its time zone"), field="time", got=str(value))
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def big_id() -> sa.types.TypeEngine[int]:
    """A 64-bit integer key that SQLite still treats as its auto-incrementing rowid."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")
