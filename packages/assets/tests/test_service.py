"""Tests of the reference service on the run's database (SQLite, or PostgreSQL with --govparts-db)."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.assets import depreciation_schedule
from govparts.assets import tables as t
from govparts.assets.models import AssetCard
from govparts.assets.service import ReferenceService
from govparts.core import audit, events
from govparts.core.db import metadata, session_scope
from govparts.core.errors import ConcurrentModification, GovPartsError, InvalidInput
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

ORG = "91350100M000100Y43"
OTHER_ORG = "91110000MB0000001N"


def _actor(role: str, who: str | None = None) -> Actor:
    return Actor(id=who or f"u-{role}", name="测试用户", roles=frozenset({role}))


REQUESTER, APPROVER, KEEPER, ACCOUNTANT = (
    _actor(r) for r in ("requester", "approver", "keeper", "accountant")
)
ALICE = PersonRef(person_id="P-0001", organization_credit_code=ORG, name="阿依古丽·艾力")
BOB = PersonRef(person_id="P-0002", organization_credit_code=ORG, name="王建国")
CAROL = PersonRef(person_id="P-0003", organization_credit_code=ORG, name="古丽娜尔·买买提")


def _card(code: str, org: str = ORG, **changes: object) -> dict[str, object]:
    card: dict[str, object] = {
        "asset_code": code,
        "organization_credit_code": org,
        "category": "2010000",
        "name": "笔记本电脑",
        "original_value": "6999.99",
        "acquisition_date": "2024-03-01",
    }
    card.update(changes)
    return card


def _in_use(service: ReferenceService, code: str, org: str = ORG, **changes: object) -> AssetCard:
    made = service.request_acquisition(REQUESTER, org, _card(code, org, **changes))
    service.approve_acquisition(APPROVER, org, made.id)
    service.accept(KEEPER, org, made.id)
    service.register(ACCOUNTANT, org, made.id, date(2024, 3, 20))
    return service.issue(KEEPER, org, made.id, ALICE)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_monthly_runs_charge_exactly_the_schedule(service: ReferenceService) -> None:
    """Charges, month after month, what the pure schedule says, through a repair and a revaluation."""
    card = _in_use(service, "NB-1")
    for month in range(3, 13):
        service.run_depreciation(ACCOUNTANT, ORG, 2024, month)
    service.capitalise_repair(
        ACCOUNTANT, ORG, card.id, Money.of("800.01"), date(2025, 1, 3), extra_life_months=7
    )
    for month in range(1, 13):
        service.run_depreciation(ACCOUNTANT, ORG, 2025, month)
    service.revalue(ACCOUNTANT, ORG, card.id, Money.of("2500.00"), date(2026, 1, 1))
    for year in range(2026, 2032):
        for month in range(1, 13):
            service.run_depreciation(ACCOUNTANT, ORG, year, month)
    charged = service.charged(ACCOUNTANT, ORG, card.id)
    schedule = service.schedule(ACCOUNTANT, ORG, card.id)
    assert charged == schedule
    before_revaluation = sum(r.amount.fen for r in schedule if r.year < 2026)
    assert sum(r.amount.fen for r in schedule) == before_revaluation + 250000


def test_run_touches_only_its_organisation(service: ReferenceService) -> None:
    """Charges the assets of the organisation run, not those of another."""
    _in_use(service, "NB-1")
    other = _in_use(service, "NB-1", org=OTHER_ORG)
    run = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    assert run.asset_count == 1
    assert service.charged(ACCOUNTANT, OTHER_ORG, other.id) == []


def test_run_is_idempotent_and_audited(service: ReferenceService, engine: Engine) -> None:
    """Writes one set of entries, one event and one audit record however often a month is run."""
    _in_use(service, "NB-1")
    _in_use(service, "NB-2")
    first = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    audited = _count(engine, metadata.tables["core_audit_record"])
    again = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    assert first.model_dump(exclude={"created"}) == again.model_dump(exclude={"created"})
    assert _count(engine, t.ENTRY) == 2
    assert _count(engine, metadata.tables["core_audit_record"]) == audited
    assert (
        len(
            [
                e.data
                for e in service.published_events(
                    ACCOUNTANT, ORG, type="cn.govparts.assets.asset.depreciated.v1"
                )
            ]
        )
        == 1
    )
    assert audit.verify(engine).ok


def test_run_refuses_a_bad_month(service: ReferenceService, engine: Engine) -> None:
    """Refuses month 13, naming ``month``, and writes nothing."""
    with pytest.raises(InvalidInput) as raised:
        service.run_depreciation(ACCOUNTANT, ORG, 2024, 13)
    assert raised.value.field == "month"
    assert _count(engine, t.RUN) == 0


def test_refused_request_writes_nothing(service: ReferenceService, engine: Engine) -> None:
    """Writes no card, history or audit record for a refused request."""
    audited = _count(engine, metadata.tables["core_audit_record"])
    with pytest.raises(GovPartsError):
        service.request_acquisition(REQUESTER, ORG, _card("BAD", category="9"))
    with pytest.raises(InvalidInput) as raised:
        service.request_acquisition(REQUESTER, ORG, _card("BAD", useful_life_months=12))
    assert "72" in raised.value.message("en")
    assert "72" in raised.value.message("zh_Hans_CN")
    assert _count(engine, t.ASSET) == 0
    assert _count(engine, metadata.tables["core_audit_record"]) == audited


def test_refused_transfer_changes_nothing(service: ReferenceService, engine: Engine) -> None:
    """Leaves custodian, version and audit log as they were after a refused transfer."""
    card = _in_use(service, "NB-1")
    audited = _count(engine, metadata.tables["core_audit_record"])
    with pytest.raises(GovPartsError) as raised:
        service.transfer(KEEPER, ORG, card.id, BOB.person_id, CAROL)
    assert raised.value.field == "from_custodian"
    assert "P-0001" in raised.value.message("ug_CN")
    after = service.get(ACCOUNTANT, ORG, card.id)
    assert after.custodian == ALICE
    assert after.version == card.version
    assert _count(engine, metadata.tables["core_audit_record"]) == audited


def test_separation_event_through_the_dispatcher(service: ReferenceService, engine: Engine) -> None:
    """Raises return tasks when personnel's employee.separated arrives through the outbox, once."""
    card = _in_use(service, "NB-1")
    data = {
        "person": {"person_id": ALICE.person_id, "organization_credit_code": ORG, "name": ALICE.name},
        "unit": {"organization_credit_code": ORG, "unit_code": "01", "name": "办公室"},
        "reason": "04",
        "effective_date": "2024-09-30",
    }
    outbox = metadata.tables[events.OutboxEvent.__tablename__]
    subjects = metadata.tables[events.OutboxSubject.__tablename__]
    with engine.begin() as conn:
        conn.execute(sa.insert(subjects).values(subject="employee/P-0001", last_seq=1))
        conn.execute(
            sa.insert(outbox).values(
                id="evt-separated-1",
                type="cn.govparts.personnel.employee.separated.v1",
                source="urn:govparts:personnel",
                subject="employee/P-0001",
                subject_seq=1,
                time=datetime(2024, 9, 30, 2, 0, tzinfo=UTC),
                datacontenttype="application/json",
                data=data,
            )
        )
    dispatcher = events.Dispatcher(engine)
    service.register_handlers(dispatcher)
    dispatcher.run()
    dispatcher.run()
    tasks = service.return_tasks(ACCOUNTANT, ORG, person_id=ALICE.person_id)
    assert [(x.asset_id, x.status, x.reason) for x in tasks] == [(card.id, "open", "04")]
    assert [c.id for c in service.held_by_departed(ACCOUNTANT, ORG)] == [card.id]


