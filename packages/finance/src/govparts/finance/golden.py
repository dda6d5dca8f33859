"""The finance part's golden corpus: example records and the verdict every conforming validator reaches.

Each case is ``{model, record, valid[, error_code, field, rejected_by, note]}`` (see
:func:`govparts.core.spec.golden_cases`): a valid record must be accepted; an invalid one must be
refused with ``error_code`` on ``field``. The cases cover what the models enforce record by record:
amounts in yuan with at most two decimals, never a float (``invalid-money``); account codes of the
chart ``GAS-COA-2017`` (财会〔2017〕25号: four digits, then the organisation's sub-account digits);
classification codes of 支出功能分类 and 支出经济分类 (three to nine digits); a voucher with at
least two lines; positive indicator and claim amounts; the indicator year from 2019, when the
government accounting system took effect; ISO 8601 calendar dates.

Whether a voucher balances, whether its accounts exist in the chart, and whether a line may carry a
zero amount are decided when a voucher is posted, not by the record, so they are not golden cases.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GOLDEN"]

_DEBIT: dict[str, Any] = {
    "account": "5001",
    "side": "debit",
    "amount": "1280.00",
    "summary": "购买办公用品",
    "project": "P2024-001",
    "func_class": "2010101",
    "econ_class": "30201",
}
_CREDIT: dict[str, Any] = {
    "account": "1011",
    "side": "credit",
    "amount": "1280.00",
    "summary": "零余额账户支付",
}
_DRAFT: dict[str, Any] = {
    "org": "11650100MB00000016",
    "date": "2024-03-12",
    "summary": "购买办公用品",
    "lines": [_DEBIT, _CREDIT],
}
_INDICATOR: dict[str, Any] = {
    "org": "11650100MB00000016",
    "year": 2024,
    "project": "P2024-001",
    "econ_class": "30201",
    "amount": "50000.00",
}
_CLAIM: dict[str, Any] = {
    "org": "11650100MB00000016",
    "claimant": "E0002",
    "date": "2024-04-08",
    "amount": "356.50",
    "purpose": "赴阿克苏市出差交通费",
    "project": "P2024-001",
    "econ_class": "30211",
}

_LINE = "govparts.finance.VoucherLine"
_VOUCHER = "govparts.finance.VoucherDraft"

GOLDEN: list[dict[str, Any]] = [
    # --- voucher lines ---
    {"model": _LINE, "record": dict(_DEBIT), "valid": True},
    {
        "model": _LINE,
        "record": {**_DEBIT, "amount": 1280.0},
        "valid": False,
        "error_code": "invalid-money",
        "field": "amount",
        "note": "a float is never an amount",
        "rejected_by": "schema",
    },
    {
        "model": _LINE,
        "record": {**_DEBIT, "amount": "1280.005"},
        "valid": False,
        "error_code": "invalid-money",
        "field": "amount",
        "note": "amounts carry at most two decimal places (fen)",
        "rejected_by": "schema",
    },
    {
        "model": _LINE,
        "record": {**_DEBIT, "account": "501"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "account",
        "note": "GAS-COA-2017 account codes have four digits before any sub-account digits",
        "rejected_by": "schema",
    },
    {
        "model": _LINE,
        "record": {**_DEBIT, "side": "dr"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "side",
        "note": "a line is on the debit or the credit side",
        "rejected_by": "schema",
    },
    {
        "model": _LINE,
        "record": {**_DEBIT, "econ_class": "302.01"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "econ_class",
        "note": "支出经济分类 codes are three to nine digits",
        "rejected_by": "schema",
    },
    {
        "model": _LINE,
        "record": {**_DEBIT, "fund": "loan"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "fund",
        "note": "budget lines are funded fiscal (财政拨款) or non_fiscal (非财政拨款)",
        "rejected_by": "schema",
    },
    # --- vouchers ---
    {"model": _VOUCHER, "record": dict(_DRAFT), "valid": True},
    {
        "model": _VOUCHER,
        "record": {**_DRAFT, "lines": [_DEBIT]},
        "valid": False,
        "error_code": "invalid-input",
        "field": "lines",
        "note": "a voucher has at least two lines",
        "rejected_by": "schema",
    },
    {
        "model": _VOUCHER,
        "record": {**_DRAFT, "lines": [{**_DEBIT, "amount": "1280.001"}, _CREDIT]},
        "valid": False,
        "error_code": "invalid-money",
        "field": "lines[0].amount",
        "note": "amounts carry at most two decimal places (fen)",
        "rejected_by": "schema",
    },
    {
        "model": _VOUCHER,
        "record": {key: value for key, value in _DRAFT.items() if key != "summary"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "summary",
        "note": "a voucher carries its summary (摘要)",
        "rejected_by": "schema",
    },
    {
        "model": _VOUCHER,
        "record": {**_DRAFT, "date": "2024-13-01"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "date",
        "note": "ISO 8601: there is no month 13",
        "rejected_by": "schema",
    },
    {
        "model": _VOUCHER,
        "record": {**_DRAFT, "exemption": "gift"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "exemption",
        "note": "the exemptions are agency (受托代理) and treasury_payable (应缴财政款)",
        "rejected_by": "schema",
    },
    # --- indicators and claims ---
    {"model": "govparts.finance.Indicator", "record": dict(_INDICATOR), "valid": True},
    {
        "model": "govparts.finance.Indicator",
        "record": {**_INDICATOR, "amount": "0.00"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "amount",
        "note": "an indicator amount is positive",
        "rejected_by": "govparts.finance:Indicator._positive",
    },
    {
        "model": "govparts.finance.Indicator",
        "record": {**_INDICATOR, "year": 2018},
        "valid": False,
        "error_code": "invalid-input",
        "field": "year",
        "note": "the government accounting system (财会〔2017〕25号) applies from 2019",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.finance.Indicator",
        "record": {**_INDICATOR, "amount": "50,000.00"},
        "valid": False,
        "error_code": "invalid-money",
        "field": "amount",
        "note": "an amount is digits with an optional sign and point, without grouping separators",
        "rejected_by": "schema",
    },
    {"model": "govparts.finance.ReimbursementClaim", "record": dict(_CLAIM), "valid": True},
    {
        "model": "govparts.finance.ReimbursementClaim",
        "record": {**_CLAIM, "amount": "¥356.50"},
        "valid": False,
        "error_code": "invalid-money",
        "field": "amount",
        "note": "an amount is a number in yuan, without a currency sign",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.finance.ReimbursementClaim",
        "record": {**_CLAIM, "amount": "-356.50"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "amount",
        "note": "a claim amount is positive",
        "rejected_by": "govparts.finance:ReimbursementClaim._positive",
    },
    {
        "model": "govparts.finance.ReimbursementClaim",
        "record": {**_CLAIM, "purpose": ""},
        "valid": False,
        "error_code": "invalid-input",
        "field": "purpose",
        "note": "a claim states its purpose",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.finance.ReimbursementClaim",
        "record": {**_CLAIM, "iban": "CN00"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "iban",
        "note": "a claim has no field iban",
        "rejected_by": "schema",
    },
    # --- what services return ---
    {
        "model": "govparts.finance.VoucherPosted",
        "record": {
            "voucher_id": "V-2024-0001",
            "org": "11650100MB00000016",
            "number": 1,
            "year": 2024,
            "month": 3,
            "date": "2024-03-12",
            "kind": "normal",
            "hash": "9f2c4e8a0b7d13c5e6f4a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1",
        },
        "valid": True,
    },
]
"""The finance part's golden corpus: ``{model, record, valid[, error_code, field, note]}`` cases."""
