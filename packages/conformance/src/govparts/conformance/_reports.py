"""Conformance statements and self-test reports as JSON, JUnit XML, standalone HTML and plain text.

The JSON shapes are stable (``format`` names their version); fields may be added, never renamed or
removed within a version.

``govparts-conformance-statement/1`` (``govparts conformance run --json``)::

    {"format": "govparts-conformance-statement/1",
     "part": "attendance", "version": "1.0", "spec_hash": "sha256:…", "kit_version": "0.1.0",
     "target": "vendor.app:make_service", "tested_at": "2024-05-01T08:00:00+00:00", "seed": 1234,
     "product": "Vendor HR 3.2", "profile": {"part": "attendance", "version": "1.0", "features": ["shifts"]},
     "capabilities": {"part": "attendance", "version": "1.0", "features": ["shifts"]},
     "conforms": false,
     "totals": {"MUST": {"pass": 11, "fail": 1, "skip": 0, "omit": 0, "error": 0}, "SHOULD": {…}, "MAY": {…}},
     "requirements": [
       {"id": "ATT-012", "level": "MUST", "result": "fail", "feature": null, "source": "…",
        "statement": {"zh_Hans_CN": "…", "en": "…", "ug_CN": "…"}, "message": null,
        "checks": [{"name": "…", "origin": "kit", "result": "fail", "message": "…", "duration": 0.003}]}]}

A statement signed by the integrator (``govparts conformance run --sign-key`` or ``conformance sign``)
carries one more member, ``signature`` (see :mod:`govparts.conformance._signed`).

``govparts-conformance-selftest/1`` (``govparts conformance selftest --json``)::

    {"format": "govparts-conformance-selftest/1", "kit_version": "0.1.0", "ok": false,
     "parts": [{"part": "attendance", "spec_hash": "sha256:…", "seed": 0, "ok": false,
                "reference_conforms": true,
                "problems": ["…"]}],
     "mutants": [{"part": "attendance", "name": "late-by-one-minute", "description": "…",
                  "killed": true, "killed_by": ["ATT-012"], "breaks": ["ATT-012"], "missed": [],
                  "errors": []}]}

``govparts-conformance-coverage/1`` (``govparts conformance coverage --json``)::

    {"format": "govparts-conformance-coverage/1", "ok": true,
     "parts": [{"part": "attendance", "ok": true, "problems": [],
                "requirements": [{"id": "ATT-012", "level": "MUST", "feature": null, "status": "tested",
                                  "checks": ["late_by_one_minute"], "not_tested_reason": null}]}]}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govparts.core.errors import ConfigurationError
from govparts.core.i18n import N_, direction, get_locale, isolate, normalize_locale

from ._labels import BCP47, label
from ._model import DOMAIN, STATEMENT_LOCALES, Level
from ._runner import CheckOutcome, ConformanceStatement, RequirementResult, Result, kit_version

if TYPE_CHECKING:
    from ._coverage import CoverageReport
    from ._selftest import SelftestReport

__all__ = [
    "COVERAGE_FORMAT",
    "SELFTEST_FORMAT",
    "STATEMENT_FORMAT",
    "coverage_to_json",
    "coverage_to_text",
    "failure_facts",
    "failure_label",
    "rerun_command",
    "selftest_to_json",
    "selftest_to_text",
    "statement_to_html",
    "statement_to_json",
    "statement_to_junit",
    "statement_to_text",
    "write_statement",
]

STATEMENT_FORMAT = "govparts-conformance-statement/1"
SELFTEST_FORMAT = "govparts-conformance-selftest/1"
COVERAGE_FORMAT = "govparts-conformance-coverage/1"

# The words of a failure's verdict (gettext: the kit's catalogs translate them).
_FAILURE_LABELS: dict[str, str] = {
    "check": N_("Check"),
    "what": N_("Compared"),
    "expected": N_("Expected"),
    "observed": N_("Observed"),
    "exception": N_("Exception raised by the implementation"),
    "step": N_("Step"),
    "scenario": N_("Scenario"),
    "seed": N_("Seed"),
    "rerun": N_("Rerun the same scenarios"),
    "location": N_("Where in the check"),
    "failures": N_("Failures"),
}


def failure_label(key: str, locale: str | None = None) -> str:
    """The word ``key`` of a failure's verdict in ``locale`` (default: the current locale)."""
    return DOMAIN.gettext(_FAILURE_LABELS[key], locale)


