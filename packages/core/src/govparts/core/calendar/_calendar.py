"""Computing calendars: one year at a time, cached, with the questions callers ask of it."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from ..errors import CalendarUnavailable, InvalidInput, InvalidSpec
from ..i18n import N_
from ._load import Notices, default_notices
from ._model import Arrangement, CalendarScope, Day, DayKind, DayOverride, Level, OrgOverrides
from ._region import normalize_region, region_chain


def _check_date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        raise InvalidInput(
            N_(
                "{field}: expected a date, got the date and time {got}; "
                "take its date in the organisation's time zone"
            ),
            field=field,
            got=value.isoformat(),
        )
    if not isinstance(value, date):
        raise InvalidInput(
            N_("{field}: expected a date (YYYY-MM-DD), got {got}"), field=field, got=str(value)
        )
    return value


def _check_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(N_("{field}: expected a whole number, got {got}"), field=field, got=str(value))
    return value


@dataclass(frozen=True, slots=True)
class _Year:
    """One computed year: every day, and the workdays indexed for counting and searching."""

    first: int  # ordinal of 1 January
    days: tuple[Day, ...]
    prefix: tuple[int, ...]  # prefix[i] = workdays among days[:i]
    workdays: tuple[date, ...]
    ordinals: tuple[int, ...]  # ordinals of the workdays, ascending
    months: tuple[tuple[date, ...], ...]


class WorkCalendar:
    """The working-day calendar of one region (and optionally one organisation).

    Built from national notices, the overlays of the region's province, prefecture and county
    (those that are declared) and the organisation's overrides, applied in that order: a higher
    level decides a date the lower ones also decided. Immutable; each year is computed once, on
    first use, and kept, so bulk questions ("every workday of March for region 65") cost a lookup.

    Raises :class:`~govparts.core.errors.CalendarUnavailable` for a date whose year lacks the
    national notice or the notice of a declared region on the chain — never a guess from weekends.
    """

    __slots__ = ("_chain", "_lock", "_notices", "_org", "_org_days", "_region", "_years")

    def __init__(
        self,
        region: str | None = None,
        org: OrgOverrides | None = None,
        *,
        notices: Notices | None = None,
    ) -> None:
        if org is not None and not isinstance(org, OrgOverrides):
            raise InvalidInput(
                N_("{field}: expected OrgOverrides (see load_org_overrides), got {got}"),
                field="org",
                got=type(org).__name__,
            )
        self._region = None if region is None else normalize_region(region)
        self._org = org
        self._notices = default_notices() if notices is None else notices
        chain = region_chain(self._region) if self._region else ()
        self._chain: tuple[CalendarScope, ...] = tuple(
            scope for code in chain if (scope := self._notices.region(code)) is not None
        )
        self._org_days = {} if org is None else dict(org.by_date())
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        org = self._org.org if self._org else None
        return f"WorkCalendar(region={self._region!r}, org={org!r})"

    @property
    def region(self) -> str | None:
        """The normalised region code (``"65"``, ``"650102"``), or ``None`` for national only."""
        return self._region

    @property
    def org(self) -> OrgOverrides | None:
        """The organisation's overrides, if any."""
        return self._org

    @property
    def notices(self) -> Notices:
        """The notices this calendar was built from."""
        return self._notices

    # --- availability and provenance ------------------------------------------------------

    def arrangements(self, year: int) -> tuple[Arrangement, ...]:
        """The notices that decide ``year`` here, national first; raises if one is missing."""
        year = _check_int(year, "year")
        return self._required(year, "year")

    def covers(self, year: int) -> bool:
        """True when every notice ``year`` needs here is loaded."""
        try:
            self.arrangements(year)
        except CalendarUnavailable:
            return False
        return True

    def _required(self, year: int, field: str) -> tuple[Arrangement, ...]:
        national = self._notices.national
        found = national.arrangements.get(year) if national is not None else None
        if found is None:
            raise CalendarUnavailable(
                N_(
                    "{field}: no national working-day arrangement is published for {year}; "
                    "load the State Council's notice for {year} before computing working days"
                ),
                field=field,
                year=year,
                scope="national",
            )
        result = [found]
        for scope in self._chain:
            regional = scope.arrangements.get(year)
            if regional is None:
                raise CalendarUnavailable(
                    N_(
                        "{field}: region {region} ({region_name}) publishes its own holidays, but no "
                        "arrangement of it is loaded for {year}; load the region's notice for {year} "
                        "before computing working days"
                    ),
                    field=field,
                    year=year,
                    region=scope.code,
                    region_name=scope.name.zh,
                    scope=scope.describe(),
                )
            result.append(regional)
        return tuple(result)

    # --- computing a year -----------------------------------------------------------------

    def _year(self, year: int, field: str) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        self._required(year, field)
        with self._lock:
            cached = self._years.get(year)
            if cached is None:
                cached = self._years[year] = self._compute(year)
        return cached

    def _scopes(self) -> Iterable[CalendarScope]:
        if self._notices.national is not None:
            yield self._notices.national
        yield from self._chain

    def _compute(self, year: int) -> _Year:
        decided: dict[date, Day] = {}
        for scope in self._scopes():
            level: Level = "national" if scope.level == "national" else "region"
            # A notice may reach into the neighbouring year (the 2023 notice's 元旦 began on 2022-12-31).
            for arrangement in (scope.arrangements.get(y) for y in (year - 1, year, year + 1)):
                if arrangement is not None:
                    self._apply(arrangement, level, year, decided)
        for day, entry in self._org_days.items():
            if day.year == year:
                decided[day] = _override_day(entry, "org")
        first = date(year, 1, 1)
        count = (date(year + 1, 1, 1) - first).days
        days = tuple(
            decided.get(day) or Day(day, DayKind.REST_DAY if day.weekday() >= 5 else DayKind.WORKDAY)
            for day in (first + timedelta(days=n) for n in range(count))
        )
        prefix = [0]
        for day_ in days:
            prefix.append(prefix[-1] + day_.is_workday)
        workdays = tuple(d.date for d in days if d.is_workday)
        return _Year(
            first=first.toordinal(),
            days=days,
            prefix=tuple(prefix),
            workdays=workdays,
            ordinals=tuple(d.toordinal() for d in workdays),
            months=tuple(tuple(d for d in workdays if d.month == m) for m in range(1, 13)),
        )

    @staticmethod
    def _apply(arrangement: Arrangement, level: Level, year: int, decided: dict[date, Day]) -> None:
        for day in arrangement.cancelled_makeup_workdays:
            if day.year != year:
                continue
            current = decided.get(day)
            if current is None or current.kind is not DayKind.MAKEUP_WORKDAY:
                raise InvalidSpec(
                    N_("{field}: {got} is not a make-up workday of a lower level, so it cannot be cancelled"),
                    field=f"{arrangement.scope or 'national'}.{arrangement.year}.cancel_makeup_workdays",
                    got=day.isoformat(),
                )
            # Back to the weekly pattern, but the day keeps the notice that made it so.
            kind = DayKind.REST_DAY if day.weekday() >= 5 else DayKind.WORKDAY
            decided[day] = Day(day, kind, None, False, level, arrangement.source_doc)
        for block in arrangement.holidays:
            for day in block.days_off():
                if day.year == year:
                    decided[day] = Day(
                        day,
                        DayKind.HOLIDAY,
                        block.name,
                        day in block.statutory,
                        level,
                        arrangement.source_doc,
                    )
            for day in block.makeup_workdays:
                if day.year == year:
                    decided[day] = Day(
                        day, DayKind.MAKEUP_WORKDAY, block.name, False, level, arrangement.source_doc
                    )
        for entry in arrangement.overrides:
            if entry.date.year == year:
                decided[entry.date] = _override_day(entry, level)

    # --- single days ----------------------------------------------------------------------

    def day(self, day: date) -> Day:
        """The :class:`Day` for ``day``: its kind, holiday name, statutory flag and source."""
        day = _check_date(day, "date")
        table = self._year(day.year, "date")
        return table.days[day.toordinal() - table.first]

    def kind(self, day: date) -> DayKind:
        """The :class:`DayKind` of ``day``."""
        return self.day(day).kind

    def is_workday(self, day: date) -> bool:
        """True when people work on ``day`` (an ordinary weekday or a make-up workday)."""
        return self.day(day).is_workday

    def is_holiday(self, day: date) -> bool:
        """True when ``day`` is a day off of a published holiday (not an ordinary weekend)."""
        return self.day(day).kind is DayKind.HOLIDAY

    # --- ranges ---------------------------------------------------------------------------

    def _range_years(self, start: date, end: date) -> Iterable[tuple[_Year, int, int]]:
        """For each year of ``start..end``: its table and the index range the interval covers."""
        for year in range(start.year, end.year + 1):
            table = self._year(year, "start" if year == start.year else "end")
            lo = start.toordinal() - table.first if year == start.year else 0
            hi = end.toordinal() - table.first + 1 if year == end.year else len(table.days)
            yield table, lo, hi

    def days(self, start: date, end: date) -> tuple[Day, ...]:
        """Every :class:`Day` from ``start`` to ``end``, both included (empty when start > end)."""
        start, end = _check_date(start, "start"), _check_date(end, "end")
        if start > end:
            return ()
        result: list[Day] = []
        for table, lo, hi in self._range_years(start, end):
            result.extend(table.days[lo:hi])
        return tuple(result)

    def workdays(self, start: date, end: date) -> tuple[date, ...]:
        """The workdays from ``start`` to ``end``, both included."""
        start, end = _check_date(start, "start"), _check_date(end, "end")
        if start > end:
            return ()
        result: list[date] = []
        for table, lo, hi in self._range_years(start, end):
            a = bisect_left(table.ordinals, table.first + lo)
            b = bisect_left(table.ordinals, table.first + hi)
            result.extend(table.workdays[a:b])
        return tuple(result)

    def workdays_in_month(self, year: int, month: int) -> tuple[date, ...]:
        """Every workday of ``year``-``month``; the same (cached) tuple on every call."""
        year, month = _check_int(year, "year"), _check_int(month, "month")
        if month < 1:
            raise InvalidInput(
                N_("{field}: must be at least {limit}, got {got}"), field="month", limit=1, got=month
            )
        if month > 12:
            raise InvalidInput(
                N_("{field}: must be at most {limit}, got {got}"), field="month", limit=12, got=month
            )
        return self._year(year, "year").months[month - 1]

    def workdays_between(self, start: date, end: date) -> int:
        """How many workdays lie from ``start`` to ``end``, **both included** (0 when start > end).

        Inclusive at both ends, so ``workdays_between(d, d)`` is 1 on a workday and the counts of
        adjoining ranges add up: ``between(a, c) == between(a, b) + between(b + 1 day, c)``.
        """
        start, end = _check_date(start, "start"), _check_date(end, "end")
        if start > end:
            return 0
        return sum(table.prefix[hi] - table.prefix[lo] for table, lo, hi in self._range_years(start, end))

    # --- stepping -------------------------------------------------------------------------

    def next_workday(self, day: date) -> date:
        """The first workday strictly after ``day``."""
        day = _check_date(day, "date")
        year, ordinal = day.year, day.toordinal()
        while True:
            table = self._year(year, "date")
            i = bisect_right(table.ordinals, ordinal)
            if i < len(table.ordinals):
                return table.workdays[i]
            year += 1

    def previous_workday(self, day: date) -> date:
        """The last workday strictly before ``day``."""
        day = _check_date(day, "date")
        year, ordinal = day.year, day.toordinal()
        while True:
            table = self._year(year, "date")
            i = bisect_left(table.ordinals, ordinal)
            if i > 0:
                return table.workdays[i - 1]
            year -= 1

    def add_workdays(self, day: date, n: int) -> date:
        """The ``n``-th workday after ``day`` (before it when ``n`` is negative).

        Counting starts on the next day: a deadline of "3 working days" from a Friday before an
        ordinary weekend ends on Wednesday. ``n == 0`` gives ``day`` itself when it is a workday,
        else the next workday.
        """
        day, n = _check_date(day, "date"), _check_int(n, "n")
        if n == 0:
            return day if self.is_workday(day) else self.next_workday(day)
        year, ordinal = day.year, day.toordinal()
        table = self._year(year, "date")
        if n > 0:
            index = bisect_right(table.ordinals, ordinal) + n - 1
            while index >= len(table.ordinals):
                index -= len(table.ordinals)
                year += 1
                table = self._year(year, "date")
        else:
            index = bisect_left(table.ordinals, ordinal) + n
            while index < 0:
                year -= 1
                table = self._year(year, "date")
                index += len(table.ordinals)
        return table.workdays[index]


