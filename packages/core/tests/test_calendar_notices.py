"""The shipped calendar data against the notices' own text, the 放假办法 and chinese-calendar.

Vectors: ``vectors/calendar_notices.toml`` (the notices' holiday paragraphs, verbatim, each with
its source) and ``vectors/calendar_statutory.toml`` (Art. 2 of 《全国年节及纪念日放假办法》 per
edition, with the lunar dates it refers to).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest
from chinese_calendar import constants as cc_data

from govparts.core import calendar
from govparts.core.calendar import DayKind, WorkCalendar
from govparts.core.errors import CalendarUnavailable

VECTORS = Path(__file__).parent / "vectors"
NOTICES: list[dict[str, Any]] = tomllib.loads((VECTORS / "calendar_notices.toml").read_text("utf-8"))[
    "notice"
]
STATUTORY: dict[str, Any] = tomllib.loads((VECTORS / "calendar_statutory.toml").read_text("utf-8"))
SHIPPED_YEARS = range(2022, 2027)

# --- a reader for the notices' holiday paragraphs ----------------------------------------------

_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)(?P<name>[^：]+)：(?P<body>.+)$"
)
_DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:\[(?P<wd>.)\])?")
_NOTE = re.compile(r"（([^）]*)）")
_NOTE_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
_COUNT = re.compile(r"(?:共|放假|调休)(\d+)天")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


@dataclass
class Item:
    """One paragraph of a notice: a holiday, its days off, make-up workdays and festival day."""

    name: str
    first: date
    last: date
    count: int | None = None
    makeup: list[date] = field(default_factory=list)
    festival_day: date | None = None
    annotated: list[tuple[date, int]] = field(default_factory=list)

    def days_off(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def _keep_weekday(match: re.Match[str]) -> str:
    found = _NOTE_WEEKDAY.search(match[1])
    return f"[{found[1]}]" if found else ""


def parse_item(line: str, year: int) -> Item:
    """Read one paragraph ("二、春节：1月28日（…周二）至2月4日…放假调休，共8天。1月26日（周日）…上班。")."""
    head = _ITEM.match(line.replace(" ", ""))
    assert head, line
    # A parenthesis keeps only its weekday; dates inside one (除夕（2月9日）) are remarks, not days.
    body = _NOTE.sub(_keep_weekday, head["body"])
    context = {"y": year, "m": 0}
    item: dict[str, Any] = {"makeup": [], "annotated": []}

    def dates(clause: str) -> list[date]:
        found = []
        for match in _DATE.finditer(clause):
            context["y"] = int(match["y"] or context["y"])
            context["m"] = int(match["m"] or context["m"])
            day = date(context["y"], context["m"], int(match["d"]))
            if match["wd"]:
                item["annotated"].append((day, _WEEKDAYS[match["wd"]]))
            found.append(day)
        return found

    for clause in re.split("[，。]", body):
        in_clause = dates(clause)
        if "上班" in clause:
            item["makeup"].extend(in_clause)
        elif "是" in clause and clause.endswith("节"):
            (item["festival_day"],) = in_clause
        elif "放假" in clause:
            item["first"], item["last"] = in_clause[0], in_clause[-1]
        if count := _COUNT.search(clause):
            item["count"] = int(count[1])
    return Item(name=head["name"], **item)


def items(notice: dict[str, Any]) -> list[Item]:
    return [parse_item(line, notice["year"]) for line in notice["lines"]]


def by_scope(scope: str) -> list[dict[str, Any]]:
    return [n for n in NOTICES if n["scope"] == scope]


def notice_id(notice: dict[str, Any]) -> str:
    return f"{notice['scope']}-{notice['year']}"


NATIONAL = WorkCalendar()
XINJIANG = WorkCalendar("65")


def year_days(cal: WorkCalendar, year: int) -> list[calendar.Day]:
    return list(cal.days(date(year, 1, 1), date(year, 12, 31)))


# --- the reader itself ---------------------------------------------------------------------------


def test_parse_item_reads_a_range_a_count_and_make_up_days() -> None:
    """Reads days off, the day count, weekday notes and make-up workdays of one paragraph."""
    item = parse_item(
        "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。",
        2025,
    )
    assert (item.name, item.first, item.last, item.count) == ("春节", date(2025, 1, 28), date(2025, 2, 4), 8)
    assert item.makeup == [date(2025, 1, 26), date(2025, 2, 8)]
    assert (date(2025, 1, 28), 1) in item.annotated


def test_parse_item_reads_a_regional_festival_day_apart_from_its_day_off() -> None:
    """Reads "5月3日是肉孜节，5月5日放假调休1天" as festival 05-03 and one day off on 05-05."""
    item = parse_item("（五）肉孜节：5月3日是肉孜节，5月5日放假调休1天。", 2022)
    assert (item.festival_day, item.first, item.last, item.count) == (
        date(2022, 5, 3),
        date(2022, 5, 5),
        date(2022, 5, 5),
        1,
    )


def test_parse_item_ignores_dates_in_remarks() -> None:
    """Ignores the 除夕 date the 2024 notice only mentions in a remark."""
    item = parse_item(NOTICES[2]["lines"][1], 2024)
    assert date(2024, 2, 9) not in item.days_off() + item.makeup


# --- the notices are internally consistent ------------------------------------------------------


@pytest.mark.parametrize("notice", NOTICES, ids=notice_id)
def test_weekday_notes_of_the_notice_match_the_dates(notice: dict[str, Any]) -> None:
    """Confirms every (周X)/(星期X) note of the notice names the weekday of its date."""
    notes = [pair for item in items(notice) for pair in item.annotated]
    assert notes, "the notice carries weekday notes"
    assert [(day, day.weekday()) for day, _ in notes] == notes


@pytest.mark.parametrize("notice", NOTICES, ids=notice_id)
def test_day_counts_of_the_notice_match_its_ranges(notice: dict[str, Any]) -> None:
    """Confirms each "共N天" equals the length of the range it closes."""
    for item in items(notice):
        if item.count is not None:
            assert item.count == len(item.days_off()), item.name


# --- national data against the State Council's notices -----------------------------------------


@pytest.mark.parametrize("notice", by_scope("national"), ids=notice_id)
def test_national_calendar_has_every_day_of_the_notice(notice: dict[str, Any]) -> None:
    """Gives every day off of the notice as a holiday and every "上班" day as a make-up workday."""
    for item in items(notice):
        for day in item.days_off():
            info = NATIONAL.day(day)
            assert (info.kind, info.name and info.name.zh, info.source_doc) == (
                DayKind.HOLIDAY,
                item.name,
                notice["source_doc"],
            ), day
        for day in item.makeup:
            info = NATIONAL.day(day)
            assert (info.kind, info.name and info.name.zh, info.source_doc) == (
                DayKind.MAKEUP_WORKDAY,
                item.name,
                notice["source_doc"],
            ), day


@pytest.mark.parametrize("notice", by_scope("national"), ids=notice_id)
def test_national_data_says_nothing_the_notice_does_not(notice: dict[str, Any]) -> None:
    """Holds exactly the notice's days off and make-up workdays for its year, no more."""
    arrangement = calendar.shipped_notices().national.arrangements[notice["year"]]  # type: ignore[union-attr]
    assert arrangement.source_doc == notice["source_doc"]
    ours = {(d, "off", b.name.zh) for b in arrangement.holidays for d in b.days_off()}
    ours |= {(d, "work", b.name.zh) for b in arrangement.holidays for d in b.makeup_workdays}
    theirs = {(d, "off", i.name) for i in items(notice) for d in i.days_off()}
    theirs |= {(d, "work", i.name) for i in items(notice) for d in i.makeup}
    assert ours == theirs


