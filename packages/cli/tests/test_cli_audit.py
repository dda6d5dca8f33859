"""``govparts audit verify``: the audit chain holds, or the first bad record is shown with exit code 1."""

from __future__ import annotations

import sqlalchemy as sa
from cli_support import Run, row
from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.db import session_scope


def _append(engine: Engine, count: int) -> None:
    with session_scope(engine) as session:
        for number in range(1, count + 1):
            audit.append(
                session,
                action="update",
                entity="employee",
                entity_id=str(number),
                actor="clerk-1",
                before={"title": "科员"},
                after={"title": "副科长"},
            )


def _tamper(engine: Engine, seq: int) -> None:
    """Edit a record behind the append-only triggers' back, as a database owner could."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE core_audit_record DISABLE TRIGGER USER")
        else:
            conn.exec_driver_sql("DROP TRIGGER core_audit_record_no_update")
        conn.execute(
            sa.text("UPDATE core_audit_record SET actor_id = 'intruder' WHERE seq = :seq"), {"seq": seq}
        )


def test_intact_chain_holds(run: Run, engine: Engine, db_url: str) -> None:
    """Reports an intact chain with the number of records checked and exits 0."""
    _append(engine, 3)
    result, data = run.json("audit", "verify", "--url", db_url)
    assert result.exit_code == 0, result.output
    assert (data["ok"], data["checked"], data["head_seq"], data["problem"]) == (True, 3, 3, None)
    table = run("audit", "verify", "--url", db_url, "--locale", "zh")
    assert row(table.stdout, "完好")[1] == "3"


def test_edited_record_breaks_the_chain_and_is_shown(run: Run, engine: Engine, db_url: str) -> None:
    """Exits 1 for an edited record and shows it, with the problem, in JSON and as a table."""
    _append(engine, 3)
    _tamper(engine, 2)
    result, data = run.json("audit", "verify", "--url", db_url, "--locale", "en")
    assert result.exit_code == 1
    assert data["ok"] is False
    assert data["problem"]["details"]["kind"] == "edited"
    assert (data["record"]["seq"], data["record"]["actor_id"]) == (2, "intruder")
    table = run("audit", "verify", "--url", db_url, "--locale", "ug")
    assert table.exit_code == 1
    assert row(table.stdout, "actor_id")[1] == "intruder"
    assert "\u2067تۇنجى مەسىلىلىك خاتىرە\u2069" in table.stdout


def test_database_without_audit_tables_is_bad_input(run: Run, db_url: str) -> None:
    """Reports a database that has no audit log as bad input (exit 2), without a traceback."""
    result = run("audit", "verify", "--url", db_url, "--locale", "en")
    assert result.exit_code == 2
    assert "core_audit" in result.stderr
    assert "Traceback" not in result.output
