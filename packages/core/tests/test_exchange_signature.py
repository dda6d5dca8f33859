"""Signed exchange packages: SM2 over manifest.json, checked against a trust file before any record."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit, exchange, parts, signing
from govparts.core.demo import make_office
from govparts.core.errors import InvalidInput
from govparts.core.exchange import sample
from govparts.core.refs import OrganizationRef

SENDER = OrganizationRef(credit_code="11650102MB00000013", name="乌鲁木齐市天山区人民政府办公室")
OTHER = make_office(2, "institution")
MODEL = sample.SampleEmployee.standard_id
FILE = f"{MODEL}.jsonl"
WHEN = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
KEY, OTHER_KEY, STRANGER_KEY = signing.generate_key(), signing.generate_key(), signing.generate_key()


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample part is the one installed part (through a patched entry point)."""
    entry = EntryPoint(
        name="exchange-sample", value="govparts.core.exchange.sample_part:PART", group=parts.ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        parts, "entry_points", lambda group: [entry] if group == parts.ENTRY_POINT_GROUP else []
    )


def trusted(key: signing.SM2PrivateKey, code: str, name: str, start: str, end: str) -> signing.TrustedKey:
    """A trust-file entry for ``key``."""
    return signing.TrustedKey(code, name, key.public_key, date.fromisoformat(start), date.fromisoformat(end))


TRUST = signing.TrustList(
    (
        trusted(KEY, SENDER.credit_code, SENDER.name, "2026-01-01", "2027-12-31"),
        trusted(OTHER_KEY, OTHER.credit_code, "喀什市疾控中心", "2026-01-01", "2027-12-31"),
    )
)


def manifest_of(data: bytes, *, sender: OrganizationRef = SENDER, when: datetime = WHEN) -> bytes:
    """The manifest bytes of a package holding ``data`` as its one data file."""
    digests = exchange.Digests()
    digests.update(data)
    entry = exchange.DataFile(
        path=FILE,
        model_id=MODEL,
        model_version="1.0",
        records=digests.lines,
        sha256=digests.sha256,
        sm3=digests.sm3,
    )
    return exchange.Manifest(sender=sender, created_at=when, files=(entry,)).to_bytes()


def members(package: Path) -> dict[str, bytes]:
    """Every file of a package (folder or zip) by name."""
    if package.suffix == ".zip":
        with zipfile.ZipFile(package) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    return {path.name: path.read_bytes() for path in package.iterdir()}


