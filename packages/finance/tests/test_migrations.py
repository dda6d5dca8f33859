"""The finance Alembic branch creates the same tables as the models."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import govparts.finance.tables  # noqa: F401 - the finance tables join the shared metadata
from govparts.core import migrate
from govparts.core.db import metadata


def test_branch_creates_the_model_tables(tmp_path: Path) -> None:
    """Upgrades a fresh SQLite database to the finance head with every finance table and column."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate.upgrade(url, "finance@head")
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    for name, table in metadata.tables.items():
        if not name.startswith("finance_"):
            continue
        got = {c["name"] for c in inspector.get_columns(name)}
        assert got == set(table.columns.keys()), name
    with engine.connect() as conn:
        triggers = set(
            conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        )
    assert {"finance_entry_no_update", "finance_chain_no_delete"} <= triggers
    engine.dispose()


def test_branch_is_registered() -> None:
    """Lists the finance branch among the installed migration locations."""
    if "finance" not in migrate.version_locations():
        pytest.fail("the finance migrations are not found")
