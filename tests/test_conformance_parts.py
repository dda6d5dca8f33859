"""Every installed part publishes a conformance suite that covers its MUSTs and kills its mutants.

This is the CI gate behind "a MUST with no test and no recorded not-tested reason fails CI" and
"a surviving mutant is a hole in the kit". The self-test itself (slow: every mutant runs the whole
suite) runs in each part's own tests, which this module checks are there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govparts.conformance import check_catalogue_coverage
from govparts.core.parts import Part, iter_parts

ROOT = Path(__file__).resolve().parents[1]
PARTS = list(iter_parts())


def test_parts_are_installed() -> None:
    """Installs every part of the workspace, so the checks below cover them all."""
    assert {p.name for p in PARTS} >= {"personnel", "attendance", "finance", "assets", "archives"}


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_part_publishes_its_conformance_material(part: Part) -> None:
    """Names its requirement catalogue, suite, service protocol, reference factory and mutants."""
    missing = [
        what
        for what in ("requirements", "conformance", "service_protocol", "reference_factory", "mutants")
        if getattr(part, what) is None
    ]
    assert not missing, f"{part.name} does not publish {missing}"


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_every_must_is_tested_or_says_why_not(part: Part) -> None:
    """Has a check (or a recorded not-tested reason) for every MUST of the part's catalogue."""
    if part.conformance is None:
        pytest.fail(f"{part.name} has no conformance suite")
    check_catalogue_coverage(part).raise_for_problems()


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_part_tests_its_own_mutants(part: Part) -> None:
    """Runs the mutation self-test in the part's own tests (so tox -e pkg-<part> proves it alone)."""
    tests = ROOT / "packages" / part.name / "tests"
    assert any("run_selftest(" in path.read_text(encoding="utf-8") for path in tests.rglob("test_*.py"))
