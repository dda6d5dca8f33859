"""The published models of the finance part: vouchers, reports, indicators, reimbursements, events.

Every amount is a :class:`~govparts.core.money.Money`, serialised as a string. Accounts are codes of
the chart ``GAS-COA-2017`` (财会〔2017〕25号) or an organisation's sub-accounts below them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_
from govparts.core.money import Money
from govparts.core.text import TextLine

from . import _assets
from ._domain import DOMAIN

__all__ = [
    "AssetDepreciatedAsFinanceReadsIt",
    "AssetDisposedAsFinanceReadsIt",
    "AssetRegisteredAsFinanceReadsIt",
    "BalanceSheet",
    "BudgetStatement",
    "ChainReport",
    "IncomeStatement",
    "Indicator",
    "IndicatorExecution",
    "LedgerLine",
    "MODELS",
    "Reconciliation",
    "Reimbursement",
    "ReimbursementClaim",
    "ReportLine",
    "SubAccount",
    "TrialBalance",
    "TrialBalanceRow",
    "Voucher",
    "VoucherDraft",
    "VoucherLine",
    "VoucherPosted",
]

Side = Literal["debit", "credit"]
System = Literal["financial", "budget"]
Control = Literal["stop", "warn"]
Exemption = Literal["agency", "treasury_payable"]
"""Reasons a budget-managed cash flow has no budget entry: 受托代理 (funds held as agent) and
应缴财政款 (amounts collected for the treasury)."""

_ACCOUNT = r"^[0-9]{4}[0-9A-Za-z]{0,16}$"


class VoucherLine(BaseModel):
    """One line of a voucher (分录): account, side, amount and the auxiliary dimensions (辅助核算)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    standard_id: ClassVar[str] = "govparts.finance.VoucherLine"

    account: str = Field(pattern=_ACCOUNT)
    side: Side
    amount: Money
    summary: TextLine = Field(default="", max_length=200)
    unit: TextLine | None = Field(default=None, max_length=64)
    project: TextLine | None = Field(default=None, max_length=64)
    func_class: str | None = Field(default=None, max_length=16, pattern=r"^[0-9]{3,9}$")
    """支出功能分类 code (``GFS-FUNC`` and its lower levels)."""
    econ_class: str | None = Field(default=None, max_length=16, pattern=r"^[0-9]{3,9}$")
    """支出经济分类 code (``GFS-ECON-DEPT``)."""
    payee: TextLine | None = Field(default=None, max_length=100)
    fund: Literal["fiscal", "non_fiscal"] | None = None
    """Funding source of budget lines: fiscal appropriation (财政拨款) or other (非财政拨款)."""


class VoucherDraft(BaseModel):
    """What a preparer enters: a voucher of one organisation, dated, with lines in both systems."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    standard_id: ClassVar[str] = "govparts.finance.VoucherDraft"

    org: TextLine = Field(min_length=1, max_length=100)
    date: _dt.date
    summary: TextLine = Field(min_length=1, max_length=200)
    lines: tuple[VoucherLine, ...] = Field(min_length=2)
    exemption: Exemption | None = None


class Voucher(BaseModel):
    """A voucher (记账凭证) as stored: draft, reviewed or posted; posted ones carry number and hash."""

    model_config = ConfigDict(frozen=True)
    standard_id: ClassVar[str] = "govparts.finance.Voucher"

    id: str
    org: str
    date: _dt.date
    year: int
    month: int
    summary: str
    state: str
    kind: Literal["normal", "reversal", "closing", "generated"]
    lines: tuple[VoucherLine, ...]
    number: int | None = None
    preparer: str
    reviewer: str | None = None
    poster: str | None = None
    reverses: str | None = None
    reversed_by: str | None = None
    exemption: Exemption | None = None
    warnings: tuple[str, ...] = ()
    hash: str | None = None


class SubAccount(BaseModel):
    """An organisation's sub-account (明细科目) below a standard account, with its open and close dates."""

    model_config = ConfigDict(frozen=True)

    org: TextLine
    code: TextLine
    parent: TextLine
    name: TextLine
    opened_on: _dt.date
    closed_on: _dt.date | None = None


class TrialBalanceRow(BaseModel):
    """One account of the trial balance (科目余额表); balances are signed, debit positive."""

    model_config = ConfigDict(frozen=True)

    account: str
    system: System
    opening: Money
    debit: Money
    credit: Money
    closing: Money


class TrialBalance(BaseModel):
    """The trial balance of one organisation and period, both systems."""

    model_config = ConfigDict(frozen=True)

    org: str
    year: int
    month: int
    rows: tuple[TrialBalanceRow, ...]

    def totals(self, system: System) -> dict[str, Money]:
        """Sums of the rows of ``system``: opening, debit, credit and closing."""
        rows = [r for r in self.rows if r.system == system]
        return {
            name: Money.total(getattr(r, name) for r in rows)
            for name in ("opening", "debit", "credit", "closing")
        }

    def balance_of(self, account: str) -> Money:
        """The closing balance of ``account`` and its sub-accounts (debit positive)."""
        return Money.total(r.closing for r in self.rows if r.account.startswith(account))


