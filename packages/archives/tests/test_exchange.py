"""The archival catalogue in the data exchange format: export, import, round trip, conflicts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.archives.exchange import ADAPTERS
from govparts.archives.models import Document
from govparts.archives.service import ReferenceService
from govparts.core import exchange
from govparts.core.db import create_engine, metadata
from govparts.core.parts import get_part
from govparts.core.refs import OrganizationRef
from govparts.core.security import Actor

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
SENDER = OrganizationRef(credit_code=ORG, name="乌鲁木齐市天山区档案馆")
FILE = "govparts.archives.CatalogueRecord.jsonl"


def _filed(service: ReferenceService, issue: Callable[..., Document], staff: dict[str, Actor]) -> None:
    for title, secrecy in (("关于做好春节期间值班工作的通知", None), ("关于防汛物资储备情况的通报", "MM")):
        classified = (
            {"secrecy": secrecy, "secrecy_period_years": 10, "copy_number": "000001"} if secrecy else {}
        )
        doc = issue(title=title, **classified)
        service.file_document(staff["archivist"], ORG, doc.id)


def _empty(tmp_path: Path) -> Engine:
    other = create_engine(f"sqlite:///{tmp_path / 'repository.db'}")
    metadata.create_all(other)
    return other


def test_part_publishes_the_catalogue_adapter() -> None:
    """``govparts exchange export --part archives`` finds the catalogue adapter by the descriptor."""
    (adapter,) = exchange.part_adapters(get_part("archives"))
    assert adapter.model_id == "govparts.archives.CatalogueRecord"
    assert adapter is ADAPTERS[0]


def test_round_trip_is_byte_identical_and_withholds_classified_titles(
    engine: Engine,
    service: ReferenceService,
    issue: Callable[..., Document],
    staff: dict[str, Actor],
    tmp_path: Path,
) -> None:
    """Export → import into an empty repository → export gives the same data file, byte for byte."""
    _filed(service, issue, staff)
    first = tmp_path / "first"
    exchange.export_package(first, engine, part=get_part("archives"), sender=SENDER)
    lines = [json.loads(line) for line in (first / FILE).read_text("utf-8").splitlines()]
    assert [r["archival_code"] for r in lines] == sorted(r["archival_code"] for r in lines)
    assert {r["title"] for r in lines if r["secrecy"]} == {""}
    assert {r["title"] for r in lines if not r["secrecy"]} == {"关于做好春节期间值班工作的通知"}
    assert all(r["date"] == "2026-01-20" and r["fonds"] == "X001" for r in lines)

    repository = _empty(tmp_path)
    report = exchange.import_package(first, repository, adapters={ADAPTERS[0].model_id: ADAPTERS[0]})
    assert report.ok
    assert report.written
    second = tmp_path / "second"
    exchange.export_package(second, repository, adapters=ADAPTERS, sender=SENDER)
    assert (first / FILE).read_bytes() == (second / FILE).read_bytes()

    again = exchange.import_package(first, repository, adapters={ADAPTERS[0].model_id: ADAPTERS[0]})
    assert (again.files[0].inserted, again.files[0].unchanged) == (0, 2)
    repository.dispose()


def test_a_record_contradicting_an_item_filed_here_is_rejected(
    engine: Engine,
    service: ReferenceService,
    issue: Callable[..., Document],
    staff: dict[str, Actor],
    tmp_path: Path,
) -> None:
    """Re-importing one's own catalogue changes nothing; a changed title is a conflict, nothing written."""
    _filed(service, issue, staff)
    package = tmp_path / "own"
    exchange.export_package(package, engine, part=get_part("archives"), sender=SENDER)
    known = {ADAPTERS[0].model_id: ADAPTERS[0]}
    same = exchange.import_package(package, engine, adapters=known)
    assert (same.files[0].inserted, same.files[0].unchanged) == (0, 2)

    records = [json.loads(line) for line in (package / FILE).read_text("utf-8").splitlines()]
    records[0]["title"] = "另一个题名"
    records.append({**records[1], "archival_code": "X001-WS·2025-D10-BGS-0009", "item_number": 9})
    changed = tmp_path / "changed"
    _rewrite(package, changed, records)
    report = exchange.import_package(changed, engine, adapters=known)
    assert not report.ok
    assert not report.written
    (error,) = report.errors
    assert error.line == 1
    assert error.errors[0].field == "title"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM archives_received_catalogue")).scalar_one() == 0


