"""The personnel part's conformance catalogue, suite and mutants."""

import pytest
from sqlalchemy.engine import Engine

from govparts.conformance import check_catalogue_coverage, run_conformance, run_selftest
from govparts.core.db import metadata
from govparts.personnel.part import PART
from govparts.personnel.service import ReferenceService, reference_factory


def test_catalogue_is_covered() -> None:
    """Covers every MUST requirement of the catalogue with a check."""
    check_catalogue_coverage(PART).raise_for_problems()


def test_reference_conforms() -> None:
    """Passes every requirement with the reference implementation."""
    statement = run_conformance("personnel", reference_factory)
    failing = [(r.id, r.result, r.message) for r in statement.requirements if r.result != "pass"]
    assert statement.conforms, failing
    assert not failing, failing


def test_selftest_kills_every_mutant() -> None:
    """Kills every mutant with a check of the requirement it breaks."""
    report = run_selftest(PART)
    survivors = [(m.name, m.missed, m.errors) for m in report.mutants if not m.killed or m.missed]
    assert report.ok, (survivors, report.parts)


@pytest.mark.postgresql
def test_reference_conforms_on_postgresql(engine: Engine) -> None:
    """Passes every requirement with the reference implementation on PostgreSQL."""

    def factory() -> ReferenceService:
        metadata.drop_all(engine)
        metadata.create_all(engine)
        return ReferenceService(engine)

    statement = run_conformance("personnel", factory)
    failing = [(r.id, r.result, r.message) for r in statement.requirements if r.result != "pass"]
    assert statement.conforms, failing
    assert not failing, failing
