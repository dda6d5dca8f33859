"""core tables: transition log, outbox and deliveries, hash-chained audit log

Revision ID: c04e0f1a2b3c
Revises:
Create Date: 2026-11-25 19:31:25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c04e0f1a2b3c"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("core",)
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_TIME = sa.DateTime(timezone=True)
_JSON = sa.JSON(none_as_null=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_REFUSE = "core_audit_record is append-only"
_APPEND_ONLY = {
    "postgresql": (
        "CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{_REFUSE}' USING ERRCODE = 'restrict_violation'; END $$",
        "CREATE TRIGGER core_audit_record_append_only BEFORE UPDATE OR DELETE ON core_audit_record "
        "FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()",
        "CREATE TRIGGER core_audit_record_no_truncate BEFORE TRUNCATE ON core_audit_record "
        "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only()",
    ),
    "sqlite": (
        "CREATE TRIGGER core_audit_record_no_update BEFORE UPDATE ON core_audit_record "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
        "CREATE TRIGGER core_audit_record_no_delete BEFORE DELETE ON core_audit_record "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
    ),
}


def upgrade() -> None:
    op.create_table(
        "core_audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=128), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_core_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_audit_head")),
    )
    op.execute(f"INSERT INTO core_audit_head (id, seq, hash) VALUES (1, 0, '{'0' * 64}')")
    op.create_table(
        "core_audit_record",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("recorded_at", _TIME, nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=True),
        sa.Column("actor_unit", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("before", _JSON, nullable=True),
        sa.Column("after", _JSON, nullable=True),
        sa.Column("details", _JSON, nullable=True),
        sa.Column("alg", sa.String(length=16), nullable=False),
        sa.Column("prev_hash", sa.String(length=128), nullable=False),
        sa.Column("hash", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_core_audit_record")),
        sa.UniqueConstraint("hash", name=op.f("uq_core_audit_record_hash")),
    )
    op.create_index("ix_core_audit_record_entity", "core_audit_record", ["entity", "entity_id", "seq"])
    for statement in _APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)

    op.create_table(
        "core_outbox_event",
        sa.Column("position", _BIG_ID, nullable=False),
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("subject_seq", sa.BigInteger(), nullable=False),
        sa.Column("time", _TIME, nullable=False),
        sa.Column("datacontenttype", sa.String(length=100), nullable=True),
        sa.Column("dataschema", sa.String(length=500), nullable=True),
        sa.Column("data", _JSON, nullable=True),
        sa.Column("extensions", _JSON, nullable=True),
        sa.Column("fanned_out", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_core_outbox_event")),
        sa.UniqueConstraint("id", name=op.f("uq_core_outbox_event_id")),
        sa.UniqueConstraint("subject", "subject_seq", name=op.f("uq_core_outbox_event_subject_subject_seq")),
    )
    op.create_index("ix_core_outbox_event_type", "core_outbox_event", ["type", "position"])
    op.create_index(
        "ix_core_outbox_event_unfanned",
        "core_outbox_event",
        ["position"],
        postgresql_where=sa.text("NOT fanned_out"),
        sqlite_where=sa.text("fanned_out = 0"),
    )
    op.create_table(
        "core_outbox_subject",
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_core_outbox_subject")),
    )
    op.create_table(
        "core_event_subscription",
        sa.Column("handler_id", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("handler_id", "event_type", name=op.f("pk_core_event_subscription")),
    )
    op.create_table(
        "core_event_delivery",
        sa.Column("handler_id", sa.String(length=100), nullable=False),
        sa.Column("event_position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_attempt_at", _TIME, nullable=True),
        sa.Column("next_attempt_at", _TIME, nullable=True),
        sa.Column("delivered_at", _TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["event_position"],
            ["core_outbox_event.position"],
            name=op.f("fk_core_event_delivery_event_position_core_outbox_event"),
        ),
        sa.PrimaryKeyConstraint("handler_id", "event_position", name=op.f("pk_core_event_delivery")),
    )
    op.create_index(
        "ix_core_event_delivery_pending",
        "core_event_delivery",
        ["handler_id", "subject", "event_position"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "core_processed_event",
        sa.Column("handler_id", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("processed_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("handler_id", "event_id", name=op.f("pk_core_processed_event")),
    )

    op.create_table(
        "core_transition_log",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("process", sa.String(length=100), nullable=False),
        sa.Column("process_version", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("transition", sa.String(length=64), nullable=False),
        sa.Column("from_state", sa.String(length=64), nullable=False),
        sa.Column("to_state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=False),
        sa.Column("actor_unit", sa.String(length=100), nullable=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_transition_log")),
    )
    op.create_index(
        "ix_core_transition_log_entity", "core_transition_log", ["entity", "entity_id", "transition"]
    )


def downgrade() -> None:
    op.drop_index("ix_core_transition_log_entity", table_name="core_transition_log")
    op.drop_table("core_transition_log")
    op.drop_table("core_processed_event")
    op.drop_index("ix_core_event_delivery_pending", table_name="core_event_delivery")
    op.drop_table("core_event_delivery")
    op.drop_table("core_event_subscription")
    op.drop_table("core_outbox_subject")
    op.drop_index("ix_core_outbox_event_unfanned", table_name="core_outbox_event")
    op.drop_index("ix_core_outbox_event_type", table_name="core_outbox_event")
    op.drop_table("core_outbox_event")
    op.drop_index("ix_core_audit_record_entity", table_name="core_audit_record")
    op.drop_table("core_audit_record")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS core_audit_append_only()")
    op.drop_table("core_audit_head")
