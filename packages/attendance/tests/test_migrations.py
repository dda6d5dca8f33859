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


def test_upgrade_reclassifies_holiday_overtime_by_the_statutory_days(tmp_path: Path) -> None:
    """Turns stored holiday overtime into statutory_holiday on 2025-01-29 and rest_day on 2025-02-01."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate.upgrade(url, "a77e0d000002")
    engine = create_engine(url)
    org = "91650100MA0000001U"
    try:
        with engine.begin() as conn:
            for day in ("2025-01-29", "2025-02-01"):
                conn.execute(
                    sa.text(
                        "INSERT INTO attendance_daily_result (org, person_id, day, unit_code, day_kind, due, "
                        "status, late_minutes, early_minutes, missing_punches, worked_minutes, "
                        "absent_half_days, overtime_kind, overtime_minutes) "
                        "VALUES (:org, 'E001', :day, 'BGS', 'holiday', false, 'holiday', 0, 0, 0, 240, 0, "
                        "'holiday', 240)"
                    ),
                    {"org": org, "day": day},
                )
        migrate.upgrade(url, "attendance@head")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT day, overtime_kind FROM attendance_daily_result ORDER BY day")
            ).all()
        assert [(str(d)[:10], k) for d, k in rows] == [
            ("2025-01-29", "statutory_holiday"),
            ("2025-02-01", "rest_day"),
        ]
    finally:
        engine.dispose()
