"""exchange-import: validate and import a package of the data exchange format into SQLite.

A 200,000-record package (one canonical JSON Lines file of employee-like records and its manifest
with SHA-256 and SM3 digests) goes through ``govparts.core.exchange.import_package`` into a fresh
SQLite database: the digests and record count checked first, then every line validated with
``SampleEmployee``'s ``validate_json`` in batches of 5,000 lines (GB 11643 citizen id, GB 32100 credit
code, GB/T 2260 division code, three coded fields, a date, ``Money``) and each batch written through
the sample part's adapter (``INSERT … ON CONFLICT DO NOTHING`` in bulk, idempotent), in one
transaction. The model and adapter are :mod:`govparts.core.exchange.sample`: no part publishes an
exchange adapter yet.

Two floors, measured in the same interleaved loop: plain pydantic validation of the same lines (a
model of 10 ``str`` fields, ``TypeAdapter(list[...]).validate_json`` per batch, the same collector
pause); and raw ``sqlite3.executemany`` of the same rows (``json.loads`` of each line, no validation)
into the same table with the same PRAGMAs. Variants show where the time goes and compare batched with
per-line validation of the typed model. Each import gets a fresh database prepared beforehand.
"""

from __future__ import annotations

import gc
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from harness import Result, compare, scenario
from pydantic import BaseModel, TypeAdapter

from govparts.core import exchange
from govparts.core.db import create_engine
from govparts.core.exchange import sample
from govparts.core.refs import OrganizationRef

BATCH = exchange.BATCH_SIZE
PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
RAW_SQLITE = "floor: raw sqlite3.executemany of the same rows (json.loads, no validation)"
SENDER = OrganizationRef(credit_code="11650102MB00000013", name="伊犁哈萨克自治州数据交换中心")


class PlainEmployee(BaseModel):
    """The same record with every field a plain string: the validation floor."""

    employer: str
    employee_no: str
    name: str
    citizen_id: str
    residence: str
    sex: str
    ethnicity: str
    political_affiliation: str
    hired_on: str
    monthly_salary: str


