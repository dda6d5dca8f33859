"""Property-based tests: every report balances and reconciles for random valid histories."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govparts.core.money import Money
from govparts.core.security import Actor
from govparts.finance import ReferenceService, VoucherDraft, VoucherLine

from .conftest import CHIEF, YEAR

POSTER = Actor(id="u-prop", name="属性", roles=frozenset({"reviewer", "bookkeeper"}))

TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "quota": (("1011", "debit"), ("4001", "credit"), ("8001", "debit"), ("6001", "credit")),
    "expense": (("5001", "debit"), ("1011", "credit"), ("7201", "debit"), ("8001", "credit")),
    "admin": (("5101", "debit"), ("1011", "credit"), ("7101", "debit"), ("8001", "credit")),
    "purchase": (("1601", "debit"), ("1011", "credit"), ("7201", "debit"), ("8001", "credit")),
    "depreciation": (("5001", "debit"), ("1602", "credit")),
    "fees": (("1002", "debit"), ("4101", "credit"), ("8001", "debit"), ("6101", "credit")),
    "withdrawal": (("1001", "debit"), ("1002", "credit")),
    "accrual": (("5001", "debit"), ("2302", "credit")),
    "settle": (("2302", "debit"), ("1002", "credit"), ("7201", "debit"), ("8001", "credit")),
}

vouchers = st.lists(
    st.tuples(
        st.sampled_from(sorted(TEMPLATES)),
        st.integers(min_value=1, max_value=10**9),
        st.integers(min_value=1, max_value=12),
        st.integers(min_value=1, max_value=28),
    ),
    min_size=1,
    max_size=25,
)


def _draft(org: str, kind: str, fen: int, month: int, day: int) -> VoucherDraft:
    amount = Money.from_fen(fen)
    lines = tuple(VoucherLine(account=a, side=s, amount=amount) for a, s in TEMPLATES[kind])  # type: ignore[arg-type]
    return VoucherDraft(org=org, date=date(YEAR, month, day), summary=kind, lines=lines)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=vouchers, month=st.integers(min_value=1, max_value=12))
def test_reports_balance_for_random_histories(
    engine: sa.Engine, history: list[tuple[str, int, int, int]], month: int
) -> None:
    """Balances the trial balance and balance sheet and reconciles the surpluses for any valid history."""
    org = uuid.uuid4().hex[:18].upper()
    service = ReferenceService(engine, unbudgeted="allow")
    service.open_year(CHIEF, org, YEAR)
    service.post_batch(POSTER, org, [_draft(org, *item) for item in history])
    tb = service.trial_balance(CHIEF, org, YEAR, month)
    for system in ("financial", "budget"):
        totals = tb.totals(system)  # type: ignore[arg-type]
        assert totals["opening"].fen == 0
        assert totals["closing"].fen == 0
        assert totals["debit"] == totals["credit"]
    assert all(r.closing == r.opening + r.debit - r.credit for r in tb.rows)
    sheet = service.balance_sheet(CHIEF, org, YEAR, month)
    assert sheet.total_assets == sheet.total_liabilities + sheet.total_net_assets
    income = service.income_statement(CHIEF, org, YEAR, month)
    budget = service.budget_statement(CHIEF, org, YEAR, month)
    rec = service.reconciliation(CHIEF, org, YEAR, month)
    assert (rec.surplus, rec.budget_surplus) == (income.surplus, budget.surplus)
    assert rec.surplus == (
        rec.budget_surplus
        - rec.budget_revenue_not_revenue
        + rec.budget_expenditure_not_expense
        + rec.revenue_not_budget_revenue
        - rec.expense_not_budget_expenditure
    )
    expected_cash = sum(
        (fen if TEMPLATES[kind][0][0] == "1011" else -fen if TEMPLATES[kind][1][0] == "1011" else 0)
        for kind, fen, m, _ in history
        if m <= month
    )
    assert tb.balance_of("1011").fen == expected_cash
    assert service.verify_chain(CHIEF, org).ok


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=vouchers)
def test_year_end_closing_leaves_only_balance_accounts(
    engine: sa.Engine, history: list[tuple[str, int, int, int]]
) -> None:
    """Closes any year so that nominal accounts are zero and both systems still balance."""
    org = uuid.uuid4().hex[:18].upper()
    service = ReferenceService(engine, unbudgeted="allow")
    service.open_year(CHIEF, org, YEAR)
    service.post_batch(POSTER, org, [_draft(org, *item) for item in history])
    surplus = service.income_statement(CHIEF, org, YEAR, 12).surplus
    budget_surplus = service.budget_statement(CHIEF, org, YEAR, 12).surplus
    service.close_year(CHIEF, org, YEAR)
    tb = service.trial_balance(CHIEF, org, YEAR, 12)
    for prefix in ("4", "5", "6", "7", "3301", "3302"):
        assert tb.balance_of(prefix).fen == 0
    assert -tb.balance_of("3001") == surplus
    assert -(tb.balance_of("81") + tb.balance_of("82") + tb.balance_of("84")) == budget_surplus
    for system in ("financial", "budget"):
        assert tb.totals(system)["closing"].fen == 0  # type: ignore[arg-type]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=vouchers, month=st.integers(min_value=1, max_value=12))
def test_kept_balances_equal_the_ledger(
    engine: sa.Engine, history: list[tuple[str, int, int, int]], month: int
) -> None:
    """Keeps per-account totals that give the same trial balance as summing the ledger itself."""
    from govparts.finance._reports import trial_balance_from_entries

    org = uuid.uuid4().hex[:18].upper()
    service = ReferenceService(engine, unbudgeted="allow")
    service.open_year(CHIEF, org, YEAR)
    half = len(history) // 2
    service.post_batch(POSTER, org, [_draft(org, *item) for item in history[:half]])
    for item in history[half:]:
        service.post_batch(POSTER, org, [_draft(org, *item)])
    with engine.connect() as conn:
        assert service.trial_balance(CHIEF, org, YEAR, month) == trial_balance_from_entries(
            conn, org, YEAR, month
        )
