"""Every consumer part reads every producer part's events, with the values the producer meant.

Parts never import each other; they meet only in the events' ``data``. Here the producers' payload
models (from the parts' ``events`` catalogues) meet the consumers' tolerant readers:

* generated payloads (hypothesis, from the producer models, with valid identifiers and listed codes),
  dumped with ``model_dump(mode="json")`` as the outbox stores them;
* the real output of the reference implementations: their demos (and a few more service calls) run
  on one database, and every outbox event is read back.

A reader accepting the data is not enough: the values it reads must be the ones the producer sent
(the amount finance books is the asset's original value, the month is the month depreciated…).
Each agreement between the finance readers and what assets sends is tested on its own, and finance's
handler books the real asset events, an intangible asset's disposal included (assets names the
accounts a disposal leaves: 1601 / 1602, or 1701 / 1702).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import govparts.archives.tables
import govparts.assets.tables
import govparts.attendance.tables
import govparts.finance.tables
import govparts.personnel.tables
from govparts.assets import events as assets_events
from govparts.assets import models as assets_models
from govparts.attendance import events as attendance_events
from govparts.core import codes, events
from govparts.core.ids import citizen_id, credit_code
from govparts.core.money import Money
from govparts.core.parts import get_part
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor
from govparts.finance import events as finance_events
from govparts.finance import models as finance_models
from govparts.finance import rules as finance_rules
from govparts.personnel import events as personnel_events

# The part tables must be in the shared metadata before the ``engine`` fixture creates them.
_TABLES = (govparts.archives.tables, govparts.assets.tables, govparts.attendance.tables)
_TABLES += (govparts.finance.tables, govparts.personnel.tables)

HIRED = "cn.govparts.personnel.employee.hired.v1"
TRANSFERRED = "cn.govparts.personnel.employee.transferred.v1"
POST_CHANGED = "cn.govparts.personnel.employee.post_changed.v1"
SEPARATED = "cn.govparts.personnel.employee.separated.v1"
ORGUNIT_CHANGED = "cn.govparts.personnel.orgunit.changed.v1"
REGISTERED = "cn.govparts.assets.asset.registered.v1"
DEPRECIATED = "cn.govparts.assets.asset.depreciated.v1"
DISPOSED = "cn.govparts.assets.asset.disposed.v1"

# -- the table: event type, producer payload model, consumer readers --------------------------------

READERS: dict[str, tuple[type[BaseModel], ...]] = {
    attendance_events.EMPLOYEE_HIRED: (attendance_events.HiredAsRead,),
    attendance_events.EMPLOYEE_TRANSFERRED: (attendance_events.TransferredAsRead,),
    attendance_events.EMPLOYEE_SEPARATED: (
        attendance_events.SeparatedAsRead,
        assets_models.EmployeeSeparatedAsAssetsReadsIt,
    ),
    **{name: (reader,) for name, reader in finance_events.CONSUMED.items()},
}
"""Every event type some part consumes, with the reader models of its consumers."""

CONSUMED_BY_PART = {
    "attendance": {
        attendance_events.EMPLOYEE_HIRED,
        attendance_events.EMPLOYEE_TRANSFERRED,
        attendance_events.EMPLOYEE_SEPARATED,
    },
    "assets": {assets_events.EMPLOYEE_SEPARATED},
    "finance": set(finance_events.CONSUMED),
}


def _reader(org: str) -> Actor:
    """A clerk of ``org``: the parts answer only their own organisation's people."""
    return Actor(id="t-reader", name="核对员", roles=frozenset({"clerk"}), org=org)


def _producers() -> dict[str, type[BaseModel]]:
    """Event type -> payload model, from the catalogue of the installed parts."""
    return {row["type"]: events.get(row["type"]).payload for row in events.catalogue()}


PRODUCERS = _producers()
TABLE = [(name, PRODUCERS.get(name), readers) for name, readers in sorted(READERS.items())]
PAIRS = [(name, reader) for name, readers in sorted(READERS.items()) for reader in readers]
PAIR_IDS = [f"{name.split('.', 3)[3]}-{reader.__name__}" for name, reader in PAIRS]


