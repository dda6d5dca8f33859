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

_CREDIT_CODE = {
    "zh_Hans_CN": "机构的统一社会信用代码（GB 32100-2015）",
    "en": "Unified social credit code of the organisation (GB 32100-2015)",
    "ug_CN": "ئورگاننىڭ بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى (GB 32100-2015)",
}

TITLES: dict[str, dict[str, Any]] = {
    "govparts.core.refs.OrganizationRef": {
        "zh_Hans_CN": "机构引用",
        "en": "Organisation reference",
        "ug_CN": "ئورگان نەقىلى",
        "description": {
            "zh_Hans_CN": "以统一社会信用代码（GB 32100-2015）标识的机构",
            "en": "An organisation, identified by its unified social credit code (GB 32100-2015)",
            "ug_CN": (
                "بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى (GB 32100-2015) بىلەن پەرقلەندۈرۈلىدىغان ئورگان"
            ),
        },
        "fields": {
            "credit_code": _CREDIT_CODE,
            "name": {"zh_Hans_CN": "机构名称", "en": "Name of the organisation", "ug_CN": "ئورگان نامى"},
        },
    },
    "govparts.core.refs.OrgUnitRef": {
        "zh_Hans_CN": "内设机构引用",
        "en": "Organisational unit reference",
        "ug_CN": "ئىچكى ئورۇن نەقىلى",
        "description": {
            "zh_Hans_CN": "机构的一个内设机构，以机构和内设机构代码标识",
            "en": "A unit of an organisation, identified by the organisation and the unit's code",
            "ug_CN": "ئورگاننىڭ بىر ئىچكى ئورنى، ئورگان ۋە ئىچكى ئورۇن كودى بىلەن پەرقلەندۈرۈلىدۇ",
        },
        "fields": {
            "organization_credit_code": _CREDIT_CODE,
            "unit_code": {
                "zh_Hans_CN": "内设机构代码（机构内唯一）",
                "en": "Code of the unit, unique within the organisation",
                "ug_CN": "ئىچكى ئورۇن كودى (ئورگان ئىچىدە يەككە)",
            },
            "name": {"zh_Hans_CN": "内设机构名称", "en": "Name of the unit", "ug_CN": "ئىچكى ئورۇن نامى"},
        },
    },
    "govparts.core.refs.PersonRef": {
        "zh_Hans_CN": "人员引用",
        "en": "Person reference",
        "ug_CN": "خادىم نەقىلى",
        "description": {
            "zh_Hans_CN": "机构所知的一名人员，以机构和该人员在机构内的编号标识",
            "en": (
                "A person known to an organisation, identified by"
                " the organisation and the person's number in it"
            ),
            "ug_CN": (
                "ئورگانغا مەلۇم بىر خادىم، ئورگان ۋە خادىمنىڭ ئورگان ئىچىدىكى نومۇرى بىلەن پەرقلەندۈرۈلىدۇ"
            ),
        },
        "fields": {
            "person_id": {
                "zh_Hans_CN": "人员编号（机构内唯一）",
                "en": "Number of the person, unique within the organisation",
                "ug_CN": "خادىم نومۇرى (ئورگان ئىچىدە يەككە)",
            },
            "organization_credit_code": _CREDIT_CODE,
            "name": {"zh_Hans_CN": "姓名", "en": "Full name", "ug_CN": "ئىسىم-فامىلە"},
            "citizen_id": {
                "zh_Hans_CN": "公民身份号码（GB 11643-1999）",
                "en": "Citizen identity number (GB 11643-1999)",
                "ug_CN": "پۇقرالىق كىملىك نومۇرى (GB 11643-1999)",
            },
        },
    },
    "govparts.core.ids.CitizenId": {
        "zh_Hans_CN": "公民身份号码",
        "en": "Citizen identity number",
        "ug_CN": "پۇقرالىق كىملىك نومۇرى",
        "description": {
            "zh_Hans_CN": "18 位公民身份号码，末位为校验码（GB 11643-1999）",
            "en": "An 18-character citizen identity number with its check character (GB 11643-1999)",
            "ug_CN": "تەكشۈرۈش ھەرپى بىلەن 18 خانىلىق پۇقرالىق كىملىك نومۇرى (GB 11643-1999)",
        },
    },
    "govparts.core.ids.CreditCode": {
        "zh_Hans_CN": "统一社会信用代码",
        "en": "Unified social credit code",
        "ug_CN": "بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى",
        "description": {
            "zh_Hans_CN": "18 位统一社会信用代码，末位为校验码（GB 32100-2015）",
            "en": "An 18-character unified social credit code with its check character (GB 32100-2015)",
            "ug_CN": (
                "تەكشۈرۈش ھەرپى بىلەن 18 خانىلىق بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى (GB 32100-2015)"
            ),
        },
    },
    "govparts.core.ids.DivisionCode": {
        "zh_Hans_CN": "行政区划代码",
        "en": "Administrative division code",
        "ug_CN": "مەمۇرىي رايون كودى",
        "description": {
            "zh_Hans_CN": "6 位县级以上行政区划代码（GB/T 2260）",
            "en": "A six-digit administrative division code (GB/T 2260)",
            "ug_CN": "ئالتە خانىلىق مەمۇرىي رايون كودى (GB/T 2260)",
        },
    },
    "govparts.core.money.Money": {
        "zh_Hans_CN": "人民币金额",
        "en": "Amount in CNY",
        "ug_CN": "خەلق پۇلى سوممىسى",
        "description": {
            "zh_Hans_CN": "以人民币元计、精确到分的金额",
            "en": "An amount in yuan (CNY), exact to the fen",
            "ug_CN": "يۈەن بىلەن ھېسابلانغان، فېنگىچە ئېنىق خەلق پۇلى سوممىسى",
        },
    },
    "govparts.core.process.TransitionPayload": {
        "zh_Hans_CN": "流程流转事件内容",
        "en": "Payload of a process transition",
        "ug_CN": "جەريان ئۆتۈشى ھادىسىسىنىڭ مەزمۇنى",
        "description": {
            "zh_Hans_CN": "业务流程一次流转所发出事件的内容：流程、业务对象、前后状态、操作者和输入",
            "en": (
                "Payload of the event a process transition emits: process,"
                " entity, states before and after, actor and inputs"
            ),
            "ug_CN": (
                "جەرياندىكى بىر قېتىملىق ئۆتۈش چىقارغان ھادىسىنىڭ مەزمۇنى:"
                " جەريان، ئوبيېكت، ئالدى-كەينىدىكى ھالەت، مەشغۇلاتچى ۋە كىرگۈزمىلەر"
            ),
        },
        "fields": {
            "process": {"zh_Hans_CN": "流程标识", "en": "Process id", "ug_CN": "جەريان بەلگىسى"},
            "process_version": {
                "zh_Hans_CN": "流程规范的版本",
                "en": "Version of the process spec",
                "ug_CN": "جەريان نىزامىنىڭ نەشرى",
            },
            "entity": {"zh_Hans_CN": "业务对象类型", "en": "Kind of entity", "ug_CN": "ئوبيېكت تۈرى"},
            "entity_id": {"zh_Hans_CN": "业务对象标识", "en": "Id of the entity", "ug_CN": "ئوبيېكت بەلگىسى"},
            "transition": {"zh_Hans_CN": "流转名称", "en": "Transition fired", "ug_CN": "ئۆتۈش نامى"},
            "from_state": {
                "zh_Hans_CN": "流转前状态",
                "en": "State before",
                "ug_CN": "ئۆتۈشتىن بۇرۇنقى ھالەت",
            },
            "to_state": {"zh_Hans_CN": "流转后状态", "en": "State after", "ug_CN": "ئۆتۈشتىن كېيىنكى ھالەت"},
            "version": {
                "zh_Hans_CN": "流转后的版本号",
                "en": "Version of the entity after the transition",
                "ug_CN": "ئۆتۈشتىن كېيىنكى نەشر نومۇرى",
            },
            "actor_id": {"zh_Hans_CN": "操作者标识", "en": "Id of the actor", "ug_CN": "مەشغۇلاتچى بەلگىسى"},
            "actor_unit": {
                "zh_Hans_CN": "操作者所在内设机构",
                "en": "Unit of the actor",
                "ug_CN": "مەشغۇلاتچى تەۋە ئىچكى ئورۇن",
            },
            "inputs": {
                "zh_Hans_CN": "流转的输入",
                "en": "Inputs of the transition",
                "ug_CN": "ئۆتۈشنىڭ كىرگۈزمىلىرى",
            },
        },
    },
}
"""The title of each published model in the three languages, with ``"fields"``: each property's
description; also the texts of core's event payload model, which parts' event catalogues use."""

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
        "rejected_by": "govparts.core.ids.citizen_id:validate",
    },
    {
        "model": "govparts.core.ids.CitizenId",
        "record": "11010519491331002X",
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "-",
        "note": "GB 11643-1999 §5.2: month 13 is no birth date",
        "rejected_by": "govparts.core.ids.citizen_id:validate",
    },
    {"model": "govparts.core.ids.CreditCode", "record": _CREDIT, "valid": True},
    {
        "model": "govparts.core.ids.CreditCode",
        "record": "91350100M000100Y44",
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "-",
        "note": "GB 32100-2015 §4.5: wrong MOD 31-3 check character",
        "rejected_by": "govparts.core.ids.credit_code:validate",
    },
    {"model": "govparts.core.ids.DivisionCode", "record": "650102", "valid": True},
    {
        "model": "govparts.core.ids.DivisionCode",
        "record": "659999",
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "-",
        "note": "GB/T 2260: no such division",
        "rejected_by": "govparts.core.ids.division_code:validate",
    },
    {"model": "govparts.core.money.Money", "record": "1234.50", "valid": True},
    {
        "model": "govparts.core.money.Money",
        "record": "12.345",
        "valid": False,
        "error_code": "invalid-money",
        "field": "-",
        "note": "amounts carry at most two decimal places (fen)",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.core.money.Money",
        "record": 12.5,
        "valid": False,
        "error_code": "invalid-money",
        "field": "-",
        "note": "a float is never an amount",
        "rejected_by": "schema",
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
        "rejected_by": "govparts.core.ids.credit_code:validate",
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
        "rejected_by": "schema",
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
        "rejected_by": "govparts.core.ids.citizen_id:validate",
    },
]
"""Core's golden corpus: ``{model, record, valid[, error_code, field, note]}`` cases."""
