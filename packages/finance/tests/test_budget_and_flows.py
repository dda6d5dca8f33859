"""Budget control, reimbursement, asset events, reports and year-end closing."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from govparts.core import events
from govparts.core.errors import (
    GuardFailed,
    InvalidInput,
    InvalidRecord,
    PermissionDenied,
    TransitionNotAllowed,
)
from govparts.core.money import Money
from govparts.core.security import Actor
from govparts.finance import (
    BudgetExceeded,
    Indicator,
    ReferenceService,
    ReimbursementClaim,
    VoucherDraft,
)
from govparts.finance.models import AssetRegisteredAsFinanceReadsIt

from .conftest import BOOKKEEPER, CHIEF, DISPATCHER, ORG, PREPARER, REVIEWER, YEAR, line, post, quota_receipt

CLAIMANT = Actor(id="u-claim", name="热依拉·吐尔逊", roles=frozenset({"claimant"}))
APPROVER = Actor(id="u-appr", name="陈刚", roles=frozenset({"approver"}))
CASHIER = Actor(id="u-cash", name="马丽", roles=frozenset({"cashier"}))


def _expense(amount: str, *, project: str = "P01", econ: str = "30201") -> VoucherDraft:
    aux = {"project": project, "econ_class": econ}
    return VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 10),
        summary="办公费",
        lines=(
            line("5001", "debit", amount, **aux),
            line("1011", "credit", amount, **aux),
            line("7201", "debit", amount, **aux),
            line("8001", "credit", amount, **aux),
        ),
    )


def _indicator(service: ReferenceService, amount: str, control: str = "stop") -> None:
    service.set_indicator(
        CHIEF,
        ORG,
        Indicator(
            org=ORG, year=YEAR, project="P01", econ_class="30201", amount=Money.of(amount), control=control
        ),
    )


def test_refuses_expenditure_without_indicator(service: ReferenceService) -> None:
    """Refuses budget expenditure with no indicator by default (no account is silently unlimited)."""
    post(service, quota_receipt())
    made = service.create_voucher(PREPARER, ORG, _expense("100.00"))
    service.review_voucher(REVIEWER, made.org, made.id)
    with pytest.raises(GuardFailed) as caught:
        service.post_voucher(BOOKKEEPER, made.org, made.id)
    assert caught.value.field == "lines"
    assert service.get_voucher(CHIEF, made.org, made.id).state == "reviewed"


def test_allows_unbudgeted_when_configured(engine: object) -> None:
    """Posts expenditure without an indicator when the service is configured to allow it."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    post(service, quota_receipt())
    assert service.get_voucher(CHIEF, ORG, post(service, _expense("100.00"))).state == "posted"


def test_stop_indicator_refuses_and_warn_flags(service: ReferenceService) -> None:
    """Refuses spending beyond a stop indicator; a warn indicator posts it with a warning."""
    post(service, quota_receipt())
    _indicator(service, "150.00")
    post(service, _expense("100.00"))
    made = service.create_voucher(PREPARER, ORG, _expense("60.00"))
    service.review_voucher(REVIEWER, made.org, made.id)
    with pytest.raises(BudgetExceeded) as caught:
        service.post_voucher(BOOKKEEPER, made.org, made.id)
    assert caught.value.details["available"] == "50.00"
    _indicator(service, "150.00", control="warn")
    posted = service.post_voucher(BOOKKEEPER, made.org, made.id)
    assert posted.warnings
    assert posted.warnings[0].startswith("budget-exceeded:P01/30201")
    execution = service.budget_execution(CHIEF, ORG, YEAR)[0]
    assert (execution.posted, execution.available) == (Money.of("160.00"), Money.of("-10.00"))


