"""Vouchers, posting, reversal, periods and the chain on the reference service."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from govparts.core.errors import GuardFailed, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from govparts.core.money import Money
from govparts.core.security import Actor
from govparts.finance import (
    ParallelEntryMissing,
    PeriodClosed,
    ReferenceService,
    SubAccount,
    UnbalancedVoucher,
    VoucherDraft,
    VoucherLine,
)
from govparts.finance.tables import ENTRY, VOUCHER

from .conftest import ALL_ROLES, BOOKKEEPER, CHIEF, ORG, PREPARER, REVIEWER, YEAR, line, post, quota_receipt


def _count(service: ReferenceService, table: sa.Table) -> int:
    with service.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_posts_quota_receipt_in_both_systems(service: ReferenceService) -> None:
    """Posts the quota receipt of REFERENCE §11.7 with a number, a hash and balances in both systems."""
    voucher = service.get_voucher(CHIEF, ORG, post(service, quota_receipt()))
    assert (voucher.state, voucher.number) == ("posted", 1)
    assert voucher.hash
    assert len(voucher.hash) == 64
    tb = service.trial_balance(CHIEF, ORG, YEAR, 1)
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
        service.create_voucher(PREPARER, draft.org, draft)
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
        service.create_voucher(PREPARER, draft.org, draft)


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
        service.create_voucher(PREPARER, draft.org, draft)
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
        service.create_voucher(PREPARER, draft.org, draft)
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
        service.create_voucher(PREPARER, draft.org, draft)
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
    assert service.create_voucher(PREPARER, transfer.org, transfer).state == "draft"
    assert service.create_voucher(PREPARER, depreciation.org, depreciation).state == "draft"


def test_reviewer_must_not_be_preparer(service: ReferenceService) -> None:
    """Refuses a review by the voucher's own preparer, even one holding the reviewer role."""
    made = service.create_voucher(ALL_ROLES, ORG, quota_receipt())
    with pytest.raises(GuardFailed):
        service.review_voucher(ALL_ROLES, made.org, made.id)
    assert service.get_voucher(CHIEF, made.org, made.id).state == "draft"


def test_posting_needs_review_and_role(service: ReferenceService) -> None:
    """Refuses posting a draft, and posting by someone without the bookkeeper role."""
    made = service.create_voucher(PREPARER, ORG, quota_receipt())
    with pytest.raises(TransitionNotAllowed):
        service.post_voucher(BOOKKEEPER, made.org, made.id)
    service.review_voucher(REVIEWER, made.org, made.id)
    with pytest.raises(PermissionDenied):
        service.post_voucher(REVIEWER, made.org, made.id)
    assert _count(service, ENTRY) == 0


def test_posted_voucher_is_immutable(service: ReferenceService) -> None:
    """Refuses any change to a posted voucher, by transition and by SQL on the ledger."""
    voucher_id = post(service, quota_receipt())
    with pytest.raises(TransitionNotAllowed):
        service.review_voucher(REVIEWER, ORG, voucher_id)
    with pytest.raises(sa.exc.DBAPIError), service.engine.begin() as conn:
        conn.execute(sa.update(ENTRY).values(amount=1))
    with pytest.raises(sa.exc.DBAPIError), service.engine.begin() as conn:
        conn.execute(sa.delete(ENTRY))
    assert service.verify_chain(CHIEF, ORG).ok


def test_reversal_points_to_original_and_cancels_it(service: ReferenceService) -> None:
    """Reverses a posted voucher with red-ink lines in an open period; balances return to zero."""
    original = post(service, quota_receipt())
    reversal = service.reverse_voucher(PREPARER, ORG, original, date(YEAR, 2, 3))
    assert reversal.reverses == original
    assert reversal.kind == "reversal"
    assert all(r.amount.fen < 0 for r in reversal.lines)
    service.review_voucher(REVIEWER, reversal.org, reversal.id)
    posted = service.post_voucher(BOOKKEEPER, reversal.org, reversal.id)
    assert (posted.year, posted.month, posted.number) == (YEAR, 2, 1)
    assert service.get_voucher(CHIEF, ORG, original).reversed_by == reversal.id
    tb = service.trial_balance(CHIEF, ORG, YEAR, 2)
    assert all(row.closing.fen == 0 for row in tb.rows)
    with pytest.raises(GuardFailed):
        service.reverse_voucher(PREPARER, ORG, original, date(YEAR, 2, 4))


