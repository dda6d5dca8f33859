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


def test_period_index_revision_drops_and_restores_the_index(tmp_path: Path) -> None:
    """Drops the voucher index the unique number key makes redundant, and restores it on downgrade."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'indexes.db'}"

    def indexes() -> set[str]:
        engine = sa.create_engine(url)
        try:
            return {str(i["name"]) for i in sa.inspect(engine).get_indexes("finance_voucher")}
        finally:
            engine.dispose()

    migrate.upgrade(url, "f1a4ce000001")
    assert "ix_finance_voucher_org_period" in indexes()
    migrate.upgrade(url, "f1a4ce000002")
    assert "ix_finance_voucher_org_period" not in indexes()
    command.downgrade(migrate.config(url), "f1a4ce000001")
    assert "ix_finance_voucher_org_period" in indexes()
