"""The descriptor that registers the personnel part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="personnel",
    version="0.1.0",
    title={"zh_Hans_CN": "人事", "en": "Personnel", "ug_CN": "كادىرلار"},
)
