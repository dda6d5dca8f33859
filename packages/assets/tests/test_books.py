"""Reconciling cards with books (账卡核对) and the accounts a disposal names, on the run's database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.assets import tables as t
from govparts.assets.models import AssetCard, BookBalance
from govparts.assets.rules import BookDifference, card_accounts, compare_books
from govparts.assets.service import ReferenceService
from govparts.core.db import session_scope
from govparts.core.errors import GovPartsError, InvalidInput
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

ORG = "91350100M000100Y43"
OTHER_ORG = "91110000MB0000001N"
AS_OF = date(2024, 5, 31)


def _actor(role: str) -> Actor:
    return Actor(id=f"u-{role}", name="测试用户", roles=frozenset({role}))


REQUESTER, APPROVER, KEEPER, ACCOUNTANT = (
    _actor(r) for r in ("requester", "approver", "keeper", "accountant")
)
DEPARTMENT = _actor("department_approver")
ALICE = PersonRef(person_id="P-0001", organization_credit_code=ORG, name="阿依古丽·艾力")


def _in_use(service: ReferenceService, code: str, org: str = ORG, **changes: Any) -> AssetCard:
    card: dict[str, Any] = {
        "asset_code": code,
        "organization_credit_code": org,
        "category": "2030000",
        "name": "公务用车",
        "original_value": "96000.00",
        "acquisition_date": "2024-03-01",
        "location": "车库",
    }
    card.update(changes)
    made = service.request_acquisition(REQUESTER, org, card)
    service.approve_acquisition(APPROVER, org, made.id)
    service.accept(KEEPER, org, made.id)
    service.register(ACCOUNTANT, org, made.id, date(2024, 3, 20))
    return service.issue(KEEPER, org, made.id, ALICE)


def _books(balances: dict[str, str]) -> list[BookBalance]:
    return [BookBalance(account=a, balance=Money.of(v), as_of=AS_OF) for a, v in balances.items()]


def _differences(found: list[Any]) -> dict[str, tuple[Money | None, Money | None]]:
    return {f.account: (f.card_total, f.ledger_balance) for f in found if f.kind == "book_difference"}


def _stocktake(service: ReferenceService, *cards: AssetCard, org: str = ORG) -> str:
    take = service.plan_stocktake(KEEPER, org, "年终清查")
    service.record_count(KEEPER, org, take.id, [c.asset_code for c in cards] or ["X-0"], location="车库")
    return take.id


def test_compare_books_rolls_sub_accounts_up_and_ignores_other_accounts() -> None:
    """Adds sub-accounts to their account, skips accounts of no card and counts a missing account as zero."""
    cards = {"1601": Money.of("100.00"), "1602": Money.of("-10.00"), "1701": Money.of("5.00")}
    ledger = [
        ("160101", Money.of("60.00")),
        ("160102", Money.of("40.00")),
        ("1602", Money.of("-9.99")),
        ("1002", Money.of("1000.00")),
        ("4001", Money.of("-1000.00")),
    ]
    assert compare_books(cards, ledger) == [
        BookDifference("1602", Money.of("-10.00"), Money.of("-9.99")),
        BookDifference("1701", Money.of("5.00"), Money.zero()),
    ]
    assert compare_books(cards, ledger)[0].difference == Money.of("-0.01")
    assert compare_books({}, [("1702", Money.of("-1.00"))]) == [
        BookDifference("1702", Money.zero(), Money.of("-1.00"))
    ]
    assert {"1601", "1602", "1701", "1702"} <= card_accounts()


def test_partial_disposal_leaves_the_cards_agreeing_with_the_books(service: ReferenceService) -> None:
    """Takes the depreciation a partial disposal sent to the books off the cards' accumulated account."""
    car = _in_use(service, "CAR-1")
    for month in (3, 4, 5):
        service.run_depreciation(ACCOUNTANT, ORG, 2024, month)  # 1000.00 a month
    service.dispose_part(DEPARTMENT, ORG, car.id, "sale", Money.of("48000.00"), date(2024, 6, 1))
    sent = [
        e.data for e in service.published_events(ACCOUNTANT, ORG, type="cn.govparts.assets.asset.disposed.v1")
    ]
    assert [d["accumulated_depreciation"] for d in sent] == ["1500.00"]
    take = _stocktake(service, car)
    agreeing = _books({"1601": "48000.00", "1602": "-1500.00"})
    assert service.reconcile(KEEPER, ORG, take, books=agreeing) == []


