"""Bulk import and its ``employee.hired`` events: valid CloudEvents, the process engine's subjects."""

from __future__ import annotations

import gc
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import events
from govparts.core.errors import InvalidRecord
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.personnel.events import EMPLOYEE_HIRED, EmployeeHired
from govparts.personnel.models import EmployeeRecord
from govparts.personnel.service import ReferenceService
from govparts.personnel.synthetic import make_people

from .conftest import CLERK, HEAD, ORG

pytestmark = pytest.mark.db

UNITS = {"BGS": "办公室", "RSK": "人事科"}
OUTBOX: sa.Table = events.OutboxEvent.__table__  # type: ignore[attr-defined]


def _people(count: int, **kw: Any) -> list[dict[str, Any]]:
    return make_people(count, organization_credit_code=ORG, unit_codes=tuple(UNITS), **kw)


def _hired_rows(engine: Engine) -> list[sa.RowMapping]:
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(OUTBOX).where(OUTBOX.c.type == EMPLOYEE_HIRED.type).order_by(OUTBOX.c.position)
            )
            .mappings()
            .all()
        )
        conn.rollback()
    return list(rows)


def _employee_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT employee_no, id FROM personnel_employee")).all()
        conn.rollback()
    return {number: key for number, key in found}


def _as_hire_publishes_it(raw: dict[str, Any]) -> dict[str, Any]:
    """The data ``hire`` would publish for this person: the payload model's own JSON form."""
    rec = EmployeeRecord.model_validate(raw)
    return EmployeeHired(
        person=PersonRef(
            person_id=rec.employee_no,
            organization_credit_code=rec.organization_credit_code,
            name=rec.name,
            citizen_id=rec.citizen_id,
        ),
        unit=OrgUnitRef(organization_credit_code=ORG, unit_code=rec.unit_code, name=UNITS[rec.unit_code]),
        effective_date=rec.joined_on,
        first_employment_date=rec.first_employment_date,
        category=rec.category,
        establishment=rec.establishment,
        hire_type=rec.hire_type,
    ).model_dump(mode="json")


def test_import_publishes_a_valid_cloudevent_per_person(service: ReferenceService, engine: Engine) -> None:
    """Publishes, per person, a CloudEvent whose data is exactly what hire() would publish."""
    rows = _people(40)
    service.set_quota(HEAD, ORG, "10", 100)
    service.import_employees(CLERK, ORG, rows)
    stored = _hired_rows(engine)
    ids = _employee_ids(engine)
    expected = {raw["employee_no"]: _as_hire_publishes_it(raw) for raw in rows}
    assert len(stored) == len(rows)
    for row in stored:
        event = events.CloudEvent.from_json(
            events.CloudEvent(
                id=row["id"],
                source=row["source"],
                type=row["type"],
                time=row["time"],
                subject=row["subject"],
                datacontenttype=row["datacontenttype"],
                dataschema=row["dataschema"],
                data=row["data"],
            ).to_json()
        )
        number = event.data["person"]["person_id"]
        assert EMPLOYEE_HIRED.parse(event).model_dump(mode="json") == event.data == expected.pop(number)
        assert (event.subject, row["subject_seq"]) == (f"employee/{ids[number]}", 1)
        assert event.dataschema == EMPLOYEE_HIRED.dataschema
    assert expected == {}
    assert len({row["id"] for row in stored}) == len(stored)


def test_a_second_import_numbers_only_its_own_people(service: ReferenceService, engine: Engine) -> None:
    """Gives a later import's events the subjects of its own new rows, after a hire and a transfer."""
    service.set_quota(HEAD, ORG, "10", 100)
    first = _people(6)
    service.import_employees(CLERK, ORG, first)
    moved = first[0]["employee_no"]
    service.transfer(
        HEAD, ORG, moved, "RSK" if first[0]["unit_code"] == "BGS" else "BGS", effective=date(2025, 3, 1)
    )
    service.hire(CLERK, ORG, _people(1, seed=7, start=500)[0])
    second = _people(5, seed=99, start=1000)
    service.import_employees(CLERK, ORG, second)
    ids = _employee_ids(engine)
    stored = _hired_rows(engine)
    assert len(stored) == 12
    by_person = {row["data"]["person"]["person_id"]: row for row in stored}
    for raw in second:
        row = by_person[raw["employee_no"]]
        assert (row["subject"], row["subject_seq"]) == (f"employee/{ids[raw['employee_no']]}", 1)
    with engine.connect() as conn:
        seqs = (
            conn.execute(
                sa.select(OUTBOX.c.subject_seq)
                .where(OUTBOX.c.subject == f"employee/{ids[moved]}")
                .order_by(OUTBOX.c.position)
            )
            .scalars()
            .all()
        )
        conn.rollback()
    assert seqs == [1, 2]


@pytest.mark.parametrize("enabled", [True, False])
def test_import_leaves_the_garbage_collector_as_it_found_it(service: ReferenceService, enabled: bool) -> None:
    """Restores the cyclic garbage collector's state after an import, and after a refused one."""
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        service.import_employees(CLERK, ORG, _people(2))
        assert gc.isenabled() is enabled
        bad = _people(1, seed=3, start=900)
        bad[0]["education"] = "99"
        with pytest.raises(InvalidRecord):
            service.import_employees(CLERK, ORG, bad)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_import_starts_each_history_with_the_hire_as_hire_records_it(
    service: ReferenceService, engine: Engine
) -> None:
    """Writes each imported person's hire into the history as hire() stores it, at the events' time."""
    service.set_quota(HEAD, ORG, "10", 100)
    service.hire(CLERK, ORG, _people(1, seed=5, start=700)[0])
    rows = _people(8, seed=11)
    rows[3]["unit_code"] = "NONE"
    report = service.import_employees(CLERK, ORG, rows, keep_valid=True)
    written = [raw for raw in rows if raw["unit_code"] != "NONE"]
    assert (report.written, report.rejected) == (7, 1)
    for raw in written:
        assert [
            (e.kind, e.effective_from, e.unit_code, e.rank, e.grade, e.note)
            for e in service.history(HEAD, ORG, raw["employee_no"])
        ] == [
            (
                "hire",
                date.fromisoformat(raw["joined_on"]),
                raw["unit_code"],
                raw["rank"],
                raw["grade"],
                raw["hire_type"],
            )
        ]
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT employee_no, recorded_at FROM personnel_history ORDER BY seq")
        ).all()
        imported_at = conn.execute(
            sa.text("SELECT time FROM core_outbox_event WHERE type = :type ORDER BY position DESC"),
            {"type": EMPLOYEE_HIRED.type},
        ).scalar()
        conn.rollback()
    assert [number for number, _ in stored] == ["E000700"] + [raw["employee_no"] for raw in written]
    assert {at for _, at in stored[1:]} == {imported_at}
    # The same stored form as hire()'s own history row (on SQLite: the same text shape).
    assert len(str(stored[0][1])) == len(str(imported_at))
