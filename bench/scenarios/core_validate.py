"""core-validate: bulk validation of employee-like records through govparts-core types.

200,000 synthetic records arrive as one JSON array and are validated with
``TypeAdapter(list[Model]).validate_json``. The model types its fields with our core types: a
GB 11643 citizen identity number, a GB 32100 credit code, a GB/T 2260 division code, three coded
fields (GB/T 2261.1 sex, GB/T 3304 ethnic group, GB/T 4762 political affiliation) and a monthly salary
as :class:`govparts.core.money.Money`. The floor is the same shape with every field a plain ``str``,
validated from the same bytes in the same run.

Every record is valid (synthetic people and organisations with computed check characters), so the
figures measure the normal path of a bulk load. Address codes are drawn from the national code table,
a third of them in Xinjiang; employers from a pool of up to 2,000 organisations (one per 100 staff), as
in a personnel system. No validator caches results, so repeated employers cost as much as new ones.
"""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal
from typing import Annotated

from harness import Result, compare, scenario
from pydantic import BaseModel, TypeAdapter

from govparts.core import codes
from govparts.core.ids import CitizenId, CreditCode, DivisionCode, citizen_id, credit_code
from govparts.core.ids._divisions import table

try:
    from govparts.core.money import Money as Salary

    _MONEY_NOTE = "salary is govparts.core.money.Money"
except ImportError:  # pragma: no cover - only before govparts.core.money existed
    from decimal import Decimal as Salary  # type: ignore[assignment]

    _MONEY_NOTE = "salary is decimal.Decimal (govparts.core.money not available)"

SEX = "GB/T 2261.1"
ETHNICITY = "GB/T 3304"
POLITICS = "GB/T 4762"


class Employee(BaseModel):
    """An employee record typed with govparts-core types."""

    employee_no: str
    name: str
    citizen_id: CitizenId
    employer: CreditCode
    residence: DivisionCode
    sex: Annotated[str, codes.Coded(SEX)]
    ethnicity: Annotated[str, codes.Coded(ETHNICITY)]
    political_affiliation: Annotated[str, codes.Coded(POLITICS)]
    monthly_salary: Salary


class EmployeeSalaryAsText(BaseModel):
    """Employee with the salary a plain ``str``: the cost of the identifiers and code lists alone."""

    employee_no: str
    name: str
    citizen_id: CitizenId
    employer: CreditCode
    residence: DivisionCode
    sex: Annotated[str, codes.Coded(SEX)]
    ethnicity: Annotated[str, codes.Coded(ETHNICITY)]
    political_affiliation: Annotated[str, codes.Coded(POLITICS)]
    monthly_salary: str


class EmployeeSalaryAsDecimal(BaseModel):
    """Employee with the salary a plain ``Decimal``: what Money costs beyond parsing the amount.

    A Decimal is not tracked by the garbage collector; a Money, like every instance of a class written
    in Python, is, and so is then the record's ``__dict__`` that holds it. Only a diagnostic: pydantic's
    Decimal accepts floats, which Money refuses.
    """

    employee_no: str
    name: str
    citizen_id: CitizenId
    employer: CreditCode
    residence: DivisionCode
    sex: Annotated[str, codes.Coded(SEX)]
    ethnicity: Annotated[str, codes.Coded(ETHNICITY)]
    political_affiliation: Annotated[str, codes.Coded(POLITICS)]
    monthly_salary: Decimal


class PlainEmployee(BaseModel):
    """The same record with every field a plain string: the floor."""

    employee_no: str
    name: str
    citizen_id: str
    employer: str
    residence: str
    sex: str
    ethnicity: str
    political_affiliation: str
    monthly_salary: str


_SURNAMES = ["艾", "买", "吐", "阿", "王", "李", "张", "刘", "陈", "杨", "马", "努"]
_GIVEN = ["尔肯", "合买提", "古丽", "米娜", "建国", "丽娜", "明", "静", "阿依", "江", "红", "伟"]