def test_reports_each_account_where_cards_and_books_differ(service: ReferenceService) -> None:
    """Records both figures of each differing account, cards minus books as the finding's value."""
    car = _in_use(service, "CAR-2")
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    take = _stocktake(service, car)
    found = service.reconcile(KEEPER, ORG, take, books=_books({"1601": "95000.00", "1602": "-1000.00"}))
    assert _differences(found) == {"1601": (Money.of("96000.00"), Money.of("95000.00"))}
    (finding,) = found
    assert (finding.book_value, finding.as_of, finding.adjusted_by) == (Money.of("1000.00"), AS_OF, "finance")
    assert service.findings(ACCOUNTANT, ORG, take) == found


def test_empty_books_differ_from_every_account_of_the_cards(service: ReferenceService) -> None:
    """Treats an empty ledger as books holding nothing, unlike no ledger at all."""
    car = _in_use(service, "CAR-3")
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    first = _stocktake(service, car)
    assert _differences(service.reconcile(KEEPER, ORG, first, books=[])) == {
        "1601": (Money.of("96000.00"), Money.zero()),
        "1602": (Money.of("-1000.00"), Money.zero()),
    }
    second = _stocktake(service, car)
    assert service.reconcile(KEEPER, ORG, second) == []


def test_totals_only_the_organisations_cards_in_the_books(service: ReferenceService) -> None:
    """Leaves out disposed cards, cards not yet registered and other organisations' cards."""
    kept = _in_use(service, "CAR-4")
    gone = _in_use(service, "CAR-5")
    _in_use(service, "CAR-6", org=OTHER_ORG)
    service.request_acquisition(
        REQUESTER,
        ORG,
        {
            "asset_code": "CAR-7",
            "organization_credit_code": ORG,
            "category": "2030000",
            "name": "公务用车",
            "original_value": "1.00",
            "acquisition_date": "2024-03-01",
        },
    )
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    service.run_depreciation(ACCOUNTANT, OTHER_ORG, 2024, 3)
    service.request_disposal(KEEPER, ORG, gone.id, "scrapping", date(2024, 4, 2))
    service.approve_disposal(DEPARTMENT, ORG, gone.id)
    take = _stocktake(service, kept)
    assert service.reconcile(KEEPER, ORG, take, books=_books({"1601": "96000.00", "1602": "-1000.00"})) == []


def test_a_location_stocktake_compares_the_whole_organisation(service: ReferenceService) -> None:
    """Compares the ledger with all the organisation's cards, also when only one room is counted."""
    _in_use(service, "CAR-8", location="车库")
    office = _in_use(service, "PC-8", category="2010000", original_value="7200.00", location="301室")
    take = service.plan_stocktake(KEEPER, ORG, "301室盘点", location="301室")
    service.record_count(KEEPER, ORG, take.id, [office.asset_code], location="301室")
    assert service.reconcile(KEEPER, ORG, take.id, books=_books({"1601": "103200.00"})) == []


