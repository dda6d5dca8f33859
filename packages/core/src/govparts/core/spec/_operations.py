"""The operations catalogue: a part's service Protocol published as a machine-readable contract.

Every part with a ``service_protocol`` publishes ``operations/<part>.json`` in the spec build: per
public method of the Protocol its name, summary and description, its parameters and its result (each
with its type and, when the type is a published model or a list of one, the ``$id`` of that model's
published schema), the errors it raises (govparts error class, stable ``code``, and when) and the ids
of the requirements whose checks exercise it. A vendor writing in any language reads the contract
from it; ``operations/operations.schema.json`` (JSON Schema draft 2020-12) describes its shape.

The catalogue is generated with :mod:`inspect` and :func:`typing.get_type_hints` from the Protocol,
whose method docstrings follow one shape (ARCHITECTURE.md, "Inside a part")::

    \"\"\"One line saying what it does.

    More text if needed (cite the standard's clause for a rule).

    Requirements: PER-001, PER-006
    Raises:
        InvalidInput: a field of the record is invalid; names the field.
        PermissionDenied: the actor lacks the role ``hr_clerk``.
    \"\"\"

:func:`parse_docstring` reads that shape (``Raises:`` followed by ``(none)`` lists no error); the
conformance kit's ``coverage`` command reuses it through :func:`docstring_problems`.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
import sys
import types
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..parts import Part, load_reference

__all__ = [
    "OPERATIONS_FORMAT",
    "OPERATIONS_SCHEMA",
    "OPERATIONS_SCHEMA_ID",
    "DocProblem",
    "MethodDoc",
    "docstring_problems",
    "error_classes",
    "operations_artifacts",
    "operations_document",
    "parse_docstring",
    "protocol_methods",
]

OPERATIONS_FORMAT = "govparts-operations/1"
OPERATIONS_SCHEMA_ID = "urn:govparts:schema:govparts.operations:1"

_REQUIREMENT_ID = re.compile(r"^[A-Z]{2,5}-\d{3}$")
_RAISES_ENTRY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$")
_NO_ERRORS = {"(none)", "none", "-"}


@dataclass(frozen=True)
class MethodDoc:
    """A Protocol method's docstring, read in the convention's shape.

    ``requirements`` is None when the docstring has no ``Requirements:`` line, ``raises`` None when
    it has no ``Raises:`` section; ``raises`` lists ``(error class name, when)`` pairs.
    """

    summary: str
    description: str
    requirements: tuple[str, ...] | None
    raises: tuple[tuple[str, str], ...] | None


def parse_docstring(doc: str | None) -> MethodDoc:
    """Read a method docstring: summary line, description, ``Requirements:`` ids, ``Raises:`` entries.

    ``Raises:`` entries are ``Name: when`` lines indented under it; a line indented deeper continues
    the entry above; ``(none)`` lists no error. A ``Requirements:`` line lists ids separated by commas
    (indented lines below it continue the list).
    """
    lines = inspect.cleandoc(doc or "").splitlines()
    index = 0
    summary_lines: list[str] = []
    while index < len(lines) and lines[index].strip():
        summary_lines.append(lines[index].strip())
        index += 1
    description: list[str] = []
    requirements: list[str] | None = None
    raises: list[tuple[str, str]] | None = None
    section: str | None = None
    entry_indent: int | None = None
    for line in lines[index:]:
        stripped = line.strip()
        indented = line[:1].isspace()
        if stripped.startswith("Requirements:"):
            section, requirements = "requirements", (requirements or []) + _ids(stripped[13:])
            continue
        if stripped.startswith("Raises:"):
            section, raises, entry_indent = "raises", raises or [], None
            rest = stripped[7:].strip()
            if rest and rest.lower() not in _NO_ERRORS:
                raises.append(_entry(rest))
            continue
        if section == "requirements" and indented and stripped:
            requirements = (requirements or []) + _ids(stripped)
            continue
        if section == "raises" and raises is not None and (indented or not stripped):
            if not stripped or stripped.lower() in _NO_ERRORS:
                continue
            indent = len(line) - len(line.lstrip())
            if raises and entry_indent is not None and indent > entry_indent:
                name, when = raises[-1]
                raises[-1] = (name, f"{when} {stripped}".strip())
            else:
                entry_indent = indent
                raises.append(_entry(stripped))
            continue
        section = None
        description.append(line)
    return MethodDoc(
        summary=" ".join(summary_lines),
        description="\n".join(description).strip(),
        requirements=None if requirements is None else tuple(dict.fromkeys(requirements)),
        raises=None if raises is None else tuple(raises),
    )


def _ids(text: str) -> list[str]:
    return [item.strip().rstrip(".") for item in text.split(",") if item.strip()]


def _entry(text: str) -> tuple[str, str]:
    """``("Name", "when")`` of a ``Name: when`` line (a line without a colon is all name)."""
    match = _RAISES_ENTRY.match(text)
    if match:
        return match.group(1), match.group(2).strip()
    return text.strip(), ""


def error_classes() -> dict[str, type[BaseException]]:
    """govparts' error classes by name: :mod:`govparts.core.errors` and the subclasses parts define."""
    from .. import errors

    found: dict[str, type[BaseException]] = {}
    pending: list[type[BaseException]] = [errors.GovPartsError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.__name__, cls)
        pending.extend(cls.__subclasses__())
    return found


