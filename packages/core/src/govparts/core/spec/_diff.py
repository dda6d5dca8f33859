"""Comparing two publications: every change, classified for producers and for consumers of the data.

A change is *breaking* for a side when data that side handled correctly before can now fail: for
producers (who write records the schema validates), a new required field, a narrowed type, a code
removed, a stricter constraint; for consumers (who read them), a removed field, a widened type, a new
code in a closed list, a field that became optional. A removed transition or event type breaks both.
*Compatible* changes (an added optional field, a new code in an open list, a new transition) need no
action; *editorial* ones (titles, descriptions, examples, translations) change no verdict.

The gate: a breaking change fails unless the affected artifact's major version went up, or an
override file gives a written reason for exactly that change::

    [[override]]
    artifact = "schema:govparts.core.refs.PersonRef"
    path = "/properties/nickname"
    reason = "never filled by any producer; removed with the 2026 revision"

Deprecations (``x-deprecated`` in a schema, ``deprecated`` on a code) are always listed.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from ..errors import InvalidSpec
from ..i18n import N_
from ._publish import Publication

__all__ = ["Change", "Deprecation", "DiffReport", "Override", "Severity", "diff", "load_overrides"]


class Severity(IntEnum):
    """How much a change matters to one side; ordered so ``max`` picks the worst."""

    NONE = 0
    EDITORIAL = 1
    COMPATIBLE = 2
    BREAKING = 3

    @property
    def label(self) -> str:
        """``"none"``, ``"editorial"``, ``"compatible"`` or ``"breaking"``."""
        return self.name.lower()


_EDITORIAL_KEYS = frozenset(
    {
        "title",
        "description",
        "examples",
        "x-i18n",
        "x-labels",
        "$comment",
        "x-standard",
        "x-deprecated",
        "deprecated",
    }
)
_IGNORED_KEYS = frozenset(
    {
        "$schema",
        "$id",
        "x-standard-version",
        "x-standard-status",
        "x-standard-id",
        "x-part",
        "x-code-list-closed",
    }
)
_UPPER = {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"}
_LOWER = {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"}


@dataclass(frozen=True)
class Change:
    """One difference: the artifact, a JSON-pointer-like path in it, its effect on each side."""

    artifact: str
    path: str
    what: str
    producers: Severity
    consumers: Severity
    accepted_by: str = ""
    """Why a breaking change is let through: ``"major version"`` or the override's reason."""

    @property
    def severity(self) -> Severity:
        """The worse of the two sides."""
        return max(self.producers, self.consumers)

    @property
    def breaking(self) -> bool:
        """True when the change breaks producers or consumers."""
        return self.severity is Severity.BREAKING

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "artifact": self.artifact,
            "path": self.path,
            "what": self.what,
            "producers": self.producers.label,
            "consumers": self.consumers.label,
            "severity": self.severity.label,
            "accepted_by": self.accepted_by or None,
        }


@dataclass(frozen=True)
class Deprecation:
    """Something the new publication marks deprecated, with the version and replacement it names."""

    artifact: str
    path: str
    since: str
    replacement: str
    new: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "artifact": self.artifact,
            "path": self.path,
            "since": self.since,
            "replacement": self.replacement,
            "new": self.new,
        }


@dataclass(frozen=True)
class Override:
    """Permission for one breaking change, with the written reason."""

    artifact: str
    path: str
    reason: str


@dataclass(frozen=True)
class DiffReport:
    """Every change between two publications, the deprecations, and the verdict of the gate."""

    old_version: str
    new_version: str
    changes: tuple[Change, ...]
    deprecations: tuple[Deprecation, ...]
    unused_overrides: tuple[Override, ...] = field(default=())

    @property
    def failures(self) -> list[Change]:
        """Breaking changes that no major version bump and no override accounts for."""
        return [c for c in self.changes if c.breaking and not c.accepted_by]

    @property
    def ok(self) -> bool:
        """True when the gate passes."""
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "old": self.old_version,
            "new": self.new_version,
            "ok": self.ok,
            "changes": [c.to_dict() for c in self.changes],
            "failures": [c.to_dict() for c in self.failures],
            "deprecations": [d.to_dict() for d in self.deprecations],
            "unused_overrides": [o.__dict__ for o in self.unused_overrides],
        }


