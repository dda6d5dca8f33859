"""The assets part's requirement catalogue and conformance suite (checks call only ``AssetService``)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from govparts.conformance import (
    Catalogue,
    Suite,
    collect_checks,
    expect_equal,
    expect_raises,
    expect_true,
    refuses,
    scenario,
    scenario_rng,
    step,
    verifies,
)
from govparts.core.errors import (
    GovPartsError,
    GuardFailed,
    InvalidInput,
    NotFound,
    OrganizationDenied,
    PermissionDenied,
    TransitionNotAllowed,
)
from govparts.core.events import CloudEvent
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from ..models import AssetCard
from ..service import AssetService

__all__ = ["CATALOGUE", "SUITE"]

CATALOGUE = Catalogue.from_toml(Path(__file__).with_name("requirements.toml"))

ORG = "91350100M000100Y43"
REGISTERED = "cn.govparts.assets.asset.registered.v1"
DEPRECIATED = "cn.govparts.assets.asset.depreciated.v1"
DISPOSED = "cn.govparts.assets.asset.disposed.v1"


def _actor(role: str, who: str | None = None) -> Actor:
    return Actor(id=who or f"u-{role}", name="测试用户", unit="650102-assets", roles=frozenset({role}))


REQUESTER, APPROVER, KEEPER = _actor("requester"), _actor("approver"), _actor("keeper")
ACCOUNTANT = _actor("accountant")
DEPARTMENT, AUTHORITY = _actor("department_approver"), _actor("asset_authority")
ALICE = PersonRef(person_id="P-0001", organization_credit_code=ORG, name="阿依古丽·艾力")
BOB = PersonRef(person_id="P-0002", organization_credit_code=ORG, name="王建国")


def _card(code: str, **changes: Any) -> dict[str, Any]:
    card: dict[str, Any] = {
        "asset_code": code,
        "organization_credit_code": ORG,
        "category": "2010000",
        "name": "台式计算机",
        "specification": "i5/16G/512G",
        "original_value": "7200.00",
        "acquisition_date": "2024-03-01",
        "acquisition_method": "purchase",
        "funding_source": "fiscal",
        "paying_account": "零余额账户 001",
        "using_unit": "办公室",
    }
    card.update(changes)
    return card


def _is_card(value: object) -> AssetCard:
    assert isinstance(value, AssetCard), f"expected an AssetCard, got {value!r}"
    return value


def _registered(service: AssetService, code: str, on: date = date(2024, 3, 15), **changes: Any) -> AssetCard:
    made = _is_card(service.request_acquisition(REQUESTER, ORG, _card(code, **changes)))
    service.approve_acquisition(APPROVER, ORG, made.id)
    service.accept(KEEPER, ORG, made.id)
    return _is_card(service.register(ACCOUNTANT, ORG, made.id, on))


def _in_use(service: AssetService, code: str, on: date = date(2024, 3, 15), **changes: Any) -> AssetCard:
    made = _registered(service, code, on, **changes)
    return _is_card(service.issue(KEEPER, ORG, made.id, ALICE))


DELIVERER = Actor(id="system:dispatcher", name="事件投递", roles=frozenset({"system"}))
"""The deployment's dispatcher: a system actor bound to no organisation, delivering consumed events."""
SEPARATED = "cn.govparts.personnel.employee.separated.v1"


def _separated_event(event_id: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id=event_id,
        source="urn:govparts:personnel",
        type=SEPARATED,
        subject=f"person/{data['person']['person_id']}",
        data=data,
    )


def _names(exc: BaseException | None, field: str) -> bool:
    if not isinstance(exc, GovPartsError):
        return False
    inner = getattr(exc, "errors", [])
    return exc.field == field or any(getattr(e, "field", None) == field for e in inner)


def _total(rows: list[Any]) -> Money:
    return Money.total(r.amount for r in rows)


@verifies("AST-001")
def records_an_acquisition_request(service: AssetService) -> None:
    made = _is_card(service.request_acquisition(REQUESTER, ORG, _card("PC-001")))
    assert made.state == "requested"
    assert (made.asset_code, made.category, made.original_value) == ("PC-001", "2010000", Money.of("7200.00"))
    assert service.get(ACCOUNTANT, ORG, made.id) == made


@refuses("AST-002")
def refuses_a_category_outside_gbt_14885(service: AssetService) -> None:
    with expect_raises(InvalidInput) as raised:
        service.request_acquisition(REQUESTER, ORG, _card("PC-002", category="9999999"))
    assert _names(raised.value, "category"), f"the error does not name 'category': {raised.value!r}"
    assert service.assets(ACCOUNTANT, ORG) == [], "a refused request was recorded"


@refuses("AST-003")
def refuses_a_negative_or_float_original_value(service: AssetService) -> None:
    for bad in ("-1.00", 7200.5):
        with expect_raises(InvalidInput) as raised:
            service.request_acquisition(REQUESTER, ORG, _card("PC-003", original_value=bad))
        assert _names(raised.value, "original_value"), (
            f"the error does not name 'original_value': {raised.value!r}"
        )
    assert service.assets(ACCOUNTANT, ORG) == [], "a refused request was recorded"


@verifies("AST-004")
def refuses_a_life_below_the_guide_minimum(service: AssetService) -> None:
    with expect_raises(InvalidInput, field="useful_life_months"):
        service.request_acquisition(REQUESTER, ORG, _card("PC-004", useful_life_months=71))
    assert service.assets(ACCOUNTANT, ORG) == [], "a refused request was recorded"
    made = _is_card(service.request_acquisition(REQUESTER, ORG, _card("PC-005", useful_life_months=72)))
    assert made.useful_life_months == 72


@verifies("AST-005")
def defaults_the_life_by_category(service: AssetService) -> None:
    cases = {"2010000": 72, "2030000": 96, "6": 180}
    for number, (category, months) in enumerate(cases.items()):
        made = _is_card(service.request_acquisition(REQUESTER, ORG, _card(f"D-{number}", category=category)))
        assert made.useful_life_months == months, f"{category}: {made.useful_life_months} != {months}"


@verifies("AST-006")
def acquires_in_order(service: AssetService) -> None:
    made = _is_card(service.request_acquisition(REQUESTER, ORG, _card("PC-006")))
    with expect_raises(TransitionNotAllowed):
        service.register(ACCOUNTANT, ORG, made.id, date(2024, 3, 15))
    assert _is_card(service.approve_acquisition(APPROVER, ORG, made.id)).state == "approved"
    with expect_raises(TransitionNotAllowed):
        service.register(ACCOUNTANT, ORG, made.id, date(2024, 3, 15))
    assert _is_card(service.accept(KEEPER, ORG, made.id)).state == "accepted"
    assert _is_card(service.register(ACCOUNTANT, ORG, made.id, date(2024, 3, 15))).state == "in_stock"


@verifies("AST-007")
def publishes_registration(service: AssetService) -> None:
    made = _registered(service, "PC-007")
    found = [e.data for e in service.published_events(ACCOUNTANT, ORG, type=REGISTERED)]
    assert len(found) == 1, f"expected one asset.registered event, got {len(found)}"
    data = found[0]
    assert data["asset_id"] == made.id
    assert data["organization_credit_code"] == ORG
    assert data["category"] == "2010000"
    assert data["original_value"] == "7200.00"
    assert data["acquisition_date"] == "2024-03-01"
    assert (data["funding_source"], data["paying_account"]) == ("fiscal", "零余额账户 001")


@verifies("AST-008")
def registers_only_by_an_accountant(service: AssetService) -> None:
    made = _is_card(service.request_acquisition(REQUESTER, ORG, _card("PC-008")))
    service.approve_acquisition(APPROVER, ORG, made.id)
    service.accept(KEEPER, ORG, made.id)
    with expect_raises(PermissionDenied):
        service.register(KEEPER, ORG, made.id, date(2024, 3, 15))
    assert service.get(ACCOUNTANT, ORG, made.id).state == "accepted"
    assert [e.data for e in service.published_events(ACCOUNTANT, ORG, type=REGISTERED)] == []


@verifies("AST-009")
def depreciates_the_whole_cost_over_the_life(service: AssetService) -> None:
    made = _registered(service, "PC-009", original_value="7199.99")
    rows = service.schedule(ACCOUNTANT, ORG, made.id)
    assert len(rows) == 72, f"expected 72 months, got {len(rows)}"
    assert _total(rows) == Money.of("7199.99"), f"total {_total(rows)} != 7199.99"


@verifies("AST-010")
def starts_in_the_month_the_asset_is_added(service: AssetService) -> None:
    made = _in_use(service, "PC-010", on=date(2024, 3, 31))
    rows = service.schedule(ACCOUNTANT, ORG, made.id)
    assert (rows[0].year, rows[0].month) == (2024, 3), f"first month is {rows[0].year}-{rows[0].month}"
    run = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    assert run.total == Money.of("100.00"), f"March charged {run.total}"
    assert service.run_depreciation(ACCOUNTANT, ORG, 2024, 2).total == Money.zero()


@verifies("AST-011")
def lets_the_last_month_absorb_rounding(service: AssetService) -> None:
    made = _registered(service, "S-011", category="3", original_value="1000.00", useful_life_months=36)
    rows = service.schedule(ACCOUNTANT, ORG, made.id)
    amounts = [r.amount for r in rows]
    assert amounts[0] == Money.of("27.78")
    assert amounts[-1] == Money.of("1000.00") - Money.of("27.78") * 35, f"last month {amounts[-1]}"
    assert _total(rows) == Money.of("1000.00")


