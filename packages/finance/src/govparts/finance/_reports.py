"""Reports computed in SQL over the posted ledger (``finance_entry``), exact to the fen."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from govparts.core.money import Money

from . import rules
from .models import (
    BalanceSheet,
    BudgetStatement,
    IncomeStatement,
    LedgerLine,
    Reconciliation,
    ReportLine,
    TrialBalance,
    TrialBalanceRow,
)
from .tables import BALANCE, ENTRY

__all__ = [
    "balance_sheet",
    "budget_statement",
    "income_statement",
    "ledger",
    "reconciliation",
    "trial_balance",
    "trial_balance_from_entries",
    "year_balances",
]


def _raw_sum(expr: Any) -> Any:
    return sa.func.coalesce(sa.func.sum(expr), 0)


def trial_balance(conn: Any, org: str, year: int, month: int) -> TrialBalance:
    """科目余额表: per account, opening balance, debits and credits of the period, closing balance.

    One ``GROUP BY`` over ``finance_balance`` (totals per account and period, maintained by every
    posting), so the cost follows the number of accounts and periods, not of ledger lines.
    :func:`trial_balance_from_entries` computes the same from the ledger itself. Balances are
    debit-positive; the sums per system satisfy opening = 0, debit = credit, closing = 0 whenever
    every voucher balanced.
    """
    period = year * 100 + month
    in_period = BALANCE.c.period == period
    query = (
        sa.select(
            BALANCE.c.account,
            BALANCE.c.system,
            _raw_sum(sa.case((BALANCE.c.period < period, BALANCE.c.debit - BALANCE.c.credit), else_=0)).label(
                "opening"
            ),
            _raw_sum(sa.case((in_period, BALANCE.c.debit), else_=0)).label("debit"),
            _raw_sum(sa.case((in_period, BALANCE.c.credit), else_=0)).label("credit"),
        )
        .where(BALANCE.c.org == org, BALANCE.c.period <= period)
        .group_by(BALANCE.c.account, BALANCE.c.system)
        .order_by(BALANCE.c.account)
    )
    return _trial_balance_rows(conn, query, org, year, month)


def trial_balance_from_entries(conn: Any, org: str, year: int, month: int) -> TrialBalance:
    """The trial balance computed from the posted lines themselves (one ``GROUP BY`` over the ledger)."""
    period = year * 100 + month
    amount = sa.type_coerce(ENTRY.c.amount, sa.BigInteger)
    signed = sa.case((ENTRY.c.side == "debit", amount), else_=-amount)
    in_period = ENTRY.c.period == period
    query = (
        sa.select(
            ENTRY.c.account,
            ENTRY.c.system,
            _raw_sum(sa.case((ENTRY.c.period < period, signed), else_=0)).label("opening"),
            _raw_sum(sa.case((in_period & (ENTRY.c.side == "debit"), amount), else_=0)).label("debit"),
            _raw_sum(sa.case((in_period & (ENTRY.c.side == "credit"), amount), else_=0)).label("credit"),
        )
        .where(ENTRY.c.org == org, ENTRY.c.period <= period)
        .group_by(ENTRY.c.account, ENTRY.c.system)
        .order_by(ENTRY.c.account)
    )
    return _trial_balance_rows(conn, query, org, year, month)


def _trial_balance_rows(conn: Any, query: Any, org: str, year: int, month: int) -> TrialBalance:
    rows = []
    for r in conn.execute(query):
        opening, debit, credit = int(r.opening), int(r.debit), int(r.credit)
        rows.append(
            TrialBalanceRow(
                account=r.account,
                system=r.system,
                opening=Money.from_fen(opening),
                debit=Money.from_fen(debit),
                credit=Money.from_fen(credit),
                closing=Money.from_fen(opening + debit - credit),
            )
        )
    return TrialBalance(org=org, year=year, month=month, rows=tuple(rows))


def _by_account(
    conn: Any, org: str, first: int, last: int, *, accounts: str, exclude_closing: bool
) -> dict[str, int]:
    amount = sa.type_coerce(ENTRY.c.amount, sa.BigInteger)
    signed = sa.case((ENTRY.c.side == "debit", amount), else_=-amount)
    query = (
        sa.select(ENTRY.c.account, _raw_sum(signed).label("fen"))
        .where(ENTRY.c.org == org, ENTRY.c.period.between(first, last), ENTRY.c.account.like(f"{accounts}%"))
        .group_by(ENTRY.c.account)
        .order_by(ENTRY.c.account)
    )
    if exclude_closing:
        query = query.where(ENTRY.c.kind != "closing")
    return {r.account: int(r.fen) for r in conn.execute(query)}


def _lines(balances: dict[str, int], sign: int) -> tuple[ReportLine, ...]:
    return tuple(ReportLine(account=a, amount=Money.from_fen(sign * f)) for a, f in balances.items() if f)


def balance_sheet(conn: Any, org: str, year: int, month: int) -> BalanceSheet:
    """资产负债表 at the end of the period: assets (debit-positive, contra accounts reduce them),
    liabilities and net assets (credit-positive); revenue less expenses not yet carried forward
    appears as ``unclosed_surplus`` inside net assets, so assets = liabilities + net assets."""
    last = year * 100 + month
    balances = {
        digit: _by_account(conn, org, 0, last, accounts=digit, exclude_closing=False)
        for digit in ("1", "2", "3", "4", "5")
    }
    unclosed = -(sum(balances["4"].values()) + sum(balances["5"].values()))
    total_assets = sum(balances["1"].values())
    total_liabilities = -sum(balances["2"].values())
    total_net = -sum(balances["3"].values()) + unclosed
    return BalanceSheet(
        org=org,
        year=year,
        month=month,
        assets=_lines(balances["1"], 1),
        liabilities=_lines(balances["2"], -1),
        net_assets=_lines(balances["3"], -1),
        total_assets=Money.from_fen(total_assets),
        total_liabilities=Money.from_fen(total_liabilities),
        total_net_assets=Money.from_fen(total_net),
        unclosed_surplus=Money.from_fen(unclosed),
    )


def income_statement(conn: Any, org: str, year: int, month: int, from_month: int = 1) -> IncomeStatement:
    """收入费用表 for the months from ``from_month`` to ``month`` (year-end closing entries excluded)."""
    first, last = year * 100 + from_month, year * 100 + month
    revenue = _by_account(conn, org, first, last, accounts="4", exclude_closing=True)
    expenses = _by_account(conn, org, first, last, accounts="5", exclude_closing=True)
    total_revenue, total_expenses = -sum(revenue.values()), sum(expenses.values())
    return IncomeStatement(
        org=org,
        year=year,
        from_month=from_month,
        month=month,
        revenue=_lines(revenue, -1),
        expenses=_lines(expenses, 1),
        total_revenue=Money.from_fen(total_revenue),
        total_expenses=Money.from_fen(total_expenses),
        surplus=Money.from_fen(total_revenue - total_expenses),
    )


def budget_statement(conn: Any, org: str, year: int, month: int, from_month: int = 1) -> BudgetStatement:
    """预算收入支出表 for the months from ``from_month`` to ``month`` (closing entries excluded)."""
    first, last = year * 100 + from_month, year * 100 + month
    revenue = _by_account(conn, org, first, last, accounts="6", exclude_closing=True)
    spent = _by_account(conn, org, first, last, accounts="7", exclude_closing=True)
    total_revenue, total_spent = -sum(revenue.values()), sum(spent.values())
    return BudgetStatement(
        org=org,
        year=year,
        from_month=from_month,
        month=month,
        revenue=_lines(revenue, -1),
        expenditure=_lines(spent, 1),
        total_revenue=Money.from_fen(total_revenue),
        total_expenditure=Money.from_fen(total_spent),
        surplus=Money.from_fen(total_revenue - total_spent),
    )


def reconciliation(conn: Any, org: str, year: int, month: int, from_month: int = 1) -> Reconciliation:
    """本期预算结余与本期盈余差异调节表 (basic form), from per-voucher sums in one GROUP BY."""
    first, last = year * 100 + from_month, year * 100 + month
    amount = sa.type_coerce(ENTRY.c.amount, sa.BigInteger)
    signed = sa.case((ENTRY.c.side == "debit", amount), else_=-amount)

    def part(prefix: str, sign: int) -> Any:
        return _raw_sum(sa.case((ENTRY.c.account.like(f"{prefix}%"), signed * sign), else_=0))

    query = (
        sa.select(
            part("4", -1).label("revenue"),
            part("5", 1).label("expense"),
            part("6", -1).label("budget_revenue"),
            part("7", 1).label("budget_expenditure"),
        )
        .where(ENTRY.c.org == org, ENTRY.c.period.between(first, last), ENTRY.c.kind != "closing")
        .group_by(ENTRY.c.voucher_id)
    )
    sums = rules.reconcile_surpluses(
        rules.SurplusItems(int(r.revenue), int(r.expense), int(r.budget_revenue), int(r.budget_expenditure))
        for r in conn.execute(query)
    )
    return Reconciliation(
        org=org,
        year=year,
        from_month=from_month,
        month=month,
        **{name: Money.from_fen(fen) for name, fen in sums.items()},
    )


def ledger(conn: Any, org: str, account: str, year: int, month: int | None = None) -> list[LedgerLine]:
    """General ledger (总账) of a first-level account or sub-ledger (明细账) of a sub-account: posted
    lines of the year (to ``month``) with the running balance from the opening balance."""
    first = year * 100 + 1
    last = year * 100 + (month or 12)
    amount = sa.type_coerce(ENTRY.c.amount, sa.BigInteger)
    signed = sa.case((ENTRY.c.side == "debit", amount), else_=-amount)
    opening = int(
        conn.execute(
            sa.select(_raw_sum(signed)).where(
                ENTRY.c.org == org, ENTRY.c.period < first, ENTRY.c.account.like(f"{account}%")
            )
        ).scalar()
    )
    rows = conn.execute(
        sa.select(ENTRY)
        .where(ENTRY.c.org == org, ENTRY.c.period.between(first, last), ENTRY.c.account.like(f"{account}%"))
        .order_by(ENTRY.c.period, ENTRY.c.number, ENTRY.c.line_no)
    )
    out = []
    balance = opening
    for r in rows:
        balance += rules.signed(r.side, r.amount.fen)
        out.append(
            LedgerLine(
                voucher_id=r.voucher_id,
                number=r.number,
                date=r.date,
                account=r.account,
                side=r.side,
                amount=r.amount,
                balance=Money.from_fen(balance),
                summary=r.summary,
                project=r.project,
                econ_class=r.econ_class,
            )
        )
    return out


def year_balances(conn: Any, org: str, year: int) -> dict[tuple[str, str | None], int]:
    """Balances (debit-positive fen) of revenue, expense and budget accounts in ``year``, by fund."""
    amount = sa.type_coerce(ENTRY.c.amount, sa.BigInteger)
    signed = sa.case((ENTRY.c.side == "debit", amount), else_=-amount)
    query = (
        sa.select(ENTRY.c.account, ENTRY.c.fund, _raw_sum(signed).label("fen"))
        .where(
            ENTRY.c.org == org,
            ENTRY.c.period.between(year * 100 + 1, year * 100 + 12),
            sa.func.substr(ENTRY.c.account, 1, 1).in_(("4", "5", "6", "7")),
        )
        .group_by(ENTRY.c.account, ENTRY.c.fund)
    )
    out: dict[tuple[str, str | None], int] = {}
    for r in conn.execute(query):
        fund = r.fund if r.account[0] in "67" else None
        out[(r.account, fund)] = out.get((r.account, fund), 0) + int(r.fen)
    return out
