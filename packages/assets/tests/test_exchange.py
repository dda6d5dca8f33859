"""Asset cards in exchange packages: byte-identical round trips, idempotent imports, conflicts as rejects."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.assets import tables as t
from govparts.assets.exchange import ADAPTERS
from govparts.assets.models import AssetCard
from govparts.assets.service import ReferenceService
from govparts.core import exchange
from govparts.core.db import create_engine, metadata
from govparts.core.money import Money
from govparts.core.parts import get_part
from govparts.core.refs import OrganizationRef, PersonRef
from govparts.core.security import Actor

ORG = "91350100M000100Y43"
OTHER_ORG = "91110000MB0000001N"
SENDER = OrganizationRef(credit_code=ORG, name="乌鲁木齐市天山区机关事务管理局")
FILE = f"{AssetCard.standard_id}.jsonl"
ALICE = PersonRef(person_id="P-0001", organization_credit_code=ORG, name="阿依古丽·艾力")


def _actor(role: str) -> Actor:
    return Actor(id=f"u-{role}", name="测试用户", roles=frozenset({role}))


REQUESTER, APPROVER, KEEPER, ACCOUNTANT = (
    _actor(r) for r in ("requester", "approver", "keeper", "accountant")
)
DEPARTMENT = _actor("department_approver")


@pytest.fixture
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A second empty database of this run's backend, with every table created."""
    if request.getfixturevalue("govparts_db_backend") == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        drop = None
    else:
        admin_url = request.getfixturevalue("postgres_admin_url")
        name = f"t_{uuid.uuid4().hex[:16]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        drop = (admin, name)
    engine = create_engine(url)
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        if drop is not None:
            admin, name = drop
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


def _acquire(service: ReferenceService, code: str, org: str = ORG, **changes: Any) -> AssetCard:
    card: dict[str, Any] = {
        "asset_code": code,
        "organization_credit_code": org,
        "category": "2010000",
        "name": "台式计算机",
        "original_value": "7200.00",
        "acquisition_date": "2024-03-01",
        "location": "301室",
    }
    card.update(changes)
    return service.request_acquisition(REQUESTER, org, card)


def _registered(service: ReferenceService, code: str, org: str = ORG, **changes: Any) -> AssetCard:
    made = _acquire(service, code, org, **changes)
    service.approve_acquisition(APPROVER, org, made.id)
    service.accept(KEEPER, org, made.id, acceptance_record=f"验收单 {code}")
    return service.register(ACCOUNTANT, org, made.id, date(2024, 3, 15))


def _office(service: ReferenceService) -> dict[str, AssetCard]:
    """Cards in every state that matters: in use, in stock, repaired, disposed, requested, units of work."""
    cards = {
        "pc": service.issue(KEEPER, ORG, _registered(service, "PC-1").id, ALICE),
        "software": _registered(service, "SW-1", category="ZZ01", name="档案管理软件", useful_life_months=36),
        "car": _registered(service, "CAR-1", category="2030000", name="公务用车", original_value="96000.00"),
        "gone": _registered(service, "PC-2"),
        "requested": _acquire(service, "PC-3"),
        "truck": _registered(
            service,
            "UW-1",
            category="2030000",
            name="货车",
            original_value="1000.00",
            depreciation_method="units_of_work",
            total_units=10,
        ),
        "elsewhere": _registered(service, "PC-9", org=OTHER_ORG),
    }
    service.issue(KEEPER, ORG, cards["car"].id, ALICE)
    service.capitalise_repair(ACCOUNTANT, ORG, cards["car"].id, Money.of("1500.00"), date(2024, 4, 2))
    service.request_disposal(KEEPER, ORG, cards["gone"].id, "scrapping", date(2024, 4, 10))
    service.approve_disposal(DEPARTMENT, ORG, cards["gone"].id)
    service.record_usage(KEEPER, ORG, cards["truck"].id, 2024, 3, 2)
    for month in (3, 4):
        service.run_depreciation(ACCOUNTANT, ORG, 2024, month)
    return cards


def _export(engine: Engine, target: Path) -> bytes:
    exchange.export_package(target, engine, part=get_part("assets"), sender=SENDER)
    if target.suffix == ".zip":
        with zipfile.ZipFile(target) as zf:
            return zf.read(FILE)
    return (target / FILE).read_bytes()


def test_round_trip_is_byte_identical(engine: Engine, empty_engine: Engine, tmp_path: Path) -> None:
    """Export → import into an empty database → export gives a byte-identical data file."""
    _office(ReferenceService(engine))
    first = _export(engine, tmp_path / "first.zip")
    lines = first.splitlines()
    assert len(lines) == 7
    numbers = [int(c.id) for c in map(AssetCard.model_validate_json, lines)]
    assert numbers == sorted(numbers)
    report = exchange.import_package(tmp_path / "first.zip", empty_engine)
    assert report.ok, report.to_dict()
    assert (report.files[0].inserted, report.files[0].unchanged) == (7, 0)
    assert _export(empty_engine, tmp_path / "second") == first
    assert ReferenceService(empty_engine).assets(ACCOUNTANT, ORG) == ReferenceService(engine).assets(
        ACCOUNTANT, ORG
    )


