"""Pure rules turning what the assets part sends into accounts of the chart ``GAS-COA-2017``: no I/O.

* :data:`ASSET_ACCOUNTS` / :func:`asset_account` — the asset account of a GB/T 14885-2010 category.
* :data:`ACCUMULATED_ACCOUNTS` / :func:`disposal_accounts` — the accounts a disposal leaves.
* :data:`OPENING_NET_ASSETS` / :func:`opening_accounts` — the accounts of the opening accumulated
  depreciation an asset brought over from earlier books comes with.
* :data:`PAYING_ACCOUNTS` / :func:`paying_account` — the account credited for a purchase, from the
  name of a standard paying account or its code.
* :func:`budget_credit_of` — the budget account credited with it (平行记账).
"""

from __future__ import annotations

import re

from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_

from ._domain import DOMAIN

__all__ = [
    "ACCUMULATED_ACCOUNTS",
    "ASSET_ACCOUNTS",
    "DIRECT_PAYMENT",
    "OPENING_NET_ASSETS",
    "PAYING_ACCOUNTS",
    "asset_account",
    "budget_credit_of",
    "disposal_accounts",
    "opening_accounts",
    "paying_account",
]

ASSET_ACCOUNTS: dict[str, str] = {
    "1": "1601",
    "2": "1601",
    "3": "1601",
    "4": "1601",
    "5": "1601",
    "6": "1601",
    "ZZ01": "1701",
}
"""Asset account (政府会计制度 财会〔2017〕25号, 科目 1601 固定资产 / 1701 无形资产) of a category by
its GB/T 14885-2010 门类 (first character) or the assets part's own code ``ZZ01``.

* 门类 1–6 (土地、房屋及构筑物; 通用设备; 专用设备; 文物和陈列品; 图书、档案; 家具、用具、装具及
  动植物) are the six classes of fixed assets of 政府会计准则第3号——固定资产 §2, booked to 1601.
* ``ZZ01`` 无形资产 is what the assets part gives intangible assets (amortised to 1702): 1701.

1801 公共基础设施, 1811 政府储备物资, 1821 文物文化资产 and 1831 保障性住房 are not derived: a
GB/T 14885-2010 category does not tell them apart from fixed assets (GB/T 14885-2022 note 1: the
classification does not change accounting subjects), so assets must send such an account itself.
"""

ACCUMULATED_ACCOUNTS: dict[str, str] = {"1601": "1602", "1701": "1702", "1801": "1802", "1831": "1832"}
"""The accumulated depreciation (amortisation) account of an asset account (政府会计制度 财会〔2017〕25号):
1602 固定资产累计折旧, 1702 无形资产累计摊销, 1802 公共基础设施累计折旧（摊销）, 1832 保障性住房累计折旧."""

OPENING_NET_ASSETS = "3001"
"""3001 累计盈余: the account debited with the opening accumulated depreciation of an asset brought over.

An asset that comes into these books from books kept elsewhere (an earlier system, the old 制度)
comes with the depreciation already accumulated on it. The Ministry of Finance's rules for moving
from the old 行政单位/事业单位会计制度 to the 制度 (新旧制度衔接规定, 2018; 财会〔2018〕3号 as recalled)
book depreciation of earlier periods that the new books take on (补提折旧/摊销) as 借记 "累计盈余"、
贷记 "固定资产累计折旧" (贷记 "无形资产累计摊销" for an intangible asset): net assets consumed in
earlier years, neither an expense nor a budget expenditure of the current period. The finance demo
brings earlier years' assets in the same way (Dr 1601 / Cr 3001 at cost). The 衔接规定 is not in the
project's standards notes (``REFERENCE.md``): its number and wording are to be checked against the
published text.
"""

DIRECT_PAYMENT = "4001"
"""财政直接支付: the purchase is credited to 4001 财政拨款收入, its budget entry to 6001 财政拨款预算收入."""

