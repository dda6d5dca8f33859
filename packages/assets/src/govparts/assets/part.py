"""The descriptor that registers the state-owned assets part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="assets",
    version="0.1.0",
    title={"zh_Hans_CN": "国有资产", "en": "State-owned assets", "ug_CN": "دۆلەت مۈلكى"},
)
