"""The personnel part's golden corpus: example records and the verdict every conforming validator reaches.

Each case is ``{model, record, valid[, error_code, field, rejected_by, note]}`` (see
:func:`govparts.core.spec.golden_cases`): a valid record must be accepted; an invalid one must be
refused with ``error_code`` on ``field``. The cases cover what the exchange record
(人员信息交换格式) enforces record by record: identifier check characters (GB 11643-1999 §6,
GB 32100-2015 §4.5), the GB/T 2260 division table, the national and part code lists, the citizen
identity number agreeing with the declared birth date and sex (GB 11643-1999 §5.3, §5.4), the minimum
working age (劳动法 Art. 15), the grade range of a rank, and ISO 8601 calendar dates.

The people are invented: their identity numbers carry real Xinjiang county codes and valid check
characters, and their sequence codes have the parity of the declared sex.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GOLDEN"]

_ORG = "11650100MB00000016"
"""An invented government body in Ürümqi (authority 11), valid MOD 31-3 check character."""
_ORG_BAD = "11650100MB00000017"
_MAN = "650102198803151239"
"""Born 1988-03-15 in 天山区, sequence 123 (odd: a man), check character 9."""
_WOMAN = "652901199207082349"
"""Born 1992-07-08 in 阿克苏市, sequence 234 (even: a woman), check character 9."""

_EMPLOYEE: dict[str, Any] = {
    "organization_credit_code": _ORG,
    "employee_no": "E0001",
    "name": "艾力·吐尔逊",
    "name_ug": "ئەلى تۇرسۇن",
    "citizen_id": _MAN,
    "sex": "1",
    "birth_date": "1988-03-15",
    "ethnic_group": "05",
    "native_place": "650102",
    "political_status": "01",
    "education": "21",
    "marital_status": "20",
    "category": "11",
    "establishment": "10",
    "unit_code": "BGS",
    "rank": "Z07",
    "grade": 18,
    "joined_on": "2012-07-01",
    "first_employment_date": "2010-07-01",
}
_EMPLOYEE_2: dict[str, Any] = {
    "organization_credit_code": _ORG,
    "employee_no": "E0002",
    "name": "王芳",
    "citizen_id": _WOMAN,
    "sex": "2",
    "birth_date": "1992-07-08",
    "ethnic_group": "01",
    "native_place": "652901",
    "political_status": "03",
    "education": "14",
    "marital_status": "10",
    "category": "22",
    "establishment": "20",
    "unit_code": "XXZX",
    "joined_on": "2018-09-01",
    "first_employment_date": "2018-09-01",
    "hire_type": "transfer_in",
}


def _employee(**changes: Any) -> dict[str, Any]:
    """The first employee with ``changes`` (a value of ``None`` drops the field)."""
    record = {**_EMPLOYEE, **changes}
    return {key: value for key, value in record.items() if value is not None}


_E = "govparts.personnel.EmployeeRecord"

GOLDEN: list[dict[str, Any]] = [
    # --- organisations, units, posts ---
    {
        "model": "govparts.personnel.Organization",
        "record": {"credit_code": _ORG, "name": "示例县人力资源和社会保障局", "division_code": "650102"},
        "valid": True,
    },
    {
        "model": "govparts.personnel.Organization",
        "record": {"credit_code": _ORG_BAD, "name": "示例县人力资源和社会保障局", "division_code": "650102"},
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "credit_code",
        "note": "GB 32100-2015 §4.5: the MOD 31-3 check character should be 6",
        "rejected_by": "govparts.core.ids.credit_code:validate",
    },
    {
        "model": "govparts.personnel.Organization",
        "record": {"credit_code": _ORG, "name": "示例县人力资源和社会保障局", "division_code": "659999"},
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "division_code",
        "note": "GB/T 2260: no such administrative division",
        "rejected_by": "govparts.core.ids.division_code:validate",
    },
    {
        "model": "govparts.personnel.OrgUnit",
        "record": {
            "organization_credit_code": _ORG,
            "unit_code": "BGS",
            "name": "办公室",
            "name_ug": "ئىشخانا",
            "effective_from": "2020-01-01",
        },
        "valid": True,
    },
    {
        "model": "govparts.personnel.OrgUnit",
        "record": {
            "organization_credit_code": _ORG,
            "unit_code": "BGS",
            "name": "办公室",
            "effective_from": "2020-02-30",
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "effective_from",
        "note": "ISO 8601: 30 February is no calendar date",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.personnel.Position",
        "record": {
            "organization_credit_code": _ORG,
            "position_code": "P-BGS-01",
            "unit_code": "BGS",
            "title": "办公室主任",
            "post_level": "141",
        },
        "valid": True,
    },
    {
        "model": "govparts.personnel.Position",
        "record": {
            "organization_credit_code": _ORG,
            "position_code": "P-BGS-01",
            "unit_code": "BGS",
            "title": "办公室主任",
            "post_level": "145",
        },
        "valid": False,
        "error_code": "unknown-code",
        "field": "post_level",
        "note": "GB/T 12407-2008: 145 is no post level",
        "rejected_by": "schema",
    },
    # --- the exchange record ---
    {"model": _E, "record": _employee(), "valid": True},
    {"model": _E, "record": dict(_EMPLOYEE_2), "valid": True},
    {
        "model": _E,
        "record": _employee(citizen_id="650102198803151238"),
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "citizen_id",
        "note": "GB 11643-1999 §6: the MOD 11-2 check character should be 9",
        "rejected_by": "govparts.core.ids.citizen_id:validate",
    },
    {
        "model": _E,
        "record": _employee(birth_date="1988-03-16"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "birth_date",
        "note": "GB 11643-1999 §5.3: the identity number encodes 1988-03-15",
        "rejected_by": "govparts.personnel.rules:check_identity_agrees",
    },
    {
        "model": _E,
        "record": _employee(sex="2"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "sex",
        "note": "GB 11643-1999 §5.4: an odd sequence code is a man (GB/T 2261.1 code 1)",
        "rejected_by": "govparts.personnel.rules:check_identity_agrees",
    },
    {
        "model": _E,
        "record": _employee(sex="3"),
        "valid": False,
        "error_code": "unknown-code",
        "field": "sex",
        "note": "GB/T 2261.1: 3 is no sex code",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(ethnic_group="60"),
        "valid": False,
        "error_code": "unknown-code",
        "field": "ethnic_group",
        "note": "GB/T 3304-1991: 60 is no ethnic group",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(education="99"),
        "valid": False,
        "error_code": "unknown-code",
        "field": "education",
        "note": "GB/T 4658: 99 is no education level",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(establishment="50"),
        "valid": False,
        "error_code": "unknown-code",
        "field": "establishment",
        "note": "the establishment categories are 10, 20, 30 and 40",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(native_place="650199"),
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "native_place",
        "note": "GB/T 2260: no such administrative division",
        "rejected_by": "govparts.core.ids.division_code:validate",
    },
    {
        "model": _E,
        "record": _employee(organization_credit_code=_ORG_BAD),
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "organization_credit_code",
        "note": "GB 32100-2015 §4.5: the MOD 31-3 check character should be 6",
        "rejected_by": "govparts.core.ids.credit_code:validate",
    },
    {
        "model": _E,
        "record": _employee(first_employment_date="2003-09-01"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "first_employment_date",
        "note": "劳动法 Art. 15: first employment before the 16th birthday",
        "rejected_by": "govparts.personnel.models:EmployeeRecord._agree",
    },
    {
        "model": _E,
        "record": _employee(first_employment_date="2013-07-01"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "first_employment_date",
        "note": "first employment cannot come after joining the organisation",
        "rejected_by": "govparts.personnel.models:EmployeeRecord._agree",
    },
    {
        "model": _E,
        "record": _employee(grade=23),
        "valid": False,
        "error_code": "invalid-input",
        "field": "grade",
        "note": "rank Z07 (一级主任科员) spans grades 15 to 21",
        "rejected_by": "govparts.personnel.rules:check_rank_grade",
    },
    {
        "model": _E,
        "record": _employee(rank=None, grade=28),
        "valid": False,
        "error_code": "invalid-input",
        "field": "grade",
        "note": "grades run from 1 to 27",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(name=None),
        "valid": False,
        "error_code": "invalid-input",
        "field": "name",
        "note": "the name is required",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(birth_date="1988/03/15"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "birth_date",
        "note": "ISO 8601: dates are written YYYY-MM-DD",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(hire_type="appointment"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "hire_type",
        "note": "hire types are recruitment, transfer_in and selection",
        "rejected_by": "schema",
    },
    {
        "model": _E,
        "record": _employee(salary="8000.00"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "salary",
        "note": "the exchange record has no field salary",
        "rejected_by": "schema",
    },
    # --- what services return ---
    {
        "model": "govparts.personnel.EmployeeView",
        "record": {"record": dict(_EMPLOYEE_2), "state": "active", "version": 1},
        "valid": True,
    },
    {
        "model": "govparts.personnel.EmployeeView",
        "record": {
            "record": {**_EMPLOYEE_2, "citizen_id": "652901199207082348"},
            "state": "active",
            "version": 1,
        },
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "record.citizen_id",
        "note": "GB 11643-1999 §6: the MOD 11-2 check character should be 9",
        "rejected_by": "govparts.core.ids.citizen_id:validate",
    },
    {
        "model": "govparts.personnel.HistoryEntry",
        "record": {
            "seq": 1,
            "kind": "hire",
            "effective_from": "2012-07-01",
            "unit_code": "BGS",
            "document": "新人社任〔2012〕12号",
        },
        "valid": True,
    },
    {
        "model": "govparts.personnel.HistoryEntry",
        "record": {"seq": 2, "kind": "promotion", "effective_from": "2016-01-01"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "kind",
        "note": "history kinds are hire, post, rank, unit, secondment and separation",
        "rejected_by": "schema",
    },
]
"""The personnel part's golden corpus: ``{model, record, valid[, error_code, field, note]}`` cases."""
