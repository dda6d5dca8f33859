"""The descriptor registering the official documents and archives part (entry point ``govparts.parts``)."""

from govparts.core.parts import Part

PART = Part(
    name="archives",
    version="0.1.0",
    title={"zh_Hans_CN": "公文与档案", "en": "Official documents and archives", "ug_CN": "ھۆججەت ۋە ئارخىپ"},
    models="govparts.archives.models:MODELS",
    processes="govparts.archives.processes:PROCESSES",
    events="govparts.archives.events:EVENT_TYPES",
    requirements="govparts.archives.conformance:CATALOGUE",
    conformance="govparts.archives.conformance:SUITE",
    service_protocol="govparts.archives.service:ArchivesService",
    reference_factory="govparts.archives.service:reference_factory",
    mutants="govparts.archives.conformance.mutants:MUTANTS",
    demo="govparts.archives.demo:SCENARIO",
    migrations="govparts.archives.migrations",
    code_lists_package="govparts.archives",
    extras={
        "golden": "govparts.archives.golden:GOLDEN",
        "titles": "govparts.archives.titles:TITLES",
        "exchange": "govparts.archives.exchange:ADAPTERS",
    },
)
