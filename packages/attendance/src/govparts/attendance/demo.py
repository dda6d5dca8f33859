"""The attendance part's share of ``govparts demo``: a month in an Ürümqi office, closed at the end.

:data:`SCENARIO` plays the phases of :mod:`govparts.core.demo` through :class:`ReferenceService`.
Attendance learns who works in the office only from the personnel events (``employee.hired``,
``.transferred``, ``.separated``), delivered by ``ctx.dispatcher`` to the handlers ``setup``
registers; it never reads the people from another part.

``setup``
    The organisation's settings (its calendar region is the office's GB/T 2260 division, so
    Xinjiang's own holidays apply), the Xinjiang office hours (Beijing time, later and split:
    10:00–14:00 and 15:30–19:30 in the winter timetable) assigned to every unit.
``operate``
    The month ``ctx.year``/``ctx.month`` (April 2023): 清明节 on 04-05 (national), 肉孜节 on 04-21
    (Xinjiang) and Sunday 04-23 worked for 劳动节. Four punches a day for every enrolled person on
    every working day of the organisation's calendar, in one bulk import; annual leave approved by
    the person's unit head, a business trip, a few late arrivals, a forgotten punch corrected.
``close``
    The month is closed (月结) after the leaver's separation ended their enrolment.
``report``
    The month per unit, the special days, and checks read back from the service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from govparts.core.calendar import DayKind
from govparts.core.demo import LEAVER, MANAGERS, PEOPLE
from govparts.core.errors import NotFound
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from ._errors import MonthLocked
from ._models import (
    DayStatus,
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
from ._service import ReferenceService

if TYPE_CHECKING:
    from govparts.core.demo import DemoContext

__all__ = ["DEPUTY", "OFFICE_CLERK", "SCENARIO", "XINJIANG_HOURS"]

BJ = ZoneInfo("Asia/Shanghai")
OFFICE_CLERK = Actor(id="kq-clerk-01", name="吴丽华", unit="BGS", roles=frozenset({"attendance_clerk"}))
"""The office's attendance clerk (考勤员), who closes the month (bound to each run's office)."""
DEPUTY = Actor(id="kq-deputy-01", name="努尔兰·阿斯哈尔", unit="BGS", roles=frozenset({"approver"}))
"""Approves where a unit's head is not known (no personnel part installed)."""
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
"""Xinjiang office hours in Beijing time: the summer timetable from 1 May, the winter one from 1 October."""

_PLAN = "attendance:month"
"""Where ``operate`` leaves what it recorded, for ``report`` to compare with the service's figures."""


@dataclass
class _MonthPlan:
    """What ``operate`` recorded for the month: the figures ``report`` expects back."""

    people: int = 0
    leave: tuple[str, date, date] | None = None
    leave_days: int = 0
    leave_request: str = ""
    trip: tuple[str, date, date] | None = None
    trip_days: int = 0
    trip_request: str = ""
    late: list[tuple[str, date, int]] = field(default_factory=list)
    """(person, day, minutes after the start of the shift)."""
    correction: tuple[str, datetime] | None = None
    correction_request: str = ""


def _service(ctx: DemoContext) -> ReferenceService:
    service = ReferenceService(ctx.engine)
    # Read the stored settings now: read lazily inside a write transaction, they would need a second
    # connection, which SQLite refuses while the first holds the write lock.
    _ = service.settings(ctx.office.credit_code)
    return service


