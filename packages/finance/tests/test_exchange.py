"""Budget indicators and sub-accounts in exchange packages: byte-identical round trips, idempotent
imports, conflicts and sub-accounts that break the chart's rules as rejects."""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import exchange
from govparts.core.db import create_engine, metadata
from govparts.core.money import Money
from govparts.core.parts import get_part
from govparts.core.refs import OrganizationRef
from govparts.finance import Indicator, IndicatorExecution, ReferenceService, SubAccount
from govparts.finance.exchange import ADAPTERS, IndicatorAdapter, SubAccountAdapter
from govparts.finance.tables import INDICATOR, SUB_ACCOUNT

from .conftest import CHIEF, ORG, YEAR

pytestmark = pytest.mark.db

OTHER = "12650100MB0000002Y"
SENDER = OrganizationRef(credit_code="11650000MB00000037", name="新疆维吾尔自治区财政厅数据交换中心")
INDICATORS = f"{IndicatorAdapter.model_id}.jsonl"
SUB_ACCOUNTS = f"{SubAccountAdapter.model_id}.jsonl"


@pytest.fixture
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A second empty database of this run's backend, with every table created."""
    if request.getfixturevalue("govparts_db_backend") == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        drop = None
    else:
        admin_url = request.getfixturevalue("postgres_admin_url")
        name = f"t_{uuid.uuid4().hex[:16]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # A linguistic collation (where the server has ICU), so that export order cannot lean on
            # the database sorting text by code point.
            icu = conn.exec_driver_sql("SELECT 1 FROM pg_collation WHERE collprovider = 'i' LIMIT 1").first()
            options = " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'" if icu else ""
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{options}')
        url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        drop = (admin, name)
    engine = create_engine(url)
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        if drop is not None:
            admin, name = drop
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


def _sub(org: str, code: str, parent: str, name: str, **dates: date | None) -> SubAccount:
    return SubAccount(
        org=org,
        code=code,
        parent=parent,
        name=name,
        opened_on=dates.get("opened_on") or date(YEAR, 1, 1),
        closed_on=dates.get("closed_on"),
    )


def _books(service: ReferenceService) -> None:
    """Two organisations' indicators (projects whose order differs by locale) and sub-accounts."""
    for org in (ORG, OTHER):
        service.open_year(CHIEF, org, YEAR)
    indicators = [
        (ORG, "b-办公设备", "31002", "120000.00", "stop"),
        (ORG, "B-差旅", "30211", "8000.50", "warn"),
        (ORG, "a-培训", "30216", "15000.00", "stop"),
        (ORG, "Z-ئىشخانا", "30201", "3000.00", "warn"),
        (ORG, "b-办公设备", "30201", "999.99", "stop"),
        (OTHER, "A-1", "30211", "100.00", "stop"),
    ]
    for org, project, econ, amount, control in indicators:
        indicator = Indicator(
            org=org, year=YEAR, project=project, econ_class=econ, amount=Money.of(amount), control=control
        )  # type: ignore[arg-type]
        service.set_indicator(CHIEF, indicator.org, indicator)
    accounts = [
        _sub(ORG, "100201", "1002", "中国工商银行乌鲁木齐分行"),
        _sub(ORG, "10020101", "100201", "基本户"),
        _sub(ORG, "100202", "1002", "ئۇرۇمچى سودا بانكىسى", closed_on=date(YEAR, 6, 30)),
        _sub(ORG, "2307A", "2307", "代管党费"),
        _sub(OTHER, "100201", "1002", "农业银行"),
    ]
    for account in accounts:
        service.add_sub_account(CHIEF, account.org, account)


def _export(engine: Engine, target: Path) -> dict[str, bytes]:
    exchange.export_package(target, engine, part=get_part("finance"), sender=SENDER)
    names = (INDICATORS, SUB_ACCOUNTS)
    if target.suffix == ".zip":
        with zipfile.ZipFile(target) as zf:
            return {name: zf.read(name) for name in names}
    return {name: (target / name).read_bytes() for name in names}


