"""Run a suite against an implementation and state, requirement by requirement, what passes.

Result meanings (after Inferno, the ONC test kit for FHIR):

``pass``
    every check of the requirement passed.
``fail``
    a check found the implementation breaking the requirement: an assertion failed, or the
    implementation raised where it should not have (see :mod:`._blame`).
``skip``
    the requirement could not be verified: a check raised :class:`SkipCheck`, or the kit has no check
    for it (its ``not_tested_reason`` is given). A skipped MUST blocks conformance.
``omit``
    the requirement belongs to an optional feature the implementation does not claim; it does not
    block conformance.
``error``
    the kit itself broke: a check raised something that neither the implementation raised nor the
    check meant (a bug in the kit). An error blocks conformance.

A requirement's result aggregates its checks: any fail gives fail, else any error gives error, else
any skip gives skip; all omitted gives omit; otherwise pass. An implementation conforms when every
MUST requirement is ``pass`` or ``omit``.

Each check gets a fresh service: the factory is called once per check. When the factory returns a
context manager, the kit enters it, hands the check what ``__enter__`` returned, and exits it after.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govparts.core.errors import ConfigurationError, GovPartsError, InvalidInput
from govparts.core.i18n import N_

from ._asserts import compared_values
from ._blame import ImplementationProxy, WatchedContext, Witness
from ._model import DOMAIN, Capabilities, Catalogue, Level, Requirement
from ._scenario import SEED_LIMIT, CheckFailure, check_context, fresh_seed, show
from ._suite import Check, SkipCheck, Suite, describe_exception

if TYPE_CHECKING:
    from govparts.core.parts import Part

__all__ = [
    "CheckOutcome",
    "ConformanceStatement",
    "RaisedException",
    "RequirementResult",
    "Result",
    "assemble_statement",
    "check_run_seed",
    "declared_capabilities",
    "kit_version",
    "omitted",
    "run_check",
    "run_conformance",
]

Factory = Callable[[], Any]


class Result(StrEnum):
    """What the kit concluded about a check or a requirement."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    OMIT = "omit"
    ERROR = "error"

    @property
    def blocks(self) -> bool:
        """True for results that keep a MUST requirement from conforming (fail, skip, error)."""
        return self in (Result.FAIL, Result.SKIP, Result.ERROR)


@cache
def kit_version() -> str:
    """The installed version of govparts-conformance."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govparts-conformance")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0"


@dataclass(frozen=True)
class RaisedException:
    """An exception the implementation raised where the check did not expect one.

    ``type`` is the class name, ``message`` its message in English, ``step`` the :func:`step` it
    escaped (None when the check named none), ``call`` the call it escaped (``service.post()``).
    """

    type: str
    message: str
    step: str | None = None
    call: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"type", "message", "step", "call"}``."""
        return {"type": self.type, "message": self.message, "step": self.step, "call": self.call}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


@dataclass(frozen=True)
class CheckOutcome:
    """The result of one check. ``origin`` is ``"kit"`` for the part's suite, ``"vendor"`` for a
    vendor's own test marked with ``@pytest.mark.verifies``.

    For a failure the structured fields say what a vendor needs to act: ``what`` was compared,
    ``expected`` and ``observed`` (as the kit shows them, ``repr`` of the values), the ``scenario`` the
    check was trying, the run's ``seed`` (``--seed`` reruns it), the ``step`` running, and for an
    exception the implementation raised, ``exception``. ``location`` is where in the check it failed.
    """

    check: str
    requirement_ids: tuple[str, ...]
    result: Result
    message: str | None = None
    duration: float = 0.0
    origin: str = "kit"
    what: str | None = None
    expected: str | None = None
    observed: str | None = None
    scenario: Mapping[str, Any] | None = None
    seed: int | None = None
    step: str | None = None
    exception: RaisedException | None = None
    location: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "origin", "result", "message", "duration"}`` (duration in seconds), and for a
        failure ``what``, ``expected``, ``observed``, ``scenario``, ``seed``, ``step``, ``exception``,
        ``location``."""
        data: dict[str, Any] = {
            "name": self.check,
            "origin": self.origin,
            "result": self.result.value,
            "message": self.message,
            "duration": round(self.duration, 6),
        }
        if self.result in (Result.FAIL, Result.ERROR):
            data.update(
                {
                    "what": self.what,
                    "expected": self.expected,
                    "observed": self.observed,
                    "scenario": _jsonable(self.scenario) if self.scenario else {},
                    "seed": self.seed,
                    "step": self.step,
                    "exception": None if self.exception is None else self.exception.to_dict(),
                    "location": self.location,
                }
            )
        return data


@dataclass(frozen=True)
class RequirementResult:
    """A requirement, its aggregated result and the outcomes of the checks behind it."""

    requirement: Requirement
    result: Result
    checks: tuple[CheckOutcome, ...] = ()
    message: str | None = None

    @property
    def id(self) -> str:
        return self.requirement.id

    @property
    def level(self) -> Level:
        return self.requirement.level

    @property
    def detail(self) -> str | None:
        """What explains the result: the requirement's message, else the first such message of its checks."""
        if self.message:
            return self.message
        return next((o.message for o in self.checks if o.result is self.result and o.message), None)


