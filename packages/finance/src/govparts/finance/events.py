"""Events the finance part emits, and the asset events it consumes (through its own tolerant readers)."""

from __future__ import annotations

from pydantic import BaseModel

from govparts.core import events
from govparts.core.process import TransitionPayload

from .models import (
    AssetDepreciatedAsFinanceReadsIt,
    AssetDisposedAsFinanceReadsIt,
    AssetRegisteredAsFinanceReadsIt,
    VoucherPosted,
)

__all__ = [
    "ASSET_DEPRECIATED",
    "ASSET_DISPOSED",
    "ASSET_REGISTERED",
    "CONSUMED",
    "EVENT_TYPES",
    "REIMBURSEMENT_PAID",
    "VOUCHER_POSTED",
]

VOUCHER_POSTED = events.EventType(
    "cn.govparts.finance.voucher.posted.v1",
    VoucherPosted,
    {
        "zh_Hans_CN": "记账凭证已记账",
        "en": "A voucher was posted",
        "ug_CN": "بوغالتىرلىق ھۆججىتى ھېساباتقا ئېلىندى",
    },
)
REIMBURSEMENT_PAID = events.EventType(
    "cn.govparts.finance.reimbursement.paid.v1",
    TransitionPayload,
    {"zh_Hans_CN": "报销已支付", "en": "A reimbursement was paid", "ug_CN": "چىقىم قايتۇرۇلۇپ تۆلەندى"},
)
EVENT_TYPES = (VOUCHER_POSTED, REIMBURSEMENT_PAID)
events.register(*EVENT_TYPES)

ASSET_REGISTERED = "cn.govparts.assets.asset.registered.v1"
ASSET_DEPRECIATED = "cn.govparts.assets.asset.depreciated.v1"
ASSET_DISPOSED = "cn.govparts.assets.asset.disposed.v1"
CONSUMED: dict[str, type[BaseModel]] = {
    ASSET_REGISTERED: AssetRegisteredAsFinanceReadsIt,
    ASSET_DEPRECIATED: AssetDepreciatedAsFinanceReadsIt,
    ASSET_DISPOSED: AssetDisposedAsFinanceReadsIt,
}
"""The asset event types finance consumes, with the model of the fields it reads of each."""
