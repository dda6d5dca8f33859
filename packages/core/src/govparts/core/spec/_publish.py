"""The registry of everything govparts publishes, and the writing of a publication folder.

A publication is generated from the code, never by hand: for core and every installed part (read
through its :class:`~govparts.core.parts.Part` descriptor) it holds the JSON Schema (draft 2020-12)
of each published model, the code lists (CSV and JSON), the process specs (JSON and Mermaid), the
event catalogue (AsyncAPI 3.0), the golden corpus, and whatever the contributors registered under the
entry-point group ``govparts.spec`` add (the conformance kit adds the requirement catalogues with
their coverage). ``index.json`` lists every artifact with its id, version, status and SHA-256, and
the fingerprint of the whole publication.

Every file is canonical: JSON with sorted keys, two-space indent and a final newline, CSV with
``\\n`` line ends, UTF-8 throughout, nothing that depends on the clock except an explicit
``source_date_epoch``. Building twice gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, GovPartsError, InvalidSpec, from_validation_error
from ..i18n import N_, SUPPORTED_LOCALES
from ..parts import Part, iter_parts, load_reference
from ._operations import operations_artifacts

__all__ = [
    "ARTIFACT_KINDS",
    "CONTRIBUTOR_GROUP",
    "JSON_SCHEMA_DIALECT",
    "STATUSES",
    "WALL_CLOCK_TIME",
    "Artifact",
    "Contributor",
    "GoldenVerdict",
    "Publication",
    "artifact_sha256",
    "build",
    "canonical_csv",
    "canonical_json",
    "check_golden",
    "collect",
    "core_part",
    "golden_cases",
    "model_schema",
    "published_models",
    "schema_id",
]

CONTRIBUTOR_GROUP = "govparts.spec"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
STATUSES = ("draft", "trial", "normative")
ARTIFACT_KINDS = ("schema", "code-list", "process", "events", "golden", "requirements", "operations")
INDEX = "index.json"
FORMAT = "govparts-publication/1"


@dataclass(frozen=True)
class Artifact:
    """One published artifact: its id, kind, owning part, version, status and its files' bytes."""

    id: str
    kind: str
    part: str
    version: str
    status: str
    files: Mapping[str, bytes]
    title: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InvalidSpec(
                N_("{field}: status of {artifact} must be one of {allowed}, got {got}"),
                field="standard_status",
                artifact=self.id,
                allowed=list(STATUSES),
                got=self.status,
            )
        for path in self.files:
            if path.startswith("/") or ".." in path.split("/") or path == INDEX:
                raise InvalidSpec(
                    N_("{field}: {got} is not a path inside the publication"), field="files", got=path
                )

    def entry(self) -> dict[str, Any]:
        """The artifact's row of ``index.json``."""
        row: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "part": self.part,
            "version": self.version,
            "status": self.status,
            "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(self.files.items())},
            "sha256": artifact_sha256(self.files),
        }
        if self.title:
            row["title"] = dict(self.title)
        return row


Contributor = Callable[[Sequence[Part]], Iterable[Artifact]]
"""What an entry point of the group ``govparts.spec`` names: artifacts for the given parts."""


