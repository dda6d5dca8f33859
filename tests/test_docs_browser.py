"""The built documentation site in a real browser: SVG diagrams, right-to-left Uyghur, no console error.

Build the site first (``uv run --group docs python docs/build.py``). The test copies it to a temporary
folder, adds a small probe script to each page it checks, serves the copy on ``127.0.0.1`` and opens a
harness page in headless Chromium (Debian's ``chromium``) that loads every page in turn in a wide
frame. The probe records, after the page has loaded: the computed ``direction`` of ``<body>``, where
the navigation sidebar and the content sit, what each Graphviz ``<object>`` holds and which of its
labels collide, which runs of text of the other direction (Latin, digits, Chinese on a Uyghur page;
Uyghur on the others) no isolating element separates from their neighbours, and every error
(uncaught exceptions, ``console.error`` calls, resources that failed to load). Chromium prints the
harness's document with the results (``--dump-dom``). Other tests read the built part pages
directly: field and model descriptions, state names and transition labels are in the page's language,
or (a model description without its translations, a transition without a label) say that they are not.

Without Chromium or a built site the test is skipped, saying which is missing; with
``GOVPARTS_TEST_REQUIRE_BROWSER=1`` (as in CI) it fails instead.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs" / "_build" / "html"
LANGUAGES = ("zh_CN", "en", "ug")
WIDTH, HEIGHT = 1400, 1000
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    f"--window-size={WIDTH},{HEIGHT}",
]

PROBE = """<script>
(function () {
  var errors = [];
  window.addEventListener("error", function (e) {
    var t = e.target;
    var what = t && t !== window ? "failed to load " + (t.src || t.href || t.data || t.tagName) : null;
    errors.push(what || "error: " + e.message);
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    errors.push("unhandled rejection: " + e.reason);
  });
  var original = console.error;
  console.error = function () {
    errors.push("console.error: " + Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
  function box(selector) {
    var el = document.querySelector(selector);
    if (!el) { return null; }
    var r = el.getBoundingClientRect();
    var shown = r.width > 0 && getComputedStyle(el).display !== "none";
    return {left: r.left, right: r.right, width: r.width, visible: shown};
  }
  function overlap(a, b) {
    return a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width &&
      a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;
  }
  function inside(p, b) {
    return p.x > b.x + 1 && p.x < b.x + b.width - 1 && p.y > b.y + 1 && p.y < b.y + b.height - 1;
  }
  // Labels of a Graphviz diagram that overlap another label, and labels of a self-loop that
  // another edge runs through.
  function collisions(svg) {
    var found = [];
    var texts = [], paths = [];
    Array.prototype.forEach.call(svg.querySelectorAll("g.node, g.edge"), function (g, group) {
      var title = g.querySelector("title");
      var ends = title ? title.textContent.split("->") : [];
      var loop = g.classList.contains("edge") && ends.length === 2 && ends[0] === ends[1];
      Array.prototype.forEach.call(g.querySelectorAll("text"), function (t) {
        texts.push({group: group, text: t.textContent, box: t.getBBox(), loop: loop});
      });
      if (g.classList.contains("edge")) {
        Array.prototype.forEach.call(g.querySelectorAll("path"), function (p) {
          var points = [], length = p.getTotalLength();
          for (var at = 0; at <= length; at += 2) { points.push(p.getPointAtLength(at)); }
          paths.push({group: group, points: points});
        });
      }
    });
    texts.forEach(function (a, i) {
      texts.slice(i + 1).forEach(function (b) {
        if (a.group !== b.group && overlap(a.box, b.box)) { found.push(a.text + " / " + b.text); }
      });
      if (a.loop) {
        paths.forEach(function (p) {
          if (p.group !== a.group && p.points.some(function (q) { return inside(q, a.box); })) {
            found.push(a.text + " / an edge");
          }
        });
      }
    });
    return found;
  }
  // Text of the other direction (Latin, digits, Chinese on a right-to-left page; Arabic script on
  // the others) that no isolating element (<bdi>, dir=auto, code) separates from its neighbours.
  function unisolated() {
    var rtl = document.documentElement.getAttribute("dir") === "rtl";
    var other = rtl ? /[A-Za-z0-9\u3400-\u9fff]/ : /[\u0600-\u06ff]/;
    var root = document.querySelector("article[role=main]") || document.body;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var found = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!other.test(node.data)) { continue; }
      var ok = false;
      for (var el = node.parentElement; el && el !== root.parentElement; el = el.parentElement) {
        var style = getComputedStyle(el);
        // Blocks are isolated by the user agent's stylesheet anyway: what counts there is the
        // block's own direction, or a direction taken from its text (plaintext).
        if (style.display !== "inline") {
          ok = style.unicodeBidi === "plaintext" || style.direction === (rtl ? "ltr" : "rtl");
          break;
        }
        if (/isolate|plaintext/.test(style.unicodeBidi)) { ok = true; break; }
      }
      if (!ok && node.parentElement.closest("pre, script, style, noscript, .headerlink") === null) {
        found.push(node.data.trim().slice(0, 60));
      }
    }
    return found;
  }
  window.addEventListener("load", function () {
    var diagrams = Array.prototype.map.call(document.querySelectorAll("object.graphviz"), function (o) {
      var d = o.contentDocument;
      var svg = d && d.documentElement && d.documentElement.localName === "svg" ? d.documentElement : null;
      return {type: o.type, root: d && d.documentElement ? d.documentElement.localName : null,
              width: o.getBoundingClientRect().width, collisions: svg ? collisions(svg) : []};
    });
    var result = {
      direction: getComputedStyle(document.body).direction,
      htmlDir: document.documentElement.getAttribute("dir"),
      sidebar: box(".sidebar-drawer"),
      content: box(".main .content"),
      diagrams: diagrams,
      unisolated: unisolated(),
      errors: errors
    };
    if (window.parent !== window && window.parent.govpartsReport) {
      window.parent.govpartsReport(location.pathname, result);
    }
  });
})();
</script>"""

HARNESS = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<iframe id="frame" style="width:%(width)dpx;height:%(height)dpx;border:0"></iframe>
<pre id="results"></pre>
<script>
var pages = %(pages)s, results = {}, index = 0, frame = document.getElementById("frame");
function next() {
  if (index >= pages.length) {
    document.getElementById("results").textContent = JSON.stringify(results);
    return;
  }
  var page = pages[index++];
  var timer = setTimeout(function () { results[page] = {missing: true}; next(); }, 15000);
  window.govpartsReport = function (path, result) {
    clearTimeout(timer);
    results[page] = result;
    setTimeout(next, 0);
  };
  frame.src = page;
}
next();
</script></body></html>"""


