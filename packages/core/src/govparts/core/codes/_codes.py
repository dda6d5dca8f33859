from __future__ import annotations

import csv
import io
import re
import threading
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from ..errors import ConfigurationError, InvalidSpec, NotFound, UnknownCode
from ..i18n import N_, get_locale, normalize_locale

_EDITION = re.compile(r"^(?P<short>.+?)-(?P<year>\d{4})$")


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of a code list, with its labels and (optional) parent and validity."""

    code: str
    zh: str
    en: str
    ug: str
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def label(self, locale: str | None = None) -> str:
        """The label in ``locale`` (default: current); falls back to Chinese where one is missing."""
        loc = normalize_locale(locale) if locale else get_locale()
        text = {"zh_Hans_CN": self.zh, "en": self.en, "ug_CN": self.ug}[loc]
        return text or self.zh

    def valid_on(self, day: date) -> bool:
        """True when the code is in force on ``day`` (``valid_to`` is the last day in force)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class CodeList:
    """A code list: its published identity and its codes in their published order."""

    id: str
    title: Mapping[str, str]
    version: str
    source: str
    codes: Mapping[str, Code]
    closed: bool = True
    owner: str = "govparts-core"
    note: str = ""
    _children: dict[str | None, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for code in self.codes.values():
            if code.parent is not None and code.parent not in self.codes:
                raise InvalidSpec(
                    N_("{field}: parent {parent} of code {got} is not in the list"),
                    field=f"{self.id}.{code.code}.parent",
                    parent=code.parent,
                    got=code.code,
                )
            self._children.setdefault(code.parent, []).append(code.code)

    @property
    def short_id(self) -> str:
        """The id without its edition year: ``GB/T 3304`` for ``GB/T 3304-1991``."""
        match = _EDITION.match(self.id)
        return match["short"] if match else self.id

    def title_in(self, locale: str | None = None) -> str:
        """The list's title in ``locale``."""
        loc = normalize_locale(locale) if locale else get_locale()
        return self.title.get(loc) or self.title["zh_Hans_CN"]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes.values())

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, code: str) -> Code:
        try:
            return self.codes[code]
        except KeyError:
            raise UnknownCode(field="code", got=code, code_list=self.id) from None

    def validate(self, code: str, *, field: str = "code", on: date | None = None) -> str:
        """Return ``code`` if it is in the list (and in force ``on`` that day), else raise UnknownCode."""
        entry = self.codes.get(code)
        if entry is None:
            raise UnknownCode(field=field, got=code, code_list=self.id)
        if on is not None and not entry.valid_on(on):
            raise UnknownCode(
                N_("{field}: {got} of {code_list} is not in force on {day}"),
                field=field,
                got=code,
                code_list=self.id,
                day=on.isoformat(),
            )
        return code

    def children(self, code: str | None) -> list[Code]:
        """The codes whose parent is ``code`` (``None``: the top level)."""
        return [self.codes[c] for c in self._children.get(code, [])]

    def ancestors(self, code: str) -> list[Code]:
        """The chain of parents of ``code``, nearest first."""
        chain: list[Code] = []
        parent = self[code].parent
        while parent is not None:
            chain.append(self.codes[parent])
            parent = self.codes[parent].parent
        return chain

    def in_force(self, day: date) -> list[Code]:
        """The codes in force on ``day``."""
        return [c for c in self.codes.values() if c.valid_on(day)]

    def as_rows(self) -> list[dict[str, str]]:
        """The list as CSV-ready rows (every column, empty strings for absent values)."""
        return [
            {
                "code": c.code,
                "zh": c.zh,
                "en": c.en,
                "ug": c.ug,
                "parent": c.parent or "",
                "valid_from": c.valid_from.isoformat() if c.valid_from else "",
                "valid_to": c.valid_to.isoformat() if c.valid_to else "",
            }
            for c in self.codes.values()
        ]


_registry: dict[str, CodeList] = {}
_lock = threading.Lock()
# Held while the shipped lists load: other threads wait for the whole load instead of seeing a
# half-filled registry; re-entrant because loading a part may build models that look lists up.
_load_lock = threading.RLock()
_loaded_core = False
_loading = False


def register(code_list: CodeList) -> CodeList:
    """Make ``code_list`` available through :func:`get`; a different list under the same id is an error."""
    with _lock:
        existing = _registry.get(code_list.id)
        if existing is not None and existing is not code_list and existing.codes != code_list.codes:
            raise InvalidSpec(
                N_("{field}: another code list is already registered as {got}"),
                field="id",
                got=code_list.id,
            )
        _registry[code_list.id] = code_list
    return code_list


