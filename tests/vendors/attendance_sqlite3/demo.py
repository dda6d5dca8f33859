"""The vendor's share of ``govparts demo``: April 2023 of the office, on its own sqlite3 database.

It learns the office's people only from personnel's events (``employee.hired`` / ``transferred`` /
``separated``), through the handler it registers in ``setup``. The month holds 清明节 (04-05, a
national holiday), 肉孜节 (04-21, given off in Xinjiang) and Sunday 04-23 worked for 劳动节 (调休).
The office keeps Beijing time with Xinjiang's later, split hours (winter timetable: 10:00–14:00 and
15:30–19:30). Everyone punches the month's workdays; one person is late twice, one takes two days
of annual leave, one goes to Kashgar on business for three days, one forgets a punch and has it
corrected. The month is closed and ``cn.govparts.attendance.month.closed.v1`` published to the
shared outbox; the report reads every figure back from the service.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from govparts.attendance import MonthLocked, Period, Timetable
from govparts.attendance.events import MONTH_CLOSED
from govparts.attendance.models import (
    DailyResult,
    LeaveRequestIn,
    MonthSummary,
    OrgSettings,
    Punch,
    PunchCorrectionIn,
    Shift,
    ShiftAssignment,
    TripRequestIn,
)
from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.demo import LEAVER, MANAGERS, PEOPLE, DemoContext
from govparts.core.errors import GovPartsError, NotFound
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from .service import VENDOR, SqliteAttendanceService

__all__ = ["SCENARIO", "SERVICE"]

SERVICE = f"{VENDOR}:service"
"""Key of this vendor's service in ``ctx.facts`` (private to the vendor; no other part reads it)."""
_ROLES = f"{VENDOR}:roles"

BJ = ZoneInfo("Asia/Shanghai")
CLERK = Actor(
    id="att-clerk-01", name="古丽娜尔·阿不都", unit="BGS", roles=frozenset({"employee", "attendance_clerk"})
)
"""The attendance clerk (考勤员), invented."""
CHIEF = Actor(id="att-chief-01", name="李志强", unit="BGS", roles=frozenset({"approver"}))
"""The approver when personnel names no head of the General Office, invented."""
XINJIANG_HOURS = Shift(
    code="XJ-OFFICE",
    name="自治区机关作息",
    kind="split",
    timetables=(
        Timetable(
            starts_on="05-01",
            periods=(Period(start=time(10), end=time(14)), Period(start=time(16), end=time(20))),
        ),
        Timetable(
            starts_on="10-01",
            periods=(Period(start=time(10), end=time(14)), Period(start=time(15, 30), end=time(19, 30))),
        ),
    ),
    grace_late_minutes=5,
    grace_early_minutes=5,
    half_day_minutes=240,
)
ON_TIME = (time(9, 56), time(14, 2), time(15, 27), time(19, 33))
LATE_ARRIVAL = time(10, 17)
LATE_DAYS = (date(2023, 4, 3), date(2023, 4, 23))
LEAVE = (date(2023, 4, 13), date(2023, 4, 14))
TRIP = (date(2023, 4, 10), date(2023, 4, 12))
FORGOTTEN = date(2023, 4, 18)


def _t(zh: str, en: str, ug: str) -> tuple[str, str, str]:
    return (zh, en, ug)


def _service(ctx: DemoContext) -> SqliteAttendanceService:
    found = ctx.facts[SERVICE]
    assert isinstance(found, SqliteAttendanceService)
    return found


def _database_file(ctx: DemoContext) -> Path:
    """Beside the shared SQLite file when there is one, else in a directory of its own."""
    shared = ctx.engine.url.database if ctx.engine.url.get_backend_name() == "sqlite" else None
    if shared and shared != ":memory:":
        return Path(f"{shared}.{VENDOR}.sqlite3")
    return Path(tempfile.mkdtemp(prefix=f"{VENDOR}-")) / "attendance.sqlite3"


