"""Append-only tables through plain SQL: no UPDATE, DELETE, REPLACE or TRUNCATE changes them.

Each attack runs through the database's own driver (the stdlib ``sqlite3`` module on the file, or
psycopg on PostgreSQL), not through govparts, as anyone holding the database file or a login could.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.audit._tables import HEAD_GUARD_DDL
from govparts.core.db import (
    append_only_ddl,
    append_only_drop_ddl,
    create_engine,
    make_append_only,
    session_scope,
)
from govparts.core.errors import ConfigurationError

Plain = Callable[..., list[tuple[Any, ...]]]

GENESIS = audit.GENESIS_HASH


def _plain_connection(db_url: str) -> Any:
    url = sa.make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return sqlite3.connect(str(url.database), isolation_level=None)
    import psycopg

    return psycopg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    )


@pytest.fixture
def plain(db_url: str) -> Iterator[Plain]:
    """Run one statement in its own transaction through the driver alone; rows for a query."""
    connection = _plain_connection(db_url)

    def run(statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if "%s" in statement and isinstance(connection, sqlite3.Connection):
            statement = statement.replace("%s", "?")
        cursor = connection.execute(statement, params) if params else connection.execute(statement)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

    try:
        yield run
    finally:
        connection.close()


def _refused(plain: Plain, statement: str, params: tuple[Any, ...] = ()) -> str:
    import psycopg

    with pytest.raises((sqlite3.DatabaseError, psycopg.Error)) as caught:
        plain(statement, params)
    return str(caught.value)


def _append(engine: Engine, count: int) -> None:
    for number in range(1, count + 1):
        with session_scope(engine) as session:
            audit.append(session, action="update", entity="employee", entity_id=str(number), actor="u-1")


@pytest.fixture
def chain(engine: Engine) -> Engine:
    """An audit log with five records."""
    _append(engine, 5)
    return engine


_RECORDS = "SELECT * FROM core_audit_record ORDER BY seq"
_HEAD = "SELECT id, seq, hash FROM core_audit_head"
_COLUMNS = (
    "seq, recorded_at, actor_id, actor_unit, action, entity, entity_id, before, after, details, alg, "
    "prev_hash, hash"
)


def _forged(plain: Plain, number: int, **changes: Any) -> tuple[Any, ...]:
    """Record ``number``'s values with ``changes``, in the order of :data:`_COLUMNS`."""
    row = plain(f"SELECT {_COLUMNS} FROM core_audit_record WHERE seq = %s", (number,))[0]
    values = dict(zip([c.strip() for c in _COLUMNS.split(",")], row, strict=True))
    for key in ("before", "after", "details"):
        if values[key] is not None and not isinstance(values[key], str):
            values[key] = json.dumps(values[key])
    values.update(changes)
    return tuple(values.values())


def _sqlite_only(chain: Engine) -> None:
    if chain.dialect.name != "sqlite":
        pytest.skip("REPLACE is SQLite's own statement")


def _postgresql_only(chain: Engine) -> None:
    if chain.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's statement")


_SLOTS = ", ".join(["%s"] * 13)


@pytest.mark.parametrize(
    ("label", "statement", "params"),
    [
        ("update", "UPDATE core_audit_record SET actor_id = 'intruder' WHERE seq = 2", None),
        ("update all", "UPDATE core_audit_record SET details = NULL", None),
        ("delete", "DELETE FROM core_audit_record WHERE seq = 5", None),
        ("delete all", "DELETE FROM core_audit_record", None),
    ],
)
def test_records_refuse_update_and_delete(
    chain: Engine, plain: Plain, label: str, statement: str, params: None
) -> None:
    """Refuses UPDATE and DELETE of audit records through plain SQL and leaves every record as it was."""
    before, head = plain(_RECORDS), plain(_HEAD)
    assert "core_audit_record is append-only" in _refused(plain, statement)
    assert (plain(_RECORDS), plain(_HEAD)) == (before, head)
    assert audit.verify(chain).ok


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
def test_records_refuse_replace_on_sqlite(chain: Engine, plain: Plain, verb: str) -> None:
    """Refuses INSERT OR REPLACE and REPLACE of a record, by its number or by its hash, on SQLite."""
    _sqlite_only(chain)
    before, head = plain(_RECORDS), plain(_HEAD)
    same_seq = _forged(plain, 3, actor_id="intruder")
    same_hash = _forged(plain, 3, seq=99)
    for values in (same_seq, same_hash):
        message = _refused(plain, f"{verb} INTO core_audit_record ({_COLUMNS}) VALUES ({_SLOTS})", values)
        assert "core_audit_record is append-only" in message
    assert (plain(_RECORDS), plain(_HEAD)) == (before, head)
    assert audit.verify(chain).ok