def rerun_command(statement: ConformanceStatement) -> str:
    """The command that reruns the statement's scenarios: ``govparts conformance run --part P …``."""
    if statement.target == "reference":
        target = "--reference"
    else:
        target = f"--target {statement.target or 'MODULE:FACTORY'}"
    seed = "" if statement.seed is None else f" --seed {statement.seed}"
    return f"govparts conformance run --part {statement.part} {target}{seed}"


def _scenario_text(scenario: Any) -> str:
    return ", ".join(f"{key}={value}" for key, value in dict(scenario).items()) if scenario else "-"


def failure_facts(
    outcome: CheckOutcome, statement: ConformanceStatement, locale: str | None = None
) -> list[tuple[str, str, str]]:
    """What a vendor needs to act on a failed (or erroneous) check: ``(key, label, value)`` rows.

    The check, what was compared with the expected and observed values, the exception the
    implementation raised and the step it raised in, the scenario, the seed with the command that
    reruns it, and where in the check it failed. Rows without a value are left out; labels are in
    ``locale``, values as the kit recorded them.
    """
    facts: list[tuple[str, str | None]] = [("check", outcome.check)]
    if outcome.exception is not None:
        raised = outcome.exception
        facts.append(("exception", f"{raised.type}: {raised.message}"))
        facts.append(("step", raised.step or raised.call))
    else:
        facts.append(("what", outcome.what))
        facts.append(("expected", outcome.expected))
        facts.append(("observed", outcome.observed))
        facts.append(("step", outcome.step))
    facts.append(("scenario", _scenario_text(outcome.scenario)))
    seed = outcome.seed if outcome.seed is not None else statement.seed
    facts.append(("seed", None if seed is None else str(seed)))
    facts.append(("rerun", rerun_command(statement)))
    facts.append(("location", outcome.location))
    return [(key, failure_label(key, locale), value) for key, value in facts if value]


def _failed(outcome: CheckOutcome) -> bool:
    return outcome.result in (Result.FAIL, Result.ERROR) and outcome.origin == "kit"


def statement_to_json(statement: ConformanceStatement) -> dict[str, Any]:
    """The statement in the ``govparts-conformance-statement/1`` shape (see the module docstring)."""
    return {
        "format": STATEMENT_FORMAT,
        "part": statement.part,
        "version": statement.version,
        "spec_hash": statement.spec_hash,
        "kit_version": statement.kit_version,
        "target": statement.target,
        "tested_at": statement.tested_at.isoformat(),
        "seed": statement.seed,
        "product": statement.product or statement.target,
        "profile": {
            "part": statement.part,
            "version": statement.version,
            "features": sorted(statement.capabilities.features),
        },
        "capabilities": statement.capabilities.to_dict(),
        "conforms": statement.conforms,
        "totals": statement.totals,
        "requirements": [
            {
                "id": item.id,
                "level": item.level.value,
                "result": item.result.value,
                "feature": item.requirement.feature,
                "source": item.requirement.source,
                "statement": dict(item.requirement.statement),
                "message": item.message,
                "checks": [
                    {**outcome.to_dict(), "rerun": rerun_command(statement)}
                    if _failed(outcome)
                    else outcome.to_dict()
                    for outcome in item.checks
                ],
            }
            for item in statement.requirements
        ],
    }


def selftest_to_json(reports: Sequence[SelftestReport]) -> dict[str, Any]:
    """Self-test reports of one or more parts in the ``govparts-conformance-selftest/1`` shape."""
    return {
        "format": SELFTEST_FORMAT,
        "kit_version": kit_version(),
        "ok": all(report.ok for report in reports),
        "parts": [
            {
                "part": report.part,
                "spec_hash": report.spec_hash,
                "seed": report.seed,
                "ok": report.ok,
                "reference_conforms": report.reference.conforms,
                "problems": list(report.problems),
            }
            for report in reports
        ],
        "mutants": [mutant.to_dict() for report in reports for mutant in report.mutants],
    }


