"""Signed conformance statements: the integrator's SM2 signature, verified against a trust file (issue 20)."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from govparts.conformance import cli, read_statement, sign_statement, verify_statement
from govparts.core import signing
from govparts.core.demo import make_office
from govparts.core.errors import IntegrityViolation, InvalidInput

TARGET = "conformance_toy.service:make_service"
TOY = "conformance_toy.part:PART"
INTEGRATOR = make_office(3)
NAME = "新疆某信息技术有限公司"
KEY = signing.generate_key()
TRUST = signing.TrustList(
    (signing.TrustedKey(INTEGRATOR.credit_code, NAME, KEY.public_key, date(2026, 1, 1), date(2027, 12, 31)),)
)


def call(command: Any, *args: Any, **options: Any) -> tuple[int, str, str]:
    """Run a command function of the kit's cli; its exit code, output and errors."""
    out, err = io.StringIO(), io.StringIO()
    code = command(*args, out=out, err=err, **options)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    """The integrator's key pair in PEM files, and a trust file listing it (trust.json)."""
    signing.write_key_pair(KEY, tmp_path / "keys")
    (tmp_path / "trust.json").write_bytes(TRUST.to_json())
    return tmp_path


@pytest.fixture
def signed(keys: Path) -> Path:
    """A statement of the toy part's reference, run with --product and signed with --sign-key."""
    path = keys / "statement.json"
    code, _, err = call(
        cli.run_command,
        TOY,
        TARGET,
        product="某厂商人事系统 3.2",
        statement_file=path,
        sign_key=keys / "keys" / "private.pem",
        locale="en",
    )
    assert (code, err) == (0, "")
    return path


def verify(path: Path, trust: Path, *options: Any, **named: Any) -> tuple[int, str, str]:
    """``conformance verify`` of ``path`` against ``trust``."""
    return call(cli.verify_command, path, trust, *options, locale="en", **named)


def test_a_signed_statement_names_what_it_states_and_verifies(signed: Path) -> None:
    """Writes a signed statement naming kit version, spec hash, product and profile; verify exits 0."""
    data = json.loads(signed.read_text(encoding="utf-8"))
    assert data["product"] == "某厂商人事系统 3.2"
    assert data["profile"] == {
        "part": data["part"],
        "version": data["version"],
        "features": sorted(data["capabilities"]["features"]),
    }
    assert data["signature"]["key_id"] == KEY.key_id
    assert isinstance(data["seed"], int)
    code, out, err = verify(signed, signed.parent / "trust.json")
    assert (code, err) == (0, "")
    assert "Signature valid" in out
    for shown in (data["kit_version"], data["spec_hash"], "某厂商人事系统 3.2", NAME, INTEGRATOR.credit_code):
        assert shown in out
    code, out, _ = verify(signed, signed.parent / "trust.json", json_output=True)
    report = json.loads(out)
    assert (code, report["ok"], report["signed_by"]["key_id"]) == (0, True, KEY.key_id)
    assert report["spec_hash"] == data["spec_hash"]


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["requirements"][0].update(result="fail"),
        lambda d: d.update(conforms=False),
        lambda d: d.update(product="另一个产品"),
        lambda d: d["signature"].update(signed_at="2026-12-01T00:00:00Z"),
        lambda d: d.update(seed=d["seed"] + 1),
    ],
    ids=["a-result", "the-verdict", "the-product", "the-signing-time", "the-seed"],
)
def test_an_edited_statement_is_refused(signed: Path, edit: Any) -> None:
    """Exits 1 naming the signature when any member of a signed statement was edited."""
    data = json.loads(signed.read_text(encoding="utf-8"))
    edit(data)
    signed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = verify(signed, signed.parent / "trust.json")
    assert (code, out) == (1, "")
    assert "signature:" in err
    assert "edited after signing, or forged" in err


def test_a_statement_signed_by_an_unknown_key_is_refused(signed: Path, tmp_path: Path) -> None:
    """Exits 1 for a statement forged with a key the trust file does not list, and for an unsigned one."""
    data = json.loads(signed.read_text(encoding="utf-8"))
    del data["signature"]
    forger = signing.generate_key()
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(sign_statement(data, forger)), encoding="utf-8")
    code, out, err = verify(forged, signed.parent / "trust.json", json_output=True)
    assert code == 1
    assert json.loads(out)["problem"]["field"] == "signature"
    assert forger.key_id in err
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = verify(unsigned, signed.parent / "trust.json")
    assert code == 1
    assert "not signed" in err