def test_register_report_by_custodian(service: ReferenceService) -> None:
    """Totals the book value per custodian and refuses an unknown grouping, naming ``by``."""
    _in_use(service, "NB-1")
    _in_use(service, "NB-2", original_value="1000.00")
    lines = service.register_report(ACCOUNTANT, ORG, "custodian")
    assert [(x.key, x.count, x.original_value) for x in lines] == [("P-0001", 2, Money.of("7999.99"))]
    with pytest.raises(InvalidInput) as raised:
        service.register_report(ACCOUNTANT, ORG, "colour")  # type: ignore[arg-type]
    assert raised.value.field == "by"


def test_acceptance_record_is_attached(service: ReferenceService) -> None:
    """Keeps the acceptance record's reference among the card's attachments."""
    made = service.request_acquisition(REQUESTER, ORG, _card("NB-1", attachments=["发票 No.0012345"]))
    service.approve_acquisition(APPROVER, ORG, made.id)
    accepted = service.accept(KEEPER, ORG, made.id, acceptance_record="验收单 2024-017")
    assert accepted.attachments == ("发票 No.0012345", "验收单 2024-017")


@pytest.mark.postgresql
def test_concurrent_transfers_exactly_one_wins(engine: Engine) -> None:
    """Lets exactly one of two concurrent transfers of the same asset succeed (PostgreSQL)."""
    service = ReferenceService(engine)
    card = _in_use(service, "NB-1")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def move(to: PersonRef) -> None:
        with session_scope(engine) as session:
            row = service._load(session, card.id)
            barrier.wait()
            try:
                service.process.fire(
                    session,
                    row,
                    "transfer",
                    KEEPER,
                    {"from_custodian": ALICE.person_id, "to_custodian": to.person_id},
                )
            except ConcurrentModification:
                with lock:
                    outcomes.append("lost")
                raise
            row.custodian_id = to.person_id
            row.custodian = to.model_dump(mode="json")
            session.add(row)
        with lock:
            outcomes.append(to.person_id)

    def run(to: PersonRef) -> None:
        with contextlib.suppress(ConcurrentModification):
            move(to)

    threads = [threading.Thread(target=run, args=(p,)) for p in (BOB, CAROL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes.count("lost") == 1
    winners = [x for x in outcomes if x != "lost"]
    assert len(winners) == 1
    final = service.get(ACCOUNTANT, ORG, card.id)
    assert final.custodian is not None
    assert final.custodian.person_id == winners[0]
    assert final.version == card.version + 1


def test_concurrent_transfer_through_the_service_is_refused(service: ReferenceService) -> None:
    """Refuses a transfer fired on a stale read of the asset (the version check)."""
    card = _in_use(service, "NB-1")
    engine = service.engine
    with session_scope(engine) as session:
        stale = service._load(session, card.id)
    service.transfer(KEEPER, ORG, card.id, ALICE.person_id, BOB)
    with session_scope(engine) as session, pytest.raises(ConcurrentModification):
        service.process.fire(
            session, stale, "transfer", KEEPER, {"from_custodian": ALICE.person_id, "to_custodian": "P-0003"}
        )
    assert service.get(ACCOUNTANT, ORG, card.id).custodian == BOB


def test_stocktake_of_one_location(service: ReferenceService, engine: Engine) -> None:
    """Counts one location, finds its loss and surplus, ignores other rooms, and writes the loss off."""
    here = _in_use(service, "NB-1", location="301室")
    lost = _in_use(service, "NB-2", location="301室")
    elsewhere = _in_use(service, "NB-3", location="405室")
    take = service.plan_stocktake(KEEPER, ORG, "301室盘点", location="301室")
    counted = service.record_count(
        KEEPER, ORG, take.id, [here.asset_code, here.asset_code, "NEW-1"], location="301室"
    )
    assert (counted.state, counted.counted) == ("counting", 2)
    found = service.reconcile(KEEPER, ORG, take.id)
    assert [(f.kind, f.asset_code) for f in found] == [("loss", lost.asset_code), ("surplus", "NEW-1")]
    assert found[0].book_value == Money.of("6999.99")
    with pytest.raises(GovPartsError) as raised:
        service.record_count(KEEPER, ORG, take.id, ["NB-9"], location="301室")
    assert raised.value.field == "state"
    service.approve_findings(_actor("department_approver"), ORG, take.id, date(2024, 9, 2))
    assert service.get(ACCOUNTANT, ORG, lost.id).state == "disposed"
    assert service.get(ACCOUNTANT, ORG, elsewhere.id).state == "in_use"
    assert [c.id for c in service.disposal_register(ACCOUNTANT, ORG)] == [lost.id]
    assert service.schedule(ACCOUNTANT, ORG, lost.id)[-1].month == 8


def test_stocktake_write_off_follows_the_tier(service: ReferenceService, engine: Engine) -> None:
    """Refuses approval of a large loss by the department and changes nothing (all or nothing)."""
    _in_use(service, "NB-1")
    car = _in_use(service, "CAR-1", category="2030000", original_value="300000.00")
    take = service.plan_stocktake(KEEPER, ORG, "年度清查")
    service.record_count(KEEPER, ORG, take.id, ["NB-1"], location="")
    service.reconcile(KEEPER, ORG, take.id)
    with pytest.raises(GovPartsError) as raised:
        service.approve_findings(_actor("department_approver"), ORG, take.id, date(2024, 9, 2))
    assert raised.value.field == "approver_role"
    assert service.get(ACCOUNTANT, ORG, car.id).state == "in_use"
    assert {f.status for f in service.findings(ACCOUNTANT, ORG, take.id)} == {"open"}
    service.approve_findings(_actor("asset_authority"), ORG, take.id, date(2024, 9, 2))
    assert service.get(ACCOUNTANT, ORG, car.id).state == "disposed"


def _units_card(service: ReferenceService, code: str, value: str, total: int) -> AssetCard:
    return _in_use(
        service,
        code,
        category="2030000",
        name="公务用车",
        original_value=value,
        depreciation_method="units_of_work",
        total_units=total,
    )


def test_charges_units_of_work_by_usage(service: ReferenceService) -> None:
    """Charges a units-of-work asset by the month's usage, the last unit taking the rounding."""
    card = _units_card(service, "UW-1", "1000.00", 3)
    for month in (3, 4, 5):
        service.record_usage(KEEPER, ORG, card.id, 2024, month, 1)
    totals = [service.run_depreciation(ACCOUNTANT, ORG, 2024, m).total for m in (3, 4, 5)]
    assert totals == [Money.of("333.33"), Money.of("333.34"), Money.of("333.33")]
    expected = depreciation_schedule(
        Money.of("1000.00"),
        96,
        date(2024, 3, 20),
        method="units_of_work",
        total_units=3,
        units={(2024, 3): 1, (2024, 4): 1, (2024, 5): 1},
    )
    assert service.charged(ACCOUNTANT, ORG, card.id) == service.schedule(ACCOUNTANT, ORG, card.id) == expected
    service.record_usage(KEEPER, ORG, card.id, 2024, 6, 5)
    june = service.run_depreciation(ACCOUNTANT, ORG, 2024, 6)
    assert (june.total, june.without_usage) == (Money.zero(), [])
    july = service.run_depreciation(ACCOUNTANT, ORG, 2024, 7)
    assert july.without_usage == [], "a fully depreciated asset is reported as missing usage"


def test_reports_units_of_work_assets_without_usage(service: ReferenceService) -> None:
    """Charges nothing for a month with no usage and lists the asset in the run, also when repeated."""
    card = _units_card(service, "UW-2", "96000.00", 300000)
    straight = _in_use(service, "NB-2")
    service.record_usage(KEEPER, ORG, card.id, 2024, 3, 1000)
    march = service.run_depreciation(ACCOUNTANT, ORG, 2024, 3)
    assert march.total == Money.of("320.00") + service.schedule(ACCOUNTANT, ORG, straight.id)[0].amount
    assert march.without_usage == []
    april = service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    assert april.without_usage == [card.id]
    assert [r.month for r in service.charged(ACCOUNTANT, ORG, card.id)] == [3]
    assert service.run_depreciation(ACCOUNTANT, ORG, 2024, 4).without_usage == [card.id]
    service.record_usage(KEEPER, ORG, card.id, 2024, 5, 2500)
    assert service.run_depreciation(ACCOUNTANT, ORG, 2024, 5).without_usage == []
    assert [r.amount for r in service.charged(ACCOUNTANT, ORG, card.id)] == [
        Money.of("320.00"),
        Money.of("800.00"),
    ]
    event = [
        e.data
        for e in service.published_events(ACCOUNTANT, ORG, type="cn.govparts.assets.asset.depreciated.v1")
    ][1]
    assert "without_usage" not in event


def test_refuses_a_units_of_work_card_without_total_units(service: ReferenceService, engine: Engine) -> None:
    """Refuses a units-of-work card with no total units, naming ``total_units`` and writing nothing."""
    with pytest.raises(InvalidInput) as raised:
        service.request_acquisition(REQUESTER, ORG, _card("NB-1", depreciation_method="units_of_work"))
    assert raised.value.field == "total_units"
    assert _count(engine, t.ASSET) == 0


@pytest.mark.parametrize(
    ("year", "month", "units", "field"),
    [(2024, 4, -1, "units"), (2024, 4, True, "units"), (2024, 2, 5, "month"), (2024, 13, 5, "month")],
)
def test_refuses_bad_usage(
    service: ReferenceService, engine: Engine, *, year: int, month: int, units: int, field: str
) -> None:
    """Refuses negative units, a month before the asset was added or no month at all, writing nothing."""
    card = _units_card(service, "UW-3", "1000.00", 10)
    with pytest.raises(InvalidInput) as raised:
        service.record_usage(KEEPER, ORG, card.id, year, month, units)
    assert raised.value.field == field
    assert _count(engine, t.USAGE) == 0


def test_refuses_usage_that_would_not_be_charged(service: ReferenceService, engine: Engine) -> None:
    """Refuses usage twice a month, after the month's run, after disposal, or for a straight-line asset."""
    card = _units_card(service, "UW-4", "1000.00", 10)
    straight = _in_use(service, "NB-4")
    service.record_usage(KEEPER, ORG, card.id, 2024, 3, 2)
    service.run_depreciation(ACCOUNTANT, ORG, 2024, 4)
    service.request_disposal(KEEPER, ORG, card.id, "sale", date(2024, 6, 1))
    service.approve_disposal(_actor("department_approver"), ORG, card.id)
    cases = [
        (card.id, 3, "month"),
        (card.id, 4, "month"),
        (card.id, 6, "month"),
        (straight.id, 5, "depreciation_method"),
    ]
    for asset_id, month, field in cases:
        with pytest.raises(InvalidInput) as raised:
            service.record_usage(KEEPER, ORG, asset_id, 2024, month, 1)
        assert raised.value.field == field, (month, raised.value.field)
    assert _count(engine, t.USAGE) == 1


def test_refuses_value_changes_of_units_of_work_assets(service: ReferenceService) -> None:
    """Refuses a capitalised repair of a units-of-work asset (not implemented), leaving the card as it was."""
    card = _units_card(service, "UW-5", "1000.00", 10)
    with pytest.raises(InvalidInput) as raised:
        service.capitalise_repair(KEEPER, ORG, card.id, Money.of("100.00"), date(2024, 5, 1))
    assert raised.value.field == "depreciation_method"
    assert service.get(ACCOUNTANT, ORG, card.id).book_value == Money.of("1000.00")


def test_rejected_disposal_returns_the_asset_to_stock(service: ReferenceService) -> None:
    """Puts an asset whose disposal was refused back in stock, still depreciated, with no event."""
    card = _in_use(service, "NB-1")
    service.request_disposal(KEEPER, ORG, card.id, "sale", date(2024, 5, 1))
    back = service.reject_disposal(_actor("department_approver"), ORG, card.id)
    assert (back.state, back.custodian) == ("in_stock", None)
    assert [
        e.data for e in service.published_events(ACCOUNTANT, ORG, type="cn.govparts.assets.asset.disposed.v1")
    ] == []
    assert service.run_depreciation(ACCOUNTANT, ORG, 2024, 5).total == Money.of("97.22")
