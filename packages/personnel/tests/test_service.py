"""The reference service on SQLite and PostgreSQL: writes, refusals that write nothing, reports."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from govparts.core.errors import GovPartsError, InvalidInput, InvalidRecord
from govparts.personnel.service import QuotaExceeded, ReferenceService
from govparts.personnel.synthetic import make_people

from .conftest import CLERK, HEAD, ORG

pytestmark = pytest.mark.db

COUNTED = ("personnel_employee", "personnel_history", "core_outbox_event", "core_audit_record")


def _people(count: int, **kw: Any) -> list[dict[str, Any]]:
    return make_people(count, organization_credit_code=ORG, unit_codes=("BGS", "RSK"), **kw)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one() for name in COUNTED}


class HiredAsAttendanceReadsIt(BaseModel):
    """A tolerant reader of employee.hired: only what an attendance part needs."""

    model_config = ConfigDict(extra="ignore")

    person: dict[str, Any]
    first_employment_date: date


def test_hire_publishes_first_employment_date(service: ReferenceService) -> None:
    """Publishes employee.hired with the PersonRef and the date of first employment."""
    row = _people(1)[0]
    service.hire(CLERK, ORG, row)
    (event,) = [e for e in service.published_events(HEAD, ORG) if e.type.endswith("employee.hired.v1")]
    read = HiredAsAttendanceReadsIt.model_validate(event.data)
    assert read.first_employment_date == date.fromisoformat(row["first_employment_date"])
    assert read.person["person_id"] == row["employee_no"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"citizen_id": "653101199001011230"}, "citizen_id"),
        ({"marital_status": "24"}, "marital_status"),
        ({"unit_code": "NONE"}, "unit_code"),
        ({"first_employment_date": "1970-01-01"}, "first_employment_date"),
        ({"rank": "Z01", "grade": 27}, "grade"),
    ],
)
def test_refused_hire_writes_nothing(
    service: ReferenceService, engine: Engine, change: dict[str, Any], field: str
) -> None:
    """Refuses a bad hire with an error naming the field and leaves every table as it was."""
    before = _counts(engine)
    with pytest.raises(GovPartsError) as caught:
        service.hire(CLERK, ORG, {**_people(1)[0], **change})
    error = caught.value
    fields = {error.field} | {e.field for e in getattr(error, "errors", ())}
    assert field in fields, fields
    assert _counts(engine) == before


def test_quota_message_shows_quota_and_occupancy_in_each_locale(service: ReferenceService) -> None:
    """Shows the quota and the occupied places in Chinese, Uyghur and English."""
    service.set_quota(HEAD, ORG, "10", 1)
    first, second = _people(2)
    service.hire(CLERK, ORG, first)
    with pytest.raises(QuotaExceeded) as caught:
        service.hire(CLERK, ORG, second)
    for locale, word in (("zh_Hans_CN", "编制"), ("ug_CN", "تۈزۈم"), ("en", "quota")):
        text = caught.value.message(locale)
        assert word in text, (locale, text)
        assert "1" in text, (locale, text)


def test_quota_cannot_fall_below_occupancy(service: ReferenceService) -> None:
    """Refuses to set a quota below the places already occupied."""
    for row in _people(2):
        service.hire(CLERK, ORG, row)
    with pytest.raises(InvalidInput) as caught:
        service.set_quota(HEAD, ORG, "10", 1)
    assert caught.value.field == "quota"


def test_history_rows_are_append_only(service: ReferenceService, engine: Engine) -> None:
    """Refuses UPDATE and DELETE of work-history rows in the database itself."""
    service.hire(CLERK, ORG, _people(1)[0])
    for statement in ("UPDATE personnel_history SET unit_code = 'X'", "DELETE FROM personnel_history"):
        with pytest.raises(sa.exc.DatabaseError), engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert _counts(engine)["personnel_history"] == 1


def test_import_reports_every_error_by_row_and_field(service: ReferenceService, engine: Engine) -> None:
    """Reports each bad row and field of a batch and writes nothing."""
    rows = _people(5)
    rows[1]["sex"] = "2" if rows[1]["sex"] == "1" else "1"
    rows[3]["employee_no"] = rows[0]["employee_no"]
    rows[4]["education"] = "99"
    before = _counts(engine)
    with pytest.raises(InvalidRecord) as caught:
        service.import_employees(CLERK, ORG, rows)
    found = {(inner.row, e.field) for inner in caught.value.errors for e in inner.errors}  # type: ignore[attr-defined]
    assert found == {(2, "sex"), (4, "employee_no"), (5, "education")}, found
    assert _counts(engine) == before


def test_import_respects_the_quota_row_by_row(service: ReferenceService) -> None:
    """Keeps the rows that fit the quota and reports the rest naming the establishment."""
    report = service.import_employees(CLERK, ORG, _people(7), keep_valid=True)
    assert (report.written, report.rejected) == (5, 2)
    assert {(e["row"], e["field"], e["code"]) for e in report.errors} == {
        (6, "establishment", "quota-exceeded"),
        (7, "establishment", "quota-exceeded"),
    }


def test_statistics_by_age_band(service: ReferenceService) -> None:
    """Counts people in service by age band on a given day."""
    rows = _people(4)
    service.import_employees(CLERK, ORG, rows)
    bands = service.statistics(HEAD, ORG, "age_band", on=date(2025, 1, 1))
    assert sum(bands.values()) == 4
    with pytest.raises(InvalidInput) as caught:
        service.statistics(HEAD, ORG, "shoe_size")
    assert caught.value.field == "by"


def _race(engine: Engine) -> list[BaseException | None]:
    service = ReferenceService(engine)
    service.set_quota(HEAD, ORG, "10", 1)
    rows = _people(2)
    barrier = threading.Barrier(2, timeout=60)
    outcome: list[BaseException | None] = [None, None]

    def hire(index: int) -> None:
        barrier.wait()
        try:
            service.hire(CLERK, ORG, rows[index])
        except BaseException as exc:
            outcome[index] = exc

    threads = [threading.Thread(target=hire, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def test_two_hires_race_for_the_last_place(service: ReferenceService, engine: Engine) -> None:
    """Lets exactly one of two concurrent hires take the last establishment place."""
    outcome = _race(engine)
    assert sorted(type(o).__name__ for o in outcome) == ["NoneType", "QuotaExceeded"], outcome
    assert len(service.employees(HEAD, ORG)) == 1


@pytest.mark.postgresql
def test_two_hires_race_on_postgresql(service: ReferenceService, engine: Engine) -> None:
    """Serialises the quota check with a row lock on PostgreSQL, so only one hire succeeds."""
    for _ in range(3):
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM personnel_employee"))
        outcome = _race(engine)
        assert sorted(type(o).__name__ for o in outcome) == ["NoneType", "QuotaExceeded"], outcome


def test_import_publishes_one_hired_event_per_person(service: ReferenceService) -> None:
    """Publishes employee.hired for each imported person, on the subject the process engine uses."""
    rows = _people(3)
    service.import_employees(CLERK, ORG, rows)
    hired = [e for e in service.published_events(HEAD, ORG) if e.type.endswith("employee.hired.v1")]
    assert sorted(e.data["person"]["person_id"] for e in hired) == sorted(r["employee_no"] for r in rows)
    assert all(HiredAsAttendanceReadsIt.model_validate(e.data) for e in hired)
    number = rows[0]["employee_no"]
    service.transfer(
        HEAD, ORG, number, "RSK" if rows[0]["unit_code"] == "BGS" else "BGS", effective=date(2025, 3, 1)
    )
    subjects = {
        e.subject
        for e in service.published_events(HEAD, ORG)
        if e.data.get("person", {}).get("person_id") == number
    }
    assert len(subjects) == 1, subjects
