"""The descriptor that registers the personnel part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="personnel",
    version="0.1.0",
    title={"zh_Hans_CN": "人事", "en": "Personnel", "ug_CN": "كادىرلار"},
    models="govparts.personnel.models:PUBLISHED_MODELS",
    processes="govparts.personnel.processes:PROCESSES",
    events="govparts.personnel.events:EVENT_TYPES",
    requirements="govparts.personnel.conformance:CATALOGUE",
    conformance="govparts.personnel.conformance:SUITE",
    service_protocol="govparts.personnel.service:PersonnelService",
    reference_factory="govparts.personnel.service:reference_factory",
    mutants="govparts.personnel.conformance.mutants:MUTANTS",
    demo="govparts.personnel.demo:SCENARIO",
    migrations="govparts.personnel.migrations",
    code_lists_package="govparts.personnel",
    extras={
        "golden": "govparts.personnel.golden:GOLDEN",
        "titles": "govparts.personnel.titles:TITLES",
        "exchange": "govparts.personnel.exchange:ADAPTERS",
    },
)