@dataclass(frozen=True)
class ConformanceStatement:
    """Requirement by requirement, what an implementation was found to do.

    ``spec_hash`` is the fingerprint of the catalogue tested against, ``kit_version`` the version of
    the kit that tested, ``target`` what was tested (the ``module:factory`` reference, when known),
    ``product`` the name of the product tested as the integrator gives it (default: ``target``),
    ``seed`` the run's seed (``--seed`` draws the same scenarios again).
    """

    part: str
    version: str
    spec_hash: str
    kit_version: str
    capabilities: Capabilities
    requirements: tuple[RequirementResult, ...]
    target: str | None = None
    tested_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    product: str | None = None
    seed: int | None = None

    @property
    def conforms(self) -> bool:
        """True when every MUST requirement passed or was omitted."""
        return not any(r.level is Level.MUST and r.result.blocks for r in self.requirements)

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        """``{level: {result: count}}`` with every level and every result present."""
        counts = {level.value: {result.value: 0 for result in Result} for level in Level}
        for item in self.requirements:
            counts[item.level.value][item.result.value] += 1
        return counts

    def __getitem__(self, requirement_id: str) -> RequirementResult:
        for item in self.requirements:
            if item.id == requirement_id:
                return item
        raise KeyError(requirement_id)

    @property
    def results(self) -> dict[str, Result]:
        """``{requirement id: result}`` in catalogue order."""
        return {item.id: item.result for item in self.requirements}


