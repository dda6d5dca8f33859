"""The archives part's golden corpus: example records and the verdict every conforming validator reaches.

Each case is ``{model, record, valid[, error_code, field, rejected_by, note]}`` (see
:func:`govparts.core.spec.golden_cases`): a valid record must be accepted; an invalid one must be
refused with ``error_code`` on ``field``. The cases cover what the models enforce record by record:
the required elements of an outgoing draft (标题 of the 主体 and 发文机关 of the 版头,
GB/T 9704-2012 §7), the four-character fonds number (全宗号, DA/T 22-2015), a secrecy period of 1 to
30 years (the longest, 绝密, under the 保守国家秘密法), that a draft carries no document number (the
register allocates it), the roles of a stored file and the states of an allocated number, ISO 8601
dates and times.

The document number (GB/T 9704-2012 §7.2.5) and the archival code (DA/T 22-2015) are checked by
:mod:`govparts.archives.document_number` and :mod:`govparts.archives.archival_code` when a service
allocates them, not by these models, so the corpus holds them only in valid records.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GOLDEN"]

_DRAFT: dict[str, Any] = {
    "doc_type": "08",
    "title": "示例县人民政府办公室关于做好2024年春节期间值班工作的通知",
    "body": "各乡镇人民政府，县直各部门：……",
    "issuing_organ": "示例县人民政府办公室",
    "organ_code": "示政办发",
    "fonds": "X001",
    "organisation": "BGS",
    "urgency": "JJ",
    "main_recipients": ["各乡镇人民政府", "县直各部门"],
    "copy_to": ["县委办公室"],
    "signature_organ": "示例县人民政府办公室",
    "written_on": "2024-02-01",
    "printing_organ": "示例县人民政府办公室",
}
_INCOMING: dict[str, Any] = {
    "doc_type": "08",
    "title": "关于报送2023年度档案工作统计年报的通知",
    "sender": "示例市档案局",
    "document_number": "示档发〔2024〕3号",
    "fonds": "X001",
}
_FILE: dict[str, Any] = {
    "id": 1,
    "document_id": 7,
    "role": "body",
    "name": "正文.ofd",
    "media_type": "application/ofd",
    "size": 48213,
    "sm3": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
}


def _draft(**changes: Any) -> dict[str, Any]:
    """The outgoing draft with ``changes`` (a value of ``None`` drops the field)."""
    record = {**_DRAFT, **changes}
    return {key: value for key, value in record.items() if value is not None}


_D = "govparts.archives.DocumentDraft"

GOLDEN: list[dict[str, Any]] = [
    # --- outgoing drafts (发文) ---
    {"model": _D, "record": _draft(), "valid": True},
    {
        "model": _D,
        "record": _draft(secrecy="秘密", secrecy_period_years=10, copy_number="000012"),
        "valid": True,
    },
    {
        "model": _D,
        "record": _draft(title=""),
        "valid": False,
        "error_code": "invalid-input",
        "field": "title",
        "note": "GB/T 9704-2012 §7 (主体): a document has a title (标题)",
        "rejected_by": "schema",
    },
    {
        "model": _D,
        "record": _draft(issuing_organ=None),
        "valid": False,
        "error_code": "invalid-input",
        "field": "issuing_organ",
        "note": "GB/T 9704-2012 §7 (版头): a document names its issuing organ (发文机关)",
        "rejected_by": "schema",
    },
    {
        "model": _D,
        "record": _draft(fonds="X01"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "fonds",
        "note": "DA/T 22-2015: the fonds number (全宗号) has four characters",
        "rejected_by": "schema",
    },
    {
        "model": _D,
        "record": _draft(secrecy="秘密", secrecy_period_years=31),
        "valid": False,
        "error_code": "invalid-input",
        "field": "secrecy_period_years",
        "note": "secrecy periods run from 1 to 30 years (绝密 at most 30)",
        "rejected_by": "schema",
    },
    {
        "model": _D,
        "record": _draft(document_number="示政办发〔2024〕5号"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "document_number",
        "note": "a draft carries no document number: the register allocates it when the document is issued",
        "rejected_by": "schema",
    },
    {
        "model": _D,
        "record": _draft(written_on="2024年2月1日"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "written_on",
        "note": "ISO 8601: the date of writing (成文日期) is exchanged as YYYY-MM-DD",
        "rejected_by": "schema",
    },
    {
        "model": _D,
        "record": _draft(main_recipients="各乡镇人民政府"),
        "valid": False,
        "error_code": "invalid-input",
        "field": "main_recipients",
        "note": "主送机关 is a list of organs",
        "rejected_by": "schema",
    },
    # --- incoming documents (收文) ---
    {"model": "govparts.archives.IncomingDraft", "record": dict(_INCOMING), "valid": True},
    {
        "model": "govparts.archives.IncomingDraft",
        "record": {key: value for key, value in _INCOMING.items() if key != "sender"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "sender",
        "note": "an incoming document names its sender (来文机关)",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.archives.IncomingDraft",
        "record": {**_INCOMING, "secrecy_period_years": 0},
        "valid": False,
        "error_code": "invalid-input",
        "field": "secrecy_period_years",
        "note": "secrecy periods run from 1 to 30 years",
        "rejected_by": "schema",
    },
    # --- files, numbers, catalogue ---
    {"model": "govparts.archives.FileInfo", "record": dict(_FILE), "valid": True},
    {
        "model": "govparts.archives.FileInfo",
        "record": {**_FILE, "role": "cover"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "role",
        "note": "a file is the body, an attachment or the final draft",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.archives.FileInfo",
        "record": {**_FILE, "size": "48 KB"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "size",
        "note": "a file's size is a whole number of bytes",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.archives.IssuedNumber",
        "record": {
            "document_number": "示政办发〔2024〕5号",
            "organ_code": "示政办发",
            "year": 2024,
            "serial": 5,
            "document_id": 7,
            "status": "allocated",
            "void_reason": None,
        },
        "valid": True,
    },
    {
        "model": "govparts.archives.IssuedNumber",
        "record": {
            "document_number": "示政办发〔2024〕5号",
            "organ_code": "示政办发",
            "year": 2024,
            "serial": 5,
            "document_id": 7,
            "status": "reused",
            "void_reason": None,
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "status",
        "note": "a number is allocated or voided; a voided number is never reused",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.archives.CatalogueEntry",
        "record": {
            "item_number": 1,
            "archival_code": "X001-WS·2024-Y-BGS-0001",
            "document_number": "示政办发〔2024〕5号",
            "responsible": "示例县人民政府办公室",
            "title": "示例县人民政府办公室关于做好2024年春节期间值班工作的通知",
            "date": "2024-02-01",
            "secrecy": None,
            "retention": "Y",
            "notes": None,
        },
        "valid": True,
    },
    {
        "model": "govparts.archives.CatalogueEntry",
        "record": {
            "item_number": 1,
            "archival_code": "X001-WS·2024-Y-BGS-0001",
            "document_number": "示政办发〔2024〕5号",
            "responsible": "示例县人民政府办公室",
            "title": "示例县人民政府办公室关于做好2024年春节期间值班工作的通知",
            "secrecy": None,
            "retention": "Y",
            "notes": None,
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "date",
        "note": "DA/T 22-2015: the catalogue has a date column (日期), empty only when given as null",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.archives.AccessRecord",
        "record": {"actor_id": "U0007", "action": "read", "allowed": False, "at": "2024-02-02 25:00"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "at",
        "note": "ISO 8601: there is no hour 25",
        "rejected_by": "schema",
    },
]
"""The archives part's golden corpus: ``{model, record, valid[, error_code, field, note]}`` cases."""