@verifies("AST-012")
def does_not_depreciate_excluded_assets(service: AssetService) -> None:
    excluded = [
        _registered(service, "R-1", category="4", name="青铜器"),
        _registered(service, "R-2", category="5", name="地方志"),
        _registered(service, "R-3", category="1010000", name="办公用地"),
        _registered(service, "R-4", measured_at_nominal=True, original_value="1.00"),
    ]
    for card in excluded:
        assert service.schedule(ACCOUNTANT, ORG, card.id) == [], f"{card.asset_code} has a schedule"
    run = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    assert run.asset_count == 0, f"the run charged {run.asset_count} assets"
    assert run.total == Money.zero(), f"the run charged {run.total}"


@verifies("AST-013")
def charges_the_month_per_account(service: AssetService) -> None:
    pc = _in_use(service, "PC-013")
    car = _in_use(service, "CAR-013", category="2030000", name="公务用车", original_value="96000.00")
    run = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    assert run.asset_count == 2
    assert run.total == Money.of("1100.00"), f"total {run.total}"
    assert [(x.debit_account, x.credit_account, x.amount) for x in run.totals] == [
        ("5001", "1602", Money.of("1100.00"))
    ]
    assert (
        service.charged(ACCOUNTANT, ORG, pc.id)[0].amount
        == service.schedule(ACCOUNTANT, ORG, pc.id)[1].amount
    )
    assert service.charged(ACCOUNTANT, ORG, car.id)[0].amount == Money.of("1000.00")


@verifies("AST-014")
def runs_a_month_once(service: AssetService) -> None:
    made = _in_use(service, "PC-014")
    first = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    again = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    assert first.created
    assert not again.created
    assert (again.total, again.asset_count) == (first.total, first.asset_count)
    assert _total(service.charged(ACCOUNTANT, ORG, made.id)) == Money.of("100.00"), (
        "the month was charged twice"
    )


@verifies("AST-015")
def publishes_one_depreciation_event_per_month(service: AssetService) -> None:
    _in_use(service, "PC-015")
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    found = [e.data for e in service.published_events(ACCOUNTANT, ORG, type=DEPRECIATED)]
    assert len(found) == 1, f"expected one asset.depreciated event, got {len(found)}"
    data = found[0]
    assert (data["organization_credit_code"], data["year"], data["month"]) == (ORG, 2024, 3)
    assert data["totals"] == [{"debit_account": "5001", "credit_account": "1602", "amount": "100.00"}]


@verifies("AST-016")
def stops_when_fully_depreciated(service: AssetService) -> None:
    made = _in_use(service, "S-016", category="3", original_value="3600.00", useful_life_months=36)
    last = service.run_depreciation(ACCOUNTANT, ORG, 2027, 2)
    after = service.run_depreciation(ACCOUNTANT, ORG, 2027, 3)
    assert last.total == Money.of("100.00"), f"the last month charged {last.total}"
    assert after.total == Money.zero(), f"a fully depreciated asset was charged {after.total}"
    assert all((r.year, r.month) <= (2027, 2) for r in service.schedule(ACCOUNTANT, ORG, made.id))


@verifies("AST-017")
def stops_in_the_disposal_month(service: AssetService) -> None:
    made = _in_use(service, "PC-017")
    service.request_disposal(KEEPER, ORG, made.id, "scrapping", date(2024, 5, 2))
    service.approve_disposal(DEPARTMENT, ORG, made.id)
    april = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    may = service.run_depreciation(ACCOUNTANT, ORG, 2024, 5)
    assert april.total == Money.of("100.00"), f"April charged {april.total}"
    assert may.total == Money.zero(), f"the disposal month charged {may.total}"


@verifies("AST-018")
def issues_and_transfers(service: AssetService) -> None:
    made = _in_use(service, "PC-018")
    assert made.custodian is not None
    assert made.custodian.person_id == ALICE.person_id
    moved = _is_card(service.transfer(KEEPER, ORG, made.id, ALICE.person_id, BOB, using_unit="财务科"))
    assert moved.custodian is not None
    assert moved.custodian.person_id == BOB.person_id
    assert service.get(ACCOUNTANT, ORG, made.id).using_unit == "财务科"


@verifies("AST-019")
def refuses_a_move_from_someone_else(service: AssetService) -> None:
    made = _in_use(service, "PC-019")
    with expect_raises(GuardFailed, field="from_custodian"):
        service.transfer(KEEPER, ORG, made.id, BOB.person_id, BOB)
    with expect_raises(GuardFailed, field="from_custodian"):
        service.return_asset(KEEPER, ORG, made.id, BOB.person_id)
    card = service.get(ACCOUNTANT, ORG, made.id)
    assert card.custodian is not None
    assert card.custodian.person_id == ALICE.person_id
    assert card.state == "in_use"


@verifies("AST-020")
def approves_disposal_by_tier(service: AssetService) -> None:
    small = _in_use(service, "PC-020")
    big = _in_use(service, "CAR-020", category="2030000", original_value="250000.00")
    service.request_disposal(KEEPER, ORG, big.id, "sale", date(2024, 6, 1))
    with expect_raises(GuardFailed, field="approver_role"):
        service.approve_disposal(DEPARTMENT, ORG, big.id)
    assert service.get(ACCOUNTANT, ORG, big.id).state == "disposal_requested"
    assert service.approve_disposal(AUTHORITY, ORG, big.id).state == "disposed"
    service.request_disposal(KEEPER, ORG, small.id, "scrapping", date(2024, 6, 1))
    with expect_raises(GuardFailed, field="approver_role"):
        service.approve_disposal(AUTHORITY, ORG, small.id)
    assert service.approve_disposal(DEPARTMENT, ORG, small.id).state == "disposed"


@verifies("AST-021")
def publishes_disposal(service: AssetService) -> None:
    made = _in_use(service, "PC-021")
    service.request_disposal(KEEPER, ORG, made.id, "free_transfer", date(2024, 6, 10))
    service.approve_disposal(DEPARTMENT, ORG, made.id)
    found = [e.data for e in service.published_events(ACCOUNTANT, ORG, type=DISPOSED)]
    assert len(found) == 1, f"expected one asset.disposed event, got {len(found)}"
    data = found[0]
    assert (data["asset_id"], data["method"], data["original_value"]) == (made.id, "free_transfer", "7200.00")
    assert data["accumulated_depreciation"] == "300.00", data["accumulated_depreciation"]


@verifies("AST-022")
def recomputes_after_a_capitalised_repair(service: AssetService) -> None:
    made = _in_use(service, "PC-022")
    service.capitalise_repair(
        ACCOUNTANT, ORG, made.id, Money.of("1500.00"), date(2025, 3, 5), extra_life_months=12
    )
    rows = service.schedule(ACCOUNTANT, ORG, made.id)
    assert _total(rows) == Money.of("8700.00"), f"total {_total(rows)}"
    assert len(rows) == 84, f"expected 84 months, got {len(rows)}"
    assert rows[11].amount == Money.of("100.00")
    assert rows[12].amount == Money.of("104.17")
    assert service.get(ACCOUNTANT, ORG, made.id).book_value == Money.of("8700.00")


@verifies("AST-023")
def recomputes_after_a_revaluation(service: AssetService) -> None:
    made = _in_use(service, "PC-023")
    service.revalue(ACCOUNTANT, ORG, made.id, Money.of("3000.00"), date(2026, 3, 1))
    rows = service.schedule(ACCOUNTANT, ORG, made.id)
    before = [r for r in rows if (r.year, r.month) < (2026, 3)]
    after = [r for r in rows if (r.year, r.month) >= (2026, 3)]
    assert _total(before) == Money.of("2400.00"), f"months before changed: {_total(before)}"
    assert _total(after) == Money.of("3000.00"), f"after the revaluation: {_total(after)}"
    assert len(after) == 48


@verifies("AST-024")
def recomputes_after_a_partial_disposal(service: AssetService) -> None:
    made = _in_use(service, "CAR-024", category="2030000", original_value="96000.00")
    card = service.dispose_part(DEPARTMENT, ORG, made.id, "sale", Money.of("48000.00"), date(2025, 3, 1))
    assert card.book_value == Money.of("48000.00")
    rows = service.schedule(ACCOUNTANT, ORG, made.id)
    assert _total(rows) == Money.of("12000.00") + Money.of("42000.00"), f"total {_total(rows)}"
    assert len([e.data for e in service.published_events(ACCOUNTANT, ORG, type=DISPOSED)]) == 1


@verifies("AST-025")
def raises_return_tasks_on_separation(service: AssetService) -> None:
    one = _in_use(service, "PC-025")
    two = _in_use(service, "PR-025", category="2020000", original_value="3000.00")
    data = {
        "person": {"person_id": ALICE.person_id, "organization_credit_code": ORG, "name": "阿依古丽·艾力"},
        "unit": {"organization_credit_code": ORG, "unit_code": "01", "name": "办公室"},
        "reason": "03",
        "effective_date": "2024-07-01",
        "a_field_added_later": True,
    }
    tasks = service.receive_event(DELIVERER, _separated_event("evt-1", data))
    assert sorted(x.asset_id for x in tasks) == sorted([one.id, two.id])
    assert all(x.status == "open" and x.person_id == ALICE.person_id for x in tasks)
    service.receive_event(DELIVERER, _separated_event("evt-1", data))
    assert len(service.return_tasks(ACCOUNTANT, ORG, person_id=ALICE.person_id)) == 2, (
        "the same event raised tasks twice"
    )


@verifies("AST-026")
def lists_assets_held_by_people_who_left(service: AssetService) -> None:
    made = _in_use(service, "PC-026")
    service.receive_event(
        DELIVERER,
        _separated_event(
            "evt-2", {"person": {"person_id": ALICE.person_id, "organization_credit_code": ORG}}
        ),
    )
    assert [c.id for c in service.held_by_departed(ACCOUNTANT, ORG)] == [made.id]
    service.return_asset(KEEPER, ORG, made.id, ALICE.person_id)
    assert service.held_by_departed(ACCOUNTANT, ORG) == []
    assert [x.status for x in service.return_tasks(ACCOUNTANT, ORG, person_id=ALICE.person_id)] == ["done"]


