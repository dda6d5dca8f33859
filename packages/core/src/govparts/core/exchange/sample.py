"""A sample exchanged model and its adapter: the worked example for parts, for tests and benchmarks.

:class:`SampleEmployee` is an employee-like record typed with core's identifiers, code lists and
money (GB 11643-1999 citizen id, GB 32100-2015 credit code, GB/T 2260 division code, GB/T 2261.1
sex, GB/T 3304 ethnic group, GB/T 4762 political affiliation). :data:`ADAPTER` stores it in the
table ``exchange_sample_employee`` keyed by employer and staff number (its ``record_key``),
exporting in key order and importing through :func:`~govparts.core.exchange.insert_new`.
:data:`govparts.core.exchange.sample_part.PART` is a part descriptor offering it, for registering in
tests (it is not installed as an entry point).

Importing this module adds the table to :data:`govparts.core.db.metadata`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import BaseModel, ConfigDict
from sqlmodel import Field, SQLModel

from ..codes import Coded
from ..db import MoneyType, metadata
from ..ids import CitizenId, CreditCode, DivisionCode
from ..money import Money
from ..refs import LocalCode, Name
from ._adapter import ImportReport, insert_new

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

__all__ = ["ADAPTER", "SampleAdapter", "SampleEmployee", "SampleEmployeeRow", "make_employees"]


class SampleEmployee(BaseModel):
    """An employee of an organisation, as exchanged (synthetic example model)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    standard_id: ClassVar[str] = "govparts.core.exchange.sample.SampleEmployee"
    standard_version: ClassVar[str] = "1.0"

    employer: CreditCode
    employee_no: LocalCode
    name: Name
    citizen_id: CitizenId
    residence: DivisionCode
    sex: Annotated[str, Coded("GB/T 2261.1")]
    ethnicity: Annotated[str, Coded("GB/T 3304")]
    political_affiliation: Annotated[str, Coded("GB/T 4762")]
    hired_on: date
    monthly_salary: Money


class SampleEmployeeRow(SQLModel, table=True):
    """The stored sample employee, one row per employer and staff number."""

    __tablename__ = "exchange_sample_employee"
    metadata = metadata

    employer: str = Field(primary_key=True, max_length=18)
    employee_no: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    citizen_id: str = Field(max_length=18)
    residence: str = Field(max_length=6)
    sex: str = Field(max_length=1)
    ethnicity: str = Field(max_length=2)
    political_affiliation: str = Field(max_length=2)
    hired_on: date
    monthly_salary: Money = Field(sa_type=MoneyType)


_COLUMNS = tuple(SampleEmployee.model_fields)


class SampleAdapter:
    """Exchanges :class:`SampleEmployee` records with the ``exchange_sample_employee`` table."""

    model = SampleEmployee
    model_id = SampleEmployee.standard_id
    model_version = SampleEmployee.standard_version
    record_key = ("employer", "employee_no")

    @property
    def table(self) -> sa.Table:
        """The table the records are stored in."""
        table: sa.Table = SampleEmployeeRow.__table__  # type: ignore[attr-defined]
        return table

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every stored employee (of employer ``org``, if given), by employer and staff number."""
        import sqlalchemy as sa

        table = self.table
        query = sa.select(*(table.c[name] for name in _COLUMNS)).order_by(
            table.c.employer, table.c.employee_no
        )
        if org is not None:
            query = query.where(table.c.employer == org)
        with engine.connect() as connection:
            for row in connection.execute(query).mappings():
                yield SampleEmployee.model_construct(**row)

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Insert the employees not stored yet, in bulk; compare the others."""
        rows = [dict(record.__dict__) for record in records]
        return insert_new(connection, self.table, rows, key=("employer", "employee_no"))


ADAPTER = SampleAdapter()

_SURNAMES = ("艾", "买", "吐", "阿", "王", "李", "马", "努")
_GIVEN = ("尔肯", "合买提", "古丽", "米娜", "建国", "丽娜", "明", "阿依")
_RESIDENCES = ("650102", "650103", "650104", "654002", "652901", "653101")
_ETHNIC = ("01", "05", "01", "05", "04", "03")


def make_employees(count: int, *, employers: int = 3, seed: int = 0) -> list[dict[str, str]]:
    """``count`` valid synthetic employee records as JSON-ready dicts (deterministic for a seed).

    Invented people: citizen ids (GB 11643-1999) and employer credit codes (GB 32100-2015) carry
    computed check characters.
    """
    import random

    from ..ids import citizen_id, credit_code

    rng = random.Random(seed)
    codes = []
    for n in range(max(1, employers)):
        body = f"11650102MB{seed % 1000:03d}{n:04d}"
        codes.append(body + credit_code.calc_check_character(body))
    first_day = date(1965, 1, 1).toordinal()
    records = []
    for n in range(count):
        residence = _RESIDENCES[n % len(_RESIDENCES)]
        born = date.fromordinal(first_day + rng.randrange(10_000))
        sequence = rng.randrange(1000)
        body = f"{residence}{born:%Y%m%d}{sequence:03d}"
        records.append(
            {
                "employer": codes[n % len(codes)],
                "employee_no": f"E{n:07d}",
                "name": rng.choice(_SURNAMES) + rng.choice(_GIVEN),
                "citizen_id": body + citizen_id.calc_check_character(body),
                "residence": residence,
                "sex": "1" if sequence % 2 else "2",
                "ethnicity": _ETHNIC[n % len(_ETHNIC)],
                "political_affiliation": f"{1 + rng.randrange(13):02d}",
                "hired_on": date.fromordinal(born.toordinal() + 8_000 + rng.randrange(3_000)).isoformat(),
                "monthly_salary": f"{rng.randrange(300_000, 3_000_000) / 100:.2f}",
            }
        )
    return records
