"""Organisations, units, quotas and staff in the data exchange format: round trip, re-import, rejects."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit, events, exchange
from govparts.core.db import create_engine, metadata
from govparts.core.parts import get_part
from govparts.core.refs import OrganizationRef
from govparts.personnel.events import EMPLOYEE_HIRED
from govparts.personnel.exchange import ADAPTERS
from govparts.personnel.models import Organization, OrgUnit
from govparts.personnel.service import ReferenceService
from govparts.personnel.synthetic import make_people

from .conftest import CLERK, HEAD, ORG

pytestmark = pytest.mark.db

SENDER = OrganizationRef(credit_code=ORG, name="喀什市民政局")
KNOWN = {a.model_id: a for a in ADAPTERS}
ORGS, UNITS, QUOTAS, STAFF = (
    f"govparts.personnel.{name}.jsonl"
    for name in ("Organization", "OrgUnit", "EstablishmentQuota", "EmployeeRecord")
)
FILES = (ORGS, UNITS, QUOTAS, STAFF)
OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]
AUDIT: sa.Table = audit.AuditRecord.__table__  # type: ignore[attr-defined]


def _people(count: int, **kw: Any) -> list[dict[str, Any]]:
    return make_people(count, organization_credit_code=ORG, unit_codes=("BGS", "RSK"), **kw)


def _staffed(service: ReferenceService) -> list[dict[str, Any]]:
    """Five people imported (the fifth reporting to the first), then the fourth separated."""
    people = _people(5)
    people[4]["supervisor_no"] = people[0]["employee_no"]
    service.import_employees(CLERK, ORG, people)
    service.separate(HEAD, ORG, people[3]["employee_no"], "01", effective=date(2024, 6, 30))
    return people


def _empty(tmp_path: Path, name: str = "other.db") -> Engine:
    other = create_engine(f"sqlite:///{tmp_path / name}")
    metadata.create_all(other)
    return other


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _count(engine: Engine, table: str | sa.Table, *where: Any) -> int:
    source = sa.table(table) if isinstance(table, str) else table
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(source).where(*where)).scalar_one())


def _rewrite(source: Path, target: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    """A package like ``source`` with the data files named in ``files`` replaced, digests recomputed."""
    manifest = exchange.read_manifest(source)
    target.mkdir()
    entries = []
    for entry in manifest.files:
        records = files[entry.path] if entry.path in files else _lines(source / entry.path)
        data = b"".join(exchange.canonical_line(r) for r in records)
        digests = exchange.Digests()
        digests.update(data)
        (target / entry.path).write_bytes(data)
        entries.append(
            entry.model_copy(update={"records": digests.lines, "sha256": digests.sha256, "sm3": digests.sm3})
        )
    rebuilt = exchange.Manifest(sender=manifest.sender, created_at=manifest.created_at, files=tuple(entries))
    (target / exchange.MANIFEST_NAME).write_bytes(rebuilt.to_bytes())
    return target


def _hired(engine: Engine) -> list[tuple[str, str, str, Any]]:
    """The ``employee.hired`` events stored: (source, dataschema, subject, data), in outbox order."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(OUTBOX.c.source, OUTBOX.c.dataschema, OUTBOX.c.subject, OUTBOX.c.data)
            .where(OUTBOX.c.type == EMPLOYEE_HIRED.type)
            .order_by(OUTBOX.c.position)
        ).all()
    return [tuple(row) for row in rows]


def test_part_publishes_organisations_units_quotas_then_staff() -> None:
    """The descriptor names the four adapters in the order each file needs the ones before it."""
    assert [a.model_id for a in exchange.part_adapters(get_part("personnel"))] == [
        "govparts.personnel.Organization",
        "govparts.personnel.OrgUnit",
        "govparts.personnel.EstablishmentQuota",
        "govparts.personnel.EmployeeRecord",
    ]


