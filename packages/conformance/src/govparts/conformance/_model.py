"""Requirement catalogues and capability declarations: the published half of a conformance suite.

A part publishes a :class:`Catalogue` of :class:`Requirement` objects. Each requirement has a stable
id (``ATT-012``: two to five capital letters, a hyphen, three digits), a level in the sense of
RFC 2119 (MUST, SHOULD, MAY), its statement in the three govparts locales, the clause of the standard
or regulation it comes from, and optionally the optional feature it belongs to and the reason the kit
does not test it.

An implementation publishes its :class:`Capabilities`: the part and version it implements and the
optional features it claims. Requirements of features it does not claim are omitted, not skipped.

Everything here is plain data: frozen dataclasses that validate themselves on construction and raise
:class:`~govparts.core.errors.InvalidSpec` naming the offending field.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from govparts.core import i18n
from govparts.core.errors import InvalidInput, InvalidSpec, NotFound
from govparts.core.i18n import N_

__all__ = ["DOMAIN", "Capabilities", "Catalogue", "Level", "Requirement"]

DOMAIN = i18n.domain("govparts-conformance", "govparts.conformance")

REQUIREMENT_ID = re.compile(r"^[A-Z]{2,5}-\d{3}$")
FEATURE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
STATEMENT_LOCALES: tuple[str, ...] = ("zh_Hans_CN", "en", "ug_CN")


class Level(StrEnum):
    """How binding a requirement is (RFC 2119): only MUST decides whether an implementation conforms."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidSpec(
            N_("{field}: a non-empty text is required, got {got}"),
            field=field,
            got=value if isinstance(value, str) else type(value).__name__,
            domain=DOMAIN,
        )
    return value


def check_requirement_id(value: object, field: str = "id") -> str:
    """Return ``value`` if it is a well-formed requirement id (``ATT-012``), else raise InvalidSpec."""
    if not isinstance(value, str) or not REQUIREMENT_ID.match(value):
        raise InvalidSpec(
            N_("{field}: {got} is not a requirement id (two to five capital letters, '-', three digits)"),
            field=field,
            got=str(value),
            domain=DOMAIN,
        )
    return value


def check_feature_name(value: object, field: str = "feature") -> str:
    """Return ``value`` if it is a well-formed feature name (lower-case, hyphenated); else InvalidSpec."""
    if not isinstance(value, str) or not FEATURE_NAME.match(value):
        raise InvalidSpec(
            N_("{field}: {got} is not a feature name (lower-case letters and digits joined by '-')"),
            field=field,
            got=str(value),
            domain=DOMAIN,
        )
    return value


