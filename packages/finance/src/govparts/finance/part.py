"""The descriptor that registers the finance part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="finance",
    version="0.1.0",
    title={"zh_Hans_CN": "财务", "en": "Finance", "ug_CN": "مالىيە"},
)