def _month(ctx: DemoContext) -> tuple[date, date]:
    first = date(ctx.year, ctx.month, 1)
    return first, date(ctx.year + ctx.month // 12, ctx.month % 12 + 1, 1) - timedelta(days=1)


def setup(ctx: DemoContext) -> None:
    """Settings with the office's calendar region, the office hours for every unit, the event handlers."""
    service = ReferenceService(ctx.engine)
    service.configure(_clerk(ctx), ctx.office.credit_code, OrgSettings(region=ctx.office.division_code))
    service.define_shift(_clerk(ctx), ctx.office.credit_code, XINJIANG_HOURS)
    for unit in ctx.office.units:
        service.assign_shift(
            _clerk(ctx),
            ctx.office.credit_code,
            ShiftAssignment(
                shift_code=XINJIANG_HOURS.code, unit_code=unit.unit_code, valid_from=date(2019, 1, 1)
            ),
        )
    for handler in service.personnel_handlers():
        ctx.dispatcher.add(handler)
    stored = _service(ctx).settings(ctx.office.credit_code)
    ctx.check(
        (
            "考勤日历采用本单位所在地区",
            "the attendance calendar is the office's region",
            "ئىشقا كېلىش كالېندارى ئورۇن جايلاشقان رايوننىڭ",
        ),
        stored.region == ctx.office.division_code
        and _service(ctx).calendar(ctx.office.credit_code).covers(ctx.year),
        stored.region,
    )


def _approver(ctx: DemoContext, unit_code: str) -> Actor:
    managers: Mapping[str, PersonRef] = ctx.facts.get(MANAGERS) or {}
    head = managers.get(unit_code)
    if head is None:
        return DEPUTY.model_copy(update={"org": ctx.office.credit_code})
    return Actor(
        id=head.person_id,
        name=head.name,
        unit=unit_code,
        roles=frozenset({"approver"}),
        org=ctx.office.credit_code,
    )


def _clerk(ctx: DemoContext) -> Actor:
    """The office's attendance clerk, acting for the office's organisation."""
    return OFFICE_CLERK.model_copy(update={"org": ctx.office.credit_code})


def _self(enrolment: Enrolment) -> Actor:
    person = enrolment.person
    return Actor(
        id=person.person_id,
        name=person.name,
        unit=enrolment.unit.unit_code,
        roles=frozenset({"employee"}),
        org=person.organization_credit_code,
    )


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, BJ)


