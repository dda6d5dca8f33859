"""Fixtures of the finance tests: a service on this run's database, actors, an opened year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import govparts.finance.tables  # noqa: F401 - the finance tables join the shared metadata before `engine`
from govparts.core import events
from govparts.core.money import Money
from govparts.core.security import Actor
from govparts.finance import ReferenceService, VoucherDraft, VoucherLine

ORG = "12650100MB0000001X"
YEAR = 2026

CHIEF = Actor(id="u-chief", name="古丽娜尔·阿布都拉", roles=frozenset({"chief_accountant", "budget_officer"}))
PREPARER = Actor(id="u-prep", name="王丽", roles=frozenset({"accountant"}))
REVIEWER = Actor(id="u-rev", name="艾尔肯·买买提", roles=frozenset({"reviewer"}))
BOOKKEEPER = Actor(id="u-book", name="李强", roles=frozenset({"bookkeeper"}))
DISPATCHER = Actor(id="system:dispatcher", name="dispatcher", roles=frozenset())
"""The system actor that delivers events (bound to no organisation)."""
ALL_ROLES = Actor(
    id="u-all", name="张伟", roles=frozenset({"accountant", "reviewer", "bookkeeper", "chief_accountant"})
)


def line(account: str, side: str, amount: str, **aux: object) -> VoucherLine:
    """A voucher line (test helper)."""
    return VoucherLine(account=account, side=side, amount=Money.of(amount), **aux)  # type: ignore[arg-type]


def quota_receipt(amount: str = "100000.00", day: date = date(YEAR, 1, 5)) -> VoucherDraft:
    """Receipt of an authorised-payment quota (REFERENCE §11.7): Dr 1011 / Cr 4001 + Dr 8001 / Cr 6001."""
    return VoucherDraft(
        org=ORG,
        date=day,
        summary="收到财政授权支付额度",
        lines=(
            line("1011", "debit", amount),
            line("4001", "credit", amount),
            line("8001", "debit", amount),
            line("6001", "credit", amount),
        ),
    )


@pytest.fixture
def service(engine: object) -> ReferenceService:
    """A reference service with the year open and no unbudgeted spending allowed."""
    svc = ReferenceService(engine)  # type: ignore[arg-type]
    svc.open_year(CHIEF, ORG, YEAR)
    return svc


def post(service: ReferenceService, draft: VoucherDraft) -> str:
    """Create, review and post a voucher with three different people; returns its id."""
    made = service.create_voucher(PREPARER, draft.org, draft)
    service.review_voucher(REVIEWER, made.org, made.id)
    return service.post_voucher(BOOKKEEPER, made.org, made.id).id


def asset_event(event_type: str, data: dict[str, object], event_id: str) -> events.CloudEvent:
    """An assets event of ``event_type`` about ``data["asset_id"]``, as finance's handler receives it."""
    return events.CloudEvent(
        id=event_id,
        source="urn:govparts:assets",
        type=event_type,
        time=datetime.now(UTC),
        subject=f"asset/{data['asset_id']}",
        datacontenttype="application/json",
        data=data,
    )