def artifact_sha256(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the artifact's files: each path and its content's hash, in path order."""
    digest = hashlib.sha256()
    for path, data in sorted(files.items()):
        digest.update(f"{path}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


def canonical_json(data: Any) -> bytes:
    """``data`` as canonical JSON bytes: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode()


def canonical_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV table as UTF-8 bytes with ``\\n`` line ends and minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode()


def _distribution_version(name: str, default: str = "0.0.0") -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return default


def core_part() -> Part:
    """A descriptor for what core itself publishes (its models and golden corpus), named ``core``."""
    return Part(
        name="core",
        version=_distribution_version("govparts-core"),
        title={
            "zh_Hans_CN": "公共数据模型",
            "en": "Common data model",
            "ug_CN": "ئورتاق سانلىق مەلۇمات مودېلى",
        },
        models="govparts.core.spec._core:MODELS",
        code_lists_package="govparts.core.codes",
        extras={"golden": "govparts.core.spec._core:GOLDEN", "titles": "govparts.core.spec._core:TITLES"},
    )


# -- models -----------------------------------------------------------------------------------------


def _load(part: Part, what: str) -> Any:
    """Resolve a reference of ``part``; a bare module name gives the module (a lenient reading)."""
    reference = getattr(part, what) if what in part.__dataclass_fields__ else part.extras.get(what)
    if reference is None:
        return None
    if ":" not in reference:
        return import_module(reference)
    return load_reference(reference)


def _is_model(value: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(value, type) and issubclass(value, BaseModel)


def published_models(part: Part) -> dict[str, Any]:
    """The models (and types) ``part`` publishes, by standard id, in id order.

    ``Part.models`` names a list of pydantic models, a mapping ``standard id -> model or type``, or
    a module (its ``__all__`` models). A model's id is its ``standard_id`` class variable, else
    ``govparts.<part>.<ClassName>``.
    """
    published = _load(part, "models")
    if published is None:
        return {}
    items: list[tuple[str, Any]] = []
    if isinstance(published, Mapping):
        items = [(str(key), value) for key, value in published.items()]
    else:
        if (
            hasattr(published, "__name__")
            and not isinstance(published, type)
            and hasattr(published, "__dict__")
        ):
            names = getattr(published, "__all__", None) or list(vars(published))
            candidates = [getattr(published, name) for name in names]
            published = [
                c for c in candidates if _is_model(c) and c.__module__.startswith(published.__name__)
            ]
        if not isinstance(published, Iterable):
            raise ConfigurationError(
                N_("{field}: expected models (a list, a mapping or a module), got {got}"),
                field=f"{part.name}.models",
                got=type(published).__name__,
            )
        for model in published:
            if not _is_model(model):
                raise ConfigurationError(
                    N_("{field}: {got} is not a pydantic model"), field=f"{part.name}.models", got=repr(model)
                )
            items.append(
                (getattr(model, "standard_id", None) or f"govparts.{part.name}.{model.__name__}", model)
            )
    found: dict[str, Any] = {}
    for key, model in items:
        if key in found and found[key] is not model:
            raise ConfigurationError(
                N_("{field}: two models share the standard id {got}"), field=f"{part.name}.models", got=key
            )
        found[key] = model
    return dict(sorted(found.items()))


def schema_id(standard_id: str, standard_version: str) -> str:
    """The ``$id`` of a published schema: ``urn:govparts:schema:<standard id>:<version>``."""
    return f"urn:govparts:schema:{standard_id}:{standard_version}"


def _text_table(part: Part) -> Mapping[str, Any]:
    """The part's ``extras["titles"]`` table (standard id -> texts), or an empty mapping."""
    table = _load(part, "titles") if "titles" in part.extras else None
    return table if isinstance(table, Mapping) else {}


def _texts(tables: Sequence[Mapping[str, Any]], standard_id: str | None, name: str) -> Mapping[str, Any]:
    """The texts of a model: by its standard id in the first table that has it, else by class name.

    ``name`` (the class name, as pydantic names a ``$defs`` entry) matches the last dotted segment
    of a standard id, so a model nested in another part's or core's schema finds its own texts.
    """
    if standard_id is not None:
        for table in tables:
            if isinstance(table.get(standard_id), Mapping):
                return dict(table[standard_id])
    for table in tables:
        for key in sorted(table):
            if key.rsplit(".", 1)[-1] == name and isinstance(table[key], Mapping):
                return dict(table[key])
    return {}


def _model_texts(entry: Mapping[str, Any], model: Any) -> dict[str, Any]:
    """A model's texts: its table ``entry``, under class variables ``standard_title``, ``standard_fields``."""
    texts = dict(entry)
    title = getattr(model, "standard_title", None)
    if isinstance(title, Mapping):
        texts = {key: value for key, value in texts.items() if key in ("fields", "description")}
        texts.update({str(k): str(v) for k, v in title.items()})
    fields = getattr(model, "standard_fields", None)
    if isinstance(fields, Mapping):
        texts["fields"] = {**dict(texts.get("fields", {})), **fields}
    return texts


def _in_locales(texts: Mapping[str, Any]) -> dict[str, str]:
    return {loc: str(texts[loc]) for loc in SUPPORTED_LOCALES if texts.get(loc)}


def _describe(node: dict[str, Any], texts: Mapping[str, Any]) -> None:
    """Write ``texts`` into a schema node: ``x-i18n.title``, ``x-i18n.description`` (the model's
    ``"description"`` texts), and per property ``x-i18n.description``.

    A node or property without a ``description`` of its own gets the English text as one, so that
    tools which know nothing of ``x-i18n`` still show it; a model's docstring stays its
    ``description``.
    """
    title = _in_locales(texts)
    if title:
        node.setdefault("x-i18n", {})["title"] = title
    description = texts.get("description")
    described_model = _in_locales(description) if isinstance(description, Mapping) else {}
    if described_model:
        node.setdefault("x-i18n", {})["description"] = described_model
        if "description" not in node and "en" in described_model:
            node["description"] = described_model["en"]
    fields = texts.get("fields")
    if not isinstance(fields, Mapping):
        return
    for name, prop in node.get("properties", {}).items():
        described = _in_locales(fields.get(name) or {}) if isinstance(prop, dict) else {}
        if described:
            prop.setdefault("x-i18n", {})["description"] = described
            if "description" not in prop and "en" in described:
                prop["description"] = described["en"]


def _describe_schema(
    schema: dict[str, Any], texts: Mapping[str, Any], tables: Sequence[Mapping[str, Any]]
) -> None:
    """Describe a schema and each of its ``$defs`` (looked up by class name in ``tables``)."""
    _describe(schema, texts)
    for name, definition in schema.get("$defs", {}).items():
        if isinstance(definition, dict):
            _describe(definition, _texts(tables, None, name))


def _mark_code_lists(node: Any) -> None:
    """Add ``x-code-list-closed`` next to every ``x-code-list`` (the diff needs to know)."""
    from .. import codes

    if isinstance(node, dict):
        list_id = node.get("x-code-list")
        if isinstance(list_id, str):
            try:
                node["x-code-list-closed"] = codes.get(list_id).closed
            except GovPartsError:
                node["x-code-list-closed"] = True
        for value in node.values():
            _mark_code_lists(value)
    elif isinstance(node, list):
        for value in node:
            _mark_code_lists(value)


WALL_CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
"""The pattern of a time of day in published schemas: ``hh:mm``, ``hh:mm:ss`` or ``hh:mm:ss.ffffff``."""


def _wall_clock_times(node: Any) -> None:
    """Publish each time of day as a wall-clock time, not as RFC 3339 ``time``.

    Pydantic writes ``"format": "time"`` for a :class:`datetime.time`, which JSON Schema reads as
    RFC 3339 ``full-time`` (RFC 3339 §5.6: seconds and a UTC offset required), so ``"14:00"`` fails
    a validator that checks formats. A time of day in govparts' models is a wall-clock time in the
    organisation's zone (the times of a shift or a rule: work rules are computed in the
    organisation's zone), which ISO 8601 writes as a local time without offset (ISO 8601:2004
    4.2.2.2–4.2.2.4, extended format: ``hh:mm:ss``, reduced to ``hh:mm``, with a decimal fraction
    of the second); the schema states that form with a pattern, which every JSON Schema validator
    checks, and keeps no ``format``.
    """
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node.setdefault("pattern", WALL_CLOCK_TIME)
        for value in node.values():
            _wall_clock_times(value)
    elif isinstance(node, list):
        for value in node:
            _wall_clock_times(value)


def model_schema(
    standard_id: str, model: Any, *, part: Part, mode: str = "validation"
) -> tuple[dict[str, Any], str, str]:
    """The JSON Schema of a published model with its ``$id``; also its version and status.

    The schema carries ``$schema`` (draft 2020-12), ``$id`` (:func:`schema_id`), ``x-standard-id``,
    ``x-standard-version``, ``x-standard-status``, ``x-part``, and ``x-i18n`` — the title in each of
    the three languages — when the model has one (class variable ``standard_title``, or the part's
    ``extras["titles"]`` table), and ``x-i18n.description``, what the model is in the three
    languages, from the table entry's ``"description"``. Each property the texts describe (class variable
    ``standard_fields``, or the table entry's ``"fields"``: property name -> text by locale) gets
    ``x-i18n.description`` in the three languages, and the English text as ``description`` when it
    has none; each ``$defs`` model is described by its own entry (found by class name in the part's
    table, then core's). Code-list fields keep core's ``enum``, ``x-code-list`` and ``x-labels`` and
    gain ``x-code-list-closed``; a time of day is a pattern-checked wall-clock time
    (:data:`WALL_CLOCK_TIME`), never RFC 3339 ``time``.

    A table entry looks like::

        "govparts.attendance.Punch": {
            "zh_Hans_CN": "打卡记录", "en": "Punch", "ug_CN": "كارتا ئۇرۇش خاتىرىسى",
            "description": {
                "zh_Hans_CN": "人员的一次上班或下班打卡",
                "en": "One clock-in or clock-out of a person",
                "ug_CN": "بىر خادىمنىڭ ئىشقا كېلىش ياكى ئىشتىن قايتىشتا بىر قېتىم كارتا ئۇرۇشى",
            },
            "fields": {
                "person_id": {"zh_Hans_CN": "人员编号", "en": "Person number", "ug_CN": "خادىم نومۇرى"},
            },
        }
    """
    from pydantic import TypeAdapter

    standard_version = str(getattr(model, "standard_version", None) or part.version)
    status = str(getattr(model, "standard_status", None) or "draft")
    if _is_model(model):
        body = model.model_json_schema(mode=mode)
    else:
        body = TypeAdapter(model).json_schema(mode=mode)  # type: ignore[arg-type]
    _mark_code_lists(body)
    _wall_clock_times(body)
    schema: dict[str, Any] = {
        **body,
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_id(standard_id, standard_version),
        "x-standard-id": standard_id,
        "x-standard-version": standard_version,
        "x-standard-status": status,
        "x-part": part.name,
    }
    schema.setdefault("title", standard_id.rsplit(".", 1)[-1])
    table = _text_table(part)
    entry = table.get(standard_id)
    _describe_schema(
        schema,
        _model_texts(entry if isinstance(entry, Mapping) else {}, model),
        [table, _text_table(core_part())],
    )
    deprecated = getattr(model, "standard_deprecated", None)
    if isinstance(deprecated, Mapping):
        schema["x-deprecated"] = dict(deprecated)
    return schema, standard_version, status


# -- golden corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldenVerdict:
    """What a validator decided on one golden case, and whether it is the verdict the case expects."""

    case: Mapping[str, Any]
    valid: bool
    error_codes: tuple[tuple[str, str], ...]

    @property
    def agrees(self) -> bool:
        """True when the verdict is the case's: valid, or invalid with its error code on its field."""
        if self.valid or bool(self.case.get("valid")):
            return self.valid == bool(self.case.get("valid"))
        expected = (str(self.case.get("error_code")), str(self.case.get("field", "-")))
        return expected in self.error_codes


def golden_cases(part: Part) -> list[dict[str, Any]]:
    """The golden corpus ``part`` offers through ``extras["golden"]`` (an empty list if none).

    A case is ``{model, record, valid[, error_code, field, rejected_by, note]}``. An invalid case's
    ``rejected_by`` says what refuses it: ``"schema"`` when the published JSON Schema does, else the
    rule beyond JSON Schema that does, as ``module:qualified.name``
    (``govparts.core.ids.citizen_id:validate``).
    """
    if "golden" not in part.extras:
        return []
    cases = _load(part, "golden")
    if callable(cases):
        cases = cases()
    return [dict(case) for case in cases]


def check_golden(case: Mapping[str, Any], models: Mapping[str, Any]) -> GoldenVerdict:
    """Validate the case's record against its model with govparts' own validators."""
    from pydantic import TypeAdapter, ValidationError

    model_id = str(case.get("model"))
    model = models.get(model_id)
    if model is None:
        raise InvalidSpec(N_("{field}: golden case names unknown model {got}"), field="model", got=model_id)
    try:
        if _is_model(model):
            model.model_validate(case["record"])
        else:
            TypeAdapter(model).validate_python(case["record"])
    except ValidationError as exc:
        record = from_validation_error(exc, model=model_id)
        return GoldenVerdict(case, False, tuple((e.code, e.field or "-") for e in record.errors))
    except GovPartsError as exc:
        return GoldenVerdict(case, False, ((exc.code, exc.field or "-"),))
    return GoldenVerdict(case, True, ())


def _golden_artifact(part: Part, models: Mapping[str, Any]) -> Artifact | None:
    cases = golden_cases(part)
    if not cases:
        return None
    rows = []
    for number, case in enumerate(cases):
        verdict = check_golden(case, models)
        if not verdict.agrees:
            raise InvalidSpec(
                N_("{field}: golden case {number} of {part} expects {expected}, govparts says {got}"),
                field="golden",
                number=number,
                part=part.name,
                expected=f"{case.get('valid')} {case.get('error_code', '')} {case.get('field', '')}".strip(),
                got="valid" if verdict.valid else ", ".join(f"{c}@{f}" for c, f in verdict.error_codes),
            )
        row = {"id": f"{part.name}-{number + 1:03d}", **case}
        if not case.get("valid"):
            row.setdefault("field", "-")
        rows.append(row)
    document = {"part": part.name, "version": part.version, "cases": rows}
    return Artifact(
        id=f"golden:{part.name}",
        kind="golden",
        part=part.name,
        version=part.version,
        status="draft",
        files={f"golden/{part.name}.json": canonical_json(document)},
        title=dict(part.title),
    )


# -- the other artifacts ----------------------------------------------------------------------------


def _slug(text: str) -> str:
    """A file name for a code list id, as the documentation names its pages: ``gbt-9704-2012-密级``."""
    return re.sub(r"[^\w.]+", "-", text.lower().replace("/", "")).strip("-")


def _code_list_artifacts(owners: Mapping[str, str]) -> list[Artifact]:
    from .. import codes

    found = []
    for code_list in codes.all_lists():
        part = owners.get(code_list.owner)
        if part is None:
            continue
        entries = []
        for code in code_list.codes.values():
            entry: dict[str, Any] = {
                "code": code.code,
                "zh_Hans_CN": code.zh,
                "en": code.en,
                "ug_CN": code.ug,
                "parent": code.parent,
                "valid_from": code.valid_from.isoformat() if code.valid_from else None,
                "valid_to": code.valid_to.isoformat() if code.valid_to else None,
            }
            if code.valid_to is not None:
                entry["deprecated"] = True
            entries.append(entry)
        document = {
            "id": code_list.id,
            "version": code_list.version,
            "source": code_list.source,
            "closed": code_list.closed,
            "note": code_list.note,
            "title": {loc: code_list.title_in(loc) for loc in SUPPORTED_LOCALES},
            "codes": entries,
        }
        columns = ["code", "zh_Hans_CN", "en", "ug_CN", "parent", "valid_from", "valid_to"]
        slug = _slug(code_list.id)
        found.append(
            Artifact(
                id=f"code-list:{code_list.id}",
                kind="code-list",
                part=part,
                version=code_list.version,
                status="normative" if part == "core" else "draft",
                files={
                    f"codes/{slug}.json": canonical_json(document),
                    f"codes/{slug}.csv": canonical_csv(columns, ([e[c] for c in columns] for e in entries)),
                },
                title={loc: code_list.title_in(loc) for loc in SUPPORTED_LOCALES},
            )
        )
    return found


def _process_artifacts(part: Part) -> list[Artifact]:
    published = _load(part, "processes")
    if published is None:
        return []
    specs = list(published.values()) if isinstance(published, Mapping) else list(published)
    found = []
    for spec in sorted(specs, key=lambda s: s.id):
        data = json.loads(spec.to_json())
        mermaid = spec.to_mermaid("zh_Hans_CN")
        found.append(
            Artifact(
                id=f"process:{spec.id}",
                kind="process",
                part=part.name,
                version=spec.version,
                status="draft",
                files={
                    f"processes/{spec.id}.json": canonical_json(data),
                    f"processes/{spec.id}.mmd": mermaid.encode(),
                },
                title={loc: spec.title.in_locale(loc) for loc in SUPPORTED_LOCALES},
            )
        )
    return found


def _rewrite_refs(node: Any, targets: Mapping[str, str]) -> Any:
    """A copy of ``node`` with each ``#/$defs/<name>`` reference pointing at ``targets[name]``."""
    if isinstance(node, dict):
        copy = {key: _rewrite_refs(value, targets) for key, value in node.items()}
        ref = copy.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in targets:
            copy["$ref"] = f"#/components/schemas/{targets[ref[8:]]}"
        return copy
    if isinstance(node, list):
        return [_rewrite_refs(value, targets) for value in node]
    return node


def _hoist_definitions(key: str, schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """The payload ``schema`` as an AsyncAPI component: its ``$defs`` moved into ``schemas``.

    AsyncAPI resolves a ``$ref`` from the root of the document (AsyncAPI 3.0.0, Reference Object),
    so a model nested in a payload becomes a component of its own, named by its class
    (``#/components/schemas/PersonRef``) and shared by the payloads whose definition of it is the
    same; a different definition under a name already taken is named ``<payload key>.<name>``. The
    payload loses ``$id`` and ``$schema``: inside a resource with its own ``$id`` a JSON Schema
    tool would resolve ``#/components/…`` against that resource, and AsyncAPI payloads are in the
    AsyncAPI Schema format (a superset of draft 07) by default. The payload's own identifier stays
    in the message's ``x-cloudevents.dataschema``.
    """
    body = {k: v for k, v in schema.items() if k not in ("$defs", "$id", "$schema")}
    definitions = schema.get("$defs", {})
    targets = {name: name for name in definitions}
    for _attempt in range(2):
        rewritten = {name: _rewrite_refs(d, targets) for name, d in definitions.items()}
        clashes = {
            name
            for name, definition in rewritten.items()
            if targets[name] in schemas and schemas[targets[name]] != definition
        }
        if not clashes:
            break
        targets.update({name: f"{key}.{name}" for name in clashes})
    else:
        raise ConfigurationError(
            N_("{field}: {got} is published twice"),
            field="components.schemas",
            got=", ".join(sorted(clashes)),
        )
    schemas.update({targets[name]: definition for name, definition in rewritten.items()})
    return dict(_rewrite_refs(body, targets))


def _event_artifact(part: Part) -> Artifact | None:
    from ..events._catalogue import _event_types_of

    published = _load(part, "events")
    if published is None:
        return None
    event_types = sorted(_event_types_of(published, f"{part.name}.events"), key=lambda e: e.type)
    if not event_types:
        return None
    tables = [_text_table(part), _text_table(core_part())]
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for event_type in event_types:
        key = event_type.type.replace(".", "_")
        schema = event_type.json_schema()
        _mark_code_lists(schema)
        _wall_clock_times(schema)
        payload = event_type.payload
        entry = _texts(tables, getattr(payload, "standard_id", None), payload.__name__)
        _describe_schema(schema, _model_texts(entry, payload), tables)
        if key in schemas:
            raise ConfigurationError(
                N_("{field}: {got} is published twice"), field="components.schemas", got=key
            )
        schemas[key] = _hoist_definitions(key, schema, schemas)
        messages[key] = {
            "name": event_type.type,
            "title": event_type.description["en"],
            "contentType": "application/json",
            "payload": {"$ref": f"#/components/schemas/{key}"},
            "x-i18n": {"description": dict(event_type.description)},
            "x-cloudevents": {
                "type": event_type.type,
                "source": event_type.source,
                "dataschema": event_type.dataschema,
            },
        }
        channels[key] = {
            "address": event_type.type,
            "description": event_type.description["en"],
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
        }
        operations[f"publish_{key}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
        }
    document = {
        "asyncapi": "3.0.0",
        "id": f"urn:govparts:events:{part.name}",
        "info": {
            "title": f"govparts {part.title.get('en', part.name)} events",
            "version": part.version,
            "x-i18n": {"title": dict(part.title)},
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
    return Artifact(
        id=f"events:{part.name}",
        kind="events",
        part=part.name,
        version=part.version,
        status="draft",
        files={f"events/{part.name}.asyncapi.json": canonical_json(document)},
        title=dict(part.title),
    )


def _contributors() -> list[Contributor]:
    return [entry.load() for entry in sorted(entry_points(group=CONTRIBUTOR_GROUP), key=lambda e: e.name)]


def collect(
    parts: Sequence[Part] | None = None,
    *,
    include_core: bool = True,
    contributors: Sequence[Contributor] | None = None,
) -> list[Artifact]:
    """Every artifact of the publication, sorted by id: core's, each part's, the contributors'.

    ``parts`` defaults to the installed parts; ``contributors`` to the callables registered under
    the entry-point group ``govparts.spec``. Two artifacts with one id, or two writing one file,
    raise :class:`~govparts.core.errors.ConfigurationError`.
    """
    selected = list(iter_parts()) if parts is None else list(parts)
    everyone = ([core_part()] if include_core else []) + selected
    owners = {p.code_lists_package: p.name for p in everyone if p.code_lists_package}
    artifacts: list[Artifact] = []
    schemas: dict[Any, str] = {}
    for part in everyone:
        models = published_models(part)
        for standard_id, model in models.items():
            version = str(getattr(model, "standard_version", None) or part.version)
            schemas.setdefault(model, schema_id(standard_id, version))
    for part in everyone:
        models = published_models(part)
        for standard_id, model in models.items():
            schema, standard_version, status = model_schema(standard_id, model, part=part)
            artifacts.append(
                Artifact(
                    id=f"schema:{standard_id}",
                    kind="schema",
                    part=part.name,
                    version=standard_version,
                    status=status,
                    files={f"schemas/{part.name}/{standard_id}.schema.json": canonical_json(schema)},
                    title=schema.get("x-i18n", {}).get("title", {}),
                )
            )
        golden = _golden_artifact(part, models)
        if golden is not None:
            artifacts.append(golden)
        artifacts.extend(_process_artifacts(part))
        events = _event_artifact(part)
        if events is not None:
            artifacts.append(events)
    artifacts.extend(_code_list_artifacts(owners))
    artifacts.extend(operations_artifacts(selected, schemas, Artifact, canonical_json))
    for contributor in _contributors() if contributors is None else contributors:
        artifacts.extend(contributor(selected))
    seen_ids: set[str] = set()
    seen_files: set[str] = set()
    for artifact in artifacts:
        clash = (
            artifact.id
            if artifact.id in seen_ids
            else next((f for f in artifact.files if f in seen_files), None)
        )
        if clash is not None:
            raise ConfigurationError(N_("{field}: {got} is published twice"), field="publication", got=clash)
        seen_ids.add(artifact.id)
        seen_files.update(artifact.files)
    return sorted(artifacts, key=lambda a: a.id)


@dataclass(frozen=True)
class Publication:
    """A publication folder read back: its index and its files."""

    root: Path
    index: Mapping[str, Any]

    @classmethod
    def open(cls, root: str | Path) -> Publication:
        """Read ``root/index.json``; a folder without one raises InvalidSpec."""
        path = Path(root)
        try:
            index = json.loads((path / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise InvalidSpec(
                N_("{field}: {got} is not a publication (no readable index.json)"),
                field="publication",
                got=str(path),
            ) from None
        if index.get("format") != FORMAT:
            raise InvalidSpec(
                N_("{field}: {got} is not a publication of format {expected}"),
                field="format",
                got=str(index.get("format")),
                expected=FORMAT,
            )
        return cls(path, index)

    @property
    def artifacts(self) -> dict[str, Mapping[str, Any]]:
        """The index rows by artifact id."""
        return {row["id"]: row for row in self.index["artifacts"]}

    def read_json(self, relative: str) -> Any:
        """A JSON file of the publication."""
        return json.loads((self.root / relative).read_text(encoding="utf-8"))

    def verify(self) -> list[str]:
        """The files whose bytes no longer match the SHA-256 the index records."""
        bad = []
        for row in self.index["artifacts"]:
            for relative, digest in row["files"].items():
                target = self.root / relative
                if not target.is_file() or hashlib.sha256(target.read_bytes()).hexdigest() != digest:
                    bad.append(relative)
        return bad


def build(
    out: str | Path,
    parts: Sequence[Part] | None = None,
    *,
    publication_version: str | None = None,
    source_date_epoch: int | None = None,
    include_core: bool = True,
    contributors: Sequence[Contributor] | None = None,
) -> dict[str, Any]:
    """Write the publication to folder ``out`` (replacing its content) and return its index.

    ``publication_version`` defaults to govparts-core's version; ``source_date_epoch`` (seconds,
    like the ``SOURCE_DATE_EPOCH`` convention) sets the ``date`` of the index, which has none without it.
    """
    artifacts = collect(parts, include_core=include_core, contributors=contributors)
    rows = [artifact.entry() for artifact in artifacts]
    index: dict[str, Any] = {
        "format": FORMAT,
        "version": publication_version or _distribution_version("govparts-core"),
        "artifacts": rows,
        "fingerprint": hashlib.sha256(canonical_json(rows)).hexdigest(),
    }
    if source_date_epoch is not None:
        index["date"] = datetime.fromtimestamp(source_date_epoch, UTC).date().isoformat()
    target = Path(out)
    if target.exists():
        if not target.is_dir() or (any(target.iterdir()) and not (target / INDEX).is_file()):
            raise InvalidSpec(
                N_("{field}: {got} exists and is not a publication; refusing to replace it"),
                field="out",
                got=str(target),
            )
        shutil.rmtree(target)
    for artifact in artifacts:
        for relative, data in artifact.files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    target.mkdir(parents=True, exist_ok=True)
    (target / INDEX).write_bytes(canonical_json(index))
    return index
