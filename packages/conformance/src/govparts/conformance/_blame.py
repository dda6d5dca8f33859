"""Whose exception is it: the implementation's (a failure) or the kit's (an error)?

A check receives the service wrapped in an :class:`ImplementationProxy`. Every exception that escapes
a call made through the proxy (a method of the service, an attribute the service lacks), the factory
that made the service, or the service's ``__enter__``/``__exit__`` is the implementation's, and the
:class:`Witness` of the check remembers that very exception object. When a check ends with an
exception, the runner asks the witness: a remembered exception means the implementation misbehaved
(``fail``); any other exception that is not an assertion or a :class:`SkipCheck` came from the
suite's own code (``error``: a bug in the kit).

The rule is sound because the reference implementation must pass every tested requirement (the
self-test checks it): a check that calls the service wrongly fails against the reference too, so a
mistake in a check cannot hide as a vendor's failure.

Calls on objects the service returned are not watched: a check that drives such an object (an
iterator, a handle) should assert on its results rather than let its exceptions escape.

Inside :func:`recording`, every call made through a proxy is also kept as a :class:`CallRecord`
(check, method, whether and what it raised, the ``actor`` argument): ``govparts conformance
coverage`` reads them to find the methods no check calls and the ones never refused to an actor.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import Any

__all__ = [
    "CallRecord",
    "ImplementationProxy",
    "WatchedContext",
    "Witness",
    "current_witness",
    "recording",
]

_current: ContextVar[Witness | None] = ContextVar("govparts_conformance_witness", default=None)


@dataclass(frozen=True)
class CallRecord:
    """One call a check made on the implementation.

    ``raised`` is the exception's class (None when the call returned), ``actor`` the ``actor``
    argument (the first positional argument, or the keyword), None when the call had none.
    """

    check: str | None
    method: str
    raised: type[BaseException] | None
    actor: object = None
    has_actor: bool = False

    @property
    def exception_type(self) -> str | None:
        """The class name of what the call raised, if it raised."""
        return None if self.raised is None else self.raised.__name__


_recorder: ContextVar[list[CallRecord] | None] = ContextVar("govparts_conformance_recorder", default=None)


@contextmanager
def recording() -> Iterator[list[CallRecord]]:
    """Keep every call made through an :class:`ImplementationProxy` inside the block in the list yielded."""
    calls: list[CallRecord] = []
    token = _recorder.set(calls)
    try:
        yield calls
    finally:
        _recorder.reset(token)


def _actor_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[object, bool]:
    if "actor" in kwargs:
        return kwargs["actor"], True
    if args:
        return args[0], True
    return None, False


class Witness:
    """Remembers the exceptions the implementation raised during one check."""

    __slots__ = ("_raised",)

    def __init__(self) -> None:
        self._raised: list[tuple[BaseException, str]] = []

    def origin(self, exc: BaseException) -> str | None:
        """The call ``exc`` (this very object) escaped from, if it came from the implementation."""
        for seen, where in self._raised:
            if exc is seen:
                return where
        return None

    def saw(self, exc: BaseException) -> bool:
        """True when ``exc`` escaped from the implementation."""
        return self.origin(exc) is not None

    def call(self, where: str, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Call implementation code (``where`` names it in reports), remembering what it raises."""
        try:
            return function(*args, **kwargs)
        except Exception as exc:
            self._raised.append((exc, where))
            raise

    @contextmanager
    def active(self) -> Iterator[Witness]:
        """Make this the witness :func:`current_witness` returns inside the block."""
        token = _current.set(self)
        try:
            yield self
        finally:
            _current.reset(token)


def current_witness() -> Witness | None:
    """The witness of the check running now, if any."""
    return _current.get()


class ImplementationProxy:
    """The service as a check sees it: attribute access and calls go through the witness."""

    __slots__ = ("_govparts_check", "_govparts_target", "_govparts_witness")

    def __init__(self, target: object, witness: Witness, check: str | None = None) -> None:
        self._govparts_target = target
        self._govparts_witness = witness
        self._govparts_check = check

    def __getattr__(self, name: str) -> Any:
        witness = self._govparts_witness
        value = witness.call(f"service.{name}", getattr, self._govparts_target, name)
        if not callable(value):
            return value
        check = self._govparts_check

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            calls = _recorder.get()
            if calls is None:
                return witness.call(f"service.{name}()", value, *args, **kwargs)
            actor, has_actor = _actor_of(args, kwargs)
            try:
                result = witness.call(f"service.{name}()", value, *args, **kwargs)
            except Exception as exc:
                calls.append(CallRecord(check, name, type(exc), actor, has_actor))
                raise
            calls.append(CallRecord(check, name, None, actor, has_actor))
            return result

        return call

    def __repr__(self) -> str:
        return f"<implementation {self._govparts_target!r}>"


class WatchedContext:
    """A context manager the factory returned, entered and exited through the witness."""

    def __init__(self, manager: Any, witness: Witness) -> None:
        self._manager = manager
        self._witness = witness

    def __enter__(self) -> Any:
        return self._witness.call("factory().__enter__()", self._manager.__enter__)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        return bool(self._witness.call("factory().__exit__()", self._manager.__exit__, kind, exc, tb))