def _by_key(execution: IndicatorExecution) -> tuple[str, str]:
    return (execution.indicator.project, execution.indicator.econ_class)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_the_part_offers_both_adapters_under_their_published_ids() -> None:
    """Names the indicator and sub-account adapters in the descriptor, with the published ids and versions."""
    from govparts.core.spec import model_schema, published_models

    part = get_part("finance")
    adapters = exchange.part_adapters(part)
    assert [a.model_id for a in adapters] == [IndicatorAdapter.model_id, SubAccountAdapter.model_id]
    assert all(isinstance(a, exchange.ExchangeAdapter) for a in ADAPTERS)
    published = published_models(part)
    for adapter in adapters:
        assert published[adapter.model_id] is adapter.model
        _, version, _ = model_schema(adapter.model_id, adapter.model, part=part)
        assert version.split(".")[:2] == adapter.model_version.split(".")


def test_round_trip_is_byte_identical(engine: Engine, empty_engine: Engine, tmp_path: Path) -> None:
    """Export → import into an empty database → export gives byte-identical data files."""
    _books(ReferenceService(engine))
    first = _export(engine, tmp_path / "first.zip")
    assert [len(first[name].splitlines()) for name in (INDICATORS, SUB_ACCOUNTS)] == [6, 5]
    report = exchange.import_package(tmp_path / "first.zip", empty_engine)
    assert report.ok, report.to_dict()
    assert [(f.inserted, f.unchanged, f.rejected) for f in report.files] == [(6, 0, 0), (5, 0, 0)]
    assert _export(empty_engine, tmp_path / "second") == first
    source, target = ReferenceService(engine), ReferenceService(empty_engine)
    for org in (ORG, OTHER):
        # The service lists them in its database's collation, which the second database may not share.
        executions = [sorted(s.budget_execution(CHIEF, org, YEAR), key=_by_key) for s in (source, target)]
        assert executions[0] == executions[1]


def test_export_is_in_code_point_order_with_parents_first(engine: Engine, tmp_path: Path) -> None:
    """Writes indicators and sub-accounts in key order by code point, a parent before its children."""
    _books(ReferenceService(engine))
    files = _export(engine, tmp_path / "out")
    indicators = [Indicator.model_validate_json(x) for x in files[INDICATORS].splitlines()]
    keys = [(i.org, i.year, i.project, i.econ_class) for i in indicators]
    assert keys == sorted(keys)
    assert [k[2] for k in keys[:5]] == ["B-差旅", "Z-ئىشخانا", "a-培训", "b-办公设备", "b-办公设备"]
    accounts = [SubAccount.model_validate_json(x) for x in files[SUB_ACCOUNTS].splitlines()]
    assert [(a.org, a.code) for a in accounts] == sorted((a.org, a.code) for a in accounts)
    assert [a.code for a in accounts].index("100201") < [a.code for a in accounts].index("10020101")


def test_reimport_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    """Importing a package into the database it came from counts every record as unchanged."""
    _books(ReferenceService(engine))
    first = _export(engine, tmp_path / "out")
    report = exchange.import_package(tmp_path / "out", engine)
    assert report.ok, report.to_dict()
    assert [(f.inserted, f.unchanged, f.rejected) for f in report.files] == [(0, 6, 0), (0, 5, 0)]
    assert (_count(engine, INDICATOR), _count(engine, SUB_ACCOUNT)) == (6, 5)
    assert _export(engine, tmp_path / "again") == first


