"""Each part's golden corpus: every case reaches its declared verdict with govparts' own validators.

A part offers its corpus as ``govparts.<part>.golden:GOLDEN`` (wired through
``Part.extras["golden"]``). These tests read it directly, whether wired yet or not, check every case
with :func:`govparts.core.spec.check_golden`, and publish it through a copy of the part's descriptor
that names it, as ``govparts spec build`` will.

Each invalid case says what rejects it (``rejected_by``): ``"schema"`` when the published JSON
Schema does, else the rule beyond JSON Schema that does, as ``module:qualified.name``. An
independent validator, ``check-jsonschema`` (format checks on, as it runs by default), proves the
first kind against the published schemas and accepts every valid case and every rule-rejected one;
the traceback of govparts' refusal proves the named rule raised it.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from importlib.util import find_spec
from pathlib import Path
from types import CodeType
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

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


SCHEMA = "schema"
"""``rejected_by`` of a case the published JSON Schema rejects."""


def _corpus(part: str) -> list[dict[str, Any]]:
    reference = "govparts.core.spec._core:GOLDEN" if part == "core" else f"govparts.{part}.golden:GOLDEN"
    cases = load_reference(reference)
    assert isinstance(cases, list)
    return cases


def _models(part: str) -> dict[str, Any]:
    return spec.published_models(spec.core_part() if part == "core" else get_part(part))


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
        assert set(case) <= {"model", "record", "valid", "error_code", "field", "rejected_by", "note"}, case
        assert case["model"] in models, case["model"]
        assert isinstance(case["valid"], bool)
        if case["valid"]:
            assert "error_code" not in case, _label(case)
            assert "field" not in case, _label(case)
            assert "rejected_by" not in case, _label(case)
        else:
            assert case["error_code"] in CORE_CODES, _label(case)
            assert isinstance(case["field"], str), _label(case)
            assert case["field"], _label(case)
            assert case.get("note"), _label(case)
            assert case["rejected_by"] == SCHEMA or ":" in case["rejected_by"], _label(case)


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


# -- what rejects each invalid case ------------------------------------------------------------------


def _check_jsonschema() -> str:
    """The ``check-jsonschema`` command of the test environment (dependency group ``test``)."""
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which(
        "check-jsonschema"
    )
    if found is None:
        pytest.fail("check-jsonschema is not installed; it is in the test dependency group (uv sync)")
    return found


def _published_schemas(part: str) -> dict[str, bytes]:
    """The JSON Schema ``govparts spec build`` publishes for each model of ``part``, by standard id."""
    if part == "core":
        artifacts = spec.collect([], include_core=True, contributors=[])
    else:
        artifacts = spec.collect([get_part(part)], include_core=False, contributors=[])
    return {
        a.id.removeprefix("schema:"): next(iter(a.files.values()))
        for a in artifacts
        if a.kind == "schema" and a.part == part
    }


def _schema_verdicts(part: str, folder: Path) -> dict[int, bool]:
    """Whether ``check-jsonschema`` accepts each case of ``part`` against its published schema."""
    command = _check_jsonschema()
    schemas = _published_schemas(part)
    by_model: dict[str, dict[Path, int]] = {}
    for number, case in enumerate(_corpus(part)):
        record = folder / f"{part}-{number:03d}.json"
        record.write_text(json.dumps(case["record"], ensure_ascii=False), encoding="utf-8")
        by_model.setdefault(case["model"], {})[record] = number
    verdicts: dict[int, bool] = {}
    for model, records in sorted(by_model.items()):
        schema = folder / f"{model}.schema.json"
        schema.write_bytes(schemas[model])
        done = subprocess.run(
            [command, "--output-format", "json", "--schemafile", str(schema), *map(str, records)],
            capture_output=True,
            text=True,
            check=False,
        )
        result = json.loads(done.stdout)
        assert result.get("parse_errors", []) == [], result["parse_errors"]
        refused = {Path(error["filename"]) for error in result.get("errors", [])}
        verdicts.update({number: record not in refused for record, number in records.items()})
    return verdicts


@pytest.mark.parametrize("part", ["core", *PARTS])
def test_an_independent_validator_reaches_the_schema_verdicts(part: str, tmp_path: Path) -> None:
    """Accepts valid and rule-rejected cases and refuses schema-rejected ones, with check-jsonschema."""
    verdicts = _schema_verdicts(part, tmp_path)
    wrong = [
        (number, _label(case), "schema accepts" if verdicts[number] else "schema refuses")
        for number, case in enumerate(_corpus(part))
        if verdicts[number] != (case["valid"] or case["rejected_by"] != SCHEMA)
    ]
    assert wrong == []


def _raised_in(error: BaseException) -> Iterator[CodeType]:
    """The code of every frame an error and what it wraps passed through (pydantic keeps the cause)."""
    pending: list[BaseException | None] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        trace = current.__traceback__
        while trace is not None:
            yield trace.tb_frame.f_code
            trace = trace.tb_next
        if isinstance(current, ValidationError):
            for detail in current.errors():
                cause = (detail.get("ctx") or {}).get("error")
                pending.append(cause if isinstance(cause, BaseException) else None)
        pending.extend((current.__cause__, current.__context__))


def _rule_code(reference: str) -> CodeType:
    rule = load_reference(reference)
    function = inspect.unwrap(getattr(rule, "__func__", rule))
    code = getattr(function, "__code__", None)
    assert isinstance(code, CodeType), f"{reference} names no function"
    return code


@pytest.mark.parametrize("part", ["core", *PARTS])
def test_each_rule_rejected_case_is_refused_by_its_named_rule(part: str) -> None:
    """Refuses each case the schema lets through inside the rule the case names."""
    models = _models(part)
    wrong = []
    for number, case in enumerate(_corpus(part)):
        if case["valid"] or case["rejected_by"] == SCHEMA:
            continue
        model = models[case["model"]]
        try:
            TypeAdapter(model).validate_python(case["record"])
        except (ValidationError, errors.GovPartsError) as refusal:
            if _rule_code(case["rejected_by"]) not in set(_raised_in(refusal)):
                wrong.append((number, _label(case), case["rejected_by"]))
        else:
            wrong.append((number, _label(case), "accepted"))
    assert wrong == []


def test_the_independent_validator_checks_formats(tmp_path: Path) -> None:
    """Refuses a date-time without offset and a 25th hour: check-jsonschema checks formats as run here."""
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "string", "format": "date-time"}), encoding="utf-8")
    verdicts = {}
    for number, text in enumerate(
        ("2024-03-04T09:00:00+08:00", "2024-03-04T09:00:00", "2024-03-04T25:00:00Z")
    ):
        record = tmp_path / f"{number}.json"
        record.write_text(json.dumps(text), encoding="utf-8")
        done = subprocess.run(
            [_check_jsonschema(), "--schemafile", str(schema), str(record)],
            capture_output=True,
            text=True,
            check=False,
        )
        verdicts[text] = done.returncode
    assert verdicts == {"2024-03-04T09:00:00+08:00": 0, "2024-03-04T09:00:00": 1, "2024-03-04T25:00:00Z": 1}
