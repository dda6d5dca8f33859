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

__all__ = ["Check", "SkipCheck", "Suite", "collect_checks", "expect_raises", "verifies"]

_MARK = "__govparts_verifies__"
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


@dataclass(frozen=True)
class Check:
    """One check of a suite: its name, the requirements it verifies, the function that checks."""

    name: str
    requirement_ids: tuple[str, ...]
    function: CheckFunction
    feature: str | None = None

    @classmethod
    def from_function(cls, function: CheckFunction) -> Check:
        """The check a :func:`verifies`-marked function defines (named after the function)."""
        ids = getattr(function, _MARK, None)
        name = getattr(function, "__name__", repr(function))
        if ids is None:
            raise InvalidSpec(
                N_("{field}: {got} is not marked with @verifies"), field="checks", got=name, domain=DOMAIN
            )
        return cls(name=name, requirement_ids=tuple(ids), function=function)


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
            built.append(Check(check.name, check.requirement_ids, check.function, feature=features.pop()))
        self.checks: tuple[Check, ...] = tuple(built)

    @property
    def part(self) -> str:
        """The part the suite tests."""
        return self.catalogue.part

    def checks_for(self, requirement: Requirement | str) -> tuple[Check, ...]:
        """The checks that verify ``requirement``."""
        rid = requirement.id if isinstance(requirement, Requirement) else requirement
        return tuple(c for c in self.checks if rid in c.requirement_ids)

    def __repr__(self) -> str:
        return f"Suite(part={self.part!r}, version={self.catalogue.version!r}, checks={len(self.checks)})"


class expect_raises:  # noqa: N801 - used like a function: ``with expect_raises(InvalidInput): ...``
    """Assert that the block raises ``expected`` (and, for govparts errors, names ``field``).

    Inside a running check, an exception of another type from the implementation becomes an
    assertion failure that names both types; an exception from the check's own code is left alone,
    so it is still reported as an error of the kit. After the block, ``.value`` is the exception.
    """

    def __init__(
        self, expected: type[BaseException] | tuple[type[BaseException], ...], *, field: str | None = None
    ):
        self.expected = expected
        self.field = field
        self.value: BaseException | None = None

    def __enter__(self) -> expect_raises:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        names = (
            " or ".join(e.__name__ for e in self.expected)
            if isinstance(self.expected, tuple)
            else self.expected.__name__
        )
        if exc is None:
            raise AssertionError(f"expected {names}, but nothing was raised")
        if not isinstance(exc, self.expected):
            witness = current_witness()
            if witness is not None and witness.saw(exc):
                raise AssertionError(
                    f"expected {names}, the implementation raised {type(exc).__name__}: {exc}"
                )
            return False
        if self.field is not None:
            got = exc.field if isinstance(exc, GovPartsError) else None
            if got != self.field:
                raise AssertionError(f"expected {names} naming the field {self.field!r}, it names {got!r}")
        self.value = exc
        return True
