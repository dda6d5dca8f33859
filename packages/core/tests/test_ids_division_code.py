"""GB/T 2260 division codes: current and former codes, hierarchy as data, names, validity on a date."""

from __future__ import annotations

from datetime import date

import pytest

from govparts.core.errors import InvalidIdentifier
from govparts.core.ids import division_code, is_valid_division_code


@pytest.mark.parametrize(
    "code",
    ["650000", "654002", "652100", "654100", "659012", "653229", "110105", "440524", "460001", "710000"],
)
def test_accepts_current_and_former_codes(code: str) -> None:
    """Accepts codes in force and codes revoked since (GB/T 2260-2007 §3.3: never reused)."""
    assert division_code.validate(code) == code
    assert is_valid_division_code(code)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("659999", "'659999' is not a GB/T 2260 division code, current or former (GB/T 2260-2007 §3)"),
        ("830000", "is not a GB/T 2260 division code"),
        ("65400", "expected six digits, got '65400' (GB/T 2260-2007 §3.1)"),
        ("65400A", "expected six digits"),
        ("６５４００２x", "expected six digits"),
    ],
)
def test_rejects_unknown_and_malformed_codes(value: str, message: str) -> None:
    """Rejects codes never in the list and malformed ones, naming the field and the clause."""
    with pytest.raises(InvalidIdentifier) as caught:
        division_code.validate(value)
    assert caught.value.message("en").startswith("division_code: ")
    assert message in caught.value.message("en")
    assert not division_code.is_valid(value)


def test_compacts_full_width_digits() -> None:
    """Folds full-width digits and separators to the six-digit canonical form."""
    assert division_code.validate("６５４ ００２") == "654002"
    assert division_code.format(" 654-002 ") == "654002"


def test_hierarchy_is_data_not_arithmetic() -> None:
    """Gives Ili as the parent of Tacheng and the region as the parent of the XPCC cities."""
    assert division_code.get_parent("654200") == "654000"
    assert division_code.get_ancestors("654226") == ["654200", "654000", "650000"]
    assert division_code.get_parent("659001") == "650000"
    assert division_code.get_parent("650000") is None


def test_names_in_each_locale() -> None:
    """Names a Xinjiang division in Chinese, English and Uyghur, and elsewhere in Chinese."""
    assert division_code.get_name("653100", "zh") == "喀什地区"
    assert division_code.get_name("653100", "en") == "Kashgar Prefecture"
    assert division_code.get_name("653100", "ug") == "قەشقەر ۋىلايىتى"
    assert division_code.get_name("110105", "en") == "朝阳区"
    assert division_code.is_listed("653100")
    assert not division_code.is_listed("110105")


def test_codes_outside_xinjiang_come_with_province_and_years() -> None:
    """Takes codes of other provinces from the national history, with the province as parent."""
    entry = division_code.get_division("460001")
    assert entry.zh == "五指山市"
    assert entry.parent == "460000"
    assert (entry.valid_from, entry.valid_to) == (date(1988, 1, 1), date(2002, 12, 31))
    assert division_code.get_ancestors("110105") == ["110000"]


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("652100", date(2014, 6, 1), True),
        ("652100", date(2016, 1, 1), False),
        ("650400", date(2014, 12, 31), False),
        ("650400", date(2015, 6, 1), True),
        ("654100", date(1990, 1, 1), True),
        ("654100", date(2002, 1, 1), False),
        ("659012", date(2021, 12, 31), False),
        ("659012", date(2023, 1, 1), True),
        ("810000", date(1997, 6, 30), False),
        ("810000", date(1997, 7, 1), True),
    ],
)
def test_in_force_on_a_date(code: str, day: date, expected: bool) -> None:
    """Says whether a code was in force on a day, by its validity dates."""
    assert division_code.in_force(code, day) is expected
