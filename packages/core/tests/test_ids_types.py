"""Pydantic field types CitizenId, CreditCode, DivisionCode: validation, errors, JSON Schema."""

from __future__ import annotations

import jsonschema
import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from govparts.core.errors import InvalidIdentifier, InvalidInput, from_validation_error
from govparts.core.ids import CitizenId, CreditCode, DivisionCode


class Employee(BaseModel):
    """A record typed with the three identifier types."""

    citizen_id: CitizenId
    employer: CreditCode
    residence: DivisionCode


VALID = {"citizen_id": "11010519491231002X", "employer": "91350100M000100Y43", "residence": "654200"}


def test_accepts_and_normalises() -> None:
    """Accepts valid values and stores the canonical form (upper-case X, no separators)."""
    employee = Employee(citizen_id="11010519491231002x", employer="9135 0100 M000100Y43", residence="654200")
    assert employee.model_dump() == VALID


def test_validates_json_in_bulk() -> None:
    """Validates a JSON array of records through TypeAdapter, as a bulk load does."""
    records = TypeAdapter(list[Employee]).validate_json(
        b'[{"citizen_id": "440524188001010014", "employer": "N2650102MA00000018", "residence": "652100"},'
        b' {"citizen_id": "830000199001011234", "employer": "Y1650100MA00000016", "residence": "659012"}]'
    )
    assert [r.employer for r in records] == ["N2650102MA00000018", "Y1650100MA00000016"]


def test_errors_become_localised_invalid_identifiers() -> None:
    """Turns each field's failure into an InvalidIdentifier naming the field path, readable in any locale."""
    with pytest.raises(ValidationError) as caught:
        Employee(citizen_id="110105194912310023", employer="91350100M000100Y44", residence="659999")
    record = from_validation_error(caught.value, model="Employee", row=7)
    assert [type(e) for e in record.errors] == [InvalidIdentifier] * 3
    assert [e.field for e in record.errors] == ["citizen_id", "employer", "residence"]
    assert record.errors[0].message("en") == (
        "citizen_id: check character should be 'X', got '3' (GB 11643-1999 §5.5)"
    )
    assert record.errors[1].details["expected"] == "3"
    assert record.to_dict("en")["row"] == 7
    assert record.errors[2].message("zh_Hans_CN").startswith("residence")
    assert record.errors[2].message("ug_CN").startswith("residence")


def test_nested_path_is_kept() -> None:
    """Reports the list index and field of a failing record in a batch."""
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(list[Employee]).validate_python([VALID, {**VALID, "citizen_id": "654002209912311237"}])
    record = from_validation_error(caught.value, model="Employee")
    assert [e.field for e in record.errors] == ["[1].citizen_id"]
    assert "in the future" in record.errors[0].message("en")


def test_non_text_is_refused_by_pydantic_core() -> None:
    """Refuses numbers and None before any identifier rule runs."""
    with pytest.raises(ValidationError) as caught:
        Employee(citizen_id=11010519491231002, employer=None, residence=654200)  # type: ignore[arg-type]
    record = from_validation_error(caught.value)
    assert all(isinstance(e, InvalidInput) for e in record.errors)
    assert [e.details["pydantic_type"] for e in record.errors] == ["string_type"] * 3


def test_json_schema_has_pattern_description_and_standard() -> None:
    """Publishes each type with a pattern, a length, a description and the standard's id."""
    schema = Employee.model_json_schema()
    properties = schema["properties"]
    assert properties["citizen_id"]["x-standard"] == "GB 11643-1999"
    assert properties["employer"]["x-standard"] == "GB 32100-2015"
    assert properties["residence"]["x-standard"] == "GB/T 2260-2007"
    for prop in properties.values():
        assert prop["type"] == "string"
        assert prop["pattern"].startswith("^")
        assert prop["minLength"] == prop["maxLength"]
        assert prop["description"]
    jsonschema.validate(VALID, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**VALID, "employer": "91350100M000100Y4O"}, schema)


def test_schema_examples_validate() -> None:
    """Gives examples in the JSON Schema that the types themselves accept."""
    properties = Employee.model_json_schema()["properties"]
    example = {name: prop["examples"][0] for name, prop in properties.items()}
    assert Employee.model_validate(example).model_dump() == example
