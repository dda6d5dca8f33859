"""Check national identifiers, alone and as fields of a model."""

from pydantic import BaseModel, ValidationError

from govparts.core.errors import InvalidIdentifier, from_validation_error
from govparts.core.ids import CitizenId, CreditCode, DivisionCode, citizen_id, credit_code, division_code

# The example numbers printed in GB 11643-1999 and GB 32100-2015 Annex B.
assert citizen_id.validate("11010519491231002x") == "11010519491231002X"
assert citizen_id.is_valid("440524188001010014")
assert citizen_id.upgrade_legacy("110105491231002") == "11010519491231002X"
assert credit_code.validate("91350100M000100Y43") == "91350100M000100Y43"

# A village collective economic organisation: authority N, added by Amendment No. 1.
assert credit_code.is_valid("N2650102MA00000018")

# 吐鲁番地区 was revoked in 2015, but a code is never reused: it stays a valid code.
assert division_code.validate("652100") == "652100"

# A wrong check character names the field, what was expected and the clause.
try:
    citizen_id.validate("110105194912310023")
except InvalidIdentifier as err:
    assert err.field == "citizen_id"
    assert err.details["expected"] == "X"
    print(err.message("en"))
    print(err.message("zh_Hans_CN"))
    print(err.message("ug_CN"))


class Employee(BaseModel):
    citizen_id: CitizenId
    employer: CreditCode
    residence: DivisionCode


# A government body of the autonomous region (authority 1, type 1: 机关), synthetic.
Employee(citizen_id="11010519491231002X", employer="11650000MB00012340", residence="654002")

try:
    Employee(citizen_id="11010519491231002X", employer="91350100M000100Y44", residence="654002")
except ValidationError as exc:
    record = from_validation_error(exc, model="Employee")
    assert [e.field for e in record.errors] == ["employer"]
    print(record.message("en"))
