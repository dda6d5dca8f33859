"""Export of the posted books to Beancount, so an independent double-entry tool can audit them.

Each organisation's accounts become ``<Root>:O<org>:<Fin|Bud>:A<code>``, the root given by the
account's element (assets, 8001 资金结存 → ``Assets``; liabilities → ``Liabilities``; net assets and
the budget balance accounts → ``Equity``; revenue and budget revenue → ``Income``; expenses and
budget expenditure → ``Expenses``). Every posted voucher becomes a transaction (debits positive,
credits negative, red-ink lines keep their sign), and the closing balance of every account from
our trial balance is written as a ``balance`` assertion on the first day after the last period, so
``bean-check`` passing proves that Beancount's balances equal ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from govparts.core.money import Money

from . import _reports, rules
from .tables import ENTRY, VOUCHER

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["beancount_account", "export_beancount"]

_ROOTS = {
    "asset": "Assets",
    "liability": "Liabilities",
    "net_assets": "Equity",
    "revenue": "Income",
    "expense": "Expenses",
    "budget_revenue": "Income",
    "budget_expenditure": "Expenses",
    "budget_balance": "Equity",
}


def _component(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "-", text).upper()


def beancount_account(org: str, code: str) -> str:
    """The Beancount account name of ``code`` in ``org``'s books."""
    account = rules.account_of(code)
    root = "Assets" if account.code == "8001" else _ROOTS[account.element]
    system = "Fin" if account.system == "financial" else "Bud"
    return f"{root}:O{_component(org)}:{system}:A{_component(code)}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _next_month(period: int) -> date:
    year, month = divmod(period, 100)
    return date(year + (month == 12), 1 if month == 12 else month + 1, 1)


def _lines(conn: sa.Connection, org: str | None) -> Iterator[str]:
    orgs = (
        [org]
        if org
        else list(conn.execute(sa.select(ENTRY.c.org).distinct().order_by(ENTRY.c.org)).scalars())
    )
    yield 'option "title" "govparts finance export"'
    yield 'option "operating_currency" "CNY"'
    yield ""
    yield "1900-01-01 commodity CNY"
    for name in orgs:
        first = conn.execute(
            sa.select(ENTRY.c.account, sa.func.min(ENTRY.c.date))
            .where(ENTRY.c.org == name)
            .group_by(ENTRY.c.account)
            .order_by(ENTRY.c.account)
        ).all()
        if not first:
            continue
        yield ""
        for account, opened in first:
            yield f"{opened.isoformat()} open {beancount_account(name, account)} CNY"
        yield ""
        rows = conn.execute(
            sa.select(ENTRY, VOUCHER.c.summary.label("voucher_summary"), VOUCHER.c.id.label("vid"))
            .join(VOUCHER, VOUCHER.c.id == ENTRY.c.voucher_id)
            .where(ENTRY.c.org == name)
            .order_by(ENTRY.c.date, ENTRY.c.period, ENTRY.c.number, ENTRY.c.line_no)
        )
        current = None
        for row in rows:
            if row.voucher_id != current:
                current = row.voucher_id
                year, month = divmod(row.period, 100)
                yield ""
                yield (
                    f"{row.date.isoformat()} * {_quote(f'记-{year}-{month:02d}-{row.number:04d}')} "
                    f"{_quote(row.voucher_summary)}"
                )
                yield f"  voucher: {_quote(row.voucher_id)}"
            fen = rules.signed(row.side, row.amount.fen)
            yield f"  {beancount_account(name, row.account)}  {Money.from_fen(fen)} CNY"
        last = int(
            conn.execute(sa.select(sa.func.max(ENTRY.c.period)).where(ENTRY.c.org == name)).scalar_one()
        )
        tb = _reports.trial_balance(conn, name, last // 100, last % 100)
        check_on = _next_month(last).isoformat()
        yield ""
        for r in tb.rows:
            yield f"{check_on} balance {beancount_account(name, r.account)}  {r.closing} CNY"


def export_beancount(engine: Engine, out_path: str | Path, *, org: str | None = None) -> Path:
    """Write the posted books (of ``org``, or of every organisation) to ``out_path`` as Beancount.

    The file ends with one ``balance`` assertion per account carrying our trial balance's closing
    balance, dated the first day after the last posted period; returns the path written. The file
    appears whole or not at all: it is written beside ``out_path`` and renamed when complete.
    """
    path = Path(out_path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with engine.connect() as conn, partial.open("w", encoding="utf-8") as out:
            for text in _lines(conn, org):
                out.write(text + "\n")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path
