"""The ``Part`` descriptor and discovery of installed parts.

Each part registers one :class:`Part` under the entry-point group ``govparts.parts``::

    [project.entry-points."govparts.parts"]
    attendance = "govparts.attendance.part:PART"

Everything heavy a part offers (its conformance suite, its mutants, its demo step) is named by a
``"module:attribute"`` string and imported only when asked for, so listing the installed parts
imports nothing but their descriptors.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from .errors import ConfigurationError, NotFound
from .i18n import N_, get_locale, normalize_locale

__all__ = ["ENTRY_POINT_GROUP", "Part", "get_part", "iter_parts", "load_reference"]

ENTRY_POINT_GROUP = "govparts.parts"


def load_reference(reference: str) -> Any:
    """Import ``"package.module:attribute"`` and return the attribute."""
    module_name, _, attribute = reference.partition(":")
    if not attribute:
        raise ConfigurationError(
            N_("{field}: {got} is not of the form 'module:attribute'"), field="reference", got=reference
        )
    target: Any = import_module(module_name)
    for name in attribute.split("."):
        target = getattr(target, name)
    return target


@dataclass(frozen=True)
class Part:
    """What a part publishes: its name, version, title and the references to its contents.

    ``models``, ``processes``, ``events``, ``requirements``, ``conformance``, ``mutants``, ``demo``,
    ``handlers`` (the event handlers the part registers with the dispatcher) are
    ``"module:attribute"`` references resolved by :meth:`load`. ``code_lists_package`` names the
    package whose ``codes/*.toml`` lists the part's code lists; ``migrations`` the package whose
    folder holds the part's Alembic revisions (its own branch, labelled with the part's name).
    """

    name: str
    version: str
    title: Mapping[str, str]
    models: str | None = None
    processes: str | None = None
    events: str | None = None
    requirements: str | None = None
    conformance: str | None = None
    service_protocol: str | None = None
    reference_factory: str | None = None
    mutants: str | None = None
    demo: str | None = None
    migrations: str | None = None
    handlers: str | None = None
    code_lists_package: str | None = None
    extras: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, locale: str | None = None) -> str:
        """The part's title in ``locale``."""
        loc = normalize_locale(locale) if locale else get_locale()
        return self.title.get(loc) or self.title["zh_Hans_CN"]

    def load(self, what: str) -> Any:
        """Resolve a reference of the descriptor (``"processes"``, ``"conformance"``…); None if absent."""
        fields = self.__dataclass_fields__
        reference = getattr(self, what) if what in fields else self.extras.get(what)
        return None if reference is None else load_reference(reference)


def iter_parts() -> Iterator[Part]:
    """Every installed part, in name order."""
    found: list[Part] = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        part = entry.load()
        if not isinstance(part, Part):
            raise ConfigurationError(
                N_("{field}: entry point {got} does not name a Part"),
                field=ENTRY_POINT_GROUP,
                got=entry.value,
            )
        found.append(part)
    yield from sorted(found, key=lambda p: p.name)


def get_part(name: str, parts: Sequence[Part] | None = None) -> Part:
    """The installed part called ``name``."""
    for part in parts if parts is not None else iter_parts():
        if part.name == name:
            return part
    raise NotFound(field="part", kind="part", got=name)
