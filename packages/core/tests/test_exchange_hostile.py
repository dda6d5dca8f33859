"""Exchange packages made to hurt (issue 15): hostile lines, floods, zip bombs, links, repeated keys.

Also what every import promises whatever the package holds: counts that add up, nothing shown as
inserted when the import rolled back, one audit record per written batch, and exports written whole
or not at all.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from govparts.core import audit, exchange, parts
from govparts.core.errors import ConfigurationError, InvalidInput
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


def manifest_for(data: bytes, *, model: str = MODEL, path: str = FILE) -> exchange.Manifest:
    """A manifest whose one data file holds ``data``."""
    digests = exchange.Digests()
    digests.update(data)
    entry = exchange.DataFile(
        path=path,
        model_id=model,
        model_version="1.0",
        records=digests.lines,
        sha256=digests.sha256,
        sm3=digests.sm3,
    )
    return exchange.Manifest(sender=SENDER, created_at=WHEN, files=(entry,))


def folder_package(target: Path, data: bytes) -> Path:
    """A folder package holding ``data`` as its data file."""
    target.mkdir(parents=True)
    (target / FILE).write_bytes(data)
    (target / exchange.MANIFEST_NAME).write_bytes(manifest_for(data).to_bytes())
    return target


def zip_package(target: Path, data: bytes) -> Path:
    """A zip package holding ``data`` as its data file (deflated)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(FILE, data)
        zf.writestr(exchange.MANIFEST_NAME, manifest_for(data).to_bytes())
    return target


def employees(count: int, *, seed: int = 0) -> list[bytes]:
    """Canonical lines of ``count`` valid sample employees."""
    return [exchange.canonical_line(r) for r in sample.make_employees(count, seed=seed)]