def _plan(ctx: DemoContext, enrolled: Mapping[str, Enrolment], workdays: Sequence[date]) -> _MonthPlan:
    """Who is on leave, away, late or forgets a punch: people in the office all month, not the heads
    (who approve) nor the leaver, drawn from ``ctx.random_for("attendance")``."""
    rng = ctx.random_for("attendance")
    first = date(ctx.year, ctx.month, 1)
    heads = {p.person_id for p in (ctx.facts.get(MANAGERS) or {}).values()}
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    steady = sorted(
        pid
        for pid, e in enrolled.items()
        if pid not in heads
        and (leaver is None or pid != leaver.person_id)
        and e.start_date <= first
        and e.first_employment_date <= date(ctx.year - 10, 1, 1)
    )
    plan = _MonthPlan(people=len(enrolled))
    if len(steady) < 6 or len(workdays) < 10:
        return plan
    chosen = rng.sample(steady, 6)
    leave_day = next(d for d in workdays if d.day >= 13)
    trip_day = next(d for d in workdays if d.day >= 10)
    plan.leave = (chosen[0], leave_day, workdays[workdays.index(leave_day) + 1])
    plan.trip = (chosen[1], trip_day, workdays[workdays.index(trip_day) + 2])
    late_days = [d for d in workdays if d.weekday() >= 5]
    late_days += [workdays[1], workdays[len(workdays) // 2], workdays[-3]]
    plan.late = [(chosen[2 + i % 3], day, rng.randrange(8, 40)) for i, day in enumerate(late_days)]
    plan.correction = (chosen[5], _at(workdays[len(workdays) // 2 + 2], time(15, 27)))
    return plan


def _punches(ctx: DemoContext, plan: _MonthPlan, due: Mapping[str, Sequence[date]]) -> list[Punch]:
    """Four punches a day on each person's due days, as the gate records them, with the plan's exceptions."""
    rng = ctx.random_for("attendance:gate")
    away: set[tuple[str, date]] = set()
    for found in (plan.leave, plan.trip):
        if found is not None:
            away |= {(found[0], d) for d in due[found[0]] if found[1] <= d <= found[2]}
    late = {(pid, day): minutes for pid, day, minutes in plan.late}
    forgot = (plan.correction[0], plan.correction[1].date()) if plan.correction else None
    punches: list[Punch] = []
    for pid, days in sorted(due.items()):
        for day in days:
            if (pid, day) in away:
                continue
            times = [
                time(9, rng.randrange(45, 60)),
                time(14, rng.randrange(0, 8)),
                time(15, rng.randrange(18, 30)),
                time(19, rng.randrange(30, 45)),
            ]
            if (pid, day) in late:
                times[0] = time(10, late[(pid, day)])
            if (pid, day) == forgot:
                del times[2]
            punches += [Punch(person_id=pid, punched_at=_at(day, t), device="GATE-1") for t in times]
    return punches


def _requests(
    ctx: DemoContext, service: ReferenceService, plan: _MonthPlan, enrolled: Mapping[str, Enrolment]
) -> None:
    """Each person asks for their own leave, trip or correction; their unit head approves."""

    def approver(pid: str) -> Actor:
        return _approver(ctx, enrolled[pid].unit.unit_code)

    if plan.leave is not None:
        pid, start, end = plan.leave
        asked = service.request_leave(
            _self(enrolled[pid]),
            ctx.office.credit_code,
            LeaveRequestIn(person_id=pid, leave_type="annual", start_date=start, end_date=end, reason="探亲"),
        )
        done = service.approve(approver(pid), ctx.office.credit_code, asked.id)
        plan.leave_request, plan.leave_days = done.id, done.days
    if plan.trip is not None:
        pid, start, end = plan.trip
        asked = service.request_trip(
            _self(enrolled[pid]),
            ctx.office.credit_code,
            TripRequestIn(
                person_id=pid, start_date=start, end_date=end, destination="喀什", reason="政务服务调研"
            ),
        )
        done = service.approve(approver(pid), ctx.office.credit_code, asked.id)
        plan.trip_request, plan.trip_days = done.id, done.days
    if plan.correction is not None:
        pid, moment = plan.correction
        asked = service.request_correction(
            _self(enrolled[pid]),
            ctx.office.credit_code,
            PunchCorrectionIn(person_id=pid, punched_at=moment, reason="门禁故障，下午上班未能打卡"),
        )
        plan.correction_request = service.approve(approver(pid), ctx.office.credit_code, asked.id).id


def operate(ctx: DemoContext) -> None:
    """Punch the month for everyone enrolled; leave, a trip, late arrivals and a corrected punch."""
    service = _service(ctx)
    first, last = _month(ctx)
    workdays = service.calendar(ctx.office.credit_code).workdays_in_month(ctx.year, ctx.month)
    before = service.month_summaries(_clerk(ctx), ctx.office.credit_code, ctx.year, ctx.month)
    enrolled = {
        s.person_id: service.enrolment(_clerk(ctx), ctx.office.credit_code, s.person_id) for s in before
    }
    # Most people are due every workday; only those who joined, left or moved mid-month are looked up.
    due = {
        s.person_id: workdays
        if s.days_due == len(workdays)
        else tuple(
            r.day
            for r in service.daily_results(_clerk(ctx), ctx.office.credit_code, s.person_id, first, last)
            if r.due
        )
        for s in before
    }
    plan = _plan(ctx, enrolled, workdays)
    ctx.facts[_PLAN] = plan
    if not enrolled:
        return
    punches = _punches(ctx, plan, due)
    imported = service.record_punches(_clerk(ctx), ctx.office.credit_code, punches)
    again = service.record_punches(_clerk(ctx), ctx.office.credit_code, punches)
    ctx.check(
        (
            "门禁打卡批量导入，重复导入不重复记录",
            "the gate's punches imported in bulk, a repeated import adds nothing",
            "ئىشىك كارتا ئۇرۇش خاتىرىلىرى تۈركۈملەپ كىرگۈزۈلدى، قايتا كىرگۈزۈش ھېچنېمە قوشمىدى",
        ),
        imported.stored == len(punches) and not imported.not_enrolled and again.stored == 0,
        f"{imported.stored}/{len(punches)}; {again.stored}",
    )
    _requests(ctx, service, plan, enrolled)
    states = [
        service.get_request(_clerk(ctx), ctx.office.credit_code, r).state
        for r in (plan.leave_request, plan.trip_request, plan.correction_request)
        if r
    ]
    ctx.check(
        (
            "请假、出差和补卡经科室负责人批准",
            "leave, a trip and a punch correction approved by the unit head",
            "رۇخسەت، سەپەر ۋە كارتا تولۇقلاش بۆلۈم مەسئۇلى تەرىپىدىن تەستىقلاندى",
        ),
        states == ["approved"] * 3,
        ", ".join(states) or "-",
    )


def close(ctx: DemoContext) -> None:
    """Close the month (月结); its figures become final and ``attendance.month.closed`` is published."""
    service = _service(ctx)
    plan: _MonthPlan = ctx.facts.get(_PLAN) or _MonthPlan()
    closed = service.close_month(_clerk(ctx), ctx.office.credit_code, ctx.year, ctx.month)
    ctx.check(
        ("考勤月份已结账", "the attendance month is closed", "ئايلىق ئىشقا كېلىش يېپىلدى"),
        service.is_month_closed(_clerk(ctx), ctx.office.credit_code, ctx.year, ctx.month)
        and closed.people == plan.people,
        f"{ctx.year}-{ctx.month:02d}: {closed.people}",
    )


def _special_days(ctx: DemoContext, service: ReferenceService) -> None:
    first, last = _month(ctx)
    days = [d for d in service.calendar(ctx.office.credit_code).days(first, last) if d.name is not None]
    ctx.table(
        (
            "本月节假日与调休",
            "Holidays and make-up workdays of the month",
            "بۇ ئايدىكى بايراملار ۋە تولۇقلاش خىزمەت كۈنلىرى",
        ),
        [("日期", "Date", "چېسلا"), ("类别", "Kind", "تۈرى"), ("名称", "Name", "نامى")],
        [
            [d.date.isoformat(), d.kind.label(ctx.locale), d.name.label(ctx.locale) if d.name else ""]
            for d in days
        ],
        rtl_columns=(1, 2) if ctx.locale == "ug_CN" else (),
    )


def _unit_table(ctx: DemoContext, service: ReferenceService, trips: Mapping[str, int], people: int) -> None:
    """One row per unit with attendance; a person moved mid-month counts in both units, once in the total."""
    rows: list[list[object]] = []
    totals = [Decimal(0)] * 7
    for unit in ctx.office.units:
        try:
            u = service.unit_summary(_clerk(ctx), ctx.office.credit_code, unit.unit_code, ctx.year, ctx.month)
        except NotFound:
            continue
        figures = [
            Decimal(n)
            for n in (
                u.people,
                u.days_due,
                u.days_present,
                sum(u.leave_days.values()),
                trips.get(unit.unit_code, 0),
                u.late_count,
                u.absent_days,
            )
        ]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        rows.append([ctx.office.unit_names[unit.unit_code][ctx.locale], *figures])
    rows.append([ctx.text(("合计", "Total", "جەمئىي")), people, *totals[1:]])
    ctx.table(
        (
            f"{ctx.year} 年 {ctx.month} 月各科室考勤汇总",
            f"Attendance of {ctx.year}-{ctx.month:02d} by unit",
            f"{ctx.year}-يىلى {ctx.month}-ئايدىكى بۆلۈملەر بويىچە ئىشقا كېلىش",
        ),
        [
            ("科室", "Unit", "بۆلۈم"),
            ("人数", "People", "ئادەم"),
            ("应出勤（人天）", "Days due (person-days)", "كېلىشكە تېگىشلىك كۈن"),
            ("实出勤", "Attended", "كەلگەن كۈن"),
            ("请假", "Leave", "رۇخسەت"),
            ("出差", "Trip", "سەپەر"),
            ("迟到（次）", "Late", "كېچىكىش"),
            ("缺勤", "Absent", "كەلمىگەن"),
        ],
        rows,
        rtl_columns=(0,) if ctx.locale == "ug_CN" else (),
    )


def report(ctx: DemoContext) -> None:
    """The month per unit and its special days; checks read back from the service against the plan."""
    service = _service(ctx)
    plan: _MonthPlan | None = ctx.facts.get(_PLAN)
    first, last = _month(ctx)
    summaries = service.month_summaries(_clerk(ctx), ctx.office.credit_code, ctx.year, ctx.month)
    people: Sequence[PersonRef] | None = ctx.facts.get(PEOPLE)
    if not summaries and people is None:
        return  # nobody was ever hired: no personnel part publishes to this office
    _special_days(ctx, service)
    trips: dict[str, int] = {}
    for s in summaries:
        if s.business_trip_days:
            for r in service.daily_results(_clerk(ctx), ctx.office.credit_code, s.person_id, first, last):
                if r.status == DayStatus.BUSINESS_TRIP:
                    trips[r.unit_code] = trips.get(r.unit_code, 0) + 1
    _unit_table(ctx, service, trips, len(summaries))

    if people is not None:
        enrolled = {s.person_id for s in summaries}
        expected = {p.person_id for p in people}
        ctx.check(
            (
                "每个录用人员都经 employee.hired 事件登记考勤",
                "everyone hired was enrolled from employee.hired",
                "ئىشقا ئېلىنغان ھەممە كىشى employee.hired ھادىسىسى ئارقىلىق تىزىملاندى",
            ),
            enrolled == expected,
            f"{len(enrolled)}/{len(expected)}",
        )
    sample = summaries[0].person_id if summaries else ""
    kinds = (
        {
            r.day: (r.day_kind, r.due)
            for r in service.daily_results(_clerk(ctx), ctx.office.credit_code, sample, first, last)
        }
        if sample
        else {}
    )
    festival, qingming, makeup = date(ctx.year, 4, 21), date(ctx.year, 4, 5), date(ctx.year, 4, 23)
    ctx.check(
        (
            "清明节 04-05 和肉孜节 04-21 不上班，04-23（星期日）调休上班",
            "04-05 (Qingming) and 04-21 (Eid al-Fitr) are days off, Sunday 04-23 is a make-up workday",
            "04-05 (چىڭمىڭ) ۋە 04-21 (روزا ھېيت) دەم ئېلىش، 04-23 (يەكشەنبە) تولۇقلاش خىزمەت كۈنى",
        ),
        kinds.get(qingming) == (DayKind.HOLIDAY, False)
        and kinds.get(festival) == (DayKind.HOLIDAY, False)
        and kinds.get(makeup) == (DayKind.MAKEUP_WORKDAY, True),
        "; ".join(f"{d:%m-%d} {k[0]}" for d, k in sorted(kinds.items()) if d in (qingming, festival, makeup)),
    )
    if plan is None:
        ctx.check(
            ("本月业务已记录", "the month's business was recorded", "بۇ ئايلىق ئىشلار خاتىرىلەندى"), False
        )
        return
    leave = sum(sum(s.leave_days.values()) for s in summaries)
    trip = sum(s.business_trip_days for s in summaries)
    late = sum(s.late_count for s in summaries)
    late_minutes = sum(s.late_minutes for s in summaries)
    missing = sum(s.missing_punches for s in summaries)
    absent = sum((s.absent_days for s in summaries), Decimal(0))
    want_late = sum(m for _, _, m in plan.late)
    ctx.check(
        (
            "请假、出差、迟到、补卡与记录一致",
            "leave, trip, late and correction figures are what was recorded",
            "رۇخسەت، سەپەر، كېچىكىش ۋە تولۇقلاش سانلىرى خاتىرىگە ماس",
        ),
        (leave, trip, late, late_minutes, missing, absent)
        == (plan.leave_days, plan.trip_days, len(plan.late), want_late, 0, Decimal(0))
        and plan.leave_days > 0
        and plan.trip_days > 0
        and bool(plan.correction_request),
        f"leave {leave}/{plan.leave_days}, trip {trip}/{plan.trip_days}, late {late}/{len(plan.late)} "
        f"({late_minutes}/{want_late} min), missing {missing}/0, absent {absent}/0",
    )
    if sample:
        stray = Punch(person_id=sample, punched_at=_at(last - timedelta(days=2), time(11)), device="GATE-1")
        try:
            service.record_punches(_clerk(ctx), ctx.office.credit_code, [stray])
        except MonthLocked as exc:
            refused, detail = True, exc.message(ctx.locale)
        else:
            refused, detail = False, "stored"
        ctx.check(
            (
                "已结账月份拒绝新的打卡",
                "the closed month refuses a new punch",
                "يېپىلغان ئاي يېڭى كارتا ئۇرۇشنى رەت قىلدى",
            ),
            refused,
            detail,
        )
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    if leaver is not None:
        try:
            ended = service.enrolment(_clerk(ctx), ctx.office.credit_code, leaver.person_id).end_date
            results = service.daily_results(
                _clerk(ctx), ctx.office.credit_code, leaver.person_id, first, last
            )
        except NotFound as exc:
            ended, results, detail = None, [], exc.message(ctx.locale)
        else:
            detail = f"{leaver.person_id}: {ended}"
        ctx.check(
            (
                "离职人员的考勤登记已终止",
                "the leaver's enrolment ended",
                "ئايرىلغان كىشىنىڭ ئىشقا كېلىش تىزىملىكى ئاخىرلاشتى",
            ),
            ended is not None and ended <= last and bool(results) and results[-1].day == ended,
            detail,
        )


SCENARIO: dict[str, Callable[[DemoContext], None]] = {
    "setup": setup,
    "operate": operate,
    "close": close,
    "report": report,
}
"""The attendance part's phases of the shared scenario (:func:`govparts.core.demo.run_scenario`)."""
