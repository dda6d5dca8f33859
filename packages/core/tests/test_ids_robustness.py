"""Every identifier module fed junk: is_valid never raises, validate raises only InvalidIdentifier."""

from __future__ import annotations

import contextlib
import doctest
from collections.abc import Callable
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govparts.core import ids
from govparts.core.errors import InvalidIdentifier
from govparts.core.i18n import use_locale
from govparts.core.ids import _describe, citizen_id, credit_code, describe, division_code

MODULES = [citizen_id, credit_code, division_code]
FAST_CHECKS: list[Callable[[str], str]] = [
    citizen_id.check_fast,
    credit_code.check_fast,
    division_code.check_fast,
]

JUNK: list[object] = [
    "",
    " ",
    "\x00" * 18,
    None,
    0,
    12.5,
    True,
    b"11010519491231002X",
    ["11010519491231002X"],
    {"id": "x"},
    object(),
    "X" * 18,
    "x" * 6,
    "٦٥٤٠٠٢١٩٩٠٠١٠١١٢٣٧",  # Arabic-Indic digits: int() would read them
    "65400219900101١237",
    "6540021990010112_7",
    " 6540021990010112 ",
    "+65400219900101123",
    "65400219900101abc7",
    "91350100M000100Y4\u0663",
    "9135010OM000100Y43",
    "91350100m000100y43 extra",
    "😀" * 18,
    "\u202e11010519491231002X",
    "1" * 1_000_000,
    "654002" * 3,
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("value", JUNK, ids=lambda v: repr(v)[:24])
def test_is_valid_never_raises_and_validate_raises_only_invalid_identifier(
    module: ModuleType, value: object
) -> None:
    """Returns a bool from is_valid and raises nothing but InvalidIdentifier from validate."""
    valid = module.is_valid(value)
    assert isinstance(valid, bool)
    if valid:
        assert module.is_valid(module.validate(value))
    else:
        with pytest.raises(InvalidIdentifier) as caught:
            module.validate(value)
        assert caught.value.field == module.FIELD
        assert caught.value.message("en")


@pytest.mark.parametrize("check", FAST_CHECKS, ids=lambda f: f.__module__)
@pytest.mark.parametrize("value", [v for v in JUNK if isinstance(v, str)], ids=lambda v: repr(v)[:24])
def test_fast_paths_accept_nothing_that_validate_refuses(check: Callable[[str], str], value: str) -> None:
    """Gives the pydantic fast paths the same verdict as validate on junk text."""
    module = {c.__module__: m for c, m in zip(FAST_CHECKS, MODULES, strict=True)}[check.__module__]
    try:
        expected: str | None = module.validate(value)
    except InvalidIdentifier:
        expected = None
    try:
        got: str | None = check(value)
    except InvalidIdentifier:
        got = None
    assert got == expected


@settings(deadline=None)  # the first call builds the lookup tables once
@given(st.text(max_size=40))
def test_random_text_never_escapes(value: str) -> None:
    """Never lets an exception other than InvalidIdentifier out of any module or fast path."""
    for module, check in zip(MODULES, FAST_CHECKS, strict=True):
        assert isinstance(module.is_valid(value), bool)
        for func in (module.validate, check):
            with contextlib.suppress(InvalidIdentifier):
                func(value)


@pytest.mark.parametrize("value", JUNK, ids=lambda v: repr(v)[:24])
def test_describe_never_raises(value: object) -> None:
    """Describes junk as invalid with a reason instead of raising."""
    info = describe(value)
    assert info.valid is False
    assert info.reason("en")
    assert info.to_dict("en")["error"]["code"] == "invalid-identifier"


@pytest.mark.parametrize("module", [*MODULES, _describe, ids], ids=lambda m: m.__name__)
def test_docstring_examples_run(module: ModuleType) -> None:
    """Runs the doctests at the end of each module docstring (in English)."""
    with use_locale("en"):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
