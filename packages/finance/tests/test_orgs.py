"""Many offices in one database (issue 14): an administrative office and a public institution.

Periods, voucher numbers, indicators and balances are per organisation; every method of the
:class:`~govparts.finance.FinanceService` Protocol refuses an actor of the other organisation with
``OrganizationDenied`` and writes nothing; a cross-organisation auditor reads, audited, and never
writes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from govparts.core import events
from govparts.core.audit import AuditRecord
from govparts.core.db import metadata
from govparts.core.errors import OrganizationDenied
from govparts.core.money import Money
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor
from govparts.finance import (
    FinanceService,
    Indicator,
    ReferenceService,
    ReimbursementClaim,
    SubAccount,
    VoucherDraft,
)

from .conftest import DISPATCHER, YEAR, line

pytestmark = pytest.mark.db

OFFICE = "11650100MB00000117"
"""An administrative office (机关, registration authority and category 11)."""
INSTITUTION = "12650100MB0000028T"
"""A public institution (事业单位, 12)."""

ROLES = frozenset({"accountant", "chief_accountant", "budget_officer", "claimant", "approver", "cashier"})


def _staff(org: str, duty: str, roles: frozenset[str]) -> Actor:
    return Actor(id=f"{org[-4:]}-{duty}", name=duty, roles=roles, org=org)


def _people(org: str) -> dict[str, Actor]:
    return {
        "chief": _staff(org, "chief", frozenset({"chief_accountant", "budget_officer"})),
        "preparer": _staff(org, "prep", frozenset({"accountant"})),
        "reviewer": _staff(org, "rev", frozenset({"reviewer"})),
        "approver": _staff(org, "appr", frozenset({"approver"})),
        "bookkeeper": _staff(org, "book", frozenset({"bookkeeper", "reviewer"})),
        "claimant": _staff(org, "claim", frozenset({"claimant"})),
        "cashier": _staff(org, "cash", frozenset({"cashier"})),
    }


A = _people(OFFICE)
B = _people(INSTITUTION)
INTRUDER = Actor(
    id="b-all",
    name="intruder",
    roles=ROLES | {"reviewer", "bookkeeper"},
    org=INSTITUTION,
)
"""An actor of the institution holding every role: roles never open another organisation's books."""
AUDITOR = Actor(
    id="bureau-audit", name="审计", roles=frozenset({CROSS_ORG_READ_ROLE}), org="11650100MB0000099X"
)


def _quota(org: str, amount: str = "1000.00", day: date = date(YEAR, 1, 5)) -> VoucherDraft:
    return VoucherDraft(
        org=org,
        date=day,
        summary="收到财政授权支付额度",
        lines=(
            line("1011", "debit", amount),
            line("4001", "credit", amount),
            line("8001", "debit", amount),
            line("6001", "credit", amount),
        ),
    )


def _spend(org: str, amount: str) -> VoucherDraft:
    aux = {"project": "P01", "econ_class": "30201"}
    return VoucherDraft(
        org=org,
        date=date(YEAR, 1, 10),
        summary="办公费",
        lines=(
            line("5001", "debit", amount, **aux),
            line("1011", "credit", amount, **aux),
            line("7201", "debit", amount, **aux),
            line("8001", "credit", amount, **aux),
        ),
    )


def _post(service: ReferenceService, draft: VoucherDraft, people: dict[str, Actor]) -> str:
    made = service.create_voucher(people["preparer"], draft.org, draft)
    service.review_voucher(people["reviewer"], made.org, made.id)
    return service.post_voucher(people["bookkeeper"], made.org, made.id).id


def _open_both(service: ReferenceService) -> None:
    for org, people in ((OFFICE, A), (INSTITUTION, B)):
        service.open_year(people["chief"], org, YEAR)


def _claim(org: str, amount: str = "50.00") -> ReimbursementClaim:
    return ReimbursementClaim(
        org=org,
        claimant="claimant",
        date=date(YEAR, 1, 12),
        amount=Money.of(amount),
        purpose="差旅",
        project="P01",
        econ_class="30201",
    )