def load_overrides(path: str | Path) -> list[Override]:
    """Read an override file; each ``[[override]]`` needs ``artifact``, ``path`` and a ``reason``."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidSpec(
            N_("{field}: cannot read {got}: {reason}"), field="overrides", got=str(path), reason=str(exc)
        ) from None
    found = []
    for number, item in enumerate(data.get("override", [])):
        for key in ("artifact", "path", "reason"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise InvalidSpec(
                    N_("{field}: override {number} needs a non-empty {key}"),
                    field=f"override[{number}].{key}",
                    number=number,
                    key=key,
                )
        found.append(Override(item["artifact"], item["path"], item["reason"].strip()))
    return found


def _major(version: str) -> int:
    head = str(version).split(".", 1)[0]
    return int(head) if head.isdigit() else 0


# -- schemas ----------------------------------------------------------------------------------------


_MISSING: Any = object()


def _pointer(root: Any, ref: str) -> Any:
    """The node a local ``#/a/b`` reference names in ``root``, or ``_MISSING``."""
    target = root
    for token in ref[2:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, Mapping) or key not in target:
            return _MISSING
        target = target[key]
    return target


def _local_refs(node: Any) -> Iterator[str]:
    """Every local ``#/…`` reference inside ``node``."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            yield ref
        for value in node.values():
            yield from _local_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _local_refs(value)


class _SchemaDiff:
    """Walks two schemas side by side; a local ``$ref`` resolves in the first of its side's roots
    that has it (an event payload: the payload itself, then the AsyncAPI document)."""

    def __init__(
        self,
        artifact: str,
        old_root: Mapping[str, Any],
        new_root: Mapping[str, Any],
        *,
        documents: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
    ) -> None:
        self.artifact = artifact
        self.roots: tuple[tuple[Mapping[str, Any], ...], tuple[Mapping[str, Any], ...]] = (
            (old_root,) if documents is None else (old_root, documents[0]),
            (new_root,) if documents is None else (new_root, documents[1]),
        )
        self.changes: list[Change] = []

    def add(self, path: str, what: str, producers: Severity, consumers: Severity) -> None:
        self.changes.append(Change(self.artifact, path or "/", what, producers, consumers))

    def target(self, ref: str, side: int) -> Any:
        """What ``ref`` names on one side: in the first of its roots that has it, else ``{}``."""
        found = (_pointer(root, ref) for root in self.roots[side])
        return next((t for t in found if t is not _MISSING), {})

    def same(self, old: Any, new: Any) -> bool:
        """True when two nodes are equal and so is everything their references lead to.

        Equal text is not enough: ``{"$ref": "#/$defs/Person"}`` reads the same on both sides while
        ``Person`` itself may have lost a field.
        """
        if old != new:
            return False
        pending, checked = list(_local_refs(old)), set()
        while pending:
            ref = pending.pop()
            if ref in checked:
                continue
            checked.add(ref)
            before, after = self.target(ref, 0), self.target(ref, 1)
            if before != after:
                return False
            pending.extend(_local_refs(before))
        return True

    def resolve(self, node: Any, side: int, seen: frozenset[str]) -> tuple[Any, frozenset[str]]:
        while (
            isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")
        ):
            ref = node["$ref"]
            if ref in seen:
                return {"$ref": ref}, seen
            seen = seen | {ref}
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node = {**self.target(ref, side), **extra}
        return node, seen

    def compare(self, old: Any, new: Any, path: str, seen: tuple[frozenset[str], frozenset[str]]) -> None:
        old, old_seen = self.resolve(old, 0, seen[0])
        new, new_seen = self.resolve(new, 1, seen[1])
        if self.same(old, new):
            return
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            self.add(path, "schema replaced", Severity.BREAKING, Severity.BREAKING)
            return
        pair = (old_seen, new_seen)
        keys = sorted((set(old) | set(new)) - _IGNORED_KEYS - {"$defs", "definitions"})
        for key in keys:
            a, b = old.get(key), new.get(key)
            if self.same(a, b):
                continue
            where = f"{path}/{key}"
            if key in _EDITORIAL_KEYS or key == "default":
                self.add(where, f"{key} changed", Severity.EDITORIAL, Severity.EDITORIAL)
            elif key == "properties":
                self.properties(a or {}, b or {}, new.get("required", []), path, pair)
            elif key == "required":
                fields = (set(old.get("properties", {})), set(new.get("properties", {})))
                self.required(set(a or []), set(b or []), fields, path)
            elif key == "enum":
                self.enum(list(a or []), list(b or []), where, old, new)
            elif key == "type":
                self.types(a, b, where)
            elif key in _UPPER or key in _LOWER:
                self.bound(key, a, b, where)
            elif key == "additionalProperties":
                self.additional(a, b, where, pair)
            elif key in ("items", "contains", "propertyNames", "not", "if", "then", "else"):
                if a is None or b is None:
                    self.add(where, f"{key} {'added' if a is None else 'removed'}", *self.narrow(a is None))
                else:
                    self.compare(a, b, where, pair)
            elif key in ("anyOf", "oneOf", "allOf", "prefixItems"):
                self.branches(key, a or [], b or [], where, pair)
            elif key == "x-code-list":
                self.add(where, "code list changed", Severity.BREAKING, Severity.BREAKING)
            elif key in {"pattern", "const", "format"}:
                if a is None:
                    self.add(where, f"{key} added", Severity.BREAKING, Severity.COMPATIBLE)
                elif b is None:
                    self.add(where, f"{key} removed", Severity.COMPATIBLE, Severity.BREAKING)
                else:
                    self.add(where, f"{key} changed", Severity.BREAKING, Severity.BREAKING)
            elif key.startswith("x-"):
                self.add(where, f"{key} changed", Severity.EDITORIAL, Severity.EDITORIAL)
            else:
                self.add(where, f"{key} changed", Severity.BREAKING, Severity.BREAKING)

    @staticmethod
    def narrow(narrower: bool) -> tuple[Severity, Severity]:
        """A stricter schema breaks producers; a looser one breaks consumers."""
        if narrower:
            return Severity.BREAKING, Severity.COMPATIBLE
        return Severity.COMPATIBLE, Severity.BREAKING

    def properties(
        self,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        required: list[str],
        path: str,
        seen: tuple[frozenset[str], frozenset[str]],
    ) -> None:
        for name in sorted(set(old) | set(new)):
            where = f"{path}/properties/{name}"
            if name not in new:
                self.add(where, "field removed", Severity.BREAKING, Severity.BREAKING)
            elif name not in old:
                if name in required:
                    self.add(where, "required field added", Severity.BREAKING, Severity.COMPATIBLE)
                else:
                    self.add(where, "optional field added", Severity.COMPATIBLE, Severity.COMPATIBLE)
            else:
                self.compare(old[name], new[name], where, seen)

    def required(self, old: set[str], new: set[str], fields: tuple[set[str], set[str]], path: str) -> None:
        # Fields added or removed are reported with the properties; here only fields in both.
        both = fields[0] & fields[1]
        for name in sorted((new - old) & both):
            self.add(
                f"{path}/properties/{name}", "field became required", Severity.BREAKING, Severity.COMPATIBLE
            )
        for name in sorted((old - new) & both):
            self.add(
                f"{path}/properties/{name}", "field became optional", Severity.COMPATIBLE, Severity.BREAKING
            )

    def enum(
        self,
        old: list[Any],
        new: list[Any],
        where: str,
        old_node: Mapping[str, Any],
        new_node: Mapping[str, Any],
    ) -> None:
        closed = bool(new_node.get("x-code-list-closed", old_node.get("x-code-list-closed", True)))
        for value in [v for v in old if v not in new]:
            self.add(
                f"{where}/{value}",
                "code removed",
                Severity.BREAKING,
                Severity.BREAKING if closed else Severity.COMPATIBLE,
            )
        for value in [v for v in new if v not in old]:
            self.add(
                f"{where}/{value}",
                "code added" + (" to a closed list" if closed else ""),
                Severity.COMPATIBLE,
                Severity.BREAKING if closed else Severity.COMPATIBLE,
            )

    def types(self, old: Any, new: Any, where: str) -> None:
        a = set(old) if isinstance(old, list) else {old} if old else set()
        b = set(new) if isinstance(new, list) else {new} if new else set()
        # integer -> number widens what is accepted; number -> integer narrows it.
        widened = bool(a and b and a < b) or ("integer" in a and "number" in b and not (a - {"integer"}) - b)
        narrowed = bool(a and b and b < a) or ("number" in a and "integer" in b and not (b - {"integer"}) - a)
        if widened:
            self.add(where, "type widened", *self.narrow(False))
        elif narrowed:
            self.add(where, "type narrowed", *self.narrow(True))
        else:
            self.add(where, "type changed", Severity.BREAKING, Severity.BREAKING)

    def bound(self, key: str, old: Any, new: Any, where: str) -> None:
        if old is None or new is None:
            narrower: bool = old is None
        elif key in _UPPER:
            narrower = new < old
        else:
            narrower = new > old
        self.add(where, f"{key} {'narrowed' if narrower else 'widened'}", *self.narrow(narrower))

    def additional(self, old: Any, new: Any, where: str, seen: tuple[frozenset[str], frozenset[str]]) -> None:
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            self.compare(old, new, where, seen)
            return
        closed_before = old is False
        closed_after = new is False
        if closed_after and not closed_before:
            self.add(where, "extra fields now rejected", *self.narrow(True))
        elif closed_before and not closed_after:
            self.add(where, "extra fields now allowed", *self.narrow(False))
        else:
            self.add(where, "additionalProperties changed", Severity.BREAKING, Severity.BREAKING)

    def branches(
        self,
        key: str,
        old: list[Any],
        new: list[Any],
        where: str,
        seen: tuple[frozenset[str], frozenset[str]],
    ) -> None:
        if len(old) == len(new):
            for number, (a, b) in enumerate(zip(old, new, strict=True)):
                self.compare(a, b, f"{where}/{number}", seen)
            return
        canon_old = {json.dumps(self.resolve(b, 0, seen[0])[0], sort_keys=True) for b in old}
        canon_new = {json.dumps(self.resolve(b, 1, seen[1])[0], sort_keys=True) for b in new}
        if key == "anyOf" and canon_new < canon_old:
            self.add(where, "alternatives removed", *self.narrow(True))
        elif key == "anyOf" and canon_old < canon_new:
            self.add(where, "alternatives added", *self.narrow(False))
        else:
            self.add(where, f"{key} changed", Severity.BREAKING, Severity.BREAKING)


def _schema_changes(
    artifact: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    documents: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
) -> list[Change]:
    walker = _SchemaDiff(artifact, old, new, documents=documents)
    walker.compare(old, new, "", (frozenset(), frozenset()))
    return walker.changes


# -- the other kinds --------------------------------------------------------------------------------


def _code_list_changes(artifact: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    closed = bool(new.get("closed", True))
    old_codes = {c["code"]: c for c in old.get("codes", [])}
    new_codes = {c["code"]: c for c in new.get("codes", [])}
    for code in sorted(set(old_codes) | set(new_codes)):
        where = f"/codes/{code}"
        if code not in new_codes:
            consumers = Severity.BREAKING if closed else Severity.COMPATIBLE
            changes.append(Change(artifact, where, "code removed", Severity.BREAKING, consumers))
        elif code not in old_codes:
            consumers = Severity.BREAKING if closed else Severity.COMPATIBLE
            changes.append(Change(artifact, where, "code added", Severity.COMPATIBLE, consumers))
        elif old_codes[code] != new_codes[code]:
            a, b = old_codes[code], new_codes[code]
            if a.get("parent") != b.get("parent"):
                changes.append(
                    Change(artifact, where, "parent changed", Severity.BREAKING, Severity.BREAKING)
                )
            elif a.get("valid_from") != b.get("valid_from") or a.get("valid_to") != b.get("valid_to"):
                changes.append(
                    Change(artifact, where, "validity changed", Severity.BREAKING, Severity.COMPATIBLE)
                )
            else:
                changes.append(
                    Change(artifact, where, "labels changed", Severity.EDITORIAL, Severity.EDITORIAL)
                )
    if old.get("closed", True) is not new.get("closed", True):
        what = "list closed" if closed else "list opened"
        narrower = closed
        sides = (
            (Severity.BREAKING, Severity.COMPATIBLE) if narrower else (Severity.COMPATIBLE, Severity.BREAKING)
        )
        changes.append(Change(artifact, "/closed", what, *sides))
    for key in ("title", "note", "source"):
        if old.get(key) != new.get(key):
            changes.append(
                Change(artifact, f"/{key}", f"{key} changed", Severity.EDITORIAL, Severity.EDITORIAL)
            )
    return changes


def _process_changes(artifact: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    old_states = {s["id"] for s in old.get("states", [])}
    new_states = {s["id"] for s in new.get("states", [])}
    for state in sorted(old_states - new_states):
        changes.append(
            Change(artifact, f"/states/{state}", "state removed", Severity.BREAKING, Severity.BREAKING)
        )
    for state in sorted(new_states - old_states):
        changes.append(
            Change(artifact, f"/states/{state}", "state added", Severity.COMPATIBLE, Severity.BREAKING)
        )
    old_t = {t["name"]: t for t in old.get("transitions", [])}
    new_t = {t["name"]: t for t in new.get("transitions", [])}
    for name in sorted(set(old_t) | set(new_t)):
        where = f"/transitions/{name}"
        if name not in new_t:
            changes.append(
                Change(artifact, where, "transition removed", Severity.BREAKING, Severity.BREAKING)
            )
        elif name not in old_t:
            changes.append(
                Change(artifact, where, "transition added", Severity.COMPATIBLE, Severity.COMPATIBLE)
            )
        elif old_t[name] != new_t[name]:
            a, b = old_t[name], new_t[name]
            moved = a.get("source") != b.get("source") or a.get("target") != b.get("target")
            semantic = {k for k in set(a) | set(b) if a.get(k) != b.get(k)} - {
                "label",
                "title",
                "description",
            }
            if moved:
                changes.append(
                    Change(artifact, where, "transition moved", Severity.BREAKING, Severity.BREAKING)
                )
            elif semantic:
                what = "transition changed (" + ", ".join(sorted(semantic)) + ")"
                changes.append(Change(artifact, where, what, Severity.BREAKING, Severity.COMPATIBLE))
            else:
                changes.append(
                    Change(artifact, where, "transition relabelled", Severity.EDITORIAL, Severity.EDITORIAL)
                )
    if old.get("initial") != new.get("initial"):
        changes.append(
            Change(artifact, "/initial", "initial state changed", Severity.BREAKING, Severity.BREAKING)
        )
    if old.get("title") != new.get("title"):
        changes.append(Change(artifact, "/title", "title changed", Severity.EDITORIAL, Severity.EDITORIAL))
    rest = {k for k in set(old) | set(new) if old.get(k) != new.get(k)} - {
        "states",
        "transitions",
        "initial",
        "title",
        "version",
    }
    for key in sorted(rest):
        changes.append(Change(artifact, f"/{key}", f"{key} changed", Severity.BREAKING, Severity.COMPATIBLE))
    if not changes and old != new:
        changes.append(
            Change(artifact, "/states", "state labels changed", Severity.EDITORIAL, Severity.EDITORIAL)
        )
    return changes


def _event_changes(artifact: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    old_channels, new_channels = old.get("channels", {}), new.get("channels", {})
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    for key in sorted(set(old_channels) | set(new_channels)):
        where = f"/channels/{key}"
        if key not in new_channels:
            changes.append(
                Change(artifact, where, "event type removed", Severity.BREAKING, Severity.BREAKING)
            )
        elif key not in old_channels:
            changes.append(
                Change(artifact, where, "event type added", Severity.COMPATIBLE, Severity.COMPATIBLE)
            )
        else:
            pair = _schema_changes(artifact, old_schemas.get(key, {}), new_schemas.get(key, {}), (old, new))
            for change in pair:
                changes.append(
                    Change(
                        artifact,
                        f"{where}/payload{change.path}",
                        change.what,
                        change.producers,
                        change.consumers,
                    )
                )
    return changes


def _requirement_changes(artifact: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    old_r = {r["id"]: r for r in old.get("requirements", [])}
    new_r = {r["id"]: r for r in new.get("requirements", [])}
    for rid in sorted(set(old_r) | set(new_r)):
        where = f"/requirements/{rid}"
        if rid not in new_r:
            changes.append(
                Change(artifact, where, "requirement removed", Severity.COMPATIBLE, Severity.COMPATIBLE)
            )
        elif rid not in old_r:
            must = new_r[rid].get("level") == "MUST"
            sides = (
                (Severity.BREAKING, Severity.COMPATIBLE)
                if must
                else (Severity.COMPATIBLE, Severity.COMPATIBLE)
            )
            changes.append(Change(artifact, where, f"requirement added ({new_r[rid].get('level')})", *sides))
        elif old_r[rid].get("level") != new_r[rid].get("level"):
            stricter = new_r[rid].get("level") == "MUST"
            sides = (
                (Severity.BREAKING, Severity.COMPATIBLE)
                if stricter
                else (Severity.COMPATIBLE, Severity.COMPATIBLE)
            )
            changes.append(Change(artifact, where, "requirement level changed", *sides))
        elif old_r[rid] != new_r[rid]:
            changes.append(
                Change(
                    artifact,
                    where,
                    "requirement text or coverage changed",
                    Severity.EDITORIAL,
                    Severity.EDITORIAL,
                )
            )
    return changes


def _generic_changes(artifact: str, old: Any, new: Any) -> list[Change]:
    if old == new:
        return []
    return [Change(artifact, "/", "content changed", Severity.EDITORIAL, Severity.EDITORIAL)]


_Comparer = Callable[[str, Any, Any], list[Change]]
_COMPARERS: dict[str, _Comparer] = {
    "schema": _schema_changes,
    "code-list": _code_list_changes,
    "process": _process_changes,
    "events": _event_changes,
    "requirements": _requirement_changes,
}


def _json_file(row: Mapping[str, Any]) -> str | None:
    return next((path for path in sorted(row["files"]) if path.endswith(".json")), None)


def _deprecations(publication: Publication) -> Iterator[tuple[str, str, str, str]]:
    for artifact, row in sorted(publication.artifacts.items()):
        relative = _json_file(row)
        if relative is None or row["kind"] not in ("schema", "code-list", "events"):
            continue
        document = publication.read_json(relative)
        if row["kind"] == "code-list":
            for code in document.get("codes", []):
                if code.get("deprecated"):
                    yield (
                        artifact,
                        f"/codes/{code['code']}",
                        str(code.get("valid_to") or ""),
                        str(code.get("replacement") or ""),
                    )
            continue
        yield from _schema_deprecations(artifact, document, "")


def _schema_deprecations(artifact: str, node: Any, path: str) -> Iterator[tuple[str, str, str, str]]:
    if isinstance(node, Mapping):
        marker = node.get("x-deprecated")
        if isinstance(marker, Mapping):
            yield artifact, path or "/", str(marker.get("since", "")), str(marker.get("replacement", ""))
        elif node.get("deprecated") is True or marker is True:
            yield artifact, path or "/", "", ""
        for key, value in sorted(node.items()):
            yield from _schema_deprecations(artifact, value, f"{path}/{key}")
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from _schema_deprecations(artifact, value, f"{path}/{number}")


def diff(
    old: str | Path | Publication, new: str | Path | Publication, overrides: list[Override] | None = None
) -> DiffReport:
    """Compare publication ``old`` with ``new``; see the module documentation for the rules."""
    before = old if isinstance(old, Publication) else Publication.open(old)
    after = new if isinstance(new, Publication) else Publication.open(new)
    old_rows, new_rows = before.artifacts, after.artifacts
    raw: list[Change] = []
    for artifact in sorted(set(old_rows) | set(new_rows)):
        if artifact not in new_rows:
            raw.append(Change(artifact, "/", "artifact removed", Severity.BREAKING, Severity.BREAKING))
            continue
        if artifact not in old_rows:
            raw.append(Change(artifact, "/", "artifact added", Severity.COMPATIBLE, Severity.COMPATIBLE))
            continue
        a, b = old_rows[artifact], new_rows[artifact]
        if a["sha256"] == b["sha256"]:
            continue
        old_file, new_file = _json_file(a), _json_file(b)
        if old_file is None or new_file is None:
            raw.extend(_generic_changes(artifact, a["files"], b["files"]))
            continue
        comparer: _Comparer = _COMPARERS.get(b["kind"], _generic_changes)
        found = comparer(artifact, before.read_json(old_file), after.read_json(new_file))
        if not found:
            found = _generic_changes(artifact, a["files"], b["files"])
        raw.extend(found)
    permits = {(o.artifact, o.path): o for o in overrides or []}
    used: set[tuple[str, str]] = set()
    changes = []
    for change in raw:
        accepted = ""
        if change.breaking:
            was, now = old_rows.get(change.artifact), new_rows.get(change.artifact)
            if was is not None and now is not None and _major(now["version"]) > _major(was["version"]):
                accepted = f"major version {was['version']} -> {now['version']}"
            elif (change.artifact, change.path) in permits:
                used.add((change.artifact, change.path))
                accepted = "override: " + permits[(change.artifact, change.path)].reason
        changes.append(
            Change(change.artifact, change.path, change.what, change.producers, change.consumers, accepted)
        )
    old_deprecated = {(a, p) for a, p, _, _ in _deprecations(before)}
    deprecations = tuple(
        Deprecation(a, p, since, replacement, (a, p) not in old_deprecated)
        for a, p, since, replacement in _deprecations(after)
    )
    unused = tuple(o for key, o in sorted(permits.items()) if key not in used)
    return DiffReport(
        str(before.index.get("version")),
        str(after.index.get("version")),
        tuple(changes),
        deprecations,
        unused,
    )