@verifies("AST-027")
def reports_an_unknown_asset(service: AssetService) -> None:
    with expect_raises(NotFound, field="asset_id"):
        service.get(ACCOUNTANT, ORG, "999999")


@verifies("AST-028")
def totals_the_register_by_category(service: AssetService) -> None:
    _registered(service, "PC-028")
    _registered(service, "PC-029")
    _registered(service, "CAR-028", category="2030000", original_value="96000.00")
    lines = {x.key: (x.count, x.original_value) for x in service.register_report(ACCOUNTANT, ORG, "category")}
    assert lines == {"2010000": (2, Money.of("14400.00")), "2030000": (1, Money.of("96000.00"))}


@refuses("AST-029")
def refuses_a_duplicate_asset_code(service: AssetService) -> None:
    service.request_acquisition(REQUESTER, ORG, _card("PC-030"))
    with expect_raises(InvalidInput, field="asset_code"):
        service.request_acquisition(REQUESTER, ORG, _card("PC-030"))
    assert len(service.assets(ACCOUNTANT, ORG)) == 1


@verifies("AST-030")
def separates_approval_from_acceptance(service: AssetService) -> None:
    both = Actor(id="u-both", name="测试用户", roles=frozenset({"approver", "keeper"}))
    made = _is_card(service.request_acquisition(REQUESTER, ORG, _card("PC-031")))
    service.approve_acquisition(both, ORG, made.id)
    with expect_raises(PermissionDenied):
        service.accept(both, ORG, made.id)
    assert service.get(ACCOUNTANT, ORG, made.id).state == "approved"


@verifies("AST-031")
def reconciles_books_to_goods(service: AssetService) -> None:
    kept = _in_use(service, "PC-040", location="301室")
    moved = _in_use(service, "PC-041", location="301室")
    lost = _in_use(service, "PC-042", location="301室")
    take = service.plan_stocktake(KEEPER, ORG, "2024年度资产清查")
    service.record_count(KEEPER, ORG, take.id, [kept.asset_code, "X-999"], location="301室")
    service.record_count(KEEPER, ORG, take.id, [moved.asset_code], location="302室")
    found = {(f.kind, f.asset_code) for f in service.reconcile(KEEPER, ORG, take.id)}
    assert found == {("loss", lost.asset_code), ("surplus", "X-999"), ("location", moved.asset_code)}, found
    assert service.findings(ACCOUNTANT, ORG, take.id)[0].status == "open"


@verifies("AST-032")
def adjusts_the_cards_when_findings_are_approved(service: AssetService) -> None:
    moved = _in_use(service, "PC-043", location="301室")
    lost = _in_use(service, "PC-044", location="301室")
    take = service.plan_stocktake(KEEPER, ORG, "季度盘点")
    service.record_count(KEEPER, ORG, take.id, [moved.asset_code], location="302室")
    service.reconcile(KEEPER, ORG, take.id)
    approved = service.approve_findings(DEPARTMENT, ORG, take.id, date(2024, 6, 5))
    assert {f.status for f in approved} == {"approved"}
    assert service.get(ACCOUNTANT, ORG, lost.id).state == "disposed"
    assert max((r.year, r.month) for r in service.schedule(ACCOUNTANT, ORG, lost.id)) == (2024, 5)
    assert service.get(ACCOUNTANT, ORG, moved.id).location == "302室"
    disposed = [e.data for e in service.published_events(ACCOUNTANT, ORG, type=DISPOSED)]
    assert [(d["asset_id"], d["method"]) for d in disposed] == [(lost.id, "loss")]
    june = service.run_depreciation(ACCOUNTANT, ORG, 2024, 6)
    assert june.total == Money.of("100.00"), f"June charged {june.total} (only the asset still held)"


@verifies("AST-033")
def separates_reconciliation_from_approval(service: AssetService) -> None:
    lost = _in_use(service, "PC-045")
    both = Actor(id="u-both", name="测试用户", roles=frozenset({"keeper", "department_approver"}))
    take = service.plan_stocktake(both, ORG, "专项盘点")
    service.record_count(both, ORG, take.id, ["X-1"], location="仓库")
    service.reconcile(both, ORG, take.id)
    with expect_raises(PermissionDenied):
        service.approve_findings(both, ORG, take.id, date(2024, 6, 5))
    assert service.get(ACCOUNTANT, ORG, lost.id).state == "in_use"


@verifies("AST-034")
def totals_depreciation_per_month(service: AssetService) -> None:
    _in_use(service, "PC-046")
    for month in (3, 4, 5):
        service.run_depreciation(ACCOUNTANT, ORG, 2024, month)
    totals = [(m.month, m.total) for m in service.depreciation_totals(ACCOUNTANT, ORG, 2024)]
    assert totals == [(3, Money.of("100.00")), (4, Money.of("100.00")), (5, Money.of("100.00"))]


@verifies("AST-035")
def lists_disposals(service: AssetService) -> None:
    made = _in_use(service, "PC-047")
    _in_use(service, "PC-048")
    service.request_disposal(KEEPER, ORG, made.id, "sale", date(2024, 8, 1))
    service.approve_disposal(DEPARTMENT, ORG, made.id)
    assert [c.id for c in service.disposal_register(ACCOUNTANT, ORG)] == [made.id]


def _units_of_work(service: AssetService, code: str, value: str, total: int) -> AssetCard:
    return _in_use(
        service,
        code,
        category="2030000",
        name="公务用车",
        original_value=value,
        depreciation_method="units_of_work",
        total_units=total,
    )


@verifies("AST-036")
def charges_units_of_work_by_usage(service: AssetService) -> None:
    made = _units_of_work(service, "UW-036", "1000.00", 3)
    charged = []
    for month in (3, 4, 5):
        service.record_usage(KEEPER, ORG, made.id, 2024, month, 1)
        charged.append(service.run_depreciation(ACCOUNTANT, ORG, 2024, month).total)
    expected = [Money.of("333.33"), Money.of("333.34"), Money.of("333.33")]
    assert charged == expected, f"charged {charged}"
    assert [r.amount for r in service.schedule(ACCOUNTANT, ORG, made.id)] == expected
    service.record_usage(KEEPER, ORG, made.id, 2024, 6, 2)
    june = service.run_depreciation(ACCOUNTANT, ORG, 2024, 6)
    assert june.total == Money.zero(), f"a fully depreciated asset was charged {june.total}"
    assert _total(service.charged(ACCOUNTANT, ORG, made.id)) == Money.of("1000.00")


@verifies("AST-037")
def charges_nothing_without_usage(service: AssetService) -> None:
    made = _units_of_work(service, "UW-037", "96000.00", 300000)
    service.record_usage(KEEPER, ORG, made.id, 2024, 3, 1000)
    march = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    april = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    assert march.total == Money.of("320.00"), f"March charged {march.total}"
    assert april.total == Money.zero(), f"a month without usage charged {april.total}"
    assert list(april.without_usage) == [made.id], f"the run lists {april.without_usage}"
    assert list(march.without_usage) == []


@verifies("AST-038")
def refuses_usage_that_cannot_be_charged(service: AssetService) -> None:
    made = _units_of_work(service, "UW-038", "1000.00", 10)
    straight = _in_use(service, "PC-038")
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    cases = [
        (made.id, 4, -1, "units"),
        (made.id, 3, 1, "month"),
        (straight.id, 4, 1, "depreciation_method"),
    ]
    for asset_id, month, units, field in cases:
        with expect_raises(InvalidInput) as raised:
            service.record_usage(KEEPER, ORG, asset_id, 2024, month, units)
        assert _names(raised.value, field), f"the error does not name {field!r}: {raised.value!r}"
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    assert service.charged(ACCOUNTANT, ORG, made.id) == [], "refused usage was charged"
    assert service.schedule(ACCOUNTANT, ORG, made.id) == [], "refused usage is in the schedule"


def _book_balance(account: str, balance: str) -> dict[str, str]:
    return {"account": account, "balance": balance, "as_of": "2024-04-30"}


@verifies("AST-039")
def reconciles_the_cards_with_the_books(service: AssetService) -> None:
    pc = _in_use(service, "PC-050", location="301室")
    software = _in_use(
        service,
        "SW-050",
        category="ZZ01",
        name="档案管理软件",
        original_value="3600.00",
        useful_life_months=36,
        location="301室",
    )
    for month in (3, 4):
        service.run_depreciation(ACCOUNTANT, ORG, 2024, month)
    take = service.plan_stocktake(KEEPER, ORG, "2024年度资产清查")
    service.record_count(KEEPER, ORG, take.id, [pc.asset_code, software.asset_code], location="301室")
    books = [
        _book_balance("160101", "5000.00"),  # 1601 in two sub-accounts: 7200.00, as on the cards
        _book_balance("160102", "2200.00"),
        _book_balance("1602", "-200.00"),  # as on the cards
        _book_balance("1701", "3000.00"),  # the cards say 3600.00
        _book_balance("1001", "50000.00"),  # cash: not an account of the cards
    ]  # 1702 is missing: the cards' -200.00 of amortisation is not in the books
    found = service.reconcile(KEEPER, ORG, take.id, books=books)
    got = {
        (f.account, f.card_total, f.ledger_balance, f.book_value, f.adjusted_by, f.status)
        for f in found
        if f.kind == "book_difference"
    }
    assert got == {
        ("1701", Money.of("3600.00"), Money.of("3000.00"), Money.of("600.00"), "finance", "open"),
        ("1702", Money.of("-200.00"), Money.zero(), Money.of("-200.00"), "finance", "open"),
    }, got
    assert {f.kind for f in found} == {"book_difference"}, found
    assert all(f.as_of == date(2024, 4, 30) for f in found), [f.as_of for f in found]
    approved = service.approve_findings(DEPARTMENT, ORG, take.id, date(2024, 5, 6))
    assert {(f.kind, f.status) for f in approved} == {("book_difference", "approved")}
    assert service.get(ACCOUNTANT, ORG, software.id).book_value == Money.of("3600.00"), (
        "approval changed the card"
    )
    assert service.get(ACCOUNTANT, ORG, software.id).state == "in_use"
    assert [e.data for e in service.published_events(ACCOUNTANT, ORG, type=DISPOSED)] == [], (
        "a book difference wrote an asset off"
    )