def test_every_consumed_event_type_has_a_producer() -> None:
    """Every event type a part consumes is published by the part its name says produces it."""
    assert {name for names in CONSUMED_BY_PART.values() for name in names} == set(READERS)
    for name, producer, readers in TABLE:
        assert producer is not None, f"{name} is consumed by {readers} but no part publishes it"
        part = get_part(events.get(name).producer)
        assert part.events is not None
        published = {kind.type: kind.payload for kind in part.load("events")}
        assert published[name] is producer


def test_the_table_names_the_producer_models() -> None:
    """The catalogue's payload models are the personnel and assets models the readers were written for."""
    assert PRODUCERS[HIRED] is personnel_events.EmployeeHired
    assert PRODUCERS[TRANSFERRED] is personnel_events.EmployeeTransferred
    assert PRODUCERS[SEPARATED] is personnel_events.EmployeeSeparated
    assert PRODUCERS[REGISTERED] is assets_models.AssetRegistered
    assert PRODUCERS[DEPRECIATED] is assets_models.AssetDepreciated
    assert PRODUCERS[DISPOSED] is assets_models.AssetDisposed


# -- what each reader must read -------------------------------------------------------------------


def _same_named(reader: BaseModel, data: Mapping[str, Any]) -> dict[str, Any]:
    """The reader's own fields, as JSON, each expected to equal the producer's field of the same name."""
    read = reader.model_dump(mode="json")
    return {name: value for name, value in read.items() if name in data}


def _subset(read: Any, sent: Any) -> bool:
    """``read`` equals ``sent`` on every key ``read`` has (readers drop what they do not need)."""
    if isinstance(read, dict) and isinstance(sent, dict):
        return all(key in sent and _subset(value, sent[key]) for key, value in read.items())
    return bool(read == sent)


def _finance_registered(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "org": data["organization_credit_code"],
        "asset_id": data["asset_id"],
        "amount": Money.of(data["original_value"]),
        "category": data["category"],
        "account": asset_account(data["category"]),
        "paying_account": finance_rules.paying_account(data["paying_account"]),
        "funding_source": data["funding_source"],
        "date": date.fromisoformat(data["acquisition_date"]),
    }


def _finance_depreciated(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "org": data["organization_credit_code"],
        "year": data["year"],
        "month": data["month"],
        "totals": [(t["debit_account"], t["credit_account"], Money.of(t["amount"])) for t in data["totals"]],
    }


def _finance_disposed(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "org": data["organization_credit_code"],
        "asset_id": data["asset_id"],
        "amount": Money.of(data["original_value"]),
        "accumulated_depreciation": Money.of(data["accumulated_depreciation"]),
        "date": date.fromisoformat(data["on"]),
    }


def _finance_read(reader: BaseModel) -> dict[str, Any]:
    read = {name: getattr(reader, name) for name in type(reader).model_fields}
    if "category" in read:
        read["account"] = reader.account  # type: ignore[attr-defined]  # derived from the category
    if "totals" in read:
        read["totals"] = [(t.debit_account, t.credit_account, t.amount) for t in read["totals"]]
    return read


FINANCE_EXPECTED: dict[type[BaseModel], Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    finance_models.AssetRegisteredAsFinanceReadsIt: _finance_registered,
    finance_models.AssetDepreciatedAsFinanceReadsIt: _finance_depreciated,
    finance_models.AssetDisposedAsFinanceReadsIt: _finance_disposed,
}


def check_reading(reader_model: type[BaseModel], data: Mapping[str, Any]) -> None:
    """``reader_model`` accepts ``data`` and reads the values the producer put in it."""
    reader = reader_model.model_validate(data)
    expected = FINANCE_EXPECTED.get(reader_model)
    if expected is None:
        read = _same_named(reader, data)
        assert read, f"{reader_model.__name__} reads none of the producer's fields"
        assert _subset(read, dict(data)), (reader_model.__name__, read, data)
    else:
        wanted = expected(data)
        got = _finance_read(reader)
        assert {name: got[name] for name in wanted} == wanted


# -- hypothesis strategies for the producer payloads -------------------------------------------------

DIVISIONS = ("110101", "350102", "650102", "653101", "654002")
"""GB/T 2260 county-level codes used as address codes and credit-code divisions (all listed)."""


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """Valid unified social credit codes: authority and type as GB 32100-2015 allows, MOD 31-3 check."""
    authority = draw(st.sampled_from(sorted(credit_code.ORGANIZATION_TYPES)))
    kind = draw(st.sampled_from(credit_code.ORGANIZATION_TYPES[authority]))
    division = draw(st.sampled_from(DIVISIONS))
    body = authority + kind + division + draw(st.text(credit_code.ALPHABET, min_size=9, max_size=9))
    return body + credit_code.calc_check_character(body)


