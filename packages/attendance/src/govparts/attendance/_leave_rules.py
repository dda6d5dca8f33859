"""Leave rules (休假规则) as pure functions over versioned rule data (``codes/leave-rules.toml``).

Annual leave follows 《职工带薪年休假条例》 (国务院令第514号, 2007, in force 2008-01-01), which the
机关事业单位 rules for civil servants repeat with the same thresholds:

* Art. 3: after 1, 10 and 20 years of **cumulative** service (累计工作年限, counted from the date of
  first employment, 参加工作时间, not from joining the present unit) a person has 5, 10 and 15 days a
  year; statutory holidays and rest days within the leave are not counted;
* Art. 4: the year's leave is cancelled by paid personal leave (事假) of 20 days or more, or by
  cumulative sick leave of 2 months or more (service 1–10 years), 3 months or more (10–20 years),
  4 months or more (20 years and above).

A threshold counts from the anniversary itself: first employed on 2015-03-10, a person has 10
years of service on 2025-03-10 (not the day after). A first-employment date of 29 February has its
anniversary on 1 March in common years (the full year is not complete on 28 February).

    >>> from datetime import date
    >>> first = date(2015, 3, 10)
    >>> annual_leave_days(first, date(2025, 3, 9)), annual_leave_days(first, date(2025, 3, 10))
    (5, 10)
    >>> maternity_leave_days(region="650102", difficult_birth=True, babies=2)
    188
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from govparts.core.calendar import WorkCalendar, normalize_region
from govparts.core.errors import InvalidInput, UnknownCode
from govparts.core.i18n import N_

from ._i18n import DOMAIN

__all__ = [
    "LEAVE_TYPES",
    "LeaveRules",
    "LeaveTypeRule",
    "annual_leave_cancelled",
    "annual_leave_days",
    "count_leave_days",
    "leave_rules",
    "maternity_leave_days",
    "service_years",
]

Counting = Literal["workdays", "calendar_days"]


@dataclass(frozen=True, slots=True)
class LeaveTypeRule:
    """How one kind of leave is counted and capped, and the document that says so."""

    code: str
    counts: Counting
    source: str
    max_days: int | None = None


@dataclass(frozen=True, slots=True)
class LeaveRules:
    """One version of the leave rules (the data file ``codes/leave-rules.toml``)."""

    version: str
    annual_thresholds: tuple[tuple[int, int], ...]
    annual_source: str
    cancel_source: str
    paid_personal_leave_days: int
    sick_leave_months: tuple[tuple[int, int | None, int], ...]
    days_per_month: int
    types: dict[str, LeaveTypeRule]
    maternity_source: str
    maternity_base_days: int
    difficult_birth_days: int
    per_additional_baby_days: int
    maternity_regional_days: dict[str, int]


@cache
def leave_rules() -> LeaveRules:
    """The shipped leave rules (read once)."""
    raw: dict[str, Any] = tomllib.loads(
        files("govparts.attendance").joinpath("codes/leave-rules.toml").read_text("utf-8")
    )
    annual, maternity = raw["annual"], raw["maternity"]
    return LeaveRules(
        version=raw["version"],
        annual_thresholds=tuple((int(y), int(d)) for y, d in annual["thresholds"]),
        annual_source=annual["source"],
        cancel_source=annual["cancel_source"],
        paid_personal_leave_days=int(annual["paid_personal_leave_days"]),
        sick_leave_months=tuple((int(a), int(b) or None, int(m)) for a, b, m in annual["sick_leave_months"]),
        days_per_month=int(annual["days_per_month"]),
        types={
            t["code"]: LeaveTypeRule(t["code"], t["counts"], t["source"], t.get("max_days"))
            for t in raw["leave_type"]
        },
        maternity_source=maternity["source"],
        maternity_base_days=int(maternity["base_days"]),
        difficult_birth_days=int(maternity["difficult_birth_days"]),
        per_additional_baby_days=int(maternity["per_additional_baby_days"]),
        maternity_regional_days={str(k): int(v) for k, v in maternity["regional_days"].items()},
    )


LEAVE_TYPES = (
    "annual",
    "sick",
    "personal",
    "marriage",
    "bereavement",
    "maternity",
    "paternity",
    "home_visit",
)
"""The codes of ``GOVPARTS 考勤-休假类型-1.0``."""


def _check_date(value: object, field: str) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidInput(
            N_("{field}: expected a date, got {got}"), field=field, got=repr(value), domain=DOMAIN
        )
    return value


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year: the year completes on 1 March
        return date(start.year + years, 3, 1)


def service_years(first_employment: date, on: date) -> int:
    """Whole years of cumulative service (累计工作年限) completed on ``on``; the anniversary counts.

    Raises :class:`~govparts.core.errors.InvalidInput` naming ``first_employment`` when it is after ``on``.
    """
    _check_date(first_employment, "first_employment")
    _check_date(on, "on")
    if first_employment > on:
        raise InvalidInput(
            N_("{field}: the date of first employment {got} is after {on}"),
            field="first_employment",
            got=first_employment.isoformat(),
            on=on.isoformat(),
            domain=DOMAIN,
        )
    years = on.year - first_employment.year
    if _anniversary(first_employment, years) > on:
        years -= 1
    return years


def annual_leave_days(first_employment: date, on: date) -> int:
    """Days of annual leave (年休假) a person is entitled to on ``on``.

    《职工带薪年休假条例》(国务院令第514号) Art. 3: 5 days after 1 year of cumulative service, 10 after
    10 years, 15 after 20 years; 0 before the first full year. ``first_employment`` is the date of
    first employment (参加工作时间), not the date of joining the unit.
    """
    years = service_years(first_employment, on)
    days = 0
    for threshold, entitled in leave_rules().annual_thresholds:
        if years >= threshold:
            days = entitled
    return days


def annual_leave_cancelled(
    first_employment: date, on: date, *, sick_leave_days: int = 0, paid_personal_leave_days: int = 0
) -> bool:
    """Whether the year's annual leave is cancelled (不享受当年的年休假).

    《职工带薪年休假条例》 Art. 4 (2)–(5): paid personal leave of 20 days or more; cumulative sick
    leave of 2 months or more with 1 to under 10 years of service, 3 months or more with 10 to under
    20, 4 months or more with 20 or more. ``sick_leave_days`` are calendar days covered by approved
    sick leave in the year; a month is ``days_per_month`` (30) of them — our reading, kept in the
    rule data.
    """
    rules = leave_rules()
    if paid_personal_leave_days >= rules.paid_personal_leave_days:
        return True
    years = service_years(first_employment, on)
    for low, high, months in rules.sick_leave_months:
        if years >= low and (high is None or years < high):
            return sick_leave_days >= months * rules.days_per_month
    return False


def maternity_leave_days(*, region: str | None = None, difficult_birth: bool = False, babies: int = 1) -> int:
    """Days of maternity leave (产假), counted in calendar days.

    《女职工劳动保护特别规定》(国务院令第619号) Art. 7: 98 days; 15 more for a difficult birth (难产);
    15 more for each additional baby of a multiple birth. Regional regulations add days: 新疆维吾尔
    自治区人口与计划生育条例 (2017) +60, so 158 days for a single normal birth in Xinjiang.
    """
    if not isinstance(babies, int) or isinstance(babies, bool) or babies < 1:
        raise InvalidInput(
            N_("{field}: must be a whole number of at least 1, got {got}"),
            field="babies",
            got=str(babies),
            domain=DOMAIN,
        )
    rules = leave_rules()
    days = rules.maternity_base_days + rules.per_additional_baby_days * (babies - 1)
    if difficult_birth:
        days += rules.difficult_birth_days
    if region is not None:
        code = normalize_region(region)
        days += rules.maternity_regional_days.get(code[:2], 0)
    return days


def leave_type_rule(leave_type: str) -> LeaveTypeRule:
    """The rule of ``leave_type``; an unknown code is an :class:`UnknownCode` naming ``leave_type``."""
    try:
        return leave_rules().types[leave_type]
    except KeyError:
        raise UnknownCode(
            N_("{field}: {got} is not a leave type; allowed: {allowed}"),
            field="leave_type",
            got=str(leave_type),
            allowed=list(LEAVE_TYPES),
            domain=DOMAIN,
        ) from None


def count_leave_days(leave_type: str, start: date, end: date, calendar: WorkCalendar) -> int:
    """Days a leave from ``start`` to ``end`` (both inclusive) counts against its type.

    Annual, sick, personal, marriage and bereavement leave count workdays of ``calendar`` (make-up
    workdays 调休 count, holidays and rest days do not: 国务院令第514号 Art. 3); maternity,
    paternity and home-visit leave count calendar days (国发〔1981〕36号 Art. 3: the periods include
    rest days and holidays).
    """
    rule = leave_type_rule(leave_type)
    _check_date(start, "start_date")
    _check_date(end, "end_date")
    if end < start:
        raise InvalidInput(
            N_("{field}: the leave ends {got}, before it starts {start}"),
            field="end_date",
            got=end.isoformat(),
            start=start.isoformat(),
            domain=DOMAIN,
        )
    if rule.counts == "calendar_days":
        return (end - start).days + 1
    return calendar.workdays_between(start, end)


def calendar_days(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end``, both inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
