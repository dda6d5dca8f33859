"""Events the personnel part emits, with their published payload models.

Consumers (attendance enrols on ``employee.hired`` and computes annual leave from
``first_employment_date``; assets and attendance act on ``employee.separated``; finance maps
``orgunit.changed`` to cost centres) read these payloads through their own tolerant readers.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from govparts.core import events
from govparts.core.refs import OrgUnitRef, PersonRef

__all__ = [
    "EMPLOYEE_HIRED",
    "EMPLOYEE_POST_CHANGED",
    "EMPLOYEE_SEPARATED",
    "EMPLOYEE_TRANSFERRED",
    "EVENT_TYPES",
    "ORGUNIT_CHANGED",
    "EmployeeHired",
    "EmployeePostChanged",
    "EmployeeSeparated",
    "EmployeeTransferred",
    "OrgUnitChanged",
]


def _config(standard_id: str) -> ConfigDict:
    return ConfigDict(
        frozen=True,
        extra="ignore",
        json_schema_extra={"x-standard-id": standard_id, "x-standard-version": "1.0"},
    )


class EmployeeHired(BaseModel):
    """A person was hired (录用/调入/选调) into a unit; ``first_employment_date`` drives annual leave."""

    model_config = _config("govparts.personnel.events.EmployeeHired")
    standard_id: ClassVar[str] = "govparts.personnel.events.EmployeeHired"

    person: PersonRef
    unit: OrgUnitRef
    effective_date: date
    """Date of joining the organisation (进入本单位时间)."""
    first_employment_date: date
    """Date of first employment (参加工作时间)."""
    category: str
    establishment: str
    hire_type: str


class EmployeeTransferred(BaseModel):
    """A person moved from one unit to another (调动)."""

    model_config = _config("govparts.personnel.events.EmployeeTransferred")
    standard_id: ClassVar[str] = "govparts.personnel.events.EmployeeTransferred"

    person: PersonRef
    from_unit: OrgUnitRef
    to_unit: OrgUnitRef
    effective_date: date
    document: str | None = None


class EmployeePostChanged(BaseModel):
    """A person was appointed to or removed from a post (任免); ``position_code`` ``None`` means removed."""

    model_config = _config("govparts.personnel.events.EmployeePostChanged")
    standard_id: ClassVar[str] = "govparts.personnel.events.EmployeePostChanged"

    person: PersonRef
    unit: OrgUnitRef
    position_code: str | None
    previous_position_code: str | None
    effective_date: date
    document: str


class EmployeeSeparated(BaseModel):
    """A person left the organisation (辞职/辞退/调出/退休/死亡) for ``reason``."""

    model_config = _config("govparts.personnel.events.EmployeeSeparated")
    standard_id: ClassVar[str] = "govparts.personnel.events.EmployeeSeparated"

    person: PersonRef
    unit: OrgUnitRef
    reason: str
    """A code of ``GOVPARTS 人事-离职原因-1.0``: 01 辞职, 02 辞退, 03 调出, 04 退休, 05 死亡."""
    effective_date: date


class OrgUnitChanged(BaseModel):
    """A unit was established, renamed or closed."""

    model_config = _config("govparts.personnel.events.OrgUnitChanged")
    standard_id: ClassVar[str] = "govparts.personnel.events.OrgUnitChanged"

    unit: OrgUnitRef
    change: Literal["established", "renamed", "closed"]
    parent_unit_code: str | None = None
    effective_date: date


EMPLOYEE_HIRED = events.EventType(
    "cn.govparts.personnel.employee.hired.v1",
    EmployeeHired,
    {"zh_Hans_CN": "人员已录用（调入）", "en": "A person was hired", "ug_CN": "خادىم ئىشقا ئېلىندى"},
)
EMPLOYEE_TRANSFERRED = events.EventType(
    "cn.govparts.personnel.employee.transferred.v1",
    EmployeeTransferred,
    {"zh_Hans_CN": "人员已调动", "en": "A person was transferred", "ug_CN": "خادىم يۆتكەلدى"},
)
EMPLOYEE_POST_CHANGED = events.EventType(
    "cn.govparts.personnel.employee.post_changed.v1",
    EmployeePostChanged,
    {"zh_Hans_CN": "人员职务已任免", "en": "A person's post changed", "ug_CN": "خادىمنىڭ ۋەزىپىسى ئۆزگەردى"},
)
EMPLOYEE_SEPARATED = events.EventType(
    "cn.govparts.personnel.employee.separated.v1",
    EmployeeSeparated,
    {"zh_Hans_CN": "人员已减员", "en": "A person left the organisation", "ug_CN": "خادىم ئورۇندىن ئايرىلدى"},
)
ORGUNIT_CHANGED = events.EventType(
    "cn.govparts.personnel.orgunit.changed.v1",
    OrgUnitChanged,
    {"zh_Hans_CN": "内设机构已变更", "en": "An internal unit changed", "ug_CN": "ئىچكى ئاپپارات ئۆزگەردى"},
)
EVENT_TYPES = (
    EMPLOYEE_HIRED,
    EMPLOYEE_TRANSFERRED,
    EMPLOYEE_POST_CHANGED,
    EMPLOYEE_SEPARATED,
    ORGUNIT_CHANGED,
)
"""Every event type the part emits (registered in the catalogue on import)."""

events.register(*EVENT_TYPES)