def test_reimport_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    """Importing a package into the database it came from counts every card as unchanged."""
    service = ReferenceService(engine)
    _office(service)
    before = service.assets(ACCOUNTANT, ORG)
    _export(engine, tmp_path / "out")
    report = exchange.import_package(tmp_path / "out", engine)
    assert report.ok, report.to_dict()
    assert (report.files[0].inserted, report.files[0].unchanged, report.files[0].rejected) == (0, 7, 0)
    assert service.assets(ACCOUNTANT, ORG) == before


def test_imported_cards_go_on_depreciating(engine: Engine, empty_engine: Engine, tmp_path: Path) -> None:
    """Charges imported straight-line cards at original value as the source does; new cards get new ids."""
    source = ReferenceService(engine)
    cards = _office(source)
    _export(engine, tmp_path / "out")
    exchange.import_package(tmp_path / "out", empty_engine)
    target = ReferenceService(empty_engine)
    assert target.schedule(ACCOUNTANT, ORG, cards["pc"].id) == source.schedule(
        ACCOUNTANT, ORG, cards["pc"].id
    )
    assert target.schedule(ACCOUNTANT, ORG, cards["software"].id) == source.schedule(
        ACCOUNTANT, ORG, cards["software"].id
    )
    may = target.run_depreciation(ACCOUNTANT, ORG, 2024, 5)
    source.run_depreciation(ACCOUNTANT, ORG, 2024, 5)
    expected = [source.charged(ACCOUNTANT, ORG, cards[k].id)[-1] for k in ("pc", "software")]
    assert [target.charged(ACCOUNTANT, ORG, cards[k].id) for k in ("pc", "software")] == [
        [row] for row in expected
    ]
    assert may.total == Money.total(row.amount for row in expected)
    assert target.charged(ACCOUNTANT, ORG, cards["car"].id) == []  # repaired: its history is not on the card
    assert target.charged(ACCOUNTANT, ORG, cards["gone"].id) == []
    fresh = _acquire(target, "PC-NEW")
    assert int(fresh.id) > max(int(c.id) for c in cards.values())


def test_a_conflicting_card_is_rejected_and_nothing_written(
    engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    """Rejects a card stored under its key with other values, naming the field; writes nothing at all."""
    cards = _office(ReferenceService(engine))
    exported = [AssetCard.model_validate_json(x) for x in _export(engine, tmp_path / "out").splitlines()]
    line = 1 + [c.asset_code for c in exported].index("PC-1")
    local = _acquire(ReferenceService(empty_engine), "PC-1", name="笔记本电脑")
    assert local.id == cards["pc"].id  # the same number, and the same key with another name
    report = exchange.import_package(tmp_path / "out", empty_engine)
    assert not report.written
    assert [(e.line, [x.field for x in e.errors]) for e in report.errors] == [(line, ["name"])]
    with empty_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.ASSET)).scalar() == 1
    kept = exchange.import_package(tmp_path / "out", empty_engine, keep_valid=True)
    assert kept.written
    assert (kept.files[0].inserted, kept.files[0].rejected) == (6, 1)
    assert kept.reject_file is not None
    assert b'"field":"name"' in Path(kept.reject_file).read_bytes()
    assert ReferenceService(empty_engine).get(ACCOUNTANT, ORG, "1").name == "笔记本电脑"


def test_a_taken_or_foreign_card_number_is_rejected(engine: Engine, empty_engine: Engine) -> None:
    """Rejects a card whose number belongs to another card, or is not a number of this implementation."""
    pc = _registered(ReferenceService(engine), "PC-1")
    _acquire(ReferenceService(empty_engine), "OTHER-1")
    card = ReferenceService(engine).get(ACCOUNTANT, ORG, pc.id)
    records = [
        card,
        card.model_copy(update={"id": "A-7", "asset_code": "PC-7"}),
        card.model_copy(update={"id": "007", "asset_code": "PC-8"}),
    ]
    with empty_engine.begin() as conn:
        report = ADAPTERS[0].import_records(conn, records, keep_valid=True)
    assert report.inserted == 0
    assert {i: [e.field for e in errors] for i, errors in report.rejected.items()} == {
        0: ["id"],
        1: ["id"],
        2: ["id"],
    }
    assert "OTHER-1" in report.rejected[0][0].message("en")


def test_round_trip_from_sqlite_is_byte_identical_on_the_run_backend(engine: Engine, tmp_path: Path) -> None:
    """Cards exported from SQLite and imported into this run's backend export to the same bytes."""
    source = create_engine(f"sqlite:///{tmp_path / 'source.db'}")
    try:
        metadata.create_all(source)
        _office(ReferenceService(source))
        first = _export(source, tmp_path / "first")
    finally:
        source.dispose()
    assert exchange.import_package(tmp_path / "first", engine).written
    assert _export(engine, tmp_path / "second") == first


