"""GB/T 2260 administrative division code (中华人民共和国行政区划代码).

GB/T 2260-2007 *Codes for the administrative divisions of the People's Republic of China* gives every
province, prefecture and county a six-digit numeric code in three pairs: province (digits 1-2),
prefecture (3-4) and county (5-6) (§3.1). The standard of 2007 is the latest edition; the Ministry of
Civil Affairs publishes the code list as changed each year since. A code, once revoked, is never given
to another division (§3.3), so a former code stays meaningful for good: it still sits in citizen
identity numbers and credit codes issued while it was in force.

A valid code is six digits that exist or once existed in the code list. The hierarchy is data, not
arithmetic: 伊犁哈萨克自治州 (654000) administers 塔城地区 (654200) and 阿勒泰地区 (654300), whose
codes look like its siblings, and the XPCC cities 6590xx sit directly under the autonomous region.

Our list (``GB/T 2260-2007`` in :mod:`govparts.core.codes`) holds the provinces and all of Xinjiang with
Chinese, English and Uyghur names; for the rest of China the national history table shipped with
python-stdnum (``stdnum/cn/loc.dat``) supplies codes, Chinese names and years.

More information:

* GB/T 2260-2007, https://openstd.samr.gov.cn (the standard)
* https://www.mca.gov.cn (Ministry of Civil Affairs yearly code lists)

>>> validate('654002')
'654002'
>>> validate('652100')  # 吐鲁番地区, revoked 2015: still a code
'652100'
>>> get_parent('654200')  # 塔城地区 is administered by Ili
'654000'
>>> get_name('654200', 'en')
'Tacheng Prefecture'
>>> in_force('652100', date(2020, 1, 1))
False
>>> validate('659999')  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
govparts.core.errors.InvalidIdentifier: division_code: '659999' is not a GB/T 2260 division code, ...
"""

from __future__ import annotations

from datetime import date

from ..codes import Code
from ..i18n import N_
from ._common import clean, fail, is_ascii_digits, validate_in_model
from ._divisions import table

__all__ = [
    "check_fast",
    "compact",
    "format",
    "get_ancestors",
    "get_division",
    "get_name",
    "get_parent",
    "in_force",
    "is_listed",
    "is_valid",
    "validate",
]

STANDARD = "GB/T 2260-2007"
FIELD = "division_code"


def compact(number: object) -> str:
    """The code without separators or surrounding space (full-width digits become ASCII)."""
    return clean(number, FIELD)


def validate(number: object) -> str:
    """Return the canonical six-digit code, or raise :class:`~govparts.core.errors.InvalidIdentifier`.

    Accepts any code that is or was in the code list (GB/T 2260-2007 §3.3: codes are never reused).
    """
    code = compact(number)
    if len(code) != 6 or not is_ascii_digits(code):
        raise fail(
            N_("{field}: expected six digits, got {got} ({clause})"),
            field=FIELD,
            got=code,
            clause=f"{STANDARD} §3.1",
        )
    if code not in table().all_codes:
        raise fail(
            N_("{field}: {got} is not a GB/T 2260 division code, current or former ({clause})"),
            field=FIELD,
            got=code,
            clause=f"{STANDARD} §3",
        )
    return code


_known: frozenset[str] = frozenset()


def check_fast(number: str) -> str:
    """The pydantic validator of :data:`~govparts.core.ids.DivisionCode`: one set lookup when valid."""
    global _known
    if number in _known:
        return number
    if not _known:
        _known = table().all_codes
    return validate_in_model(validate, number)


def is_valid(number: object) -> bool:
    """True when ``number`` is a division code that exists or once existed; never raises."""
    try:
        validate(number)
    except ValueError:
        return False
    return True


def format(number: object) -> str:
    """The code as published: six digits, no separators."""
    return compact(number)


def get_division(number: object) -> Code:
    """The entry for the code: names, parent and validity dates."""
    return table().codes[validate(number)]


def is_listed(number: object) -> bool:
    """True when our own list (with English and Uyghur names and the full hierarchy) holds the code."""
    return validate(number) in table().listed


def get_name(number: object, locale: str | None = None) -> str:
    """The division's name in ``locale`` (default: current); Chinese where no translation is recorded."""
    return get_division(number).label(locale)


def get_parent(number: object) -> str | None:
    """The code of the division that administers this one (``None`` for a province-level division)."""
    return get_division(number).parent


def get_ancestors(number: object) -> list[str]:
    """The chain of administering divisions, nearest first, up to the province."""
    codes = table().codes
    chain: list[str] = []
    parent = get_parent(number)
    while parent is not None:
        chain.append(parent)
        parent = codes[parent].parent
    return chain


def in_force(number: object, on: date) -> bool:
    """True when the code was in force on ``on`` (dates known to the year count the whole year)."""
    return get_division(number).valid_on(on)
