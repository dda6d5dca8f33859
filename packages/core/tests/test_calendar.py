"""govparts.core.calendar: questions about days, the three levels, errors and runtime data."""

from __future__ import annotations

import dataclasses
import doctest
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govparts.core import calendar
from govparts.core.calendar import (
    DayKind,
    DayOverride,
    HolidayName,
    Notices,
    OrgOverrides,
    WorkCalendar,
)
from govparts.core.errors import (
    CalendarUnavailable,
    GovPartsError,
    InvalidIdentifier,
    InvalidInput,
    InvalidSpec,
    NotFound,
)

UNIT = "91650100000000001A"  # an invented organisation id


def test_module_docstring_examples_run() -> None:
    """Runs the doctest examples of the calendar module's docstring."""
    result = doctest.testmod(calendar, raise_on_error=False, report=True)
    assert result.attempted >= 10
    assert result.failed == 0


def test_import_is_light() -> None:
    """Imports the calendar without chinese_calendar, tomllib or Babel."""
    code = (
        "import sys, govparts.core.calendar; "
        "print(sorted(m for m in ('chinese_calendar', 'tomllib', 'babel', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- kinds, names, sources ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2025, 3, 5), DayKind.WORKDAY),  # a Wednesday
        (date(2025, 3, 8), DayKind.REST_DAY),  # a Saturday
        (date(2025, 1, 1), DayKind.HOLIDAY),
        (date(2025, 1, 26), DayKind.MAKEUP_WORKDAY),  # Sunday worked for 春节
        (date(2025, 10, 11), DayKind.MAKEUP_WORKDAY),  # Saturday worked for 国庆节、中秋节
    ],
)
def test_day_kind_tells_the_four_kinds(day: date, kind: DayKind) -> None:
    """Tells ordinary workdays, weekends, holidays and make-up workdays apart."""
    assert calendar.day_kind(day) is kind
    assert calendar.is_workday(day) == (kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY))
    assert calendar.is_holiday(day) == (kind is DayKind.HOLIDAY)


def test_ordinary_days_carry_no_name_or_source() -> None:
    """Leaves name, level and source empty on a day no notice speaks of."""
    info = calendar.day_info(date(2025, 3, 5))
    assert (info.name, info.level, info.source_doc, info.statutory) == (None, None, None, False)


def test_holiday_name_in_three_languages() -> None:
    """Names the 2025 Mid-Autumn day in Chinese, English and Uyghur."""
    name = calendar.day_info(date(2025, 10, 6)).name
    assert name is not None
    assert (name.label("zh"), name.label("en"), name.label("ug")) == (
        "国庆节、中秋节",
        "National Day and Mid-Autumn Festival",
        "دۆلەت بايرىمى ۋە ئوتتۇرا كۈز بايرىمى",
    )


def test_makeup_workday_names_the_holiday_it_pays_for() -> None:
    """Names the Spring Festival on the Sunday worked for it, citing the notice."""
    info = calendar.day_info(date(2025, 2, 8))
    assert info.name is not None
    assert (info.name.label("en"), info.level, info.source_doc) == (
        "Spring Festival",
        "national",
        "国办发明电〔2024〕12号",
    )


def test_day_kind_labels_in_three_languages() -> None:
    """Labels a make-up workday as 调休上班 in Chinese and in English and Uyghur."""
    kind = DayKind.MAKEUP_WORKDAY
    assert (kind.label("zh"), kind.label("en"), kind.label("ug")) == (
        "调休上班",
        "make-up workday",
        "ئالماشتۇرۇپ ئىشلەيدىغان كۈن",
    )
    assert kind == "makeup_workday"


# --- counting and stepping ----------------------------------------------------------------------


def test_workdays_between_across_a_holiday() -> None:
    """Counts 5 workdays from 2025-09-29 to 10-12: 9-29, 9-30, 10-9, 10-10 and the make-up 10-11."""
    assert calendar.workdays_between(date(2025, 9, 29), date(2025, 10, 12)) == 5


def test_workdays_between_across_new_year() -> None:
    """Counts 12-29..12-31, the make-up Sunday 2026-01-04 and Monday 01-05 over the 2026 元旦."""
    assert calendar.workdays_between(date(2025, 12, 29), date(2026, 1, 5)) == 5


