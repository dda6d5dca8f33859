"""Conformance suites: check functions that declare the requirements they verify.

A check is a plain function taking one argument, a fresh service made by the implementation's
factory for this check alone. It passes by returning, fails by raising :class:`AssertionError`
(``assert``, or :class:`expect_raises` when the service must refuse something), and raises
:class:`SkipCheck` when it cannot verify its requirement (a skip blocks conformance like a failure
does, but says "could not verify" rather than "does not conform")::

    @verifies("LVE-002")
    def refuses_zero_days(service: LeaveService) -> None:
        with expect_raises(InvalidInput, field="days"):
            service.submit(person="P-1", days=0)

    SUITE = Suite(CATALOGUE, collect_checks(globals()))

Suites need nothing but the kit: no pytest, so an integrator can run them from the command line.
(``pytest.raises`` and ``pytest.skip`` are therefore not for suites: use :class:`expect_raises`
and :class:`SkipCheck`.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import Any, TypeVar

from govparts.core.errors import GovPartsError, InvalidSpec
from govparts.core.i18n import N_

from ._blame import current_witness
from ._model import DOMAIN, Catalogue, Requirement, check_requirement_id
from ._scenario import CheckFailure

__all__ = ["Check", "SkipCheck", "Suite", "collect_checks", "expect_raises", "refuses", "verifies"]

_MARK = "__govparts_verifies__"
_NEGATIVE = "__govparts_refuses__"
CheckFunction = Callable[[Any], object]
F = TypeVar("F", bound=CheckFunction)


class SkipCheck(Exception):
    """Raised by a check that could not verify its requirement; the result is ``skip``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def verifies(*requirement_ids: str) -> Callable[[F], F]:
    """Mark a check function as verifying the requirements ``requirement_ids`` (stacked marks add up)."""
    if not requirement_ids:
        raise InvalidSpec(N_("{field}: name at least one requirement id"), field="verifies", domain=DOMAIN)
    ids = tuple(check_requirement_id(rid, "verifies") for rid in requirement_ids)

    def mark(function: F) -> F:
        earlier: tuple[str, ...] = getattr(function, _MARK, ())
        setattr(function, _MARK, tuple(dict.fromkeys((*ids, *earlier))))
        return function

    return mark


def refuses(*requirement_ids: str) -> Callable[[F], F]:
    """Mark a check as a negative check of ``requirement_ids``: it drives something wrong and asserts
    the refusal and that nothing was written.

    A negative check verifies its requirements too (no need to stack :func:`verifies`). Every MUST
    needs at least one (``govparts conformance coverage`` fails otherwise)::

        @refuses("PER-006")
        def refuses_a_hire_beyond_the_quota(service: PersonnelService) -> None: ...
    """
    if not requirement_ids:
        raise InvalidSpec(N_("{field}: name at least one requirement id"), field="refuses", domain=DOMAIN)
    ids = tuple(check_requirement_id(rid, "refuses") for rid in requirement_ids)
    verify = verifies(*ids)

    def mark(function: F) -> F:
        earlier: tuple[str, ...] = getattr(function, _NEGATIVE, ())
        setattr(function, _NEGATIVE, tuple(dict.fromkeys((*ids, *earlier))))
        return verify(function)

    return mark


@dataclass(frozen=True)
class Check:
    """One check of a suite: its name, the requirements it verifies, the function that checks.

    ``negative_ids`` are the requirements it checks negatively (marked with :func:`refuses`); they are
    among ``requirement_ids``.
    """

    name: str
    requirement_ids: tuple[str, ...]
    function: CheckFunction
    feature: str | None = None
    negative_ids: tuple[str, ...] = ()

    @property
    def negative(self) -> bool:
        """True for a negative check (one marked with :func:`refuses`)."""
        return bool(self.negative_ids)

    @classmethod
    def from_function(cls, function: CheckFunction) -> Check:
        """The check a :func:`verifies`-marked function defines (named after the function)."""
        ids = getattr(function, _MARK, None)
        name = getattr(function, "__name__", repr(function))
        if ids is None:
            raise InvalidSpec(
                N_("{field}: {got} is not marked with @verifies"), field="checks", got=name, domain=DOMAIN
            )
        negative = tuple(getattr(function, _NEGATIVE, ()))
        return cls(name=name, requirement_ids=tuple(ids), function=function, negative_ids=negative)


def collect_checks(namespace: ModuleType | Mapping[str, object]) -> list[Check]:
    """The :func:`verifies`-marked functions of a module (or ``globals()``), in definition order."""
    items = vars(namespace) if isinstance(namespace, ModuleType) else namespace
    return [
        Check.from_function(value) for value in items.values() if callable(value) and hasattr(value, _MARK)
    ]


