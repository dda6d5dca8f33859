"""The database test plugin gives each test its own database of the selected backend."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def test_engine_fixture_gives_an_empty_private_database(engine: Engine, govparts_db_backend: str) -> None:
    """Gives a working engine of the selected backend with the tables created."""
    assert engine.dialect.name == govparts_db_backend
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO probe VALUES (1)"))
        assert conn.execute(sa.text("SELECT count(*) FROM probe")).scalar_one() == 1


def test_each_test_gets_a_fresh_database(engine: Engine) -> None:
    """Starts every test without the tables an earlier test made."""
    assert "probe" not in sa.inspect(engine).get_table_names()
