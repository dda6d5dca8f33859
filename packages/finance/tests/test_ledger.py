"""Vouchers, posting, reversal, periods and the chain on the reference service."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from govparts.core.errors import GuardFailed, InvalidInput, PermissionDenied, TransitionNotAllowed
from govparts.core.money import Money
from govparts.finance import (
    ParallelEntryMissing,
    PeriodClosed,
    ReferenceService,
    SubAccount,
    UnbalancedVoucher,
    VoucherDraft,
)
from govparts.finance.tables import ENTRY, VOUCHER

from .conftest import ALL_ROLES, BOOKKEEPER, CHIEF, ORG, PREPARER, REVIEWER, YEAR, line, post, quota_receipt


def _count(service: ReferenceService, table: sa.Table) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_posts_quota_receipt_in_both_systems(service: ReferenceService) -> None:
    """Posts the quota receipt of REFERENCE §11.7 with a number, a hash and balances in both systems."""
    voucher = service.get_voucher(post(service, quota_receipt()))
    assert (voucher.state, voucher.number) == ("posted", 1)
    assert voucher.hash
    assert len(voucher.hash) == 64
    tb = service.trial_balance(ORG, YEAR, 1)
    assert tb.balance_of("1011") == Money.of("100000.00")
    assert tb.balance_of("8001") == Money.of("100000.00")
    assert tb.balance_of("4001") == Money.of("-100000.00")
    assert tb.balance_of("6001") == Money.of("-100000.00")


def test_refuses_voucher_unbalanced_in_one_system(service: ReferenceService) -> None:
    """Refuses a voucher whose budget lines differ while the financial lines balance; nothing is written."""
    draft = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 6),
        summary="unbalanced",
        lines=(
            line("1011", "debit", "10.00"),
            line("4001", "credit", "10.00"),
            line("8001", "debit", "10.00"),
            line("6001", "credit", "9.99"),
        ),
    )
    with pytest.raises(UnbalancedVoucher) as caught:
        service.create_voucher(draft, PREPARER)
    assert caught.value.field == "lines"
    assert caught.value.details["system"] == "budget"
    assert _count(service, VOUCHER) == 0


def test_refuses_cross_system_balancing(service: ReferenceService) -> None:
    """Refuses a voucher balanced only across systems (a financial debit against a budget credit)."""
    draft = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 6),
        summary="cross",
        lines=(line("5001", "debit", "10.00"), line("8001", "credit", "10.00")),
    )
    with pytest.raises(UnbalancedVoucher):
        service.create_voucher(draft, PREPARER)


@pytest.mark.parametrize("amount", ["0.00", "-5.00"])
def test_refuses_zero_and_negative_amounts(service: ReferenceService, amount: str) -> None:
    """Refuses zero and negative line amounts, naming the line's amount field."""
    draft = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 6),
        summary="bad amount",
        lines=(line("1002", "debit", amount), line("1001", "credit", amount)),
    )
    with pytest.raises(InvalidInput) as caught:
        service.create_voucher(draft, PREPARER)
    assert caught.value.field == "lines[0].amount"


def test_refuses_unknown_account(service: ReferenceService) -> None:
    """Refuses an account outside the chart (5701 is not in the 2017 system), naming the line."""
    draft = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 6),
        summary="unknown",
        lines=(line("1002", "debit", "1.00"), line("5701", "credit", "1.00")),
    )
    with pytest.raises(InvalidInput) as caught:
        service.create_voucher(draft, PREPARER)
    assert caught.value.field == "lines[1].account"


def test_requires_parallel_budget_entry(service: ReferenceService) -> None:
    """Refuses an expense paid from the quota without its budget entry (平行记账)."""
    draft = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 6),
        summary="办公费",
        lines=(line("5101", "debit", "300.00"), line("1011", "credit", "300.00")),
    )
    with pytest.raises(ParallelEntryMissing) as caught:
        service.create_voucher(draft, PREPARER)
    assert "1011" in caught.value.details["accounts"]


def test_cash_transfer_and_depreciation_need_no_budget_entry(service: ReferenceService) -> None:
    """Accepts a cash transfer and depreciation (Dr 5001/5101, Cr 1602) without budget lines."""
    transfer = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 7),
        summary="提现",
        lines=(line("1001", "debit", "500.00"), line("1002", "credit", "500.00")),
    )
    depreciation = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 31),
        summary="计提折旧",
        lines=(
            line("5001", "debit", "800.00"),
            line("5101", "debit", "200.00"),
            line("1602", "credit", "1000.00"),
        ),
    )
    assert service.create_voucher(transfer, PREPARER).state == "draft"
    assert service.create_voucher(depreciation, PREPARER).state == "draft"


def test_reviewer_must_not_be_preparer(service: ReferenceService) -> None:
    """Refuses a review by the voucher's own preparer, even one holding the reviewer role."""
    made = service.create_voucher(quota_receipt(), ALL_ROLES)
    with pytest.raises(GuardFailed):
        service.review_voucher(made.id, ALL_ROLES)
    assert service.get_voucher(made.id).state == "draft"


