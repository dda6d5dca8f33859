"""GB 32100-2015 unified social credit codes: Annex B, stdnum's examples, the amendment's authorities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from govparts.core.errors import InvalidIdentifier
from govparts.core.ids import credit_code, is_valid_credit_code

VECTORS = json.loads((Path(__file__).parent / "vectors" / "ids-gb32100-2015.json").read_text("utf-8"))
ALPHABET = credit_code.ALPHABET
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def _reference_check(body: str) -> str:
    """The check character by the standard's own formula (ch. 4): C18 = 31 - MOD(Σ Ci·Wi, 31)."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["code"])
def test_accepts_valid_vectors(vector: dict[str, Any]) -> None:
    """Accepts every valid vector and reads its authority and organisation type."""
    assert credit_code.validate(vector["code"]) == vector["code"]
    assert is_valid_credit_code(vector["code"])
    assert credit_code.get_authority(vector["code"]) == vector["authority"]
    assert credit_code.get_organization_type(vector["code"]) == vector["type"]


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["code"])
def test_rejects_invalid_vectors_naming_the_part(vector: dict[str, Any]) -> None:
    """Rejects every invalid vector with an InvalidIdentifier naming the field and the wrong part."""
    assert not is_valid_credit_code(vector["code"])
    with pytest.raises(InvalidIdentifier) as caught:
        credit_code.validate(vector["code"])
    message = caught.value.message("en")
    assert message.startswith("credit_code: ")
    assert vector["message"] in message
    assert "GB 32100-2015" in message


def test_annex_b_worked_example() -> None:
    """Reproduces Annex B: weighted sum 1640, remainder 28, check character 3."""
    body = "91350100M000100Y4"
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    assert (total, total % 31) == (1640, 28)
    assert credit_code.calc_check_character(body) == "3"


@pytest.mark.parametrize("vector", [v for v in VECTORS["valid"] if v["stdnum"]], ids=lambda v: v["code"])
def test_agrees_with_stdnum_on_digit_authorities(vector: dict[str, Any]) -> None:
    """Agrees with python-stdnum on codes whose authority is a digit."""
    assert uscc.validate(vector["code"]) == credit_code.validate(vector["code"])
    assert uscc.calc_check_digit(vector["code"][:17]) == credit_code.calc_check_character(vector["code"][:17])


@pytest.mark.parametrize("vector", [v for v in VECTORS["valid"] if not v["stdnum"]], ids=lambda v: v["code"])
def test_accepts_letter_authorities_that_stdnum_rejects(vector: dict[str, Any]) -> None:
    """Accepts the amendment's authorities A, N and Y, which python-stdnum rejects despite a right check."""
    code = vector["code"]
    assert credit_code.calc_check_character(code[:17]) == code[17] == _reference_check(code[:17])
    with pytest.raises(StdnumError):
        uscc.validate(code)
    assert credit_code.validate(code) == code


@pytest.mark.parametrize("vector", VECTORS["format"], ids=lambda v: v["input"])
def test_format_removes_separators(vector: dict[str, str]) -> None:
    """Formats a spaced code as the standard prints it, like stdnum's own example."""
    assert credit_code.format(vector["input"]) == vector["formatted"]
    assert credit_code.validate(vector["input"]) == vector["formatted"]


def test_every_amendment_pair_is_accepted_and_others_refused() -> None:
    """Accepts exactly the (authority, organisation type) pairs of the amended table."""
    for authority in ALPHABET:
        for kind in ALPHABET:
            body = f"{authority}{kind}650102MA0000001"
            code = body + credit_code.calc_check_character(body)
            allowed = kind in credit_code.ORGANIZATION_TYPES.get(authority, "")
            assert credit_code.is_valid(code) is allowed, code
            if allowed:
                assert credit_code.check_fast(code) == code
            else:
                with pytest.raises(InvalidIdentifier):
                    credit_code.check_fast(code)