def test_reimbursement_commits_then_posts(service: ReferenceService) -> None:
    """Runs a claim through review, approval (commitment) and payment (voucher in both systems)."""
    post(service, quota_receipt())
    _indicator(service, "1000.00")
    claim = ReimbursementClaim(
        org=ORG,
        claimant="u-claim",
        date=date(YEAR, 1, 20),
        amount=Money.of("800.00"),
        purpose="乌鲁木齐差旅",
        project="P01",
        econ_class="30201",
    )
    made = service.submit_reimbursement(CLAIMANT, claim.org, claim)
    service.review_reimbursement(REVIEWER, made.claim.org, made.id)
    service.approve_reimbursement(APPROVER, made.claim.org, made.id)
    execution = service.budget_execution(CHIEF, ORG, YEAR)[0]
    assert (execution.committed, execution.available) == (Money.of("800.00"), Money.of("200.00"))
    second = service.submit_reimbursement(
        CLAIMANT, ORG, claim.model_copy(update={"amount": Money.of("300.00")})
    )
    service.review_reimbursement(REVIEWER, second.claim.org, second.id)
    with pytest.raises(BudgetExceeded):
        service.approve_reimbursement(APPROVER, second.claim.org, second.id)
    paid = service.pay_reimbursement(CASHIER, made.claim.org, made.id)
    assert paid.state == "paid"
    assert paid.voucher_id
    voucher = service.get_voucher(CHIEF, ORG, paid.voucher_id)
    assert [(x.account, x.side) for x in voucher.lines] == [
        ("5001", "debit"),
        ("1011", "credit"),
        ("7201", "debit"),
        ("8001", "credit"),
    ]
    execution = service.budget_execution(CHIEF, ORG, YEAR)[0]
    assert (execution.posted, execution.committed) == (Money.of("800.00"), Money.zero())
    with pytest.raises(TransitionNotAllowed):
        service.pay_reimbursement(CASHIER, second.claim.org, second.id)
    with pytest.raises(PermissionDenied):
        service.approve_reimbursement(CLAIMANT, second.claim.org, second.id)


def _event(type_name: str, data: dict[str, object], event_id: str) -> events.CloudEvent:
    from datetime import UTC, datetime

    return events.CloudEvent(
        id=event_id,
        source="urn:govparts:assets",
        type=type_name,
        time=datetime.now(UTC),
        subject="asset/A-1",
        datacontenttype="application/json",
        data=data,
    )


def _registered(asset_id: str, category: str, value: str, paying: str, **extra: object) -> dict[str, object]:
    """A registration shaped exactly as assets' ``AssetRegistered.model_dump(mode="json")``."""
    return {
        "asset_id": asset_id,
        "asset_code": f"C-{asset_id}",
        "organization_credit_code": ORG,
        "category": category,
        "name": "台式计算机",
        "original_value": value,
        "acquisition_date": f"{YEAR}-01-15",
        "acquisition_method": "purchase",
        "funding_source": "fiscal",
        "paying_account": paying,
        "in_service": f"{YEAR}-01-16",
        **extra,
    }


def _depreciated(month: int, *totals: tuple[str, str, str]) -> dict[str, object]:
    """A monthly run shaped as assets' ``AssetDepreciated``: (debit, credit, amount) per total."""
    rows = [{"debit_account": d, "credit_account": c, "amount": a} for d, c, a in totals]
    return {
        "organization_credit_code": ORG,
        "year": YEAR,
        "month": month,
        "asset_count": len(rows),
        "total": str(Money.total(Money.of(a) for _, _, a in totals)),
        "totals": rows,
    }