def setup(ctx: DemoContext) -> None:
    """The vendor's database, the office's calendar region and hours, the handler of personnel events."""
    path = _database_file(ctx)
    service = SqliteAttendanceService(path)
    own = service.database_file(ctx.office.credit_code)
    for stale in (own, Path(f"{own}-wal"), Path(f"{own}-shm")):
        stale.unlink(missing_ok=True)
    ctx.facts[SERVICE] = service
    service.configure(_clerk(ctx), ctx.office.credit_code, OrgSettings(region=ctx.office.division_code))
    service.define_shift(_clerk(ctx), ctx.office.credit_code, XINJIANG_HOURS)
    for unit in ctx.office.units:
        service.assign_shift(
            _clerk(ctx),
            ctx.office.credit_code,
            ShiftAssignment(
                shift_code=XINJIANG_HOURS.code, unit_code=unit.unit_code, valid_from=date(2023, 1, 1)
            ),
        )
    ctx.dispatcher.add(service.personnel_handler())
    stored = service.settings(ctx.office.credit_code)
    ctx.check(
        _t(
            "考勤日历采用本单位所在地区",
            "the attendance calendar is the office's region",
            "ئىشقا كېلىش كالېندارى ئورۇن جايلاشقان رايوننىڭ",
        ),
        stored.region == ctx.office.division_code
        and service.calendar(ctx.office.credit_code).covers(ctx.year),
        stored.region,
    )


def _approver(ctx: DemoContext, unit_code: str) -> Actor:
    """The head of the person's unit (from personnel), else an invented deputy."""
    managers: Mapping[str, PersonRef] = ctx.facts.get(MANAGERS) or {}
    head = managers.get(unit_code)
    if head is None:
        return CHIEF.model_copy(update={"org": ctx.office.credit_code})
    return Actor(
        id=head.person_id,
        name=head.name,
        unit=unit_code,
        roles=frozenset({"approver"}),
        org=ctx.office.credit_code,
    )


def _clerk(ctx: DemoContext) -> Actor:
    """The clerk, acting for this run's office."""
    return CLERK.model_copy(update={"org": ctx.office.credit_code})


def _self(ctx: DemoContext, service: SqliteAttendanceService, person_id: str) -> Actor:
    """The person, asking for their own leave, trip or correction."""
    e = service.enrolment(_clerk(ctx), ctx.office.credit_code, person_id)
    return Actor(
        id=person_id,
        name=e.person.name,
        unit=e.unit.unit_code,
        roles=frozenset({"employee"}),
        org=ctx.office.credit_code,
    )


def _whole_month(
    ctx: DemoContext, service: SqliteAttendanceService, people: Sequence[PersonRef], first: date, last: date
) -> list[str]:
    """Ids of people enrolled every day of the month, in id order."""
    found = []
    for person in people:
        try:
            e = service.enrolment(_clerk(ctx), ctx.office.credit_code, person.person_id)
        except GovPartsError:
            continue
        if e.start_date <= first and (e.end_date is None or e.end_date >= last):
            found.append(person.person_id)
    return sorted(found)


def _cast(ctx: DemoContext, service: SqliteAttendanceService, candidates: list[str]) -> dict[str, str]:
    """Who is late, on leave, away on business and forgets a punch (four different people)."""
    rng = ctx.random_for("attendance")
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    heads = {p.person_id for p in (ctx.facts.get(MANAGERS) or {}).values()}  # they approve
    pool = [p for p in candidates if p not in heads and (leaver is None or p != leaver.person_id)]
    rng.shuffle(pool)
    with_leave = [
        p
        for p in pool
        if (
            service.leave_balance(_clerk(ctx), ctx.office.credit_code, p, ctx.year, on=LEAVE[0]).remaining
            or 0
        )
        >= len(LEAVE)
    ]
    cast = {"leave": with_leave[0]} if with_leave else {}
    rest = [p for p in pool if p not in cast.values()]
    for role, person in zip(("late", "trip", "correction"), rest, strict=False):
        cast[role] = person
    return cast


