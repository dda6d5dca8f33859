"""The asset life cycle as a :class:`~govparts.core.process.ProcessSpec` (data)."""

from __future__ import annotations

from govparts.core.process import (
    GuardRule,
    LocalizedText,
    ProcessSpec,
    Role,
    SeparationOfDuties,
    State,
    Transition,
)

__all__ = ["ASSET_LIFECYCLE", "PROCESSES", "STOCKTAKE"]

REGISTERED = "cn.govparts.assets.asset.registered.v1"
DISPOSED = "cn.govparts.assets.asset.disposed.v1"


def _t(zh: str, en: str, ug: str) -> LocalizedText:
    return LocalizedText(zh_Hans_CN=zh, en=en, ug_CN=ug)


ASSET_LIFECYCLE = ProcessSpec(
    id="assets.asset_lifecycle",
    version="1.0",
    title=_t("资产全生命周期", "Asset life cycle", "مۈلۈكنىڭ پۈتۈن ھايات دەۋرى"),
    entity="asset",
    roles=(
        Role(id="requester", label=_t("使用部门", "Requesting unit", "ئىشلەتكۈچى بۆلۈم")),
        Role(id="approver", label=_t("资产管理部门负责人", "Asset manager", "مۈلۈك باشقۇرۇش مەسئۇلى")),
        Role(id="keeper", label=_t("资产管理员", "Asset keeper", "مۈلۈك باشقۇرغۇچى")),
        Role(id="accountant", label=_t("财务会计", "Accountant", "مالىيە بوغالتىرى")),
        Role(id="department_approver", label=_t("主管部门", "Supervising department", "باش تارماق")),
        Role(id="asset_authority", label=_t("资产管理机关", "Asset authority", "مۈلۈك باشقۇرۇش ئورگىنى")),
    ),
    guards=(
        GuardRule(
            id="custodian_matches",
            description=_t(
                "“交出人”必须是资产当前的保管人",
                "The 'from' custodian must be the asset's current custodian",
                "«تاپشۇرغۇچى» مۈلۈكنىڭ ھازىرقى ساقلىغۇچىسى بولۇشى كېرەك",
            ),
        ),
        GuardRule(
            id="disposal_tier",
            description=_t(
                "处置由原值所在档次规定的机关审批",
                "A disposal is approved by the authority of its original-value tier",
                "بىر تەرەپ قىلىشنى ئەسلى قىممەت دەرىجىسىدە بېكىتىلگەن ئورگان تەستىقلايدۇ",
            ),
        ),
    ),
    states=(
        State(id="requested", label=_t("已申请", "Requested", "ئىلتىماس قىلىندى")),
        State(id="approved", label=_t("已批准", "Approved", "تەستىقلاندى")),
        State(id="accepted", label=_t("已验收", "Accepted", "تەكشۈرۈپ قوبۇل قىلىندى")),
        State(id="in_stock", label=_t("在库", "In stock", "ئامباردا")),
        State(id="in_use", label=_t("在用", "In use", "ئىشلىتىلىۋاتىدۇ")),
        State(
            id="disposal_requested",
            label=_t("待处置", "Disposal requested", "بىر تەرەپ قىلىش ئىلتىماس قىلىندى"),
        ),
        State(id="disposed", label=_t("已处置", "Disposed", "بىر تەرەپ قىلىندى"), terminal=True),
        State(id="rejected", label=_t("已驳回", "Rejected", "رەت قىلىندى"), terminal=True),
    ),
    initial="requested",
    transitions=(
        Transition(
            name="approve",
            label=_t("批准购置", "Approve the acquisition", "سېتىۋېلىشنى تەستىقلاش"),
            source=("requested",),
            target="approved",
            roles=("approver",),
        ),
        Transition(
            name="reject",
            label=_t("驳回申请", "Reject the request", "ئىلتىماسنى رەت قىلىش"),
            source=("requested",),
            target="rejected",
            roles=("approver",),
        ),
        Transition(
            name="accept",
            label=_t("验收", "Accept (acceptance check)", "تەكشۈرۈپ قوبۇل قىلىش"),
            source=("approved",),
            target="accepted",
            roles=("keeper",),
            optional_inputs=("acceptance_record",),
            separation_of_duties=SeparationOfDuties(differs_from=("approve",)),
        ),
        Transition(
            name="register",
            label=_t("入账", "Register in the books", "ھېساباتقا كىرگۈزۈش"),
            source=("accepted",),
            target="in_stock",
            roles=("accountant",),
            inputs=("in_service",),
            event=REGISTERED,
        ),
        Transition(
            name="issue",
            label=_t("领用", "Issue", "ئىشلىتىشكە بېرىش"),
            source=("in_stock",),
            target="in_use",
            roles=("keeper",),
            inputs=("to_custodian",),
            optional_inputs=("using_unit",),
        ),
        Transition(
            name="return",
            label=_t("交回", "Return", "قايتۇرۇش"),
            source=("in_use",),
            target="in_stock",
            roles=("keeper",),
            inputs=("from_custodian",),
            guards=("custodian_matches",),
        ),
        Transition(
            name="transfer",
            label=_t("调拨", "Transfer", "يۆتكەش"),
            source=("in_use",),
            target="in_use",
            roles=("keeper",),
            inputs=("from_custodian", "to_custodian"),
            optional_inputs=("using_unit",),
            guards=("custodian_matches",),
        ),
        Transition(
            name="capitalise_repair",
            label=_t("维修资本化", "Capitalise a repair", "رېمونتنى كاپىتاللاشتۇرۇش"),
            source=("in_use",),
            target="in_use",
            roles=("accountant",),
            inputs=("amount", "on"),
            optional_inputs=("extra_life_months",),
        ),
        Transition(
            name="revalue",
            label=_t("重估", "Revalue", "قايتا باھالاش"),
            source=("in_use",),
            target="in_use",
            roles=("accountant",),
            inputs=("new_value", "on"),
        ),
        Transition(
            name="dispose_part",
            label=_t("部分处置", "Dispose of a part", "قىسمەن بىر تەرەپ قىلىش"),
            source=("in_use",),
            target="in_use",
            roles=("department_approver", "asset_authority"),
            inputs=("method", "value", "on"),
            guards=("disposal_tier",),
            event=DISPOSED,
        ),
        Transition(
            name="request_disposal",
            label=_t("申请处置", "Request disposal", "بىر تەرەپ قىلىشنى ئىلتىماس قىلىش"),
            source=("in_stock", "in_use"),
            target="disposal_requested",
            roles=("keeper",),
            inputs=("method", "on"),
        ),
        Transition(
            name="approve_disposal",
            label=_t("批准处置", "Approve disposal", "بىر تەرەپ قىلىشنى تەستىقلاش"),
            source=("disposal_requested",),
            target="disposed",
            roles=("department_approver", "asset_authority"),
            guards=("disposal_tier",),
            event=DISPOSED,
            separation_of_duties=SeparationOfDuties(differs_from=("request_disposal",), scope="latest"),
        ),
        Transition(
            name="write_off",
            label=_t("盘亏核销", "Write off a stock-take loss", "ساناقتا كەم چىققاننى ھېساباتتىن چىقىرىش"),
            source=("in_stock", "in_use", "disposal_requested"),
            target="disposed",
            roles=("department_approver", "asset_authority"),
            inputs=("method", "on", "stocktake"),
            guards=("disposal_tier",),
            event=DISPOSED,
        ),
        Transition(
            name="reject_disposal",
            label=_t("驳回处置", "Reject disposal", "بىر تەرەپ قىلىشنى رەت قىلىش"),
            source=("disposal_requested",),
            target="in_stock",
            roles=("department_approver", "asset_authority"),
        ),
    ),
)