@dataclass(frozen=True)
class Requirement:
    """One requirement of a part's standard.

    ``statement`` maps each of ``zh_Hans_CN``, ``en`` and ``ug_CN`` to the requirement's wording;
    ``source`` names the clause it comes from (``GB/T 9704-2012 7.2.5``). ``feature`` names the optional
    capability the requirement belongs to (None: every implementation). ``not_tested_reason`` says
    why the kit has no check for it; such a requirement is reported ``skip`` (could not verify).
    """

    id: str
    level: Level
    statement: Mapping[str, str]
    source: str
    feature: str | None = None
    not_tested_reason: str | None = None

    def __post_init__(self) -> None:
        check_requirement_id(self.id)
        where = f"requirements[{self.id}]"
        try:
            level = Level(self.level.upper() if isinstance(self.level, str) else self.level)
        except ValueError:
            raise InvalidSpec(
                N_("{field}: {got} is not a level (allowed: {allowed})"),
                field=f"{where}.level",
                got=str(self.level),
                allowed=[lv.value for lv in Level],
                domain=DOMAIN,
            ) from None
        object.__setattr__(self, "level", level)
        if not isinstance(self.statement, Mapping):
            raise InvalidSpec(
                N_("{field}: expected a table of the statement in {allowed}"),
                field=f"{where}.statement",
                allowed=list(STATEMENT_LOCALES),
                domain=DOMAIN,
            )
        unknown = sorted(set(self.statement) - set(STATEMENT_LOCALES))
        if unknown:
            raise InvalidSpec(
                N_("{field}: {got} is not a statement locale (allowed: {allowed})"),
                field=f"{where}.statement",
                got=unknown[0],
                allowed=list(STATEMENT_LOCALES),
                domain=DOMAIN,
            )
        statement = {
            loc: _text(self.statement.get(loc), f"{where}.statement.{loc}") for loc in STATEMENT_LOCALES
        }
        object.__setattr__(self, "statement", MappingProxyType(statement))
        _text(self.source, f"{where}.source")
        if self.feature is not None:
            check_feature_name(self.feature, f"{where}.feature")
        if self.not_tested_reason is not None:
            _text(self.not_tested_reason, f"{where}.not_tested_reason")

    def statement_in(self, locale: str | None = None) -> str:
        """The statement in ``locale`` (default: the current locale)."""
        return self.statement[i18n.normalize_locale(locale) if locale else i18n.get_locale()]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (the shape :meth:`Catalogue.from_dict` reads)."""
        data: dict[str, Any] = {
            "id": self.id,
            "level": self.level.value,
            "statement": dict(self.statement),
            "source": self.source,
            "feature": self.feature,
        }
        if self.not_tested_reason is not None:
            data["not_tested_reason"] = self.not_tested_reason
        return data


@dataclass(frozen=True)
class Catalogue:
    """The requirement catalogue of one version of a part's standard.

    Iterating yields the requirements in catalogue order; ``catalogue["ATT-012"]`` finds one by id.
    """

    part: str
    version: str
    requirements: tuple[Requirement, ...]
    _by_id: Mapping[str, Requirement] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _text(self.part, "part")
        _text(self.version, "version")
        requirements = tuple(self.requirements)
        by_id: dict[str, Requirement] = {}
        for index, requirement in enumerate(requirements):
            if not isinstance(requirement, Requirement):
                raise InvalidSpec(
                    N_("{field}: expected a Requirement, got {got}"),
                    field=f"requirements[{index}]",
                    got=type(requirement).__name__,
                    domain=DOMAIN,
                )
            if requirement.id in by_id:
                raise InvalidSpec(
                    N_("{field}: requirement id {got} appears more than once"),
                    field=f"requirements[{index}].id",
                    got=requirement.id,
                    domain=DOMAIN,
                )
            by_id[requirement.id] = requirement
        object.__setattr__(self, "requirements", requirements)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))

    def __iter__(self) -> Iterator[Requirement]:
        return iter(self.requirements)

    def __len__(self) -> int:
        return len(self.requirements)

    def __contains__(self, requirement_id: object) -> bool:
        return requirement_id in self._by_id

    def __getitem__(self, requirement_id: str) -> Requirement:
        try:
            return self._by_id[requirement_id]
        except KeyError:
            raise NotFound(field="requirement", kind="requirement", got=requirement_id) from None

    @property
    def features(self) -> frozenset[str]:
        """The optional features the catalogue's requirements belong to."""
        return frozenset(r.feature for r in self.requirements if r.feature is not None)

    def fingerprint(self) -> str:
        """``"sha256:<hex>"`` of the published catalogue: the "hash of the spec" a statement names.

        Computed over canonical JSON (keys sorted, requirements sorted by id, UTF-8, no spaces) of the
        part, the version and each requirement's id, level, statement, source and feature. The kit's
        own ``not_tested_reason`` is not part of the standard and does not change the fingerprint.
        """
        canonical = {
            "part": self.part,
            "version": self.version,
            "requirements": [
                {k: v for k, v in r.to_dict().items() if k != "not_tested_reason"}
                for r in sorted(self.requirements, key=lambda r: r.id)
            ],
        }
        encoded = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        return "sha256:" + hashlib.sha256(encoded).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description: ``{"part", "version", "requirements": [...]}``."""
        return {
            "part": self.part,
            "version": self.version,
            "requirements": [r.to_dict() for r in self.requirements],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalogue:
        """Build a catalogue from :meth:`to_dict`'s shape (the key ``requirement`` is read as well)."""
        items = data.get("requirements", data.get("requirement"))
        if not isinstance(items, list):
            raise InvalidSpec(
                N_("{field}: expected a list of requirements"), field="requirements", domain=DOMAIN
            )
        requirements: list[Requirement] = []
        for index, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise InvalidSpec(
                    N_("{field}: expected a table, got {got}"),
                    field=f"requirements[{index}]",
                    got=type(item).__name__,
                    domain=DOMAIN,
                )
            for key in ("id", "level", "statement", "source"):
                if key not in item:
                    raise InvalidSpec(
                        N_("{field}: a value is required"),
                        field=f"requirements[{index}].{key}",
                        domain=DOMAIN,
                    )
            unknown = sorted(
                set(item) - {"id", "level", "statement", "source", "feature", "not_tested_reason"}
            )
            if unknown:
                raise InvalidSpec(
                    N_("{field}: this field is not part of a requirement"),
                    field=f"requirements[{index}].{unknown[0]}",
                    domain=DOMAIN,
                )
            requirements.append(Requirement(**item))
        return cls(
            part=data.get("part", ""), version=data.get("version", ""), requirements=tuple(requirements)
        )

    @classmethod
    def from_toml(cls, path: str | Path) -> Catalogue:
        """Read a catalogue from a TOML file: ``part``, ``version`` and ``[[requirement]]`` tables."""
        import tomllib

        with Path(path).open("rb") as source:
            return cls.from_dict(tomllib.load(source))