def test_workdays_between_includes_both_ends() -> None:
    """Counts a single workday as 1, a single holiday as 0 and an empty range as 0."""
    assert calendar.workdays_between(date(2025, 9, 30), date(2025, 9, 30)) == 1
    assert calendar.workdays_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    assert calendar.workdays_between(date(2025, 10, 2), date(2025, 10, 1)) == 0


def test_workdays_agree_with_days_over_whole_years() -> None:
    """Counts, lists and classifies the same workdays over 2022-2026."""
    cal = calendar.calendar_for()
    start, end = date(2022, 1, 1), date(2026, 12, 31)
    listed = cal.workdays(start, end)
    assert listed == tuple(d.date for d in cal.days(start, end) if d.is_workday)
    assert cal.workdays_between(start, end) == len(listed)
    assert len(cal.days(start, end)) == (end - start).days + 1


def test_next_and_previous_workday_step_over_holidays_to_make_up_days() -> None:
    """Steps from Friday 2025-09-26 to the make-up Sunday 09-28, and back over the National Day week."""
    assert calendar.next_workday(date(2025, 9, 26)) == date(2025, 9, 28)
    assert calendar.next_workday(date(2025, 9, 30)) == date(2025, 10, 9)
    assert calendar.previous_workday(date(2025, 10, 9)) == date(2025, 9, 30)
    assert calendar.previous_workday(date(2025, 10, 13)) == date(2025, 10, 11)


def test_add_workdays_counts_from_the_next_day() -> None:
    """Adds working days forward, backward, across the year end and with n = 0."""
    assert calendar.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert calendar.add_workdays(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert calendar.add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert calendar.add_workdays(date(2026, 1, 4), -2) == date(2025, 12, 30)
    assert calendar.add_workdays(date(2025, 10, 3), 0) == date(2025, 10, 9)
    assert calendar.add_workdays(date(2025, 9, 30), 0) == date(2025, 9, 30)


def test_workdays_in_month_is_computed_once_and_shared() -> None:
    """Returns the same cached tuple for "65" and "650000", matching the month's workdays."""
    first = calendar.workdays_in_month(2025, 6, region="65")
    assert calendar.workdays_in_month(2025, 6, region="650000") is first
    assert calendar.calendar_for("65") is calendar.calendar_for("650000")
    june = calendar.calendar_for("65").days(date(2025, 6, 1), date(2025, 6, 30))
    assert first == tuple(d.date for d in june if d.is_workday)


# --- property tests ------------------------------------------------------------------------------

COVERED = st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 30))


@settings(max_examples=200, deadline=None)
@given(st.lists(COVERED, min_size=3, max_size=3).map(sorted))
def test_workdays_between_adds_up_over_adjoining_ranges(points: list[date]) -> None:
    """Satisfies between(a, c) == between(a, b) + between(b + 1, c) for a <= b <= c."""
    a, b, c = points
    after_b = b + timedelta(days=1)
    assert calendar.workdays_between(a, c) == calendar.workdays_between(a, b) + calendar.workdays_between(
        after_b, c
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 30)), min_size=3, max_size=3).map(
        sorted
    )
)
def test_workdays_between_adds_up_in_xinjiang(points: list[date]) -> None:
    """Satisfies the additivity of workdays_between on Xinjiang's 2025 calendar too."""
    a, b, c = points
    after_b = b + timedelta(days=1)
    xj = calendar.calendar_for("650102")
    assert xj.workdays_between(a, c) == xj.workdays_between(a, b) + xj.workdays_between(after_b, c)


@settings(max_examples=100, deadline=None)
@given(
    st.dates(min_value=date(2022, 1, 10), max_value=date(2026, 10, 31)),
    st.integers(min_value=1, max_value=40),
)
def test_add_workdays_is_n_steps_of_next_workday(day: date, n: int) -> None:
    """Lands where n calls of next_workday land, and counts n workdays after the start."""
    stepped = day
    for _ in range(n):
        stepped = calendar.next_workday(stepped)
    assert calendar.add_workdays(day, n) == stepped
    assert calendar.workdays_between(day + timedelta(days=1), stepped) == n
    assert calendar.add_workdays(stepped, -n) == (
        day if calendar.is_workday(day) else calendar.previous_workday(day)
    )


