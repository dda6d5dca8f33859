"""The assets part's conformance kit: catalogue coverage, the reference conforms, every mutant is killed."""

from __future__ import annotations

from govparts.assets.part import PART
from govparts.assets.service import reference_factory
from govparts.conformance import check_catalogue_coverage, run_conformance, run_selftest


def test_catalogue_is_covered() -> None:
    """Has a check for every MUST of the catalogue, and at least 25 requirements."""
    check_catalogue_coverage(PART).raise_for_problems()
    catalogue = PART.load("requirements")
    assert len(catalogue.requirements) >= 25


def test_reference_conforms() -> None:
    """Passes every requirement with the reference service."""
    statement = run_conformance("assets", reference_factory)
    failed = [(r.id, r.result, r.message) for r in statement.requirements if str(r.result) != "pass"]
    assert statement.conforms, failed
    assert failed == []


def test_selftest_kills_every_mutant() -> None:
    """Kills every mutant by the requirement it breaks (at least eight mutants)."""
    report = run_selftest(PART)
    mutants = [m for m in report.mutants if m.part == "assets"]
    assert len(mutants) >= 8
    assert report.ok, [m.to_dict() for m in mutants if not m.ok]
