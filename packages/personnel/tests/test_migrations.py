"""The personnel Alembic branch creates exactly the tables the models describe."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import govparts.personnel.tables  # noqa: F401 - the models compared against
from govparts.core import migrate
from govparts.core.db import metadata

pytestmark = pytest.mark.db


def _personnel(diff: Any) -> bool:
    text = repr(diff)
    return "personnel_" in text


def test_branch_matches_the_models(db_url: str) -> None:
    """Leaves no difference between the migrated personnel tables and the table models."""
    applied = migrate.upgrade(db_url)
    assert "04b45c726d8e" in [r.id for r in applied]
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, metadata) if _personnel(d)]
            assert diffs == []
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO personnel_history (organization_credit_code, employee_no, kind, "
                    "effective_from, recorded_at) VALUES ('11650100MB1234567M', 'E1', 'hire', "
                    "'2025-01-01', '2025-01-01 00:00:00+00')"
                )
            )
        with pytest.raises(sa.exc.DatabaseError), engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM personnel_history"))
    finally:
        engine.dispose()