@verifies("AST-040")
def names_the_accounts_a_disposal_leaves(service: AssetService) -> None:
    pc = _in_use(service, "PC-051")
    software = _in_use(
        service,
        "SW-051",
        category="ZZ01",
        name="档案管理软件",
        original_value="3600.00",
        useful_life_months=36,
    )
    for card in (pc, software):
        service.request_disposal(KEEPER, ORG, card.id, "scrapping", date(2024, 6, 1))
        service.approve_disposal(DEPARTMENT, ORG, card.id)
    sent = {
        d["asset_id"]: (d.get("category"), d.get("asset_account"), d.get("accumulated_account"))
        for d in [e.data for e in service.published_events(ACCOUNTANT, ORG, type=DISPOSED)]
    }
    assert sent == {
        pc.id: ("2010000", "1601", "1602"),
        software.id: ("ZZ01", "1701", "1702"),
    }, sent


OFFICE = "11650102MB00000114"
"""An administrative office (registration category 11) sharing the database with ``INSTITUTE``."""
INSTITUTE = "12650102MB00000225"
"""A public institution (registration category 12)."""


def _of(actor: Actor, org: str) -> Actor:
    return actor.model_copy(update={"org": org, "id": f"{actor.id}-{org[-4:]}"})


def _office_card(service: AssetService, org: str, code: str) -> AssetCard:
    made = _is_card(
        service.request_acquisition(_of(REQUESTER, org), org, _card(code, organization_credit_code=org))
    )
    service.approve_acquisition(_of(APPROVER, org), org, made.id)
    service.accept(_of(KEEPER, org), org, made.id)
    service.register(_of(ACCOUNTANT, org), org, made.id, date(2024, 3, 15))
    holder = PersonRef(person_id="E0001", organization_credit_code=org, name="阿依古丽·艾力")
    return _is_card(service.issue(_of(KEEPER, org), org, made.id, holder))


@verifies("AST-041")
def keeps_organisations_apart(service: AssetService) -> None:
    mine = _office_card(service, OFFICE, "PC-041")
    theirs = _office_card(service, INSTITUTE, "PC-041")
    intruder = _of(ACCOUNTANT, INSTITUTE)
    attempts: dict[str, Callable[[], object]] = {
        "get": lambda: service.get(intruder, OFFICE, mine.id),
        "assets": lambda: service.assets(intruder, OFFICE),
        "schedule": lambda: service.schedule(intruder, OFFICE, mine.id),
        "register_report": lambda: service.register_report(intruder, OFFICE, "custodian"),
        "run_depreciation": lambda: service.run_depreciation(intruder, OFFICE, 2024, 3),
        "return_asset": lambda: service.return_asset(_of(KEEPER, INSTITUTE), OFFICE, mine.id, "E0001"),
        "request_disposal": lambda: service.request_disposal(
            intruder, OFFICE, mine.id, "scrapping", date(2024, 6, 1)
        ),
        "plan_stocktake": lambda: service.plan_stocktake(intruder, OFFICE, "清查"),
    }
    for name, attempt in attempts.items():
        with expect_raises(OrganizationDenied) as refused:
            attempt()
        assert OFFICE not in str(refused.value), f"{name}: the refusal shows the other organisation"
    assert service.get(_of(ACCOUNTANT, OFFICE), OFFICE, mine.id) == mine, "a refused call changed the card"
    assert service.depreciation_totals(_of(ACCOUNTANT, OFFICE), OFFICE, 2024) == [], "a refused run charged"
    assert [c.id for c in service.assets(intruder, INSTITUTE)] == [theirs.id]
    separated = {
        "person": {"person_id": "E0001", "organization_credit_code": OFFICE, "name": "阿依古丽·艾力"}
    }
    tasks = service.receive_event(DELIVERER, _separated_event("evt-041", separated))
    assert [x.asset_id for x in tasks] == [mine.id]
    assert service.return_tasks(intruder, INSTITUTE) == [], "a leaver of one office raised tasks in another"


# -- issue 16: sweeps, refusals with nothing written, every method reached ---------------------------

EVENT_TYPES = (REGISTERED, DEPRECIATED, DISPOSED)


def _data(service: AssetService, org: str, event_type: str) -> list[dict[str, Any]]:
    """The data of ``org``'s published events of ``event_type``, in publication order."""
    return [dict(e.data) for e in service.published_events(ACCOUNTANT, org, type=event_type)]


def _snapshot(service: AssetService, org: str, *ids: str) -> tuple[object, ...]:
    """What a refused call must leave as it was, read back through the Protocol only."""
    cards = service.assets(ACCOUNTANT, org)
    events_seen = [(e.type, e.id) for e in service.published_events(ACCOUNTANT, org)]
    trails = [len(service.audit_trail(ACCOUNTANT, org, "asset", i)) for i in ids]
    return (cards, events_seen, trails)


def _unchanged(service: AssetService, org: str, before: tuple[object, ...], *ids: str, what: str) -> None:
    after = _snapshot(service, org, *ids)
    expect_equal(after[0], before[0], what=f"{what}: the cards after the refusal")
    expect_equal(after[1], before[1], what=f"{what}: the events published after the refusal")
    expect_equal(after[2], before[2], what=f"{what}: the audit records after the refusal")


def _requested(service: AssetService, code: str, org: str = ORG, **changes: Any) -> AssetCard:
    return _is_card(
        service.request_acquisition(
            _of(REQUESTER, org), org, _card(code, organization_credit_code=org, **changes)
        )
    )


def _held(service: AssetService, org: str, code: str, on: date, **changes: Any) -> AssetCard:
    made = _requested(service, code, org, **changes)
    service.approve_acquisition(_of(APPROVER, org), org, made.id)
    service.accept(_of(KEEPER, org), org, made.id)
    service.register(_of(ACCOUNTANT, org), org, made.id, on)
    holder = PersonRef(person_id="E0001", organization_credit_code=org, name="阿依古丽·艾力")
    return _is_card(service.issue(_of(KEEPER, org), org, made.id, holder))


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


@refuses("AST-001", "AST-043", "AST-046")
def refuses_a_request_by_someone_without_the_requester_role(service: AssetService) -> None:
    for actor in (KEEPER, ACCOUNTANT, APPROVER):
        scenario(actor=actor.id)
        before = _snapshot(service, ORG)
        with step(f"request an acquisition as {actor.id}"), expect_raises(PermissionDenied):
            service.request_acquisition(actor, ORG, _card("PC-R43"))
        _unchanged(service, ORG, before, what="a request without the requester role")
    with step("request for one organisation a card naming another"), expect_raises(InvalidInput) as raised:
        service.request_acquisition(REQUESTER, OFFICE, _card("PC-R43"))
    expect_true(_names(raised.value, "organization_credit_code"), "the error names organization_credit_code")
    expect_equal(service.assets(ACCOUNTANT, OFFICE), [], what="cards of the office after a refused request")
    expect_equal(service.assets(ACCOUNTANT, ORG), [], what="cards after the refused requests")


