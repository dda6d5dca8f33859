"""Pydantic field types for the national identifiers.

Each type is ``Annotated[str, …]``: pydantic-core checks that the value is a string, then one Python
function does the whole check on the common, canonical input with a few table lookups (and, for a
credit code, one C-level integer conversion); only unusual input (separators, lower-case ``x``, an
error) takes the full path, whose :class:`~govparts.core.errors.InvalidIdentifier` pydantic keeps, so
that :func:`~govparts.core.errors.from_validation_error` reports it with the field path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from . import citizen_id, credit_code, division_code

__all__ = ["CitizenId", "CreditCode", "DivisionCode", "IdentifierType"]


@dataclass(frozen=True)
class IdentifierType:
    """Pydantic metadata for a national identifier field; see :data:`CitizenId` and the others."""

    standard: str
    description: str
    pattern: str
    length: int
    check: Callable[[str], str] = field(repr=False)
    examples: tuple[str, ...] = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, core_schema.str_schema())

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": self.pattern,
            "minLength": self.length,
            "maxLength": self.length,
            "description": self.description,
            "examples": list(self.examples),
            "x-standard": self.standard,
        }


CitizenId = Annotated[
    str,
    IdentifierType(
        standard="GB 11643-1999",
        description=(
            "Citizen identity number (公民身份号码, GB 11643-1999): 6-digit GB/T 2260 address code, "
            "8-digit birth date, 3-digit sequence (odd male, even female), MOD 11-2 check character "
            "(X for 10). Also the numbers of HK/Macao/Taiwan residence permits (810000, 820000, 830000) "
            "and of 2023 foreign permanent-resident cards (first digit 9)."
        ),
        pattern=r"^[1-9][0-9]{16}[0-9X]$",
        length=18,
        check=citizen_id.check_fast,
        examples=("11010519491231002X",),
    ),
]
"""A GB 11643-1999 citizen identity number; canonical form (upper-case ``X``) after validation."""

CreditCode = Annotated[
    str,
    IdentifierType(
        standard="GB 32100-2015",
        description=(
            "Unified social credit code (统一社会信用代码, GB 32100-2015 with Amendment No. 1): "
            "registration authority, organisation type, 6-digit GB/T 2260 division code, 9-character "
            "GB 11714 organisation code, MOD 31-3 check character; 31 symbols (no I, O, Z, S, V)."
        ),
        pattern=r"^[1-9ANY][0-9A-HJ-NP-RTUWXY][0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$",
        length=18,
        check=credit_code.check_fast,
        examples=("91350100M000100Y43",),
    ),
]
"""A GB 32100-2015 unified social credit code."""

DivisionCode = Annotated[
    str,
    IdentifierType(
        standard="GB/T 2260-2007",
        description=(
            "Administrative division code (行政区划代码, GB/T 2260): six digits that are or were in the "
            "code list (codes are never reused)."
        ),
        pattern=r"^[1-9][0-9]{5}$",
        length=6,
        check=division_code.check_fast,
        examples=("654002",),
    ),
]
"""A GB/T 2260 division code, current or former."""
