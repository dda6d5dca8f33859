"""Voucher numbering under concurrent posters on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from govparts.finance import ReferenceService
from govparts.finance.tables import VOUCHER

from .conftest import BOOKKEEPER, CHIEF, ORG, PREPARER, REVIEWER, YEAR, quota_receipt


@pytest.mark.postgresql
def test_concurrent_posters_never_duplicate_or_skip(engine: sa.Engine) -> None:
    """Posts from four threads at once: numbers run 1..n without duplicate or gap; the chain verifies."""
    service = ReferenceService(engine)
    service.open_year(CHIEF, ORG, YEAR)
    per_thread, threads = 8, 4
    ids = []
    for _ in range(per_thread * threads):
        made = service.create_voucher(PREPARER, ORG, quota_receipt("1.00", date(YEAR, 3, 1)))
        service.review_voucher(REVIEWER, made.org, made.id)
        ids.append(made.id)
    batches = [ids[i::threads] for i in range(threads)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def poster(batch: list[str]) -> None:
        barrier.wait()
        try:
            for voucher_id in batch:
                service.post_voucher(BOOKKEEPER, ORG, voucher_id)
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=poster, args=(b,)) for b in batches]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    with engine.connect() as conn:
        numbers = sorted(
            conn.execute(
                sa.select(VOUCHER.c.number).where(VOUCHER.c.year == YEAR, VOUCHER.c.month == 3)
            ).scalars()
        )
    assert numbers == list(range(1, per_thread * threads + 1))
    report = service.verify_chain(CHIEF, ORG)
    assert report.ok
    assert report.checked == per_thread * threads


@pytest.mark.postgresql
def test_concurrent_batches_interleave_without_gaps(engine: sa.Engine) -> None:
    """Posts bulk batches from two threads at once: numbers stay 1..n per period."""
    from govparts.core.security import Actor

    poster = Actor(id="u-batch", name="批量", roles=frozenset({"reviewer", "bookkeeper"}))
    service = ReferenceService(engine)
    service.open_year(CHIEF, ORG, YEAR)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(5):
                service.post_batch(poster, ORG, [quota_receipt("2.00", date(YEAR, 4, 2)) for _ in range(7)])
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=run) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    with engine.connect() as conn:
        numbers = sorted(conn.execute(sa.select(VOUCHER.c.number).where(VOUCHER.c.month == 4)).scalars())
    assert numbers == list(range(1, 71))
    assert service.verify_chain(CHIEF, ORG).ok


@pytest.mark.postgresql
def test_two_organisations_number_independently_under_concurrent_posters(engine: sa.Engine) -> None:
    """Posts in two organisations from four threads at once: each numbers 1..n alone; both chains verify."""
    other = "11650100MB00000117"
    service = ReferenceService(engine)
    per_org = 12
    ids: dict[str, list[str]] = {}
    for org in (ORG, other):
        service.open_year(CHIEF, org, YEAR)
        ids[org] = []
        for _ in range(per_org):
            draft = quota_receipt("1.00", date(YEAR, 5, 4)).model_copy(update={"org": org})
            made = service.create_voucher(PREPARER, draft.org, draft)
            service.review_voucher(REVIEWER, made.org, made.id)
            ids[org].append(made.id)
    batches = [(org, ids[org][i::2]) for org in (ORG, other) for i in range(2)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(batches))

    def poster(org: str, batch: list[str]) -> None:
        barrier.wait()
        try:
            for voucher_id in batch:
                service.post_voucher(BOOKKEEPER, org, voucher_id)
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=poster, args=b) for b in batches]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    for org in (ORG, other):
        with engine.connect() as conn:
            numbers = sorted(
                conn.execute(
                    sa.select(VOUCHER.c.number).where(VOUCHER.c.org == org, VOUCHER.c.month == 5)
                ).scalars()
            )
        assert numbers == list(range(1, per_org + 1))
        assert service.verify_chain(CHIEF, org).checked == per_org
