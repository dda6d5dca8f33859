"""References to organisations, units and people: frozen, hashable, JSON round trip, masked citizen ids."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import BaseModel, ValidationError

from govparts.core.errors import InvalidIdentifier, InvalidInput, from_validation_error
from govparts.core.refs import OrganizationRef, OrgUnitRef, PersonRef, masked

# Synthetic identifiers with valid check characters (GB 32100-2015, GB 11643-1999); invented people.
GOVERNMENT_ORGAN = "11650000MB1957239Y"
COMPANY = "91350100M000100Y43"
CITIZEN_ID = "650102199001011239"
CITIZEN_ID_X = "65010220000229001X"


def _person(**changes: object) -> PersonRef:
    data: dict[str, object] = {
        "person_id": "E0042",
        "organization_credit_code": GOVERNMENT_ORGAN,
        "name": "阿依古丽·买买提",
        "citizen_id": CITIZEN_ID,
    }
    data.update(changes)
    return PersonRef.model_validate(data)


# --- the three references -----------------------------------------------------------------------


def test_organization_ref_identifies_by_credit_code() -> None:
    """Identifies an organisation by its credit code and keeps its name."""
    org = OrganizationRef(credit_code=GOVERNMENT_ORGAN, name="新疆维吾尔自治区示例厅")
    assert org.key == GOVERNMENT_ORGAN
    assert org.name == "新疆维吾尔自治区示例厅"


def test_org_unit_ref_identifies_by_organization_and_unit_code() -> None:
    """Identifies a unit by the organisation's credit code and the unit code."""
    unit = OrgUnitRef(organization_credit_code=GOVERNMENT_ORGAN, unit_code="CWK", name="财务科")
    assert unit.key == (GOVERNMENT_ORGAN, "CWK")


def test_person_ref_identifies_by_organization_and_person_id() -> None:
    """Identifies a person by the organisation's credit code and the person's number in it."""
    person = _person()
    assert person.key == (GOVERNMENT_ORGAN, "E0042")
    assert person.citizen_id == CITIZEN_ID
    assert _person(citizen_id=None).citizen_id is None


@pytest.mark.parametrize(
    ("model", "standard_id"),
    [
        (OrganizationRef, "govparts.core.refs.OrganizationRef"),
        (OrgUnitRef, "govparts.core.refs.OrgUnitRef"),
        (PersonRef, "govparts.core.refs.PersonRef"),
    ],
)
def test_references_carry_standard_id_and_version(model: type[BaseModel], standard_id: str) -> None:
    """Declares a standard id and version as class data, published in the schema, not as fields."""
    assert model.standard_id == standard_id  # type: ignore[attr-defined]
    assert model.standard_version == "1.0"  # type: ignore[attr-defined]
    assert "standard_id" not in model.model_fields
    schema = model.model_json_schema()
    assert schema["x-standard-id"] == standard_id
    assert schema["x-standard-version"] == "1.0"


def test_references_are_frozen() -> None:
    """Refuses to change a field of a reference after it is built."""
    org = OrganizationRef(credit_code=COMPANY, name="示例科技有限公司")
    with pytest.raises(ValidationError):
        org.name = "别的名字"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        _person().citizen_id = None  # type: ignore[misc]


def test_references_are_hashable_and_compare_by_value() -> None:
    """Hashes and compares references by their field values."""
    first = OrgUnitRef(organization_credit_code=COMPANY, unit_code="BGS", name="办公室")
    same = OrgUnitRef(organization_credit_code=COMPANY, unit_code="BGS", name="办公室")
    other = OrgUnitRef(organization_credit_code=COMPANY, unit_code="RSK", name="人事科")
    assert first == same
    assert first != other
    assert len({first, same, other}) == 2
    assert {_person(): 1}[_person()] == 1


@pytest.mark.parametrize(
    "ref",
    [
        OrganizationRef(credit_code=COMPANY, name="示例科技有限公司"),
        OrgUnitRef(organization_credit_code=GOVERNMENT_ORGAN, unit_code="xz.01-a_b", name="行政科"),
        PersonRef(person_id="E0042", organization_credit_code=GOVERNMENT_ORGAN, name="王芳"),
        PersonRef(
            person_id="0007",
            organization_credit_code=COMPANY,
            name="买合木提·吐尔逊",
            citizen_id=CITIZEN_ID_X,
        ),
    ],
    ids=["organization", "unit", "person", "person-with-citizen-id"],
)
def test_json_round_trip(ref: BaseModel) -> None:
    """Writes a reference to JSON and reads back an equal one."""
    text = ref.model_dump_json()
    assert type(ref).model_validate_json(text) == ref
    assert set(json.loads(text)) == set(type(ref).model_fields)