def _require_browser() -> bool:
    return os.environ.get("GOVPARTS_TEST_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str) -> None:
    if _require_browser():
        pytest.fail(f"GOVPARTS_TEST_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    _unavailable("Chromium is not installed (apt-get install chromium)")
    raise AssertionError("unreachable")


def pages_to_check(language: str) -> list[str]:
    """Every page of one language's site except the generated code list pages (one of them stays)."""
    root = SITE / language
    pages = [p for p in sorted(root.rglob("*.html")) if "lists" not in p.parts and not p.name.startswith("_")]
    lists = sorted((root / "codes" / "lists").glob("*.html"))
    return [p.relative_to(root).as_posix() for p in pages + lists[:1]]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A probed copy of the built site, served over HTTP on 127.0.0.1; yields its URL and folder."""
    missing = [language for language in LANGUAGES if not (SITE / language / "index.html").is_file()]
    if missing:
        _unavailable(f"the documentation site is not built for {', '.join(missing)} (run docs/build.py)")
    copy = tmp_path_factory.mktemp("site") / "html"
    shutil.copytree(SITE, copy)
    for language in LANGUAGES:
        for page in pages_to_check(language):
            path = copy / language / page
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
        pages = [f"/{language}/{page}" for page in pages_to_check(language)]
        harness = HARNESS % {"pages": json.dumps(pages), "width": WIDTH - 40, "height": HEIGHT - 100}
        (copy / f"harness-{language}.html").write_text(harness, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(copy))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", copy
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    command = [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@functools.cache
def _results(base: str, copy: Path, language: str) -> dict[str, Any]:
    """What the probe found on each page of ``language`` (one Chromium run per language)."""
    done = _run_chromium(
        ["--virtual-time-budget=120000", "--dump-dom", f"{base}/harness-{language}.html"],
        copy.parent / f"profile-{language}",
    )
    match = re.search(r'<pre id="results">(.*?)</pre>', done.stdout, re.DOTALL)
    assert match, f"the harness did not finish; chromium said:\n{done.stderr[-2000:]}"
    results: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return results


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_load_without_console_errors(served: tuple[str, Path], language: str) -> None:
    """Loads every page of the site with no error, uncaught exception or failed resource."""
    results = _results(*served, language)
    expected = {f"/{language}/{page}" for page in pages_to_check(language)}
    assert set(results) == expected
    missing = sorted(page for page, result in results.items() if result.get("missing"))
    assert missing == []
    errors = {page: result["errors"] for page, result in results.items() if result["errors"]}
    assert errors == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_state_diagrams_are_svg(served: tuple[str, Path], language: str) -> None:
    """Shows every process state diagram as an SVG document that the browser renders with a width."""
    results = _results(*served, language)
    diagrams = [d for result in results.values() for d in result.get("diagrams", [])]
    assert diagrams, "no process diagram on any page"
    assert all(d["type"] == "image/svg+xml" and d["root"] == "svg" and d["width"] > 0 for d in diagrams)


@pytest.mark.parametrize(("language", "rtl"), [("zh_CN", False), ("en", False), ("ug", True)])
def test_uyghur_pages_are_laid_out_right_to_left(
    served: tuple[str, Path], language: str, *, rtl: bool
) -> None:
    """Lays out the Uyghur pages right to left with the sidebar on the right; the others left to right."""
    results = _results(*served, language)
    for page, result in results.items():
        assert result["direction"] == ("rtl" if rtl else "ltr"), page
        sidebar, content = result["sidebar"], result["content"]
        assert sidebar is not None, page
        assert content is not None, page
        assert sidebar["visible"], page
        if rtl:
            assert sidebar["left"] >= content["right"] - 1, page
        else:
            assert sidebar["right"] <= content["left"] + 1, page


@pytest.mark.parametrize("language", LANGUAGES)
def test_state_diagram_labels_do_not_overlap(served: tuple[str, Path], language: str) -> None:
    """Sets no diagram label over another, and runs no edge through the label of a self-loop."""
    results = _results(*served, language)
    found = {
        page: [c for d in result.get("diagrams", []) for c in d["collisions"]]
        for page, result in results.items()
    }
    assert {page: c for page, c in found.items() if c} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_of_the_other_direction_is_isolated(served: tuple[str, Path], language: str) -> None:
    """Isolates every Latin, digit or Chinese run on a Uyghur page (and Uyghur on the others), so
    the brackets, dots and commas around it stay where they are written."""
    results = _results(*served, language)
    found = {page: result["unisolated"] for page, result in results.items() if result.get("unisolated")}
    assert found == {}


def test_screenshot_of_a_uyghur_page(served: tuple[str, Path], tmp_path: Path) -> None:
    """Takes a screenshot of a Uyghur part page (kept in the test's folder for people to look at)."""
    shot = tmp_path / "ug-part.png"
    page = next(p for p in pages_to_check("ug") if p.startswith("parts/") and p != "parts/index.html")
    done = _run_chromium(
        ["--virtual-time-budget=10000", f"--screenshot={shot}", f"{served[0]}/ug/{page}"],
        tmp_path / "profile",
    )
    assert shot.is_file(), done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = os.environ.get("GOVPARTS_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)


def _cells(page: Path, table_class: str) -> list[list[str]]:
    """The body rows of the tables of class ``table_class`` on a built page, as plain text."""
    text = page.read_text(encoding="utf-8")
    rows = []
    for table in re.findall(f'<table class="[^"]*{table_class}[^"]*">(.*?)</table>', text, re.DOTALL):
        body = table.split("<tbody>", 1)[-1]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
            rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _built_part_pages(language: str) -> list[tuple[Any, Path]]:
    import sys

    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    from govparts_parts import all_parts

    pages = [(part, SITE / language / "parts" / f"{part.name}.html") for part in all_parts()]
    if not all(page.is_file() for _, page in pages):
        _unavailable(f"the documentation site is not built for {language} (run docs/build.py)")
    return pages


LOCALE_OF = {"zh_CN": "zh_Hans_CN", "en": "en", "ug": "ug_CN"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_field_descriptions_are_in_the_page_language(language: str) -> None:
    """Describes each model field in the page's language, from the schema's x-i18n texts."""
    from govparts.core.spec import model_schema, published_models

    locale = LOCALE_OF[language]
    for part, page in _built_part_pages(language):
        expected = []
        for standard_id, model in published_models(part).items():
            schema = model_schema(standard_id, model, part=part)[0]
            for field in (schema.get("properties") or {}).values():
                texts = field.get("x-i18n", {}).get("description", {})
                written = str(field.get("description", "")).split("\n\n", 1)[0].replace("\n", " ")
                expected.append(str(texts.get(locale) or written or "-").replace("\n", " "))
        # Sphinx sets English apostrophes as typographic ones (smartquotes).
        shown = [row[-1].replace("\u2019", "'") for row in _cells(page, "govparts-model-fields")]
        assert sorted(shown) == sorted(expected), part.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_transition_tables_name_states_in_the_page_language(language: str) -> None:
    """Names the states a transition leaves and reaches by their labels in the page's language."""
    locale = LOCALE_OF[language]
    for part, page in _built_part_pages(language):
        published = part.load("processes") if part.processes else None
        specs = list(published.values()) if isinstance(published, dict) else list(published or [])
        expected = []
        for spec in sorted(specs, key=lambda s: s.id):
            labels = {state.id: state.label.in_locale(locale) for state in spec.states}
            comma = {"zh_Hans_CN": "、", "ug_CN": "، "}.get(locale, ", ")
            for t in spec.transitions:
                expected.append([comma.join(labels[s] for s in t.source), labels[t.target]])
        shown = [row[2:4] for row in _cells(page, "govparts-transitions")]
        assert shown == expected, part.name


def _specs(part: Any) -> list[Any]:
    published = part.load("processes") if part.processes else None
    specs = list(published.values()) if isinstance(published, dict) else list(published or [])
    return sorted(specs, key=lambda s: s.id)


def _labels(language: str) -> dict[str, str]:
    from govparts_parts import LABELS

    return LABELS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_transitions_without_a_label_show_their_id_and_say_so(language: str) -> None:
    """Names each transition by its label in the page's language; one without shows its id, saying so."""
    locale = LOCALE_OF[language]
    for part, page in _built_part_pages(language):
        no_label = _labels(language)["no_label"]
        expected = [
            [t.name, t.label.in_locale(locale) if t.label is not None else f"{t.name} {no_label}"]
            for spec in _specs(part)
            for t in spec.transitions
        ]
        shown = [row[:2] for row in _cells(page, "govparts-transitions")]
        assert shown == expected, part.name
        notes = page.read_text(encoding="utf-8").count("govparts-fallback-note")
        assert notes == sum(1 for spec in _specs(part) if any(t.label is None for t in spec.transitions))


@pytest.mark.parametrize("language", LANGUAGES)
def test_state_diagrams_draw_a_transition_without_a_label_in_italics(language: str) -> None:
    """Draws the ids of unlabelled transitions in italics and every label upright, in each diagram."""
    locale = LOCALE_OF[language]
    for part, page in _built_part_pages(language):
        text = page.read_text(encoding="utf-8")
        for spec in _specs(part):
            key = re.sub("[._]", "-", spec.id)
            section = text.split(f'<section id="part-process-{key}"')[1]
            diagram = re.findall(r'<object data="([^"]+\.svg)"', section)[0]
            svg = (page.parent / diagram).resolve().read_text(encoding="utf-8")
            italic = {
                html.unescape(t)
                for t in re.findall(r'<text[^>]*font-style="italic"[^>]*>([^<]*)</text>', svg)
            }
            upright = {
                html.unescape(t)
                for t in re.findall(r'<text(?![^>]*font-style="italic")[^>]*>([^<]*)</text>', svg)
            }
            unlabelled = {t.name for t in spec.transitions if t.label is None}
            labelled = {t.label.in_locale(locale) for t in spec.transitions if t.label}
            assert italic == unlabelled, spec.id
            assert labelled <= upright, spec.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_state_tables_show_each_state_id_with_its_label(language: str) -> None:
    """Lists each process's state ids beside their labels in the page's language, initial and terminal."""
    locale = LOCALE_OF[language]
    words = _labels(language)
    for part, page in _built_part_pages(language):
        expected = [
            [
                state.id,
                state.label.in_locale(locale),
                words["initial"]
                if state.id == spec.initial
                else words["terminal"]
                if state.terminal
                else words["intermediate"],
            ]
            for spec in _specs(part)
            for state in spec.states
        ]
        assert _cells(page, "govparts-states") == expected, part.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_model_descriptions_are_localised_or_marked_as_the_english_original(language: str) -> None:
    """Shows a model's description in the page's language, else its English marked as the original."""
    from govparts.core.spec import model_schema, published_models

    locale = LOCALE_OF[language]
    tag = _labels(language)["english_original"]
    for part, page in _built_part_pages(language):
        text = page.read_text(encoding="utf-8")
        originals = re.findall(r'<p class="govparts-source-text">(.*?)</p>', text, re.DOTALL)
        # The visible text of each paragraph: runs of the other direction are isolated with <bdi>,
        # and Sphinx sets English apostrophes as typographic ones (smartquotes).
        paragraphs = {
            html.unescape(re.sub(r"<[^>]+>", "", p)).replace("\u2019", "'").strip()
            for p in re.findall(r"<p[^>]*>(.*?)</p>", text, re.DOTALL)
        }
        english = 0
        for standard_id, model in published_models(part).items():
            schema = model_schema(standard_id, model, part=part)[0]
            texts = schema.get("x-i18n", {}).get("description", {})
            if texts.get(locale):
                assert texts[locale].split("\n\n", 1)[0].replace("\n", " ") in paragraphs, standard_id
            elif schema.get("description"):
                english += 1
        assert len(originals) == english, part.name
        for paragraph in originals:
            plain = html.unescape(re.sub(r"<[^>]+>", "", paragraph))
            assert plain.startswith(tag), plain
            assert '<bdi dir="ltr" lang="en">' in paragraph