@pytest.mark.parametrize(
    ("books", "field"),
    [
        ([{"account": "16A1", "balance": "1.00", "as_of": "2024-05-31"}], "books[0].account"),
        ([{"account": "1601", "balance": 1.5, "as_of": "2024-05-31"}], "books[0].balance"),
        ([{"account": "1601", "balance": "1.00", "as_of": "2024-05-31", "memo": "x"}], "books[0].memo"),
        (
            [
                {"account": "1601", "balance": "1.00", "as_of": "2024-05-31"},
                {"account": "1602", "balance": "-1.00", "as_of": "2024-04-30"},
            ],
            "books",
        ),
        ({"account": "1601", "balance": "1.00", "as_of": "2024-05-31"}, "books"),
    ],
)
def test_refuses_bad_book_balances(service: ReferenceService, engine: Engine, books: Any, field: str) -> None:
    """Refuses malformed balances, balances of several days or no list, naming the field; writes nothing."""
    car = _in_use(service, "CAR-9")
    take = _stocktake(service, car)
    with pytest.raises(InvalidInput) as raised:
        service.reconcile(KEEPER, ORG, take, books=books)
    error = raised.value
    fields = {error.field} | {e.field for e in getattr(error, "errors", []) if isinstance(e, GovPartsError)}
    assert field in fields, fields
    with session_scope(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(t.FINDING)) == 0
    assert service.findings(ACCOUNTANT, ORG, take) == []
    assert service.reconcile(KEEPER, ORG, take, books=_books({"1601": "96000.00"})) == []


def test_approving_a_book_difference_changes_no_card(service: ReferenceService, engine: Engine) -> None:
    """Approves the difference as a decision on record: cards, history and outbox stay as they were."""
    car = _in_use(service, "CAR-10")
    take = _stocktake(service, car)
    service.reconcile(KEEPER, ORG, take, books=_books({"1601": "90000.00"}))
    with session_scope(engine) as session:
        before = session.execute(sa.select(t.ASSET)).all()
    approved = service.approve_findings(DEPARTMENT, ORG, take, date(2024, 6, 5))
    assert [(f.kind, f.account, f.status) for f in approved] == [("book_difference", "1601", "approved")]
    with session_scope(engine) as session:
        assert session.execute(sa.select(t.ASSET)).all() == before
    assert [
        e.data for e in service.published_events(ACCOUNTANT, ORG, type="cn.govparts.assets.asset.disposed.v1")
    ] == []


def test_disposal_names_the_accounts_of_a_partial_and_a_whole_disposal(service: ReferenceService) -> None:
    """Sends the category and both accounts with every disposal, partial or whole, fixed or intangible."""
    car = _in_use(service, "CAR-11")
    software = _in_use(service, "SW-11", category="ZZ01", original_value="3600.00", useful_life_months=36)
    service.dispose_part(DEPARTMENT, ORG, car.id, "sale", Money.of("1000.00"), date(2024, 5, 1))
    service.request_disposal(KEEPER, ORG, software.id, "scrapping", date(2024, 6, 1))
    service.approve_disposal(DEPARTMENT, ORG, software.id)
    sent = [
        (d["asset_id"], d["partial"], d["category"], d["asset_account"], d["accumulated_account"])
        for d in [
            e.data
            for e in service.published_events(ACCOUNTANT, ORG, type="cn.govparts.assets.asset.disposed.v1")
        ]
    ]
    assert sent == [
        (car.id, True, "2030000", "1601", "1602"),
        (software.id, False, "ZZ01", "1701", "1702"),
    ]


def _accepted(service: ReferenceService, code: str, **changes: Any) -> AssetCard:
    card: dict[str, Any] = {
        "asset_code": code,
        "organization_credit_code": ORG,
        "category": "2030000",
        "name": "公务用车",
        "original_value": "96000.00",
        "acquisition_date": "2024-01-05",
        "location": "车库",
    }
    card.update(changes)
    made = service.request_acquisition(REQUESTER, ORG, card)
    service.approve_acquisition(APPROVER, ORG, made.id)
    return service.accept(KEEPER, ORG, made.id)


def _registered_events(service: ReferenceService) -> list[dict[str, Any]]:
    return [
        dict(e.data)
        for e in service.published_events(ACCOUNTANT, ORG, type="cn.govparts.assets.asset.registered.v1")
    ]