def _with_extra_lines(folder: Path, extra: list[bytes]) -> bytes:
    """Append ``extra`` to the package's card file and fix the manifest's count and digests (issue 15.1)."""
    data = (folder / FILE).read_bytes() + b"".join(extra)
    (folder / FILE).write_bytes(data)
    digests = exchange.Digests()
    digests.update(data)
    manifest = exchange.read_manifest(folder)
    entry = manifest.files[0].model_copy(
        update={"records": digests.lines, "sha256": digests.sha256, "sm3": digests.sm3}
    )
    (folder / exchange.MANIFEST_NAME).write_bytes(manifest.model_copy(update={"files": (entry,)}).to_bytes())
    return data


def test_a_key_twice_in_one_package_is_a_rejected_line(
    engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    """Rejects the second line of a card key in one package, naming the key; the first card stays intact."""
    cards = _office(ReferenceService(engine))
    first = _export(engine, tmp_path / "out").splitlines(keepends=True)[0]
    original = AssetCard.model_validate_json(first)
    assert original.id == cards["pc"].id
    twin = original.model_copy(
        update={
            "original_value": Money.of("9999.00"),
            "book_value": Money.of("9999.00"),
            "useful_life_months": 120,
        }
    )
    data = _with_extra_lines(tmp_path / "out", [exchange.canonical_line(twin.model_dump(mode="json"))])
    lines = len(data.splitlines())
    refused = exchange.import_package(tmp_path / "out", empty_engine)
    assert not refused.written
    assert [(e.line, [x.field for x in e.errors]) for e in refused.errors] == [(lines, ["asset_code"])]
    message = refused.errors[0].errors[0].message("en")
    assert f"{ORG}/PC-1" in message
    assert "more than once" in message
    with empty_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.ASSET)).scalar() == 0

    kept = exchange.import_package(tmp_path / "out", empty_engine, keep_valid=True)
    report = kept.files[0]
    assert (report.records, report.valid, report.inserted, report.unchanged, report.rejected) == (
        lines,
        lines - 1,
        lines - 1,
        0,
        1,
    )
    assert report.valid == report.inserted + report.unchanged
    target = ReferenceService(empty_engine)
    assert target.get(ACCOUNTANT, ORG, original.id) == ReferenceService(engine).get(
        ACCOUNTANT, ORG, original.id
    )
    assert target.schedule(ACCOUNTANT, ORG, original.id) == ReferenceService(engine).schedule(
        ACCOUNTANT, ORG, original.id
    )
    with empty_engine.connect() as conn:
        history = conn.execute(
            sa.select(sa.func.count()).select_from(t.HISTORY).where(t.HISTORY.c.asset_id == int(original.id))
        ).scalar()
    assert history == 1
    may = target.run_depreciation(ACCOUNTANT, ORG, 2024, 5)
    assert may.total > Money.zero()
    assert target.charged(ACCOUNTANT, ORG, original.id) == [target.schedule(ACCOUNTANT, ORG, original.id)[2]]


def test_a_key_twice_across_batches_is_a_rejected_line(
    engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    """Rejects a repeated key even when its lines fall in different import batches, alike or not."""
    _office(ReferenceService(engine))
    first = _export(engine, tmp_path / "out").splitlines(keepends=True)[0]
    data = _with_extra_lines(tmp_path / "out", [first])
    lines = len(data.splitlines())
    report = exchange.import_package(tmp_path / "out", empty_engine, keep_valid=True, batch_size=2)
    assert [(e.line, [x.field for x in e.errors]) for e in report.errors] == [(lines, ["asset_code"])]
    counts = report.files[0]
    assert (counts.valid, counts.inserted, counts.unchanged, counts.rejected) == (lines - 1, lines - 1, 0, 1)


def test_a_key_twice_in_one_batch_is_rejected_by_the_adapter(engine: Engine, empty_engine: Engine) -> None:
    """The adapter rejects every later record of a key it was given twice, and inserts the first only."""
    pc = _registered(ReferenceService(engine), "PC-1")
    card = ReferenceService(engine).get(ACCOUNTANT, ORG, pc.id)
    records = [card, card.model_copy(update={"useful_life_months": 120}), card]
    with empty_engine.begin() as conn:
        report = ADAPTERS[0].import_records(conn, records, keep_valid=True)
    assert (report.inserted, report.unchanged) == (1, 0)
    assert {i: [e.field for e in errors] for i, errors in report.rejected.items()} == {
        1: ["asset_code"],
        2: ["asset_code"],
    }
    assert ReferenceService(empty_engine).schedule(ACCOUNTANT, ORG, pc.id) == ReferenceService(
        engine
    ).schedule(ACCOUNTANT, ORG, pc.id)