@dataclass(frozen=True)
class DocProblem:
    """One way a method's docstring departs from the convention.

    ``kind`` is ``no-summary``, ``no-requirements``, ``no-raises``, ``not-a-requirement-id``,
    ``unknown-requirement`` or ``unknown-error``; ``got`` the offending id or class name (if any).
    """

    method: str
    kind: str
    got: str | None = None

    _TEXT: ClassVar[dict[str, str]] = {
        "no-summary": "the docstring has no summary line",
        "no-requirements": "the docstring has no 'Requirements:' line",
        "no-raises": "the docstring has no 'Raises:' section",
        "not-a-requirement-id": "'Requirements:' names {got!r}, which is not a requirement id",
        "unknown-requirement": "'Requirements:' names {got}, which is not in the catalogue",
        "unknown-error": "'Raises:' names {got}, which is not a govparts error class",
    }

    def __str__(self) -> str:
        return f"{self.method}: " + self._TEXT[self.kind].format(got=self.got)


def docstring_problems(
    method: str, doc: MethodDoc, requirement_ids: Collection[str] | None = None
) -> list[DocProblem]:
    """What keeps ``doc`` (of ``method``) from the convention; empty when it follows it.

    A missing summary, ``Requirements:`` line or ``Raises:`` section; a requirement id that is not one
    or, when ``requirement_ids`` is given, not in the catalogue; an error that is no govparts error
    class. ``str()`` of a problem says it in English.
    """
    problems: list[DocProblem] = []
    if not doc.summary:
        problems.append(DocProblem(method, "no-summary"))
    if doc.requirements is None:
        problems.append(DocProblem(method, "no-requirements"))
    else:
        for rid in doc.requirements:
            if not _REQUIREMENT_ID.match(rid):
                problems.append(DocProblem(method, "not-a-requirement-id", rid))
            elif requirement_ids is not None and rid not in requirement_ids:
                problems.append(DocProblem(method, "unknown-requirement", rid))
    if doc.raises is None:
        problems.append(DocProblem(method, "no-raises"))
    else:
        known = error_classes()
        for name, _when in doc.raises:
            if name not in known:
                problems.append(DocProblem(method, "unknown-error", name))
    return problems


