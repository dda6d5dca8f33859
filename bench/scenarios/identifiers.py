"""identifiers-citizen-id and identifiers-credit-code: ``is_valid_*`` on valid numbers vs python-stdnum.

The subject checks 200,000 valid numbers one by one with :func:`govparts.core.ids.is_valid_citizen_id`
(GB 11643-1999) or :func:`~govparts.core.ids.is_valid_credit_code` (GB 32100-2015); the floor does the
same with python-stdnum's ``stdnum.cn.ric.is_valid`` and ``stdnum.cn.uscc.is_valid``, the library
people would otherwise use. Here a ratio above 1 means govparts is faster than python-stdnum.

The numbers are ones both libraries accept, so both do the whole work of a valid number: citizen ids
with address codes that existed in the birth year (python-stdnum insists on it), credit codes of
digit registration authorities (python-stdnum rejects the letters A, N, Y of Amendment No. 1).
A variant times each module's ``validate``, the full validator that ``is_valid`` once called.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from harness import Result, compare, scenario
from stdnum.cn import ric, uscc

from govparts.core.ids import citizen_id, credit_code, is_valid_citizen_id, is_valid_credit_code

# Counties whose codes were in use for the whole span of birth years below (1983-2005).
_ADDRESSES = ("110105", "110108", "310104", "440305", "650102", "650104", "652301", "653101")
_AUTHORITIES = ("11", "12", "13", "51", "52", "91", "92", "93")
_DIVISIONS = ("650100", "650102", "654000", "654002", "653101", "110105")


def _citizen_ids(count: int) -> list[str]:
    rng = random.Random(11643)
    numbers = []
    for _ in range(count):
        body = (
            f"{rng.choice(_ADDRESSES)}{rng.randint(1983, 2005)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        )
        numbers.append(body + citizen_id.calc_check_character(body))
    return numbers


def _credit_codes(count: int) -> list[str]:
    rng = random.Random(32100)
    codes = []
    for _ in range(count):
        body = (
            rng.choice(_AUTHORITIES)
            + rng.choice(_DIVISIONS)
            + "".join(rng.choice(credit_code.ALPHABET) for _ in range(9))
        )
        codes.append(body + credit_code.calc_check_character(body))
    return codes


def _counting(check: Callable[[str], object], numbers: list[str]) -> Callable[[], int]:
    def run() -> int:
        valid = sum(1 for number in numbers if check(number))
        if valid != len(numbers):
            raise AssertionError(f"{len(numbers) - valid} valid numbers refused by {check!r}")
        return valid

    return run


def _validating(validate: Callable[[str], str], numbers: list[str]) -> Callable[[], int]:
    def run() -> int:
        for number in numbers:
            validate(number)
        return len(numbers)

    return run


@scenario(
    "identifiers-citizen-id",
    description="is_valid_citizen_id over 200,000 valid numbers against python-stdnum's cn.ric.is_valid",
    default_records=200_000,
    target_ratio=None,
)
def identifiers_citizen_id(records: int) -> Result:
    """is_valid_citizen_id against stdnum.cn.ric.is_valid on the same numbers."""
    numbers = _citizen_ids(records)
    return compare(
        name="identifiers-citizen-id",
        records=records,
        subject=_counting(is_valid_citizen_id, numbers),
        floor=_counting(ric.is_valid, numbers),
        subject_label="govparts.core.ids.is_valid_citizen_id per number",
        floor_label="python-stdnum stdnum.cn.ric.is_valid per number",
        target_ratio=None,
        measure_memory=False,
        variants={"citizen_id.validate (the full validator)": _validating(citizen_id.validate, numbers)},
    )


@scenario(
    "identifiers-credit-code",
    description="is_valid_credit_code over 200,000 valid codes against python-stdnum's cn.uscc.is_valid",
    default_records=200_000,
    target_ratio=None,
)
def identifiers_credit_code(records: int) -> Result:
    """is_valid_credit_code against stdnum.cn.uscc.is_valid on the same codes."""
    codes = _credit_codes(records)
    return compare(
        name="identifiers-credit-code",
        records=records,
        subject=_counting(is_valid_credit_code, codes),
        floor=_counting(uscc.is_valid, codes),
        subject_label="govparts.core.ids.is_valid_credit_code per code",
        floor_label="python-stdnum stdnum.cn.uscc.is_valid per code",
        target_ratio=None,
        measure_memory=False,
        variants={"credit_code.validate (the full validator)": _validating(credit_code.validate, codes)},
    )
