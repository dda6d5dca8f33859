"""GB 11643-1999 citizen identity numbers: the standard's examples, kinds, upgrade, single-error detection."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govparts.core.errors import InvalidIdentifier
from govparts.core.i18n import use_locale
from govparts.core.ids import (
    CitizenIdKind,
    citizen_id,
    is_valid_citizen_id,
    upgrade_legacy_citizen_id,
)
from govparts.core.ids._divisions import table

VECTORS = json.loads((Path(__file__).parent / "vectors" / "ids-gb11643-1999.json").read_text("utf-8"))


def _valid_number(body: str) -> str:
    return body + citizen_id.calc_check_character(body)


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["number"])
def test_accepts_valid_vectors(vector: dict[str, Any]) -> None:
    """Accepts every valid vector and reads kind, birth date, sex and address code from it."""
    assert citizen_id.validate(vector["number"]) == vector["number"]
    assert is_valid_citizen_id(vector["number"])
    info = citizen_id.get_info(vector["number"])
    assert info.kind.value == vector["kind"]
    assert info.birth_date == date.fromisoformat(vector["birth_date"])
    assert info.sex == vector["sex"]
    assert info.division == vector["division"]


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["number"])
def test_rejects_invalid_vectors_naming_the_part(vector: dict[str, Any]) -> None:
    """Rejects every invalid vector with an InvalidIdentifier that names the field and the wrong part."""
    assert not is_valid_citizen_id(vector["number"])
    with pytest.raises(InvalidIdentifier) as caught:
        citizen_id.validate(vector["number"])
    message = caught.value.message("en")
    assert message.startswith("citizen_id: ")
    assert vector["message"] in message
    assert "GB 11643-1999 §5." in message


def test_check_character_error_matches_the_house_example() -> None:
    """Reports a wrong check character as the style guide shows, with the expected and the given one."""
    with pytest.raises(InvalidIdentifier) as caught:
        citizen_id.validate("110105194912310023")
    assert caught.value.message("en") == (
        "citizen_id: check character should be 'X', got '3' (GB 11643-1999 §5.5)"
    )
    assert caught.value.details == {"expected": "X", "got": "3", "clause": "GB 11643-1999 §5.5"}


@pytest.mark.parametrize("vector", VECTORS["upgrade"], ids=lambda v: v["legacy"])
def test_upgrades_the_legacy_example(vector: dict[str, str]) -> None:
    """Converts the 15-digit GB 11643-1989 example to its 18-character form."""
    assert upgrade_legacy_citizen_id(vector["legacy"]) == vector["upgraded"]
    assert is_valid_citizen_id(vector["upgraded"])


def test_legacy_number_points_to_the_upgrade() -> None:
    """Refuses a 15-digit number with a message that names upgrade_legacy_citizen_id()."""
    with pytest.raises(InvalidIdentifier) as caught:
        citizen_id.validate("110105491231002")
    assert "convert it with upgrade_legacy_citizen_id()" in caught.value.message("en")


@pytest.mark.parametrize(
    ("legacy", "reason"),
    [
        ("11010549123100", "15 digits"),
        ("11010549023100A", "15 digits"),
        ("110105490230002", "not a real date"),
        ("653018490101002", "not a GB/T 2260 division code"),
        ("110105010101997", "reserved for centenarians"),
    ],
)
def test_upgrade_refuses_what_it_cannot_convert(legacy: str, reason: str) -> None:
    """Refuses to upgrade malformed legacy numbers and the centenarian sequence codes 996-999."""
    with pytest.raises(InvalidIdentifier) as caught:
        upgrade_legacy_citizen_id(legacy)
    assert reason in caught.value.message("en")


def test_normalises_lower_case_x_and_separators() -> None:
    """Accepts a lower-case x, spaces and full-width digits, and returns the canonical form."""
    assert citizen_id.validate("11010519491231002x") == "11010519491231002X"
    assert citizen_id.validate(" 110105 19491231 002X ") == "11010519491231002X"
    assert citizen_id.validate("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert citizen_id.format("110105-19491231-002x") == "11010519491231002X"


def test_does_not_require_the_county_to_exist_in_the_birth_year() -> None:
    """Accepts a code created after the birth year (the number shows the county when it was assigned)."""
    born_before_code = _valid_number("659010" + "19700101" + "001")  # 胡杨河市, created 2019
    assert citizen_id.validate(born_before_code) == born_before_code


def test_accepts_a_birth_date_today_and_rejects_tomorrow() -> None:
    """Treats today as a possible birth date and tomorrow as one in the future."""
    today = date.today()
    assert is_valid_citizen_id(_valid_number(f"654002{today:%Y%m%d}001"))
    tomorrow = today + timedelta(days=1)
    with pytest.raises(InvalidIdentifier) as caught:
        citizen_id.validate(_valid_number(f"654002{tomorrow:%Y%m%d}001"))
    assert "in the future" in caught.value.message("en")


def test_kind_and_sex_getters() -> None:
    """Returns the document kind and the GB/T 2261.1 sex code (1 odd, 2 even)."""
    assert citizen_id.get_kind("830000199001011234") is CitizenIdKind.HK_MO_TW_PERMIT
    assert citizen_id.get_kind("91184019900101123X") is CitizenIdKind.FOREIGN_PERMANENT_RESIDENT
    assert citizen_id.get_sex("11010519491231002X") == "2"
    assert citizen_id.get_sex("440524188001010014") == "1"
    assert citizen_id.get_sex("91184019900101123X") is None
    assert citizen_id.get_birth_date("440524188001010014") == date(1880, 1, 1)


def test_message_is_translated_when_read() -> None:
    """Renders the same error in the reader's locale (English message id as fallback)."""
    with pytest.raises(InvalidIdentifier) as caught:
        citizen_id.validate("110105194912310023")
    with use_locale("en"):
        assert "check character should be 'X'" in str(caught.value)
    assert caught.value.code == "invalid-identifier"
    assert caught.value.field == "citizen_id"


