"""BagIt packages: valid for bagit, SM3 manifest covered by the tag manifest, tampering refused."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import bagit
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from govparts.archives.models import Document
from govparts.archives.service import ReferenceService
from govparts.archives.tables import PackageReceiptRow
from govparts.core.audit import hash_algorithm
from govparts.core.errors import IntegrityViolation, PermissionDenied
from govparts.core.security import Actor

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""


@pytest.fixture
def bag(
    service: ReferenceService, issue: Callable[..., Document], staff: dict[str, Actor], tmp_path: Path
) -> Path:
    """A bag of two filed items with body and attachment files."""
    ids = []
    for title in ("关于做好档案移交工作的通知", "关于年度立卷归档的通知"):
        files = (
            ("正文.txt", f"{title}（正文）".encode(), "body"),
            ("附件1.txt", "移交清单".encode(), "attachment"),
        )
        issued = issue(files=files, title=title)
        ids.append(service.file_document(staff["archivist"], ORG, issued.id).id)
    return service.export_package(staff["archivist"], ORG, ids, tmp_path / "bag")


def test_exports_a_bag_the_bagit_library_validates(bag: Path) -> None:
    """Writes a bag that bagit validates, with metadata for each item."""
    checked = bagit.Bag(str(bag))
    checked.validate()
    metadata = sorted(p.relative_to(bag).as_posix() for p in bag.rglob("metadata.json"))
    assert metadata == [
        "data/X001-WS.2026-D30-BGS-0001/metadata.json",
        "data/X001-WS.2026-D30-BGS-0002/metadata.json",
    ]
    assert len(list(checked.payload_files())) == 6
    assert "X001-WS·2026-D30-BGS-0001" in checked.info["External-Identifier"]


def test_writes_an_sm3_manifest_covered_by_the_tag_manifest(bag: Path) -> None:
    """Lists every payload file with its SM3 digest, and the tag manifest covers that list."""
    if hash_algorithm() != "sm3":
        pytest.skip("this platform's OpenSSL has no SM3")
    lines = (bag / "manifest-sm3.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len((bag / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines())
    for line in lines:
        digest, relative = line.split("  ", 1)
        assert hashlib.new("sm3", (bag / relative).read_bytes()).hexdigest() == digest
    assert "manifest-sm3.txt" in (bag / "tagmanifest-sha256.txt").read_text(encoding="utf-8")


def test_imports_a_sound_bag(
    service: ReferenceService, bag: Path, staff: dict[str, Actor], engine: Engine
) -> None:
    """Accepts a sound bag and records the receipt."""
    receipt = service.import_package(staff["archivist"], ORG, bag)
    assert receipt.archival_codes == ["X001-WS·2026-D30-BGS-0001", "X001-WS·2026-D30-BGS-0002"]
    assert "sha256" in receipt.algorithms
    assert receipt.files == 6
    with Session(engine) as session:
        assert len(session.execute(select(PackageReceiptRow)).scalars().all()) == 1


def test_refuses_a_forged_sm3_manifest(
    service: ReferenceService, bag: Path, staff: dict[str, Actor], engine: Engine
) -> None:
    """Refuses a bag whose SM3 manifest was forged, even when bagit's own check is then repaired."""
    if hash_algorithm() != "sm3":
        pytest.skip("this platform's OpenSSL has no SM3")
    manifest = bag / "manifest-sm3.txt"
    first, *rest = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text("\n".join(["0" * 64 + first[64:], *rest]) + "\n", encoding="utf-8")
    bagit.Bag(str(bag)).save(manifests=True)
    with pytest.raises(IntegrityViolation) as caught:
        service.import_package(staff["archivist"], ORG, bag)
    assert caught.value.field == "package"
    assert "SM3" in caught.value.message("en")
    with Session(engine) as session:
        assert session.execute(select(PackageReceiptRow)).scalars().all() == []


def test_refuses_a_changed_file_and_an_outsider(
    service: ReferenceService, bag: Path, staff: dict[str, Actor]
) -> None:
    """Refuses a bag with a changed payload file, and an importer who is not an archivist."""
    with pytest.raises(PermissionDenied):
        service.import_package(staff["drafter"], ORG, bag)
    target = next(bag.rglob("body-*"))
    target.write_bytes(target.read_bytes() + b" ")
    with pytest.raises(IntegrityViolation) as caught:
        service.import_package(staff["archivist"], ORG, bag)
    assert "not a valid BagIt bag" in caught.value.message("en")
