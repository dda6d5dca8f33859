"""Event envelopes (CloudEvents 1.0), event type names, payload schemas and the catalogue."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, Field

from govparts.core import events
from govparts.core.errors import ConfigurationError, InvalidInput, InvalidRecord, InvalidSpec, NotFound
from govparts.core.parts import Part

DESCRIPTION = {
    "zh_Hans_CN": "员工已入职",
    "en": "An employee was hired",
    "ug_CN": "خىزمەتچى ئىشقا ئېلىندى",
}


class EmployeeHired(BaseModel):
    """Payload of the synthetic hiring event."""

    employee_id: str
    org_unit: str
    start_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


HIRED = events.EventType("cn.govparts.cataloguetest.employee.hired.v1", EmployeeHired, DESCRIPTION)
PART_EVENTS = [
    HIRED,
    events.EventType(
        "cn.govparts.cataloguetest.employee.separated.v2",
        EmployeeHired,
        {"zh_Hans_CN": "员工已离职", "en": "An employee left", "ug_CN": "خىزمەتچى ئايرىلدى"},
    ),
]

DATA = {"employee_id": "e-1", "org_unit": "650102-hr", "start_date": "2024-03-01"}


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("cn.govparts.personnel.employee.hired.v1", ("personnel", "employee", "hired", 1)),
        (
            "cn.govparts.archives.document.number_allocated.v12",
            ("archives", "document", "number_allocated", 12),
        ),
    ],
)
def test_parses_event_type_names(name: str, parts: tuple[str, str, str, int]) -> None:
    """Splits cn.govparts.<part>.<entity>.<event>.v<N> into its parts."""
    assert tuple(events.parse_event_type(name)) == parts


@pytest.mark.parametrize(
    "name",
    [
        "com.example.employee.hired.v1",
        "cn.govparts.personnel.employee.hired",
        "cn.govparts.personnel.employee.hired.v0",
        "cn.govparts.Personnel.employee.hired.v1",
        "cn.govparts.personnel.hired.v1",
        "cn.govparts.personnel.employee.hired.v1.extra",
        "cn.govparts.personnel.employee-record.hired.v1",
    ],
)
def test_refuses_malformed_event_type_names(name: str) -> None:
    """Refuses a type name that does not follow cn.govparts.<part>.<entity>.<event>.v<N>."""
    with pytest.raises(InvalidInput) as caught:
        events.parse_event_type(name)
    assert caught.value.field == "type"
    with pytest.raises(InvalidSpec):
        events.EventType(name, EmployeeHired, DESCRIPTION)


def test_an_event_type_knows_its_part_version_and_schema() -> None:
    """Derives the producer and version from the name and publishes the payload's JSON Schema."""
    assert (HIRED.producer, HIRED.entity, HIRED.event, HIRED.version) == (
        "cataloguetest",
        "employee",
        "hired",
        1,
    )
    assert HIRED.source == "urn:govparts:cataloguetest"
    assert HIRED.description_in("ug_CN") == "خىزمەتچى ئىشقا ئېلىندى"
    schema = HIRED.json_schema()
    assert (
        schema["$id"] == HIRED.dataschema == "urn:govparts:schema:cn.govparts.cataloguetest.employee.hired.v1"
    )
    assert schema["required"] == ["employee_id", "org_unit", "start_date"]
    assert schema["properties"]["start_date"]["pattern"] == r"^\d{4}-\d{2}-\d{2}$"


def test_an_event_type_needs_three_descriptions_and_a_model() -> None:
    """Refuses a description missing a language, a wrong producer and a payload that is not a model."""
    with pytest.raises(InvalidSpec) as caught:
        events.EventType(HIRED.type, EmployeeHired, {"zh_Hans_CN": "员工已入职", "en": "Hired"})
    assert caught.value.field == "description"
    assert "ug_CN" in caught.value.message("en")
    with pytest.raises(InvalidSpec) as caught:
        events.EventType(HIRED.type, EmployeeHired, DESCRIPTION, producer="finance")
    assert caught.value.field == "producer"
    with pytest.raises(InvalidSpec) as caught:
        events.EventType(HIRED.type, dict, DESCRIPTION)  # type: ignore[arg-type]
    assert caught.value.field == "payload"


def test_builds_a_cloudevents_envelope() -> None:
    """Wraps a valid payload in a CloudEvents 1.0 envelope with the govparts attributes set."""
    event = HIRED.envelope(EmployeeHired(**DATA), subject="employee/e-1")
    assert event.specversion == "1.0"
    assert event.type == HIRED.type
    assert event.source == HIRED.source
    assert event.subject == "employee/e-1"
    assert event.datacontenttype == "application/json"
    assert event.dataschema == HIRED.dataschema
    assert event.data == DATA
    assert event.time is not None
    assert event.time.utcoffset() == timedelta(0)
    assert len(event.id) == 36


