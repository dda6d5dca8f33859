"""The access-control matrix of the attendance Protocol (issue 15 item 3), generated from the Protocol.

Every public method of :class:`~govparts.attendance.service.AttendanceService` (listed with
``inspect``, so a new method cannot be left out) is called by each kind of actor about the office:

- the right role of the office: allowed (each in a fresh database);
- a clerk of another organisation holding every role: ``OrganizationDenied``;
- an actor of the office without any attendance role: ``PermissionDenied`` on every write (the
  methods whose documented ``Raises:`` name ``PermissionDenied``), reads allowed — attendance is
  read by the office's own staff, the standard restricts writes only;
- a ``cross-org-auditor``: reads allowed and each audited, writes refused (``OrganizationDenied``).

A refusal writes nothing (the attendance tables' row counts, the audit log and the outbox are
unchanged) and reveals nothing (the message names neither the office, its person nor the leave's
reason). Attendance holds no classified material (no secrecy level on any of its models), so no
clearance column applies: no method takes or returns a secrecy level.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.attendance import (
    Enrolment,
    LeaveRequestIn,
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
from govparts.core.errors import OrganizationDenied, PermissionDenied
from govparts.core.events import CloudEvent
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor

pytestmark = pytest.mark.db

BJ = ZoneInfo("Asia/Shanghai")
OFFICE = "11650102MB1234567P"
INSTITUTE = "12650100MB00000026"
NAME = "阿依古丽·买买提"
REASON = "赴乌鲁木齐看望住院的母亲"
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk"}), org=OFFICE)
BOSS = Actor(id="L001", name="科长", roles=frozenset({"approver"}), org=OFFICE)
NO_ROLE = Actor(id="V001", name="访客", roles=frozenset(), org=OFFICE)
FOREIGN = Actor(
    id="K002", name="考勤员", roles=frozenset({"employee", "attendance_clerk", "approver"}), org=INSTITUTE
)
AUDITOR = Actor(id="S001", name="审计员", roles=frozenset({CROSS_ORG_READ_ROLE}), org="11650100MB2345678C")
DAY = Shift(
    code="DAY",
    name="常日班",
    timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),),
    grace_late_minutes=5,
)
TABLES = (
    "attendance_settings",
    "attendance_enrolment",
    "attendance_shift",
    "attendance_shift_assignment",
    "attendance_punch",
    "attendance_unenrolled_punch",
    "attendance_request",
    "attendance_month",
    "attendance_compensatory_rest",
    "core_audit_record",
    "core_outbox_event",
)
"""What a refusal may not change (daily results are a cache computed on read, so they are left out)."""
METHODS = {
    name: fn
    for name, fn in inspect.getmembers(AttendanceService, inspect.isfunction)
    if not name.startswith("_") and name != "capabilities"
}
WRITES = {name for name, fn in METHODS.items() if re.search(r"^\s+PermissionDenied:", fn.__doc__ or "", re.M)}
READS = set(METHODS) - WRITES
APPROVER_STEPS = {"approve", "reject", "grant_compensatory_rest"}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), BJ)


def _enrolment(org: str, person: str, name: str, start: date) -> Enrolment:
    return Enrolment(
        person=PersonRef(person_id=person, organization_credit_code=org, name=name),
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
    service.enrol(clerk, org, _enrolment(org, "E001", name, date(2023, 1, 1)))


@pytest.fixture
def office(engine: Engine) -> tuple[ReferenceService, str]:
    """The office and the institution, each with E001; the office's E001 worked Saturday 8 April and
    asked for leave on 6 April (pending). Returns the service and the leave's id."""
    service = ReferenceService(engine)
    _open(service, OFFICE, CLERK, NAME)
    _open(service, INSTITUTE, FOREIGN, "王建国")
    service.record_punches(
        CLERK, OFFICE, [Punch(person_id="E001", punched_at=_at(date(2023, 4, 8), h)) for h in (9, 17)]
    )
    leave = service.request_leave(
        CLERK,
        OFFICE,
        LeaveRequestIn(
            person_id="E001",
            leave_type="personal",
            start_date=date(2023, 4, 6),
            end_date=date(2023, 4, 6),
            reason=REASON,
        ),
    )
    return service, leave.id