@st.composite
def citizen_ids(draw: st.DrawFn) -> str:
    """Valid citizen identity numbers (GB 11643-1999): listed address, real birth date, check character."""
    born = draw(st.dates(date(1950, 1, 1), date(2008, 12, 31)))
    body = draw(st.sampled_from(DIVISIONS)) + born.strftime("%Y%m%d") + f"{draw(st.integers(0, 999)):03d}"
    return body + citizen_id.calc_check_character(body)


def coded(list_id: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(codes.get(list_id).codes))


local_codes = st.from_regex(r"[0-9A-Za-z][0-9A-Za-z._-]{0,15}", fullmatch=True)
names = st.text(st.characters(categories=("Lo", "Lu", "Ll")), min_size=1, max_size=20)
dates = st.dates(date(2000, 1, 1), date(2035, 12, 31))
money = st.integers(1, 10**11).map(Money.from_fen)
texts = st.text(st.characters(categories=("L", "N")), min_size=0, max_size=30)


@st.composite
def persons(draw: st.DrawFn, org: str) -> PersonRef:
    return PersonRef(
        person_id=draw(local_codes),
        organization_credit_code=org,
        name=draw(names),
        citizen_id=draw(st.none() | citizen_ids()),
    )


@st.composite
def units(draw: st.DrawFn, org: str) -> OrgUnitRef:
    return OrgUnitRef(organization_credit_code=org, unit_code=draw(local_codes), name=draw(names))


@st.composite
def hired(draw: st.DrawFn) -> BaseModel:
    org = draw(credit_codes())
    return draw(
        st.builds(
            personnel_events.EmployeeHired,
            person=persons(org),
            unit=units(org),
            effective_date=dates,
            first_employment_date=dates,
            category=coded("GOVPARTS 人事-人员类别-1.0"),
            establishment=coded("GOVPARTS 人事-编制类别-1.0"),
            hire_type=st.sampled_from(["recruitment", "transfer_in", "selection"]),
        )
    )


@st.composite
def transferred(draw: st.DrawFn) -> BaseModel:
    org = draw(credit_codes())
    return draw(
        st.builds(
            personnel_events.EmployeeTransferred,
            person=persons(org),
            from_unit=units(org),
            to_unit=units(org),
            effective_date=dates,
            document=st.none() | texts,
        )
    )


@st.composite
def separated(draw: st.DrawFn) -> BaseModel:
    org = draw(credit_codes())
    return draw(
        st.builds(
            personnel_events.EmployeeSeparated,
            person=persons(org),
            unit=units(org),
            reason=coded("GOVPARTS 人事-离职原因-1.0"),
            effective_date=dates,
        )
    )


CATEGORY = "GB/T 14885-2010"
INTANGIBLE = "ZZ01"
"""The GB/T 14885-2010 code the assets part gives intangible assets (无形资产, amortised to 1702)."""

asset_ids = st.integers(1, 10**9).map(str)
asset_codes = st.from_regex(r"[0-9A-Za-z][0-9A-Za-z\-_.]{0,19}", fullmatch=True)


def registered() -> st.SearchStrategy[BaseModel]:
    return st.builds(
        assets_models.AssetRegistered,
        asset_id=asset_ids,
        asset_code=asset_codes,
        organization_credit_code=credit_codes(),
        category=coded(CATEGORY),
        name=names,
        original_value=money,
        acquisition_date=dates,
        acquisition_method=coded("GOVPARTS 资产-取得方式-1.0"),
        funding_source=coded("GOVPARTS 资产-资金来源-1.0"),
        paying_account=st.sampled_from(["1011", "1002", "100201"]),
        in_service=dates,
    )


account_totals = st.builds(
    assets_models.AccountTotal,
    debit_account=st.sampled_from(["5001", "5101"]),  # 业务活动费用, 单位管理费用
    credit_account=st.sampled_from(["1602", "1702"]),  # 固定资产累计折旧, 无形资产累计摊销
    amount=money,
)