def test_no_posting_into_closed_period(service: ReferenceService) -> None:
    """Refuses posting into a closed period, and a reversal dated in it; nothing is written."""
    made = service.create_voucher(PREPARER, ORG, quota_receipt())
    service.review_voucher(REVIEWER, made.org, made.id)
    service.close_period(CHIEF, ORG, YEAR, 1)
    with pytest.raises(PeriodClosed):
        service.post_voucher(BOOKKEEPER, made.org, made.id)
    with pytest.raises(PeriodClosed):
        service.create_voucher(PREPARER, ORG, quota_receipt())
    with pytest.raises(PeriodClosed):
        service.create_voucher(PREPARER, ORG, quota_receipt(day=date(YEAR + 1, 1, 2)))
    assert _count(service, ENTRY) == 0
    with pytest.raises(PeriodClosed):
        service.close_period(CHIEF, ORG, YEAR, 1)


def test_numbers_are_sequential_per_period(service: ReferenceService) -> None:
    """Numbers vouchers 1, 2, 3 within a period and restarts at 1 in the next."""
    numbers = [service.get_voucher(CHIEF, ORG, post(service, quota_receipt("1.00"))).number for _ in range(3)]
    february = service.get_voucher(CHIEF, ORG, post(service, quota_receipt("1.00", date(YEAR, 2, 1)))).number
    assert (numbers, february) == ([1, 2, 3], 1)


def test_chain_detects_tampering(service: ReferenceService) -> None:
    """Verifies the chain of postings and finds an entry changed behind the triggers' back."""
    post(service, quota_receipt("10.00"))
    post(service, quota_receipt("20.00"))
    assert service.verify_chain(CHIEF, ORG).model_dump() == {
        "org": ORG,
        "ok": True,
        "checked": 2,
        "broken_at": None,
    }
    with service.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER finance_entry_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE finance_entry DISABLE TRIGGER finance_entry_append_only")
        conn.execute(
            sa.update(ENTRY).where(ENTRY.c.amount == Money.of("20.00")).values(amount=Money.of("21.00"))
        )
    report = service.verify_chain(CHIEF, ORG)
    assert (report.ok, report.broken_at) == (False, 2)


def test_sub_accounts_extend_standard_codes(service: ReferenceService) -> None:
    """Adds a sub-account below 1002, refuses one reusing a standard code, and honours its dates."""
    service.add_sub_account(
        CHIEF,
        ORG,
        SubAccount(
            org=ORG,
            code="100201",
            parent="1002",
            name="工商银行",
            opened_on=date(YEAR, 1, 1),
            closed_on=date(YEAR, 1, 31),
        ),
    )
    with pytest.raises(InvalidInput) as caught:
        service.add_sub_account(
            CHIEF, ORG, SubAccount(org=ORG, code="1001", parent="1002", name="x", opened_on=date(YEAR, 1, 1))
        )
    assert caught.value.field == "code"
    ok = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 8),
        summary="存现",
        lines=(line("100201", "debit", "5.00"), line("1001", "credit", "5.00")),
    )
    assert service.get_voucher(CHIEF, ORG, post(service, ok)).lines[0].account == "100201"
    late = ok.model_copy(update={"date": date(YEAR, 2, 8)})
    with pytest.raises(InvalidInput) as caught:
        service.create_voucher(PREPARER, late.org, late)
    assert caught.value.field == "lines[0].account"


# -- bulk posting ------------------------------------------------------------------------------------

BATCH_POSTER = Actor(id="u-batch", name="买买提·艾力", roles=frozenset({"reviewer", "bookkeeper"}))


def _draft(*lines: VoucherLine, day: date = date(YEAR, 3, 2), exemption: str | None = None) -> VoucherDraft:
    return VoucherDraft(org=ORG, date=day, summary="批量", lines=lines, exemption=exemption)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad", "error", "field"),
    [
        (
            _draft(line("1011", "debit", "5.00"), line("4001", "credit", "4.99")),
            UnbalancedVoucher,
            "drafts[1].lines",
        ),
        (
            _draft(line("1011", "debit", "0.00"), line("4001", "credit", "0.00")),
            InvalidInput,
            "drafts[1].lines[0].amount",
        ),
        (
            _draft(line("1011", "debit", "-5.00"), line("4001", "credit", "-5.00")),
            InvalidInput,
            "drafts[1].lines[0].amount",
        ),
        (
            _draft(line("1011", "debit", "5.00"), line("9999", "credit", "5.00")),
            InvalidInput,
            "drafts[1].lines[1].account",
        ),
        (
            _draft(line("1011", "debit", "5.00"), line("4001", "credit", "5.00")),
            ParallelEntryMissing,
            "drafts[1].lines",
        ),
        (
            _draft(line("1011", "debit", "5.00"), line("6001", "credit", "5.00")),
            UnbalancedVoucher,
            "drafts[1].lines",
        ),
    ],
)
def test_batch_refuses_any_invalid_voucher_and_writes_nothing(
    service: ReferenceService, bad: VoucherDraft, error: type[Exception], field: str
) -> None:
    """Refuses a batch holding one invalid voucher, naming it as drafts[i]; writes and numbers nothing."""
    with pytest.raises(error) as caught:
        service.post_batch(BATCH_POSTER, ORG, [quota_receipt("1.00"), bad, quota_receipt("2.00")])
    assert caught.value.field == field  # type: ignore[attr-defined]
    assert (_count(service, VOUCHER), _count(service, ENTRY)) == (0, 0)
    assert service.get_voucher(CHIEF, ORG, post(service, quota_receipt("3.00"))).number == 1