def _override_day(entry: DayOverride, level: Level) -> Day:
    if entry.kind == "rest_day":
        kind = DayKind.REST_DAY
    else:
        kind = DayKind.MAKEUP_WORKDAY if entry.date.weekday() >= 5 else DayKind.WORKDAY
    return Day(entry.date, kind, entry.name, False, level, entry.source_doc)


@lru_cache(maxsize=1024)
def _cached(region: str | None, org: OrgOverrides | None, notices: Notices) -> WorkCalendar:
    return WorkCalendar(region, org, notices=notices)


def calendar_for(region: str | None = None, org: OrgOverrides | None = None) -> WorkCalendar:
    """The shared calendar of ``region`` (and ``org``) on the default notices.

    The same object for the same arguments (``"65"`` and ``"650000"`` alike), so its per-year
    tables are computed once for every caller.
    """
    code = None if region is None else normalize_region(region)
    if org is not None and not isinstance(org, OrgOverrides):
        raise InvalidInput(
            N_("{field}: expected OrgOverrides (see load_org_overrides), got {got}"),
            field="org",
            got=type(org).__name__,
        )
    return _cached(code, org, default_notices())


def is_workday(day: date, region: str | None = None, org: OrgOverrides | None = None) -> bool:
    """True when people work on ``day`` in ``region`` (national when ``None``) and ``org``."""
    return calendar_for(region, org).is_workday(day)