def test_the_json_format_round_trips_and_omits_absent_attributes() -> None:
    """Writes the CloudEvents JSON format without absent attributes and reads it back equal."""
    beijing = timezone(timedelta(hours=8))
    event = HIRED.envelope(
        DATA,
        subject="employee/e-1",
        id="evt-1",
        source="urn:vendor:hr-system",
        time=datetime(2024, 3, 1, 9, 0, tzinfo=beijing),
        extensions={"traceparent": "00-abc-def-01"},
    )
    data = json.loads(event.to_json())
    assert data["time"] == "2024-03-01T01:00:00Z"
    assert data["specversion"] == "1.0"
    assert data["traceparent"] == "00-abc-def-01"
    assert event.extensions == {"traceparent": "00-abc-def-01"}
    bare = events.CloudEvent(id="x", source="urn:s", type=HIRED.type)
    assert set(json.loads(bare.to_json())) == {"specversion", "id", "source", "type", "datacontenttype"}
    assert events.CloudEvent.from_json(event.to_json()) == event


def test_refuses_invalid_envelopes() -> None:
    """Reports malformed envelopes (missing id, bad extension names, naive times) as InvalidRecord."""
    with pytest.raises(InvalidRecord) as caught:
        events.CloudEvent.from_json(json.dumps({"specversion": "1.0", "source": "urn:s", "type": HIRED.type}))
    assert caught.value.errors[0].field == "id"
    for bad in (
        {"id": "x", "source": "urn:s", "type": HIRED.type, "Trace-Parent": "1"},
        {"id": "x", "source": "urn:s", "type": HIRED.type, "time": "2024-03-01T09:00:00"},
        {"id": "x", "source": "urn:s", "type": HIRED.type, "specversion": "0.3"},
        {"id": "x", "source": "urn:s", "type": "com.example.thing.happened"},
    ):
        with pytest.raises(InvalidRecord):
            events.CloudEvent.from_json(json.dumps(bad))


def test_refuses_data_that_does_not_fit_the_payload() -> None:
    """Reports payload fields that break the event type's model, naming each."""
    with pytest.raises(InvalidRecord) as caught:
        HIRED.envelope({"employee_id": "e-1", "start_date": "1 March"}, subject="employee/e-1")
    assert {error.field for error in caught.value.errors} == {"org_unit", "start_date"}
    assert caught.value.details["model"] == HIRED.type


def test_parses_the_payload_of_an_event() -> None:
    """Reads an event's data as the type's payload model, refusing events of another type."""
    event = HIRED.envelope(DATA, subject="employee/e-1")
    assert HIRED.parse(event) == EmployeeHired(**DATA)
    with pytest.raises(InvalidInput):
        PART_EVENTS[1].parse(event)


def test_registers_each_type_once() -> None:
    """Registers a type again harmlessly, refuses another definition under the same name."""
    events.register(HIRED)
    events.register(HIRED)
    assert events.get(HIRED.type) is HIRED
    other = events.EventType(HIRED.type, EmployeeHired, {**DESCRIPTION, "en": "Someone was hired"})
    with pytest.raises(ConfigurationError):
        events.register(other)
    with pytest.raises(NotFound):
        events.get("cn.govparts.cataloguetest.employee.promoted.v1")


def test_the_catalogue_lists_the_event_types_of_the_parts() -> None:
    """Lists every event type the parts publish, as plain data sorted by name."""
    part = Part(
        name="cataloguetest",
        version="0.1.0",
        title={"zh_Hans_CN": "目录测试", "en": "Catalogue test", "ug_CN": "مۇندەرىجە سىنىقى"},
        events=f"{__name__}:PART_EVENTS",
    )
    rows = events.catalogue(parts=[part])
    ours = [row for row in rows if row["producer"] == "cataloguetest"]
    assert [row["type"] for row in ours] == [
        "cn.govparts.cataloguetest.employee.hired.v1",
        "cn.govparts.cataloguetest.employee.separated.v2",
    ]
    row = ours[1]
    assert row["version"] == 2
    assert row["description"]["en"] == "An employee left"
    assert row["payload"] == f"{__name__}:EmployeeHired"
    assert row["schema"]["$id"] == row["dataschema"]
    assert json.dumps(rows)
    assert [row["type"] for row in rows] == sorted(row["type"] for row in rows)


def test_the_catalogue_refuses_a_part_publishing_something_else() -> None:
    """Names the part whose events reference does not lead to event types."""
    part = Part(name="broken", version="0.1.0", title={"zh_Hans_CN": "坏"}, events=f"{__name__}:DATA")
    with pytest.raises(ConfigurationError) as caught:
        events.catalogue(parts=[part])
    assert caught.value.field == "broken.events"
