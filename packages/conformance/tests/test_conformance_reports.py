"""Reports of a statement: JSON, JUnit XML, standalone HTML, plain text."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conformance_toy import mutants
from conformance_toy.conformance import CATALOGUE, SUITE
from conformance_toy.part import PART
from conformance_toy.service import make_service

from govparts.conformance import (
    Catalogue,
    ConformanceStatement,
    Level,
    Requirement,
    Suite,
    check_catalogue_coverage,
    run_conformance,
    run_selftest,
    selftest_to_json,
    statement_to_html,
    statement_to_json,
    statement_to_junit,
    statement_to_text,
    verifies,
    write_statement,
)
from govparts.conformance._labels import BCP47
from govparts.conformance._reports import coverage_to_json, coverage_to_text, selftest_to_text
from govparts.core.errors import ConfigurationError


class WithoutCancellation(mutants.ApprovesTwice):
    features = frozenset()


@pytest.fixture(scope="module")
def failing() -> ConformanceStatement:
    """A statement with pass, fail, skip and omit in it."""
    return run_conformance(SUITE, WithoutCancellation, target="vendor.app:make_service")


def test_json_has_the_documented_shape(failing: ConformanceStatement) -> None:
    """Lists requirements as objects with id, level and result, beside the run's facts."""
    data = json.loads(json.dumps(statement_to_json(failing)))
    assert data["format"] == "govparts-conformance-statement/1"
    assert {k: data[k] for k in ("part", "version", "target", "conforms")} == {
        "part": "leave-toy",
        "version": "1.0",
        "target": "vendor.app:make_service",
        "conforms": False,
    }
    assert data["spec_hash"] == CATALOGUE.fingerprint()
    assert data["kit_version"] == failing.kit_version
    assert data["capabilities"] == {"part": "leave-toy", "version": "1.0", "features": []}
    assert [(r["id"], r["level"], r["result"]) for r in data["requirements"]] == [
        ("LVE-001", "MUST", "pass"),
        ("LVE-002", "MUST", "pass"),
        ("LVE-003", "MUST", "fail"),
        ("LVE-004", "MUST", "pass"),
        ("LVE-005", "SHOULD", "pass"),
        ("LVE-006", "MAY", "omit"),
        ("LVE-007", "SHOULD", "skip"),
    ]
    third = data["requirements"][2]
    assert third["statement"]["ug_CN"] == CATALOGUE["LVE-003"].statement["ug_CN"]
    assert third["checks"][0]["name"] == "approves_once"
    assert third["checks"][0]["origin"] == "kit"
    assert third["checks"][0]["result"] == "fail"
    assert data["totals"]["MUST"] == {"pass": 3, "fail": 1, "skip": 0, "omit": 0, "error": 0}


def test_junit_parses_with_one_case_per_requirement(failing: ConformanceStatement) -> None:
    """Writes JUnit XML that xml.etree parses: failures, typed skips, counts and properties."""
    root = ET.fromstring(statement_to_junit(failing))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "7",
        "1",
        "0",
        "2",
    )
    properties = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert properties["spec_hash"] == CATALOGUE.fingerprint()
    assert properties["conforms"] == "false"
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [f"LVE-00{i}" for i in range(1, 8)]
    failure = cases["LVE-003"].find("failure")
    assert failure is not None
    assert "TransitionNotAllowed" in (failure.get("message") or "")
    omitted = cases["LVE-006"].find("skipped")
    skipped = cases["LVE-007"].find("skipped")
    assert omitted is not None
    assert omitted.get("type") == "omit"
    assert skipped is not None
    assert skipped.get("type") == "skip"
    assert cases["LVE-001"].find("failure") is None
    assert cases["LVE-001"].get("classname") == "leave-toy.MUST"


def test_junit_reports_kit_errors_as_errors() -> None:
    """Marks a requirement whose check broke in the kit with an error element."""

    @verifies("LVE-001")
    def buggy(service: object) -> None:
        raise LookupError("fixture table empty")

    root = ET.fromstring(statement_to_junit(run_conformance(Suite(CATALOGUE, [buggy]), make_service)))
    case = root.find("testsuite/testcase[@name='LVE-001']")
    assert case is not None
    error = case.find("error")
    assert error is not None
    assert "fixture table empty" in (error.get("message") or "")


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def test_html_marks_each_statement_with_its_language_and_direction(failing: ConformanceStatement) -> None:
    """Gives every statement its lang and dir, rtl for Uyghur, in all three locales."""
    html = statement_to_html(failing, "en")
    statements = [attrs for tag, attrs in _elements(html) if tag == "p" and attrs.get("class") == "statement"]
    assert len(statements) == 3 * len(CATALOGUE)
    assert {(a["lang"], a["dir"]) for a in statements} == {
        ("zh-Hans-CN", "ltr"),
        ("en", "ltr"),
        ("ug-Arab-CN", "rtl"),
    }
    assert CATALOGUE["LVE-001"].statement["ug_CN"] in html
    assert CATALOGUE["LVE-001"].statement["zh_Hans_CN"] in html


