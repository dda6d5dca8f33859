"""The attendance conformance suite: complete, passed by the reference, and every mutant killed."""

from __future__ import annotations

from govparts.attendance.part import PART
from govparts.attendance.service import reference_factory
from govparts.conformance import check_catalogue_coverage, run_conformance, run_selftest


def test_catalogue_is_covered() -> None:
    """Has a check for every MUST requirement, and at least 30 requirements."""
    check_catalogue_coverage(PART).raise_for_problems()
    assert len(PART.load("requirements").requirements) >= 30


def test_reference_conforms() -> None:
    """Passes every requirement with the reference implementation."""
    statement = run_conformance("attendance", reference_factory)
    failing = [(r.id, r.message) for r in statement.requirements if r.result.value != "pass"]
    assert statement.conforms, failing


def test_every_mutant_is_killed_by_the_rule_it_breaks() -> None:
    """Kills each of at least 10 mutants through the requirement it declares it breaks."""
    report = run_selftest(PART)
    assert len(report.mutants) >= 10
    assert report.ok, [(m.name, m.missed, m.errors) for m in report.mutants if not m.ok]
