"""The Beancount export passes bean-check, and Beancount's balances equal our trial balance."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from govparts.core.security import Actor
from govparts.finance import ReferenceService, VoucherDraft
from govparts.finance._beancount import beancount_account, export_beancount

from .conftest import BOOKKEEPER, CHIEF, ORG, PREPARER, REVIEWER, YEAR, line, post, quota_receipt

beancount_loader = pytest.importorskip("beancount.loader")


def _books(engine: sa.Engine) -> ReferenceService:
    service = ReferenceService(engine, unbudgeted="allow")
    service.open_year(CHIEF, ORG, YEAR)
    post(service, quota_receipt("5000.00"))
    post(
        service,
        VoucherDraft(
            org=ORG,
            date=date(YEAR, 1, 9),
            summary='办公用品 "A4" 纸',
            lines=(
                line("5101", "debit", "123.45"),
                line("1011", "credit", "123.45"),
                line("7101", "debit", "123.45"),
                line("8001", "credit", "123.45"),
            ),
        ),
    )
    original = post(
        service,
        VoucherDraft(
            org=ORG,
            date=date(YEAR, 1, 20),
            summary="计提折旧",
            lines=(line("5001", "debit", "10.00"), line("1602", "credit", "10.00")),
        ),
    )
    reversal = service.reverse_voucher(PREPARER, ORG, original, date(YEAR, 2, 1))
    service.review_voucher(REVIEWER, reversal.org, reversal.id)
    service.post_voucher(BOOKKEEPER, reversal.org, reversal.id)
    poster = Actor(id="u-batch", name="批量", roles=frozenset({"reviewer", "bookkeeper"}))
    service.post_batch(poster, ORG, [quota_receipt("1.01", date(YEAR, 2, 3)) for _ in range(3)])
    return service


def test_export_passes_bean_check_and_matches_trial_balance(engine: sa.Engine, tmp_path: Path) -> None:
    """Writes books that bean-check accepts, with Beancount's balances equal to our trial balance."""
    service = _books(engine)
    out = export_beancount(engine, tmp_path / "books.beancount", org=ORG)
    bean_check = shutil.which("bean-check") or str(Path(sys.executable).with_name("bean-check"))
    checked = subprocess.run([bean_check, str(out)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    entries, errors, _ = beancount_loader.load_file(str(out))
    assert errors == []
    balances: dict[str, Decimal] = {}
    for entry in entries:
        for posting in getattr(entry, "postings", ()) or ():
            balances[posting.account] = balances.get(posting.account, Decimal(0)) + posting.units.number
    tb = service.trial_balance(CHIEF, ORG, YEAR, 2)
    ours = {beancount_account(ORG, r.account): r.closing.amount for r in tb.rows}
    assert {k: v for k, v in balances.items()} == ours
    assert ours[beancount_account(ORG, "1011")] == Decimal("4879.58")


def test_bean_check_catches_a_wrong_balance(engine: sa.Engine, tmp_path: Path) -> None:
    """Fails bean-check when an exported amount is changed, so the assertions do check our figures."""
    _books(engine)
    out = export_beancount(engine, tmp_path / "books.beancount")
    text = out.read_text(encoding="utf-8").replace("123.45 CNY", "123.46 CNY", 1)
    out.write_text(text, encoding="utf-8")
    _, errors, _ = beancount_loader.load_file(str(out))
    assert errors, "a changed amount went unnoticed"
