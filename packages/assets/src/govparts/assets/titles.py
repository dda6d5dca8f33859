"""Titles and field descriptions of the assets part's published models in the three languages.

``TITLES`` maps each standard id (the published models, the event payloads and ``AccountTotal``,
which they nest) to its title by locale and, under ``"fields"``, a description of each field by
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
    "govparts.assets.AssetCardIn": _t(
        "资产购置申请", "Asset acquisition request", "مۈلۈك سېتىۋېلىش ئىلتىماسى"
    ),
    "govparts.assets.AssetCard": _t("资产卡片", "Asset card", "مۈلۈك كارتىسى"),
    "govparts.assets.AssetRegistered": _t("资产已入账", "Asset registered", "مۈلۈك ھېساباتقا ئېلىندى"),
    "govparts.assets.AccountTotal": _t(
        "按科目汇总的折旧", "Depreciation by account pair", "ھېسابات تۈرى بويىچە كونىراش جەمئىي"
    ),
    "govparts.assets.AssetDepreciated": _t(
        "资产已计提折旧", "Assets depreciated", "مۈلۈك كونىراش ھېسابلاندى"
    ),
    "govparts.assets.AssetDisposed": _t("资产已处置", "Asset disposed", "مۈلۈك بىر تەرەپ قىلىندى"),
    "govparts.assets.DepreciationRun": _t(
        "月度折旧计提", "Monthly depreciation run", "ئايلىق كونىراش ھېسابلاش"
    ),
    "govparts.assets.UsageEntry": _t("工作量记录", "Usage entry", "خىزمەت مىقدارى خاتىرىسى"),
    "govparts.assets.ReturnTask": _t("资产交回任务", "Asset return task", "مۈلۈكنى قايتۇرۇش ۋەزىپىسى"),
    "govparts.assets.RegisterLine": _t("资产登记簿行", "Asset register line", "مۈلۈك تىزىملىكى قۇرى"),
    "govparts.assets.StockTake": _t("资产清查盘点", "Stock-take", "مۈلۈك ساناش"),
    "govparts.assets.BookBalance": _t("账面科目余额", "Book balance", "ھېسابات دەپتىرىدىكى قالدۇق"),
    "govparts.assets.Finding": _t("盘点差异", "Stock-take finding", "ساناقتا بايقالغان پەرق"),
    "govparts.assets.MonthTotal": _t("月度折旧合计", "Monthly depreciation total", "ئايلىق كونىراش جەمئىي"),
}

_MONEY = "（人民币元，两位小数）"
_MONEY_EN = " (CNY, two decimal places)"
_MONEY_UG = " (خەلق پۇلى يۈەن، ئىككى خانىلىق ئونلۇق)"

_FIELDS: dict[str, dict[str, str]] = {
    "asset_code": _t("资产编号（卡片号）", "Asset code (card number)", "مۈلۈك نومۇرى (كارتا نومۇرى)"),
    "organization_credit_code": _t(
        "所属机构的统一社会信用代码（GB 32100-2015）",
        "Unified social credit code of the organisation (GB 32100-2015)",
        "تەۋە ئورگاننىڭ بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى (GB 32100-2015)",
    ),
    "category": _t(
        "资产分类（GB/T 14885-2010）",
        "Asset category (GB/T 14885-2010)",
        "مۈلۈك تۈرى (GB/T 14885-2010)",
    ),
    "name": _t("资产名称", "Name of the asset", "مۈلۈك نامى"),
    "specification": _t("规格型号", "Specification and model", "ئۆلچىمى ۋە تىپى"),
    "quantity": _t("数量", "Quantity", "سانى"),
    "unit_of_measure": _t("计量单位", "Unit of measure", "ئۆلچەش بىرلىكى"),
    "original_value": _t("原值" + _MONEY, "Original value" + _MONEY_EN, "ئەسلى قىممىتى" + _MONEY_UG),
    "acquisition_date": _t("取得日期", "Date of acquisition", "ئېرىشكەن ۋاقتى"),
    "acquisition_method": _t("取得方式", "Method of acquisition", "ئېرىشىش ئۇسۇلى"),
    "funding_source": _t("资金来源", "Funding source", "مەبلەغ مەنبەسى"),
    "paying_account": _t("付款账户或科目", "Paying account", "تۆلەش ھېساباتى"),
    "using_unit": _t("使用部门", "Unit using the asset", "ئىشلىتىدىغان بۆلۈم"),
    "location": _t("存放地点", "Location", "ساقلىنىدىغان ئورنى"),
    "useful_life_months": _t("使用年限（月）", "Useful life in months", "ئىشلىتىش مۆھلىتى (ئاي)"),
    "depreciation_method": _t(
        "折旧方法：年限平均法或工作量法",
        "Depreciation method: straight line or units of work",
        "كونىراش ئۇسۇلى: ۋاقىت بويىچە تەكشى ياكى خىزمەت مىقدارى بويىچە",
    ),
    "total_units": _t(
        "预计总工作量（工作量法）",
        "Work expected over the asset's life (units of work)",
        "مۆلچەرلەنگەن ئومۇمىي خىزمەت مىقدارى (خىزمەت مىقدارى ئۇسۇلى)",
    ),
    "measured_at_nominal": _t(
        "是否以名义金额计量（不计提折旧）",
        "Recorded at a nominal amount, never depreciated",
        "نامىنال سومما بىلەن ھېسابلانغانمۇ (كونىراش ھېسابلانمايدۇ)",
    ),
    "non_depreciable": _t(
        "是否不计提折旧（例如动植物）",
        "Not depreciated, for example animals and plants",
        "كونىراش ھېسابلانمامدۇ (مەسىلەن ھايۋان ۋە ئۆسۈملۈك)",
    ),
    "expense_account": _t(
        "折旧费用科目代码", "Code of the depreciation expense account", "كونىراش خىراجىتى ھېسابات تۈرى كودى"
    ),
    "attachments": _t(
        "附件（发票、验收单等）",
        "Attachments (invoice, acceptance record …)",
        "قوشۇمچە ھۆججەتلەر (تالون، قوبۇل قىلىش خاتىرىسى …)",
    ),
    "id": _t("编号", "Identifier", "نومۇرى"),
    "state": _t("状态", "State", "ھالىتى"),
    "version": _t(
        "版本号（每次变更加一）",
        "Version, raised by one at each change",
        "نەشر نومۇرى (ھەر قېتىم ئۆزگەرگەندە بىرگە ئاشىدۇ)",
    ),
    "book_value": _t(
        "账面原值（含资本化改良、重估和部分处置）" + _MONEY,
        "Cost after capitalised repairs, revaluations and partial disposals" + _MONEY_EN,
        "دەپتەردىكى قىممىتى (كاپىتاللاشقان رېمونت، قايتا باھالاش ۋە قىسمەن بىر تەرەپ قىلىشتىن كېيىن)"
        + _MONEY_UG,
    ),
    "in_service": _t("投入使用日期", "Date put into service", "ئىشلىتىشكە كىرگۈزۈلگەن ۋاقتى"),
    "custodian": _t("保管人", "Custodian", "ساقلىغۇچى"),
    "depreciable": _t("是否计提折旧", "Whether the asset is depreciated", "كونىراش ھېسابلىنامدۇ"),
    "accumulated_account": _t(
        "累计折旧（摊销）科目代码",
        "Code of the accumulated depreciation (amortisation) account",
        "يىغىلغان كونىراش (ئامورتىزاتسىيە) ھېسابات تۈرى كودى",
    ),
    "asset_id": _t("资产标识", "Identifier of the asset", "مۈلۈك بەلگىسى"),
    "debit_account": _t(
        "借方费用科目代码", "Code of the expense account debited", "دېبىتلىنىدىغان خىراجەت ھېسابات تۈرى كودى"
    ),
    "credit_account": _t(
        "贷方累计折旧科目代码",
        "Code of the accumulated depreciation account credited",
        "كرېدىتلىنىدىغان يىغىلغان كونىراش ھېسابات تۈرى كودى",
    ),
    "amount": _t("折旧额" + _MONEY, "Depreciation" + _MONEY_EN, "كونىراش سوممىسى" + _MONEY_UG),
    "year": _t("年度", "Year", "يىل"),
    "month": _t("月份", "Month", "ئاي"),
    "asset_count": _t("计提折旧的资产数", "Assets depreciated", "كونىراش ھېسابلانغان مۈلۈك سانى"),
    "total": _t("折旧合计" + _MONEY, "Total depreciation" + _MONEY_EN, "كونىراش جەمئىي" + _MONEY_UG),
    "totals": _t("按科目汇总的折旧", "Depreciation by account pair", "ھېسابات تۈرى بويىچە كونىراش جەمئىي"),
    "method": _t("处置方式", "Method of disposal", "بىر تەرەپ قىلىش ئۇسۇلى"),
    "on": _t("处置日期", "Date of disposal", "بىر تەرەپ قىلىنغان ۋاقتى"),
    "accumulated_depreciation": _t(
        "已计提的累计折旧" + _MONEY,
        "Accumulated depreciation charged" + _MONEY_EN,
        "ھېسابلانغان يىغىلغان كونىراش" + _MONEY_UG,
    ),
    "opening_accumulated_depreciation": _t(
        "期初累计折旧：迁入本系统前已计提的折旧（摊销）" + _MONEY,
        "Opening accumulated depreciation: charged before the asset came into this system" + _MONEY_EN,
        "دەسلەپكى يىغىلغان كونىراش: بۇ سىستېمىغا كىرىشتىن بۇرۇن ھېسابلانغان كونىراش" + _MONEY_UG,
    ),
    "partial": _t("是否部分处置", "Whether only part of the asset left", "قىسمەن بىر تەرەپ قىلىنغانمۇ"),
    "approver_role": _t("审批人角色", "Role of the approver", "تەستىقلىغۇچىنىڭ رولى"),
    "asset_account": _t(
        "贷记原值的资产科目代码（1601、1701 …）",
        "Code of the asset account credited with the original value (1601, 1701 …)",
        "ئەسلى قىممىتى كرېدىتلىنىدىغان مۈلۈك ھېسابات تۈرى كودى (1601، 1701 …)",
    ),
    "created": _t(
        "是否本次计提（重复计提时为否）",
        "Whether this run charged the month (false when repeated)",
        "بۇ قېتىم ھېسابلاندىمۇ (قايتىلانغاندا ياق)",
    ),
    "without_usage": _t(
        "应计提但未记录工作量的资产",
        "Units-of-work assets due but without usage recorded",
        "ھېسابلىنىشى كېرەك بولغان، ئەمما خىزمەت مىقدارى خاتىرىلەنمىگەن مۈلۈكلەر",
    ),
    "units": _t("当月工作量", "Units of work done in the month", "ئايلىق خىزمەت مىقدارى"),
    "person_id": _t("人员编号", "Person number", "خادىم نومۇرى"),
    "reason": _t("原因", "Reason", "سەۋەبى"),
    "status": _t("处理状态", "Status", "بىر تەرەپ قىلىنىش ھالىتى"),
    "key": _t(
        "分组键（分类、部门或保管人）",
        "Group: category, unit or custodian",
        "گۇرۇپپا: تۈر، بۆلۈم ياكى ساقلىغۇچى",
    ),
    "count": _t("资产数", "Number of assets", "مۈلۈك سانى"),
    "counted": _t("已扫描的资产编号数", "Distinct asset codes scanned", "سكاننېرلانغان مۈلۈك نومۇرى سانى"),
    "account": _t("会计科目代码", "Code of the account", "ھېسابات تۈرى كودى"),
    "balance": _t("账面余额" + _MONEY, "Balance in the books" + _MONEY_EN, "دەپتەردىكى قالدۇق" + _MONEY_UG),
    "as_of": _t("读取账簿的日期", "Day the books were read at", "ھېسابات دەپتىرى ئوقۇلغان كۈن"),
    "kind": _t(
        "差异类别：盘亏、盘盈、地点不符或账实不符",
        "Kind: loss, surplus, wrong location or book difference",
        "تۈرى: كەم چىقىش، ئارتۇق چىقىش، ئورنى ماس كەلمەسلىك ياكى دەپتەر پەرقى",
    ),
    "book_location": _t("账面存放地点", "Location in the books", "دەپتەردىكى ئورنى"),
    "counted_location": _t("实际盘点地点", "Location where it was counted", "سانالغان ئورنى"),
    "card_total": _t("卡片合计" + _MONEY, "Total of the cards" + _MONEY_EN, "كارتىلار جەمئىي" + _MONEY_UG),
    "ledger_balance": _t(
        "总账余额" + _MONEY, "Balance of the ledger" + _MONEY_EN, "ئومۇمىي دەپتەر قالدۇقى" + _MONEY_UG
    ),
    "adjusted_by": _t(
        "由哪个部件调账：资产或财务",
        "Part that adjusts: assets or finance",
        "تەڭشەيدىغان قىسىم: مۈلۈك ياكى مالىيە",
    ),
}

_SPECIFIC: dict[str, dict[str, dict[str, str]]] = {
    "govparts.assets.AssetCard": {
        "id": _t("资产标识", "Identifier of the asset", "مۈلۈك بەلگىسى"),
        "state": _t(
            "资产状态：已申请、已批准、已验收、在库、在用、已处置等",
            "State: requested, approved, accepted, in stock, in use, disposed …",
            "ھالىتى: ئىلتىماس قىلىندى، تەستىقلاندى، قوبۇل قىلىندى، ئامباردا، ئىشلىتىلىۋاتىدۇ،"
            " بىر تەرەپ قىلىندى …",
        ),
    },
    "govparts.assets.StockTake": {
        "id": _t("盘点标识", "Identifier of the stock-take", "ساناش بەلگىسى"),
        "name": _t("盘点名称", "Name of the stock-take", "ساناش نامى"),
        "location": _t("盘点范围（地点）", "Location counted", "سانىلىدىغان ئورۇن"),
        "state": _t(
            "盘点状态：已计划、盘点中、已核对或已结束",
            "State: planned, counting, reconciled or closed",
            "ھالىتى: پىلانلاندى، سانىلىۋاتىدۇ، سېلىشتۇرۇلدى ياكى ئاخىرلاشتى",
        ),
    },
    "govparts.assets.Finding": {
        "book_value": _t("账面价值" + _MONEY, "Book value" + _MONEY_EN, "دەپتەردىكى قىممىتى" + _MONEY_UG),
        "status": _t(
            "处理状态：待处理或已批准",
            "Status: open or approved",
            "ھالىتى: بىر تەرەپ قىلىنمىغان ياكى تەستىقلانغان",
        ),
    },
    "govparts.assets.ReturnTask": {
        "reason": _t(
            "交回原因（例如离职）",
            "Why the asset goes back, for example a separation",
            "قايتۇرۇش سەۋەبى (مەسىلەن خىزمەتتىن ئايرىلىش)",
        ),
        "status": _t(
            "任务状态：待办或已完成", "Status: open or done", "ھالىتى: ئورۇندىلىدىغان ياكى تاماملانغان"
        ),
    },
    "govparts.assets.AssetDisposed": {
        "original_value": _t(
            "转出的原值（全部或处置部分）" + _MONEY,
            "Original value that left, whole or the disposed part" + _MONEY_EN,
            "چىقىرىلغان ئەسلى قىممىتى (ھەممىسى ياكى بىر تەرەپ قىلىنغان قىسمى)" + _MONEY_UG,
        ),
        "accumulated_account": _t(
            "借记累计折旧的科目代码（1602、1702 …）",
            "Code of the account debited with the accumulated depreciation (1602, 1702 …)",
            "يىغىلغان كونىراش دېبىتلىنىدىغان ھېسابات تۈرى كودى (1602، 1702 …)",
        ),
    },
    "govparts.assets.RegisterLine": {
        "original_value": _t(
            "原值合计" + _MONEY, "Total original value" + _MONEY_EN, "ئەسلى قىممەت جەمئىي" + _MONEY_UG
        ),
    },
    "govparts.assets.MonthTotal": {
        "total": _t(
            "当月折旧合计" + _MONEY,
            "Depreciation charged in the month" + _MONEY_EN,
            "شۇ ئايدىكى كونىراش جەمئىي" + _MONEY_UG,
        ),
    },
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "govparts.assets.AssetCardIn": _t(
        "购置资产申请所载内容（将成为资产卡片）",
        "What a request to acquire an asset carries (the asset card to be)",
        "مۈلۈك سېتىۋېلىش ئىلتىماسىدىكى مەزمۇن (كېيىن مۈلۈك كارتىسى بولىدۇ)",
    ),
    "govparts.assets.AssetCard": _t(
        "服务返回的资产卡片：购置申请及资产当前所处的状态",
        "An asset card as the service returns it: the request plus where the asset stands",
        "مۇلازىمەت قايتۇرغان مۈلۈك كارتىسى: ئىلتىماس ۋە مۈلۈكنىڭ ھازىرقى ھالىتى",
    ),
    "govparts.assets.AssetRegistered": _t(
        "资产已入账事件的内容",
        "Payload of the event: an asset was recorded in the books",
        "ھادىسە مەزمۇنى: مۈلۈك ھېساباتقا ئېلىندى",
    ),
    "govparts.assets.AccountTotal": _t(
        "一个月内一组科目（借记费用、贷记累计折旧）的折旧额",
        "Depreciation of one month for one pair of accounts (debit expense, credit accumulated depreciation)",
        "بىر ئايدا بىر جۈپ ھېسابات تۈرىنىڭ كونىراش سوممىسى (خىراجەتكە دېبىت، جۇغلانما كونىراشقا كرېدىت)",
    ),
    "govparts.assets.AssetDepreciated": _t(
        "资产已计提折旧事件的内容：一个单位的月度计提",
        "Payload of the event: an organisation's monthly depreciation run",
        "ھادىسە مەزمۇنى: بىر ئورۇننىڭ ئايلىق كونىراش ھېسابلىشى",
    ),
    "govparts.assets.AssetDisposed": _t(
        "资产已处置事件的内容：资产（或其一部分）已核销出账",
        "Payload of the event: an asset, or part of it, left the books",
        "ھادىسە مەزمۇنى: مۈلۈك ياكى ئۇنىڭ بىر قىسمى ھېساباتتىن چىقىرىلدى",
    ),
    "govparts.assets.DepreciationRun": _t(
        "一次月度折旧计提的结果（重复计提时为先前的结果）",
        "What a monthly depreciation run did, or had done when repeated",
        "ئايلىق كونىراش ھېسابلاشنىڭ نەتىجىسى (قايتا ئىجرا قىلىنسا ئىلگىرىكى نەتىجە)",
    ),
    "govparts.assets.UsageEntry": _t(
        "资产一个月内完成的工作量（工作量法）",
        "Units of work an asset did in one month (units-of-production method)",
        "مۈلۈكنىڭ بىر ئايدا قىلغان خىزمەت مىقدارى (خىزمەت مىقدارى ئۇسۇلى)",
    ),
    "govparts.assets.ReturnTask": _t(
        "人员离开时生成的资产交回任务",
        "A task to take an asset back from a person, raised when they leave",
        "خادىم ئايرىلغاندا قوزغىلىدىغان مۈلۈكنى قايتۇرۇۋېلىش ۋەزىپىسى",
    ),
    "govparts.assets.RegisterLine": _t(
        "按类别、使用部门或保管人分组的资产登记簿中的一行",
        "One line of the asset register grouped by category, unit or custodian",
        "تۈر، ئىشلەتكۈچى بۆلۈم ياكى ساقلىغۇچى بويىچە گۇرۇپپىلانغان مۈلۈك تىزىملىكىدىكى بىر قۇر",
    ),
    "govparts.assets.StockTake": _t(
        "一次资产清查盘点及其进展",
        "A stock-take and where it stands",
        "بىر قېتىملىق مۈلۈك ساناقى ۋە ئۇنىڭ ھازىرقى ھالىتى",
    ),
    "govparts.assets.BookBalance": _t(
        "账簿中一个会计科目的余额，用于与资产卡片核对",
        "The balance of one ledger account as the books hold it, to reconcile the cards with",
        "ھېسابات دەپتىرىدىكى بىر ھېسابات تۈرىنىڭ قالدۇقى، مۈلۈك كارتىلىرى بىلەن سېلىشتۇرۇش ئۈچۈن",
    ),
    "govparts.assets.Finding": _t(
        "清查盘点发现的一项差异（盘盈或盘亏）",
        "A discrepancy a stock-take found (a surplus or a loss)",
        "ساناقتا بايقالغان بىر پەرق (ئارتۇق ياكى كەم)",
    ),
    "govparts.assets.MonthTotal": _t(
        "一个月计提的折旧合计",
        "Depreciation charged in one month",
        "بىر ئايدا ھېسابلانغان كونىراش جەمئىيى",
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
"""Title and field descriptions of each published model (and of the models nested in them)."""