def is_holiday(day: date, region: str | None = None, org: OrgOverrides | None = None) -> bool:
    """True when ``day`` is a day off of a published holiday (an ordinary weekend is not)."""
    return calendar_for(region, org).is_holiday(day)


def day_kind(day: date, region: str | None = None, org: OrgOverrides | None = None) -> DayKind:
    """The :class:`DayKind` of ``day``: workday, rest_day, holiday or makeup_workday."""
    return calendar_for(region, org).kind(day)


def day_info(day: date, region: str | None = None, org: OrgOverrides | None = None) -> Day:
    """The :class:`Day` of ``day``: kind, holiday name in three languages, statutory flag, source."""
    return calendar_for(region, org).day(day)


def workdays_between(
    start: date, end: date, region: str | None = None, org: OrgOverrides | None = None
) -> int:
    """The number of workdays from ``start`` to ``end``, both included (0 when start > end)."""
    return calendar_for(region, org).workdays_between(start, end)


def workdays_in_month(
    year: int, month: int, region: str | None = None, org: OrgOverrides | None = None
) -> tuple[date, ...]:
    """Every workday of ``year``-``month`` in ``region`` (and ``org``)."""
    return calendar_for(region, org).workdays_in_month(year, month)


def next_workday(day: date, region: str | None = None, org: OrgOverrides | None = None) -> date:
    """The first workday strictly after ``day``."""
    return calendar_for(region, org).next_workday(day)


def previous_workday(day: date, region: str | None = None, org: OrgOverrides | None = None) -> date:
    """The last workday strictly before ``day``."""
    return calendar_for(region, org).previous_workday(day)


def add_workdays(day: date, n: int, region: str | None = None, org: OrgOverrides | None = None) -> date:
    """The ``n``-th workday after ``day`` (before it for negative ``n``; see WorkCalendar.add_workdays)."""
    return calendar_for(region, org).add_workdays(day, n)