def test_every_national_year_shipped_has_its_notice_vectors() -> None:
    """Ships national data exactly for the years whose notice text is among the vectors."""
    shipped = calendar.shipped_notices().national
    assert shipped is not None
    assert shipped.years == tuple(n["year"] for n in by_scope("national")) == tuple(SHIPPED_YEARS)


def test_2025_reform_adds_a_day_to_spring_festival_and_labour_day() -> None:
    """Counts one more statutory day for 春节 and for 劳动节 in 2025 than in 2024 (Order 795)."""

    def statutory(year: int, key: str) -> int:
        arrangement = calendar.shipped_notices().national.arrangements[year]  # type: ignore[union-attr]
        return sum(len(b.statutory) for b in arrangement.holidays if b.key == key)

    assert (statutory(2024, "spring_festival"), statutory(2025, "spring_festival")) == (3, 4)
    assert (statutory(2024, "labour_day"), statutory(2025, "labour_day")) == (1, 2)


# --- statutory days against Art. 2 of the 放假办法 ------------------------------------------------


def _edition(year: int) -> dict[str, Any]:
    (edition,) = [e for e in STATUTORY["edition"] if year in e["years"]]
    return edition


def _qingming(year: int) -> date:
    (found,) = [
        d
        for d, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
        if name == "清明"
    ]
    return found


