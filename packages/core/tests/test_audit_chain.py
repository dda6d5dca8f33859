"""The hash-chained audit log: appends, the canonical form, append-only triggers, tamper detection."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.db import session_scope
from govparts.core.errors import IntegrityViolation, InvalidInput
from govparts.core.security import Actor

RECORD: sa.Table = audit.AuditRecord.__table__  # type: ignore[attr-defined]
HEAD: sa.Table = audit.AuditHead.__table__  # type: ignore[attr-defined]

CLERK = Actor(id="u-1001", name="热依拉·艾买提", unit="650102-hr", roles={"clerk"})

# GB/T 32905-2016 Annex A, example 1: SM3 of the three bytes "abc" (REFERENCE.md 6.10, confidence V).
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def _append(engine: Engine, count: int, start: int = 1) -> list[audit.AuditStamp]:
    stamps = []
    for number in range(start, start + count):
        with session_scope(engine) as session:
            stamps.append(
                audit.append(
                    session,
                    action="update",
                    entity="employee",
                    entity_id=str(number),
                    actor=CLERK,
                    before={"title": "科员", "salary": Decimal("5000.00")},
                    after={"title": "副科长", "salary": Decimal("6200.50")},
                    details={"reason": f"任命 {number}"},
                )
            )
    return stamps


def _rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(sa.select(RECORD).order_by(RECORD.c.seq)).mappings()]
        conn.rollback()
    return rows


def _tamper(engine: Engine, *statements: Any) -> None:
    """Run ``statements`` as someone who can switch the append-only triggers off."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE core_audit_record DISABLE TRIGGER USER")
            conn.exec_driver_sql("ALTER TABLE core_audit_head DISABLE TRIGGER USER")
        else:
            triggers = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'core_audit_%'"
            ).scalars()
            for name in list(triggers):
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.execute(statement)


@pytest.fixture
def chain(engine: Engine) -> Engine:
    """An audit log with seven records."""
    _append(engine, 7)
    return engine


def test_sm3_is_the_gbt_32905_algorithm() -> None:
    """Hashes with SM3 where OpenSSL offers it, matching GB/T 32905-2016 Annex A example 1."""
    if audit.hash_algorithm() != "sm3":
        pytest.skip("this Python's OpenSSL has no SM3; the chain uses SHA-256")
    assert hashlib.new("sm3", b"abc").hexdigest() == SM3_ABC


def test_appends_numbered_linked_records(chain: Engine) -> None:
    """Numbers records 1, 2, 3… and chains each to the hash of the one before."""
    rows = _rows(chain)
    assert [row["seq"] for row in rows] == list(range(1, 8))
    assert rows[0]["prev_hash"] == audit.GENESIS_HASH
    for before, after in pairwise(rows):
        assert after["prev_hash"] == before["hash"]
    for row in rows:
        assert row["hash"] == audit.digest(row)
        assert row["alg"] == audit.hash_algorithm()
    with chain.connect() as conn:
        head = conn.execute(sa.select(HEAD)).one()
    assert (head.seq, head.hash) == (7, rows[-1]["hash"])


def test_records_who_what_when_and_before_after_as_json(chain: Engine) -> None:
    """Stores the actor, action, entity, time and the before/after state as plain JSON."""
    row = _rows(chain)[2]
    assert (row["actor_id"], row["actor_unit"], row["action"], row["entity"], row["entity_id"]) == (
        "u-1001",
        "650102-hr",
        "update",
        "employee",
        "3",
    )
    assert row["before"] == {"title": "科员", "salary": "5000.00"}
    assert row["after"] == {"title": "副科长", "salary": "6200.50"}
    assert row["details"] == {"reason": "任命 3"}
    assert row["recorded_at"].tzinfo is not None


def test_the_canonical_form_is_sorted_compact_utf8_json() -> None:
    """Serialises the hashed fields as sorted, compact, unescaped UTF-8 JSON with a UTC time."""
    record = {
        "seq": 12,
        "recorded_at": datetime(2024, 3, 1, 9, 30, 0, 120000, tzinfo=UTC),
        "actor_id": "u-1",
        "actor_unit": None,
        "action": "read-classified",
        "entity": "document",
        "entity_id": "42",
        "before": None,
        "after": {"状态": "已归档", "b": [1, 2.5, True]},
        "details": None,
        "alg": "sha256",
        "prev_hash": "ab" * 32,
        "hash": "ignored: the hash does not cover itself",
    }
    expected = (
        '{"action":"read-classified","actor_id":"u-1","actor_unit":null,"after":{"b":[1,2.5,true],'
        '"状态":"已归档"},"alg":"sha256","before":null,"details":null,"entity":"document",'
        '"entity_id":"42","prev_hash":"' + "ab" * 32 + '","recorded_at":"2024-03-01T09:30:00.120000Z",'
        '"seq":12}'
    ).encode()
    assert audit.canonical_form(record) == expected
    assert audit.digest(record) == hashlib.sha256(expected).hexdigest()