@refuses("AST-043", "AST-006", "AST-008", "AST-018", "AST-022", "AST-023", "AST-024", "AST-030")
def refuses_every_step_to_an_actor_without_its_role(service: AssetService) -> None:
    made = _requested(service, "PC-R44")
    plain = Actor(id="u-reader", name="测试用户", roles=frozenset({"reader"}))
    steps: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "approve_acquisition",
            lambda: service.approve_acquisition(plain, ORG, made.id),
            lambda: service.approve_acquisition(APPROVER, ORG, made.id),
        ),
        ("accept", lambda: service.accept(plain, ORG, made.id), lambda: service.accept(KEEPER, ORG, made.id)),
        (
            "register",
            lambda: service.register(plain, ORG, made.id, date(2024, 3, 15)),
            lambda: service.register(ACCOUNTANT, ORG, made.id, date(2024, 3, 15)),
        ),
        (
            "issue",
            lambda: service.issue(plain, ORG, made.id, ALICE),
            lambda: service.issue(KEEPER, ORG, made.id, ALICE),
        ),
        (
            "transfer",
            lambda: service.transfer(plain, ORG, made.id, ALICE.person_id, BOB),
            lambda: service.transfer(KEEPER, ORG, made.id, ALICE.person_id, BOB),
        ),
        (
            "capitalise_repair",
            lambda: service.capitalise_repair(plain, ORG, made.id, Money.of("100.00"), date(2024, 5, 1)),
            lambda: service.capitalise_repair(ACCOUNTANT, ORG, made.id, Money.of("100.00"), date(2024, 5, 1)),
        ),
        (
            "revalue",
            lambda: service.revalue(plain, ORG, made.id, Money.of("6000.00"), date(2024, 6, 1)),
            lambda: service.revalue(ACCOUNTANT, ORG, made.id, Money.of("6000.00"), date(2024, 6, 1)),
        ),
        (
            "dispose_part",
            lambda: service.dispose_part(KEEPER, ORG, made.id, "sale", Money.of("100.00"), date(2024, 7, 1)),
            lambda: service.dispose_part(
                DEPARTMENT, ORG, made.id, "sale", Money.of("100.00"), date(2024, 7, 1)
            ),
        ),
        (
            "return_asset",
            lambda: service.return_asset(plain, ORG, made.id, BOB.person_id),
            lambda: service.return_asset(KEEPER, ORG, made.id, BOB.person_id),
        ),
        (
            "request_disposal",
            lambda: service.request_disposal(plain, ORG, made.id, "scrapping", date(2024, 8, 1)),
            lambda: service.request_disposal(KEEPER, ORG, made.id, "scrapping", date(2024, 8, 1)),
        ),
        (
            "approve_disposal",
            lambda: service.approve_disposal(KEEPER, ORG, made.id),
            lambda: service.approve_disposal(DEPARTMENT, ORG, made.id),
        ),
    ]
    for name, wrong, right in steps:
        scenario(step=name)
        before = _snapshot(service, ORG, made.id)
        with step(f"{name} without its role"), expect_raises(PermissionDenied):
            wrong()
        _unchanged(service, ORG, before, made.id, what=f"{name} refused")
        with step(f"{name} with its role"):
            right()
    expect_equal(service.get(ACCOUNTANT, ORG, made.id).state, "disposed", what="state after every step")
    with step("run the month as a keeper"), expect_raises(PermissionDenied):
        service.run_depreciation(KEEPER, ORG, 2024, 4)
    expect_equal(service.charged(ACCOUNTANT, ORG, made.id), [], what="charges after a refused run")
    expect_equal(service.depreciation_totals(ACCOUNTANT, ORG, 2024), [], what="totals after a refused run")
    with step("plan a stock-take as an accountant"), expect_raises(PermissionDenied):
        service.plan_stocktake(ACCOUNTANT, ORG, "清查")


@refuses("AST-044", "AST-006", "AST-007")
def rejects_an_acquisition_for_good(service: AssetService) -> None:
    made = _requested(service, "PC-R45")
    with step("reject the request as a keeper"), expect_raises(PermissionDenied):
        service.reject_acquisition(KEEPER, ORG, made.id)
    expect_equal(
        service.get(ACCOUNTANT, ORG, made.id).state, "requested", what="state after a refused rejection"
    )
    with step("reject the request"):
        rejected = _is_card(service.reject_acquisition(APPROVER, ORG, made.id))
    expect_equal(rejected.state, "rejected", what="state after rejection")
    before = _snapshot(service, ORG, made.id)
    later: list[tuple[str, Callable[[], object]]] = [
        ("approve_acquisition", lambda: service.approve_acquisition(APPROVER, ORG, made.id)),
        ("accept", lambda: service.accept(KEEPER, ORG, made.id)),
        ("register", lambda: service.register(ACCOUNTANT, ORG, made.id, date(2024, 3, 15))),
    ]
    for name, attempt in later:
        with step(f"{name} a rejected request"), expect_raises(TransitionNotAllowed):
            attempt()
    _unchanged(service, ORG, before, made.id, what="steps on a rejected request")
    expect_equal(_data(service, ORG, REGISTERED), [], what="asset.registered events of a rejected request")


@refuses("AST-044", "AST-017", "AST-020", "AST-021")
def rejects_a_disposal_and_goes_on_depreciating(service: AssetService) -> None:
    made = _in_use(service, "PC-R46")
    service.request_disposal(KEEPER, ORG, made.id, "scrapping", date(2024, 5, 10))
    with step("reject the disposal as a keeper"), expect_raises(PermissionDenied):
        service.reject_disposal(KEEPER, ORG, made.id)
    with step("reject the disposal"):
        back = _is_card(service.reject_disposal(DEPARTMENT, ORG, made.id))
    expect_equal(back.state, "in_stock", what="state after a rejected disposal")
    expect_equal(_data(service, ORG, DISPOSED), [], what="asset.disposed events after a rejected disposal")
    with step("approve a disposal that was rejected"), expect_raises(TransitionNotAllowed):
        service.approve_disposal(DEPARTMENT, ORG, made.id)
    may = service.run_depreciation(ACCOUNTANT, ORG, 2024, 5)
    expect_equal(may.total, Money.of("100.00"), what="May's charge of an asset whose disposal was rejected")
    with step("ask again and approve"):
        service.request_disposal(KEEPER, ORG, made.id, "scrapping", date(2024, 6, 3))
        service.approve_disposal(DEPARTMENT, ORG, made.id)
    expect_equal(len(_data(service, ORG, DISPOSED)), 1, what="asset.disposed events after the second request")


@refuses("AST-020", "AST-021", "AST-024")
def approves_each_side_of_the_tier_boundary(service: AssetService) -> None:
    cases = [("199999.99", DEPARTMENT, AUTHORITY), ("200000.00", AUTHORITY, DEPARTMENT)]
    cases.append(("200000.01", AUTHORITY, DEPARTMENT))
    for number, (value, right, wrong) in enumerate(cases):
        scenario(original_value=value, approver=right.id)
        made = _in_use(service, f"CAR-T{number}", category="2030000", original_value=value)
        service.request_disposal(KEEPER, ORG, made.id, "sale", date(2024, 6, 1))
        before = _snapshot(service, ORG, made.id)
        with (
            step(f"approve a disposal of {value} as {wrong.id}"),
            expect_raises(GuardFailed, field="approver_role"),
        ):
            service.approve_disposal(wrong, ORG, made.id)
        _unchanged(service, ORG, before, made.id, what=f"a disposal of {value} refused")
        with step(f"approve a disposal of {value} as {right.id}"):
            done = _is_card(service.approve_disposal(right, ORG, made.id))
        expect_equal(done.state, "disposed", what=f"state after approving {value}")
        sent = [d for d in _data(service, ORG, DISPOSED) if d["asset_id"] == made.id]
        expect_equal(
            [d["original_value"] for d in sent], [value], what="original value sent in asset.disposed"
        )
    big = _in_use(service, "CAR-TP", category="2030000", original_value="500000.00")
    for value, right, wrong in (("199999.99", DEPARTMENT, AUTHORITY), ("200000.00", AUTHORITY, DEPARTMENT)):
        scenario(partial=value)
        before = _snapshot(service, ORG, big.id)
        with step(f"dispose of a part worth {value} as {wrong.id}"), expect_raises(GuardFailed):
            service.dispose_part(wrong, ORG, big.id, "sale", Money.of(value), date(2024, 7, 1))
        _unchanged(service, ORG, before, big.id, what=f"a partial disposal of {value} refused")
        with step(f"dispose of a part worth {value} as {right.id}"):
            service.dispose_part(right, ORG, big.id, "sale", Money.of(value), date(2024, 7, 1))
    expect_equal(
        service.get(ACCOUNTANT, ORG, big.id).book_value,
        Money.of("100000.01"),
        what="book value after two partial disposals",
    )


@refuses("AST-004", "AST-005")
def refuses_each_category_below_its_minimum_life(service: AssetService) -> None:
    minimum = {"2010000": (72, 72), "2030000": (96, 96), "6": (60, 180), "1020000": (96, 600), "3": (36, 120)}
    for number, (category, (months, default_life)) in enumerate(minimum.items()):
        scenario(category=category, minimum=months)
        before = _snapshot(service, ORG)
        with (
            step(f"request {category} with {months - 1} months"),
            expect_raises(InvalidInput, field="useful_life_months"),
        ):
            service.request_acquisition(
                REQUESTER, ORG, _card(f"L-{number}", category=category, useful_life_months=months - 1)
            )
        _unchanged(service, ORG, before, what=f"a life below the minimum of {category}")
        for life in (months, months + 1):
            made = _is_card(
                service.request_acquisition(
                    REQUESTER, ORG, _card(f"L-{number}-{life}", category=category, useful_life_months=life)
                )
            )
            expect_equal(made.useful_life_months, life, what=f"life kept for {category}")
        default = _is_card(
            service.request_acquisition(REQUESTER, ORG, _card(f"L-{number}-d", category=category))
        )
        expect_equal(default.useful_life_months, default_life, what=f"default life of {category}")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@verifies("AST-045", "AST-009", "AST-010", "AST-013", "AST-016", "AST-034")
