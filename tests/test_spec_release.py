"""The release gate: the current code's publication against the committed snapshot of the last release.

``spec/releases/<version>/`` holds what ``govparts spec build spec/releases/<version>`` wrote when
that version was released. An accidental breaking change to a published model, code list, process,
event type or requirement fails here; a deliberate one needs a major version bump of its artifact or
an entry with a written reason in ``spec/overrides.toml``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govparts.core import spec
from govparts.core.parts import iter_parts

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "spec" / "releases"
OVERRIDES = ROOT / "spec" / "overrides.toml"


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", name))


def last_release() -> Path:
    """The folder of the newest committed release snapshot."""
    releases = sorted(
        (p for p in RELEASES.iterdir() if (p / "index.json").is_file()), key=lambda p: _version_key(p.name)
    )
    if not releases:
        pytest.fail(
            f"no release snapshot under {RELEASES}; run `govparts spec build spec/releases/<version>`"
        )
    return releases[-1]


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The publication of the code as it is now."""
    out = tmp_path_factory.mktemp("spec") / "current"
    spec.build(out)
    return out


def test_snapshot_files_match_their_recorded_hashes() -> None:
    """Finds every file of the committed snapshot unchanged since it was built."""
    assert spec.Publication.open(last_release()).verify() == []


def test_no_unaccounted_breaking_change_since_the_last_release(current: Path) -> None:
    """Diffs the current publication against the last release; a breaking change needs a bump or a reason."""
    overrides = spec.load_overrides(OVERRIDES) if OVERRIDES.is_file() else []
    report = spec.diff(last_release(), current, overrides)
    failures = "\n".join(f"{c.artifact} {c.path}: {c.what}" for c in report.failures)
    assert report.ok, (
        "breaking changes without a major version bump; bump the artifact's version or add an "
        f"[[override]] with a reason to {OVERRIDES.relative_to(ROOT)}:\n{failures}"
    )
    assert report.unused_overrides == ()


def test_requirement_catalogues_carry_their_coverage(current: Path) -> None:
    """Publishes each part's requirements with the checks that verify them, as the kit reports."""
    from govparts.conformance import check_catalogue_coverage

    parts = [p for p in iter_parts() if p.requirements is not None]
    if not parts:
        pytest.skip("no installed part publishes a requirement catalogue")
    for part in parts:
        document = json.loads((current / f"requirements/{part.name}.json").read_text(encoding="utf-8"))
        expected = {row.requirement.id: sorted(row.checks) for row in check_catalogue_coverage(part).rows}
        assert {r["id"]: r["checks"] for r in document["requirements"]} == expected
        header = (current / f"requirements/{part.name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("id,level,feature,status,checks")


def test_every_installed_part_is_in_the_publication(current: Path) -> None:
    """Publishes schemas, processes and events of every installed part that declares them."""
    index = spec.Publication.open(current).index
    kinds = {(a["part"], a["kind"]) for a in index["artifacts"]}
    for part in iter_parts():
        for reference, kind in (("models", "schema"), ("processes", "process"), ("events", "events")):
            if getattr(part, reference) is not None:
                assert (part.name, kind) in kinds, f"{part.name} publishes no {kind}"
