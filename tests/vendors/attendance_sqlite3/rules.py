"""The vendor's own attendance rules: pure functions, no I/O, written from the sources they cite.

Times are whole minutes on one line: ``minutes = date.toordinal() * 1440 + hour * 60 + minute`` in
the organisation's zone, seconds dropped (govparts attendance 1.0 §5.2: grace is exact to the
minute, so 09:05:59 is 09:05). A shift laid on a day becomes a :class:`Workplan` of periods on
that line; a period ending at or before its start ends the next day (跨夜值班, §5.4).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from govparts.attendance.models import DailyResult, MonthSummary, Shift, UnitMonthSummary
from govparts.core.calendar import Day, DayKind

__all__ = [
    "LEAVE_TYPE_RULES",
    "PRESENT",
    "Judgement",
    "RestBalance",
    "LeaveTypeRule",
    "Workplan",
    "annual_entitlement",
    "annual_leave_is_cancelled",
    "judge_day",
    "lay_shift",
    "maternity_limit",
    "minutes",
    "overtime_class_of",
    "rest_balance",
    "summarise",
    "years_of_service",
]

MINUTES_A_DAY = 1440


def minutes(moment: datetime, zone: ZoneInfo) -> int:
    """``moment`` on the minute line of ``zone`` (seconds dropped)."""
    local = moment.astimezone(zone)
    return local.toordinal() * MINUTES_A_DAY + local.hour * 60 + local.minute


def _on(day: date, clock: time) -> int:
    return day.toordinal() * MINUTES_A_DAY + clock.hour * 60 + clock.minute


# -- a shift on a day ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workplan:
    """A shift laid on one day: its periods and where each period's punch window begins and ends."""

    shift: Shift
    periods: tuple[tuple[int, int], ...]
    windows: tuple[tuple[int, int], ...]
    """One half-open ``[from, to)`` window per period; windows of a split shift meet mid-break."""

    @property
    def opens(self) -> int:
        return self.windows[0][0]

    @property
    def closes(self) -> int:
        return self.windows[-1][1]


def _timetable_periods(shift: Shift, day: date) -> list[tuple[time, time]]:
    """The periods of the timetable in force on ``day``: the latest ``starts_on`` not after it.

    Before the first ``starts_on`` of the year the last timetable of the year before still runs
    (winter hours from 10-01 last until summer starts on 05-01; REFERENCE 11.4.3).
    """
    key = day.strftime("%m-%d")
    tables = sorted(shift.timetables, key=lambda t: t.starts_on)
    started = [t for t in tables if t.starts_on <= key]
    table = started[-1] if started else tables[-1]
    return [(p.start, p.end) for p in table.periods]


