"""The attendance branch of migrations builds exactly the tables the reference implementation uses."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import govparts.attendance.tables  # noqa: F401 - registers the tables in the shared metadata
from govparts.core import migrate
from govparts.core.db import create_engine, metadata


def test_upgrade_to_the_attendance_head_matches_the_tables(tmp_path: Path) -> None:
    """Creates every attendance table with the columns, keys and indexes the models declare."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate.upgrade(url, "attendance@head")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
            ours = {t.name for t in metadata.sorted_tables if t.name.startswith("attendance_")}
            assert ours <= names
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            diffs = [
                d
                for d in compare_metadata(context, metadata)
                if "attendance_" in repr(d) and not (isinstance(d, tuple) and d[0] == "remove_table")
            ]
        assert diffs == []
    finally:
        engine.dispose()
