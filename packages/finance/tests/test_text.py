"""Free text in the published finance models refuses NUL, control and bidi characters (issue 15.4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from govparts.core.errors import InvalidInput, from_validation_error
from govparts.core.money import Money
from govparts.finance import Indicator, ReimbursementClaim, SubAccount, VoucherDraft, VoucherLine

from .conftest import ORG, YEAR, line

BAD = ["\x00", "\x07", "\x9b", "\u202e", "\u2066"]

_LINES = (line("5001", "debit", "1.00"), line("1011", "credit", "1.00"))
CASES: list[tuple[type[BaseModel], dict[str, Any], str]] = [
    (VoucherDraft, {"org": ORG, "date": date(YEAR, 1, 5), "summary": "办公费", "lines": _LINES}, "summary"),
    (VoucherLine, {"account": "5001", "side": "debit", "amount": Money.of("1.00"), "payee": "王丽"}, "payee"),
    (
        VoucherLine,
        {"account": "5001", "side": "debit", "amount": Money.of("1.00"), "summary": "纸"},
        "summary",
    ),
    (
        SubAccount,
        {"org": ORG, "code": "100201", "parent": "1002", "name": "工商银行", "opened_on": date(YEAR, 1, 1)},
        "name",
    ),
    (
        Indicator,
        {"org": ORG, "year": YEAR, "project": "P01", "econ_class": "30201", "amount": Money.of("1.00")},
        "project",
    ),
    (
        ReimbursementClaim,
        {
            "org": ORG,
            "claimant": "热依拉·吐尔逊",
            "date": date(YEAR, 1, 12),
            "amount": Money.of("1.00"),
            "purpose": "差旅",
            "project": "P01",
            "econ_class": "30201",
        },
        "purpose",
    ),
]


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(("model", "values", "field"), CASES)
def test_free_text_refuses_control_and_bidi_characters(
    model: type[BaseModel], values: dict[str, Any], field: str, bad: str
) -> None:
    """Refuses the character with an InvalidInput naming the field and code point, never the text."""
    model.model_validate(values)
    text = f"{values[field]}{bad}ئىشخانا"
    with pytest.raises(ValidationError) as caught:
        model.model_validate({**values, field: text})
    (error,) = from_validation_error(caught.value).errors
    assert isinstance(error, InvalidInput)
    assert error.field == field
    assert f"U+{ord(bad):04X}" in error.message("en")
    assert text not in error.message("en")
