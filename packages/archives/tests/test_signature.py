"""Issued documents signed with SM2 (issue 20): canonical content, checks after filing and in packages."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import bagit
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.archives import signature
from govparts.archives.models import Document
from govparts.archives.service import ReferenceService
from govparts.archives.tables import DocumentRow
from govparts.core.errors import ConfigurationError, IntegrityViolation, InvalidInput
from govparts.core.security import Actor
from govparts.core.signing import SM2PrivateKey, generate_key, verify_bytes

from .conftest import take_step

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""
OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command (OpenSSL 3)")
ABC_SM3 = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
"""SM3("abc"), the first worked example of GB/T 32905-2016 Annex A."""


@pytest.fixture(scope="module")
def key() -> SM2PrivateKey:
    """The synthetic organisation's signing key."""
    return generate_key()


@pytest.fixture
def signing(engine: Engine, key: SM2PrivateKey) -> ReferenceService:
    """The reference service holding a signer for :data:`ORG`."""
    return ReferenceService(engine, signers={ORG: key})


@pytest.fixture
def issue_with(staff: dict[str, Actor], make_draft: Callable[..., Any]) -> Callable[..., Document]:
    """Take a new draft all the way to issued on the given service."""

    def run(service: ReferenceService, **changes: object) -> Document:
        return _issue(service, staff, make_draft(**changes))

    return run


def _issue(service: ReferenceService, staff: dict[str, Actor], draft: Any) -> Document:
    doc = service.draft_outgoing(staff["drafter"], ORG, draft)
    for role, transition, inputs in (
        ("drafter", "submit", None),
        ("reviewer", "approve_review", None),
        ("signer", "sign_off", None),
        ("checker", "pass_check", None),
        ("registrar", "register_and_number", None),
        ("printer", "print", {"copies": 5}),
        ("issuer", "issue", None),
    ):
        doc = take_step(service, staff[role], doc.id, transition, inputs)
    return doc


def _openssl_verify(folder: Path, content: Path) -> subprocess.CompletedProcess[bytes]:
    assert OPENSSL is not None
    command = [OPENSSL, "pkeyutl", "-verify", "-rawin", "-digest", "sm3"]
    command += ["-pkeyopt", "distid:1234567812345678", "-pubin", "-inkey", str(folder / "signer.pem")]
    command += ["-in", str(content), "-sigfile", str(folder / "document.sig")]
    return subprocess.run(command, capture_output=True, check=False, timeout=60)


def test_canonical_content_is_sorted_compact_utf8_json() -> None:
    """Writes the documented byte form: sorted keys, no spaces, characters as themselves, body as SM3."""
    content = signature.canonical_content(
        document_number="新政发〔2003〕17号",
        title="关于做好值班工作的通知",
        issuing_organ="新疆维吾尔自治区人民政府",
        written_on=date(2003, 5, 1),
        body="abc",
    )
    expected = (
        '{"body_sm3":"' + ABC_SM3 + '","date":"2003-05-01","document_number":"新政发〔2003〕17号",'
        '"format":"govparts.archives.signed-content/1","issuing_organ":"新疆维吾尔自治区人民政府",'
        '"title":"关于做好值班工作的通知"}'
    )
    assert content == expected.encode("utf-8")
    assert signature.parse_content(content)["body_sm3"] == ABC_SM3


def test_issue_signs_with_the_organisations_key(
    issue_with: Callable[..., Document], signing: ReferenceService, key: SM2PrivateKey
) -> None:
    """Signs the canonical content at issue with the organisation's key; the signature verifies."""
    doc = issue_with(signing)
    assert doc.state == "issued"
    assert doc.signature is not None
    assert doc.signature.key_id == key.key_id
    assert doc.signature.signed_by == "i-1"
    value = base64.b64decode(doc.signature.value)
    assert verify_bytes(key.public_key, signature.content_of(doc), value)
    assert signature.verify_document(doc)