def charges_every_month_of_the_life_exactly(service: AssetService) -> None:
    rng = scenario_rng()
    orgs = (OFFICE, INSTITUTE)
    values = ("0.10", "0.30", "1234567.89", "7199.99", "1000.03", "96000.01")
    days = []
    for _ in range(3):
        year = rng.randrange(2016, 2031)
        month = rng.randrange(1, 13)
        days.append(date(year, month, rng.choice((1, _last_day(year, month)))))
    days.append(date(2024, 2, 29))
    days.append(date(2023, 12, 31))
    cards: list[tuple[str, AssetCard, date]] = []
    for number, day in enumerate(days):
        org = orgs[number % 2]
        value = values[rng.randrange(len(values))]
        category, life = rng.choice((("3", 36), ("2010000", 72), ("ZZ01", 36)))
        life = life + rng.randrange(0, 4)
        scenario(org=org, in_service=day.isoformat(), value=value, category=category, life=life)
        with step(f"register an asset of {value} from {day}"):
            card = _held(
                service,
                org,
                f"SW-{number}",
                day,
                category=category,
                original_value=value,
                useful_life_months=life,
                name="档案管理软件" if category == "ZZ01" else "设备",
            )
        cards.append((org, card, day))
    expected: dict[str, dict[tuple[int, int], Money]] = {}
    for org, card, day in cards:
        rows = service.schedule(ACCOUNTANT, org, card.id)
        life = int(card.useful_life_months or 0)
        expect_true(
            (rows[0].year, rows[0].month) >= (day.year, day.month),
            f"{card.asset_code} is not depreciated before the month it was added",
            expected=(day.year, day.month),
            observed=(rows[0].year, rows[0].month),
        )
        if rows[0].amount > Money.zero() and len(rows) == life:
            expect_equal(
                (rows[0].year, rows[0].month), (day.year, day.month), what=f"first month of {card.asset_code}"
            )
        expect_equal(_total(rows), card.original_value, what=f"schedule total of {card.asset_code}")
        expected[card.id] = {(r.year, r.month): r.amount for r in rows}
    months = [ym for plan in expected.values() for ym in plan]
    year, month = min(months)
    stop = _month_after(*max(months))
    while (year, month) != stop:
        for org in orgs:
            scenario(org=org, year=year, month=month)
            with step(f"run {year}-{month:02d} for {org}"):
                run = service.run_depreciation(_of(ACCOUNTANT, org), org, year, month)
            want = Money.total(
                expected[c.id].get((year, month), Money.zero()) for o, c, _ in cards if o == org
            )
            expect_equal(run.total, want, what=f"{org} run total for {year}-{month:02d}")
        year, month = _month_after(year, month)
    for org, card, _ in cards:
        charged = {(r.year, r.month): r.amount for r in service.charged(ACCOUNTANT, org, card.id)}
        expect_equal(charged, expected[card.id], what=f"months charged to {card.asset_code}")
        expect_equal(
            Money.total(charged.values()), card.original_value, what=f"total charged to {card.asset_code}"
        )
    for org in orgs:
        for y in sorted({d.year for _, _, d in cards}):
            totals = {t.month: t.total for t in service.depreciation_totals(ACCOUNTANT, org, y)}
            want_totals: dict[int, Money] = {}
            for o, c, _ in cards:
                if o != org:
                    continue
                for (yy, mm), amount in expected[c.id].items():
                    if yy == y:
                        want_totals[mm] = want_totals.get(mm, Money.zero()) + amount
            expect_equal(totals, want_totals, what=f"{org} depreciation totals of {y}")


@refuses("AST-013", "AST-014", "AST-045", "AST-009", "AST-010", "AST-011")
def refuses_a_run_outside_the_calendar(service: AssetService) -> None:
    made = _in_use(service, "PC-R47")
    for year, month, field in ((2024, 0, "month"), (2024, 13, "month"), (1899, 12, "year")):
        scenario(year=year, month=month)
        before = _snapshot(service, ORG, made.id)
        with step(f"run {year}-{month}"), expect_raises(InvalidInput, field=field):
            service.run_depreciation(ACCOUNTANT, ORG, year, month)
        _unchanged(service, ORG, before, made.id, what=f"a run of {year}-{month}")
    expect_equal(service.charged(ACCOUNTANT, ORG, made.id), [], what="charges after refused runs")
    first = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    again = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    expect_equal(again.total, first.total, what="a repeated run's total")
    expect_equal(
        len(service.charged(ACCOUNTANT, ORG, made.id)), 1, what="months charged after a repeated run"
    )
    runs = service.audit_trail(ACCOUNTANT, ORG, "depreciation_run", f"{ORG}/2024-03")
    expect_equal(len(runs), 1, what="audit records of the month's run after running it twice")


@verifies("AST-046", "AST-007", "AST-001")
def reads_a_card_back_exactly(service: AssetService) -> None:
    texts = [
        ("笔记本电脑", "办公室"),
        ("كومپيۇتېر ئۈسكۈنىسى", "ئىشخانا"),
        ("服务器 X-9 «机架式»", "信息中心"),
    ]
    values = ["0.10", "0.30", "1234567.89", "9999999999.99", "7200.07"]
    for number, value in enumerate(values):
        name, unit = texts[number % len(texts)]
        scenario(original_value=value, name=name)
        sent = _card(f"RT-{number}", original_value=value, name=name, using_unit=unit, location="三楼 301")
        made = _registered(service, f"RT-{number}", **{k: v for k, v in sent.items() if k != "asset_code"})
        back = service.get(ACCOUNTANT, ORG, made.id)
        expect_equal(back.original_value, Money.of(value), what="original value read back")
        expect_equal(str(back.original_value), value, what="original value as text")
        expect_equal(back.book_value, Money.of(value), what="book value read back")
        expect_equal(
            (back.name, back.using_unit, back.location), (name, unit, "三楼 301"), what="texts read back"
        )
        expect_equal(back.acquisition_date, date(2024, 3, 1), what="acquisition date read back")
        listed = [c for c in service.assets(ACCOUNTANT, ORG) if c.id == made.id]
        expect_equal(listed, [back], what="the card in the organisation's list")
        sent_event = [d for d in _data(service, ORG, REGISTERED) if d["asset_id"] == made.id]
        expect_equal(
            [(d["original_value"], d["name"], d["paying_account"]) for d in sent_event],
            [(value, name, "零余额账户 001")],
            what="asset.registered data",
        )


@refuses("AST-042", "AST-043")
def audits_every_change_and_no_refusal(service: AssetService) -> None:
    made = _in_use(service, "PC-R48")
    trail = service.audit_trail(ACCOUNTANT, ORG, "asset", made.id)
    actions = [e.action for e in trail]
    expect_true(
        len(actions) >= 5,
        "five records: request, approval, acceptance, registration, issue",
        expected=">= 5",
        observed=actions,
    )
    expect_equal(
        [e.actor_id for e in trail[-4:]],
        [APPROVER.id, KEEPER.id, ACCOUNTANT.id, KEEPER.id],
        what="who approved, accepted, registered and issued",
    )
    expect_equal([e.seq for e in trail], sorted(e.seq for e in trail), what="audit records in order")
    before = len(trail)
    with step("transfer by a reader"), expect_raises(PermissionDenied):
        service.transfer(
            Actor(id="u-reader", name="读者", roles=frozenset({"reader"})), ORG, made.id, ALICE.person_id, BOB
        )
    expect_equal(
        len(service.audit_trail(ACCOUNTANT, ORG, "asset", made.id)),
        before,
        what="audit records after a refused transfer",
    )
    with step("transfer"):
        service.transfer(KEEPER, ORG, made.id, ALICE.person_id, BOB)
    after = service.audit_trail(ACCOUNTANT, ORG, "asset", made.id)
    expect_equal(len(after), before + 1, what="audit records after a transfer")
    expect_equal(after[-1].actor_id, KEEPER.id, what="who transferred")
    take = service.plan_stocktake(KEEPER, ORG, "清查")
    service.record_count(KEEPER, ORG, take.id, [made.asset_code], "302室")
    service.record_count(KEEPER, ORG, take.id, ["X-1"], "302室")
    counts = service.audit_trail(ACCOUNTANT, ORG, "stocktake", take.id)
    expect_true(
        len(counts) >= 3,
        "the stock-take's creation, start and both counts are audited",
        expected=">= 3",
        observed=[e.action for e in counts],
    )
    with step("read an audit trail of an unknown entity"), expect_raises(InvalidInput, field="entity"):
        service.audit_trail(ACCOUNTANT, ORG, "nothing", made.id)
    expect_equal(
        service.audit_trail(ACCOUNTANT, OFFICE, "asset", made.id),
        [],
        what="another organisation's trail of this card",
    )


@refuses("AST-025", "AST-026", "AST-041")
def takes_leavers_from_the_event_organisation_only(service: AssetService) -> None:
    mine = _held(service, OFFICE, "PC-L1", date(2024, 3, 4))
    theirs = _held(service, INSTITUTE, "PC-L1", date(2024, 3, 4))
    data = {"person": {"person_id": "E0001", "organization_credit_code": OFFICE}, "reason": "03"}
    with step("deliver the office's leaver as an institute actor"), expect_raises(OrganizationDenied):
        service.receive_event(_of(KEEPER, INSTITUTE), _separated_event("evt-L0", data))
    expect_equal(service.return_tasks(ACCOUNTANT, OFFICE), [], what="office tasks after a refused delivery")
    other = _separated_event("evt-L1", data).model_copy(
        update={"type": "cn.govparts.personnel.employee.hired.v1"}
    )
    expect_equal(service.receive_event(DELIVERER, other), [], what="tasks raised by another event type")
    tasks = service.receive_event(DELIVERER, _separated_event("evt-L2", data))
    expect_equal([t.asset_id for t in tasks], [mine.id], what="tasks raised for the office's leaver")
    expect_equal(service.return_tasks(ACCOUNTANT, INSTITUTE), [], what="institute tasks")
    expect_equal(
        [c.id for c in service.held_by_departed(ACCOUNTANT, OFFICE)], [mine.id], what="held by leavers"
    )
    expect_equal(service.held_by_departed(ACCOUNTANT, INSTITUTE), [], what="institute assets held by leavers")
    trail = service.audit_trail(ACCOUNTANT, OFFICE, "asset", mine.id)
    expect_true(
        any(e.after and "evt-L2" in str(e.after) for e in trail),
        "the raised task is audited",
        observed=[e.action for e in trail],
    )
    expect_equal(service.get(ACCOUNTANT, INSTITUTE, theirs.id).state, "in_use", what="the institute's card")


