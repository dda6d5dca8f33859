"""The chart of accounts (财会〔2017〕25号 附录) and the expenditure classifications as code lists."""

from __future__ import annotations

import pytest

from govparts.core import codes
from govparts.finance import chart

# REFERENCE.md §11.7, the table as published (S×2; the MOF appendix itself not read).
FINANCIAL = {
    "asset": "1001 1002 1011 1021 1101 1201 1211 1212 1214 1215 1216 1218 1219 1301 1302 1303 1401 1501 1502 "
    "1601 1602 1611 1613 1701 1702 1703 1801 1802 1811 1821 1831 1832 1891 1901 1902",
    "liability": "2001 2101 2102 2103 2201 2301 2302 2303 2304 2305 2307 2401 2501 2502 2601 2901",
    "net_assets": "3001 3101 3201 3301 3302 3401 3501",
    "revenue": "4001 4101 4201 4301 4401 4601 4602 4603 4604 4605 4609",
    "expense": "5001 5101 5201 5301 5401 5501 5801 5901",
}
BUDGET = {
    "budget_revenue": "6001 6101 6201 6301 6401 6501 6601 6602 6609",
    "budget_expenditure": "7101 7201 7301 7401 7501 7601 7701 7901",
    "budget_balance": "8001 8101 8102 8201 8202 8301 8401 8501 8701",
}


def test_chart_has_103_accounts_in_published_order() -> None:
    """Ships exactly the 77 financial and 26 budget first-level accounts, in code order."""
    expected = {code: element for element, text in {**FINANCIAL, **BUDGET}.items() for code in text.split()}
    got = {code: account.element for code, account in chart().items()}
    assert got == expected
    assert list(chart()) == sorted(chart())
    systems = [a.system for a in chart().values()]
    assert (systems.count("financial"), systems.count("budget")) == (77, 26)
    assert all(a.level == 1 for a in chart().values())


@pytest.mark.parametrize(
    ("code", "zh"),
    [
        ("3201", "权益法调整"),
        ("3301", "本期盈余"),
        ("5801", "所得税费用"),
        ("5901", "其他费用"),
        ("7601", "投资支出"),
        ("7701", "债务还本支出"),
        ("7901", "其他支出"),
        ("1011", "零余额账户用款额度"),
        ("8001", "资金结存"),
    ],
)
def test_avoids_the_known_traps(code: str, zh: str) -> None:
    """Labels the accounts other code gets wrong as REFERENCE §11.7 gives them."""
    assert chart()[code].zh == zh


def test_has_no_unofficial_accounts() -> None:
    """Leaves out 5601 and 5701, which are not in the 2017 system."""
    assert "5601" not in chart()
    assert "5701" not in chart()


def test_normal_sides() -> None:
    """Gives contra-asset accounts and 8001 their own sides; others follow the element."""
    credit_assets = {c for c, a in chart().items() if a.element == "asset" and a.side == "credit"}
    assert credit_assets == {"1219", "1602", "1702", "1802", "1832"}
    assert chart()["8001"].side == "debit"
    assert {a.side for a in chart().values() if a.element in ("expense", "budget_expenditure")} == {"debit"}
    assert {a.side for a in chart().values() if a.element in ("revenue", "budget_revenue", "liability")} == {
        "credit"
    }


def test_code_lists_are_registered_with_three_languages() -> None:
    """Registers the chart and both classifications with labels in Chinese, English and Uyghur."""
    coa = codes.get("GAS-COA-2017")
    assert len(coa) == 103
    assert "财会〔2017〕25号" in coa.source
    for list_id in ("GAS-COA-2017", "GFS-FUNC", "GFS-ECON-DEPT"):
        for code in codes.get(list_id):
            assert code.zh, (list_id, code.code)
            assert code.en, (list_id, code.code)
            assert any("\u0600" <= ch <= "\u06ff" for ch in code.ug), (list_id, code.code)
    econ = codes.get("GFS-ECON-DEPT")
    assert {c.code for c in econ.children(None)} >= {"301", "302", "303", "310"}
    assert econ["30201"].parent == "302"
    assert codes.get("GFS-FUNC")["205"].zh == "教育支出"
