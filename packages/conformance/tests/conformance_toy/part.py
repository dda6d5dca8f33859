"""The toy part's descriptor, as a real part registers it under ``govparts.parts``."""

from govparts.core.parts import Part

PART = Part(
    name="leave-toy",
    version="1.0.0",
    title={"zh_Hans_CN": "请假（示例部件）", "en": "Leave (toy part)", "ug_CN": "رۇخسەت (ئۈلگە بۆلەك)"},
    requirements="conformance_toy.conformance:CATALOGUE",
    conformance="conformance_toy.conformance:SUITE",
    service_protocol="conformance_toy.service:LeaveService",
    reference_factory="conformance_toy.service:make_service",
    mutants="conformance_toy.mutants:MUTANTS",
)
