"""describe(): which identifier a string is, valid or not, and why (behind ``govparts check-id``)."""

from __future__ import annotations

import pytest

from govparts.core.i18n import use_locale
from govparts.core.ids import credit_code, describe


@pytest.mark.parametrize(
    ("value", "kind", "canonical"),
    [
        ("11010519491231002x", "citizen-id", "11010519491231002X"),
        ("830000199001011234", "citizen-id", "830000199001011234"),
        ("91350100M000100Y43", "credit-code", "91350100M000100Y43"),
        ("N2650102MA00000018", "credit-code", "N2650102MA00000018"),
        ("654200", "division-code", "654200"),
    ],
)
def test_recognises_valid_identifiers(value: str, kind: str, canonical: str) -> None:
    """Names the kind of a valid identifier and gives its canonical form and standard."""
    info = describe(value)
    assert (info.kind, info.valid, info.canonical) == (kind, True, canonical)
    assert info.error is None
    assert info.reason() == ""
    assert info.standard


def test_details_of_a_citizen_id() -> None:
    """Tells birth date, sex code, document kind and the division's name in the current locale."""
    with use_locale("zh"):
        info = describe("652100198002290027")
    assert info.details == {
        "kind": "resident",
        "birth_date": "1980-02-29",
        "sex": "2",
        "division": "652100",
        "division_name": "吐鲁番地区",
    }
    with use_locale("ug"):
        assert describe("652100198002290027").details["division_name"] == "تۇرپان ۋىلايىتى"
    assert describe("810000199001011230").details["permit_region"] == "Hong Kong"


def test_details_of_a_credit_code_and_a_division() -> None:
    """Tells a credit code's parts and a division's parent and validity."""
    code = describe("11654200MB1234567H").details
    assert (code["authority"], code["organization_type"], code["division"]) == ("1", "1", "654200")
    division = describe("652100").details
    assert division["valid_to"] == "2015-12-31"
    assert division["parent"] == "650000"


@pytest.mark.parametrize(
    ("value", "kind", "reason"),
    [
        ("110105194912310023", "citizen-id", "check character should be 'X', got '3'"),
        ("110105491231002", "citizen-id", "upgrade_legacy_citizen_id()"),
        ("91350100M000100Y44", "credit-code", "check character should be '3', got '4'"),
        ("659999", "division-code", "is not a GB/T 2260 division code"),
        ("12345", None, "neither a citizen identity number"),
    ],
)
def test_says_why_an_identifier_is_invalid(value: str, kind: str | None, reason: str) -> None:
    """Names the kind a bad value looks like and the reason it fails."""
    info = describe(value)
    assert (info.kind, info.valid) == (kind, False)
    assert reason in info.reason("en")
    assert info.to_dict("en")["error"]["code"] == "invalid-identifier"


def test_an_all_digit_credit_code_is_recognised() -> None:
    """Falls back to a credit code when 17 digits fail as a citizen id but pass as a credit code."""
    body = "11650100123456789"
    code = body + credit_code.calc_check_character(body)
    info = describe(code)
    assert (info.kind, info.valid) == ("credit-code", True)
