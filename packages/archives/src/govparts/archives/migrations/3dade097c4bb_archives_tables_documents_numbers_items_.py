"""archives tables: documents, numbers, items, destruction register, packages, full-text search

Revision ID: 3dade097c4bb
Revises:
Create Date: 2026-11-25 19:52:52.414742
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3dade097c4bb"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("archives",)
depends_on: str | Sequence[str] | None = "core"

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_TIME = sa.DateTime(timezone=True)
_JSON = sa.JSON(none_as_null=True)
_FULL_TEXT = {
    "sqlite": ("CREATE VIRTUAL TABLE archives_document_fts USING fts5(title, body, tokenize='trigram')",),
    "postgresql": (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX ix_archives_document_title_trgm ON archives_document USING gin (title gin_trgm_ops)",
        "CREATE INDEX ix_archives_document_body_trgm ON archives_document USING gin (body gin_trgm_ops)",
    ),
}


def upgrade() -> None:
    op.create_table(
        "archives_class_counter",
        sa.Column("fonds", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("retention", sa.String(length=3), nullable=False),
        sa.Column("organisation", sa.String(length=10), nullable=False),
        sa.Column("last_item", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "fonds", "category", "year", "retention", "organisation", name=op.f("pk_archives_class_counter")
        ),
    )
    op.create_table(
        "archives_document",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("doc_type", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("issuing_organ", sa.String(length=200), nullable=False),
        sa.Column("organ_code", sa.String(length=20), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("serial", sa.Integer(), nullable=True),
        sa.Column("document_number", sa.String(length=60), nullable=True),
        sa.Column("copy_number", sa.String(length=20), nullable=True),
        sa.Column("secrecy", sa.String(length=2), nullable=True),
        sa.Column("secrecy_rank", sa.Integer(), nullable=False),
        sa.Column("secrecy_period_years", sa.Integer(), nullable=True),
        sa.Column("classified_on", sa.Date(), nullable=True),
        sa.Column("urgency", sa.String(length=2), nullable=True),
        sa.Column("signer", sa.String(length=100), nullable=True),
        sa.Column("main_recipients", _JSON, nullable=False),
        sa.Column("attachment_notes", _JSON, nullable=False),
        sa.Column("signature_organ", sa.String(length=200), nullable=True),
        sa.Column("written_on", sa.Date(), nullable=True),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("copy_to", _JSON, nullable=False),
        sa.Column("printing_organ", sa.String(length=200), nullable=True),
        sa.Column("printed_on", sa.Date(), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=200), nullable=True),
        sa.Column("received_at", _TIME, nullable=True),
        sa.Column("lead_unit", sa.String(length=100), nullable=True),
        sa.Column("assisting_units", _JSON, nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("return_reason", sa.String(length=1000), nullable=True),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("signed_digest", sa.String(length=64), nullable=True),
        sa.Column("fonds", sa.String(length=4), nullable=False),
        sa.Column("organisation", sa.String(length=10), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives_document")),
        sa.UniqueConstraint(
            "organ_code", "year", "serial", name=op.f("uq_archives_document_organ_code_year_serial")
        ),
    )
    with op.batch_alter_table("archives_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archives_document_state"), ["state"], unique=False)
        batch_op.create_index("ix_archives_document_visible", ["secrecy_rank", "id"], unique=False)

    op.create_table(
        "archives_number_counter",
        sa.Column("organ_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organ_code", "year", name=op.f("pk_archives_number_counter")),
    )
    op.create_table(
        "archives_package_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bag_name", sa.String(length=255), nullable=False),
        sa.Column("archival_codes", _JSON, nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("payload_oxum", sa.String(length=60), nullable=False),
        sa.Column("accepted_by", sa.String(length=100), nullable=False),
        sa.Column("accepted_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives_package_receipt")),
    )
    op.create_table(
        "archives_chase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("chased_by", sa.String(length=100), nullable=False),
        sa.Column("chased_at", _TIME, nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["archives_document.id"],
            name=op.f("fk_archives_chase_document_id_archives_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives_chase")),
    )
    with op.batch_alter_table("archives_chase", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archives_chase_document_id"), ["document_id"], unique=False)

    op.create_table(
        "archives_document_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sm3", sa.String(length=64), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["archives_document.id"],
            name=op.f("fk_archives_document_file_document_id_archives_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives_document_file")),
    )
    with op.batch_alter_table("archives_document_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_archives_document_file_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "archives_issued_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organ_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("document_number", sa.String(length=60), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("allocated_at", _TIME, nullable=False),
        sa.Column("allocated_by", sa.String(length=100), nullable=False),
        sa.Column("voided_at", _TIME, nullable=True),
        sa.Column("voided_by", sa.String(length=100), nullable=True),
        sa.Column("void_reason", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["archives_document.id"],
            name=op.f("fk_archives_issued_number_document_id_archives_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives_issued_number")),
        sa.UniqueConstraint(
            "organ_code", "year", "serial", name=op.f("uq_archives_issued_number_organ_code_year_serial")
        ),
    )
    with op.batch_alter_table("archives_issued_number", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_archives_issued_number_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "archives_item",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("archival_code", sa.String(length=60), nullable=False),
        sa.Column("fonds", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("retention", sa.String(length=3), nullable=False),
        sa.Column("organisation", sa.String(length=10), nullable=True),
        sa.Column("item_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("secrecy_rank", sa.Integer(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("legal_hold", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.String(length=1000), nullable=True),
        sa.Column("filed_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["archives_document.id"],
            name=op.f("fk_archives_item_document_id_archives_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives_item")),
        sa.UniqueConstraint("archival_code", name=op.f("uq_archives_item_archival_code")),
        sa.UniqueConstraint("document_id", name=op.f("uq_archives_item_document_id")),
    )
    with op.batch_alter_table("archives_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archives_item_state"), ["state"], unique=False)

    op.create_table(
        "archives_destruction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("archival_code", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("retention", sa.String(length=3), nullable=False),
        sa.Column("proposed_by", sa.String(length=100), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("destroyed_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["archives_item.id"], name=op.f("fk_archives_destruction_item_id_archives_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives_destruction")),
        sa.UniqueConstraint("item_id", name=op.f("uq_archives_destruction_item_id")),
    )
    # ### end Alembic commands ###
    for statement in _FULL_TEXT.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS archives_document_fts")
    op.drop_table("archives_destruction")
    with op.batch_alter_table("archives_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archives_item_state"))

    op.drop_table("archives_item")
    with op.batch_alter_table("archives_issued_number", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archives_issued_number_document_id"))

    op.drop_table("archives_issued_number")
    with op.batch_alter_table("archives_document_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archives_document_file_document_id"))

    op.drop_table("archives_document_file")
    with op.batch_alter_table("archives_chase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archives_chase_document_id"))

    op.drop_table("archives_chase")
    op.drop_table("archives_package_receipt")
    op.drop_table("archives_number_counter")
    with op.batch_alter_table("archives_document", schema=None) as batch_op:
        batch_op.drop_index("ix_archives_document_visible")
        batch_op.drop_index(batch_op.f("ix_archives_document_state"))

    op.drop_table("archives_document")
    op.drop_table("archives_class_counter")
    # ### end Alembic commands ###