class Suite:
    """A part's conformance suite: the catalogue it tests and the checks that test it.

    Construction validates the pairing: every check names known requirements, check names are
    unique, and a check's requirements all belong to the same optional feature (or to none), so that
    a check runs exactly when its requirements apply.
    """

    def __init__(self, catalogue: Catalogue, checks: Iterable[Check | CheckFunction]) -> None:
        self.catalogue = catalogue
        built: list[Check] = []
        names: set[str] = set()
        for item in checks:
            check = item if isinstance(item, Check) else Check.from_function(item)
            where = f"checks[{check.name}]"
            if check.name in names:
                raise InvalidSpec(
                    N_("{field}: two checks are called {got}"), field=where, got=check.name, domain=DOMAIN
                )
            names.add(check.name)
            for rid in check.requirement_ids:
                if rid not in catalogue:
                    raise InvalidSpec(
                        N_("{field}: verifies {got}, which is not in the catalogue of {part}"),
                        field=where,
                        got=rid,
                        part=catalogue.part,
                        domain=DOMAIN,
                    )
            features = {catalogue[rid].feature for rid in check.requirement_ids}
            if len(features) > 1:
                raise InvalidSpec(
                    N_("{field}: verifies requirements of different optional features ({features})"),
                    field=where,
                    features=sorted(f or "-" for f in features),
                    domain=DOMAIN,
                )
            built.append(
                Check(
                    check.name,
                    check.requirement_ids,
                    check.function,
                    feature=features.pop(),
                    negative_ids=check.negative_ids,
                )
            )
        self.checks: tuple[Check, ...] = tuple(built)

    @property
    def part(self) -> str:
        """The part the suite tests."""
        return self.catalogue.part

    def checks_for(self, requirement: Requirement | str) -> tuple[Check, ...]:
        """The checks that verify ``requirement``."""
        rid = requirement.id if isinstance(requirement, Requirement) else requirement
        return tuple(c for c in self.checks if rid in c.requirement_ids)

    def negative_checks_for(self, requirement: Requirement | str) -> tuple[Check, ...]:
        """The negative checks (:func:`refuses`) of ``requirement``."""
        rid = requirement.id if isinstance(requirement, Requirement) else requirement
        return tuple(c for c in self.checks if rid in c.negative_ids)

    def __repr__(self) -> str:
        return f"Suite(part={self.part!r}, version={self.catalogue.version!r}, checks={len(self.checks)})"


class _Plain(str):
    """A description shown as is (not quoted) as a failure's expected or observed value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def describe_exception(exc: BaseException) -> str:
    """``Type (field 'f'): message`` in English, for a report."""
    if isinstance(exc, GovPartsError):
        where = f" (field {exc.field!r})" if exc.field is not None else ""
        return f"{type(exc).__name__}{where}: {exc.message('en')}"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class expect_raises:  # noqa: N801 - used like a function: ``with expect_raises(InvalidInput): ...``
    """Assert that the block raises ``expected`` (and, for govparts errors, names ``field``).

    A failure is a :class:`CheckFailure` showing what was expected (the type and field) and what was
    observed: nothing raised, or the type raised, its field and its message in English. Inside a
    running check, an exception of another type from the implementation becomes such a failure; an
    exception from the check's own code is left alone, so it is still reported as an error of the kit.
    After the block, ``.value`` is the exception.
    """

    def __init__(
        self, expected: type[BaseException] | tuple[type[BaseException], ...], *, field: str | None = None
    ):
        self.expected = expected
        self.field = field
        self.value: BaseException | None = None

    def __enter__(self) -> expect_raises:
        return self

    def _wanted(self) -> str:
        names = (
            " or ".join(e.__name__ for e in self.expected)
            if isinstance(self.expected, tuple)
            else self.expected.__name__
        )
        return names if self.field is None else f"{names} naming the field {self.field!r}"

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if exc is None:
            raise CheckFailure(
                "refusal",
                _Plain(self._wanted()),
                _Plain("nothing was raised"),
                detail=f"expected {self._wanted()}, but nothing was raised",
            )
        if not isinstance(exc, self.expected):
            witness = current_witness()
            if witness is not None and witness.saw(exc):
                raise CheckFailure(
                    "refusal",
                    _Plain(self._wanted()),
                    _Plain(describe_exception(exc)),
                    detail=f"expected {self._wanted()}, the implementation raised {describe_exception(exc)}",
                ) from exc
            return False
        if self.field is not None:
            got = exc.field if isinstance(exc, GovPartsError) else None
            if got != self.field:
                raise CheckFailure(
                    "refusal",
                    _Plain(self._wanted()),
                    _Plain(describe_exception(exc)),
                    detail=f"expected {self._wanted()}, it names {got!r}: {describe_exception(exc)}",
                ) from exc
        self.value = exc
        return True