def test_documents_of_an_organisation_without_a_signer_are_unsigned(
    issue_with: Callable[..., Document], service: ReferenceService
) -> None:
    """Leaves a document unsigned when the service holds no signer for its organisation."""
    doc = issue_with(service)
    assert doc.signature is None
    assert not signature.verify_document(doc)


def test_a_signer_without_its_public_key_is_refused(engine: Engine, key: SM2PrivateKey) -> None:
    """Refuses a signer that does not expose the public key its signatures are checked with."""

    class Opaque:
        algorithm = "sm2-sm3"
        key_id = key.key_id

        def sign(self, data: bytes, *, distid: bytes | str = b"1234567812345678") -> bytes:
            return key.sign(data, distid=distid)

    with pytest.raises(ConfigurationError) as caught:
        ReferenceService(engine, signers={ORG: Opaque()})
    assert caught.value.field == "signers"


def test_the_signature_verifies_after_filing(
    issue_with: Callable[..., Document], signing: ReferenceService, staff: dict[str, Actor]
) -> None:
    """Keeps the signature with the document when it is filed, and it still verifies."""
    doc = issue_with(signing)
    signing.file_document(staff["archivist"], ORG, doc.id)
    filed = signing.get_document(staff["reviewer"], ORG, doc.id)
    assert filed.state == "filed"
    assert filed.signature == doc.signature
    assert signature.verify_document(filed)


def test_a_changed_title_or_body_fails_verification(
    issue_with: Callable[..., Document], signing: ReferenceService
) -> None:
    """Fails verification when the title, the body, the number or the date changed after signing."""
    doc = issue_with(signing)
    assert signature.verify_document(doc)
    for change in (
        {"title": doc.title + "（修订）"},
        {"body": doc.body + "。"},
        {"document_number": "新政办发〔2026〕99号"},
        {"written_on": date(2026, 1, 21)},
    ):
        assert not signature.verify_document(doc.model_copy(update=change)), change


