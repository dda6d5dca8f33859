"""The coverage table: which requirement each check verifies, and which the kit leaves untested.

CI runs :func:`check_catalogue_coverage` for every part: a MUST requirement with no check and no
recorded ``not_tested_reason`` is a hole in the kit and fails the build, and so is a requirement
that has checks yet claims not to be tested (the reason would be stale).

:func:`check_coverage` (``govparts conformance coverage``) adds what only running the suite shows.
It runs the suite against the part's reference implementation, recording every call the checks make
through the service proxy (:func:`~govparts.conformance._blame.recording`), and fails when

- a public method of the part's service Protocol is called by no check;
- a method that takes ``actor`` is never refused to an actor in any check (``PermissionDenied`` or a
  subclass: ``OrganizationDenied``, ``ClearanceInsufficient``) — every method needs an
  access-control negative check;
- a MUST requirement that has checks has no negative check (:func:`~govparts.conformance.refuses`);
- a method's docstring lacks ``Requirements:`` or ``Raises:``, or names an id the catalogue does not
  have or an error that is not a govparts error class (read with core's parser,
  :func:`govparts.core.spec.parse_docstring`);

besides the rules of :func:`check_catalogue_coverage`. ``capabilities()`` is called by the kit
itself on every run. A bare :class:`Suite` (no part descriptor) has no Protocol: only the
catalogue and negative-check rules apply to it.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govparts.core.errors import InvalidRecord, InvalidSpec
from govparts.core.i18n import N_

from ._model import DOMAIN, Level, Requirement

if TYPE_CHECKING:
    from govparts.core.parts import Part

    from ._suite import Suite

__all__ = ["CoverageReport", "CoverageRow", "MethodCoverage", "check_catalogue_coverage", "check_coverage"]


@dataclass(frozen=True)
class CoverageRow:
    """One requirement and the names of the checks that verify it."""

    requirement: Requirement
    checks: tuple[str, ...]
    negative_checks: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """``"tested"``, ``"not-tested"`` (with a recorded reason) or ``"missing"`` (no check, no reason)."""
        if self.checks:
            return "tested"
        return "not-tested" if self.requirement.not_tested_reason is not None else "missing"

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "level", "feature", "status", "checks", "negative_checks", "not_tested_reason"}``."""
        return {
            "id": self.requirement.id,
            "level": self.requirement.level.value,
            "feature": self.requirement.feature,
            "status": self.status,
            "checks": list(self.checks),
            "negative_checks": list(self.negative_checks),
            "not_tested_reason": self.requirement.not_tested_reason,
        }


@dataclass(frozen=True)
class MethodCoverage:
    """A method of the service Protocol: the checks that call it and those that had it refuse an actor."""

    name: str
    takes_actor: bool
    called_by: tuple[str, ...]
    refused_by: tuple[str, ...]
    requirements: tuple[str, ...] = ()
    documented: bool = True

    @property
    def reached(self) -> bool:
        """True when at least one check calls the method."""
        return bool(self.called_by)

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "takes_actor", "reached", "called_by", "refused_by", "requirements", "documented"}``."""
        return {
            "name": self.name,
            "takes_actor": self.takes_actor,
            "reached": self.reached,
            "called_by": list(self.called_by),
            "refused_by": list(self.refused_by),
            "requirements": list(self.requirements),
            "documented": self.documented,
        }


@dataclass(frozen=True)
class CoverageReport:
    """The coverage table of one part's suite and the problems CI fails on."""

    part: str
    rows: tuple[CoverageRow, ...]
    problems: tuple[InvalidSpec, ...]
    methods: tuple[MethodCoverage, ...] = ()
    figures: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no MUST is left without a check or a reason, and no reason contradicts a check."""
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise :class:`~govparts.core.errors.InvalidRecord` listing every problem, if there is one."""
        if self.problems:
            raise InvalidRecord(self.problems, model=f"{self.part} requirement catalogue")

    def to_dict(self) -> dict[str, Any]:
        """``{"part", "ok", "figures", "requirements": [row...], "methods": [method...], "problems":
        [message...]}`` (messages in English)."""
        return {
            "part": self.part,
            "ok": self.ok,
            "figures": dict(self.figures),
            "requirements": [row.to_dict() for row in self.rows],
            "methods": [method.to_dict() for method in self.methods],
            "problems": [problem.message("en") for problem in self.problems],
        }


def check_catalogue_coverage(part: Part | Suite | str) -> CoverageReport:
    """The coverage table of ``part``'s suite (a part, its name, or the :class:`Suite` itself)."""
    from ._discovery import resolve_suite

    suite = resolve_suite(part)
    rows: list[CoverageRow] = []
    problems: list[InvalidSpec] = []
    for requirement in suite.catalogue:
        row = CoverageRow(
            requirement,
            tuple(c.name for c in suite.checks_for(requirement)),
            tuple(c.name for c in suite.negative_checks_for(requirement)),
        )
        rows.append(row)
        where = f"requirements[{requirement.id}]"
        if row.status == "missing" and requirement.level is Level.MUST:
            problems.append(
                InvalidSpec(
                    N_("{field}: a MUST requirement has no check and no not_tested_reason"),
                    field=where,
                    domain=DOMAIN,
                )
            )
        if row.checks and requirement.not_tested_reason is not None:
            problems.append(
                InvalidSpec(
                    N_("{field}: has a not_tested_reason but is verified by {checks}"),
                    field=f"{where}.not_tested_reason",
                    checks=list(row.checks),
                    domain=DOMAIN,
                )
            )
    return CoverageReport(part=suite.part, rows=tuple(rows), problems=tuple(problems))


