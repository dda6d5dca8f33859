"""Errors that explain themselves, in the reader's language.

Every error govparts raises is a :class:`GovPartsError`. Each class has a stable kebab-case
``code`` (also the key clients switch on), a message template (an English gettext message id,
translated through the catalog of the domain that raised it) and structured details: the field path
and whatever the template names (what was expected, what came, the clause of the standard)::

    GovPartsError
    ├── InvalidInput (ValueError)              invalid-input
    │   ├── InvalidIdentifier                  invalid-identifier
    │   ├── UnknownCode                        unknown-code
    │   ├── InvalidMoney                       invalid-money
    │   ├── UnsupportedLocale                  unsupported-locale
    │   ├── InvalidSpec                        invalid-spec
    │   └── InvalidRecord                      invalid-record      (many field errors at once)
    ├── NotFound (LookupError)                 not-found
    │   └── CalendarUnavailable                calendar-unavailable
    ├── ProcessError                           process-error
    │   ├── TransitionNotAllowed               transition-not-allowed
    │   ├── PermissionDenied (PermissionError) permission-denied
    │   │   ├── ClearanceInsufficient          clearance-insufficient
    │   │   └── OrganizationDenied             organization-denied
    │   ├── GuardFailed                        guard-failed
    │   └── ConcurrentModification             concurrent-modification
    ├── IntegrityViolation                     integrity-violation
    └── ConfigurationError (RuntimeError)      configuration-error

Messages are rendered when read, in the locale current at that moment (or the one asked for), so an
error raised deep in a batch job can be shown to a Uyghur-speaking clerk and logged in English::

    >>> from govparts.core.errors import UnknownCode
    >>> err = UnknownCode(field="sex", got="3", code_list="GB/T 2261.1-2003")
    >>> err.code
    'unknown-code'
    >>> err.message("en")
    "sex: '3' is not a code of GB/T 2261.1-2003"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from .i18n import CORE, N_, Domain, get_locale

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "CalendarUnavailable",
    "ClearanceInsufficient",
    "ConcurrentModification",
    "ConfigurationError",
    "GovPartsError",
    "GuardFailed",
    "IntegrityViolation",
    "InvalidIdentifier",
    "InvalidInput",
    "InvalidMoney",
    "InvalidRecord",
    "InvalidSpec",
    "NotFound",
    "OrganizationDenied",
    "PermissionDenied",
    "ProcessError",
    "TransitionNotAllowed",
    "UnknownCode",
    "UnsupportedLocale",
    "from_validation_error",
]


_QUOTED = frozenset({"got", "expected"})


def _render_value(key: str, value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if key in _QUOTED else value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(str(v) for v in items)
    return str(value)


class GovPartsError(Exception):
    """Root of every govparts error.

    ``message_id`` may be passed to choose a more precise template than the class default;
    ``field`` is the dotted path of the offending field; every other keyword is a detail the template
    may name. String details are quoted in the message, lists are joined.
    """

    code: ClassVar[str] = "govparts-error"
    default_message: ClassVar[str] = N_("{field}: {reason}")
    domain: Domain = CORE

    def __init__(
        self,
        message_id: str | None = None,
        /,
        *,
        field: str | None = None,
        domain: Domain | None = None,
        **details: Any,
    ) -> None:
        self.message_id = message_id or self.default_message
        self.field = field
        self.details = details
        if domain is not None:
            self.domain = domain
        super().__init__(self.message_id)

    def with_field(self, field: str) -> GovPartsError:
        """Set the field path (used when a validator learns where its value sat); returns self."""
        self.field = field
        return self

    def message(self, locale: str | None = None) -> str:
        """The message in ``locale`` (default: the current locale)."""
        template = self.domain.gettext(self.message_id, locale or get_locale())
        values = {k: _render_value(k, v) for k, v in self.details.items()}
        values["field"] = self.field or "-"
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation naming a detail the raiser did not give must not hide the error.
            return self.message_id.format_map(_Missing(values))

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r}, details={self.details!r})"

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """A JSON-ready description: code, field, localised message and details."""
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message(locale),
            "details": {k: _jsonable(v) for k, v in self.details.items()},
        }


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


class InvalidInput(GovPartsError, ValueError):
    """A value that breaks a rule; nothing was written."""

    code = "invalid-input"


class InvalidIdentifier(InvalidInput):
    """A national identifier (citizen id, credit code, division code…) that fails its standard."""

    code = "invalid-identifier"


class UnknownCode(InvalidInput):
    """A value that is not a member of the code list a field is typed with."""

    code = "unknown-code"
    default_message = N_("{field}: {got} is not a code of {code_list}")


class InvalidMoney(InvalidInput):
    """An amount that is not exact money (a float, more than two decimal places, not a number)."""

    code = "invalid-money"


class UnsupportedLocale(InvalidInput):
    """A locale govparts does not speak."""

    code = "unsupported-locale"
    default_message = N_("{field}: {got} is not a supported locale (supported: {allowed})")


class InvalidSpec(InvalidInput):
    """A published specification (process, code list, requirement catalogue) that is inconsistent."""

    code = "invalid-spec"


class InvalidRecord(InvalidInput):
    """A record (or batch of records) with one or more invalid fields; ``errors`` lists each."""

    code = "invalid-record"
    default_message = N_("{model}: {count} invalid field(s): {summary}")

    def __init__(self, errors: Sequence[GovPartsError], *, model: str, row: int | None = None) -> None:
        self.errors = list(errors)
        self.row = row
        super().__init__(model=model, count=len(self.errors))

    def message(self, locale: str | None = None) -> str:
        summary = "; ".join(e.message(locale) for e in self.errors)
        template = self.domain.gettext(self.message_id, locale or get_locale())
        return template.format(model=self.details["model"], count=len(self.errors), summary=summary)

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        data = super().to_dict(locale)
        data["errors"] = [e.to_dict(locale) for e in self.errors]
        if self.row is not None:
            data["row"] = self.row
        return data


class NotFound(GovPartsError, LookupError):
    """A thing looked up by id that does not exist."""

    code = "not-found"
    default_message = N_("{field}: no {kind} with id {got}")


class CalendarUnavailable(NotFound):
    """A date in a year for which no working-day arrangement has been published."""

    code = "calendar-unavailable"
    default_message = N_(
        "{field}: no working-day arrangement is published for {year} ({scope}); "
        "load the year's notice before computing working days"
    )


class ProcessError(GovPartsError):
    """A business-process transition that cannot happen."""

    code = "process-error"


class TransitionNotAllowed(ProcessError):
    """The entity's current state does not allow the transition."""

    code = "transition-not-allowed"
    default_message = N_("{field}: {transition} is not allowed in state {state}; allowed now: {allowed}")


