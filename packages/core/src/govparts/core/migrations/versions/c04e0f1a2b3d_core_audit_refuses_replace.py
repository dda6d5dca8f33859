"""audit log: refuse REPLACE of records, guard the chain head (issue 15.2)

Revision ID: c04e0f1a2b3d
Revises: c04e0f1a2b3c
Create Date: 2026-12-09 10:00:00

SQLite's ``INSERT OR REPLACE`` / ``REPLACE`` deletes a row without firing delete triggers, so the
first revision's triggers let a record be rewritten; a ``BEFORE INSERT`` trigger that refuses a
taken key stops it. The chain head may now only advance to a record that exists with that hash and
is never deleted, replaced or truncated. On PostgreSQL the record's trigger function is renamed to
the one every append-only table uses (``<table>_append_only()``, see
``govparts.core.db.append_only_ddl``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "c04e0f1a2b3d"
down_revision: str | Sequence[str] | None = "c04e0f1a2b3c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_RECORD_REFUSE = "core_audit_record is append-only"
_HEAD_REFUSE = "core_audit_head may only advance to a record that exists"
_GENESIS = "0" * 64
_ADVANCE_ONLY = (
    "NEW.id <> OLD.id OR NEW.seq < OLD.seq OR NOT EXISTS "
    "(SELECT 1 FROM core_audit_record WHERE seq = NEW.seq AND hash = NEW.hash)"
)
_AT_GENESIS_OR_A_RECORD = (
    f"(NEW.seq = 0 AND NEW.hash = '{_GENESIS}') OR "
    "EXISTS (SELECT 1 FROM core_audit_record WHERE seq = NEW.seq AND hash = NEW.hash)"
)
_PG_RAISE_HEAD = f"RAISE EXCEPTION '{_HEAD_REFUSE}' USING ERRCODE = 'restrict_violation'; END IF; "

_UPGRADE = {
    "sqlite": (
        "CREATE TRIGGER core_audit_record_no_replace BEFORE INSERT ON core_audit_record WHEN "
        "EXISTS (SELECT 1 FROM core_audit_record WHERE seq = NEW.seq) OR "
        "EXISTS (SELECT 1 FROM core_audit_record WHERE hash = NEW.hash) "
        f"BEGIN SELECT RAISE(ABORT, '{_RECORD_REFUSE}'); END",
        "CREATE TRIGGER core_audit_head_no_delete BEFORE DELETE ON core_audit_head "
        f"BEGIN SELECT RAISE(ABORT, '{_HEAD_REFUSE}'); END",
        f"CREATE TRIGGER core_audit_head_advance_only BEFORE UPDATE ON core_audit_head WHEN {_ADVANCE_ONLY} "
        f"BEGIN SELECT RAISE(ABORT, '{_HEAD_REFUSE}'); END",
        "CREATE TRIGGER core_audit_head_single BEFORE INSERT ON core_audit_head "
        f"WHEN EXISTS (SELECT 1 FROM core_audit_head) OR NOT ({_AT_GENESIS_OR_A_RECORD}) "
        f"BEGIN SELECT RAISE(ABORT, '{_HEAD_REFUSE}'); END",
    ),
    "postgresql": (
        "DROP FUNCTION IF EXISTS core_audit_append_only() CASCADE",
        "CREATE OR REPLACE FUNCTION core_audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{_RECORD_REFUSE}' USING ERRCODE = 'restrict_violation'; END $$",
        "CREATE TRIGGER core_audit_record_append_only BEFORE UPDATE OR DELETE ON core_audit_record "
        "FOR EACH ROW EXECUTE FUNCTION core_audit_record_append_only()",
        "CREATE TRIGGER core_audit_record_no_truncate BEFORE TRUNCATE ON core_audit_record "
        "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_record_append_only()",
        "CREATE OR REPLACE FUNCTION core_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('DELETE', 'TRUNCATE') THEN {_PG_RAISE_HEAD}"
        f"IF TG_OP = 'UPDATE' AND ({_ADVANCE_ONLY}) THEN {_PG_RAISE_HEAD}"
        f"IF TG_OP = 'INSERT' AND NOT ({_AT_GENESIS_OR_A_RECORD}) THEN {_PG_RAISE_HEAD}"
        "RETURN NEW; END $$",
        "CREATE TRIGGER core_audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON core_audit_head "
        "FOR EACH ROW EXECUTE FUNCTION core_audit_head_guard()",
        "CREATE TRIGGER core_audit_head_no_truncate BEFORE TRUNCATE ON core_audit_head "
        "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_head_guard()",
    ),
}
_DOWNGRADE = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS core_audit_record_no_replace",
        "DROP TRIGGER IF EXISTS core_audit_head_no_delete",
        "DROP TRIGGER IF EXISTS core_audit_head_advance_only",
        "DROP TRIGGER IF EXISTS core_audit_head_single",
    ),
    "postgresql": (
        "DROP FUNCTION IF EXISTS core_audit_head_guard() CASCADE",
        "DROP FUNCTION IF EXISTS core_audit_record_append_only() CASCADE",
        "CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{_RECORD_REFUSE}' USING ERRCODE = 'restrict_violation'; END $$",
        "CREATE TRIGGER core_audit_record_append_only BEFORE UPDATE OR DELETE ON core_audit_record "
        "FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()",
        "CREATE TRIGGER core_audit_record_no_truncate BEFORE TRUNCATE ON core_audit_record "
        "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only()",
    ),
}


def upgrade() -> None:
    for statement in _UPGRADE.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    for statement in _DOWNGRADE.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