def write(package: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` as the package at ``package``, replacing what was there."""
    if package.suffix == ".zip":
        package.unlink(missing_ok=True)
        with zipfile.ZipFile(package, "w") as archive:
            for name, content in files.items():
                archive.writestr(name, content)
    else:
        package.mkdir(parents=True, exist_ok=True)
        for path in package.iterdir():
            path.unlink()
        for name, content in files.items():
            (package / name).write_bytes(content)
    return package


def package(tmp_path: Path, suffix: str, *, count: int = 4, **manifest: object) -> Path:
    """An unsigned package of ``count`` sample employees (folder, or zip when ``suffix`` is .zip)."""
    data = b"".join(exchange.canonical_line(r) for r in sample.make_employees(count))
    target = tmp_path / f"package{suffix}"
    return write(target, {FILE: data, exchange.MANIFEST_NAME: manifest_of(data, **manifest)})  # type: ignore[arg-type]


def stored(engine: Engine) -> int:
    """How many sample employees the database holds."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sample.ADAPTER.table)).scalar_one())


def refusal(package: Path, trust: signing.TrustList = TRUST) -> exchange.SignatureRefused:
    """The refusal of ``package``'s signature."""
    with pytest.raises(exchange.SignatureRefused) as caught:
        exchange.validate_package(package, trust=trust, require_signature=True)
    [problem] = caught.value.problems
    assert problem.field == exchange.SIGNATURE_NAME
    return caught.value


KINDS = pytest.mark.parametrize("suffix", ["", ".zip"], ids=["folder", "zip"])


@KINDS
def test_a_signed_export_verifies(engine: Engine, tmp_path: Path, suffix: str) -> None:
    """Exports a signed package whose signature names the sender's key and verifies against the trust file."""
    exchange.import_package(package(tmp_path, suffix, count=3), engine)
    out = tmp_path / f"signed{suffix}"
    exchange.export_package(out, engine, part=parts.get_part("exchange-sample"), sender=SENDER, signer=KEY)
    files = members(out)
    assert signing.verify_bytes(KEY.public_key, files[exchange.MANIFEST_NAME], files[exchange.SIGNATURE_NAME])
    info = json.loads(files[exchange.SIGNATURE_INFO_NAME])
    assert info == {
        "alg": "sm2-sm3",
        "distid": "1234567812345678",
        "format": exchange.SIGNATURE_FORMAT,
        "key_id": KEY.key_id,
    }
    report = exchange.validate_package(out, trust=TRUST, require_signature=True)
    assert report.ok
    assert report.signature is not None
    assert report.signature.signer is not None
    assert report.signature.signer.credit_code == SENDER.credit_code
    assert report.to_dict()["signature"]["signed_by"] == {
        "credit_code": SENDER.credit_code,
        "name": SENDER.name,
    }
    assert exchange.verify_package_signature(out, TRUST).key_id == KEY.key_id


@KINDS
def test_sign_package_signs_once(tmp_path: Path, suffix: str) -> None:
    """Signs a package made elsewhere, leaves its data as it was, and never replaces a signature."""
    target = package(tmp_path, suffix)
    before = members(target)
    exchange.sign_package(target, KEY)
    after = members(target)
    assert {name: after[name] for name in before} == before
    assert exchange.verify_package_signature(target, TRUST).signer == TRUST.keys[0]
    with pytest.raises(InvalidInput) as caught:
        exchange.sign_package(target, OTHER_KEY)
    assert "never replaced" in caught.value.message("en")
    assert members(target) == after


def test_sign_package_refuses_a_damaged_package(tmp_path: Path) -> None:
    """Refuses to sign a package whose data does not match its manifest, writing no signature."""
    target = package(tmp_path, "")
    (target / FILE).write_bytes(b"{}\n" + (target / FILE).read_bytes())
    with pytest.raises(exchange.InvalidPackage):
        exchange.sign_package(target, KEY)
    assert not (target / exchange.SIGNATURE_NAME).exists()


@KINDS
def test_an_unsigned_package_is_refused_only_when_a_signature_is_required(
    engine: Engine, tmp_path: Path, suffix: str
) -> None:
    """Refuses an unsigned package under require_signature, writing nothing; accepts it otherwise."""
    target = package(tmp_path, suffix)
    err = refusal(target)
    assert err.code == "signature-refused"
    assert "not signed" in err.message("en")
    with pytest.raises(exchange.SignatureRefused):
        exchange.import_package(target, engine, trust=TRUST, require_signature=True)
    assert stored(engine) == 0
    report = exchange.import_package(target, engine, trust=TRUST)
    assert report.written
    assert report.signature is None


def test_a_required_signature_needs_a_trust_file(tmp_path: Path) -> None:
    """Refuses require_signature without a trust file, naming the field trust."""
    with pytest.raises(InvalidInput) as caught:
        exchange.validate_package(package(tmp_path, ""), require_signature=True)
    assert caught.value.field == "trust"


@KINDS
def test_an_edited_data_line_is_refused(engine: Engine, tmp_path: Path, suffix: str) -> None:
    """Refuses a signed package whose data line was edited, with or without the digests recomputed."""
    target = package(tmp_path, suffix)
    exchange.sign_package(target, KEY)
    files = members(target)
    edited = files[FILE].replace(b"\xe5", b"\xe6", 1)
    assert edited != files[FILE]
    write(target, files | {FILE: edited})
    with pytest.raises(exchange.InvalidPackage) as digest:
        exchange.validate_package(target, trust=TRUST, require_signature=True)
    assert not isinstance(digest.value, exchange.SignatureRefused)
    assert "digest differs" in digest.value.message("en")
    write(target, files | {FILE: edited, exchange.MANIFEST_NAME: manifest_of(edited)})
    err = refusal(target)
    assert "edited after signing" in err.message("en")
    with pytest.raises(exchange.SignatureRefused):
        exchange.import_package(target, engine, trust=TRUST)
    assert stored(engine) == 0


@KINDS
def test_an_edited_manifest_is_refused(tmp_path: Path, suffix: str) -> None:
    """Refuses a signed package whose manifest was edited by one character (the sender's name)."""
    target = package(tmp_path, suffix)
    exchange.sign_package(target, KEY)
    files = members(target)
    manifest = files[exchange.MANIFEST_NAME].replace("天山区".encode(), "沙区".encode())
    write(target, files | {exchange.MANIFEST_NAME: manifest})
    assert "edited after signing" in refusal(target).message("en")


def test_a_signature_by_another_key_is_refused(tmp_path: Path) -> None:
    """Refuses a package signed by a key the trust file does not list, or by another agency's key."""
    target = package(tmp_path, "")
    exchange.sign_package(target, STRANGER_KEY)
    err = refusal(target)
    assert STRANGER_KEY.key_id in err.message("en")
    assert "does not list" in err.message("en")
    other = package(tmp_path / "other", "")
    exchange.sign_package(other, OTHER_KEY)
    assert f"names the sender '{SENDER.credit_code}'" in refusal(other).message("en")


def test_a_key_id_that_lies_is_refused(tmp_path: Path) -> None:
    """Refuses a signature whose manifest.sig.json names a trusted key that did not sign."""
    target = package(tmp_path, "")
    exchange.sign_package(target, STRANGER_KEY)
    info = json.loads((target / exchange.SIGNATURE_INFO_NAME).read_bytes())
    (target / exchange.SIGNATURE_INFO_NAME).write_bytes(json.dumps(info | {"key_id": KEY.key_id}).encode())
    assert "does not match" in refusal(target).message("en")


def test_a_signature_without_its_description_is_checked_against_the_senders_keys(tmp_path: Path) -> None:
    """Accepts a bare manifest.sig (as OpenSSL alone makes) by the sender's key; refuses another's."""
    target = package(tmp_path, "")
    manifest = (target / exchange.MANIFEST_NAME).read_bytes()
    (target / exchange.SIGNATURE_NAME).write_bytes(signing.sign_bytes(KEY, manifest))
    assert exchange.verify_package_signature(target, TRUST).signer == TRUST.keys[0]
    (target / exchange.SIGNATURE_NAME).write_bytes(signing.sign_bytes(OTHER_KEY, manifest))
    assert "does not match" in refusal(target).message("en")
    without_sender = signing.TrustList(TRUST.keys[1:])
    assert SENDER.credit_code in refusal(target, without_sender).message("en")


def test_a_garbled_signature_description_is_refused(tmp_path: Path) -> None:
    """Refuses a manifest.sig.json that is not one, or names another algorithm, naming the file."""
    target = package(tmp_path, "")
    exchange.sign_package(target, KEY)
    info_path = target / exchange.SIGNATURE_INFO_NAME
    info = json.loads(info_path.read_bytes())
    for garbled in (b"[", json.dumps(info | {"alg": "rsa-sha1"}).encode()):
        info_path.write_bytes(garbled)
        with pytest.raises(exchange.SignatureRefused) as caught:
            exchange.validate_package(target, trust=TRUST)
        assert caught.value.problems[0].field == exchange.SIGNATURE_INFO_NAME


def test_the_key_must_be_valid_when_the_package_was_made(tmp_path: Path) -> None:
    """Checks the key at the package's creation time: expired then is refused, expired since is not."""
    made_2026 = package(tmp_path / "a", "")
    exchange.sign_package(made_2026, KEY)
    expired = signing.TrustList((trusted(KEY, SENDER.credit_code, SENDER.name, "2025-01-01", "2025-12-31"),))
    assert "is valid from 2025-01-01 to 2025-12-31" in refusal(made_2026, expired).message("en")
    made_2025 = package(tmp_path / "b", "", when=datetime(2025, 6, 1, tzinfo=UTC))
    exchange.sign_package(made_2025, KEY)
    assert exchange.verify_package_signature(made_2025, expired).signer == expired.keys[0]


def test_a_package_made_in_the_future_is_refused(tmp_path: Path) -> None:
    """Refuses a signed package whose creation time lies ahead of the clock."""
    target = package(tmp_path, "", when=datetime(2027, 12, 1, tzinfo=UTC))
    exchange.sign_package(target, KEY)
    assert "in the future" in refusal(target).message("en")


def test_a_signed_import_names_the_key_in_the_audit_record(engine: Engine, tmp_path: Path) -> None:
    """Imports a signed package and records the signer's key id in the import's audit record."""
    target = package(tmp_path, ".zip")
    exchange.sign_package(target, KEY)
    report = exchange.import_package(target, engine, trust=TRUST, require_signature=True)
    assert report.written
    assert stored(engine) == 4
    with engine.connect() as conn:
        [record] = audit.history(conn, exchange.IMPORT_ENTITY, report.package_sha256)
    details = record.details if isinstance(record.details, dict) else json.loads(record.details)
    assert details["signed_by"] == KEY.key_id


def test_a_signature_is_not_a_data_file(tmp_path: Path) -> None:
    """Refuses a manifest that lists manifest.sig as one of its data files."""
    with pytest.raises(ValueError, match="its signature"):
        exchange.DataFile(
            path="manifest.sig", model_id=MODEL, model_version="1.0", records=0, sha256="0" * 64, sm3="0" * 64
        )