@st.composite
def depreciated(draw: st.DrawFn) -> BaseModel:
    totals = draw(st.lists(account_totals, min_size=1, max_size=4))
    return assets_models.AssetDepreciated(
        organization_credit_code=draw(credit_codes()),
        year=draw(st.integers(2000, 2099)),
        month=draw(st.integers(1, 12)),
        asset_count=draw(st.integers(1, 10_000)),
        total=Money.total(t.amount for t in totals),
        totals=totals,
    )


@st.composite
def disposed(draw: st.DrawFn) -> BaseModel:
    value = draw(money)
    category = draw(coded(CATEGORY))
    intangible = category.startswith(INTANGIBLE)
    return assets_models.AssetDisposed(
        asset_id=draw(asset_ids),
        asset_code=draw(asset_codes),
        organization_credit_code=draw(credit_codes()),
        method=draw(coded("GOVPARTS 资产-处置方式-1.0")),
        on=draw(dates),
        original_value=value,
        accumulated_depreciation=Money.from_fen(draw(st.integers(0, value.fen))),
        partial=draw(st.booleans()),
        approver_role=draw(st.sampled_from(["department_approver", "asset_authority"])),
        category=category,
        asset_account="1701" if intangible else "1601",
        accumulated_account="1702" if intangible else "1602",
    )


PAYLOADS: dict[str, Callable[[], st.SearchStrategy[BaseModel]]] = {
    HIRED: hired,
    TRANSFERRED: transferred,
    SEPARATED: separated,
    REGISTERED: registered,
    DEPRECIATED: depreciated,
    DISPOSED: disposed,
}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def as_outbox_stores_it(payload: BaseModel) -> dict[str, Any]:
    """``payload`` as the outbox stores it: validated by its event type and dumped to JSON values."""
    data = payload.model_dump(mode="json")
    for name, model in PRODUCERS.items():
        if model is type(payload):
            return events.get(name).envelope(data, subject="interop").data
    raise AssertionError(f"no event type carries {type(payload).__name__}")


def test_generated_payloads_cover_every_consumed_type() -> None:
    """Each consumed event type has a payload strategy built from its producer's model."""
    assert set(PAYLOADS) == set(READERS)


PERSONNEL_PAIRS = [(name, reader) for name, reader in PAIRS if ".personnel." in name]
ASSET_PAIRS = [(name, reader) for name, reader in PAIRS if ".assets." in name]


@pytest.mark.parametrize(
    ("event_type", "reader"),
    PERSONNEL_PAIRS,
    ids=[f"{n.split('.')[4]}-{r.__name__}" for n, r in PERSONNEL_PAIRS],
)
@SETTINGS
@given(data=st.data())
def test_readers_read_generated_personnel_events(
    event_type: str, reader: type[BaseModel], data: st.DataObject
) -> None:
    """Attendance and assets read every generated personnel payload with the values personnel sent."""
    payload = data.draw(PAYLOADS[event_type]())
    check_reading(reader, as_outbox_stores_it(payload))


@pytest.mark.parametrize(
    ("event_type", "reader"), ASSET_PAIRS, ids=[f"{n.split('.')[4]}-{r.__name__}" for n, r in ASSET_PAIRS]
)
@SETTINGS
@given(data=st.data())
def test_finance_reads_generated_asset_events(
    event_type: str, reader: type[BaseModel], data: st.DataObject
) -> None:
    """Finance reads every generated asset payload: organisation, asset, amounts, accounts and dates."""
    payload = data.draw(PAYLOADS[event_type]())
    check_reading(reader, as_outbox_stores_it(payload))


# -- the finance/assets agreements, one at a time ---------------------------------------------------
#
# Each test below checks one thing finance must read as assets sends it (they were mismatches once).


@SETTINGS
@given(payload=registered())
def test_finance_reads_the_organisation_assets_sends(payload: BaseModel) -> None:
    """Finance reads the organisation of an asset event from the credit code assets sends."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetRegisteredAsFinanceReadsIt.model_validate(data)
    assert read.org == data["organization_credit_code"]


@SETTINGS
@given(payload=depreciated())
def test_finance_reads_the_month_depreciated(payload: BaseModel) -> None:
    """Finance books depreciation in the year and month assets charged it."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetDepreciatedAsFinanceReadsIt.model_validate(data)
    assert (read.year, read.month) == (data["year"], data["month"])
    assert read.period == f"{data['year']:04d}-{data['month']:02d}"