def test_records_refuse_an_upsert(chain: Engine, plain: Plain) -> None:
    """Refuses INSERT … ON CONFLICT DO UPDATE of a record on SQLite and PostgreSQL."""
    before = plain(_RECORDS)
    statement = (
        f"INSERT INTO core_audit_record ({_COLUMNS}) VALUES ({_SLOTS}) "
        "ON CONFLICT (seq) DO UPDATE SET actor_id = excluded.actor_id"
    )
    assert "append-only" in _refused(plain, statement, _forged(plain, 2, actor_id="intruder"))
    assert plain(_RECORDS) == before


def test_records_refuse_truncate_on_postgresql(chain: Engine, plain: Plain) -> None:
    """Refuses TRUNCATE of the audit records and of the chain head on PostgreSQL."""
    _postgresql_only(chain)
    before, head = plain(_RECORDS), plain(_HEAD)
    assert "append-only" in _refused(plain, "TRUNCATE core_audit_record")
    assert "may only advance" in _refused(plain, "TRUNCATE core_audit_head")
    assert (plain(_RECORDS), plain(_HEAD)) == (before, head)


def test_records_may_still_be_appended_through_the_log(chain: Engine, plain: Plain) -> None:
    """Leaves appending alone: the log appends after the triggers, and the chain holds."""
    _append(chain, 2)
    assert [row[0] for row in plain("SELECT seq FROM core_audit_record ORDER BY seq")] == list(range(1, 8))
    assert audit.verify(chain).ok


def _head_attacks(plain: Plain) -> list[tuple[str, tuple[Any, ...]]]:
    (seq_4_hash,) = plain("SELECT hash FROM core_audit_record WHERE seq = 4")[0]
    return [
        ("UPDATE core_audit_head SET seq = 4, hash = %s", (seq_4_hash,)),
        ("UPDATE core_audit_head SET seq = 0, hash = %s", (GENESIS,)),
        ("UPDATE core_audit_head SET seq = 9, hash = %s", ("f" * 64,)),
        ("UPDATE core_audit_head SET hash = %s", ("f" * 64,)),
        ("DELETE FROM core_audit_head", ()),
        (
            "INSERT INTO core_audit_head (id, seq, hash) VALUES (1, 0, %s) "
            "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            (GENESIS,),
        ),
    ]


def test_the_head_only_advances(chain: Engine, plain: Plain) -> None:
    """Refuses moving the chain head back, to a hash no record has, or deleting it, through plain SQL."""
    head = plain(_HEAD)
    for statement, params in _head_attacks(plain):
        assert "core_audit_head may only advance" in _refused(plain, statement, params), statement
    assert plain(_HEAD) == head
    assert audit.verify(chain).ok


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
def test_the_head_refuses_replace_on_sqlite(chain: Engine, plain: Plain, verb: str) -> None:
    """Refuses replacing the chain head row (back to the genesis, or anywhere) on SQLite."""
    _sqlite_only(chain)
    head = plain(_HEAD)
    (seq_5_hash,) = plain("SELECT hash FROM core_audit_record WHERE seq = 5")[0]
    for values in ((1, 0, GENESIS), (1, 5, seq_5_hash), (1, 2, "f" * 64)):
        message = _refused(plain, f"{verb} INTO core_audit_head (id, seq, hash) VALUES (%s, %s, %s)", values)
        assert "core_audit_head may only advance" in message
    assert plain(_HEAD) == head