def protocol_methods(protocol: type) -> dict[str, Callable[..., Any]]:
    """The public methods of a Protocol class (its own and its Protocol bases'), in definition order."""
    methods: dict[str, Callable[..., Any]] = {}
    for cls in reversed(protocol.__mro__):
        if cls in (object, typing.Protocol, typing.Generic) or cls.__module__ == "typing":
            continue
        for name, value in vars(cls).items():
            if name.startswith("_"):
                continue
            function = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
            if inspect.isfunction(function):
                methods[name] = function
    order = {name: i for i, name in enumerate(methods)}
    return dict(sorted(methods.items(), key=lambda item: order[item[0]]))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _annotation_namespace(function: Callable[..., Any]) -> dict[str, Any]:
    """The function's module globals plus what its ``if TYPE_CHECKING:`` blocks import."""
    module = sys.modules.get(function.__module__)
    namespace: dict[str, Any] = dict(vars(module)) if module is not None else {}
    if module is None:
        return namespace
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return namespace
    scope: dict[str, Any] = {
        "__name__": module.__name__,
        "__package__": module.__package__,
        "__builtins__": builtins,
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                if isinstance(statement, (ast.Import, ast.ImportFrom)):
                    code = compile(ast.Module(body=[statement], type_ignores=[]), "<type-checking>", "exec")
                    try:
                        exec(code, scope)
                    except ImportError:
                        continue
    namespace.update({k: v for k, v in scope.items() if not k.startswith("__")})
    return namespace


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    """The function's resolved annotations; one that cannot be resolved stays its text."""
    namespace = _annotation_namespace(function)
    try:
        return typing.get_type_hints(function, globalns=namespace)
    except Exception:
        hints: dict[str, Any] = {}
        for name, annotation in getattr(function, "__annotations__", {}).items():
            if isinstance(annotation, str):
                try:
                    hints[name] = eval(annotation, namespace)
                except Exception:
                    hints[name] = annotation
            else:
                hints[name] = annotation
        return hints


def _type_text(hint: Any) -> str:
    """A readable, language-neutral name of a type: ``list[EmployeeView]``, ``str | None``."""
    if hint is type(None) or hint is None:
        return "None"
    if isinstance(hint, str):
        return hint
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return _type_text(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_text(arg) for arg in args)
    if origin is typing.Literal:
        return "Literal[" + ", ".join(repr(arg) for arg in args) + "]"
    if origin is not None:
        name = getattr(origin, "__name__", str(origin))
        return (
            f"{name}[{', '.join('...' if a is Ellipsis else _type_text(a) for a in args)}]" if args else name
        )
    if isinstance(hint, type):
        return hint.__name__
    return str(hint).replace("typing.", "")


def _schema_of(hint: Any, schemas: Mapping[Any, str]) -> str | None:
    """The ``$id`` of the published schema of ``hint``, of the item of a list of one, or of ``X | None``."""
    if isinstance(hint, str):
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return _schema_of(args[0], schemas)
    if origin in (typing.Union, types.UnionType):
        found = {_schema_of(arg, schemas) for arg in args if arg is not type(None)} - {None}
        return found.pop() if len(found) == 1 else None
    if origin in (list, tuple, Sequence, Iterable, set, frozenset) and args:
        return _schema_of(args[0], schemas)
    try:
        return schemas.get(hint)
    except TypeError:
        return None


def _value(hint: Any, schemas: Mapping[Any, str]) -> dict[str, Any]:
    return {"type": _type_text(hint), "schema": _schema_of(hint, schemas)}


def _errors(doc: MethodDoc) -> list[dict[str, Any]]:
    known = error_classes()
    rows = []
    for name, when in doc.raises or ():
        cls = known.get(name)
        rows.append({"type": name, "code": getattr(cls, "code", None), "when": when})
    return rows


def operations_document(part: Part, protocol: type, schemas: Mapping[Any, str]) -> dict[str, Any]:
    """The operations catalogue of ``part`` from its service ``protocol``.

    ``schemas`` maps a published model (class or type) to the ``$id`` of its published schema.
    """
    operations = []
    for name, function in protocol_methods(protocol).items():
        doc = parse_docstring(function.__doc__)
        hints = _hints(function)
        parameters = []
        for parameter in list(inspect.signature(function).parameters.values())[1:]:
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            hint = hints.get(parameter.name, parameter.annotation)
            if hint is inspect.Parameter.empty:
                hint = "Any"
            parameters.append(
                {
                    "name": parameter.name,
                    "required": parameter.default is inspect.Parameter.empty,
                    "keyword_only": parameter.kind is parameter.KEYWORD_ONLY,
                    **_value(hint, schemas),
                }
            )
        result = hints.get("return", "None")
        operations.append(
            {
                "name": name,
                "summary": doc.summary,
                "description": doc.description,
                "parameters": parameters,
                "result": _value(result, schemas),
                "errors": _errors(doc),
                "requirements": list(doc.requirements or ()),
            }
        )
    return {
        "$schema": OPERATIONS_SCHEMA_ID,
        "format": OPERATIONS_FORMAT,
        "part": part.name,
        "version": part.version,
        "protocol": f"{protocol.__module__}.{protocol.__qualname__}",
        "summary": parse_docstring(protocol.__doc__).summary,
        "operations": operations,
    }


_VALUE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "schema"],
    "properties": {
        "type": {"type": "string", "minLength": 1, "description": "The type, written as in Python typing."},
        "schema": {
            "type": ["string", "null"],
            "description": "The $id of the published JSON Schema of the model (or of a list's item).",
        },
    },
}

