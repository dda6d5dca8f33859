"""GB 32100-2015 unified social credit code (统一社会信用代码), with Amendment No. 1 (2016).

GB 32100-2015 *Coding rule of the unified social credit identifier for legal entities and other
organizations* (in force 2015-10-01; chapter 4, the code structure, is mandatory) gives every legal
entity and other organisation one 18-character code for life, made of digits and upper-case letters
except I, O, Z, S and V (31 symbols). Its parts (chapter 4):

* position 1, the registration authority code (登记管理部门代码): 1-9, and after Amendment No. 1
  (2016-04-18) also A (military reform and establishment office), N (agriculture) and Y (other);
* position 2, the organisation type code (机构类别代码), whose allowed values depend on the authority
  (for example 11 government bodies, 12 public institutions, 91 enterprises, N2 village collectives);
* positions 3-8, the GB/T 2260 division code of the registration authority;
* positions 9-17, the subject identifier: the GB 11714 organisation code;
* position 18, a check character by ISO 7064 MOD 31-3 (GB/T 17710): with symbol values 0-30 and
  weights 3^(i-1) mod 31, the check value is 31 - (sum mod 31), and a result of 31 is written ``0``.

python-stdnum's ``stdnum.cn.uscc`` wants positions 1-8 to be digits and so rejects every code of the
authorities A, N and Y that the amendment introduced; this module follows the amended table.

More information:

* GB 32100-2015 and its Amendment No. 1, https://openstd.samr.gov.cn
* 国发〔2015〕33号, the State Council plan for the unified social credit code system

>>> validate('91350100M000100Y43')  # the worked example of Annex B
'91350100M000100Y43'
>>> validate('N2650102MA00000018')  # a village collective (authority N, type 2)
'N2650102MA00000018'
>>> get_organization_type('11650100MB00000003')  # 11: a government body (机关)
'1'
>>> validate('91350100M000100Y44')  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
govparts.core.errors.InvalidIdentifier: credit_code: check character should be '3', got '4' (...)
"""

from __future__ import annotations

from ..i18n import N_
from ._common import clean, fail, is_ascii_digits, validate_in_model

__all__ = [
    "ALPHABET",
    "ORGANIZATION_TYPES",
    "calc_check_character",
    "check_fast",
    "compact",
    "format",
    "get_authority",
    "get_division",
    "get_organization_code",
    "get_organization_type",
    "is_valid",
    "validate",
]

