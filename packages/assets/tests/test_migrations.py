"""The assets part's Alembic revisions build exactly the tables its models describe."""

from __future__ import annotations

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