def test_fast_path_accepts_every_symbol_without_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accepts valid codes with each of the 31 symbols in every free position by the checksum alone."""
    codes = []
    for position in range(8, 17):
        for symbol in ALPHABET:
            body = "91650102MA0000001"
            body = body[:position] + symbol + body[position + 1 :]
            codes.append(body + _reference_check(body))

    def slow(code: object) -> str:
        raise AssertionError(f"{code} took the slow path")

    monkeypatch.setattr(credit_code, "validate", slow)
    for code in codes:
        assert credit_code.check_fast(code) == code


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y4\u0663",  # an Arabic-Indic check digit
        "91350100M000100Y4\u00b3",  # a superscript three
        "9135010OM000100Y43",  # letter O, not in the alphabet
        "91350100m000100y43",  # lower case: normalised on the slow path
        "91350100M000100Y43\x00",
        "9135\u06630100M000100Y4",
        "91350100M00\ud800100Y43",  # a lone surrogate
    ],
)
def test_fast_path_gives_the_verdict_of_validate(code: str) -> None:
    """Refuses or normalises text outside the alphabet on the fast path exactly as validate does."""
    try:
        expected: str | None = credit_code.validate(code)
    except InvalidIdentifier:
        expected = None
    if expected is None:
        with pytest.raises(InvalidIdentifier) as caught:
            credit_code.check_fast(code)
        assert caught.value.field == "value"
    else:
        assert credit_code.check_fast(code) == expected


@pytest.mark.parametrize("symbol", list("IOZSVioszv_+!-. \x00\x7f"))
def test_fast_path_refuses_a_foreign_symbol_whatever_the_check_character(symbol: str) -> None:
    """Refuses a symbol outside the alphabet with every check character, so no reading of it can fit."""
    for check in ALPHABET:
        code = f"91650102MA{symbol}000001{check}"
        assert not credit_code.is_valid(code)
        with pytest.raises(InvalidIdentifier):
            credit_code.check_fast(code)


def test_parts_getters() -> None:
    """Splits a code into registration division and organisation code."""
    code = "N2650102MA00000018"
    assert credit_code.get_division(code) == "650102"
    assert credit_code.get_organization_code(code) == "MA0000001"


def test_calc_check_character_matches_the_formula() -> None:
    """Computes the same check character as the weighted-sum formula for assorted bodies."""
    for body in ("00000000000000000", "YYYYYYYYYYYYYYYYY", "91350100M000100Y4", "N2650102MA0000001"):
        assert credit_code.calc_check_character(body) == _reference_check(body)


_PAIRS = sorted(a + k for a, kinds in credit_code.ORGANIZATION_TYPES.items() for k in kinds)


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    """Valid codes over every allowed (authority, type) pair, with made-up organisation codes."""
    pair = draw(st.sampled_from(_PAIRS))
    division = draw(st.text("0123456789", min_size=6, max_size=6))
    subject = draw(st.text(ALPHABET, min_size=9, max_size=9))
    body = pair + division + subject
    return body + _reference_check(body)


@settings(deadline=None)  # the first call builds the lookup tables once
@given(valid_codes())
def test_generated_codes_are_valid(code: str) -> None:
    """Accepts every generated code, through validate and the fast pydantic path alike."""
    assert credit_code.validate(code) == code
    assert credit_code.check_fast(code) == code


@settings(deadline=None)  # the first call builds the lookup tables once
@given(valid_codes(), st.integers(0, 17), st.data())
def test_every_single_substitution_is_caught(code: str, position: int, data: st.DataObject) -> None:
    """Rejects every code with one character changed to another symbol of the alphabet."""
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != code[position]]))
    mutated = code[:position] + replacement + code[position + 1 :]
    assert not credit_code.is_valid(mutated)
    with pytest.raises(InvalidIdentifier):
        credit_code.check_fast(mutated)


def test_mod_31_3_detects_every_single_substitution_in_principle() -> None:
    """Shows that no weight times a symbol difference (1-30) is 0 mod 31, so no substitution keeps the sum."""
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert all((w * d) % 31 for w in [*WEIGHTS, 1] for d in range(1, 31))