def test_a_key_expired_when_it_signed_is_refused(signed: Path, tmp_path: Path) -> None:
    """Exits 1 when the trust file's key was not valid at the statement's signing time."""
    expired = signing.TrustList(
        (
            signing.TrustedKey(
                INTEGRATOR.credit_code, NAME, KEY.public_key, date(2025, 1, 1), date(2025, 12, 31)
            ),
        )
    )
    (tmp_path / "expired.json").write_bytes(expired.to_json())
    code, _, err = verify(signed, tmp_path / "expired.json")
    assert code == 1
    assert "is valid from 2025-01-01 to 2025-12-31" in err


def test_signing_times_must_follow_the_test_and_not_lie_ahead() -> None:
    """Refuses a statement signed before the test it states, or with a signing time in the future."""
    statement = {"format": "govparts-conformance-statement/1", "tested_at": "2026-06-01T00:00:00+00:00"}
    early = sign_statement(statement, KEY, signed_at=datetime(2026, 5, 1, tzinfo=UTC))
    with pytest.raises(IntegrityViolation, match="before the test"):
        verify_statement(early, TRUST)
    later = sign_statement(statement, KEY, signed_at=datetime(2026, 7, 1, tzinfo=UTC))
    with pytest.raises(IntegrityViolation, match="in the future"):
        verify_statement(later, TRUST, now=datetime(2026, 6, 2, tzinfo=UTC))
    assert verify_statement(later, TRUST).signer.credit_code == INTEGRATOR.credit_code


def test_sign_signs_a_statement_once(keys: Path) -> None:
    """Signs a statement file in place so that it verifies, and refuses to sign it again (exit 2)."""
    path = keys / "statement.json"
    assert call(cli.run_command, TOY, TARGET, statement_file=path, locale="en")[0] == 0
    assert "signature" not in read_statement(path)
    code, out, _ = call(cli.sign_command, path, keys / "keys" / "private.pem", locale="en")
    assert (code, out) == (0, f"Signed by: {KEY.key_id}\n")
    assert verify(path, keys / "trust.json")[0] == 0
    before = path.read_bytes()
    code, _, err = call(cli.sign_command, path, keys / "keys" / "private.pem", locale="en")
    assert code == 2
    assert "never replaced" in err
    assert path.read_bytes() == before


def test_a_statement_is_never_overwritten_and_a_signed_one_needs_a_file(keys: Path) -> None:
    """Refuses --sign-key without --statement, and a --statement file that exists (exit 2)."""
    code, _, err = call(cli.run_command, TOY, TARGET, sign_key=keys / "keys" / "private.pem", locale="en")
    assert code == 2
    assert "sign_key" in err
    path = keys / "statement.json"
    path.write_text("kept", encoding="utf-8")
    code, _, err = call(cli.run_command, TOY, TARGET, statement_file=path, locale="en")
    assert code == 2
    assert "never overwritten" in err
    assert path.read_text(encoding="utf-8") == "kept"


def test_a_file_that_is_no_statement_is_bad_input(keys: Path) -> None:
    """Exits 2 naming the file when what is to be verified is not a conformance statement."""
    (keys / "other.json").write_text('{"format": "govparts-trust/1"}', encoding="utf-8")
    code, _, err = verify(keys / "other.json", keys / "trust.json")
    assert code == 2
    assert "not a conformance statement" in err
    with pytest.raises(InvalidInput):
        sign_statement({"format": "x"}, KEY)


def test_the_refusal_speaks_uyghur(signed: Path) -> None:
    """Shows the refusal of an edited statement in Uyghur."""
    data = json.loads(signed.read_text(encoding="utf-8"))
    data["conforms"] = False
    signed.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = call(cli.verify_command, signed, signed.parent / "trust.json", locale="ug_CN")
    assert code == 1
    assert "ئىمزا" in err
    assert "edited" not in err


def test_the_typer_application_signs_and_verifies(keys: Path) -> None:
    """Runs, signs and verifies through the Typer application's run, sign and verify commands."""
    pytest.importorskip("typer", reason="the Typer application needs govparts-conformance[cli]")
    from typer.testing import CliRunner

    runner = CliRunner()
    path = keys / "statement.json"
    ran = runner.invoke(
        cli.app,
        ["run", "--part", TOY, "--target", TARGET, "--statement", str(path), "--product", "P 1.0"],
    )
    assert ran.exit_code == 0, ran.output
    signed = runner.invoke(cli.app, ["sign", str(path), "--key", str(keys / "keys" / "private.pem")])
    assert signed.exit_code == 0, signed.output
    checked = runner.invoke(cli.app, ["verify", str(path), "--trust", str(keys / "trust.json"), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["product"] == "P 1.0"