def test_an_untampered_chain_verifies(chain: Engine) -> None:
    """Reports that the chain holds, with the number of records and the head."""
    report = audit.verify(chain, batch_size=3)
    assert report.ok
    assert (report.checked, report.head_seq, report.seq, report.kind) == (7, 7, None, None)
    assert report.head_hash == _rows(chain)[-1]["hash"]
    assert "7" in report.message("en")
    assert audit.verify_or_raise(chain) == report


def test_an_empty_log_verifies(engine: Engine) -> None:
    """Reports an empty log as a chain that holds."""
    report = audit.verify(engine)
    assert report.ok
    assert (report.checked, report.head_seq, report.head_hash) == (0, 0, audit.GENESIS_HASH)


def test_records_cannot_be_updated_or_deleted(chain: Engine) -> None:
    """Refuses UPDATE and DELETE on audit records through database triggers."""
    for statement in (
        sa.update(RECORD).where(RECORD.c.seq == 2).values(action="forged"),
        sa.delete(RECORD).where(RECORD.c.seq == 2),
    ):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), chain.begin() as conn:
            conn.execute(statement)
    assert audit.verify(chain).ok


@pytest.mark.parametrize("batch_size", [2, 5000])
def test_finds_an_edited_record(chain: Engine, batch_size: int) -> None:
    """Reports the record whose content no longer matches its hash."""
    _tamper(chain, sa.update(RECORD).where(RECORD.c.seq == 4).values(after={"title": "局长"}))
    report = audit.verify(chain, batch_size=batch_size)
    assert (report.seq, report.kind) == (4, "edited")
    assert report.checked == 3
    assert "4" in report.message("en")


def test_finds_an_edited_actor(chain: Engine) -> None:
    """Reports a record whose actor was changed, since the hash covers who acted."""
    _tamper(chain, sa.update(RECORD).where(RECORD.c.seq == 6).values(actor_id="u-9999"))
    assert (audit.verify(chain).seq, audit.verify(chain).kind) == (6, "edited")


def test_finds_a_record_edited_and_rehashed(chain: Engine) -> None:
    """Reports a record whose content and hash were both replaced, from the next record's link."""
    row = _rows(chain)[2]
    row["after"] = {"title": "局长"}
    _tamper(
        chain, sa.update(RECORD).where(RECORD.c.seq == 3).values(after=row["after"], hash=audit.digest(row))
    )
    report = audit.verify(chain)
    assert (report.seq, report.kind) == (3, "rehashed")


def test_finds_a_deleted_record(chain: Engine) -> None:
    """Reports the sequence numbers of records deleted from the middle of the chain."""
    _tamper(chain, sa.delete(RECORD).where(RECORD.c.seq.in_([3, 4])))
    report = audit.verify(chain, batch_size=2)
    assert (report.seq, report.kind) == (3, "missing")
    assert report.problem is not None
    assert report.problem.details["last"] == 4


def test_finds_records_deleted_at_the_end(chain: Engine) -> None:
    """Reports records deleted from the end, which the chain head still vouches for."""
    _tamper(chain, sa.delete(RECORD).where(RECORD.c.seq >= 6))
    report = audit.verify(chain)
    assert (report.seq, report.kind) == (6, "missing")


def test_finds_swapped_records(chain: Engine) -> None:
    """Reports the first of two records whose places were swapped."""
    _tamper(
        chain,
        sa.update(RECORD).where(RECORD.c.seq == 4).values(seq=-4),
        sa.update(RECORD).where(RECORD.c.seq == 5).values(seq=4),
        sa.update(RECORD).where(RECORD.c.seq == -4).values(seq=5),
    )
    report = audit.verify(chain)
    assert (report.seq, report.kind) == (4, "reordered")
    assert report.problem is not None
    assert report.problem.details["after"] == 5


def test_finds_a_record_deleted_and_the_rest_renumbered(chain: Engine) -> None:
    """Reports the record that no longer links to its predecessor after a delete and renumbering."""
    _tamper(
        chain,
        sa.delete(RECORD).where(RECORD.c.seq == 3),
        *[sa.update(RECORD).where(RECORD.c.seq == seq).values(seq=seq - 1) for seq in range(4, 8)],
        sa.update(HEAD).values(seq=6),
    )
    report = audit.verify(chain)
    assert (report.seq, report.kind) == (3, "unlinked")


def test_finds_a_record_slipped_in_after_the_head(chain: Engine) -> None:
    """Reports a record written directly into the table instead of through the log."""
    forged = _rows(chain)[-1] | {"seq": 8, "hash": "f" * 64, "prev_hash": _rows(chain)[-1]["hash"]}
    with chain.begin() as conn:
        conn.execute(sa.insert(RECORD).values(**forged))
    report = audit.verify(chain)
    assert (report.seq, report.kind) == (8, "inserted")


def test_finds_a_tampered_head(chain: Engine) -> None:
    """Reports a chain head that disagrees with the last record."""
    _tamper(chain, sa.update(HEAD).values(hash="0" * 63 + "1"))
    assert (audit.verify(chain).seq, audit.verify(chain).kind) == (7, "head")


