"""Say which national identifier a string is, whether it is valid, and why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import InvalidIdentifier
from ..i18n import N_
from . import citizen_id, credit_code, division_code
from ._common import clean, is_ascii_digits

__all__ = ["IdInfo", "IdKind", "describe"]

IdKind = Literal["citizen-id", "credit-code", "division-code"]


@dataclass(frozen=True)
class IdInfo:
    """What :func:`describe` found out about a string.

    ``kind`` is the identifier the string looks like (``None`` when it looks like none of them),
    ``canonical`` its canonical form when valid, ``error`` the reason when not, ``details`` what a
    valid identifier says (birth date, sex, kind of document, division names…).
    """

    value: str
    kind: IdKind | None
    valid: bool
    canonical: str | None = None
    standard: str | None = None
    error: InvalidIdentifier | None = None
    details: dict[str, str] = field(default_factory=dict)

    def reason(self, locale: str | None = None) -> str:
        """Why the value is invalid, in ``locale`` (empty when valid)."""
        return self.error.message(locale) if self.error else ""

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """A JSON-ready description (the error as :meth:`GovPartsError.to_dict`)."""
        return {
            "value": self.value,
            "kind": self.kind,
            "valid": self.valid,
            "canonical": self.canonical,
            "standard": self.standard,
            "error": self.error.to_dict(locale) if self.error else None,
            "details": dict(self.details),
        }


def _citizen(value: str) -> IdInfo:
    try:
        info = citizen_id.get_info(value)
    except InvalidIdentifier as err:
        return IdInfo(value, "citizen-id", False, standard=citizen_id.STANDARD, error=err)
    details = {"kind": info.kind.value, "birth_date": info.birth_date.isoformat()}
    if info.sex is not None:
        details["sex"] = info.sex
    if info.division is not None:
        details["division"] = info.division
        if info.division in citizen_id.PERMIT_CODES:
            details["permit_region"] = citizen_id.PERMIT_CODES[info.division]
        else:
            details["division_name"] = division_code.get_name(info.division)
    return IdInfo(value, "citizen-id", True, info.number, citizen_id.STANDARD, details=details)


def _credit(value: str) -> IdInfo:
    try:
        code = credit_code.validate(value)
    except InvalidIdentifier as err:
        return IdInfo(value, "credit-code", False, standard=credit_code.STANDARD, error=err)
    details = {
        "authority": code[0],
        "organization_type": code[1],
        "division": code[2:8],
        "organization_code": code[8:17],
    }
    if division_code.is_valid(code[2:8]):
        details["division_name"] = division_code.get_name(code[2:8])
    return IdInfo(value, "credit-code", True, code, credit_code.STANDARD, details=details)


def _division(value: str) -> IdInfo:
    try:
        entry = division_code.get_division(value)
    except InvalidIdentifier as err:
        return IdInfo(value, "division-code", False, standard=division_code.STANDARD, error=err)
    details = {"name": entry.label()}
    if entry.parent:
        details["parent"] = entry.parent
    if entry.valid_from:
        details["valid_from"] = entry.valid_from.isoformat()
    if entry.valid_to:
        details["valid_to"] = entry.valid_to.isoformat()
    return IdInfo(value, "division-code", True, entry.code, division_code.STANDARD, details=details)


def describe(value: object) -> IdInfo:
    """Which identifier ``value`` is (citizen id, credit code or division code), valid or not, and why.

    The kind is read from the shape: 6 digits is a division code; 15 digits a legacy citizen id; 18
    characters a citizen id when the first 17 are digits and it validates as one (or fails as a credit
    code too), otherwise a credit code. Never raises.

    >>> describe('11010519491231002X').kind
    'citizen-id'
    >>> describe('91350100M000100Y43').details['organization_type']
    '1'
    """
    shown = value if isinstance(value, str) else repr(value)
    try:
        text = clean(value, "identifier")
    except InvalidIdentifier as err:
        return IdInfo(shown, None, False, error=err)
    if len(text) == 6 and is_ascii_digits(text):
        return _division(shown)
    if len(text) == 15 and is_ascii_digits(text):
        return _citizen(shown)
    if len(text) == 18:
        if is_ascii_digits(text[:17]):
            as_citizen = _citizen(shown)
            if as_citizen.valid:
                return as_citizen
            as_credit = _credit(shown)
            return as_credit if as_credit.valid else as_citizen
        return _credit(shown)
    return IdInfo(
        shown,
        None,
        False,
        error=InvalidIdentifier(
            N_(
                "{field}: {got} is neither a citizen identity number (18 characters), a unified "
                "social credit code (18 characters) nor a division code (6 digits)"
            ),
            field="identifier",
            got=text,
        ),
    )
