"""Synthetic people: valid, distinct, Xinjiang address codes, names in the right script."""

import random

from govparts.core.ids import citizen_id
from govparts.personnel.models import EmployeeRecord
from govparts.personnel.synthetic import XINJIANG_COUNTIES, make_credit_code, make_people


def test_people_are_valid_exchange_records() -> None:
    """Generates records that pass the exchange model, with distinct ids in Xinjiang counties."""
    org = make_credit_code(random.Random(3))
    people = make_people(500, organization_credit_code=org, unit_codes=("BGS",))
    records = [EmployeeRecord.model_validate(p) for p in people]
    assert len({r.citizen_id for r in records}) == 500
    assert all(r.citizen_id[:6] in XINJIANG_COUNTIES for r in records)
    assert all(citizen_id.get_sex(r.citizen_id) == r.sex for r in records)


def test_uyghur_names_are_in_arabic_script() -> None:
    """Gives Uyghur people (ethnic group 05) a Uyghur name in Arabic script, and others none."""
    people = make_people(200, organization_credit_code="11650100MB1234567M", unit_codes=("BGS",))
    uyghur = [p for p in people if p["ethnic_group"] == "05"]
    assert uyghur
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in p["name_ug"]) for p in uyghur)
    assert all(p["name_ug"] is None for p in people if p["ethnic_group"] != "05")
