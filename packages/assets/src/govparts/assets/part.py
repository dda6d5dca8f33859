"""The descriptor that registers the state-owned assets part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="assets",
    version="0.1.0",
    title={"zh_Hans_CN": "国有资产", "en": "State-owned assets", "ug_CN": "دۆلەت مۈلكى"},
    models="govparts.assets.models:MODELS",
    processes="govparts.assets.processes:PROCESSES",
    events="govparts.assets.events:EVENT_TYPES",
    requirements="govparts.assets.conformance:CATALOGUE",
    conformance="govparts.assets.conformance:SUITE",
    service_protocol="govparts.assets.service:AssetService",
    reference_factory="govparts.assets.service:reference_factory",
    mutants="govparts.assets.conformance.mutants:MUTANTS",
    demo="govparts.assets.demo:SCENARIO",
    migrations="govparts.assets.migrations",
    code_lists_package="govparts.assets",
    extras={
        "golden": "govparts.assets.golden:GOLDEN",
        "titles": "govparts.assets.titles:TITLES",
        "exchange": "govparts.assets.exchange:ADAPTERS",
    },
)
