"""Signed exchange packages through the installed ``govparts`` command, OpenSSL both ways (issue 20)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_support import Run
from sqlalchemy.engine import Engine

from govparts.core import exchange, parts, signing
from govparts.core.demo import make_office
from govparts.core.exchange import sample
from govparts.core.refs import OrganizationRef

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command (OpenSSL 3)")
SENDER = OrganizationRef(credit_code="11650102MB00000013", name="乌鲁木齐市天山区人民政府办公室")
OTHER = make_office(2, "institution")
SENDER_OPTIONS = ("--sender", SENDER.credit_code, "--sender-name", SENDER.name)
FILE = f"{sample.SampleEmployee.standard_id}.jsonl"
DISTID = "distid:1234567812345678"


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample exchange part is the one installed part, in this process."""
    entry = EntryPoint(
        name="exchange-sample", value="govparts.core.exchange.sample_part:PART", group=parts.ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        parts, "entry_points", lambda group: [entry] if group == parts.ENTRY_POINT_GROUP else []
    )


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose distribution metadata installs the sample exchange part for a child process."""
    site = tmp_path_factory.mktemp("site")
    info = site / "govparts_exchange_sample-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: govparts-exchange-sample\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[govparts.parts]\nexchange-sample = govparts.core.exchange.sample_part:PART\n"
    )
    return site


def govparts(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``govparts`` entry point with the sample part installed."""
    command = Path(sys.executable).with_name("govparts")
    assert command.exists(), f"the govparts entry point is not installed at {command}"
    env = {**os.environ, "COLUMNS": "200", "GOVPARTS_LOCALE": "en", "PYTHONPATH": str(site)}
    env.pop("GOVPARTS_DB_URL", None)
    return subprocess.run(
        [str(command), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def openssl(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``openssl`` with ``args``."""
    assert OPENSSL is not None
    return subprocess.run([OPENSSL, *args], capture_output=True, check=False, timeout=60)


def manifest_of(data: bytes, sender: OrganizationRef = SENDER) -> bytes:
    """The manifest bytes of a package holding ``data`` as its one data file."""
    digests = exchange.Digests()
    digests.update(data)
    entry = exchange.DataFile(
        path=FILE,
        model_id=sample.SampleEmployee.standard_id,
        model_version="1.0",
        records=digests.lines,
        sha256=digests.sha256,
        sm3=digests.sm3,
    )
    created = datetime(2026, 11, 25, 8, tzinfo=UTC)
    return exchange.Manifest(sender=sender, created_at=created, files=(entry,)).to_bytes()


def unsigned_package(folder: Path, count: int = 5) -> Path:
    """An unsigned package folder of ``count`` sample employees."""
    folder.mkdir(parents=True)
    data = b"".join(exchange.canonical_line(r) for r in sample.make_employees(count))
    (folder / FILE).write_bytes(data)
    (folder / exchange.MANIFEST_NAME).write_bytes(manifest_of(data))
    return folder


def trust_file(path: Path, *entries: tuple[signing.SM2PublicKey, str, str]) -> Path:
    """A trust file listing (public key, credit code, name) entries, valid through 2026 and 2027."""
    keys = tuple(
        signing.TrustedKey(code, name, key, date(2026, 1, 1), date(2027, 12, 31))
        for key, code, name in entries
    )
    path.write_bytes(signing.TrustList(keys).to_json())
    return path


def openssl_sign(key: Path, package: Path) -> None:
    """Sign the package's manifest.json with OpenSSL alone, writing manifest.sig."""
    done = openssl(
        "pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-pkeyopt", DISTID, "-inkey", str(key),
        "-in", str(package / exchange.MANIFEST_NAME), "-out", str(package / exchange.SIGNATURE_NAME),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def stored(engine: Engine) -> int:
    """How many sample employees the database holds."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sample.ADAPTER.table)).scalar_one())


def refused(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    """The JSON of a refused signature: exit 1, the problem naming manifest.sig."""
    assert done.returncode == 1, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["code"] == "signature-refused"
    [problem] = data["problems"]
    assert problem["field"] == exchange.SIGNATURE_NAME
    return dict(problem)


@needs_openssl
def test_a_signed_export_verifies_with_openssl(
    sample_site: Path, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Exports with --sign-key a package whose manifest.sig OpenSSL verifies and validate accepts."""
    exchange.import_package(unsigned_package(tmp_path / "incoming"), engine)
    assert govparts(sample_site, "keys", "generate", "--out", "keys", cwd=tmp_path).returncode == 0
    done = govparts(
        sample_site, "exchange", "export", "--part", "exchange-sample", "--out", "out", "--url", db_url,
        *SENDER_OPTIONS, "--sign-key", "keys/private.pem", "--json", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    key = signing.read_public_key(tmp_path / "keys" / "public.pem")
    assert json.loads(done.stdout)["signed_by_key"] == key.key_id
    out = tmp_path / "out"
    checked = openssl(
        "pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pkeyopt", DISTID, "-pubin",
        "-inkey", str(tmp_path / "keys" / "public.pem"), "-in", str(out / exchange.MANIFEST_NAME),
        "-sigfile", str(out / exchange.SIGNATURE_NAME),
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert b"Signature Verified Successfully" in checked.stdout
    trust = trust_file(tmp_path / "trust.json", (key, SENDER.credit_code, SENDER.name))
    valid = govparts(
        sample_site, "exchange", "validate", "out", "--require-signature", "--trust", str(trust), "--json",
        cwd=tmp_path,
    )  # fmt: skip
    assert valid.returncode == 0, valid.stdout + valid.stderr
    report = json.loads(valid.stdout)
    assert report["records"] == 5
    assert report["signature"]["signed_by"] == {"credit_code": SENDER.credit_code, "name": SENDER.name}


@needs_openssl
@pytest.mark.parametrize("maker", ["openssl", "govparts"])
def test_a_package_signed_by_openssl_is_accepted(sample_site: Path, tmp_path: Path, maker: str) -> None:
    """Accepts a manifest.sig made by openssl pkeyutl, with a key from openssl genpkey or govparts."""
    private = tmp_path / "keys" / "private.pem"
    if maker == "openssl":
        private.parent.mkdir()
        assert openssl("genpkey", "-algorithm", "SM2", "-out", str(private)).returncode == 0
    else:
        assert govparts(sample_site, "keys", "generate", "--out", "keys", cwd=tmp_path).returncode == 0
    package = unsigned_package(tmp_path / "package")
    openssl_sign(private, package)
    key = signing.read_private_key(private).public_key
    trust = trust_file(tmp_path / "trust.json", (key, SENDER.credit_code, SENDER.name))
    done = govparts(
        sample_site, "exchange", "validate", "package", "--require-signature", "--trust", str(trust),
        "--json", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["signature"]["key_id"] == key.key_id


@needs_openssl
def test_tampered_unsigned_and_wrongly_signed_packages_are_refused(
    sample_site: Path, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Refuses, writing nothing, packages edited after signing, unsigned or signed by another key."""
    private = tmp_path / "private.pem"
    assert openssl("genpkey", "-algorithm", "SM2", "-out", str(private)).returncode == 0
    stranger = tmp_path / "stranger.pem"
    assert openssl("genpkey", "-algorithm", "SM2", "-out", str(stranger)).returncode == 0
    key = signing.read_private_key(private).public_key
    other = signing.read_private_key(stranger).public_key
    trust = str(trust_file(tmp_path / "trust.json", (key, SENDER.credit_code, SENDER.name)))

    def check(package: Path, *options: str) -> subprocess.CompletedProcess[str]:
        return govparts(
            sample_site, "exchange", "import", str(package), "--url", db_url, "--trust", trust, *options,
            "--json", cwd=tmp_path,
        )  # fmt: skip

    edited_line = unsigned_package(tmp_path / "edited-line")
    openssl_sign(private, edited_line)
    data = (edited_line / FILE).read_bytes().replace(b'"sex":"1"', b'"sex":"2"', 1)
    (edited_line / FILE).write_bytes(data)
    (edited_line / exchange.MANIFEST_NAME).write_bytes(manifest_of(data))
    assert "edited after signing" in str(refused(check(edited_line, "--require-signature"))["message"])

    edited_manifest = unsigned_package(tmp_path / "edited-manifest")
    openssl_sign(private, edited_manifest)
    manifest = (edited_manifest / exchange.MANIFEST_NAME).read_bytes()
    (edited_manifest / exchange.MANIFEST_NAME).write_bytes(manifest.replace(b"2026-11-25", b"2026-11-24"))
    assert "edited after signing" in str(refused(check(edited_manifest))["message"])

    unsigned = unsigned_package(tmp_path / "unsigned")
    assert "not signed" in str(refused(check(unsigned, "--require-signature"))["message"])

    wrong = unsigned_package(tmp_path / "wrong")
    openssl_sign(stranger, wrong)
    assert "does not match" in str(refused(check(wrong, "--require-signature"))["message"])
    # The stranger's key is another agency's, and the package says so in manifest.sig.json.
    info = {"alg": "sm2-sm3", "distid": "1234567812345678", "format": exchange.SIGNATURE_FORMAT}
    (wrong / exchange.SIGNATURE_INFO_NAME).write_text(json.dumps(info | {"key_id": other.key_id}))
    lists_stranger = trust_file(tmp_path / "other.json", (other, OTHER.credit_code, "喀什市疾控中心"))
    done = govparts(
        sample_site, "exchange", "validate", "wrong", "--trust", str(lists_stranger), "--json", cwd=tmp_path
    )
    assert f"'{SENDER.credit_code}'" in str(refused(done)["message"])
    assert stored(engine) == 0


def test_the_wrong_keys_signature_is_refused_in_uyghur(run: Run, tmp_path: Path) -> None:
    """Shows the refusal of a package signed by an unlisted key in Uyghur, exit 1."""
    package = unsigned_package(tmp_path / "package")
    exchange.sign_package(package, signing.generate_key())
    trust = trust_file(tmp_path / "trust.json", (signing.generate_key().public_key, SENDER.credit_code, "x"))
    result = run("exchange", "validate", str(package), "--trust", str(trust), "--locale", "ug_CN")
    assert result.exit_code == 1
    assert "manifest.sig" in result.stdout
    assert "ئىشەنچ ھۆججىتىدە يوق" in result.stdout


def test_a_required_signature_needs_a_trust_file(run: Run, tmp_path: Path) -> None:
    """Refuses --require-signature without --trust as bad input (exit 2) naming the field."""
    package = unsigned_package(tmp_path / "package")
    result, data = run.json("validate", str(package), "--require-signature", "--locale", "en")
    assert result.exit_code == 2
    assert data["error"]["field"] == "trust"


def test_exchange_sign_signs_a_package_once(run: Run, tmp_path: Path) -> None:
    """Signs an unsigned package with --key so that it validates, and refuses to sign it again."""
    package = unsigned_package(tmp_path / "package")
    key = signing.generate_key()
    signing.write_key_pair(key, tmp_path / "keys")
    first, data = run.json("exchange", "sign", str(package), "--key", str(tmp_path / "keys" / "private.pem"))
    assert first.exit_code == 0, first.output
    assert data["signed_by_key"] == key.key_id
    trust = trust_file(tmp_path / "trust.json", (key.public_key, SENDER.credit_code, SENDER.name))
    checked, report = run.json(
        "exchange", "validate", str(package), "--trust", str(trust), "--require-signature"
    )
    assert checked.exit_code == 0, checked.output
    assert report["signature"]["verified"] is True
    again, refused_again = run.json(
        "exchange", "sign", str(package), "--key", str(tmp_path / "keys" / "private.pem"), "--locale", "en"
    )
    assert again.exit_code == 2
    assert "never replaced" in refused_again["error"]["message"]
