"""The descriptor that registers the finance part under the ``govparts.parts`` entry point."""

from govparts.core.parts import Part

PART = Part(
    name="finance",
    version="0.1.0",
    title={"zh_Hans_CN": "财务", "en": "Finance", "ug_CN": "مالىيە"},
    models="govparts.finance.models:MODELS",
    processes="govparts.finance.processes:PROCESSES",
    events="govparts.finance.events:EVENT_TYPES",
    requirements="govparts.finance.conformance:CATALOGUE",
    conformance="govparts.finance.conformance:SUITE",
    service_protocol="govparts.finance.service:FinanceService",
    reference_factory="govparts.finance.service:reference_factory",
    mutants="govparts.finance.conformance.mutants:MUTANTS",
    demo="govparts.finance.demo:SCENARIO",
    migrations="govparts.finance.migrations",
    code_lists_package="govparts.finance",
    extras={
        "golden": "govparts.finance.golden:GOLDEN",
        "titles": "govparts.finance.titles:TITLES",
        "exchange": "govparts.finance.exchange:ADAPTERS",
    },
)
