"""personnel history: refuse REPLACE and TRUNCATE too (issue 15.2)

Revision ID: 5e1d0a7c9b24
Revises: 04b45c726d8e
Create Date: 2026-12-09 12:00:00

The first revision's triggers refused UPDATE and DELETE on ``personnel_history``, but SQLite's
``INSERT OR REPLACE`` / ``REPLACE`` deletes the old row without firing delete triggers, so a record
could be rewritten; a ``BEFORE INSERT`` trigger refusing a taken ``seq`` stops it. On PostgreSQL
``TRUNCATE`` is refused as well. These are the statements of ``govparts.core.db.append_only_ddl``
for the table (the trigger names and the function are the ones the first revision created).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "5e1d0a7c9b24"
down_revision: str | Sequence[str] | None = "04b45c726d8e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_REFUSE = "personnel_history is append-only"
_UPGRADE = {
    "sqlite": (
        "CREATE TRIGGER personnel_history_no_replace BEFORE INSERT ON personnel_history "
        "WHEN EXISTS (SELECT 1 FROM personnel_history WHERE seq = NEW.seq) "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
    ),
    "postgresql": (
        "CREATE TRIGGER personnel_history_no_truncate BEFORE TRUNCATE ON personnel_history "
        "FOR EACH STATEMENT EXECUTE FUNCTION personnel_history_append_only()",
    ),
}
_DOWNGRADE = {
    "sqlite": ("DROP TRIGGER IF EXISTS personnel_history_no_replace",),
    "postgresql": ("DROP TRIGGER IF EXISTS personnel_history_no_truncate ON personnel_history",),
}


def upgrade() -> None:
    for statement in _UPGRADE.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    for statement in _DOWNGRADE.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