# --- unpublished years ---------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2021, 2027, 2031])
def test_unpublished_national_year_raises_naming_the_year(year: int) -> None:
    """Raises CalendarUnavailable naming the year and the field for a year with no notice."""
    with pytest.raises(CalendarUnavailable) as caught:
        calendar.is_workday(date(year, 3, 1))
    err = caught.value
    assert (err.field, err.details["year"], err.details["scope"]) == ("date", year, "national")
    assert str(year) in err.message("en")
    assert "State Council" in err.message("en")
    assert isinstance(err, NotFound)
    assert isinstance(err, LookupError)


def test_range_reaching_an_unpublished_year_raises_for_the_end() -> None:
    """Refuses to count or step into 2027 rather than guessing from weekends."""
    with pytest.raises(CalendarUnavailable) as caught:
        calendar.workdays_between(date(2026, 12, 1), date(2027, 1, 31))
    assert (caught.value.field, caught.value.details["year"]) == ("end", 2027)
    with pytest.raises(CalendarUnavailable):
        calendar.next_workday(date(2026, 12, 31))
    with pytest.raises(CalendarUnavailable):
        calendar.add_workdays(date(2026, 12, 1), 30)


@pytest.mark.parametrize("region", ["65", "650000", "650102", "6531"])
@pytest.mark.parametrize("year", [2024, 2026])
def test_xinjiang_year_without_its_notice_raises_naming_region_and_year(region: str, year: int) -> None:
    """Raises for Xinjiang 2024 and 2026, whose regional notices are not loaded, naming both."""
    with pytest.raises(CalendarUnavailable) as caught:
        calendar.is_workday(date(year, 7, 1), region=region)
    err = caught.value
    assert (err.details["region"], err.details["year"]) == ("65", year)
    message = err.message("en")
    assert "65" in message
    assert "新疆维吾尔自治区" in message
    assert str(year) in message
    assert calendar.is_workday(date(year, 7, 1)) is True  # the national calendar still answers


@pytest.mark.parametrize("region", ["45", "540000", "640100"])
def test_declared_regions_without_data_raise(region: str) -> None:
    """Raises for Guangxi, Tibet and Ningxia, which publish their own holidays but ship no data."""
    with pytest.raises(CalendarUnavailable) as caught:
        calendar.day_kind(date(2025, 4, 1), region=region)
    assert caught.value.details["region"] == region[:2]


def test_undeclared_region_follows_the_national_calendar() -> None:
    """Gives Beijing (11) the national calendar day for day."""
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    national = calendar.calendar_for().days(start, end)
    assert calendar.calendar_for("110105").days(start, end) == national


# --- regions --------------------------------------------------------------------------------------


def test_xinjiang_county_inherits_the_regional_holidays() -> None:
    """Gives Ürümqi's 天山区 (650102) the 肉孜节 days off of the region, citing the regional notice."""
    for day in (date(2025, 3, 31), date(2025, 6, 9)):
        info = calendar.day_info(day, region="650102")
        assert (info.kind, info.level) == (DayKind.HOLIDAY, "region")
        assert "新疆" in (info.source_doc or "")
        assert calendar.day_kind(day) is DayKind.WORKDAY


def test_xinjiang_differs_from_national_only_on_its_festival_days() -> None:
    """Differs from the national 2025 calendar exactly on the weekdays of 肉孜节 and 古尔邦节."""
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    pairs = zip(
        calendar.calendar_for().days(start, end), calendar.calendar_for("65").days(start, end), strict=True
    )
    changed = {x.date for n, x in pairs if n.is_workday != x.is_workday}
    assert changed == {date(2025, 3, 31), date(2025, 6, 6), date(2025, 6, 9), date(2025, 6, 10)}


@pytest.mark.parametrize(
    ("code", "normalised"),
    [("65", "65"), ("650000", "65"), ("650100", "6501"), ("650102", "650102"), (" 6501 ", "6501")],
)
def test_region_codes_are_accepted_short_or_six_digit(code: str, normalised: str) -> None:
    """Normalises GB/T 2260 codes to their shortest form."""
    assert calendar.normalize_region(code) == normalised


