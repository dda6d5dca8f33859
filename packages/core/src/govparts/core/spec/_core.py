"""What core itself publishes: its reference models, its identifier and money types, their golden corpus.

The golden corpus holds records every conforming validator must judge the same way: valid ones, and
invalid ones with the error code (``invalid-identifier``, ``invalid-money``…) they must produce and
the field it must name. The citizen identity numbers are invented, with valid check characters
(GB 11643-1999 §6); the credit codes are the standard's own layout (GB 32100-2015 §4).
"""

from __future__ import annotations

from typing import Any

from govparts.core.ids import CitizenId, CreditCode, DivisionCode
from govparts.core.money import Money
from govparts.core.refs import OrganizationRef, OrgUnitRef, PersonRef

__all__ = ["GOLDEN", "MODELS", "TITLES"]

MODELS: dict[str, Any] = {
    "govparts.core.refs.OrganizationRef": OrganizationRef,
    "govparts.core.refs.OrgUnitRef": OrgUnitRef,
    "govparts.core.refs.PersonRef": PersonRef,
    "govparts.core.ids.CitizenId": CitizenId,
    "govparts.core.ids.CreditCode": CreditCode,
    "govparts.core.ids.DivisionCode": DivisionCode,
    "govparts.core.money.Money": Money,
}
"""Core's published models and types, by standard id."""

TITLES: dict[str, dict[str, str]] = {
    "govparts.core.refs.OrganizationRef": {
        "zh_Hans_CN": "机构引用",
        "en": "Organisation reference",
        "ug_CN": "ئورگان نەقىلى",
    },
    "govparts.core.refs.OrgUnitRef": {
        "zh_Hans_CN": "内设机构引用",
        "en": "Organisational unit reference",
        "ug_CN": "ئىچكى ئورۇن نەقىلى",
    },
    "govparts.core.refs.PersonRef": {
        "zh_Hans_CN": "人员引用",
        "en": "Person reference",
        "ug_CN": "خادىم نەقىلى",
    },
    "govparts.core.ids.CitizenId": {
        "zh_Hans_CN": "公民身份号码",
        "en": "Citizen identity number",
        "ug_CN": "پۇقرالىق كىملىك نومۇرى",
    },
    "govparts.core.ids.CreditCode": {
        "zh_Hans_CN": "统一社会信用代码",
        "en": "Unified social credit code",
        "ug_CN": "بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى",
    },
    "govparts.core.ids.DivisionCode": {
        "zh_Hans_CN": "行政区划代码",
        "en": "Administrative division code",
        "ug_CN": "مەمۇرىي رايون كودى",
    },
    "govparts.core.money.Money": {
        "zh_Hans_CN": "人民币金额",
        "en": "Amount in CNY",
        "ug_CN": "خەلق پۇلى سوممىسى",
    },
}
"""The title of each published model in the three languages."""

_CREDIT = "91350100M000100Y43"  # GB 32100-2015 example layout, valid MOD 31-3 check character
_CITIZEN = "11010519491231002X"  # GB 11643-1999 Annex example, check character X

GOLDEN: list[dict[str, Any]] = [
    {"model": "govparts.core.ids.CitizenId", "record": _CITIZEN, "valid": True},
    {
        "model": "govparts.core.ids.CitizenId",
        "record": "110105194912310021",
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "-",
        "note": "GB 11643-1999 §6: the MOD 11-2 check character should be X",
    },
    {
        "model": "govparts.core.ids.CitizenId",
        "record": "11010519491331002X",
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "-",
        "note": "GB 11643-1999 §5.2: month 13 is no birth date",
    },
    {"model": "govparts.core.ids.CreditCode", "record": _CREDIT, "valid": True},
    {
        "model": "govparts.core.ids.CreditCode",
        "record": "91350100M000100Y44",
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "-",
        "note": "GB 32100-2015 §4.5: wrong MOD 31-3 check character",
    },
    {"model": "govparts.core.ids.DivisionCode", "record": "650102", "valid": True},
    {
        "model": "govparts.core.ids.DivisionCode",
        "record": "659999",
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "-",
        "note": "GB/T 2260: no such division",
    },
    {"model": "govparts.core.money.Money", "record": "1234.50", "valid": True},
    {
        "model": "govparts.core.money.Money",
        "record": "12.345",
        "valid": False,
        "error_code": "invalid-money",
        "field": "-",
        "note": "amounts carry at most two decimal places (fen)",
    },
    {
        "model": "govparts.core.money.Money",
        "record": 12.5,
        "valid": False,
        "error_code": "invalid-money",
        "field": "-",
        "note": "a float is never an amount",
    },
    {
        "model": "govparts.core.refs.OrganizationRef",
        "record": {"credit_code": _CREDIT, "name": "示例市财政局"},
        "valid": True,
    },
    {
        "model": "govparts.core.refs.OrganizationRef",
        "record": {"credit_code": "91350100M000100Y44", "name": "示例市财政局"},
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "credit_code",
    },
    {
        "model": "govparts.core.refs.PersonRef",
        "record": {
            "person_id": "E0001",
            "organization_credit_code": _CREDIT,
            "name": "阿依古丽·买买提",
            "citizen_id": _CITIZEN,
        },
        "valid": True,
    },
    {
        "model": "govparts.core.refs.PersonRef",
        "record": {"person_id": "E0001", "organization_credit_code": _CREDIT, "name": ""},
        "valid": False,
        "error_code": "invalid-input",
        "field": "name",
    },
    {
        "model": "govparts.core.refs.PersonRef",
        "record": {
            "person_id": "E0001",
            "organization_credit_code": _CREDIT,
            "name": "张三",
            "citizen_id": "110105194912310021",
        },
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "citizen_id",
    },
]
"""Core's golden corpus: ``{model, record, valid[, error_code, field, note]}`` cases."""