def coverage_to_json(reports: Sequence[CoverageReport]) -> dict[str, Any]:
    """Coverage tables of one or more parts: ``{"format", "ok", "parts": [CoverageReport.to_dict()...]}``."""
    return {
        "format": COVERAGE_FORMAT,
        "ok": all(report.ok for report in reports),
        "parts": [report.to_dict() for report in reports],
    }


def statement_to_junit(statement: ConformanceStatement) -> str:
    """The statement as JUnit XML: one ``testcase`` per requirement, ``skipped`` typed skip or omit."""
    from xml.etree import ElementTree as ET

    totals = {result: sum(1 for r in statement.requirements if r.result is result) for result in Result}
    duration = sum(o.duration for r in statement.requirements for o in r.checks)
    counts = {
        "tests": str(len(statement.requirements)),
        "failures": str(totals[Result.FAIL]),
        "errors": str(totals[Result.ERROR]),
        "skipped": str(totals[Result.SKIP] + totals[Result.OMIT]),
        "time": f"{duration:.6f}",
    }
    root = ET.Element("testsuites", {"name": "govparts conformance", **counts})
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": f"govparts-conformance.{statement.part}",
            "timestamp": statement.tested_at.isoformat(),
            **counts,
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("part", statement.part),
        ("version", statement.version),
        ("spec_hash", statement.spec_hash),
        ("kit_version", statement.kit_version),
        ("target", statement.target or ""),
        ("seed", "" if statement.seed is None else str(statement.seed)),
        ("features", ",".join(sorted(statement.capabilities.features))),
        ("conforms", "true" if statement.conforms else "false"),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for item in statement.requirements:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"{statement.part}.{item.level.value}",
                "name": item.id,
                "time": f"{sum(o.duration for o in item.checks):.6f}",
            },
        )
        case_properties = ET.SubElement(case, "properties")
        ET.SubElement(case_properties, "property", {"name": "level", "value": item.level.value})
        ET.SubElement(case_properties, "property", {"name": "result", "value": item.result.value})
        message = item.detail or ""
        verdict = _junit_verdict(item, statement)
        if item.result is Result.FAIL:
            ET.SubElement(case, "failure", {"type": "fail", "message": message}).text = verdict
        elif item.result is Result.ERROR:
            ET.SubElement(case, "error", {"type": "error", "message": message}).text = verdict
        elif item.result in (Result.SKIP, Result.OMIT):
            ET.SubElement(case, "skipped", {"type": item.result.value, "message": message})
        lines = [item.requirement.statement["en"]]
        lines += [
            f"{o.origin} {o.check}: {o.result.value}" + (f" — {o.message}" if o.message else "")
            for o in item.checks
        ]
        ET.SubElement(case, "system-out").text = "\n".join(lines)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_verdict(item: RequirementResult, statement: ConformanceStatement) -> str:
    """The failure's text in a JUnit report: the requirement and, per failed check, its facts (English)."""
    lines = [f"{item.id} ({item.level.value}): {item.requirement.statement['en']}"]
    for outcome in item.checks:
        if _failed(outcome):
            lines.append("")
            lines += [f"{label_}: {value}" for _, label_, value in failure_facts(outcome, statement, "en")]
    return "\n".join(lines)


_CSS = """
body { font-family: system-ui, "Noto Sans", "Noto Sans SC", "UKIJ Tuz Tom", sans-serif; margin: 2rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
th, td { border: 1px solid #bbb; padding: .35rem .5rem; text-align: start; vertical-align: top; }
dt { font-weight: bold; } dd { margin-inline-start: 1.5rem; }
.verdict { font-size: 1.25rem; font-weight: bold; }
.conforms { color: #0a6b2e; } .does-not-conform { color: #a4000f; }
.result-pass { background: #e7f6ec; } .result-fail { background: #fde8ea; }
.result-skip { background: #fff4d6; } .result-error { background: #f3e5ff; } .result-omit { color: #666; }
dl.failure { margin: .25rem 0 .5rem; font-size: .9em; } dl.failure dt { font-weight: normal; color: #555; }
p.statement { margin: .15rem 0; } p.statement:not(:first-child) { color: #555; font-size: .9em; }
""".strip()


