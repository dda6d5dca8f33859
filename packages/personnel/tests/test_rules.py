"""Pure personnel rules: retirement age, service years, identity agreement, age bands, rank grades."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from govparts.core.errors import InvalidInput
from govparts.personnel.rules import (
    RETIREMENT_RULES,
    age_band,
    check_identity_agrees,
    check_rank_grade,
    retirement_group,
    service_years,
    statutory_retirement,
)

VECTORS = Path(__file__).with_name("vectors") / "retirement-2024.csv"


def _vectors() -> list[dict[str, str]]:
    lines = [line for line in VECTORS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@pytest.mark.parametrize("row", _vectors(), ids=lambda r: f"{r['group']}-{r['birth_month']}")
def test_retirement_matches_the_decision_tables(row: dict[str, str]) -> None:
    """Reproduces each annex, calculator and worked-example row of the 2024 retirement decision."""
    year, month = map(int, row["birth_month"].split("-"))
    retirement = statutory_retirement(date(year, month, 1), row["group"])
    assert retirement.month.strftime("%Y-%m") == row["retirement_month"]
    assert (retirement.age_years, retirement.age_extra_months) == (
        int(row["age_years"]),
        int(row["age_months"]),
    )


def test_retirement_before_the_reform_uses_the_1978_ages() -> None:
    """Applies the 1978 rule to an original retirement month before 2025-01."""
    retirement = statutory_retirement(date(1964, 12, 20), "M60")
    assert (retirement.month, retirement.delay_months, retirement.rule_id) == (
        date(2024, 12, 1),
        0,
        "CN-retirement-1978",
    )


def test_retirement_reached_on_clamps_to_month_end() -> None:
    """Gives the last day of the month when the birth day does not exist in the retirement month."""
    assert statutory_retirement(date(1965, 1, 31), "M60").reached_on == date(2025, 2, 28)


def test_rules_name_their_sources() -> None:
    """Keeps every version of the rules with its source and the 2025-01-01 start of the reform."""
    assert [r.in_force_from for r in RETIREMENT_RULES] == [date(1978, 6, 2), date(2025, 1, 1)]
    assert "2024-09-13" in RETIREMENT_RULES[-1].source
    assert "Art. 1" in RETIREMENT_RULES[-1].source


def test_retirement_group_from_sex_and_category() -> None:
    """Puts men in M60, women cadres in F55 and women workers (工勤技能) in F50."""
    assert [retirement_group("1", "23"), retirement_group("2", "11"), retirement_group("2", "23")] == [
        "M60",
        "F55",
        "F50",
    ]
    with pytest.raises(InvalidInput) as caught:
        retirement_group("9", "11")
    assert caught.value.field == "sex"


def test_service_years_count_whole_years() -> None:
    """Counts 10 service years on the tenth anniversary of first employment, 9 the day before."""
    assert service_years(date(2015, 7, 1), date(2025, 7, 1)) == 10
    assert service_years(date(2015, 7, 1), date(2025, 6, 30)) == 9
    assert service_years(date(2015, 7, 1), date(2014, 1, 1)) == 0


def test_identity_agreement_uses_the_standard_example() -> None:
    """Accepts the GB 11643-1999 annex example 11010519491231002X with its own birth date and sex."""
    check_identity_agrees("11010519491231002X", date(1949, 12, 31), "2")
    with pytest.raises(InvalidInput) as caught:
        check_identity_agrees("11010519491231002X", date(1949, 12, 30), "2")
    assert caught.value.field == "birth_date"
    with pytest.raises(InvalidInput) as caught:
        check_identity_agrees("11010519491231002X", date(1949, 12, 31), "1")
    assert caught.value.field == "sex"
    assert "GB 11643-1999 §5.4" in caught.value.message("en")


def test_age_bands_cover_the_statistics_ranges() -> None:
    """Places ages in the personnel-statistics bands, edges included."""
    assert [age_band(a) for a in (22, 35, 36, 50, 54, 55, 63)] == [
        "<=35",
        "<=35",
        "36-40",
        "46-50",
        "51-54",
        ">=55",
        ">=55",
    ]


def test_rank_grade_ranges() -> None:
    """Accepts 二级科员 at grade 27 and refuses 一级巡视员 at grade 14 (2019 rank rules)."""
    check_rank_grade("Z12", 27)
    with pytest.raises(InvalidInput) as caught:
        check_rank_grade("Z01", 14)
    assert caught.value.field == "grade"
