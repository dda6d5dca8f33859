"""govparts.core.spec: titles and field descriptions of published models in the three languages.

A part gives them in its ``extras["titles"]`` table (standard id -> title by locale and ``"fields"``)
or as class variables ``standard_title`` / ``standard_fields``; the publication writes them into the
schemas and the event catalogue as ``x-i18n``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, Field

from govparts.core import spec
from govparts.core.events import EventType
from govparts.core.parts import Part
from govparts.core.refs import PersonRef


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


class Period(BaseModel):
    """A stretch of leave (nested, not published on its own)."""

    start: str
    end: str


class LeaveRequest(BaseModel):
    """A request for leave (synthetic fixture)."""

    standard_id: ClassVar[str] = "govparts.texts.LeaveRequest"

    person: PersonRef
    period: Period
    days: int = Field(description="Working days asked for")
    reason: str


class Stamp(BaseModel):
    """A model whose own class variables carry its texts."""

    standard_id: ClassVar[str] = "govparts.texts.Stamp"
    standard_title: ClassVar[dict[str, str]] = _t("印章", "Seal", "تامغا")
    standard_fields: ClassVar[dict[str, dict[str, str]]] = {
        "holder": _t("保管人", "Keeper", "ساقلىغۇچى"),
    }

    holder: str
    shape: str


class LeaveTaken(BaseModel):
    """Payload of the fixture's event."""

    standard_id: ClassVar[str] = "govparts.texts.events.LeaveTaken"

    person_id: str
    days: int


REASON = _t("请假事由", "Reason for the leave", "رۇخسەت سەۋەبى")
TABLE: dict[str, dict[str, Any]] = {
    "govparts.texts.LeaveRequest": {
        **_t("请假申请", "Leave request", "رۇخسەت ئىلتىماسى"),
        "fields": {
            "person": _t("申请人", "Applicant", "ئىلتىماس قىلغۇچى"),
            "period": _t("请假期间", "Period of leave", "رۇخسەت مۇددىتى"),
            "days": _t("天数", "Days", "كۈن سانى"),
            "reason": REASON,
        },
    },
    "govparts.texts.Period": {
        **_t("期间", "Period", "مۇددەت"),
        "fields": {
            "start": _t("开始日期", "Start", "باشلىنىش ۋاقتى"),
            "end": _t("结束日期", "End", "ئاخىرلىشىش ۋاقتى"),
        },
    },
    "govparts.texts.Stamp": {
        **_t("公章", "Official seal", "رەسمىي تامغا"),
        "fields": {"holder": _t("持有人", "Holder", "ئىگىسى"), "shape": _t("形状", "Shape", "شەكلى")},
    },
    "govparts.texts.events.LeaveTaken": {
        **_t("已休假", "Leave taken", "رۇخسەت ئېلىندى"),
        "fields": {
            "person_id": _t("人员编号", "Person number", "خادىم نومۇرى"),
            "days": _t("天数", "Days", "كۈن سانى"),
        },
    },
}


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture part ``texts`` published with its table of texts."""
    module = ModuleType("govparts_spec_texts_fixture")
    module.MODELS = [LeaveRequest, Stamp]  # type: ignore[attr-defined]
    module.TITLES = TABLE  # type: ignore[attr-defined]
    module.EVENTS = [  # type: ignore[attr-defined]
        EventType(
            "cn.govparts.texts.leave.taken.v1", LeaveTaken, _t("已休假", "Leave was taken", "رۇخسەت ئېلىندى")
        ),
        EventType("cn.govparts.texts.stamp.made.v1", Stamp, _t("已刻章", "A seal was made", "تامغا ياسالدى")),
    ]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    part = Part(
        name="texts",
        version="1.0",
        title=_t("请假", "Leave", "رۇخسەت"),
        models=f"{module.__name__}:MODELS",
        events=f"{module.__name__}:EVENTS",
        extras={"titles": f"{module.__name__}:TITLES"},
    )
    out = tmp_path / "pub"
    spec.build(out, [part], include_core=False, contributors=[])
    return out


def _schema(root: Path, name: str) -> dict[str, Any]:
    return json.loads((root / f"schemas/texts/govparts.texts.{name}.schema.json").read_text(encoding="utf-8"))


def test_each_property_gets_its_description_in_three_languages(published: Path) -> None:
    """Writes the table's field texts as x-i18n.description on each property of the schema."""
    schema = _schema(published, "LeaveRequest")
    assert schema["x-i18n"]["title"] == _t("请假申请", "Leave request", "رۇخسەت ئىلتىماسى")
    assert {name: prop["x-i18n"]["description"] for name, prop in schema["properties"].items()} == {
        name: TABLE["govparts.texts.LeaveRequest"]["fields"][name]
        for name in ("person", "period", "days", "reason")
    }


