"""发文字号 (document number) of a Party or government official document, GB/T 9704-2012 §7.2.5.

A document number consists of the issuing organ's code (发文机关代字), the year and the serial
number (发文顺序号). GB/T 9704-2012 §7.2.5: the year is written in full and enclosed in hexagonal
brackets 〔〕 (U+3014, U+3015); the serial number carries no leading zeros ("不编虚位", 1 not 01) and
no 第 ("不加'第'字"), and is followed by 号. A joint document uses the lead organ's number.
The 2012 regulation (党政机关公文处理工作条例, 中办发〔2012〕14号, Art. 9(五)) defines the element.
(The standard's table of contents puts 发文字号 at 7.2.5; 7.2.4 is 发文机关标志, the clause that
earlier govparts texts cited by mistake.)

Real registers are full of look-alikes: [] 【】 ﹝﹞ () for 〔〕, a 第 before the serial, 01 for 1,
full-width digits and stray spaces. :func:`compact` turns such text into the standard's form;
:func:`validate` checks text *as written* and says which rule it breaks.

>>> validate("新政发〔2003〕17号")
'新政发〔2003〕17号'
>>> compact("新政发[2003]第017号")
'新政发〔2003〕17号'
>>> is_valid("国发〔2018〕01号")
False
>>> parse("国办发〔2012〕14号")
DocumentNumber(organ_code='国办发', year=2012, serial=14)
>>> format_parts("新政发", 2003, 17)
'新政发〔2003〕17号'
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from govparts.core.errors import InvalidIdentifier
from govparts.core.i18n import N_

from ._i18n import DOMAIN

__all__ = ["DocumentNumber", "compact", "format", "format_parts", "is_valid", "parse", "validate"]

CLAUSE = "GB/T 9704-2012 7.2.5"
MIN_YEAR = 1949
MAX_YEAR = 2199
MAX_ORGAN_LENGTH = 20

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ORGAN = re.compile(rf"^[{_CJK}A-Za-z0-9]+$")
_SHAPE = re.compile(rf"^(?P<organ>[{_CJK}A-Za-z0-9]+?)〔(?P<year>[^〕]*)〕(?P<serial>.*?)号$")
_OPEN = "[【﹝(（〖［{"
_CLOSE = "]】﹞)）〗］}"


class DocumentNumber(NamedTuple):
    """A parsed document number: organ code, year in full, serial number."""

    organ_code: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.organ_code}〔{self.year}〕{self.serial}号"


def _fail(message: str, number: str, field: str = "document_number", **details: object) -> InvalidIdentifier:
    return InvalidIdentifier(message, field=field, got=number, clause=CLAUSE, domain=DOMAIN, **details)


def compact(number: str) -> str:
    """Normalise look-alike writing into the standard's form, without checking it.

    Removes white space, maps full-width characters to their plain forms (NFKC, keeping 〔〕),
    replaces look-alike brackets with 〔〕, drops a 第 before the serial and leading zeros.
    """
    text = "".join(unicodedata.normalize("NFKC", ch) if ch not in "〔〕" else ch for ch in str(number))
    text = "".join(text.split())
    for ch in _OPEN:
        text = text.replace(ch, "〔")
    for ch in _CLOSE:
        text = text.replace(ch, "〕")
    match = re.match(r"^(.*〕)第?0*([0-9]+)号$", text)
    if match:
        text = f"{match.group(1)}{match.group(2)}号"
    return text


def _check_organ(organ: str, number: str, field: str = "document_number") -> None:
    if not organ or len(organ) > MAX_ORGAN_LENGTH or not _ORGAN.match(organ):
        raise _fail(
            N_(
                "{field}: the issuing organ's code must be 1 to 20 Chinese characters, letters or digits, "
                "got {got} ({clause})"
            ),
            number,
            field,
        )


def _check_year(year: int, number: str, field: str = "document_number") -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(
            N_("{field}: the year must lie between 1949 and 2199, got {got} ({clause})"), number, field
        )


def parse(number: str) -> DocumentNumber:
    """Parse ``number`` written exactly as GB/T 9704-2012 §7.2.5 prescribes; raise if it is not.

    Raises :class:`~govparts.core.errors.InvalidIdentifier` (field ``document_number``) naming the
    rule broken: brackets other than 〔〕, a year not in full, a 第, a zero-padded or zero serial, a
    missing 号.
    """
    text = str(number)
    if "〔" not in text or "〕" not in text:
        raise _fail(
            N_("{field}: the year must be enclosed in hexagonal brackets 〔〕, got {got} ({clause})"), text
        )
    match = _SHAPE.match(text)
    if match is None:
        if not text.endswith("号"):
            raise _fail(N_("{field}: the serial number must be followed by 号, got {got} ({clause})"), text)
        raise _fail(
            N_(
                "{field}: expected organ code, year in 〔〕 and serial number followed by 号, "
                "got {got} ({clause})"
            ),
            text,
        )
    organ, year, serial = match.group("organ"), match.group("year"), match.group("serial")
    _check_organ(organ, text)
    if not re.fullmatch(r"[0-9]{4}", year):
        raise _fail(N_("{field}: the year must be written in full (four digits), got {got} ({clause})"), text)
    _check_year(int(year), text)
    if serial.startswith("第"):
        raise _fail(N_("{field}: the serial number must not carry 第, got {got} ({clause})"), text)
    if not re.fullmatch(r"[0-9]+", serial):
        raise _fail(
            N_("{field}: the serial number must be written in Arabic digits, got {got} ({clause})"), text
        )
    if serial.startswith("0"):
        raise _fail(
            N_("{field}: the serial number must not be padded with zeros (1, not 01), got {got} ({clause})"),
            text,
        )
    return DocumentNumber(organ, int(year), int(serial))


def validate(number: str) -> str:
    """Return ``number`` if it is written as the standard prescribes, else raise (see :func:`parse`)."""
    return str(parse(number))


def is_valid(number: str) -> bool:
    """True when ``number`` is written exactly as GB/T 9704-2012 §7.2.5 prescribes; never raises."""
    try:
        parse(number)
    except (InvalidIdentifier, TypeError):
        return False
    return True


def format(number: str) -> str:
    """The standard form of a possibly messy ``number`` (:func:`compact`, then :func:`validate`)."""
    return validate(compact(number))


def format_parts(organ_code: str, year: int, serial: int) -> str:
    """Write a document number from its parts (organ code, year in full, serial ≥ 1)."""
    organ = str(organ_code)
    _check_organ(organ, organ, "organ_code")
    if isinstance(year, bool) or not isinstance(year, int):
        raise _fail(N_("{field}: the year must be an integer, got {got} ({clause})"), str(year), "year")
    _check_year(year, str(year), "year")
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 1:
        raise _fail(
            N_("{field}: the serial number must be an integer of at least 1, got {got} ({clause})"),
            str(serial),
            "serial",
        )
    return str(DocumentNumber(organ, year, serial))
