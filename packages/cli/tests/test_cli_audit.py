"""``govparts audit``: the chain holds, or the first bad record is shown with exit code 1; checkpoints
kept outside the database catch a chain rewritten with recomputed hashes or cut short (issue 15.2)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
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
    result, data = run.json("audit", "verify", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert (data["ok"], data["checked"], data["head_seq"], data["problem"]) == (True, 3, 3, None)
    table = run("audit", "verify", "--db", db_url, "--locale", "zh")
    assert row(table.stdout, "完好")[1] == "3"


def test_edited_record_breaks_the_chain_and_is_shown(run: Run, engine: Engine, db_url: str) -> None:
    """Exits 1 for an edited record and shows it, with the problem, in JSON and as a table."""
    _append(engine, 3)
    _tamper(engine, 2)
    result, data = run.json("audit", "verify", "--db", db_url, "--locale", "en")
    assert result.exit_code == 1
    assert data["ok"] is False
    assert data["problem"]["details"]["kind"] == "edited"
    assert (data["record"]["seq"], data["record"]["actor_id"]) == (2, "intruder")
    table = run("audit", "verify", "--db", db_url, "--locale", "ug")
    assert table.exit_code == 1
    assert row(table.stdout, "actor_id")[1] == "intruder"
    assert "\u2067تۇنجى مەسىلىلىك خاتىرە\u2069" in table.stdout


def test_database_without_audit_tables_is_bad_input(run: Run, db_url: str) -> None:
    """Reports a database that has no audit log as bad input (exit 2), without a traceback."""
    if db_url.startswith("sqlite:"):
        sqlite3.connect(sa.make_url(db_url).database or "").close()  # an empty database
    result = run("audit", "verify", "--db", db_url, "--locale", "en")
    assert result.exit_code == 2
    assert "core_audit" in result.stderr
    assert "Traceback" not in result.output


def test_verify_shows_a_record_whose_value_cannot_be_read_back(run: Run, engine: Engine, db_url: str) -> None:
    """Names and shows a record whose time was overwritten with text, instead of crashing."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's column types refuse such a value when it is written")
    _append(engine, 3)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER core_audit_record_no_update")
        conn.exec_driver_sql("UPDATE core_audit_record SET recorded_at = 'yesterday' WHERE seq = 2")
    result, data = run.json("audit", "verify", "--db", db_url, "--locale", "en")
    assert result.exit_code == 1
    assert (data["problem"]["details"]["kind"], data["problem"]["details"]["seq"]) == ("unreadable", 2)
    assert data["record"]["recorded_at"] == "yesterday"
    assert "recorded_at" in data["problem"]["message"]


# Checkpoints, through the installed ``govparts`` command.


def govparts(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``govparts`` entry point (the console script beside this Python)."""
    command = Path(sys.executable).with_name("govparts")
    assert command.exists(), f"the govparts entry point is not installed at {command}"
    env = {**os.environ, "COLUMNS": "200", "GOVPARTS_LOCALE": "en"}
    env.pop("GOVPARTS_DB_URL", None)
    return subprocess.run(
        [str(command), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def _switch_guards_off(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE core_audit_record DISABLE TRIGGER USER")
        conn.exec_driver_sql("ALTER TABLE core_audit_head DISABLE TRIGGER USER")
        return
    names = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'core_audit_%'"
    ).scalars()
    for name in list(names):
        conn.exec_driver_sql(f"DROP TRIGGER {name}")


def _rewrite_everything(engine: Engine) -> None:
    """Rewrite every record's actor and recompute the whole chain and the head, as an owner could."""
    table = audit.AuditRecord.__table__  # type: ignore[attr-defined]
    head = audit.AuditHead.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(table).order_by(table.c.seq)).mappings()]
        _switch_guards_off(conn)
        previous = audit.GENESIS_HASH
        for original in rows:
            changed = original | {"actor_id": "intruder", "prev_hash": previous}
            changed["hash"] = previous = audit.digest(changed)
            conn.execute(sa.update(table).where(table.c.seq == changed["seq"]).values(**changed))
        conn.execute(sa.update(head).values(hash=previous))


def _truncate(engine: Engine, keep: int) -> None:
    table = audit.AuditRecord.__table__  # type: ignore[attr-defined]
    head = audit.AuditHead.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        kept = conn.execute(sa.select(table.c.hash).where(table.c.seq == keep)).scalar_one()
        _switch_guards_off(conn)
        conn.execute(sa.delete(table).where(table.c.seq > keep))
        conn.execute(sa.update(head).values(seq=keep, hash=kept))