def write_package(folder: Path, records: int) -> Path:
    """A folder package of ``records`` synthetic sample employees."""
    target = folder / "package"
    target.mkdir()
    name = f"{sample.SampleEmployee.standard_id}.jsonl"
    digests = exchange.Digests()
    with (target / name).open("wb") as stream:
        for start in range(0, records, 50_000):
            rows = sample.make_employees(
                min(50_000, records - start), employers=max(1, records // 100), seed=0
            )
            chunk = b"".join(
                exchange.canonical_line({**r, "employee_no": f"E{start + n:07d}"}) for n, r in enumerate(rows)
            )
            digests.update(chunk)
            stream.write(chunk)
    manifest = exchange.Manifest(
        sender=SENDER,
        created_at=datetime(2026, 11, 25, tzinfo=UTC),
        files=(
            exchange.DataFile(
                path=name,
                model_id=sample.ADAPTER.model_id,
                model_version=sample.ADAPTER.model_version,
                records=digests.lines,
                sha256=digests.sha256,
                sm3=digests.sm3,
            ),
        ),
    )
    (target / exchange.MANIFEST_NAME).write_bytes(manifest.to_bytes())
    return target


def _fresh_databases(folder: Path, prefix: str, count: int) -> list[Path]:
    files = [folder / f"{prefix}-{n}.db" for n in range(count)]
    for path in files:
        engine = create_engine(f"sqlite:///{path}")
        sample.ADAPTER.table.create(engine)
        engine.dispose()
    return files


def _add_floor_ratios(result: Result, sqlite_label: str, data_file: Path) -> None:
    """Add the ratio against the raw sqlite3 floor (timed as a variant) and the notes."""
    sqlite_rate = result["variants"][sqlite_label]["records_per_second"]
    result["ratio_vs_raw_sqlite"] = result["subject"]["records_per_second"] / sqlite_rate
    # Both floors one after the other do the subject's two jobs the plainest way.
    both = result["floor"]["best_seconds"] + result["variants"][sqlite_label]["best_seconds"]
    result["ratio_vs_both_floors"] = both / result["subject"]["best_seconds"]
    result["package_bytes"] = data_file.stat().st_size
    result["notes"] = [
        "model and adapter: govparts.core.exchange.sample (no part publishes an exchange adapter yet)",
        f"ratio vs plain pydantic validation: {result['ratio']:.2f}; "
        f"vs raw sqlite3 inserts: {result['ratio_vs_raw_sqlite']:.2f}; "
        f"vs both floors in sequence: {result['ratio_vs_both_floors']:.2f}",
        f"package data file {result['package_bytes'] / 2**20:.1f} MiB, batches of {BATCH:,} lines",
    ]


@contextmanager
def _paused() -> Iterator[None]:
    """The garbage-collector pause import_package makes around each batch, for the floors too."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _batches(path: Path) -> list[list[bytes]]:
    with path.open("rb") as stream:
        lines = stream.readlines()
    return [lines[i : i + BATCH] for i in range(0, len(lines), BATCH)]


@scenario(
    "exchange-import",
    description="validate and import an exchange package (JSON Lines, digests) of employee-like records",
    default_records=200_000,
    target_ratio=None,
)
def exchange_import(records: int) -> Result:
    """import_package into SQLite against plain pydantic validation and raw sqlite3 inserts."""
    folder = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    package = write_package(folder, records)
    data_file = package / f"{sample.SampleEmployee.standard_id}.jsonl"
    adapters = {sample.ADAPTER.model_id: sample.ADAPTER}
    runs = 5  # 3 timed, 1 memory, 1 spare
    subject_files = _fresh_databases(folder, "subject", runs)
    floor_files = _fresh_databases(folder, "floor", runs)
    plain = TypeAdapter(list[PlainEmployee])
    typed_one: TypeAdapter[sample.SampleEmployee] = TypeAdapter(sample.SampleEmployee)
    typed = TypeAdapter(list[sample.SampleEmployee])
    columns = list(sample.SampleEmployee.model_fields)
    marks = ", ".join("?" * len(columns))
    insert = f"INSERT INTO {sample.ADAPTER.table.name} ({', '.join(columns)}) VALUES ({marks})"

    def subject() -> object:
        engine = create_engine(f"sqlite:///{subject_files.pop()}")
        report = exchange.import_package(package, engine, adapters=adapters)
        engine.dispose()
        if not report.written or report.files[0].inserted != records:
            raise AssertionError(report.to_dict("en"))
        return report

    def validate_only() -> object:
        report = exchange.validate_package(package, adapters=adapters)
        if report.files[0].valid != records:
            raise AssertionError(report.to_dict("en"))
        return report

    def typed_per_line() -> object:
        for batch in _batches(data_file):
            with _paused():
                for line in batch:
                    typed_one.validate_json(line)
        return None

    def typed_batched() -> object:
        for batch in _batches(data_file):
            with _paused():
                typed.validate_json(b"[" + b",".join(batch) + b"]")
        return None

    def plain_validation() -> object:
        for batch in _batches(data_file):
            with _paused():
                plain.validate_json(b"[" + b",".join(batch) + b"]")
        return None

    def raw_sqlite() -> object:
        connection = sqlite3.connect(floor_files.pop())
        for pragma in PRAGMAS:
            connection.execute(pragma)
        with data_file.open("rb") as stream:
            rows = [tuple(record[c] for c in columns) for record in map(json.loads, stream)]
        with connection:
            connection.executemany(insert, rows)
        connection.close()
        return len(rows)

    # Warm up: code tables and validators built outside the timed runs.
    validate_only()
    plain_validation()
    floors: dict[str, Callable[[], object]] = {
        RAW_SQLITE: raw_sqlite,
        "validate_package only (digests + validation, no database)": validate_only,
        "typed list validate_json per 5,000-line batch (no database, no digests)": typed_batched,
        "typed validate_json line by line, as import_package does (no database, no digests)": typed_per_line,
    }
    result = compare(
        name="exchange-import",
        records=records,
        subject=subject,
        floor=plain_validation,
        subject_label="exchange.import_package: digests, per-line validation, idempotent bulk insert, SQLite",
        floor_label="TypeAdapter(list[PlainEmployee]).validate_json, same lines, batches and GC pause",
        target_ratio=None,
        variants=floors,
    )
    _add_floor_ratios(result, RAW_SQLITE, data_file)
    shutil.rmtree(folder, ignore_errors=True)
    return result