def _parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _read_csv(resource: Traversable, list_id: str) -> dict[str, Code]:
    entries: dict[str, Code] = {}
    with io.StringIO(resource.read_text(encoding="utf-8"), newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            if code in entries:
                raise InvalidSpec(N_("{field}: code {got} appears twice"), field=list_id, got=code)
            entries[code] = Code(
                code=code,
                zh=row["zh"].strip(),
                en=row["en"].strip(),
                ug=row["ug"].strip(),
                parent=(row.get("parent") or "").strip() or None,
                valid_from=_parse_date((row.get("valid_from") or "").strip()),
                valid_to=_parse_date((row.get("valid_to") or "").strip()),
            )
    return entries


def load_lists(package: str, folder: str = "codes") -> list[CodeList]:
    """Read and register every list described in the ``*.toml`` files of ``<package>/<folder>``.

    Each ``[[list]]`` table has ``id``, ``file``, ``version``, ``source``, ``title_zh``, ``title_en``,
    ``title_ug`` and optionally ``closed`` (default true) and ``note``.
    """
    base = files(package).joinpath(folder)
    items: list[dict[str, Any]] = []
    for resource in sorted(base.iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".toml"):
            items.extend(tomllib.loads(resource.read_text(encoding="utf-8")).get("list", []))
    loaded = []
    for item in items:
        code_list = CodeList(
            id=item["id"],
            title={"zh_Hans_CN": item["title_zh"], "en": item["title_en"], "ug_CN": item["title_ug"]},
            version=str(item["version"]),
            source=item["source"],
            codes=_read_csv(base.joinpath(item["file"]), item["id"]),
            closed=bool(item.get("closed", True)),
            owner=package,
            note=item.get("note", ""),
        )
        loaded.append(register(code_list))
    return loaded


def _ensure_loaded() -> None:
    global _loaded_core, _loading
    if _loaded_core:
        return
    with _load_lock:
        if _loaded_core or _loading:
            return
        _loading = True
        try:
            load_lists("govparts.core.codes", "data")
            from ..parts import iter_parts

            for part in iter_parts():
                if part.code_lists_package:
                    load_lists(part.code_lists_package)
            _loaded_core = True
        finally:
            _loading = False


def all_lists() -> list[CodeList]:
    """Every registered code list (core's and every installed part's), sorted by id."""
    _ensure_loaded()
    return sorted(_registry.values(), key=lambda c: c.id)


def get(list_id: str) -> CodeList:
    """The code list with id ``list_id``; an id without edition year gives the newest edition."""
    if list_id not in _registry:
        _ensure_loaded()
    found = _registry.get(list_id)
    if found is not None:
        return found
    editions = [c for c in _registry.values() if c.short_id == list_id]
    if not editions:
        raise NotFound(field="code_list", kind="code list", got=list_id)
    return max(editions, key=lambda c: c.id)


@dataclass(frozen=True)
class Coded:
    """Pydantic metadata that types a ``str`` field with a code list.

    ``Annotated[str, Coded("GB/T 3304")]`` accepts exactly the list's codes; ``in_force_only``
    restricts it to codes without an end date.
    """

    list_id: str
    in_force_only: bool = False

    def code_list(self) -> CodeList:
        return get(self.list_id)

    def _allowed(self) -> list[str]:
        code_list = self.code_list()
        return [c.code for c in code_list if not (self.in_force_only and c.valid_to is not None)]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        code_list = self.code_list()
        if not code_list.codes:
            raise ConfigurationError(
                N_("{field}: code list {got} is empty"), field=self.list_id, got=self.list_id
            )
        return core_schema.custom_error_schema(
            core_schema.literal_schema(self._allowed()),
            custom_error_type="unknown_code",
            custom_error_message=f"not a code of {code_list.id}",
            custom_error_context={"code_list": code_list.id},
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        code_list = self.code_list()
        allowed = self._allowed()
        return {
            "type": "string",
            "enum": allowed,
            "x-code-list": code_list.id,
            "x-code-list-version": code_list.version,
            "x-labels": {
                c: {"zh": code_list.codes[c].zh, "en": code_list.codes[c].en, "ug": code_list.codes[c].ug}
                for c in allowed
            },
        }
