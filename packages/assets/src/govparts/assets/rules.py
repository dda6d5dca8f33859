"""Pure rules of the assets part: depreciation schedules, category rules, disposal tiers, custody.

Depreciation follows 《政府会计准则第3号——固定资产》 (财会〔2016〕12号) and its application guide
(财会〔2017〕4号):

- monthly, by 年限平均法 (straight line) or 工作量法 (units of work), with no residual value: the
  depreciable amount is the asset's whole cost;
- "当月增加的固定资产，当月开始计提折旧；当月减少的固定资产，当月不再计提折旧" — the month an asset
  is added counts, the month it leaves does not (the opposite of the income-tax rule; source and
  confidence in ``data/depreciation.toml``);
- a fully depreciated asset is not depreciated further, whether or not it is still in use;
- 文物和陈列品, 图书、档案, 单独计价入账的土地, 动植物 and assets at a nominal amount (名义金额) are
  not depreciated;
- the guide's table 1 gives minimum lives per category (计算机设备 ≥ 6 years, 车辆 ≥ 8 …).

A schedule is a pure function of the asset's history (:func:`schedule_from_history`): a capitalised
repair, a revaluation or a partial disposal starts a new *segment* that spreads the remaining net book
value over the remaining (possibly extended) life, so a schedule cannot drift from its events. Inside
a segment every month is the rounded monthly amount (half up, to the fen), never more than what is
left, and the last month takes what rounding left over, so the total equals the depreciable amount to
the fen.

    >>> from datetime import date
    >>> from govparts.core.money import Money
    >>> rows = depreciation_schedule(Money.of("1000.00"), 3, date(2024, 1, 31))
    >>> [(r.year, r.month, str(r.amount)) for r in rows]
    [(2024, 1, '333.33'), (2024, 2, '333.33'), (2024, 3, '333.34')]
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from govparts.core.errors import GuardFailed, InvalidInput
from govparts.core.i18n import N_, domain
from govparts.core.money import Money

DOMAIN = domain("govparts-assets", "govparts.assets")

Method = Literal["straight_line", "units_of_work"]
METHODS: tuple[Method, ...] = ("straight_line", "units_of_work")

__all__ = [
    "DOMAIN",
    "METHODS",
    "BookDifference",
    "CategoryRule",
    "DepreciationRow",
    "DisposalTier",
    "DisposalTiers",
    "HistoryEvent",
    "Method",
    "Segment",
    "card_accounts",
    "category_rule",
    "check_custodian",
    "compare_books",
    "depreciation_schedule",
    "load_disposal_tiers",
    "month_index",
    "period_of",
    "schedule_from_history",
    "segment_amount_fen",
    "segments_from_history",
]


def month_index(year: int, month: int) -> int:
    """A month as one integer (``year * 12 + month - 1``), so that months can be counted by subtraction."""
    return year * 12 + month - 1


def period_of(index: int) -> tuple[int, int]:
    """The (year, month) of a :func:`month_index`."""
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class DepreciationRow:
    """One month of a schedule: the depreciation (or amortisation) charged in ``year``-``month``."""

    year: int
    month: int
    amount: Money


@dataclass(frozen=True)
class Segment:
    """A stretch of straight-line depreciation: ``base_fen`` spread over ``months`` from ``start``.

    ``start`` is a :func:`month_index`; ``monthly_fen`` is ``base_fen / months`` rounded half up.
    The amount of month ``k`` is :func:`segment_amount_fen` — the same formula the monthly SQL run uses.
    ``end`` (exclusive) cuts the segment short when a later event or the disposal month comes first.
    """

    start: int
    months: int
    base_fen: int
    monthly_fen: int
    end: int | None = None

    def amount_fen(self, index: int) -> int:
        """Depreciation in fen of month ``index`` (0 outside the segment)."""
        if self.end is not None and index >= self.end:
            return 0
        return segment_amount_fen(self.base_fen, self.monthly_fen, self.months, index - self.start)

    def charged_before(self, index: int) -> int:
        """Fen charged by this segment in the months before ``index``."""
        stop = index if self.end is None else min(index, self.end)
        offset = max(0, min(stop - self.start, self.months))
        if offset >= self.months:
            return self.base_fen
        return min(self.monthly_fen * offset, self.base_fen)


def segment_amount_fen(base_fen: int, monthly_fen: int, months: int, offset: int) -> int:
    """Fen charged in month ``offset`` (0-based) of a segment: the cumulative cap difference.

    Month ``o`` charges ``min(monthly*(o+1), base) - min(monthly*o, base)``, except the last month
    (``o == months - 1``), which charges ``base - min(monthly*o, base)``: what rounding left over.
    So every month is ≥ 0, none passes the base, and the months add up to the base exactly.
    """
    if offset < 0 or offset >= months or base_fen <= 0:
        return 0
    before = min(monthly_fen * offset, base_fen)
    if offset == months - 1:
        return base_fen - before
    return min(monthly_fen * (offset + 1), base_fen) - before


def _monthly_fen(base_fen: int, months: int) -> int:
    return int((Decimal(base_fen) / Decimal(months)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _positive_months(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(
            N_("{field}: must be a whole number of months of at least 1, got {got}"),
            field=field,
            got=str(value),
            domain=DOMAIN,
        )
    return value


def _non_negative(value: Money, field: str) -> Money:
    money = Money.of(value, field=field)
    if money < Money.zero():
        raise InvalidInput(
            N_("{field}: must not be negative, got {got}"), field=field, got=str(money), domain=DOMAIN
        )
    return money


def depreciation_schedule(
    original_value: Money,
    useful_life_months: int,
    in_service: date,
    *,
    method: Method = "straight_line",
    total_units: int | None = None,
    units: Mapping[tuple[int, int], int] | None = None,
) -> list[DepreciationRow]:
    """The monthly depreciation of an asset added in ``in_service``'s month, with no later events.

    Straight line (年限平均法): ``original_value`` (no residual value) over ``useful_life_months``
    months starting with the month of ``in_service`` (当月增加的固定资产，当月开始计提折旧), each month
    the rounded monthly amount and the last month the remainder. Units of work (工作量法): month
    ``(y, m)`` charges ``original_value * units[(y, m)] / total_units``, rounded half up, capped by what
    is left; the month that reaches ``total_units`` takes the remainder. Months of zero are left out.
    The amounts add up to ``original_value`` exactly (straight line, or units of work once the units
    reach ``total_units``) and never go past it (政府会计准则第3号: 提足折旧后不再计提).

    Source of the methods: 《政府会计准则第3号——固定资产》 (财会〔2016〕12号), 后续计量 (折旧):
    政府会计主体一般应当采用年限平均法或者工作量法计提固定资产折旧 — **unverified**: the wording and
    clause number (第十五条 in secondary sources) could not be read in the standard's own text, and
    its 应用指南 (财会〔2017〕4号) is about lives (表1), not 工作量法. The reference service charges
    units of work month by month from recorded usage with the same cumulative rounding
    (:func:`govparts.assets.service.units_of_work_amount_sql`).
    """
    value = _non_negative(original_value, "original_value")
    if method == "straight_line":
        months = _positive_months(useful_life_months, "useful_life_months")
        start = month_index(in_service.year, in_service.month)
        segment = Segment(start, months, value.fen, _monthly_fen(value.fen, months))
        return _rows([segment])
    if method == "units_of_work":
        return _units_of_work(value, in_service, total_units, units or {})
    raise InvalidInput(
        N_("{field}: {got} is not a depreciation method (allowed: {allowed})"),
        field="method",
        got=str(method),
        allowed=list(METHODS),
        domain=DOMAIN,
    )


def _units_of_work(
    value: Money, in_service: date, total_units: int | None, units: Mapping[tuple[int, int], int]
) -> list[DepreciationRow]:
    if total_units is None or isinstance(total_units, bool) or total_units < 1:
        raise InvalidInput(
            N_("{field}: must be a whole number of at least 1, got {got}"),
            field="total_units",
            got=str(total_units),
            domain=DOMAIN,
        )
    start = month_index(in_service.year, in_service.month)
    rows: list[DepreciationRow] = []
    used = 0
    charged = 0
    for year, month in sorted(units):
        count = units[(year, month)]
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidInput(
                N_("{field}: must be a whole number of at least 0, got {got}"),
                field=f"units.{year}-{month:02d}",
                got=str(count),
                domain=DOMAIN,
            )
        if month_index(year, month) < start or count == 0 or charged >= value.fen:
            continue
        used += count
        if used >= total_units:
            amount = value.fen - charged
        else:
            cumulative = (Decimal(value.fen) * used / total_units).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
            amount = min(int(cumulative), value.fen) - charged
        if amount > 0:
            rows.append(DepreciationRow(year, month, Money.from_fen(amount)))
            charged += amount
    return rows


def _rows(segments: Iterable[Segment]) -> list[DepreciationRow]:
    rows: list[DepreciationRow] = []
    for segment in segments:
        last = segment.start + segment.months
        if segment.end is not None:
            last = min(last, segment.end)
        for index in range(segment.start, last):
            fen = segment.amount_fen(index)
            if fen > 0:
                year, month = period_of(index)
                rows.append(DepreciationRow(year, month, Money.from_fen(fen)))
    return rows


@dataclass(frozen=True)
class HistoryEvent:
    """One event in an asset's history that changes its depreciation.

    ``kind`` is ``registered`` (``value`` = cost, ``life_months``), ``capitalised`` (a repair or
    improvement added to the cost: ``value`` = the amount, ``life_months`` = months added to the life),
    ``revalued`` (``value`` = the new net book value), ``partially_disposed`` (``value`` = the part of
    the original cost that leaves; its share of the accumulated depreciation leaves with it) or
    ``disposed`` (the whole asset leaves). ``on`` is the event's date; it takes effect from its month.
    """

    kind: Literal["registered", "capitalised", "revalued", "partially_disposed", "disposed"]
    on: date
    value: Money = field(default_factory=Money.zero)
    life_months: int = 0


def segments_from_history(events: Sequence[HistoryEvent]) -> list[Segment]:
    """The straight-line segments an asset's history gives (see :func:`schedule_from_history`)."""
    ordered = sorted(events, key=lambda e: (e.on, e.kind != "registered"))
    if not ordered or ordered[0].kind != "registered":
        raise InvalidInput(
            N_("{field}: the history of an asset must start with its registration"),
            field="history",
            domain=DOMAIN,
        )
    first = ordered[0]
    cost = _non_negative(first.value, "history.registered.value").fen
    start = month_index(first.on.year, first.on.month)
    months = _positive_months(first.life_months, "history.registered.life_months")
    segments = [Segment(start, months, cost, _monthly_fen(cost, months))]
    accumulated_before = 0
    end_of_life = start + months
    for event in ordered[1:]:
        index = month_index(event.on.year, event.on.month)
        current = segments[-1]
        if index < current.start:
            raise InvalidInput(
                N_("{field}: an event may not come before the month its asset was added"),
                field="history.on",
                domain=DOMAIN,
            )
        accumulated = accumulated_before + current.charged_before(index)
        segments[-1] = Segment(current.start, current.months, current.base_fen, current.monthly_fen, index)
        if event.kind == "disposed":
            return segments
        remaining_value = cost - accumulated
        if event.kind == "capitalised":
            amount = _non_negative(event.value, "history.capitalised.value").fen
            cost += amount
            remaining_value += amount
            end_of_life += max(0, event.life_months)
        elif event.kind == "revalued":
            new_value = _non_negative(event.value, "history.revalued.value").fen
            cost = accumulated + new_value
            remaining_value = new_value
        elif event.kind == "partially_disposed":
            removed = _non_negative(event.value, "history.partially_disposed.value").fen
            if removed > cost:
                raise InvalidInput(
                    N_("{field}: the disposed part {got} is more than the cost {expected}"),
                    field="history.partially_disposed.value",
                    got=str(Money.from_fen(removed)),
                    expected=str(Money.from_fen(cost)),
                    domain=DOMAIN,
                )
            removed_accumulated = (
                int((Decimal(accumulated) * removed / cost).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                if cost
                else 0
            )
            cost -= removed
            accumulated -= removed_accumulated
            remaining_value = cost - accumulated
        accumulated_before = accumulated
        left = max(end_of_life - index, 0)
        if left == 0 or remaining_value <= 0:
            segments.append(Segment(index, 1, max(remaining_value, 0), max(remaining_value, 0)))
            continue
        segments.append(Segment(index, left, remaining_value, _monthly_fen(remaining_value, left)))
    return segments


def schedule_from_history(events: Sequence[HistoryEvent]) -> list[DepreciationRow]:
    """The straight-line schedule of an asset as a pure function of its history.

    From the month of each event the remaining net book value (after the months before it) is spread
    over the remaining life — extended by a capitalised repair's months (应用指南 一(四): 因改建、扩建等
    原因而延长固定资产使用年限的，应当重新确定固定资产的折旧年限). A disposal ends the schedule before
    its own month (当月减少的固定资产，当月不再计提折旧). The total is the cost net of what left by
    partial disposal and revaluation, to the fen.
    """
    return _rows(segments_from_history(events))


@dataclass(frozen=True)
class CategoryRule:
    """How assets of one category depreciate: whether at all, minimum and default lives, accounts.

    ``asset_account`` holds the cards' original value in the books (1601 固定资产, 1701 无形资产),
    ``accumulated_account`` their depreciation (1602 固定资产累计折旧, 1702 无形资产累计摊销).
    """

    code: str
    depreciated: bool
    min_months: int
    default_months: int
    accumulated_account: str
    reason: str
    source: str
    asset_account: str = "1601"


@cache
def _category_rules() -> dict[str, CategoryRule]:
    data = tomllib.loads(files("govparts.assets").joinpath("data/depreciation.toml").read_text("utf-8"))
    rules: dict[str, CategoryRule] = {}
    for row in data["category"]:
        rules[row["code"]] = CategoryRule(
            code=row["code"],
            depreciated=bool(row.get("depreciated", True)),
            min_months=int(row.get("min_years", 0)) * 12,
            default_months=int(row.get("default_years", 0)) * 12,
            accumulated_account=str(row.get("accumulated_account", "1602")),
            reason=str(row.get("reason", "")),
            source=str(row["source"]),
            asset_account=str(row.get("asset_account", "1601")),
        )
    return rules


def category_rule(category: str) -> CategoryRule:
    """The depreciation rule of a GB/T 14885-2010 category code (the longest listed prefix applies).

    >>> category_rule("2010000").min_months, category_rule("4").depreciated
    (72, False)
    """
    rules = _category_rules()
    for length in range(len(category), 0, -1):
        found = rules.get(category[:length])
        if found is not None and (length == len(category) or len(found.code) < len(category)):
            return found
    return CategoryRule(category, True, 0, 120, "1602", "", "no rule for this category: life as given")


def card_accounts() -> frozenset[str]:
    """Every ledger account the cards are kept in: the asset and accumulated accounts of the rule data."""
    rules = _category_rules().values()
    return frozenset(
        {"1601", "1602"} | {r.asset_account for r in rules} | {r.accumulated_account for r in rules}
    )


@dataclass(frozen=True)
class BookDifference:
    """An account whose balance in the books differs from the cards' total (账卡不符), both signed."""

    account: str
    card_total: Money
    ledger_balance: Money

    @property
    def difference(self) -> Money:
        """Cards minus books."""
        return self.card_total - self.ledger_balance


def compare_books(
    card_totals: Mapping[str, Money], ledger: Iterable[tuple[str, Money]]
) -> list[BookDifference]:
    """The accounts where the cards and the books disagree (账卡核对), by account.

    ``card_totals`` are the cards' totals per account, signed debit positive (original value in the
    asset accounts, accumulated depreciation negative in the accumulated accounts); ``ledger`` the
    books' balances, signed alike. A sub-account counts towards its standard account (its first four
    digits); accounts the cards are not kept in (:func:`card_accounts`, or an account of
    ``card_totals``) are ignored, so a whole trial balance may be passed. An account of the cards the
    books do not list counts as zero in the books. The comparison is to the fen.

    Source: 行政事业单位 asset rules require 账账、账卡、账实相符 (cards agree with the books) at a
    stock-take (清查盘点); the clause numbers of 行政单位国有资产管理暂行办法 (财政部令第35号) and
    事业单位国有资产管理暂行办法 (财政部令第36号) were not verified (not in shared/standards).

    >>> compare_books({"1601": Money.of("7200.00"), "1602": Money.of("-300.00")},
    ...               [("160101", Money.of("7000.00")), ("160102", Money.of("200.00")),
    ...                ("1602", Money.of("-200.00")), ("1001", Money.of("5.00"))])
    [BookDifference(account='1602', card_total=Money('-300.00'), ledger_balance=Money('-200.00'))]
    """
    known = card_accounts() | set(card_totals)
    books: dict[str, Money] = {}
    for account, balance in ledger:
        standard = account[:4]
        if standard in known:
            books[standard] = books.get(standard, Money.zero()) + balance
    found = []
    for account in sorted(set(card_totals) | set(books)):
        cards, kept = card_totals.get(account, Money.zero()), books.get(account, Money.zero())
        if cards != kept:
            found.append(BookDifference(account, cards, kept))
    return found


@dataclass(frozen=True)
class DisposalTier:
    """One approval tier: disposals whose original value is below ``below`` (``None``: no bound)."""

    below: Money | None
    approver_role: str
    authority: Mapping[str, str]


@dataclass(frozen=True)
class DisposalTiers:
    """An ordered table of approval tiers by original book value (账面原值), with its source."""

    name: str
    source: str
    tiers: tuple[DisposalTier, ...]

    def tier_for(self, original_value: Money) -> DisposalTier:
        """The tier that approves the disposal of assets of ``original_value`` in total."""
        for tier in self.tiers:
            if tier.below is None or original_value < tier.below:
                return tier
        return self.tiers[-1]

    @property
    def roles(self) -> tuple[str, ...]:
        """Every approving role of the table."""
        return tuple(dict.fromkeys(t.approver_role for t in self.tiers))


def load_disposal_tiers(path: str | Path | None = None) -> DisposalTiers:
    """Read a tier table (default: the example in ``data/disposal-tiers.toml``)."""
    if path is None:
        text = files("govparts.assets").joinpath("data/disposal-tiers.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = tomllib.loads(text)
    tiers = tuple(
        DisposalTier(
            below=Money.of(row["below"], field="tier.below") if "below" in row else None,
            approver_role=str(row["approver_role"]),
            authority={
                "zh_Hans_CN": row["authority_zh"],
                "en": row["authority_en"],
                "ug_CN": row["authority_ug"],
            },
        )
        for row in data["tier"]
    )
    if not tiers or tiers[-1].below is not None:
        raise InvalidInput(N_("{field}: the last tier must have no upper bound"), field="tier", domain=DOMAIN)
    return DisposalTiers(str(data["name"]), str(data["source"]), tiers)


def check_custodian(current: str | None, claimed_from: str) -> None:
    """Refuse a move whose "from" is not the asset's current custodian (交回/调拨).

    Raises :class:`~govparts.core.errors.GuardFailed` naming the field ``from_custodian``.
    """
    if current != claimed_from:
        raise GuardFailed(
            N_("{field}: the asset is held by {expected}, not {got}"),
            field="from_custodian",
            expected=current or "-",
            got=claimed_from,
            guard="custodian_matches",
            domain=DOMAIN,
        )
