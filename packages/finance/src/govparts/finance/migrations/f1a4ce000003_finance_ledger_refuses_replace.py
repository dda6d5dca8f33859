"""finance: the ledger and the posting chain refuse REPLACE and TRUNCATE too (issue 15.2)

Revision ID: f1a4ce000003
Revises: f1a4ce000002
Create Date: 2026-12-10 09:00:00

The first revision's triggers refused UPDATE and DELETE only. SQLite's ``INSERT OR REPLACE`` /
``REPLACE`` deletes a row without firing delete triggers, so a posted line or a chain link could be
rewritten; a ``BEFORE INSERT`` trigger refusing a taken key stops it. PostgreSQL gets a trigger
refusing ``TRUNCATE``. These are the statements of ``govparts.core.db.append_only_ddl`` for the two
tables, written out: a revision keeps meaning what it meant when written.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "f1a4ce000003"
down_revision: str | Sequence[str] | None = "f1a4ce000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ENTRY = "finance_entry is append-only"
_CHAIN = "finance_chain is append-only"

_UPGRADE = {
    "sqlite": (
        "CREATE TRIGGER finance_entry_no_replace BEFORE INSERT ON finance_entry "
        "WHEN EXISTS (SELECT 1 FROM finance_entry WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, '{_ENTRY}'); END",
        "CREATE TRIGGER finance_chain_no_replace BEFORE INSERT ON finance_chain "
        "WHEN EXISTS (SELECT 1 FROM finance_chain WHERE org = NEW.org AND seq = NEW.seq) "
        "OR EXISTS (SELECT 1 FROM finance_chain WHERE voucher_id = NEW.voucher_id) "
        f"BEGIN SELECT RAISE(ABORT, '{_CHAIN}'); END",
    ),
    "postgresql": (
        "CREATE TRIGGER finance_entry_no_truncate BEFORE TRUNCATE ON finance_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION finance_entry_append_only()",
        "CREATE TRIGGER finance_chain_no_truncate BEFORE TRUNCATE ON finance_chain "
        "FOR EACH STATEMENT EXECUTE FUNCTION finance_chain_append_only()",
    ),
}
_DOWNGRADE = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS finance_entry_no_replace",
        "DROP TRIGGER IF EXISTS finance_chain_no_replace",
    ),
    "postgresql": (
        "DROP TRIGGER IF EXISTS finance_entry_no_truncate ON finance_entry",
        "DROP TRIGGER IF EXISTS finance_chain_no_truncate ON finance_chain",
    ),
}


def upgrade() -> None:
    for statement in _UPGRADE.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    for statement in _DOWNGRADE.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
