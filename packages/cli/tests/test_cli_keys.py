"""``govparts keys generate``: an SM2 key pair in PEM files that OpenSSL reads (issue 20)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import Run

from govparts.core import signing

OPENSSL = shutil.which("openssl")


def govparts(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``govparts`` entry point (the console script beside this Python)."""
    command = Path(sys.executable).with_name("govparts")
    assert command.exists(), f"the govparts entry point is not installed at {command}"
    env = {**os.environ, "COLUMNS": "200", "GOVPARTS_LOCALE": "en"}
    return subprocess.run(
        [str(command), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_generate_writes_a_key_pair(tmp_path: Path) -> None:
    """Writes private.pem (owner-only) and public.pem into a new folder and reports the key id."""
    done = govparts("keys", "generate", "--out", str(tmp_path / "keys"), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    key = signing.read_private_key(tmp_path / "keys" / "private.pem")
    assert data["key_id"] == key.key_id == signing.read_public_key(tmp_path / "keys" / "public.pem").key_id
    assert data["algorithm"] == "sm2-sm3"
    assert os.stat(tmp_path / "keys" / "private.pem").st_mode & 0o777 == 0o600


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command (OpenSSL 3)")
def test_openssl_reads_the_keys_and_checks_a_signature(tmp_path: Path) -> None:
    """Has OpenSSL read both files as SM2 keys and verify a signature made with the private one."""
    assert OPENSSL is not None
    assert govparts("keys", "generate", "--out", str(tmp_path), cwd=tmp_path).returncode == 0
    private, public = tmp_path / "private.pem", tmp_path / "public.pem"
    text = subprocess.run(
        [OPENSSL, "pkey", "-in", str(private), "-noout", "-text"], check=False, capture_output=True, text=True
    )
    assert text.returncode == 0, text.stderr
    assert "ASN1 OID: SM2" in text.stdout
    pub = subprocess.run(
        [OPENSSL, "pkey", "-pubin", "-in", str(public), "-noout", "-text"], check=False, capture_output=True
    )
    assert pub.returncode == 0
    (tmp_path / "data").write_bytes(b"manifest")
    (tmp_path / "sig").write_bytes(signing.sign_bytes(signing.read_private_key(private), b"manifest"))
    checked = subprocess.run(
        [OPENSSL, "pkeyutl", "-verify", "-pubin", "-inkey", str(public), "-rawin", "-digest", "sm3",
         "-pkeyopt", "distid:1234567812345678", "-in", str(tmp_path / "data"),
         "-sigfile", str(tmp_path / "sig")],
        check=False,
        capture_output=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def test_generate_never_overwrites_a_key(run: Run, tmp_path: Path) -> None:
    """Refuses a folder that already holds a key (exit 2) and leaves the key as it was."""
    assert run("keys", "generate", "--out", str(tmp_path)).exit_code == 0
    before = (tmp_path / "private.pem").read_bytes()
    result, data = run.json("keys", "generate", "--out", str(tmp_path), "--locale", "en")
    assert result.exit_code == 2
    assert data["error"]["field"] == "out"
    assert "never overwritten" in data["error"]["message"]
    assert (tmp_path / "private.pem").read_bytes() == before


def test_generate_speaks_the_locale(run: Run, tmp_path: Path) -> None:
    """Shows the key pair table in Chinese."""
    result = run("keys", "generate", "--out", str(tmp_path), "--locale", "zh")
    assert result.exit_code == 0
    assert "密钥对" in result.stdout