def test_round_trip_is_byte_identical(engine: Engine, service: ReferenceService, tmp_path: Path) -> None:
    """Export → import into an empty database → export: the same four data files, byte for byte."""
    people = _staffed(service)
    service.add_unit(
        HEAD,
        ORG,
        OrgUnit(
            organization_credit_code=ORG, unit_code="DAS", name="档案室", effective_from=date(2021, 3, 1)
        ),
    )
    service.close_unit(HEAD, ORG, "DAS", effective=date(2024, 12, 31))
    first = tmp_path / "first"
    exchange.export_package(first, engine, part=get_part("personnel"), sender=SENDER)
    assert [o["credit_code"] for o in _lines(first / ORGS)] == [ORG]
    assert [(u["unit_code"], u["effective_to"]) for u in _lines(first / UNITS)] == [
        ("BGS", None),
        ("DAS", "2024-12-31"),
        ("RSK", None),
    ]
    assert _lines(first / QUOTAS) == [{"organization_credit_code": ORG, "establishment": "10", "quota": 5}]
    staff = _lines(first / STAFF)
    # The separated person is not staff any more; the others come by number, the supervisor kept.
    assert [s["employee_no"] for s in staff] == [p["employee_no"] for i, p in enumerate(people) if i != 3]
    assert staff[-1]["supervisor_no"] == people[0]["employee_no"]

    other = _empty(tmp_path)
    report = exchange.import_package(first, other, adapters=KNOWN)
    assert report.ok, [e.to_dict("en") for e in report.errors]
    assert report.written
    assert [(f.inserted, f.unchanged) for f in report.files] == [(1, 0), (3, 0), (1, 0), (4, 0)]
    second = tmp_path / "second"
    exchange.export_package(second, other, part=get_part("personnel"), sender=SENDER)
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    imported = ReferenceService(other)
    assert imported.employee(HEAD, ORG, people[4]["employee_no"]).state == "active"
    assert [(u.unit_code, u.effective_to) for u in imported.units(HEAD, ORG)] == [
        ("BGS", None),
        ("DAS", date(2024, 12, 31)),
        ("RSK", None),
    ]
    with other.connect() as conn:
        states = dict(conn.execute(sa.text("SELECT unit_code, state FROM personnel_org_unit")).all())
        # One audit record per batch and kind of record; the chain still verifies.
        batches = conn.execute(
            sa.select(AUDIT.c.entity, AUDIT.c.details).where(AUDIT.c.action == "import").order_by(AUDIT.c.seq)
        ).all()
    assert states == {"BGS": "active", "DAS": "closed", "RSK": "active"}
    assert [entity for entity, _ in batches] == ["organization", "org_unit", "quota", "employee_import"]
    assert batches[1][1]["keys"] == [f"{ORG}/BGS", f"{ORG}/DAS", f"{ORG}/RSK"]
    assert audit.verify(other).ok
    other.dispose()


def test_reimport_changes_nothing(engine: Engine, service: ReferenceService, tmp_path: Path) -> None:
    """Importing a package again, or into the database it came from, counts every record unchanged."""
    _staffed(service)
    package = tmp_path / "package.zip"
    exchange.export_package(package, engine, part=get_part("personnel"), sender=SENDER)
    other = _empty(tmp_path)
    exchange.import_package(package, other, adapters=KNOWN)
    for target in (other, engine):
        events_before, audit_before = _count(target, OUTBOX), _count(target, AUDIT)
        again = exchange.import_package(package, target, adapters=KNOWN)
        assert again.ok
        assert again.written
        assert [(f.inserted, f.unchanged, f.rejected) for f in again.files] == [
            (0, 1, 0),
            (0, 2, 0),
            (0, 1, 0),
            (0, 4, 0),
        ]
        assert (_count(target, OUTBOX), _count(target, AUDIT)) == (events_before, audit_before)
    other.dispose()


