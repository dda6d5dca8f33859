"""The finance part's descriptor resolves everything it names."""

from __future__ import annotations

from govparts.core import events
from govparts.core.parts import get_part
from govparts.core.process import ProcessSpec


def test_descriptor_loads_every_reference() -> None:
    """Resolves models, processes, events, suite, mutants, demo and migrations of the installed part."""
    part = get_part("finance")
    for name in (
        "models",
        "processes",
        "events",
        "requirements",
        "conformance",
        "service_protocol",
        "reference_factory",
        "mutants",
        "demo",
    ):
        assert part.load(name) is not None, name
    assert all(isinstance(spec, ProcessSpec) for spec in part.load("processes"))
    types = {entry["type"] for entry in events.catalogue([part])}
    assert types == {"cn.govparts.finance.voucher.posted.v1", "cn.govparts.finance.reimbursement.paid.v1"}
