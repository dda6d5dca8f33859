"""DA/T 22-2015 archival codes: real examples, messy data, round trips."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govparts.archives import (
    ArchivalCode,
    compact_archival_code,
    format_archival_code,
    is_valid_archival_code,
    normalize_archival_code,
    parse_archival_code,
)
from govparts.core.errors import InvalidIdentifier

VECTORS = tomllib.loads(
    (Path(__file__).parent / "vectors" / "dat-22-2015-archival-codes.toml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["code"])
def test_parses_real_archival_codes(vector: dict) -> None:
    """Parses each example into fonds, category, year, retention, organisation and item (DA/T 22-2015)."""
    parsed = parse_archival_code(vector["code"])
    fonds, category, year, retention, org, item = vector["parts"]
    assert parsed == ArchivalCode(fonds, category, year, retention, org or None, item)
    assert str(parsed) == vector["code"]
    assert (
        format_archival_code(fonds, category, year, retention, item, organisation=org or None)
        == vector["code"]
    )


@pytest.mark.parametrize("vector", VECTORS["messy"], ids=lambda v: v["problem"])
def test_normalises_messy_codes(vector: dict) -> None:
    """Normalises the kinds of damage real registers show."""
    assert not is_valid_archival_code(vector["code"])
    assert compact_archival_code(vector["code"]) == vector["canonical"]
    assert normalize_archival_code(vector["code"]) == vector["canonical"]


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["problem"])
def test_refuses_malformed_codes(vector: dict) -> None:
    """Refuses each malformed code naming the field and DA/T 22-2015."""
    assert not is_valid_archival_code(vector["code"])
    with pytest.raises(InvalidIdentifier) as caught:
        parse_archival_code(vector["code"])
    assert caught.value.field == "archival_code"
    assert caught.value.details["clause"] == "DA/T 22-2015"


def test_names_the_lowest_class() -> None:
    """Gives the class an item is numbered within."""
    assert parse_archival_code("J001-WS·2016-Y-BGS-0005").class_key == ("J001", "WS", 2016, "Y", "BGS")
    assert parse_archival_code("J012-WS·2024-Y-0015").class_key == ("J012", "WS", 2024, "Y", "")


def test_refuses_bad_parts() -> None:
    """Refuses an item number below 1 and an unknown retention code, naming the field."""
    with pytest.raises(InvalidIdentifier) as caught:
        format_archival_code("J001", "WS", 2016, "Y", 0)
    assert caught.value.field == "item_number"
    with pytest.raises(InvalidIdentifier) as caught:
        format_archival_code("J001", "WS", 2016, "D5", 1)
    assert caught.value.field == "archival_code"


_FONDS = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=4, max_size=4)
_ORG = st.one_of(st.none(), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6))


@given(
    fonds=_FONDS,
    year=st.integers(1949, 2199),
    retention=st.sampled_from(["Y", "D30", "D10"]),
    org=_ORG,
    item=st.integers(1, 99999),
)
def test_round_trips_through_text(fonds: str, year: int, retention: str, org: str | None, item: int) -> None:
    """Formats and parses back to the same parts."""
    text = format_archival_code(fonds, "WS", year, retention, item, organisation=org)
    assert parse_archival_code(text) == ArchivalCode(fonds, "WS", year, retention, org, item)
    assert compact_archival_code(text) == text


@given(
    fonds=_FONDS,
    year=st.integers(1949, 2199),
    org=_ORG,
    item=st.integers(1, 999),
    dot=st.sampled_from(["·", " · ", "•", "・", "."]),
)
def test_normalises_any_dot_and_short_item_number(
    fonds: str, year: int, org: str | None, item: int, dot: str
) -> None:
    """Normalises middle-dot look-alikes and unpadded item numbers."""
    tail = f"-{org}" if org else ""
    messy = f"{fonds.lower()}-ws{dot}{year}-d10{tail.lower()}-{item}"
    assert normalize_archival_code(messy) == format_archival_code(
        fonds, "WS", year, "D10", item, organisation=org
    )
