"""Each part's golden corpus: every case reaches its declared verdict with govparts' own validators.

A part offers its corpus as ``govparts.<part>.golden:GOLDEN`` (wired through
``Part.extras["golden"]``). These tests read it directly, whether wired yet or not, check every case
with :func:`govparts.core.spec.check_golden`, and publish it through a copy of the part's descriptor
that names it, as ``govparts spec build`` will.
"""

from __future__ import annotations

import ast
import dataclasses
import json
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from govparts.core import errors, spec
from govparts.core.parts import Part, get_part, load_reference

PARTS = ("personnel", "attendance", "finance", "assets", "archives")
MIN_CASES = 12
MIN_INVALID = 6
CORE_CODES = {
    cls.code
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.GovPartsError) and "code" in vars(cls)
}


def _corpus(part: str) -> list[dict[str, Any]]:
    cases = load_reference(f"govparts.{part}.golden:GOLDEN")
    assert isinstance(cases, list)
    return cases


def _models(part: str) -> dict[str, Any]:
    return spec.published_models(get_part(part))


def _wired(part: str) -> Part:
    """The part's descriptor with ``extras["golden"]`` naming its corpus."""
    descriptor = get_part(part)
    extras = {**descriptor.extras, "golden": f"govparts.{part}.golden:GOLDEN"}
    return dataclasses.replace(descriptor, extras=extras)


def _label(case: Mapping[str, Any]) -> str:
    expected = "valid" if case["valid"] else f"{case['error_code']}@{case['field']}"
    return f"{case['model']} expects {expected}"


@pytest.mark.parametrize("part", PARTS)
def test_every_case_reaches_its_declared_verdict(part: str) -> None:
    """Accepts every valid case and refuses every invalid one with its declared code on its field."""
    models = _models(part)
    disagreements = []
    for number, case in enumerate(_corpus(part)):
        verdict = spec.check_golden(case, models)
        if not verdict.agrees:
            disagreements.append((number, _label(case), verdict.valid, verdict.error_codes))
    assert disagreements == []


@pytest.mark.parametrize("part", PARTS)
def test_corpus_has_enough_cases_mostly_invalid(part: str) -> None:
    """Holds at least twelve cases, at least six of them and at least half invalid."""
    cases = _corpus(part)
    invalid = [case for case in cases if not case["valid"]]
    assert len(cases) >= MIN_CASES
    assert len(invalid) >= MIN_INVALID
    assert 2 * len(invalid) >= len(cases)


@pytest.mark.parametrize("part", PARTS)
def test_cases_have_the_published_shape(part: str) -> None:
    """Gives each case a published model and a verdict; each invalid one a known error code and a field."""
    models = _models(part)
    for case in _corpus(part):
        assert set(case) <= {"model", "record", "valid", "error_code", "field", "note"}, case
        assert case["model"] in models, case["model"]
        assert isinstance(case["valid"], bool)
        if case["valid"]:
            assert "error_code" not in case, _label(case)
            assert "field" not in case, _label(case)
        else:
            assert case["error_code"] in CORE_CODES, _label(case)
            assert isinstance(case["field"], str), _label(case)
            assert case["field"], _label(case)
            assert case.get("note"), _label(case)


@pytest.mark.parametrize("part", PARTS)
def test_cases_are_distinct_json(part: str) -> None:
    """Holds no case twice and only records that survive JSON unchanged (the published file is JSON)."""
    cases = _corpus(part)
    assert json.loads(spec.canonical_json(cases)) == cases
    keys = [json.dumps([case["model"], case["record"]], sort_keys=True) for case in cases]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("part", PARTS)
def test_corpus_covers_several_models(part: str) -> None:
    """Covers at least three published models and holds at least two valid records."""
    cases = _corpus(part)
    assert len({case["model"] for case in cases}) >= 3
    assert sum(case["valid"] for case in cases) >= 2


@pytest.mark.parametrize("part", PARTS)
def test_corpus_imports_only_core_and_its_own_part(part: str) -> None:
    """Imports nothing of another part: a corpus stands with core and its own part alone."""
    found = find_spec(f"govparts.{part}.golden")
    assert found is not None
    assert found.origin is not None
    tree = ast.parse(Path(found.origin).read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    foreign = [
        name
        for name in imported
        if name.startswith("govparts")
        and name.split(".")[:2] not in (["govparts", "core"], ["govparts", part])
    ]
    assert foreign == []


@pytest.mark.parametrize("part", PARTS)
def test_publication_carries_the_corpus(part: str) -> None:
    """Publishes ``golden/<part>.json`` with every case numbered, once the descriptor names the corpus."""
    artifacts = spec.collect([_wired(part)], include_core=False, contributors=[])
    golden = next(a for a in artifacts if a.id == f"golden:{part}")
    document = json.loads(golden.files[f"golden/{part}.json"])
    cases = _corpus(part)
    assert document["part"] == part
    assert [row["id"] for row in document["cases"]] == [f"{part}-{n:03d}" for n in range(1, len(cases) + 1)]
    assert [{k: v for k, v in row.items() if k != "id"} for row in document["cases"]] == cases


def test_checker_refuses_a_wrong_declaration() -> None:
    """Disagrees when an invalid case declares another field, so a corpus cannot pass by accident."""
    case = next(c for c in _corpus("personnel") if not c["valid"])
    verdict = spec.check_golden({**case, "field": "no_such_field"}, _models("personnel"))
    assert not verdict.valid
    assert not verdict.agrees