def test_a_conflicting_employee_is_rejected(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """A person stored with other content is a conflict naming the field; nothing is written unless kept."""
    people = _staffed(service)
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("personnel"), sender=SENDER)
    staff = _lines(package / STAFF)
    staff[1] = {**staff[1], "marital_status": "20" if staff[1]["marital_status"] == "10" else "10"}
    newcomer = json.loads(json.dumps(_people(1, start=50, seed=3)[0]))
    changed = _rewrite(package, tmp_path / "changed", {STAFF: [*staff, newcomer]})
    hired_before = len(_hired(engine))

    report = exchange.import_package(changed, engine, adapters=KNOWN)
    assert not report.written
    assert [(e.file, e.line, [x.field for x in e.errors]) for e in report.errors] == [
        (STAFF, 2, ["marital_status"])
    ]
    assert report.errors[0].errors[0].message("en") == (
        f"marital_status: '{ORG}/{people[1]['employee_no']}' is already stored with another marital_status "
        f"('{people[1]['marital_status']}')"
    )
    assert "已存储" in report.errors[0].errors[0].message("zh_Hans_CN")
    assert _count(engine, "personnel_employee", sa.column("employee_no") == newcomer["employee_no"]) == 0
    assert len(_hired(engine)) == hired_before

    kept = exchange.import_package(changed, engine, adapters=KNOWN, keep_valid=True)
    assert kept.written
    assert (kept.files[3].inserted, kept.files[3].unchanged, kept.files[3].rejected) == (1, 3, 1)
    assert (
        service.employee(HEAD, ORG, people[1]["employee_no"]).record.marital_status
        == people[1]["marital_status"]
    )
    assert service.employee(HEAD, ORG, newcomer["employee_no"]).state == "active"
    assert len(_hired(engine)) == hired_before + 1
    assert kept.reject_file is not None
    [reject] = _lines(Path(kept.reject_file))
    assert (reject["file"], reject["line"], reject["errors"][0]["field"]) == (STAFF, 2, "marital_status")


def test_staff_beyond_the_quota_are_rejected(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """Establishment control holds on import: the person beyond the quota is rejected, nothing written."""
    service.import_employees(CLERK, ORG, _people(3))
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("personnel"), sender=SENDER)
    quota = [{"organization_credit_code": ORG, "establishment": "10", "quota": 2}]
    tight = _rewrite(package, tmp_path / "tight", {QUOTAS: quota})
    other = _empty(tmp_path)

    report = exchange.import_package(tight, other, adapters=KNOWN)
    assert not report.written
    [error] = report.errors
    assert (error.file, error.line, error.errors[0].field, error.errors[0].code) == (
        STAFF,
        3,
        "establishment",
        "quota-exceeded",
    )
    assert _count(other, "personnel_organization") == 0
    assert _count(other, "personnel_employee") == 0
    assert _hired(other) == []

    kept = exchange.import_package(tight, other, adapters=KNOWN, keep_valid=True)
    assert kept.written
    assert [(f.inserted, f.rejected) for f in kept.files] == [(1, 0), (2, 0), (1, 0), (2, 1)]
    assert ReferenceService(other).headcount(HEAD, ORG)[-1].model_dump() == {
        "unit_code": None,
        "establishment": "10",
        "headcount": 2,
        "quota": 2,
    }
    other.dispose()


def test_an_empty_database_refuses_staff_without_quotas(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """Without the quota file every person of the category is beyond a quota of nothing."""
    service.import_employees(CLERK, ORG, _people(2))
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("personnel"), sender=SENDER)
    other = _empty(tmp_path)
    report = exchange.import_package(
        _rewrite(package, tmp_path / "bare", {QUOTAS: []}), other, adapters=KNOWN
    )
    assert [(e.file, e.line, e.errors[0].code) for e in report.errors] == [
        (STAFF, 1, "quota-exceeded"),
        (STAFF, 2, "quota-exceeded"),
    ]
    assert not report.written
    other.dispose()


def test_units_quotas_and_conflicts_name_their_field(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """An unknown organisation or parent unit, and a quota or unit stored otherwise, are rejects by field."""
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("personnel"), sender=SENDER)
    stranger = "11650100MB00000016"
    units = _lines(package / UNITS)
    units[1] = {**units[1], "name": "人事教育科"}
    units += [
        {**units[0], "unit_code": "ZZB", "parent_code": "XXX"},
        {**units[0], "organization_credit_code": stranger, "unit_code": "ZZC"},
    ]
    quotas = [
        {"organization_credit_code": ORG, "establishment": "10", "quota": 9},
        {"organization_credit_code": stranger, "establishment": "10", "quota": 1},
    ]
    changed = _rewrite(package, tmp_path / "changed", {UNITS: units, QUOTAS: quotas})
    report = exchange.import_package(changed, engine, adapters=KNOWN)
    assert not report.written
    assert [(e.file, e.line) for e in report.errors] == [(UNITS, 2), (UNITS, 3), (UNITS, 4)]
    # Keeping the valid part, the adapters see every file and report each conflict.
    report = exchange.import_package(changed, engine, adapters=KNOWN, keep_valid=True)
    assert [(e.file, e.line, e.errors[0].field, e.errors[0].code) for e in report.errors] == [
        (UNITS, 2, "name", "integrity-violation"),
        (UNITS, 3, "parent_code", "not-found"),
        (UNITS, 4, "organization_credit_code", "not-found"),
        (QUOTAS, 1, "quota", "integrity-violation"),
        (QUOTAS, 2, "organization_credit_code", "not-found"),
    ]
    assert [(u.unit_code, u.name) for u in service.units(HEAD, ORG)] == [
        ("BGS", "办公室"),
        ("RSK", "人事科"),
    ]
    assert service.headcount(HEAD, ORG)[-1].quota == 5