def lay_shift(shift: Shift, day: date) -> Workplan:
    """Lay ``shift`` on ``day``; a duty period ending at or before its start ends the next day."""
    laid: list[tuple[int, int]] = []
    for start_clock, end_clock in _timetable_periods(shift, day):
        start = _on(day, start_clock)
        if laid and start < laid[-1][1]:
            start += MINUTES_A_DAY
        end = _on(day, end_clock)
        while end <= start:
            end += MINUTES_A_DAY
        laid.append((start, end))
    bounds = [laid[0][0] - shift.checkin_window_minutes]
    for (_, end), (start, _) in itertools.pairwise(laid):
        bounds.append((end + start) // 2)
    bounds.append(laid[-1][1] + shift.checkout_window_minutes + 1)
    windows = tuple((bounds[i], bounds[i + 1]) for i in range(len(laid)))
    return Workplan(shift, tuple(laid), windows)


# -- judging a day ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """What a day was; ``half_days_absent`` is 0, 1 or 2."""

    status: str
    due: bool
    shift_code: str | None = None
    late: int = 0
    early: int = 0
    missing: int = 0
    worked: int = 0
    half_days_absent: int = 0
    leave_type: str | None = None
    overtime_kind: str | None = None
    overtime: int = 0

    def as_result(self, person_id: str, day: date, unit_code: str, kind: DayKind) -> DailyResult:
        """The published :class:`DailyResult` of this judgement."""
        return DailyResult.model_validate(
            {
                "person_id": person_id,
                "day": day,
                "unit_code": unit_code,
                "day_kind": kind.value,
                "due": self.due,
                "status": self.status,
                "shift_code": self.shift_code,
                "late_minutes": self.late,
                "early_minutes": self.early,
                "missing_punches": self.missing,
                "worked_minutes": self.worked,
                "absent_days": Decimal(self.half_days_absent) / 2,
                "leave_type": self.leave_type,
                "overtime_kind": self.overtime_kind,
                "overtime_minutes": self.overtime,
            }
        )


def _inside(punches: Sequence[int], lo: int, hi: int) -> list[int]:
    return [p for p in punches if lo <= p < hi]


def _judge_flexible(plan: Workplan, punches: list[int]) -> tuple[int, int, int, int, int | None]:
    """Flexible hours (§5.3): late after the core start, early when short of core end or hours."""
    shift = plan.shift
    assert shift.core_start is not None
    assert shift.core_end is not None
    assert shift.required_minutes is not None
    day = date.fromordinal(plan.periods[0][0] // MINUTES_A_DAY)
    core_start, core_end = _on(day, shift.core_start), _on(day, shift.core_end)
    came, went = punches[0], punches[-1]
    late = came - core_start if came - core_start > shift.grace_late_minutes else 0
    if len(punches) < 2:
        return late, 0, 1, 0, None
    worked = went - came
    short = max(core_end - went, shift.required_minutes - worked)
    early = short if short > shift.grace_early_minutes else 0
    return late, early, 0, worked, went


def _judge_periods(plan: Workplan, punches: list[int]) -> tuple[int, int, int, int, int | None]:
    """Fixed, split and duty hours: each period wants an arrival and a departure in its window."""
    shift = plan.shift
    late = early = missing = worked = 0
    last_out: int | None = None
    for (start, end), (lo, hi) in zip(plan.periods, plan.windows, strict=True):
        mine = _inside(punches, lo, hi)
        came: int | None = None
        went: int | None = None
        if len(mine) >= 2:
            came, went = mine[0], mine[-1]
        elif mine:
            # one punch: an arrival before the middle of the period, a departure after it
            if mine[0] < (start + end) // 2:
                came = mine[0]
            else:
                went = mine[0]
        if came is None:
            missing += 1
        elif came - start > shift.grace_late_minutes:
            late += came - start
        if went is None:
            missing += 1
        else:
            if end - went > shift.grace_early_minutes:
                early += end - went
            last_out = went
        if came is not None and went is not None:
            worked += max(0, min(went, end) - max(came, start))
    return late, early, missing, worked, last_out


def _judge_due_day(plan: Workplan, punches: Sequence[int]) -> Judgement:
    shift = plan.shift
    mine = _inside(punches, plan.opens, plan.closes)
    if not mine:
        return Judgement("absent", True, shift.code, half_days_absent=2)
    if shift.kind == "flexible":
        late, early, missing, worked, last_out = _judge_flexible(plan, mine)
    else:
        late, early, missing, worked, last_out = _judge_periods(plan, mine)
    overtime = 0
    if last_out is not None and last_out - plan.periods[-1][1] >= shift.overtime_after_minutes:
        overtime = last_out - plan.periods[-1][1]
    half_days = 0
    if missing:
        status = "missing_punch"
    elif worked < shift.absent_below_minutes:
        status, half_days = "absent", 2
    elif shift.half_day_minutes is not None and worked < shift.half_day_minutes:
        status, half_days = "half_day_absent", 1
    elif late and early:
        status = "late_and_left_early"
    elif late:
        status = "late"
    elif early:
        status = "left_early"
    else:
        status = "normal"
    return Judgement(
        status,
        True,
        shift.code,
        late=late,
        early=early,
        missing=missing,
        worked=worked,
        half_days_absent=half_days,
        overtime_kind="workday" if overtime else None,
        overtime=overtime,
    )


def judge_day(
    day: date,
    kind: DayKind,
    plan: Workplan | None,
    punches: Sequence[int],
    away: tuple[str, str | None] | None = None,
    *,
    off_kind: str = "rest_day",
) -> Judgement:
    """One person's day: an approved absence first, then the shift on a day due, then the calendar.

    ``away`` is ``(status, leave type)`` of approved leave, a trip or an outing covering the day.
    Overtime classes follow 中华人民共和国劳动法 Art. 44: work beyond the shift on a workday, and on a
    day off the class ``off_kind`` that :func:`overtime_class_of` gives the day.
    """
    working = kind.is_workday
    code = plan.shift.code if plan is not None else None
    if away is not None:
        return Judgement(away[0], working and plan is not None, code, leave_type=away[1])
    if plan is not None and (working or plan.shift.applies_on_rest_days):
        judged = _judge_due_day(plan, punches)
        if working:
            return judged
        return Judgement(
            judged.status,
            True,
            judged.shift_code,
            late=judged.late,
            early=judged.early,
            missing=judged.missing,
            worked=judged.worked,
            half_days_absent=judged.half_days_absent,
            overtime_kind=off_kind if judged.worked else None,
            overtime=judged.worked,
        )
    if working:
        return Judgement("unscheduled", False)
    that_day = _inside(punches, day.toordinal() * MINUTES_A_DAY, (day.toordinal() + 1) * MINUTES_A_DAY)
    extra = that_day[-1] - that_day[0] if len(that_day) >= 2 else 0
    return Judgement(
        "holiday" if kind is DayKind.HOLIDAY else "rest_day",
        False,
        code,
        worked=extra,
        overtime_kind=off_kind if extra else None,
        overtime=extra,
    )


def overtime_class_of(day: Day, regional_festival: str) -> str:
    """The Labour Law Art. 44 class of overtime on a day off, from what the calendar says of it.

    Only the statutory days of a holiday (《全国年节及纪念日放假办法》 Art. 2, ``Day.statutory``)
    are ``statutory_holiday``; the weekend days moved next to them (调休) and every other day off
    are ``rest_day``, except a regional festival's weekday off (肉孜节, 古尔邦节 under Xinjiang's
    自治区人民政府令第174号), which takes the class the organisation configured.
    """
    if day.kind.is_workday:
        return "workday"
    if day.statutory:
        return "statutory_holiday"
    regional = day.level == "region" and day.kind is DayKind.HOLIDAY
    return regional_festival if regional and day.date.isoweekday() <= 5 else "rest_day"


@dataclass
class RestBalance:
    """Compensatory rest on a day: minutes credited, taken, expired, left, and taken without cover."""

    credited: int = 0
    taken: int = 0
    expired: int = 0
    left: int = 0
    short: int = 0
    next_expiry: date | None = None
    expiring: int = 0


def rest_balance(
    credits: Sequence[tuple[date, int, date]], debits: Sequence[tuple[date, int]], on: date
) -> RestBalance:
    """Replay credits ``(worked, minutes, last day)`` and debits ``(day, minutes)`` through ``on``.

    A debit draws on credits worked by its day and still valid that day, the soonest to lapse
    first; what a credit still holds the day after its last day has lapsed.
    """
    out = RestBalance()
    pots: dict[tuple[date, date], int] = {}  # (last day, worked) -> minutes left
    events = sorted(
        [(w, 0, m, last) for w, m, last in credits if w <= on] + [(d, 1, m, d) for d, m in debits if d <= on]
    )

    def lapse(today: date) -> None:
        for key in sorted(k for k in pots if k[0] < today):
            out.expired += pots.pop(key)

    for when, what, minutes, last in events:
        lapse(when)
        if what == 0:
            out.credited += minutes
            pots[(last, when)] = pots.get((last, when), 0) + minutes
            continue
        out.taken += minutes
        need = minutes
        for key in sorted(pots):
            draw = min(pots[key], need)
            pots[key] -= draw
            need -= draw
            if not pots[key]:
                del pots[key]
            if not need:
                break
        out.short += need
    lapse(on)
    out.left = sum(pots.values()) - out.short
    if pots:
        out.next_expiry = min(k[0] for k in pots)
        out.expiring = sum(v for k, v in pots.items() if k[0] == out.next_expiry)
    return out


# -- months ----------------------------------------------------------------------------------------

PRESENT = frozenset(
    {
        "normal",
        "late",
        "left_early",
        "late_and_left_early",
        "missing_punch",
        "business_trip",
        "official_outing",
    }
)
"""Statuses of a day due that count as a day present (§8.1); ``half_day_absent`` counts a half."""


@dataclass
class _Tally:
    unit_code: str = ""
    last_day: date = date.min
    people: set[str] | None = None
    due: int = 0
    present_halves: int = 0
    late_count: int = 0
    late: int = 0
    early_count: int = 0
    early: int = 0
    missing: int = 0
    absent_halves: int = 0
    trips: int = 0
    outings: int = 0
    leave: dict[str, int] | None = None
    overtime: dict[str, int] | None = None

    def add(self, r: DailyResult) -> None:
        if self.leave is None:
            self.leave, self.overtime, self.people = {}, {}, set()
        assert self.overtime is not None
        assert self.people is not None
        self.people.add(r.person_id)
        if r.day >= self.last_day:
            self.last_day, self.unit_code = r.day, r.unit_code
        if r.due:
            self.due += 1
            self.absent_halves += int(r.absent_days * 2)
            if r.status.value in PRESENT:
                self.present_halves += 2
            elif r.status.value == "half_day_absent":
                self.present_halves += 1
        self.late_count += r.late_minutes > 0
        self.late += r.late_minutes
        self.early_count += r.early_minutes > 0
        self.early += r.early_minutes
        self.missing += r.missing_punches
        self.trips += r.status.value == "business_trip"
        self.outings += r.status.value == "official_outing"
        if r.status.value == "leave" and r.leave_type:
            self.leave[r.leave_type] = self.leave.get(r.leave_type, 0) + 1
        if r.overtime_kind is not None:
            key = r.overtime_kind.value
            self.overtime[key] = self.overtime.get(key, 0) + r.overtime_minutes


def summarise(
    results: Sequence[DailyResult], year: int, month: int
) -> tuple[list[MonthSummary], list[UnitMonthSummary]]:
    """People's and units' months from their daily results (§8.1).

    A person's unit is the unit of their last day in the month; a unit's figures are the days its
    people spent in it.
    """
    people: dict[str, _Tally] = {}
    units: dict[str, _Tally] = {}
    for r in results:
        people.setdefault(r.person_id, _Tally()).add(r)
        units.setdefault(r.unit_code, _Tally()).add(r)
    mine = [
        MonthSummary(
            person_id=pid,
            unit_code=t.unit_code,
            year=year,
            month=month,
            days_due=t.due,
            days_present=Decimal(t.present_halves) / 2,
            late_count=t.late_count,
            late_minutes=t.late,
            early_count=t.early_count,
            early_minutes=t.early,
            missing_punches=t.missing,
            absent_days=Decimal(t.absent_halves) / 2,
            leave_days=dict(t.leave or {}),
            business_trip_days=t.trips,
            official_outing_days=t.outings,
            overtime_minutes=dict(t.overtime or {}),
        )
        for pid, t in sorted(people.items())
    ]
    theirs = [
        UnitMonthSummary(
            unit_code=code,
            year=year,
            month=month,
            people=len(t.people or ()),
            days_due=t.due,
            days_present=Decimal(t.present_halves) / 2,
            late_count=t.late_count,
            late_minutes=t.late,
            absent_days=Decimal(t.absent_halves) / 2,
            leave_days=dict(t.leave or {}),
            overtime_minutes=dict(t.overtime or {}),
        )
        for code, t in sorted(units.items())
    ]
    return mine, theirs


# -- leave -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveTypeRule:
    """How a leave type (GOVPARTS 考勤-休假类型-1.0) is counted and capped, and on whose word."""

    code: str
    calendar_days: bool
    """True: every calendar day counts (rest days and holidays included); False: workdays only."""
    source: str
    max_days: int | None = None


_ANNUAL = "职工带薪年休假条例（国务院令第514号）第三条"
_CANCEL = "职工带薪年休假条例（国务院令第514号）第四条"
_WEDDING = "〔80〕劳总薪字29号 (婚丧假 1-3 days)"

LEAVE_TYPE_RULES: dict[str, LeaveTypeRule] = {
    rule.code: rule
    for rule in (
        LeaveTypeRule("annual", False, _ANNUAL),
        LeaveTypeRule("sick", False, "unit rules; 国务院令第514号 第四条 (sick leave cancels annual leave)"),
        LeaveTypeRule("personal", False, "unit rules; 国务院令第514号 第四条 (personal leave cancels)"),
        LeaveTypeRule("marriage", False, _WEDDING, 3),
        LeaveTypeRule("bereavement", False, _WEDDING, 3),
        LeaveTypeRule("maternity", True, "女职工劳动保护特别规定（国务院令第619号）第七条"),
        LeaveTypeRule("paternity", True, "新疆维吾尔自治区人口与计划生育条例 (15 days)", 15),
        LeaveTypeRule("home_visit", True, "国务院关于职工探亲待遇的规定（国发〔1981〕36号）第三条", 30),
        LeaveTypeRule("compensatory_rest", False, "中华人民共和国劳动法 第四十四条第（二）项 (补休)"),
    )
}


def years_of_service(first_employment: date, on: date) -> int:
    """Whole years of cumulative service (累计工作年限) on ``on``; the anniversary itself counts.

    A first employment on 29 February completes its year on 1 March in a common year.
    """
    years = on.year - first_employment.year
    try:
        anniversary = first_employment.replace(year=on.year)
    except ValueError:
        anniversary = date(on.year, 3, 1)
    return years - 1 if anniversary > on else years


def annual_entitlement(first_employment: date, on: date) -> int:
    """Annual leave days on ``on``: 5 after 1 year, 10 after 10, 15 after 20 (国务院令第514号 Art. 3)."""
    if on < first_employment:
        return 0
    years = years_of_service(first_employment, on)
    return 15 if years >= 20 else 10 if years >= 10 else 5 if years >= 1 else 0


def annual_leave_is_cancelled(
    first_employment: date, on: date, *, sick_calendar_days: int, personal_days: int
) -> bool:
    """Whether the year's annual leave is lost (国务院令第514号 Art. 4 (2)-(5)).

    Personal leave of 20 days or more; sick leave of 2 months or more with 1 to under 10 years of
    service, 3 with 10 to under 20, 4 with 20 or more. A month of sick leave is 30 calendar days.
    """
    if personal_days >= 20:
        return True
    years = years_of_service(first_employment, on)
    if years < 1:
        return False
    months = 2 if years < 10 else 3 if years < 20 else 4
    return sick_calendar_days >= months * 30


def maternity_limit(region: str | None, *, difficult_birth: bool, babies: int) -> int:
    """Calendar days of maternity leave (产假).

    女职工劳动保护特别规定 Art. 7: 98 days, 15 more for a difficult birth and for each further baby;
    新疆维吾尔自治区人口与计划生育条例 (2017) adds 60 days in Xinjiang (GB/T 2260 codes 65xxxx).
    """
    days = 98 + 15 * (babies - 1) + (15 if difficult_birth else 0)
    if region is not None and region.startswith("65"):
        days += 60
    return days
