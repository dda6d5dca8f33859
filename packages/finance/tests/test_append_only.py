"""The posted ledger and the posting chain cannot be changed through plain SQL (issue 15.2).

Core's one mechanism (:func:`govparts.core.db.append_only_ddl`) guards ``finance_entry`` and
``finance_chain``: on SQLite UPDATE, DELETE, INSERT OR REPLACE and REPLACE are refused, on
PostgreSQL UPDATE, DELETE, TRUNCATE and INSERT … ON CONFLICT DO UPDATE.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from govparts.core import migrate
from govparts.finance import ReferenceService
from govparts.finance.tables import CHAIN, ENTRY

from .conftest import CHIEF, ORG, YEAR, post, quota_receipt

_ENTRY_COLUMNS = "id, voucher_id, line_no, org, period, date, number, kind, system, account, side, summary"
_CHAIN_COLUMNS = "org, seq, voucher_id, recorded_at, actor_id, alg, prev_hash"
_FIRST = "(SELECT MIN(id) FROM finance_entry)"

SQLITE_TAMPERING = (
    "UPDATE finance_entry SET amount = amount + 100",
    "DELETE FROM finance_entry",
    f"INSERT OR REPLACE INTO finance_entry ({_ENTRY_COLUMNS}, amount) "
    f"SELECT {_ENTRY_COLUMNS}, amount + 100 FROM finance_entry WHERE id = {_FIRST}",
    f"REPLACE INTO finance_entry ({_ENTRY_COLUMNS}, amount) "
    f"SELECT {_ENTRY_COLUMNS}, amount + 100 FROM finance_entry WHERE id = {_FIRST}",
    f"INSERT INTO finance_entry ({_ENTRY_COLUMNS}, amount) "
    f"SELECT {_ENTRY_COLUMNS}, amount FROM finance_entry WHERE id = {_FIRST} "
    "ON CONFLICT(id) DO UPDATE SET amount = excluded.amount + 100",
    "UPDATE finance_chain SET hash = 'x'",
    "DELETE FROM finance_chain",
    f"INSERT OR REPLACE INTO finance_chain ({_CHAIN_COLUMNS}, hash) "
    f"SELECT {_CHAIN_COLUMNS}, 'x' FROM finance_chain WHERE seq = 1",
    f"REPLACE INTO finance_chain ({_CHAIN_COLUMNS}, hash) "
    f"SELECT {_CHAIN_COLUMNS}, 'x' FROM finance_chain WHERE seq = 1",
)
POSTGRESQL_TAMPERING = (
    "UPDATE finance_entry SET amount = amount + 100",
    "DELETE FROM finance_entry",
    "TRUNCATE finance_entry",
    f"INSERT INTO finance_entry ({_ENTRY_COLUMNS}, amount) "
    f"SELECT {_ENTRY_COLUMNS}, amount FROM finance_entry WHERE id = {_FIRST} "
    "ON CONFLICT (id) DO UPDATE SET amount = EXCLUDED.amount + 100",
    "UPDATE finance_chain SET hash = 'x'",
    "DELETE FROM finance_chain",
    "TRUNCATE finance_chain",
    f"INSERT INTO finance_chain ({_CHAIN_COLUMNS}, hash) "
    f"SELECT {_CHAIN_COLUMNS}, 'x' FROM finance_chain WHERE seq = 1 "
    "ON CONFLICT (org, seq) DO UPDATE SET hash = EXCLUDED.hash",
)


def _snapshot(engine: sa.Engine) -> tuple[list[Any], list[Any]]:
    with engine.connect() as conn:
        entries = list(conn.execute(sa.select(ENTRY).order_by(ENTRY.c.id)))
        chain = list(conn.execute(sa.select(CHAIN).order_by(CHAIN.c.org, CHAIN.c.seq)))
    return entries, chain


def _refused_by_sqlite3(path: str, statements: tuple[str, ...]) -> list[str]:
    """Run each statement through the standard library's sqlite3; the ones that were not refused
    with the append-only message."""
    passed = []
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            try:
                conn.execute(statement)
                conn.commit()
            except sqlite3.DatabaseError as exc:
                conn.rollback()
                if "append-only" in str(exc):
                    continue
            passed.append(statement)
    finally:
        conn.close()
    return passed


def _books(engine: sa.Engine) -> ReferenceService:
    service = ReferenceService(engine)
    service.open_year(CHIEF, ORG, YEAR)
    post(service, quota_receipt("10.00"))
    post(service, quota_receipt("20.00"))
    return service


@pytest.mark.db
def test_plain_sql_cannot_change_the_ledger(engine: sa.Engine) -> None:
    """Refuses every UPDATE, DELETE, REPLACE and TRUNCATE of the ledger and chain; the chain verifies."""
    service = _books(engine)
    before = _snapshot(engine)
    if engine.dialect.name == "sqlite":
        assert engine.url.database
        assert _refused_by_sqlite3(engine.url.database, SQLITE_TAMPERING) == []
    else:
        raw = engine.raw_connection()
        try:
            for statement in POSTGRESQL_TAMPERING:
                cursor = raw.cursor()
                with pytest.raises(Exception, match="append-only"):
                    cursor.execute(statement)
                raw.rollback()
        finally:
            raw.close()
    assert _snapshot(engine) == before
    assert service.verify_chain(CHIEF, ORG).ok


def test_revision_guards_an_existing_ledger_against_replace(tmp_path: Path) -> None:
    """Upgrades a database posted under the previous head; afterwards REPLACE is refused there too."""
    from alembic import command

    path = tmp_path / "books.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url, "heads")
    command.downgrade(migrate.config(url), "f1a4ce000002")
    engine = sa.create_engine(url)
    try:
        _books(engine)
        before = _snapshot(engine)
        replace = SQLITE_TAMPERING[3]
        assert _refused_by_sqlite3(str(path), (replace,)) == [replace]
        migrate.upgrade(url, "heads")
        after = _snapshot(engine)
        assert _refused_by_sqlite3(str(path), SQLITE_TAMPERING) == []
        assert _snapshot(engine) == after != before
    finally:
        engine.dispose()
