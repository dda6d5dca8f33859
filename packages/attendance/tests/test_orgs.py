"""Many offices in one database: an administrative office and a public institution keep attendance apart.

The office (机关, credit code category 11) and the institution (事业单位, category 12) use the same
employee number, the same shift code and the same month. Each organisation's enrolments, results,
requests and month close (月结) are its own; events about one organisation's person touch nothing of
the other's; an actor of one organisation is refused on every method of the Protocol, listed from
the Protocol class itself, and nothing is written; a cross-organisation auditor reads, audited, and
never writes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.attendance import (
    Enrolment,
    LeaveRequestIn,
    MonthLocked,
    OrgSettings,
    Period,
    Punch,
    PunchCorrectionIn,
    Shift,
    ShiftAssignment,
    Timetable,
    TripRequestIn,
)
from govparts.attendance.service import AttendanceService, ReferenceService
from govparts.core import audit, events, migrate
from govparts.core.db import create_engine, session_scope
from govparts.core.errors import NotFound, OrganizationDenied
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor

pytestmark = pytest.mark.db

BJ = ZoneInfo("Asia/Shanghai")
OFFICE = "11650102MB1234567P"
"""An administrative office (机关, category 11)."""
INSTITUTE = "12650100MB00000026"
"""A public institution (事业单位, category 12)."""
OFFICE_CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"attendance_clerk", "approver"}), org=OFFICE)
INSTITUTE_CLERK = Actor(
    id="K001", name="考勤员", roles=frozenset({"attendance_clerk", "approver"}), org=INSTITUTE
)
AUDITOR = Actor(id="S001", name="审计员", roles=frozenset({CROSS_ORG_READ_ROLE}), org="11650100MB2345678C")
DAY = Shift(
    code="DAY", name="常日班", timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),)
)
UNSCOPED = {"capabilities": "describes the implementation, no organisation's data"}
"""Protocol methods not scoped by organisation, each with the reason."""
TABLES = (
    "attendance_settings",
    "attendance_enrolment",
    "attendance_shift",
    "attendance_shift_assignment",
    "attendance_punch",
    "attendance_unenrolled_punch",
    "attendance_request",
    "attendance_daily_result",
    "attendance_month",
)


def _enrolment(org: str, name: str, start: date = date(2023, 1, 1)) -> Enrolment:
    return Enrolment(
        person=PersonRef(person_id="E001", organization_credit_code=org, name=name),
        unit=OrgUnitRef(organization_credit_code=org, unit_code="BGS", name="办公室"),
        first_employment_date=date(2015, 3, 10),
        start_date=start,
    )


def _open(service: ReferenceService, org: str, clerk: Actor, name: str) -> None:
    service.configure(clerk, org, OrgSettings(region="650000"))
    service.define_shift(clerk, org, DAY)
    service.assign_shift(
        clerk, org, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    service.enrol(clerk, org, _enrolment(org, name))


def _punches(day: date, start: time) -> list[Punch]:
    return [
        Punch(person_id="E001", punched_at=datetime.combine(day, start, BJ)),
        Punch(person_id="E001", punched_at=datetime.combine(day, time(18), BJ)),
    ]


@pytest.fixture
def both(engine: Engine) -> ReferenceService:
    """The office and the institution, each with E001 in its unit BGS on shift DAY."""
    service = ReferenceService(engine)
    _open(service, OFFICE, OFFICE_CLERK, "阿依古丽·买买提")
    _open(service, INSTITUTE, INSTITUTE_CLERK, "王建国")
    return service


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}


def test_the_same_employee_number_is_two_people(both: ReferenceService) -> None:
    """Keeps E001 of the office and E001 of the institution apart: names, punches and results."""
    both.record_punches(OFFICE_CLERK, OFFICE, _punches(date(2023, 4, 3), time(9, 20)))
    both.record_punches(INSTITUTE_CLERK, INSTITUTE, _punches(date(2023, 4, 3), time(8, 55)))
    assert both.enrolment(OFFICE_CLERK, OFFICE, "E001").person.name == "阿依古丽·买买提"
    assert both.enrolment(INSTITUTE_CLERK, INSTITUTE, "E001").person.name == "王建国"
    late = both.daily_results(OFFICE_CLERK, OFFICE, "E001", date(2023, 4, 3), date(2023, 4, 3))[0]
    on_time = both.daily_results(INSTITUTE_CLERK, INSTITUTE, "E001", date(2023, 4, 3), date(2023, 4, 3))[0]
    assert (late.late_minutes, on_time.late_minutes) == (20, 0)
    assert [s.late_count for s in both.month_summaries(OFFICE_CLERK, OFFICE, 2023, 4)] == [1]
    assert [s.late_count for s in both.month_summaries(INSTITUTE_CLERK, INSTITUTE, 2023, 4)] == [0]


def test_closing_one_organisations_month_leaves_the_others_open(both: ReferenceService) -> None:
    """Closes April for the office only: the institution still records punches and closes April itself."""
    closed = both.close_month(OFFICE_CLERK, OFFICE, 2023, 4)
    assert (closed.org, closed.people) == (OFFICE, 1)
    assert not both.is_month_closed(INSTITUTE_CLERK, INSTITUTE, 2023, 4)
    with pytest.raises(MonthLocked):
        both.record_punches(OFFICE_CLERK, OFFICE, _punches(date(2023, 4, 4), time(9)))
    stored = both.record_punches(INSTITUTE_CLERK, INSTITUTE, _punches(date(2023, 4, 4), time(9)))
    assert stored.stored == 2
    assert both.close_month(INSTITUTE_CLERK, INSTITUTE, 2023, 4).org == INSTITUTE


def test_requests_are_the_organisations_own(both: ReferenceService) -> None:
    """Refuses to approve the institution's request as the office's (NotFound, nothing revealed)."""
    asked = both.request_leave(
        INSTITUTE_CLERK,
        INSTITUTE,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 4, 10), end_date=date(2023, 4, 10)
        ),
    )
    with pytest.raises(NotFound):
        both.approve(OFFICE_CLERK, OFFICE, asked.id)
    assert both.get_request(INSTITUTE_CLERK, INSTITUTE, asked.id).state == "submitted"
    assert both.leave_balance(OFFICE_CLERK, OFFICE, "E001", 2023, leave_type="personal").pending == 0


def _event(kind: str, org: str, data: dict[str, Any]) -> events.CloudEvent:
    person = {"person_id": "E001", "organization_credit_code": org, "name": "王建国"}
    return events.CloudEvent(
        id=f"{kind}-{org}",
        source="/test/personnel",
        type=f"cn.govparts.personnel.employee.{kind}.v1",
        subject=f"employee/{org}/E001",
        data={"person": person, **data},
    )


def test_personnel_events_touch_only_the_organisation_they_name(
    engine: Engine, both: ReferenceService
) -> None:
    """Applies the institution's transfer and separation of E001 to the institution's E001 alone."""
    (handler,) = both.personnel_handlers()
    unit = {"organization_credit_code": INSTITUTE, "unit_code": "CWK", "name": "财务科"}
    with session_scope(engine) as session:
        handler.func(
            session, _event("transferred", INSTITUTE, {"to_unit": unit, "effective_date": "2023-04-10"})
        )
        handler.func(session, _event("separated", INSTITUTE, {"effective_date": "2023-04-29"}))

    theirs = both.enrolment(INSTITUTE_CLERK, INSTITUTE, "E001")
    mine = both.enrolment(OFFICE_CLERK, OFFICE, "E001")
    assert (theirs.unit.unit_code, theirs.end_date) == ("CWK", date(2023, 4, 28))
    assert (mine.unit.unit_code, mine.end_date, mine.start_date) == ("BGS", None, date(2023, 1, 1))


def _calls(service: ReferenceService, org: str, actor: Actor) -> dict[str, Callable[[], object]]:
    """One call of each Protocol method about ``org``, as ``actor``."""
    day = date(2023, 4, 3)
    sample: dict[str, Any] = {
        "org": org,
        "settings": OrgSettings(region="110000"),
        "enrolment": _enrolment(org, "李华", date(2023, 6, 1)),
        "person_id": "E001",
        "last_day": date(2023, 4, 30),
        "unit": OrgUnitRef(organization_credit_code=org, unit_code="CWK", name="财务科"),
        "effective_date": date(2023, 4, 17),
        "shift": DAY.model_copy(update={"code": "LATE"}),
        "assignment": ShiftAssignment(shift_code="DAY", person_id="E001", valid_from=date(2023, 4, 1)),
        "punches": _punches(day, time(9)),
        "data": "person_id,punched_at\nE001,2023-04-03T09:00:00+08:00\n",
        "start": day,
        "end": day,
        "day": day,
        "on": day,
        "request": LeaveRequestIn(person_id="E001", leave_type="personal", start_date=day, end_date=day),
        "trip": TripRequestIn(person_id="E001", start_date=day, end_date=day),
        "correction": PunchCorrectionIn(
            person_id="E001", punched_at=datetime.combine(day, time(9), BJ), reason="忘记打卡"
        ),
        "request_id": "1",
        "year": 2023,
        "month": 4,
        "unit_code": "BGS",
        "actor": actor,
        "entity": "enrolment",
        "entity_id": f"{org}/E001",
        "event": _event("separated", org, {"effective_date": "2023-04-29"}),
    }
    calls: dict[str, Callable[[], object]] = {}
    for name, fn in inspect.getmembers(AttendanceService, inspect.isfunction):
        if name.startswith("_") or name in UNSCOPED:
            continue
        params = inspect.signature(fn).parameters
        args = {p: sample[p] for p in params if p != "self" and params[p].default is inspect.Parameter.empty}
        calls[name] = lambda name=name, args=args: getattr(service, name)(**args)
    return calls


def test_every_protocol_method_refuses_another_organisations_actor(
    engine: Engine, both: ReferenceService
) -> None:
    """Refuses the institution's clerk on every method about the office, and writes nothing."""
    both.request_leave(
        OFFICE_CLERK,
        OFFICE,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 4, 6), end_date=date(2023, 4, 6)
        ),
    )
    listed = {
        n for n, _ in inspect.getmembers(AttendanceService, inspect.isfunction) if not n.startswith("_")
    }
    calls = _calls(both, OFFICE, INSTITUTE_CLERK)
    assert set(calls) | set(UNSCOPED) == listed
    before = _counts(engine)
    for name, call in calls.items():
        with pytest.raises(OrganizationDenied):
            call()
        assert _counts(engine) == before, name