def operate(ctx: DemoContext) -> None:
    """The month's punches (imported twice: the second import stores nothing), leave, a trip, a correction."""
    service = _service(ctx)
    people: list[PersonRef] = ctx.facts.get(PEOPLE) or []
    first = date(ctx.year, ctx.month, 1)
    last = date(ctx.year + ctx.month // 12, ctx.month % 12 + 1, 1) - timedelta(days=1)
    enrolled = []
    for person in people:
        try:
            enrolled.append(service.enrolment(_clerk(ctx), ctx.office.credit_code, person.person_id))
        except GovPartsError:
            continue
    ctx.check(
        _t(
            "人事录用的人员均已通过事件登记考勤",
            "everyone personnel hired is enrolled, through events alone",
            "كادىرلار بۆلۈمى قوبۇل قىلغانلارنىڭ ھەممىسى ھادىسە ئارقىلىق تىزىملاندى",
        ),
        bool(people) and len(enrolled) == len(people),
        f"{len(enrolled)}/{len(people)} · {service.processed_events(ctx.office.credit_code)}",
    )
    cast = _cast(ctx, service, _whole_month(ctx, service, people, first, last))
    ctx.facts[_ROLES] = cast
    rng = random.Random(f"{ctx.seed}:{VENDOR}:punches")
    workdays = service.calendar(ctx.office.credit_code).workdays(first, last)
    punches: list[Punch] = []
    for e in enrolled:
        pid = e.person.person_id
        # every day of every enrolment in the month, the unit a person was moved from included
        days = {r.day for r in service.daily_results(_clerk(ctx), ctx.office.credit_code, pid, first, last)}
        for day in workdays:
            if day not in days:
                continue
            if (pid == cast.get("leave") and LEAVE[0] <= day <= LEAVE[1]) or (
                pid == cast.get("trip") and TRIP[0] <= day <= TRIP[1]
            ):
                continue
            times = [time(c.hour, c.minute - rng.randrange(3)) for c in ON_TIME]
            if pid == cast.get("late") and day in LATE_DAYS:
                times[0] = LATE_ARRIVAL
            if pid == cast.get("correction") and day == FORGOTTEN:
                times.pop(2)
            punches += [
                Punch(person_id=pid, punched_at=datetime.combine(day, t, BJ), device="GATE-1") for t in times
            ]
    stored = service.record_punches(_clerk(ctx), ctx.office.credit_code, punches)
    again = service.record_punches(_clerk(ctx), ctx.office.credit_code, punches)
    ctx.check(
        _t(
            "重复导入打卡不新增记录",
            "importing the punches again stores nothing",
            "ئىمزانى قايتا ئەكىرىش ھېچنېمە قوشمايدۇ",
        ),
        stored.stored == len(punches) and again.stored == 0 and again.duplicates == len(punches),
        f"{stored.stored} · {again.stored}/{again.duplicates}",
    )
    asked: list[str] = []
    if "leave" in cast:
        pid = cast["leave"]
        leave = service.request_leave(
            _self(ctx, service, pid),
            ctx.office.credit_code,
            LeaveRequestIn(
                person_id=pid, leave_type="annual", start_date=LEAVE[0], end_date=LEAVE[1], reason="探亲"
            ),
        )
        asked.append(
            service.approve(
                _approver(ctx, service.enrolment(_clerk(ctx), ctx.office.credit_code, pid).unit.unit_code),
                ctx.office.credit_code,
                leave.id,
            ).id
        )
    if "trip" in cast:
        pid = cast["trip"]
        trip = service.request_trip(
            _self(ctx, service, pid),
            ctx.office.credit_code,
            TripRequestIn(
                person_id=pid, start_date=TRIP[0], end_date=TRIP[1], destination="喀什", reason="调研"
            ),
        )
        asked.append(
            service.approve(
                _approver(ctx, service.enrolment(_clerk(ctx), ctx.office.credit_code, pid).unit.unit_code),
                ctx.office.credit_code,
                trip.id,
            ).id
        )
    if "correction" in cast:
        pid = cast["correction"]
        fix = service.request_correction(
            _self(ctx, service, pid),
            ctx.office.credit_code,
            PunchCorrectionIn(
                person_id=pid, punched_at=datetime.combine(FORGOTTEN, ON_TIME[2], BJ), reason="门禁故障"
            ),
        )
        asked.append(
            service.approve(
                _approver(ctx, service.enrolment(_clerk(ctx), ctx.office.credit_code, pid).unit.unit_code),
                ctx.office.credit_code,
                fix.id,
            ).id
        )
    states = [service.get_request(_clerk(ctx), ctx.office.credit_code, r).state for r in asked]
    ctx.check(
        _t(
            "本人申请的请假、出差和补卡经科室负责人批准",
            "leave, a trip and a punch correction, each asked by the person, approved by the unit head",
            "ئۆزى سورىغان رۇخسەت، سەپەر ۋە ئىمزا تولۇقلاش بۆلۈم مەسئۇلى تەرىپىدىن تەستىقلاندى",
        ),
        states == ["approved"] * 3,
        ", ".join(states) or "-",
    )


def close(ctx: DemoContext) -> None:
    """Close April and publish its summaries as ``attendance.month.closed`` to the shared outbox."""
    service = _service(ctx)
    closed = service.close_month(CLERK, ctx.office.credit_code, ctx.year, ctx.month)
    with session_scope(ctx.engine) as session:
        events.publish(
            session, MONTH_CLOSED, closed, subject=f"attendance_month/{ctx.year:04d}-{ctx.month:02d}"
        )
    people: list[PersonRef] = ctx.facts.get(PEOPLE) or []
    ctx.check(
        _t(
            "月结汇总包括本月在册的每一个人",
            "the month close summarises everyone enrolled in the month",
            "ئاي يېپىلىشى شۇ ئايدىكى ھەممە خادىمنى ئۆز ئىچىگە ئالىدۇ",
        ),
        closed.people == len(people) == len(closed.summaries),
        f"{closed.people}/{len(people)}",
    )
    try:
        service.record_punches(
            _clerk(ctx),
            ctx.office.credit_code,
            [
                Punch(
                    person_id=s.person_id,
                    punched_at=datetime.combine(date(ctx.year, ctx.month, 28), time(10), BJ),
                    device="LATE",
                )
                for s in closed.summaries[:1]
            ],
        )
        refused = False
    except MonthLocked:
        refused = True
    ctx.check(
        _t(
            "月结后该月打卡被拒绝",
            "a punch in the closed month is refused",
            "يېپىلغان ئايغا ئىمزا رەت قىلىندى",
        ),
        refused and service.is_month_closed(_clerk(ctx), ctx.office.credit_code, ctx.year, ctx.month),
    )


def _kinds(results: Sequence[DailyResult]) -> dict[date, str]:
    return {r.day: r.day_kind for r in results}


def report(ctx: DemoContext) -> None:
    """Checks read back from the service, the units' month and the month of the four people of the story."""
    service = _service(ctx)
    first = date(ctx.year, ctx.month, 1)
    last = date(ctx.year + ctx.month // 12, ctx.month % 12 + 1, 1) - timedelta(days=1)
    summaries = {
        s.person_id: s
        for s in service.month_summaries(_clerk(ctx), ctx.office.credit_code, ctx.year, ctx.month)
    }
    cast: dict[str, str] = ctx.facts.get(_ROLES) or {}
    workdays = service.calendar(ctx.office.credit_code).workdays(first, last)
    anyone = next(iter(cast.values()), None)
    if anyone is not None:
        kinds = _kinds(service.daily_results(_clerk(ctx), ctx.office.credit_code, anyone, first, last))
        expected = {
            date(2023, 4, 5): "holiday",
            date(2023, 4, 21): "holiday",
            date(2023, 4, 23): "makeup_workday",
        }
        ctx.check(
            _t(
                "清明节、肉孜节放假，4月23日调休上班",
                "清明节 and 肉孜节 are off, Sunday 23 April is worked",
                "چىڭمىڭ ۋە روزا ھېيت دەم ئېلىش، 23-ئاپرېل ئالماشتۇرۇپ ئىشلەيدىغان كۈن",
            ),
            all(kinds.get(d) == k for d, k in expected.items()) and len(workdays) == 19,
            f"{ {d.isoformat(): kinds.get(d) for d in expected} } · {len(workdays)}",
        )
    _check_cast(ctx, summaries, cast, len(workdays))
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    if leaver is not None:
        ended = service.enrolment(_clerk(ctx), ctx.office.credit_code, leaver.person_id).end_date
        days = service.daily_results(_clerk(ctx), ctx.office.credit_code, leaver.person_id, first, last)
        ctx.check(
            _t(
                "离职人员的考勤止于离职前一日",
                "the leaver's attendance stops the day before the separation",
                "ئايرىلغان خادىمنىڭ ئىشقا كېلىشى ئايرىلىشتىن بىر كۈن ئىلگىرى توختىدى",
            ),
            ended is not None and bool(days) and days[-1].day == ended and ended < last,
            f"{ended} · {days[-1].day if days else '-'}",
        )
    special = [d for d in service.calendar(ctx.office.credit_code).days(first, last) if d.name is not None]
    ctx.table(
        _t(
            "本月节假日与调休",
            "Holidays and make-up workdays of the month",
            "بۇ ئايدىكى بايراملار ۋە تولۇقلاش خىزمەت كۈنلىرى",
        ),
        [_t("日期", "date", "چېسلا"), _t("类别", "kind", "تۈرى"), _t("名称", "name", "نامى")],
        [
            [d.date.isoformat(), d.kind.label(ctx.locale), d.name.label(ctx.locale) if d.name else ""]
            for d in special
        ],
        rtl_columns=(1, 2) if ctx.locale == "ug_CN" else (),
    )
    _tables(ctx, service, summaries, cast)


def _check_cast(
    ctx: DemoContext, summaries: Mapping[str, MonthSummary], cast: Mapping[str, str], workdays: int
) -> None:
    late = summaries.get(cast.get("late", ""))
    if late is not None:
        ctx.check(
            _t("迟到两次共34分钟", "late twice, 34 minutes in all", "ئىككى قېتىم جەمئىي 34 مىنۇت كېچىكتى"),
            (late.late_count, late.late_minutes, late.days_due) == (2, 34, workdays),
            f"{late.late_count} · {late.late_minutes} · {late.days_due}",
        )
    on_leave = summaries.get(cast.get("leave", ""))
    if on_leave is not None:
        ctx.check(
            _t("年休假两天", "two days of annual leave", "ئىككى كۈنلۈك يىللىق دەم ئېلىش"),
            on_leave.leave_days == {"annual": 2} and on_leave.days_present == Decimal(workdays - 2),
            f"{on_leave.leave_days} · {on_leave.days_present}",
        )
    away = summaries.get(cast.get("trip", ""))
    if away is not None:
        ctx.check(
            _t(
                "出差三天计为出勤",
                "three days on business count as present",
                "ئۈچ كۈنلۈك سەپەر ئىشتا دەپ ھېسابلاندى",
            ),
            (away.business_trip_days, away.days_present, away.absent_days)
            == (3, Decimal(workdays), Decimal(0)),
            f"{away.business_trip_days} · {away.days_present}",
        )
    fixed = summaries.get(cast.get("correction", ""))
    if fixed is not None:
        ctx.check(
            _t(
                "补卡后无缺卡",
                "after the correction no punch is missing",
                "تولۇقلانغاندىن كېيىن ئىمزا كەم ئەمەس",
            ),
            (fixed.missing_punches, fixed.days_present) == (0, Decimal(workdays)),
            f"{fixed.missing_punches} · {fixed.days_present}",
        )


def _tables(
    ctx: DemoContext,
    service: SqliteAttendanceService,
    summaries: Mapping[str, MonthSummary],
    cast: Mapping[str, str],
) -> None:
    rtl = (0,) if ctx.locale == "ug_CN" else ()
    rows: list[list[object]] = []
    totals = [Decimal(0)] * 6
    for unit in ctx.office.units:
        try:
            u = service.unit_summary(_clerk(ctx), ctx.office.credit_code, unit.unit_code, ctx.year, ctx.month)
        except NotFound:
            continue
        figures = [
            Decimal(u.people),
            Decimal(u.days_due),
            u.days_present,
            Decimal(u.late_count),
            u.absent_days,
            Decimal(sum(u.leave_days.values())),
        ]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        rows.append([ctx.text(ctx.office.unit_names[unit.unit_code]), *figures])
    due = int(totals[1])
    rows.append([ctx.text(_t("合计", "total", "جەمئىي")), *totals])
    ctx.check(
        _t(
            "各科室应出勤天数之和等于个人之和",
            "the units' days due add up to the people's",
            "بۆلۈملەرنىڭ تېگىشلىك كۈنلىرى خادىملارنىڭكىگە تەڭ",
        ),
        bool(rows) and due == sum(s.days_due for s in summaries.values()),
        f"{due} · {sum(s.days_due for s in summaries.values())}",
    )
    ctx.table(
        _t(
            "考勤月度汇总（第二厂商 sqlite3 实现）",
            "Attendance month by unit (second vendor, sqlite3)",
            "ئورۇنلار بويىچە ئايلىق ئىشقا كېلىش (ئىككىنچى تەمىنلىگۈچى، sqlite3)",
        ),
        [
            _t("科室", "unit", "بۆلۈم"),
            _t("人数", "people", "ئادەم"),
            _t("应出勤", "days due", "تېگىشلىك كۈن"),
            _t("实出勤", "days present", "كەلگەن كۈن"),
            _t("迟到", "late", "كېچىككەن"),
            _t("旷工", "absent", "كەلمىگەن"),
            _t("请假", "leave", "رۇخسەت"),
        ],
        rows,
        rtl_columns=rtl,
    )
    roles: dict[str, tuple[str, str, str]] = {
        "late": _t("迟到", "late", "كېچىككەن"),
        "leave": _t("年休假", "annual leave", "يىللىق دەم ئېلىش"),
        "trip": _t("出差喀什", "trip to Kashgar", "قەشقەرگە سەپەر"),
        "correction": _t("补卡", "punch corrected", "ئىمزا تولۇقلاندى"),
    }
    people = []
    for role, pid in sorted(cast.items()):
        s = summaries.get(pid)
        if s is None:
            continue
        people.append(
            [
                ctx.text(roles[role]),
                service.enrolment(_clerk(ctx), ctx.office.credit_code, pid).person.name,
                s.days_due,
                s.days_present,
                s.late_minutes,
                s.missing_punches,
            ]
        )
    ctx.table(
        _t("本月考勤中的四个人", "Four people of the month", "بۇ ئايدىكى تۆت كىشى"),
        [
            _t("情形", "story", "ئەھۋال"),
            _t("姓名", "name", "ئىسمى"),
            _t("应出勤", "days due", "تېگىشلىك كۈن"),
            _t("实出勤", "days present", "كەلگەن كۈن"),
            _t("迟到分钟", "late minutes", "كېچىككەن مىنۇت"),
            _t("缺卡", "missing punches", "كەم ئىمزا"),
        ],
        people,
        rtl_columns=rtl,
    )


SCENARIO: dict[str, Callable[[DemoContext], None]] = {
    "setup": setup,
    "operate": operate,
    "close": close,
    "report": report,
}