OPERATIONS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": OPERATIONS_SCHEMA_ID,
    "title": "govparts operations catalogue",
    "description": "The operations of a part's service Protocol: parameters, result, errors, requirements.",
    "type": "object",
    "required": ["format", "part", "version", "protocol", "operations"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"const": OPERATIONS_SCHEMA_ID},
        "format": {"const": OPERATIONS_FORMAT},
        "part": {"type": "string", "minLength": 1},
        "version": {"type": "string", "minLength": 1},
        "protocol": {"type": "string", "minLength": 1},
        "summary": {"type": "string"},
        "operations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "name",
                    "summary",
                    "description",
                    "parameters",
                    "result",
                    "errors",
                    "requirements",
                ],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-z_][a-z0-9_]*$"},
                    "summary": {"type": "string"},
                    "description": {"type": "string"},
                    "parameters": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "required", "type", "schema"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string", "minLength": 1},
                                "required": {"type": "boolean"},
                                "keyword_only": {"type": "boolean"},
                                **_VALUE_SCHEMA["properties"],
                            },
                        },
                    },
                    "result": {**_VALUE_SCHEMA, "additionalProperties": False},
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "code", "when"],
                            "additionalProperties": False,
                            "properties": {
                                "type": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                                "code": {"type": ["string", "null"], "pattern": "^[a-z][a-z0-9-]*$"},
                                "when": {"type": "string"},
                            },
                        },
                    },
                    "requirements": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^[A-Z]{2,5}-[0-9]{3}$"},
                    },
                },
            },
        },
    },
}
"""The JSON Schema of an operations catalogue (published as ``operations/operations.schema.json``)."""


def operations_artifacts(
    parts: Sequence[Part],
    schemas: Mapping[Any, str],
    make: Callable[..., Any],
    canonical_json: Callable[[Any], bytes],
) -> list[Any]:
    """The operations artifacts of ``parts`` (those with a ``service_protocol``) and their schema.

    ``make`` builds an artifact (:class:`~govparts.core.spec.Artifact`), ``canonical_json`` encodes a
    file; both are passed in by the publication so this module stays free of its imports.
    """
    found = []
    for part in parts:
        if not part.service_protocol:
            continue
        protocol = load_reference(part.service_protocol)
        document = operations_document(part, protocol, schemas)
        found.append(
            make(
                id=f"operations:{part.name}",
                kind="operations",
                part=part.name,
                version=part.version,
                status="draft",
                files={f"operations/{part.name}.json": canonical_json(document)},
                title=dict(part.title),
            )
        )
    if found:
        found.append(
            make(
                id="operations:schema",
                kind="operations",
                part="core",
                version="1",
                status="draft",
                files={"operations/operations.schema.json": canonical_json(OPERATIONS_SCHEMA)},
                title={
                    "zh_Hans_CN": "govparts 操作目录的 JSON Schema",
                    "en": "JSON Schema of the govparts operations catalogue",
                    "ug_CN": "govparts مەشغۇلات مۇندەرىجىسىنىڭ JSON Schema سى",
                },
            )
        )
    return found
