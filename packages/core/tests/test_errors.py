"""GovPartsError: stable codes, messages that name the field, structured details, pydantic errors mapped."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError, field_validator

from govparts.core import codes
from govparts.core.errors import (
    ConcurrentModification,
    GovPartsError,
    InvalidIdentifier,
    InvalidInput,
    InvalidRecord,
    NotFound,
    PermissionDenied,
    UnknownCode,
    from_validation_error,
)
from govparts.core.i18n import N_


class _Person(BaseModel):
    name: str
    sex: Annotated[str, codes.Coded("GB/T 2261.1")]
    age: int

    @field_validator("name")
    @classmethod
    def _no_digits(cls, value: str) -> str:
        if any(ch.isdigit() for ch in value):
            raise InvalidInput(N_("{field}: a name has no digits, got {got}"), got=value)
        return value


def _record_error(data: dict[str, object]) -> InvalidRecord:
    with pytest.raises(ValidationError) as caught:
        _Person.model_validate(data)
    return from_validation_error(caught.value, model="Person", row=7)


def test_every_error_class_has_a_distinct_kebab_case_code() -> None:
    """Gives each error class its own stable kebab-case code."""
    classes: list[type[GovPartsError]] = [GovPartsError]
    for cls in classes:
        classes.extend(cls.__subclasses__())
    found = [cls.code for cls in classes]
    assert len(found) == len(set(found))
    assert all(code == code.lower() and " " not in code and "_" not in code for code in found)


def test_errors_subclass_the_matching_builtin() -> None:
    """Lets callers catch errors by the built-in they correspond to."""
    assert issubclass(InvalidIdentifier, ValueError)
    assert issubclass(NotFound, LookupError)
    assert issubclass(PermissionDenied, PermissionError)


def test_message_names_the_field_and_quotes_what_came() -> None:
    """Names the field, what was expected and what came."""
    err = InvalidIdentifier(
        N_("{field}: check character should be {expected}, got {got} ({clause})"),
        field="citizen_id",
        expected="X",
        got="3",
        clause="GB 11643-1999 §6",
    )
    assert err.message("en") == "citizen_id: check character should be 'X', got '3' (GB 11643-1999 §6)"
    assert err.to_dict("en")["details"] == {"expected": "X", "got": "3", "clause": "GB 11643-1999 §6"}


def test_message_survives_a_missing_detail() -> None:
    """Renders the template with the placeholder left visible when a detail is missing."""
    err = ConcurrentModification(field="voucher", entity="voucher")
    assert "{entity_id}" in err.message("en")


def test_pydantic_errors_become_govparts_errors_with_paths() -> None:
    """Maps every invalid field of a record to a govparts error with its field path and row."""
    record = _record_error({"name": "A1", "sex": "7"})
    by_field = {e.field: e for e in record.errors}
    assert set(by_field) == {"name", "sex", "age"}
    assert isinstance(by_field["sex"], UnknownCode)
    assert by_field["sex"].details["code_list"] == "GB/T 2261.1-2003"
    assert isinstance(by_field["name"], InvalidInput)
    assert by_field["name"].message("en") == "name: a name has no digits, got 'A1'"
    assert by_field["age"].message("en") == "age: a value is required"
    data = record.to_dict("en")
    assert data["row"] == 7
    assert [e["code"] for e in data["errors"]] == ["invalid-input", "unknown-code", "invalid-input"]


def test_record_error_summarises_each_field() -> None:
    """Lists every bad field in the record's own message."""
    message = _record_error({"name": "Ayshem", "sex": "1", "age": "x"}).message("en")
    assert message == "Person: 1 invalid field(s): age: expected a whole number, got 'x'"


def test_nested_paths_are_dotted_with_indexes() -> None:
    """Writes nested field paths as dotted names with list indexes."""

    class _Unit(BaseModel):
        staff: list[_Person]

    with pytest.raises(ValidationError) as caught:
        _Unit.model_validate(
            {"staff": [{"name": "A", "sex": "1", "age": 3}, {"name": "B", "sex": "x", "age": 1}]}
        )
    (only,) = from_validation_error(caught.value).errors
    assert only.field == "staff[1].sex"