def expected_statutory(year: int) -> set[date]:
    edition, lunar = _edition(year), STATUTORY["lunar"][str(year)]
    spring = lunar["first_month_1st"]
    days = {date(year, 1, 1), _qingming(year), lunar["dragon_boat"], lunar["mid_autumn"]}
    days |= {spring + timedelta(days=n) for n in range(-1 if edition["spring_festival_eve"] else 0, 3)}
    days |= {date(year, 5, n) for n in range(1, edition["labour_day_days"] + 1)}
    days |= {date(year, 10, n) for n in (1, 2, 3)}
    return days


@pytest.mark.parametrize("year", SHIPPED_YEARS)
def test_statutory_days_follow_article_2_of_the_edition_in_force(year: int) -> None:
    """Marks as statutory exactly the days Art. 2 names, 11 under Order 644 and 13 under Order 795."""
    marked = {d.date for d in year_days(NATIONAL, year) if d.statutory}
    assert marked == expected_statutory(year)
    assert len(marked) == _edition(year)["total"]
    assert all(NATIONAL.kind(d) is DayKind.HOLIDAY for d in marked)


@pytest.mark.parametrize(
    "year", [y for y in SHIPPED_YEARS if "first_month_7th_per_notice" in STATUTORY["lunar"][str(y)]]
)
def test_lunar_anchor_agrees_with_the_notices_lunar_note(year: int) -> None:
    """Puts 正月初七 six days after the 正月初一 vector, as the notice's own lunar note says."""
    lunar = STATUTORY["lunar"][str(year)]
    assert lunar["first_month_1st"] + timedelta(days=6) == lunar["first_month_7th_per_notice"]


def test_a_statutory_day_on_a_weekend_is_told_apart_from_moved_days() -> None:
    """Marks 端午 2025-05-31 (a Saturday) statutory and the Monday off after it not."""
    saturday, monday = NATIONAL.day(date(2025, 5, 31)), NATIONAL.day(date(2025, 6, 2))
    assert (saturday.kind, saturday.statutory) == (DayKind.HOLIDAY, True)
    assert (monday.kind, monday.statutory) == (DayKind.HOLIDAY, False)


# --- national data against chinese-calendar, every day -------------------------------------------

# chinese-calendar also names the weekend joined to the one-day 元旦 of 2024 ("与周末连休"); the
# notice gives only 1月1日 off, so we keep that weekend an ordinary rest day.
CHINESE_CALENDAR_NAMES_ONLY = {date(2023, 12, 30), date(2023, 12, 31)}


@pytest.mark.parametrize("year", SHIPPED_YEARS)
def test_national_workdays_agree_with_chinese_calendar_every_day(year: int) -> None:
    """Agrees with chinese-calendar on workday, make-up workday and weekday holiday for each day."""
    for info in year_days(NATIONAL, year):
        day = info.date
        assert info.is_workday == chinese_calendar.is_workday(day), day
        assert (info.kind is DayKind.MAKEUP_WORKDAY) == (day in cc_data.workdays), day
        if day.weekday() < 5:
            assert (info.kind is DayKind.HOLIDAY) == (day in cc_data.holidays), day
        elif info.kind is DayKind.HOLIDAY:
            assert day in cc_data.holidays, day