def stored(engine: Engine) -> int:
    """How many sample employees the database holds."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sample.ADAPTER.table)).scalar_one())


def import_records(engine: Engine) -> list[sa.Row[Any]]:
    """The audit records of imports, oldest first."""
    with engine.connect() as conn:
        query = sa.select(audit.AuditRecord).where(  # type: ignore[call-overload]
            audit.AuditRecord.action == exchange.IMPORT_ACTION  # type: ignore[arg-type]
        )
        return list(conn.execute(query.order_by(audit.AuditRecord.seq)).all())  # type: ignore[arg-type]


HOSTILE = [
    b'"\\ud800"\n',
    b'{"name":"\\ud800","employer":"\\udfff"}\n',
    b"[" * 100_000 + b"\n",
    b"{" * 50_000 + b"\n",
    b"\xff\xfe\x00garbage\n",
    b'{"\\u202eevil\\u0007":1}\n',
]


@pytest.mark.parametrize("form", ["folder", "package.zip"])
def test_hostile_lines_are_rejected_without_a_crash(engine: Engine, tmp_path: Path, form: str) -> None:
    """A lone surrogate, 100,000 nested brackets or bytes that are not UTF-8 are rejected lines, also
    in the rejects file."""
    good = employees(2)
    data = b"".join([good[0], *HOSTILE, good[1]])
    target = tmp_path / form
    package = zip_package(target, data) if form.endswith(".zip") else folder_package(target, data)
    checked = exchange.validate_package(package)
    assert (checked.records, checked.invalid_records) == (len(HOSTILE) + 2, len(HOSTILE))
    json.dumps(checked.to_dict("en"), ensure_ascii=False).encode()  # fit to print, whatever came
    report = exchange.import_package(package, engine, keep_valid=True)
    assert report.written
    assert stored(engine) == 2
    assert report.reject_file is not None
    rejects = [json.loads(line) for line in Path(report.reject_file).read_bytes().splitlines()]
    assert [r["line"] for r in rejects] == list(range(2, len(HOSTILE) + 2))
    assert rejects[0]["record"] == "\ud800"
    shown = json.dumps(report.to_dict("en"), ensure_ascii=False)
    assert "\u202e" not in shown
    assert "\u0007" not in shown


def test_a_flood_of_invalid_lines_is_counted_not_kept(tmp_path: Path) -> None:
    """Errors are counted by code with a few examples kept; the report holds at most kept_errors records."""
    lines = 5_000
    package = folder_package(tmp_path / "flood", b"{}\n" * lines)
    limits = exchange.Limits(kept_errors=7, examples=2)
    report = exchange.validate_package(package, limits=limits, batch_size=1_000)
    fields = len(sample.SampleEmployee.model_fields)
    assert (report.invalid_records, len(report.errors)) == (lines, 7)
    [group] = report.summary(examples=5)
    assert (group.code, group.count, len(group.examples)) == ("invalid-input", lines * fields, 2)
    assert report.files[0].rejected == lines
    assert report.to_dict()["invalid_records"] == lines


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    """A small zip that expands to a million lines of {} is refused by its compression ratio."""
    package = zip_package(tmp_path / "bomb.zip", b"{}\n" * 1_000_000)
    assert package.stat().st_size < 20_000
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.validate_package(package)
    assert "expands more than 100 times" in caught.value.message("en")


def test_what_a_zip_may_expand_to_is_declared(tmp_path: Path) -> None:
    """A zip whose data files expand beyond Limits.expanded_bytes is refused, naming the limit."""
    package = zip_package(tmp_path / "big.zip", b"".join(employees(20)))
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.validate_package(package, limits=exchange.Limits(expanded_bytes=1_000))
    assert "more than 1000 bytes" in caught.value.message("en")
    assert exchange.validate_package(package).ok


def test_a_line_beyond_the_limit_is_rejected_unread(tmp_path: Path) -> None:
    """A line longer than Limits.line_bytes is one rejected record; the lines after it keep their numbers."""
    good = employees(3)
    data = good[0] + b'{"name":"' + b"x" * 5_000 + b'"}\n' + good[1] + good[2]
    report = exchange.validate_package(
        folder_package(tmp_path / "long", data), limits=exchange.Limits(line_bytes=1_000)
    )
    assert [(e.line, e.errors[0].message("en")) for e in report.errors] == [
        (2, "-: the record is longer than 1000 bytes")
    ]
    assert report.files[0].valid == 3


def test_a_linked_data_file_is_refused_and_its_target_never_shown(tmp_path: Path) -> None:
    """A data file that is a link (to a local file, digests made to match) is refused unread."""
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"TOPSECRET-9f3a\n")
    package = folder_package(tmp_path / "linked", b"".join(employees(1)))
    (package / FILE).unlink()
    (package / FILE).symlink_to(secret)
    with pytest.raises(exchange.InvalidPackage) as caught:
        exchange.validate_package(package)
    message = json.dumps(caught.value.to_dict("en"))
    assert "not a regular file inside the package" in message
    digests = exchange.Digests()
    digests.update(secret.read_bytes())
    assert digests.sha256 not in message
    assert digests.sm3 not in message
    assert "TOPSECRET" not in message


def test_a_linked_manifest_or_folder_is_refused(tmp_path: Path) -> None:
    """The manifest as a link, or a data file reached through a linked folder, is refused."""
    data = b"".join(employees(2))
    package = folder_package(tmp_path / "pkg", data)
    outside = tmp_path / "manifest-elsewhere.json"
    (package / exchange.MANIFEST_NAME).rename(outside)
    (package / exchange.MANIFEST_NAME).symlink_to(outside)
    with pytest.raises(exchange.InvalidPackage, match="not a regular file"):
        exchange.read_manifest(package)

    nested = tmp_path / "nested"
    nested.mkdir()
    real = tmp_path / "real"
    real.mkdir()
    (real / FILE).write_bytes(data)
    (nested / "sub").symlink_to(real)
    manifest = manifest_for(data, path=f"sub/{FILE}")
    (nested / exchange.MANIFEST_NAME).write_bytes(manifest.to_bytes())
    with pytest.raises(exchange.InvalidPackage, match="not a regular file"):
        exchange.check_package(nested)


def test_a_zip_member_that_is_a_link_is_refused(tmp_path: Path) -> None:
    """A zip member marked as a symbolic link is refused like a linked file."""
    data = b"".join(employees(2))
    package = tmp_path / "link.zip"
    with zipfile.ZipFile(package, "w") as zf:
        info = zipfile.ZipInfo(FILE)
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, data)
        zf.writestr(exchange.MANIFEST_NAME, manifest_for(data).to_bytes())
    with pytest.raises(exchange.InvalidPackage, match="not a regular file"):
        exchange.check_package(package)


def test_a_manifest_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    """A manifest larger than Limits.manifest_bytes is refused without being parsed."""
    package = folder_package(tmp_path / "pkg", b"".join(employees(1)))
    with pytest.raises(exchange.InvalidPackage, match="larger than 100 bytes"):
        exchange.read_manifest(package, limits=exchange.Limits(manifest_bytes=100))


def test_a_damaged_zip_is_an_invalid_package(tmp_path: Path) -> None:
    """A zip whose compressed bytes were changed is refused as a package, not a crash."""
    package = zip_package(tmp_path / "bad.zip", b"".join(employees(50)))
    raw = bytearray(package.read_bytes())
    start = raw.index(b"PK\x03\x04") + 30 + len(FILE) + 10
    raw[start : start + 40] = b"\x00" * 40
    package.write_bytes(bytes(raw))
    with pytest.raises(exchange.InvalidPackage):
        exchange.validate_package(package)


def test_control_characters_and_identity_numbers_are_not_echoed(tmp_path: Path) -> None:
    """Rejected values are shown escaped, cut short and with identity numbers masked."""
    record = sample.make_employees(1)[0]
    citizen = record["citizen_id"]
    bad = {**record, "name": 7, "employee_no": "\x1b[2J" + citizen, "residence": "x" * 500}
    package = folder_package(tmp_path / "echo", exchange.canonical_line(bad))
    report = exchange.validate_package(package)
    shown = json.dumps(report.to_dict("en"), ensure_ascii=False)
    assert "\x1b" not in shown
    assert citizen not in shown
    assert "x" * 100 not in shown


def test_a_key_twice_is_a_rejected_line_across_batches(engine: Engine, tmp_path: Path) -> None:
    """A key repeated in a later batch is rejected naming the key; with keep_valid the first goes in."""
    records = sample.make_employees(5)
    twin = {**records[0], "monthly_salary": "1.00"}
    lines = [exchange.canonical_line(r) for r in [*records, twin]]
    package = folder_package(tmp_path / "twice", b"".join(lines))
    report = exchange.import_package(package, engine, batch_size=2)
    assert not report.written
    assert [(e.line, e.errors[0].code, e.errors[0].field) for e in report.errors] == [
        (6, "duplicate-key", "employee_no")
    ]
    assert stored(engine) == 0
    kept = exchange.import_package(package, engine, batch_size=2, keep_valid=True)
    counts = kept.files[0]
    assert (counts.records, counts.valid, counts.inserted, counts.unchanged, counts.rejected) == (
        6,
        5,
        5,
        0,
        1,
    )
    with engine.connect() as conn:
        salary = conn.execute(
            sa.select(sample.ADAPTER.table.c.monthly_salary).where(
                sample.ADAPTER.table.c.employee_no == records[0]["employee_no"]
            )
        ).scalar_one()
    assert str(salary) == records[0]["monthly_salary"]


class _Miscounting:
    """The sample adapter, but reporting one record fewer than it wrote."""

    model = sample.SampleEmployee
    model_id = MODEL
    model_version = "1.0"

    def export(self, engine: Engine) -> Iterator[BaseModel]:
        """Nothing to export."""
        return iter(())

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> exchange.ImportReport:
        """Write through the sample adapter and lose one record from the counts."""
        report = sample.ADAPTER.import_records(connection, records, keep_valid=keep_valid)
        report.inserted -= 1
        return report


def test_an_adapter_whose_counts_do_not_add_up_fails_the_import(engine: Engine, tmp_path: Path) -> None:
    """An adapter reporting fewer records than it was given fails the import, which writes nothing."""
    package = folder_package(tmp_path / "pkg", b"".join(employees(4)))
    with pytest.raises(ConfigurationError, match="accounted for 3 of 4 records"):
        exchange.import_package(package, engine, adapters={MODEL: _Miscounting()})
    assert stored(engine) == 0


def test_a_rolled_back_import_shows_nothing_inserted(engine: Engine, tmp_path: Path) -> None:
    """When a later line fails, the batches written before it are rolled back and the report says 0."""
    lines = employees(6)
    package = folder_package(tmp_path / "late", b"".join([*lines, b"{}\n"]))
    report = exchange.import_package(package, engine, batch_size=2)
    assert not report.written
    counts = report.files[0]
    assert (counts.records, counts.valid, counts.rejected, counts.inserted, counts.unchanged) == (
        7,
        6,
        1,
        0,
        0,
    )
    assert stored(engine) == 0
    assert import_records(engine) == []


def test_every_written_batch_leaves_an_audit_record(engine: Engine, tmp_path: Path) -> None:
    """Each batch that inserts leaves one audit record naming the package, sender and counts; the
    chain verifies; a re-import that changes nothing adds none."""
    package = folder_package(tmp_path / "pkg", b"".join(employees(5)))
    report = exchange.import_package(package, engine, batch_size=2, actor="clerk-7")
    assert report.written
    found = import_records(engine)
    assert [r.details["lines"] for r in found] == [[1, 2], [3, 4], [5, 5]]
    assert {(r.entity, r.entity_id, r.actor_id) for r in found} == {
        (exchange.IMPORT_ENTITY, report.package_sha256, "clerk-7")
    }
    assert sum(r.details["inserted"] for r in found) == 5
    assert found[0].details["sender"] == SENDER.credit_code
    assert audit.verify(engine).ok
    again = exchange.import_package(package, engine, batch_size=2)
    assert again.written
    assert len(import_records(engine)) == 3


def test_export_never_replaces_an_existing_zip(engine: Engine, tmp_path: Path) -> None:
    """--out naming an existing file is refused and the file is left as it was."""
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    existing = tmp_path / "precious.zip"
    existing.write_bytes(b"keep me")
    with pytest.raises(InvalidInput, match="exists already"):
        exchange.export_package(existing, engine, adapters=[sample.ADAPTER], sender=SENDER)
    assert existing.read_bytes() == b"keep me"
    as_folder = tmp_path / "a-file"
    as_folder.write_bytes(b"keep me too")
    with pytest.raises(InvalidInput, match="exists already"):
        exchange.export_package(as_folder, engine, adapters=[sample.ADAPTER], sender=SENDER)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "precious.zip"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_export_to_an_unwritable_folder_is_bad_input(engine: Engine, tmp_path: Path) -> None:
    """A folder that cannot be written is an InvalidInput naming out, not an OSError."""
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(InvalidInput) as caught:
        exchange.export_package(locked / "x.zip", engine, adapters=[sample.ADAPTER], sender=SENDER)
    assert caught.value.field == "out"


def test_export_into_a_missing_folder_is_bad_input(engine: Engine, tmp_path: Path) -> None:
    """A path whose folder does not exist is refused naming out; nothing is created."""
    with pytest.raises(InvalidInput) as caught:
        exchange.export_package(tmp_path / "no" / "x.zip", engine, adapters=[sample.ADAPTER], sender=SENDER)
    assert caught.value.field == "out"
    assert not (tmp_path / "no").exists()


class _Failing(_Miscounting):
    """An adapter whose export fails after its first records."""

    model_id = "govparts.test.FailingExport"

    def export(self, engine: Engine) -> Iterator[BaseModel]:
        """Two records, then a failure."""
        yield from list(sample.ADAPTER.export(engine))[:2]
        raise RuntimeError("the database went away")


@pytest.mark.parametrize("name", ["out.zip", "out"])
def test_a_failed_export_leaves_nothing_behind(engine: Engine, tmp_path: Path, name: str) -> None:
    """An export that fails half-way leaves neither a package nor a half-written file or folder."""
    exchange.import_package(folder_package(tmp_path / "src", b"".join(employees(4))), engine)
    target = tmp_path / "dest"
    target.mkdir()
    with pytest.raises(RuntimeError):
        exchange.export_package(target / name, engine, adapters=[sample.ADAPTER, _Failing()], sender=SENDER)
    assert list(target.iterdir()) == []
    exchange.export_package(target / name, engine, adapters=[sample.ADAPTER], sender=SENDER)
    assert exchange.validate_package(target / name).ok


def test_an_error_first_seen_after_a_flood_still_gets_its_example(tmp_path: Path) -> None:
    """After the kept records are full, a new kind of error is still shown with its line."""
    late = {**sample.make_employees(1)[0], "sex": "7"}
    data = b"{}\n" * 300 + exchange.canonical_line(late) + b'{"a":1}\n' * 50
    report = exchange.validate_package(
        folder_package(tmp_path / "late", data), limits=exchange.Limits(kept_errors=5), batch_size=64
    )
    groups = {g.code: g for g in report.summary()}
    assert [(f, line) for f, line, _ in groups["unknown-code"].examples] == [(FILE, 301)]
    fields = len(sample.SampleEmployee.model_fields)
    assert groups["invalid-input"].count == 300 * fields + 50 * (fields + 1)
    assert (report.invalid_records, len(report.errors)) == (351, 5)


def test_an_import_killed_midway_leaves_nothing_and_a_rerun_completes(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """kill -9 during an import (batches already written in its transaction) leaves no record and
    no audit record; running it again imports everything once and the chain verifies."""
    package = folder_package(tmp_path / "big", b"".join(employees(5_000, seed=3)))
    script = f"""
import sys, time
from govparts.core import exchange
from govparts.core.db import create_engine
from govparts.core.exchange import sample

def progress(done, total):
    if done >= 2_000:
        print("midway", flush=True)
        time.sleep(120)

exchange.import_package(
    {str(package)!r}, create_engine({db_url!r}), batch_size=500, progress=progress,
    adapters={{sample.ADAPTER.model_id: sample.ADAPTER}},
)
"""
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "midway"
    finally:
        child.kill()
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert stored(engine) == 0
    assert import_records(engine) == []
    report = exchange.import_package(package, engine, batch_size=500)
    assert (report.written, report.files[0].inserted, stored(engine)) == (True, 5_000, 5_000)
    assert audit.verify(engine).ok
