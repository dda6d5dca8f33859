"""档号 (archival code) of an item of records, DA/T 22-2015 《归档文件整理规则》.

DA/T 22-2015 gives the archival code of an item (件) as
``全宗号-档案门类代码·年度-保管期限-机构(问题)代码-件号``: fonds number, records category code and
year joined by a middle dot (U+00B7, the separator of codes at the same level), then the retention
period code (永久 ``Y``, 定期30年 ``D30``, 定期10年 ``D10``), the optional organisation (or subject)
code, and the item number, which runs within the lowest class of the scheme and is written with at
least four digits, zero-padded (``0001``). Administrative records (文书档案) have category ``WS``.

Real registers are messy (spaces around ``·``, a missing ``·``, OCR's ``S·`` for ``WS·``, full-width
hyphens, three-digit item numbers): :func:`compact` normalises them, :func:`validate` checks text as
written.

>>> validate("J001-WS·2016-Y-BGS-0005")
'J001-WS·2016-Y-BGS-0005'
>>> parse("0094-WS·2021-D10-0533")
ArchivalCode(fonds='0094', category='WS', year=2021, retention='D10', organisation=None, item_number=533)
>>> compact("J102-WS 2020-D10-007")
'J102-WS·2020-D10-0007'
>>> is_valid("J001-WS·2016-Y-BGS-5")
False
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from govparts.core.errors import InvalidIdentifier
from govparts.core.i18n import N_

from ._i18n import DOMAIN

__all__ = [
    "RETENTION_CODES",
    "ArchivalCode",
    "compact",
    "format",
    "format_parts",
    "is_valid",
    "parse",
    "validate",
]

CLAUSE = "DA/T 22-2015"
RETENTION_CODES = ("Y", "D30", "D10")
"""保管期限 codes: 永久, 定期30年, 定期10年 (DA/T 22-2015)."""

_FONDS = re.compile(r"^[A-Z0-9]{4}$")
_CATEGORY = re.compile(r"^[A-Z]{2}$")
_ORG = re.compile(r"^[A-Z0-9]{1,10}$")
_DOTS = "•・．.‧∙⋅･"
_DASHES = "－—–‐‑_﹣"


class ArchivalCode(NamedTuple):
    """A parsed archival code."""

    fonds: str
    category: str
    year: int
    retention: str
    organisation: str | None
    item_number: int

    def __str__(self) -> str:
        org = f"-{self.organisation}" if self.organisation else ""
        return f"{self.fonds}-{self.category}·{self.year}-{self.retention}{org}-{self.item_number:04d}"

    @property
    def class_key(self) -> tuple[str, str, int, str, str]:
        """The lowest class the item is numbered within: fonds, category, year, retention, organisation."""
        return (self.fonds, self.category, self.year, self.retention, self.organisation or "")


def _fail(message: str, code: str, field: str = "archival_code", **details: object) -> InvalidIdentifier:
    return InvalidIdentifier(message, field=field, got=code, clause=CLAUSE, domain=DOMAIN, **details)


def compact(code: str) -> str:
    """Normalise messy writing of an archival code into the standard's form, without checking it."""
    text = unicodedata.normalize("NFKC", str(code).replace("·", "\x00")).replace("\x00", "·").upper()
    for ch in _DOTS:
        text = text.replace(ch, "·")
    for ch in _DASHES:
        text = text.replace(ch, "-")
    text = re.sub(r"\s*·\s*", "·", text.strip())
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"^([A-Z0-9]{4})-([A-Z]{2})\s*([0-9]{4})-", r"\1-\2·\3-", text)
    text = re.sub(r"^([A-Z0-9]{4})-S·", r"\1-WS·", text)
    parts = text.split("-")
    if parts and parts[-1].isdigit() and len(parts[-1]) < 4:
        parts[-1] = parts[-1].zfill(4)
    return "-".join(parts)


def parse(code: str) -> ArchivalCode:
    """Parse ``code`` written as DA/T 22-2015 prescribes; raise naming the segment that is wrong."""
    text = str(code)
    head, sep, rest = text.partition("·")
    if not sep:
        raise _fail(
            N_(
                "{field}: the category code and the year must be joined by a middle dot ·, "
                "got {got} ({clause})"
            ),
            text,
        )
    head_parts = head.split("-")
    if len(head_parts) != 2:
        raise _fail(
            N_("{field}: expected fonds number - category code before the ·, got {got} ({clause})"), text
        )
    fonds, category = head_parts
    if not _FONDS.match(fonds):
        raise _fail(
            N_("{field}: the fonds number must be 4 capital letters or digits, got {got} ({clause})"), text
        )
    if not _CATEGORY.match(category):
        raise _fail(
            N_("{field}: the records category code must be 2 capital letters, got {got} ({clause})"), text
        )
    parts = rest.split("-")
    if len(parts) not in (3, 4):
        raise _fail(
            N_(
                "{field}: expected year - retention period [- organisation code] - item number "
                "after the ·, got {got} ({clause})"
            ),
            text,
        )
    year, retention, item = parts[0], parts[1], parts[-1]
    organisation = parts[2] if len(parts) == 4 else None
    if not re.fullmatch(r"[0-9]{4}", year):
        raise _fail(N_("{field}: the year must be four digits, got {got} ({clause})"), text)
    if retention not in RETENTION_CODES:
        raise _fail(
            N_("{field}: the retention period code must be one of {allowed}, got {got} ({clause})"),
            text,
            allowed=list(RETENTION_CODES),
        )
    if organisation is not None and not _ORG.match(organisation):
        raise _fail(
            N_(
                "{field}: the organisation code must be 1 to 10 capital letters or digits, "
                "got {got} ({clause})"
            ),
            text,
        )
    if not re.fullmatch(r"[0-9]{4,}", item) or int(item) == 0 or item != f"{int(item):04d}":
        raise _fail(
            N_(
                "{field}: the item number must be at least 4 digits, zero-padded, from 0001, "
                "got {got} ({clause})"
            ),
            text,
        )
    return ArchivalCode(fonds, category, int(year), retention, organisation, int(item))


def validate(code: str) -> str:
    """Return ``code`` if it is written as DA/T 22-2015 prescribes, else raise (see :func:`parse`)."""
    return str(parse(code))


def is_valid(code: str) -> bool:
    """True when ``code`` is a well-formed archival code; never raises."""
    try:
        parse(code)
    except (InvalidIdentifier, TypeError):
        return False
    return True


def format(code: str) -> str:
    """The standard form of a possibly messy ``code`` (:func:`compact`, then :func:`validate`)."""
    return validate(compact(code))


def format_parts(
    fonds: str, category: str, year: int, retention: str, item_number: int, *, organisation: str | None = None
) -> str:
    """Write an archival code from its parts, checking each."""
    if isinstance(item_number, bool) or not isinstance(item_number, int) or item_number < 1:
        raise _fail(
            N_("{field}: the item number must be an integer of at least 1, got {got} ({clause})"),
            str(item_number),
            "item_number",
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise _fail(N_("{field}: the year must be four digits, got {got} ({clause})"), str(year), "year")
    text = str(
        ArchivalCode(str(fonds), str(category), year, str(retention), organisation or None, item_number)
    )
    return validate(text)
