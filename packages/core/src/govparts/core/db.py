"""Database engines and sessions: SQLite by default, PostgreSQL by URL.

``create_engine()`` with no URL opens ``govparts.db`` in the working directory (or the URL in
``GOVPARTS_DB_URL``) with write-ahead logging and foreign keys on. A
``postgresql+psycopg://`` URL opens PostgreSQL (install ``govparts-core[postgresql]``).

Every table in govparts shares :data:`metadata` (SQLModel's), whose naming convention gives
constraints stable names, so Alembic migrations written on SQLite apply unchanged on PostgreSQL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
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
    "append_only_ddl",
    "append_only_drop_ddl",
    "MoneyType",
    "UTCDateTime",
    "big_id",
    "NAMING_CONVENTION",
    "create_engine",
    "is_postgresql",
    "make_append_only",
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
    """An engine for ``url`` (default: ``GOVPARTS_DB_URL``, else ``sqlite:///govparts.db``).

    Its errors and logs never carry SQL parameters (``hide_parameters``): they hold personal data
    (names, citizen identity numbers), and an error message travels into logs and terminals
    (issue 15.4). Pass ``hide_parameters=False`` to see them while debugging.
    """
    url = url or os.environ.get("GOVPARTS_DB_URL") or DEFAULT_URL
    kwargs.setdefault("hide_parameters", True)
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


_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,39}")


def _identifier(name: str, field: str) -> str:
    # Names go into DDL text and into trigger and function names (PostgreSQL keeps 63 bytes).
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        raise ConfigurationError(
            N_("{field}: expected a lower-case SQL name of at most 40 characters, got {got}"),
            field=field,
            got=str(name),
        )
    return name


def _key_condition(table: str, key: Sequence[str]) -> str:
    if not key:
        raise ConfigurationError(N_("{field}: name at least one key column"), field="key_columns", got=table)
    columns = [_identifier(column, "key_columns") for column in key]
    return " AND ".join(f"{column} = NEW.{column}" for column in columns)


def append_only_ddl(
    table: str, dialect: str, key_columns: Sequence[str], *, unique: Sequence[Sequence[str]] = ()
) -> tuple[str, ...]:
    """The statements that make ``table`` append-only on ``dialect``: rows may be added, never changed.

    ``key_columns`` is the table's key (its primary key); ``unique`` lists any further unique keys.

    SQLite: triggers refuse ``UPDATE`` and ``DELETE`` (also the update of an
    ``INSERT … ON CONFLICT DO UPDATE``), and a ``BEFORE INSERT`` trigger refuses a row whose key (or
    any unique key) is already taken. That last one is what stops ``INSERT OR REPLACE`` and
    ``REPLACE``: SQLite's REPLACE deletes the old row without firing delete triggers (unless
    ``PRAGMA recursive_triggers`` is on, which a writer chooses), but it does fire ``BEFORE INSERT``
    triggers. ``INSERT OR IGNORE`` of a taken key fails too, where it would have been a no-op.

    PostgreSQL: a trigger function ``<table>_append_only()`` refuses ``UPDATE`` and ``DELETE`` row
    by row (``INSERT … ON CONFLICT DO UPDATE`` reaches it through the update) and ``TRUNCATE``.

    The refusal's message is ``<table> is append-only``. Other dialects get no statements. A
    database owner can still drop or disable the triggers; a hash chain with checkpoints kept
    elsewhere is what catches that (see :mod:`govparts.core.audit`).
    """
    name = _identifier(table, "table")
    keys = [_key_condition(name, key_columns), *(_key_condition(name, key) for key in unique)]
    refuse = f"{name} is append-only"
    if dialect == "sqlite":
        taken = " OR ".join(f"EXISTS (SELECT 1 FROM {name} WHERE {condition})" for condition in keys)
        return (
            f"CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {name} "
            f"BEGIN SELECT RAISE(ABORT, '{refuse}'); END",
            f"CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {name} "
            f"BEGIN SELECT RAISE(ABORT, '{refuse}'); END",
            f"CREATE TRIGGER {name}_no_replace BEFORE INSERT ON {name} WHEN {taken} "
            f"BEGIN SELECT RAISE(ABORT, '{refuse}'); END",
        )
    if dialect == "postgresql":
        return (
            f"CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{refuse}' USING ERRCODE = 'restrict_violation'; END $$",
            f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()",
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_append_only()",
        )
    return ()


def append_only_drop_ddl(table: str, dialect: str) -> tuple[str, ...]:
    """The statements that undo :func:`append_only_ddl` for ``table`` (safe when they are gone)."""
    name = _identifier(table, "table")
    if dialect == "sqlite":
        return tuple(
            f"DROP TRIGGER IF EXISTS {name}_{verb}" for verb in ("no_update", "no_delete", "no_replace")
        )
    if dialect == "postgresql":
        return (f"DROP FUNCTION IF EXISTS {name}_append_only() CASCADE",)
    return ()


def _unique_keys(table: sa.Table) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    primary = tuple(column.name for column in table.primary_key.columns)
    others: list[tuple[str, ...]] = []
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and not isinstance(
            constraint, sa.PrimaryKeyConstraint
        ):
            others.append(tuple(column.name for column in constraint.columns))
    others += [(column.name,) for column in table.columns if column.unique]
    others += [tuple(c.name for c in index.columns) for index in table.indexes if index.unique]
    keys = [key for key in dict.fromkeys(others) if key and key != primary]
    return primary, keys


def make_append_only(table: sa.Table) -> sa.Table:
    """Install :func:`append_only_ddl` on ``table`` whenever the metadata creates it, and drop it after.

    The keys are read from the table: its primary key and every unique constraint, unique column and
    unique index. An Alembic revision installs the same statements itself (``op.execute`` each of
    ``append_only_ddl(...)`` written out), since a revision must not change meaning later.
    """
    primary, unique = _unique_keys(table)

    def after_create(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
        for statement in append_only_ddl(target.name, connection.dialect.name, primary, unique=unique):
            connection.exec_driver_sql(statement)

    def after_drop(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
        for statement in append_only_drop_ddl(target.name, connection.dialect.name):
            connection.exec_driver_sql(statement)

    sa.event.listen(table, "after_create", after_create)
    sa.event.listen(table, "after_drop", after_drop)
    return table