def test_batch_accepts_exempted_and_cash_moving_vouchers(service: ReferenceService) -> None:
    """Posts a cash flow exempted from the budget entry and a move between cash accounts in a batch."""
    exempted = _draft(line("1002", "debit", "8.00"), line("2307", "credit", "8.00"), exemption="agency")
    moved = _draft(line("1001", "debit", "3.00"), line("1002", "credit", "3.00"))
    ids = service.post_batch(BATCH_POSTER, ORG, [exempted, moved])
    assert [service.get_voucher(CHIEF, ORG, i).number for i in ids] == [1, 2]
    assert service.trial_balance(CHIEF, ORG, YEAR, 3).balance_of("1002") == Money.of("5.00")


def test_batch_numbers_continue_each_period_without_gaps(service: ReferenceService) -> None:
    """Numbers a batch spanning two months after the months' existing vouchers, with no gap or repeat."""
    post(service, quota_receipt("1.00", date(YEAR, 4, 1)))
    drafts = [quota_receipt(f"{n}.00", date(YEAR, 4 + n % 2, 3)) for n in range(1, 8)]
    ids = service.post_batch(BATCH_POSTER, ORG, drafts)
    post(service, quota_receipt("9.00", date(YEAR, 5, 9)))
    april = [v.number for v in service.vouchers(CHIEF, ORG, YEAR, 4)]
    may = [v.number for v in service.vouchers(CHIEF, ORG, YEAR, 5)]
    assert (april, may) == ([1, 2, 3, 4], [1, 2, 3, 4, 5])
    assert [service.get_voucher(CHIEF, ORG, i).date.month for i in ids] == [5, 4, 5, 4, 5, 4, 5]
    assert service.verify_chain(CHIEF, ORG).checked == 9


def test_batch_chain_is_recomputed_by_the_published_recipe(service: ReferenceService) -> None:
    """Chains batch postings with the same hashes the audit log's canonical form gives, links included."""
    from govparts.core import audit
    from govparts.finance._ledger import posting_content, posting_digest
    from govparts.finance.tables import CHAIN

    service.unbudgeted = "allow"
    drafts = [
        _draft(
            line("5001", "debit", "12.34", summary='差旅费 "北京" \\', project="P-1", econ_class="30211"),
            line("1011", "credit", "12.34", payee="ئەركىن"),
            line("7201", "debit", "12.34", econ_class="30211", fund="fiscal"),
            line("8001", "credit", "12.34"),
        ),
        quota_receipt("7.00", date(YEAR, 3, 31)),
    ]
    ids = service.post_batch(BATCH_POSTER, ORG, drafts)
    with service.engine.connect() as conn:
        rows = conn.execute(sa.select(CHAIN).where(CHAIN.c.org == ORG).order_by(CHAIN.c.seq)).all()
    previous = audit.GENESIS_HASH
    for row, voucher_id, draft in zip(rows, ids, drafts, strict=True):
        voucher = service.get_voucher(CHIEF, ORG, voucher_id)
        lines = [
            (
                "budget" if x.account[0] in "678" else "financial",
                x.account,
                x.side,
                x.amount.fen,
                x.summary,
                x.unit,
                x.project,
                x.func_class,
                x.econ_class,
                x.payee,
                x.fund,
            )
            for x in draft.lines
        ]
        expected = posting_digest(
            seq=row.seq,
            recorded_at=row.recorded_at,
            actor_id=BATCH_POSTER.id,
            org=ORG,
            voucher_id=voucher_id,
            content=posting_content(voucher.number or 0, draft.date.isoformat(), lines, row.alg),
            alg=row.alg,
            prev_hash=previous,
        )
        assert (row.prev_hash, row.hash, voucher.hash) == (previous, expected, expected)
        previous = expected
    assert service.verify_chain(CHIEF, ORG).ok