def test_posting_needs_review_and_role(service: ReferenceService) -> None:
    """Refuses posting a draft, and posting by someone without the bookkeeper role."""
    made = service.create_voucher(quota_receipt(), PREPARER)
    with pytest.raises(TransitionNotAllowed):
        service.post_voucher(made.id, BOOKKEEPER)
    service.review_voucher(made.id, REVIEWER)
    with pytest.raises(PermissionDenied):
        service.post_voucher(made.id, REVIEWER)
    assert _count(service, ENTRY) == 0


def test_posted_voucher_is_immutable(service: ReferenceService) -> None:
    """Refuses any change to a posted voucher, by transition and by SQL on the ledger."""
    voucher_id = post(service, quota_receipt())
    with pytest.raises(TransitionNotAllowed):
        service.review_voucher(voucher_id, REVIEWER)
    with pytest.raises(sa.exc.DBAPIError), service.engine.begin() as conn:
        conn.execute(sa.update(ENTRY).values(amount=1))
    with pytest.raises(sa.exc.DBAPIError), service.engine.begin() as conn:
        conn.execute(sa.delete(ENTRY))
    assert service.verify_chain(ORG).ok


def test_reversal_points_to_original_and_cancels_it(service: ReferenceService) -> None:
    """Reverses a posted voucher with red-ink lines in an open period; balances return to zero."""
    original = post(service, quota_receipt())
    reversal = service.reverse_voucher(original, date(YEAR, 2, 3), PREPARER)
    assert reversal.reverses == original
    assert reversal.kind == "reversal"
    assert all(r.amount.fen < 0 for r in reversal.lines)
    service.review_voucher(reversal.id, REVIEWER)
    posted = service.post_voucher(reversal.id, BOOKKEEPER)
    assert (posted.year, posted.month, posted.number) == (YEAR, 2, 1)
    assert service.get_voucher(original).reversed_by == reversal.id
    tb = service.trial_balance(ORG, YEAR, 2)
    assert all(row.closing.fen == 0 for row in tb.rows)
    with pytest.raises(GuardFailed):
        service.reverse_voucher(original, date(YEAR, 2, 4), PREPARER)


def test_no_posting_into_closed_period(service: ReferenceService) -> None:
    """Refuses posting into a closed period, and a reversal dated in it; nothing is written."""
    made = service.create_voucher(quota_receipt(), PREPARER)
    service.review_voucher(made.id, REVIEWER)
    service.close_period(ORG, YEAR, 1, CHIEF)
    with pytest.raises(PeriodClosed):
        service.post_voucher(made.id, BOOKKEEPER)
    with pytest.raises(PeriodClosed):
        service.create_voucher(quota_receipt(), PREPARER)
    with pytest.raises(PeriodClosed):
        service.create_voucher(quota_receipt(day=date(YEAR + 1, 1, 2)), PREPARER)
    assert _count(service, ENTRY) == 0
    with pytest.raises(PeriodClosed):
        service.close_period(ORG, YEAR, 1, CHIEF)


def test_numbers_are_sequential_per_period(service: ReferenceService) -> None:
    """Numbers vouchers 1, 2, 3 within a period and restarts at 1 in the next."""
    numbers = [service.get_voucher(post(service, quota_receipt("1.00"))).number for _ in range(3)]
    february = service.get_voucher(post(service, quota_receipt("1.00", date(YEAR, 2, 1)))).number
    assert (numbers, february) == ([1, 2, 3], 1)


def test_chain_detects_tampering(service: ReferenceService) -> None:
    """Verifies the chain of postings and finds an entry changed behind the triggers' back."""
    post(service, quota_receipt("10.00"))
    post(service, quota_receipt("20.00"))
    assert service.verify_chain(ORG).model_dump() == {"org": ORG, "ok": True, "checked": 2, "broken_at": None}
    with service.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER finance_entry_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE finance_entry DISABLE TRIGGER finance_entry_append_only")
        conn.execute(
            sa.update(ENTRY).where(ENTRY.c.amount == Money.of("20.00")).values(amount=Money.of("21.00"))
        )
    report = service.verify_chain(ORG)
    assert (report.ok, report.broken_at) == (False, 2)


def test_sub_accounts_extend_standard_codes(service: ReferenceService) -> None:
    """Adds a sub-account below 1002, refuses one reusing a standard code, and honours its dates."""
    service.add_sub_account(
        SubAccount(
            org=ORG,
            code="100201",
            parent="1002",
            name="工商银行",
            opened_on=date(YEAR, 1, 1),
            closed_on=date(YEAR, 1, 31),
        ),
        CHIEF,
    )
    with pytest.raises(InvalidInput) as caught:
        service.add_sub_account(
            SubAccount(org=ORG, code="1001", parent="1002", name="x", opened_on=date(YEAR, 1, 1)), CHIEF
        )
    assert caught.value.field == "code"
    ok = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 8),
        summary="存现",
        lines=(line("100201", "debit", "5.00"), line("1001", "credit", "5.00")),
    )
    assert service.get_voucher(post(service, ok)).lines[0].account == "100201"
    late = ok.model_copy(update={"date": date(YEAR, 2, 8)})
    with pytest.raises(InvalidInput) as caught:
        service.create_voucher(late, PREPARER)
    assert caught.value.field == "lines[0].account"
