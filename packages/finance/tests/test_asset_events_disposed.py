"""Finance books ``asset.disposed`` to the accounts the disposed asset is kept in (1601/1602 or 1701/1702)."""

from __future__ import annotations

from datetime import date

import pytest

from govparts.core import events
from govparts.core.errors import InvalidRecord
from govparts.core.money import Money
from govparts.finance import ReferenceService
from govparts.finance._assets import disposal_accounts
from govparts.finance.models import AssetDisposedAsFinanceReadsIt

from .conftest import CHIEF, DISPATCHER, ORG, YEAR, asset_event

DISPOSED = "cn.govparts.assets.asset.disposed.v1"


def _disposed(asset_id: str, **sent: object) -> dict[str, object]:
    """A disposal shaped as assets' ``AssetDisposed.model_dump(mode="json")``, plus ``sent``."""
    return {
        "asset_id": asset_id,
        "asset_code": f"C-{asset_id}",
        "organization_credit_code": ORG,
        "method": "scrapping",
        "on": f"{YEAR}-03-31",
        "original_value": "3600.00",
        "accumulated_depreciation": "1200.00",
        "partial": False,
        "approver_role": "department_approver",
        **sent,
    }


def _event(data: dict[str, object], event_id: str) -> events.CloudEvent:
    return asset_event(DISPOSED, data, event_id)


@pytest.mark.parametrize(
    ("sent", "accounts"),
    [
        ({"category": "ZZ01", "asset_account": "1701", "accumulated_account": "1702"}, ("1701", "1702")),
        ({"category": "ZZ01"}, ("1701", "1702")),
        ({"category": "2010000", "asset_account": "1601", "accumulated_account": "1602"}, ("1601", "1602")),
        ({"category": "2010000", "asset_account": "1801"}, ("1801", "1802")),
        ({}, ("1601", "1602")),
        ({"category": None, "asset_account": None, "accumulated_account": None}, ("1601", "1602")),
    ],
)
def test_reads_the_accounts_a_disposal_leaves(sent: dict[str, object], accounts: tuple[str, str]) -> None:
    """Reads the accounts assets sends, else those of the category, else the fixed-asset 1601 / 1602."""
    read = AssetDisposedAsFinanceReadsIt.model_validate(_disposed("S-1", **sent))
    assert (read.account, read.accumulated_account) == accounts
    assert disposal_accounts(read.category, None, None) == (
        ("1701", "1702") if read.category == "ZZ01" else ("1601", "1602")
    )


@pytest.mark.parametrize(
    "sent",
    [{"category": "9"}, {"asset_account": "17x1"}, {"accumulated_account": "abc"}],
)
def test_refuses_a_disposal_whose_accounts_cannot_be_told(sent: dict[str, object]) -> None:
    """Refuses an unknown category or a malformed account rather than guessing 1601."""
    with pytest.raises(ValueError, match=r"category|asset_account|accumulated_account"):
        AssetDisposedAsFinanceReadsIt.model_validate(_disposed("S-2", **sent))


def test_books_an_intangible_disposal_to_1701_and_1702(engine: object) -> None:
    """Credits 1701 无形资产, debits 1702 累计摊销 and the net to 5301, leaving 1601 and 1602 untouched."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    sent = _disposed("S-3", category="ZZ01", asset_account="1701", accumulated_account="1702")
    voucher = service.receive_event(DISPATCHER, _event(sent, "ev-s3"))
    assert voucher is not None
    assert sorted((x.account, x.side, str(x.amount)) for x in voucher.lines) == [
        ("1701", "credit", "3600.00"),
        ("1702", "debit", "1200.00"),
        ("5301", "debit", "2400.00"),
    ]
    assert voucher.date == date(YEAR, 3, 31)
    balances = service.trial_balance(CHIEF, ORG, YEAR, 3)
    assert balances.balance_of("1701") == Money.of("-3600.00")
    assert balances.balance_of("1702") == Money.of("1200.00")
    assert balances.balance_of("1601").fen == 0
    assert balances.balance_of("1602").fen == 0
    assert service.receive_event(DISPATCHER, _event(sent, "ev-s3")) is None


def test_refuses_to_book_a_disposal_of_an_unknown_category(engine: object) -> None:
    """Books nothing for a disposal whose category has no known account and that names none."""
    service = ReferenceService(engine, unbudgeted="allow")  # type: ignore[arg-type]
    service.open_year(CHIEF, ORG, YEAR)
    with pytest.raises(InvalidRecord):
        service.receive_event(DISPATCHER, _event(_disposed("S-4", category="9"), "ev-s4"))
    assert service.trial_balance(CHIEF, ORG, YEAR, 3).balance_of("5301").fen == 0
