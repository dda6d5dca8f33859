"""The descriptor that registers the attendance part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="attendance",
    version="0.1.0",
    title={"zh_Hans_CN": "考勤", "en": "Attendance", "ug_CN": "ئىشقا كېلىش"},
    models="govparts.attendance.models:MODELS",
    processes="govparts.attendance.processes:PROCESSES",
    events="govparts.attendance.events:EVENT_TYPES",
    requirements="govparts.attendance.conformance:CATALOGUE",
    conformance="govparts.attendance.conformance:SUITE",
    service_protocol="govparts.attendance.service:AttendanceService",
    reference_factory="govparts.attendance.service:reference_factory",
    mutants="govparts.attendance.conformance._mutants:MUTANTS",
    demo="govparts.attendance.demo:SCENARIO",
    migrations="govparts.attendance.migrations",
    code_lists_package="govparts.attendance",
    extras={
        "golden": "govparts.attendance.golden:GOLDEN",
        "titles": "govparts.attendance.titles:TITLES",
        "exchange": "govparts.attendance.exchange:ADAPTERS",
    },
)