STANDARD = "GB 32100-2015"
FIELD = "credit_code"

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 code symbols in value order: digits 0-9, then A=10 … Y=30 (no I, O, Z, S, V)."""

ORGANIZATION_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}
"""Registration authority code -> the organisation type codes allowed under it (GB 32100-2015 ch. 4
as amended by Amendment No. 1, 2016)."""

_PAIRS = frozenset(authority + kind for authority, kinds in ORGANIZATION_TYPES.items() for kind in kinds)
_BASE36 = "0123456789abcdefghijklmnopqrstu"
# The check character for each remainder r of the weighted sum mod 31: value (31 - r) mod 31.
_CHECK_BY_REMAINDER = ALPHABET[0] + ALPHABET[:0:-1]
# Each symbol -> the base-36 digit of its value, so that int(…, 34) reads values 0-30 as digits.
_TO_BASE36 = str.maketrans(ALPHABET, _BASE36)
_SYMBOLS = frozenset(ALPHABET)  # for is_valid's test of the check character alone
# The same as a bytes.translate table, every other byte -> '!', which int() refuses (the fast path's
# alphabet check). bytes.translate is a plain table lookup per byte, several times faster than
# str.translate, which consults a dict for each character.
_TO_BASE36_STRICT = bytes(
    ord(_BASE36[ALPHABET.index(chr(i))]) if chr(i) in ALPHABET else ord("!") for i in range(256)
)


def calc_check_character(body: str) -> str:
    """The MOD 31-3 check character for the 17-symbol ``body`` (GB 32100-2015 ch. 4, GB/T 17710).

    Weights are 3^(i-1) mod 31; since 34 ≡ 3 (mod 31), reading the reversed body as a base-34 number
    (each symbol written as the base-36 digit of its value) gives the weighted sum modulo 31.
    """
    total = int(body.translate(_TO_BASE36)[::-1], 34)
    return _CHECK_BY_REMAINDER[total % 31]


def compact(number: object) -> str:
    """The code without separators or surrounding space, upper-cased."""
    return clean(number, FIELD)


def check_fast(number: str) -> str:
    """Validate a code already in canonical form quickly; anything else goes to :func:`validate`.

    The pydantic validator of :data:`~govparts.core.ids.CreditCode`: one ``bytes.translate`` maps
    every allowed symbol to its value and every other character to one that ``int()`` refuses, so
    the checksum also checks the alphabet. Its errors name the field ``value`` (pydantic adds the path).
    """
    if len(number) == 18 and number.isascii() and number[:2] in _PAIRS and number[2:8].isdigit():
        try:
            total = int(number.encode().translate(_TO_BASE36_STRICT)[16::-1], 34)
        except ValueError:
            return validate_in_model(validate, number)
        if _CHECK_BY_REMAINDER[total % 31] == number[17]:
            return number
    return validate_in_model(validate, number)


def validate(number: object) -> str:
    """Return the canonical 18-character code, or raise :class:`~govparts.core.errors.InvalidIdentifier`."""
    code = compact(number)
    if len(code) != 18:
        raise fail(
            N_("{field}: expected {expected} characters, got {length} ({clause})"),
            field=FIELD,
            expected=18,
            length=len(code),
            clause=f"{STANDARD} ch. 4",
        )
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            raise fail(
                N_(
                    "{field}: character {position} is {got}; only digits and upper-case letters "
                    "other than I, O, Z, S, V are allowed ({clause})"
                ),
                field=FIELD,
                position=position,
                got=char,
                clause=f"{STANDARD} ch. 4",
            )
    authority, kind = code[0], code[1]
    if authority not in ORGANIZATION_TYPES:
        raise fail(
            N_("{field}: registration authority code {got} should be one of {allowed} ({clause})"),
            field=FIELD,
            got=authority,
            allowed=list(ORGANIZATION_TYPES),
            clause=f"{STANDARD} ch. 4, Amendment No. 1",
        )
    if kind not in ORGANIZATION_TYPES[authority]:
        raise fail(
            N_(
                "{field}: organisation type code {got} is not used by registration authority "
                "{authority}; expected one of {allowed} ({clause})"
            ),
            field=FIELD,
            got=kind,
            authority=authority,
            allowed=list(ORGANIZATION_TYPES[authority]),
            clause=f"{STANDARD} ch. 4, Amendment No. 1",
        )
    if not is_ascii_digits(code[2:8]):
        raise fail(
            N_("{field}: characters 3-8 should be a six-digit GB/T 2260 division code, got {got} ({clause})"),
            field=FIELD,
            got=code[2:8],
            clause=f"{STANDARD} ch. 4",
        )
    expected = calc_check_character(code[:17])
    if code[17] != expected:
        raise fail(
            N_("{field}: check character should be {expected}, got {got} ({clause})"),
            field=FIELD,
            expected=expected,
            got=code[17],
            clause=f"{STANDARD} ch. 4, Annex B",
        )
    return code


def is_valid(number: object) -> bool:
    """True when ``number`` is a valid unified social credit code; never raises.

    The same answer as :func:`validate`, found for a code in canonical form the way :func:`check_fast`
    finds it (one ``bytes.translate``, one ``int``); anything else is left to :func:`validate`.
    """
    if (
        type(number) is str
        and len(number) == 18
        and number.isascii()
        and number[:2] in _PAIRS
        and number[2:8].isdigit()
        and number[17] in _SYMBOLS
    ):
        try:
            total = int(number.encode().translate(_TO_BASE36_STRICT)[16::-1], 34)
        except ValueError:
            pass  # a character outside the alphabet, perhaps a lower-case letter compact() folds
        else:
            # Every character is a code symbol, so the code is canonical: the check character decides.
            return _CHECK_BY_REMAINDER[total % 31] == number[17]
    try:
        validate(number)
    except ValueError:
        return False
    return True


def format(number: object) -> str:
    """The code as the standard prints it: 18 characters, no separators."""
    return compact(number)


def get_authority(number: object) -> str:
    """The registration authority code (position 1) of the (valid) code."""
    return validate(number)[0]


def get_organization_type(number: object) -> str:
    """The organisation type code (position 2) of the (valid) code."""
    return validate(number)[1]


def get_division(number: object) -> str:
    """The GB/T 2260 division code of the registration authority (positions 3-8)."""
    return validate(number)[2:8]


def get_organization_code(number: object) -> str:
    """The subject identifier (positions 9-17): the GB 11714 organisation code."""
    return validate(number)[8:17]
