"""Deliberately flawed variants of the toy part, for the kit's failure paths."""

from __future__ import annotations

from govparts.conformance import Catalogue, Mutant, Suite
from govparts.core.parts import Part

from .conformance import CATALOGUE, SUITE
from .mutants import MUTANTS
from .service import make_service

# A mutant that changes nothing survives every suite: the self-test must report it.
SURVIVORS = [*MUTANTS, Mutant("changes-nothing", "an unmodified copy of the reference", make_service)]

PART = Part(
    name="leave-toy",
    version="1.0.0",
    title={"en": "Leave (leaky)"},
    conformance="conformance_toy.conformance:SUITE",
    reference_factory="conformance_toy.service:make_service",
    mutants="conformance_toy.leaky:SURVIVORS",
)

# The toy catalogue with LVE-001's check removed: a MUST left uncovered.
UNCOVERED = Suite(CATALOGUE, [c for c in SUITE.checks if c.name != "records_a_submitted_request"])

# Another version of the catalogue than the suite tests.
OTHER_CATALOGUE = Catalogue("leave-toy", "1.1", CATALOGUE.requirements)