def test_a_conflicting_indicator_is_rejected_and_nothing_written(
    engine: Engine, empty_engine: Engine, tmp_path: Path
) -> None:
    """Rejects an indicator stored under its key with another amount, naming the field; writes nothing."""
    _books(ReferenceService(engine))
    exported = _export(engine, tmp_path / "out")[INDICATORS].splitlines()
    local = Indicator.model_validate_json(exported[2]).model_copy(update={"amount": Money.of("1.00")})
    ReferenceService(empty_engine).set_indicator(CHIEF, local.org, local)
    report = exchange.import_package(tmp_path / "out", empty_engine)
    assert not report.written
    assert [(e.line, [x.field for x in e.errors]) for e in report.errors] == [(3, ["amount"])]
    assert (_count(empty_engine, INDICATOR), _count(empty_engine, SUB_ACCOUNT)) == (1, 0)
    kept = exchange.import_package(tmp_path / "out", empty_engine, keep_valid=True)
    assert kept.written
    assert [(f.inserted, f.rejected) for f in kept.files] == [(5, 1), (5, 0)]
    assert kept.reject_file is not None
    assert b'"field":"amount"' in Path(kept.reject_file).read_bytes()
    stored = ReferenceService(empty_engine).budget_execution(CHIEF, local.org, YEAR)
    assert local in [x.indicator for x in stored]


def test_sub_accounts_breaking_the_chart_rules_are_rejected(engine: Engine) -> None:
    """Rejects sub-accounts that reuse, leave or outgrow the chart; accepts a parent sent after its child."""
    records = [
        _sub(ORG, "10020101", "100201", "child sent before its parent"),
        _sub(ORG, "100201", "1002", "parent"),
        _sub(ORG, "1002", "1001", "a standard code"),
        _sub(ORG, "100301", "1002", "not below its parent"),
        _sub(ORG, "100203", "1002", "closes first", opened_on=date(YEAR, 5, 1), closed_on=date(YEAR, 4, 1)),
        _sub(ORG, "10029801", "100298", "parent nowhere"),
        _sub(ORG, "999901", "9999", "first level unknown"),
        _sub(ORG, "100203X", "100203", "below a rejected account"),
        _sub(ORG, "1002" + "7" * 20, "1002", "too long"),
        _sub(OTHER, "10020101", "100201", "parent in another organisation"),
    ]
    with engine.begin() as conn:
        report = SubAccountAdapter().import_records(conn, records, keep_valid=True)
    assert (report.inserted, report.unchanged) == (2, 0)
    assert {i: [e.field for e in errors] for i, errors in report.rejected.items()} == {
        2: ["code"],
        3: ["code"],
        4: ["closed_on"],
        5: ["parent"],
        6: ["parent"],
        7: ["parent"],
        8: ["code"],
        9: ["parent"],
    }
    assert "100298" in report.rejected[5][0].message("en")
    with engine.connect() as conn:
        stored = conn.execute(sa.select(SUB_ACCOUNT.c.code).order_by(SUB_ACCOUNT.c.code)).scalars().all()
    assert stored == ["100201", "10020101"]


def test_a_sub_account_stored_with_another_name_is_a_conflict(engine: Engine) -> None:
    """Reports a sub-account stored under its key with another name, and leaves the stored one as it is."""
    service = ReferenceService(engine)
    service.add_sub_account(CHIEF, ORG, _sub(ORG, "100201", "1002", "工商银行"))
    records = [_sub(ORG, "100201", "1002", "建设银行"), _sub(ORG, "10020101", "100201", "基本户")]
    with engine.begin() as conn:
        report = SubAccountAdapter().import_records(conn, records, keep_valid=True)
    assert (report.inserted, report.unchanged) == (1, 0)
    assert {i: [e.field for e in errors] for i, errors in report.rejected.items()} == {0: ["name"]}
    with engine.connect() as conn:
        names = conn.execute(sa.select(SUB_ACCOUNT.c.name).order_by(SUB_ACCOUNT.c.code)).scalars().all()
    assert names == ["工商银行", "基本户"]


def test_round_trip_from_sqlite_is_byte_identical_on_the_run_backend(engine: Engine, tmp_path: Path) -> None:
    """Records exported from SQLite and imported into this run's backend export to the same bytes."""
    source = create_engine(f"sqlite:///{tmp_path / 'source.db'}")
    try:
        metadata.create_all(source)
        _books(ReferenceService(source))
        first = _export(source, tmp_path / "first")
    finally:
        source.dispose()
    assert exchange.import_package(tmp_path / "first", engine).written
    assert _export(engine, tmp_path / "second") == first


