"""Exchange packages: digests before parsing, located and localised errors, all-or-nothing imports."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit, exchange, parts
from govparts.core.db import metadata
from govparts.core.errors import InvalidInput
from govparts.core.exchange import sample
from govparts.core.refs import OrganizationRef

SENDER = OrganizationRef(credit_code="11650102MB00000013", name="乌鲁木齐市天山区人民政府办公室")
MODEL = sample.SampleEmployee.standard_id
FILE = f"{MODEL}.jsonl"
WHEN = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample part is the one installed part (through a patched entry point)."""
    entry = EntryPoint(
        name="exchange-sample", value="govparts.core.exchange.sample_part:PART", group=parts.ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        parts, "entry_points", lambda group: [entry] if group == parts.ENTRY_POINT_GROUP else []
    )


def write_package(
    target: Path, lines: list[bytes], *, records: int | None = None, model: str = MODEL
) -> Path:
    """A package at ``target`` (zip when it ends in .zip) holding ``lines`` as its one data file."""
    data = b"".join(lines)
    digests = exchange.Digests()
    digests.update(data)
    manifest = exchange.Manifest(
        sender=SENDER,
        created_at=WHEN,
        files=(
            exchange.DataFile(
                path=FILE,
                model_id=model,
                model_version="1.0",
                records=digests.lines if records is None else records,
                sha256=digests.sha256,
                sm3=digests.sm3,
            ),
        ),
    )
    if target.suffix == ".zip":
        with zipfile.ZipFile(target, "w") as zf:
            zf.writestr(FILE, data)
            zf.writestr(exchange.MANIFEST_NAME, manifest.to_bytes())
    else:
        target.mkdir(parents=True)
        (target / FILE).write_bytes(data)
        (target / exchange.MANIFEST_NAME).write_bytes(manifest.to_bytes())
    return target


def lines_of(records: list[dict[str, Any]]) -> list[bytes]:
    """Canonical JSON lines of ``records``."""
    return [exchange.canonical_line(r) for r in records]


def stored(engine: Engine) -> int:
    """How many sample employees the database holds."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sample.ADAPTER.table)).scalar_one())


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A valid folder package of 12 sample employees."""
    return write_package(tmp_path / "good", lines_of(sample.make_employees(12)))


def test_round_trip_is_byte_identical(engine: Engine, tmp_path: Path, good: Path) -> None:
    """Export → import into an empty database → export gives byte-identical data files."""
    report = exchange.import_package(good, engine)
    assert report.ok
    assert report.written
    assert stored(engine) == 12
    first = tmp_path / "first.zip"
    exchange.export_package(first, engine, part=parts.get_part("exchange-sample"), sender=SENDER)
    again = tmp_path / "again"
    exchange.export_package(again, engine, part=parts.get_part("exchange-sample"), sender=SENDER)
    with zipfile.ZipFile(first) as zf:
        zipped = zf.read(FILE)
    assert zipped == (again / FILE).read_bytes()
    assert sorted(zipped.splitlines(keepends=True)) == sorted(
        (good / FILE).read_bytes().splitlines(keepends=True)
    )
    manifest = exchange.read_manifest(again)
    assert manifest.files[0].records == 12
    assert manifest.sender == SENDER
    assert json.loads((again / "manifest.json").read_bytes())["created_at"].endswith("Z")


def test_round_trip_through_a_second_database(engine: Engine, tmp_path: Path, good: Path) -> None:
    """Re-exporting an exported package from a fresh database reproduces its data file exactly."""
    exchange.import_package(good, engine)
    first = tmp_path / "first"
    exchange.export_package(first, engine, adapters=[sample.ADAPTER], sender=SENDER)
    other = sa.create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    sample.SampleEmployeeRow.__table__.create(other)  # type: ignore[attr-defined]
    metadata.create_all(other, tables=[audit.AuditRecord.__table__, audit.AuditHead.__table__])  # type: ignore[attr-defined]
    assert exchange.import_package(first, other).written
    second = tmp_path / "second"
    exchange.export_package(second, other, adapters=[sample.ADAPTER], sender=SENDER)
    assert (first / FILE).read_bytes() == (second / FILE).read_bytes()
    other.dispose()


def test_reimport_changes_nothing(engine: Engine, good: Path) -> None:
    """Importing the same package twice writes the records once and counts them unchanged."""
    exchange.import_package(good, engine)
    report = exchange.import_package(good, engine)
    assert stored(engine) == 12
    assert (report.files[0].inserted, report.files[0].unchanged) == (0, 12)


