"""Look codes up, show their labels in three languages and type a model field with a code list."""

from typing import Annotated

from pydantic import BaseModel, ValidationError

from govparts.core import codes
from govparts.core.errors import UnknownCode, from_validation_error

sex = codes.get("GB/T 2261.1")  # without the year: the newest edition
assert sex.id == "GB/T 2261.1-2003"
assert [sex["2"].label(locale) for locale in ("zh_Hans_CN", "en", "ug_CN")] == ["女性", "Female", "ئايال"]
assert "3" not in sex

try:
    sex.validate("3", field="sex")
except UnknownCode as err:
    print(err.message("en"))  # sex: '3' is not a code of GB/T 2261.1-2003


class Person(BaseModel):
    name: str
    sex: Annotated[str, codes.Coded("GB/T 2261.1")]


Person(name="阿依古丽", sex="2")

try:
    Person(name="阿依古丽", sex="F")
except ValidationError as exc:
    print(from_validation_error(exc, model="Person").message("zh_Hans_CN"))

# The JSON Schema publishes the codes and their labels.
schema = Person.model_json_schema()["properties"]["sex"]
assert schema["enum"] == ["0", "1", "2", "9"]
assert schema["x-code-list"] == "GB/T 2261.1-2003"
assert schema["x-labels"]["1"] == {"zh": "男性", "en": "Male", "ug": "ئەر"}