def _indicator(org: str, amount: str = "500.00") -> Indicator:
    return Indicator(org=org, year=YEAR, project="P01", econ_class="30201", amount=Money.of(amount))


def _asset_event(org: str, event_id: str) -> events.CloudEvent:
    return events.CloudEvent(
        id=event_id,
        source="urn:govparts:assets",
        type="cn.govparts.assets.asset.registered.v1",
        time=datetime.now(UTC),
        subject="asset/1",
        datacontenttype="application/json",
        data={
            "asset_id": "A-1",
            "asset_code": "C-A-1",
            "organization_credit_code": org,
            "category": "2010000",
            "name": "台式计算机",
            "original_value": "300.00",
            "acquisition_date": f"{YEAR}-01-15",
            "acquisition_method": "purchase",
            "funding_source": "fiscal",
            "paying_account": "1011",
            "in_service": f"{YEAR}-01-16",
            "project": "P01",
            "econ_class": "30201",
        },
    )


def _fingerprint(engine: sa.Engine) -> dict[str, list[Any]]:
    """Every finance row and every audit record: what a refused call must leave as it was."""
    tables = [t for name, t in sorted(metadata.tables.items()) if name.startswith("finance_")]
    tables.append(AuditRecord.__table__)  # type: ignore[attr-defined]
    out: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in tables:
            rows = conn.execute(sa.select(table)).all()
            out[table.name] = sorted(tuple(str(v) for v in r) for r in rows)
    return out


@pytest.fixture
def books(engine: sa.Engine) -> ReferenceService:
    """Both organisations with the year open, a posted quota, an indicator and a reviewed draft."""
    service = ReferenceService(engine)
    _open_both(service)
    for org, people in ((OFFICE, A), (INSTITUTION, B)):
        _post(service, _quota(org), people)
        service.set_indicator(people["chief"], org, _indicator(org))
    return service


def test_periods_numbers_and_closing_are_per_organisation(books: ReferenceService) -> None:
    """Numbers each organisation's period on its own; closing the office's January leaves the other's open."""
    first_a = _post(books, _quota(OFFICE, "2.00"), A)
    first_b = _post(books, _quota(INSTITUTION, "3.00"), B)
    assert books.get_voucher(A["chief"], OFFICE, first_a).number == 2
    assert books.get_voucher(B["chief"], INSTITUTION, first_b).number == 2
    books.close_period(A["chief"], OFFICE, YEAR, 1)
    assert (YEAR, 1) not in books.open_periods(A["chief"], OFFICE)
    assert (YEAR, 1) in books.open_periods(B["chief"], INSTITUTION)
    fourth = _post(books, _quota(INSTITUTION, "4.00"), B)
    assert books.get_voucher(B["chief"], INSTITUTION, fourth).number == 3
    ids = books.post_batch(B["bookkeeper"], INSTITUTION, [_quota(INSTITUTION, "1.00") for _ in range(3)])
    assert [books.get_voucher(B["chief"], INSTITUTION, i).number for i in ids] == [4, 5, 6]
    assert [v.number for v in books.vouchers(A["chief"], OFFICE, YEAR, 1)] == [1, 2]
    assert books.verify_chain(A["chief"], OFFICE).checked == 2
    assert books.verify_chain(B["chief"], INSTITUTION).checked == 6


def test_balances_and_budget_are_per_organisation(books: ReferenceService) -> None:
    """Spends against each organisation's own indicator; trial balances never mix."""
    _post(books, _spend(OFFICE, "400.00"), A)
    execution_b = books.budget_execution(B["chief"], INSTITUTION, YEAR)[0]
    assert (execution_b.posted, execution_b.available) == (Money.zero(), Money.of("500.00"))
    _post(books, _spend(INSTITUTION, "450.00"), B)
    tb_a = books.trial_balance(A["chief"], OFFICE, YEAR, 1)
    tb_b = books.trial_balance(B["chief"], INSTITUTION, YEAR, 1)
    assert tb_a.balance_of("1011") == Money.of("600.00")
    assert tb_b.balance_of("1011") == Money.of("550.00")
    assert [line.amount for line in books.ledger(A["chief"], OFFICE, "7201", YEAR)] == [Money.of("400.00")]


