"""The descriptor that registers the official documents and archives part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="archives",
    version="0.1.0",
    title={"zh_Hans_CN": "公文与档案", "en": "Official documents and archives", "ug_CN": "ھۆججەت ۋە ئارخىپ"},
)
