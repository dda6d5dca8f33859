"""Mutation self-test: does the suite catch an implementation that breaks one rule?

A part registers mutants of its reference implementation, each breaking one rule (accepting zero
days of leave, approving twice…). The self-test first runs the suite against the reference itself,
which must pass every requirement the kit tests (otherwise a "kill" proves nothing, and a check that
calls the service wrongly would pass for a vendor's failure). Then it runs the suite against each
mutant: requirements that pass on the reference and fail on the mutant killed it. A mutant nothing
killed is a hole in the kit; so is a mutant that declares the requirement it ``breaks`` and was
killed only by others (the check for that requirement missed the break), and a part with no mutants
at all (the self-test would prove nothing). Each of these fails the self-test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govparts.core.errors import InvalidSpec
from govparts.core.i18n import N_

from ._model import DOMAIN, Capabilities, check_requirement_id
from ._runner import ConformanceStatement, Result, declared_capabilities, run_conformance
from ._suite import Suite

if TYPE_CHECKING:
    from govparts.core.parts import Part

__all__ = ["Mutant", "MutantResult", "SelftestReport", "run_selftest"]


@dataclass(frozen=True)
class Mutant:
    """A copy of the reference implementation that breaks one rule.

    ``factory`` makes the mutated service (like any implementation's factory); ``breaks`` names the
    requirement(s) the mutation breaks, so that the self-test can tell whether their checks caught it.
    """

    name: str
    description: str
    factory: Callable[[], Any]
    breaks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidSpec(N_("{field}: a mutant needs a name"), field="mutants.name", domain=DOMAIN)
        breaks = (self.breaks,) if isinstance(self.breaks, str) else tuple(self.breaks)
        for rid in breaks:
            check_requirement_id(rid, f"mutants[{self.name}].breaks")
        object.__setattr__(self, "breaks", breaks)


@dataclass(frozen=True)
class MutantResult:
    """How the suite fared against one mutant."""

    part: str
    name: str
    description: str
    breaks: tuple[str, ...]
    killed_by: tuple[str, ...]
    errors: tuple[str, ...]
    statement: ConformanceStatement

    @property
    def killed(self) -> bool:
        """True when at least one requirement failed on the mutant (and passed on the reference)."""
        return bool(self.killed_by)

    @property
    def missed(self) -> tuple[str, ...]:
        """Requirements the mutant declares it breaks whose checks did not fail."""
        return tuple(rid for rid in self.breaks if rid not in self.killed_by)

    @property
    def ok(self) -> bool:
        """Killed, and killed by every requirement it declares it breaks."""
        return self.killed and not self.missed

    def to_dict(self) -> dict[str, Any]:
        """``{"part", "name", "description", "killed", "killed_by", "breaks", "missed", "errors"}``."""
        return {
            "part": self.part,
            "name": self.name,
            "description": self.description,
            "killed": self.killed,
            "killed_by": list(self.killed_by),
            "breaks": list(self.breaks),
            "missed": list(self.missed),
            "errors": list(self.errors),
        }


@dataclass(frozen=True)
class SelftestReport:
    """The self-test of one part's suite: the reference run, each mutant's fate, the problems found."""

    part: str
    spec_hash: str
    reference: ConformanceStatement
    mutants: tuple[MutantResult, ...]
    problems: tuple[str, ...]
    seed: int = 0

    @property
    def survivors(self) -> tuple[MutantResult, ...]:
        """The mutants the suite did not kill."""
        return tuple(m for m in self.mutants if not m.killed)

    @property
    def ok(self) -> bool:
        """True when the reference passes, and every mutant was killed by the requirements it breaks."""
        return not self.problems and all(m.ok for m in self.mutants)


def _reference_problems(statement: ConformanceStatement) -> list[str]:
    problems = []
    for item in statement.requirements:
        if item.checks and item.result not in (Result.PASS, Result.OMIT):
            problems.append(
                f"the reference implementation does not pass {item.id} ({item.result.value}): {item.detail}"
            )
    return problems


def run_selftest(
    part: Part | Suite | str,
    *,
    reference: Callable[[], Any] | None = None,
    mutants: Iterable[Mutant] | None = None,
    capabilities: Capabilities | Mapping[str, Any] | None = None,
    seed: int = 0,
    full: bool = False,
) -> SelftestReport:
    """Run ``part``'s suite against its reference implementation and each of its mutants.

    A mutant that declares the requirements it ``breaks`` is run against the checks of those
    requirements only: that is the whole kill criterion (killed by every requirement it breaks), and
    it keeps the self-test proportional to the suite rather than to suite × mutants. ``full=True``
    runs every check against every mutant, so ``killed_by`` lists every requirement that notices it.

    ``reference`` and ``mutants`` default to what the part's descriptor names; pass them (and a
    :class:`Suite` as ``part``) to test a suite that is not installed. Every mutant is tested with the
    capabilities the reference declares (or ``capabilities``), so that a mutant cannot escape by
    claiming fewer features. Every run uses ``seed`` (default 0, so the self-test is deterministic).
    """
    from ._discovery import load_mutants, load_reference_factory, resolve_part, resolve_suite
    from ._runner import check_run_seed

    seed = check_run_seed(seed)

    resolved = resolve_part(part)
    suite = resolve_suite(resolved)
    if reference is None or mutants is None:
        if isinstance(resolved, Suite):
            raise InvalidSpec(
                N_("{field}: a bare suite needs its reference factory and mutants passed explicitly"),
                field="reference",
                domain=DOMAIN,
            )
        reference = reference if reference is not None else load_reference_factory(resolved)
        mutants = mutants if mutants is not None else load_mutants(resolved)
    mutants = tuple(mutants)
    names: set[str] = set()
    for mutant in mutants:
        if mutant.name in names:
            raise InvalidSpec(
                N_("{field}: two mutants are called {got}"), field="mutants", got=mutant.name, domain=DOMAIN
            )
        names.add(mutant.name)
        for rid in mutant.breaks:
            if rid not in suite.catalogue:
                raise InvalidSpec(
                    N_("{field}: breaks {got}, which is not in the catalogue of {part}"),
                    field=f"mutants[{mutant.name}].breaks",
                    got=rid,
                    part=suite.part,
                    domain=DOMAIN,
                )

    declared = declared_capabilities(suite.catalogue, reference, capabilities)
    baseline = run_conformance(suite, reference, capabilities=declared, target="reference", seed=seed)
    problems = _reference_problems(baseline)
    if not mutants:
        problems.append(f"part {suite.part} registers no mutants: the self-test proves nothing")
    passing = {item.id for item in baseline.requirements if item.result is Result.PASS}
    results = []
    for mutant in mutants:
        target_suite = suite
        if mutant.breaks and not full:
            target_suite = Suite(
                suite.catalogue,
                [c for c in suite.checks if set(c.requirement_ids) & set(mutant.breaks)],
            )
        statement = run_conformance(
            target_suite, mutant.factory, capabilities=declared, target=f"mutant:{mutant.name}", seed=seed
        )
        results.append(
            MutantResult(
                part=suite.part,
                name=mutant.name,
                description=mutant.description,
                breaks=mutant.breaks,
                killed_by=tuple(
                    i.id for i in statement.requirements if i.result is Result.FAIL and i.id in passing
                ),
                errors=tuple(i.id for i in statement.requirements if i.result is Result.ERROR),
                statement=statement,
            )
        )
    return SelftestReport(
        part=suite.part,
        spec_hash=suite.catalogue.fingerprint(),
        reference=baseline,
        mutants=tuple(results),
        problems=tuple(problems),
        seed=seed,
    )
