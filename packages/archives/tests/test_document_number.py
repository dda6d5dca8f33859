"""GB/T 9704-2012 §7.2.5 document numbers: the standard's examples, its rules, and round trips."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govparts.archives import (
    DocumentNumber,
    compact_document_number,
    format_document_number,
    is_valid_document_number,
    normalize_document_number,
    parse_document_number,
)
from govparts.core.errors import InvalidIdentifier

VECTORS = tomllib.loads(
    (Path(__file__).parent / "vectors" / "gbt-9704-2012-document-numbers.toml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["number"])
def test_accepts_numbers_written_as_the_standard_prescribes(vector: dict) -> None:
    """Parses each well-formed example into organ code, year and serial (GB/T 9704-2012 7.2.5)."""
    parsed = parse_document_number(vector["number"])
    assert list(parsed) == vector["parts"]
    assert str(parsed) == vector["number"]
    assert is_valid_document_number(vector["number"])
    assert format_document_number(*vector["parts"]) == vector["number"]


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["number"])
def test_refuses_numbers_that_break_a_rule(vector: dict) -> None:
    """Refuses each malformed example with an error naming the field and the clause."""
    assert not is_valid_document_number(vector["number"])
    with pytest.raises(InvalidIdentifier) as caught:
        parse_document_number(vector["number"])
    assert caught.value.field == "document_number"
    assert caught.value.details["clause"] == "GB/T 9704-2012 7.2.5"


@pytest.mark.parametrize(
    "vector", [v for v in VECTORS["invalid"] if "canonical" in v], ids=lambda v: v["number"]
)
def test_normalises_common_miswritings(vector: dict) -> None:
    """Turns look-alike brackets, 第 and zero padding into the standard form."""
    assert compact_document_number(vector["number"]) == vector["canonical"]
    assert normalize_document_number(vector["number"]) == vector["canonical"]


@pytest.mark.parametrize(
    ("number", "needle"),
    [
        ("国发〔2018〕01号", "padded"),
        ("国发〔2018〕第1号", "第"),
        ("国发[2018]1号", "hexagonal"),
        ("国发〔18〕1号", "in full"),
    ],
)
def test_names_the_rule_broken(number: str, needle: str) -> None:
    """Says which rule of 7.2.5 the number breaks."""
    with pytest.raises(InvalidIdentifier) as caught:
        parse_document_number(number)
    assert needle in caught.value.message("en")


def test_translates_the_message() -> None:
    """Gives the refusal in Chinese and Uyghur."""
    with pytest.raises(InvalidIdentifier) as caught:
        parse_document_number("国发〔2018〕01号")
    assert "虚位" in caught.value.message("zh_Hans_CN") or "补零" in caught.value.message("zh_Hans_CN")
    assert any("\u0600" <= ch <= "\u06ff" for ch in caught.value.message("ug_CN"))


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        (("新政发", 2003, 0), "serial"),
        (("新政发", 1900, 1), "year"),
        (("", 2003, 1), "organ_code"),
        (("新政发", 2003, True), "serial"),
    ],
)
def test_refuses_bad_parts(parts: tuple, field: str) -> None:
    """Refuses a serial below 1, an implausible year or an empty organ code, naming the field."""
    with pytest.raises(InvalidIdentifier) as caught:
        format_document_number(*parts)
    assert caught.value.field == field


def test_is_valid_never_raises_on_junk() -> None:
    """Answers False for junk of any type instead of raising."""
    for junk in ("", "号", "〔〕号", "新政发〔２００３〕１７号", None, 17):
        assert is_valid_document_number(junk) is False  # type: ignore[arg-type]


_ORGANS = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8)


@given(organ=_ORGANS, year=st.integers(1949, 2199), serial=st.integers(1, 10**6))
def test_round_trips_through_text(organ: str, year: int, serial: int) -> None:
    """Formats and parses back to the same parts for any organ code, year and serial."""
    text = format_document_number(organ, year, serial)
    assert parse_document_number(text) == DocumentNumber(organ, year, serial)
    assert compact_document_number(text) == text


@given(
    organ=_ORGANS,
    year=st.integers(1949, 2199),
    serial=st.integers(1, 999),
    pad=st.integers(0, 3),
    brackets=st.sampled_from(["[]", "【】", "()", "（）", "〔〕", "﹝﹞"]),
    di=st.booleans(),
)
def test_normalises_any_miswriting_to_the_standard_form(  # noqa: PLR0917 - one argument per strategy
    organ: str, year: int, serial: int, pad: int, brackets: str, di: bool
) -> None:
    """Normalises any mix of look-alike brackets, 第 and padding to the one standard form."""
    messy = f"{organ}{brackets[0]}{year}{brackets[1]}{'第' if di else ''}{'0' * pad}{serial}号"
    assert normalize_document_number(messy) == format_document_number(organ, year, serial)