def test_a_recomputed_rewrite_is_refused_by_the_triggers(chain: Engine, plain: Plain) -> None:
    """Refuses a whole-chain rewrite done with REPLACE or an upsert before verify is ever needed."""
    before = plain(_RECORDS)
    verb = "REPLACE" if chain.dialect.name == "sqlite" else "INSERT"
    tail = "" if chain.dialect.name == "sqlite" else " ON CONFLICT (seq) DO UPDATE SET hash = excluded.hash"
    _refused(plain, f"{verb} INTO core_audit_record ({_COLUMNS}) VALUES ({_SLOTS}){tail}", _forged(plain, 1))
    assert plain(_RECORDS) == before


# One mechanism for every append-only table: the parts apply the same statements to theirs.

_LEDGER = "probe_ledger"


def _ledger(plain: Plain, dialect: str) -> None:
    plain(
        f"CREATE TABLE {_LEDGER} (org VARCHAR(18) NOT NULL, line INTEGER NOT NULL, "
        "ref VARCHAR(40) NOT NULL UNIQUE, amount INTEGER NOT NULL, PRIMARY KEY (org, line))"
    )
    for statement in append_only_ddl(_LEDGER, dialect, ["org", "line"], unique=[["ref"]]):
        plain(statement)
    plain(f"INSERT INTO {_LEDGER} VALUES ('A', 1, 'r-1', 100), ('A', 2, 'r-2', 200), ('B', 1, 'r-3', 300)")


def test_append_only_ddl_guards_any_table_with_a_composite_key(db_url: str, plain: Plain) -> None:
    """Makes a table with a two-column key and a unique column refuse every way of changing a row."""
    dialect = sa.make_url(db_url).get_backend_name()
    _ledger(plain, dialect)
    rows = plain(f"SELECT * FROM {_LEDGER} ORDER BY org, line")
    attacks = [
        f"UPDATE {_LEDGER} SET amount = 0",
        f"DELETE FROM {_LEDGER} WHERE org = 'B'",
        f"INSERT INTO {_LEDGER} VALUES ('A', 1, 'r-9', 1) ON CONFLICT (org, line) DO UPDATE SET amount = 1",
    ]
    if dialect == "sqlite":
        attacks += [
            f"INSERT OR REPLACE INTO {_LEDGER} VALUES ('A', 1, 'r-9', 1)",
            f"REPLACE INTO {_LEDGER} VALUES ('C', 1, 'r-2', 1)",
        ]
    else:
        attacks += [f"TRUNCATE {_LEDGER}"]
    for statement in attacks:
        assert f"{_LEDGER} is append-only" in _refused(plain, statement), statement
    plain(f"INSERT INTO {_LEDGER} VALUES ('A', 3, 'r-4', 400), ('B', 2, 'r-5', 500)")
    assert plain(f"SELECT * FROM {_LEDGER} ORDER BY org, line") == sorted(
        [*rows, ("A", 3, "r-4", 400), ("B", 2, "r-5", 500)]
    )


def test_append_only_drop_ddl_lifts_the_guard(db_url: str, plain: Plain) -> None:
    """Removes the triggers again, so that a migration can take a table down."""
    dialect = sa.make_url(db_url).get_backend_name()
    _ledger(plain, dialect)
    for statement in append_only_drop_ddl(_LEDGER, dialect):
        plain(statement)
    for statement in append_only_drop_ddl(_LEDGER, dialect):
        plain(statement)
    plain(f"DELETE FROM {_LEDGER}")
    assert plain(f"SELECT count(*) FROM {_LEDGER}") == [(0,)]