@pytest.mark.parametrize(
    ("locale", "lang", "direction", "heading"),
    [
        ("ug_CN", "ug-Arab-CN", "rtl", "ئۆلچەمگە ئۇيغۇنلۇق باياناتى"),
        ("zh_Hans_CN", "zh-Hans-CN", "ltr", "符合性声明"),
        ("en", "en", "ltr", "Conformance statement"),
    ],
)
def test_html_page_speaks_the_chosen_locale(
    failing: ConformanceStatement, locale: str, lang: str, direction: str, heading: str
) -> None:
    """Sets the page's lang and dir from the locale and writes its headings in that language."""
    html = statement_to_html(failing, locale)
    root = next(attrs for tag, attrs in _elements(html) if tag == "html")
    assert (root["lang"], root["dir"]) == (lang, direction)
    assert f"<h1>{heading} — leave-toy 1.0</h1>" in html
    first = next(attrs for tag, attrs in _elements(html) if tag == "p" and attrs.get("class") == "statement")
    assert first["lang"] == lang


def test_html_escapes_every_text() -> None:
    """Escapes markup in statements, sources and messages."""
    hostile = "<script>alert('x')</script>"
    catalogue = Catalogue(
        "test",
        "1.0",
        (
            Requirement(
                "TST-001",
                Level.MUST,
                {"zh_Hans_CN": hostile, "en": "A & B", "ug_CN": "ئا > ب"},
                "Rules <§1>",
            ),
        ),
    )

    @verifies("TST-001")
    def rude(service: object) -> None:
        raise AssertionError("<img src=x onerror=alert(1)>")

    html = statement_to_html(
        run_conformance(Suite(catalogue, [rude]), object, capabilities={"part": "test", "version": "1"})
    )
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "A &amp; B" in html
    assert "Rules &lt;§1&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_writes_by_suffix(tmp_path: Path, failing: ConformanceStatement) -> None:
    """Writes JSON, JUnit or HTML according to the file's suffix, and refuses others."""
    assert json.loads(write_statement(failing, tmp_path / "s.json").read_text("utf-8"))["conforms"] is False
    assert ET.parse(write_statement(failing, tmp_path / "s.xml")).getroot().tag == "testsuites"
    assert (
        write_statement(failing, tmp_path / "s.html", locale="ug")
        .read_text("utf-8")
        .startswith("<!DOCTYPE html>")
    )
    with pytest.raises(ConfigurationError) as caught:
        write_statement(failing, tmp_path / "s.txt")
    assert caught.value.field == "report"


def test_text_lists_requirements_and_verdict(failing: ConformanceStatement) -> None:
    """Prints one line per requirement, the failure's message and the verdict, in the locale asked for."""
    text = statement_to_text(failing, "zh_Hans_CN")
    assert "LVE-003  MUST    fail" in text
    assert "approves_once: expected TransitionNotAllowed" in text
    assert CATALOGUE["LVE-003"].statement["zh_Hans_CN"] in text
    assert text.rstrip().endswith("不符合")
    assert "\u2067" in statement_to_text(failing, "ug_CN")


def test_selftest_json_has_the_documented_shape() -> None:
    """Lists mutants as objects with part, name, killed and killed_by, and the verdict."""
    data = json.loads(json.dumps(selftest_to_json([run_selftest(PART)])))
    assert data["format"] == "govparts-conformance-selftest/1"
    assert data["ok"] is True
    assert data["parts"] == [
        {
            "part": "leave-toy",
            "spec_hash": CATALOGUE.fingerprint(),
            "seed": 0,
            "ok": True,
            "reference_conforms": True,
            "problems": [],
        }
    ]
    first = data["mutants"][0]
    assert {k: first[k] for k in ("part", "name", "killed", "killed_by")} == {
        "part": "leave-toy",
        "name": "accepts-zero-days",
        "killed": True,
        "killed_by": ["LVE-002"],
    }


def test_selftest_text_names_survivors() -> None:
    """Prints what killed each mutant and flags a survivor."""
    survivor = mutants.Mutant("inert", "changes nothing", make_service)
    report = run_selftest(SUITE, reference=make_service, mutants=[mutants.MUTANTS[0], survivor])
    text = selftest_to_text([report], "en")
    assert "accepts-zero-days: Killed by: LVE-002" in text
    assert "inert: Survived: a hole in the kit" in text
    assert text.rstrip().endswith("Self-test failed")
    assert selftest_to_text([], "en") == "No installed part publishes a conformance suite\n"


def test_coverage_outputs() -> None:
    """Renders the coverage table as JSON and text."""
    report = check_catalogue_coverage(PART)
    data = coverage_to_json([report])
    assert data["format"] == "govparts-conformance-coverage/1"
    assert data["parts"][0]["requirements"][6] == {
        "id": "LVE-007",
        "level": "SHOULD",
        "feature": None,
        "status": "not-tested",
        "checks": [],
        "negative_checks": [],
        "not_tested_reason": CATALOGUE["LVE-007"].not_tested_reason,
    }
    assert "LVE-002  MUST    tested      refuses_days_out_of_range" in coverage_to_text(report, "en")


def test_every_locale_has_an_html_language_tag() -> None:
    """Maps every supported locale to a BCP 47 tag for the lang attribute."""
    from govparts.core.i18n import SUPPORTED_LOCALES

    assert set(BCP47) == set(SUPPORTED_LOCALES)
