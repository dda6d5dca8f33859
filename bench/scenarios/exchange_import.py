"""exchange-import: validate and import a personnel package of the data exchange format into a database.

A package as ``govparts exchange export --part personnel`` writes it: four canonical JSON Lines files
and a manifest with their SHA-256 and SM3 digests — one organisation, 20 units, the quota of the
establishment category and 200,000 synthetic employees (``govparts.personnel.synthetic.make_people``:
valid citizen ids with Xinjiang address codes, Uyghur, Han and Kazakh names). It goes through
``govparts.core.exchange.import_package`` with the personnel part's adapters into a fresh database
(SQLite, or PostgreSQL with ``run.py --db``), in one transaction: digests and record counts checked
first, then every line validated with its model's ``validate_json`` in batches of 5,000 lines
(``EmployeeRecord``: GB 11643 citizen id agreeing with birth date and sex, GB 32100 credit code,
GB/T 2260 division code, seven coded fields, dates and the rules tying them), and each batch written:
organisation, units and quota set-based, employees through the reference service's own bulk path
(organisation, unit, duplicates, supervisor and the quota under lock checked; employees and their hire
records inserted in bulk; one audit record per batch and one ``employee.hired`` outbox event per
person). Records per second count employees.

Two floors, measured in the same interleaved loop: plain pydantic validation of the same employee lines
(a model of the same 22 fields, every one ``str``, ``TypeAdapter(list[...]).validate_json`` per batch,
the same collector pause); and raw ``sqlite3.executemany`` of the same rows (``json.loads`` of each
line, no validation) into the same ``personnel_employee`` table with the same indexes and PRAGMAs (on
PostgreSQL: psycopg 3's ``COPY … FROM STDIN`` of those rows, and ``executemany``). Variants show where
the time goes: validation alone, and the service's ``import_employees`` of the same records (already
parsed) in one call. Each import gets a fresh database prepared beforehand (the floor's with the
organisation its foreign key needs).
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from harness import (
    Result,
    compare,
    copy_rows,
    executemany_rows,
    is_postgresql,
    new_database,
    scenario,
    scratch_folder,
    sqlite_path,
)
from pydantic import BaseModel, TypeAdapter

from govparts.core import exchange
from govparts.core.db import create_engine, metadata
from govparts.core.refs import OrganizationRef
from govparts.core.security import Actor
from govparts.personnel.exchange import ADAPTERS
from govparts.personnel.models import EmployeeRecord
from govparts.personnel.service import ReferenceService
from govparts.personnel.synthetic import make_credit_code, make_people

BATCH = exchange.BATCH_SIZE
PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
RAW_SQLITE = (
    "floor: raw sqlite3.executemany of the same rows into personnel_employee (json.loads, no validation)"
)
RAW_COPY = "floor: raw psycopg COPY of the same rows into personnel_employee (json.loads, no validation)"
RAW_EXECUTEMANY = "floor: raw psycopg executemany of the same rows (json.loads, no validation)"
ORG = make_credit_code(random.Random(2260), "654002")
SENDER = OrganizationRef(credit_code=ORG, name="伊宁市人力资源和社会保障局")
UNITS = tuple(f"U{n:02d}" for n in range(20))
CLERK = Actor(id="hr-clerk-01", name="王芳", roles=frozenset({"hr_clerk"}))
ADAPTERS_BY_MODEL = {a.model_id: a for a in ADAPTERS}
STAFF = f"{EmployeeRecord.standard_id}.jsonl"
FIELDS = tuple(EmployeeRecord.model_fields)
COLUMNS = (*FIELDS, "state", "version")


class PlainEmployee(BaseModel):
    """The same record with every field a plain string (or null where the record has none): the floor."""

    organization_credit_code: str
    employee_no: str
    name: str
    name_ug: str | None
    citizen_id: str
    sex: str
    birth_date: str
    ethnic_group: str
    native_place: str
    political_status: str
    education: str
    marital_status: str
    category: str
    establishment: str
    unit_code: str
    rank: str | None
    grade: str | None
    joined_on: str
    first_employment_date: str
    hire_type: str
    supervisor_no: str | None


def _files(records: int) -> dict[str, list[dict[str, Any]]]:
    """The records of each data file, JSON-ready, in export order."""
    organization = {
        "credit_code": ORG,
        "name": "伊宁市人力资源和社会保障局",
        "name_en": "Yining Human Resources and Social Security Bureau",
        "name_ug": "غۇلجا شەھەرلىك كىشىلىك بايلىق ۋە ئىجتىمائىي كاپالەت ئىدارىسى",
        "division_code": "654002",
        "kind": "government",
    }
    units = [
        {
            "organization_credit_code": ORG,
            "unit_code": code,
            "name": f"第{n + 1}科",
            "name_ug": f"{n + 1}-بۆلۈم",
            "parent_code": None,
            "effective_from": "2020-01-01",
            "effective_to": None,
        }
        for n, code in enumerate(UNITS)
    ]
    quota = [{"organization_credit_code": ORG, "establishment": "10", "quota": records}]
    people = make_people(records, organization_credit_code=ORG, unit_codes=UNITS, seed=3304)
    return {
        "govparts.personnel.Organization.jsonl": [organization],
        "govparts.personnel.OrgUnit.jsonl": units,
        "govparts.personnel.EstablishmentQuota.jsonl": quota,
        STAFF: people,
    }


def write_package(folder: Path, records: int) -> Path:
    """A folder package of the personnel part with ``records`` employees."""
    target = folder / "package"
    target.mkdir()
    entries = []
    for adapter, (name, rows) in zip(ADAPTERS, _files(records).items(), strict=True):
        assert name == f"{adapter.model_id}.jsonl"
        digests = exchange.Digests()
        with (target / name).open("wb") as stream:
            for start in range(0, len(rows), 10_000):
                chunk = b"".join(exchange.canonical_line(r) for r in rows[start : start + 10_000])
                digests.update(chunk)
                stream.write(chunk)
        entries.append(
            exchange.DataFile(
                path=name,
                model_id=adapter.model_id,
                model_version=adapter.model_version,
                records=digests.lines,
                sha256=digests.sha256,
                sm3=digests.sm3,
            )
        )
    manifest = exchange.Manifest(
        sender=SENDER, created_at=datetime(2026, 11, 25, tzinfo=UTC), files=tuple(entries)
    )
    (target / exchange.MANIFEST_NAME).write_bytes(manifest.to_bytes())
    return target


def _fresh_databases(prefix: str, count: int, *, with_organization: bool) -> list[str]:
    urls = [new_database(prefix) for _ in range(count)]
    for url in urls:
        engine = create_engine(url)
        metadata.create_all(engine)
        if with_organization:
            with engine.begin() as connection:
                connection.execute(
                    sa.text(
                        "INSERT INTO personnel_organization "
                        "(credit_code, name, name_en, name_ug, division_code, kind) "
                        "VALUES (:org, '伊宁市人力资源和社会保障局', '', '', '654002', 'government')"
                    ),
                    {"org": ORG},
                )
        engine.dispose()
    return urls


def _prepared_for_service(folder: Path, count: int, package: Path) -> list[str]:
    """Databases holding the package's organisation, units and quota, for the service's own import."""
    urls = [new_database("service") for _ in range(count)]
    for number, url in enumerate(urls):
        engine = create_engine(url)
        metadata.create_all(engine)
        manifest = exchange.read_manifest(package)
        head = [a for a in ADAPTERS if a.model_id != EmployeeRecord.standard_id]
        partial = folder / f"head-{number}"
        partial.mkdir()
        for entry in manifest.files[:3]:
            shutil.copy(package / entry.path, partial / entry.path)
        rebuilt = manifest.model_copy(update={"files": manifest.files[:3]})
        (partial / exchange.MANIFEST_NAME).write_bytes(rebuilt.to_bytes())
        report = exchange.import_package(partial, engine, adapters={a.model_id: a for a in head})
        if not report.written:
            raise AssertionError(report.to_dict("en"))
        engine.dispose()
    return urls


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


def _add_floor_ratios(result: Result, data_file: Path, raw: str) -> None:
    """Add the ratio against the raw database floor ``raw`` (timed as a variant) and the notes."""
    raw_rate = result["variants"][raw]["records_per_second"]
    result["ratio_vs_raw_sqlite" if raw == RAW_SQLITE else "ratio_vs_raw_copy"] = (
        result["subject"]["records_per_second"] / raw_rate
    )
    # Both floors one after the other do the subject's two jobs the plainest way.
    both = result["floor"]["best_seconds"] + result["variants"][raw]["best_seconds"]
    result["ratio_vs_both_floors"] = both / result["subject"]["best_seconds"]
    result["package_bytes"] = data_file.stat().st_size
    result["notes"] = [
        "model and adapters: govparts.personnel (Organization, OrgUnit, EstablishmentQuota, EmployeeRecord)",
        f"ratio vs plain pydantic validation: {result['ratio']:.2f}; "
        f"vs raw {'sqlite3 inserts' if raw == RAW_SQLITE else 'COPY'}: "
        f"{result['subject']['records_per_second'] / raw_rate:.2f}; "
        f"vs both floors in sequence: {result['ratio_vs_both_floors']:.2f}",
        f"employee data file {result['package_bytes'] / 2**20:.1f} MiB, batches of {BATCH:,} lines",
    ]


@scenario(
    "exchange-import",
    description="validate and import a personnel exchange package (JSON Lines, digests) of employees",
    default_records=200_000,
    target_ratio=None,
)
def exchange_import(records: int) -> Result:  # noqa: PLR0915 - one scenario, read top to bottom
    """import_package against plain pydantic validation and raw inserts (PostgreSQL: COPY)."""
    folder = scratch_folder()
    package = write_package(folder, records)
    data_file = package / STAFF
    runs = 5  # 3 timed, 1 memory, 1 spare
    postgresql = is_postgresql()
    subject_files = _fresh_databases("subject", runs, with_organization=False)
    floor_files = _fresh_databases("floor", runs, with_organization=True)
    executemany_files = _fresh_databases("floor", runs if postgresql else 0, with_organization=True)
    service_files = _prepared_for_service(folder, runs, package)
    plain = TypeAdapter(list[PlainEmployee])
    typed_one: TypeAdapter[EmployeeRecord] = TypeAdapter(EmployeeRecord)
    marks = ", ".join("?" * len(COLUMNS))
    insert = f"INSERT INTO personnel_employee ({', '.join(COLUMNS)}) VALUES ({marks})"

    def subject() -> object:
        engine = create_engine(subject_files.pop())
        report = exchange.import_package(package, engine, adapters=ADAPTERS_BY_MODEL)
        engine.dispose()
        if not report.written or report.files[-1].inserted != records:
            raise AssertionError(report.to_dict("en"))
        return report

    def validate_only() -> object:
        report = exchange.validate_package(package, adapters=ADAPTERS_BY_MODEL)
        if report.files[-1].valid != records:
            raise AssertionError(report.to_dict("en"))
        return report

    def typed_per_line() -> object:
        for batch in _batches(data_file):
            with _paused():
                for line in batch:
                    typed_one.validate_json(line)
        return None

    def service_import() -> object:
        service = ReferenceService(create_engine(service_files.pop()))
        with data_file.open("rb") as stream:
            rows = [json.loads(line) for line in stream]
        report = service.import_employees(CLERK, ORG, rows)
        service.engine.dispose()
        if report.written != records:
            raise AssertionError(report.errors[:3])
        return report

    def plain_validation() -> object:
        for batch in _batches(data_file):
            with _paused():
                plain.validate_json(b"[" + b",".join(batch) + b"]")
        return None

    def raw_rows() -> list[tuple[Any, ...]]:
        with data_file.open("rb") as stream:
            return [(*(record[c] for c in FIELDS), "active", 1) for record in map(json.loads, stream)]

    def raw_copy() -> object:
        return copy_rows(floor_files.pop(), "personnel_employee", COLUMNS, raw_rows())

    def raw_executemany() -> object:
        return executemany_rows(executemany_files.pop(), "personnel_employee", COLUMNS, raw_rows())

    def raw_sqlite() -> object:
        connection = sqlite3.connect(sqlite_path(floor_files.pop()))
        for pragma in PRAGMAS:
            connection.execute(pragma)
        rows = raw_rows()
        with connection:
            connection.executemany(insert, rows)
        connection.close()
        return len(rows)

    # Warm up: code tables and validators built outside the timed runs.
    validate_only()
    plain_validation()
    raw: dict[str, Callable[[], object]] = (
        {RAW_COPY: raw_copy, RAW_EXECUTEMANY: raw_executemany} if postgresql else {RAW_SQLITE: raw_sqlite}
    )
    variants: dict[str, Callable[[], object]] = {
        **raw,
        "validate_package only (digests + validation, no database)": validate_only,
        "typed validate_json line by line, as import_package does (no database)": typed_per_line,
        "ReferenceService.import_employees of the same records in one call (json.loads, no package)": (
            service_import
        ),
    }
    result = compare(
        name="exchange-import",
        records=records,
        subject=subject,
        floor=plain_validation,
        subject_label=(
            "exchange.import_package, personnel adapters: digests, per-line validation, the service's "
            "checks and bulk writes, audit, employee.hired events, "
            f"{'PostgreSQL' if postgresql else 'SQLite'}"
        ),
        floor_label="TypeAdapter(list[PlainEmployee]).validate_json, same lines, batches and GC pause",
        target_ratio=None,
        variants=variants,
    )
    _add_floor_ratios(result, data_file, RAW_COPY if postgresql else RAW_SQLITE)
    return result