def test_consumes_asset_events_once(engine: object) -> None:
    """Turns registered/depreciated/disposed asset events into vouchers, each event once."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    post(service, quota_receipt())
    registered = _event(
        "cn.govparts.assets.asset.registered.v1",
        _registered("A-1", "2010000", "12000.00", "零余额账户用款额度", unknown_field=1),
        "ev-1",
    )
    voucher = service.receive_event(DISPATCHER, registered)
    assert voucher is not None
    assert [(x.account, x.side, str(x.amount)) for x in voucher.lines] == [
        ("1601", "debit", "12000.00"),
        ("1011", "credit", "12000.00"),
        ("7201", "debit", "12000.00"),
        ("8001", "credit", "12000.00"),
    ]
    assert voucher.date == date(YEAR, 1, 15)
    assert service.receive_event(DISPATCHER, registered) is None
    depreciated = _event(
        "cn.govparts.assets.asset.depreciated.v1",
        _depreciated(1, ("5001", "1602", "150.00"), ("5101", "1602", "50.00")),
        "ev-2",
    )
    dep = service.receive_event(DISPATCHER, depreciated)
    assert dep is not None
    assert dep.date == date(YEAR, 1, 31)
    assert [(x.account, x.side, str(x.amount)) for x in dep.lines] == [
        ("5001", "debit", "150.00"),
        ("5101", "debit", "50.00"),
        ("1602", "credit", "200.00"),
    ]
    disposed = _event(
        "cn.govparts.assets.asset.disposed.v1",
        {
            "asset_id": "A-1",
            "asset_code": "C-A-1",
            "organization_credit_code": ORG,
            "method": "scrapping",
            "on": f"{YEAR}-01-31",
            "original_value": "12000.00",
            "accumulated_depreciation": "200.00",
            "partial": False,
            "approver_role": "asset_authority",
        },
        "ev-3",
    )
    disp = service.receive_event(DISPATCHER, disposed)
    assert disp is not None
    assert disp.date == date(YEAR, 1, 31)
    tb = service.trial_balance(CHIEF, ORG, YEAR, 1)
    assert tb.balance_of("1601").fen == 0
    assert tb.balance_of("1602").fen == 0
    assert tb.balance_of("5301") == Money.of("11800.00")
    assert tb.balance_of("5101") == Money.of("50.00")
    with pytest.raises(InvalidRecord):
        service.receive_event(
            DISPATCHER, _event("cn.govparts.assets.asset.registered.v1", {"asset_id": "A-2"}, "ev-4")
        )


def test_intangible_asset_is_booked_to_1701_and_amortised_to_1702(engine: object) -> None:
    """Debits an intangible asset (ZZ01) to 1701 and credits its amortisation to the 1702 assets sends."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    reg = service.receive_event(
        DISPATCHER,
        _event("cn.govparts.assets.asset.registered.v1", _registered("S-1", "ZZ01", "3600.00", "1011"), "e1"),
    )
    assert reg is not None
    assert [(x.account, x.side) for x in reg.lines][:2] == [("1701", "debit"), ("1011", "credit")]
    dep = service.receive_event(
        DISPATCHER,
        _event(
            "cn.govparts.assets.asset.depreciated.v1",
            _depreciated(2, ("5001", "1602", "30.00"), ("5101", "1702", "100.00"), ("5001", "1702", "1.00")),
            "e2",
        ),
    )
    assert dep is not None
    assert [(x.account, x.side, str(x.amount)) for x in dep.lines if x.side == "credit"] == [
        ("1602", "credit", "30.00"),
        ("1702", "credit", "101.00"),
    ]
    tb = service.trial_balance(CHIEF, ORG, YEAR, 2)
    assert tb.balance_of("1701") == Money.of("3600.00")
    assert tb.balance_of("1702") == Money.of("-101.00")


def test_direct_payment_is_credited_to_fiscal_revenue(engine: object) -> None:
    """Books a purchase paid by 财政直接支付 as Cr 4001 and its budget entry as Cr 6001, not 8001."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    voucher = service.receive_event(
        DISPATCHER,
        _event(
            "cn.govparts.assets.asset.registered.v1",
            _registered("D-1", "2030000", "250000.00", "财政直接支付"),
            "e-direct",
        ),
    )
    assert voucher is not None
    assert [(x.account, x.side, str(x.amount)) for x in voucher.lines] == [
        ("1601", "debit", "250000.00"),
        ("4001", "credit", "250000.00"),
        ("7201", "debit", "250000.00"),
        ("6001", "credit", "250000.00"),
    ]
    income = service.income_statement(CHIEF, ORG, YEAR, 1)
    assert income.total_revenue == Money.of("250000.00")


@pytest.mark.parametrize(
    ("sent", "account"),
    [
        ("零余额账户", "1011"),
        ("银行存款", "1002"),
        ("库存现金", "1001"),
        ("100201", "100201"),
        ("1011", "1011"),
    ],
)
def test_reads_the_names_and_codes_of_paying_accounts(sent: str, account: str) -> None:
    """Maps the recognised name of a standard paying account to its code and keeps a paying code."""
    read = AssetRegisteredAsFinanceReadsIt.model_validate(_registered("P", "2020000", "10.00", sent))
    assert read.paying_account == account


@pytest.mark.parametrize("sent", ["", "财政拨款", "工商银行", "5001", "1601"])
def test_refuses_an_unknown_paying_account(engine: object, sent: str) -> None:
    """Refuses a paying account it cannot name, in Chinese and Uyghur, naming the field; books nothing."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    event = _event("cn.govparts.assets.asset.registered.v1", _registered("X", "2020000", "9.00", sent), "e-x")
    with pytest.raises(InvalidRecord) as caught:
        service.receive_event(DISPATCHER, event)
    (error,) = caught.value.errors
    assert isinstance(error, InvalidInput)
    assert error.field == "paying_account"
    assert "付款账户" in error.message("zh_Hans_CN")
    assert "تۆلەش ھېساباتى" in error.message("ug_CN")
    assert service.trial_balance(CHIEF, ORG, YEAR, 1).rows == ()
    assert service.receive_event(
        DISPATCHER,
        _event("cn.govparts.assets.asset.registered.v1", _registered("X", "2020000", "9.00", "1002"), "e-x"),
    )