STOCKTAKE = ProcessSpec(
    id="assets.stocktake",
    version="1.0",
    title=_t("资产清查盘点", "Stock-take", "مۈلۈك ساناقى"),
    entity="stocktake",
    roles=(
        Role(id="keeper", label=_t("资产管理员", "Asset keeper", "مۈلۈك باشقۇرغۇچى")),
        Role(id="department_approver", label=_t("主管部门", "Supervising department", "باش تارماق")),
        Role(id="asset_authority", label=_t("资产管理机关", "Asset authority", "مۈلۈك باشقۇرۇش ئورگىنى")),
    ),
    states=(
        State(id="planned", label=_t("已计划", "Planned", "پىلانلاندى")),
        State(id="counting", label=_t("盘点中", "Counting", "سانىلىۋاتىدۇ")),
        State(id="reconciled", label=_t("已核对", "Reconciled", "سېلىشتۇرۇلدى")),
        State(id="closed", label=_t("已结束", "Closed", "ئاخىرلاشتى"), terminal=True),
    ),
    initial="planned",
    transitions=(
        Transition(
            name="start",
            label=_t("开始盘点", "Start counting", "ساناقنى باشلاش"),
            source=("planned",),
            target="counting",
            roles=("keeper",),
        ),
        Transition(
            name="reconcile",
            label=_t("账实核对", "Reconcile books to goods", "ھېسابات بىلەن ماددىنى سېلىشتۇرۇش"),
            source=("counting",),
            target="reconciled",
            roles=("keeper",),
        ),
        Transition(
            name="approve_findings",
            label=_t("审批盘盈盘亏", "Approve surpluses and losses", "ئارتۇق ۋە كەمنى تەستىقلاش"),
            source=("reconciled",),
            target="closed",
            roles=("department_approver", "asset_authority"),
            separation_of_duties=SeparationOfDuties(differs_from=("reconcile",)),
        ),
    ),
)

PROCESSES = [ASSET_LIFECYCLE, STOCKTAKE]
