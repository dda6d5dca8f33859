"""GB 11643-1999 citizen identity number (公民身份号码).

GB 11643-1999 *Citizen identification number* gives every citizen a unique number for life. It is 18
characters (§5.1): a 6-digit address code, the GB/T 2260 code of the county where the person's
permanent household was registered when the number was assigned (§5.2); the 8-digit birth date
YYYYMMDD (§5.3, GB/T 7408); a 3-digit sequence code, odd for men and even for women (§5.4); and a check
character computed with ISO 7064:1983 MOD 11-2 over the 17 digits before it, where ``X`` stands for 10
(§5.5). The standard replaced GB 11643-1989, whose 15-digit numbers had a 2-digit year and no check
character; :func:`upgrade_legacy` converts them.

This module checks what the number itself can prove:

* 18 characters, 17 digits and a check character ``0``-``9`` or ``X`` (a lower-case ``x`` is accepted
  and normalised);
* the check character (§5.5);
* the birth date is a real date and not in the future (§5.3). There is no lower bound: the
  standard's own example in Annex A was born in 1880;
* the address code is a GB/T 2260 code that exists **or once existed** anywhere in China. Codes are
  never reused (GB/T 2260-2007 §3.3) and a number never changes, so a code revoked since (吐鲁番地区
  652100) stays valid. We do **not** require the county to have existed in the birth year: the code is
  the one in force when the number was assigned, often decades after birth (python-stdnum wrongly
  rejects such numbers, for example the standard's own ``440524188001010014``).

The same 18-character form and check serve two related documents, told apart by :func:`get_kind`:
residence permits of Hong Kong, Macao and Taiwan residents (address codes 810000, 820000 and 830000)
and, since 2023-12-01, the foreign permanent-resident ID card, whose number begins with ``9`` and
carries a numeric nationality code where a citizen's number has its address code (the National
Immigration Administration's rules, 2023); for those the address check is skipped.

More information:

* GB 11643-1999, https://openstd.samr.gov.cn (the standard; Annex A has the worked examples)
* 国发〔1999〕15号, State Council decision introducing the citizen identity number system

>>> validate('11010519491231002x')
'11010519491231002X'
>>> info = get_info('440524188001010014')
>>> info.birth_date, info.sex, info.division, info.kind.value
(datetime.date(1880, 1, 1), '1', '440524', 'resident')
>>> upgrade_legacy('110105491231002')
'11010519491231002X'
>>> validate('110105194912310023')  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
govparts.core.errors.InvalidIdentifier: citizen_id: check character should be 'X', got '3' (GB 11643-1999 ...)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..i18n import N_
from ._common import clean, fail, first_non_digit, is_ascii_digits, validate_in_model
from ._divisions import table

__all__ = [
    "CitizenIdInfo",
    "CitizenIdKind",
    "calc_check_character",
    "check_fast",
    "compact",
    "format",
    "get_birth_date",
    "get_info",
    "get_kind",
    "get_sex",
    "is_valid",
    "upgrade_legacy",
    "validate",
]

STANDARD = "GB 11643-1999"
FIELD = "citizen_id"

# ISO 7064 MOD 11-2: value v of the check character; 'X' is 10.
_CHECK = "0123456789X"
# Address codes of the residence permits for Hong Kong, Macao and Taiwan residents.
PERMIT_CODES = {"810000": "Hong Kong", "820000": "Macao", "830000": "Taiwan"}
# GB 11643-1989 reserved sequence codes 996-999 for centenarians: their century is not 19.
_CENTENARIAN_SEQUENCES = frozenset({"996", "997", "998", "999"})
# Birth dates before this year are checked on the slow path (still accepted when real and past).
_FAST_DATES_FROM = 1900


class CitizenIdKind(StrEnum):
    """What kind of document an 18-character GB 11643 number belongs to."""

    RESIDENT = "resident"
    """A citizen identity number (居民身份证)."""
    HK_MO_TW_PERMIT = "hk-mo-tw-residence-permit"
    """Residence permit of a Hong Kong, Macao or Taiwan resident (港澳台居民居住证), address 81/82/830000."""
    FOREIGN_PERMANENT_RESIDENT = "foreign-permanent-resident"
    """Foreign permanent-resident ID card, 2023 edition (外国人永久居留身份证), first digit 9."""


@dataclass(frozen=True, slots=True)
class CitizenIdInfo:
    """What a valid number says about its holder.

    ``sex`` is the GB/T 2261.1-2003 code: ``'1'`` male (odd sequence), ``'2'`` female (even), per
    GB 11643-1999 §5.4; ``None`` for foreign permanent-resident numbers, whose rules we have not seen.
    ``division`` is the address code (for a foreigner's number: ``None``).
    """

    number: str
    kind: CitizenIdKind
    birth_date: date
    sex: str | None
    division: str | None


def calc_check_character(body: str) -> str:
    """The MOD 11-2 check character for the 17-digit ``body`` (GB 11643-1999 §5.5).

    The standard's weights are 2^(17-i) mod 11; since 13 ≡ 2 (mod 11), reading the body as a
    base-13 number gives half the weighted sum, so the check value is (1 - 2·int(body, 13)) mod 11.
    """
    return _CHECK[(1 - 2 * int(body, 13)) % 11]


def compact(number: object) -> str:
    """The number without separators or surrounding space, upper-cased (``x`` becomes ``X``)."""
    return clean(number, FIELD)


# -- fast path (pydantic) ----------------------------------------------------------------------------
#
# The check value depends only on the body read as a base-13 number b, modulo 11 (see
# calc_check_character), and b mod 11 is the sum of what each part of the body contributes. So small
# tables keyed by the parts as text hold those contributions: every address code that is or was in
# GB/T 2260, the years from 1900 to last year, the days of a year (29 February left out), the sequence
# codes, and the check characters, each offset by what it requires of the sum. A number in canonical
# form whose parts are all keys has real, past parts, and is valid exactly when the contributions add
# up to 0 mod 11: five lookups, no parsing and no date arithmetic. The keys are ASCII digits (and 'X')
# of fixed lengths, so hits also prove the alphabet. A leap day, a birth this year or before 1900, and
# anything not canonical take the slow path. The tables are small on purpose: one keyed by whole dates
# would be a hundred times the size, and in a bulk load its lookups miss the processor's caches.

_lock = threading.Lock()
_address_parts: dict[str, int] = {}
_year_parts: dict[str, int] = {}
_day_parts: dict[str, int] = {}
_SEQUENCE_PARTS = {f"{sequence:03d}": int(f"{sequence:03d}", 13) % 11 for sequence in range(1000)}
# Check value v requires b ≡ 6·(1 - v) (mod 11), since v = (1 - 2b) mod 11 and 2·6 ≡ 1.
_CHECK_PARTS = {char: -6 * (1 - value) % 11 for value, char in enumerate(_CHECK)}
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _load() -> None:
    global _address_parts, _year_parts, _day_parts
    with _lock:
        if _day_parts:
            return
        # 13**11, 13**7 and 13**3: the place values in b of the address code, the year and the day.
        _address_parts = {
            code: int(code, 13) * 13**11 % 11 for code in table().all_codes | frozenset(PERMIT_CODES)
        }
        years = (f"{year:04d}" for year in range(_FAST_DATES_FROM, date.today().year))
        _year_parts = {year: int(year, 13) * 13**7 % 11 for year in years}
        days = (
            f"{m:02d}{d:02d}" for m, last in enumerate(_DAYS_IN_MONTH, start=1) for d in range(1, last + 1)
        )
        _day_parts = {day: int(day, 13) * 13**3 % 11 for day in days}


def check_fast(number: str) -> str:
    """Validate a number already in canonical form quickly; anything else goes to :func:`validate`.

    The pydantic validator of :data:`~govparts.core.ids.CitizenId`: the common case costs five
    dictionary lookups and one remainder. Its errors name the field ``value`` (pydantic adds the path).
    """
    try:
        if (
            len(number) == 18
            and not (
                _address_parts[number[:6]]
                + _year_parts[number[6:10]]
                + _day_parts[number[10:14]]
                + _SEQUENCE_PARTS[number[14:17]]
                + _CHECK_PARTS[number[17]]
            )
            % 11
        ):
            return number
    except KeyError:
        if not _day_parts:
            _load()
    return validate_in_model(validate, number)


# -- full validation --------------------------------------------------------------------------------


def _birth_date(text: str, clause: str) -> date:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise fail(
            N_("{field}: birth date {got} is not a real date ({clause})"),
            field=FIELD,
            got=text,
            clause=clause,
        ) from None
    if born > date.today():
        raise fail(
            N_("{field}: birth date {got} is in the future ({clause})"),
            field=FIELD,
            got=text,
            clause=clause,
        )
    return born


def _check_address(code: str) -> None:
    if code not in PERMIT_CODES and code not in table().all_codes:
        raise fail(
            N_("{field}: address code {got} is not a GB/T 2260 division code, current or former ({clause})"),
            field=FIELD,
            got=code,
            clause=f"{STANDARD} §5.2",
        )


def validate(number: object) -> str:
    """Return the canonical 18-character number, or raise :class:`~govparts.core.errors.InvalidIdentifier`.

    The error names the part that is wrong and the clause of GB 11643-1999 it breaks.
    """
    text = compact(number)
    if len(text) == 15 and is_ascii_digits(text):
        raise fail(
            N_(
                "{field}: {got} is a 15-digit number of the withdrawn GB 11643-1989; "
                "convert it with upgrade_legacy_citizen_id() ({clause})"
            ),
            field=FIELD,
            got=text,
            clause=f"{STANDARD} §5.1",
        )
    if len(text) != 18:
        raise fail(
            N_("{field}: expected {expected} characters, got {length} ({clause})"),
            field=FIELD,
            expected=18,
            length=len(text),
            clause=f"{STANDARD} §5.1",
        )
    body, check = text[:17], text[17]
    bad = first_non_digit(body)
    if bad >= 0:
        raise fail(
            N_("{field}: character {position} should be a digit, got {got} ({clause})"),
            field=FIELD,
            position=bad + 1,
            got=body[bad],
            clause=f"{STANDARD} §5.1",
        )
    if check not in _CHECK:
        raise fail(
            N_("{field}: the check character should be a digit or X, got {got} ({clause})"),
            field=FIELD,
            got=check,
            clause=f"{STANDARD} §5.5",
        )
    _birth_date(text[6:14], f"{STANDARD} §5.3")
    if text[0] != "9":
        _check_address(text[:6])
    expected = calc_check_character(body)
    if check != expected:
        raise fail(
            N_("{field}: check character should be {expected}, got {got} ({clause})"),
            field=FIELD,
            expected=expected,
            got=check,
            clause=f"{STANDARD} §5.5",
        )
    return text


def is_valid(number: object) -> bool:
    """True when ``number`` is a valid 18-character number; never raises.

    The same answer as :func:`validate`, found for most numbers by the fast path's tables: a number in
    canonical form whose parts are all keys is settled by its check sum alone (GB 11643-1999 §5.5),
    valid or not; anything else is left to :func:`validate`.
    """
    if type(number) is str and len(number) == 18:
        try:
            total = (
                _address_parts[number[:6]]
                + _year_parts[number[6:10]]
                + _day_parts[number[10:14]]
                + _SEQUENCE_PARTS[number[14:17]]
                + _CHECK_PARTS[number[17]]
            )
        except KeyError:
            if not _day_parts:
                _load()
                return is_valid(number)
        else:
            # Every part is real and past and the alphabet is right: only the check sum can fail.
            return total % 11 == 0
    try:
        validate(number)
    except ValueError:
        return False
    return True


def format(number: object) -> str:
    """The number as the standard prints it: 18 characters, no separators, upper-case ``X``."""
    return compact(number)


def get_kind(number: object) -> CitizenIdKind:
    """Which document the (valid) number belongs to: resident, HK/MO/TW permit or foreigner's card."""
    text = validate(number)
    if text[0] == "9":
        return CitizenIdKind.FOREIGN_PERMANENT_RESIDENT
    if text[:6] in PERMIT_CODES:
        return CitizenIdKind.HK_MO_TW_PERMIT
    return CitizenIdKind.RESIDENT


def get_birth_date(number: object) -> date:
    """The birth date encoded in the (valid) number (GB 11643-1999 §5.3)."""
    text = validate(number)
    return date(int(text[6:10]), int(text[10:12]), int(text[12:14]))


def get_sex(number: object) -> str | None:
    """The GB/T 2261.1 sex code: ``'1'`` for an odd sequence code, ``'2'`` for even (GB 11643-1999 §5.4).

    ``None`` for a foreign permanent-resident number.
    """
    return get_info(number).sex


def get_info(number: object) -> CitizenIdInfo:
    """Everything the (valid) number says: kind, birth date, sex code and address code."""
    text = validate(number)
    kind = get_kind(text)
    foreign = kind is CitizenIdKind.FOREIGN_PERMANENT_RESIDENT
    return CitizenIdInfo(
        number=text,
        kind=kind,
        birth_date=get_birth_date(text),
        sex=None if foreign else ("1" if int(text[16]) % 2 else "2"),
        division=None if foreign else text[:6],
    )


def upgrade_legacy(number: object) -> str:
    """Convert a 15-digit GB 11643-1989 number to the 18-character form of GB 11643-1999.

    The old number is address (6) + birth date YYMMDD (6) + sequence (3), without check character; the
    new one inserts the century ``19`` before the date and appends the MOD 11-2 check character.
    GB 11643-1989 reserved sequence codes 996-999 for centenarians, born in the 1800s: their century
    cannot be inferred, so such numbers are refused rather than converted wrongly.

    >>> upgrade_legacy('110105491231002')
    '11010519491231002X'
    """
    text = compact(number)
    if len(text) != 15 or not is_ascii_digits(text):
        raise fail(
            N_("{field}: a GB 11643-1989 number is 15 digits, got {got} ({clause})"),
            field=FIELD,
            got=text,
            clause="GB 11643-1989",
        )
    if text[12:15] in _CENTENARIAN_SEQUENCES:
        raise fail(
            N_(
                "{field}: sequence code {got} was reserved for centenarians in GB 11643-1989; "
                "the century of the birth date is unknown, so the number cannot be converted ({clause})"
            ),
            field=FIELD,
            got=text[12:15],
            clause="GB 11643-1989",
        )
    body = text[:6] + "19" + text[6:]
    _birth_date(body[6:14], f"{STANDARD} §5.3")
    _check_address(body[:6])
    return body + calc_check_character(body)
