"""The part descriptor, its conformance suite, the self-test of its mutants, and the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from govparts.archives.demo import demo
from govparts.archives.service import reference_factory
from govparts.conformance import check_catalogue_coverage, run_conformance, run_selftest
from govparts.core import events
from govparts.core.parts import get_part


def test_descriptor_names_everything_it_publishes() -> None:
    """Loads every reference of the descriptor."""
    part = get_part("archives")
    for what in (
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
        assert part.load(what) is not None, what
    assert len(part.load("processes")) == 3
    assert {e["type"] for e in events.catalogue() if e["producer"] == "archives"} == {
        "cn.govparts.archives.document.issued.v1",
        "cn.govparts.archives.document.filed.v1",
    }


def test_catalogue_is_covered() -> None:
    """Has a check for every requirement, at least 30 of them."""
    part = get_part("archives")
    check_catalogue_coverage(part).raise_for_problems()
    assert len(part.load("requirements").requirements) >= 30
    assert len(part.load("mutants")) >= 10


def test_reference_conforms() -> None:
    """Passes every requirement of its own suite."""
    statement = run_conformance("archives", reference_factory)
    failing = [
        (r.id, r.result, r.message)
        for r in statement.requirements
        if str(getattr(r.result, "value", r.result)) != "pass"
    ]
    assert statement.conforms, failing
    assert failing == []


def test_every_mutant_is_killed_by_the_rule_it_breaks() -> None:
    """Kills each mutant of the reference with the requirement it breaks."""
    report = run_selftest(get_part("archives"))
    survivors = [(m.name, m.killed_by, m.missed) for m in report.mutants if not (m.killed and not m.missed)]
    assert report.ok, survivors


@pytest.mark.db
def test_demo_takes_a_notice_to_a_validated_bag(engine: Engine, tmp_path: Path) -> None:
    """Runs the demo: a notice numbered, filed and packaged, its bag re-imported with both digests."""
    figures = demo(engine, tmp_path)
    assert figures["document_number"] == "新档发〔2026〕1号"
    assert figures["states"][-1] == "issued"
    assert figures["archival_code"] == "X002-WS·2026-D30-BGS-0001"
    assert figures["bag_files"] == 3
    assert "sha256" in figures["bag_algorithms"]
    assert figures["search_hits"] == 1
    assert figures["audit_ok"]
