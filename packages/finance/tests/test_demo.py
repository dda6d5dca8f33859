"""The finance part's phases of the shared demo scenario, and the older one-part demo."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.demo import ASSET_REGISTER, PHASES, DemoContext, make_office, run_scenario
from govparts.core.money import Money
from govparts.finance import ReferenceService
from govparts.finance import demo as finance_demo
from govparts.finance.events import ASSET_DEPRECIATED, ASSET_REGISTERED
from govparts.finance.part import PART
from govparts.finance.tables import BALANCE

pytestmark = pytest.mark.db


def _context(engine: sa.Engine, locale: str = "en", seed: int = 7) -> DemoContext:
    return DemoContext(
        engine=engine,
        dispatcher=events.Dispatcher(engine),
        office=make_office(seed),
        locale=locale,
        seed=seed,
    )


def _failed(ctx: DemoContext) -> list[object]:
    return [c for c in ctx.checks if not c.passed]


def _event(event_type: str, data: dict[str, Any], n: int) -> events.CloudEvent:
    return events.CloudEvent(
        id=f"evt-assets-{n}",
        source="urn:govparts:assets",
        type=event_type,
        time=datetime.now(UTC),
        subject=f"asset/{n}",
        datacontenttype="application/json",
        data=data,
    )


def _registered(org: str, n: int, value: str, acquired: str) -> dict[str, Any]:
    """What assets sends when it registers a computer (its asset.registered payload)."""
    return {
        "asset_id": str(n),
        "asset_code": f"TS-ZC-{n:04d}",
        "organization_credit_code": org,
        "category": "2010000",
        "name": "台式计算机",
        "original_value": value,
        "acquisition_date": acquired,
        "acquisition_method": "purchase",
        "funding_source": "fiscal",
        "paying_account": "零余额账户",
        "in_service": acquired,
    }


def _depreciated(org: str, amount: str) -> dict[str, Any]:
    return {
        "organization_credit_code": org,
        "year": 2023,
        "month": 4,
        "asset_count": 2,
        "total": amount,
        "totals": [{"debit_account": "5001", "credit_account": "1602", "amount": amount}],
    }


def _run(ctx: DemoContext, before: dict[str, Any] | None = None) -> DemoContext:
    """The finance phases in order (as the runner calls them); ``before[phase](ctx)`` runs first."""
    for phase in PHASES:
        if before and phase in before:
            before[phase](ctx)
        step = finance_demo.SCENARIO.get(phase)
        if step is not None:
            ctx.part, ctx.phase = "finance", phase
            step(ctx)
            ctx.dispatch()
    return ctx


def _deliver(ctx: DemoContext, *delivered: events.CloudEvent) -> None:
    """Hand asset events to finance's registered handler, in a transaction, as the dispatcher does."""
    handler = ctx.dispatcher.handlers[finance_demo.ASSET_VOUCHERS]
    with session_scope(ctx.engine) as session:
        for event in delivered:
            if events.mark_processed(session, handler.id, event.id):
                handler.func(session, event)


def test_scenario_alone_passes_every_check(engine: sa.Engine) -> None:
    """Runs finance alone: quota, a reimbursed trip, a refused overrun, the close; both systems balance."""
    ctx = run_scenario(_context(engine), [PART])
    assert not _failed(ctx), _failed(ctx)
    names = {c.name for c in ctx.checks}
    assert {
        "financial accounting balances",
        "budget accounting balances",
        "a closed period refuses a posting",
    } <= names
    assert [t.title for t in ctx.tables] == [
        "Trial balance — financial accounting",
        "Trial balance — budget accounting",
    ]
    service = ReferenceService(engine)
    chief = finance_demo.staff(ctx.office.credit_code, "chief")
    tb = service.trial_balance(chief, ctx.office.credit_code, 2023, 4)
    assert tb.balance_of("1011") == Money.of(finance_demo.QUOTA) - Money.of(finance_demo.TRIP)
    assert tb.balance_of("7101") == Money.of(finance_demo.TRIP)
    assert (2023, 4) not in service.open_periods(chief, ctx.office.credit_code)


def test_asset_events_are_drafted_then_reviewed_and_posted(engine: sa.Engine) -> None:
    """Asset events become system-prepared drafts; the close reviews and posts them; the checks hold."""
    ctx = _context(engine, locale="zh_Hans_CN")
    org = ctx.office.credit_code
    chief = finance_demo.staff(org, "chief")
    opening = _registered(org, 1, "5680.00", "2019-05-14")
    bought = _registered(org, 2, "46800.00", "2023-04-10")
    depreciated = _depreciated(org, "728.89")

    def deliver(ctx: DemoContext) -> None:
        _deliver(ctx, _event(ASSET_REGISTERED, opening, 1), _event(ASSET_REGISTERED, bought, 2))
        _deliver(ctx, _event(ASSET_REGISTERED, bought, 2))  # redelivered: drafted once
        _deliver(ctx, _event(ASSET_DEPRECIATED, depreciated, 3))
        drafts = [
            v
            for m in (1, 4)
            for v in ReferenceService(engine).vouchers(chief, org, 2023, m)
            if v.state == "draft"
        ]
        assert sorted(v.summary for v in drafts) == ["期初资产 1", "计提折旧 2023-04", "资产购置 2"]
        assert {v.preparer for v in drafts} == {finance_demo.staff(org, "asset_preparer").id}

    _run(ctx, {"close": deliver})
    assert not _failed(ctx), _failed(ctx)
    service = ReferenceService(engine)
    vouchers = [v for m in (1, 4) for v in service.vouchers(chief, org, 2023, m)]
    generated = [v for v in vouchers if v.summary in ("期初资产 1", "资产购置 2", "计提折旧 2023-04")]
    assert len(generated) == 3
    assert all(
        v.state == "posted" and v.reviewer == finance_demo.staff(org, "reviewer").id for v in generated
    )
    tb = service.trial_balance(chief, org, 2023, 4)
    assert tb.balance_of("1601") == Money.of("52480.00")
    assert tb.balance_of("3001") == -Money.of("5680.00")
    assert tb.balance_of("1602") == -Money.of("728.89")

    before = len(ctx.checks)
    finance_demo.check_acquisitions(ctx, vouchers, [bought])
    finance_demo.check_depreciation(ctx, vouchers, [depreciated])
    assert [c.passed for c in ctx.checks[before:]] == [True, True]


