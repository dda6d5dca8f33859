"""Find a part's suite, reference implementation and mutants from its :class:`~govparts.core.parts.Part`.

A part names them in its descriptor as ``"module:attribute"`` references::

    PART = Part(
        name="attendance",
        ...,
        requirements="govparts.attendance.conformance:CATALOGUE",   # a Catalogue
        conformance="govparts.attendance.conformance:SUITE",        # a Suite over that catalogue
        reference_factory="govparts.attendance.conformance:reference_service",
        mutants="govparts.attendance.conformance.mutants:MUTANTS",  # a sequence of Mutant
        service_protocol="govparts.attendance.service:AttendanceService",
    )

Every function here also accepts the objects themselves, so a suite can be tested before its part is
installed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from govparts.core.errors import ConfigurationError, InvalidSpec
from govparts.core.i18n import N_
from govparts.core.parts import Part, get_part, iter_parts, load_reference

from ._model import DOMAIN, Catalogue
from ._suite import Suite

if TYPE_CHECKING:
    from ._selftest import Mutant

__all__ = [
    "load_factory",
    "load_mutants",
    "load_reference_factory",
    "load_suite",
    "parts_with_suites",
    "resolve_part",
    "resolve_suite",
]


def _load_reference(reference: str, field: str) -> Any:
    try:
        return load_reference(reference)
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(
            N_("{field}: cannot load {got}: {reason}"),
            field=field,
            got=reference,
            reason=str(exc),
            domain=DOMAIN,
        ) from exc


def _load(part: Part, what: str) -> Any:
    reference = getattr(part, what)
    return None if reference is None else _load_reference(reference, what)


def resolve_part(value: Part | Suite | str) -> Part | Suite:
    """A :class:`Part` or :class:`Suite`: itself, an installed part's name, or a ``module:attr`` reference."""
    if isinstance(value, (Part, Suite)):
        return value
    if ":" in value:
        loaded = _load_reference(value, "part")
        if not isinstance(loaded, (Part, Suite)):
            raise ConfigurationError(
                N_("{field}: {got} names neither a Part nor a Suite"), field="part", got=value, domain=DOMAIN
            )
        return loaded
    return get_part(value)


def load_suite(part: Part) -> Suite:
    """The suite ``part`` publishes, checked against the catalogue it publishes."""
    if part.conformance is None:
        raise ConfigurationError(
            N_("{field}: part {got} publishes no conformance suite"),
            field="conformance",
            got=part.name,
            domain=DOMAIN,
        )
    suite = _load(part, "conformance")
    if not isinstance(suite, Suite):
        raise ConfigurationError(
            N_("{field}: {got} is not a Suite"), field="conformance", got=part.conformance, domain=DOMAIN
        )
    if suite.part != part.name:
        raise InvalidSpec(
            N_("{field}: the suite tests part {got}, the descriptor is {expected}"),
            field="conformance",
            got=suite.part,
            expected=part.name,
            domain=DOMAIN,
        )
    if part.requirements is not None:
        catalogue = _load(part, "requirements")
        if not isinstance(catalogue, Catalogue):
            raise ConfigurationError(
                N_("{field}: {got} is not a Catalogue"),
                field="requirements",
                got=part.requirements,
                domain=DOMAIN,
            )
        if catalogue.fingerprint() != suite.catalogue.fingerprint():
            raise InvalidSpec(
                N_("{field}: the suite tests another catalogue ({got}) than the part publishes ({expected})"),
                field="conformance",
                got=suite.catalogue.fingerprint(),
                expected=catalogue.fingerprint(),
                domain=DOMAIN,
            )
    return suite


def resolve_suite(value: Part | Suite | str) -> Suite:
    """The suite of a part given as anything :func:`resolve_part` accepts."""
    resolved = resolve_part(value)
    return resolved if isinstance(resolved, Suite) else load_suite(resolved)


def load_factory(reference: str, field: str = "target") -> Callable[[], Any]:
    """The callable a ``module:attribute`` reference names (a vendor's service factory)."""
    factory = _load_reference(reference, field)
    if not callable(factory):
        raise ConfigurationError(
            N_("{field}: {got} is not callable"), field=field, got=reference, domain=DOMAIN
        )
    return factory  # type: ignore[no-any-return]


def load_reference_factory(part: Part) -> Callable[[], Any]:
    """The factory of ``part``'s reference implementation."""
    if part.reference_factory is None:
        raise ConfigurationError(
            N_("{field}: part {got} publishes no reference implementation"),
            field="reference_factory",
            got=part.name,
            domain=DOMAIN,
        )
    return load_factory(part.reference_factory, "reference_factory")


def load_mutants(part: Part) -> tuple[Mutant, ...]:
    """The mutants of ``part``'s reference implementation (none when it publishes none)."""
    from ._selftest import Mutant

    loaded = _load(part, "mutants")
    if loaded is None:
        return ()
    if not isinstance(loaded, Sequence) or not all(isinstance(m, Mutant) for m in loaded):
        raise ConfigurationError(
            N_("{field}: {got} is not a sequence of Mutant"), field="mutants", got=part.mutants, domain=DOMAIN
        )
    return tuple(loaded)


def parts_with_suites() -> list[Part]:
    """The installed parts that publish a conformance suite, in name order."""
    return [part for part in iter_parts() if part.conformance is not None]