def test_an_asset_event_of_one_organisation_touches_only_its_books(books: ReferenceService) -> None:
    """Books an asset registered by the office in the office's ledger only."""
    before_b = _fingerprint_of(books, INSTITUTION)
    voucher = books.receive_event(DISPATCHER, _asset_event(OFFICE, "ev-a-1"))
    assert voucher is not None
    assert voucher.org == OFFICE
    assert books.trial_balance(A["chief"], OFFICE, YEAR, 1).balance_of("1601") == Money.of("300.00")
    assert _fingerprint_of(books, INSTITUTION) == before_b
    with pytest.raises(OrganizationDenied):
        books.receive_event(INTRUDER, _asset_event(OFFICE, "ev-a-2"))


def _fingerprint_of(service: ReferenceService, org: str) -> tuple[Any, ...]:
    chief = {OFFICE: A, INSTITUTION: B}[org]["chief"]
    return (
        service.trial_balance(chief, org, YEAR, 1).model_dump(),
        [v.model_dump() for v in service.vouchers(chief, org, YEAR, 1)],
        [x.model_dump() for x in service.budget_execution(chief, org, YEAR)],
    )


# -- every Protocol method, called by an actor of the other organisation ----------------------------

NOT_SCOPED = {"capabilities": "describes the implementation, holds no organisation's data"}


def _calls(service: ReferenceService, ids: dict[str, str]) -> dict[str, Callable[[Actor], Any]]:
    """One call per Protocol method on the office's data, as ``actor`` (who is of the institution)."""
    o = OFFICE
    sub = SubAccount(org=o, code="100201", parent="1002", name="工商银行", opened_on=date(YEAR, 1, 1))
    return {
        "open_year": lambda a: service.open_year(a, o, YEAR + 1),
        "close_period": lambda a: service.close_period(a, o, YEAR, 2),
        "add_sub_account": lambda a: service.add_sub_account(a, o, sub),
        "create_voucher": lambda a: service.create_voucher(a, o, _quota(o)),
        "review_voucher": lambda a: service.review_voucher(a, o, ids["draft"]),
        "post_voucher": lambda a: service.post_voucher(a, o, ids["reviewed"]),
        "reverse_voucher": lambda a: service.reverse_voucher(a, o, ids["posted"], date(YEAR, 1, 20)),
        "get_voucher": lambda a: service.get_voucher(a, o, ids["posted"]),
        "vouchers": lambda a: service.vouchers(a, o, YEAR, 1),
        "post_batch": lambda a: service.post_batch(a, o, [_quota(o, "1.00")]),
        "verify_chain": lambda a: service.verify_chain(a, o),
        "set_indicator": lambda a: service.set_indicator(a, o, _indicator(o, "9999.00")),
        "budget_execution": lambda a: service.budget_execution(a, o, YEAR),
        "submit_reimbursement": lambda a: service.submit_reimbursement(a, o, _claim(o)),
        "review_reimbursement": lambda a: service.review_reimbursement(a, o, ids["submitted"]),
        "approve_reimbursement": lambda a: service.approve_reimbursement(a, o, ids["claim_reviewed"]),
        "pay_reimbursement": lambda a: service.pay_reimbursement(a, o, ids["approved"]),
        "trial_balance": lambda a: service.trial_balance(a, o, YEAR, 1),
        "balance_sheet": lambda a: service.balance_sheet(a, o, YEAR, 1),
        "income_statement": lambda a: service.income_statement(a, o, YEAR, 1),
        "budget_statement": lambda a: service.budget_statement(a, o, YEAR, 1),
        "reconciliation": lambda a: service.reconciliation(a, o, YEAR, 1),
        "ledger": lambda a: service.ledger(a, o, "1011", YEAR),
        "close_year": lambda a: service.close_year(a, o, YEAR),
        "unreview_voucher": lambda a: service.unreview_voucher(a, o, ids["reviewed"]),
        "open_periods": lambda a: service.open_periods(a, o),
        "get_reimbursement": lambda a: service.get_reimbursement(a, o, ids["submitted"]),
        "reject_reimbursement": lambda a: service.reject_reimbursement(a, o, ids["submitted"]),
        "receive_event": lambda a: service.receive_event(a, _asset_event(o, "ev-x")),
        "audit_trail": lambda a: service.audit_trail(a, o, "voucher", ids["posted"]),
        "published_events": lambda a: service.published_events(a, o),
    }


