"""A vendor's small app on govparts: a visitor register with its own published model and gate.

It builds on core's identifier, reference and code list types, publishes its model as a part of the
standard beside core's (JSON Schema, golden corpus, index.json with SHA-256), and shows the
compatibility gate refusing a breaking change until the major version goes up.
"""

import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from govparts.core import spec
from govparts.core.codes import Coded
from govparts.core.errors import from_validation_error
from govparts.core.ids import CitizenId
from govparts.core.parts import Part
from govparts.core.refs import OrganizationRef


class Visit(BaseModel):
    """A visit to a government office."""

    model_config = ConfigDict(extra="forbid")
    standard_id: ClassVar[str] = "acme.visitors.Visit"
    standard_version: ClassVar[str] = "1.0"
    standard_title: ClassVar[dict[str, str]] = {
        "zh_Hans_CN": "来访登记",
        "en": "Visit",
        "ug_CN": "زىيارەت خاتىرىسى",
    }

    host: OrganizationRef
    visitor_citizen_id: CitizenId
    visitor_sex: Annotated[str, Coded("GB/T 2261.1")]
    purpose: str


# 1. Validate a record: errors are govparts errors naming the field, in any of the three languages.
host = {"credit_code": "91350100M000100Y43", "name": "示例市政务服务中心"}
visit = Visit(host=host, visitor_citizen_id="11010519491231002X", visitor_sex="2", purpose="办理居住证")
try:
    Visit(host=host, visitor_citizen_id="110105194912310021", visitor_sex="2", purpose="咨询")
except ValidationError as exc:
    (error,) = from_validation_error(exc, model="Visit").errors
    assert (error.code, error.field) == ("invalid-identifier", "visitor_citizen_id")

# 2. Describe the app as a part: its models and its golden corpus (what every validator must decide).
GOLDEN = [
    {"model": "acme.visitors.Visit", "record": visit.model_dump(mode="json"), "valid": True},
    {
        "model": "acme.visitors.Visit",
        "record": {**visit.model_dump(mode="json"), "visitor_sex": "F"},
        "valid": False,
        "error_code": "unknown-code",
        "field": "visitor_sex",
    },
]
module = ModuleType("acme_visitors")
module.MODELS = [Visit]
module.GOLDEN = GOLDEN
sys.modules["acme_visitors"] = module  # a real app names its own importable module instead
visitors = Part(
    name="visitors",
    version="1.0.0",
    title={"zh_Hans_CN": "来访登记", "en": "Visitors", "ug_CN": "زىيارەتچىلەر"},
    models="acme_visitors:MODELS",
    extras={"golden": "acme_visitors:GOLDEN"},
)

with tempfile.TemporaryDirectory() as tmp:
    # 3. Publish: the same code gives the same bytes.
    first = spec.build(Path(tmp) / "1.0", [visitors], include_core=False, contributors=[])
    again = spec.build(Path(tmp) / "again", [visitors], include_core=False, contributors=[])
    assert first["fingerprint"] == again["fingerprint"]
    schema = json.loads(
        (Path(tmp) / "1.0/schemas/visitors/acme.visitors.Visit.schema.json").read_text("utf-8")
    )
    assert schema["$id"] == "urn:govparts:schema:acme.visitors.Visit:1.0"
    assert schema["x-i18n"]["title"]["ug_CN"] == "زىيارەت خاتىرىسى"

    # 4. A revision drops the purpose without a major version bump: the gate fails...
    class VisitWithoutPurpose(BaseModel):
        model_config = ConfigDict(extra="forbid")
        standard_id: ClassVar[str] = "acme.visitors.Visit"
        standard_version: ClassVar[str] = "1.1"
        standard_title: ClassVar[dict[str, str]] = Visit.standard_title

        host: OrganizationRef
        visitor_citizen_id: CitizenId
        visitor_sex: Annotated[str, Coded("GB/T 2261.1")]

    module.MODELS = [VisitWithoutPurpose]
    module.GOLDEN = [
        {**case, "record": {k: v for k, v in case["record"].items() if k != "purpose"}} for case in GOLDEN
    ]
    spec.build(Path(tmp) / "1.1", [visitors], include_core=False, contributors=[])
    report = spec.diff(Path(tmp) / "1.0", Path(tmp) / "1.1")
    assert [(c.path, c.what) for c in report.failures] == [("/properties/purpose", "field removed")]

    # 5. ...unless an override file gives the written reason for exactly that change...
    overrides = Path(tmp) / "overrides.toml"
    overrides.write_text(
        '[[override]]\nartifact = "schema:acme.visitors.Visit"\npath = "/properties/purpose"\n'
        'reason = "the purpose is now recorded by the front desk, not by the visitor"\n',
        encoding="utf-8",
    )
    assert spec.diff(Path(tmp) / "1.0", Path(tmp) / "1.1", spec.load_overrides(overrides)).ok

    # 6. ...or the model's major version goes up.
    VisitWithoutPurpose.standard_version = "2.0"
    spec.build(Path(tmp) / "2.0", [visitors], include_core=False, contributors=[])
    assert spec.diff(Path(tmp) / "1.0", Path(tmp) / "2.0").ok
    print("published and gated:", first["fingerprint"][:12])
