"""The values a working-day calendar is made of: kinds of day, names, notices and overrides.

Everything here is an immutable value; parsing and validation live in ``_load``, computation in
``_calendar``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from ..i18n import get_locale, normalize_locale

Level = Literal["national", "region", "org"]
OverrideKind = Literal["rest_day", "workday"]


@dataclass(frozen=True, slots=True)
class HolidayName:
    """A name in the three govparts locales (Chinese, English, Uyghur)."""

    zh: str
    en: str
    ug: str

    def label(self, locale: str | None = None) -> str:
        """The name in ``locale`` (default: the current locale)."""
        loc = normalize_locale(locale) if locale else get_locale()
        return {"zh_Hans_CN": self.zh, "en": self.en, "ug_CN": self.ug}[loc] or self.zh


class DayKind(StrEnum):
    """What a day is for work: the four kinds the national arrangement distinguishes.

    ``makeup_workday`` is 调休上班: a Saturday or Sunday worked in exchange for a weekday off.
    """

    WORKDAY = "workday"
    REST_DAY = "rest_day"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"

    @property
    def is_workday(self) -> bool:
        """True for the two working kinds (``workday``, ``makeup_workday``)."""
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    def label(self, locale: str | None = None) -> str:
        """The kind's name in ``locale`` (工作日, rest day, بايرام دەم ئېلىش كۈنى…)."""
        return _KIND_LABELS[self].label(locale)


_KIND_LABELS = {
    DayKind.WORKDAY: HolidayName("工作日", "workday", "خىزمەت كۈنى"),
    DayKind.REST_DAY: HolidayName("休息日", "rest day", "دەم ئېلىش كۈنى"),
    DayKind.HOLIDAY: HolidayName("节假日", "holiday", "بايرام دەم ئېلىش كۈنى"),
    DayKind.MAKEUP_WORKDAY: HolidayName("调休上班", "make-up workday", "ئالماشتۇرۇپ ئىشلەيدىغان كۈن"),
}


@dataclass(frozen=True, slots=True)
class Day:
    """One day of a calendar and why it is what it is.

    ``name`` is the holiday the day belongs to (for a make-up workday: the holiday it pays for;
    for an organisation's own closure: the name it gave, if any). ``statutory`` marks the days of
    the statutory holidays themselves (法定节假日, 《全国年节及纪念日放假办法》 Art. 2), as distinct
    from the weekend days moved next to them (调休) — the difference matters for overtime pay.
    ``level`` and ``source_doc`` say which notice decided the day (``None`` for an ordinary
    weekday or weekend).
    """

    date: date
    kind: DayKind
    name: HolidayName | None = None
    statutory: bool = False
    level: Level | None = None
    source_doc: str | None = None

    @property
    def is_workday(self) -> bool:
        """True when people work that day."""
        return self.kind.is_workday


@dataclass(frozen=True, slots=True)
class HolidayBlock:
    """A named holiday of a notice: the days off from ``first`` to ``last`` (inclusive).

    ``makeup_workdays`` are the weekend days worked for it (调休上班); ``statutory`` the days of the
    block that are statutory holidays; ``festival_day`` the day the festival itself falls on when
    the notice names it (a regional festival may fall outside its days off, as 肉孜节 2022 did).
    """

    key: str
    name: HolidayName
    first: date
    last: date
    makeup_workdays: tuple[date, ...] = ()
    statutory: frozenset[date] = frozenset()
    festival_day: date | None = None

    def days_off(self) -> Iterator[date]:
        """Every day off of the block, in order."""
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DayOverride:
    """One day declared a rest day or a workday outside any named holiday, with its source.

    Organisations use these for their own arrangement (a closure, a Saturday worked); a notice
    may use them too. A workday on a Saturday or Sunday counts as a make-up workday.
    """

    date: date
    kind: OverrideKind
    source_doc: str
    name: HolidayName | None = None


@dataclass(frozen=True, slots=True)
class Arrangement:
    """One published notice: the holidays and make-up workdays of one scope for one year.

    ``cancelled_makeup_workdays`` are make-up workdays of a lower level that this notice turns back
    into ordinary weekend days (Xinjiang did this with the national 2014-09-28 and 2014-10-11).
    An arrangement with no holidays at all is meaningful: the scope published its notice for the
    year and it adds nothing.
    """

    level: Literal["national", "region"]
    scope: str
    year: int
    source_doc: str
    title: str = ""
    issuer: str = ""
    issued: date | None = None
    legal_basis: str = ""
    confidence: str = ""
    sources: tuple[str, ...] = ()
    note: str = ""
    holidays: tuple[HolidayBlock, ...] = ()
    overrides: tuple[DayOverride, ...] = ()
    cancelled_makeup_workdays: tuple[date, ...] = ()


@dataclass(frozen=True)
class CalendarScope:
    """A publisher of yearly arrangements — the State Council, or a region — and its notices.

    ``code`` is ``""`` for the national scope and the normalised GB/T 2260 code of a region
    (``"65"``, ``"6501"``). Once a region is declared, every year it has no arrangement for is
    unavailable for that region: a declared region with no regional holidays in a year says so
    with an empty arrangement.
    """

    level: Literal["national", "region"]
    code: str
    name: HolidayName
    legal_basis: str = ""
    note: str = ""
    sources: tuple[str, ...] = ()
    arrangements: Mapping[int, Arrangement] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def years(self) -> tuple[int, ...]:
        """The years this scope has published arrangements for, ascending."""
        return tuple(sorted(self.arrangements))

    def describe(self) -> str:
        """``national`` or ``region 65 (新疆维吾尔自治区)``: how errors name this scope."""
        if self.level == "national":
            return "national"
        return f"region {self.code} ({self.name.zh})"


@dataclass(frozen=True)
class OrgOverrides:
    """An organisation's own deviations from its region's calendar, each day with its source.

    Hashable, so calendars built for it can be cached. Overrides need no yearly coverage: an
    organisation without overrides in a year simply follows its region.
    """

    org: str
    days: tuple[DayOverride, ...] = ()

    def by_date(self) -> Mapping[date, DayOverride]:
        """The overrides keyed by date."""
        return {entry.date: entry for entry in self.days}