READS = {
    "get_voucher",
    "open_periods",
    "get_reimbursement",
    "audit_trail",
    "published_events",
    "vouchers",
    "verify_chain",
    "budget_execution",
    "trial_balance",
    "balance_sheet",
    "income_statement",
    "budget_statement",
    "reconciliation",
    "ledger",
}


def _office_ids(service: ReferenceService) -> dict[str, str]:
    draft = service.create_voucher(A["preparer"], OFFICE, _quota(OFFICE, "5.00")).id
    reviewed = service.create_voucher(A["preparer"], OFFICE, _quota(OFFICE, "6.00")).id
    service.review_voucher(A["reviewer"], OFFICE, reviewed)
    posted = _post(service, _quota(OFFICE, "7.00"), A)
    submitted = service.submit_reimbursement(A["claimant"], OFFICE, _claim(OFFICE)).id
    claim_reviewed = service.submit_reimbursement(A["claimant"], OFFICE, _claim(OFFICE)).id
    service.review_reimbursement(A["reviewer"], OFFICE, claim_reviewed)
    approved = service.submit_reimbursement(A["claimant"], OFFICE, _claim(OFFICE)).id
    service.review_reimbursement(A["reviewer"], OFFICE, approved)
    service.approve_reimbursement(A["approver"], OFFICE, approved)
    return {
        "draft": draft,
        "reviewed": reviewed,
        "posted": posted,
        "submitted": submitted,
        "claim_reviewed": claim_reviewed,
        "approved": approved,
    }


def _protocol_methods() -> set[str]:
    return {
        name for name, _ in inspect.getmembers(FinanceService, inspect.isfunction) if not name.startswith("_")
    }


def test_the_call_table_covers_every_protocol_method(books: ReferenceService) -> None:
    """Lists a call for every method of the Protocol, or the reason it is not scoped by organisation."""
    calls = _calls(
        books, dict.fromkeys(("draft", "reviewed", "posted", "submitted", "claim_reviewed", "approved"), "")
    )
    assert set(calls) | set(NOT_SCOPED) == _protocol_methods()
    assert not set(calls) & set(NOT_SCOPED)


@pytest.mark.parametrize("method", sorted(_protocol_methods() - set(NOT_SCOPED)))
def test_every_method_refuses_an_actor_of_another_organisation(books: ReferenceService, method: str) -> None:
    """Refuses the institution's actor on the office's data with OrganizationDenied; writes nothing."""
    ids = _office_ids(books)
    before = _fingerprint(books.engine)
    with pytest.raises(OrganizationDenied) as caught:
        _calls(books, ids)[method](INTRUDER)
    assert OFFICE not in caught.value.message("en")
    assert _fingerprint(books.engine) == before


def test_a_cross_organisation_auditor_reads_audited_and_never_writes(books: ReferenceService) -> None:
    """Lets the bureau's auditor call every reading method (each read audited); refuses every writing one."""
    ids = _office_ids(books)
    calls = _calls(books, ids)
    audit = AuditRecord.__table__  # type: ignore[attr-defined]

    def audited() -> int:
        with books.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).where(audit.c.action == CROSS_ORG_READ_ACTION)
                ).scalar_one()
            )

    for method in sorted(READS):
        count = audited()
        calls[method](AUDITOR)
        assert audited() == count + 1, method
    for method in sorted(set(calls) - READS):
        before = _fingerprint(books.engine)
        with pytest.raises(OrganizationDenied):
            calls[method](AUDITOR)
        assert _fingerprint(books.engine) == before, method
