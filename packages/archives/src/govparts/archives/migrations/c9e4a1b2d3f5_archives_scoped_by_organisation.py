"""archives: every row scoped by organisation (org), sequences and codes per organisation

Revision ID: c9e4a1b2d3f5
Revises: b7c1e2d3f4a5
Create Date: 2026-12-02 09:00:00

Adds ``org`` (the unified social credit code, GB 32100-2015) to every archives table and rebuilds the
keys that must include it: document-number counters and issued numbers (GB/T 9704-2012 7.2.5, a
sequence per organisation), item counters and archival codes (DA/T 22-2015, per organisation's
fonds), received catalogue records. The archives tables have no parent row that knows an
organisation, so rows written before this revision get ``org = ''`` (no organisation): only a
deployment-wide system actor reaches them until the deployment assigns them to their organisation
(``UPDATE archives_document SET org = :code WHERE org = ''``, and so for each table).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c9e4a1b2d3f5"
down_revision: str | Sequence[str] | None = "b7c1e2d3f4a5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ORG = 18


def _org() -> sa.Column[str]:
    return sa.Column("org", sa.String(length=_ORG), nullable=False, server_default="")


def upgrade() -> None:
    with op.batch_alter_table("archives_document", schema=None) as batch:
        batch.add_column(_org())
        batch.drop_constraint("uq_archives_document_organ_code_year_serial", type_="unique")
        batch.create_unique_constraint(
            "uq_archives_document_org_organ_code_year_serial", ["org", "organ_code", "year", "serial"]
        )
        batch.drop_index("ix_archives_document_visible")
        batch.create_index("ix_archives_document_visible", ["org", "secrecy_rank", "id"], unique=False)
    with op.batch_alter_table("archives_number_counter", schema=None) as batch:
        batch.add_column(_org())
        batch.drop_constraint("pk_archives_number_counter", type_="primary")
        batch.create_primary_key("pk_archives_number_counter", ["org", "organ_code", "year"])
    with op.batch_alter_table("archives_issued_number", schema=None) as batch:
        batch.add_column(_org())
        batch.drop_constraint("uq_archives_issued_number_organ_code_year_serial", type_="unique")
        batch.create_unique_constraint(
            "uq_archives_issued_number_org_organ_code_year_serial", ["org", "organ_code", "year", "serial"]
        )
    with op.batch_alter_table("archives_class_counter", schema=None) as batch:
        batch.add_column(_org())
        batch.drop_constraint("pk_archives_class_counter", type_="primary")
        batch.create_primary_key(
            "pk_archives_class_counter", ["org", "fonds", "category", "year", "retention", "organisation"]
        )
    with op.batch_alter_table("archives_item", schema=None) as batch:
        batch.add_column(_org())
        batch.drop_constraint("uq_archives_item_archival_code", type_="unique")
        batch.create_unique_constraint("uq_archives_item_org_archival_code", ["org", "archival_code"])
    for table in ("archives_destruction", "archives_package_receipt"):
        with op.batch_alter_table(table, schema=None) as batch:
            batch.add_column(_org())
            batch.create_index(f"ix_{table}_org", ["org"], unique=False)
    with op.batch_alter_table("archives_received_catalogue", schema=None) as batch:
        batch.add_column(_org())
        batch.drop_constraint("pk_archives_received_catalogue", type_="primary")
        batch.create_primary_key("pk_archives_received_catalogue", ["org", "archival_code"])
    # The rows carried over are now backfilled; new rows must name their organisation.
    for table in (
        "archives_document",
        "archives_number_counter",
        "archives_issued_number",
        "archives_class_counter",
        "archives_item",
        "archives_destruction",
        "archives_package_receipt",
        "archives_received_catalogue",
    ):
        with op.batch_alter_table(table, schema=None) as batch:
            batch.alter_column("org", existing_type=sa.String(length=_ORG), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("archives_received_catalogue", schema=None) as batch:
        batch.drop_constraint("pk_archives_received_catalogue", type_="primary")
        batch.create_primary_key("pk_archives_received_catalogue", ["archival_code"])
        batch.drop_column("org")
    for table in ("archives_destruction", "archives_package_receipt"):
        with op.batch_alter_table(table, schema=None) as batch:
            batch.drop_index(f"ix_{table}_org")
            batch.drop_column("org")
    with op.batch_alter_table("archives_item", schema=None) as batch:
        batch.drop_constraint("uq_archives_item_org_archival_code", type_="unique")
        batch.create_unique_constraint("uq_archives_item_archival_code", ["archival_code"])
        batch.drop_column("org")
    with op.batch_alter_table("archives_class_counter", schema=None) as batch:
        batch.drop_constraint("pk_archives_class_counter", type_="primary")
        batch.create_primary_key(
            "pk_archives_class_counter", ["fonds", "category", "year", "retention", "organisation"]
        )
        batch.drop_column("org")
    with op.batch_alter_table("archives_issued_number", schema=None) as batch:
        batch.drop_constraint("uq_archives_issued_number_org_organ_code_year_serial", type_="unique")
        batch.create_unique_constraint(
            "uq_archives_issued_number_organ_code_year_serial", ["organ_code", "year", "serial"]
        )
        batch.drop_column("org")
    with op.batch_alter_table("archives_number_counter", schema=None) as batch:
        batch.drop_constraint("pk_archives_number_counter", type_="primary")
        batch.create_primary_key("pk_archives_number_counter", ["organ_code", "year"])
        batch.drop_column("org")
    with op.batch_alter_table("archives_document", schema=None) as batch:
        batch.drop_index("ix_archives_document_visible")
        batch.create_index("ix_archives_document_visible", ["secrecy_rank", "id"], unique=False)
        batch.drop_constraint("uq_archives_document_org_organ_code_year_serial", type_="unique")
        batch.create_unique_constraint(
            "uq_archives_document_organ_code_year_serial", ["organ_code", "year", "serial"]
        )
        batch.drop_column("org")