class ReportLine(BaseModel):
    """An account and its amount on a statement (shown on the account's normal side)."""

    model_config = ConfigDict(frozen=True)

    account: str
    amount: Money


class BalanceSheet(BaseModel):
    """资产负债表 at the end of a period: assets = liabilities + net assets (incl. unclosed surplus)."""

    model_config = ConfigDict(frozen=True)

    org: str
    year: int
    month: int
    assets: tuple[ReportLine, ...]
    liabilities: tuple[ReportLine, ...]
    net_assets: tuple[ReportLine, ...]
    total_assets: Money
    total_liabilities: Money
    total_net_assets: Money
    unclosed_surplus: Money
    """Revenue less expenses not yet carried into net assets (本期盈余 before year-end closing)."""


class IncomeStatement(BaseModel):
    """收入费用表 for the months ``from_month``..``month`` of a year (closing entries excluded)."""

    model_config = ConfigDict(frozen=True)

    org: str
    year: int
    from_month: int
    month: int
    revenue: tuple[ReportLine, ...]
    expenses: tuple[ReportLine, ...]
    total_revenue: Money
    total_expenses: Money
    surplus: Money


class BudgetStatement(BaseModel):
    """预算收入支出表 for the months ``from_month``..``month`` of a year (closing entries excluded)."""

    model_config = ConfigDict(frozen=True)

    org: str
    year: int
    from_month: int
    month: int
    revenue: tuple[ReportLine, ...]
    expenditure: tuple[ReportLine, ...]
    total_revenue: Money
    total_expenditure: Money
    surplus: Money


class Reconciliation(BaseModel):
    """本期预算结余与本期盈余差异调节表 (basic form).

    ``surplus = budget_surplus − budget_revenue_not_revenue + budget_expenditure_not_expense
    + revenue_not_budget_revenue − expense_not_budget_expenditure``, exactly.
    """

    model_config = ConfigDict(frozen=True)

    org: str
    year: int
    from_month: int
    month: int
    budget_surplus: Money
    budget_revenue_not_revenue: Money
    budget_expenditure_not_expense: Money
    revenue_not_budget_revenue: Money
    expense_not_budget_expenditure: Money
    surplus: Money


class LedgerLine(BaseModel):
    """A posted line in the general ledger or a sub-ledger, with the running balance (debit positive)."""

    model_config = ConfigDict(frozen=True)

    voucher_id: str
    number: int
    date: _dt.date
    account: str
    side: Side
    amount: Money
    balance: Money
    summary: str
    project: str | None = None
    econ_class: str | None = None


class Indicator(BaseModel):
    """A budget indicator (预算指标): an amount for a project and economic class in a year."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    standard_id: ClassVar[str] = "govparts.finance.Indicator"

    org: TextLine = Field(min_length=1, max_length=100)
    year: int = Field(ge=2019, le=2100)
    project: TextLine = Field(min_length=1, max_length=64)
    econ_class: str = Field(pattern=r"^[0-9]{3,9}$")
    amount: Money
    control: Control = "stop"

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: Money) -> Money:
        if value.fen <= 0:
            raise ValueError("an indicator amount must be positive")
        return value


class IndicatorExecution(BaseModel):
    """Execution of one indicator: posted expenditure, open commitments and what is left."""

    model_config = ConfigDict(frozen=True)

    indicator: Indicator
    posted: Money
    committed: Money
    available: Money


class ReimbursementClaim(BaseModel):
    """A reimbursement claim (报销单): who spent what, charged to which expense and indicator."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    org: TextLine = Field(min_length=1, max_length=100)
    claimant: TextLine = Field(min_length=1, max_length=100)
    date: _dt.date
    amount: Money
    purpose: TextLine = Field(min_length=1, max_length=200)
    project: TextLine = Field(min_length=1, max_length=64)
    econ_class: str = Field(pattern=r"^[0-9]{3,9}$")
    func_class: str | None = Field(default=None, pattern=r"^[0-9]{3,9}$")
    expense_account: str = Field(default="5001", pattern=_ACCOUNT)
    budget_account: str = Field(default="7201", pattern=_ACCOUNT)
    paying_account: str = Field(default="1011", pattern=_ACCOUNT)

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: Money) -> Money:
        if value.fen <= 0:
            raise ValueError("a claim amount must be positive")
        return value


class Reimbursement(BaseModel):
    """A claim and where it stands (submitted → reviewed → approved → paid)."""

    model_config = ConfigDict(frozen=True)

    id: str
    claim: ReimbursementClaim
    state: str
    voucher_id: str | None = None


class ChainReport(BaseModel):
    """The result of checking an organisation's chain of posted vouchers."""

    model_config = ConfigDict(frozen=True)

    org: str
    ok: bool
    checked: int
    broken_at: int | None = None
    """Sequence number of the first posting whose hash does not match, when not ok."""