@SETTINGS
@given(payload=disposed())
def test_finance_reads_the_disposal_date(payload: BaseModel) -> None:
    """Finance books a disposal on the day assets disposed of the asset."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetDisposedAsFinanceReadsIt.model_validate(data)
    assert read.date.isoformat() == data["on"]


@SETTINGS
@given(payload=registered())
def test_finance_books_the_original_value_of_a_registered_asset(payload: BaseModel) -> None:
    """The amount finance books for a registered asset is the asset's original value, to the fen."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetRegisteredAsFinanceReadsIt.model_validate(data)
    assert read.amount == Money.of(data["original_value"])
    assert read.asset_id == data["asset_id"]
    assert read.funding_source == data["funding_source"]
    assert read.paying_account == data["paying_account"]  # the generated ones are codes
    assert read.date.isoformat() == data["acquisition_date"]


@SETTINGS
@given(payload=disposed())
def test_finance_reads_the_values_of_a_disposal(payload: BaseModel) -> None:
    """A disposal is read with the original value and the accumulated depreciation that left the books."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetDisposedAsFinanceReadsIt.model_validate(data)
    assert read.amount == Money.of(data["original_value"])
    assert read.accumulated_depreciation == Money.of(data["accumulated_depreciation"])
    assert read.asset_id == data["asset_id"]


@SETTINGS
@given(payload=depreciated())
def test_finance_reads_the_depreciation_total(payload: BaseModel) -> None:
    """The depreciation finance books adds up to the total assets charged."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetDepreciatedAsFinanceReadsIt.model_validate(data)
    assert Money.total(t.amount for t in read.totals) == Money.of(data["total"])
    assert [t.amount for t in read.totals] == [Money.of(t["amount"]) for t in data["totals"]]


@SETTINGS
@given(payload=depreciated())
def test_finance_debits_the_expense_account_assets_sends(payload: BaseModel) -> None:
    """Finance debits each depreciation total to the expense account assets charged it to."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetDepreciatedAsFinanceReadsIt.model_validate(data)
    assert [t.debit_account for t in read.totals] == [t["debit_account"] for t in data["totals"]]


@SETTINGS
@given(payload=depreciated())
def test_finance_keeps_the_accumulated_account_assets_sends(payload: BaseModel) -> None:
    """Finance credits each depreciation total to the accumulated account (1602 or 1702) assets names."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetDepreciatedAsFinanceReadsIt.model_validate(data)
    assert [t.credit_account for t in read.totals] == [t["credit_account"] for t in data["totals"]]


def asset_account(category: str) -> str:
    """The GAS-COA-2017 asset account of a GB/T 14885-2010 category: 1701 无形资产 for ZZ01, else 1601."""
    return "1701" if category.startswith(INTANGIBLE) else "1601"


