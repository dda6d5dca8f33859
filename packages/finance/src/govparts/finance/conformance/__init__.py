"""The finance part's requirement catalogue and conformance suite.

The checks use only the :class:`~govparts.finance.FinanceService` Protocol, so they run against any
implementation; each gets a fresh, empty service. Actors are built here with the role ids of the
published process specs (``accountant``, ``reviewer``, ``bookkeeper``, ``chief_accountant``,
``budget_officer``, ``claimant``, ``approver``, ``cashier``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from govparts.conformance import Catalogue, Suite, collect_checks, expect_raises, verifies
from govparts.core import events
from govparts.core.errors import GovPartsError, InvalidInput, PermissionDenied, ProcessError
from govparts.core.money import Money
from govparts.core.security import Actor

from ..models import Indicator, ReimbursementClaim, SubAccount, VoucherDraft, VoucherLine
from ..service import FinanceService

CATALOGUE = Catalogue.from_toml(Path(__file__).with_name("requirements.toml"))

ORG = "12650100MB0000001X"
OTHER_ORG = "12650200MB0000002Y"
YEAR = 2026

CHIEF = Actor(id="c-chief", name="古丽娜尔", roles=frozenset({"chief_accountant", "budget_officer"}))
PREPARER = Actor(id="c-prep", name="王丽", roles=frozenset({"accountant"}))
REVIEWER = Actor(id="c-rev", name="艾尔肯", roles=frozenset({"reviewer"}))
BOOKKEEPER = Actor(id="c-book", name="李强", roles=frozenset({"bookkeeper"}))
EVERYONE = Actor(id="c-all", name="张伟", roles=frozenset({"accountant", "reviewer", "bookkeeper"}))
CLAIMANT = Actor(id="c-claim", name="热依拉", roles=frozenset({"claimant"}))
APPROVER = Actor(id="c-appr", name="陈刚", roles=frozenset({"approver"}))
REVIEW_AND_APPROVE = Actor(id="c-ra", name="马军", roles=frozenset({"reviewer", "approver"}))
CASHIER = Actor(id="c-cash", name="马丽", roles=frozenset({"cashier"}))


def _line(account: str, side: str, amount: str, **aux: Any) -> VoucherLine:
    return VoucherLine(account=account, side=side, amount=Money.of(amount), **aux)


def _draft(
    *lines: VoucherLine, day: date = date(YEAR, 1, 10), org: str = ORG, summary: str = "凭证"
) -> VoucherDraft:
    return VoucherDraft(org=org, date=day, summary=summary, lines=lines)


def _quota(amount: str = "10000.00", day: date = date(YEAR, 1, 5), org: str = ORG) -> VoucherDraft:
    return _draft(
        _line("1011", "debit", amount),
        _line("4001", "credit", amount),
        _line("8001", "debit", amount),
        _line("6001", "credit", amount),
        day=day,
        org=org,
        summary="收到授权支付额度",
    )


def _spend(
    amount: str, *, day: date = date(YEAR, 1, 12), project: str = "P01", econ: str = "30201"
) -> VoucherDraft:
    aux = {"project": project, "econ_class": econ}
    return _draft(
        _line("5001", "debit", amount, **aux),
        _line("1011", "credit", amount, **aux),
        _line("7201", "debit", amount, **aux),
        _line("8001", "credit", amount, **aux),
        day=day,
        summary="办公费",
    )


def _open(service: FinanceService, org: str = ORG) -> None:
    service.open_year(org, YEAR, CHIEF)


def _post(service: FinanceService, draft: VoucherDraft) -> str:
    made = service.create_voucher(draft, PREPARER)
    service.review_voucher(made.id, REVIEWER)
    posted = service.post_voucher(made.id, BOOKKEEPER)
    assert posted.state == "posted", f"expected a posted voucher, got {posted.state!r}"
    return posted.id


def _indicator(service: FinanceService, amount: str, control: str = "stop") -> None:
    service.set_indicator(
        Indicator(
            org=ORG,
            year=YEAR,
            project="P01",
            econ_class="30201",
            amount=Money.of(amount),
            control=control,
        ),
        CHIEF,
    )


def _entry_count(service: FinanceService, org: str = ORG, month: int = 1) -> int:
    tb = service.trial_balance(org, YEAR, month, CHIEF)
    return sum(1 for row in tb.rows if row.debit.fen or row.credit.fen)


@verifies("FIN-001")
def refuses_unknown_account(service: FinanceService) -> None:
    _open(service)
    with expect_raises(InvalidInput, field="lines[1].account"):
        service.create_voucher(
            _draft(_line("1002", "debit", "1.00"), _line("5701", "credit", "1.00")), PREPARER
        )
    made = service.create_voucher(
        _draft(_line("1002", "debit", "1.00"), _line("1001", "credit", "1.00")), PREPARER
    )
    assert [x.account for x in made.lines] == ["1002", "1001"]


@verifies("FIN-002")
def refuses_voucher_unbalanced_in_one_system(service: FinanceService) -> None:
    _open(service)
    bad = _draft(
        _line("1011", "debit", "10.00"),
        _line("4001", "credit", "10.00"),
        _line("8001", "debit", "10.00"),
        _line("6001", "credit", "9.99"),
    )
    with expect_raises(InvalidInput, field="lines"):
        service.create_voucher(bad, PREPARER)
    bad_fin = _draft(_line("1002", "debit", "10.00"), _line("1001", "credit", "10.01"))
    with expect_raises(InvalidInput, field="lines"):
        service.create_voucher(bad_fin, PREPARER)
    assert service.vouchers(ORG, YEAR, 1, CHIEF) == [], "a refused voucher was recorded"


@verifies("FIN-003")
def refuses_cross_system_balancing(service: FinanceService) -> None:
    _open(service)
    with expect_raises(InvalidInput, field="lines"):
        service.create_voucher(
            _draft(_line("5001", "debit", "10.00"), _line("8001", "credit", "10.00")), PREPARER
        )


@verifies("FIN-004")
def refuses_zero_and_negative_amounts(service: FinanceService) -> None:
    _open(service)
    for amount in ("0.00", "-1.00"):
        with expect_raises(InvalidInput, field="lines[0].amount"):
            service.create_voucher(
                _draft(_line("1002", "debit", amount), _line("1001", "credit", amount)), PREPARER
            )
    assert service.vouchers(ORG, YEAR, 1, CHIEF) == []


@verifies("FIN-005")
def requires_budget_entry_for_quota_payment(service: FinanceService) -> None:
    _open(service)
    with expect_raises(GovPartsError, field="lines"):
        service.create_voucher(
            _draft(_line("5101", "debit", "300.00"), _line("1011", "credit", "300.00")), PREPARER
        )
    assert service.vouchers(ORG, YEAR, 1, CHIEF) == []


@verifies("FIN-006")
def records_depreciation_without_budget_entry(service: FinanceService) -> None:
    _open(service)
    draft = _draft(
        _line("5001", "debit", "800.00"), _line("5101", "debit", "200.00"), _line("1602", "credit", "1000.00")
    )
    _post(service, draft)
    tb = service.trial_balance(ORG, YEAR, 1, CHIEF)
    assert tb.balance_of("1602") == Money.of("-1000.00")
    assert all(row.system == "financial" for row in tb.rows)


@verifies("FIN-007")
def moves_cash_without_budget_entry(service: FinanceService) -> None:
    _open(service)
    _post(service, _draft(_line("1001", "debit", "500.00"), _line("1002", "credit", "500.00")))
    assert service.trial_balance(ORG, YEAR, 1, CHIEF).balance_of("1001") == Money.of("500.00")


@verifies("FIN-008")
def posts_quota_receipt_in_both_systems(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota("100000.00"))
    tb = service.trial_balance(ORG, YEAR, 1, CHIEF)
    got = {code: tb.balance_of(code) for code in ("1011", "4001", "8001", "6001")}
    assert got == {
        "1011": Money.of("100000.00"),
        "4001": Money.of("-100000.00"),
        "8001": Money.of("100000.00"),
        "6001": Money.of("-100000.00"),
    }, got


@verifies("FIN-009")
def reviewer_is_not_preparer(service: FinanceService) -> None:
    _open(service)
    made = service.create_voucher(_quota(), EVERYONE)
    with expect_raises(ProcessError):
        service.review_voucher(made.id, EVERYONE)
    assert service.get_voucher(made.id, CHIEF).state == "draft"
    assert service.review_voucher(made.id, REVIEWER).state == "reviewed"


@verifies("FIN-010")
def posts_only_reviewed_vouchers(service: FinanceService) -> None:
    _open(service)
    made = service.create_voucher(_quota(), PREPARER)
    with expect_raises(ProcessError):
        service.post_voucher(made.id, BOOKKEEPER)
    assert service.get_voucher(made.id, CHIEF).state == "draft"


@verifies("FIN-011")
def posts_only_as_bookkeeper(service: FinanceService) -> None:
    _open(service)
    made = service.create_voucher(_quota(), PREPARER)
    service.review_voucher(made.id, REVIEWER)
    with expect_raises(PermissionDenied):
        service.post_voucher(made.id, REVIEWER)
    assert service.get_voucher(made.id, CHIEF).state == "reviewed"


@verifies("FIN-012")
def posted_voucher_is_immutable(service: FinanceService) -> None:
    _open(service)
    voucher_id = _post(service, _quota())
    before = service.get_voucher(voucher_id, CHIEF)
    with expect_raises(ProcessError):
        service.review_voucher(voucher_id, REVIEWER)
    with expect_raises(ProcessError):
        service.post_voucher(voucher_id, BOOKKEEPER)
    after = service.get_voucher(voucher_id, CHIEF)
    assert (after.lines, after.number, after.hash, after.state) == (
        before.lines,
        before.number,
        before.hash,
        "posted",
    )


@verifies("FIN-013")
def reversal_cancels_the_original(service: FinanceService) -> None:
    _open(service)
    original = _post(service, _quota("250.00"))
    reversal = service.reverse_voucher(original, date(YEAR, 2, 2), PREPARER)
    assert reversal.reverses == original
    assert reversal.year == YEAR
    assert reversal.month == 2
    service.review_voucher(reversal.id, REVIEWER)
    service.post_voucher(reversal.id, BOOKKEEPER)
    tb = service.trial_balance(ORG, YEAR, 2, CHIEF)
    assert all(row.closing.fen == 0 for row in tb.rows), [r.model_dump() for r in tb.rows]
    assert service.get_voucher(original, CHIEF).state == "posted"


@verifies("FIN-014")
def reverses_once(service: FinanceService) -> None:
    _open(service)
    original = _post(service, _quota("250.00"))
    service.reverse_voucher(original, date(YEAR, 1, 20), PREPARER)
    with expect_raises(GovPartsError, field="voucher_id"):
        service.reverse_voucher(original, date(YEAR, 1, 21), PREPARER)


@verifies("FIN-015")
def reverses_only_posted(service: FinanceService) -> None:
    _open(service)
    made = service.create_voucher(_quota(), PREPARER)
    with expect_raises(GovPartsError, field="voucher_id"):
        service.reverse_voucher(made.id, date(YEAR, 1, 20), PREPARER)


@verifies("FIN-016")
def never_posts_into_closed_period(service: FinanceService) -> None:
    _open(service)
    made = service.create_voucher(_quota(), PREPARER)
    service.review_voucher(made.id, REVIEWER)
    service.close_period(ORG, YEAR, 1, CHIEF)
    with expect_raises(ProcessError):
        service.post_voucher(made.id, BOOKKEEPER)
    assert _entry_count(service) == 0
    assert service.get_voucher(made.id, CHIEF).state == "reviewed"


@verifies("FIN-017")
def refuses_vouchers_dated_in_closed_period(service: FinanceService) -> None:
    _open(service)
    original = _post(service, _quota())
    service.close_period(ORG, YEAR, 1, CHIEF)
    with expect_raises(ProcessError, field="date"):
        service.create_voucher(_quota(day=date(YEAR, 1, 30)), PREPARER)
    with expect_raises(ProcessError, field="date"):
        service.reverse_voucher(original, date(YEAR, 1, 31), PREPARER)
    assert service.reverse_voucher(original, date(YEAR, 2, 1), PREPARER).month == 2


@verifies("FIN-018")
def refuses_unopened_period(service: FinanceService) -> None:
    _open(service)
    with expect_raises(ProcessError, field="date"):
        service.create_voucher(_quota(day=date(YEAR + 1, 1, 5)), PREPARER)


@verifies("FIN-019")
def numbers_without_gaps(service: FinanceService) -> None:
    _open(service)
    draft_ids = [service.create_voucher(_quota("1.00"), PREPARER).id for _ in range(4)]
    for voucher_id in draft_ids[:3]:
        service.review_voucher(voucher_id, REVIEWER)
        service.post_voucher(voucher_id, BOOKKEEPER)
    numbers = [service.get_voucher(v, CHIEF).number for v in draft_ids[:3]]
    assert numbers == [1, 2, 3], numbers
    assert service.get_voucher(draft_ids[3], CHIEF).number is None
    february = _post(service, _quota("1.00", day=date(YEAR, 2, 3)))
    assert service.get_voucher(february, CHIEF).number == 1


@verifies("FIN-020")
def numbers_per_organisation(service: FinanceService) -> None:
    _open(service)
    _open(service, OTHER_ORG)
    first = _post(service, _quota("1.00"))
    other = _post(service, _quota("1.00", org=OTHER_ORG))
    second = _post(service, _quota("1.00"))
    got = [service.get_voucher(v, CHIEF).number for v in (first, other, second)]
    assert got == [1, 1, 2], got


@verifies("FIN-021")
def chains_posted_vouchers(service: FinanceService) -> None:
    _open(service)
    ids = [_post(service, _quota(f"{n}.00")) for n in (1, 2, 3)]
    hashes = [service.get_voucher(v, CHIEF).hash for v in ids]
    assert all(hashes), hashes
    assert len(set(hashes)) == 3, hashes
    report = service.verify_chain(ORG, CHIEF)
    assert report.ok, report
    assert report.checked == 3, report


@verifies("FIN-022")
def stop_indicator_refuses_overspending(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota())
    _indicator(service, "150.00")
    _post(service, _spend("100.00"))
    made = service.create_voucher(_spend("60.00"), PREPARER)
    service.review_voucher(made.id, REVIEWER)
    with expect_raises(ProcessError) as caught:
        service.post_voucher(made.id, BOOKKEEPER)
    assert isinstance(caught.value, GovPartsError)
    assert "50.00" in caught.value.message("en")
    assert service.get_voucher(made.id, CHIEF).state == "reviewed"


@verifies("FIN-023")
def warn_indicator_flags_overspending(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota())
    _indicator(service, "50.00", control="warn")
    posted = service.get_voucher(_post(service, _spend("60.00")), CHIEF)
    assert posted.state == "posted", posted.state
    assert posted.warnings, "an overspending voucher under a warn indicator carries no warning"
    within = service.get_voucher(_post(service, _spend("0.01", econ="30201", project="P01")), CHIEF)
    assert within.warnings, "still over the indicator, the second voucher is flagged too"


@verifies("FIN-024")
def refuses_spending_without_indicator(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota())
    made = service.create_voucher(_spend("10.00"), PREPARER)
    service.review_voucher(made.id, REVIEWER)
    with expect_raises(ProcessError):
        service.post_voucher(made.id, BOOKKEEPER)
    assert service.get_voucher(made.id, CHIEF).state == "reviewed"


def _claim(amount: str) -> ReimbursementClaim:
    return ReimbursementClaim(
        org=ORG,
        claimant="c-claim",
        date=date(YEAR, 1, 20),
        amount=Money.of(amount),
        purpose="差旅费",
        project="P01",
        econ_class="30201",
    )


@verifies("FIN-025")
def commitments_count_against_indicator(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota())
    _indicator(service, "1000.00")
    made = service.submit_reimbursement(_claim("800.00"), CLAIMANT)
    service.review_reimbursement(made.id, REVIEWER)
    service.approve_reimbursement(made.id, APPROVER)
    execution = service.budget_execution(ORG, YEAR, CHIEF)
    assert [(e.committed, e.available) for e in execution] == [(Money.of("800.00"), Money.of("200.00"))]
    spend = service.create_voucher(_spend("300.00"), PREPARER)
    service.review_voucher(spend.id, REVIEWER)
    with expect_raises(ProcessError):
        service.post_voucher(spend.id, BOOKKEEPER)


@verifies("FIN-026")
def payment_generates_parallel_voucher(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota())
    _indicator(service, "1000.00")
    made = service.submit_reimbursement(_claim("800.00"), CLAIMANT)
    service.review_reimbursement(made.id, REVIEWER)
    service.approve_reimbursement(made.id, APPROVER)
    paid = service.pay_reimbursement(made.id, CASHIER)
    assert paid.state == "paid"
    assert paid.voucher_id
    voucher = service.get_voucher(paid.voucher_id, CHIEF)
    assert voucher.state == "posted"
    got = sorted((x.account, x.side, str(x.amount)) for x in voucher.lines)
    assert got == [
        ("1011", "credit", "800.00"),
        ("5001", "debit", "800.00"),
        ("7201", "debit", "800.00"),
        ("8001", "credit", "800.00"),
    ], got
    execution = service.budget_execution(ORG, YEAR, CHIEF)[0]
    assert (execution.posted, execution.committed) == (Money.of("800.00"), Money.zero())


@verifies("FIN-027")
def approver_is_not_reviewer(service: FinanceService) -> None:
    _open(service)
    _indicator(service, "1000.00")
    made = service.submit_reimbursement(_claim("100.00"), CLAIMANT)
    service.review_reimbursement(made.id, REVIEW_AND_APPROVE)
    with expect_raises(PermissionDenied):
        service.approve_reimbursement(made.id, REVIEW_AND_APPROVE)
    assert service.approve_reimbursement(made.id, APPROVER).state == "approved"


def _history(service: FinanceService) -> None:
    _indicator(service, "100000.00")
    _post(service, _quota("5000.00"))
    _post(service, _spend("1200.00"))
    _post(
        service,
        _draft(
            _line("1601", "debit", "900.00"),
            _line("1011", "credit", "900.00"),
            _line("7201", "debit", "900.00", project="P01", econ_class="30201"),
            _line("8001", "credit", "900.00", project="P01", econ_class="30201"),
            summary="购置设备",
        ),
    )
    _post(
        service,
        _draft(_line("5101", "debit", "30.00"), _line("1602", "credit", "30.00"), day=date(YEAR, 1, 31)),
    )
    _post(
        service,
        _draft(
            _line("1002", "debit", "700.00"),
            _line("4101", "credit", "700.00"),
            _line("8001", "debit", "700.00"),
            _line("6101", "credit", "700.00"),
            day=date(YEAR, 2, 3),
        ),
    )
    _post(service, _spend("100.00", day=date(YEAR, 2, 10)))


@verifies("FIN-028")
def trial_balance_balances(service: FinanceService) -> None:
    _open(service)
    _history(service)
    tb = service.trial_balance(ORG, YEAR, 2, CHIEF)
    for system in ("financial", "budget"):
        totals = tb.totals(system)
        assert totals["opening"].fen == 0, (system, totals)
        assert totals["closing"].fen == 0, (system, totals)
        assert totals["debit"] == totals["credit"], (system, totals)
    for row in tb.rows:
        assert row.closing == row.opening + row.debit - row.credit, row
    assert tb.balance_of("1011") == Money.of("2800.00")
    assert tb.totals("financial")["debit"] == Money.of("800.00")


@verifies("FIN-029")
def balance_sheet_balances(service: FinanceService) -> None:
    _open(service)
    _history(service)
    sheet = service.balance_sheet(ORG, YEAR, 2, CHIEF)
    assert sheet.total_assets == sheet.total_liabilities + sheet.total_net_assets
    assert sheet.total_assets == Money.of("4370.00"), sheet.total_assets


@verifies("FIN-030")
def reconciliation_holds(service: FinanceService) -> None:
    _open(service)
    _history(service)
    rec = service.reconciliation(ORG, YEAR, 2, CHIEF)
    income = service.income_statement(ORG, YEAR, 2, CHIEF)
    budget = service.budget_statement(ORG, YEAR, 2, CHIEF)
    assert rec.surplus == income.surplus == Money.of("4370.00"), (rec, income)
    assert rec.budget_surplus == budget.surplus == Money.of("3500.00"), (rec, budget)
    assert rec.surplus == (
        rec.budget_surplus
        - rec.budget_revenue_not_revenue
        + rec.budget_expenditure_not_expense
        + rec.revenue_not_budget_revenue
        - rec.expense_not_budget_expenditure
    )
    assert rec.budget_expenditure_not_expense == Money.of("900.00")
    assert rec.expense_not_budget_expenditure == Money.of("30.00")


@verifies("FIN-031")
def year_end_carries_forward(service: FinanceService) -> None:
    _open(service)
    _history(service)
    closing = service.close_year(ORG, YEAR, CHIEF)
    assert closing is not None
    assert closing.state == "posted"
    tb = service.trial_balance(ORG, YEAR, 12, CHIEF)
    for prefix in ("4", "5", "6", "7"):
        assert tb.balance_of(prefix).fen == 0, prefix
    assert tb.balance_of("3001") == Money.of("-4370.00")
    carried = tb.balance_of("81") + tb.balance_of("82") + tb.balance_of("84")
    assert carried == Money.of("-3500.00"), carried
    assert tb.balance_of("8001") == Money.of("3500.00")


def _asset_event(type_name: str, data: dict[str, Any], event_id: str) -> events.CloudEvent:
    return events.CloudEvent(
        id=event_id,
        source="urn:govparts:assets",
        type=type_name,
        time=datetime.now(UTC),
        subject="asset/A-1",
        datacontenttype="application/json",
        data=data,
    )


@verifies("FIN-032")
def asset_registration_is_booked_once(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota())
    service.set_indicator(
        Indicator(org=ORG, year=YEAR, project="A-1", econ_class="310", amount=Money.of("50000.00")), CHIEF
    )
    event = _asset_event(
        "cn.govparts.assets.asset.registered.v1",
        {
            "asset_id": "A-1",
            "asset_code": "GP-A-1",
            "organization_credit_code": ORG,
            "category": "2010000",
            "name": "服务器",
            "original_value": "6000.00",
            "acquisition_date": f"{YEAR}-01-15",
            "acquisition_method": "purchase",
            "funding_source": "fiscal",
            "paying_account": "零余额账户用款额度",
            "in_service": f"{YEAR}-01-15",
            "project": "A-1",
        },
        "evt-registered-1",
    )
    first = service.handle_asset_event(event)
    assert first is not None
    got = sorted((x.account, x.side, str(x.amount)) for x in first.lines)
    assert got == [
        ("1011", "credit", "6000.00"),
        ("1601", "debit", "6000.00"),
        ("7201", "debit", "6000.00"),
        ("8001", "credit", "6000.00"),
    ], got
    assert service.handle_asset_event(event) is None
    assert service.trial_balance(ORG, YEAR, 1, CHIEF).balance_of("1601") == Money.of("6000.00")


@verifies("FIN-033")
def depreciation_event_has_no_budget_entry(service: FinanceService) -> None:
    _open(service)
    event = _asset_event(
        "cn.govparts.assets.asset.depreciated.v1",
        {
            "organization_credit_code": ORG,
            "year": YEAR,
            "month": 1,
            "asset_count": 2,
            "total": "100.00",
            "totals": [
                {"debit_account": "5001", "credit_account": "1602", "amount": "80.00"},
                {"debit_account": "5101", "credit_account": "1602", "amount": "20.00"},
            ],
        },
        "evt-dep-1",
    )
    voucher = service.handle_asset_event(event)
    assert voucher is not None
    got = sorted((x.account, x.side, str(x.amount)) for x in voucher.lines)
    assert got == [("1602", "credit", "100.00"), ("5001", "debit", "80.00"), ("5101", "debit", "20.00")], got


@verifies("FIN-034")
def sub_accounts_below_standard_codes(service: FinanceService) -> None:
    _open(service)
    with expect_raises(InvalidInput, field="code"):
        service.add_sub_account(
            SubAccount(org=ORG, code="1002", parent="1001", name="x", opened_on=date(YEAR, 1, 1)), CHIEF
        )
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
    _post(service, _draft(_line("100201", "debit", "5.00"), _line("1001", "credit", "5.00")))
    assert service.trial_balance(ORG, YEAR, 1, CHIEF).balance_of("100201") == Money.of("5.00")
    with expect_raises(GovPartsError, field="lines[0].account"):
        service.create_voucher(
            _draft(_line("100201", "debit", "5.00"), _line("1001", "credit", "5.00"), day=date(YEAR, 2, 1)),
            PREPARER,
        )


@verifies("FIN-035")
def ledger_runs_to_closing_balance(service: FinanceService) -> None:
    _open(service)
    _history(service)
    lines = service.ledger(ORG, "1011", YEAR, CHIEF)
    assert [str(x.balance) for x in lines] == ["5000.00", "3800.00", "2900.00", "2800.00"]
    assert lines[-1].balance == service.trial_balance(ORG, YEAR, 2, CHIEF).balance_of("1011")


def _staff_of(org: str) -> dict[str, Actor]:
    def one(duty: str, *roles: str) -> Actor:
        return Actor(id=f"c-{org[-4:]}-{duty}", name=duty, roles=frozenset(roles), org=org)

    return {
        "chief": one("chief", "chief_accountant", "budget_officer"),
        "preparer": one("prep", "accountant"),
        "reviewer": one("rev", "reviewer"),
        "bookkeeper": one("book", "bookkeeper", "reviewer"),
    }


def _post_as(service: FinanceService, draft: VoucherDraft, staff: dict[str, Actor]) -> str:
    made = service.create_voucher(draft, staff["preparer"])
    service.review_voucher(made.id, staff["reviewer"])
    return service.post_voucher(made.id, staff["bookkeeper"]).id


@verifies("FIN-036")
def organisations_never_see_or_change_each_other(service: FinanceService) -> None:
    ours, theirs = _staff_of(ORG), _staff_of(OTHER_ORG)
    intruder = Actor(
        id="c-intruder",
        name="intruder",
        roles=frozenset({"accountant", "reviewer", "bookkeeper", "chief_accountant", "budget_officer"}),
        org=OTHER_ORG,
    )
    service.open_year(ORG, YEAR, ours["chief"])
    service.open_year(OTHER_ORG, YEAR, theirs["chief"])
    posted = _post_as(service, _quota("100.00"), ours)
    reviewed = service.create_voucher(_quota("7.00"), ours["preparer"])
    service.review_voucher(reviewed.id, ours["reviewer"])
    before = service.trial_balance(ORG, YEAR, 1, ours["chief"])
    refused: dict[str, Callable[[], object]] = {
        "trial_balance": lambda: service.trial_balance(ORG, YEAR, 1, intruder),
        "get_voucher": lambda: service.get_voucher(posted, intruder),
        "vouchers": lambda: service.vouchers(ORG, YEAR, 1, intruder),
        "ledger": lambda: service.ledger(ORG, "1011", YEAR, intruder),
        "verify_chain": lambda: service.verify_chain(ORG, intruder),
        "create_voucher": lambda: service.create_voucher(_quota("1.00"), intruder),
        "post_voucher": lambda: service.post_voucher(reviewed.id, intruder),
        "post_batch": lambda: service.post_batch([_quota("1.00")], intruder),
        "close_period": lambda: service.close_period(ORG, YEAR, 1, intruder),
        "reverse_voucher": lambda: service.reverse_voucher(posted, date(YEAR, 1, 20), intruder),
    }
    for name, call in refused.items():
        try:
            call()
        except PermissionDenied:
            continue
        except GovPartsError as exc:
            raise AssertionError(f"{name}: expected a permission error, got {type(exc).__name__}") from None
        raise AssertionError(f"{name}: an actor of another organisation was not refused")
    after = service.trial_balance(ORG, YEAR, 1, ours["chief"])
    assert after == before, f"{ORG}'s trial balance changed by another organisation's actor"
    assert service.get_voucher(reviewed.id, ours["chief"]).state == "reviewed"
    service.close_period(OTHER_ORG, YEAR, 1, theirs["chief"])
    mine = _post_as(service, _quota("2.00"), ours)
    theirs_first = _post_as(service, _quota("3.00", day=date(YEAR, 2, 2), org=OTHER_ORG), theirs)
    numbers = (
        service.get_voucher(mine, ours["chief"]).number,
        service.get_voucher(theirs_first, theirs["chief"]).number,
    )
    assert numbers == (2, 1), f"expected numbers (2, 1) per organisation, got {numbers}"


_BATCH = Actor(id="c-batch", name="批量记账", roles=frozenset({"reviewer", "bookkeeper"}))


@verifies("FIN-037")
def batch_posting_checks_periods_and_budget(service: FinanceService) -> None:
    _open(service)
    _post(service, _quota())
    _indicator(service, "150.00")
    _post(service, _spend("40.00"))
    with expect_raises(ProcessError):
        service.post_batch([_spend("100.00"), _spend("10.01")], _BATCH)
    execution = service.budget_execution(ORG, YEAR, CHIEF)
    assert [str(x.posted) for x in execution] == ["40.00"], [str(x.posted) for x in execution]
    assert len(service.vouchers(ORG, YEAR, 1, CHIEF)) == 2, "a refused batch left vouchers behind"
    ids = service.post_batch([_spend("100.00"), _spend("10.00")], _BATCH)
    assert len(ids) == 2, ids
    assert [str(x.available) for x in service.budget_execution(ORG, YEAR, CHIEF)] == ["0.00"]
    service.close_period(ORG, YEAR, 2, CHIEF)
    with expect_raises(ProcessError):
        service.post_batch(
            [_quota("1.00", day=date(YEAR, 3, 2)), _quota("1.00", day=date(YEAR, 2, 27))], _BATCH
        )
    assert service.vouchers(ORG, YEAR, 3, CHIEF) == [], "a refused batch posted into March"
    assert service.vouchers(ORG, YEAR, 2, CHIEF) == [], "a batch posted into a closed period"
    _indicator(service, "150.00", control="warn")
    warned = service.post_batch([_spend("0.01", day=date(YEAR, 1, 20))], _BATCH)
    assert service.get_voucher(warned[0], CHIEF).warnings, "no warning on a voucher beyond a warn indicator"


SUITE = Suite(CATALOGUE, collect_checks(globals()))
