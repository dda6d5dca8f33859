"""Pure rules of official documents and archives: no I/O, values in, values out."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files

from govparts.core.audit import hash_algorithm
from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_

from . import document_number as _docnum
from ._i18n import DOMAIN
from .archival_code import RETENTION_CODES

__all__ = [
    "DOCUMENT_TYPES",
    "RETENTION_YEARS",
    "RetentionSchedule",
    "content_digest",
    "default_retention_schedule",
    "filing_year",
    "fixity",
    "retention_expires_on",
    "secrecy_expires_on",
    "secrecy_mark",
]

DOCUMENT_TYPES: tuple[str, ...] = tuple(f"{n:02d}" for n in range(1, 16))
"""Codes of the 15 kinds of document of 党政机关公文处理工作条例 Art. 8 (its code list ``… 公文种类``)."""

RETENTION_YEARS: Mapping[str, int | None] = {"Y": None, "D30": 30, "D10": 10}
"""Years each retention period keeps an item (``None``: permanently), DA/T 22-2015."""


@dataclass(frozen=True)
class RetentionSchedule:
    """A retention schedule (保管期限表) kept as data: ``(direction, doc_type) -> retention code``.

    ``doc_type`` ``*`` is the default of a direction. govparts ships a default schedule
    (``data/retention-schedule.csv``) modelled on 国家档案局令第8号 (2006); an organ adopts its own
    approved schedule by building one from its rows.
    """

    rules: Mapping[tuple[str, str], str]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> RetentionSchedule:
        """A schedule from rows with ``direction``, ``doc_type`` and ``retention``."""
        rules: dict[tuple[str, str], str] = {}
        for index, row in enumerate(rows):
            code = row["retention"].strip()
            if code not in RETENTION_CODES:
                raise InvalidInput(
                    N_("{field}: {got} is not a retention period code (expected one of {allowed})"),
                    field=f"rows[{index}].retention",
                    got=code,
                    allowed=list(RETENTION_CODES),
                    domain=DOMAIN,
                )
            rules[(row["direction"].strip(), row["doc_type"].strip())] = code
        return cls(rules)

    def retention_for(self, direction: str, doc_type: str) -> str:
        """The retention code for a document of ``doc_type`` in ``direction`` (default: ``D10``)."""
        return self.rules.get((direction, doc_type)) or self.rules.get((direction, "*")) or "D10"


@cache
def default_retention_schedule() -> RetentionSchedule:
    """The schedule shipped with the part."""
    text = (files("govparts.archives") / "data" / "retention-schedule.csv").read_text(encoding="utf-8")
    return RetentionSchedule.from_rows(csv.DictReader(text.splitlines()))


def retention_expires_on(year: int, retention: str) -> date | None:
    """The day an item of ``year`` reaches the end of its retention period (``None`` when permanent).

    Periods count from the year after the records' year (DA/T 22-2015 classifies by year), so a
    D10 item of 2016 falls due for appraisal on 2027-01-01.
    """
    if retention not in RETENTION_YEARS:
        raise InvalidInput(
            N_("{field}: {got} is not a retention period code (expected one of {allowed})"),
            field="retention",
            got=retention,
            allowed=list(RETENTION_CODES),
            domain=DOMAIN,
        )
    years = RETENTION_YEARS[retention]
    return None if years is None else date(year + years + 1, 1, 1)


def filing_year(written_on: date | None, document_number: str | None, received_at: datetime | None) -> int:
    """The year (年度) an item is filed under: the year the document itself was formed.

    DA/T 22-2015 classifies records by year (按年度分类), the year they were formed: the 成文日期
    (date of writing) when the document carries one; else the year of its document number
    (发文字号, GB/T 9704-2012 7.2.5: the year in 〔〕 is the year of issue); else, for an incoming
    document with neither, the year it was received. Never the year it happens to be filed in.

    >>> filing_year(None, "天政服发〔2023〕7号", datetime(2026, 1, 5))
    2023
    """
    if written_on is not None:
        return written_on.year
    if document_number and _docnum.is_valid(document_number):
        return _docnum.parse(document_number).year
    if received_at is not None:
        return received_at.year
    raise InvalidInput(
        N_("{field}: the document has no date to file it under (date of writing, number or receipt)"),
        field="written_on",
        domain=DOMAIN,
    )


def secrecy_expires_on(classified_on: date | None, period_years: int | None) -> date | None:
    """When a secrecy period (保密期限) ends, or ``None`` when no period is set."""
    if classified_on is None or period_years is None:
        return None
    try:
        return classified_on.replace(year=classified_on.year + period_years)
    except ValueError:  # 29 February
        return date(classified_on.year + period_years, 3, 1)


def secrecy_mark(level_zh: str | None, period_years: int | None) -> str:
    """The 版头 marking of 密级和保密期限: ``秘密★5年``, or the level alone when no period is set.

    GB/T 9704-2012 §7.2.2: the level and period are joined by ★; without a period there is no ★.
    """
    if not level_zh:
        return ""
    return f"{level_zh}★{period_years}年" if period_years else level_zh


def fixity(data: bytes) -> dict[str, str]:
    """Fixity digests of ``data``: ``sha256`` always, ``sm3`` (GB/T 32905-2016) where OpenSSL offers it.

    The SM3 choice follows :func:`govparts.core.audit.hash_algorithm`.
    """
    digests = {"sha256": hashlib.sha256(data).hexdigest()}
    if hash_algorithm() == "sm3":
        digests["sm3"] = hashlib.new("sm3", data).hexdigest()
    return digests


def content_digest(title: str, body: str, attachments: Iterable[str] = ()) -> str:
    """A digest of a document's substance (title, body, attachment digests), to detect later changes."""
    hasher = hashlib.new(hash_algorithm())
    for part in (title, body, *attachments):
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\x00")
    return str(hasher.hexdigest())
