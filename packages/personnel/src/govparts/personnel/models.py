"""The personnel part's published models: the exchange record of an employee and what services return.

Every model carries a standard id and version (``x-standard-id``/``x-standard-version`` in its JSON
Schema). :class:`EmployeeRecord` is the exchange model (人员信息交换格式): bulk import and export
read and write it, and :meth:`ReferenceService.hire` takes it. It validates every field with the
national code lists and identifiers, and the rules that tie fields together: the citizen identity
number agrees with the declared birth date and sex (GB 11643-1999 §5.3, §5.4), first employment
comes after the 16th birthday (劳动法 Art. 15) and not after joining the organisation, and the grade
lies in the rank's range.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from govparts.core.codes import Coded
from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_
from govparts.core.ids import CitizenId, CreditCode, DivisionCode
from govparts.core.refs import LocalCode, Name, OrgUnitRef, PersonRef
from govparts.core.text import TextLine

from ._i18n import DOMAIN
from .rules import age_on, check_identity_agrees, check_rank_grade

__all__ = [
    "ESTABLISHMENT",
    "PUBLISHED_MODELS",
    "POST_LEVEL",
    "RANK",
    "SEPARATION_REASON",
    "STAFF_CATEGORY",
    "EmployeeRecord",
    "EmployeeView",
    "EstablishmentQuota",
    "HeadcountRow",
    "HistoryEntry",
    "ImportReport",
    "OrgUnit",
    "Organization",
    "Position",
    "RetirementDue",
]

RANK = "GOVPARTS 人事-职级-2019"
POST_LEVEL = "GB/T 12407-2008 公务员职务"
ESTABLISHMENT = "GOVPARTS 人事-编制类别-1.0"
STAFF_CATEGORY = "GOVPARTS 人事-人员类别-1.0"
SEPARATION_REASON = "GOVPARTS 人事-离职原因-1.0"
MIN_WORKING_AGE = 16
"""劳动法 (1994) Art. 15: employers may not recruit minors under 16."""


NameLine = Annotated[Name, *TextLine.__metadata__]
"""A required display name (1–200 characters) with no control or bidirectional-override character."""
OptionalLine = Annotated[TextLine, Field(max_length=200)]
"""An optional line of text (a name in another script, a document number); may be empty."""


def _config(standard_id: str, *, frozen: bool = True) -> ConfigDict:
    return ConfigDict(
        frozen=frozen,
        extra="forbid",
        hide_input_in_errors=True,
        json_schema_extra={"x-standard-id": standard_id, "x-standard-version": "1.0"},
    )


class Organization(BaseModel):
    """An organisation (机关 or 事业单位): credit code, name in three languages, division."""

    model_config = _config("govparts.personnel.Organization")
    standard_id: ClassVar[str] = "govparts.personnel.Organization"

    credit_code: CreditCode
    name: NameLine
    name_en: OptionalLine = ""
    name_ug: OptionalLine = ""
    division_code: DivisionCode
    kind: Literal["government", "public_institution"] = "government"


class OrgUnit(BaseModel):
    """An internal unit (内设机构) with its place in the tree and its effective dates."""

    model_config = _config("govparts.personnel.OrgUnit")
    standard_id: ClassVar[str] = "govparts.personnel.OrgUnit"

    organization_credit_code: CreditCode
    unit_code: LocalCode
    name: NameLine
    name_ug: OptionalLine = ""
    parent_code: LocalCode | None = None
    effective_from: date
    effective_to: date | None = None

    @property
    def ref(self) -> OrgUnitRef:
        """The shared reference to the unit."""
        return OrgUnitRef(
            organization_credit_code=self.organization_credit_code, unit_code=self.unit_code, name=self.name
        )


class Position(BaseModel):
    """A post (职位/岗位) in a unit, at a GB/T 12407-2008 level; a leadership post has one holder."""

    model_config = _config("govparts.personnel.Position")
    standard_id: ClassVar[str] = "govparts.personnel.Position"

    organization_credit_code: CreditCode
    position_code: LocalCode
    unit_code: LocalCode
    title: NameLine
    post_level: Annotated[str, Coded(POST_LEVEL)]


class EstablishmentQuota(BaseModel):
    """The establishment quota (编制数) of an organisation in one establishment category.

    Establishment control (编制管理): nobody is hired into a category beyond its quota, so a quota
    travels with the staff it admits.
    """

    model_config = _config("govparts.personnel.EstablishmentQuota")
    standard_id: ClassVar[str] = "govparts.personnel.EstablishmentQuota"

    organization_credit_code: CreditCode
    establishment: Annotated[str, Coded(ESTABLISHMENT)]
    quota: int = Field(ge=0)


class EmployeeRecord(BaseModel):
    """One employee in the exchange format (人员信息交换格式, version 1.0)."""

    model_config = _config("govparts.personnel.EmployeeRecord")
    standard_id: ClassVar[str] = "govparts.personnel.EmployeeRecord"

    organization_credit_code: CreditCode
    employee_no: LocalCode
    name: NameLine
    name_ug: OptionalLine | None = None
    """The name in Uyghur (Arabic script), where the person has one."""
    citizen_id: CitizenId
    sex: Annotated[str, Coded("GB/T 2261.1")]
    birth_date: date
    ethnic_group: Annotated[str, Coded("GB/T 3304-1991")]
    native_place: DivisionCode
    political_status: Annotated[str, Coded("GB/T 4762")]
    education: Annotated[str, Coded("GB/T 4658")]
    marital_status: Annotated[str, Coded("GB/T 2261.2")]
    category: Annotated[str, Coded(STAFF_CATEGORY)]
    establishment: Annotated[str, Coded(ESTABLISHMENT)]
    unit_code: LocalCode
    rank: Annotated[str, Coded(RANK)] | None = None
    grade: int | None = Field(default=None, ge=1, le=27)
    joined_on: date
    """Date of joining the organisation (进入本单位时间)."""
    first_employment_date: date
    """Date of first employment (参加工作时间): cumulative service years count from it."""
    hire_type: Literal["recruitment", "transfer_in", "selection"] = "recruitment"
    """录用, 调入, 选调."""
    supervisor_no: LocalCode | None = None

    @model_validator(mode="after")
    def _agree(self) -> EmployeeRecord:
        check_identity_agrees(self.citizen_id, self.birth_date, self.sex)
        if age_on(self.birth_date, self.first_employment_date) < MIN_WORKING_AGE:
            raise InvalidInput(
                N_("{field}: {got} is before the person's 16th birthday (劳动法 Art. 15)"),
                field="first_employment_date",
                got=self.first_employment_date.isoformat(),
                domain=DOMAIN,
            )
        if self.first_employment_date > self.joined_on:
            raise InvalidInput(
                N_("{field}: {got} is after the date of joining the organisation {expected}"),
                field="first_employment_date",
                got=self.first_employment_date.isoformat(),
                expected=self.joined_on.isoformat(),
                domain=DOMAIN,
            )
        if self.grade is not None and self.rank is not None:
            check_rank_grade(self.rank, self.grade)
        return self


class EmployeeView(BaseModel):
    """An employee as a service returns them: the record, the state and what they hold now."""

    model_config = _config("govparts.personnel.EmployeeView")
    standard_id: ClassVar[str] = "govparts.personnel.EmployeeView"

    record: EmployeeRecord
    state: str
    version: int
    position_code: str | None = None
    seconded_to: TextLine | None = None
    separated_on: date | None = None
    separation_reason: str | None = None

    @property
    def person(self) -> PersonRef:
        """The shared reference to the person."""
        return PersonRef(
            person_id=self.record.employee_no,
            organization_credit_code=self.record.organization_credit_code,
            name=self.record.name,
            citizen_id=self.record.citizen_id,
        )


class HistoryEntry(BaseModel):
    """One immutable dated record of work history: hire, post, rank, unit, secondment or separation."""

    model_config = _config("govparts.personnel.HistoryEntry")
    standard_id: ClassVar[str] = "govparts.personnel.HistoryEntry"

    seq: int
    kind: Literal["hire", "post", "rank", "unit", "secondment", "separation"]
    effective_from: date
    unit_code: str | None = None
    position_code: str | None = None
    rank: str | None = None
    grade: int | None = None
    document: TextLine | None = None
    """The approving document (任免文件), e.g. ``新人社任〔2025〕12号``."""
    note: TextLine | None = None


class HeadcountRow(BaseModel):
    """Quota and occupancy of one establishment category, or headcount of one unit in a category."""

    model_config = _config("govparts.personnel.HeadcountRow")

    unit_code: str | None
    """``None``: the organisation-wide row that carries the quota."""
    establishment: str
    headcount: int
    quota: int | None = None


class RetirementDue(BaseModel):
    """A person reaching statutory retirement in a period."""

    model_config = _config("govparts.personnel.RetirementDue")

    person: PersonRef
    retirement_month: date
    age_years: int
    age_extra_months: int
    rule_id: str


class ImportReport(BaseModel):
    """What a bulk import did: rows written, and every error by row and field."""

    model_config = ConfigDict(frozen=True)

    written: int
    rejected: int
    errors: list[dict[str, object]]
    """``{"row": n, "field": path, "code": …, "message": …}`` for each problem, rows counted from 1."""


PUBLISHED_MODELS = (
    Organization,
    OrgUnit,
    Position,
    EstablishmentQuota,
    EmployeeRecord,
    EmployeeView,
    HistoryEntry,
    HeadcountRow,
    RetirementDue,
)
"""Every published model of the part (exchange record, views and reports)."""
