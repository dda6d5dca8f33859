"""ProcessSpec: checked as a whole when built; exported to JSON and to a Mermaid state diagram."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from govparts.core.errors import InvalidRecord, InvalidSpec
from govparts.core.process import ProcessSpec


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


def outgoing_document() -> dict[str, Any]:
    """The 发文 process of a synthetic part ``demo``: draft, review, sign, archive."""
    return {
        "id": "demo.outgoing_document",
        "version": "1.0",
        "title": _t("发文办理", "Outgoing document", "چىقىرىلىدىغان ھۆججەت"),
        "entity": "document",
        "roles": [
            {"id": "clerk", "label": _t("拟稿人", "Drafter", "لايىھە تۈزگۈچى")},
            {"id": "reviewer", "label": _t("审核人", "Reviewer", "تەكشۈرگۈچى")},
            {"id": "leader", "label": _t("签发人", "Signer", "ئىمزا قويغۇچى")},
        ],
        "guards": [
            {
                "id": "has_body",
                "description": _t("正文不能为空", "The body is not empty", "تېكىستى بوش ئەمەس"),
            },
        ],
        "states": [
            {"id": "draft", "label": _t("拟稿", "Draft", "لايىھە")},
            {"id": "submitted", "label": _t("待审核", "Submitted", "يوللاندى")},
            {"id": "reviewed", "label": _t("已审核", "Reviewed", "تەكشۈرۈلدى")},
            {"id": "signed", "label": _t("已签发", "Signed", "ئىمزا قويۇلدى"), "terminal": True},
            {"id": "withdrawn", "label": _t("已撤回", "Withdrawn", "قايتۇرۇۋېلىندى"), "terminal": True},
        ],
        "initial": "draft",
        "transitions": [
            {
                "name": "submit",
                "label": _t("送审", "Submit", "يوللاش"),
                "source": ["draft"],
                "target": "submitted",
                "roles": ["clerk"],
                "optional_inputs": ["note"],
                "event": "cn.govparts.demo.document.submitted.v1",
            },
            {
                "name": "return_for_revision",
                "source": "submitted",
                "target": "draft",
                "roles": ["reviewer"],
                "inputs": ["opinion"],
            },
            {
                "name": "review",
                "label": _t("审核", "Review", "تەكشۈرۈش"),
                "source": ["submitted"],
                "target": "reviewed",
                "roles": ["reviewer"],
                "guards": ["has_body"],
                "inputs": ["opinion"],
                "separation_of_duties": {"differs_from": ["submit"]},
            },
            {
                "name": "sign",
                "source": ["reviewed"],
                "target": "signed",
                "roles": ["leader"],
                "separation_of_duties": {"differs_from": ["submit", "review"], "scope": "latest"},
                "event": "cn.govparts.demo.document.signed.v1",
            },
            {"name": "withdraw", "source": ["draft"], "target": "withdrawn", "roles": ["clerk"]},
        ],
    }


def _broken(change: Any) -> InvalidSpec:
    data = copy.deepcopy(outgoing_document())
    change(data)
    with pytest.raises(InvalidSpec) as caught:
        ProcessSpec(**data)
    return caught.value


def test_builds_a_consistent_spec() -> None:
    """Builds the outgoing-document spec and answers questions about it."""
    spec = ProcessSpec(**outgoing_document())
    assert spec.part == "demo"
    assert [t.name for t in spec.transitions_from("submitted")] == ["return_for_revision", "review"]
    assert spec.terminal_states == ["signed", "withdrawn"]
    assert spec.transition("return_for_revision").source == ("submitted",)
    assert spec.state("draft").label.in_locale("ug_CN") == "لايىھە"


def test_refuses_an_unreachable_state() -> None:
    """Names a state no transition leads to from the initial state."""

    def change(data: dict[str, Any]) -> None:
        data["states"].append({"id": "lost", "label": _t("失踪", "Lost", "يوقالدى"), "terminal": True})

    error = _broken(change)
    assert error.field == "states[5]"
    assert "lost" in error.message("en")
    assert "cannot be reached" in error.message("en")


def test_refuses_a_transition_out_of_a_terminal_state() -> None:
    """Names a transition that leaves a terminal state."""

    def change(data: dict[str, Any]) -> None:
        data["transitions"].append(
            {"name": "reopen", "source": ["signed"], "target": "draft", "roles": ["leader"]}
        )

    error = _broken(change)
    assert error.field == "transitions[5].source"
    assert "reopen" in error.message("en")
    assert "terminal" in error.message("en")


def test_refuses_unknown_states() -> None:
    """Names the transition end and the initial state that are not declared states."""

    def bad_target(data: dict[str, Any]) -> None:
        data["transitions"][0]["target"] = "pending"

    def bad_source(data: dict[str, Any]) -> None:
        data["transitions"][1]["source"] = ["nowhere"]

    def bad_initial(data: dict[str, Any]) -> None:
        data["initial"] = "start"

    assert _broken(bad_target).field == "transitions[0].target"
    assert _broken(bad_source).field == "transitions[1].source"
    assert _broken(bad_initial).field == "initial"


def test_refuses_unknown_roles_and_guards() -> None:
    """Names a transition's role or guard that the spec does not declare."""

    def bad_role(data: dict[str, Any]) -> None:
        data["transitions"][2]["roles"] = ["auditor"]

    def bad_guard(data: dict[str, Any]) -> None:
        data["transitions"][2]["guards"] = ["has_seal"]

    def no_role(data: dict[str, Any]) -> None:
        data["transitions"][4]["roles"] = []

    role_error = _broken(bad_role)
    assert role_error.field == "transitions[2].roles"
    assert "'auditor'" in role_error.message("en")
    guard_error = _broken(bad_guard)
    assert guard_error.field == "transitions[2].guards"
    assert "'has_seal'" in guard_error.message("en")
    assert _broken(no_role).field == "transitions[4].roles"


