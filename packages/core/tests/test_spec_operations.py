"""The operations catalogue: each part's service Protocol published as a machine-readable contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

import jsonschema
import pytest
from pydantic import BaseModel

from govparts.core import spec
from govparts.core.parts import Part, iter_parts, load_reference
from govparts.core.spec._operations import OPERATIONS_SCHEMA_ID

if TYPE_CHECKING:
    from govparts.core.audit import TrailEntry
    from govparts.core.security import Actor


class LeaveIn(BaseModel):
    """A leave request as submitted (a synthetic published model)."""

    standard_id: ClassVar[str] = "govparts.leavetoy.LeaveIn"
    person_id: str
    days: int


class LeaveView(BaseModel):
    """A leave request as recorded."""

    standard_id: ClassVar[str] = "govparts.leavetoy.LeaveView"
    standard_version: ClassVar[str] = "2.1"
    id: str
    days: int


MODELS = [LeaveIn, LeaveView]


class Observable(Protocol):
    """What every synthetic service offers to observe it."""

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The audit records of one thing.

        Requirements: LVT-003
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...


class LeaveToyService(Observable, Protocol):
    """A synthetic service Protocol (请假) written in the convention."""

    def submit(self, actor: Actor, org: str, request: LeaveIn, *, note: str | None = None) -> LeaveView:
        """Record a leave request of ``org``.

        Days are whole days (Toy rules §3.1).

        Requirements: LVT-001, LVT-002
        Raises:
            InvalidInput: the days are out of range
                (field ``days``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``employee``.
        """
        ...

    def requests(self, actor: Actor, org: str, since: date | None = None) -> list[LeaveView]:
        """The requests of ``org``.

        Requirements: LVT-001
        Raises:
            (none)
        """
        ...

    def status(self, actor: Actor, org: str, request_id: str) -> Literal["submitted", "approved"] | None:
        """The status of a request."""
        ...

    def _internal(self) -> None: ...


PART = Part(
    name="leavetoy",
    version="1.4.0",
    title={"zh_Hans_CN": "请假", "en": "Leave", "ug_CN": "رۇخسەت"},
    models=f"{__name__}:MODELS",
    service_protocol=f"{__name__}:LeaveToyService",
)


def test_parse_docstring_reads_the_convention() -> None:
    """Reads summary, description, requirement ids and errors with continued lines."""
    doc = spec.parse_docstring(LeaveToyService.submit.__doc__)
    assert doc.summary == "Record a leave request of ``org``."
    assert doc.description == "Days are whole days (Toy rules §3.1)."
    assert doc.requirements == ("LVT-001", "LVT-002")
    assert doc.raises == (
        ("InvalidInput", "the days are out of range (field ``days``)."),
        ("OrganizationDenied", "the actor acts for another organisation."),
        ("PermissionDenied", "the actor lacks the role ``employee``."),
    )
    none = spec.parse_docstring(LeaveToyService.requests.__doc__)
    assert none.raises == ()
    bare = spec.parse_docstring(LeaveToyService.status.__doc__)
    assert (bare.summary, bare.requirements, bare.raises) == ("The status of a request.", None, None)


def test_docstring_problems_name_what_is_missing_or_unknown() -> None:
    """Reports a missing Requirements line or Raises section, unknown ids and unknown error classes."""
    ok = spec.parse_docstring(LeaveToyService.submit.__doc__)
    assert spec.docstring_problems("submit", ok, {"LVT-001", "LVT-002"}) == []
    status = spec.parse_docstring(LeaveToyService.status.__doc__)
    assert [str(p) for p in spec.docstring_problems("status", status)] == [
        "status: the docstring has no 'Requirements:' line",
        "status: the docstring has no 'Raises:' section",
    ]
    wrong = spec.parse_docstring(
        "Do it.\n\nRequirements: LVT-001, LVT-009, nonsense\nRaises:\n    NoSuchError: never.\n"
    )
    found = spec.docstring_problems("do", wrong, {"LVT-001"})
    assert [(p.kind, p.got) for p in found] == [
        ("unknown-requirement", "LVT-009"),
        ("not-a-requirement-id", "nonsense"),
        ("unknown-error", "NoSuchError"),
    ]
    assert [str(p) for p in found] == [
        "do: 'Requirements:' names LVT-009, which is not in the catalogue",
        "do: 'Requirements:' names 'nonsense', which is not a requirement id",
        "do: 'Raises:' names NoSuchError, which is not a govparts error class",
    ]
    assert (
        str(spec.docstring_problems("x", spec.parse_docstring(""))[0])
        == "x: the docstring has no summary line"
    )


def test_protocol_methods_are_the_public_ones_including_inherited() -> None:
    """Lists the public methods of the Protocol and its Protocol bases, never private ones."""
    assert list(spec.protocol_methods(LeaveToyService)) == ["audit_trail", "submit", "requests", "status"]


def test_operations_document_describes_parameters_result_errors_and_requirements() -> None:
    """Gives each parameter's type and schema $id, the result, errors with codes and requirement ids."""
    schemas = {LeaveIn: "urn:govparts:schema:govparts.leavetoy.LeaveIn:1.4.0"}
    document = spec.operations_document(PART, LeaveToyService, schemas)
    assert document["part"] == "leavetoy"
    assert document["version"] == "1.4.0"
    assert document["protocol"] == f"{__name__}.LeaveToyService"
    submit = next(op for op in document["operations"] if op["name"] == "submit")
    assert submit["parameters"] == [
        {"name": "actor", "required": True, "keyword_only": False, "type": "Actor", "schema": None},
        {"name": "org", "required": True, "keyword_only": False, "type": "str", "schema": None},
        {
            "name": "request",
            "required": True,
            "keyword_only": False,
            "type": "LeaveIn",
            "schema": "urn:govparts:schema:govparts.leavetoy.LeaveIn:1.4.0",
        },
        {"name": "note", "required": False, "keyword_only": True, "type": "str | None", "schema": None},
    ]
    assert submit["result"] == {"type": "LeaveView", "schema": None}
    assert submit["errors"][0] == {
        "type": "InvalidInput",
        "code": "invalid-input",
        "when": "the days are out of range (field ``days``).",
    }
    assert [e["code"] for e in submit["errors"]] == [
        "invalid-input",
        "organization-denied",
        "permission-denied",
    ]
    assert submit["requirements"] == ["LVT-001", "LVT-002"]
    trail = next(op for op in document["operations"] if op["name"] == "audit_trail")
    assert trail["result"]["type"] == "list[TrailEntry]"
    status = next(op for op in document["operations"] if op["name"] == "status")
    assert status["result"]["type"] == "Literal['submitted', 'approved'] | None"
    jsonschema.validate(document, spec.OPERATIONS_SCHEMA, cls=jsonschema.Draft202012Validator)


def test_the_spec_build_publishes_the_operations_with_schema_refs(tmp_path: Path) -> None:
    """Writes operations/<part>.json whose models point at the published schemas, and the schema file."""
    index = spec.build(tmp_path / "pub", [PART], contributors=[])
    rows = {row["id"]: row for row in index["artifacts"]}
    assert rows["operations:leavetoy"]["kind"] == "operations"
    assert rows["operations:leavetoy"]["version"] == "1.4.0"
    assert "operations/operations.schema.json" in rows["operations:schema"]["files"]
    document = json.loads((tmp_path / "pub" / "operations" / "leavetoy.json").read_text("utf-8"))
    ops = {op["name"]: op for op in document["operations"]}
    assert ops["submit"]["parameters"][2]["schema"] == "urn:govparts:schema:govparts.leavetoy.LeaveIn:1.4.0"
    assert ops["submit"]["result"]["schema"] == "urn:govparts:schema:govparts.leavetoy.LeaveView:2.1"
    assert ops["requests"]["result"] == {
        "type": "list[LeaveView]",
        "schema": "urn:govparts:schema:govparts.leavetoy.LeaveView:2.1",
    }
    assert ops["audit_trail"]["result"] == {"type": "list[TrailEntry]", "schema": None}
    published = json.loads((tmp_path / "pub" / "operations" / "operations.schema.json").read_text("utf-8"))
    assert published == spec.OPERATIONS_SCHEMA
    assert published["$id"] == OPERATIONS_SCHEMA_ID
    again = spec.build(tmp_path / "again", [PART], contributors=[])
    assert again["fingerprint"] == index["fingerprint"]


def test_a_part_without_a_protocol_publishes_no_operations() -> None:
    """Publishes no operations artifact (and no schema file) when no part has a service Protocol."""
    bare = Part(name="bare", version="1.0.0", title={"en": "Bare"}, models=f"{__name__}:MODELS")
    artifacts = spec.collect([bare], include_core=False, contributors=[])
    assert [a.id for a in artifacts if a.kind == "operations"] == []


def _check_jsonschema() -> str:
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which(
        "check-jsonschema"
    )
    if found is None:
        pytest.fail("check-jsonschema is not installed; it is in the test dependency group (uv sync)")
    return found


def test_every_installed_parts_catalogue_validates_with_check_jsonschema(tmp_path: Path) -> None:
    """Checks each installed part's operations catalogue against the published schema (check-jsonschema)."""
    parts = [p for p in iter_parts() if p.service_protocol]
    artifacts = spec.collect([PART, *parts], include_core=True, contributors=[])
    schema = tmp_path / "operations.schema.json"
    documents: list[Path] = []
    for artifact in artifacts:
        if artifact.kind != "operations":
            continue
        for relative, data in artifact.files.items():
            target = tmp_path / relative
            if relative.endswith("operations.schema.json"):
                schema.write_bytes(data)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                documents.append(target)
    assert len(documents) == len(parts) + 1
    done = subprocess.run(
        [_check_jsonschema(), "--schemafile", str(schema), *map(str, documents)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for part in parts:
        document = json.loads((tmp_path / "operations" / f"{part.name}.json").read_text("utf-8"))
        protocol = spec.protocol_methods(load_reference(part.service_protocol or ""))
        assert [op["name"] for op in document["operations"]] == list(protocol)


def test_check_jsonschema_refuses_a_catalogue_out_of_shape(tmp_path: Path) -> None:
    """Fails an operation without its errors list, so the schema check can fail."""
    schema = tmp_path / "operations.schema.json"
    schema.write_text(json.dumps(spec.OPERATIONS_SCHEMA), encoding="utf-8")
    document = spec.operations_document(PART, LeaveToyService, {})
    del document["operations"][0]["errors"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    done = subprocess.run(
        [_check_jsonschema(), "--schemafile", str(schema), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
