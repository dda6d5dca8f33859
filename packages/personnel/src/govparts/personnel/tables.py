"""SQLModel tables of the reference implementation (prefix ``personnel_``).

Work history (``personnel_history``) is append-only: triggers refuse ``UPDATE``, ``DELETE``,
``TRUNCATE`` and, on SQLite, ``INSERT OR REPLACE``/``REPLACE`` of a record, so "who held which post
on date D" stays answerable from the records.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Imported before any table is defined: it gives the shared metadata its naming convention.
from govparts.core.db import make_append_only, metadata
from govparts.core.process import Stateful

__all__ = [
    "EmployeeRow",
    "HistoryRow",
    "OrgUnitRow",
    "OrganizationRow",
    "PositionRow",
    "QuotaRow",
]


class OrganizationRow(SQLModel, table=True):
    """An organisation (机关/事业单位)."""

    __tablename__ = "personnel_organization"

    credit_code: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    name_ug: str = Field(default="", max_length=200)
    division_code: str = Field(max_length=6)
    kind: str = Field(max_length=32)


class OrgUnitRow(Stateful, table=True):
    """An internal unit (内设机构); states ``planned`` → ``active`` → ``closed``."""

    __tablename__ = "personnel_org_unit"
    __table_args__ = (sa.UniqueConstraint("organization_credit_code", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_credit_code: str = Field(foreign_key="personnel_organization.credit_code", max_length=18)
    unit_code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    name_ug: str = Field(default="", max_length=200)
    parent_code: str | None = Field(default=None, max_length=64)
    effective_from: date
    effective_to: date | None = None


class QuotaRow(SQLModel, table=True):
    """The establishment quota (编制数) of an organisation in one category; locked when hiring."""

    __tablename__ = "personnel_quota"
    __table_args__ = (
        sa.UniqueConstraint("organization_credit_code", "establishment"),
        sa.CheckConstraint("quota >= 0", name="quota_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_credit_code: str = Field(foreign_key="personnel_organization.credit_code", max_length=18)
    establishment: str = Field(max_length=8)
    quota: int


class PositionRow(SQLModel, table=True):
    """A post (职位) in a unit."""

    __tablename__ = "personnel_position"
    __table_args__ = (sa.UniqueConstraint("organization_credit_code", "position_code"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_credit_code: str = Field(foreign_key="personnel_organization.credit_code", max_length=18)
    position_code: str = Field(max_length=64)
    unit_code: str = Field(max_length=64)
    title: str = Field(max_length=200)
    post_level: str = Field(max_length=8)


class EmployeeRow(Stateful, table=True):
    """An employee; states ``candidate`` → ``probation`` → ``active`` ⇄ ``seconded`` → ``separated``."""

    __tablename__ = "personnel_employee"
    __table_args__ = (
        sa.UniqueConstraint("organization_credit_code", "employee_no"),
        sa.UniqueConstraint("organization_credit_code", "citizen_id"),
        sa.Index("ix_personnel_employee_org_state", "organization_credit_code", "state", "establishment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_credit_code: str = Field(foreign_key="personnel_organization.credit_code", max_length=18)
    employee_no: str = Field(max_length=64)
    name: str = Field(max_length=200)
    name_ug: str | None = Field(default=None, max_length=200)
    citizen_id: str = Field(max_length=18)
    sex: str = Field(max_length=1)
    birth_date: date
    ethnic_group: str = Field(max_length=2)
    native_place: str = Field(max_length=6)
    political_status: str = Field(max_length=2)
    education: str = Field(max_length=2)
    marital_status: str = Field(max_length=2)
    category: str = Field(max_length=2)
    establishment: str = Field(max_length=2)
    unit_code: str = Field(max_length=64)
    rank: str | None = Field(default=None, max_length=8)
    grade: int | None = None
    joined_on: date
    first_employment_date: date
    hire_type: str = Field(max_length=16)
    supervisor_no: str | None = Field(default=None, max_length=64)
    position_code: str | None = Field(default=None, max_length=64)
    seconded_to: str | None = Field(default=None, max_length=200)
    separated_on: date | None = None
    separation_reason: str | None = Field(default=None, max_length=2)


class HistoryRow(SQLModel, table=True):
    """One immutable dated record of work history."""

    __tablename__ = "personnel_history"
    __table_args__ = (
        sa.Index("ix_personnel_history_person", "organization_credit_code", "employee_no", "seq"),
        sa.Index("ix_personnel_history_post", "organization_credit_code", "position_code", "effective_from"),
    )

    seq: int | None = Field(default=None, primary_key=True)
    organization_credit_code: str = Field(max_length=18)
    employee_no: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    effective_from: date
    unit_code: str | None = Field(default=None, max_length=64)
    position_code: str | None = Field(default=None, max_length=64)
    rank: str | None = Field(default=None, max_length=8)
    grade: int | None = None
    document: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=200)
    recorded_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


make_append_only(metadata.tables["personnel_history"])
"""The work history is append-only on SQLite and PostgreSQL through core's one mechanism
(:func:`govparts.core.db.append_only_ddl`): no UPDATE, DELETE, TRUNCATE, ``INSERT OR REPLACE`` or
``REPLACE`` changes a record (also installed on existing databases by revision ``5e1d0a7c9b24``)."""