def test_refuses_a_state_without_a_way_out() -> None:
    """Names a non-terminal state that no transition leaves."""

    def change(data: dict[str, Any]) -> None:
        data["transitions"] = [t for t in data["transitions"] if t["name"] != "sign"]

    error = _broken(change)
    assert error.field == "states[2]"
    assert "reviewed" in error.message("en")


def test_refuses_duplicates_and_dangling_references() -> None:
    """Names duplicated ids, unknown earlier transitions and inputs both required and optional."""

    def twice(data: dict[str, Any]) -> None:
        data["states"].append(copy.deepcopy(data["states"][0]))

    def separation(data: dict[str, Any]) -> None:
        data["transitions"][2]["separation_of_duties"] = {"differs_from": ["prepare"]}

    def both(data: dict[str, Any]) -> None:
        data["transitions"][0]["inputs"] = ["note"]

    assert _broken(twice).field == "states[5]"
    assert _broken(separation).field == "transitions[2].separation_of_duties.differs_from"
    assert _broken(both).field == "transitions[0].optional_inputs"


def test_refuses_bad_event_types() -> None:
    """Names an event type that is malformed or belongs to another part."""

    def malformed(data: dict[str, Any]) -> None:
        data["transitions"][0]["event"] = "demo.document.submitted"

    def foreign(data: dict[str, Any]) -> None:
        data["transitions"][0]["event"] = "cn.govparts.finance.voucher.posted.v1"

    assert _broken(malformed).field == "transitions[0].event"
    error = _broken(foreign)
    assert error.field == "transitions[0].event"
    assert "'finance'" in error.message("en")


def test_malformed_specs_raise_invalid_record_naming_the_field() -> None:
    """Reports malformed fields (bad ids, missing labels) as InvalidRecord naming each field."""
    data = outgoing_document()
    data["states"][1]["id"] = "Submitted State"
    del data["title"]["ug_CN"]
    with pytest.raises(InvalidRecord) as caught:
        ProcessSpec(**data)
    fields = {error.field for error in caught.value.errors}
    assert fields == {"states[1].id", "title.ug_CN"}


def test_exports_json_that_reads_back_equal() -> None:
    """Exports the spec as JSON and reads the same spec back from it."""
    spec = ProcessSpec(**outgoing_document())
    text = spec.to_json()
    data = json.loads(text)
    assert data["id"] == "demo.outgoing_document"
    assert data["transitions"][1]["source"] == ["submitted"]
    assert ProcessSpec.from_json(text) == spec
    assert json.loads(spec.model_dump_json()) == data


def test_from_json_checks_the_spec_like_the_constructor() -> None:
    """Refuses an inconsistent spec read from JSON with InvalidSpec."""
    data = outgoing_document()
    data["initial"] = "signed"
    with pytest.raises(InvalidSpec):
        ProcessSpec.from_json(json.dumps(data))


def test_publishes_a_json_schema() -> None:
    """Publishes a JSON Schema that requires the labels in all three languages."""
    schema = ProcessSpec.model_json_schema()
    assert set(schema["required"]) >= {"id", "version", "title", "entity", "states", "initial", "transitions"}
    assert schema["$defs"]["LocalizedText"]["required"] == ["zh_Hans_CN", "en", "ug_CN"]


def test_exports_a_mermaid_state_diagram() -> None:
    """Draws the process as a Mermaid stateDiagram-v2 labelled in the chosen language."""
    spec = ProcessSpec(**outgoing_document())
    diagram = spec.to_mermaid("zh_Hans_CN")
    lines = diagram.splitlines()
    assert lines[:4] == ["---", 'title: "发文办理 (demo.outgoing_document 1.0)"', "---", "stateDiagram-v2"]
    assert '    state "拟稿" as draft' in lines
    assert "    [*] --> draft" in lines
    assert "    draft --> submitted : 送审" in lines
    assert "    submitted --> draft : return_for_revision" in lines
    assert "    signed --> [*]" in lines
    assert "    withdrawn --> [*]" in lines
    assert "    reviewed --> signed : sign" in lines
    assert 'state "Reviewed" as reviewed' in spec.to_mermaid("en")


def test_mermaid_labels_cannot_break_the_diagram() -> None:
    """Escapes quotes, semicolons and hashes in labels so that they stay one label."""
    data = outgoing_document()
    data["states"][0]["label"]["en"] = 'Draft "A"; #1'
    diagram = ProcessSpec(**data).to_mermaid("en")
    assert '    state "Draft #quot;A#quot;#59; #35;1" as draft' in diagram.splitlines()