def test_a_title_changed_in_the_database_is_recorded_as_failing_in_the_package(
    issue_with: Callable[..., Document],
    signing: ReferenceService,
    staff: dict[str, Actor],
    engine: Engine,
    tmp_path: Path,
) -> None:
    """Records a failed verification in the package of a document whose title was changed in the database."""
    doc = issue_with(signing)
    item = signing.file_document(staff["archivist"], ORG, doc.id)
    with engine.begin() as conn:
        conn.execute(sa.update(DocumentRow).where(DocumentRow.id == doc.id).values(title="篡改后的标题"))
    assert not signature.verify_document(signing.get_document(staff["reviewer"], ORG, doc.id))
    bag = signing.export_package(staff["archivist"], ORG, [item.id], tmp_path / "bag")
    folder = item.archival_code.replace("·", ".")
    metadata = json.loads((bag / "data" / folder / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["电子签名"]["验证结果"]["verified"] is False
    assert bagit.Bag(str(bag)).info["Signature-Verification"].startswith("0 of 1 ")
    with pytest.raises(IntegrityViolation):
        signing.import_package(staff["archivist"], ORG, bag)


@needs_openssl
def test_the_package_verifies_from_its_own_files(
    issue_with: Callable[..., Document],
    signing: ReferenceService,
    staff: dict[str, Actor],
    key: SM2PrivateKey,
    tmp_path: Path,
) -> None:
    """Verifies the signature from the bag's files alone, with govparts and with openssl pkeyutl."""
    doc = issue_with(signing, body="各单位：请按附表安排值班。")
    item = signing.file_document(staff["archivist"], ORG, doc.id)
    bag = signing.export_package(staff["archivist"], ORG, [item.id], tmp_path / "bag")
    bagit.Bag(str(bag)).validate()
    assert (bag / "bagit.txt").read_text(encoding="utf-8").startswith("BagIt-Version: 1.0\n")
    info = bagit.Bag(str(bag)).info
    assert info["Signature-Key-Id"] == key.key_id
    assert info["Signature-Verification"].startswith("1 of 1 signatures verified")

    folder = item.archival_code.replace("·", ".")
    files = bag / "signatures" / folder
    content = (files / "canonical.json").read_bytes()
    fields = signature.parse_content(content)
    metadata = json.loads((bag / "data" / folder / "metadata.json").read_text(encoding="utf-8"))
    body = (bag / "data" / folder / "body-text.txt").read_bytes()
    assert fields["body_sm3"] == hashlib.new("sm3", body).hexdigest()
    assert (fields["title"], fields["document_number"]) == (doc.title, doc.document_number)
    assert fields["title"] == metadata["内容描述"]["题名"]
    assert metadata["电子签名"]["证书引证"] == key.key_id
    assert json.loads((files / "verification.json").read_text(encoding="utf-8"))["verified"] is True
    assert signature.verify_content(
        content, (files / "document.sig").read_bytes(), (files / "signer.pem").read_bytes()
    )
    checked = _openssl_verify(files, files / "canonical.json")
    assert checked.returncode == 0, checked.stderr

    forged = tmp_path / "forged.json"
    forged.write_bytes(content.replace(doc.title.encode(), "关于取消值班的通知".encode()))
    assert _openssl_verify(files, forged).returncode != 0
    assert not signature.verify_content(
        forged.read_bytes(), (files / "document.sig").read_bytes(), (files / "signer.pem").read_bytes()
    )
    receipt = signing.import_package(staff["archivist"], ORG, bag)
    assert receipt.signed_items == [item.archival_code]


def test_import_refuses_a_package_whose_signed_content_was_forged(
    issue_with: Callable[..., Document], signing: ReferenceService, staff: dict[str, Actor], tmp_path: Path
) -> None:
    """Refuses a bag whose canonical content and metadata were edited and every manifest recomputed."""
    doc = issue_with(signing)
    item = signing.file_document(staff["archivist"], ORG, doc.id)
    bag = signing.export_package(staff["archivist"], ORG, [item.id], tmp_path / "bag")
    folder = item.archival_code.replace("·", ".")
    canonical = bag / "signatures" / folder / "canonical.json"
    canonical.write_bytes(canonical.read_bytes().replace(doc.title.encode(), "关于取消值班的通知".encode()))
    metadata_path = bag / "data" / folder / "metadata.json"
    metadata_path.write_text(
        metadata_path.read_text(encoding="utf-8").replace(doc.title, "关于取消值班的通知"), encoding="utf-8"
    )
    forged = bagit.Bag(str(bag))
    forged.save(manifests=True)  # what a forger does: every digest recomputed (SM3 manifest aside)
    (bag / "manifest-sm3.txt").unlink(missing_ok=True)
    bagit.Bag(str(bag)).save()
    bagit.Bag(str(bag)).validate()
    with pytest.raises(IntegrityViolation) as caught:
        signing.import_package(staff["archivist"], ORG, bag)
    assert "does not verify" in caught.value.message("en")


def test_a_package_is_written_whole_or_not_at_all(
    issue_with: Callable[..., Document],
    signing: ReferenceService,
    staff: dict[str, Actor],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Refuses an existing target untouched, and leaves nothing behind when writing fails half-way."""
    doc = issue_with(signing)
    item = signing.file_document(staff["archivist"], ORG, doc.id)
    out = tmp_path / "out"
    existing = out / "existing"
    existing.mkdir(parents=True)
    (existing / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        signing.export_package(staff["archivist"], ORG, [item.id], existing)
    assert caught.value.field == "directory"
    assert [p.name for p in existing.iterdir()] == ["keep.txt"]

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(bagit, "make_bag", broken)
    with pytest.raises(OSError, match="disk full"):
        signing.export_package(staff["archivist"], ORG, [item.id], out / "bag")
    assert sorted(p.name for p in out.iterdir()) == ["existing"]
