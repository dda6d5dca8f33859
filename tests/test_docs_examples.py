"""Every code example of the documentation runs, and every example file is shown on some page."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.py"))
PAGES = sorted(p for p in DOCS.rglob("*.rst") if "_build" not in p.parts and "lists" not in p.parts)
INCLUDE = re.compile(r"^\.\. literalinclude:: (\S+)", re.MULTILINE)
# A code directive, or a paragraph ending in "::" (a literal block) that is not itself a directive.
CODE_BLOCK = re.compile(r"^\s*\.\. (code-block|code|sourcecode)::|^(?!\s*\.\. ).*::\s*$", re.MULTILINE)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Runs the example file as a script; its own assertions check what the page claims."""
    runpy.run_path(str(example), run_name="__main__")
    capsys.readouterr()


def _included() -> dict[Path, list[Path]]:
    found: dict[Path, list[Path]] = {}
    for page in PAGES:
        for target in INCLUDE.findall(page.read_text(encoding="utf-8")):
            found.setdefault((page.parent / target).resolve(), []).append(page)
    return found


def test_every_example_is_shown_and_every_include_exists() -> None:
    """Shows each example file on a page, and includes no file that is missing."""
    included = _included()
    assert EXAMPLES
    assert sorted(included) == [p.resolve() for p in EXAMPLES]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_pages_have_no_inline_code_blocks(page: Path) -> None:
    """Keeps code out of the pages' text: examples come only from files under docs/examples."""
    assert not CODE_BLOCK.search(page.read_text(encoding="utf-8"))
