"""The assets part's golden corpus: example records and the verdict every conforming validator reaches.

Each case is ``{model, record, valid[, error_code, field, rejected_by, note]}`` (see
:func:`govparts.core.spec.golden_cases`): a valid record must be accepted; an invalid one must be
refused with ``error_code`` on ``field``. The cases cover what an asset card enforces record by
record: the owner's unified social credit code (GB 32100-2015 §4.5) and the custodian's citizen
identity number (GB 11643-1999 §6); the asset classification GB/T 14885-2010 and the part's lists of
acquisition methods and funding sources; amounts in yuan with at most two decimals, never a float;
a quantity of at least one; a useful life of 1 to 1200 months; the four-digit expense account of
the chart ``GAS-COA-2017``; ISO 8601 calendar dates.

The custodian is invented: the identity number carries a real Xinjiang county code and a valid
check character.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GOLDEN"]

_ORG = "11650100MB00000016"
"""An invented government body in Ürümqi (authority 11), valid MOD 31-3 check character."""
_ORG_BAD = "11650100MB00000017"
_CUSTODIAN: dict[str, Any] = {
    "person_id": "E0002",
    "organization_credit_code": _ORG,
    "name": "阿依古丽·买买提",
    "citizen_id": "650102200102140027",
}
"""Born 2001-02-14 in 天山区, sequence 002 (even: a woman), check character 7."""

_CARD_IN: dict[str, Any] = {
    "asset_code": "ZC-2024-0001",
    "organization_credit_code": _ORG,
    "category": "2010000",
    "name": "台式计算机",
    "specification": "国产 8 核 16 GB",
    "original_value": "5680.00",
    "acquisition_date": "2024-03-05",
    "acquisition_method": "purchase",
    "funding_source": "fiscal",
    "paying_account": "1011",
    "using_unit": "办公室",
    "location": "行政楼 305",
    "useful_life_months": 72,
}
_CARD: dict[str, Any] = {
    **_CARD_IN,
    "id": "a-0001",
    "state": "in_use",
    "version": 2,
    "book_value": "5680.00",
    "in_service": "2024-03-05",
    "custodian": _CUSTODIAN,
    "depreciable": True,
    "accumulated_account": "1602",
}


def _card_in(**changes: Any) -> dict[str, Any]:
    """The acquisition request with ``changes`` (a value of ``None`` drops the field)."""
    record = {**_CARD_IN, **changes}
    return {key: value for key, value in record.items() if value is not None}


_IN = "govparts.assets.AssetCardIn"

GOLDEN: list[dict[str, Any]] = [
    # --- acquisition requests ---
    {"model": _IN, "record": _card_in(), "valid": True},
    {
        "model": _IN,
        "record": _card_in(
            asset_code="ZC-2024-0002",
            category="2030000",
            name="公务用车",
            original_value="186000.00",
            acquisition_method="allocation",
            funding_source="non_fiscal",
            depreciation_method="units_of_work",
            total_units=400000,
            unit_of_measure="辆",
        ),
        "valid": True,
    },
    {
        "model": _IN,
        "record": _card_in(organization_credit_code=_ORG_BAD),
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "organization_credit_code",
        "note": "GB 32100-2015 §4.5: the MOD 31-3 check character should be 6",
        "rejected_by": "govparts.core.ids.credit_code:validate",
    },
    {
        "model": _IN,
        "record": _card_in(category="2990000"),
        "valid": False,
        "error_code": "unknown-code",
        "field": "category",
        "note": "GB/T 14885-2010: 2990000 is no asset class",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(acquisition_method="gift"),
        "valid": False,
        "error_code": "unknown-code",
        "field": "acquisition_method",
        "note": "acquisition methods are those of GOVPARTS 资产-取得方式-1.0 (捐赠 is donation)",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(funding_source="loan"),
        "valid": False,
        "error_code": "unknown-code",
        "field": "funding_source",
        "note": "funding sources are fiscal (财政拨款资金) and non_fiscal (非财政拨款资金)",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(original_value=5680.0),
        "valid": False,
        "error_code": "invalid-money",
        "field": "original_value",
        "note": "a float is never an amount",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(original_value="5680.005"),
        "valid": False,
        "error_code": "invalid-money",
        "field": "original_value",
        "note": "amounts carry at most two decimal places (fen)",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(quantity=0),
        "valid": False,
        "error_code": "invalid-input",
        "field": "quantity",
        "note": "a card holds at least one item",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(useful_life_months=1201),
        "valid": False,
        "error_code": "invalid-input",
        "field": "useful_life_months",
        "note": "useful lives run from 1 to 1200 months",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(expense_account="50011"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "expense_account",
        "note": "GAS-COA-2017: the expense account is a four-digit first-level account",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(asset_code="ZC 2024 0001"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "asset_code",
        "note": "asset codes are letters, digits, '-', '_' and '.'",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(name=None),
        "valid": False,
        "error_code": "invalid-input",
        "field": "name",
        "note": "the asset name is required",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(acquisition_date="2024年3月5日"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "acquisition_date",
        "note": "ISO 8601: dates are written YYYY-MM-DD",
        "rejected_by": "schema",
    },
    {
        "model": _IN,
        "record": _card_in(depreciation_method="double_declining"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "depreciation_method",
        "note": "government assets depreciate straight-line or by units of work (政府会计准则第3号)",
        "rejected_by": "schema",
    },
    # --- asset cards as services return them ---
    {"model": "govparts.assets.AssetCard", "record": dict(_CARD), "valid": True},
    {
        "model": "govparts.assets.AssetCard",
        "record": {**_CARD, "custodian": {**_CUSTODIAN, "citizen_id": "650102200102140028"}},
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "custodian.citizen_id",
        "note": "GB 11643-1999 §6: the MOD 11-2 check character should be 7",
        "rejected_by": "govparts.core.ids.citizen_id:validate",
    },
    {
        "model": "govparts.assets.AssetCard",
        "record": {**_CARD, "book_value": "5680.1"},
        "valid": True,
        "note": "one decimal place is an amount too (5680.10)",
    },
    # --- event payloads and reports ---
    {
        "model": "govparts.assets.AssetDisposed",
        "record": {
            "asset_id": "a-0001",
            "asset_code": "ZC-2024-0001",
            "organization_credit_code": _ORG,
            "method": "scrapping",
            "on": "2030-03-05",
            "original_value": "5680.00",
            "accumulated_depreciation": "5680.00",
            "partial": False,
            "approver_role": "asset_manager",
        },
        "valid": True,
    },
    {
        "model": "govparts.assets.AssetDepreciated",
        "record": {
            "organization_credit_code": _ORG,
            "year": 2024,
            "month": 4,
            "asset_count": 1,
            "total": "78.89",
            "totals": [{"debit_account": "5001", "credit_account": "1602", "amount": "78.889"}],
        },
        "valid": False,
        "error_code": "invalid-money",
        "field": "totals[0].amount",
        "note": "amounts carry at most two decimal places (fen)",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.assets.Finding",
        "record": {
            "kind": "damaged",
            "asset_code": "ZC-2024-0001",
            "asset_id": "a-0001",
            "book_location": "行政楼 305",
            "counted_location": "行政楼 305",
            "book_value": "5680.00",
            "status": "open",
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "kind",
        "note": "stock-take findings are loss (盘亏), surplus (盘盈) or location (地点不符)",
        "rejected_by": "schema",
    },
]
"""The assets part's golden corpus: ``{model, record, valid[, error_code, field, note]}`` cases."""
