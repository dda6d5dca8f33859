"""govparts.core.spec: a reproducible publication of the standard, and the compatibility gate.

The fixture part ``leave`` lives in a module made at run time, so each test can publish a variant of
it (a field removed, a code added, a transition gone) and compare the two publications.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, ClassVar

import jsonschema
import pytest
from pydantic import BaseModel, ConfigDict, Field

from govparts.core import codes, spec
from govparts.core.codes import Coded
from govparts.core.errors import ConfigurationError, InvalidSpec
from govparts.core.events import EventType
from govparts.core.parts import Part
from govparts.core.process import ProcessSpec

META = jsonschema.Draft202012Validator


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


def _process(drop_cancel: bool = False) -> ProcessSpec:
    transitions: list[dict[str, Any]] = [
        {"name": "approve", "source": ["submitted"], "target": "approved", "roles": ["head"]},
        {"name": "cancel", "source": ["submitted"], "target": "cancelled", "roles": ["clerk"]},
    ]
    states = [
        {"id": "submitted", "label": _t("已提交", "Submitted", "يوللاندى")},
        {"id": "approved", "label": _t("已批准", "Approved", "تەستىقلاندى"), "terminal": True},
        {"id": "cancelled", "label": _t("已撤销", "Cancelled", "ئەمەلدىن قالدۇرۇلدى"), "terminal": True},
    ]
    if drop_cancel:
        transitions = transitions[:1]
        states = states[:2]
    return ProcessSpec(
        id="leave.request",
        version="1.0",
        title=_t("请假", "Leave request", "رۇخسەت ئىلتىماسى"),
        entity="request",
        roles=[
            {"id": "clerk", "label": _t("经办人", "Clerk", "بىجىرگۈچى")},
            {"id": "head", "label": _t("负责人", "Head", "مەسئۇل")},
        ],
        states=states,
        initial="submitted",
        transitions=transitions,
    )


class Variant:
    """Knobs of the fixture part ``leave``; the defaults give release 1."""

    def __init__(self, **changes: Any) -> None:
        self.version = changes.pop("version", "1.0")
        self.drop_days = changes.pop("drop_days", False)
        self.add_optional = changes.pop("add_optional", False)
        self.add_required = changes.pop("add_required", False)
        self.reason_max = changes.pop("reason_max", 200)
        self.drop_cancel = changes.pop("drop_cancel", False)
        self.deprecate_reason = changes.pop("deprecate_reason", False)
        self.title_en = changes.pop("title_en", "Leave request")
        self.golden = changes.pop("golden", None)
        assert not changes, changes


def _module(name: str, variant: Variant) -> ModuleType:
    deprecated: dict[str, Any] = {"x-deprecated": {"since": "1.1", "replacement": "note"}}
    reason_extra = deprecated if variant.deprecate_reason else None
    fields: dict[str, Any] = {
        "__annotations__": {},
        "__module__": name,
        "__doc__": "A request for leave (synthetic fixture).",
        "model_config": ConfigDict(extra="forbid"),
        "standard_id": "govparts.leave.LeaveRequest",
        "standard_version": variant.version,
        "standard_status": "trial",
        "standard_title": _t("请假申请", variant.title_en, "رۇخسەت ئىلتىماسى"),
    }
    annotations: dict[str, Any] = fields["__annotations__"]
    annotations.update(
        {
            "standard_id": ClassVar[str],
            "standard_version": ClassVar[str],
            "standard_status": ClassVar[str],
            "standard_title": ClassVar[dict[str, str]],
            "person_id": str,
            "sex": Annotated[str, Coded("GB/T 2261.1")],
            "reason": str,
        }
    )
    fields["reason"] = Field(max_length=variant.reason_max, json_schema_extra=reason_extra)
    if not variant.drop_days:
        annotations["days"] = int
    if variant.add_optional:
        annotations["note"] = str | None
        fields["note"] = None
    if variant.add_required:
        annotations["approver"] = str
    model = type("LeaveRequest", (BaseModel,), fields)

    class Taken(BaseModel):
        person_id: str
        days: int

    module = ModuleType(name)
    module.MODELS = [model]  # type: ignore[attr-defined]
    module.PROCESSES = [_process(variant.drop_cancel)]  # type: ignore[attr-defined]
    module.EVENTS = [  # type: ignore[attr-defined]
        EventType(
            "cn.govparts.leave.request.taken.v1", Taken, _t("已休假", "Leave was taken", "رۇخسەت ئېلىندى")
        )
    ]
    record: dict[str, Any] = {"person_id": "E1", "sex": "2", "reason": "探亲"}
    record.update({} if variant.drop_days else {"days": 3})
    record.update({"approver": "E2"} if variant.add_required else {})
    golden = [
        {"model": "govparts.leave.LeaveRequest", "record": record, "valid": True},
        {
            "model": "govparts.leave.LeaveRequest",
            "record": {**record, "sex": "7"},
            "valid": False,
            "error_code": "unknown-code",
            "field": "sex",
        },
    ]
    module.GOLDEN = golden if variant.golden is None else variant.golden  # type: ignore[attr-defined]
    return module


PublishFn = Callable[..., Path]


@pytest.fixture
def publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PublishFn:
    """Publishes a variant of the fixture part (without core's artifacts unless asked) to a new folder."""
    counter = iter(range(1000))

    def run(
        variant: Variant | None = None, *, include_core: bool = False, out: Path | None = None, **kw: Any
    ) -> Path:
        number = next(counter)
        name = f"govparts_spec_fixture_{number}"
        monkeypatch.setitem(sys.modules, name, _module(name, variant or Variant()))
        part = Part(
            name="leave",
            version="1.0",
            title=_t("请假", "Leave", "رۇخسەت"),
            models=f"{name}:MODELS",
            processes=f"{name}:PROCESSES",
            events=f"{name}:EVENTS",
            extras={"golden": f"{name}:GOLDEN"},
        )
        target = out or tmp_path / f"pub{number}"
        spec.build(target, [part], include_core=include_core, contributors=[], **kw)
        return target

    return run


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- build -----------------------------------------------------------------------------------------


def test_building_twice_gives_identical_bytes(publish: PublishFn) -> None:
    """Writes the same files with the same bytes on a second build, core's artifacts included."""
    first = _files(publish(include_core=True, source_date_epoch=1_700_000_000))
    second = _files(publish(include_core=True, source_date_epoch=1_700_000_000))
    assert first == second
    assert all(b"\r\n" not in data for data in first.values())
    index = json.loads(first["index.json"])
    assert index["date"] == "2023-11-14"
    assert "date" not in json.loads(_files(publish())["index.json"])


def test_every_schema_is_valid_2020_12_with_id_version_and_three_titles(publish: PublishFn) -> None:
    """Publishes schemas that pass the 2020-12 meta-schema, with $id, version, status and titles."""
    root = publish(include_core=True)
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    schemas = [a for a in index["artifacts"] if a["kind"] == "schema"]
    assert {a["id"] for a in schemas} >= {
        "schema:govparts.core.refs.PersonRef",
        "schema:govparts.leave.LeaveRequest",
    }
    for artifact in schemas:
        (relative,) = artifact["files"]
        schema = json.loads((root / relative).read_text(encoding="utf-8"))
        META.check_schema(schema)
        assert schema["$schema"] == spec.JSON_SCHEMA_DIALECT
        assert schema["$id"] == spec.schema_id(schema["x-standard-id"], artifact["version"])
        assert set(schema["x-i18n"]["title"]) == {"zh_Hans_CN", "en", "ug_CN"}
    leave = json.loads(
        (root / "schemas/leave/govparts.leave.LeaveRequest.schema.json").read_text(encoding="utf-8")
    )
    assert leave["x-standard-status"] == "trial"
    sex = leave["properties"]["sex"]
    sexes = codes.get("GB/T 2261.1")
    assert sex["enum"] == list(sexes.codes)
    assert sex["x-code-list"] == sexes.id
    assert sex["x-code-list-closed"] is True
    assert sex["x-labels"]["2"]["ug"] == sexes["2"].ug


def test_code_lists_are_published_as_csv_and_json_matching_the_registry(publish: PublishFn) -> None:
    """Publishes each code list of core as JSON and CSV with the registry's codes and labels."""
    root = publish(include_core=True)
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    row = next(a for a in index["artifacts"] if a["id"] == "code-list:GB/T 2261.1-2003")
    json_path = next(p for p in row["files"] if p.endswith(".json"))
    csv_path = next(p for p in row["files"] if p.endswith(".csv"))
    document = json.loads((root / json_path).read_text(encoding="utf-8"))
    expected = codes.get("GB/T 2261.1")
    assert [c["code"] for c in document["codes"]] == list(expected.codes)
    assert document["closed"] is expected.closed
    table = list(csv.DictReader(io.StringIO((root / csv_path).read_text(encoding="utf-8"))))
    assert [(r["code"], r["ug_CN"]) for r in table] == [(c.code, c.ug) for c in expected.codes.values()]
    divisions = json.loads((root / "codes/gbt-2260-2007.json").read_text(encoding="utf-8"))
    ended = [c for c in divisions["codes"] if c["valid_to"]]
    assert ended
    assert all(c["deprecated"] for c in ended)


def test_processes_and_events_are_published(publish: PublishFn) -> None:
    """Writes each process as JSON that reads back equal plus Mermaid, and events as AsyncAPI 3.0."""
    root = publish()
    assert ProcessSpec.from_json((root / "processes/leave.request.json").read_bytes()) == _process()
    assert (root / "processes/leave.request.mmd").read_text(encoding="utf-8").startswith("---\ntitle:")
    document = json.loads((root / "events/leave.asyncapi.json").read_text(encoding="utf-8"))
    assert document["asyncapi"] == "3.0.0"
    key = "cn_govparts_leave_request_taken_v1"
    assert document["channels"][key]["address"] == "cn.govparts.leave.request.taken.v1"
    message = document["components"]["messages"][key]
    assert message["payload"] == {"$ref": f"#/components/schemas/{key}"}
    assert message["x-i18n"]["description"]["ug_CN"] == "رۇخسەت ئېلىندى"
    payload = document["components"]["schemas"][key]
    META.check_schema(payload)
    assert payload["required"] == ["person_id", "days"]


def test_index_records_a_sha256_per_file_and_a_fingerprint(publish: PublishFn) -> None:
    """Lists every file's SHA-256; a changed file is found and any change moves the fingerprint."""
    root = publish()
    publication = spec.Publication.open(root)
    assert publication.verify() == []
    rows = publication.index["artifacts"]
    listed = {path for row in rows for path in row["files"]}
    assert listed == set(_files(root)) - {"index.json"}
    (root / "processes/leave.request.mmd").write_text("tampered\n", encoding="utf-8")
    assert publication.verify() == ["processes/leave.request.mmd"]
    other = spec.Publication.open(publish(Variant(title_en="Leave application")))
    assert other.index["fingerprint"] != publication.index["fingerprint"]


def test_golden_corpus_verdicts_are_checked_and_published(publish: PublishFn) -> None:
    """Publishes the corpus with ids; valid records also pass the published JSON Schema."""
    root = publish(include_core=True)
    corpus = json.loads((root / "golden/core.json").read_text(encoding="utf-8"))
    assert corpus["cases"][0]["id"] == "core-001"
    codes_seen = {c["error_code"] for c in corpus["cases"] if not c["valid"]}
    assert codes_seen == {"invalid-identifier", "invalid-money", "invalid-input"}
    for case in corpus["cases"]:
        part = "core" if case["model"].startswith("govparts.core.") else "leave"
        schema = json.loads(
            (root / f"schemas/{part}/{case['model']}.schema.json").read_text(encoding="utf-8")
        )
        if case["valid"]:
            jsonschema.validate(case["record"], schema, cls=META)
    leave = json.loads((root / "golden/leave.json").read_text(encoding="utf-8"))
    assert [c["valid"] for c in leave["cases"]] == [True, False]


def test_a_golden_case_govparts_disagrees_with_stops_the_build(publish: PublishFn, tmp_path: Path) -> None:
    """Refuses to publish a case whose expected verdict is not what govparts' validators say."""
    wrong = [
        {
            "model": "govparts.leave.LeaveRequest",
            "record": {"person_id": "E1", "sex": "7", "reason": "x", "days": 1},
            "valid": False,
            "error_code": "invalid-input",
            "field": "sex",
        }
    ]
    with pytest.raises(InvalidSpec) as caught:
        publish(Variant(golden=wrong))
    assert caught.value.field == "golden"
    assert "unknown-code@sex" in caught.value.message("en")
    verdict = spec.check_golden(
        {**wrong[0], "error_code": "unknown-code"}, spec.published_models(_fixture_part())
    )
    assert verdict.agrees
    assert verdict.error_codes == (("unknown-code", "sex"),)


def _fixture_part() -> Part:
    name = "govparts_spec_fixture_direct"
    sys.modules[name] = _module(name, Variant())
    return Part(name="leave", version="1.0", title=_t("请假", "Leave", "رۇخسەت"), models=f"{name}:MODELS")


def test_bad_status_and_clashing_artifacts_are_refused() -> None:
    """Names the status field for an unknown status, and refuses two artifacts with one file."""
    with pytest.raises(InvalidSpec) as caught:
        spec.Artifact("x", "schema", "leave", "1.0", "final", {"a.json": b"{}"})
    assert caught.value.field == "standard_status"
    with pytest.raises(InvalidSpec) as outside:
        spec.Artifact("x", "schema", "leave", "1.0", "draft", {"../a.json": b"{}"})
    assert outside.value.field == "files"
    twice = spec.Artifact("y", "schema", "leave", "1.0", "draft", {"a.json": b"{}"})
    again = spec.Artifact("z", "schema", "leave", "1.0", "draft", {"a.json": b"[]"})
    with pytest.raises(ConfigurationError):
        spec.collect([], include_core=False, contributors=[lambda parts: [twice, again]])


def test_build_refuses_to_replace_a_folder_that_is_no_publication(publish: PublishFn, tmp_path: Path) -> None:
    """Leaves a non-empty folder without index.json untouched instead of replacing it."""
    target = tmp_path / "precious"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InvalidSpec) as caught:
        publish(out=target)
    assert caught.value.field == "out"
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(InvalidSpec):
        spec.Publication.open(target)