@SETTINGS
@given(payload=registered())
def test_finance_books_the_asset_account_of_the_category(payload: BaseModel) -> None:
    """Finance debits a registered asset to the account of its category (1601 fixed, 1701 intangible)."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetRegisteredAsFinanceReadsIt.model_validate(data)
    assert read.account == asset_account(data["category"])


def test_a_disposal_tells_finance_which_asset_account_to_credit() -> None:
    """The disposal payload carries what finance needs to credit the right asset account."""
    fields = set(assets_models.AssetDisposed.model_fields)
    assert fields & {"category", "account", "asset_account"}


@SETTINGS
@given(payload=disposed())
def test_finance_credits_the_asset_account_a_disposal_names(payload: BaseModel) -> None:
    """Finance credits a disposal to the asset account assets names and debits its accumulated account."""
    data = as_outbox_stores_it(payload)
    read = finance_models.AssetDisposedAsFinanceReadsIt.model_validate(data)
    assert (read.account, read.accumulated_account) == (data["asset_account"], data["accumulated_account"])
    assert read.account == asset_account(data["category"])


# -- the reference implementations' real output ----------------------------------------------------


def _run_reference_parts(engine: sa.Engine) -> list[Any]:
    """Run the demo's office through every part, plus an intangible asset bought and scrapped.

    The scenario hires, transfers, promotes and separates people, keeps their month, buys, issues,
    returns and depreciates assets, posts vouchers and files documents; the software adds the
    intangible accounts and a disposal. The outbox rows, in order.
    """
    from govparts.assets.service import ReferenceService as Assets
    from govparts.core.demo import DemoContext, make_office, run_scenario
    from govparts.core.parts import iter_parts
    from govparts.core.security import Actor

    ctx = DemoContext(engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(3), locale="en")
    run_scenario(ctx, list(iter_parts()))
    failed = [(c.part, c.phase, c.name, c.detail) for c in ctx.checks if not c.passed]
    assert failed == []
    org = ctx.office.credit_code
    assets = Assets(engine)
    role = {
        name: Actor(id=f"interop-{name}", name=name, unit="650102-bgs", roles=frozenset({name}))
        for name in ("requester", "approver", "keeper", "accountant", "department_approver")
    }
    software = assets.request_acquisition(
        role["requester"],
        org,
        {
            "asset_code": "INTEROP-SW-001",
            "organization_credit_code": org,
            "category": INTANGIBLE,
            "name": "档案管理软件",
            "original_value": "3600.00",
            "acquisition_date": "2023-05-02",
            "funding_source": "fiscal",
            "paying_account": "1011",
            "useful_life_months": 36,
        },
    )
    assets.approve_acquisition(role["approver"], org, software.id)
    assets.accept(role["keeper"], org, software.id, acceptance_record="验收单 INTEROP-SW-001")
    assets.register(role["accountant"], org, software.id, date(2023, 5, 3))
    assets.run_depreciation(role["accountant"], org, 2023, 5)
    assets.request_disposal(role["keeper"], org, software.id, "scrapping", date(2023, 6, 20))
    assets.approve_disposal(role["department_approver"], org, software.id)
    outbox = events.OutboxEvent.__table__
    with engine.connect() as connection:
        return list(connection.execute(sa.select(outbox).order_by(outbox.c.position)))


@pytest.fixture
def outbox(engine: sa.Engine) -> list[Any]:
    """The outbox after every reference implementation ran on this test's database."""
    return _run_reference_parts(engine)


def test_reference_output_matches_the_producers_schemas(outbox: list[Any]) -> None:
    """Every event the reference implementations wrote satisfies its registered payload model."""
    kinds = {row.type for row in outbox}
    assert {HIRED, TRANSFERRED, SEPARATED, POST_CHANGED, ORGUNIT_CHANGED} <= kinds
    assert {REGISTERED, DEPRECIATED, DISPOSED} <= kinds
    for row in outbox:
        payload = events.get(row.type).validate(row.data)
        assert payload.model_dump(mode="json") == row.data


def test_reference_personnel_events_are_read_by_every_consumer(outbox: list[Any]) -> None:
    """Attendance and assets read every real personnel event they consume, with the values sent."""
    read = 0
    for row in outbox:
        if ".personnel." in row.type:
            for reader in READERS.get(row.type, ()):
                check_reading(reader, row.data)
                read += 1
    assert read >= 4  # three hires at least, a transfer and a separation (read twice)


def test_reference_asset_events_are_read_by_finance(outbox: list[Any]) -> None:
    """Finance reads every real asset event with the values assets sent."""
    read = 0
    for row in outbox:
        if ".assets." in row.type:
            for reader in READERS[row.type]:
                check_reading(reader, row.data)
                read += 1
    assert read >= 5  # the demo's registrations, runs and disposals and the software's


def test_reference_paying_accounts_are_finance_accounts(outbox: list[Any]) -> None:
    """The paying account of every real asset registration becomes an account finance can credit."""
    sent = set()
    for row in outbox:
        if row.type == REGISTERED:
            read = finance_models.AssetRegisteredAsFinanceReadsIt.model_validate(row.data)
            line = finance_models.VoucherLine(account=read.paying_account, side="credit", amount=read.amount)
            assert line.account == finance_rules.PAYING_ACCOUNTS.get(
                row.data["paying_account"], row.data["paying_account"]
            )
            sent.add((row.data["paying_account"], line.account))
    assert ("零余额账户", "1011") in sent  # the demo's everyday name of the 1011 quota
    assert ("1011", "1011") in sent