@refuses("AST-028", "AST-034", "AST-035", "AST-041")
def reports_only_the_organisations_own(service: AssetService) -> None:
    _held(service, OFFICE, "PC-P1", date(2024, 3, 4))
    _held(service, INSTITUTE, "PC-P1", date(2024, 3, 4), original_value="3000.00")
    service.run_depreciation(_of(ACCOUNTANT, OFFICE), OFFICE, 2024, 3)
    with step("group the register by an unknown key"), expect_raises(InvalidInput, field="by"):
        service.register_report(ACCOUNTANT, OFFICE, "colour")  # type: ignore[arg-type]
    for by in ("category", "using_unit", "custodian"):
        lines = service.register_report(_of(ACCOUNTANT, OFFICE), OFFICE, by)
        expect_equal(
            [(x.count, x.original_value) for x in lines],
            [(1, Money.of("7200.00"))],
            what=f"office register by {by}",
        )
    expect_equal(
        [(t.month, t.total) for t in service.depreciation_totals(ACCOUNTANT, INSTITUTE, 2024)],
        [],
        what="institute totals after the office's run",
    )
    for name, attempt in (
        ("register_report", lambda: service.register_report(_of(ACCOUNTANT, INSTITUTE), OFFICE, "category")),
        (
            "depreciation_totals",
            lambda: service.depreciation_totals(_of(ACCOUNTANT, INSTITUTE), OFFICE, 2024),
        ),
        ("disposal_register", lambda: service.disposal_register(_of(ACCOUNTANT, INSTITUTE), OFFICE)),
        ("held_by_departed", lambda: service.held_by_departed(_of(ACCOUNTANT, INSTITUTE), OFFICE)),
        ("return_tasks", lambda: service.return_tasks(_of(ACCOUNTANT, INSTITUTE), OFFICE)),
        ("published_events", lambda: service.published_events(_of(ACCOUNTANT, INSTITUTE), OFFICE)),
        (
            "audit_trail",
            lambda: service.audit_trail(_of(ACCOUNTANT, INSTITUTE), OFFICE, "organization", OFFICE),
        ),
    ):
        with (
            step(f"{name} of the office by an institute actor"),
            expect_raises(OrganizationDenied) as refused,
        ):
            attempt()
        expect_true(OFFICE not in str(refused.value), f"{name}: the refusal does not show the office")


@refuses("AST-047", "AST-015", "AST-041")
def publishes_each_organisations_events_in_order(service: AssetService) -> None:
    a = _held(service, OFFICE, "PC-E1", date(2024, 3, 4))
    _held(service, INSTITUTE, "PC-E1", date(2024, 3, 4))
    service.run_depreciation(_of(ACCOUNTANT, OFFICE), OFFICE, 2024, 3)
    service.request_disposal(_of(KEEPER, OFFICE), OFFICE, a.id, "scrapping", date(2024, 4, 2))
    service.approve_disposal(_of(DEPARTMENT, OFFICE), OFFICE, a.id)
    office = service.published_events(_of(ACCOUNTANT, OFFICE), OFFICE)
    expect_equal([e.type for e in office], [REGISTERED, DEPRECIATED, DISPOSED], what="office events in order")
    expect_true(all(e.data["organization_credit_code"] == OFFICE for e in office), "events name the office")
    expect_equal(
        [e.type for e in service.published_events(ACCOUNTANT, INSTITUTE)],
        [REGISTERED],
        what="institute events",
    )
    expect_equal(
        [e.type for e in service.published_events(ACCOUNTANT, OFFICE, type=DISPOSED)],
        [DISPOSED],
        what="office events of one type",
    )
    before = service.published_events(ACCOUNTANT, OFFICE)
    with step("run the office's month as an institute accountant"), expect_raises(OrganizationDenied):
        service.run_depreciation(_of(ACCOUNTANT, INSTITUTE), OFFICE, 2024, 4)
    expect_equal(
        service.published_events(ACCOUNTANT, OFFICE), before, what="office events after a refused run"
    )


@refuses("AST-031", "AST-032", "AST-033", "AST-039")
def refuses_stocktake_steps_out_of_order(service: AssetService) -> None:
    lost = _in_use(service, "PC-S1", location="301室")
    take = service.plan_stocktake(KEEPER, ORG, "清查")
    with step("reconcile before counting"), expect_raises(TransitionNotAllowed):
        service.reconcile(KEEPER, ORG, take.id)
    with step("approve findings before reconciling"), expect_raises(TransitionNotAllowed):
        service.approve_findings(DEPARTMENT, ORG, take.id, date(2024, 6, 5))
    service.record_count(KEEPER, ORG, take.id, ["X-1"], "301室")
    with step("record a count as an accountant"), expect_raises(PermissionDenied):
        service.record_count(ACCOUNTANT, ORG, take.id, [lost.asset_code], "301室")
    with step("record an empty code"), expect_raises(InvalidInput, field="asset_codes"):
        service.record_count(KEEPER, ORG, take.id, [" "], "301室")
    books = [_book_balance("1601", "7200.00"), {**_book_balance("1602", "0.00"), "as_of": "2024-05-31"}]
    with step("reconcile with balances of two days"), expect_raises(InvalidInput, field="books"):
        service.reconcile(KEEPER, ORG, take.id, books)
    expect_equal(service.findings(ACCOUNTANT, ORG, take.id), [], what="findings after refused steps")
    service.reconcile(KEEPER, ORG, take.id)
    with step("approve findings as a keeper"), expect_raises(PermissionDenied):
        service.approve_findings(KEEPER, ORG, take.id, date(2024, 6, 5))
    expect_equal(service.get(ACCOUNTANT, ORG, lost.id).state, "in_use", what="a lost card before approval")
    expect_equal(_data(service, ORG, DISPOSED), [], what="asset.disposed before approval")
    with step("read the findings of another organisation's stock-take id"), expect_raises(NotFound):
        service.findings(ACCOUNTANT, OFFICE, take.id)


@refuses("AST-022", "AST-023", "AST-024", "AST-019")
def refuses_value_changes_that_cannot_be_right(service: AssetService) -> None:
    made = _in_use(service, "PC-V1")
    schedule = service.schedule(ACCOUNTANT, ORG, made.id)
    attempts: list[tuple[str, Callable[[], object], str]] = [
        (
            "capitalise zero",
            lambda: service.capitalise_repair(ACCOUNTANT, ORG, made.id, Money.zero(), date(2025, 1, 1)),
            "amount",
        ),
        (
            "capitalise before registration",
            lambda: service.capitalise_repair(ACCOUNTANT, ORG, made.id, Money.of("1.00"), date(2024, 2, 1)),
            "on",
        ),
        (
            "capitalise with negative extra life",
            lambda: service.capitalise_repair(
                ACCOUNTANT, ORG, made.id, Money.of("1.00"), date(2025, 1, 1), extra_life_months=-1
            ),
            "extra_life_months",
        ),
        (
            "revalue below zero",
            lambda: service.revalue(ACCOUNTANT, ORG, made.id, Money.of("-0.01"), date(2025, 1, 1)),
            "new_value",
        ),
        (
            "dispose of the whole value as a part",
            lambda: service.dispose_part(
                DEPARTMENT, ORG, made.id, "sale", Money.of("7200.00"), date(2025, 1, 1)
            ),
            "value",
        ),
        (
            "dispose of a part by an unknown method",
            lambda: service.dispose_part(
                DEPARTMENT, ORG, made.id, "gift", Money.of("1.00"), date(2025, 1, 1)
            ),
            "method",
        ),
    ]
    for name, attempt, field in attempts:
        scenario(attempt=name)
        before = _snapshot(service, ORG, made.id)
        with step(name), expect_raises(InvalidInput, field=field):
            attempt()
        _unchanged(service, ORG, before, made.id, what=name)
        expect_equal(service.schedule(ACCOUNTANT, ORG, made.id), schedule, what=f"schedule after: {name}")


@refuses("AST-036", "AST-037", "AST-038")
def refuses_usage_outside_the_books(service: AssetService) -> None:
    made = _units_of_work(service, "UW-R1", "1000.00", 10)
    for year, month, units, field in (
        (2024, 2, 1, "month"),
        (2024, 4, 1.5, "units"),
        (2024, 4, True, "units"),
    ):
        scenario(year=year, month=month, units=units)
        with step(f"record {units} units for {year}-{month:02d}"), expect_raises(InvalidInput, field=field):
            service.record_usage(KEEPER, ORG, made.id, year, month, units)  # type: ignore[arg-type]
    with step("record usage as an accountant"), expect_raises(PermissionDenied):
        service.record_usage(ACCOUNTANT, ORG, made.id, 2024, 4, 1)
    service.record_usage(KEEPER, ORG, made.id, 2024, 4, 1)
    with step("record the same month twice"), expect_raises(InvalidInput, field="month"):
        service.record_usage(KEEPER, ORG, made.id, 2024, 4, 2)
    april = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    expect_equal(april.total, Money.of("100.00"), what="April's charge for 1 of 10 units")


@refuses("AST-012", "AST-016", "AST-017", "AST-040")
def charges_nothing_that_left_or_is_excluded(service: AssetService) -> None:
    relic = _in_use(service, "R-R1", category="4", name="青铜器")
    done = _in_use(service, "S-R1", category="3", original_value="3600.00", useful_life_months=36)
    gone = _in_use(
        service,
        "SW-R1",
        category="ZZ01",
        name="档案管理软件",
        original_value="3600.00",
        useful_life_months=36,
    )
    service.request_disposal(KEEPER, ORG, gone.id, "scrapping", date(2024, 3, 31))
    service.approve_disposal(DEPARTMENT, ORG, gone.id)
    march = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    expect_equal(march.total, Money.of("100.00"), what="March: only the asset still in the books")
    for card in (relic, gone):
        expect_equal(service.charged(ACCOUNTANT, ORG, card.id), [], what=f"charges to {card.asset_code}")
    sent = _data(service, ORG, DISPOSED)
    expect_equal(
        [(d["asset_account"], d["accumulated_account"]) for d in sent],
        [("1701", "1702")],
        what="accounts an intangible disposal names",
    )
    for year, month in ((2027, 2), (2027, 3)):
        service.run_depreciation(ACCOUNTANT, ORG, year, month)
    expect_equal(
        _total(service.charged(ACCOUNTANT, ORG, done.id)),
        Money.of("200.00"),
        what="charged: March 2024 and the last month February 2027, nothing after",
    )


