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
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any

__all__ = ["ImplementationProxy", "WatchedContext", "Witness", "current_witness"]

_current: ContextVar[Witness | None] = ContextVar("govparts_conformance_witness", default=None)


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

    __slots__ = ("_govparts_target", "_govparts_witness")

    def __init__(self, target: object, witness: Witness) -> None:
        self._govparts_target = target
        self._govparts_witness = witness

    def __getattr__(self, name: str) -> Any:
        witness = self._govparts_witness
        value = witness.call(f"service.{name}", getattr, self._govparts_target, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            return witness.call(f"service.{name}()", value, *args, **kwargs)

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