class PermissionDenied(ProcessError, PermissionError):
    """The actor holds none of the roles the transition permits."""

    code = "permission-denied"
    default_message = N_("{field}: {actor} may not {transition}; it needs one of the roles {roles}")


class ClearanceInsufficient(PermissionDenied):
    """The actor's clearance is below the material's secrecy level."""

    code = "clearance-insufficient"
    default_message = N_("{field}: {actor} has clearance {clearance}, below {level}")


class OrganizationDenied(PermissionDenied):
    """The data belongs to another organisation than the actor's (nothing about it is revealed)."""

    code = "organization-denied"
    default_message = N_("{field}: {actor} may not act on another organisation's data")


class GuardFailed(ProcessError):
    """A business rule guarding the transition does not hold."""

    code = "guard-failed"
    default_message = N_("{field}: rule {guard} does not hold: {reason}")


class ConcurrentModification(ProcessError):
    """The entity changed since it was read; re-read and retry."""

    code = "concurrent-modification"
    default_message = N_(
        "{field}: {entity} {entity_id} was changed by someone else "
        "(read version {expected}, now {actual}); read it again"
    )


class IntegrityViolation(GovPartsError):
    """Stored data that fails its integrity check (a broken audit chain, a bad digest)."""

    code = "integrity-violation"


class ConfigurationError(GovPartsError, RuntimeError):
    """govparts is set up wrongly (a missing database driver, a part without migrations)."""

    code = "configuration-error"


# pydantic error types we translate; anything else keeps pydantic's English text as the reason.
_PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("{field}: a value is required"),
    "extra_forbidden": N_("{field}: this field is not part of the model"),
    "string_type": N_("{field}: expected text, got {got}"),
    "string_too_short": N_("{field}: text is too short"),
    "string_too_long": N_("{field}: text is too long"),
    "string_pattern_mismatch": N_("{field}: {got} does not have the required form"),
    "int_parsing": N_("{field}: expected a whole number, got {got}"),
    "int_type": N_("{field}: expected a whole number, got {got}"),
    "date_from_datetime_parsing": N_("{field}: expected a date (YYYY-MM-DD), got {got}"),
    "date_parsing": N_("{field}: expected a date (YYYY-MM-DD), got {got}"),
    "date_type": N_("{field}: expected a date (YYYY-MM-DD), got {got}"),
    "datetime_parsing": N_("{field}: expected a date and time (ISO 8601), got {got}"),
    "datetime_type": N_("{field}: expected a date and time (ISO 8601), got {got}"),
    "timezone_aware": N_("{field}: the time must carry its time zone"),
    "bool_parsing": N_("{field}: expected true or false, got {got}"),
    "json_invalid": N_("{field}: not valid JSON"),
    "model_type": N_("{field}: expected an object, got {got}"),
    "list_type": N_("{field}: expected a list, got {got}"),
    "greater_than_equal": N_("{field}: must be at least {limit}, got {got}"),
    "less_than_equal": N_("{field}: must be at most {limit}, got {got}"),
}


def _loc_to_path(loc: Iterable[int | str]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif parts:
            parts.append(f".{item}")
        else:
            parts.append(str(item))
    return "".join(parts) or "-"


def from_validation_error(
    exc: ValidationError, *, model: str | None = None, row: int | None = None
) -> InvalidRecord:
    """Turn a pydantic ``ValidationError`` into an :class:`InvalidRecord` of govparts errors.

    Errors our own validators raised keep their class, code and details; they gain the field path.
    Code-list fields (see :mod:`govparts.core.codes`) report :class:`UnknownCode` naming the list.
    """
    errors: list[GovPartsError] = []
    for item in exc.errors(include_url=False):
        path = _loc_to_path(item["loc"])
        ctx = item.get("ctx") or {}
        original = ctx.get("error")
        if isinstance(original, GovPartsError):
            if not original.field or original.field in ("-", "value"):
                original.field = path
            elif path != "-" and not original.field.startswith(path):
                original.field = f"{path}.{original.field}"
            errors.append(original)
            continue
        kind = item["type"]
        got = item.get("input")
        if kind == "unknown_code":
            errors.append(UnknownCode(field=path, got=str(got), code_list=ctx["code_list"]))
            continue
        limit = ctx.get("ge", ctx.get("le"))
        template = _PYDANTIC_MESSAGES.get(kind)
        shown = got if isinstance(got, (str, int, float, bool)) or got is None else type(got).__name__
        if template is None:
            errors.append(InvalidInput(field=path, reason=item["msg"], pydantic_type=kind))
        else:
            errors.append(InvalidInput(template, field=path, got=shown, limit=limit, pydantic_type=kind))
    return InvalidRecord(errors, model=model or exc.title, row=row)
