"""The descriptor that registers the attendance part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="attendance",
    version="0.1.0",
    title={"zh_Hans_CN": "考勤", "en": "Attendance", "ug_CN": "ئىشقا كېلىش"},
)
