"""``govparts spec``: build a reproducible publication, and gate breaking changes between two."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import Run

from govparts.core import spec


def _publication(root: Path, codes: list[str], version: str = "1.0") -> Path:
    document = {"id": "TEST-1", "version": version, "closed": True, "codes": [{"code": c} for c in codes]}
    artifact = spec.Artifact(
        "code-list:TEST-1",
        "code-list",
        "test",
        version,
        "draft",
        {"codes/TEST-1.json": spec.canonical_json(document)},
    )
    spec.build(root, [], include_core=False, contributors=[lambda parts: [artifact]])
    return root


def test_build_writes_the_same_bytes_twice(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds the installed publication twice into identical folders, dated from SOURCE_DATE_EPOCH."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, data = run.json("spec", "build", str(tmp_path / "a"), "--version", "9.9.9")
    assert first.exit_code == 0, first.output
    second = run("spec", "build", str(tmp_path / "b"), "--version", "9.9.9", "--locale", "en")
    assert second.exit_code == 0, second.output
    assert f"Fingerprint: {data['fingerprint']}" in second.stdout
    files_a = {
        p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()
    }
    files_b = {
        p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()
    }
    assert files_a == files_b
    index = json.loads(files_a[Path("index.json")])
    assert (index["version"], index["date"]) == ("9.9.9", "2023-11-14")
    ids = {a["id"] for a in data["artifacts"]}
    assert "schema:govparts.core.refs.PersonRef" in ids
    assert "golden:core" in ids


def test_diff_fails_on_a_breaking_change_and_passes_a_compatible_one(run: Run, tmp_path: Path) -> None:
    """Exits 1 naming the code removed from a closed list; exits 0 when nothing breaks."""
    old = _publication(tmp_path / "old", ["1", "2"])
    result, data = run.json("spec", "diff", str(old), str(_publication(tmp_path / "new", ["1"])))
    assert result.exit_code == 1
    assert [(f["artifact"], f["path"], f["producers"]) for f in data["failures"]] == [
        ("code-list:TEST-1", "/codes/2", "breaking")
    ]
    table = run("spec", "diff", str(old), str(tmp_path / "new"), "--locale", "en")
    assert table.exit_code == 1
    assert "1 breaking change(s) without a major version bump or an override." in table.stdout
    same = run("spec", "diff", str(old), str(_publication(tmp_path / "same", ["1", "2"])), "--locale", "en")
    assert same.exit_code == 0
    assert "No unaccounted breaking change." in same.stdout
    bumped = run("spec", "diff", str(old), str(_publication(tmp_path / "v2", ["1"], version="2.0")))
    assert bumped.exit_code == 0


def test_diff_accepts_an_override_with_a_reason(run: Run, tmp_path: Path) -> None:
    """Passes with an override giving the reason, and refuses one without a reason (exit 2)."""
    old = _publication(tmp_path / "old", ["1", "2"])
    new = _publication(tmp_path / "new", ["1"])
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        '[[override]]\nartifact = "code-list:TEST-1"\npath = "/codes/2"\n'
        'reason = "code 2 was never issued"\n',
        encoding="utf-8",
    )
    result, data = run.json("spec", "diff", str(old), str(new), "--overrides", str(overrides))
    assert result.exit_code == 0
    assert data["changes"][0]["accepted_by"] == "override: code 2 was never issued"
    overrides.write_text('[[override]]\nartifact = "code-list:TEST-1"\npath = "/codes/2"\n', encoding="utf-8")
    refused = run("spec", "diff", str(old), str(new), "--overrides", str(overrides), "--locale", "en")
    assert refused.exit_code == 2
    assert "override[0].reason" in refused.stderr


def test_diff_of_a_folder_that_is_no_publication_is_bad_input(run: Run, tmp_path: Path) -> None:
    """Exits 2 naming the folder when it has no index.json."""
    result = run("spec", "diff", str(tmp_path), str(tmp_path), "--locale", "en")
    assert result.exit_code == 2
    assert "is not a publication" in result.stderr