def _arguments(request_id: str) -> dict[str, Any]:
    """One argument for each parameter name of the Protocol, about the office."""
    day = date(2023, 4, 3)
    return {
        "org": OFFICE,
        "settings": OrgSettings(region="650000", corrections_per_month=2),
        "enrolment": _enrolment(OFFICE, "E009", "李华", date(2023, 6, 1)),
        "person_id": "E001",
        "last_day": date(2023, 4, 30),
        "unit": OrgUnitRef(organization_credit_code=OFFICE, unit_code="CWK", name="财务科"),
        "effective_date": date(2023, 4, 17),
        "shift": DAY.model_copy(update={"code": "LATE"}),
        "assignment": ShiftAssignment(shift_code="DAY", person_id="E001", valid_from=date(2023, 4, 1)),
        "punches": [Punch(person_id="E001", punched_at=_at(day, 9))],
        "data": "person_id,punched_at\nE001,2023-04-03T18:00:00+08:00\n",
        "start": day,
        "end": day,
        "day": date(2023, 4, 8),
        "on": day,
        "request": LeaveRequestIn(person_id="E001", leave_type="personal", start_date=day, end_date=day),
        "trip": TripRequestIn(person_id="E001", start_date=date(2023, 4, 4), end_date=date(2023, 4, 4)),
        "correction": PunchCorrectionIn(person_id="E001", punched_at=_at(day, 9), reason="忘记打卡"),
        "request_id": request_id,
        "year": 2023,
        "month": 4,
        "unit_code": "BGS",
        "entity": "enrolment",
        "entity_id": f"{OFFICE}/E001",
        "event": CloudEvent(
            id="separated-E001",
            source="/test/personnel",
            type="cn.govparts.personnel.employee.separated.v1",
            subject=f"employee/{OFFICE}/E001",
            data={
                "person": {"person_id": "E001", "organization_credit_code": OFFICE, "name": NAME},
                "effective_date": "2023-04-29",
            },
        ),
    }


def _call(service: ReferenceService, name: str, actor: Actor, request_id: str) -> Callable[[], object]:
    """The call of Protocol method ``name`` by ``actor``, its arguments in the Protocol's order."""
    arguments = _arguments(request_id)
    params = list(inspect.signature(METHODS[name]).parameters.values())[2:]
    positional = [
        arguments[p.name] for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
    ]
    return lambda: getattr(service, name)(actor, *positional)


def _written(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}


def _cross_org_reads(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT COUNT(*) FROM core_audit_record WHERE action = :a AND entity_id = :org"),
            {"a": CROSS_ORG_READ_ACTION, "org": OFFICE},
        ).scalar_one()


def _reveals_nothing(error: BaseException) -> None:
    text = f"{error} {error.args!r}"
    for secret in (NAME, OFFICE, REASON):
        assert secret not in text, (type(error).__name__, text)


def test_the_matrix_covers_every_protocol_method() -> None:
    """Lists every Protocol method but capabilities, each a read or a write by its documented errors."""
    listed = {
        n for n, _ in inspect.getmembers(AttendanceService, inspect.isfunction) if not n.startswith("_")
    }
    assert set(METHODS) | {"capabilities"} == listed
    assert {"configure", "record_punches", "close_month", "approve", "receive_event"} <= WRITES
    assert {"daily_results", "audit_trail", "published_events", "enrolment"} <= READS


@pytest.mark.parametrize("name", sorted(METHODS))
def test_the_right_role_of_the_office_is_allowed(
    engine: Engine, office: tuple[ReferenceService, str], name: str
) -> None:
    """Allows the office's clerk (the approver for approval steps) to call the method."""
    service, request_id = office
    actor = BOSS if name in APPROVER_STEPS else CLERK
    _call(service, name, actor, request_id)()


def test_another_organisations_clerk_is_refused_everywhere(
    engine: Engine, office: tuple[ReferenceService, str]
) -> None:
    """Refuses the institution's clerk on every method with OrganizationDenied; writes and reveals nothing."""
    service, request_id = office
    before = _written(engine)
    for name in sorted(METHODS):
        with pytest.raises(OrganizationDenied) as caught:
            _call(service, name, FOREIGN, request_id)()
        _reveals_nothing(caught.value)
        assert _written(engine) == before, name


def test_an_actor_without_a_role_writes_nothing(engine: Engine, office: tuple[ReferenceService, str]) -> None:
    """Refuses every write by an actor of the office without a role (PermissionDenied); reads are allowed."""
    service, request_id = office
    before = _written(engine)
    for name in sorted(WRITES):
        with pytest.raises(PermissionDenied) as caught:
            _call(service, name, NO_ROLE, request_id)()
        assert not isinstance(caught.value, OrganizationDenied), name
        _reveals_nothing(caught.value)
        assert _written(engine) == before, name
    for name in sorted(READS):
        _call(service, name, NO_ROLE, request_id)()
    assert _written(engine) == before


def test_each_role_is_refused_the_others_writes(engine: Engine, office: tuple[ReferenceService, str]) -> None:
    """Refuses approval steps to the clerk and the clerk's writes to the approver, writing nothing."""
    service, request_id = office
    before = _written(engine)
    for name in sorted(WRITES):
        actor = CLERK if name in APPROVER_STEPS else BOSS
        if name == "cancel":
            continue  # an approver may withdraw a request too
        with pytest.raises(PermissionDenied):
            _call(service, name, actor, request_id)()
        assert _written(engine) == before, name


def test_a_cross_organisation_auditor_reads_audited_and_never_writes(
    engine: Engine, office: tuple[ReferenceService, str]
) -> None:
    """Lets the auditor call every read, each audited once; refuses every write, writing nothing."""
    service, request_id = office
    for name in sorted(READS):
        reads = _cross_org_reads(engine)
        _call(service, name, AUDITOR, request_id)()
        assert _cross_org_reads(engine) == reads + 1, name
    before = _written(engine)
    for name in sorted(WRITES):
        with pytest.raises(OrganizationDenied) as caught:
            _call(service, name, AUDITOR, request_id)()
        _reveals_nothing(caught.value)
        assert _written(engine) == before, name