@refuses("AST-027", "AST-041")
def hides_another_organisations_ids(service: AssetService) -> None:
    theirs = _held(service, INSTITUTE, "PC-H1", date(2024, 3, 4))
    take = service.plan_stocktake(_of(KEEPER, INSTITUTE), INSTITUTE, "清查")
    office_reader = _of(ACCOUNTANT, OFFICE)
    for name, attempt, field in (
        ("get", lambda: service.get(office_reader, OFFICE, theirs.id), "asset_id"),
        ("schedule", lambda: service.schedule(office_reader, OFFICE, theirs.id), "asset_id"),
        ("charged", lambda: service.charged(office_reader, OFFICE, theirs.id), "asset_id"),
        (
            "request_disposal",
            lambda: service.request_disposal(
                _of(KEEPER, OFFICE), OFFICE, theirs.id, "sale", date(2024, 5, 1)
            ),
            "asset_id",
        ),
        ("findings", lambda: service.findings(office_reader, OFFICE, take.id), "stocktake_id"),
        (
            "record_count",
            lambda: service.record_count(_of(KEEPER, OFFICE), OFFICE, take.id, ["X"], "1"),
            "stocktake_id",
        ),
    ):
        with (
            step(f"{name} of an institute id through the office"),
            expect_raises(NotFound, field=field) as raised,
        ):
            attempt()
        expect_true(INSTITUTE not in str(raised.value), f"{name}: the error does not show the institute")
    expect_equal(
        service.get(_of(ACCOUNTANT, INSTITUTE), INSTITUTE, theirs.id), theirs, what="the institute's card"
    )


def _every_call(
    service: AssetService, ids: dict[str, str], actor: Actor, org: str
) -> dict[str, Callable[[], object]]:
    """One call of every Protocol method that takes an actor, about ``org``'s things in ``ids``."""
    event = _separated_event("evt-X", {"person": {"person_id": "E0001", "organization_credit_code": org}})
    return {
        "request_acquisition": lambda: service.request_acquisition(
            actor, org, _card("X-1", organization_credit_code=org)
        ),
        "approve_acquisition": lambda: service.approve_acquisition(actor, org, ids["requested"]),
        "reject_acquisition": lambda: service.reject_acquisition(actor, org, ids["requested"]),
        "accept": lambda: service.accept(actor, org, ids["approved"]),
        "register": lambda: service.register(actor, org, ids["accepted"], date(2024, 3, 15)),
        "issue": lambda: service.issue(actor, org, ids["in_stock"], ALICE),
        "transfer": lambda: service.transfer(actor, org, ids["in_use"], "E0001", BOB),
        "return_asset": lambda: service.return_asset(actor, org, ids["in_use"], "E0001"),
        "capitalise_repair": lambda: service.capitalise_repair(
            actor, org, ids["in_use"], Money.of("1.00"), date(2024, 5, 1)
        ),
        "revalue": lambda: service.revalue(actor, org, ids["in_use"], Money.of("100.00"), date(2024, 5, 1)),
        "dispose_part": lambda: service.dispose_part(
            actor, org, ids["in_use"], "sale", Money.of("1.00"), date(2024, 5, 1)
        ),
        "request_disposal": lambda: service.request_disposal(
            actor, org, ids["in_stock"], "scrapping", date(2024, 5, 1)
        ),
        "approve_disposal": lambda: service.approve_disposal(actor, org, ids["disposal_requested"]),
        "reject_disposal": lambda: service.reject_disposal(actor, org, ids["disposal_requested"]),
        "get": lambda: service.get(actor, org, ids["in_use"]),
        "assets": lambda: service.assets(actor, org),
        "schedule": lambda: service.schedule(actor, org, ids["in_use"]),
        "charged": lambda: service.charged(actor, org, ids["in_use"]),
        "run_depreciation": lambda: service.run_depreciation(actor, org, 2024, 4),
        "record_usage": lambda: service.record_usage(actor, org, ids["units"], 2024, 4, 1),
        "receive_event": lambda: service.receive_event(actor, event),
        "return_tasks": lambda: service.return_tasks(actor, org),
        "held_by_departed": lambda: service.held_by_departed(actor, org),
        "register_report": lambda: service.register_report(actor, org, "category"),
        "plan_stocktake": lambda: service.plan_stocktake(actor, org, "清查"),
        "record_count": lambda: service.record_count(actor, org, ids["stocktake"], ["X-2"], "301室"),
        "reconcile": lambda: service.reconcile(actor, org, ids["counting"]),
        "approve_findings": lambda: service.approve_findings(
            actor, org, ids["reconciled"], date(2024, 6, 30)
        ),
        "findings": lambda: service.findings(actor, org, ids["reconciled"]),
        "depreciation_totals": lambda: service.depreciation_totals(actor, org, 2024),
        "disposal_register": lambda: service.disposal_register(actor, org),
        "audit_trail": lambda: service.audit_trail(actor, org, "asset", ids["in_use"]),
        "published_events": lambda: service.published_events(actor, org),
    }


def _one_of_each(service: AssetService, org: str) -> dict[str, str]:
    """``org``'s things in every state a method needs."""
    requested = _requested(service, "Q-1", org)
    approved = _requested(service, "Q-2", org)
    service.approve_acquisition(_of(APPROVER, org), org, approved.id)
    accepted = _requested(service, "Q-3", org)
    service.approve_acquisition(_of(APPROVER, org), org, accepted.id)
    service.accept(_of(KEEPER, org), org, accepted.id)
    in_stock = _requested(service, "Q-4", org)
    service.approve_acquisition(_of(APPROVER, org), org, in_stock.id)
    service.accept(_of(KEEPER, org), org, in_stock.id)
    service.register(_of(ACCOUNTANT, org), org, in_stock.id, date(2024, 3, 15))
    in_use = _held(service, org, "Q-5", date(2024, 3, 15))
    asking = _held(service, org, "Q-6", date(2024, 3, 15))
    service.request_disposal(_of(KEEPER, org), org, asking.id, "scrapping", date(2024, 5, 1))
    units = _held(
        service,
        org,
        "Q-7",
        date(2024, 3, 15),
        category="2030000",
        original_value="1000.00",
        depreciation_method="units_of_work",
        total_units=10,
    )
    planned = service.plan_stocktake(_of(KEEPER, org), org, "清查")
    counting = service.plan_stocktake(_of(KEEPER, org), org, "盘点")
    service.record_count(_of(KEEPER, org), org, counting.id, ["Q-5"], "301室")
    done = service.plan_stocktake(_of(KEEPER, org), org, "年终清查")
    service.record_count(_of(KEEPER, org), org, done.id, ["Q-5"], "301室")
    service.reconcile(_of(KEEPER, org), org, done.id)
    return {
        "requested": requested.id,
        "approved": approved.id,
        "accepted": accepted.id,
        "in_stock": in_stock.id,
        "in_use": in_use.id,
        "disposal_requested": asking.id,
        "units": units.id,
        "stocktake": planned.id,
        "counting": counting.id,
        "reconciled": done.id,
    }


def _org_state(service: AssetService, org: str, ids: dict[str, str]) -> tuple[object, ...]:
    reader = _of(ACCOUNTANT, org)
    return (
        service.assets(reader, org),
        [(e.type, e.id) for e in service.published_events(reader, org)],
        {
            k: len(service.audit_trail(reader, org, "asset", v))
            for k, v in ids.items()
            if k not in {"stocktake", "counting", "reconciled"}
        },
        {k: service.findings(reader, org, ids[k]) for k in ("counting", "reconciled")},
        service.return_tasks(reader, org),
        service.depreciation_totals(reader, org, 2024),
    )


@refuses("AST-041", "AST-043", "AST-042", "AST-047")
def refuses_every_method_to_another_organisation_and_to_a_role_it_lacks(service: AssetService) -> None:
    ids = _one_of_each(service, OFFICE)
    before = _org_state(service, OFFICE, ids)
    intruder = Actor(id="u-intruder", name="测试用户", roles=frozenset(ROLES_ALL), org=INSTITUTE)
    for name, call in _every_call(service, ids, intruder, OFFICE).items():
        scenario(method=name, actor="institute, every role", org=OFFICE)
        with (
            step(f"{name} by an actor of another organisation"),
            expect_raises(OrganizationDenied) as refused,
        ):
            call()
        expect_true(OFFICE not in str(refused.value), f"{name}: the refusal does not show the office")
    expect_equal(_org_state(service, OFFICE, ids), before, what="the office's data after every refused call")
    nobody = Actor(id="u-nobody", name="测试用户", roles=frozenset({"reader"}), org=OFFICE)
    reads = {
        "get",
        "assets",
        "schedule",
        "charged",
        "return_tasks",
        "held_by_departed",
        "register_report",
        "findings",
        "depreciation_totals",
        "disposal_register",
        "audit_trail",
        "published_events",
    }
    for name, call in _every_call(service, ids, nobody, OFFICE).items():
        if name in reads or name == "receive_event":
            continue
        scenario(method=name, actor="office, no role", org=OFFICE)
        with step(f"{name} by an actor without its role"), expect_raises(PermissionDenied):
            call()
    expect_equal(
        _org_state(service, OFFICE, ids), before, what="the office's data after calls without the role"
    )


ROLES_ALL = ("requester", "approver", "keeper", "accountant", "department_approver", "asset_authority")


SUITE = Suite(CATALOGUE, collect_checks(globals()))