# -- diff ------------------------------------------------------------------------------------------


def _changes(report: spec.DiffReport) -> dict[tuple[str, str], spec.Change]:
    return {(c.artifact, c.path): c for c in report.changes}


SCHEMA = "schema:govparts.leave.LeaveRequest"


def test_identical_publications_have_no_changes(publish: PublishFn) -> None:
    """Reports nothing and passes when nothing changed."""
    report = spec.diff(publish(), publish())
    assert report.changes == ()
    assert report.ok


def test_a_removed_field_is_breaking_and_fails_the_gate(publish: PublishFn) -> None:
    """Catches a removed field as breaking for both sides and fails without a major bump."""
    report = spec.diff(publish(), publish(Variant(drop_days=True)))
    change = _changes(report)[(SCHEMA, "/properties/days")]
    assert (change.what, change.producers, change.consumers) == (
        "field removed",
        spec.Severity.BREAKING,
        spec.Severity.BREAKING,
    )
    assert not report.ok
    assert report.failures == [change]


def test_an_added_optional_field_is_compatible(publish: PublishFn) -> None:
    """Lets an added optional field through as compatible for producers and consumers."""
    report = spec.diff(publish(), publish(Variant(add_optional=True)))
    change = _changes(report)[(SCHEMA, "/properties/note")]
    assert (change.producers, change.consumers) == (spec.Severity.COMPATIBLE, spec.Severity.COMPATIBLE)
    assert report.ok


