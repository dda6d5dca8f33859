"""Engines for both backends, and money stored exactly as whole fen."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core.db import MoneyType, create_engine, is_postgresql, session_scope
from govparts.core.errors import ConfigurationError, InvalidMoney
from govparts.core.money import Money

_ledger = sa.Table(
    "test_db_ledger",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("amount", MoneyType()),
)


def test_sqlite_engine_turns_on_foreign_keys_and_wal(tmp_path: object) -> None:
    """Opens SQLite with foreign keys enforced and write-ahead logging."""
    engine = create_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    assert not is_postgresql(engine)


def test_unsupported_database_is_refused() -> None:
    """Refuses a database other than SQLite and PostgreSQL, naming the url field."""
    with pytest.raises(ConfigurationError) as caught:
        create_engine("mysql://x@localhost/db")
    assert caught.value.field == "url"


def test_money_round_trips_exactly_and_sums_in_sql(engine: Engine) -> None:
    """Stores money as whole fen so large amounts and SQL sums stay exact."""
    _ledger.create(engine)
    amounts = [Money("9999999999999.99"), Money("0.01"), Money("-12.30")]
    with engine.begin() as conn:
        conn.execute(_ledger.insert(), [{"amount": a} for a in amounts])
    with engine.connect() as conn:
        stored = conn.execute(sa.select(_ledger.c.amount).order_by(_ledger.c.id)).scalars().all()
        total = conn.execute(sa.select(sa.func.sum(_ledger.c.amount))).scalar_one()
    assert stored == amounts
    assert total == Money("9999999999987.70")


def test_money_column_refuses_a_float(engine: Engine) -> None:
    """Refuses to store a float in a money column, writing nothing."""
    _ledger.create(engine)
    with pytest.raises(sa.exc.StatementError) as caught, session_scope(engine) as session:
        session.execute(_ledger.insert(), [{"amount": 1.5}])
    assert isinstance(caught.value.orig, InvalidMoney)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(_ledger)).scalar_one() == 0


def test_database_errors_never_show_the_sql_parameters(engine: Engine) -> None:
    """Keeps the values of a failed statement (personal data) out of the error's text."""
    import sqlalchemy as sa

    secret = "650102199003071234"
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t_hidden (id INTEGER PRIMARY KEY, citizen_id TEXT)"))
        conn.execute(sa.text("INSERT INTO t_hidden VALUES (1, 'x')"))
    with pytest.raises(sa.exc.IntegrityError) as caught, engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO t_hidden VALUES (1, :c)"), {"c": secret})
    assert secret not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
