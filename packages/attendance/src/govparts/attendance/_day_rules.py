"""Judging a day (日考勤判定): pure functions from a shift, a kind of day and punches to a result.

Times are taken **to the minute** in the organisation's zone, seconds dropped: a punch at
09:05:59 is 09:05. With 5 minutes' grace (弹性/宽限时间) a start at 09:00 makes 09:05 on time and
09:06 six minutes late; leaving at 17:55 with 5 minutes' grace is on time, 17:54 six minutes early.

Which punch answers which moment: a period's arrival is the first punch of its window and its
departure the last; a lone punch is an arrival before the middle of the period and a departure
after it. The first window opens ``checkin_window_minutes`` before the first start, the last
closes ``checkout_window_minutes`` after the last end, and between the periods of a split shift the
windows meet in the middle of the break. A duty shift's periods end on the next day when they end
at or before their start (cross-midnight, 跨夜值班), so its punches after midnight belong to the day
the shift began.

Internally a moment is an integer: minutes since 0001-01-01 00:00 local time (``ordinal × 1440 +
minute of the day``), so a month of a large organisation is judged without datetime arithmetic.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from govparts.core.calendar import DayKind

from ._models import DayStatus, OvertimeKind, Shift

__all__ = ["DayEvaluation", "DayPlan", "decide_day", "evaluate_day", "minute_of", "plan_day"]

_DAY = 1440


def minute_of(moment: datetime, zone: ZoneInfo) -> int:
    """``moment`` as minutes since 0001-01-01 00:00 in ``zone`` (seconds dropped)."""
    local = moment.astimezone(zone)
    return local.toordinal() * _DAY + local.hour * 60 + local.minute


def _at(day: date, clock: time) -> int:
    return day.toordinal() * _DAY + clock.hour * 60 + clock.minute


@dataclass(frozen=True, slots=True)
class DayPlan:
    """A shift laid on one date: its periods and punch windows as minutes (see module docstring)."""

    shift_code: str
    periods: tuple[tuple[int, int], ...]
    cuts: tuple[int, ...]
    """Window bounds: ``cuts[i]`` to ``cuts[i + 1]`` belongs to period ``i``."""
    flexible: tuple[int, int, int] | None
    """Core start, core end and required minutes of a flexible shift."""
    grace_late: int
    grace_early: int
    half_day: int | None
    absent_below: int
    overtime_after: int
    applies_on_rest_days: bool


def plan_day(shift: Shift, day: date) -> DayPlan:
    """Lay ``shift`` on ``day`` with the timetable in force that day (seasonal hours)."""
    periods: list[tuple[int, int]] = []
    previous_end: int | None = None
    for period in shift.timetable_on(day).periods:
        start = _at(day, period.start)
        if previous_end is not None and start < previous_end:
            start += _DAY
        end = _at(day, period.end)
        while end <= start:
            end += _DAY
        periods.append((start, end))
        previous_end = end
    cuts = [periods[0][0] - shift.checkin_window_minutes]
    for (_, end), (start, _) in itertools.pairwise(periods):
        cuts.append(end + (start - end) // 2)
    cuts.append(periods[-1][1] + shift.checkout_window_minutes)
    flexible = None
    if shift.kind == "flexible":
        assert shift.core_start is not None
        assert shift.core_end is not None
        assert shift.required_minutes is not None
        flexible = (_at(day, shift.core_start), _at(day, shift.core_end), shift.required_minutes)
    return DayPlan(
        shift_code=shift.code,
        periods=tuple(periods),
        cuts=tuple(cuts),
        flexible=flexible,
        grace_late=shift.grace_late_minutes,
        grace_early=shift.grace_early_minutes,
        half_day=shift.half_day_minutes,
        absent_below=shift.absent_below_minutes,
        overtime_after=shift.overtime_after_minutes,
        applies_on_rest_days=shift.applies_on_rest_days,
    )


@dataclass(frozen=True, slots=True)
class DayEvaluation:
    """The judged day; ``absent_half_days`` is 0, 1 (half a day) or 2 (a whole day)."""

    status: DayStatus
    due: bool
    shift_code: str | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    missing_punches: int = 0
    worked_minutes: int = 0
    absent_half_days: int = 0
    leave_type: str | None = None
    overtime_kind: OvertimeKind | None = None
    overtime_minutes: int = 0


def _judge(plan: DayPlan, punches: Sequence[int]) -> DayEvaluation:  # noqa: PLR0915 - one pass reads best whole
    """Judge a day the person was due at work against ``plan``; ``punches`` sorted minutes."""
    lo, hi = plan.cuts[0], plan.cuts[-1]
    first, last = bisect_left(punches, lo), bisect_right(punches, hi)
    if first == last:
        return DayEvaluation(DayStatus.ABSENT, True, plan.shift_code, absent_half_days=2)
    late = early = missing = worked = 0
    last_out: int | None = None
    if plan.flexible is not None:
        core_start, core_end, required = plan.flexible
        came, went = punches[first], punches[last - 1]
        if last - first < 2:
            missing = 1
        else:
            worked = went - came
            last_out = went
            shortfall = max(core_end - went, required - worked)
            if shortfall > plan.grace_early:
                early = shortfall
        if came - core_start > plan.grace_late:
            late = came - core_start
        end_of_day = plan.periods[-1][1]
    else:
        for i, (start, end) in enumerate(plan.periods):
            a = bisect_left(punches, plan.cuts[i])
            b = bisect_right(punches, plan.cuts[i + 1])
            arrive: int | None = None
            leave: int | None = None
            if b - a >= 2:
                arrive, leave = punches[a], punches[b - 1]
            elif b - a == 1:
                if punches[a] < start + (end - start) // 2:
                    arrive = punches[a]
                else:
                    leave = punches[a]
            if arrive is None:
                missing += 1
            elif arrive - start > plan.grace_late:
                late += arrive - start
            if leave is None:
                missing += 1
            else:
                if end - leave > plan.grace_early:
                    early += end - leave
                last_out = leave
            if arrive is not None and leave is not None:
                worked += max(0, min(leave, end) - max(arrive, start))
        end_of_day = plan.periods[-1][1]
    overtime = 0
    if last_out is not None and last_out - end_of_day >= plan.overtime_after:
        overtime = last_out - end_of_day
    absent_half_days = 0
    if missing:
        status = DayStatus.MISSING_PUNCH
    elif worked < plan.absent_below:
        status, absent_half_days = DayStatus.ABSENT, 2
    elif plan.half_day is not None and worked < plan.half_day:
        status, absent_half_days = DayStatus.HALF_DAY_ABSENT, 1
    elif late and early:
        status = DayStatus.LATE_AND_LEFT_EARLY
    elif late:
        status = DayStatus.LATE
    elif early:
        status = DayStatus.LEFT_EARLY
    else:
        status = DayStatus.NORMAL
    return DayEvaluation(
        status,
        True,
        plan.shift_code,
        late_minutes=late,
        early_minutes=early,
        missing_punches=missing,
        worked_minutes=worked,
        absent_half_days=absent_half_days,
        overtime_kind=OvertimeKind.WORKDAY if overtime else None,
        overtime_minutes=overtime,
    )


def decide_day(
    day: date,
    kind: DayKind,
    plan: DayPlan | None,
    punches: Sequence[int],
    absence: tuple[DayStatus, str | None] | None = None,
    *,
    off_class: OvertimeKind = OvertimeKind.REST_DAY,
) -> DayEvaluation:
    """The result of ``day``: approved absence first, then the shift, then the calendar.

    ``absence`` is an approved leave (``(DayStatus.LEAVE, leave type)``), business trip or official
    outing covering the day; the caller passes it only for days it counts on. On a workday
    (including a make-up workday, 调休上班) without absence the shift judges the punches; a day with
    no shift assigned is ``unscheduled``. On a rest day or holiday the person is not due unless the
    shift applies on such days (duty); punches there are overtime of class ``off_class``, which
    the caller takes from the calendar with :func:`._overtime_rules.overtime_class`
    (``statutory_holiday`` on a statutory day only, 《劳动法》 Art. 44).
    """
    working = kind.is_workday
    off_kind = off_class
    shift_code = plan.shift_code if plan is not None else None
    if absence is not None:
        status, leave_type = absence
        return DayEvaluation(status, working and plan is not None, shift_code, leave_type=leave_type)
    if plan is not None and (working or plan.applies_on_rest_days):
        judged = _judge(plan, punches)
        if working:
            return judged
        return DayEvaluation(
            judged.status,
            True,
            judged.shift_code,
            late_minutes=judged.late_minutes,
            early_minutes=judged.early_minutes,
            missing_punches=judged.missing_punches,
            worked_minutes=judged.worked_minutes,
            absent_half_days=judged.absent_half_days,
            overtime_kind=off_kind if judged.worked_minutes else None,
            overtime_minutes=judged.worked_minutes,
        )
    if working:
        return DayEvaluation(DayStatus.UNSCHEDULED, False)
    start = day.toordinal() * _DAY
    first, last = bisect_left(punches, start), bisect_left(punches, start + _DAY)
    overtime = punches[last - 1] - punches[first] if last - first >= 2 else 0
    return DayEvaluation(
        DayStatus.HOLIDAY if kind is DayKind.HOLIDAY else DayStatus.REST_DAY,
        False,
        shift_code,
        worked_minutes=overtime,
        overtime_kind=off_kind if overtime else None,
        overtime_minutes=overtime,
    )


def evaluate_day(
    day: date,
    kind: DayKind,
    shift: Shift | None,
    punches: Sequence[datetime],
    *,
    timezone: str = "Asia/Shanghai",
    absence: tuple[DayStatus, str | None] | None = None,
    off_class: OvertimeKind = OvertimeKind.REST_DAY,
) -> DayEvaluation:
    """:func:`decide_day` for aware datetimes: punches are read in ``timezone``, to the minute."""
    zone = ZoneInfo(timezone)
    minutes = sorted(minute_of(p, zone) for p in punches)
    plan = plan_day(shift, day) if shift is not None else None
    return decide_day(day, kind, plan, minutes, absence, off_class=off_class)