@pytest.mark.parametrize("code", ["6", "65010", "6501020", "99", "000000", "65a1", "６５", ""])
def test_bad_region_code_raises_naming_the_field(code: str) -> None:
    """Refuses a code of the wrong length, an unknown province or non-digits, naming 'region'."""
    with pytest.raises(InvalidIdentifier) as caught:
        calendar.is_workday(date(2025, 1, 2), region=code)
    assert caught.value.field == "region"
    assert isinstance(caught.value, InvalidInput)
    assert "region" in caught.value.message("en")


def test_region_code_as_a_number_is_refused() -> None:
    """Refuses an integer region code instead of reading 650102 as text."""
    with pytest.raises(InvalidInput) as caught:
        calendar.is_workday(date(2025, 1, 2), region=650102)  # type: ignore[arg-type]
    assert caught.value.field == "region"


# --- bad arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: calendar.is_workday(datetime(2025, 1, 2, 9, tzinfo=UTC)), "date"),  # type: ignore[arg-type]
        (lambda: calendar.is_workday("2025-01-02"), "date"),  # type: ignore[arg-type]
        (lambda: calendar.workdays_between(date(2025, 1, 2), None), "end"),  # type: ignore[arg-type]
        (lambda: calendar.workdays_in_month(2025, 13), "month"),
        (lambda: calendar.workdays_in_month(2025, 0), "month"),
        (lambda: calendar.workdays_in_month("2025", 1), "year"),  # type: ignore[arg-type]
        (lambda: calendar.add_workdays(date(2025, 1, 2), 1.5), "n"),  # type: ignore[arg-type]
        (lambda: calendar.is_workday(date(2025, 1, 2), org=UNIT), "org"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_raise_naming_the_field(call: Any, field: str) -> None:
    """Refuses datetimes, strings, bad months, non-integer counts and bare org ids, naming the field."""
    with pytest.raises(InvalidInput) as caught:
        call()
    assert caught.value.field == field


# --- organisation overrides -----------------------------------------------------------------------


@pytest.fixture
def unit() -> OrgOverrides:
    return calendar.org_overrides(
        UNIT,
        [
            DayOverride(
                date(2025, 3, 5),
                "rest_day",
                "单位通知〔2025〕1号",
                HolidayName("停电闭馆", "closure", "تاقاش"),
            ),
            DayOverride(date(2025, 3, 31), "workday", "单位通知〔2025〕2号"),  # works on 肉孜节
            DayOverride(date(2025, 3, 8), "workday", "单位通知〔2025〕3号"),  # a Saturday
            DayOverride(date(2025, 9, 28), "rest_day", "单位通知〔2025〕4号"),  # a national make-up day
        ],
    )


def test_org_overrides_take_precedence_over_region_and_nation(unit: OrgOverrides) -> None:
    """Lets the unit's own days win over regional holidays and national make-up workdays."""
    cal = calendar.calendar_for("650102", unit)
    closure = cal.day(date(2025, 3, 5))
    assert (closure.kind, closure.level, closure.source_doc) == (
        DayKind.REST_DAY,
        "org",
        "单位通知〔2025〕1号",
    )
    assert closure.name == HolidayName("停电闭馆", "closure", "تاقاش")
    assert cal.kind(date(2025, 3, 31)) is DayKind.WORKDAY
    assert cal.kind(date(2025, 3, 8)) is DayKind.MAKEUP_WORKDAY
    assert cal.kind(date(2025, 9, 28)) is DayKind.REST_DAY
    assert cal.day(date(2025, 3, 31)).source_doc == "单位通知〔2025〕2号"
    assert calendar.calendar_for("650102").kind(date(2025, 3, 31)) is DayKind.HOLIDAY


def test_org_overrides_do_not_make_a_year_available(unit: OrgOverrides) -> None:
    """Still refuses an unpublished year for an organisation with overrides in it."""
    override = calendar.org_overrides(
        UNIT, [DayOverride(date(2027, 1, 4), "rest_day", "单位通知〔2027〕1号")]
    )
    with pytest.raises(CalendarUnavailable):
        calendar.is_workday(date(2027, 1, 4), org=override)


def test_org_overrides_load_from_toml_and_mapping(tmp_path: Path) -> None:
    """Reads an organisation's overrides from a TOML file and from the same data as a mapping."""
    text = """
format = 1
[org]
id = "91650100000000001A"
[[day]]
first = 2025-07-14
last = 2025-07-15
kind = "rest_day"
source_doc = "单位通知〔2025〕9号"
zh = "单位调休"
en = "unit rest day"
ug = "ئورۇن دەم ئېلىش كۈنى"
"""
    path = tmp_path / "unit.toml"
    path.write_text(text, encoding="utf-8")
    loaded = calendar.load_org_overrides(path)
    as_mapping = calendar.load_org_overrides(
        {
            "format": 1,
            "org": {"id": UNIT},
            "day": [
                {
                    "first": "2025-07-14",
                    "last": "2025-07-15",
                    "kind": "rest_day",
                    "source_doc": "单位通知〔2025〕9号",
                    "zh": "单位调休",
                    "en": "unit rest day",
                    "ug": "ئورۇن دەم ئېلىش كۈنى",
                }
            ],
        }
    )
    assert loaded == as_mapping
    assert [d.date for d in loaded.days] == [date(2025, 7, 14), date(2025, 7, 15)]
    assert calendar.workdays_between(date(2025, 7, 14), date(2025, 7, 18), org=loaded) == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"format": 1, "org": {"id": UNIT}, "day": [{"date": "2025-07-14", "kind": "rest_day"}]},
            "source_doc",
        ),
        (
            {
                "format": 1,
                "org": {"id": UNIT},
                "day": [{"date": "2025-07-14", "kind": "off", "source_doc": "x"}],
            },
            "kind",
        ),
        ({"format": 1, "org": {"id": ""}, "day": []}, "org.id"),
        ({"format": 2, "org": {"id": UNIT}}, "format"),
    ],
)
def test_bad_org_overrides_raise_naming_the_field(data: dict[str, Any], field: str) -> None:
    """Refuses overrides without a source, with an unknown kind, without an id or of another format."""
    with pytest.raises(InvalidSpec) as caught:
        calendar.load_org_overrides(data)
    assert (caught.value.field or "").endswith(field)


