"""Helpers shared by the identifier modules: input cleaning and the error every failure raises."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from ..errors import InvalidIdentifier
from ..i18n import N_

# Separators people type or paste inside identifiers: spaces (ASCII, ideographic, no-break), hyphens, dots.
_SEPARATORS = str.maketrans("", "", " \t\r\n\u3000\u00a0-\u2010\u2011\u2012\u2013\u2014.")

# Longest input we look at: anything longer is junk, and NFKC on megabytes is needlessly slow.
_MAX_INPUT = 64


def fail(message_id: str, /, *, field: str, **details: Any) -> InvalidIdentifier:
    """Build the :class:`InvalidIdentifier` for ``field`` (the caller raises it)."""
    return InvalidIdentifier(message_id, field=field, **details)


def clean(value: object, field: str) -> str:
    """``value`` without separators, full-width forms folded to ASCII (NFKC), upper-cased.

    Raises :class:`InvalidIdentifier` when ``value`` is not text.
    """
    if not isinstance(value, str):
        raise fail(N_("{field}: expected text, got {kind}"), field=field, kind=type(value).__name__)
    if len(value) > _MAX_INPUT:
        raise fail(
            N_("{field}: {length} characters is far too long for an identifier"),
            field=field,
            length=len(value),
        )
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return value.translate(_SEPARATORS).upper()


def is_ascii_digits(text: str) -> bool:
    """True when ``text`` is non-empty and only ASCII ``0``-``9`` (``str.isdigit`` alone admits ``'١'``)."""
    return text.isascii() and text.isdigit()


def first_non_digit(text: str) -> int:
    """Index of the first character of ``text`` that is not an ASCII digit (``-1`` if none)."""
    for index, char in enumerate(text):
        if not ("0" <= char <= "9"):
            return index
    return -1


def validate_in_model(validate: Callable[[object], str], value: object) -> str:
    """Run ``validate`` for a pydantic field: the error names no field (pydantic knows the path)."""
    try:
        return validate(value)
    except InvalidIdentifier as err:
        err.field = "value"
        raise