def test_a_cross_organisation_auditor_reads_audited_and_never_writes(
    engine: Engine, both: ReferenceService
) -> None:
    """Lets the auditor read the office's month and enrolment, audited; refuses every write."""
    assert both.enrolment(AUDITOR, OFFICE, "E001").person.name == "阿依古丽·买买提"
    assert [s.person_id for s in both.month_summaries(AUDITOR, OFFICE, 2023, 4)] == ["E001"]
    with engine.connect() as conn:
        reads = [r for r in audit.history(conn, "attendance", OFFICE) if r.action == CROSS_ORG_READ_ACTION]
    assert len(reads) == 2
    writes = ("configure", "enrol", "end_enrolment", "transfer", "define_shift", "assign_shift",
              "record_punches", "import_punches", "request_leave", "request_trip", "request_correction",
              "approve", "reject", "cancel", "close_month", "grant_compensatory_rest",
              "receive_event")  # fmt: skip
    calls = _calls(both, OFFICE, AUDITOR)
    before = _counts(engine)
    for name in writes:
        with pytest.raises(OrganizationDenied):
            calls[name]()
    assert _counts(engine) == before


def test_upgrade_carries_one_organisations_database_over(tmp_path: Path) -> None:
    """Backfills the organisation of the enrolments into every row and keys the month by it."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "a77e0d000001")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO attendance_settings (id, data) VALUES (1, '{}')"))
            conn.execute(
                sa.text(
                    "INSERT INTO attendance_enrolment (person_id, person_name, organization_credit_code, "
                    "unit_code, unit_name, first_employment_date, start_date) "
                    "VALUES ('E001', '王建国', :org, 'BGS', '办公室', '2015-03-10', '2023-01-01')"
                ),
                {"org": OFFICE},
            )
            conn.execute(
                sa.text("INSERT INTO attendance_shift (code, spec) VALUES ('DAY', :spec)"),
                {"spec": DAY.model_dump_json()},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO attendance_punch (person_id, punched_at, device, source) "
                    "VALUES ('E001', '2023-04-03 01:00:00.000000', '', 'device')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO attendance_month (id, year, month, state, version) "
                    "VALUES ('2023-03', 2023, 3, 'closed', 1)"
                )
            )
        migrate.upgrade(url, "attendance@head")
        with engine.connect() as conn:
            for table in ("attendance_settings", "attendance_shift", "attendance_punch", "attendance_month"):
                assert conn.execute(sa.text(f"SELECT org FROM {table}")).scalar_one() == OFFICE, table
            assert (
                conn.execute(sa.text("SELECT id FROM attendance_month")).scalar_one() == f"{OFFICE}/2023-03"
            )
        service = ReferenceService(engine)
        assert service.is_month_closed(OFFICE_CLERK, OFFICE, 2023, 3)
        assert not service.is_month_closed(INSTITUTE_CLERK, INSTITUTE, 2023, 3)
        assert service.enrolment(OFFICE_CLERK, OFFICE, "E001").person.name == "王建国"
    finally:
        engine.dispose()
