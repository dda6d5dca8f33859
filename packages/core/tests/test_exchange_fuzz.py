"""Every reader of outside data fuzzed (issue 15.5): no input yields anything but a govparts error.

The readers are the manifest, a JSON Lines line (through the whole validate path, rejects file
included), the national identifiers and code values as exchanged fields. Each returns a value or
raises a :class:`~govparts.core.errors.GovPartsError` (or pydantic's ``ValidationError`` where a
field is read alone, which ``from_validation_error`` turns into govparts errors); a report is always
printable as JSON and encodable as UTF-8.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from govparts.core import exchange, ids, parts
from govparts.core.codes import Coded
from govparts.core.errors import from_validation_error
from govparts.core.exchange import sample
from govparts.core.refs import OrganizationRef

SENDER = OrganizationRef(credit_code="11650102MB00000013", name="乌鲁木齐市天山区人民政府办公室")
FILE = f"{sample.SampleEmployee.standard_id}.jsonl"
ADAPTERS = {sample.ADAPTER.model_id: sample.ADAPTER}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
"""Any JSON value, text with any code point (lone surrogates, controls, bidi overrides) included."""

NEAR_RECORDS = st.fixed_dictionaries(
    {}, optional={name: JSON_VALUES for name in sample.SampleEmployee.model_fields}
)
"""Objects with some of the sample model's fields, each holding anything."""


def _json_line(value: Any) -> bytes:
    # ensure_ascii keeps lone surrogates as \\ud800 escapes: what a hostile sender can write.
    return (json.dumps(value) + "\n").encode()


LINES = st.one_of(
    st.binary(max_size=200).map(lambda b: b.replace(b"\n", b" ") + b"\n"),
    JSON_VALUES.map(_json_line),
    NEAR_RECORDS.map(_json_line),
    st.integers(1, 3_000).map(lambda n: b"[" * n + b"\n"),
    st.sampled_from([b'"\\ud800"\n', b'{"name":"\\udfff"}\n', b"\xed\xa0\x80\n", b"\n", b"\r\n"]),
)


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample part is the one installed part (through a patched entry point)."""
    entry = EntryPoint(
        name="exchange-sample", value="govparts.core.exchange.sample_part:PART", group=parts.ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        parts, "entry_points", lambda group: [entry] if group == parts.ENTRY_POINT_GROUP else []
    )


def _package(folder: Path, data: bytes) -> Path:
    digests = exchange.Digests()
    digests.update(data)
    entry = exchange.DataFile(
        path=FILE,
        model_id=sample.ADAPTER.model_id,
        model_version="1.0",
        records=digests.lines,
        sha256=digests.sha256,
        sm3=digests.sm3,
    )
    manifest = exchange.Manifest(sender=SENDER, created_at="2026-11-25T08:30:00Z", files=(entry,))  # type: ignore[arg-type]
    folder.mkdir()
    (folder / FILE).write_bytes(data)
    (folder / exchange.MANIFEST_NAME).write_bytes(manifest.to_bytes())
    return folder


def _printable(payload: Any) -> None:
    json.dumps(payload, ensure_ascii=False).encode("utf-8")


@SETTINGS
@given(st.one_of(st.binary(max_size=400), JSON_VALUES.map(lambda v: json.dumps(v).encode())))
def test_any_manifest_is_read_or_refused(data: bytes) -> None:
    """Any bytes as manifest.json give a manifest or an InvalidPackage whose report prints."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / exchange.MANIFEST_NAME).write_bytes(data)
        try:
            exchange.read_manifest(folder)
        except exchange.InvalidPackage as err:
            _printable(err.to_dict("ug_CN"))
            err.message("en").encode("utf-8")


@SETTINGS
@given(st.lists(LINES, min_size=1, max_size=8))
def test_any_lines_are_validated_and_rejected_without_a_traceback(lines: list[bytes]) -> None:
    """Any lines give a report (every bad one a counted reject) and a rejects file of JSON lines."""
    with tempfile.TemporaryDirectory() as folder:
        package = _package(Path(folder) / "pkg", b"".join(lines))
        report = exchange.validate_package(package, adapters=ADAPTERS, batch_size=3)
        assert report.records == len(lines)
        assert report.files[0].valid + report.files[0].rejected == len(lines)
        _printable(report.to_dict("zh_Hans_CN"))
        for group in report.summary():
            for _file, _line, error in group.examples:
                error.message("ug_CN").encode("utf-8")
        entry = report.manifest.files[0]
        for number, line in enumerate(lines, start=1):
            written = exchange._package._reject_line(entry, number, line, [])
            json.loads(written)


@SETTINGS
@given(st.text(max_size=40) | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
def test_identifiers_as_exchanged_fields_raise_only_validation_errors(value: str) -> None:
    """Any text in an identifier field is valid or a ValidationError; describe never raises."""
    for kind in (ids.CitizenId, ids.CreditCode, ids.DivisionCode):
        with contextlib.suppress(ValidationError):
            TypeAdapter(kind).validate_python(value)
        with contextlib.suppress(ValidationError):
            TypeAdapter(kind).validate_json(json.dumps(value))
    info = ids.describe(value)
    _printable(info.to_dict("en"))


SEX = TypeAdapter(Annotated[str, Coded("GB/T 2261.1")])
ETHNIC = TypeAdapter(Annotated[str, Coded("GB/T 3304")])


@SETTINGS
@given(JSON_VALUES)
def test_code_values_raise_only_validation_errors(value: Any) -> None:
    """Any JSON value in a code-list field is a member or a ValidationError with a printable message."""
    for field in (SEX, ETHNIC):
        try:
            field.validate_json(json.dumps(value))
        except ValidationError as exc:
            for item in from_validation_error(exc, model="m").errors:
                exchange._package._clean(item).message("en").encode("utf-8")