def _rewrite(source: Path, target: Path, records: list[dict[str, object]]) -> None:
    """A package like ``source`` holding ``records``, its manifest's count and digests recomputed."""
    data = b"".join(exchange.canonical_line(r) for r in records)
    digests = exchange.Digests()
    digests.update(data)
    (entry,) = exchange.read_manifest(source).files
    manifest = exchange.Manifest(
        sender=SENDER,
        created_at=exchange.read_manifest(source).created_at,
        files=(
            entry.model_copy(update={"records": digests.lines, "sha256": digests.sha256, "sm3": digests.sm3}),
        ),
    )
    target.mkdir()
    (target / FILE).write_bytes(data)
    (target / exchange.MANIFEST_NAME).write_bytes(manifest.to_bytes())


def test_a_key_twice_in_one_package_is_a_rejected_line(
    engine: Engine,
    service: ReferenceService,
    issue: Callable[..., Document],
    staff: dict[str, Actor],
    tmp_path: Path,
) -> None:
    """Rejects the second line of an (org, archival code) key naming it; the counts add up, nothing merged."""
    _filed(service, issue, staff)
    package = tmp_path / "own"
    exchange.export_package(package, engine, part=get_part("archives"), sender=SENDER)
    records = [json.loads(line) for line in (package / FILE).read_text("utf-8").splitlines()]
    assert {r["org"] for r in records} == {SENDER.credit_code}
    fresh = {**records[0], "archival_code": "X001-WS·2025-D10-BGS-0009", "item_number": 9}
    twice = [fresh, {**fresh, "title": "另一个题名"}]
    doubled = tmp_path / "doubled"
    _rewrite(package, doubled, twice)
    repository = _empty(tmp_path)
    adapter = ADAPTERS[0]
    with repository.begin() as connection:
        report = adapter.import_records(connection, [adapter.model(**r) for r in twice], keep_valid=True)
    assert (report.inserted, report.unchanged, sorted(report.rejected)) == (1, 0, [1])
    (error,) = report.rejected[1]
    assert error.field == "org/archival_code"
    assert "X001-WS·2025-D10-BGS-0009" in str(error)
    with repository.connect() as conn:
        titles = conn.execute(sa.text("SELECT title FROM archives_received_catalogue")).scalars().all()
    assert titles == [fresh["title"]]
    (tmp_path / "second").mkdir()
    second = _empty(tmp_path / "second")
    whole = exchange.import_package(doubled, second, adapters={adapter.model_id: adapter})
    assert not whole.ok
    second.dispose()
    repository.dispose()


def test_the_same_archival_code_in_two_organisations_is_two_records(tmp_path: Path) -> None:
    """Stores one archival code of two organisations as two records; a record without org is rejected."""
    repository = _empty(tmp_path)
    adapter = ADAPTERS[0]
    base = {
        "archival_code": "Z031-WS·2023-D30-BGS-0001",
        "fonds": "Z031",
        "category": "WS",
        "year": 2023,
        "retention": "D30",
        "organisation": "BGS",
        "item_number": 1,
        "responsible": "某机关",
        "title": "关于值班的通知",
    }
    records = [
        adapter.model(**base, org="11650102MB00000013"),
        adapter.model(**base, org="12653101MB0000002R"),
        adapter.model(**base),
    ]
    with repository.begin() as connection:
        report = adapter.import_records(connection, records, keep_valid=True)
    assert (report.inserted, report.unchanged, sorted(report.rejected)) == (2, 0, [2])
    assert report.rejected[2][0].field == "org"
    repository.dispose()
