"""The finance conformance suite: catalogue coverage and the mutation self-test."""

from __future__ import annotations

from govparts.conformance import check_catalogue_coverage, run_conformance, run_selftest
from govparts.finance.conformance import CATALOGUE
from govparts.finance.part import PART
from govparts.finance.service import reference_factory


def test_catalogue_is_covered() -> None:
    """Covers every MUST requirement of the catalogue with at least one check."""
    check_catalogue_coverage(PART).raise_for_problems()
    assert len(CATALOGUE.requirements) >= 30


def test_reference_conforms() -> None:
    """Passes every requirement on the reference service."""
    statement = run_conformance("finance", reference_factory)
    failing = [(r.id, r.result, r.message) for r in statement.requirements if r.result != "pass"]
    assert statement.conforms, failing


def test_every_mutant_is_killed_by_the_rule_it_breaks() -> None:
    """Kills each of the mutants through the requirement it declares it breaks."""
    report = run_selftest(PART)
    problems = [(m.name, m.missed, m.errors) for m in report.mutants if not m.ok]
    assert report.ok, (problems, report.problems)
    assert len(report.mutants) >= 10
