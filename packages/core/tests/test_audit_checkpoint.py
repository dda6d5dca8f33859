"""Checkpoints kept outside the database, and values that cannot be read back (issue 15.2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.db import session_scope
from govparts.core.errors import IntegrityViolation, InvalidInput

RECORD: sa.Table = audit.AuditRecord.__table__  # type: ignore[attr-defined]
HEAD: sa.Table = audit.AuditHead.__table__  # type: ignore[attr-defined]
NOON = datetime(2026, 12, 9, 4, 0, tzinfo=UTC)


def _append(engine: Engine, count: int, start: int = 1) -> None:
    for number in range(start, start + count):
        with session_scope(engine) as session:
            audit.append(
                session,
                action="update",
                entity="employee",
                entity_id=str(number),
                actor="u-1001",
                after={"title": "副科长", "n": number},
            )


def _rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.select(RECORD).order_by(RECORD.c.seq)).mappings()]


def _behind_the_logs_back(engine: Engine, *statements: Any) -> None:
    """Run ``statements`` with the append-only triggers switched off, as a database owner could."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE core_audit_record DISABLE TRIGGER USER")
            conn.exec_driver_sql("ALTER TABLE core_audit_head DISABLE TRIGGER USER")
        else:
            names = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'core_audit_%'"
            ).scalars()
            for name in list(names):
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.execute(sa.text(statement) if isinstance(statement, str) else statement)


def _rewrite_from(engine: Engine, seq: int) -> None:
    """Rewrite every record from ``seq`` on and recompute every hash after it, and the head."""
    rows = _rows(engine)
    previous = rows[seq - 2]["hash"] if seq > 1 else audit.GENESIS_HASH
    statements = []
    for original in rows[seq - 1 :]:
        row = original | {"prev_hash": previous, "actor_id": "intruder"}
        row["hash"] = previous = audit.digest(row)
        statements.append(sa.update(RECORD).where(RECORD.c.seq == row["seq"]).values(**row))
    _behind_the_logs_back(engine, *statements, sa.update(HEAD).values(hash=previous))


@pytest.fixture
def chain(engine: Engine) -> Engine:
    """An audit log with six records."""
    _append(engine, 6)
    return engine


def test_a_checkpoint_names_the_head(chain: Engine) -> None:
    """Records the head's sequence number, hash and algorithm, and the time it was taken."""
    taken = audit.take_checkpoint(chain, at=NOON)
    last = _rows(chain)[-1]
    assert (taken.seq, taken.hash, taken.alg, taken.taken_at) == (6, last["hash"], last["alg"], NOON)


def test_the_file_is_canonical_json_that_reads_back(chain: Engine, tmp_path: Path) -> None:
    """Writes the checkpoint as JSON with its format, and reads the same checkpoint back."""
    taken = audit.take_checkpoint(chain, at=NOON)
    members = json.loads(taken.to_json())
    assert members == {
        "alg": taken.alg,
        "format": "govparts-audit-checkpoint/1",
        "hash": taken.hash,
        "seq": 6,
        "taken_at": "2026-12-09T04:00:00.000000Z",
    }
    assert taken.payload() == json.dumps(members, sort_keys=True, separators=(",", ":")).encode()
    path = tmp_path / "audit.checkpoint.json"
    path.write_bytes(taken.to_json())
    assert audit.read_checkpoint(path) == taken


def test_an_intact_chain_reproduces_its_checkpoint_also_after_more_appends(chain: Engine) -> None:
    """Passes a chain that still reproduces the checkpoint, and keeps passing as records are added."""
    taken = audit.take_checkpoint(chain)
    assert audit.verify(chain, checkpoint=taken).ok
    _append(chain, 3, start=7)
    report = audit.verify(chain, checkpoint=taken)
    assert (report.ok, report.checked) == (True, 9)


def test_a_rewrite_with_recomputed_hashes_fails_the_checkpoint(chain: Engine) -> None:
    """Catches a chain rewritten from record 3 on with every hash recomputed, which verifies without it."""
    taken = audit.take_checkpoint(chain, at=NOON)
    _rewrite_from(chain, 3)
    assert audit.verify(chain).ok
    report = audit.verify(chain, checkpoint=taken)
    assert (report.seq, report.kind) == (6, "checkpoint")
    assert "rewritten" in report.message("en")
    assert "2026-12-09" in report.message("en")


def test_a_rewrite_of_the_head_record_alone_fails_the_checkpoint(chain: Engine) -> None:
    """Catches the last record rewritten and re-hashed with the head moved along."""
    taken = audit.take_checkpoint(chain)
    _rewrite_from(chain, 6)
    assert audit.verify(chain).ok
    assert audit.verify(chain, checkpoint=taken).kind == "checkpoint"