def test_conflicting_record_is_rejected(engine: Engine, tmp_path: Path, good: Path) -> None:
    """A record stored with other content is an error naming the field; nothing of the package is written."""
    exchange.import_package(good, engine)
    records = sample.make_employees(14)
    records[3] = {**records[3], "name": "另一个人"}
    report = exchange.import_package(write_package(tmp_path / "changed", lines_of(records)), engine)
    assert not report.written
    assert stored(engine) == 12
    [error] = report.errors
    assert (error.line, error.errors[0].field, error.errors[0].code) == (4, "name", "integrity-violation")


@pytest.mark.parametrize("form", ["folder", "package.zip"])
def test_tampered_byte_is_rejected_before_parsing(
    engine: Engine, tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One changed byte fails both digests; no record is parsed and nothing is written."""
    lines = lines_of(sample.make_employees(5))
    package = write_package(tmp_path / form, lines)
    tampered = lines[2].replace(b"E0000002", b"E0000009")
    assert tampered != lines[2]
    data = b"".join([*lines[:2], tampered, *lines[3:]])
    if package.is_dir():
        (package / FILE).write_bytes(data)
    else:
        manifest = zipfile.ZipFile(package).read(exchange.MANIFEST_NAME)
        with zipfile.ZipFile(package, "w") as zf:
            zf.writestr(FILE, data)
            zf.writestr(exchange.MANIFEST_NAME, manifest)
    parsed: list[bytes] = []
    monkeypatch.setattr(exchange._package, "_validate_batch", lambda *a: parsed.append(a[2]))
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.import_package(package, engine)
    assert {p.details["algorithm"] for p in caught.value.problems} == {"SHA-256", "SM3"}
    assert all(p.field == FILE for p in caught.value.problems)
    assert parsed == []
    assert stored(engine) == 0


def test_truncated_file_is_rejected(tmp_path: Path) -> None:
    """A data file cut short is refused by its digests, its count and its cut last line."""
    lines = lines_of(sample.make_employees(4))
    package = write_package(tmp_path / "cut", lines)
    (package / FILE).write_bytes(b"".join(lines)[:-40])
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.validate_package(package)
    messages = [p.message("en") for p in caught.value.problems]
    assert any("holds '3' records, the manifest says '4'" in m for m in messages)
    assert any("last line is cut off" in m for m in messages)


def test_wrong_record_count_is_rejected(tmp_path: Path) -> None:
    """A manifest whose record count disagrees with the file rejects the package."""
    package = write_package(tmp_path / "count", lines_of(sample.make_employees(4)), records=5)
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.check_package(package)
    [problem] = caught.value.problems
    assert (problem.field, problem.details["got"], problem.details["expected"]) == (FILE, "4", "5")


def test_missing_file_and_unknown_model_are_rejected(tmp_path: Path) -> None:
    """A file the manifest lists but the package lacks, and a model no part exchanges, are problems."""
    package = write_package(tmp_path / "odd", lines_of(sample.make_employees(2)), model="gov.unknown.Thing")
    (package / FILE).unlink()
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.check_package(package)
    messages = [p.message("en") for p in caught.value.problems]
    assert messages == [
        f"{FILE}: no installed part exchanges model 'gov.unknown.Thing'",
        f"{FILE}: the data file is missing",
    ]


def test_bad_manifest_is_rejected(tmp_path: Path, good: Path) -> None:
    """A manifest with an invalid sender credit code or no manifest at all rejects the package."""
    data = json.loads((good / "manifest.json").read_bytes())
    data["sender"]["credit_code"] = "11650102MB00000014"
    (good / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.check_package(good)
    assert caught.value.problems[0].field == "manifest.json:sender.credit_code"
    (good / "manifest.json").unlink()
    with pytest.raises(exchange.InvalidPackage):
        exchange.read_manifest(good)


def _invalid_records() -> list[bytes]:
    records = sample.make_employees(10)
    records[1]["sex"] = "7"
    records[4]["citizen_id"] = records[4]["citizen_id"][:-1] + (
        "0" if records[4]["citizen_id"][-1] != "0" else "1"
    )
    records[7]["ethnicity"] = "99"
    del records[8]["name"]
    lines = lines_of(records)
    lines[9] = b'{"employer": oops}\n'
    return lines


@pytest.mark.parametrize("batch_size", [3, 5_000])
def test_invalid_records_write_nothing(engine: Engine, tmp_path: Path, batch_size: int) -> None:
    """Every invalid record is reported by line and field path, and no record is written."""
    package = write_package(tmp_path / "bad.zip", _invalid_records())
    report = exchange.import_package(package, engine, batch_size=batch_size)
    assert not report.written
    assert stored(engine) == 0
    assert report.reject_file is None
    located = [(e.file, e.line, e.errors[0].field) for e in report.errors]
    assert located == [
        (FILE, 2, "sex"),
        (FILE, 5, "citizen_id"),
        (FILE, 8, "ethnicity"),
        (FILE, 9, "name"),
        (FILE, 10, "-"),
    ]
    assert (report.files[0].records, report.files[0].valid, report.files[0].rejected) == (10, 5, 5)
    assert not exchange.reject_path(package).exists()


def test_validate_writes_nothing_and_summarises(engine: Engine, tmp_path: Path) -> None:
    """Validation groups errors by code with counts and examples, and leaves the database alone."""
    report = exchange.validate_package(write_package(tmp_path / "bad", _invalid_records()))
    summary = {g.code: (g.count, [line for _, line, _ in g.examples]) for g in report.summary()}
    assert summary == {
        "unknown-code": (2, [2, 8]),
        "invalid-identifier": (1, [5]),
        "invalid-input": (2, [9, 10]),
    }
    assert stored(engine) == 0


def test_keep_valid_writes_the_rest_and_a_reject_file(engine: Engine, tmp_path: Path) -> None:
    """With keep_valid the valid records are written and the rejects go to a file beside the package."""
    package = write_package(tmp_path / "bad.zip", _invalid_records())
    report = exchange.import_package(package, engine, keep_valid=True, batch_size=4)
    assert report.written
    assert stored(engine) == 5
    assert report.reject_file == str(tmp_path / "bad.rejects.jsonl")
    rejects = [json.loads(line) for line in Path(report.reject_file).read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rejects] == [2, 5, 8, 9, 10]
    assert rejects[0]["record"]["sex"] == "7"
    assert rejects[0]["errors"][0]["code"] == "unknown-code"
    assert rejects[4]["record"] == '{"employer": oops}'


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "sex: '7' is not a code of GB/T 2261.1"),
        ("zh_Hans_CN", "不是 GB/T 2261.1-2003 中的代码"),
        ("ug_CN", "GB/T 2261.1-2003 كود جەدۋىلىدىكى كود ئەمەس"),
    ],
)
def test_error_summary_is_localised(tmp_path: Path, locale: str, expected: str) -> None:
    """The summary's messages come in the reader's language, naming field and code list."""
    report = exchange.validate_package(write_package(tmp_path / "bad", _invalid_records()))
    data = report.to_dict(locale)
    [unknown] = [g for g in data["errors"] if g["code"] == "unknown-code"]
    message = unknown["examples"][0]["message"]
    assert expected in message
    assert "sex" in message
    english = report.to_dict("en")["errors"][0]["examples"][0]["message"]
    assert (message == english) is (locale == "en")


def test_export_refuses_a_part_without_adapter_and_a_full_folder(engine: Engine, tmp_path: Path) -> None:
    """Exporting a part that exchanges nothing, or into a non-empty folder, is bad input naming the field."""
    bare = parts.Part(name="bare", version="1.0.0", title={"zh_Hans_CN": "空"})
    with pytest.raises(InvalidInput) as caught:
        exchange.export_package(tmp_path / "x", engine, part=bare, sender=SENDER)
    assert caught.value.field == "part"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a").write_text("x")
    with pytest.raises(InvalidInput) as caught:
        exchange.export_package(tmp_path / "full", engine, adapters=[sample.ADAPTER], sender=SENDER)
    assert caught.value.field == "out"


def test_manifest_refuses_unsafe_paths() -> None:
    """A data file path that climbs out of the package is refused."""
    with pytest.raises(ValueError, match="relative"):
        exchange.DataFile(
            path="../x.jsonl", model_id=MODEL, model_version="1.0", records=0, sha256="0" * 64, sm3="0" * 64
        )


def test_sm3_digest_matches_the_standard_example() -> None:
    """SM3 of 'abc' is the value GB/T 32905-2016 Appendix A.1 prints."""
    digests = exchange.Digests()
    digests.update(b"abc")
    assert digests.sm3 == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert digests.lines == 0
    assert not digests.complete


def test_progress_reports_records_read(tmp_path: Path) -> None:
    """The progress callback hears the records read so far and the total, batch by batch."""
    package = write_package(tmp_path / "p", lines_of(sample.make_employees(7)))
    heard: list[tuple[int, int]] = []
    exchange.validate_package(package, batch_size=3, progress=lambda done, total: heard.append((done, total)))
    assert heard == [(3, 7), (6, 7), (7, 7)]