def test_batch_checks_sub_accounts_and_periods(service: ReferenceService) -> None:
    """Refuses a batch using an unknown or closed sub-account, or dated in a closed period."""
    service.add_sub_account(
        CHIEF,
        ORG,
        SubAccount(
            org=ORG,
            code="100201",
            parent="1002",
            name="工商银行",
            opened_on=date(YEAR, 1, 1),
            closed_on=date(YEAR, 2, 28),
        ),
    )
    moved = _draft(line("100201", "debit", "5.00"), line("1001", "credit", "5.00"), day=date(YEAR, 2, 3))
    assert len(service.post_batch(BATCH_POSTER, ORG, [moved])) == 1
    late = moved.model_copy(update={"date": date(YEAR, 3, 3)})
    with pytest.raises(InvalidInput) as caught:
        service.post_batch(BATCH_POSTER, ORG, [moved, late])
    assert caught.value.field == "drafts[1].lines[0].account"
    unknown = _draft(line("100299", "debit", "5.00"), line("1001", "credit", "5.00"))
    with pytest.raises(NotFound) as missing:
        service.post_batch(BATCH_POSTER, ORG, [unknown])
    assert missing.value.field == "drafts[0].lines[0].account"
    service.close_period(CHIEF, ORG, YEAR, 1)
    with pytest.raises(PeriodClosed):
        service.post_batch(BATCH_POSTER, ORG, [quota_receipt("1.00", date(YEAR, 3, 1)), quota_receipt()])
    assert _count(service, ENTRY) == 2


def test_batch_needs_both_roles_and_one_organisation(service: ReferenceService) -> None:
    """Refuses a batch from an actor without both roles, or holding two organisations' vouchers."""
    with pytest.raises(PermissionDenied):
        service.post_batch(BOOKKEEPER, ORG, [quota_receipt()])
    other = quota_receipt().model_copy(update={"org": "12650100MB0000002Y"})
    with pytest.raises(InvalidInput) as caught:
        service.post_batch(BATCH_POSTER, ORG, [quota_receipt(), other])
    assert caught.value.field == "drafts[1].org"
    assert _count(service, VOUCHER) == 0


_ACCOUNTS = (
    "1001",
    "1002",
    "1011",
    "100201",
    "2307",
    "4001",
    "5001",
    "6001",
    "7201",
    "8001",
    "9999",
    "60019",
)


_pairs = st.tuples(
    st.sampled_from(_ACCOUNTS), st.sampled_from(_ACCOUNTS), st.sampled_from((-300, 0, 100, 200, 300))
)


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(_pairs, min_size=1, max_size=3),
    stray=st.lists(_pairs, max_size=1),
    exemption=st.sampled_from((None, "agency")),
)
def test_batch_check_agrees_with_the_rules(
    pairs: list[tuple[str, str, int]], stray: list[tuple[str, str, int]], exemption: str | None
) -> None:
    """Accepts in bulk exactly the vouchers the rules accept, and raises the rules' own error otherwise."""
    from datetime import UTC, datetime

    from govparts.finance import rules
    from govparts.finance._ledger import PostingBatch, PostingHasher

    lines = [
        VoucherLine(account=account, side=side, amount=Money.from_fen(fen))  # type: ignore[arg-type]
        for debit, credit, fen in pairs
        for account, side in ((debit, "debit"), (credit, "credit"))
    ]
    lines += [VoucherLine(account=a, side="debit", amount=Money.from_fen(f)) for a, _, f in stray]
    draft = _draft(*lines, exemption=exemption)
    expected: Exception | None = None
    try:
        rules.check_voucher_lines(draft.lines)
        rules.check_parallel_recording(draft.lines, draft.exemption)
    except (InvalidInput, GuardFailed) as exc:
        expected = exc
    hasher = PostingHasher(org=ORG, actor_id="u", recorded_at=datetime.now(UTC), alg="sha256")
    batch = PostingBatch(org=ORG, actor_id="u", hasher=hasher, stored_now=None, seq=0, prev_hash="0" * 64)
    if expected is None:
        batch.add(0, draft, voucher_id="v", number=1, period=202603, day=None)
        assert len(batch.entries) == len(lines)
        assert batch.with_sub_accounts == ([0] if any(len(x.account) > 4 for x in lines) else [])
    else:
        with pytest.raises(type(expected)) as caught:
            batch.add(0, draft, voucher_id="v", number=1, period=202603, day=None)
        assert caught.value.field == f"drafts[0].{expected.field}"  # type: ignore[attr-defined]
        assert caught.value.details == expected.details  # type: ignore[attr-defined]