def test_a_truncated_chain_fails_the_checkpoint(chain: Engine) -> None:
    """Catches records removed from the end with the head moved back, which verifies without it."""
    taken = audit.take_checkpoint(chain, at=NOON)
    back = _rows(chain)[3]
    _behind_the_logs_back(
        chain,
        sa.delete(RECORD).where(RECORD.c.seq > 4),
        sa.update(HEAD).values(seq=4, hash=back["hash"]),
    )
    assert audit.verify(chain).ok
    report = audit.verify(chain, checkpoint=taken)
    assert (report.seq, report.kind, report.head_seq) == (6, "checkpoint", 4)
    assert "removed" in report.message("en")


def test_a_chain_emptied_entirely_fails_the_checkpoint(chain: Engine) -> None:
    """Catches a log emptied and its head reset to the genesis."""
    taken = audit.take_checkpoint(chain)
    _behind_the_logs_back(chain, sa.delete(RECORD), sa.update(HEAD).values(seq=0, hash=audit.GENESIS_HASH))
    assert audit.verify(chain).ok
    assert audit.verify(chain, checkpoint=taken).kind == "checkpoint"


def test_a_checkpoint_naming_another_algorithm_fails(chain: Engine) -> None:
    """Refuses a chain whose head record has the checkpoint's hash under another algorithm's name."""
    taken = audit.take_checkpoint(chain)
    other = "sha256" if taken.alg == "sm3" else "sm3"
    forged = audit.Checkpoint(seq=taken.seq, hash=taken.hash, alg=other, taken_at=taken.taken_at)
    assert audit.verify(chain, checkpoint=forged).kind == "checkpoint"


def test_no_checkpoint_is_taken_of_a_broken_chain(chain: Engine) -> None:
    """Refuses to vouch for a chain that is already broken, naming the bad record."""
    _behind_the_logs_back(chain, "UPDATE core_audit_record SET action = 'forged' WHERE seq = 2")
    with pytest.raises(IntegrityViolation) as caught:
        audit.take_checkpoint(chain)
    assert caught.value.details["seq"] == 2


def test_an_empty_log_has_a_genesis_checkpoint(engine: Engine) -> None:
    """Takes a checkpoint of an empty log at record 0 with the genesis hash, and it verifies later."""
    taken = audit.take_checkpoint(engine)
    assert (taken.seq, taken.hash, taken.alg) == (0, audit.GENESIS_HASH, audit.hash_algorithm())
    _append(engine, 2)
    assert audit.verify(engine, checkpoint=taken).ok


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"seq": -1}, "checkpoint.seq", "whole number"),
        ({"seq": True}, "checkpoint.seq", "whole number"),
        ({"seq": "6"}, "checkpoint.seq", "whole number"),
        ({"hash": "XYZ"}, "checkpoint.hash", "hexadecimal"),
        ({"hash": "A" * 64}, "checkpoint.hash", "hexadecimal"),
        ({"alg": "md5"}, "checkpoint.alg", "unknown hash algorithm"),
        ({"taken_at": "yesterday"}, "checkpoint.taken_at", "UTC time"),
        ({"taken_at": None}, "checkpoint.taken_at", "UTC time"),
        ({"format": "other/1"}, "checkpoint", "not a govparts audit checkpoint"),
        ({"extra": 1}, "checkpoint", "unknown members"),
        ({"signature": "abc"}, "checkpoint.signature", "JSON object"),
    ],
)
def test_a_malformed_checkpoint_is_refused_naming_the_member(
    chain: Engine, change: dict[str, Any], field: str, text: str
) -> None:
    """Refuses a checkpoint file with a bad member, naming it, instead of verifying against it."""
    members = json.loads(audit.take_checkpoint(chain).to_json()) | change
    with pytest.raises(InvalidInput) as caught:
        audit.Checkpoint.from_json(json.dumps(members).encode())
    assert caught.value.field == field
    assert text in caught.value.message("en")


@pytest.mark.parametrize(
    "data", [b"", b"not json", b"[1, 2]", b"\xff\xfe", b"[" * 100_000, b" " * (64 * 1024 + 1)]
)
def test_what_is_not_a_checkpoint_is_refused(data: bytes) -> None:
    """Refuses bytes that are not a checkpoint file (also huge or deeply nested ones) without a traceback."""
    with pytest.raises(InvalidInput) as caught:
        audit.Checkpoint.from_json(data)
    assert caught.value.field == "checkpoint"


def test_a_missing_checkpoint_file_is_refused(tmp_path: Path) -> None:
    """Refuses a checkpoint path that cannot be read, naming it."""
    missing = tmp_path / "nowhere.json"
    with pytest.raises(InvalidInput) as caught:
        audit.read_checkpoint(missing)
    assert caught.value.field == str(missing)


# Values that cannot be read back: verify names the record and never raises.


def _sqlite_only(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's column types refuse such a value when it is written")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("after", "{not json"),
        ("before", "[" * 100_000),
        ("recorded_at", "yesterday"),
        ("recorded_at", "2026-13-45 99:00:00.000000"),
    ],
)
def test_an_unreadable_value_is_reported_against_its_record(chain: Engine, column: str, value: str) -> None:
    """Reports a value that is not JSON or not a time as an unreadable record 4, without raising."""
    _sqlite_only(chain)
    _behind_the_logs_back(
        chain, sa.text(f"UPDATE core_audit_record SET {column} = :v WHERE seq = 4").bindparams(v=value)
    )
    report = audit.verify(chain)
    assert (report.seq, report.kind, report.checked) == (4, "unreadable", 3)
    assert column in report.message("en")


