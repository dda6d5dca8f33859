"""The published standard judged by the tools its readers use, none of them written here.

AsyncAPI: every event catalogue of the current publication and of each committed release snapshot is
parsed by the official AsyncAPI parser (``@asyncapi/parser``, the library behind ``asyncapi
validate``) on Node.js; an error or a warning fails. ``tests/asyncapi/`` pins the parser in its
``package-lock.json``; the test runs ``npm ci`` there when ``node_modules`` does not hold the locked
version. Without Node.js the test is skipped, saying so; with ``GOVPARTS_TEST_REQUIRE_NODE=1`` (as in
CI) it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from govparts.core import spec

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "spec" / "releases"
ASYNCAPI = ROOT / "tests" / "asyncapi"
PARSER = "@asyncapi/parser"


def _unavailable(variable: str, reason: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def node() -> str:
    """The ``node`` command, with the locked AsyncAPI parser installed in ``tests/asyncapi``."""
    found = shutil.which("node")
    if found is None:
        _unavailable("GOVPARTS_TEST_REQUIRE_NODE", "Node.js is not installed (apt-get install nodejs npm)")
        raise AssertionError("unreachable")
    lock = json.loads((ASYNCAPI / "package-lock.json").read_text(encoding="utf-8"))
    locked = lock["packages"][f"node_modules/{PARSER}"]["version"]
    installed = ASYNCAPI / "node_modules" / PARSER / "package.json"
    if not installed.is_file() or json.loads(installed.read_text(encoding="utf-8"))["version"] != locked:
        npm = shutil.which("npm")
        assert npm is not None, "Node.js is installed without npm (apt-get install npm)"
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=ASYNCAPI, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"npm ci in {ASYNCAPI} failed:\n{done.stdout}\n{done.stderr}"
    return found


def _validate(node: str, documents: list[Path]) -> subprocess.CompletedProcess[str]:
    """Runs the official parser on ``documents``; exit status 1 means an error or a warning."""
    return subprocess.run(
        [node, str(ASYNCAPI / "validate.js"), *map(str, documents)],
        cwd=ASYNCAPI,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The publication of the code as it is now."""
    out = tmp_path_factory.mktemp("spec") / "current"
    spec.build(out)
    return out


def _publications(current: Path) -> list[tuple[str, Path]]:
    releases = sorted(p for p in RELEASES.iterdir() if (p / "index.json").is_file())
    return [("current", current), *((f"release {p.name}", p) for p in releases)]


def test_the_asyncapi_parser_accepts_every_event_catalogue(node: str, current: Path) -> None:
    """Parses every AsyncAPI document, current and released, with no error and no warning."""
    for name, root in _publications(current):
        documents = sorted((root / "events").glob("*.asyncapi.json"))
        assert len(documents) >= 5, f"{name}: {documents}"
        done = _validate(node, documents)
        assert done.returncode == 0, f"{name}:\n{done.stdout}{done.stderr}"


def test_the_asyncapi_check_fails_on_a_reference_it_cannot_resolve(
    node: str, current: Path, tmp_path: Path
) -> None:
    """Rejects a catalogue whose payload points at a definition that is not there, naming the reference."""
    document = json.loads((current / "events/personnel.asyncapi.json").read_text(encoding="utf-8"))
    text = json.dumps(document).replace("#/components/schemas/PersonRef", "#/$defs/PersonRef")
    broken = tmp_path / "personnel.asyncapi.json"
    broken.write_text(text, encoding="utf-8")
    done = _validate(node, [broken])
    assert done.returncode == 1
    assert re.search(r"error invalid-ref .*'#/\$defs/PersonRef' does not exist", done.stdout), done.stdout