def test_org_override_dates_must_be_unique() -> None:
    """Refuses two overrides for one date."""
    twice = [DayOverride(date(2025, 7, 14), "rest_day", "a"), DayOverride(date(2025, 7, 14), "workday", "b")]
    with pytest.raises(InvalidSpec):
        calendar.org_overrides(UNIT, twice)


# --- notices loaded at runtime -------------------------------------------------------------------


def overlay(code: str, **arrangement: Any) -> dict[str, Any]:
    """A regional scope with one 2025 arrangement made of ``arrangement``'s keys (test data)."""
    return {
        "format": 1,
        "scope": {"level": "region", "code": code, "zh": "测试区", "en": "Test region", "ug": "سىناق رايونى"},
        "arrangement": [{"year": 2025, "source_doc": "测试通知〔2025〕1号", **arrangement}],
    }


def with_overlay(data: dict[str, Any]) -> Notices:
    return calendar.shipped_notices().with_scope(calendar.load_scope(data))


def test_overlay_can_delete_a_national_makeup_workday() -> None:
    """Turns the national make-up Sunday 2025-09-28 back into a rest day, citing the overlay."""
    notices = with_overlay(overlay("63", cancel_makeup_workdays=["2025-09-28", "2025-10-11"]))
    cal = WorkCalendar("630102", notices=notices)
    for day in (date(2025, 9, 28), date(2025, 10, 11)):
        info = cal.day(day)
        assert (info.kind, info.level, info.source_doc) == (DayKind.REST_DAY, "region", "测试通知〔2025〕1号")
        assert calendar.day_kind(day) is DayKind.MAKEUP_WORKDAY
    assert cal.workdays_between(date(2025, 9, 22), date(2025, 10, 12)) == (
        calendar.workdays_between(date(2025, 9, 22), date(2025, 10, 12)) - 2
    )


def test_overlay_cannot_delete_a_day_that_is_no_makeup_workday() -> None:
    """Refuses to cancel 2025-09-27, which no lower level made a make-up workday."""
    cal = WorkCalendar("63", notices=with_overlay(overlay("63", cancel_makeup_workdays=["2025-09-27"])))
    with pytest.raises(InvalidSpec) as caught:
        cal.is_workday(date(2025, 9, 27))
    assert "cancel_makeup_workdays" in (caught.value.field or "")