def test_a_new_required_field_and_a_narrowed_type_break_producers_only(publish: PublishFn) -> None:
    """Classifies a new required field and a lower maxLength as breaking producers, not consumers."""
    report = spec.diff(publish(), publish(Variant(add_required=True, reason_max=50)))
    found = _changes(report)
    required = found[(SCHEMA, "/properties/approver")]
    narrowed = found[(SCHEMA, "/properties/reason/maxLength")]
    for change in (required, narrowed):
        assert (change.producers, change.consumers) == (spec.Severity.BREAKING, spec.Severity.COMPATIBLE)
    widened = _changes(spec.diff(publish(), publish(Variant(reason_max=400))))[
        (SCHEMA, "/properties/reason/maxLength")
    ]
    assert (widened.producers, widened.consumers) == (spec.Severity.COMPATIBLE, spec.Severity.BREAKING)
    assert not report.ok


def test_a_removed_transition_is_breaking(publish: PublishFn) -> None:
    """Catches a removed transition (and its state) in a process spec."""
    report = spec.diff(publish(), publish(Variant(drop_cancel=True)))
    found = _changes(report)
    assert found[("process:leave.request", "/transitions/cancel")].what == "transition removed"
    assert found[("process:leave.request", "/transitions/cancel")].breaking
    assert not report.ok


