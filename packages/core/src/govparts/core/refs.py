"""References: how every part points at an organisation, one of its units, or a person.

Parts never import each other (see the architecture's dependency rule), so a payroll line, an
attendance record and an asset custody record all name their person, unit and organisation with the
same three small published models:

* :class:`OrganizationRef` — an organisation (机关、事业单位、企业…) by its unified social credit code
  (统一社会信用代码, GB 32100-2015) and name;
* :class:`OrgUnitRef` — a unit inside an organisation (内设机构: 办公室, 财务科…) by the
  organisation's credit code and the organisation's own unit code;
* :class:`PersonRef` — a person by the organisation's credit code and the person's number within it
  (工号/人员编号), with the name and, where the exchange needs it, the citizen identity number
  (公民身份号码, GB 11643-1999).

A reference's identity is its :attr:`~PersonRef.key` (codes, not names): the name travels along so
that a reader needs no look-up to show it. The models are frozen, hashable and compare by value; they
ignore fields they do not know, so that a reader of version 1.0 accepts what a later 1.x writes::

    >>> from govparts.core.refs import OrganizationRef, PersonRef
    >>> org = OrganizationRef(credit_code="91350100M000100Y43", name="示例科技有限公司")
    >>> org.key
    '91350100M000100Y43'
    >>> OrganizationRef.model_validate_json(org.model_dump_json()) == org
    True

A citizen identity number is personal data (个人信息): it never appears whole in ``repr()``, ``str()``
or anything built from them, such as log lines; :func:`masked` keeps the first 6 characters (the
address code) and the last 4::

    >>> person = PersonRef(
    ...     person_id="E0042",
    ...     organization_credit_code="91350100M000100Y43",
    ...     name="阿依古丽·买买提",
    ...     citizen_id="650102199001011239",
    ... )
    >>> person  # doctest: +NORMALIZE_WHITESPACE
    PersonRef(person_id='E0042', organization_credit_code='91350100M000100Y43',
              name='阿依古丽·买买提', citizen_id='650102********1239')
    >>> person.citizen_id
    '650102199001011239'

(The people and numbers in examples and tests are invented; the check characters are valid.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from .errors import InvalidIdentifier
from .i18n import N_
from .ids import CitizenId, CreditCode

__all__ = [
    "LocalCode",
    "Name",
    "OrgUnitRef",
    "OrganizationRef",
    "PersonRef",
    "masked",
]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A display name: 1–200 characters after surrounding white space is removed."""

LocalCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")]
"""A code an organisation assigns itself (unit code, staff number): 1–64 letters, digits, ``.``, ``_``,
``-``, starting with a letter or digit."""


def masked(value: str, *, keep_start: int = 6, keep_end: int = 4) -> str:
    """``value`` with all but its first ``keep_start`` and last ``keep_end`` characters replaced by ``*``.

    The default shows a citizen identity number's address code (GB 11643-1999 §5.2) and its last four
    characters, the form used on receipts and in logs. A value no longer than the two ends together is
    masked whole.

    >>> masked("65010220000229001X")
    '650102********001X'
    >>> masked("1234")
    '****'
    """
    hidden = len(value) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(value)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def _text_only(value: object) -> object:
    """Refuse a non-text citizen id without echoing it (pydantic's own type error would)."""
    if isinstance(value, str):
        return value
    raise InvalidIdentifier(
        N_("{field}: expected a citizen identity number as text, got {kind}"),
        field="value",
        kind=type(value).__name__,
    )


class OrganizationRef(BaseModel):
    """An organisation, identified by its unified social credit code (GB 32100-2015)."""

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        json_schema_extra={
            "x-standard-id": "govparts.core.refs.OrganizationRef",
            "x-standard-version": "1.0",
        },
    )

    standard_id: ClassVar[str] = "govparts.core.refs.OrganizationRef"
    standard_version: ClassVar[str] = "1.0"

    credit_code: CreditCode
    """统一社会信用代码 of the organisation."""
    name: Name
    """The organisation's registered name (全称)."""

    @property
    def key(self) -> str:
        """What identifies the organisation: its credit code."""
        return self.credit_code


class OrgUnitRef(BaseModel):
    """A unit (内设机构) of an organisation, identified by the organisation and the unit's code.

    >>> unit = OrgUnitRef(organization_credit_code="91350100M000100Y43", unit_code="CWK", name="财务科")
    >>> unit.key
    ('91350100M000100Y43', 'CWK')
    """

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        json_schema_extra={
            "x-standard-id": "govparts.core.refs.OrgUnitRef",
            "x-standard-version": "1.0",
        },
    )

    standard_id: ClassVar[str] = "govparts.core.refs.OrgUnitRef"
    standard_version: ClassVar[str] = "1.0"

    organization_credit_code: CreditCode
    """统一社会信用代码 of the organisation the unit belongs to."""
    unit_code: LocalCode
    """The unit's code, assigned by the organisation and unique within it."""
    name: Name
    """The unit's name (办公室, 财务科…)."""

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the unit: the organisation's credit code and the unit code."""
        return (self.organization_credit_code, self.unit_code)


class PersonRef(BaseModel):
    """A person known to an organisation, identified by the organisation and the person's number in it.

    ``citizen_id`` is optional; when present it is shown masked in ``repr()`` and ``str()`` (see
    :func:`masked`), and pydantic's own validation messages do not echo the input.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        hide_input_in_errors=True,
        json_schema_extra={
            "x-standard-id": "govparts.core.refs.PersonRef",
            "x-standard-version": "1.0",
        },
    )

    standard_id: ClassVar[str] = "govparts.core.refs.PersonRef"
    standard_version: ClassVar[str] = "1.0"

    person_id: LocalCode
    """The person's number within the organisation (工号/人员编号)."""
    organization_credit_code: CreditCode
    """统一社会信用代码 of the organisation that numbers the person."""
    name: Name
    """The person's name as the organisation records it."""
    citizen_id: Annotated[CitizenId, BeforeValidator(_text_only)] | None = None
    """公民身份号码 (GB 11643-1999), when the exchange needs it; personal data, masked when shown."""

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the person: the organisation's credit code and the person's number."""
        return (self.organization_credit_code, self.person_id)

    @property
    def masked_citizen_id(self) -> str | None:
        """The citizen identity number masked as :func:`masked` does, or ``None``.

        >>> PersonRef(person_id="E1", organization_credit_code="91350100M000100Y43", name="王芳",
        ...           citizen_id="650102198512312047").masked_citizen_id
        '650102********2047'
        """
        return None if self.citizen_id is None else masked(self.citizen_id)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name == "citizen_id" and value is not None:
                yield name, masked(value)
            else:
                yield name, value
