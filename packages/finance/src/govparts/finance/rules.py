"""Pure rules of government accounting (政府会计制度, 财会〔2017〕25号): no I/O.

* :func:`check_voucher_lines` — each system balances on its own (借贷平衡 per system) and every
  line amount is positive; a red-ink reversal (红字冲销) is the only voucher with negative amounts.
* :func:`check_parallel_recording` — 平行记账: a budget-managed cash flow needs its budget entry.
* :func:`budget_lines_for_payment` — the budget entry a payment generates (Dr 7xxx / Cr 8001).
* :func:`reversal_lines` — the red-ink reversal of a voucher.
* :func:`closing_lines` — year-end carry-forward of revenue, expense and budget accounts.
* :func:`available_budget` — what an indicator still allows.
* :func:`reconcile_surpluses` — the budget-surplus / surplus reconciliation (差异调节表).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from govparts.core.errors import GovPartsError, InvalidInput, UnknownCode
from govparts.core.i18n import N_
from govparts.core.money import Money

from ._assets import ASSET_ACCOUNTS, PAYING_ACCOUNTS, asset_account, budget_credit_of, paying_account
from ._chart import BUDGET_MANAGED_CASH, Account, chart, standard_account
from ._domain import DOMAIN
from ._errors import ParallelEntryMissing, UnbalancedVoucher
from .models import SubAccount, VoucherLine

__all__ = [
    # asset events
    "ASSET_ACCOUNTS",
    "PAYING_ACCOUNTS",
    "asset_account",
    "budget_credit_of",
    "paying_account",
    # vouchers and budget
    "SurplusItems",
    "account_of",
    "available_budget",
    "budget_lines_for_payment",
    "check_parallel_recording",
    "check_voucher_lines",
    "closing_lines",
    "reconcile_surpluses",
    "reversal_lines",
    "signed",
]


def account_of(code: str, *, field: str = "account") -> Account:
    """The first-level account of ``code`` (a standard code or a sub-account extending one).

    Unknown codes raise :class:`~govparts.core.errors.UnknownCode` naming ``field``.
    """
    found = standard_account(code)
    if found is None:
        raise UnknownCode(
            N_("{field}: {got} is not an account of the chart {chart} or below one"),
            field=field,
            got=code,
            chart="GAS-COA-2017",
            domain=DOMAIN,
        )
    return found


def signed(side: str, fen: int) -> int:
    """``fen`` as a debit-positive amount."""
    return fen if side == "debit" else -fen


def check_voucher_lines(lines: Sequence[VoucherLine], *, red_ink: bool = False) -> dict[str, int]:
    """Check a voucher's lines; returns the debit total in fen per system present.

    Rules (财会〔2017〕25号 总说明: double entry in each system; Money only): every account is in the
    chart; every amount is positive (negative only in a red-ink reversal, never zero); in each system
    present, debits equal credits. Raises :class:`~govparts.core.errors.InvalidInput` naming
    ``lines[i].amount`` or ``lines[i].account``, or :class:`UnbalancedVoucher` naming ``lines``.
    """
    debit: dict[str, int] = {}
    credit: dict[str, int] = {}
    for index, line in enumerate(lines):
        system = account_of(line.account, field=f"lines[{index}].account").system
        fen = line.amount.fen
        if fen == 0 or (fen < 0 and not red_ink):
            raise InvalidInput(
                N_("{field}: a line amount must be positive, got {got}"),
                field=f"lines[{index}].amount",
                got=str(line.amount),
                domain=DOMAIN,
            )
        if red_ink and fen > 0:
            raise InvalidInput(
                N_("{field}: a red-ink reversal has only negative amounts, got {got}"),
                field=f"lines[{index}].amount",
                got=str(line.amount),
                domain=DOMAIN,
            )
        target = debit if line.side == "debit" else credit
        target[system] = target.get(system, 0) + fen
        other = credit if line.side == "debit" else debit
        other.setdefault(system, 0)
    for name in sorted(debit):
        if debit[name] != credit[name]:
            raise UnbalancedVoucher(
                field="lines",
                system=name,
                debit=str(Money.from_fen(debit[name])),
                credit=str(Money.from_fen(credit[name])),
            )
    return debit


def check_parallel_recording(lines: Sequence[VoucherLine], exemption: str | None = None) -> None:
    """平行记账 (财会〔2017〕25号 总说明): a budget-managed cash flow has a budget-accounting entry.

    When the financial lines change the total of the budget-managed cash accounts
    (:data:`~govparts.finance.BUDGET_MANAGED_CASH`: 库存现金, 银行存款, 零余额账户用款额度, 其他货币资金,
    财政应返还额度), the voucher must also have budget lines, unless it is exempted (funds held as
    agent, 受托代理; amounts payable to the treasury, 应缴财政款). Moving funds between those accounts
    changes no total and needs no budget entry. Raises :class:`ParallelEntryMissing`.
    """
    if exemption is not None:
        return
    flow = 0
    touched: set[str] = set()
    has_budget = False
    for line in lines:
        account = account_of(line.account)
        if account.system == "budget":
            has_budget = True
        elif account.code in BUDGET_MANAGED_CASH:
            flow += signed(line.side, line.amount.fen)
            touched.add(account.code)
    if flow != 0 and not has_budget:
        raise ParallelEntryMissing(field="lines", accounts=sorted(touched))


def budget_lines_for_payment(
    amount: Money,
    *,
    expenditure_account: str,
    project: str | None = None,
    econ_class: str | None = None,
    func_class: str | None = None,
    fund: Literal["fiscal", "non_fiscal"] = "fiscal",
    summary: str = "",
    credit_account: str = "8001",
) -> tuple[VoucherLine, VoucherLine]:
    """The budget entry of a payment: Dr budget expenditure (7xxx) / Cr 8001 资金结存.

    ``credit_account`` is 6001 财政拨款预算收入 for a payment by 财政直接支付 (财会〔2017〕25号, 1601
    科目 主要账务处理), which moves no fund balance of the unit.

    The teaching example of 财会〔2017〕25号 (REFERENCE §11.7): an expense paid from the
    zero-balance-account quota is Dr 5xxx / Cr 1011 in financial accounting and Dr 7xxx / Cr 8001 in
    budget accounting.
    """
    if account_of(expenditure_account, field="expenditure_account").element != "budget_expenditure":
        raise InvalidInput(
            N_("{field}: {got} is not a budget expenditure account (7xxx)"),
            field="expenditure_account",
            got=expenditure_account,
            domain=DOMAIN,
        )
    common = {"summary": summary, "project": project, "econ_class": econ_class, "func_class": func_class}
    return (
        VoucherLine(account=expenditure_account, side="debit", amount=amount, fund=fund, **common),
        VoucherLine(account=credit_account, side="credit", amount=amount, **common),
    )


def reversal_lines(lines: Iterable[VoucherLine]) -> tuple[VoucherLine, ...]:
    """The red-ink reversal (红字冲销) of ``lines``: the same accounts and sides, amounts negated."""
    return tuple(line.model_copy(update={"amount": -line.amount}) for line in lines)


@dataclass(frozen=True)
class _Balance:
    account: str
    fen: int
    """Debit-positive balance."""
    fund: str | None = None


def _fund(value: str | None) -> Literal["fiscal", "non_fiscal"] | None:
    return "non_fiscal" if value == "non_fiscal" else "fiscal" if value == "fiscal" else None


def _closing_target(account: Account, fund: str | None) -> str:
    if account.system == "financial":
        return "3301"
    if account.code in ("6401", "7301"):
        return "8401"
    if account.code == "6001":
        return "8101"
    if account.element == "budget_revenue":
        return "8201"
    return "8201" if fund == "non_fiscal" else "8101"


def closing_lines(balances: Mapping[tuple[str, str | None], int]) -> tuple[VoucherLine, ...]:
    """Year-end carry-forward (年末结转) of the balances ``{(account, fund): debit-positive fen}``.

    Financial: revenue (4xxx) and expenses (5xxx) into 3301 本期盈余, then 3301 through 3302
    本年盈余分配 into 3001 累计盈余. Budget (basic form): 6001 and fiscally funded expenditure into
    8101 财政拨款结转; 6401/7301 into 8401 经营结余; other budget revenue and non-fiscal expenditure
    into 8201 非财政拨款结转. Returns the lines of one closing voucher (empty when nothing to close).
    """
    out: list[VoucherLine] = []
    targets: dict[str, int] = {}
    for (code, fund), fen in sorted(balances.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        account = account_of(code)
        if fen == 0 or account.element not in (
            "revenue",
            "expense",
            "budget_revenue",
            "budget_expenditure",
        ):
            continue
        out.append(
            VoucherLine(
                account=code,
                side="credit" if fen > 0 else "debit",
                amount=Money.from_fen(abs(fen)),
                fund=_fund(fund) if account.system == "budget" else None,
                summary="年末结转",
            )
        )
        target = _closing_target(account, fund)
        targets[target] = targets.get(target, 0) + fen
    surplus = -targets.get("3301", 0)
    for target, fen in sorted(targets.items()):
        if fen != 0:
            out.append(
                VoucherLine(
                    account=target,
                    side="debit" if fen > 0 else "credit",
                    amount=Money.from_fen(abs(fen)),
                    summary="年末结转",
                )
            )
    if surplus != 0:
        amount = Money.from_fen(abs(surplus))
        into, out_of = ("debit", "credit") if surplus > 0 else ("credit", "debit")
        out += [
            VoucherLine(account="3301", side=into, amount=amount, summary="本期盈余转入本年盈余分配"),
            VoucherLine(account="3302", side=out_of, amount=amount, summary="本期盈余转入本年盈余分配"),
            VoucherLine(account="3302", side=into, amount=amount, summary="本年盈余分配转入累计盈余"),
            VoucherLine(account="3001", side=out_of, amount=amount, summary="本年盈余分配转入累计盈余"),
        ]
    return tuple(out)


def available_budget(amount: Money, posted: Money, committed: Money) -> Money:
    """What an indicator still allows: its amount less posted expenditure and open commitments."""
    return amount - posted - committed


@dataclass(frozen=True)
class SurplusItems:
    """Per-voucher sums in fen: revenue, expense, budget revenue and budget expenditure."""

    revenue: int
    expense: int
    budget_revenue: int
    budget_expenditure: int


def reconcile_surpluses(items: Iterable[SurplusItems]) -> dict[str, int]:
    """The four adjustments of 本期预算结余与本期盈余差异调节表, in fen, from per-voucher sums.

    For each voucher the differences between what financial and budget accounting recognised are
    split by sign into: budget revenue not recognised as revenue, budget expenditure not recognised
    as expense, revenue not recognised as budget revenue, expense not recognised as budget
    expenditure. Then ``surplus = budget_surplus − (1) + (2) + (3) − (4)`` holds exactly.
    """
    result = {
        "budget_surplus": 0,
        "budget_revenue_not_revenue": 0,
        "budget_expenditure_not_expense": 0,
        "revenue_not_budget_revenue": 0,
        "expense_not_budget_expenditure": 0,
        "surplus": 0,
    }
    for item in items:
        result["budget_surplus"] += item.budget_revenue - item.budget_expenditure
        result["surplus"] += item.revenue - item.expense
        revenue_gap = item.revenue - item.budget_revenue
        expense_gap = item.expense - item.budget_expenditure
        if revenue_gap >= 0:
            result["revenue_not_budget_revenue"] += revenue_gap
        else:
            result["budget_revenue_not_revenue"] -= revenue_gap
        if expense_gap >= 0:
            result["expense_not_budget_expenditure"] += expense_gap
        else:
            result["budget_expenditure_not_expense"] -= expense_gap
    return result


def period_of(day: date) -> tuple[int, int]:
    """The (year, month) accounting period of ``day`` (calendar months, 会计期间 按公历)."""
    return day.year, day.month


def sub_account_problem(account: SubAccount) -> GovPartsError | None:
    """What is wrong with a new sub-account by itself (whether its parent exists aside), or None.

    Standard codes belong to the chart and cannot be added or changed; the parent is a known account
    (standard, or of the form of one); the code extends the parent's code; it closes after it opens.
    """
    if account.code in chart():
        return InvalidInput(
            N_("{field}: {got} is a standard account of the chart and cannot be changed"),
            field="code",
            got=account.code,
            domain=DOMAIN,
        )
    try:
        account_of(account.parent, field="parent")
    except GovPartsError as exc:
        return exc
    if not account.code.startswith(account.parent) or len(account.code) <= len(account.parent):
        return InvalidInput(
            N_("{field}: a sub-account code extends its parent's code {expected}, got {got}"),
            field="code",
            expected=account.parent,
            got=account.code,
            domain=DOMAIN,
        )
    if account.closed_on is not None and account.closed_on < account.opened_on:
        return InvalidInput(
            N_("{field}: the account closes before it opens"), field="closed_on", domain=DOMAIN
        )
    return None