def test_an_asset_brought_over_carries_its_opening_depreciation_to_the_books(
    service: ReferenceService,
) -> None:
    """Sends the months depreciated before the take-over in ``asset.registered`` and counts them on the
    cards' 1602, so that the books that booked the event agree with the cards after the month's run."""
    car = _accepted(service, "CAR-20")
    software = _accepted(service, "SW-20", category="ZZ01", original_value="3600.00", useful_life_months=36)
    new = _accepted(service, "CAR-21", acquisition_date="2024-04-02")
    service.register_brought_over(ACCOUNTANT, ORG, car.id, date(2024, 1, 10), date(2024, 4, 1))
    service.register_brought_over(ACCOUNTANT, ORG, software.id, date(2023, 4, 30), date(2024, 4, 30))
    service.register(ACCOUNTANT, ORG, new.id, date(2024, 4, 2))
    sent = {d["asset_id"]: d["opening_accumulated_depreciation"] for d in _registered_events(service)}
    # 1000.00 a month for January to March; 100.00 a month for April 2023 to March 2024; nothing new.
    # 1602: 3000.00 brought over + 2 × 1000.00 charged in April; 1702: 1200.00 + 100.00.
    assert sent == {car.id: "3000.00", software.id: "1200.00", new.id: "0.00"}
    run = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    assert run.total == Money.of("2100.00")
    take = _stocktake(service, *(service.get(ACCOUNTANT, ORG, c.id) for c in (car, software, new)))
    books = _books({"1601": "192000.00", "1602": "-5000.00", "1701": "3600.00", "1702": "-1300.00"})
    assert _differences(service.reconcile(KEEPER, ORG, take, books=books)) == {}
    for card in (car, software):
        schedule = service.schedule(ACCOUNTANT, ORG, card.id)
        through_april = Money.total(r.amount for r in schedule if (r.year, r.month) <= (2024, 4))
        assert through_april == Money.of(sent[card.id]) + Money.total(
            r.amount for r in service.charged(ACCOUNTANT, ORG, card.id)
        )


def test_books_without_the_opening_depreciation_differ_from_the_cards(service: ReferenceService) -> None:
    """A ledger that carried only the monthly runs (the old gap) is found short on 1602 by the opening."""
    car = _accepted(service, "CAR-22")
    service.register_brought_over(ACCOUNTANT, ORG, car.id, date(2024, 1, 10), date(2024, 4, 1))
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    take = _stocktake(service, service.get(ACCOUNTANT, ORG, car.id))
    found = service.reconcile(KEEPER, ORG, take, books=_books({"1601": "96000.00", "1602": "-1000.00"}))
    assert _differences(found) == {"1602": (Money.of("-4000.00"), Money.of("-1000.00"))}


@pytest.mark.parametrize(
    ("changes", "taken_over"),
    [
        ({}, date(2023, 12, 31)),  # before the asset was in service
        ({}, "2024-04-01"),  # not a date
        ({"depreciation_method": "units_of_work", "total_units": 200_000}, date(2024, 4, 1)),
    ],
)
def test_refuses_a_take_over_it_cannot_tell_the_opening_of(
    service: ReferenceService, engine: Engine, changes: dict[str, Any], taken_over: Any
) -> None:
    """Names ``taken_over`` and registers nothing: the card stays accepted, no event, no history."""
    car = _accepted(service, "CAR-23", **changes)
    with pytest.raises(InvalidInput) as caught:
        service.register_brought_over(ACCOUNTANT, ORG, car.id, date(2024, 1, 10), taken_over)
    assert caught.value.field == "taken_over"
    assert service.get(ACCOUNTANT, ORG, car.id).state == "accepted"
    assert _registered_events(service) == []
    with session_scope(engine) as session:
        assert session.execute(sa.select(t.HISTORY)).all() == []