def test_refuses_a_category_without_an_asset_account() -> None:
    """Refuses a category whose asset account it does not know, naming the category."""
    with pytest.raises(ValidationError) as caught:
        AssetRegisteredAsFinanceReadsIt.model_validate(_registered("Q", "ZZ99", "10.00", "1011"))
    assert caught.value.errors()[0]["loc"] == ("category",)


def test_reports_reconcile_and_year_closes(engine: object) -> None:
    """Balances the statements, reconciles the surpluses and closes the year into net assets."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    post(service, quota_receipt("1000.00"))
    post(service, _expense("300.00"))
    post(
        service,
        VoucherDraft(
            org=ORG,
            date=date(YEAR, 1, 12),
            summary="购置设备",
            lines=(
                line("1601", "debit", "200.00"),
                line("1011", "credit", "200.00"),
                line("7201", "debit", "200.00"),
                line("8001", "credit", "200.00"),
            ),
        ),
    )
    post(
        service,
        VoucherDraft(
            org=ORG,
            date=date(YEAR, 1, 31),
            summary="计提折旧",
            lines=(line("5001", "debit", "20.00"), line("1602", "credit", "20.00")),
        ),
    )
    income = service.income_statement(CHIEF, ORG, YEAR, 1)
    budget = service.budget_statement(CHIEF, ORG, YEAR, 1)
    assert (income.surplus, budget.surplus) == (Money.of("680.00"), Money.of("500.00"))
    rec = service.reconciliation(CHIEF, ORG, YEAR, 1)
    assert rec.budget_expenditure_not_expense == Money.of("200.00")
    assert rec.expense_not_budget_expenditure == Money.of("20.00")
    assert rec.surplus == income.surplus
    assert rec.budget_surplus == budget.surplus
    sheet = service.balance_sheet(CHIEF, ORG, YEAR, 1)
    assert sheet.total_assets == sheet.total_liabilities + sheet.total_net_assets == Money.of("680.00")
    closing = service.close_year(CHIEF, ORG, YEAR)
    assert closing is not None
    assert closing.kind == "closing"
    tb = service.trial_balance(CHIEF, ORG, YEAR, 12)
    for prefix in ("4", "5", "6", "7", "3301", "3302"):
        assert tb.balance_of(prefix).fen == 0, prefix
    assert tb.balance_of("3001") == Money.of("-680.00")
    assert tb.balance_of("8101") == Money.of("-500.00")
    assert service.income_statement(CHIEF, ORG, YEAR, 12).surplus == Money.of("680.00")
    ledger = service.ledger(CHIEF, ORG, "1011", YEAR)
    assert [str(x.balance) for x in ledger] == ["1000.00", "700.00", "500.00"]


def test_failed_asset_voucher_is_retried_not_dropped(engine: object) -> None:
    """Raises for an asset event dated in a closed period on every delivery, and books it once reopened."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    service.close_period(CHIEF, ORG, YEAR, 1)
    event = _event(
        "cn.govparts.assets.asset.depreciated.v1",
        _depreciated(1, ("5001", "1602", "10.00")),
        "ev-closed",
    )
    for _ in range(2):
        with pytest.raises(GuardFailed):
            service.receive_event(DISPATCHER, event)
    moved = _event(
        "cn.govparts.assets.asset.depreciated.v1",
        _depreciated(2, ("5001", "1602", "10.00")),
        "ev-open",
    )
    voucher = service.receive_event(DISPATCHER, moved)
    assert voucher is not None
    assert [(x.account, x.side) for x in voucher.lines] == [("5001", "debit"), ("1602", "credit")]


