"""The work history through plain SQL: no UPDATE, DELETE, REPLACE or TRUNCATE changes a record.

Each attack runs through the database's own driver (the stdlib ``sqlite3`` module on the file, or
psycopg on PostgreSQL), as anyone holding the database file or a login could, on a database made
by ``metadata.create_all`` and on one carried over by the Alembic branch from its first revision
with history already in it (issue 15.2).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

import govparts.personnel.tables  # noqa: F401 - registers the tables the engine fixture creates
from govparts.core import migrate
from govparts.core.db import create_engine, metadata
from govparts.personnel.service import ReferenceService
from govparts.personnel.synthetic import make_people

from .conftest import CLERK, HEAD, ORG, office_service

pytestmark = pytest.mark.db

FIRST = "04b45c726d8e"
"""The branch's first revision: its triggers refused UPDATE and DELETE only."""
ROW = (
    "organization_credit_code, employee_no, kind, effective_from, unit_code, note, recorded_at",
    f"'{ORG}', 'E000001', 'hire', '2020-01-01', 'RSK', 'forged', '2020-01-01 00:00:00+00'",
)


def _plain_connection(db_url: str) -> Any:
    url = sa.make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return sqlite3.connect(str(url.database), isolation_level=None)
    import psycopg

    return psycopg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    )


def _staff(db_url: str) -> None:
    """An organisation (the conftest's) with three people, one of them transferred."""
    engine = create_engine(db_url)
    try:
        service = office_service(engine)
        people = make_people(3, organization_credit_code=ORG, unit_codes=("BGS",))
        service.import_employees(CLERK, ORG, people)
        service.transfer(HEAD, ORG, people[0]["employee_no"], "RSK", effective=date(2025, 3, 1))
    finally:
        engine.dispose()


@pytest.fixture(params=["created", "migrated"])
def staffed_url(request: pytest.FixtureRequest, db_url: str) -> str:
    """A database with work history: made by ``create_all``, or by the first revision then upgraded."""
    if request.param == "created":
        engine = create_engine(db_url)
        metadata.create_all(engine)
        engine.dispose()
        _staff(db_url)
    else:
        migrate.upgrade(db_url, target=FIRST)
        _staff(db_url)
        applied = [r.id for r in migrate.upgrade(db_url)]
        assert "5e1d0a7c9b24" in applied
    return db_url


@pytest.fixture
def plain(staffed_url: str) -> Iterator[Any]:
    """A connection of the database's own driver, each statement in its own transaction."""
    connection = _plain_connection(staffed_url)
    try:
        yield connection
    finally:
        connection.close()


def _history(plain: Any) -> list[tuple[Any, ...]]:
    cursor = plain.execute("SELECT * FROM personnel_history ORDER BY seq")
    return [tuple(row) for row in cursor.fetchall()]


def _attacks(plain: Any) -> list[str]:
    first = _history(plain)[0][0]
    columns, values = ROW
    common = [
        "UPDATE personnel_history SET note = 'forged'",
        f"UPDATE personnel_history SET effective_from = '2000-01-01' WHERE seq = {first}",
        "DELETE FROM personnel_history",
        f"DELETE FROM personnel_history WHERE seq = {first}",
    ]
    if isinstance(plain, sqlite3.Connection):
        return [
            *common,
            f"INSERT OR REPLACE INTO personnel_history (seq, {columns}) VALUES ({first}, {values})",
            f"REPLACE INTO personnel_history (seq, {columns}) VALUES ({first}, {values})",
            f"INSERT INTO personnel_history (seq, {columns}) VALUES ({first}, {values}) "
            "ON CONFLICT (seq) DO UPDATE SET note = 'forged'",
        ]
    return [
        *common,
        "TRUNCATE personnel_history",
        f"INSERT INTO personnel_history (seq, {columns}) VALUES ({first}, {values}) "
        "ON CONFLICT (seq) DO UPDATE SET note = 'forged'",
    ]


def test_plain_sql_cannot_change_the_history(plain: Any) -> None:
    """Refuses UPDATE, DELETE, INSERT OR REPLACE, REPLACE, upsert and TRUNCATE; every record stays."""
    import psycopg

    before = _history(plain)
    assert len(before) == 4
    for statement in _attacks(plain):
        with pytest.raises((sqlite3.DatabaseError, psycopg.Error)) as caught:
            plain.execute(statement)
        assert "personnel_history is append-only" in str(caught.value), statement
        assert _history(plain) == before, statement


def test_plain_sql_may_still_append(plain: Any) -> None:
    """Appends a new record through plain SQL: append-only refuses changes, not additions."""
    before = _history(plain)
    columns, values = ROW
    plain.execute(f"INSERT INTO personnel_history ({columns}) VALUES ({values})")
    after = _history(plain)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


def test_the_service_still_records_history(staffed_url: str) -> None:
    """Keeps writing history through the service after the upgrade (hire, then a transfer)."""
    engine = create_engine(staffed_url)
    try:
        service = ReferenceService(engine)
        (person,) = make_people(1, organization_credit_code=ORG, unit_codes=("BGS",), seed=8, start=20)
        service.hire(CLERK, ORG, person)
        service.transfer(HEAD, ORG, person["employee_no"], "RSK", effective=date(2025, 4, 1))
        kinds = [h.kind for h in service.history(HEAD, ORG, person["employee_no"])]
        assert kinds == ["hire", "unit"]
    finally:
        engine.dispose()
