"""A vendor's small app on two parts: personnel hires people, attendance keeps their time.

The parts never import each other. Personnel writes ``employee.hired`` events into the outbox in
the transaction that hires; a core ``Dispatcher`` carrying attendance's own handlers delivers them,
and attendance enrols each person. The app then records clock-ins of September 2025 and reads the
month summaries. Every person and organisation is invented; the identity numbers and the credit
code carry valid check characters.
"""

import tempfile
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from govparts.attendance import OrgSettings, Period, Punch, Shift, ShiftAssignment, Timetable
from govparts.attendance.service import ReferenceService as Attendance
from govparts.core import events, migrate
from govparts.core.db import create_engine
from govparts.core.security import Actor
from govparts.personnel.models import Organization, OrgUnit
from govparts.personnel.service import ReferenceService as Personnel

ORG = "11650102MB00012342"  # GB 32100-2015: the last character is the MOD 31-3 check character
# Every actor acts for one organisation: the parts refuse it another organisation's data.
CLERK = Actor(id="hr-clerk-01", name="人事干部", unit="RSK", roles=frozenset({"hr_clerk"}), org=ORG)
HEAD = Actor(id="hr-head-01", name="人事科科长", unit="RSK", roles=frozenset({"hr_head"}), org=ORG)
TIMEKEEPER = Actor(
    id="kq-clerk-01", name="考勤员", unit="BGS", roles=frozenset({"attendance_clerk"}), org=ORG
)
BEIJING = ZoneInfo("Asia/Shanghai")


def employee(number: str, name: str, citizen_id: str, *, sex: str, born: str, joined: str) -> dict[str, str]:
    """An exchange record (人员信息交换格式) of a civil servant in the office."""
    return {
        "organization_credit_code": ORG,
        "employee_no": number,
        "name": name,
        "citizen_id": citizen_id,
        "sex": sex,
        "birth_date": born,
        "ethnic_group": "05" if "·" in name else "01",
        "native_place": citizen_id[:6],
        "political_status": "13",
        "education": "21",
        "marital_status": "20",
        "category": "11",
        "establishment": "10",
        "unit_code": "BGS",
        "joined_on": joined,
        "first_employment_date": joined,
    }


with tempfile.TemporaryDirectory() as tmp:
    engine = create_engine(f"sqlite:///{Path(tmp) / 'app.db'}")
    migrate.upgrade(engine)  # the tables of core and of every installed part

    # 1. Personnel: the organisation, its office, two hires. Each hire writes employee.hired.
    personnel = Personnel(engine)
    personnel.register_organization(
        HEAD,
        ORG,
        Organization(
            credit_code=ORG,
            name="示例区机关事务管理局",
            name_en="Example District Government Offices Administration",
            name_ug="مىسال رايونلۇق ئورگان ئىشلىرىنى باشقۇرۇش ئىدارىسى",
            division_code="650102",
        ),
    )
    personnel.add_unit(
        HEAD,
        ORG,
        OrgUnit(
            organization_credit_code=ORG, unit_code="BGS", name="办公室", effective_from=date(2020, 1, 1)
        ),
    )
    personnel.set_quota(HEAD, ORG, "10", 5)
    ayinur = employee(
        "E000101", "阿依努尔·艾合买提", "65010219850314052X", sex="2", born="1985-03-14", joined="2010-07-01"
    )
    li_juan = employee(
        "E000102", "李娟", "653101199007210649", sex="2", born="1990-07-21", joined="2025-09-01"
    )
    for record in (ayinur, li_juan):
        personnel.hire(CLERK, ORG, record)

    # 2. Attendance: the office's settings (Xinjiang's calendar: 650000 adds its own holidays) and
    #    hours (Xinjiang keeps Beijing time with later hours). Every call names the organisation.
    attendance = Attendance(engine, {ORG: OrgSettings(region="650000")})
    attendance.define_shift(
        TIMEKEEPER,
        ORG,
        Shift(
            code="XJ-OFFICE",
            name="自治区机关作息",
            kind="split",
            timetables=(
                Timetable(
                    starts_on="01-01",
                    periods=(Period(start=time(10), end=time(14)), Period(start=time(16), end=time(20))),
                ),
            ),
            grace_late_minutes=5,
        ),
    )
    attendance.assign_shift(
        TIMEKEEPER,
        ORG,
        ShiftAssignment(shift_code="XJ-OFFICE", unit_code="BGS", valid_from=date(2025, 1, 1)),
    )

    # 3. Drain the outbox: the dispatcher hands personnel's events to attendance's handlers.
    dispatcher = events.Dispatcher(engine, attendance.personnel_handlers())
    report = dispatcher.run()
    assert report.failures == []
    assert report.delivered == 2  # one employee.hired per hire
    assert dispatcher.run().delivered == 0  # nothing is delivered twice
    enrolment = attendance.enrolment(TIMEKEEPER, ORG, "E000102")
    assert (enrolment.unit.unit_code, enrolment.start_date) == ("BGS", date(2025, 9, 1))

    # 4. September's clock-ins: four a day; 李娟 arrives at 10:12 on 15 September.
    workdays = attendance.calendar(ORG).workdays_in_month(2025, 9)
    assert date(2025, 9, 28) in workdays  # a Sunday worked in exchange for the National Day holiday
    punches = []
    for day in workdays:
        for person in ("E000101", "E000102"):
            first = time(10, 12) if (person, day) == ("E000102", date(2025, 9, 15)) else time(9, 55)
            for clock in (first, time(14, 1), time(15, 58), time(20, 3)):
                punches.append(Punch(person_id=person, punched_at=datetime.combine(day, clock, BEIJING)))
    assert attendance.record_punches(TIMEKEEPER, ORG, punches).stored == len(punches)

    # 5. The month summaries.
    for person in ("E000101", "E000102"):
        summary = attendance.month_summary(TIMEKEEPER, ORG, person, 2025, 9)
        assert summary.days_due == len(workdays)
        assert summary.absent_days == 0
        print(person, summary.days_present, summary.late_count, summary.late_minutes)
    late = attendance.month_summary(TIMEKEEPER, ORG, "E000102", 2025, 9)
    assert (late.late_count, late.late_minutes) == (1, 12)
    engine.dispose()