def test_reference_intangible_asset_is_booked_to_its_accounts(outbox: list[Any]) -> None:
    """Finance reads the real intangible asset's registration with 1701 and its amortisation with 1702."""
    category = {r.data["asset_id"]: r.data["category"] for r in outbox if r.type == REGISTERED}
    assert INTANGIBLE in category.values()
    credits = {t["credit_account"] for r in outbox if r.type == DEPRECIATED for t in r.data["totals"]}
    assert credits == {"1602", "1702"}  # assets really sends the amortisation of the software to 1702
    read_credits = set()
    for row in outbox:
        if row.type == REGISTERED:
            read = finance_models.AssetRegisteredAsFinanceReadsIt.model_validate(row.data)
            assert read.account == asset_account(row.data["category"])
        if row.type == DEPRECIATED:
            dep = finance_models.AssetDepreciatedAsFinanceReadsIt.model_validate(row.data)
            read_credits |= {t.credit_account for t in dep.totals}
    assert read_credits == credits


def test_reference_intangible_disposal_is_credited_to_1701(outbox: list[Any]) -> None:
    """Finance reads the real disposal of the intangible asset with the account 1701 无形资产."""
    category = {r.data["asset_id"]: r.data["category"] for r in outbox if r.type == REGISTERED}
    for row in outbox:
        if row.type == DISPOSED:
            disposal = finance_models.AssetDisposedAsFinanceReadsIt.model_validate(row.data)
            assert disposal.account == asset_account(category[row.data["asset_id"]])


def test_reference_asset_amounts_reach_finance(outbox: list[Any]) -> None:
    """Finance reads the real original values, depreciation totals and disposals to the fen."""
    seen = set()
    for row in outbox:
        if row.type == REGISTERED:
            read = finance_models.AssetRegisteredAsFinanceReadsIt.model_validate(row.data)
            assert read.amount == Money.of(row.data["original_value"])
        elif row.type == DEPRECIATED:
            dep = finance_models.AssetDepreciatedAsFinanceReadsIt.model_validate(row.data)
            assert Money.total(t.amount for t in dep.totals) == Money.of(row.data["total"])
        elif row.type == DISPOSED:
            disp = finance_models.AssetDisposedAsFinanceReadsIt.model_validate(row.data)
            assert disp.amount == Money.of(row.data["original_value"])
            assert disp.accumulated_depreciation == Money.of(row.data["accumulated_depreciation"])
        else:
            continue
        seen.add(row.type)
    assert seen == {REGISTERED, DEPRECIATED, DISPOSED}


def _cloud_event(row: Any) -> events.CloudEvent:
    """The outbox row as the dispatcher hands it to a handler."""
    return events.CloudEvent.model_validate(
        {
            "specversion": "1.0",
            "id": row.id,
            "source": row.source,
            "type": row.type,
            "time": row.time,
            "subject": row.subject,
            "datacontenttype": row.datacontenttype,
            "dataschema": row.dataschema,
            "data": row.data,
            **(row.extensions or {}),
        }
    )