def test_an_anchor_catches_a_chain_rewritten_from_some_point(chain: Engine) -> None:
    """Detects with a kept (seq, hash) anchor a chain rewritten consistently from that point on."""
    anchor = (5, _rows(chain)[4]["hash"])
    rows = _rows(chain)
    previous = rows[2]["hash"]
    rewrite = []
    for original in rows[3:]:
        row = original | {"prev_hash": previous, "details": {"reason": "rewritten"}}
        row["hash"] = previous = audit.digest(row)
        rewrite.append(sa.update(RECORD).where(RECORD.c.seq == row["seq"]).values(**row))
    _tamper(chain, *rewrite, sa.update(HEAD).values(hash=previous))
    assert audit.verify(chain).ok
    report = audit.verify(chain, anchor=anchor)
    assert (report.seq, report.kind) == (5, "anchor")
    assert audit.verify(chain, anchor=(9, "0" * 64)).kind == "anchor"


def test_verify_or_raise_raises_the_problem(chain: Engine) -> None:
    """Raises IntegrityViolation with the first bad record's sequence number and kind."""
    _tamper(chain, sa.delete(RECORD).where(RECORD.c.seq == 2))
    with pytest.raises(IntegrityViolation) as caught:
        audit.verify_or_raise(chain)
    assert caught.value.details["seq"] == 2
    assert caught.value.details["kind"] == "missing"
    assert caught.value.field == "core_audit_record"


def test_reports_the_first_of_several_problems(chain: Engine) -> None:
    """Reports the lowest-numbered bad record when several were tampered with."""
    _tamper(
        chain,
        sa.update(RECORD).where(RECORD.c.seq == 6).values(action="forged"),
        sa.update(RECORD).where(RECORD.c.seq == 2).values(action="forged"),
    )
    assert audit.verify(chain).seq == 2


def test_falls_back_to_sha256_and_verifies_a_mixed_chain(
    chain: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uses SHA-256 where SM3 is missing, records it per record, and verifies a mixed chain."""
    real_new = hashlib.new

    def without_sm3(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.lower() == "sm3":
            raise ValueError("unsupported hash type sm3")
        return real_new(name, *args, **kwargs)

    audit.hash_algorithm.cache_clear()
    monkeypatch.setattr(hashlib, "new", without_sm3)
    try:
        assert audit.hash_algorithm() == "sha256"
        _append(chain, 2, start=8)
    finally:
        audit.hash_algorithm.cache_clear()
    monkeypatch.setattr(hashlib, "new", real_new)
    algorithms = [row["alg"] for row in _rows(chain)]
    assert algorithms[-2:] == ["sha256", "sha256"]
    assert audit.verify(chain).ok


def test_refuses_what_cannot_be_recorded_as_json_and_writes_nothing(engine: Engine) -> None:
    """Refuses a before/after value that is not JSON, naming the field, and appends nothing."""
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        audit.append(session, action="update", entity="employee", entity_id="1", after={"x": float("nan")})
    assert caught.value.field == "entries[0].after"
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        audit.append(session, action="", entity="employee", entity_id="1")
    assert caught.value.field == "entries[0].action"
    assert _rows(engine) == []
    assert audit.verify(engine).head_seq == 0


def test_append_many_writes_a_batch_in_order(engine: Engine) -> None:
    """Appends a batch in one go, in order, sharing one time."""
    entries = [audit.AuditEntry("read-classified", "document", str(n), actor="u-7") for n in range(5)]
    with session_scope(engine) as session:
        stamps = audit.append_many(session, entries)
    assert [s.seq for s in stamps] == [1, 2, 3, 4, 5]
    assert len({s.recorded_at for s in stamps}) == 1
    assert [row["entity_id"] for row in _rows(engine)] == ["0", "1", "2", "3", "4"]
    assert audit.verify(engine).ok


def test_history_lists_the_records_of_one_thing(chain: Engine) -> None:
    """Lists the records about one entity, oldest first."""
    _append(chain, 1, start=3)
    with chain.connect() as conn:
        found = audit.history(conn, "employee", "3")
    assert [row.seq for row in found] == [3, 8]


def test_concurrent_appends_do_not_fork_the_chain(engine: Engine) -> None:
    """Keeps one unbroken chain when several threads append at once."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        for done in [pool.submit(_append, engine, 5, offset * 100) for offset in range(4)]:
            done.result()
    report = audit.verify(engine)
    assert report.ok
    assert report.checked == 20


def test_the_core_revision_builds_an_append_only_log(db_url: str) -> None:
    """Migrates a database to a log that appends, verifies and refuses edits, and migrates back down."""
    from alembic import command

    from govparts.core import migrate
    from govparts.core.db import create_engine

    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    try:
        _append(engine, 3)
        assert audit.verify(engine).checked == 3
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.delete(RECORD))
        command.downgrade(migrate.config(engine), "core@base")
        with engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names())
            functions = (
                conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_proc WHERE proname LIKE 'core_audit_%%'"
                ).scalar()
                if conn.dialect.name == "postgresql"
                else 0
            )
        assert not {name for name in left if name.startswith("core_")}
        assert functions == 0
    finally:
        engine.dispose()
