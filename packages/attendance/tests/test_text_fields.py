"""Free text of the published models refuses NUL, control characters and bidi overrides, naming the field.

Issue 15.4: a name with NUL must never reach the database (on PostgreSQL the driver's error would print
the statement's parameters); it is refused first with an InvalidInput naming the field and the code
point, never echoing the value.
"""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from govparts.attendance import (
    Enrolment,
    LeaveRequestIn,
    OrgDayOverride,
    OrgSettings,
    Period,
    Shift,
    ShiftAssignment,
    Timetable,
    TripRequestIn,
)
from govparts.attendance.service import ReferenceService
from govparts.core.errors import InvalidInput, InvalidRecord, from_validation_error
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

pytestmark = pytest.mark.db

ORG = "91650100MA0000001U"
CLERK = Actor(
    id="K001", name="考勤员", roles=frozenset({"employee", "attendance_clerk", "approver"}), org=ORG
)
BAD = ("\x00", "\x07", "\u202e", "\u2066")


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(
    ("model", "field", "values"),
    [
        (Shift, "name", {"code": "DAY", "timetables": [{"periods": [{"start": "09:00", "end": "18:00"}]}]}),
        (OrgDayOverride, "source_doc", {"date": "2023-04-03", "kind": "rest_day", "name": "停电检修"}),
        (LeaveRequestIn, "reason", {"person_id": "E001", "leave_type": "sick", "start_date": "2023-04-03",
                                    "end_date": "2023-04-03"}),
        (TripRequestIn, "destination", {"person_id": "E001", "start_date": "2023-04-03",
                                        "end_date": "2023-04-03"}),
    ],
)  # fmt: skip
def test_text_fields_refuse_controls_naming_the_field(
    model: type, field: str, values: dict[str, object], bad: str
) -> None:
    """Refuses the character with an error naming the field and its code point, not the text."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate({**values, field: f"阿依古丽{bad}艾力"})
    error = from_validation_error(caught.value, model=model.__name__)
    fields = [e.field for e in error.errors] if isinstance(error, InvalidRecord) else [error.field]
    assert field in fields
    assert "阿依古丽" not in str(error)
    assert f"U+{ord(bad):04X}" in str(caught.value)


def test_a_punch_file_with_nul_is_refused_before_the_database(engine: Engine) -> None:
    """Refuses a device name with NUL as an InvalidRecord naming row and field; nothing is stored."""
    service = ReferenceService(engine)
    service.configure(CLERK, ORG, OrgSettings(region="650000"))
    data = "person_id,punched_at,device\nE001,2023-04-03T09:00:00+08:00,GATE\x001\n"
    with pytest.raises(InvalidInput) as caught:
        service.import_punches(CLERK, ORG, data, "csv")
    assert isinstance(caught.value, InvalidRecord)
    assert [e.field for e in caught.value.errors] == ["device"]
    assert "GATE" not in str(caught.value)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM attendance_punch")).scalar_one() == 0


def test_a_rejection_note_with_nul_is_refused(engine: Engine) -> None:
    """Refuses a rejection note with NUL naming note; the request stays submitted."""
    service = ReferenceService(engine)
    service.configure(CLERK, ORG, OrgSettings(region="650000"))
    service.define_shift(
        CLERK,
        ORG,
        Shift(
            code="DAY", name="常日班", timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),)
        ),
    )
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2023, 1, 1))
    )
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PersonRef(person_id="E001", organization_credit_code=ORG, name="王建国"),
            unit=OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室"),
            first_employment_date=date(2015, 3, 10),
            start_date=date(2023, 1, 1),
        ),
    )
    asked = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="sick", start_date=date(2023, 4, 3), end_date=date(2023, 4, 3)
        ),
    )
    boss = Actor(id="L001", name="科长", roles=frozenset({"approver"}), org=ORG)
    with pytest.raises(InvalidInput) as caught:
        service.reject(boss, ORG, asked.id, note="不同意\x00")
    assert caught.value.field == "note"
    assert service.get_request(CLERK, ORG, asked.id).state == "submitted"