def test_reference_asset_events_are_booked_by_finance(outbox: list[Any], tmp_path: Any) -> None:
    """Finance's handler books every real asset event once, balanced in both systems, with assets' amounts.

    On a database of its own: in the scenario's database the demo's finance already booked them.
    """
    from govparts.core.db import create_engine, metadata
    from govparts.core.security import Actor
    from govparts.finance.service import ReferenceService as Finance

    books = create_engine(f"sqlite:///{tmp_path / 'books.db'}")
    metadata.create_all(books)
    finance = Finance(books, unbudgeted="allow")
    chief = Actor(id="interop-chief", name="chief", roles=frozenset({"chief_accountant"}))
    dispatcher = Actor(id="system:dispatcher", name="dispatcher", roles=frozenset())
    asset_rows = [row for row in outbox if ".assets." in row.type]
    for org, year in {(row.data["organization_credit_code"], int(_day(row)[:4])) for row in asset_rows}:
        finance.open_year(chief, org, year)
    booked: dict[str, Any] = {}
    for row in asset_rows:
        voucher = finance.receive_event(dispatcher, _cloud_event(row))
        assert voucher is not None, row.type
        assert voucher.state == "posted"
        assert voucher.org == row.data["organization_credit_code"]
        assert voucher.date.isoformat() == _day(row)
        for system in ("financial", "budget"):
            lines = [x for x in voucher.lines if finance_rules.account_of(x.account).system == system]
            debit = Money.total(x.amount for x in lines if x.side == "debit")
            assert debit == Money.total(x.amount for x in lines if x.side == "credit"), (row.type, system)
        booked[row.id] = voucher
        assert finance.receive_event(dispatcher, _cloud_event(row)) is None  # redelivered: booked once
    for row in asset_rows:
        lines = {(x.account, x.side): x.amount for x in booked[row.id].lines}
        data = row.data
        if row.type == REGISTERED:
            value = Money.of(data["original_value"])
            paying = finance_rules.paying_account(data["paying_account"])
            assert lines[(asset_account(data["category"]), "debit")] == value
            assert lines[(paying, "credit")] == value
            assert lines[("7201", "debit")] == value  # 平行记账: the purchase is budget expenditure
            assert lines[(finance_rules.budget_credit_of(paying), "credit")] == value
        elif row.type == DEPRECIATED:
            got = sorted((x.account, x.side, x.amount.fen) for x in booked[row.id].lines)
            wanted: dict[tuple[str, str], int] = {}
            for t in data["totals"]:
                for key in ((t["debit_account"], "debit"), (t["credit_account"], "credit")):
                    wanted[key] = wanted.get(key, 0) + Money.of(t["amount"]).fen
            assert _same_totals(got, wanted), (got, wanted)
            assert not any(
                finance_rules.account_of(x.account).system == "budget" for x in booked[row.id].lines
            )
        else:
            value = Money.of(data["original_value"])
            assert lines[(asset_account(data["category"]), "credit")] == value  # 1701 for the software
            net = value - Money.of(data["accumulated_depreciation"])
            assert lines.get(("5301", "debit"), Money.zero()) == net


def _same_totals(got: list[tuple[str, str, int]], wanted: dict[tuple[str, str], int]) -> bool:
    """``got``'s lines add up, account by account and side by side, to ``wanted``."""
    sums: dict[tuple[str, str], int] = {}
    for account, side, fen in got:
        sums[(account, side)] = sums.get((account, side), 0) + fen
    return sums == {key: fen for key, fen in wanted.items() if fen}


def _day(row: Any) -> str:
    """The day finance books an asset event on: acquisition day, month end of the run, disposal day."""
    import calendar

    data = row.data
    if row.type == REGISTERED:
        return str(data["acquisition_date"])
    if row.type == DISPOSED:
        return str(data["on"])
    last = calendar.monthrange(data["year"], data["month"])[1]
    return f"{data['year']:04d}-{data['month']:02d}-{last:02d}"


def test_reference_personnel_events_reach_the_consumers_handlers(
    outbox: list[Any], engine: sa.Engine
) -> None:
    """The scenario's dispatcher delivered every real personnel event to attendance's and assets' handlers.

    Counted from the deliveries it recorded, consumer by consumer; and their effects show: the moved
    people are enrolled in their new units, the leaver's enrolment ends the day before they left.
    """
    from datetime import timedelta

    from govparts.attendance.service import ReferenceService as Attendance

    delivery = events.EventDelivery.__table__
    with engine.connect() as connection:
        delivered = dict(
            connection.execute(
                sa.select(delivery.c.handler_id, sa.func.count())
                .where(delivery.c.status == "delivered")
                .group_by(delivery.c.handler_id)
            ).all()
        )
    for part in ("attendance", "assets"):
        expected = sum(
            1 for row in outbox if row.type in CONSUMED_BY_PART[part] and ".personnel." in row.type
        )
        got = sum(n for handler, n in delivered.items() if handler.startswith(f"{part}."))
        assert got == expected, (part, delivered)
    attendance = Attendance(engine)
    transfers = [row.data for row in outbox if row.type == TRANSFERRED]
    assert len(transfers) >= 2
    for transfer in transfers:
        org = transfer["person"]["organization_credit_code"]
        enrolment = attendance.enrolment(_reader(org), org, transfer["person"]["person_id"])
        assert enrolment.unit.unit_code == transfer["to_unit"]["unit_code"]
    separation = next(row.data for row in outbox if row.type == SEPARATED)
    org = separation["person"]["organization_credit_code"]
    enrolment = attendance.enrolment(_reader(org), org, separation["person"]["person_id"])
    assert enrolment.end_date == date.fromisoformat(separation["effective_date"]) - timedelta(days=1)
