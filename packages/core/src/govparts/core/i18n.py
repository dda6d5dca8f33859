"""Locales, message catalogs and locale-aware formatting.

govparts speaks three locales: ``zh_Hans_CN`` (the default), ``ug_CN`` (Uyghur in Arabic script,
written right to left) and ``en``. Message ids in the code are English; each distribution ships
gettext catalogs (``locale/<locale>/LC_MESSAGES/<domain>.po``) that its build compiles to ``.mo``.

The current locale is a context variable, so concurrent requests in one process can each speak
their own language::

    >>> from govparts.core import i18n
    >>> with i18n.use_locale("en"):
    ...     i18n.get_locale()
    'en'
    >>> i18n.normalize_locale("ug")
    'ug_CN'

Formatting (numbers, money, dates) goes through Babel, imported only when first needed so that
importing a part stays cheap.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

__all__ = [
    "DEFAULT_LOCALE",
    "N_",
    "SUPPORTED_LOCALES",
    "Domain",
    "direction",
    "domain",
    "format_currency",
    "format_date",
    "format_decimal",
    "get_locale",
    "isolate",
    "normalize_locale",
    "set_locale",
    "use_locale",
]

SUPPORTED_LOCALES: tuple[str, ...] = ("zh_Hans_CN", "ug_CN", "en")
DEFAULT_LOCALE = "zh_Hans_CN"
_RTL = frozenset({"ug_CN"})

# Prefix of a POSIX or BCP 47 locale name -> the supported locale it selects.
_ALIASES = {
    "zh": "zh_Hans_CN",
    "zh_cn": "zh_Hans_CN",
    "zh_hans": "zh_Hans_CN",
    "zh_hans_cn": "zh_Hans_CN",
    "ug": "ug_CN",
    "ug_cn": "ug_CN",
    "ug_arab": "ug_CN",
    "ug_arab_cn": "ug_CN",
    "en": "en",
}

_current: ContextVar[str | None] = ContextVar("govparts_locale", default=None)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` as a message id for extraction without translating it now."""
    return message


def normalize_locale(value: str) -> str:
    """Return the supported locale that ``value`` names (``zh``, ``zh-CN``, ``ug_CN.UTF-8``, ``en_US``…).

    Raises :class:`~govparts.core.errors.UnsupportedLocale` for anything else.
    """
    key = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if key.startswith("en_"):
        return "en"
    from .errors import UnsupportedLocale

    raise UnsupportedLocale(field="locale", got=value, allowed=list(SUPPORTED_LOCALES))


def _from_environment() -> str:
    for name in ("GOVPARTS_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            try:
                return normalize_locale(value)
            except ValueError:
                continue
    return DEFAULT_LOCALE


def get_locale() -> str:
    """The locale in force: the innermost :func:`use_locale`, else the environment, else zh_Hans_CN."""
    return _current.get() or _from_environment()


def set_locale(locale: str) -> Token[str | None]:
    """Set the locale for the current context; returns a token for ``ContextVar.reset``."""
    return _current.set(normalize_locale(locale))


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Speak ``locale`` inside the block (``None`` keeps the current one)."""
    if locale is None:
        yield get_locale()
        return
    token = set_locale(locale)
    try:
        yield get_locale()
    finally:
        _current.reset(token)


def direction(locale: str | None = None) -> Literal["ltr", "rtl"]:
    """Writing direction of ``locale``: ``rtl`` for Uyghur, ``ltr`` otherwise."""
    return "rtl" if normalize_locale(locale or get_locale()) in _RTL else "ltr"


def isolate(text: str, locale: str | None = None) -> str:
    """Wrap ``text`` in Unicode directional isolates (UAX #9) matching the locale's direction.

    Right-to-left text embedded in a left-to-right line (a Uyghur label in a log line, a Chinese
    number inside Uyghur prose) keeps its own order only when isolated: RLI … PDI for RTL text,
    LRI … PDI for LTR text.
    """
    return ("\u2067" if direction(locale) == "rtl" else "\u2066") + text + "\u2069"


class Domain:
    """One gettext domain: a distribution's message catalog in every supported locale."""

    def __init__(self, name: str, localedir: Path) -> None:
        self.name = name
        self.localedir = localedir

    @cache  # noqa: B019 - domains live for the whole process; the cache is the point
    def _translations(self, locale: str) -> _gettext.NullTranslations:
        return _gettext.translation(
            self.name, localedir=str(self.localedir), languages=[locale], fallback=True
        )

    def gettext(self, message: str, locale: str | None = None) -> str:
        """Translate ``message`` into ``locale`` (default: the current locale)."""
        loc = normalize_locale(locale) if locale else get_locale()
        if loc == "en":
            return message
        return self._translations(loc).gettext(message)

    def has_catalog(self, locale: str) -> bool:
        """True when a compiled catalog for ``locale`` is installed."""
        return (self.localedir / locale / "LC_MESSAGES" / f"{self.name}.mo").is_file()


@cache
def domain(name: str, package: str) -> Domain:
    """The message domain ``name`` whose catalogs live in ``package``'s ``locale`` folder."""
    return Domain(name, Path(str(files(package) / "locale")))


CORE = domain("govparts-core", "govparts.core")


def _babel_locale(locale: str | None) -> str:
    return {"zh_Hans_CN": "zh_Hans_CN", "ug_CN": "ug_CN", "en": "en_US"}[
        normalize_locale(locale or get_locale())
    ]


def format_decimal(value: Decimal | int, locale: str | None = None) -> str:
    """Format a number with the locale's grouping and decimal symbols."""
    from babel.numbers import format_decimal as fmt

    return fmt(value, locale=_babel_locale(locale))


def format_currency(value: Decimal, currency: str = "CNY", locale: str | None = None) -> str:
    """Format an amount of money in the locale's currency pattern (``¥1,234.50``)."""
    from babel.numbers import format_currency as fmt

    return fmt(value, currency, locale=_babel_locale(locale))


def format_date(value: date, locale: str | None = None, fmt: str = "medium") -> str:
    """Format a date in the locale's own pattern."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=fmt, locale=_babel_locale(locale))
