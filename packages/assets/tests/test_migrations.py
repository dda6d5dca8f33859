"""The assets part's Alembic revisions build exactly the tables its models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import govparts.assets.tables  # noqa: F401 - registers the part's tables in metadata
from govparts.core import migrate
from govparts.core.db import create_engine, metadata


def test_revisions_build_the_part_tables(db_url: str) -> None:
    """Upgrades an empty database to every head and finds no difference from the assets tables."""
    applied = migrate.upgrade(db_url)
    assert "assets" in {r.part for r in applied}
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, type_, reflected, compare_to: (
                        type_ != "table" or str(name).startswith("assets_")
                    ),
                    "include_name": lambda name, type_, parent: (
                        type_ != "table" or str(name).startswith("assets_")
                    ),
                },
            )
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == []
    assert migrate.pending(db_url) == []


def test_usage_revision_follows_the_tables_revision() -> None:
    """Puts the usage revision on the ``assets`` branch right after the first revision, as its head."""
    ours = [r for r in migrate.history() if r.part == "assets"]
    by_id = {r.id: r for r in ours}
    assert set(by_id) == {"a55e7a000001", "a55e7a000002"}
    assert by_id["a55e7a000002"].down_revisions == ("a55e7a000001",)
    assert by_id["a55e7a000002"].is_head
    assert not by_id["a55e7a000001"].is_head
    assert "assets" in by_id["a55e7a000002"].branch_labels


def test_usage_revision_upgrades_the_first_and_downgrades_back(db_url: str) -> None:
    """Adds ``total_units`` and ``assets_usage`` to a database at the first revision, and removes them."""
    from alembic import command

    migrate.upgrade(db_url, "a55e7a000001")
    applied = migrate.upgrade(db_url)
    assert [r.id for r in applied if r.part == "assets"] == ["a55e7a000002"]
    command.downgrade(migrate.config(db_url), "a55e7a000001")
    engine = create_engine(db_url)
    try:
        inspector = sa.inspect(engine)
        names = inspector.get_table_names()
        columns = {c["name"] for c in inspector.get_columns("assets_asset")}
    finally:
        engine.dispose()
    assert "assets_usage" not in names
    assert "total_units" not in columns
    assert "assets_history" in names