def test_overlay_adds_rest_days_and_makeup_workdays() -> None:
    """Adds a named regional holiday with its own make-up Saturday."""
    block = {"key": "test_festival", "zh": "测试节", "en": "Test Festival", "ug": "سىناق بايرىمى"}
    block |= {"first": "2025-07-14", "last": "2025-07-15", "makeup_workdays": ["2025-07-19"]}
    cal = WorkCalendar("63", notices=with_overlay(overlay("63", holiday=[block])))
    assert [cal.kind(date(2025, 7, d)) for d in (14, 15, 19)] == [
        DayKind.HOLIDAY,
        DayKind.HOLIDAY,
        DayKind.MAKEUP_WORKDAY,
    ]
    name = cal.day(date(2025, 7, 19)).name
    assert name == HolidayName("测试节", "Test Festival", "سىناق بايرىمى")


def test_region_with_nothing_to_add_differs_from_region_not_published() -> None:
    """Follows national days in a year the region added nothing to; refuses a year it did not publish."""
    cal = WorkCalendar("63", notices=with_overlay(overlay("63")))
    assert cal.days(date(2025, 1, 1), date(2025, 12, 31)) == calendar.calendar_for().days(
        date(2025, 1, 1), date(2025, 12, 31)
    )
    with pytest.raises(CalendarUnavailable) as caught:
        cal.is_workday(date(2026, 1, 5))
    assert (caught.value.details["region"], caught.value.details["year"]) == ("63", 2026)


def test_prefecture_overlay_applies_below_its_province() -> None:
    """Applies a prefecture overlay (6501) to its county 650102 but not to 650200."""
    block = {"key": "test_day", "zh": "测试日", "en": "Test day", "ug": "سىناق كۈنى", "first": "2025-07-16"}
    notices = with_overlay(overlay("650100", holiday=[block]))
    assert WorkCalendar("650102", notices=notices).kind(date(2025, 7, 16)) is DayKind.HOLIDAY
    assert WorkCalendar("650200", notices=notices).kind(date(2025, 7, 16)) is DayKind.WORKDAY


@pytest.fixture
def restore_defaults() -> Iterator[None]:
    previous = calendar.default_notices()
    yield
    calendar.set_default_notices(previous)


@pytest.mark.usefixtures("restore_defaults")
def test_register_loads_a_new_years_notice_from_a_file(tmp_path: Path) -> None:
    """Answers for 2027 once a (test) national notice for 2027 is registered from a JSON file."""
    data = {
        "format": 1,
        "scope": {"level": "national", "zh": "全国", "en": "National", "ug": "مەملىكەت"},
        "arrangement": [
            {
                "year": 2027,
                "source_doc": "测试通知〔2026〕1号",
                "holiday": [{"key": "new_year", "first": "2027-01-01", "statutory": ["2027-01-01"]}],
            }
        ],
    }
    path = tmp_path / "national-2027.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CalendarUnavailable):
        calendar.is_workday(date(2027, 1, 1))
    calendar.register(path)
    assert calendar.day_kind(date(2027, 1, 1)) is DayKind.HOLIDAY
    assert calendar.day_info(date(2027, 1, 1)).source_doc == "测试通知〔2026〕1号"
    assert calendar.is_workday(date(2026, 1, 5))  # the shipped years are kept


@pytest.mark.usefixtures("restore_defaults")
def test_register_refuses_a_different_notice_for_a_loaded_year_unless_replacing() -> None:
    """Refuses a second, different 2025 arrangement for region 65 unless replace=True."""
    data = overlay("65")
    with pytest.raises(InvalidSpec):
        calendar.register(data)
    calendar.register(data, replace=True)
    assert calendar.day_kind(date(2025, 3, 31), region="65") is DayKind.WORKDAY


def test_loading_a_missing_file_raises_not_found(tmp_path: Path) -> None:
    """Raises NotFound naming the path for a calendar file that does not exist."""
    with pytest.raises(NotFound) as caught:
        calendar.load_scope(tmp_path / "missing.toml")
    assert caught.value.field == "path"