def test_errors_speak_chinese_and_uyghur(service: ReferenceService) -> None:
    """Localises the finance errors into Chinese and Uyghur, naming the field."""
    bad = VoucherDraft(
        org=ORG,
        date=date(YEAR, 1, 6),
        summary="x",
        lines=(line("1002", "debit", "1.00"), line("1001", "credit", "1.01")),
    )
    with pytest.raises(InvalidInput) as caught:
        service.create_voucher(PREPARER, bad.org, bad)
    assert caught.value.message("zh_Hans_CN").startswith("lines：financial 体系借方 1.00 与贷方 1.01 不相等")
    assert "دېبىت 1.00" in caught.value.message("ug_CN")


BATCH_POSTER = Actor(id="u-batch", name="批量", roles=frozenset({"reviewer", "bookkeeper"}))


def test_batch_refuses_beyond_a_stop_indicator_counting_earlier_vouchers(service: ReferenceService) -> None:
    """Refuses a batch whose second voucher exceeds what the first left, naming it; writes nothing."""
    post(service, quota_receipt())
    _indicator(service, "150.00")
    post(service, _expense("40.00"))
    with pytest.raises(BudgetExceeded) as caught:
        service.post_batch(BATCH_POSTER, ORG, [_expense("100.00"), _expense("10.01")])
    assert caught.value.field == "drafts[1].lines"
    assert caught.value.details["available"] == "10.00"
    assert len(service.vouchers(CHIEF, ORG, YEAR, 1)) == 2
    execution = service.budget_execution(CHIEF, ORG, YEAR)[0]
    assert execution.posted == Money.of("40.00")
    ids = service.post_batch(BATCH_POSTER, ORG, [_expense("100.00"), _expense("10.00")])
    assert [service.get_voucher(CHIEF, ORG, i).warnings for i in ids] == [(), ()]
    assert service.budget_execution(CHIEF, ORG, YEAR)[0].available == Money.of("0.00")


def test_batch_budget_counts_open_commitments(service: ReferenceService) -> None:
    """Refuses a batch that would spend what an approved, unpaid claim has committed."""
    post(service, quota_receipt())
    _indicator(service, "100.00")
    claim = ReimbursementClaim(
        org=ORG,
        claimant="热依拉·吐尔逊",
        date=date(YEAR, 1, 12),
        amount=Money.of("70.00"),
        purpose="差旅",
        project="P01",
        econ_class="30201",
    )
    made = service.submit_reimbursement(CLAIMANT, claim.org, claim)
    service.review_reimbursement(REVIEWER, made.claim.org, made.id)
    service.approve_reimbursement(APPROVER, made.claim.org, made.id)
    with pytest.raises(BudgetExceeded) as caught:
        service.post_batch(BATCH_POSTER, ORG, [_expense("30.01")])
    assert caught.value.details["available"] == "30.00"
    assert len(service.post_batch(BATCH_POSTER, ORG, [_expense("30.00")])) == 1


def test_batch_warn_indicator_leaves_the_warning_on_the_voucher_that_exceeds(
    service: ReferenceService,
) -> None:
    """Posts a batch beyond a warn indicator, with the warning on the exceeding voucher only."""
    post(service, quota_receipt())
    _indicator(service, "150.00", control="warn")
    ids = service.post_batch(BATCH_POSTER, ORG, [_expense("100.00"), _expense("60.00"), _expense("5.00")])
    warnings = [service.get_voucher(CHIEF, ORG, i).warnings for i in ids]
    assert warnings[0] == ()
    assert warnings[1] == ("budget-exceeded:P01/30201:60.00>50.00",)
    assert warnings[2] == ("budget-exceeded:P01/30201:5.00>-10.00",)


def test_batch_refuses_unbudgeted_expenditure_and_closed_periods(service: ReferenceService) -> None:
    """Refuses a batch with expenditure under no indicator, or dated in a closed period; writes nothing."""
    from govparts.finance import PeriodClosed

    post(service, quota_receipt())
    with pytest.raises(GuardFailed) as caught:
        service.post_batch(BATCH_POSTER, ORG, [quota_receipt("1.00"), _expense("1.00")])
    assert caught.value.field == "drafts[1].lines"
    _indicator(service, "150.00")
    service.close_period(CHIEF, ORG, YEAR, 1)
    with pytest.raises(PeriodClosed) as closed:
        service.post_batch(BATCH_POSTER, ORG, [_expense("1.00")])
    assert closed.value.field == "drafts.date"
    assert len(service.vouchers(CHIEF, ORG, YEAR, 1)) == 1
    assert service.budget_execution(CHIEF, ORG, YEAR)[0].posted == Money.of("0.00")
