"""Published models of the assets part: what crosses a system boundary (asset cards, event payloads)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from govparts.core.codes import Coded
from govparts.core.ids import CreditCode
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.text import TextLine

from .rules import Method

__all__ = [
    "MODELS",
    "AccountTotal",
    "AssetCard",
    "AssetCardIn",
    "AssetDepreciated",
    "AssetDisposed",
    "AssetRegistered",
    "BookBalance",
    "DepreciationRun",
    "EmployeeSeparatedAsAssetsReadsIt",
    "Finding",
    "MonthTotal",
    "RegisterLine",
    "ReturnTask",
    "StockTake",
    "UsageEntry",
]

Category = Annotated[str, Coded("GB/T 14885-2010")]
AcquisitionMethod = Annotated[str, Coded("GOVPARTS 资产-取得方式-1.0")]
DisposalMethod = Annotated[str, Coded("GOVPARTS 资产-处置方式-1.0")]
FundingSource = Annotated[str, Coded("GOVPARTS 资产-资金来源-1.0")]
Label = Annotated[TextLine, Field(min_length=1, max_length=200)]
"""A name or title: one line of 1 to 200 characters, no control or bidi-override characters."""


class AssetCardIn(BaseModel):
    """What a request to acquire an asset (资产卡片 to be) carries."""

    standard_id: ClassVar[str] = "govparts.assets.AssetCardIn"
    standard_version: ClassVar[str] = "1.0"
    model_config = ConfigDict(extra="forbid", frozen=True)

    asset_code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z\-_.]+$")]
    organization_credit_code: CreditCode
    category: Category
    name: Label
    specification: TextLine = Field(default="", max_length=200)
    quantity: int = Field(default=1, ge=1)
    unit_of_measure: TextLine = Field(default="台", min_length=1, max_length=10)
    original_value: Money
    acquisition_date: date
    acquisition_method: AcquisitionMethod = "purchase"
    funding_source: FundingSource = "fiscal"
    paying_account: TextLine = Field(default="", max_length=60)
    using_unit: TextLine = Field(default="", max_length=100)
    location: TextLine = Field(default="", max_length=200)
    useful_life_months: int | None = Field(default=None, ge=1, le=1200)
    depreciation_method: Method = "straight_line"
    total_units: int | None = Field(default=None, ge=1, le=10_000_000)
    """工作量法: the work the asset is expected to do in its life (km, machine hours …); required then."""
    measured_at_nominal: bool = False
    """以名义金额计量 (recorded at a nominal amount, typically ¥1): never depreciated."""
    non_depreciable: bool = False
    """Set for 动植物 and other assets the rules exclude but the category does not tell."""
    expense_account: str = Field(default="5001", pattern=r"^[0-9]{4}$")
    attachments: tuple[TextLine, ...] = ()


class AssetCard(AssetCardIn):
    """An asset card (资产卡片) as the service returns it: the request plus where the asset stands."""

    standard_id: ClassVar[str] = "govparts.assets.AssetCard"

    id: str
    state: str
    version: int
    book_value: Money
    """Cost after capitalised repairs, revaluations and partial disposals."""
    useful_life_months: int | None = None
    in_service: date | None = None
    custodian: PersonRef | None = None
    depreciable: bool
    accumulated_account: str


class AssetRegistered(BaseModel):
    """Payload of ``cn.govparts.assets.asset.registered.v1``: an asset was recorded in the books (入账).

    ``opening_accumulated_depreciation`` (added later, so optional: a producer that does not send it
    stays valid, and absent means zero) is the depreciation (amortisation) an asset brought over from
    books kept elsewhere had already accumulated before this system took it over (期初累计折旧): from
    then on the monthly runs charge it. Never negative, never more than ``original_value``.
    """

    asset_id: str
    asset_code: str
    organization_credit_code: str
    category: str
    name: TextLine
    original_value: Money
    acquisition_date: date
    acquisition_method: str
    funding_source: str
    paying_account: str
    in_service: date
    opening_accumulated_depreciation: Money = Money.zero()
    """Accumulated depreciation (amortisation) the asset came with, booked to 1602 (1702 for an
    intangible asset) against 3001 累计盈余; zero for an asset new to the books."""


class AccountTotal(BaseModel):
    """Depreciation of one month for one pair of accounts (Dr expense / Cr accumulated depreciation)."""

    debit_account: str
    credit_account: str
    amount: Money


class AssetDepreciated(BaseModel):
    """Payload of ``cn.govparts.assets.asset.depreciated.v1``: an organisation's monthly run."""

    organization_credit_code: str
    year: int
    month: int
    asset_count: int
    total: Money
    totals: list[AccountTotal]


class AssetDisposed(BaseModel):
    """Payload of ``cn.govparts.assets.asset.disposed.v1``: an asset (or part of it) left the books.

    ``category``, ``asset_account`` and ``accumulated_account`` (added later, so optional: a producer
    that does not send them stays valid) tell the books which accounts the disposal leaves: 1601 固定资产 /
    1602 固定资产累计折旧 for a fixed asset, 1701 无形资产 / 1702 无形资产累计摊销 for an intangible one
    (政府会计制度 财会〔2017〕25号).
    """

    asset_id: str
    asset_code: str
    organization_credit_code: str
    method: str
    on: date
    original_value: Money
    """The original value that left (the whole cost, or the disposed part)."""
    accumulated_depreciation: Money
    partial: bool
    approver_role: str
    category: str | None = None
    """The asset's GB/T 14885-2010 category, as ``asset.registered`` sends it."""
    asset_account: str | None = Field(default=None, pattern=r"^[0-9]{4}$")
    """The asset account credited with ``original_value`` (1601, 1701 …)."""
    accumulated_account: str | None = Field(default=None, pattern=r"^[0-9]{4}$")
    """The account debited with ``accumulated_depreciation`` (1602, 1702 …)."""