def _reseal(package: Path, name: str, lines: list[bytes]) -> None:
    """Write ``lines`` as the data file ``name`` and fix the manifest's count and digests for it."""
    path = package / name
    path.write_bytes(b"".join(lines))
    manifest = exchange.read_manifest(package)
    digests = exchange.Digests()
    digests.update(path.read_bytes())
    files = tuple(
        f.model_copy(update={"records": digests.lines, "sha256": digests.sha256, "sm3": digests.sm3})
        if f.path == name
        else f
        for f in manifest.files
    )
    (package / exchange.MANIFEST_NAME).write_bytes(manifest.model_copy(update={"files": files}).to_bytes())


def _twice(package: Path, name: str, line: int, change: dict[str, object]) -> None:
    """Append to ``name`` a copy of its ``line``-th record with ``change``; reseal the manifest."""
    lines = (package / name).read_bytes().splitlines(keepends=True)
    twin = {**json.loads(lines[line - 1]), **change}
    _reseal(package, name, [*lines, exchange.canonical_line(twin)])


@pytest.mark.parametrize(
    "case",
    [(INDICATORS, {"amount": "1.00"}, "econ_class"), (SUB_ACCOUNTS, {"name": "另一个名称"}, "code")],
    ids=["indicators", "sub-accounts"],
)
def test_a_key_twice_in_one_package_is_a_rejected_line(
    engine: Engine, empty_engine: Engine, tmp_path: Path, case: tuple[str, dict[str, object], str]
) -> None:
    """Rejects the second line of a key sent twice, naming the key; counts add up; the first line wins."""
    name, change, field = case
    _books(ReferenceService(engine))
    _export(engine, tmp_path / "out")
    _twice(tmp_path / "out", name, 1, change)
    report = exchange.import_package(tmp_path / "out", empty_engine)
    assert not report.written
    errors = [(e.file, e.line, e.errors[0].code, e.errors[0].field) for e in report.errors]
    lines = 7 if name == INDICATORS else 6
    assert errors == [(name, lines, "duplicate-key", field)]
    assert (_count(empty_engine, INDICATOR), _count(empty_engine, SUB_ACCOUNT)) == (0, 0)
    kept = exchange.import_package(tmp_path / "out", empty_engine, keep_valid=True)
    counts = {f.path: f for f in kept.files}[name]
    assert (counts.records, counts.valid, counts.inserted, counts.unchanged, counts.rejected) == (
        lines,
        lines - 1,
        lines - 1,
        0,
        1,
    )
    again = _export(empty_engine, tmp_path / "again")
    assert again == _export(engine, tmp_path / "original")


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\x1b[2J"])
def test_a_name_with_control_characters_is_a_clean_reject(
    engine: Engine, empty_engine: Engine, tmp_path: Path, bad: str
) -> None:
    """Rejects a sub-account name with NUL, a bidi override or an escape, naming the field; no SQL shown."""
    _books(ReferenceService(engine))
    _export(engine, tmp_path / "out")
    package = tmp_path / "out"
    lines = (package / SUB_ACCOUNTS).read_bytes().splitlines(keepends=True)
    record = {**json.loads(lines[0]), "name": f"工商{bad}银行"}
    _reseal(package, SUB_ACCOUNTS, [exchange.canonical_line(record), *lines[1:]])
    report = exchange.import_package(package, empty_engine)
    assert not report.written
    assert [(e.line, e.errors[0].field) for e in report.errors] == [(1, "name")]
    shown = json.dumps(report.to_dict("en"), ensure_ascii=False)
    assert "INSERT" not in shown
    assert "parameters" not in shown.lower()
    assert _count(empty_engine, SUB_ACCOUNT) == 0
