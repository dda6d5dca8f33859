"""Published formats that validators which check formats agree with: a time of day is wall-clock time.

RFC 3339 ``time`` (JSON Schema's ``format: time``) requires seconds and a UTC offset; a shift that
starts at ``"09:00"`` in the organisation's zone has neither. The publication states the ISO 8601
local time with a pattern instead.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from govparts.core import spec
from govparts.core.parts import Part


class Duty(BaseModel):
    """A duty with wall-clock hours (synthetic fixture)."""

    starts: time
    ends: time | None = None


def _schema() -> dict[str, Any]:
    part = Part(name="duty", version="1.0", title={"zh_Hans_CN": "值班", "en": "Duty", "ug_CN": "نۆۋەتچىلىك"})
    schema, _, _ = spec.model_schema("govparts.duty.Duty", Duty, part=part)
    return schema


def _validator() -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(
        _schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_a_time_of_day_is_published_as_a_pattern_not_rfc_3339_time() -> None:
    """Writes no ``format: time`` and the wall-clock pattern on required and optional times."""
    properties = _schema()["properties"]
    assert "format" not in properties["starts"]
    assert properties["starts"]["pattern"] == spec.WALL_CLOCK_TIME
    assert properties["ends"]["anyOf"][0] == {"type": "string", "pattern": spec.WALL_CLOCK_TIME}


@pytest.mark.parametrize("text", ["09:00", "00:00", "23:59", "08:30:15", "23:59:59.5"])
def test_wall_clock_times_pass_the_schema_and_govparts(text: str) -> None:
    """Accepts ISO 8601 local times, as the model does, with format checking on."""
    assert list(_validator().iter_errors({"starts": text})) == []
    assert Duty.model_validate({"starts": text}).starts == time.fromisoformat(text)


@pytest.mark.parametrize("text", ["24:00", "9:00", "09:60", "0900", "09:00+08:00", "09:00Z", ""])
def test_other_texts_fail_the_schema(text: str) -> None:
    """Refuses hours past 23, one-digit hours, basic format and a time with an offset."""
    errors = list(_validator().iter_errors({"starts": text}))
    assert [list(e.absolute_path) for e in errors] == [["starts"]]


def test_what_govparts_writes_matches_the_pattern() -> None:
    """Serialises a time of day in a form the published pattern accepts."""
    written = Duty(starts=time(9, 0), ends=time(17, 30, 5, 250000)).model_dump(mode="json")
    assert list(_validator().iter_errors(written)) == []
