"""The finance part's business processes as data: the voucher (记账凭证) and the reimbursement (报销)."""

from __future__ import annotations

from govparts.core.process import ProcessSpec

from .events import REIMBURSEMENT_PAID, VOUCHER_POSTED

__all__ = ["PROCESSES", "REIMBURSEMENT", "VOUCHER"]


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


VOUCHER = ProcessSpec(
    id="finance.voucher",
    version="1.0",
    title=_t("记账凭证", "Accounting voucher", "بوغالتىرلىق ھۆججىتى"),
    entity="voucher",
    roles=[
        {"id": "accountant", "label": _t("制单人", "Preparer", "ھۆججەت تۈزگۈچى")},
        {"id": "reviewer", "label": _t("审核人", "Reviewer", "تەكشۈرگۈچى")},
        {"id": "bookkeeper", "label": _t("记账人", "Bookkeeper", "ھېساباتقا ئالغۇچى")},
    ],
    guards=[
        {
            "id": "reviewer_is_not_preparer",
            "description": _t(
                "审核人不得为制单人",
                "The reviewer is not the preparer",
                "تەكشۈرگۈچى ھۆججەت تۈزگۈچى بىلەن ئوخشاش ئادەم بولماسلىقى كېرەك",
            ),
        }
    ],
    states=[
        {"id": "draft", "label": _t("草稿", "Draft", "لايىھە")},
        {"id": "reviewed", "label": _t("已审核", "Reviewed", "تەكشۈرۈلدى")},
        {"id": "posted", "label": _t("已记账", "Posted", "ھېساباتقا ئېلىندى"), "terminal": True},
    ],
    initial="draft",
    transitions=[
        {
            "name": "review",
            "label": _t("审核", "Review", "تەكشۈرۈش"),
            "source": ["draft"],
            "target": "reviewed",
            "roles": ["reviewer"],
            "guards": ["reviewer_is_not_preparer"],
        },
        {
            "name": "unreview",
            "label": _t("取消审核", "Withdraw review", "تەكشۈرۈشنى بىكار قىلىش"),
            "source": ["reviewed"],
            "target": "draft",
            "roles": ["reviewer"],
        },
        {
            "name": "post",
            "label": _t("记账", "Post", "ھېساباتقا ئېلىش"),
            "source": ["reviewed"],
            "target": "posted",
            "roles": ["bookkeeper"],
            "event": VOUCHER_POSTED.type,
        },
    ],
)
"""draft → reviewed (审核; the reviewer is not the preparer) → posted (记账, terminal: posted vouchers
are immutable and corrected only by a red-ink reversal voucher)."""

REIMBURSEMENT = ProcessSpec(
    id="finance.reimbursement",
    version="1.0",
    title=_t("报销", "Reimbursement", "چىقىم قايتۇرۇش"),
    entity="reimbursement",
    roles=[
        {"id": "claimant", "label": _t("报销人", "Claimant", "ئىلتىماس قىلغۇچى")},
        {"id": "reviewer", "label": _t("审核人", "Reviewer", "تەكشۈرگۈچى")},
        {"id": "approver", "label": _t("审批人", "Approver", "تەستىقلىغۇچى")},
        {"id": "cashier", "label": _t("出纳", "Cashier", "كاسسىر")},
    ],
    states=[
        {"id": "submitted", "label": _t("已提交", "Submitted", "سۇنۇلدى")},
        {"id": "reviewed", "label": _t("已审核", "Reviewed", "تەكشۈرۈلدى")},
        {"id": "approved", "label": _t("已审批", "Approved", "تەستىقلاندى")},
        {"id": "paid", "label": _t("已支付", "Paid", "تۆلەندى"), "terminal": True},
        {"id": "rejected", "label": _t("已退回", "Rejected", "رەت قىلىندى"), "terminal": True},
    ],
    initial="submitted",
    transitions=[
        {
            "name": "review",
            "label": _t("审核", "Review", "تەكشۈرۈش"),
            "source": ["submitted"],
            "target": "reviewed",
            "roles": ["reviewer"],
        },
        {
            "name": "approve",
            "label": _t("审批", "Approve", "تەستىقلاش"),
            "source": ["reviewed"],
            "target": "approved",
            "roles": ["approver"],
            "separation_of_duties": {"differs_from": ["review"]},
        },
        {
            "name": "reject",
            "label": _t("退回", "Reject", "رەت قىلىش"),
            "source": ["submitted", "reviewed"],
            "target": "rejected",
            "roles": ["reviewer", "approver"],
        },
        {
            "name": "pay",
            "label": _t("支付", "Pay", "تۆلەش"),
            "source": ["approved"],
            "target": "paid",
            "roles": ["cashier"],
            "event": REIMBURSEMENT_PAID.type,
        },
    ],
)
"""submitted → reviewed → approved (commits the budget) → paid (generates the voucher)."""

PROCESSES = (VOUCHER, REIMBURSEMENT)
