"""Titles and field descriptions of the personnel part's published models in the three languages.

``TITLES`` maps each standard id (the models of ``models.py`` and the event payloads of
``events.py``) to its title by locale and, under ``"fields"``, a description of each field by
locale. The publication (``govparts spec build``) writes them into each model's JSON Schema as
``x-i18n``. A field name means the same thing in every model of the part unless a model's entry in
``_SPECIFIC`` says otherwise.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TITLES"]


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


_MODELS: dict[str, dict[str, str]] = {
    "govparts.personnel.Organization": _t("机构", "Organisation", "ئورگان"),
    "govparts.personnel.OrgUnit": _t("内设机构", "Internal unit", "ئىچكى ئاپپارات"),
    "govparts.personnel.Position": _t("职位", "Post", "ۋەزىپە"),
    "govparts.personnel.EstablishmentQuota": _t(
        "编制数（按编制类别）", "Establishment quota of a category", "تۈزۈم سانى (تۈزۈم تۈرى بويىچە)"
    ),
    "govparts.personnel.EmployeeRecord": _t(
        "人员信息交换记录", "Employee exchange record", "خادىم ئۇچۇرى ئالماشتۇرۇش خاتىرىسى"
    ),
    "govparts.personnel.EmployeeView": _t("人员信息", "Employee", "خادىم ئۇچۇرى"),
    "govparts.personnel.HistoryEntry": _t(
        "工作履历条目", "Work history entry", "خىزمەت تەرجىمىھالى خاتىرىسى"
    ),
    "govparts.personnel.HeadcountRow": _t(
        "编制与实有人数", "Establishment quota and headcount", "تۈزۈم سانى ۋە ئەمەلىي ئادەم سانى"
    ),
    "govparts.personnel.RetirementDue": _t(
        "到龄退休人员", "Person due to retire", "ياشقا توشۇپ پىنسىيەگە چىقىدىغان خادىم"
    ),
    "govparts.personnel.events.EmployeeHired": _t("人员录用", "Employee hired", "خادىم ئىشقا ئېلىندى"),
    "govparts.personnel.events.EmployeeTransferred": _t("人员调动", "Employee transferred", "خادىم يۆتكەلدى"),
    "govparts.personnel.events.EmployeePostChanged": _t(
        "职务任免", "Post appointment or removal", "ۋەزىپىگە تەيىنلەش ياكى ۋەزىپىدىن ئېلىش"
    ),
    "govparts.personnel.events.EmployeeSeparated": _t(
        "人员离职", "Employee separated", "خادىم خىزمەتتىن ئايرىلدى"
    ),
    "govparts.personnel.events.OrgUnitChanged": _t(
        "内设机构变更", "Internal unit changed", "ئىچكى ئاپپارات ئۆزگەردى"
    ),
}

_FIELDS: dict[str, dict[str, str]] = {
    "organization_credit_code": _t(
        "所属机构的统一社会信用代码（GB 32100-2015）",
        "Unified social credit code of the organisation (GB 32100-2015)",
        "تەۋە ئورگاننىڭ بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى (GB 32100-2015)",
    ),
    "credit_code": _t(
        "统一社会信用代码（GB 32100-2015）",
        "Unified social credit code (GB 32100-2015)",
        "بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى (GB 32100-2015)",
    ),
    "employee_no": _t(
        "人员编号（机构内唯一）",
        "Employee number, unique within the organisation",
        "خادىم نومۇرى (ئورگان ئىچىدە يەككە)",
    ),
    "name": _t("姓名", "Full name", "ئىسىم-فامىلە"),
    "name_ug": _t(
        "维吾尔文姓名（阿拉伯字母）",
        "Full name in Uyghur (Arabic script)",
        "ئۇيغۇرچە ئىسىم-فامىلە (ئەرەب يېزىقىدا)",
    ),
    "name_en": _t("英文名称", "Name in English", "ئىنگلىزچە نامى"),
    "citizen_id": _t(
        "公民身份号码（GB 11643-1999）",
        "Citizen identity number (GB 11643-1999)",
        "پۇقرالىق كىملىك نومۇرى (GB 11643-1999)",
    ),
    "sex": _t("性别（GB/T 2261.1）", "Sex (GB/T 2261.1)", "جىنس (GB/T 2261.1)"),
    "birth_date": _t("出生日期", "Date of birth", "تۇغۇلغان ۋاقىت"),
    "ethnic_group": _t("民族（GB/T 3304-1991）", "Ethnic group (GB/T 3304-1991)", "مىللەت (GB/T 3304-1991)"),
    "native_place": _t(
        "籍贯（GB/T 2260 行政区划代码）",
        "Native place (GB/T 2260 division code)",
        "ئەسلى يۇرتى (GB/T 2260 مەمۇرىي رايون كودى)",
    ),
    "political_status": _t(
        "政治面貌（GB/T 4762）", "Political status (GB/T 4762)", "سىياسىي سالاپەت (GB/T 4762)"
    ),
    "education": _t("学历（GB/T 4658）", "Education (GB/T 4658)", "ئوقۇش تارىخى (GB/T 4658)"),
    "marital_status": _t(
        "婚姻状况（GB/T 2261.2）", "Marital status (GB/T 2261.2)", "نىكاھ ئەھۋالى (GB/T 2261.2)"
    ),
    "category": _t("人员类别", "Staff category", "خادىم تۈرى"),
    "establishment": _t("编制类别", "Establishment category", "تۈزۈم تۈرى"),
    "unit_code": _t("内设机构代码", "Code of the internal unit", "ئىچكى ئاپپارات كودى"),
    "rank": _t("职级", "Rank", "مەرتىۋە"),
    "grade": _t("级别（1–27）", "Grade (1–27)", "دەرىجە نومۇرى (1–27)"),
    "joined_on": _t("进入本单位时间", "Date of joining the organisation", "ئورۇنغا كىرگەن ۋاقىت"),
    "first_employment_date": _t(
        "参加工作时间（累计工龄由此起算）",
        "Date of first employment; cumulative service years count from it",
        "تۇنجى ئىشقا چىققان ۋاقىت (ئومۇمىي خىزمەت يىلى شۇنىڭدىن باشلاپ ھېسابلىنىدۇ)",
    ),
    "hire_type": _t(
        "进入方式：录用、调入或选调",
        "How the person came: recruitment, transfer in or selection",
        "ئىشقا كىرىش يولى: قوبۇل قىلىش، يۆتكىلىپ كېلىش ياكى تاللاپ يۆتكەش",
    ),
    "supervisor_no": _t(
        "直接上级的人员编号",
        "Employee number of the direct supervisor",
        "بىۋاسىتە رەھبىرىنىڭ خادىم نومۇرى",
    ),
    "record": _t("人员信息交换记录", "The exchange record", "خادىم ئۇچۇرى ئالماشتۇرۇش خاتىرىسى"),
    "state": _t(
        "人员状态：拟录用、试用期、在职、借调或已减员",
        "State: candidate, on probation, in service, seconded or separated",
        "ھالىتى: ئىشقا ئېلىنىش ئالدىدا، سىناق مۇددىتىدە، خىزمەتتە، ۋاقىتلىق يۆتكەلگەن ياكى ئايرىلغان",
    ),
    "version": _t(
        "版本号（每次变更加一）",
        "Version, raised by one at each change",
        "نەشر نومۇرى (ھەر قېتىم ئۆزگەرگەندە بىرگە ئاشىدۇ)",
    ),
    "position_code": _t("职位代码", "Code of the post", "ۋەزىپە كودى"),
    "seconded_to": _t("借调去向", "Where the person is seconded to", "ۋاقىتلىق يۆتكەلگەن ئورۇن"),
    "separated_on": _t("离职日期", "Date of separation", "خىزمەتتىن ئايرىلغان ۋاقىت"),
    "separation_reason": _t(
        "离职原因代码", "Code of the reason for separation", "خىزمەتتىن ئايرىلىش سەۋەبى كودى"
    ),
    "seq": _t("序号", "Sequence number", "تەرتىپ نومۇرى"),
    "effective_from": _t("生效日期", "Effective from", "كۈچكە ئىگە بولغان ۋاقىت"),
    "effective_to": _t("失效日期", "Effective until", "كۈچتىن قالغان ۋاقىت"),
    "document": _t(
        "任免文件，例如 新人社任〔2025〕12号",
        "Approving document, for example 新人社任〔2025〕12号",
        "تەيىنلەش-ئېلىش ھۆججىتى، مەسىلەن 新人社任〔2025〕12号",
    ),
    "note": _t("备注", "Note", "ئىزاھات"),
    "headcount": _t("实有人数", "Headcount", "ئەمەلىي ئادەم سانى"),
    "quota": _t("编制数", "Establishment quota", "تۈزۈم سانى"),
    "parent_code": _t("上级内设机构代码", "Code of the parent unit", "يۇقىرى دەرىجىلىك ئىچكى ئاپپارات كودى"),
    "division_code": _t(
        "行政区划代码（GB/T 2260）",
        "Administrative division code (GB/T 2260)",
        "مەمۇرىي رايون كودى (GB/T 2260)",
    ),
    "post_level": _t(
        "职位层次（GB/T 12407-2008）", "Post level (GB/T 12407-2008)", "ۋەزىپە قاتلىمى (GB/T 12407-2008)"
    ),
    "title": _t("职位名称", "Title of the post", "ۋەزىپە نامى"),
    "person": _t("人员", "The person", "خادىم"),
    "retirement_month": _t("退休月份", "Month of retirement", "پىنسىيەگە چىقىدىغان ئاي"),
    "age_years": _t("退休年龄（整岁）", "Retirement age, whole years", "پىنسىيە يېشى (پۈتۈن يىل)"),
    "age_extra_months": _t(
        "退休年龄另加的月数", "Months added to the retirement age", "پىنسىيە يېشىغا قوشۇلىدىغان ئاي سانى"
    ),
    "rule_id": _t(
        "所适用的法定退休年龄规定",
        "The statutory retirement rule applied",
        "قوللىنىلغان قانۇنىي پىنسىيە يېشى بەلگىلىمىسى",
    ),
    "unit": _t("内设机构", "Internal unit", "ئىچكى ئاپپارات"),
    "effective_date": _t("生效日期", "Effective date", "كۈچكە ئىگە بولغان ۋاقىت"),
    "from_unit": _t("调出的内设机构", "Unit the person leaves", "ئايرىلغان ئىچكى ئاپپارات"),
    "to_unit": _t("调入的内设机构", "Unit the person joins", "يۆتكىلىپ بارغان ئىچكى ئاپپارات"),
    "previous_position_code": _t("原职位代码", "Code of the previous post", "ئىلگىرىكى ۋەزىپە كودى"),
    "reason": _t(
        "离职原因：01 辞职、02 辞退、03 调出、04 退休、05 死亡",
        "Reason for separation: 01 resignation, 02 dismissal, 03 transfer out, 04 retirement, 05 death",
        "ئايرىلىش سەۋەبى: 01 ئىستېپا، 02 ئىشتىن بوشىتىش، 03 يۆتكىلىپ كېتىش، 04 پىنسىيە، 05 ۋاپات",
    ),
    "change": _t(
        "变更类型：设立、更名或撤销",
        "Kind of change: established, renamed or closed",
        "ئۆزگىرىش تۈرى: قۇرۇلدى، نامى ئۆزگەرتىلدى ياكى ئەمەلدىن قالدۇرۇلدى",
    ),
    "parent_unit_code": _t(
        "上级内设机构代码", "Code of the parent unit", "يۇقىرى دەرىجىلىك ئىچكى ئاپپارات كودى"
    ),
}

_SPECIFIC: dict[str, dict[str, dict[str, str]]] = {
    "govparts.personnel.Organization": {
        "name": _t("机构名称", "Name of the organisation", "ئورگان نامى"),
        "name_ug": _t("维吾尔文名称", "Name in Uyghur", "ئۇيغۇرچە نامى"),
        "kind": _t(
            "机构类型：机关或事业单位",
            "Kind: government body or public institution",
            "تۈرى: ھۆكۈمەت ئورگىنى ياكى كەسپىي ئورۇن",
        ),
    },
    "govparts.personnel.OrgUnit": {
        "name": _t("内设机构名称", "Name of the unit", "ئىچكى ئاپپارات نامى"),
        "name_ug": _t("维吾尔文名称", "Name in Uyghur", "ئۇيغۇرچە نامى"),
    },
    "govparts.personnel.HistoryEntry": {
        "kind": _t(
            "履历类别：录用、职务、职级、内设机构、借调或离职",
            "Kind: hire, post, rank, unit, secondment or separation",
            "تۈرى: ئىشقا ئېلىش، ۋەزىپە، مەرتىۋە، ئىچكى ئاپپارات، ۋاقىتلىق يۆتكەش ياكى ئايرىلىش",
        ),
    },
    "govparts.personnel.EstablishmentQuota": {
        "quota": _t(
            "该编制类别的编制数（不小于 0）",
            "Number of establishment places in the category (at least 0)",
            "بۇ تۈزۈم تۈرىنىڭ تۈزۈم سانى (0 دىن كىچىك ئەمەس)",
        ),
    },
    "govparts.personnel.HeadcountRow": {
        "unit_code": _t(
            "内设机构代码；为空时是全机构的一行，载有编制数",
            "Code of the unit; empty for the organisation-wide row that carries the quota",
            "ئىچكى ئاپپارات كودى؛ قۇرۇق بولسا تۈزۈم سانى بار پۈتۈن ئورگان قۇرى",
        ),
    },
    "govparts.personnel.events.EmployeeHired": {
        "effective_date": _t("进入本单位时间", "Date of joining the organisation", "ئورۇنغا كىرگەن ۋاقىت"),
        "category": _t("人员类别代码", "Code of the staff category", "خادىم تۈرى كودى"),
        "establishment": _t("编制类别代码", "Code of the establishment category", "تۈزۈم تۈرى كودى"),
    },
    "govparts.personnel.events.EmployeeTransferred": {
        "document": _t("调动文件（调令）", "Transfer order", "يۆتكەش ھۆججىتى"),
    },
    "govparts.personnel.events.EmployeePostChanged": {
        "position_code": _t(
            "新职位代码；为空表示免去职务",
            "Code of the new post; empty when removed from the post",
            "يېڭى ۋەزىپە كودى؛ قۇرۇق بولسا ۋەزىپىدىن ئېلىنغان",
        ),
    },
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "govparts.personnel.Organization": _t(
        "机关或事业单位：统一社会信用代码、三种语言的名称和行政区划",
        "An organisation (a government organ or public institution): credit code, names and division",
        "ئورگان ياكى ئاممىۋى كەسپىي ئورۇن: ئىناۋەت كودى، ئۈچ تىلدىكى نامى ۋە مەمۇرىي رايونى",
    ),
    "govparts.personnel.OrgUnit": _t(
        "内设机构及其在机构树中的位置和生效日期",
        "An internal unit with its place in the tree and its effective dates",
        "ئىچكى ئاپپارات، ئۇنىڭ تەشكىلىي دەرەختىكى ئورنى ۋە كۈچكە ئىگە چېسلالىرى",
    ),
    "govparts.personnel.Position": _t(
        "内设机构中的职位（GB/T 12407-2008 级别）；领导职位只有一人担任",
        "A post in a unit at a GB/T 12407-2008 level; a leadership post has one holder",
        "ئىچكى ئاپپاراتتىكى ۋەزىپە (GB/T 12407-2008 دەرىجىسى)؛ رەھبەرلىك ۋەزىپىسىنى بىر ئادەملا ئۆتەيدۇ",
    ),
    "govparts.personnel.EstablishmentQuota": _t(
        "机构某一编制类别的编制数",
        "The establishment quota of an organisation in one establishment category",
        "ئورگاننىڭ بىر تۈزۈم تۈرىدىكى تۈزۈم سانى",
    ),
    "govparts.personnel.EmployeeRecord": _t(
        "人员信息交换格式（1.0 版）中的一名人员",
        "One employee in the exchange format (version 1.0)",
        "خادىم ئۇچۇرى ئالماشتۇرۇش شەكلىدىكى (1.0 نەشرى) بىر خادىم",
    ),
    "govparts.personnel.EmployeeView": _t(
        "服务返回的人员：信息记录、任职状态和现任职务",
        "An employee as a service returns them: the record, the state and what they hold now",
        "مۇلازىمەت قايتۇرغان خادىم: ئۇچۇر خاتىرىسى، ھالىتى ۋە ھازىر ئۆتەۋاتقان ۋەزىپىسى",
    ),
    "govparts.personnel.HistoryEntry": _t(
        "一条不可更改、注明日期的工作履历：录用、职务、职级、机构、借调或减员",
        "One immutable dated record of work history: hire, post, rank, unit, secondment or separation",
        "ئۆزگەرتىلمەيدىغان، چېسلالىق بىر خىزمەت تەرجىمىھالى: ئىشقا ئېلىنىش، ۋەزىپە، دەرىجە،"
        " ئاپپارات، ۋاقىتلىق يۆتكىلىش ياكى ئايرىلىش",
    ),
    "govparts.personnel.HeadcountRow": _t(
        "某编制类别的编制数和实有人数，或某内设机构在该类别中的实有人数",
        "Quota and occupancy of one establishment category, or the headcount of one unit in a category",
        "بىر تۈزۈم تۈرىنىڭ تۈزۈم سانى ۋە ئەمەلىي ئادەم سانى،"
        " ياكى بىر ئىچكى ئاپپاراتنىڭ شۇ تۈردىكى ئادەم سانى",
    ),
    "govparts.personnel.RetirementDue": _t(
        "在某期间内达到法定退休年龄的人员",
        "A person reaching statutory retirement age in a period",
        "مەلۇم مەزگىلدە قانۇندا بەلگىلەنگەن پىنسىيە يېشىغا توشىدىغان خادىم",
    ),
    "govparts.personnel.events.EmployeeHired": _t(
        "人员已录用、调入或选调到某内设机构；首次参加工作日期决定年休假",
        "A person was hired into a unit; the first employment date drives annual leave",
        "بىر كىشى ئىچكى ئاپپاراتقا ئىشقا ئېلىندى؛ تۇنجى"
        " خىزمەتكە قاتناشقان چېسلا يىللىق دەم ئېلىشنى بەلگىلەيدۇ",
    ),
    "govparts.personnel.events.EmployeeTransferred": _t(
        "人员从一个内设机构调动到另一个内设机构",
        "A person moved from one unit to another",
        "خادىم بىر ئىچكى ئاپپاراتتىن يەنە بىرىگە يۆتكەلدى",
    ),
    "govparts.personnel.events.EmployeePostChanged": _t(
        "人员被任命或免去职务；职位代码为空表示免职",
        "A person was appointed to or removed from a post; no post code means removed",
        "خادىم ۋەزىپىگە تەيىنلەندى ياكى ۋەزىپىدىن ئېلىندى؛ ۋەزىپە كودى بولمىسا ئېلىنغانلىقىنى بىلدۈرىدۇ",
    ),
    "govparts.personnel.events.EmployeeSeparated": _t(
        "人员因辞职、辞退、调出、退休或死亡离开本机构",
        "A person left the organisation by resignation, dismissal, transfer out, retirement or death",
        "خادىم ئىستېپا، ئىشتىن بوشىتىلىش، يۆتكىلىپ كېتىش،"
        " پىنسىيەگە چىقىش ياكى ۋاپات سەۋەبىدىن ئورگاندىن ئايرىلدى",
    ),
    "govparts.personnel.events.OrgUnitChanged": _t(
        "内设机构已设立、更名或撤销",
        "A unit was established, renamed or closed",
        "ئىچكى ئاپپارات قۇرۇلدى، نامى ئۆزگەرتىلدى ياكى ئەمەلدىن قالدۇرۇلدى",
    ),
}
"""What each published model is, in the three languages (``x-i18n.description`` of its schema)."""

TITLES: dict[str, dict[str, Any]] = {
    standard_id: {
        **title,
        "description": _DESCRIPTIONS[standard_id],
        "fields": {**_FIELDS, **_SPECIFIC.get(standard_id, {})},
    }
    for standard_id, title in _MODELS.items()
}
"""Title and field descriptions of each published model, by standard id."""