class VoucherPosted(BaseModel):
    """Payload of ``cn.govparts.finance.voucher.posted.v1``."""

    model_config = ConfigDict(frozen=True)

    voucher_id: str
    org: str
    number: int
    year: int
    month: int
    date: _dt.date
    kind: str
    hash: str


# -- tolerant readers of the assets part's events (we read only these fields) ---------------------
#
# Field names are those of the assets part's published payloads (``govparts.assets.models``
# AssetRegistered, AssetDepreciated with its AccountTotal rows, AssetDisposed) as ``model_dump(mode="json")``
# writes them; anything else assets sends is ignored.


class _Reader(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    org: str = Field(min_length=1, validation_alias="organization_credit_code")


class AssetRegisteredAsFinanceReadsIt(_Reader):
    """What finance reads of ``cn.govparts.assets.asset.registered.v1``.

    ``account`` is derived from the GB/T 14885-2010 ``category`` (:func:`~._assets.asset_account`);
    ``paying_account`` is a recognised name or code of a paying account
    (:func:`~._assets.paying_account`), refused otherwise. ``opening_accumulated_depreciation`` (an
    asset brought over from earlier books; absent is zero) is booked to ``accumulated_account``
    (:func:`~._assets.opening_accounts`); it is refused when negative or more than the cost.
    """

    asset_id: str = Field(min_length=1)
    amount: Money = Field(validation_alias="original_value")
    category: str = Field(min_length=1)
    paying_account: str
    funding_source: str | None = None
    date: _dt.date = Field(validation_alias="acquisition_date")
    opening_accumulated_depreciation: Money = Money.zero()

    @field_validator("paying_account", mode="before")
    @classmethod
    def _paying(cls, value: Any) -> Any:
        return _assets.paying_account(value) if isinstance(value, str) else value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        _assets.asset_account(value)
        return value

    @field_validator("opening_accumulated_depreciation")
    @classmethod
    def _opening(cls, value: Money, info: ValidationInfo) -> Money:
        cost = info.data.get("amount")
        if value < Money.zero():
            raise InvalidInput(N_("{field}: must not be negative, got {got}"), got=str(value), domain=DOMAIN)
        if isinstance(cost, Money) and value > cost:
            raise InvalidInput(
                N_("{field}: must not be more than the original value {expected}, got {got}"),
                expected=str(cost),
                got=str(value),
                domain=DOMAIN,
            )
        return value

    @property
    def account(self) -> str:
        """The asset account debited: 1601 固定资产, or 1701 无形资产 for intangible assets (ZZ01)."""
        return _assets.asset_account(self.category)

    @property
    def accumulated_account(self) -> str:
        """The account credited with the opening accumulated depreciation: 1602, or 1702 (ZZ01)."""
        return _assets.opening_accounts(self.account)[0]


class _DepreciationTotal(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    debit_account: str = Field(pattern=_ACCOUNT)
    """The expense account (5001 业务活动费用, 5101 单位管理费用 …)."""
    credit_account: str = Field(pattern=_ACCOUNT)
    """The accumulated account (1602 固定资产累计折旧, 1702 无形资产累计摊销 …)."""
    amount: Money


class AssetDepreciatedAsFinanceReadsIt(_Reader):
    """What finance reads of ``cn.govparts.assets.asset.depreciated.v1``: totals per account pair."""

    year: int = Field(ge=1900, le=2999)
    month: int = Field(ge=1, le=12)
    totals: tuple[_DepreciationTotal, ...]

    @property
    def period(self) -> str:
        """The month depreciated, ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"


class AssetDisposedAsFinanceReadsIt(_Reader):
    """What finance reads of ``cn.govparts.assets.asset.disposed.v1``.

    ``account`` (credited with the original value) and ``accumulated_account`` (debited with the
    accumulated depreciation) are the ``asset_account`` and ``accumulated_account`` assets sends;
    from a producer that sends only the ``category`` they follow from it, and from one that sends
    neither they are the fixed-asset accounts 1601 / 1602 (:func:`~._assets.disposal_accounts`).
    """

    asset_id: str = Field(min_length=1)
    amount: Money = Field(validation_alias="original_value")
    accumulated_depreciation: Money = Money.zero()
    category: str | None = None
    account: str = Field(pattern=_ACCOUNT, validation_alias="asset_account")
    accumulated_account: str = Field(pattern=_ACCOUNT)
    date: _dt.date = Field(validation_alias="on")

    @model_validator(mode="before")
    @classmethod
    def _accounts(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        category = data.get("category")
        account, accumulated = _assets.disposal_accounts(
            category if isinstance(category, str) and category else None,
            data.get("asset_account") or None,
            data.get("accumulated_account") or None,
        )
        return {**data, "asset_account": account, "accumulated_account": accumulated}


MODELS = (
    VoucherLine,
    VoucherDraft,
    Voucher,
    SubAccount,
    TrialBalance,
    BalanceSheet,
    IncomeStatement,
    BudgetStatement,
    Reconciliation,
    Indicator,
    IndicatorExecution,
    ReimbursementClaim,
    Reimbursement,
    VoucherPosted,
)
"""The published models of the finance part."""