def test_unknown_fields_are_ignored_for_forward_compatibility() -> None:
    """Accepts and drops fields a later 1.x version may add (a tolerant reader)."""
    org = OrganizationRef.model_validate(
        {"credit_code": COMPANY, "name": "示例科技有限公司", "name_ug": "ئۈلگە شىركىتى"}
    )
    assert org == OrganizationRef(credit_code=COMPANY, name="示例科技有限公司")
    assert "name_ug" not in org.model_dump()


def test_names_are_stripped_and_bounded() -> None:
    """Strips surrounding white space from names and refuses empty or over-long ones."""
    assert OrganizationRef(credit_code=COMPANY, name="  示例科技  ").name == "示例科技"
    for bad in ("", "   ", "名" * 201):
        with pytest.raises(ValidationError) as caught:
            OrganizationRef(credit_code=COMPANY, name=bad)
        [error] = from_validation_error(caught.value).errors
        assert error.field == "name"


def test_invalid_credit_code_is_reported_on_its_field() -> None:
    """Reports a credit code with a wrong check character as InvalidIdentifier on that field."""
    with pytest.raises(ValidationError) as caught:
        OrgUnitRef(organization_credit_code=COMPANY[:-1] + "4", unit_code="CWK", name="财务科")
    [error] = from_validation_error(caught.value, model="OrgUnitRef").errors
    assert isinstance(error, InvalidIdentifier)
    assert error.field == "organization_credit_code"


@pytest.mark.parametrize("code", ["", "E 42", "-E42", "财务科", "E" * 65, "a/b"])
def test_local_codes_must_be_plain(code: str) -> None:
    """Refuses unit codes and person numbers with spaces, slashes, Chinese text or over 64 characters."""
    with pytest.raises(ValidationError) as caught:
        OrgUnitRef(organization_credit_code=COMPANY, unit_code=code, name="财务科")
    [error] = from_validation_error(caught.value).errors
    assert isinstance(error, InvalidInput)
    assert error.field == "unit_code"
    with pytest.raises(ValidationError):
        _person(person_id=code)


# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (CITIZEN_ID, "650102********1239"),
        (CITIZEN_ID_X, "650102********001X"),
        ("110105491231002", "110105*****1002"),
        ("12345678901", "123456*8901"),
        ("1234567890", "**********"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_masked_keeps_first_six_and_last_four(value: str, expected: str) -> None:
    """Keeps the first 6 and last 4 characters and hides the rest; hides short values whole."""
    assert masked(value) == expected
    assert len(masked(value)) == len(value)


def test_masked_ends_are_adjustable() -> None:
    """Keeps as many characters at each end as asked."""
    assert masked(CITIZEN_ID, keep_start=3, keep_end=1) == "650**************9"


def test_repr_and_str_never_show_the_full_citizen_id() -> None:
    """Shows the citizen id masked in repr() and str() while the field keeps the full value."""
    person = _person()
    for text in (repr(person), str(person), f"{person}", repr([person])):
        assert CITIZEN_ID not in text
        assert "650102********1239" in text
    assert person.masked_citizen_id == "650102********1239"
    assert _person(citizen_id=None).masked_citizen_id is None
    assert "citizen_id=None" in repr(_person(citizen_id=None))
    assert person.model_dump()["citizen_id"] == CITIZEN_ID


def test_logging_a_person_shows_the_masked_id(caplog: pytest.LogCaptureFixture) -> None:
    """Logs a PersonRef with its citizen id masked."""
    with caplog.at_level(logging.INFO):
        logging.getLogger("govparts.test").info("hired %s / %r", _person(), _person())
    assert CITIZEN_ID not in caplog.text
    assert "650102********1239" in caplog.text


@pytest.mark.parametrize("bad", [CITIZEN_ID[:-1] + "8", 650102199001011239, "650102199013011237"])
def test_invalid_citizen_id_errors_do_not_echo_it(bad: object) -> None:
    """Rejects a bad citizen id as InvalidIdentifier without repeating the number in any message."""
    with pytest.raises(ValidationError) as caught:
        _person(citizen_id=bad)
    assert str(bad) not in str(caught.value)
    record = from_validation_error(caught.value, model="PersonRef")
    [error] = record.errors
    assert isinstance(error, InvalidIdentifier)
    assert error.field == "citizen_id"
    for locale in ("en", "zh_Hans_CN", "ug_CN"):
        assert str(bad) not in record.message(locale)