def _where(tb: Any, function: Any) -> str | None:
    """``file:line: source`` of the innermost frame in ``function``'s file (else the innermost frame)."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return None
    home = getattr(getattr(function, "__code__", None), "co_filename", None)
    last = next((f for f in reversed(frames) if f.filename == home), frames[-1])
    source = f": {last.line}" if last.line else ""
    return f"{Path(last.filename).name}:{last.lineno}{source}"


def _location(tb: Any, function: Any) -> str:
    """`` (file:line: source)`` of :func:`_where`, or nothing."""
    where = _where(tb, function)
    return f" ({where})" if where else ""


def _is_context_manager(value: object) -> bool:
    # ``with`` looks the protocol up on the type, so an instance's __getattr__ is not consulted.
    return hasattr(type(value), "__enter__") and hasattr(type(value), "__exit__")


def run_check(check: Check, factory: Factory, *, seed: int = 0) -> CheckOutcome:
    """Run one check against a fresh service from ``factory`` and classify how it ended.

    ``seed`` is the run's seed: the check's :func:`~govparts.conformance.scenario_rng` is seeded from it
    and the check's name.
    """
    witness = Witness()
    started = time.perf_counter()
    fields: dict[str, Any] = {}
    result, message = Result.PASS, None
    with check_context(check.name, seed) as context:
        try:
            with witness.active(), ExitStack() as stack:
                made = witness.call("factory()", factory)
                if _is_context_manager(made):
                    made = stack.enter_context(WatchedContext(made, witness))
                check.function(ImplementationProxy(made, witness, check.name))
        except Exception as exc:
            where = witness.origin(exc)
            step_name = context.step_of(exc)
            scenario_now = context.scenario()
            if where is not None:
                described = describe_exception(exc)
                result = Result.FAIL
                message = (
                    f"step {step_name!r} raised {described} (in {where})"
                    if step_name
                    else f"{where} raised {described}"
                )
                text = exc.message("en") if isinstance(exc, GovPartsError) else str(exc)
                fields = {
                    "exception": RaisedException(type(exc).__name__, text, step_name, where),
                    "step": step_name,
                    "what": "exception",
                    "observed": described,
                    "scenario": scenario_now,
                }
            elif isinstance(exc, SkipCheck):
                result, message = Result.SKIP, exc.reason
            elif isinstance(exc, CheckFailure):
                location = _where(exc.__traceback__, check.function)
                result = Result.FAIL
                message = str(exc) + (f" ({location})" if location else "")
                fields = {
                    "what": exc.what,
                    "expected": None if exc.detail and exc.expected is None else show(exc.expected),
                    "observed": None if exc.detail and exc.observed is None else show(exc.observed),
                    "scenario": exc.scenario if exc.scenario is not None else scenario_now,
                    "step": exc.step or step_name,
                    "location": location,
                }
            elif isinstance(exc, AssertionError):
                location = _where(exc.__traceback__, check.function)
                result = Result.FAIL
                message = (str(exc) or "assertion failed") + (f" ({location})" if location else "")
                fields = {
                    "what": str(exc) or None,
                    "scenario": scenario_now,
                    "step": step_name,
                    "location": location,
                }
                compared = compared_values(exc, check.function)
                if compared is not None:
                    what, expected, observed = compared
                    fields.update(what=what, expected=expected, observed=observed)
            else:
                result = Result.ERROR
                location = _where(exc.__traceback__, check.function)
                message = f"error in the kit: {type(exc).__name__}: {exc}" + (
                    f" ({location})" if location else ""
                )
                fields = {"scenario": scenario_now, "step": step_name, "location": location}
    if fields:
        fields["seed"] = seed
    return CheckOutcome(
        check=check.name,
        requirement_ids=check.requirement_ids,
        result=result,
        message=message,
        duration=time.perf_counter() - started,
        **fields,
    )


def omitted(check: Check) -> CheckOutcome:
    """The outcome of a check not run because its optional feature is not claimed."""
    return CheckOutcome(
        check=check.name,
        requirement_ids=check.requirement_ids,
        result=Result.OMIT,
        message=f"optional feature {check.feature!r} is not claimed",
    )


def declared_capabilities(
    catalogue: Catalogue, factory: Factory, capabilities: Capabilities | Mapping[str, Any] | None = None
) -> Capabilities:
    """The capabilities to test: ``capabilities`` if given, else what ``factory().capabilities()`` says.

    Raises :class:`~govparts.core.errors.ConfigurationError` when the service cannot declare them and
    :class:`~govparts.core.errors.InvalidInput` when it declares another part or unknown features.
    """
    if capabilities is None:
        with ExitStack() as stack:
            try:
                made = factory()
                if _is_context_manager(made):
                    made = stack.enter_context(made)
            except Exception as exc:
                raise ConfigurationError(
                    N_("{field}: the factory raised {reason}"),
                    field="target",
                    reason=f"{type(exc).__name__}: {exc}",
                    domain=DOMAIN,
                ) from exc
            declare = getattr(made, "capabilities", None)
            if not callable(declare):
                raise ConfigurationError(
                    N_("{field}: the service has no capabilities() method; pass capabilities explicitly"),
                    field="capabilities",
                    domain=DOMAIN,
                )
            try:
                capabilities = declare()
            except Exception as exc:
                raise ConfigurationError(
                    N_("{field}: the service's capabilities() raised {reason}"),
                    field="capabilities",
                    reason=f"{type(exc).__name__}: {exc}",
                    domain=DOMAIN,
                ) from exc
    return Capabilities.coerce(capabilities).validate_against(catalogue)


def _aggregate(outcomes: Sequence[CheckOutcome]) -> Result:
    results = {o.result for o in outcomes}
    for decisive in (Result.FAIL, Result.ERROR, Result.SKIP):
        if decisive in results:
            return decisive
    return Result.OMIT if results == {Result.OMIT} else Result.PASS


def assemble_statement(
    suite: Suite,
    capabilities: Capabilities,
    outcomes: Iterable[CheckOutcome],
    *,
    target: str | None = None,
    product: str | None = None,
    seed: int | None = None,
) -> ConformanceStatement:
    """Aggregate check outcomes into a statement about every requirement of ``suite``'s catalogue.

    A check of the suite with no outcome (deselected, or the run stopped early) is counted as
    ``skip``: it did not run, so it verified nothing.
    """
    outcomes = list(outcomes)
    ran = {o.check for o in outcomes if o.origin == "kit"}
    outcomes += [
        CheckOutcome(c.name, c.requirement_ids, Result.SKIP, "the check did not run")
        for c in suite.checks
        if c.name not in ran
    ]
    items: list[RequirementResult] = []
    for requirement in suite.catalogue:
        mine = tuple(o for o in outcomes if requirement.id in o.requirement_ids)
        if requirement.feature is not None and requirement.feature not in capabilities.features:
            message = f"optional feature {requirement.feature!r} is not claimed"
            items.append(RequirementResult(requirement, Result.OMIT, mine, message))
        elif mine:
            items.append(RequirementResult(requirement, _aggregate(mine), mine))
        elif requirement.not_tested_reason is not None:
            message = f"not tested by the kit: {requirement.not_tested_reason}"
            items.append(RequirementResult(requirement, Result.SKIP, (), message))
        else:
            items.append(
                RequirementResult(requirement, Result.SKIP, (), "no check verifies this requirement")
            )
    return ConformanceStatement(
        part=suite.part,
        version=suite.catalogue.version,
        spec_hash=suite.catalogue.fingerprint(),
        kit_version=kit_version(),
        capabilities=capabilities,
        requirements=tuple(items),
        target=target,
        product=product,
        seed=seed,
    )


def run_conformance(
    part: Part | Suite | str,
    factory: Factory,
    *,
    capabilities: Capabilities | Mapping[str, Any] | None = None,
    target: str | None = None,
    product: str | None = None,
    seed: int | None = None,
) -> ConformanceStatement:
    """Run ``part``'s conformance suite against the services ``factory`` makes.

    ``part`` is an installed part's name, a :class:`~govparts.core.parts.Part`, a :class:`Suite`, or
    a ``"module:attribute"`` reference to either. ``factory`` is called once per check (and once more
    to ask ``capabilities()`` unless ``capabilities`` is given). ``seed`` seeds the scenarios the checks
    draw (:func:`~govparts.conformance.scenario_rng`); None draws a fresh one. The statement records
    it, so ``seed=statement.seed`` reruns the same scenarios. Two lines in a vendor's tests::

        def test_conforms():
            assert run_conformance("attendance", make_service).conforms
    """
    from ._discovery import resolve_suite

    suite = resolve_suite(part)
    declared = declared_capabilities(suite.catalogue, factory, capabilities)
    seed = fresh_seed() if seed is None else check_run_seed(seed)
    outcomes = [
        run_check(check, factory, seed=seed)
        if check.feature is None or check.feature in declared.features
        else omitted(check)
        for check in suite.checks
    ]
    return assemble_statement(suite, declared, outcomes, target=target, product=product, seed=seed)


def check_run_seed(seed: object, field: str = "seed") -> int:
    """``seed`` if it is a run seed (an integer from 0 to 2**63 - 1), else :class:`InvalidInput`."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        raise InvalidInput(
            N_("{field}: a seed is a whole number from 0 to 9223372036854775807, got {got}"),
            field=field,
            got=str(seed),
            domain=DOMAIN,
        )
    return seed
