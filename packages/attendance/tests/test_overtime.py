"""Overtime classes of 《劳动法》 Art. 44 and compensatory rest (调休假), from the notices' own examples."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from govparts.attendance import (
    Enrolment,
    LeaveRequestIn,
    OrgSettings,
    OvertimeKind,
    Period,
    Punch,
    RestCredit,
    Shift,
    ShiftAssignment,
    Timetable,
    compensatory_rest_ledger,
    credit_expires,
    overtime_class,
)
from govparts.attendance.service import ReferenceService
from govparts.core.calendar import day_info
from govparts.core.errors import GuardFailed, PermissionDenied
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

VECTORS = Path(__file__).parent / "vectors" / "overtime-classes.csv"
ROWS = [
    row
    for row in csv.DictReader(
        line for line in VECTORS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    )
]
BJ = ZoneInfo("Asia/Shanghai")
ORG = "91650100MA0000001U"
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk"}), org=ORG)
BOSS = Actor(id="L001", name="科长", roles=frozenset({"approver"}), org=ORG)
DAY = Shift(
    code="DAY", name="常日班", timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),)
)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['date']}-{r['region'] or 'national'}" for r in ROWS])
def test_the_notices_days_take_their_class(row: dict[str, str]) -> None:
    """Classes each day the notices name as the notice makes it: statutory, moved rest day or worked."""
    day = day_info(date.fromisoformat(row["date"]), region=row["region"] or None)
    assert overtime_class(day) == row["class"], row["why"]


def test_a_regional_festival_weekday_follows_the_organisations_class() -> None:
    """Classes 肉孜节 2025-03-31 as rest_day when the organisation says so, its Saturday either way."""
    festival, saturday = day_info(date(2025, 3, 31), region="65"), day_info(date(2025, 3, 29), region="65")
    assert overtime_class(festival, regional_festival="rest_day") is OvertimeKind.REST_DAY
    assert overtime_class(saturday, regional_festival="statutory_holiday") is OvertimeKind.REST_DAY


def test_a_credit_may_be_taken_on_its_last_day_and_is_gone_the_day_after() -> None:
    """Keeps a credit through its last day and expires it unused the next day."""
    credit = RestCredit(date(2025, 2, 1), 480, credit_expires(date(2025, 2, 1), 30))
    assert credit.expires == date(2025, 3, 3)
    last = compensatory_rest_ledger([credit], [], date(2025, 3, 3))
    gone = compensatory_rest_ledger([credit], [], date(2025, 3, 4))
    assert (last.remaining, last.expired, last.next_expiry) == (480, 0, date(2025, 3, 3))
    assert (gone.remaining, gone.expired, gone.next_expiry) == (0, 480, None)


def test_leave_takes_the_credit_that_expires_first() -> None:
    """Takes minutes from the soonest-expiring credit, so the later one survives the first's expiry."""
    early = RestCredit(date(2025, 2, 1), 480, date(2025, 3, 1))
    late = RestCredit(date(2025, 2, 2), 480, date(2025, 6, 1))
    ledger = compensatory_rest_ledger([late, early], [(date(2025, 2, 10), 480)], date(2025, 4, 1))
    assert (ledger.credited, ledger.taken, ledger.expired, ledger.remaining) == (960, 480, 0, 480)


def test_leave_before_its_credit_is_earned_is_overdrawn() -> None:
    """Counts rest taken before the overtime that would pay for it as overdrawn."""
    credit = RestCredit(date(2025, 2, 8), 480, date(2025, 5, 8))
    ledger = compensatory_rest_ledger([credit], [(date(2025, 2, 3), 480)], date(2025, 2, 28))
    assert (ledger.overdrawn, ledger.remaining) == (480, 0)


def _office(service: ReferenceService, **settings: object) -> None:
    service.configure(CLERK, ORG, OrgSettings.model_validate(settings))
    service.define_shift(CLERK, ORG, DAY)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2022, 1, 1))
    )
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PersonRef(person_id="E001", organization_credit_code=ORG, name="阿依古丽·买买提"),
            unit=OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室"),
            first_employment_date=date(2015, 3, 10),
            start_date=date(2022, 1, 1),
        ),
    )


def _work(service: ReferenceService, *days: date, until: int = 19) -> None:
    punches = [
        Punch(person_id="E001", punched_at=datetime.combine(d, time(h), BJ)) for d in days for h in (9, until)
    ]
    service.record_punches(CLERK, ORG, punches)


@pytest.mark.db
@pytest.mark.parametrize("region", ["", "65"])
def test_results_book_the_notices_days_in_their_class(service: ReferenceService, region: str) -> None:
    """Books overtime on every day of the vectors in its class, national and Xinjiang."""
    _office(service, region=region or None)
    rows = [r for r in ROWS if r["region"] == region]
    for row in rows:
        day = date.fromisoformat(row["date"])
        _work(service, day)  # one day at a time: Xinjiang's 2024 is not published
        (result,) = service.daily_results(CLERK, ORG, "E001", day, day)
        assert result.overtime_kind == row["class"], row


@pytest.mark.db
def test_statutory_overtime_is_paid_unless_the_organisation_converts_it(service: ReferenceService) -> None:
    """Refuses to credit 2025-01-29 (statutory) by default, credits it once the policy allows it."""
    _office(service)
    _work(service, date(2025, 1, 29), until=17)
    with pytest.raises(GuardFailed) as refused:
        service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 1, 29))
    assert refused.value.field == "day"
    assert service.compensatory_rest(CLERK, ORG, "E001", date(2025, 1, 31)).credited_minutes == 0
    service.configure(CLERK, ORG, OrgSettings(statutory_overtime_as_time_off=True))
    credited = service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 1, 29))
    assert credited.credited_minutes == 480


@pytest.mark.db
def test_only_an_approver_credits_time_off(service: ReferenceService) -> None:
    """Refuses a clerk who is not an approver, and writes nothing."""
    _office(service)
    _work(service, date(2025, 2, 1))
    with pytest.raises(PermissionDenied):
        service.grant_compensatory_rest(CLERK, ORG, "E001", date(2025, 2, 1))
    assert service.compensatory_rest(CLERK, ORG, "E001", date(2025, 2, 1)).credited_minutes == 0


@pytest.mark.db
def test_pending_rest_is_set_aside_and_cancelled_rest_returns(service: ReferenceService) -> None:
    """Sets pending leave aside from what is available and gives it back when cancelled."""
    _office(service)
    _work(service, date(2025, 2, 1), until=17)
    service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 2, 1))
    asked = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001",
            leave_type="compensatory_rest",
            start_date=date(2025, 2, 5),
            end_date=date(2025, 2, 5),
        ),
    )
    held = service.compensatory_rest(CLERK, ORG, "E001", date(2025, 2, 5))
    assert (held.pending_minutes, held.remaining_minutes, held.available_minutes) == (480, 480, 0)
    service.cancel(CLERK, ORG, asked.id)
    back = service.compensatory_rest(CLERK, ORG, "E001", date(2025, 2, 5) + timedelta(days=1))
    assert (back.pending_minutes, back.available_minutes) == (0, 480)
