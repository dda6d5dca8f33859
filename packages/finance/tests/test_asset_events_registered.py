"""Finance books ``asset.registered`` at cost, and an asset brought over with its opening depreciation."""

from __future__ import annotations

import pytest

from govparts.core import events
from govparts.core.errors import InvalidRecord
from govparts.core.money import Money
from govparts.finance import ReferenceService
from govparts.finance._assets import opening_accounts
from govparts.finance.models import AssetRegisteredAsFinanceReadsIt

from .conftest import CHIEF, DISPATCHER, ORG, YEAR, asset_event

REGISTERED = "cn.govparts.assets.asset.registered.v1"


def _registered(asset_id: str, **sent: object) -> dict[str, object]:
    """A registration shaped as assets' ``AssetRegistered.model_dump(mode="json")``, plus ``sent``."""
    return {
        "asset_id": asset_id,
        "asset_code": f"C-{asset_id}",
        "organization_credit_code": ORG,
        "category": "2010000",
        "name": "服务器",
        "original_value": "12000.00",
        "acquisition_date": f"{YEAR}-04-08",
        "acquisition_method": "purchase",
        "funding_source": "fiscal",
        "paying_account": "零余额账户用款额度",
        "in_service": f"{YEAR - 3}-04-08",
        **sent,
    }


def _event(data: dict[str, object], event_id: str) -> events.CloudEvent:
    return asset_event(REGISTERED, data, event_id)


def _service(engine: object) -> ReferenceService:
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    return service


def _lines(voucher: object) -> list[tuple[str, str, str]]:
    return sorted((x.account, x.side, str(x.amount)) for x in voucher.lines)  # type: ignore[attr-defined]


def test_books_a_brought_over_asset_at_cost_with_its_opening_depreciation(engine: object) -> None:
    """Dr 1601 / Cr 1011 at cost with its budget entry, and Dr 3001 累计盈余 / Cr 1602 the opening
    accumulated depreciation (no budget entry); a redelivery books nothing more."""
    service = _service(engine)
    sent = _registered("R-1", opening_accumulated_depreciation="7333.33")
    voucher = service.receive_event(DISPATCHER, _event(sent, "ev-r1"))
    assert voucher is not None
    assert _lines(voucher) == [
        ("1011", "credit", "12000.00"),
        ("1601", "debit", "12000.00"),
        ("1602", "credit", "7333.33"),
        ("3001", "debit", "7333.33"),
        ("7201", "debit", "12000.00"),
        ("8001", "credit", "12000.00"),
    ]
    assert service.receive_event(DISPATCHER, _event(sent, "ev-r1")) is None
    balances = service.trial_balance(CHIEF, ORG, YEAR, 4)
    assert balances.balance_of("1601") == Money.of("12000.00")
    assert balances.balance_of("1602") == Money.of("-7333.33")
    assert balances.balance_of("3001") == Money.of("7333.33")
    for system in ("financial", "budget"):
        sides = balances.totals(system)
        assert sides["debit"] == sides["credit"], system


def test_books_an_intangible_assets_opening_amortisation_to_1702(engine: object) -> None:
    """An intangible asset (ZZ01) goes to 1701 and its opening amortisation to 1702, not 1602."""
    service = _service(engine)
    sent = _registered(
        "R-2", category="ZZ01", original_value="3600.00", opening_accumulated_depreciation="0.01"
    )
    voucher = service.receive_event(DISPATCHER, _event(sent, "ev-r2"))
    assert voucher is not None
    assert [x for x in _lines(voucher) if x[0] in {"1601", "1602", "1701", "1702", "3001"}] == [
        ("1701", "debit", "3600.00"),
        ("1702", "credit", "0.01"),
        ("3001", "debit", "0.01"),
    ]
    assert opening_accounts("1601") == ("1602", "3001")


@pytest.mark.parametrize("sent", [{}, {"opening_accumulated_depreciation": "0.00"}])
def test_a_registration_without_opening_depreciation_books_the_cost_alone(
    engine: object, sent: dict[str, object]
) -> None:
    """An event of a producer that does not send the field (or sends zero) books as before."""
    service = _service(engine)
    voucher = service.receive_event(DISPATCHER, _event(_registered("R-3", **sent), "ev-r3"))
    assert voucher is not None
    assert {x[0] for x in _lines(voucher)} == {"1011", "1601", "7201", "8001"}


@pytest.mark.parametrize("opening", ["-0.01", "12000.01"])
def test_refuses_a_negative_or_larger_than_cost_opening_and_books_nothing(
    engine: object, opening: str
) -> None:
    """Names ``opening_accumulated_depreciation``, books no voucher and leaves the event unprocessed:
    the same event, corrected, is booked afterwards."""
    service = _service(engine)
    bad = _registered("R-4", opening_accumulated_depreciation=opening)
    with pytest.raises(InvalidRecord) as caught:
        service.receive_event(DISPATCHER, _event(bad, "ev-r4"))
    assert [e.field for e in caught.value.errors] == ["opening_accumulated_depreciation"]
    assert service.vouchers(CHIEF, ORG, YEAR, 4) == []
    balances = service.trial_balance(CHIEF, ORG, YEAR, 4)
    assert all(r.closing.fen == 0 for r in balances.rows)
    fixed = {**bad, "opening_accumulated_depreciation": "12000.00"}
    booked = service.receive_event(DISPATCHER, _event(fixed, "ev-r4"))
    assert booked is not None
    assert ("1602", "credit", "12000.00") in _lines(booked)


def test_reads_the_opening_depreciation_as_a_decimal_string() -> None:
    """Reads the field as money to the fen; absent is zero; more than two places is refused."""
    read = AssetRegisteredAsFinanceReadsIt.model_validate(_registered("R-5"))
    assert read.opening_accumulated_depreciation == Money.zero()
    assert read.accumulated_account == "1602"
    with pytest.raises(ValueError, match="opening_accumulated_depreciation"):
        AssetRegisteredAsFinanceReadsIt.model_validate(
            _registered("R-6", opening_accumulated_depreciation="1.005")
        )
