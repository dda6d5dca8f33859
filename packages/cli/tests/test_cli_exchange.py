"""``govparts exchange export|import`` and ``govparts validate``: packages in, reports out."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import UTC, datetime
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_support import Run
from sqlalchemy.engine import Engine

from govparts.core import exchange, parts
from govparts.core.exchange import sample
from govparts.core.refs import OrganizationRef

SENDER = ("--sender", "11650102MB00000013", "--sender-name", "乌鲁木齐市天山区人民政府办公室")
FILE = f"{sample.SampleEmployee.standard_id}.jsonl"


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample exchange part is the one installed part."""
    entry = EntryPoint(
        name="exchange-sample", value="govparts.core.exchange.sample_part:PART", group=parts.ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        parts, "entry_points", lambda group: [entry] if group == parts.ENTRY_POINT_GROUP else []
    )


def _package(folder: Path, records: list[dict[str, str]]) -> Path:
    """A zip package of ``records`` written straight from their JSON lines."""
    data = b"".join(exchange.canonical_line(r) for r in records)
    digests = exchange.Digests()
    digests.update(data)
    manifest = exchange.Manifest(
        sender=OrganizationRef(credit_code=SENDER[1], name=SENDER[3]),
        created_at=datetime(2026, 11, 25, 8, tzinfo=UTC),
        files=(
            exchange.DataFile(
                path=FILE,
                model_id=sample.SampleEmployee.standard_id,
                model_version="1.0",
                records=digests.lines,
                sha256=digests.sha256,
                sm3=digests.sm3,
            ),
        ),
    )
    target = folder / "incoming.zip"
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(FILE, data)
        zf.writestr(exchange.MANIFEST_NAME, manifest.to_bytes())
    return target


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sample.ADAPTER.table)).scalar_one())


def test_export_validate_import_round_trip(run: Run, engine: Engine, db_url: str, tmp_path: Path) -> None:
    """Exports a part, validates the package and re-imports it unchanged; exit 0 throughout."""
    first = run.json(
        "exchange", "import", str(_package(tmp_path, sample.make_employees(30))), "--url", db_url
    )
    assert first[0].exit_code == 0, first[0].output
    assert first[1]["files"][0]["inserted"] == 30
    out = tmp_path / "out"
    result, data = run.json(
        "exchange", "export", "--part", "exchange-sample", "--out", str(out), "--url", db_url, *SENDER
    )
    assert result.exit_code == 0, result.output
    assert data["manifest"]["files"][0]["records"] == 30
    checked, report = run.json("validate", str(out))
    assert checked.exit_code == 0, checked.output
    assert (report["ok"], report["records"]) == (True, 30)
    again, second = run.json("exchange", "import", str(out), "--url", db_url)
    assert again.exit_code == 0
    assert (second["files"][0]["inserted"], second["files"][0]["unchanged"]) == (0, 30)
    assert _stored(engine) == 30


def test_invalid_records_are_summarised_in_uyghur(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Exits 1, writes nothing and shows the errors by code in the chosen language."""
    records = sample.make_employees(6)
    records[2]["sex"] = "7"
    records[4]["ethnicity"] = "99"
    package = _package(tmp_path, records)
    result = run("exchange", "import", str(package), "--url", db_url, "--locale", "ug_CN")
    assert result.exit_code == 1
    assert "unknown-code" in result.stdout
    assert "كود جەدۋىلىدىكى كود ئەمەس" in result.stdout
    assert _stored(engine) == 0
    english, data = run.json("validate", str(package), "--locale", "en")
    assert english.exit_code == 1
    [group] = data["errors"]
    assert (group["code"], group["count"]) == ("unknown-code", 2)
    assert [e["line"] for e in group["examples"]] == [3, 5]
    assert group["examples"][0]["message"] == "sex: '7' is not a code of GB/T 2261.1-2003"


def test_keep_valid_imports_the_rest(run: Run, engine: Engine, db_url: str, tmp_path: Path) -> None:
    """With --keep-valid the valid records are imported and the rejects written beside the package."""
    records = sample.make_employees(6)
    records[1]["citizen_id"] = "650102199001011230"
    package = _package(tmp_path, records)
    result, data = run.json("exchange", "import", str(package), "--url", db_url, "--keep-valid")
    assert result.exit_code == 1
    assert data["written"] is True
    assert _stored(engine) == 5
    rejects = Path(data["reject_file"]).read_text(encoding="utf-8").splitlines()
    assert [json.loads(r)["line"] for r in rejects] == [2]


def test_damaged_package_is_refused_before_reading(run: Run, tmp_path: Path) -> None:
    """A package whose data file does not match its digests exits 1 naming the file and the digest."""
    package = tmp_path / "folder"
    package.mkdir()
    source = _package(tmp_path, sample.make_employees(3))
    with zipfile.ZipFile(source) as zf:
        zf.extractall(package)
    (package / FILE).write_bytes((package / FILE).read_bytes().replace(b"E0000001", b"E0000002"))
    result, data = run.json("validate", str(package), "--locale", "en")
    assert result.exit_code == 1
    assert {p["details"]["algorithm"] for p in data["problems"]} == {"SHA-256", "SM3"}
    table = run("validate", str(package), "--locale", "en")
    assert "SM3 digest differs from the manifest's" in table.stdout
    actual = hashlib.sha256((package / FILE).read_bytes()).hexdigest()
    assert actual not in table.stdout + table.stderr + result.stdout


def test_export_refuses_an_invalid_sender(run: Run, db_url: str, tmp_path: Path) -> None:
    """An invalid sender credit code is bad input (exit 2) naming the field; no package is written."""
    result, data = run.json(
        "exchange", "export", "--part", "exchange-sample", "--out", str(tmp_path / "x"), "--url", db_url,
        "--sender", "11650102MB00000014", "--sender-name", "某单位", "--locale", "en",
    )  # fmt: skip
    assert result.exit_code == 2
    assert data["error"]["errors"][0]["field"] == "credit_code"
    assert not (tmp_path / "x").exists()


def test_export_of_one_organisation_holds_its_records_only(
    run: Run, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """``--org`` exports one employer's records, filtered in the query; without it every employer's."""
    records = sample.make_employees(30, employers=3)
    assert run("exchange", "import", str(_package(tmp_path, records)), "--db", db_url).exit_code == 0
    employer = records[0]["employer"]
    mine = [r for r in records if r["employer"] == employer]
    result, data = run.json(
        "exchange", "export", "--part", "exchange-sample", "--out", str(tmp_path / "one"),
        "--org", employer, "--db", db_url, *SENDER,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert data["manifest"]["files"][0]["records"] == len(mine) == 10
    lines = (tmp_path / "one" / FILE).read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["employer"] for line in lines} == {employer}
    result, data = run.json(
        "exchange", "export", "--part", "exchange-sample", "--out", str(tmp_path / "all"),
        "--db", db_url, *SENDER,
    )  # fmt: skip
    assert data["manifest"]["files"][0]["records"] == 30