def test_named_weekend_days_differ_from_chinese_calendar_only_where_explained() -> None:
    """Differs from chinese-calendar's holiday names only on the 2024 元旦 weekend."""
    named_by_library = {d for d in cc_data.holidays if d.year in SHIPPED_YEARS}
    ours = {d.date for y in SHIPPED_YEARS for d in year_days(NATIONAL, y) if d.kind is DayKind.HOLIDAY}
    assert named_by_library - ours == CHINESE_CALENDAR_NAMES_ONLY
    assert ours <= named_by_library


def test_an_unpublished_year_is_refused_by_both() -> None:
    """Refuses 2027 as chinese-calendar 1.11 does, with CalendarUnavailable naming the year."""
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))
    with pytest.raises(CalendarUnavailable) as caught:
        NATIONAL.is_workday(date(2027, 1, 4))
    assert caught.value.details["year"] == 2027


# --- Xinjiang against the region's own notices ---------------------------------------------------


@pytest.mark.parametrize("notice", by_scope("65"), ids=notice_id)
def test_xinjiang_calendar_follows_the_regional_notice(notice: dict[str, Any]) -> None:
    """Gives region 65 every day off and make-up day of its own notice, national ones included."""
    regional = {"肉孜节", "古尔邦节"}
    for item in items(notice):
        expected_level = "region" if item.name in regional else "national"
        for day in item.days_off():
            info = XINJIANG.day(day)
            assert (info.kind, info.name and info.name.zh, info.level) == (
                DayKind.HOLIDAY,
                item.name,
                expected_level,
            )
        for day in item.makeup:
            assert XINJIANG.kind(day) is DayKind.MAKEUP_WORKDAY, day


@pytest.mark.parametrize("notice", by_scope("65"), ids=notice_id)
def test_xinjiang_calendar_adds_nothing_the_regional_notice_does_not(notice: dict[str, Any]) -> None:
    """Holds for region 65 exactly the days its notice lists (days of neighbouring years' notices aside)."""
    year = notice["year"]
    docs = {notice["source_doc"], calendar.shipped_notices().national.arrangements[year].source_doc}  # type: ignore[union-attr]
    ours = {
        (d.date, d.kind)
        for d in year_days(XINJIANG, year)
        if d.kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY) and d.source_doc in docs
    }
    theirs = {(d, DayKind.HOLIDAY) for i in items(notice) for d in i.days_off() if d.year == year}
    theirs |= {(d, DayKind.MAKEUP_WORKDAY) for i in items(notice) for d in i.makeup}
    assert ours == theirs


@pytest.mark.parametrize("notice", by_scope("65"), ids=notice_id)
def test_xinjiang_data_records_the_festival_day_the_notice_names(notice: dict[str, Any]) -> None:
    """Records 肉孜节 and 古尔邦节 on the days the notice says they fall."""
    arrangement = calendar.shipped_notices().region("65").arrangements[notice["year"]]  # type: ignore[union-attr]
    recorded = {b.name.zh: b.festival_day for b in arrangement.holidays}
    stated = {i.name: i.festival_day for i in items(notice) if i.festival_day is not None}
    assert recorded == stated
    assert arrangement.source_doc == notice["source_doc"]


def test_xinjiang_ships_only_the_years_with_a_sourced_notice() -> None:
    """Ships Xinjiang's 2022, 2023 and 2025 notices and refuses 2024 and 2026 (REFERENCE 11.4.1)."""
    assert calendar.shipped_notices().region("65").years == (2022, 2023, 2025)  # type: ignore[union-attr]
    assert [XINJIANG.covers(y) for y in SHIPPED_YEARS] == [True, True, False, True, False]