def test_a_title_change_is_editorial(publish: PublishFn) -> None:
    """Classifies a changed translation of the title as editorial, which passes."""
    report = spec.diff(publish(), publish(Variant(title_en="Leave application")))
    (change,) = report.changes
    assert (change.path, change.severity) == ("/x-i18n", spec.Severity.EDITORIAL)
    assert report.ok


def test_a_major_version_bump_lets_a_breaking_change_through(publish: PublishFn) -> None:
    """Accepts a breaking change of an artifact whose major version went up, saying why."""
    report = spec.diff(publish(), publish(Variant(drop_days=True, version="2.0")))
    change = _changes(report)[(SCHEMA, "/properties/days")]
    assert change.breaking
    assert change.accepted_by == "major version 1.0 -> 2.0"
    assert report.ok
    minor = spec.diff(publish(), publish(Variant(drop_days=True, version="1.1")))
    assert not minor.ok


def test_an_override_with_a_reason_lets_exactly_that_change_through(
    publish: PublishFn, tmp_path: Path
) -> None:
    """Accepts the change an override names with its reason; other breaking changes still fail."""
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        '[[override]]\nartifact = "schema:govparts.leave.LeaveRequest"\npath = "/properties/days"\n'
        'reason = "days are computed from the calendar since 1.1"\n'
        '[[override]]\nartifact = "schema:govparts.leave.LeaveRequest"\npath = "/properties/other"\n'
        'reason = "not needed"\n',
        encoding="utf-8",
    )
    old, new = publish(), publish(Variant(drop_days=True))
    report = spec.diff(old, new, spec.load_overrides(overrides))
    assert report.ok
    assert _changes(report)[(SCHEMA, "/properties/days")].accepted_by.endswith("calendar since 1.1")
    assert [o.path for o in report.unused_overrides] == ["/properties/other"]
    both = spec.diff(old, publish(Variant(drop_days=True, drop_cancel=True)), spec.load_overrides(overrides))
    assert [c.artifact for c in both.failures] == ["process:leave.request", "process:leave.request"]