def make_records(count: int, seed: int = 2260) -> list[dict[str, str]]:
    """``count`` valid synthetic employee records (deterministic for a seed)."""
    rng = random.Random(seed)
    divisions = table()
    everywhere = sorted(c for c, e in divisions.codes.items() if e.parent is not None)
    xinjiang = sorted(c for c in everywhere if c.startswith("65"))
    authorities = [a + t for a, types in credit_code.ORGANIZATION_TYPES.items() for t in types]
    alphabet = credit_code.ALPHABET
    ethnic = [c.code for c in codes.get(ETHNICITY)]
    politics = [c.code for c in codes.get(POLITICS)]
    employers = []
    for _ in range(max(1, min(count // 100, 2000))):
        body = rng.choice(authorities) + rng.choice(everywhere) + "".join(rng.choices(alphabet, k=9))
        employers.append(body + credit_code.calc_check_character(body))
    first_day = date(1960, 1, 1).toordinal()
    span = date(2005, 12, 31).toordinal() - first_day
    records = []
    for n in range(count):
        address = rng.choice(xinjiang if n % 3 == 0 else everywhere)
        born = date.fromordinal(first_day + rng.randrange(span))
        sequence = rng.randrange(1000)
        body = f"{address}{born:%Y%m%d}{sequence:03d}"
        records.append(
            {
                "employee_no": f"E{n:07d}",
                "name": rng.choice(_SURNAMES) + rng.choice(_GIVEN),
                "citizen_id": body + citizen_id.calc_check_character(body),
                "employer": rng.choice(employers),
                "residence": address,
                "sex": "1" if sequence % 2 else "2",
                "ethnicity": rng.choice(ethnic),
                "political_affiliation": rng.choice(politics),
                "monthly_salary": f"{rng.randrange(300_000, 3_000_000) / 100:.2f}",
            }
        )
    return records


@scenario(
    "core-validate",
    description="employee-like records (citizen id, credit code, division, 3 code lists, money) from JSON",
    default_records=200_000,
    target_ratio=0.5,
)
def core_validate(records: int) -> Result:
    """Our typed model against plain ``str`` fields, both from one JSON array of ``records`` records."""
    payload = json.dumps(make_records(records), ensure_ascii=False).encode()
    typed = TypeAdapter(list[Employee])
    plain = TypeAdapter(list[PlainEmployee])
    no_money = TypeAdapter(list[EmployeeSalaryAsText])
    as_decimal = TypeAdapter(list[EmployeeSalaryAsDecimal])
    # Warm up: load the code tables and build the fast-path sets outside the timed runs.
    sample = json.dumps(make_records(10, seed=1), ensure_ascii=False).encode()
    typed.validate_json(sample)
    plain.validate_json(sample)
    no_money.validate_json(sample)
    as_decimal.validate_json(sample)
    checked = typed.validate_json(payload)
    if len(checked) != records:
        raise AssertionError("typed validation lost records")
    del checked
    result = compare(
        name="core-validate",
        records=records,
        subject=lambda: typed.validate_json(payload),
        floor=lambda: plain.validate_json(payload),
        subject_label=(
            "TypeAdapter(list[Employee]).validate_json (CitizenId, CreditCode, DivisionCode, 3 Coded, Money)"
        ),
        floor_label="TypeAdapter(list[PlainEmployee]).validate_json (9 str fields)",
        target_ratio=0.5,
        variants={
            "same, salary as str (identifiers and code lists only)": lambda: no_money.validate_json(payload),
            "same, salary as decimal.Decimal (diagnostic: an amount the collector does not track)": (
                lambda: as_decimal.validate_json(payload)
            ),
        },
    )
    result["payload_bytes"] = len(payload)
    result["notes"] = [_MONEY_NOTE, f"code lists: {SEX}, {ETHNICITY}, {POLITICS}"]
    return result