def test_make_append_only_reads_the_keys_from_the_table(db_url: str, plain: Plain) -> None:
    """Installs the guard when the metadata creates the table, with its primary and unique keys."""
    metadata = sa.MetaData()
    table = sa.Table(
        "probe_history",
        metadata,
        sa.Column("person", sa.String(20), primary_key=True),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("token", sa.String(20), unique=True),
    )
    make_append_only(table)
    engine = create_engine(db_url)
    try:
        metadata.create_all(engine)
        plain("INSERT INTO probe_history VALUES ('p', 1, 't1'), ('p', 2, 't2')")
        if engine.dialect.name == "sqlite":
            assert "append-only" in _refused(plain, "REPLACE INTO probe_history VALUES ('q', 1, 't1')")
            assert "append-only" in _refused(plain, "REPLACE INTO probe_history VALUES ('p', 2, 'x')")
        assert "append-only" in _refused(plain, "UPDATE probe_history SET token = 'x'")
        assert plain("SELECT * FROM probe_history ORDER BY n") == [("p", 1, "t1"), ("p", 2, "t2")]
        metadata.drop_all(engine)
        leftover = (
            "SELECT count(*) FROM pg_proc WHERE proname LIKE 'probe_history%'"
            if engine.dialect.name == "postgresql"
            else "SELECT count(*) FROM sqlite_master WHERE name LIKE 'probe_history%'"
        )
        assert plain(leftover) == [(0,)]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("table", "keys"),
    [("Ledger", ["id"]), ("ledger; DROP TABLE x", ["id"]), ("ledger", ["id = 1 OR 1"]), ("ledger", [])],
)
def test_append_only_ddl_refuses_what_is_not_a_plain_name(table: str, keys: list[str]) -> None:
    """Refuses table and key names that are not plain lower-case SQL names, naming the field."""
    with pytest.raises(ConfigurationError) as caught:
        append_only_ddl(table, "sqlite", keys)
    assert caught.value.field in {"table", "key_columns"}


def test_other_dialects_get_no_statements() -> None:
    """Gives no statements for a dialect it does not know, rather than guessing its trigger syntax."""
    assert append_only_ddl("ledger", "mssql", ["id"]) == ()
    assert append_only_drop_ddl("ledger", "mssql") == ()


# Existing databases: the core revision installs the same guard.


def _guard(engine: Engine) -> set[tuple[str, str]]:
    """The triggers on the audit tables as installed: SQLite's statements, PostgreSQL's functions."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'core_audit_%'"
            )
        else:
            query = (
                "SELECT tgname::text, p.proname::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'core_audit_%' "
                "UNION SELECT proname::text, prosrc FROM pg_proc WHERE proname LIKE 'core_audit_%'"
            )
        return {(str(name), str(text)) for name, text in conn.execute(sa.text(query))}


def _expected(dialect: str) -> set[tuple[str, str]]:
    """What :func:`_guard` finds where the audit tables were made from the metadata."""
    statements = append_only_ddl("core_audit_record", dialect, ["seq"], unique=[["hash"]])
    statements += HEAD_GUARD_DDL[dialect]
    if dialect == "sqlite":
        return {(statement.split()[2], statement) for statement in statements}
    found = set()
    for statement in statements:
        if statement.startswith("CREATE OR REPLACE FUNCTION"):
            found.add((statement.split()[4].removesuffix("()"), statement.split("$$")[1]))
        else:
            found.add((statement.split()[2], statement.split("EXECUTE FUNCTION ")[1].removesuffix("()")))
    return found


def test_new_databases_get_the_guard(engine: Engine) -> None:
    """Installs exactly the append-only triggers and the head guard when the metadata makes the tables."""
    assert _guard(engine) == _expected(engine.dialect.name)


def test_the_revision_guards_an_existing_log(db_url: str, plain: Plain) -> None:
    """Upgrades a log made by the first core revision to the very guard new databases get, and back."""
    from alembic import command

    from govparts.core import migrate

    engine = create_engine(db_url)
    try:
        config = migrate.config(engine)
        command.upgrade(config, "c04e0f1a2b3c")
        _append(engine, 3)
        old = _guard(engine)
        command.upgrade(config, "c04e0f1a2b3d")
        assert _guard(engine) == _expected(engine.dialect.name)
        assert audit.verify(engine).checked == 3
        if engine.dialect.name == "sqlite":
            _refused(plain, f"REPLACE INTO core_audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS}')")
        else:
            _refused(plain, f"UPDATE core_audit_head SET seq = 0, hash = '{GENESIS}'")
        assert audit.verify(engine).ok
        command.downgrade(config, "c04e0f1a2b3c")
        assert _guard(engine) == old
    finally:
        engine.dispose()
