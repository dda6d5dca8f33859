"""insert_new and adapter discovery: idempotent bulk writes and parts that name their adapters."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import exchange, parts
from govparts.core.errors import ConfigurationError, IntegrityViolation
from govparts.core.exchange import _adapter, sample
from govparts.core.money import Money

NOT_AN_ADAPTER = object()


def _rows(count: int) -> list[dict[str, Any]]:
    """Validated sample employees as table rows."""
    records = [sample.SampleEmployee.model_validate(r) for r in sample.make_employees(count, seed=7)]
    return [dict(r.__dict__) for r in records]


def _insert(engine: Engine, rows: list[dict[str, Any]]) -> exchange.ImportReport:
    with engine.begin() as conn:
        return exchange.insert_new(conn, sample.ADAPTER.table, rows, key=("employer", "employee_no"))


@pytest.fixture(params=["on conflict", "select first"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways insert_new writes: one INSERT … ON CONFLICT, or reading stored rows first."""
    if request.param == "select first":
        monkeypatch.setattr(_adapter, "_insert_skipping_stored", lambda *args: None)
    return str(request.param)


def test_insert_new_is_idempotent(engine: Engine, path: str) -> None:
    """Inserts new rows once; the same rows again are counted unchanged and not written twice."""
    rows = _rows(7)
    first = _insert(engine, rows)
    assert (first.inserted, first.unchanged, first.rejected) == (7, 0, {})
    again = _insert(engine, rows + _rows(9)[7:])
    assert (again.inserted, again.unchanged, again.rejected) == (2, 7, {})
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.sum(sample.ADAPTER.table.c.monthly_salary))).scalar_one()
    assert total == sum((r["monthly_salary"] for r in _rows(9)), Money("0"))


def test_insert_new_rejects_conflicts_and_inner_duplicates(engine: Engine, path: str) -> None:
    """Rejects a stored key with other content naming the field, and a key repeated in one batch."""
    rows = _rows(3)
    _insert(engine, rows[:1])
    changed = {**rows[0], "name": "改名"}
    twin = {**rows[1], "residence": "650103" if rows[1]["residence"] != "650103" else "650104"}
    report = _insert(engine, [changed, rows[1], twin, rows[2], rows[2]])
    assert sorted(report.rejected) == [0, 2, 4]
    assert (report.inserted, report.unchanged) == (2, 0)
    assert report.inserted + report.unchanged + len(report.rejected) == 5
    [conflict] = report.rejected[0]
    assert isinstance(conflict, IntegrityViolation)
    assert conflict.field == "name"
    assert [type(e) for e in report.rejected[2] + report.rejected[4]] == [exchange.DuplicateKey] * 2
    assert report.rejected[2][0].field == "employee_no"
    with engine.connect() as conn:
        kept = conn.execute(
            sa.select(sample.ADAPTER.table.c.residence).where(
                sample.ADAPTER.table.c.employee_no == rows[1]["employee_no"]
            )
        ).scalar_one()
    assert kept == rows[1]["residence"]


def test_export_is_in_key_order(engine: Engine) -> None:
    """The sample adapter exports by employer and staff number, whatever the insertion order."""
    rows = _rows(12)
    _insert(engine, list(reversed(rows)))
    exported = [(r.employer, r.employee_no) for r in sample.ADAPTER.export(engine)]  # type: ignore[attr-defined]
    assert exported == sorted((r["employer"], r["employee_no"]) for r in rows)


def test_adapters_are_found_through_part_descriptors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finds adapters named in extras['exchange'] and refuses a reference that is not an adapter."""
    entries = [
        EntryPoint(
            name="sample", value="govparts.core.exchange.sample_part:PART", group=parts.ENTRY_POINT_GROUP
        ),
    ]
    monkeypatch.setattr(parts, "entry_points", lambda group: entries)
    assert exchange.adapters_by_model() == {sample.ADAPTER.model_id: sample.ADAPTER}
    assert isinstance(sample.ADAPTER, exchange.ExchangeAdapter)
    odd = parts.Part(
        name="odd",
        version="1.0.0",
        title={"zh_Hans_CN": "怪"},
        extras={"exchange": f"{__name__}:NOT_AN_ADAPTER"},
    )
    with pytest.raises(ConfigurationError) as caught:
        exchange.part_adapters(odd)
    assert caught.value.field == "odd.extras.exchange"
    assert exchange.part_adapters(parts.Part(name="bare", version="1.0.0", title={"zh_Hans_CN": "空"})) == []
