"""Leave rules: annual leave thresholds on their exact dates, cancellation, maternity, counting."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from govparts.attendance import (
    annual_leave_cancelled,
    annual_leave_days,
    count_leave_days,
    leave_rules,
    maternity_leave_days,
    service_years,
)
from govparts.core.calendar import calendar_for
from govparts.core.errors import GovPartsError, InvalidInput, UnknownCode

VECTORS = Path(__file__).with_name("vectors") / "annual-leave.csv"


def _vectors() -> list[tuple[date, date, int]]:
    lines = [line for line in VECTORS.read_text("utf-8").splitlines() if not line.startswith("#")]
    return [
        (date.fromisoformat(r["first_employment"]), date.fromisoformat(r["on"]), int(r["days"]))
        for r in csv.DictReader(lines)
    ]


@pytest.mark.parametrize(("first", "on", "days"), _vectors())
def test_annual_leave_days_follow_article_3(first: date, on: date, days: int) -> None:
    """Gives 5/10/15 days from the very day 1/10/20 years of service are complete (国务院令第514号 Art. 3)."""
    assert annual_leave_days(first, on) == days


def test_service_years_count_the_anniversary() -> None:
    """Counts a year as complete on its anniversary, not the day after."""
    assert service_years(date(2015, 3, 10), date(2025, 3, 10)) == 10
    assert service_years(date(2015, 3, 10), date(2025, 3, 9)) == 9


def test_first_employment_after_the_date_is_refused() -> None:
    """Refuses a first-employment date after the date asked, naming the field."""
    with pytest.raises(InvalidInput) as caught:
        annual_leave_days(date(2026, 1, 1), date(2025, 1, 1))
    assert caught.value.field == "first_employment"


def test_a_datetime_is_not_a_date() -> None:
    """Refuses a datetime where a date is expected."""
    from datetime import datetime

    with pytest.raises(GovPartsError) as caught:
        annual_leave_days(date(2015, 1, 1), datetime(2025, 1, 1, 8))  # type: ignore[arg-type]
    assert caught.value.field == "on"


@pytest.mark.parametrize(
    ("first", "sick", "cancelled"),
    [
        (date(2017, 3, 10), 59, False),  # 8 years: 2 months
        (date(2017, 3, 10), 60, True),
        (date(2010, 1, 1), 89, False),  # 15 years: 3 months
        (date(2010, 1, 1), 90, True),
        (date(2000, 1, 1), 119, False),  # 25 years: 4 months
        (date(2000, 1, 1), 120, True),
    ],
)
def test_sick_leave_cancels_by_service_band(first: date, sick: int, cancelled: bool) -> None:
    """Cancels the year's leave at 2/3/4 months of sick leave by service band (国务院令第514号 Art. 4)."""
    assert annual_leave_cancelled(first, date(2025, 6, 1), sick_leave_days=sick) is cancelled


def test_paid_personal_leave_of_twenty_days_cancels() -> None:
    """Cancels the year's leave after 20 days of paid personal leave, not after 19 (Art. 4 (2))."""
    first, on = date(2015, 3, 10), date(2025, 6, 1)
    assert annual_leave_cancelled(first, on, paid_personal_leave_days=20)
    assert not annual_leave_cancelled(first, on, paid_personal_leave_days=19)


def test_maternity_leave_national_and_xinjiang() -> None:
    """Gives 98 days nationally, +15 difficult, +15 per extra baby, +60 in Xinjiang (158)."""
    assert maternity_leave_days() == 98
    assert maternity_leave_days(difficult_birth=True, babies=2) == 128
    assert maternity_leave_days(region="650000") == 158
    assert maternity_leave_days(region="650102", difficult_birth=True) == 173


def test_maternity_leave_needs_a_baby() -> None:
    """Refuses zero babies, naming the field."""
    with pytest.raises(InvalidInput) as caught:
        maternity_leave_days(babies=0)
    assert caught.value.field == "babies"


def test_annual_leave_counts_workdays_of_the_calendar() -> None:
    """Counts workdays: 清明节 out, a make-up Sunday in, 肉孜节 out in Xinjiang only."""
    national, xinjiang = calendar_for(None), calendar_for("650000")
    assert count_leave_days("annual", date(2023, 4, 3), date(2023, 4, 7), national) == 4
    assert count_leave_days("annual", date(2023, 4, 21), date(2023, 4, 23), xinjiang) == 1
    assert count_leave_days("annual", date(2023, 4, 21), date(2023, 4, 23), national) == 2


def test_home_visit_and_maternity_count_calendar_days() -> None:
    """Counts calendar days for home-visit leave (国发〔1981〕36号 Art. 3) and maternity leave."""
    cal = calendar_for(None)
    assert count_leave_days("home_visit", date(2023, 4, 1), date(2023, 4, 30), cal) == 30
    assert count_leave_days("maternity", date(2023, 4, 3), date(2023, 9, 7), cal) == 158


def test_unknown_leave_type_and_reversed_dates_are_refused() -> None:
    """Refuses an unknown leave type and an end before the start, naming each field."""
    cal = calendar_for(None)
    with pytest.raises(UnknownCode) as unknown:
        count_leave_days("vacation", date(2023, 4, 3), date(2023, 4, 3), cal)
    assert unknown.value.field == "leave_type"
    with pytest.raises(InvalidInput) as reversed_:
        count_leave_days("annual", date(2023, 4, 5), date(2023, 4, 3), cal)
    assert reversed_.value.field == "end_date"


def test_rule_data_names_its_sources() -> None:
    """Keeps every leave type with a source and the thresholds of Art. 3 in the rule data."""
    rules = leave_rules()
    assert rules.annual_thresholds == ((1, 5), (10, 10), (20, 15))
    assert all(rule.source for rule in rules.types.values())
    assert "第514号" in rules.annual_source