def _code(value: str) -> str:
    return f'<code dir="ltr">{escape(value)}</code>'


def statement_to_html(statement: ConformanceStatement, locale: str | None = None) -> str:
    """A standalone HTML page of the statement, chrome in ``locale``, each requirement in all three locales.

    Every piece of text is escaped; each statement carries its own ``lang`` and ``dir`` (``rtl`` for
    Uyghur), identifiers and hashes are marked left-to-right so they read correctly on a Uyghur page.
    """
    loc = normalize_locale(locale) if locale else get_locale()
    order = [loc, *(other for other in STATEMENT_LOCALES if other != loc)]
    title = f"{label('statement', loc)} — {statement.part} {statement.version}"
    verdict_key = "conforms" if statement.conforms else "does_not_conform"
    features = ", ".join(sorted(statement.capabilities.features)) or label("none", loc)
    facts = [
        ("part", _code(statement.part)),
        ("version", _code(statement.version)),
        ("spec_hash", _code(statement.spec_hash)),
        ("kit_version", _code(statement.kit_version)),
        ("target", _code(statement.target or "-")),
        ("features", _code(features) if statement.capabilities.features else escape(features)),
        ("tested_at", _code(statement.tested_at.isoformat(timespec="seconds"))),
    ]
    if statement.seed is not None:
        facts.append(("seed", _code(str(statement.seed))))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{BCP47[loc]}" dir="{direction(loc)}">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style></head>",
        "<body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="verdict {verdict_key.replace("_", "-")}">{escape(label(verdict_key, loc))}</p>',
        "<dl>",
        *(f"<dt>{escape(_fact_label(key, loc))}</dt><dd>{value}</dd>" for key, value in facts),
        "</dl>",
        f"<h2>{escape(label('totals', loc))}</h2>",
        '<table class="totals"><thead><tr>',
        f"<th>{escape(label('level', loc))}</th>",
        *(f'<th class="result-{r.value}">{escape(label(r.value, loc))}</th>' for r in Result),
        "</tr></thead><tbody>",
    ]
    totals = statement.totals
    for level in Level:
        cells = "".join(f"<td>{totals[level.value][r.value]}</td>" for r in Result)
        out.append(f"<tr><th>{escape(label(level.value, loc))}</th>{cells}</tr>")
    out += [
        "</tbody></table>",
        f"<h2>{escape(label('requirement', loc))}</h2>",
        '<table class="requirements"><thead><tr>',
        *(
            f"<th>{escape(label(key, loc))}</th>"
            for key in ("requirement", "level", "result", "text", "source", "details")
        ),
        "</tr></thead><tbody>",
    ]
    for item in statement.requirements:
        texts = "".join(
            f'<p class="statement" lang="{BCP47[other]}" dir="{direction(other)}">'
            f"{escape(item.requirement.statement[other])}</p>"
            for other in order
        )
        details = [escape(item.message)] if item.message else []
        details += [
            f"{_code(o.check)} ({escape(o.origin)}): {escape(label(o.result.value, loc))}"
            + (f' — <span dir="auto">{escape(o.message)}</span>' if o.message else "")
            + (_html_failure(o, statement, loc) if _failed(o) else "")
            for o in item.checks
        ]
        out.append(
            f'<tr id="{escape(item.id)}" class="result-{item.result.value}">'
            f"<td>{_code(item.id)}</td>"
            f"<td>{escape(label(item.level.value, loc))}</td>"
            f"<td>{escape(label(item.result.value, loc))}</td>"
            f"<td>{texts}</td>"
            f'<td><span dir="auto">{escape(item.requirement.source)}</span></td>'
            f"<td>{'<br>'.join(details)}</td></tr>"
        )
    out += ["</tbody></table>", "</main></body></html>", ""]
    return "\n".join(out)