def test_checks_fail_when_vouchers_and_events_disagree(engine: sa.Engine) -> None:
    """An acquisition or a depreciation that differs from what assets sent fails its check."""
    ctx = _context(engine)
    org = ctx.office.credit_code
    bought = _registered(org, 2, "46800.00", "2023-04-10")

    def deliver(ctx: DemoContext) -> None:
        _deliver(
            ctx,
            _event(ASSET_REGISTERED, bought, 2),
            _event(ASSET_DEPRECIATED, _depreciated(org, "650.00"), 3),
        )

    _run(ctx, {"close": deliver})
    vouchers = ReferenceService(engine).vouchers(finance_demo.staff(org, "chief"), org, 2023, 4)
    before = len(ctx.checks)
    finance_demo.check_acquisitions(ctx, vouchers, [{**bought, "original_value": "46900.00"}])
    finance_demo.check_acquisitions(ctx, vouchers, [{**bought, "asset_id": "99", "asset_code": "TS-ZC-0099"}])
    finance_demo.check_depreciation(ctx, vouchers, [_depreciated(org, "650.01")])
    assert [c.passed for c in ctx.checks[before:]] == [False, False, False]
    assert "TS-ZC-0099" in ctx.checks[before + 1].detail


def test_tampered_balance_fails_the_trial_balance_check(engine: sa.Engine) -> None:
    """A per-account total changed behind the ledger's back unbalances the report's trial balance."""

    def tamper(ctx: DemoContext) -> None:
        with session_scope(ctx.engine) as session:
            session.execute(
                sa.update(BALANCE)
                .where(BALANCE.c.org == ctx.office.credit_code, BALANCE.c.account == "1011")
                .values(debit=BALANCE.c.debit + 100)
            )

    ctx = _run(_context(engine), {"report": tamper})
    assert [c.name for c in _failed(ctx)] == ["financial accounting balances"]


def test_posting_into_an_open_month_fails_the_close_check(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the month did not really close, the late voucher is accepted and the close check fails."""
    monkeypatch.setattr(ReferenceService, "close_period", lambda *args, **kwargs: None)
    ctx = _run(_context(engine))
    assert [c.name for c in _failed(ctx)] == ["a closed period refuses a posting"]


def test_the_ledger_is_checked_against_the_asset_register(engine: sa.Engine) -> None:
    """An asset brought over opens with its accumulated depreciation (Dr 1601 / Cr 1602 / Cr 3001);
    the ledger's asset accounts are checked against the register's totals to the fen, and a register
    the books disagree with — by a fen, or by an account the books hold and it lacks — fails."""
    ctx = _context(engine)
    org = ctx.office.credit_code
    opening = {**_registered(org, 1, "5680.00", "2019-05-14"), "opening_accumulated_depreciation": "3000.00"}
    register = {"1601": Money.of("5680.00"), "1602": -Money.of("3728.89")}

    def deliver(ctx: DemoContext) -> None:
        _deliver(
            ctx,
            _event(ASSET_REGISTERED, opening, 1),
            _event(ASSET_DEPRECIATED, _depreciated(org, "728.89"), 2),
        )

    def leave_register(ctx: DemoContext) -> None:
        ctx.facts[ASSET_REGISTER] = register

    _run(ctx, {"close": deliver, "report": leave_register})
    assert not _failed(ctx), _failed(ctx)
    (check,) = [c for c in ctx.checks if c.id == "finance.ledger-equals-asset-register"]
    assert check.detail == "1601 5680.00 · 1602 -3728.89"
    chief = finance_demo.staff(org, "chief")
    (voucher,) = [
        v for v in ReferenceService(engine).vouchers(chief, org, 2023, 1) if v.summary == "期初资产 1"
    ]
    assert sorted((x.account, x.side, str(x.amount)) for x in voucher.lines) == [
        ("1601", "debit", "5680.00"),
        ("1602", "credit", "3000.00"),
        ("3001", "credit", "2680.00"),
    ]

    balances = ReferenceService(engine).trial_balance(chief, org, 2023, 4)
    before = len(ctx.checks)
    ctx.facts[ASSET_REGISTER] = {**register, "1602": -Money.of("728.89")}  # the books of the old gap
    finance_demo.check_asset_register(ctx, balances)
    ctx.facts[ASSET_REGISTER] = {"1601": Money.of("5680.00")}  # 1602 held by the books, not the register
    finance_demo.check_asset_register(ctx, balances)
    ctx.facts[ASSET_REGISTER] = {**register, "1601": Money.of("5680.01")}
    finance_demo.check_asset_register(ctx, balances)
    assert [c.passed for c in ctx.checks[before:]] == [False, False, False]
    assert [c.detail for c in ctx.checks[before:]] == [
        "1602 -3728.89≠-728.89",
        "1602 -3728.89≠0.00",
        "1601 5680.00≠5680.01",
    ]
    del ctx.facts[ASSET_REGISTER]
    finance_demo.check_asset_register(ctx, balances)
    assert len(ctx.checks) == before + 3
