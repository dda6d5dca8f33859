"""is_valid_citizen_id and is_valid_credit_code on their fast paths: the verdict of the full validators."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govparts.core.errors import InvalidIdentifier
from govparts.core.ids import citizen_id, credit_code, is_valid_citizen_id, is_valid_credit_code
from govparts.core.ids._divisions import table

STDNUM = json.loads((Path(__file__).parent / "vectors" / "ids-stdnum-tests.json").read_text("utf-8"))
ADDRESSES = sorted(table().all_codes)
PAIRS = sorted(a + k for a, kinds in credit_code.ORGANIZATION_TYPES.items() for k in kinds)
# Characters a corruption may bring in: both alphabets, lower case, separators, full-width and
# Arabic-Indic digits (NFKC and int() treat these specially), letters outside both alphabets.
NEAR = "0123456789XxABCDEFGHJKLMNPQRTUWXYabcyIOZSV -.\u3000０９Ｘ٣_+!"


def _verdict(validate: Callable[[object], str], value: object) -> bool:
    """The full validator's answer: True when it returns, False when it refuses."""
    try:
        validate(value)
    except InvalidIdentifier:
        return False
    return True


@pytest.mark.parametrize("vector", STDNUM["citizen_id"]["vectors"], ids=lambda v: v["number"])
def test_citizen_id_agrees_on_stdnum_vectors(vector: dict[str, Any]) -> None:
    """Gives every citizen id of python-stdnum's tests the verdict of GB 11643-1999 and of validate."""
    assert is_valid_citizen_id(vector["number"]) is vector["valid"]
    assert _verdict(citizen_id.validate, vector["number"]) is vector["valid"]


@pytest.mark.parametrize("vector", STDNUM["credit_code"]["vectors"], ids=lambda v: v["number"])
def test_credit_code_agrees_on_stdnum_vectors(vector: dict[str, Any]) -> None:
    """Gives every corner case of python-stdnum's credit-code tests the verdict of validate."""
    assert is_valid_credit_code(vector["number"]) is vector["valid"]
    assert _verdict(credit_code.validate, vector["number"]) is vector["valid"]


def test_credit_code_accepts_stdnum_codes_found_online() -> None:
    """Accepts all of python-stdnum's codes found online, one character wrong refused, as validate does."""
    codes = STDNUM["credit_code"]["valid_found_online"]
    assert len(codes) > 300
    for code in codes:
        assert is_valid_credit_code(code)
        assert _verdict(credit_code.validate, code)
        wrong = code[:17] + ("0" if code[17] != "0" else "1")
        assert not is_valid_credit_code(wrong)
        assert not _verdict(credit_code.validate, wrong)


def _number(body: str) -> str:
    return body + citizen_id.calc_check_character(body)


@st.composite
def citizen_ids(draw: st.DrawFn) -> str:
    """Valid numbers of every kind, birth dates from 1850 to today (leap days and this year included)."""
    head = draw(
        st.one_of(
            st.sampled_from(ADDRESSES),
            st.sampled_from(sorted(citizen_id.PERMIT_CODES)),
            st.text("0123456789", min_size=5, max_size=5).map("9".__add__),
        )
    )
    born = draw(st.dates(min_value=date(1850, 1, 1), max_value=date.today()))
    return _number(f"{head}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}")


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """Valid codes over every (authority, type) pair of the amended table."""
    body = (
        draw(st.sampled_from(PAIRS))
        + draw(st.text("0123456789", min_size=6, max_size=6))
        + draw(st.text(credit_code.ALPHABET, min_size=9, max_size=9))
    )
    return body + credit_code.calc_check_character(body)


@st.composite
def corrupted(draw: st.DrawFn, valid: st.SearchStrategy[str]) -> str:
    """A valid identifier with one character replaced, removed, inserted or its case swapped."""
    text = draw(valid)
    position = draw(st.integers(0, len(text) - 1))
    char = draw(st.one_of(st.sampled_from(NEAR), st.characters()))
    how = draw(st.sampled_from(["replace", "remove", "insert", "swapcase"]))
    if how == "replace":
        return text[:position] + char + text[position + 1 :]
    if how == "remove":
        return text[:position] + text[position + 1 :]
    if how == "insert":
        return text[:position] + char + text[position:]
    return text[:position] + text[position].swapcase() + text[position + 1 :]


def _shapes(valid: st.SearchStrategy[str], alphabet: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(),
        st.text(alphabet, min_size=18, max_size=18),
        valid,
        corrupted(valid),
    )


@settings(deadline=None, max_examples=2_000)  # the first call builds the lookup tables once
@given(_shapes(citizen_ids(), "0123456789Xx"))
@example("11010519491231002x")
@example(_number(f"654002{date.today():%Y%m%d}001"))
@example(_number(f"654002{date.today() + timedelta(days=1):%Y%m%d}001"))
@example(_number("65400220000229001"))
@example(_number("65400219000229001"))
@example(_number("65400218991231001"))
@example(_number("65999919900101001"))
def test_citizen_id_fast_answer_is_the_full_validators(value: str) -> None:
    """Answers exactly as citizen_id.validate on random text, valid numbers and one-character corruptions."""
    assert is_valid_citizen_id(value) is _verdict(citizen_id.validate, value)


@settings(deadline=None, max_examples=2_000)
@given(_shapes(credit_codes(), credit_code.ALPHABET + "abcxyz"))
@example("91350100m000100Y43")
@example("91350100M000100y43")
@example("91350100M000100Y4\u0663")
@example("9135010OM000100Y43")
def test_credit_code_fast_answer_is_the_full_validators(value: str) -> None:
    """Answers exactly as credit_code.validate on random text, valid codes and one-character corruptions."""
    assert is_valid_credit_code(value) is _verdict(credit_code.validate, value)


def test_canonical_numbers_are_settled_without_the_full_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accepts valid canonical numbers and refuses a wrong check character without calling validate."""
    numbers = [_number("65400219900101123"), _number("11010519491231002"), _number("81000019900101123")]
    codes = ["91350100M000100Y43", "N2650102MA00000018", "11650100MB00000003"]
    is_valid_citizen_id(numbers[0])  # builds the tables

    def slow(value: object) -> str:
        raise AssertionError(f"{value} took the slow path")

    monkeypatch.setattr(citizen_id, "validate", slow)
    monkeypatch.setattr(credit_code, "validate", slow)
    for number in numbers:
        assert is_valid_citizen_id(number)
        assert not is_valid_citizen_id(number[:17] + ("0" if number[17] != "0" else "1"))
    for code in codes:
        assert is_valid_credit_code(code)
        assert not is_valid_credit_code(code[:17] + ("0" if code[17] != "0" else "1"))


@pytest.mark.parametrize(
    "value", [None, 11010519491231002, b"11010519491231002X", list("11010519491231002X")]
)
def test_non_text_is_refused_without_raising(value: object) -> None:
    """Refuses values that are not text, even 18 items long, and never raises."""
    assert is_valid_citizen_id(value) is False
    assert is_valid_credit_code(value) is False
