"""What a running check is doing: its seed, its scenario, its step, and comparisons that say why.

The runner opens a :class:`CheckContext` for each check (a context variable, so checks run in threads
or pytest items keep their own). Inside it:

- :func:`scenario_rng` is a :class:`random.Random` seeded from the run's seed and the check's name
  (:func:`check_seed`: SHA-256, not Python's per-process salted ``hash``), so ``--seed N`` draws exactly
  the same scenarios again, check by check, whatever other checks run or in which order;
- :func:`scenario` records the settings the check is trying now (year, region, organisation…);
- :func:`step` names what the check is doing, so that an exception the implementation raises is
  reported as "step 'post the batch' raised GuardFailed: …";
- :func:`expect_equal` and :func:`expect_true` fail with a :class:`CheckFailure` that carries what was
  compared, the expected and the observed value, the scenario and the step.

Outside a run, :func:`scenario_rng` returns ``Random(0)``, :func:`run_seed` returns 0 and the other
functions only do their comparison (a check can be called directly from a unit test).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "CheckContext",
    "CheckFailure",
    "check_seed",
    "current_context",
    "expect_equal",
    "expect_true",
    "fresh_seed",
    "run_seed",
    "scenario",
    "scenario_rng",
    "show",
    "step",
]

T = TypeVar("T")

# Seeds are non-negative integers below 2**63, so they print, parse and fit a database column.
SEED_LIMIT = 2**63


def fresh_seed() -> int:
    """A new random run seed (recorded in the statement so the run can be repeated)."""
    return secrets.randbelow(SEED_LIMIT)


def check_seed(seed: int, check: str) -> int:
    """The seed of check ``check`` in a run seeded ``seed``: stable across processes and versions."""
    digest = hashlib.sha256(f"govparts-conformance:{seed}:{check}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % SEED_LIMIT


@dataclass
class CheckContext:
    """The state of one running check (one per check, set by the runner)."""

    check: str
    seed: int
    params: dict[str, Any] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    _rng: random.Random | None = None
    _raised_in: list[tuple[BaseException, str]] = field(default_factory=list)

    @property
    def rng(self) -> random.Random:
        """The check's generator, made on first use from :func:`check_seed`."""
        if self._rng is None:
            self._rng = random.Random(check_seed(self.seed, self.check))
        return self._rng

    @property
    def current_step(self) -> str | None:
        """The innermost step running now, if any."""
        return self.steps[-1] if self.steps else None

    def scenario(self) -> dict[str, Any]:
        """A copy of the scenario recorded so far."""
        return dict(self.params)

    def step_of(self, exc: BaseException) -> str | None:
        """The step ``exc`` (this very object) escaped from, if it escaped a :func:`step` block."""
        for seen, name in self._raised_in:
            if seen is exc:
                return name
        return None

    def remember(self, exc: BaseException, name: str) -> None:
        """Note that ``exc`` escaped step ``name`` (the innermost step wins)."""
        if self.step_of(exc) is None:
            self._raised_in.append((exc, name))


_current: ContextVar[CheckContext | None] = ContextVar("govparts_conformance_check", default=None)


def current_context() -> CheckContext | None:
    """The context of the check running now, if any."""
    return _current.get()


@contextmanager
def check_context(check: str, seed: int) -> Iterator[CheckContext]:
    """Run the block as check ``check`` of a run seeded ``seed`` (used by the runner)."""
    context = CheckContext(check=check, seed=seed)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def scenario_rng() -> random.Random:
    """The running check's generator (seeded from the run's seed and the check's name).

    The same object for the whole check, so successive draws differ; outside a run, ``Random(0)``.
    """
    context = _current.get()
    return context.rng if context is not None else random.Random(0)


def run_seed() -> int:
    """The seed of the run (0 outside a run)."""
    context = _current.get()
    return context.seed if context is not None else 0


def scenario(**params: Any) -> None:
    """Record what the check is trying now (``scenario(year=2024, region="XJ")``).

    Merged into the scenario already recorded: call it again as a loop moves on. A failure shows the
    scenario as it stood when it happened.
    """
    context = _current.get()
    if context is not None:
        context.params.update(params)


@contextmanager
def step(name: str) -> Iterator[None]:
    """Name the step the block performs; an exception escaping it is reported with the step's name."""
    context = _current.get()
    if context is None:
        yield
        return
    context.steps.append(name)
    try:
        yield
    except BaseException as exc:
        context.remember(exc, name)
        if isinstance(exc, CheckFailure) and exc.step is None:
            exc.step = name
        raise
    finally:
        context.steps.pop()


def show(value: Any) -> str:
    """``repr(value)``, cut to 2000 characters (how a failure shows expected and observed values)."""
    text = repr(value)
    return text if len(text) <= 2000 else text[:1997] + "..."


class CheckFailure(AssertionError):
    """A check found the implementation wrong: ``what`` was ``observed`` where ``expected`` was due.

    ``scenario`` is the scenario recorded when the failure happened and ``step`` the step running
    then (both None outside a run or when the check recorded none).
    """

    def __init__(
        self,
        what: str,
        expected: Any = None,
        observed: Any = None,
        *,
        scenario: Mapping[str, Any] | None = None,
        step: str | None = None,
        detail: str | None = None,
    ) -> None:
        context = _current.get()
        self.what = what
        self.expected = expected
        self.observed = observed
        self.detail = detail
        self.scenario: dict[str, Any] | None = (
            dict(scenario) if scenario is not None else (context.scenario() if context else None)
        )
        self.step: str | None = step if step is not None else (context.current_step if context else None)
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line in English: ``what: expected X, observed Y`` (or the ``detail`` given, as is)."""
        if self.detail is not None:
            return self.detail
        return f"{self.what}: expected {show(self.expected)}, observed {show(self.observed)}"

    def __str__(self) -> str:
        return self.summary()


def expect_equal(observed: T, expected: Any, what: str = "value") -> T:
    """Fail with a :class:`CheckFailure` unless ``observed == expected``; return ``observed``.

    Compare the implementation's value (first) with the value the requirement demands (second)::

        expect_equal(view.days_charged, 3, what="leave days charged")
    """
    if not observed == expected:
        raise CheckFailure(what, expected, observed)
    return observed


def expect_true(condition: object, what: str, *, expected: Any = None, observed: Any = None) -> None:
    """Fail with a :class:`CheckFailure` about ``what`` unless ``condition`` holds.

    ``expected`` and ``observed`` (optional) say what should have been and what was, for the report.
    """
    if not condition:
        if expected is None and observed is None:
            raise CheckFailure(what, detail=f"{what}: the condition does not hold")
        raise CheckFailure(what, expected, observed)
