"""The attendance part's golden corpus: example records and the verdict every conforming validator reaches.

Each case is ``{model, record, valid[, error_code, field, rejected_by, note]}`` (see
:func:`govparts.core.spec.golden_cases`): a valid record must be accepted; an invalid one must be
refused with ``error_code`` on ``field``. The cases cover what the models enforce record by record:
the identifiers in the person and unit references of an enrolment (GB 11643-1999 §6,
GB 32100-2015 §4.5), punches that carry their time zone (ISO 8601 offsets), time zone names of the
IANA database, the shape of shifts (periods in order, seasonal timetables starting on distinct
``MM-DD`` days, the core hours of flexible shifts), the bounds of grace and window minutes, and the
target of a shift assignment.

The people are invented: their identity numbers carry real Xinjiang county codes and valid check
characters.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GOLDEN"]

_ORG = "11650100MB00000016"
"""An invented government body in Ürümqi (authority 11), valid MOD 31-3 check character."""
_CITIZEN = "653101197501010010"
"""Born 1975-01-01 in 喀什市, sequence 001 (odd: a man), check character 0."""

_PERSON: dict[str, Any] = {
    "person_id": "E0001",
    "organization_credit_code": _ORG,
    "name": "买买提·艾力",
    "citizen_id": _CITIZEN,
}
_UNIT: dict[str, Any] = {"organization_credit_code": _ORG, "unit_code": "BGS", "name": "办公室"}

_SPLIT: dict[str, Any] = {
    "code": "XJ-SPLIT",
    "name": "新疆作息（分段）",
    "kind": "split",
    "timetables": [
        {
            "starts_on": "05-01",
            "periods": [{"start": "10:00", "end": "14:00"}, {"start": "16:00", "end": "20:00"}],
        },
        {
            "starts_on": "10-01",
            "periods": [{"start": "10:00", "end": "14:00"}, {"start": "15:30", "end": "19:30"}],
        },
    ],
    "grace_late_minutes": 5,
}


def _shift(**changes: Any) -> dict[str, Any]:
    """The split shift with ``changes``."""
    return {**_SPLIT, **changes}


_PUNCH = "govparts.attendance.Punch"

GOLDEN: list[dict[str, Any]] = [
    # --- enrolment and organisation settings ---
    {
        "model": "govparts.attendance.Enrolment",
        "record": {
            "person": _PERSON,
            "unit": _UNIT,
            "first_employment_date": "1996-08-01",
            "start_date": "2024-01-01",
        },
        "valid": True,
    },
    {
        "model": "govparts.attendance.Enrolment",
        "record": {
            "person": {**_PERSON, "citizen_id": "653101197501010011"},
            "unit": _UNIT,
            "first_employment_date": "1996-08-01",
            "start_date": "2024-01-01",
        },
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "person.citizen_id",
        "note": "GB 11643-1999 §6: the MOD 11-2 check character should be 0",
        "rejected_by": "govparts.core.ids.citizen_id:validate",
    },
    {
        "model": "govparts.attendance.Enrolment",
        "record": {
            "person": _PERSON,
            "unit": {**_UNIT, "organization_credit_code": "11650100MB00000017"},
            "first_employment_date": "1996-08-01",
            "start_date": "2024-01-01",
        },
        "valid": False,
        "error_code": "invalid-identifier",
        "field": "unit.organization_credit_code",
        "note": "GB 32100-2015 §4.5: the MOD 31-3 check character should be 6",
        "rejected_by": "govparts.core.ids.credit_code:validate",
    },
    {
        "model": "govparts.attendance.Enrolment",
        "record": {"person": _PERSON, "unit": _UNIT, "first_employment_date": "1996-08-01"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "start_date",
        "note": "an enrolment needs its start date",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.attendance.OrgSettings",
        "record": {"region": "650000", "timezone": "Asia/Shanghai", "two_level_approval": True},
        "valid": True,
    },
    {
        "model": "govparts.attendance.OrgSettings",
        "record": {"region": "650000", "timezone": "Asia/Xinjiang"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "timezone",
        "note": "no such IANA time zone (Xinjiang offices keep Asia/Shanghai, or Asia/Urumqi)",
        "rejected_by": "govparts.attendance:OrgSettings._zone",
    },
    {
        "model": "govparts.attendance.OrgSettings",
        "record": {"corrections_per_month": -1},
        "valid": False,
        "error_code": "invalid-input",
        "field": "corrections_per_month",
        "note": "a monthly allowance of punch corrections is not negative",
        "rejected_by": "schema",
    },
    # --- punches ---
    {
        "model": _PUNCH,
        "record": {"person_id": "E0001", "punched_at": "2024-03-04T09:58:00+08:00", "device": "GATE-1"},
        "valid": True,
    },
    {
        "model": _PUNCH,
        "record": {"person_id": "E0001", "punched_at": "2024-03-04T09:58:00"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "punched_at",
        "note": "ISO 8601: a punch time carries its UTC offset",
        "rejected_by": "schema",
    },
    {
        "model": _PUNCH,
        "record": {"person_id": "E0001", "punched_at": "2024-03-04 9:58"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "punched_at",
        "note": "ISO 8601: hours are written with two digits",
        "rejected_by": "schema",
    },
    {
        "model": _PUNCH,
        "record": {"person_id": "", "punched_at": "2024-03-04T09:58:00+08:00"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "person_id",
        "note": "a punch names its person",
        "rejected_by": "schema",
    },
    {
        "model": _PUNCH,
        "record": {"person_id": "E0001", "punched_at": "2024-03-04T09:58:00+08:00", "source": "app"},
        "valid": False,
        "error_code": "invalid-input",
        "field": "source",
        "note": "punch sources are device, manual and correction",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.attendance.PunchCorrectionIn",
        "record": {"person_id": "E0001", "punched_at": "2024-03-04T20:02:00+08:00", "reason": ""},
        "valid": False,
        "error_code": "invalid-input",
        "field": "reason",
        "note": "a punch correction (补卡) gives its reason",
        "rejected_by": "schema",
    },
    # --- shifts and assignments ---
    {"model": "govparts.attendance.Shift", "record": _shift(), "valid": True},
    {
        "model": "govparts.attendance.Shift",
        "record": _shift(
            code="DUTY",
            name="夜间值班",
            kind="duty",
            timetables=[{"periods": [{"start": "20:00", "end": "08:00"}]}],
        ),
        "valid": True,
    },
    {
        "model": "govparts.attendance.Shift",
        "record": _shift(timetables=[{"periods": [{"start": "20:00", "end": "08:00"}]}]),
        "valid": False,
        "error_code": "invalid-input",
        "field": "timetables.periods",
        "note": "only duty shifts cross midnight",
        "rejected_by": "govparts.attendance:Shift._consistent",
    },
    {
        "model": "govparts.attendance.Shift",
        "record": _shift(
            timetables=[
                {"starts_on": "05-01", "periods": [{"start": "10:00", "end": "19:00"}]},
                {"starts_on": "05-01", "periods": [{"start": "10:30", "end": "19:30"}]},
            ]
        ),
        "valid": False,
        "error_code": "invalid-input",
        "field": "timetables",
        "note": "two timetables cannot start on the same day",
        "rejected_by": "govparts.attendance:Shift._consistent",
    },
    {
        "model": "govparts.attendance.Shift",
        "record": _shift(
            kind="flexible",
            timetables=[{"periods": [{"start": "08:00", "end": "22:00"}]}],
            required_minutes=480,
        ),
        "valid": False,
        "error_code": "invalid-input",
        "field": "core_start",
        "note": "a flexible shift needs its core hours",
        "rejected_by": "govparts.attendance:Shift._consistent",
    },
    {
        "model": "govparts.attendance.Shift",
        "record": _shift(grace_late_minutes=241),
        "valid": False,
        "error_code": "invalid-input",
        "field": "grace_late_minutes",
        "note": "grace minutes run from 0 to 240",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.attendance.Shift",
        "record": _shift(timetables=[]),
        "valid": False,
        "error_code": "invalid-input",
        "field": "timetables",
        "note": "a shift has at least one timetable",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.attendance.ShiftAssignment",
        "record": {"shift_code": "XJ-SPLIT", "unit_code": "BGS", "valid_from": "2024-01-01"},
        "valid": True,
    },
    {
        "model": "govparts.attendance.ShiftAssignment",
        "record": {
            "shift_code": "XJ-SPLIT",
            "unit_code": "BGS",
            "person_id": "E0001",
            "valid_from": "2024-01-01",
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "unit_code",
        "note": "a shift goes to a unit or to a person, not both",
        "rejected_by": "govparts.attendance:ShiftAssignment._one_target",
    },
    {
        "model": "govparts.attendance.ShiftAssignment",
        "record": {
            "shift_code": "XJ-SPLIT",
            "person_id": "E0001",
            "valid_from": "2024-06-01",
            "valid_to": "2024-05-31",
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "valid_to",
        "note": "an assignment cannot end before it starts",
        "rejected_by": "govparts.attendance:ShiftAssignment._one_target",
    },
    # --- requests ---
    {
        "model": "govparts.attendance.LeaveRequestIn",
        "record": {
            "person_id": "E0001",
            "leave_type": "annual",
            "start_date": "2024-07-15",
            "end_date": "2024-07-19",
            "reason": "探亲",
        },
        "valid": True,
    },
    {
        "model": "govparts.attendance.LeaveRequestIn",
        "record": {
            "person_id": "E0001",
            "leave_type": "maternity",
            "start_date": "2024-07-15",
            "end_date": "2024-11-15",
            "babies": 0,
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "babies",
        "note": "a maternity leave counts at least one baby",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.attendance.LeaveRequestIn",
        "record": {
            "person_id": "E0001",
            "leave_type": "annual",
            "start_date": "15.07.2024",
            "end_date": "2024-07-19",
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "start_date",
        "note": "ISO 8601: dates are written YYYY-MM-DD",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.attendance.TripRequestIn",
        "record": {
            "person_id": "E0001",
            "kind": "training",
            "start_date": "2024-09-02",
            "end_date": "2024-09-06",
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "kind",
        "note": "trips are business_trip (出差) or official_outing (公出)",
        "rejected_by": "schema",
    },
    {
        "model": "govparts.attendance.DailyResult",
        "record": {
            "person_id": "E0001",
            "day": "2024-03-04",
            "unit_code": "BGS",
            "day_kind": "workday",
            "due": True,
            "status": "late",
            "shift_code": "XJ-SPLIT",
            "late_minutes": 12,
            "worked_minutes": 468,
        },
        "valid": True,
    },
    {
        "model": "govparts.attendance.DailyResult",
        "record": {
            "person_id": "E0001",
            "day": "2024-03-04",
            "unit_code": "BGS",
            "day_kind": "workday",
            "due": True,
            "status": "tardy",
        },
        "valid": False,
        "error_code": "invalid-input",
        "field": "status",
        "note": "day statuses are those of DayStatus (normal, late, left_early …)",
        "rejected_by": "schema",
    },
]
"""The attendance part's golden corpus: ``{model, record, valid[, error_code, field, note]}`` cases."""
