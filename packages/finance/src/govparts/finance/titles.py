"""Titles and field descriptions of the finance part's published models in the three languages.

``TITLES`` maps each standard id (the published models, the event payload ``VoucherPosted`` and the
models nested in them: ``ReportLine``, ``TrialBalanceRow``) to its title by locale and, under
``"fields"``, a description of each field by locale. The publication (``govparts spec build``)
writes them into each model's JSON Schema as ``x-i18n``. A field name means the same thing in every
model of the part unless a model's entry in ``_SPECIFIC`` says otherwise.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TITLES"]


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


_MODELS: dict[str, dict[str, str]] = {
    "govparts.finance.VoucherLine": _t("凭证分录", "Voucher line", "بوغالتىرلىق ھۆججىتى قۇرى"),
    "govparts.finance.VoucherDraft": _t("记账凭证草稿", "Voucher draft", "بوغالتىرلىق ھۆججىتى لايىھەسى"),
    "govparts.finance.Voucher": _t("记账凭证", "Voucher", "بوغالتىرلىق ھۆججىتى"),
    "govparts.finance.SubAccount": _t("明细科目", "Sub-account", "تارماق ھېسابات تۈرى"),
    "govparts.finance.TrialBalanceRow": _t(
        "科目余额表行", "Trial balance row", "ھېسابات تۈرى قالدۇق جەدۋىلى قۇرى"
    ),
    "govparts.finance.TrialBalance": _t("科目余额表", "Trial balance", "ھېسابات تۈرى قالدۇق جەدۋىلى"),
    "govparts.finance.ReportLine": _t("报表项目", "Statement line", "دوكلات جەدۋىلى قۇرى"),
    "govparts.finance.BalanceSheet": _t("资产负债表", "Balance sheet", "مۈلۈك-قەرز جەدۋىلى"),
    "govparts.finance.IncomeStatement": _t("收入费用表", "Income statement", "كىرىم-خىراجەت جەدۋىلى"),
    "govparts.finance.BudgetStatement": _t(
        "预算收入支出表", "Budget revenue and expenditure statement", "خامچوت كىرىم-چىقىم جەدۋىلى"
    ),
    "govparts.finance.Reconciliation": _t(
        "本期预算结余与本期盈余差异调节表",
        "Reconciliation of budget surplus and surplus",
        "مەزگىللىك خامچوت ئېشىنچىسى بىلەن مەزگىللىك ئارتۇقچىلىق پەرقىنى تەڭشەش جەدۋىلى",
    ),
    "govparts.finance.Indicator": _t("预算指标", "Budget indicator", "خامچوت كۆرسەتكۈچى"),
    "govparts.finance.IndicatorExecution": _t(
        "预算指标执行情况", "Budget indicator execution", "خامچوت كۆرسەتكۈچىنىڭ ئىجرا ئەھۋالى"
    ),
    "govparts.finance.ReimbursementClaim": _t("报销单", "Reimbursement claim", "چىقىم قايتۇرۇش تالونى"),
    "govparts.finance.Reimbursement": _t("报销", "Reimbursement", "چىقىم قايتۇرۇش"),
    "govparts.finance.VoucherPosted": _t(
        "凭证已记账", "Voucher posted", "بوغالتىرلىق ھۆججىتى ھېساباتقا ئېلىندى"
    ),
}

_MONEY = "（人民币元，两位小数）"
_MONEY_EN = " (CNY, two decimal places)"
_MONEY_UG = " (خەلق پۇلى يۈەن، ئىككى خانىلىق ئونلۇق)"

_FIELDS: dict[str, dict[str, str]] = {
    "account": _t("会计科目代码", "Code of the account", "ھېسابات تۈرى كودى"),
    "side": _t("借贷方向：借方或贷方", "Side: debit or credit", "تەرەپ: دېبىت ياكى كرېدىت"),
    "amount": _t("金额" + _MONEY, "Amount" + _MONEY_EN, "سوممىسى" + _MONEY_UG),
    "summary": _t("摘要", "Summary", "قىسقىچە مەزمۇنى"),
    "unit": _t("辅助核算：部门", "Auxiliary dimension: department", "ياردەمچى ھېسابلاش: بۆلۈم"),
    "project": _t("项目", "Project", "تۈر (پروجېكت)"),
    "func_class": _t(
        "支出功能分类科目代码",
        "Code of the functional classification of expenditure",
        "چىقىمنىڭ ئىقتىدار بويىچە تۈرلىنىش كودى",
    ),
    "econ_class": _t(
        "支出经济分类科目代码",
        "Code of the economic classification of expenditure",
        "چىقىمنىڭ ئىقتىسادىي تۈرلىنىش كودى",
    ),
    "payee": _t("辅助核算：往来单位或个人", "Auxiliary dimension: payee", "ياردەمچى ھېسابلاش: پۇل ئالغۇچى"),
    "fund": _t(
        "资金性质：财政拨款或非财政拨款",
        "Funding: fiscal appropriation or other",
        "مەبلەغ خاراكتېرى: مالىيە ئاجرىتىمى ياكى مالىيەدىن سىرتقى",
    ),
    "org": _t("核算单位", "Accounting organisation", "ھېسابات ئورنى"),
    "date": _t("凭证日期", "Date of the voucher", "بوغالتىرلىق ھۆججىتىنىڭ چېسلاسى"),
    "lines": _t(
        "分录（财务会计与预算会计）",
        "Lines, in financial and budget accounting",
        "قۇرلار (مالىيە بوغالتىرلىقى ۋە خامچوت بوغالتىرلىقى)",
    ),
    "exemption": _t(
        "不做预算会计的理由：代理款项或应缴财政款",
        "Why no budget entry: agency funds or amounts payable to the treasury",
        "خامچوت قۇرى يوقلۇقىنىڭ سەۋەبى: ۋاكالەتەن مەبلەغ ياكى مالىيەگە تاپشۇرۇلىدىغان پۇل",
    ),
    "id": _t("编号", "Identifier", "نومۇرى"),
    "year": _t("会计年度", "Fiscal year", "مالىيە يىلى"),
    "month": _t("会计期间（月）", "Accounting period (month)", "بوغالتىرلىق مەزگىلى (ئاي)"),
    "state": _t("状态", "State", "ھالىتى"),
    "kind": _t(
        "凭证类别：普通、冲销、结转或系统生成",
        "Kind: normal, reversal, closing or generated",
        "تۈرى: ئادەتتىكى، ئەمەلدىن قالدۇرۇش، يىغىنچاقلاش ياكى سىستېما ھاسىل قىلغان",
    ),
    "number": _t(
        "凭证号（按年度连续编号）",
        "Voucher number, consecutive in the year",
        "ھۆججەت نومۇرى (يىل ئىچىدە ئۇلاپ)",
    ),
    "preparer": _t("制单人", "Preparer", "تۈزگۈچى"),
    "reviewer": _t("审核人", "Reviewer", "تەكشۈرگۈچى"),
    "poster": _t("记账人", "Poster", "ھېساباتقا ئالغۇچى"),
    "reverses": _t("被冲销的凭证", "Voucher this one reverses", "بۇ ھۆججەت ئەمەلدىن قالدۇرغان ھۆججەت"),
    "reversed_by": _t(
        "冲销本凭证的凭证", "Voucher that reverses this one", "بۇ ھۆججەتنى ئەمەلدىن قالدۇرغان ھۆججەت"
    ),
    "warnings": _t(
        "警告（例如超指标）",
        "Warnings, for example over the indicator",
        "ئاگاھلاندۇرۇشلار (مەسىلەن كۆرسەتكۈچتىن ئېشىش)",
    ),
    "hash": _t(
        "记账哈希链的哈希值",
        "Hash in the chain of posted vouchers",
        "ھېساباتقا ئېلىنغان ھۆججەتلەر زەنجىرىدىكى خەش قىممىتى",
    ),
    "code": _t("科目代码", "Code of the account", "ھېسابات تۈرى كودى"),
    "parent": _t("上级科目代码", "Code of the parent account", "ئاتا ھېسابات تۈرى كودى"),
    "name": _t("科目名称", "Name of the account", "ھېسابات تۈرى نامى"),
    "opened_on": _t("启用日期", "Opened on", "ئېچىلغان ۋاقتى"),
    "closed_on": _t("停用日期", "Closed on", "تاقالغان ۋاقتى"),
    "system": _t(
        "会计体系：财务会计或预算会计",
        "System: financial or budget accounting",
        "سىستېما: مالىيە بوغالتىرلىقى ياكى خامچوت بوغالتىرلىقى",
    ),
    "opening": _t(
        "期初余额（借方为正）", "Opening balance, debit positive", "دەسلەپكى قالدۇق (دېبىت مۇسبەت)"
    ),
    "debit": _t("本期借方发生额", "Debits of the period", "مەزگىللىك دېبىت سوممىسى"),
    "credit": _t("本期贷方发生额", "Credits of the period", "مەزگىللىك كرېدىت سوممىسى"),
    "closing": _t("期末余额（借方为正）", "Closing balance, debit positive", "ئاخىرقى قالدۇق (دېبىت مۇسبەت)"),
    "rows": _t("各科目的行", "A row per account", "ھەر بىر ھېسابات تۈرىنىڭ قۇرى"),
    "assets": _t("资产项目", "Assets", "مۈلۈك تۈرلىرى"),
    "liabilities": _t("负债项目", "Liabilities", "قەرز تۈرلىرى"),
    "net_assets": _t("净资产项目", "Net assets", "ساپ مۈلۈك تۈرلىرى"),
    "total_assets": _t("资产总计" + _MONEY, "Total assets" + _MONEY_EN, "مۈلۈك جەمئىي" + _MONEY_UG),
    "total_liabilities": _t("负债合计" + _MONEY, "Total liabilities" + _MONEY_EN, "قەرز جەمئىي" + _MONEY_UG),
    "total_net_assets": _t(
        "净资产合计" + _MONEY, "Total net assets" + _MONEY_EN, "ساپ مۈلۈك جەمئىي" + _MONEY_UG
    ),
    "unclosed_surplus": _t(
        "尚未结转的本期盈余" + _MONEY,
        "Surplus not yet carried into net assets" + _MONEY_EN,
        "تېخى ساپ مۈلۈككە يۆتكەلمىگەن مەزگىللىك ئارتۇقچىلىق" + _MONEY_UG,
    ),
    "from_month": _t("起始月份", "First month", "باشلىنىش ئېيى"),
    "revenue": _t("收入项目", "Revenue", "كىرىم تۈرلىرى"),
    "expenses": _t("费用项目", "Expenses", "خىراجەت تۈرلىرى"),
    "expenditure": _t("预算支出项目", "Budget expenditure", "خامچوت چىقىم تۈرلىرى"),
    "total_revenue": _t("收入合计" + _MONEY, "Total revenue" + _MONEY_EN, "كىرىم جەمئىي" + _MONEY_UG),
    "total_expenses": _t("费用合计" + _MONEY, "Total expenses" + _MONEY_EN, "خىراجەت جەمئىي" + _MONEY_UG),
    "total_expenditure": _t(
        "预算支出合计" + _MONEY, "Total budget expenditure" + _MONEY_EN, "خامچوت چىقىمى جەمئىي" + _MONEY_UG
    ),
    "surplus": _t(
        "本期盈余" + _MONEY, "Surplus of the period" + _MONEY_EN, "مەزگىللىك ئارتۇقچىلىق" + _MONEY_UG
    ),
    "budget_surplus": _t(
        "本期预算结余" + _MONEY,
        "Budget surplus of the period" + _MONEY_EN,
        "مەزگىللىك خامچوت ئېشىنچىسى" + _MONEY_UG,
    ),
    "budget_revenue_not_revenue": _t(
        "当期确认为预算收入但没有确认为收入" + _MONEY,
        "Budget revenue not recognised as revenue" + _MONEY_EN,
        "خامچوت كىرىمى دەپ ئېتىراپ قىلىنغان، ئەمما كىرىم دەپ ئېتىراپ قىلىنمىغان" + _MONEY_UG,
    ),
    "budget_expenditure_not_expense": _t(
        "当期确认为预算支出但没有确认为费用" + _MONEY,
        "Budget expenditure not recognised as expense" + _MONEY_EN,
        "خامچوت چىقىمى دەپ ئېتىراپ قىلىنغان، ئەمما خىراجەت دەپ ئېتىراپ قىلىنمىغان" + _MONEY_UG,
    ),
    "revenue_not_budget_revenue": _t(
        "当期确认为收入但没有确认为预算收入" + _MONEY,
        "Revenue not recognised as budget revenue" + _MONEY_EN,
        "كىرىم دەپ ئېتىراپ قىلىنغان، ئەمما خامچوت كىرىمى دەپ ئېتىراپ قىلىنمىغان" + _MONEY_UG,
    ),
    "expense_not_budget_expenditure": _t(
        "当期确认为费用但没有确认为预算支出" + _MONEY,
        "Expense not recognised as budget expenditure" + _MONEY_EN,
        "خىراجەت دەپ ئېتىراپ قىلىنغان، ئەمما خامچوت چىقىمى دەپ ئېتىراپ قىلىنمىغان" + _MONEY_UG,
    ),
    "control": _t(
        "超指标时的控制方式：禁止或警告",
        "Control when over the indicator: stop or warn",
        "كۆرسەتكۈچتىن ئاشقاندا كونترول قىلىش ئۇسۇلى: توسۇش ياكى ئاگاھلاندۇرۇش",
    ),
    "indicator": _t("预算指标", "The budget indicator", "خامچوت كۆرسەتكۈچى"),
    "posted": _t(
        "已记账支出" + _MONEY, "Expenditure posted" + _MONEY_EN, "ھېساباتقا ئېلىنغان چىقىم" + _MONEY_UG
    ),
    "committed": _t(
        "已审批未支付" + _MONEY,
        "Committed, not yet paid" + _MONEY_EN,
        "تەستىقلانغان، تېخى تۆلەنمىگەن" + _MONEY_UG,
    ),
    "available": _t(
        "可用余额" + _MONEY, "Still available" + _MONEY_EN, "ئىشلىتىشكە بولىدىغان قالدۇق" + _MONEY_UG
    ),
    "claimant": _t("报销人", "Claimant", "چىقىم قايتۇرۇشنى ئىلتىماس قىلغۇچى"),
    "purpose": _t("用途", "Purpose", "ئىشلىتىلىشى"),
    "expense_account": _t("费用科目代码", "Code of the expense account", "خىراجەت ھېسابات تۈرى كودى"),
    "budget_account": _t(
        "预算支出科目代码", "Code of the budget expenditure account", "خامچوت چىقىم ھېسابات تۈرى كودى"
    ),
    "paying_account": _t("付款科目代码", "Code of the paying account", "تۆلەش ھېسابات تۈرى كودى"),
    "claim": _t("报销单", "The claim", "چىقىم قايتۇرۇش تالونى"),
    "voucher_id": _t("凭证编号", "Identifier of the voucher", "بوغالتىرلىق ھۆججىتىنىڭ نومۇرى"),
}

_SPECIFIC: dict[str, dict[str, dict[str, str]]] = {
    "govparts.finance.Voucher": {
        "state": _t(
            "凭证状态：草稿、已审核或已记账",
            "State: draft, reviewed or posted",
            "ھالىتى: لايىھە، تەكشۈرۈلگەن ياكى ھېساباتقا ئېلىنغان",
        ),
        "id": _t("凭证编号", "Identifier of the voucher", "بوغالتىرلىق ھۆججىتىنىڭ نومۇرى"),
    },
    "govparts.finance.Reimbursement": {
        "state": _t(
            "报销状态：已提交、已审核、已批准或已支付",
            "State: submitted, reviewed, approved or paid",
            "ھالىتى: سۇنۇلغان، تەكشۈرۈلگەن، تەستىقلانغان ياكى تۆلەنگەن",
        ),
        "id": _t("报销编号", "Identifier of the reimbursement", "چىقىم قايتۇرۇش نومۇرى"),
        "voucher_id": _t("付款凭证编号", "Identifier of the payment voucher", "تۆلەش ھۆججىتىنىڭ نومۇرى"),
    },
    "govparts.finance.ReimbursementClaim": {
        "date": _t("报销日期", "Date of the claim", "ئىلتىماس چېسلاسى"),
        "project": _t("预算项目", "Budget project", "خامچوت تۈرى (پروجېكت)"),
    },
    "govparts.finance.ReportLine": {
        "amount": _t(
            "金额（按科目的正常余额方向）" + _MONEY,
            "Amount on the account's normal side" + _MONEY_EN,
            "ھېسابات تۈرىنىڭ نورمال تەرىپىدىكى سومما" + _MONEY_UG,
        ),
    },
    "govparts.finance.Indicator": {
        "amount": _t(
            "指标金额" + _MONEY, "Amount of the indicator" + _MONEY_EN, "كۆرسەتكۈچ سوممىسى" + _MONEY_UG
        ),
        "project": _t("预算项目", "Budget project", "خامچوت تۈرى (پروجېكت)"),
    },
    "govparts.finance.VoucherPosted": {
        "kind": _t(
            "凭证类别：普通、冲销、结转或系统生成",
            "Kind of voucher: normal, reversal, closing or generated",
            "ھۆججەت تۈرى: ئادەتتىكى، ئەمەلدىن قالدۇرۇش، يىغىنچاقلاش ياكى سىستېما ھاسىل قىلغان",
        ),
    },
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "govparts.finance.VoucherLine": _t(
        "凭证的一条分录：科目、借贷方向、金额和辅助核算项",
        "One line of a voucher: account, side, amount and the auxiliary dimensions",
        "بوغالتىرلىق ھۆججىتىنىڭ بىر قۇرى: ھېسابات تۈرى، تەرەپ، سومما ۋە ياردەمچى ھېسابات تۈرلىرى",
    ),
    "govparts.finance.VoucherDraft": _t(
        "制单人录入的凭证：一个单位、注明日期、含财务会计和预算会计两套分录",
        "What a preparer enters: a dated voucher of one organisation, with lines in both systems",
        "ھۆججەت تۈزگۈچى كىرگۈزگەن ھۆججەت: بىر ئورۇننىڭ، چېسلالىق، ئىككى سىستېمىدىكى قۇرلىرى بىلەن",
    ),
    "govparts.finance.Voucher": _t(
        "已保存的记账凭证：草稿、已审核或已记账；已记账的带凭证号和哈希值",
        "A voucher as stored: draft, reviewed or posted; posted ones carry their number and hash",
        "ساقلانغان بوغالتىرلىق ھۆججىتى: لايىھە، تەكشۈرۈلگەن ياكى ھېساباتقا ئېلىنغان؛"
        " ھېساباتقا ئېلىنغانلىرىدا نومۇر ۋە خەش قىممىتى بار",
    ),
    "govparts.finance.SubAccount": _t(
        "单位在标准科目下设置的明细科目，含启用和停用日期",
        "An organisation's sub-account below a standard account, with its open and close dates",
        "ئورۇننىڭ ئۆلچەملىك ھېسابات تۈرى ئاستىدىكى تارماق ھېسابات تۈرى، ئېچىلىش ۋە تاقىلىش چېسلاسى بىلەن",
    ),
    "govparts.finance.TrialBalanceRow": _t(
        "科目余额表中的一个科目；余额带符号，借方为正",
        "One account of the trial balance; balances are signed, debit positive",
        "ھېسابات تۈرى قالدۇق جەدۋىلىدىكى بىر ھېسابات تۈرى؛ قالدۇق بەلگىلىك، دېبىت مۇسبەت",
    ),
    "govparts.finance.TrialBalance": _t(
        "一个单位一个期间的科目余额表，含财务会计和预算会计",
        "The trial balance of one organisation and period, in both accounting systems",
        "بىر ئورۇننىڭ بىر مەزگىللىك ھېسابات تۈرى قالدۇق جەدۋىلى، ئىككى بوغالتىرلىق سىستېمىسى بويىچە",
    ),
    "govparts.finance.ReportLine": _t(
        "报表中的一个科目及其金额（按科目的正常余额方向列示）",
        "An account and its amount on a statement, shown on the account's normal side",
        "دوكلات جەدۋىلىدىكى بىر ھېسابات تۈرى ۋە سوممىسى (ھېسابات تۈرىنىڭ نورمال تەرىپىدە كۆرسىتىلىدۇ)",
    ),
    "govparts.finance.BalanceSheet": _t(
        "期末资产负债表：资产等于负债加净资产（含未结转的盈余）",
        "The balance sheet at the end of a period: assets equal liabilities plus net assets",
        "مەزگىل ئاخىرىدىكى مۈلۈك-قەرز جەدۋىلى: مۈلۈك قەرز بىلەن ساپ مۈلۈكنىڭ يىغىندىسىغا تەڭ",
    ),
    "govparts.finance.IncomeStatement": _t(
        "一年中若干月份的收入费用表（不含结转分录）",
        "The income statement for months of one year, closing entries excluded",
        "بىر يىلدىكى بىرنەچچە ئاينىڭ كىرىم-خىراجەت جەدۋىلى (يىغىنچاقلاش قۇرلىرى ھېسابقا ئېلىنمايدۇ)",
    ),
    "govparts.finance.BudgetStatement": _t(
        "一年中若干月份的预算收入支出表（不含结转分录）",
        "The budget revenue and expenditure statement for months of one year, closing entries excluded",
        "بىر يىلدىكى بىرنەچچە ئاينىڭ خامچوت كىرىم-چىقىم جەدۋىلى (يىغىنچاقلاش قۇرلىرى ھېسابقا ئېلىنمايدۇ)",
    ),
    "govparts.finance.Reconciliation": _t(
        "本期预算结余与本期盈余差异调节表（基本格式）",
        "Reconciliation of the period's budget surplus with its accrual surplus (basic form)",
        "مەزگىللىك خامچوت ئېشىنچىسى بىلەن مەزگىللىك ئارتۇقچىلىق پەرقىنى تەڭشەش جەدۋىلى (ئاساسىي شەكلى)",
    ),
    "govparts.finance.Indicator": _t(
        "预算指标：某年度某项目、某经济分类的金额",
        "A budget indicator: an amount for a project and economic class in a year",
        "خامچوت كۆرسەتكۈچى: بىر يىلدا بىر تۈر ۋە ئىقتىسادىي تۈرگە بېرىلگەن سومما",
    ),
    "govparts.finance.IndicatorExecution": _t(
        "一项预算指标的执行情况：已记账支出、未支付的承诺和可用余额",
        "Execution of one indicator: posted expenditure, open commitments and what is left",
        "بىر كۆرسەتكۈچنىڭ ئىجرا ئەھۋالى: ھېساباتقا ئېلىنغان چىقىم، تۆلەنمىگەن ۋەدە ۋە قالغان سومما",
    ),
    "govparts.finance.ReimbursementClaim": _t(
        "报销单：谁花了什么钱，列入哪个费用科目和预算指标",
        "A reimbursement claim: who spent what, charged to which expense and indicator",
        "چىقىم قايتۇرۇش تالونى: كىم نېمىگە پۇل خەجلىگەن، قايسى خىراجەت تۈرى ۋە كۆرسەتكۈچكە كىرگۈزۈلىدۇ",
    ),
    "govparts.finance.Reimbursement": _t(
        "报销单及其所处环节（已提交、已审核、已审批、已支付）",
        "A claim and where it stands: submitted, reviewed, approved or paid",
        "چىقىم قايتۇرۇش تالونى ۋە ئۇنىڭ ھالىتى: سۇنۇلغان، تەكشۈرۈلگەن، تەستىقلانغان ياكى تۆلەنگەن",
    ),
    "govparts.finance.VoucherPosted": _t(
        "凭证已记账事件的内容",
        "Payload of the event: a voucher was posted",
        "ھادىسە مەزمۇنى: بوغالتىرلىق ھۆججىتى ھېساباتقا ئېلىندى",
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