def test_an_unknown_algorithm_is_reported_against_its_record(chain: Engine) -> None:
    """Reports a record naming a hash algorithm the log does not know, on either database."""
    _behind_the_logs_back(chain, "UPDATE core_audit_record SET alg = 'md5' WHERE seq = 5")
    report = audit.verify(chain)
    assert (report.seq, report.kind) == (5, "unreadable")
    assert "md5" in report.message("en")


@pytest.mark.parametrize("value", ["'three'", "3.5", "x'03'"])
def test_a_sequence_number_that_is_not_a_whole_number_is_reported(chain: Engine, value: str) -> None:
    """Reports the record whose sequence number became text, a fraction or bytes, by its place."""
    _sqlite_only(chain)
    _behind_the_logs_back(chain, f"UPDATE core_audit_record SET seq = {value} WHERE seq = 3")
    report = audit.verify(chain)
    assert (report.seq, report.kind) == (3, "unreadable")
    assert "whole number" in report.message("en")


def test_a_head_that_cannot_be_read_is_reported(chain: Engine) -> None:
    """Reports a chain head whose sequence number is not a number as a head problem, without raising."""
    _sqlite_only(chain)
    _behind_the_logs_back(chain, "UPDATE core_audit_head SET seq = 'six'")
    report = audit.verify(chain)
    assert report.kind == "head"
    assert "cannot be read back" in report.message("en")


# Signed checkpoints (issue 20): a checkpoint kept elsewhere cannot be forged.


def _trust_for(key: Any, start: str = "2026-01-01", end: str = "2027-12-31") -> Any:
    from govparts.core import signing
    from govparts.core.demo import make_office

    entry = {
        "credit_code": make_office(1).credit_code,
        "name": "天山区政务服务和数据管理局",
        "public_key": key.public_key.pem().decode(),
        "valid_from": start,
        "valid_to": end,
    }
    return signing.TrustList.from_json(json.dumps({"format": "govparts-trust/1", "keys": [entry]}).encode())


def test_a_signed_checkpoint_names_its_signer(chain: Engine, tmp_path: Path) -> None:
    """Signs the checkpoint's payload; the trust file names the agency, also after a round trip."""
    from govparts.core import signing

    key = signing.generate_key()
    signed = audit.sign_checkpoint(audit.take_checkpoint(chain, at=NOON), key)
    assert signed.signature is not None
    assert (signed.signature["alg"], signed.signature["key_id"]) == ("sm2-sm3", key.key_id)
    path = tmp_path / "signed.json"
    path.write_bytes(signed.to_json())
    read = audit.read_checkpoint(path)
    assert audit.check_checkpoint_signature(read, _trust_for(key)).name == "天山区政务服务和数据管理局"
    assert audit.verify(chain, checkpoint=read).ok


def test_a_checkpoint_edited_after_signing_is_refused(chain: Engine) -> None:
    """Refuses a signed checkpoint whose head was changed afterwards, naming the signer."""
    from govparts.core import signing

    key = signing.generate_key()
    signed = audit.sign_checkpoint(audit.take_checkpoint(chain, at=NOON), key)
    assert signed.signature is not None
    forged = audit.Checkpoint(seq=3, hash=_rows(chain)[2]["hash"], alg=signed.alg, taken_at=NOON)
    with pytest.raises(IntegrityViolation) as caught:
        audit.check_checkpoint_signature(forged.with_signature(signed.signature), _trust_for(key))
    assert "edited after signing, or forged" in caught.value.message("en")


def test_unsigned_unknown_expired_and_foreign_signatures_are_refused(chain: Engine) -> None:
    """Refuses an unsigned checkpoint, an unknown key, a key expired when it was taken, another algorithm."""
    from govparts.core import signing

    key, stranger = signing.generate_key(), signing.generate_key()
    taken = audit.take_checkpoint(chain, at=NOON)
    problems = [
        (taken, _trust_for(key), "not signed"),
        (audit.sign_checkpoint(taken, stranger), _trust_for(key), "does not list"),
        (audit.sign_checkpoint(taken, key), _trust_for(key, "2025-01-01", "2025-12-31"), "not at"),
    ]
    other = audit.sign_checkpoint(taken, key)
    assert other.signature is not None
    problems.append(
        (taken.with_signature(other.signature | {"alg": "rsa-sha1"}), _trust_for(key), "rsa-sha1")
    )
    problems.append((taken.with_signature(other.signature | {"value": "!!"}), _trust_for(key), "forged"))
    for checkpoint, trust, text in problems:
        with pytest.raises(IntegrityViolation) as caught:
            audit.check_checkpoint_signature(checkpoint, trust)
        assert text in caught.value.message("en")
        assert caught.value.field == "signature"