PAYING_ACCOUNTS: dict[str, str] = {
    "库存现金": "1001",
    "银行存款": "1002",
    "零余额账户用款额度": "1011",
    "零余额账户": "1011",
    "其他货币资金": "1021",
    "财政直接支付": DIRECT_PAYMENT,
    "财政拨款收入": DIRECT_PAYMENT,
}
"""Recognised names of the standard paying accounts (政府会计制度 财会〔2017〕25号, 科目 1001, 1002, 1011,
1021) and of payment by the treasury (财政直接支付, credited to 4001 财政拨款收入).

Per the 制度's entries for buying fixed assets (1601 科目 主要账务处理): paid by 财政直接支付, Dr 1601 /
Cr 4001 财政拨款收入 and Dr 行政支出/事业支出 / Cr 6001 财政拨款预算收入; paid by 财政授权支付, Dr 1601 /
Cr 1011 零余额账户用款额度 and Dr 7xxx / Cr 8001 资金结存——零余额账户用款额度; paid from other funds,
Dr 1601 / Cr 1002 银行存款 (1001, 1021) and Dr 7xxx / Cr 8001 资金结存——货币资金. "零余额账户" is the
everyday short name of the 1011 quota. "财政拨款" alone names a funding source, not a way of paying,
so it is not recognised.
"""

_CODE = re.compile(r"^[0-9]{4}[0-9A-Za-z]{0,16}$")
_PAYING_CODES = frozenset(PAYING_ACCOUNTS.values())


def asset_account(category: str) -> str:
    """The asset account (1601 or 1701) of a GB/T 14885-2010 ``category`` (see :data:`ASSET_ACCOUNTS`)."""
    key = category if category.startswith("Z") else category[:1]
    account = ASSET_ACCOUNTS.get(key)
    if account is None:
        raise InvalidInput(
            N_("{field}: no asset account is known for the category {got} (GB/T 14885-2010)"),
            field="category",
            got=category,
            domain=DOMAIN,
        )
    return account


def paying_account(value: str) -> str:
    """The account a purchase is credited to: a recognised name of :data:`PAYING_ACCOUNTS`, or a code.

    A code is accepted when it is one of those accounts or a sub-account below one (``100201``).
    Anything else is refused: the paying account is never guessed.
    """
    text = value.strip()
    if text in PAYING_ACCOUNTS:
        return PAYING_ACCOUNTS[text]
    if _CODE.match(text) and text[:4] in _PAYING_CODES:
        return text
    raise InvalidInput(
        N_("{field}: {got} is not the name or code of a paying account (1001, 1002, 1011, 1021, 4001)"),
        field="paying_account",
        got=value,
        domain=DOMAIN,
    )


def budget_credit_of(paying: str) -> str:
    """The budget account credited with a payment from ``paying``: 6001 for 4001, else 8001 资金结存."""
    return "6001" if paying[:4] == DIRECT_PAYMENT else "8001"


def disposal_accounts(
    category: str | None, asset: str | None = None, accumulated: str | None = None
) -> tuple[str, str]:
    """The accounts a disposal leaves: (asset account credited, accumulated account debited).

    The accounts assets sends win; an account not sent follows from the other one or from the
    ``category`` (:func:`asset_account`, then :data:`ACCUMULATED_ACCOUNTS`); with nothing sent they
    are the fixed-asset accounts 1601 / 1602, as the disposal of a fixed asset leaves them (科目 1601
    主要账务处理: Dr 1602 / Cr 1601, the net to 5301 资产处置费用). An unknown category is refused.

    >>> disposal_accounts("ZZ01"), disposal_accounts(None), disposal_accounts("2010000", "1801")
    (('1701', '1702'), ('1601', '1602'), ('1801', '1802'))
    """
    account = asset or (asset_account(category) if category else "1601")
    return account, accumulated or ACCUMULATED_ACCOUNTS.get(account[:4], "1602")


def opening_accounts(asset: str) -> tuple[str, str]:
    """The accounts of an opening accumulated depreciation: (credited, debited).

    Credited: the accumulated account of the ``asset`` account (:data:`ACCUMULATED_ACCOUNTS`: 1602 for
    1601, 1702 for 1701 …); debited: :data:`OPENING_NET_ASSETS` (3001 累计盈余). An asset account with
    no accumulated account (政府储备物资, 文物文化资产 are not depreciated) is refused.

    >>> opening_accounts("1601"), opening_accounts("1701")
    (('1602', '3001'), ('1702', '3001'))
    """
    accumulated = ACCUMULATED_ACCOUNTS.get(asset[:4])
    if accumulated is None:
        raise InvalidInput(
            N_("{field}: no accumulated depreciation account is known for the asset account {got}"),
            field="opening_accumulated_depreciation",
            got=asset,
            domain=DOMAIN,
        )
    return accumulated, OPENING_NET_ASSETS
