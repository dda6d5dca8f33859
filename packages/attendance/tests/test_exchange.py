"""Enrolments and punches in the data exchange format: export, import, round trip, conflicts."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.attendance import Enrolment, OrgSettings, Period, Punch, Shift, ShiftAssignment, Timetable
from govparts.attendance.exchange import ADAPTERS
from govparts.attendance.service import ReferenceService
from govparts.core import exchange
from govparts.core.db import create_engine, metadata
from govparts.core.parts import get_part
from govparts.core.refs import OrganizationRef, OrgUnitRef, PersonRef
from govparts.core.security import Actor

pytestmark = pytest.mark.db

BJ = ZoneInfo("Asia/Shanghai")
ORG = "91650100MA0000001U"
SENDER = OrganizationRef(credit_code=ORG, name="乌鲁木齐市天山区政务服务和数据管理局")
BGS = OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室")
CWK = OrgUnitRef(organization_credit_code=ORG, unit_code="CWK", name="财务科")
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"attendance_clerk"}), org=ORG)
KNOWN = {a.model_id: a for a in ADAPTERS}
ENROLMENTS, PUNCHES = "govparts.attendance.Enrolment.jsonl", "govparts.attendance.Punch.jsonl"


def _person(pid: str, name: str) -> PersonRef:
    return PersonRef(person_id=pid, organization_credit_code=ORG, name=name)


def _office(service: ReferenceService) -> None:
    """Two people in April 2023, one moved to another unit on the 10th; a stray punch of a third."""
    service.configure(CLERK, ORG, OrgSettings(region="650000"))
    service.define_shift(
        CLERK,
        ORG,
        Shift(
            code="DAY",
            name="常日班",
            timetables=(Timetable(periods=(Period(start=time(10), end=time(19, 30)),)),),
        ),
    )
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="CWK", valid_from=date(2023, 1, 1))
    )
    for pid, name in (("E001", "阿依古丽·买买提"), ("E002", "王建国")):
        service.enrol(
            CLERK,
            ORG,
            Enrolment(
                person=_person(pid, name),
                unit=BGS,
                first_employment_date=date(2015, 3, 10),
                start_date=date(2023, 4, 1),
            ),
        )
    service.transfer(CLERK, ORG, "E002", CWK, date(2023, 4, 10))
    punches = [
        Punch(person_id=pid, punched_at=datetime(2023, 4, day, hour, minute, tzinfo=BJ), device="GATE-1")
        for pid in ("E001", "E002", "E009")
        for day in (3, 4, 10)
        for hour, minute in ((9, 55), (19, 40))
    ]
    service.record_punches(CLERK, ORG, punches)


def _empty(tmp_path: Path) -> Engine:
    other = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    metadata.create_all(other)
    return other


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_part_publishes_enrolments_then_punches() -> None:
    """The descriptor names both adapters, enrolments first so punches land on them."""
    assert [a.model_id for a in exchange.part_adapters(get_part("attendance"))] == [
        "govparts.attendance.Enrolment",
        "govparts.attendance.Punch",
    ]


def test_round_trip_is_byte_identical(engine: Engine, service: ReferenceService, tmp_path: Path) -> None:
    """Export → import into an empty database → export: the same two data files, byte for byte."""
    _office(service)
    first = tmp_path / "first"
    exchange.export_package(first, engine, part=get_part("attendance"), sender=SENDER)
    stretches = _lines(first / ENROLMENTS)
    assert [
        (e["person"]["person_id"], e["unit"]["unit_code"], e["start_date"], e["end_date"]) for e in stretches
    ] == [
        ("E001", "BGS", "2023-04-01", None),
        ("E002", "BGS", "2023-04-01", "2023-04-09"),
        ("E002", "CWK", "2023-04-10", None),
    ]
    assert len(_lines(first / PUNCHES)) == 18

    other = _empty(tmp_path)
    report = exchange.import_package(first, other, adapters=KNOWN)
    assert report.ok, [e.errors for e in report.errors]
    assert report.written
    second = tmp_path / "second"
    exchange.export_package(second, other, adapters=ADAPTERS, sender=SENDER)
    for name in (ENROLMENTS, PUNCHES):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    # The punches landed on the enrolments that came with them: results are computed on them.
    imported = ReferenceService(other)
    imported.configure(CLERK, ORG, OrgSettings(region="650000"))
    assert imported.enrolment(CLERK, ORG, "E002").unit.unit_code == "CWK"
    assert [p.person_id for p in imported.unenrolled_punches(CLERK, ORG)] == ["E009"] * 6

    again = exchange.import_package(first, other, adapters=KNOWN)
    assert [(f.inserted, f.unchanged) for f in again.files] == [(0, 3), (0, 18)]
    other.dispose()


def test_an_overlapping_enrolment_is_rejected(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """A stretch overlapping a stored stretch of the same person is a conflict; nothing is written."""
    _office(service)
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("attendance"), sender=SENDER)
    stretches = _lines(package / ENROLMENTS)
    stretches[0] = {**stretches[0], "start_date": "2023-03-20"}  # E001 from 03-20 overlaps 04-01 onwards
    new_punch = {
        "person_id": "E001",
        "punched_at": "2023-04-11T01:58:00Z",
        "device": "GATE-2",
        "source": "device",
    }
    changed = _rewrite(package, tmp_path / "changed", [stretches, [*_lines(package / PUNCHES), new_punch]])
    report = exchange.import_package(changed, engine, adapters=KNOWN)
    assert not report.written
    assert [(e.file, e.line, e.errors[0].field) for e in report.errors] == [(ENROLMENTS, 1, "start_date")]
    assert _gate2(engine) == 0


def test_a_punch_in_a_closed_month_is_rejected(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """A punch in a closed month is refused with MonthLocked; with --keep-valid the others go in."""
    _office(service)
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("attendance"), sender=SENDER)
    service.close_month(CLERK, ORG, 2023, 4)
    late = {"person_id": "E001", "punched_at": "2023-04-28T01:58:00Z", "device": "GATE-2", "source": "device"}
    may = {"person_id": "E001", "punched_at": "2023-05-04T01:58:00Z", "device": "GATE-2", "source": "device"}
    changed = _rewrite(
        package, tmp_path / "changed", [_lines(package / ENROLMENTS), [*_lines(package / PUNCHES), late, may]]
    )
    report = exchange.import_package(changed, engine, adapters=KNOWN)
    assert not report.written
    assert [(e.file, e.line, e.errors[0].field) for e in report.errors] == [(PUNCHES, 19, "punched_at")]
    assert report.errors[0].errors[0].code == "month_locked" or "locked" in report.errors[0].errors[0].code
    assert _gate2(engine) == 0

    kept = exchange.import_package(changed, engine, adapters=KNOWN, keep_valid=True)
    assert kept.written
    assert _gate2(engine) == 1


def _gate2(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text("SELECT count(*) FROM attendance_punch WHERE device = 'GATE-2'")
            ).scalar_one()
        )


def _rewrite(source: Path, target: Path, files: list[list[dict[str, object]]]) -> Path:
    """A package like ``source`` holding ``files`` (in manifest order), counts and digests recomputed."""
    manifest = exchange.read_manifest(source)
    entries = []
    target.mkdir()
    for entry, records in zip(manifest.files, files, strict=True):
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


def _counts_add_up(report: exchange.ExchangeReport) -> None:
    for file in report.files:
        assert file.valid == file.inserted + file.unchanged, file
        assert file.records == file.valid + file.rejected, file


def test_an_enrolment_given_twice_in_one_package_is_rejected(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """Rejects the second line with the key of the first (other unit), naming start_date; never merges it."""
    _office(service)
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("attendance"), sender=SENDER)
    stretches = _lines(package / ENROLMENTS)
    twin = {**stretches[0], "unit": {**CWK.model_dump(mode="json")}}
    changed = _rewrite(package, tmp_path / "changed", [[*stretches, twin], _lines(package / PUNCHES)])
    other = _empty(tmp_path)
    report = exchange.import_package(changed, other, adapters=KNOWN, keep_valid=True)
    assert [(e.file, e.line) for e in report.errors] == [(ENROLMENTS, 4)]
    error = report.errors[0].errors[0]
    assert error.field in ("start_date", "person.organization_credit_code"), error
    assert "E001" in error.message("en") or "more than once" in error.message("en"), error.message("en")
    _counts_add_up(report)
    imported = ReferenceService(other)
    assert imported.enrolment(CLERK, ORG, "E001").unit.unit_code == "BGS"
    other.dispose()


def test_a_punch_given_twice_in_one_package_is_rejected(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """Rejects the repeated punch line (same person, time, device) and counts every line once."""
    _office(service)
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("attendance"), sender=SENDER)
    punches = _lines(package / PUNCHES)
    twin = {**punches[0], "source": "correction"}
    changed = _rewrite(package, tmp_path / "changed", [_lines(package / ENROLMENTS), [*punches, twin]])
    other = _empty(tmp_path)
    refused = exchange.import_package(changed, other, adapters=KNOWN)
    assert not refused.written
    assert [(e.file, e.line) for e in refused.errors] == [(PUNCHES, 19)]
    kept = exchange.import_package(changed, other, adapters=KNOWN, keep_valid=True)
    _counts_add_up(kept)
    assert [(f.inserted, f.rejected) for f in kept.files] == [(3, 0), (18, 1)]
    other.dispose()


def test_punches_land_on_the_organisation_their_person_is_enrolled_in(
    engine: Engine, service: ReferenceService, tmp_path: Path
) -> None:
    """Stores an imported punch under its person's organisation; E002 of two organisations is refused."""
    _office(service)
    institute = "12650100MB00000026"
    clerk = Actor(id="K002", name="考勤员", roles=frozenset({"attendance_clerk"}), org=institute)
    service.enrol(
        clerk,
        institute,
        Enrolment(
            person=PersonRef(person_id="E002", organization_credit_code=institute, name="李华"),
            unit=OrgUnitRef(organization_credit_code=institute, unit_code="BGS", name="综合科"),
            first_employment_date=date(2015, 3, 10),
            start_date=date(2023, 4, 1),
        ),
    )
    package = tmp_path / "package"
    exchange.export_package(package, engine, part=get_part("attendance"), sender=SENDER)
    mine = {"person_id": "E001", "punched_at": "2023-04-11T01:58:00Z", "device": "GATE-2", "source": "device"}
    shared = {**mine, "person_id": "E002"}
    changed = _rewrite(
        package,
        tmp_path / "changed",
        [_lines(package / ENROLMENTS), [*_lines(package / PUNCHES), mine, shared]],
    )
    report = exchange.import_package(changed, engine, adapters=KNOWN, keep_valid=True)
    refused = [(e.file, e.line, e.errors[0].field) for e in report.errors]
    # E002 is enrolled in both organisations, E009 (a stray) in none of the two: neither is guessed
    assert refused == [(PUNCHES, line, "person_id") for line in (*range(7, 19), 20)]
    _counts_add_up(report)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT org, person_id FROM attendance_punch WHERE device = 'GATE-2'")
        ).all()
    assert [tuple(r) for r in rows] == [(ORG, "E001")]
