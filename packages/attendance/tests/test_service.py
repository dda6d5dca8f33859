"""The reference service on this run's backend: events in and out, failure paths that write nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from govparts.attendance import (
    DayStatus,
    Enrolment,
    LeaveRequestIn,
    MonthClosed,
    MonthLocked,
    OrgSettings,
    Period,
    Punch,
    Shift,
    ShiftAssignment,
    Timetable,
)
from govparts.attendance.service import ReferenceService
from govparts.attendance.tables import AttendancePunch, AttendanceRequest
from govparts.core import events
from govparts.core.errors import GuardFailed, InvalidInput, InvalidRecord, NotFound
from govparts.core.events import OutboxEvent
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

BJ = ZoneInfo("Asia/Shanghai")
ORG = "91650100MA0000001U"
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk"}), org=ORG)
BOSS = Actor(id="L001", name="科长", roles=frozenset({"approver"}), org=ORG)
UNIT = OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室")
PERSON = PersonRef(person_id="E001", organization_credit_code=ORG, name="阿依古丽·买买提")
DAY = Shift(
    code="DAY", name="常日班", timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),)
)


def _setup(service: ReferenceService) -> None:
    service.configure(CLERK, ORG, OrgSettings(region="650000"))
    service.define_shift(CLERK, ORG, DAY)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PERSON, unit=UNIT, first_employment_date=date(2015, 3, 10), start_date=date(2023, 1, 1)
        ),
    )


def _count(engine: Engine, table: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


class _AsPublished(BaseModel):
    """Any payload (the personnel part's own models are not importable here)."""

    model_config = ConfigDict(extra="allow")


def test_personnel_events_enrol_move_and_end(engine: Engine, service: ReferenceService) -> None:
    """Consumes hired, transferred and separated events through the dispatcher, each once."""
    _setup_shift_only(service)
    types = [
        ("cn.govparts.personnel.employee.hired.v1", "hired"),
        ("cn.govparts.personnel.employee.transferred.v1", "transferred"),
        ("cn.govparts.personnel.employee.separated.v1", "separated"),
    ]
    for name, _ in types:
        try:
            events.get(name)
        except NotFound:  # personnel is not installed with this package: stand in with its published shape
            events.register(
                events.EventType(name, _AsPublished, {"zh_Hans_CN": name, "en": name, "ug_CN": name})
            )
    hired = {
        "person": PERSON.model_dump(mode="json"),
        "unit": UNIT.model_dump(mode="json"),
        "effective_date": "2023-04-03",
        "first_employment_date": "2010-07-01",
        "category": "01",
        "establishment": "01",
        "hire_type": "01",
    }
    cwk = {"organization_credit_code": ORG, "unit_code": "CWK", "name": "财务科"}
    moved = {
        "person": hired["person"],
        "from_unit": hired["unit"],
        "to_unit": cwk,
        "effective_date": "2023-04-17",
    }
    left = {"person": hired["person"], "unit": cwk, "reason": "03", "effective_date": "2023-04-25"}
    from govparts.core.db import session_scope

    with session_scope(engine) as session:
        for (name, _), data in zip(types, (hired, moved, left), strict=True):
            events.publish(session, name, data, subject="employee/E001")
    dispatcher = events.Dispatcher(engine, service.personnel_handlers())
    report = dispatcher.run()
    assert not report.failures, report.failures
    dispatcher.run()
    results = service.daily_results(CLERK, ORG, "E001", date(2023, 4, 1), date(2023, 4, 30))
    assert (results[0].day, results[-1].day) == (date(2023, 4, 3), date(2023, 4, 24))
    assert {r.unit_code for r in results if r.day >= date(2023, 4, 17)} == {"CWK"}
    assert service.enrolment(CLERK, ORG, "E001").first_employment_date == date(2010, 7, 1)


def _setup_shift_only(service: ReferenceService) -> None:
    service.configure(CLERK, ORG, OrgSettings(region="650000"))
    service.define_shift(CLERK, ORG, DAY)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="CWK", valid_from=date(2023, 1, 1))
    )


def test_handlers_are_idempotent_on_their_own(engine: Engine, service: ReferenceService) -> None:
    """Enrolling twice from the same hire changes nothing; a separation of an unknown person is ignored."""
    _setup(service)
    again = service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PERSON, unit=UNIT, first_employment_date=date(2015, 3, 10), start_date=date(2023, 1, 1)
        ),
    )
    assert again.start_date == date(2023, 1, 1)
    with pytest.raises(InvalidInput) as caught:
        service.enrol(
            CLERK,
            ORG,
            Enrolment(
                person=PERSON, unit=UNIT, first_employment_date=date(2015, 3, 10), start_date=date(2023, 2, 1)
            ),
        )
    assert caught.value.field == "start_date"


