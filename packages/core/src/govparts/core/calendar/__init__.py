"""Working days (工作日): the national arrangement, regional overlays and organisation overrides.

China's public holidays are set by 《全国年节及纪念日放假办法》 (State Council Order No. 270, last
amended by Order No. 795 with effect from 2025-01-01: 13 statutory days a year, Art. 2). Art. 7 lets
the State swap weekend days (调休) to join holidays into longer breaks, so which days are worked is
known only from the yearly notice of the State Council General Office, 《国务院办公厅关于YYYY年部分
节假日安排的通知》 (for 2025: 国办发明电〔2024〕12号). Minority festivals are set locally (Art. 4):
Xinjiang adds 肉孜节 and 古尔邦节 for all residents by a yearly regional notice under 自治区人民政府
令第174号, and such a notice may also cancel national make-up workdays (it did in 2014).

A calendar stacks three levels, each day decided by the highest level that speaks of it:

1. **national** — one arrangement per year, from the State Council's notice;
2. **region** — the overlays of a GB/T 2260 code and the codes above it: ``"650102"`` (a county of
   Ürümqi) uses the overlays of ``"65"``, ``"6501"`` and ``"650102"`` that exist. Codes are
   accepted short or six-digit (``"65"`` = ``"650000"``);
3. **organisation** — :class:`OrgOverrides`: a unit's own closures and worked days, each with the
   document that decided it.

A date is never guessed from the weekday. Its year must have the national notice loaded, and every
*declared* region on the chain (one that publishes its own holidays: shipped for 65 with data, and
for 45, 54 and 64 as declarations without data) must have its arrangement for that year — else
:class:`~govparts.core.errors.CalendarUnavailable` names the year and the scope. A declared region
that announced no regional holidays in a year says so with an empty arrangement, which is not the
same as "not published". A region that declares nothing follows the national calendar.

Why our own data and not ``chinese_calendar`` at run time: that library is well kept and right about
which days are worked — the tests compare our data with it for every day of 2022–2026 — but it is
wrong for us in what it leaves out. It cites no notice (a published standard must), it cannot tell a
statutory day on a weekend (端午 2025-05-31, paid at 300% under Labour Law Art. 44) from a moved rest
day, it names holidays in English only, its holiday metadata predates Order 795, it has no regional
overlays to compose with, and each new year needs a new release, whereas a deployment must be able
to load November's notice the day it appears (:func:`register`). So the notices are versioned data
files (``data/*.toml``) with their sources and confidence, ``chinese_calendar`` is the tests'
oracle, and importing this module imports neither it nor any TOML until a calendar is first used.

Conventions callers may rely on: :func:`workdays_between` counts **both ends inclusive** (0 when
start is after end); :func:`next_workday` is strictly after; :func:`add_workdays` counts from the
next day; :func:`is_holiday` means "a day off of a published holiday" (an ordinary weekend is a
``rest_day``, not a holiday). Dates must be :class:`datetime.date`; a ``datetime`` is refused
rather than silently truncated in the wrong time zone. A notice may reach into the year before it
(the 2023 notice's 元旦 began on 2022-12-31): such days take that notice's word once it is loaded.

    >>> from datetime import date
    >>> from govparts.core import calendar
    >>> calendar.day_kind(date(2025, 1, 26))  # a Sunday worked for the Spring Festival
    <DayKind.MAKEUP_WORKDAY: 'makeup_workday'>
    >>> day = calendar.day_info(date(2025, 1, 28))
    >>> day.kind, day.name.label("en"), day.statutory, day.source_doc
    (<DayKind.HOLIDAY: 'holiday'>, 'Spring Festival', True, '国办发明电〔2024〕12号')
    >>> calendar.workdays_between(date(2025, 9, 29), date(2025, 10, 12))
    5
    >>> calendar.add_workdays(date(2025, 9, 30), 1)
    datetime.date(2025, 10, 9)

Xinjiang's own holidays, for a county code that inherits the region's overlay:

    >>> calendar.is_workday(date(2025, 3, 31)), calendar.is_workday(date(2025, 3, 31), region="650102")
    (True, False)
    >>> calendar.day_info(date(2025, 3, 31), region="65").name.label("ug")
    'روزا ھېيت'

Bulk questions go to one shared :class:`WorkCalendar`, whose years are computed once:

    >>> xj = calendar.calendar_for("650000")
    >>> len(xj.workdays_in_month(2025, 6))
    17
    >>> xj.workdays_in_month(2025, 6) is calendar.calendar_for("65").workdays_in_month(2025, 6)
    True

A year without a published notice is an error, never a guess:

    >>> from govparts.core.errors import CalendarUnavailable
    >>> try:
    ...     calendar.is_workday(date(2027, 3, 1))
    ... except CalendarUnavailable as err:
    ...     print(err.details["year"], err.details["scope"])
    2027 national
"""

from ._calendar import WorkCalendar as WorkCalendar
from ._calendar import add_workdays as add_workdays
from ._calendar import calendar_for as calendar_for
from ._calendar import day_info as day_info
from ._calendar import day_kind as day_kind
from ._calendar import is_holiday as is_holiday
from ._calendar import is_workday as is_workday
from ._calendar import next_workday as next_workday
from ._calendar import previous_workday as previous_workday
from ._calendar import workdays_between as workdays_between
from ._calendar import workdays_in_month as workdays_in_month
from ._load import Notices as Notices
from ._load import default_notices as default_notices
from ._load import holiday_names as holiday_names
from ._load import load_org_overrides as load_org_overrides
from ._load import load_scope as load_scope
from ._load import org_overrides as org_overrides
from ._load import register as register
from ._load import set_default_notices as set_default_notices
from ._load import shipped_notices as shipped_notices
from ._model import Arrangement as Arrangement
from ._model import CalendarScope as CalendarScope
from ._model import Day as Day
from ._model import DayKind as DayKind
from ._model import DayOverride as DayOverride
from ._model import HolidayBlock as HolidayBlock
from ._model import HolidayName as HolidayName
from ._model import OrgOverrides as OrgOverrides
from ._region import normalize_region as normalize_region

__all__ = [
    # questions about days
    "add_workdays",
    "day_info",
    "day_kind",
    "is_holiday",
    "is_workday",
    "next_workday",
    "previous_workday",
    "workdays_between",
    "workdays_in_month",
    # calendars
    "WorkCalendar",
    "calendar_for",
    "normalize_region",
    # values
    "Day",
    "DayKind",
    "HolidayName",
    # notices and overrides as data
    "Arrangement",
    "CalendarScope",
    "DayOverride",
    "HolidayBlock",
    "Notices",
    "OrgOverrides",
    "default_notices",
    "holiday_names",
    "load_org_overrides",
    "load_scope",
    "org_overrides",
    "register",
    "set_default_notices",
    "shipped_notices",
]
