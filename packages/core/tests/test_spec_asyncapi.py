"""The AsyncAPI event catalogue: every reference resolves from the document root, as AsyncAPI reads it.

The fixture part ``visits`` publishes one model and three event types whose payloads nest models:
two share one definition of ``Visitor``, the third has a different model of the same name. The
official AsyncAPI parser checks the real parts' catalogues in ``tests/test_published_tools.py``;
these tests pin the layout without Node.js.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from govparts.core import spec
from govparts.core.events import EventType
from govparts.core.parts import Part


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


def _module(name: str, *, with_badge: bool) -> ModuleType:
    class Badge(BaseModel):
        number: str

    visitor_fields: dict[str, Any] = {"name": str}
    if with_badge:
        visitor_fields["badge"] = Badge | None

    visitor = type(
        "Visitor",
        (BaseModel,),
        {"__module__": name, "__annotations__": visitor_fields, **({"badge": None} if with_badge else {})},
    )
    arrived = type("Arrived", (BaseModel,), {"__module__": name, "__annotations__": {"visitor": visitor}})
    left = type(
        "Left", (BaseModel,), {"__module__": name, "__annotations__": {"visitor": visitor, "hours": int}}
    )

    class Visitor(BaseModel):
        """Another model that happens to share the class name."""

        code: int

    counted = type(
        "Counted", (BaseModel,), {"__module__": name, "__annotations__": {"visitors": list[Visitor]}}
    )
    module = ModuleType(name)
    module.MODELS = [arrived]  # type: ignore[attr-defined]
    module.EVENTS = [  # type: ignore[attr-defined]
        EventType("cn.govparts.visits.visitor.arrived.v1", arrived, _t("来访", "Arrived", "كەلدى")),
        EventType("cn.govparts.visits.visitor.left.v1", left, _t("离开", "Left", "كەتتى")),
        EventType("cn.govparts.visits.visitor.counted.v1", counted, _t("已统计", "Counted", "سانالدى")),
    ]
    return module


PublishFn = Callable[..., Path]


@pytest.fixture
def publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PublishFn:
    """Publishes the fixture part's event catalogue to a new folder."""
    counter = iter(range(1000))

    def run(*, with_badge: bool = True) -> Path:
        number = next(counter)
        name = f"govparts_spec_asyncapi_fixture_{number}"
        monkeypatch.setitem(sys.modules, name, _module(name, with_badge=with_badge))
        part = Part(
            name="visits",
            version="1.0",
            title=_t("来访", "Visits", "زىيارەت"),
            models=f"{name}:MODELS",
            events=f"{name}:EVENTS",
        )
        target = tmp_path / f"pub{number}"
        spec.build(target, [part], include_core=False, contributors=[])
        return target

    return run


def _document(root: Path) -> dict[str, Any]:
    return dict(json.loads((root / "events/visits.asyncapi.json").read_text(encoding="utf-8")))


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    target: Any = document
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


ARRIVED = "cn_govparts_visits_visitor_arrived_v1"
COUNTED = "cn_govparts_visits_visitor_counted_v1"


def test_every_reference_resolves_from_the_document_root(publish: PublishFn) -> None:
    """Resolves each $ref from the root of the AsyncAPI document; no payload keeps $defs or $id."""
    document = _document(publish())
    refs = sorted(set(_refs(document)))
    assert "#/components/schemas/Visitor" in refs
    for ref in refs:
        assert ref.startswith("#/"), ref
        _resolve(document, ref)
    schemas = document["components"]["schemas"]
    for schema in schemas.values():
        assert not {"$defs", "$id", "$schema"} & set(schema)
        jsonschema.Draft7Validator.check_schema(schema)


def test_nested_models_become_shared_components(publish: PublishFn) -> None:
    """Publishes a nested model once, shared by the payloads that define it alike, and keeps its texts."""
    document = _document(publish())
    schemas = document["components"]["schemas"]
    arrived = schemas[ARRIVED]["properties"]["visitor"]
    left = schemas["cn_govparts_visits_visitor_left_v1"]["properties"]["visitor"]
    assert arrived == left == {"$ref": "#/components/schemas/Visitor"}
    assert set(schemas["Visitor"]["properties"]) == {"name", "badge"}
    assert {"$ref": "#/components/schemas/Badge"} in schemas["Visitor"]["properties"]["badge"]["anyOf"]
    assert schemas["Badge"]["required"] == ["number"]


def test_a_different_model_of_a_taken_name_gets_its_payloads_prefix(publish: PublishFn) -> None:
    """Names a second, different ``Visitor`` after its payload instead of overwriting the first."""
    schemas = _document(publish())["components"]["schemas"]
    other = f"{COUNTED}.Visitor"
    assert schemas[COUNTED]["properties"]["visitors"]["items"] == {"$ref": f"#/components/schemas/{other}"}
    assert set(schemas[other]["properties"]) == {"code"}
    assert set(schemas["Visitor"]["properties"]) == {"name", "badge"}


def test_a_payload_validates_through_the_shared_components(publish: PublishFn) -> None:
    """Accepts a good payload and refuses a bad nested field when the document is the resolution root."""
    document = _document(publish())
    schema = {**document["components"]["schemas"][ARRIVED], "components": document["components"]}
    validator = jsonschema.Draft7Validator(schema)
    assert list(validator.iter_errors({"visitor": {"name": "A", "badge": {"number": "7"}}})) == []
    errors = list(validator.iter_errors({"visitor": {"name": "A", "badge": {"number": 7}}}))
    assert [list(e.absolute_path) for e in errors] == [["visitor", "badge"]]
    assert ["visitor", "badge", "number"] in [list(c.absolute_path) for c in errors[0].context or []]


def test_the_diff_follows_references_into_shared_components(publish: PublishFn) -> None:
    """Reports a field removed from a nested component under each payload that uses it."""
    report = spec.diff(publish(), publish(with_badge=False))
    found = {(c.path, c.what) for c in report.changes}
    assert (f"/channels/{ARRIVED}/payload/properties/visitor/properties/badge", "field removed") in found
    assert not report.ok


def test_the_diff_follows_references_into_nested_definitions(publish: PublishFn) -> None:
    """Reports a field removed from a model nested in a schema, though the reference reads the same."""
    report = spec.diff(publish(), publish(with_badge=False))
    change = {(c.artifact, c.path): c for c in report.changes}[
        ("schema:govparts.visits.Arrived", "/properties/visitor/properties/badge")
    ]
    assert (change.what, change.breaking) == ("field removed", True)