def test_checkpoint_writes_the_head_and_verify_accepts_it(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Writes a checkpoint file with the head, and verify --checkpoint passes on the intact chain."""
    _append(engine, 4)
    out = tmp_path / "kept" / "audit.json"
    out.parent.mkdir()
    done = govparts("audit", "checkpoint", "--db", db_url, str(out), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert (written["seq"], written["format"]) == (4, "govparts-audit-checkpoint/1")
    assert json.loads(done.stdout)["hash"] == written["hash"] == audit.verify(engine).head_hash
    done = govparts("audit", "verify", "--db", db_url, "--checkpoint", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "holds" in done.stdout


def test_verify_with_a_checkpoint_catches_a_recomputed_chain(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Fails (exit 1, naming the record) on a chain rewritten with recomputed hashes, which passes without."""
    _append(engine, 4)
    out = tmp_path / "audit.json"
    assert govparts("audit", "checkpoint", "--db", db_url, str(out), cwd=tmp_path).returncode == 0
    _rewrite_everything(engine)
    assert govparts("audit", "verify", "--db", db_url, cwd=tmp_path).returncode == 0
    done = govparts("audit", "verify", "--db", db_url, "--checkpoint", str(out), "--json", cwd=tmp_path)
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert (data["problem"]["details"]["kind"], data["problem"]["details"]["seq"]) == ("checkpoint", 4)
    assert "the chain was rewritten" in data["problem"]["message"]
    assert data["record"]["actor_id"] == "intruder"
    shown = govparts(
        "audit", "verify", "--db", db_url, "--checkpoint", str(out), "--locale", "zh", cwd=tmp_path
    )
    assert shown.returncode == 1
    assert "检查点" in shown.stdout
    assert "Traceback" not in shown.stdout + shown.stderr


def test_verify_with_a_checkpoint_catches_a_truncated_chain(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Fails on a chain whose last records were removed and its head moved back."""
    _append(engine, 5)
    out = tmp_path / "audit.json"
    assert govparts("audit", "checkpoint", "--db", db_url, str(out), cwd=tmp_path).returncode == 0
    _truncate(engine, 3)
    assert govparts("audit", "verify", "--db", db_url, cwd=tmp_path).returncode == 0
    done = govparts("audit", "verify", "--db", db_url, "--checkpoint", str(out), cwd=tmp_path)
    assert done.returncode == 1
    assert "records were removed" in done.stdout


def test_checkpoint_never_overwrites_a_file(run: Run, engine: Engine, db_url: str, tmp_path: Path) -> None:
    """Refuses an existing OUT file (exit 2) and leaves it as it was."""
    _append(engine, 1)
    out = tmp_path / "audit.json"
    out.write_text("an older checkpoint", encoding="utf-8")
    result = run("audit", "checkpoint", "--db", db_url, str(out), "--locale", "en")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "an older checkpoint"


def test_checkpoint_to_an_unwritable_place_is_bad_input(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Refuses a file in a folder that does not exist, naming it, without a traceback."""
    _append(engine, 1)
    result, data = run.json(
        "audit", "checkpoint", "--db", db_url, str(tmp_path / "no" / "a.json"), "--locale", "en"
    )
    assert result.exit_code == 2
    assert data["error"]["field"] == "OUT"


def test_no_checkpoint_of_a_broken_chain(run: Run, engine: Engine, db_url: str, tmp_path: Path) -> None:
    """Exits 1 without writing a file when the chain is already broken."""
    _append(engine, 3)
    _tamper(engine, 2)
    out = tmp_path / "audit.json"
    result = run("audit", "checkpoint", "--db", db_url, str(out), "--locale", "en")
    assert result.exit_code == 1
    assert "audit record 2" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "content", [None, "{}", "not json", '{"format": "govparts-audit-checkpoint/1", "seq": -3}']
)
def test_verify_refuses_a_checkpoint_that_is_not_one(
    run: Run, engine: Engine, db_url: str, tmp_path: Path, content: str | None
) -> None:
    """Refuses a missing or malformed checkpoint file as bad input (exit 2), naming it."""
    _append(engine, 1)
    path = tmp_path / "audit.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result, data = run.json("audit", "verify", "--db", db_url, "--checkpoint", str(path), "--locale", "en")
    assert result.exit_code == 2
    assert data["error"]["field"].startswith(str(path))


def test_the_old_url_option_still_names_the_database(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Accepts --url, the former name of --db, for the audit commands."""
    _append(engine, 2)
    out = tmp_path / "audit.json"
    assert run("audit", "checkpoint", "--url", db_url, str(out)).exit_code == 0
    result, data = run.json("audit", "verify", "--url", db_url, "--checkpoint", str(out))
    assert (result.exit_code, data["checked"]) == (0, 2)


# Signed checkpoints (issue 20).


def _trust_file(tmp_path: Path, public: Path, name: str = "trust.json", end: str = "2099-12-31") -> Path:
    from govparts.core.demo import make_office

    entry = {
        "credit_code": make_office(1).credit_code,
        "name": "天山区政务服务和数据管理局",
        "public_key": public.read_text(encoding="ascii"),
        "valid_from": "2020-01-01",
        "valid_to": end,
    }
    path = tmp_path / name
    path.write_text(json.dumps({"format": "govparts-trust/1", "keys": [entry]}, ensure_ascii=False), "utf-8")
    return path


def test_a_signed_checkpoint_verifies_against_the_trust_file(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Signs the checkpoint with --sign-key and verify --trust names the agency that signed it."""
    _append(engine, 3)
    assert govparts("keys", "generate", "--out", str(tmp_path / "keys"), cwd=tmp_path).returncode == 0
    out = tmp_path / "audit.json"
    key = str(tmp_path / "keys" / "private.pem")
    done = govparts("audit", "checkpoint", "--db", db_url, str(out), "--sign-key", key, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    trust = _trust_file(tmp_path, tmp_path / "keys" / "public.pem")
    done = govparts(
        "audit",
        "verify",
        "--db",
        db_url,
        "--checkpoint",
        str(out),
        "--trust",
        str(trust),
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["signed_by"]["name"] == "天山区政务服务和数据管理局"
    assert data["ok"] is True


def test_a_forged_checkpoint_is_refused(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """Refuses (exit 1) a signed checkpoint rewritten to match a recomputed chain: the signature breaks."""
    _append(engine, 3)
    assert govparts("keys", "generate", "--out", str(tmp_path / "keys"), cwd=tmp_path).returncode == 0
    out = tmp_path / "audit.json"
    key = str(tmp_path / "keys" / "private.pem")
    assert (
        govparts("audit", "checkpoint", "--db", db_url, str(out), "--sign-key", key, cwd=tmp_path).returncode
        == 0
    )
    _rewrite_everything(engine)
    forged = json.loads(out.read_text(encoding="utf-8"))
    forged["hash"] = audit.verify(engine).head_hash
    out.write_text(json.dumps(forged), encoding="utf-8")
    trust = _trust_file(tmp_path, tmp_path / "keys" / "public.pem")
    assert govparts("audit", "verify", "--db", db_url, "--checkpoint", str(out), cwd=tmp_path).returncode == 0
    done = govparts(
        "audit", "verify", "--db", db_url, "--checkpoint", str(out), "--trust", str(trust), cwd=tmp_path
    )
    assert done.returncode == 1
    assert "edited after signing, or forged" in done.stderr


def test_unsigned_or_unknown_signers_fail_with_a_trust_file(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Fails unsigned checkpoints and unlisted signers with --trust; --trust alone is bad input."""
    _append(engine, 2)
    assert run("keys", "generate", "--out", str(tmp_path / "ours")).exit_code == 0
    assert run("keys", "generate", "--out", str(tmp_path / "theirs")).exit_code == 0
    trust = _trust_file(tmp_path, tmp_path / "ours" / "public.pem")
    unsigned, stranger = tmp_path / "unsigned.json", tmp_path / "stranger.json"
    assert run("audit", "checkpoint", "--db", db_url, str(unsigned)).exit_code == 0
    key = str(tmp_path / "theirs" / "private.pem")
    assert run("audit", "checkpoint", "--db", db_url, str(stranger), "--sign-key", key).exit_code == 0
    for path, text in ((unsigned, "not signed"), (stranger, "does not list")):
        result, data = run.json(
            "audit",
            "verify",
            "--db",
            db_url,
            "--checkpoint",
            str(path),
            "--trust",
            str(trust),
            "--locale",
            "en",
        )
        assert result.exit_code == 1
        assert text in data["error"]["message"]
    result = run("audit", "verify", "--db", db_url, "--trust", str(trust), "--locale", "en")
    assert result.exit_code == 2


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command (OpenSSL 3)")
def test_openssl_verifies_a_checkpoint_signature(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Has openssl pkeyutl verify the signature over the checkpoint's canonical payload."""
    import base64

    _append(engine, 2)
    assert run("keys", "generate", "--out", str(tmp_path)).exit_code == 0
    out = tmp_path / "audit.json"
    assert (
        run(
            "audit", "checkpoint", "--db", db_url, str(out), "--sign-key", str(tmp_path / "private.pem")
        ).exit_code
        == 0
    )
    checkpoint = audit.read_checkpoint(out)
    assert checkpoint.signature is not None
    (tmp_path / "payload").write_bytes(checkpoint.payload())
    (tmp_path / "sig").write_bytes(base64.b64decode(checkpoint.signature["value"]))
    checked = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "public.pem"), "-rawin",
         "-digest", "sm3", "-pkeyopt", "distid:1234567812345678", "-in", str(tmp_path / "payload"),
         "-sigfile", str(tmp_path / "sig")],
        check=False,
        capture_output=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