_DOC_MESSAGES = {
    "no-summary": N_("{field}: the docstring has no summary line"),
    "no-requirements": N_("{field}: the docstring has no 'Requirements:' line"),
    "no-raises": N_("{field}: the docstring has no 'Raises:' section"),
    "not-a-requirement-id": N_("{field}: 'Requirements:' names {got}, which is not a requirement id"),
    "unknown-requirement": N_("{field}: 'Requirements:' names {got}, which is not in the catalogue"),
    "unknown-error": N_("{field}: 'Raises:' names {got}, which is not a govparts error class"),
}


def _takes_actor(function: Callable[..., Any]) -> bool:
    try:
        return "actor" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def check_coverage(
    part: Part | Suite | str,
    *,
    reference: Callable[[], Any] | None = None,
    protocol: type | None = None,
    seed: int = 0,
) -> CoverageReport:
    """The full coverage of ``part``'s suite: run against the reference, every rule of the module doc.

    ``reference`` and ``protocol`` default to what the part's descriptor names (its
    ``reference_factory`` and ``service_protocol``); pass them with a bare :class:`Suite`. The suite
    runs with ``seed`` (default 0).
    """
    from govparts.core.errors import PermissionDenied
    from govparts.core.parts import Part as PartDescriptor
    from govparts.core.parts import load_reference
    from govparts.core.spec import docstring_problems, parse_docstring, protocol_methods

    from ._blame import recording
    from ._discovery import load_reference_factory, resolve_part, resolve_suite
    from ._runner import run_conformance

    resolved = resolve_part(part)
    suite = resolve_suite(resolved)
    static = check_catalogue_coverage(suite)
    problems: list[InvalidSpec] = list(static.problems)
    if isinstance(resolved, PartDescriptor):
        if protocol is None and resolved.service_protocol:
            protocol = load_reference(resolved.service_protocol)
        if reference is None and resolved.reference_factory:
            reference = load_reference_factory(resolved)
        if protocol is None:
            problems.append(
                InvalidSpec(
                    N_("{field}: the part names no service_protocol, so its methods cannot be covered"),
                    field="service_protocol",
                    domain=DOMAIN,
                )
            )
    for row in static.rows:
        requirement = row.requirement
        if requirement.level is Level.MUST and row.checks and not row.negative_checks:
            problems.append(
                InvalidSpec(
                    N_("{field}: a MUST requirement has no negative check (@refuses)"),
                    field=f"requirements[{requirement.id}]",
                    domain=DOMAIN,
                )
            )
    started = time.perf_counter()
    methods: list[MethodCoverage] = []
    if reference is not None:
        with recording() as calls:
            run_conformance(suite, reference, seed=seed, target="reference")
    else:
        calls = []
    elapsed = time.perf_counter() - started
    if protocol is not None and reference is not None:
        ids = {r.id for r in suite.catalogue}
        for name, function in protocol_methods(protocol).items():
            called = tuple(dict.fromkeys(c.check or "-" for c in calls if c.method == name))
            refused = tuple(
                dict.fromkeys(
                    c.check or "-"
                    for c in calls
                    if c.method == name and c.raised is not None and issubclass(c.raised, PermissionDenied)
                )
            )
            doc = parse_docstring(function.__doc__)
            found = docstring_problems(name, doc, ids)
            takes_actor = _takes_actor(function)
            where = f"methods[{name}]"
            if name == "capabilities" and not called:
                called = ("(the kit)",)
            if not called:
                problems.append(
                    InvalidSpec(
                        N_("{field}: no check calls this Protocol method"), field=where, domain=DOMAIN
                    )
                )
            if takes_actor and not refused:
                problems.append(
                    InvalidSpec(
                        N_(
                            "{field}: no check has this method refuse an actor (PermissionDenied, "
                            "OrganizationDenied or ClearanceInsufficient)"
                        ),
                        field=where,
                        domain=DOMAIN,
                    )
                )
            for problem in found:
                details = {} if problem.got is None else {"got": problem.got}
                problems.append(
                    InvalidSpec(_DOC_MESSAGES[problem.kind], field=where, domain=DOMAIN, **details)
                )
            methods.append(
                MethodCoverage(
                    name=name,
                    takes_actor=takes_actor,
                    called_by=called,
                    refused_by=refused,
                    requirements=doc.requirements or (),
                    documented=not found,
                )
            )
    figures = {
        "requirements": len(suite.catalogue),
        "must": sum(1 for r in suite.catalogue if r.level is Level.MUST),
        "checks": len(suite.checks),
        "negative_checks": sum(1 for c in suite.checks if c.negative),
        "methods": len(methods),
        "methods_reached": sum(1 for m in methods if m.reached),
        "methods_refused": sum(1 for m in methods if m.refused_by),
        "methods_with_actor": sum(1 for m in methods if m.takes_actor),
        "run_seconds": round(elapsed, 3),
    }
    return CoverageReport(
        part=suite.part, rows=static.rows, problems=tuple(problems), methods=tuple(methods), figures=figures
    )