def test_import_publishes_what_import_employees_publishes(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """The employee.hired events of a package import equal those of the service's own bulk import."""
    people = _people(5)
    people[4]["supervisor_no"] = people[2]["employee_no"]
    service.import_employees(CLERK, ORG, people)
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("personnel"), sender=SENDER)
    by_package = _empty(tmp_path, "by-package.db")
    exchange.import_package(package, by_package, adapters=KNOWN)

    by_service = _empty(tmp_path, "by-service.db")
    reference = ReferenceService(by_service)
    reference.register_organization(
        HEAD, ORG, Organization(credit_code=ORG, name="喀什市民政局", division_code="653101")
    )
    for code, name in (("BGS", "办公室"), ("RSK", "人事科")):
        reference.add_unit(
            HEAD,
            ORG,
            OrgUnit(organization_credit_code=ORG, unit_code=code, name=name, effective_from=date(2020, 1, 1)),
        )
    reference.set_quota(HEAD, ORG, "10", 5)
    reference.import_employees(CLERK, ORG, people)

    published = _hired(by_package)
    assert [subject for _, _, subject, _ in published] == [f"employee/{n}" for n in range(1, 6)]
    assert published == _hired(by_service)
    by_package.dispose()
    by_service.dispose()


@pytest.mark.parametrize("changed", [False, True], ids=["identical", "different"])
@pytest.mark.parametrize(
    "case",
    [
        (ORGS, "credit_code", {"name_en": "Another Name"}),
        (UNITS, "unit_code", {"name": "另一个名称"}),
        (QUOTAS, "establishment", {"quota": 9}),
        (STAFF, "employee_no", {"marital_status": "90"}),
    ],
    ids=["organisations", "units", "quotas", "staff"],
)
def test_a_key_twice_in_one_package_is_a_rejected_line(
    engine: Engine,
    service: ReferenceService,
    tmp_path: Path,
    case: tuple[str, str, dict[str, Any]],
    changed: bool,
) -> None:
    """The second line with a key is rejected naming the key, never merged; the report's counts add up."""
    file, field, change = case
    _staffed(service)
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("personnel"), sender=SENDER)
    lines = _lines(package / file)
    copy = {**lines[-1], **change} if changed else dict(lines[-1])
    doubled = _rewrite(package, tmp_path / "doubled", {file: [*lines, copy]})
    other = _empty(tmp_path)

    report = exchange.import_package(doubled, other, adapters=KNOWN)
    assert not report.written
    assert [(e.file, e.line, [(x.field, x.code) for x in e.errors]) for e in report.errors] == [
        (file, len(lines) + 1, [(field, "duplicate-key")])
    ]
    key = "/".join(str(lines[-1][name]) for name in KNOWN[file.removesuffix(".jsonl")].record_key)
    assert key in report.errors[0].errors[0].message("en")
    assert _count(other, "personnel_organization") == 0

    kept = exchange.import_package(doubled, other, adapters=KNOWN, keep_valid=True)
    assert kept.written
    for counted in kept.files:
        assert counted.valid == counted.inserted + counted.unchanged, counted
        assert counted.records == counted.valid + counted.rejected, counted
    (counted,) = [f for f in kept.files if f.path == file]
    assert (counted.records, counted.inserted, counted.unchanged, counted.rejected) == (
        len(lines) + 1,
        len(lines),
        0,
        1,
    )
    exported = [r.model_dump(mode="json") for r in KNOWN[file.removesuffix(".jsonl")].export(other)]
    assert exported[-1] == lines[-1]
    other.dispose()
