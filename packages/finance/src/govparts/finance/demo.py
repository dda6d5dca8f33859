"""A small, realistic month of a Xinjiang public-service unit's books, run through the reference service.

Receipt of the authorised-payment quota, an office expense under a budget indicator, a travel
reimbursement (submit → review → approve → pay), an asset purchase and its depreciation from asset
events, a correction by red-ink reversal, month-end close and year-end carry-forward; returns the
checked figures. Invented organisation and people.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from govparts.core import events
from govparts.core.money import Money
from govparts.core.security import Actor

from .models import Indicator, ReimbursementClaim, VoucherDraft, VoucherLine
from .service import ReferenceService

__all__ = ["demo"]

ORG = "12650100MB0000001X"
CHIEF = Actor(
    id="demo-chief", name="古丽娜尔·阿布都拉", roles=frozenset({"chief_accountant", "budget_officer"})
)
PREPARER = Actor(id="demo-prep", name="王丽", roles=frozenset({"accountant"}))
REVIEWER = Actor(id="demo-rev", name="艾尔肯·买买提", roles=frozenset({"reviewer", "approver"}))
BOOKKEEPER = Actor(id="demo-book", name="李强", roles=frozenset({"bookkeeper"}))
CLAIMANT = Actor(id="demo-claim", name="热依拉·吐尔逊", roles=frozenset({"claimant"}))
APPROVER = Actor(id="demo-appr", name="陈刚", roles=frozenset({"approver"}))
CASHIER = Actor(id="demo-cash", name="马丽", roles=frozenset({"cashier"}))


def _line(account: str, side: str, amount: str, **aux: Any) -> VoucherLine:
    return VoucherLine(account=account, side=side, amount=Money.of(amount), **aux)


def _post(service: ReferenceService, draft: VoucherDraft) -> str:
    made = service.create_voucher(draft, PREPARER)
    service.review_voucher(made.id, REVIEWER)
    return service.post_voucher(made.id, BOOKKEEPER).id


def demo(engine: Any, year: int = 2026) -> dict[str, Any]:
    """Run the scenario on ``engine`` (tables created) and return the checked figures as strings."""
    service = ReferenceService(engine)
    service.open_year(ORG, year, CHIEF)
    for project, econ, amount in (
        ("XJ-EDU-01", "30201", "20000.00"),
        ("XJ-EDU-01", "30211", "5000.00"),
        ("XJ-EDU-01", "310", "60000.00"),
    ):
        service.set_indicator(
            Indicator(org=ORG, year=year, project=project, econ_class=econ, amount=Money.of(amount)), CHIEF
        )
    _post(
        service,
        VoucherDraft(
            org=ORG,
            date=date(year, 1, 4),
            summary="收到财政授权支付额度",
            lines=(
                _line("1011", "debit", "100000.00"),
                _line("4001", "credit", "100000.00"),
                _line("8001", "debit", "100000.00"),
                _line("6001", "credit", "100000.00"),
            ),
        ),
    )
    aux = {"project": "XJ-EDU-01", "econ_class": "30201", "func_class": "205"}
    office = _post(
        service,
        VoucherDraft(
            org=ORG,
            date=date(year, 1, 8),
            summary="购买办公用品",
            lines=(
                _line("5001", "debit", "1200.00", **aux),
                _line("1011", "credit", "1200.00", **aux),
                _line("7201", "debit", "1200.00", **aux),
                _line("8001", "credit", "1200.00", **aux),
            ),
        ),
    )
    claim = service.submit_reimbursement(
        ReimbursementClaim(
            org=ORG,
            claimant=CLAIMANT.id,
            date=date(year, 1, 15),
            amount=Money.of("2860.00"),
            purpose="喀什培训差旅费",
            project="XJ-EDU-01",
            econ_class="30211",
            func_class="205",
        ),
        CLAIMANT,
    )
    service.review_reimbursement(claim.id, REVIEWER)
    service.approve_reimbursement(claim.id, APPROVER)
    paid = service.pay_reimbursement(claim.id, CASHIER)
    now = datetime.now(UTC)
    registered = events.CloudEvent(
        id="demo-asset-registered-1",
        source="urn:govparts:assets",
        type="cn.govparts.assets.asset.registered.v1",
        time=now,
        subject="asset/XJ-A-0001",
        datacontenttype="application/json",
        data={
            "asset_id": "XJ-A-0001",
            "asset_code": "XJ-A-0001",
            "organization_credit_code": ORG,
            "category": "2010000",
            "name": "教学用计算机",
            "original_value": "48000.00",
            "acquisition_date": f"{year}-01-20",
            "acquisition_method": "purchase",
            "funding_source": "fiscal",
            "paying_account": "零余额账户用款额度",
            "in_service": f"{year}-01-20",
            "project": "XJ-EDU-01",
            "econ_class": "310",
        },
    )
    depreciated = events.CloudEvent(
        id="demo-asset-depreciated-1",
        source="urn:govparts:assets",
        type="cn.govparts.assets.asset.depreciated.v1",
        time=now,
        subject="asset/XJ-A-0001",
        datacontenttype="application/json",
        data={
            "organization_credit_code": ORG,
            "year": year,
            "month": 1,
            "asset_count": 1,
            "total": "800.00",
            "totals": [
                {"debit_account": "5001", "credit_account": "1602", "amount": "600.00"},
                {"debit_account": "5101", "credit_account": "1602", "amount": "200.00"},
            ],
        },
    )
    service.handle_asset_event(registered)
    service.handle_asset_event(registered)
    service.handle_asset_event(depreciated)
    reversal = service.reverse_voucher(office, date(year, 1, 28), PREPARER, summary="冲销重复报账的办公用品")
    service.review_voucher(reversal.id, REVIEWER)
    service.post_voucher(reversal.id, BOOKKEEPER)
    tb = service.trial_balance(ORG, year, 1)
    sheet = service.balance_sheet(ORG, year, 1)
    income = service.income_statement(ORG, year, 1)
    budget = service.budget_statement(ORG, year, 1)
    rec = service.reconciliation(ORG, year, 1)
    service.close_period(ORG, year, 1, CHIEF)
    figures: dict[str, Any] = {
        "vouchers": [v.number for v in service.vouchers(ORG, year, 1)],
        "reimbursement_voucher": paid.voucher_id is not None,
        "quota_balance_1011": str(tb.balance_of("1011")),
        "fund_balance_8001": str(tb.balance_of("8001")),
        "total_assets": str(sheet.total_assets),
        "liabilities_plus_net_assets": str(sheet.total_liabilities + sheet.total_net_assets),
        "surplus": str(income.surplus),
        "budget_surplus": str(budget.surplus),
        "reconciles": rec.surplus == income.surplus and rec.budget_surplus == budget.surplus,
        "chain_ok": service.verify_chain(ORG).ok,
        "budget_available": {
            f"{e.indicator.project}/{e.indicator.econ_class}": str(e.available)
            for e in service.budget_execution(ORG, year)
        },
    }
    closing = service.close_year(ORG, year, CHIEF)
    figures["closing_voucher"] = closing is not None
    figures["accumulated_surplus_3001"] = str(-service.trial_balance(ORG, year, 12).balance_of("3001"))
    return figures
