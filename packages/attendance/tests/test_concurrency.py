"""Concurrent sessions on PostgreSQL: the same punches imported twice at once, one request approved twice."""

from __future__ import annotations

import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.attendance import Enrolment, LeaveRequestIn, MonthLocked, OrgSettings, Punch
from govparts.attendance.service import ReferenceService
from govparts.attendance.tables import AttendancePunch
from govparts.core.errors import ConcurrentModification, TransitionNotAllowed
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

BJ = ZoneInfo("Asia/Shanghai")
ORG = "91650100MA0000001U"
CLERK = Actor(id="K000", name="考勤员", roles=frozenset({"attendance_clerk"}), org=ORG)


def _enrolled(service: ReferenceService) -> None:
    service.configure(CLERK, ORG, OrgSettings(region="650000"))
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PersonRef(person_id="E001", organization_credit_code=ORG, name="阿依古丽·买买提"),
            unit=OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室"),
            first_employment_date=date(2015, 3, 10),
            start_date=date(2023, 1, 1),
        ),
    )


def _race(*calls: object) -> list[BaseException | object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[BaseException | object] = [None] * len(calls)

    def run(index: int, call: object) -> None:
        barrier.wait()
        try:
            outcomes[index] = call()  # type: ignore[operator]
        except BaseException as exc:
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgresql
def test_concurrent_imports_of_one_file_store_each_punch_once(engine: Engine) -> None:
    """Stores every punch exactly once when two sessions import the same file at the same moment."""
    service = ReferenceService(engine)
    _enrolled(service)
    punches = [
        Punch(person_id="E001", punched_at=datetime.combine(date(2023, 4, d), time(h), BJ))
        for d in range(3, 8)
        for h in (10, 19)
    ]
    outcomes = _race(
        lambda: service.record_punches(CLERK, ORG, punches),
        lambda: service.record_punches(CLERK, ORG, punches),
    )
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    with engine.connect() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(AttendancePunch)).scalar_one()
    assert stored == len(punches)


@pytest.mark.postgresql
def test_one_of_two_concurrent_approvals_wins(engine: Engine) -> None:
    """Lets one of two approvers approve a request at once; the other is refused, not applied twice."""
    service = ReferenceService(engine)
    _enrolled(service)
    clerk = Actor(id="K001", name="考勤员", roles=frozenset({"employee"}))
    made = service.request_leave(
        clerk,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 4, 10), end_date=date(2023, 4, 10)
        ),
    )
    a = Actor(id="L001", name="科长", roles=frozenset({"approver"}))
    b = Actor(id="L002", name="处长", roles=frozenset({"approver"}))
    outcomes = _race(lambda: service.approve(a, ORG, made.id), lambda: service.approve(b, ORG, made.id))
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ConcurrentModification | TransitionNotAllowed), errors
    assert service.get_request(CLERK, ORG, made.id).state == "approved"


@pytest.mark.postgresql
def test_a_month_closed_twice_at_once_closes_once(engine: Engine) -> None:
    """Closes a month once when two clerks close it at the same moment; the other is told it is locked."""
    service = ReferenceService(engine)
    _enrolled(service)
    clerk = Actor(id="K001", name="考勤员", roles=frozenset({"attendance_clerk"}))
    other = Actor(id="K002", name="考勤员二", roles=frozenset({"attendance_clerk"}))
    outcomes = _race(
        lambda: service.close_month(clerk, ORG, 2023, 4),
        lambda: service.close_month(other, ORG, 2023, 4),
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], MonthLocked | ConcurrentModification), errors
    assert service.is_month_closed(CLERK, ORG, 2023, 4)