@dataclass(frozen=True)
class Capabilities:
    """What an implementation declares: part and version implemented, optional features claimed."""

    part: str
    version: str
    features: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _text(self.part, "capabilities.part")
        _text(self.version, "capabilities.version")
        if isinstance(self.features, str) or not isinstance(self.features, Iterable):
            raise InvalidSpec(
                N_("{field}: expected a set of feature names, got {got}"),
                field="capabilities.features",
                got=type(self.features).__name__,
                domain=DOMAIN,
            )
        features = frozenset(self.features)
        for name in sorted(features, key=str):
            check_feature_name(name, "capabilities.features")
        object.__setattr__(self, "features", features)

    @classmethod
    def coerce(cls, value: object) -> Capabilities:
        """Accept a :class:`Capabilities` or a mapping with ``part``, ``version`` and ``features``."""
        if isinstance(value, Capabilities):
            return value
        if isinstance(value, Mapping):
            return cls(
                part=value.get("part", ""),
                version=value.get("version", ""),
                features=value.get("features", ()),
            )
        raise InvalidInput(
            N_("{field}: expected Capabilities or a mapping, got {got}"),
            field="capabilities",
            got=type(value).__name__,
            domain=DOMAIN,
        )

    def validate_against(self, catalogue: Catalogue) -> Capabilities:
        """Return self if it declares ``catalogue``'s part and only features the catalogue knows."""
        if self.part != catalogue.part:
            raise InvalidInput(
                N_("{field}: the implementation declares part {got}, the suite tests {expected}"),
                field="capabilities.part",
                got=self.part,
                expected=catalogue.part,
                domain=DOMAIN,
            )
        unknown = sorted(self.features - catalogue.features)
        if unknown:
            raise InvalidInput(
                N_("{field}: {got} is not an optional feature of {part} (known: {allowed})"),
                field="capabilities.features",
                got=unknown[0],
                part=catalogue.part,
                allowed=sorted(catalogue.features) or ["-"],
                domain=DOMAIN,
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        """``{"part", "version", "features": [sorted names]}``."""
        return {"part": self.part, "version": self.version, "features": sorted(self.features)}