def test_english_text_fills_a_missing_description_and_keeps_an_existing_one(published: Path) -> None:
    """Gives a property without a description the English text; leaves the model's own description."""
    properties = _schema(published, "LeaveRequest")["properties"]
    assert properties["reason"]["description"] == REASON["en"]
    assert properties["days"]["description"] == "Working days asked for"


def test_nested_models_are_described_by_their_own_entry_or_cores(published: Path) -> None:
    """Describes a $defs model from the part's table by class name, and core's PersonRef from core's."""
    definitions = _schema(published, "LeaveRequest")["$defs"]
    period = definitions["Period"]
    assert period["x-i18n"]["title"]["ug_CN"] == "مۇددەت"
    assert period["properties"]["end"]["x-i18n"]["description"]["zh_Hans_CN"] == "结束日期"
    person = definitions["PersonRef"]
    assert person["x-i18n"]["title"]["en"] == "Person reference"
    assert set(person["properties"]) == {"person_id", "organization_credit_code", "name", "citizen_id"}
    for prop in person["properties"].values():
        assert set(prop["x-i18n"]["description"]) == {"zh_Hans_CN", "en", "ug_CN"}


def test_class_variables_take_precedence_over_the_table(published: Path) -> None:
    """Uses standard_title and standard_fields before the table, and the table for the other fields."""
    schema = _schema(published, "Stamp")
    assert schema["x-i18n"]["title"] == _t("印章", "Seal", "تامغا")
    assert schema["properties"]["holder"]["x-i18n"]["description"]["en"] == "Keeper"
    assert schema["properties"]["shape"]["x-i18n"]["description"]["en"] == "Shape"


def test_event_payloads_in_the_catalogue_are_described(published: Path) -> None:
    """Describes each event payload schema of the AsyncAPI catalogue, class variables first."""
    document = json.loads((published / "events/texts.asyncapi.json").read_text(encoding="utf-8"))
    payload = document["components"]["schemas"]["cn_govparts_texts_leave_taken_v1"]
    assert payload["x-i18n"]["title"]["zh_Hans_CN"] == "已休假"
    assert payload["properties"]["days"]["x-i18n"]["description"]["ug_CN"] == "كۈن سانى"
    stamp = document["components"]["schemas"]["cn_govparts_texts_stamp_made_v1"]
    assert stamp["x-i18n"]["title"]["en"] == "Seal"
    assert stamp["properties"]["holder"]["x-i18n"]["description"]["en"] == "Keeper"


def test_a_model_without_texts_gets_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes no x-i18n at all where the part gives no texts, rather than an empty one."""
    module = ModuleType("govparts_spec_texts_bare")
    module.MODELS = [LeaveRequest]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    part = Part(
        name="texts", version="1.0", title=_t("请假", "Leave", "رۇخسەت"), models=f"{module.__name__}:MODELS"
    )
    spec.build(tmp_path / "pub", [part], include_core=False, contributors=[])
    schema = _schema(tmp_path / "pub", "LeaveRequest")
    assert "x-i18n" not in schema
    assert "x-i18n" not in schema["properties"]["reason"]
    assert "description" not in schema["properties"]["reason"]


def test_a_changed_field_description_is_editorial(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Classifies a reworded field description as editorial: the gate passes without a version bump."""
    fields = TABLE["govparts.texts.LeaveRequest"]["fields"]
    monkeypatch.setitem(
        fields, "reason", _t("请假原因", "Why the leave is asked for", "رۇخسەت سورىلىش سەۋەبى")
    )
    module = sys.modules["govparts_spec_texts_fixture"]
    part = Part(
        name="texts",
        version="1.0",
        title=_t("请假", "Leave", "رۇخسەت"),
        models=f"{module.__name__}:MODELS",
        events=f"{module.__name__}:EVENTS",
        extras={"titles": f"{module.__name__}:TITLES"},
    )
    spec.build(tmp_path / "reworded", [part], include_core=False, contributors=[])
    report = spec.diff(published, tmp_path / "reworded")
    assert report.changes
    assert {change.severity for change in report.changes} == {spec.Severity.EDITORIAL}
    assert report.ok