def test_an_override_without_a_reason_is_refused(tmp_path: Path) -> None:
    """Names the override's reason field when it is missing or blank."""
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('[[override]]\nartifact = "a"\npath = "/p"\nreason = "  "\n', encoding="utf-8")
    with pytest.raises(InvalidSpec) as caught:
        spec.load_overrides(overrides)
    assert caught.value.field == "override[0].reason"


def test_deprecations_are_listed_with_version_and_replacement(publish: PublishFn) -> None:
    """Reports a field marked x-deprecated with its version and replacement, as new."""
    report = spec.diff(publish(), publish(Variant(deprecate_reason=True, add_optional=True)))
    (deprecation,) = report.deprecations
    assert (deprecation.artifact, deprecation.path) == (SCHEMA, "/properties/reason")
    assert (deprecation.since, deprecation.replacement, deprecation.new) == ("1.1", "note", True)
    assert report.ok


def _code_list_publication(root: Path, codes_: list[str], *, closed: bool, version: str = "1.0") -> Path:
    document = {
        "id": "TEST-1",
        "version": version,
        "closed": closed,
        "codes": [{"code": c, "zh_Hans_CN": c, "en": c, "ug_CN": c} for c in codes_],
    }
    artifact = spec.Artifact(
        "code-list:TEST-1",
        "code-list",
        "leave",
        version,
        "draft",
        {"codes/TEST-1.json": spec.canonical_json(document)},
    )
    spec.build(root, [], include_core=False, contributors=[lambda parts: [artifact]])
    return root


@pytest.mark.parametrize(
    ("closed", "old", "new", "sides"),
    [
        (True, ["1", "2"], ["1"], ("breaking", "breaking")),
        (False, ["1", "2"], ["1", "2", "3"], ("compatible", "compatible")),
        (True, ["1", "2"], ["1", "2", "3"], ("compatible", "breaking")),
    ],
)
def test_code_list_changes_depend_on_whether_the_list_is_closed(
    tmp_path: Path, closed: bool, old: list[str], new: list[str], sides: tuple[str, str]
) -> None:
    """Breaks both sides when a closed list loses a code; a code added to an open list is compatible."""
    report = spec.diff(
        _code_list_publication(tmp_path / "old", old, closed=closed),
        _code_list_publication(tmp_path / "new", new, closed=closed),
    )
    (change,) = report.changes
    assert (change.producers.label, change.consumers.label) == sides
    assert report.ok is ("breaking" not in sides)
