"""Tables of the audit log: the records and the single chain-head row that serialises appends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Imported before any table is defined: it gives the shared metadata its naming convention.
from ..db import JSON, UTCDateTime, make_append_only, metadata

__all__ = ["GENESIS_HASH", "HEAD", "HEAD_GUARD_DDL", "HEAD_ROW", "RECORD", "AuditHead", "AuditRecord"]

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


_REFUSE_HEAD = "core_audit_head may only advance to a record that exists"
_ADVANCE_ONLY = (
    "NEW.id <> OLD.id OR NEW.seq < OLD.seq OR NOT EXISTS "
    "(SELECT 1 FROM core_audit_record WHERE seq = NEW.seq AND hash = NEW.hash)"
)
_AT_GENESIS_OR_A_RECORD = (
    f"(NEW.seq = 0 AND NEW.hash = '{GENESIS_HASH}') OR "
    "EXISTS (SELECT 1 FROM core_audit_record WHERE seq = NEW.seq AND hash = NEW.hash)"
)
HEAD_GUARD_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER core_audit_head_no_delete BEFORE DELETE ON core_audit_head "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE_HEAD}'); END",
        f"CREATE TRIGGER core_audit_head_advance_only BEFORE UPDATE ON core_audit_head WHEN {_ADVANCE_ONLY} "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE_HEAD}'); END",
        # REPLACE would delete the head row without firing the delete trigger: an insert while a
        # head exists is refused before it can.
        "CREATE TRIGGER core_audit_head_single BEFORE INSERT ON core_audit_head "
        f"WHEN EXISTS (SELECT 1 FROM core_audit_head) OR NOT ({_AT_GENESIS_OR_A_RECORD}) "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE_HEAD}'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION core_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP IN ('DELETE', 'TRUNCATE') THEN "
        f"RAISE EXCEPTION '{_REFUSE_HEAD}' USING ERRCODE = 'restrict_violation'; END IF; "
        f"IF TG_OP = 'UPDATE' AND ({_ADVANCE_ONLY}) THEN "
        f"RAISE EXCEPTION '{_REFUSE_HEAD}' USING ERRCODE = 'restrict_violation'; END IF; "
        f"IF TG_OP = 'INSERT' AND NOT ({_AT_GENESIS_OR_A_RECORD}) THEN "
        f"RAISE EXCEPTION '{_REFUSE_HEAD}' USING ERRCODE = 'restrict_violation'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER core_audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON core_audit_head "
        "FOR EACH ROW EXECUTE FUNCTION core_audit_head_guard()",
        "CREATE TRIGGER core_audit_head_no_truncate BEFORE TRUNCATE ON core_audit_head "
        "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_head_guard()",
    ),
}
"""Triggers on the chain head: it moves only forward, only to a record that exists with that hash,
and is never deleted or replaced; a head row is inserted only at the genesis or at an existing
record, and only while there is none (on PostgreSQL the primary key sees to that)."""
HEAD_GUARD_DROP_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": tuple(
        f"DROP TRIGGER IF EXISTS core_audit_head_{name}" for name in ("no_delete", "advance_only", "single")
    ),
    "postgresql": ("DROP FUNCTION IF EXISTS core_audit_head_guard() CASCADE",),
}
HEAD_ROW = f"INSERT INTO core_audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS_HASH}')"


def _after_create_head(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
    connection.exec_driver_sql(HEAD_ROW)
    for statement in HEAD_GUARD_DDL.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def _after_drop_head(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
    for statement in HEAD_GUARD_DROP_DDL.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


RECORD: sa.Table = make_append_only(metadata.tables[AuditRecord.__tablename__])
HEAD: sa.Table = metadata.tables[AuditHead.__tablename__]
sa.event.listen(HEAD, "after_create", _after_create_head)
sa.event.listen(HEAD, "after_drop", _after_drop_head)