def test_month_close_publishes_the_summary(engine: Engine, service: ReferenceService) -> None:
    """Writes attendance.month.closed to the outbox with the month's summary as its payload."""
    _setup(service)
    service.record_punches(
        CLERK, ORG, [Punch(person_id="E001", punched_at=datetime(2023, 4, 3, 9, 7, tzinfo=BJ))]
    )
    closed = service.close_month(CLERK, ORG, 2023, 4)
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(OutboxEvent.__table__.c.data).where(  # type: ignore[attr-defined]
                OutboxEvent.__table__.c.type == "cn.govparts.attendance.month.closed.v1"  # type: ignore[attr-defined]
            )
        ).scalar_one()
    data = row if isinstance(row, dict) else json.loads(row)
    payload = MonthClosed.model_validate(data)
    assert payload == closed
    mine = payload.summary_of("E001")
    assert mine is not None
    assert (mine.days_due, mine.missing_punches) == (19, 1)


def test_locked_month_writes_nothing(engine: Engine, service: ReferenceService) -> None:
    """Refuses punches and leave in a closed month with MonthLocked, in every locale, writing nothing."""
    _setup(service)
    service.close_month(CLERK, ORG, 2023, 4)
    punches, requests = _count(engine, AttendancePunch), _count(engine, AttendanceRequest)
    with pytest.raises(MonthLocked) as caught:
        service.record_punches(
            CLERK, ORG, [Punch(person_id="E001", punched_at=datetime(2023, 4, 3, 9, tzinfo=BJ))]
        )
    assert caught.value.field == "punched_at"
    assert "2023-04" in caught.value.message("en")
    assert "2023-04" in caught.value.message("ug_CN")
    with pytest.raises(MonthLocked):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001", leave_type="sick", start_date=date(2023, 4, 3), end_date=date(2023, 4, 3)
            ),
        )
    assert (_count(engine, AttendancePunch), _count(engine, AttendanceRequest)) == (punches, requests)


def test_refused_leave_writes_nothing(engine: Engine, service: ReferenceService) -> None:
    """Refuses leave beyond the balance and leave of a person not enrolled, recording no request."""
    _setup(service)
    with pytest.raises(GuardFailed) as short:
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001",
                leave_type="annual",
                start_date=date(2023, 4, 10),
                end_date=date(2023, 4, 17),
            ),
        )
    assert short.value.field == "days"
    with pytest.raises(NotFound) as unknown:
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E999", leave_type="sick", start_date=date(2023, 4, 10), end_date=date(2023, 4, 10)
            ),
        )
    assert unknown.value.field == "person_id"
    assert _count(engine, AttendanceRequest) == 0


def test_json_import_and_bad_rows(engine: Engine, service: ReferenceService) -> None:
    """Imports a JSON device file; a bad row refuses the file, naming the row, and stores nothing."""
    _setup(service)
    good = [{"person_id": "E001", "punched_at": "2023-04-03T09:00:00+08:00", "device": "GATE-1"}]
    assert service.import_punches(CLERK, ORG, json.dumps(good), "json").stored == 1
    bad = [*good, {"person_id": "E001", "punched_at": "03/04/2023 18:00"}]
    bad[0] = {**bad[0], "device": "GATE-2"}
    with pytest.raises(InvalidRecord) as caught:
        service.import_punches(CLERK, ORG, json.dumps(bad), "json")
    assert caught.value.row == 2
    assert _count(engine, AttendancePunch) == 1
    with pytest.raises(InvalidInput) as fmt:
        service.import_punches(CLERK, ORG, "x", "xml")  # type: ignore[arg-type]
    assert fmt.value.field == "format"


def test_unenrolled_punches_are_kept_aside(service: ReferenceService) -> None:
    """Keeps punches of people not enrolled aside and lists them."""
    _setup(service)
    report = service.record_punches(
        CLERK, ORG, [Punch(person_id="E404", punched_at=datetime(2023, 4, 3, 9, tzinfo=BJ))]
    )
    assert report.not_enrolled == ("E404",)
    assert [p.person_id for p in service.unenrolled_punches(CLERK, ORG)] == ["E404"]


def test_xinjiang_month_with_three_kinds_of_day(service: ReferenceService) -> None:
    """Shows 清明节 (national), 肉孜节 (Xinjiang) and a make-up Sunday in April 2023."""
    _setup(service)
    results = {
        r.day: r for r in service.daily_results(CLERK, ORG, "E001", date(2023, 4, 1), date(2023, 4, 30))
    }
    assert results[date(2023, 4, 5)].status is DayStatus.HOLIDAY
    assert results[date(2023, 4, 21)].status is DayStatus.HOLIDAY
    assert results[date(2023, 4, 23)].day_kind == "makeup_workday"
    assert sum(r.due for r in results.values()) == 19


def test_a_fresh_service_recomputes_without_waiting_on_itself(
    engine: Engine, service: ReferenceService
) -> None:
    """A new service whose settings are not read yet writes results (no second connection in the way)."""
    _setup(service)
    service.record_punches(
        CLERK,
        ORG,
        [
            Punch(person_id="E001", punched_at=datetime(2023, 3, 1, 8, 55, tzinfo=BJ)),
            Punch(person_id="E001", punched_at=datetime(2023, 3, 1, 18, 5, tzinfo=BJ)),
        ],
    )
    fresh = ReferenceService(engine)
    assert fresh.recompute(CLERK, ORG, date(2023, 3, 1), date(2023, 3, 31)) >= 1
    assert (
        ReferenceService(engine)
        .daily_results(CLERK, ORG, "E001", date(2023, 3, 1), date(2023, 3, 1))[0]
        .status
        == DayStatus.NORMAL
    )