class DepreciationRun(BaseModel):
    """What a monthly depreciation run did (or had done, when repeated)."""

    organization_credit_code: str
    year: int
    month: int
    asset_count: int
    total: Money
    totals: list[AccountTotal]
    created: bool
    """False when the month had already been run: nothing was charged again."""
    without_usage: list[str] = []
    """Units-of-work assets (ids) that were due but had no usage recorded for the month: not charged."""


class UsageEntry(BaseModel):
    """Units of work an asset did in one month (工作量法), as recorded."""

    asset_id: str
    year: int
    month: int
    units: int


class ReturnTask(BaseModel):
    """A task to take an asset back from a person (交回), raised when they leave."""

    asset_id: str
    asset_code: str
    person_id: str
    reason: TextLine
    status: Literal["open", "done"]


class RegisterLine(BaseModel):
    """One line of the asset register grouped by category, unit or custodian."""

    key: str
    count: int
    original_value: Money


class _PersonAsAssetsReadsIt(BaseModel):
    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)

    person_id: str = Field(min_length=1)
    organization_credit_code: str | None = None
    citizen_id: str | None = None


class _UnitAsAssetsReadsIt(BaseModel):
    model_config = ConfigDict(extra="ignore")

    organization_credit_code: str | None = None


class EmployeeSeparatedAsAssetsReadsIt(BaseModel):
    """The fields of ``cn.govparts.personnel.employee.separated.v1`` the assets part reads (tolerant).

    A person is (organisation, employee number) or a citizen id, never a number alone: the reader
    takes ``person.person_id`` with ``person.organization_credit_code`` (or, if the person names no
    organisation, ``unit.organization_credit_code``), and ``person.citizen_id`` when it is sent.
    Everything else personnel sends is ignored, so personnel may add fields without breaking it.
    """

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)

    person: _PersonAsAssetsReadsIt
    unit: _UnitAsAssetsReadsIt | None = None
    reason: str | None = None
    effective_date: date | None = None

    @property
    def organization_credit_code(self) -> str | None:
        """The organisation that numbers the person: the person's, else the unit's, else ``None``."""
        if self.person.organization_credit_code:
            return self.person.organization_credit_code
        return self.unit.organization_credit_code if self.unit is not None else None


class StockTake(BaseModel):
    """A stock-take (资产清查/盘点) and where it stands."""

    id: str
    organization_credit_code: str
    name: TextLine
    location: TextLine | None
    state: str
    counted: int
    """How many distinct asset codes were scanned."""


class BookBalance(BaseModel):
    """The balance of one ledger account as the books hold it (科目余额), to reconcile the cards with.

    ``balance`` is signed, debit positive, as a trial balance (科目余额表) shows it: 1601 固定资产
    is positive, 1602 固定资产累计折旧 negative. A sub-account (``160101``) counts towards its
    standard account (the first four digits). Any ledger can fill it, e.g. from finance's published
    trial balance: ``BookBalance(account=row.account, balance=row.closing, as_of=month_end)``.
    """

    standard_id: ClassVar[str] = "govparts.assets.BookBalance"
    standard_version: ClassVar[str] = "1.0"
    model_config = ConfigDict(extra="forbid", frozen=True)

    account: Annotated[str, Field(pattern=r"^[0-9]{4}[0-9A-Za-z]{0,16}$")]
    balance: Money
    as_of: date
    """The day the books were read at (the stock-take's day, after the last depreciation run posted)."""


class Finding(BaseModel):
    """A discrepancy a stock-take found.

    Cards against goods (账实核对): ``loss`` (盘亏), ``surplus`` (盘盈), ``location`` (地点不符), each
    about one asset; approving them adjusts the cards (``adjusted_by="assets"``).

    Cards against books (账卡核对): ``book_difference``, one per ledger ``account`` whose balance in
    the books (``ledger_balance``) differs from the total of the cards (``card_total``), both signed
    debit positive as of ``as_of``; ``book_value`` is the difference, cards minus books. Approving it
    records the decision only: adjusting the books is finance's job (``adjusted_by="finance"``).
    """

    kind: Literal["loss", "surplus", "location", "book_difference"]
    asset_code: str
    asset_id: str | None
    book_location: str
    counted_location: str
    book_value: Money
    status: Literal["open", "approved"]
    account: str | None = None
    card_total: Money | None = None
    ledger_balance: Money | None = None
    as_of: date | None = None
    adjusted_by: Literal["assets", "finance"] = "assets"


class MonthTotal(BaseModel):
    """Depreciation charged in one month."""

    year: int
    month: int
    total: Money


MODELS: tuple[type[BaseModel], ...] = (
    AssetCardIn,
    AssetCard,
    AssetRegistered,
    AccountTotal,
    AssetDepreciated,
    AssetDisposed,
    DepreciationRun,
    ReturnTask,
    RegisterLine,
    StockTake,
    BookBalance,
    Finding,
    MonthTotal,
    UsageEntry,
)
"""The published models of the part (its reading of other parts' events is its own, not published)."""
