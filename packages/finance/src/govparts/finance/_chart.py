"""The chart of accounts of the Government Accounting System (政府会计制度, 财会〔2017〕25号).

The 103 first-level accounts ship as the code list ``GAS-COA-2017`` (``codes/gov-accounting-2017-coa.csv``);
four more columns of the same file give each account's level, system (``financial`` 财务会计 or
``budget`` 预算会计), element and normal balance side. Organisations add sub-accounts below them
(明细科目) whose codes extend the parent's code; they never change a standard code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

__all__ = [
    "BUDGET_MANAGED_CASH",
    "CHART_ID",
    "ELEMENTS",
    "Account",
    "chart",
    "standard_account",
]

CHART_ID = "GAS-COA-2017"
"""The id of the chart-of-accounts code list."""

System = Literal["financial", "budget"]
Side = Literal["debit", "credit"]

ELEMENTS: dict[str, System] = {
    "asset": "financial",
    "liability": "financial",
    "net_assets": "financial",
    "revenue": "financial",
    "expense": "financial",
    "budget_revenue": "budget",
    "budget_expenditure": "budget",
    "budget_balance": "budget",
}
"""The eight accounting elements (会计要素) and the system each belongs to (财会〔2017〕25号 总说明)."""

BUDGET_MANAGED_CASH: frozenset[str] = frozenset({"1001", "1002", "1011", "1021", "1201"})
"""Accounts whose movements are cash flows under budget management (货币资金 and 财政应返还额度).

A voucher that moves them must carry the parallel budget-accounting entry (平行记账), unless it only
moves funds between them or is exempted for a stated reason (受托代理, 应缴财政款).
"""


@dataclass(frozen=True, slots=True)
class Account:
    """A first-level account of the chart: its code, labels, level, system, element and normal side."""

    code: str
    zh: str
    en: str
    ug: str
    level: int
    system: System
    element: str
    side: Side


@cache
def chart() -> dict[str, Account]:
    """The first-level accounts by code, in published order (103 accounts: 77 financial, 26 budget)."""
    text = files("govparts.finance").joinpath("codes", "gov-accounting-2017-coa.csv").read_text("utf-8")
    accounts: dict[str, Account] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        element = row["element"]
        system = ELEMENTS[element]
        if row["system"] != system or row["side"] not in ("debit", "credit"):
            raise ValueError(f"chart row {row['code']}: inconsistent system or side")
        accounts[row["code"]] = Account(
            code=row["code"],
            zh=row["zh"],
            en=row["en"],
            ug=row["ug"],
            level=int(row["level"]),
            system=system,
            element=element,
            side="debit" if row["side"] == "debit" else "credit",
        )
    return accounts


def standard_account(code: str) -> Account | None:
    """The first-level account ``code`` belongs to (its own or its sub-account's), or None."""
    return chart().get(code[:4])
