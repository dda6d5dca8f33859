"""exchange-flood: validate a package of a million invalid lines (``{}``) in bounded memory (issue 15.5).

A hostile or broken package: one data file of the core sample model (``govparts.core.exchange.sample``,
ten required fields) holding ``{}`` on every line, 3 MB, with a manifest whose digests and count
match, so that it passes the package check and every line is parsed. Before issue 15 this took 2.0
GB and 94 s. ``validate_package`` now counts the errors by code and keeps the first few of each
(``exchange.Limits``), builds govparts errors only for what it keeps, and validates a repeated short
invalid line once; the target is a peak below 200 MB.

Floor, in the same interleaved loop: plain pydantic, ``TypeAdapter(PlainEmployee).validate_json`` of
each line (the same ten fields as ``str``), catching and dropping each ``ValidationError``, with the
same collector pause. Variant: the same package zipped (3 MB of lines in a few KB of zip), which the
package check refuses by its compression ratio without inflating it.
"""

from __future__ import annotations

import gc
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from harness import Result, compare, peak_memory, scenario, scratch_folder
from pydantic import BaseModel, TypeAdapter, ValidationError

from govparts.core import exchange
from govparts.core.exchange import sample
from govparts.core.refs import OrganizationRef

SENDER = OrganizationRef(credit_code="11650102MB00000013", name="乌鲁木齐市天山区人民政府办公室")
ADAPTERS = {sample.ADAPTER.model_id: sample.ADAPTER}
FILE = f"{sample.ADAPTER.model_id}.jsonl"
TARGET_BYTES = 200 * 2**20


class PlainEmployee(BaseModel):
    """The sample model's fields as plain strings: the floor."""

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


def write_packages(folder: Path, records: int) -> tuple[Path, Path]:
    """A folder package and a zip package, each with ``records`` lines of ``{}``."""
    data = b"{}\n" * records
    digests = exchange.Digests()
    digests.update(data)
    entry = exchange.DataFile(
        path=FILE,
        model_id=sample.ADAPTER.model_id,
        model_version=sample.ADAPTER.model_version,
        records=digests.lines,
        sha256=digests.sha256,
        sm3=digests.sm3,
    )
    manifest = exchange.Manifest(
        sender=SENDER, created_at=datetime(2026, 11, 25, tzinfo=UTC), files=(entry,)
    ).to_bytes()
    package = folder / "flood"
    package.mkdir()
    (package / FILE).write_bytes(data)
    (package / exchange.MANIFEST_NAME).write_bytes(manifest)
    zipped = folder / "flood.zip"
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(FILE, data)
        zf.writestr(exchange.MANIFEST_NAME, manifest)
    return package, zipped


@scenario(
    "exchange-flood",
    description="validate a package of 1,000,000 invalid lines ({}) in bounded memory (< 200 MB)",
    default_records=1_000_000,
    target_ratio=None,
)
def exchange_flood(records: int) -> Result:
    """validate_package of a flood of invalid lines against plain pydantic validation of the same lines."""
    folder = scratch_folder()  # removed by the harness when the scenario ends, failed or not
    package, zipped = write_packages(folder, records)
    plain = TypeAdapter(PlainEmployee)
    data_file = package / FILE

    def subject() -> object:
        report = exchange.validate_package(package, adapters=ADAPTERS)
        if report.invalid_records != records:
            raise AssertionError(report.to_dict("en"))
        return report

    def floor() -> object:
        refused = 0
        validate = plain.validate_json
        gc.disable()
        try:
            with data_file.open("rb") as stream:
                for line in stream:
                    try:
                        validate(line)
                    except ValidationError:
                        refused += 1
        finally:
            gc.enable()
        return refused

    def zipped_bomb() -> object:
        # Over 1 MiB of lines the ratio refuses it; a smoke run's small zip is validated, bounded alike.
        try:
            report = exchange.validate_package(zipped, adapters=ADAPTERS)
        except exchange.InvalidPackage as refused:
            return refused
        if report.invalid_records != records:
            raise AssertionError(report.to_dict("en"))
        return report

    subject()  # warm up: validators and code tables built outside the timed runs
    result = compare(
        name="exchange-flood",
        records=records,
        subject=subject,
        floor=floor,
        subject_label="exchange.validate_package: digests, per-line validation, errors counted by code",
        floor_label="TypeAdapter(PlainEmployee).validate_json per line, ValidationError dropped",
        target_ratio=None,
        variants={"the same lines zipped (refused by the package check beyond 1 MiB of lines)": zipped_bomb},
    )
    peak = result["subject"]["peak_memory_bytes"]
    result["zip_bytes"] = zipped.stat().st_size
    result["zip_refusal_peak_memory_bytes"] = peak_memory(zipped_bomb)
    result["target_peak_memory_bytes"] = TARGET_BYTES
    result["meets_target"] = peak < TARGET_BYTES
    result["notes"] = [
        f"peak memory of validate_package: {peak / 2**20:.1f} MiB (target < {TARGET_BYTES / 2**20:.0f} MiB); "
        f"floor {result['floor']['peak_memory_bytes'] / 2**20:.1f} MiB",
        f"ratio to the floor (plain pydantic, errors dropped): {result['ratio']:.2f}",
        f"zip of the same lines: {result['zip_bytes']:,} bytes "
        f"(peak {result['zip_refusal_peak_memory_bytes'] / 2**20:.1f} MiB)",
    ]
    return result
