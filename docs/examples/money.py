"""Exact amounts of yuan: no floats, no silent rounding, parts that add up to the whole."""

from decimal import Decimal

from pydantic import BaseModel

from govparts.core.errors import InvalidMoney
from govparts.core.money import Money

assert Money.of("0.10") + Money.of("0.20") == Money.of("0.30")
assert str(Money.of("12.3")) == "12.30"

for refused in (0.1, "1.005", "1,234.50"):
    try:
        Money.of(refused)
    except InvalidMoney as err:
        print(err.message("en"))

# Multiplying rounds half up (四舍五入); dividing allocates so the parts add up exactly.
assert Money.of("10.05") * Decimal("0.5") == Money.of("5.03")
parts = Money.of("100.00").split(3)
assert parts == [Money.of("33.34"), Money.of("33.33"), Money.of("33.33")]
assert sum(parts) == Money.of("100.00")


class Payment(BaseModel):
    amount: Money


assert Payment.model_validate_json('{"amount": "1234.5"}').model_dump_json() == '{"amount":"1234.50"}'

for locale in ("zh_Hans_CN", "ug_CN", "en"):
    print(Money.of("1234.5").format(locale))