def test_check_character_weights_are_the_standards() -> None:
    """Computes the same character as the explicit weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 (§5.5)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert weights == [pow(2, 17 - i, 11) for i in range(17)]
    for body in ("11010519491231002", "44052418800101001", "65400219900101123", "00000000000000000"):
        total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
        assert citizen_id.calc_check_character(body) == "10X98765432"[total % 11]


_ADDRESSES = sorted(table().all_codes)


def _near_misses() -> list[str]:
    today = date.today()
    tomorrow = today + timedelta(days=1)
    valid = _valid_number("65400219900101123")
    return [
        valid,
        valid[:17] + "0" if valid[17] != "0" else valid[:17] + "1",  # wrong check character
        _valid_number("11010519491231002").lower(),  # lower-case x: normalised on the slow path
        _valid_number(f"654002{today:%Y%m%d}001"),  # born today
        _valid_number(f"654002{tomorrow:%Y%m%d}001"),  # born tomorrow
        _valid_number("65400220000229001"),  # a leap day
        _valid_number("65400219000229001"),  # 1900 was no leap year
        _valid_number("65400220230230001"),  # 30 February
        _valid_number("65400218991231001"),  # before the fast path's dates
        _valid_number("44052418800101001"),  # the standard's own example, born 1880
        _valid_number("65999919900101001"),  # no such division
        _valid_number("81000019900101001"),  # Hong Kong residence permit
        _valid_number("91184019900101123"),  # foreign permanent resident
        valid[:17],  # 17 characters
        valid + "0",  # 19 characters
        valid[:14] + valid[15:] + valid[14],  # sequence shifted
        " " + valid[:17],
        valid[:6] + "-" + valid[6:],
        "٦٥٤٠٠٢" + valid[6:],  # Arabic-Indic digits in the address code
    ]


@pytest.mark.parametrize("number", _near_misses())
def test_fast_path_gives_the_verdict_of_validate(number: str) -> None:
    """Accepts, normalises and refuses near misses on the pydantic fast path exactly as validate does."""
    try:
        expected: str | None = citizen_id.validate(number)
    except InvalidIdentifier:
        expected = None
    if expected is None:
        with pytest.raises(InvalidIdentifier) as caught:
            citizen_id.check_fast(number)
        assert caught.value.field == "value"
    else:
        assert citizen_id.check_fast(number) == expected


def test_fast_path_accepts_canonical_numbers_without_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accepts valid canonical numbers born 1900 to last year by the tables alone, never calling validate."""
    numbers = [
        _valid_number(f"{address}{year}{month:02d}{day:02d}{sequence:03d}")
        for address, year, month, day, sequence in [
            ("654002", 1900, 1, 1, 0),
            ("110105", 1949, 12, 31, 2),
            ("659010", 1970, 1, 1, 999),
            ("652100", 1988, 2, 28, 17),
            ("810000", 1990, 1, 1, 123),
            ("440524", 2000, 3, 1, 500),
            ("654002", date.today().year - 1, 12, 31, 1),
        ]
    ]
    citizen_id.check_fast(numbers[0])  # builds the tables

    def slow(number: object) -> str:
        raise AssertionError(f"{number} took the slow path")

    monkeypatch.setattr(citizen_id, "validate", slow)
    for number in numbers:
        assert citizen_id.check_fast(number) == number


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    """Valid 18-character numbers of every kind, with made-up sequence codes."""
    kind = draw(st.sampled_from(["resident", "permit", "foreign"]))
    if kind == "resident":
        head = draw(st.sampled_from(_ADDRESSES))
    elif kind == "permit":
        head = draw(st.sampled_from(sorted(citizen_id.PERMIT_CODES)))
    else:
        head = "9" + draw(st.text("0123456789", min_size=5, max_size=5))
    born = draw(st.dates(min_value=date(1850, 1, 1), max_value=date.today()))
    sequence = draw(st.integers(0, 999))
    return _valid_number(f"{head}{born:%Y%m%d}{sequence:03d}")


@settings(deadline=None)  # the first call builds the lookup tables once
@given(valid_numbers())
def test_generated_numbers_are_valid(number: str) -> None:
    """Accepts every generated number, through validate and the fast pydantic path alike."""
    assert citizen_id.validate(number) == number
    assert citizen_id.check_fast(number) == number


@settings(deadline=None)  # the first call builds the lookup tables once
@given(valid_numbers(), st.integers(0, 17), st.data())
def test_every_single_substitution_is_caught(number: str, position: int, data: st.DataObject) -> None:
    """Rejects every number with one character changed to another allowed one (MOD 11-2 catches all)."""
    allowed = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in allowed if c != number[position]]))
    mutated = number[:position] + replacement + number[position + 1 :]
    assert not citizen_id.is_valid(mutated)
    with pytest.raises(InvalidIdentifier):
        citizen_id.check_fast(mutated)


def test_mod_11_2_detects_every_single_substitution_in_principle() -> None:
    """Shows that no weight times a digit difference is 0 mod 11, so every substitution changes the sum."""
    weights = [pow(2, 17 - i, 11) for i in range(17)] + [1]
    differences = range(1, 11)
    assert all((w * d) % 11 for w in weights for d in differences)