def test_loading_malformed_toml_raises_invalid_spec(tmp_path: Path) -> None:
    """Raises InvalidSpec naming the file for text that is not TOML."""
    path = tmp_path / "broken.toml"
    path.write_text("format = = 1", encoding="utf-8")
    with pytest.raises(InvalidSpec) as caught:
        calendar.load_scope(path)
    assert caught.value.field == "broken.toml"


@pytest.mark.parametrize(
    ("arrangement", "field"),
    [
        (
            {"holiday": [{"key": "new_year", "first": "2025-07-14", "makeup_workdays": ["2025-07-16"]}]},
            "makeup_workdays",
        ),
        ({"holiday": [{"key": "new_year", "first": "2025-07-14", "statutory": ["2025-07-15"]}]}, "statutory"),
        ({"holiday": [{"key": "no_such_holiday", "first": "2025-07-14"}]}, "key"),
        ({"holiday": [{"key": "new_year", "first": "2025-07-14", "last": "2025-07-13"}]}, "last"),
        ({"holiday": [{"key": "new_year", "first": "2025-07-14", "lst": "2025-07-15"}]}, "holiday[0]"),
        (
            {
                "holiday": [
                    {"key": "new_year", "first": "2025-07-14"},
                    {"key": "qingming", "first": "2025-07-14"},
                ]
            },
            "off",
        ),
        ({"holiday": [{"key": "new_year", "first": "2027-07-14"}]}, "off"),
        ({"day": [{"date": "2025-07-14T08:00:00", "kind": "rest_day"}]}, "date"),
        ({"source_doc": ""}, "source_doc"),
    ],
)
def test_bad_arrangements_raise_naming_the_field(arrangement: dict[str, Any], field: str) -> None:
    """Refuses weekday make-up days, stray statutory days, unknown names and keys, overlaps and bad dates."""
    with pytest.raises(InvalidSpec) as caught:
        calendar.load_scope(overlay("63", **arrangement))
    assert (caught.value.field or "").endswith(field)
    assert isinstance(caught.value, GovPartsError)


def test_national_scope_cannot_cancel_makeup_workdays() -> None:
    """Refuses cancel_makeup_workdays in a national arrangement, which has no level below."""
    data = {
        "format": 1,
        "scope": {"level": "national", "zh": "全国", "en": "National", "ug": "مەملىكەت"},
        "arrangement": [{"year": 2025, "source_doc": "x", "cancel_makeup_workdays": ["2025-09-28"]}],
    }
    with pytest.raises(InvalidSpec):
        calendar.load_scope(data)


def test_scope_refuses_an_arrangement_of_another_scope() -> None:
    """Refuses to file Xinjiang's 2025 arrangement under a national scope."""
    shipped = calendar.shipped_notices()
    xinjiang_2025 = shipped.region("65").arrangements[2025]  # type: ignore[union-attr]
    national = shipped.national
    assert national is not None
    misfiled = dataclasses.replace(national, arrangements={2025: xinjiang_2025})
    with pytest.raises(InvalidSpec):
        Notices().with_scope(misfiled)


def test_scope_with_a_bad_region_code_raises() -> None:
    """Refuses a regional scope whose code is not a GB/T 2260 code, naming the field."""
    with pytest.raises(InvalidIdentifier) as caught:
        calendar.load_scope(overlay("99"))
    assert caught.value.field == "calendar.scope.code"


# --- the shipped data -----------------------------------------------------------------------------


def test_every_shipped_arrangement_cites_its_source_and_confidence() -> None:
    """Ships no arrangement without a source document, sources and a confidence mark."""
    notices = calendar.shipped_notices()
    arrangements = [a for s in notices.scopes.values() for a in s.arrangements.values()]
    assert len(arrangements) == 8
    for arrangement in arrangements:
        assert arrangement.source_doc
        assert arrangement.sources
        assert arrangement.confidence
        assert arrangement.confidence.startswith(("V", "S"))


def test_holiday_names_are_complete_in_three_languages() -> None:
    """Gives every shipped holiday name in Chinese, English and Uyghur (Arabic script)."""
    for key, name in calendar.holiday_names().items():
        assert name.zh, key
        assert name.en, key
        assert name.ug, key
        assert all("\u0600" <= ch <= "\u06ff" or ch in " " for ch in name.ug), key