def _fact_label(key: str, loc: str) -> str:
    return failure_label(key, loc) if key in _FAILURE_LABELS else label(key, loc)


def _html_failure(outcome: CheckOutcome, statement: ConformanceStatement, loc: str) -> str:
    """A failed check's facts as a definition list (values left to right: code, data, commands)."""
    rows = "".join(
        f'<dt class="failure-{key}">{escape(name)}</dt>'
        + (
            f"<dd>{_code(value)}</dd>"
            if key in ("rerun", "seed", "check")
            else f'<dd><span dir="auto">{escape(value)}</span></dd>'
        )
        for key, name, value in failure_facts(outcome, statement, loc)
    )
    return f'<dl class="failure">{rows}</dl>'


def write_statement(statement: ConformanceStatement, path: str | Path, *, locale: str | None = None) -> Path:
    """Write the statement to ``path`` in the format of its suffix: ``.json``, ``.xml`` (JUnit), ``.html``."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".json":
        text = json.dumps(statement_to_json(statement), ensure_ascii=False, indent=2) + "\n"
    elif suffix == ".xml":
        text = statement_to_junit(statement)
    elif suffix in (".html", ".htm"):
        text = statement_to_html(statement, locale)
    else:
        raise ConfigurationError(
            N_("{field}: {got} does not end in .json, .xml or .html"),
            field="report",
            got=str(path),
            domain=DOMAIN,
        )
    target.write_text(text, encoding="utf-8")
    return target


def _local(text: str, loc: str) -> str:
    """``text`` isolated for a terminal line when the locale writes right to left."""
    return isolate(text, loc) if direction(loc) == "rtl" else text


def statement_to_text(statement: ConformanceStatement, locale: str | None = None) -> str:
    """The statement for a terminal: one line per requirement, totals and the verdict."""
    loc = normalize_locale(locale) if locale else get_locale()
    lines = [
        f"{_local(label('statement', loc), loc)}: {statement.part} {statement.version}",
        f"  {_local(label('spec_hash', loc), loc)}: {statement.spec_hash}",
        f"  {_local(label('kit_version', loc), loc)}: {statement.kit_version}",
        f"  {_local(label('target', loc), loc)}: {statement.target or '-'}",
        f"  {_local(failure_label('seed', loc), loc)}: "
        + ("-" if statement.seed is None else str(statement.seed)),
        f"  {_local(label('features', loc), loc)}: "
        + (", ".join(sorted(statement.capabilities.features)) or _local(label("none", loc), loc)),
        "",
    ]
    for item in statement.requirements:
        lines.append(
            f"{item.id}  {item.level.value:<6}  {item.result.value:<5}  "
            f"{_local(item.requirement.statement_in(loc), loc)}"
        )
        for outcome in item.checks:
            if outcome.result is not Result.PASS and outcome.message:
                lines.append(f"    {outcome.check}: {outcome.message}")
            if _failed(outcome):
                lines += [
                    f"      {_local(name, loc)}: {value}"
                    for key, name, value in failure_facts(outcome, statement, loc)
                    if key != "check"
                ]
        if item.message:
            lines.append(f"    {item.message}")
    lines.append("")
    lines.append(_local(label("totals", loc), loc) + ":")
    for level, counts in statement.totals.items():
        lines.append(f"  {level:<6} " + "  ".join(f"{name} {count}" for name, count in counts.items()))
    lines.append("")
    lines.append(_local(label("conforms" if statement.conforms else "does_not_conform", loc), loc))
    return "\n".join(lines) + "\n"


def selftest_to_text(reports: Sequence[SelftestReport], locale: str | None = None) -> str:
    """Self-test reports for a terminal: each mutant, what killed it, the problems and the verdict."""
    loc = normalize_locale(locale) if locale else get_locale()
    if not reports:
        return _local(label("no_parts", loc), loc) + "\n"
    lines = []
    for report in reports:
        lines.append(f"{_local(label('selftest', loc), loc)}: {report.part} ({report.spec_hash})")
        lines.append(f"  {_local(failure_label('seed', loc), loc)}: {report.seed}")
        for mutant in report.mutants:
            if mutant.killed:
                fate = f"{_local(label('killed_by', loc), loc)}: {', '.join(mutant.killed_by)}"
            else:
                fate = _local(label("survived", loc), loc)
            lines.append(f"  {mutant.name}: {fate}")
            if mutant.missed:
                lines.append(f"    {_local(label('missed', loc), loc)}: {', '.join(mutant.missed)}")
            if mutant.errors:
                lines.append(f"    {_local(label('error', loc), loc)}: {', '.join(mutant.errors)}")
        for problem in report.problems:
            lines.append(f"  {_local(label('problems', loc), loc)}: {problem}")
        lines.append("")
    ok = all(report.ok for report in reports)
    lines.append(_local(label("selftest_ok" if ok else "selftest_failed", loc), loc))
    return "\n".join(lines) + "\n"


_FIGURE_LABELS: dict[str, str] = {
    "requirements": N_("requirements"),
    "must": N_("MUST"),
    "checks": N_("checks"),
    "negative_checks": N_("negative checks"),
    "methods_reached": N_("methods reached"),
    "methods_refused": N_("methods refused to a wrong actor"),
    "run_seconds": N_("run time (s)"),
}
_METHOD_LABELS: dict[str, str] = {
    "method": N_("Method"),
    "calls": N_("checks calling it"),
    "refused": N_("refused an actor in"),
    "documented": N_("documented"),
    "yes": N_("yes"),
    "no": N_("no"),
}


def _word(table: dict[str, str], key: str, loc: str) -> str:
    return _local(DOMAIN.gettext(table[key], loc), loc)


def coverage_to_text(report: CoverageReport, locale: str | None = None) -> str:
    """The coverage table for a terminal: requirement, level, status, checks or reason; then, when the
    suite was run, each Protocol method (checks calling it, refusing an actor in, documented) and the
    figures."""
    loc = normalize_locale(locale) if locale else get_locale()
    lines = [f"{_local(label('coverage', loc), loc)}: {report.part}"]
    for row in report.rows:
        detail = ", ".join(row.checks) or row.requirement.not_tested_reason or "-"
        negative = f"  [-] {', '.join(row.negative_checks)}" if row.negative_checks else ""
        lines.append(
            f"{row.requirement.id}  {row.requirement.level.value:<6}  {row.status:<10}  {detail}{negative}"
        )
    if report.methods:
        lines.append("")
        width = max(len(m.name) for m in report.methods)
        head = [_word(_METHOD_LABELS, k, loc) for k in ("method", "calls", "refused", "documented")]
        width = max(width, len(head[0]))
        calls_width, refused_width = max(6, len(head[1])), max(6, len(head[2]))
        lines.append(f"{head[0]:<{width}}  {head[1]:>{calls_width}}  {head[2]:>{refused_width}}  {head[3]}")
        for method in report.methods:
            refused = str(len(method.refused_by)) if method.takes_actor else "-"
            yes_no = _word(_METHOD_LABELS, "yes" if method.documented else "no", loc)
            lines.append(
                f"{method.name:<{width}}  {len(method.called_by):>{calls_width}}  "
                f"{refused:>{refused_width}}  {yes_no}"
            )
    if report.figures:
        figures = dict(report.figures)
        shown = {
            **figures,
            "methods_reached": f"{figures.get('methods_reached', 0)}/{figures.get('methods', 0)}",
            "methods_refused": f"{figures.get('methods_refused', 0)}/{figures.get('methods_with_actor', 0)}",
        }
        lines.append("")
        lines.append(
            "  ".join(
                f"{_word(_FIGURE_LABELS, key, loc)}: {shown[key]}" for key in _FIGURE_LABELS if key in shown
            )
        )
    for problem in report.problems:
        lines.append(f"{_local(label('problems', loc), loc)}: {problem.message(loc)}")
    return "\n".join(lines) + "\n"
