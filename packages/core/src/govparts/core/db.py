"""Database engines and sessions: SQLite by default, PostgreSQL by URL.

``create_engine()`` with no URL opens ``govparts.db`` in the working directory (or the URL in
``GOVPARTS_DB_URL``) with write-ahead logging and foreign keys on. A
``postgresql+psycopg://`` URL opens PostgreSQL (install ``govparts-core[postgresql]``).

Every table in govparts shares :data:`metadata` (SQLModel's), whose naming convention gives
constraints stable names, so Alembic migrations written on SQLite apply unchanged on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from .errors import ConfigurationError, InvalidInput
from .i18n import N_
from .money import Money

__all__ = [
    "DEFAULT_URL",
    "JSON",
    "MoneyType",
    "UTCDateTime",
    "big_id",
    "NAMING_CONVENTION",
    "create_engine",
    "is_postgresql",
    "metadata",
    "session_scope",
]

DEFAULT_URL = "sqlite:///govparts.db"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata
metadata.naming_convention = NAMING_CONVENTION


JSON = sa.JSON(none_as_null=True)
"""JSON where Python ``None`` is SQL ``NULL`` (not the JSON text ``null``)."""


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware UTC datetime on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no zone, so the value is stored as naive UTC and
    read back aware. A naive value is refused: a time without its zone is ambiguous.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(N_("{field}: the time must carry its time zone"), field="time", got=str(value))
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def big_id() -> sa.types.TypeEngine[int]:
    """A 64-bit integer key that SQLite still treats as its auto-incrementing rowid."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class MoneyType(sa.types.TypeDecorator[Any]):
    """A column of :class:`~govparts.core.money.Money`, stored as whole fen in a BIGINT.

    Integers are exact on every backend (SQLite's NUMERIC goes through float), and ``SUM`` over
    fen in SQL is exact too, so ledgers and reports can aggregate in the database.
    """

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> int | None:
        if value is None:
            return None
        return Money.of(value).fen

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        return Money.from_fen(int(value))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # pysqlite's own transaction handling defers BEGIN and never takes the write lock up front;
    # BEGIN IMMEDIATE makes concurrent writers queue (busy_timeout) instead of failing mid-way.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str | None = None, *, echo: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: ``GOVPARTS_DB_URL``, else ``sqlite:///govparts.db``)."""
    url = url or os.environ.get("GOVPARTS_DB_URL") or DEFAULT_URL
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "isolation_level": None}, **kwargs
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            return sa.create_engine(url, echo=echo, pool_pre_ping=True, **kwargs)
        except ModuleNotFoundError as exc:
            raise ConfigurationError(
                N_(
                    "{field}: the PostgreSQL driver is not installed ({reason}); "
                    "install govparts-core[postgresql]"
                ),
                field="url",
                reason=str(exc),
            ) from exc
    raise ConfigurationError(
        N_("{field}: unsupported database {got}; use sqlite:/// or postgresql+psycopg://"),
        field="url",
        got=parsed.get_backend_name(),
    )


def is_postgresql(bind: Engine | sa.Connection | Session) -> bool:
    """True when ``bind`` talks to PostgreSQL."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
