"""The demo scenario runs and its figures hold together."""

from __future__ import annotations

import sqlalchemy as sa

from govparts.finance.demo import demo


def test_demo_figures(engine: sa.Engine) -> None:
    """Runs the demo month: balanced statements, reconciled surpluses, a verified chain."""
    figures = demo(engine)
    assert figures["vouchers"] == list(range(1, 7))
    assert figures["total_assets"] == figures["liabilities_plus_net_assets"] == "96340.00"
    assert figures["quota_balance_1011"] == "49140.00"
    assert figures["surplus"] == "96340.00"
    assert figures["budget_surplus"] == "49140.00"
    assert figures["reconciles"]
    assert figures["chain_ok"]
    assert figures["closing_voucher"]
    assert figures["budget_available"] == {
        "XJ-EDU-01/30201": "20000.00",
        "XJ-EDU-01/30211": "2140.00",
        "XJ-EDU-01/310": "12000.00",
    }
    assert figures["accumulated_surplus_3001"] == "96340.00"
