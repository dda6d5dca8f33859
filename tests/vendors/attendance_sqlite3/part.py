"""The vendor's ``Part`` descriptor: its own service and demo, the published attendance contract."""

from govparts.core.parts import Part

PART = Part(
    name="attendance",
    version="0.1.0",
    title={
        "zh_Hans_CN": "考勤（第二厂商，sqlite3）",
        "en": "Attendance (second vendor, sqlite3)",
        "ug_CN": "ئىشقا كېلىش (ئىككىنچى تەمىنلىگۈچى، sqlite3)",
    },
    models="govparts.attendance.models:MODELS",
    events="govparts.attendance.events:EVENT_TYPES",
    requirements="govparts.attendance.conformance:CATALOGUE",
    conformance="govparts.attendance.conformance:SUITE",
    service_protocol="govparts.attendance.service:AttendanceService",
    reference_factory="attendance_sqlite3.service:vendor_factory",
    demo="attendance_sqlite3.demo:SCENARIO",
)
