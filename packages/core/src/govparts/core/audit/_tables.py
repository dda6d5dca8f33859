"""Tables of the audit log: the records and the single chain-head row that serialises appends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Imported before any table is defined: it gives the shared metadata its naming convention.
from ..db import JSON, UTCDateTime, metadata

__all__ = ["GENESIS_HASH", "HEAD", "HEAD_ROW", "RECORD", "AuditHead", "AuditRecord", "append_only_ddl"]

GENESIS_HASH = "0" * 64
"""The previous-hash of the first record of a chain."""


class AuditRecord(SQLModel, table=True):
    """One audit record: who did what to which thing, when, with the state before and after.

    ``seq`` numbers the records 1, 2, 3… without gaps; ``hash`` is the digest (algorithm ``alg``)
    of the record's canonical form, which includes ``prev_hash``, the hash of record ``seq - 1``.
    """

    __tablename__ = "core_audit_record"
    __table_args__ = (sa.Index("ix_core_audit_record_entity", "entity", "entity_id", "seq"),)

    seq: int = Field(sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor_id: str | None = Field(default=None, max_length=100)
    actor_unit: str | None = Field(default=None, max_length=100)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=100)
    entity_id: str = Field(max_length=100)
    before: Any = Field(default=None, sa_type=JSON, nullable=True)
    after: Any = Field(default=None, sa_type=JSON, nullable=True)
    details: Any = Field(default=None, sa_type=JSON, nullable=True)
    alg: str = Field(max_length=16)
    prev_hash: str = Field(max_length=128)
    hash: str = Field(max_length=128, unique=True)


class AuditHead(SQLModel, table=True):
    """The head of the chain: the last record's sequence number and hash, in a single row (id 1).

    Every append locks this row (``SELECT … FOR UPDATE`` on PostgreSQL), so concurrent appends
    queue instead of forking the chain.
    """

    __tablename__ = "core_audit_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = Field(sa_type=sa.BigInteger)
    hash: str = Field(max_length=128)


_RECORD = "core_audit_record"
_REFUSE = "core_audit_record is append-only"

POSTGRESQL_DDL: tuple[str, ...] = (
    "CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{_REFUSE}' USING ERRCODE = 'restrict_violation'; END $$",
    f"CREATE TRIGGER core_audit_record_append_only BEFORE UPDATE OR DELETE ON {_RECORD} "
    "FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()",
    f"CREATE TRIGGER core_audit_record_no_truncate BEFORE TRUNCATE ON {_RECORD} "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only()",
)
POSTGRESQL_DROP_DDL: tuple[str, ...] = ("DROP FUNCTION IF EXISTS core_audit_append_only() CASCADE",)
SQLITE_DDL: tuple[str, ...] = (
    f"CREATE TRIGGER core_audit_record_no_update BEFORE UPDATE ON {_RECORD} "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
    f"CREATE TRIGGER core_audit_record_no_delete BEFORE DELETE ON {_RECORD} "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
)
HEAD_ROW = f"INSERT INTO core_audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS_HASH}')"


def append_only_ddl(dialect: str) -> tuple[str, ...]:
    """The statements that make ``core_audit_record`` refuse updates and deletes on ``dialect``.

    A database owner can still drop or disable the triggers; that is what the hash chain is for.
    """
    return {"postgresql": POSTGRESQL_DDL, "sqlite": SQLITE_DDL}.get(dialect, ())


def _after_create_record(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
    for statement in append_only_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


def _after_drop_record(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
    if connection.dialect.name == "postgresql":
        for statement in POSTGRESQL_DROP_DDL:
            connection.exec_driver_sql(statement)


def _after_create_head(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
    connection.exec_driver_sql(HEAD_ROW)


RECORD: sa.Table = metadata.tables[AuditRecord.__tablename__]
HEAD: sa.Table = metadata.tables[AuditHead.__tablename__]
sa.event.listen(RECORD, "after_create", _after_create_record)
sa.event.listen(RECORD, "after_drop", _after_drop_record)
sa.event.listen(HEAD, "after_create", _after_create_head)
