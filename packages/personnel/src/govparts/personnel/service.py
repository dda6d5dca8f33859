"""The ``PersonnelService`` protocol and ``ReferenceService``, its SQL implementation.

Every change of an employee's or a unit's state goes through :mod:`govparts.core.process` (checks,
version, audit record and outbox event in one transaction); bad input raises a
:class:`~govparts.core.errors.GovPartsError` naming the field, and nothing is written.

Establishment control (编制管理): a hire into an organisation locks the quota row of its category
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with ``BEGIN IMMEDIATE``) before
counting who occupies it, so two hires racing for the last place cannot both succeed.
"""

from __future__ import annotations

import gc
import operator
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from govparts.conformance import Capabilities
from govparts.core import audit, codes
from govparts.core import events as core_events
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.errors import (
    GovPartsError,
    GuardFailed,
    InvalidInput,
    InvalidRecord,
    NotFound,
    PermissionDenied,
    from_validation_error,
)
from govparts.core.i18n import N_
from govparts.core.process import ProcessEngine, TransitionContext
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor, check_org, mask_text
from govparts.core.text import check_text

from . import events as ev
from . import rules
from ._i18n import DOMAIN
from .models import (
    ESTABLISHMENT,
    RANK,
    SEPARATION_REASON,
    EmployeeRecord,
    EmployeeView,
    HeadcountRow,
    HistoryEntry,
    ImportReport,
    Organization,
    OrgUnit,
    Position,
    RetirementDue,
)
from .processes import EMPLOYEE, ORG_UNIT
from .rules import (
    RETIREMENT_RULES,
    RetirementRule,
    age_band,
    age_on,
    check_rank_grade,
    retirement_group,
    statutory_retirement,
)
from .tables import EmployeeRow, OrganizationRow, OrgUnitRow, PositionRow, QuotaRow

__all__ = [
    "IN_SERVICE",
    "STATISTICS",
    "PersonnelService",
    "QuotaExceeded",
    "ReferenceService",
    "reference_factory",
]

IN_SERVICE = ("probation", "active", "seconded")
"""States of people who occupy an establishment place and count in headcounts."""
STATISTICS = (
    "unit_code",
    "category",
    "establishment",
    "rank",
    "age_band",
    "ethnic_group",
    "education",
    "political_status",
    "sex",
)
"""The dimensions :meth:`PersonnelService.statistics` counts by."""

HIRING_ROLES = ("hr_clerk", "hr_head")
"""The roles that may hire and import (every other change needs ``hr_head``)."""
IMPORT_ENTITY = "employee_import"
"""The audit entity of imports and exports of an organisation's staff (``entity_id``: the organisation)."""
TRAIL_ENTITIES = ("organization", "org_unit", "position", "quota", "employee", IMPORT_ENTITY)
"""The ``entity`` names :meth:`PersonnelService.audit_trail` answers for."""

EMP: sa.Table = metadata.tables["personnel_employee"]
HIST: sa.Table = metadata.tables["personnel_history"]
UNIT: sa.Table = metadata.tables["personnel_org_unit"]
QUOTA: sa.Table = metadata.tables["personnel_quota"]
POS: sa.Table = metadata.tables["personnel_position"]
ORG: sa.Table = metadata.tables["personnel_organization"]
OUTBOX: sa.Table = metadata.tables["core_outbox_event"]

_RECORD_FIELDS = tuple(EmployeeRecord.model_fields)
_RECORDS = TypeAdapter(list[EmployeeRecord])
_CHUNK = 5_000
"""Employee rows of a bulk import are built and written this many at a time, to bound memory."""
_EMPLOYEE_COLUMNS = (*_RECORD_FIELDS, "state", "version")
_record_values = operator.itemgetter(*_RECORD_FIELDS)
_HISTORY_COLUMNS = (
    "organization_credit_code",
    "employee_no",
    "kind",
    "effective_from",
    "unit_code",
    "rank",
    "grade",
    "note",
    "recorded_at",
)


class QuotaExceeded(GuardFailed):
    """A hire or transfer-in would exceed the establishment quota (编制数) of its category."""

    code = "quota-exceeded"
    domain = DOMAIN
    default_message = N_(
        "{field}: establishment {establishment} of {organization} has a quota of {quota} with {occupied} "
        "occupied; {adding} more would exceed it"
    )


class PersonnelService(Protocol):
    """What an implementation of the personnel part offers (the conformance suite checks it).

    Convention (ARCHITECTURE.md, "Inside a part"): every method but :meth:`capabilities` takes the
    acting ``actor`` first and the organisation ``org`` (its unified social credit code, GB
    32100-2015) second. Many offices share one database: before it reads or changes anything a
    method passes :func:`govparts.core.security.check_org`: an actor bound to another organisation
    gets :class:`~govparts.core.errors.OrganizationDenied` and nothing is written or revealed; a
    ``cross-org-auditor`` may read another organisation's data, audited, and never change it
    (PER-027). A thing of another organisation addressed by its number is :class:`NotFound`. A
    record passed in (organisation, unit, post, employee) must name ``org``, else
    :class:`InvalidInput` on its organisation field. Changes need the role of their transition
    (``hr_clerk`` or ``hr_head`` to hire, ``hr_head`` for every other change; PER-026).

    Audit records (:meth:`audit_trail`), by ``entity`` and how its ``entity_id`` is formed:

    * ``organization`` — ``org`` itself: registration and every cross-organisation read of it;
    * ``org_unit`` — the unit code: establishment, renaming, closing;
    * ``position`` — the post code: its creation;
    * ``quota`` — the establishment category code: every change of the quota;
    * ``employee`` — the employee number: hire, confirmation, appointment and removal, transfer,
      rank promotion, secondment, separation, the import that wrote the person, and the
      cross-organisation reads of the person;
    * ``employee_import`` — ``org``: one record per import batch written for the organisation
      (count, numbers) and per export of its staff (count).
    """

    def capabilities(self) -> Capabilities:
        """The part, version and optional features this implementation claims.

        Requirements: PER-001
        Raises:
            (none)
        """
        ...

    # organisation
    def register_organization(self, actor: Actor, org: str, organization: Organization) -> Organization:
        """Register organisation ``org`` (``organization.credit_code`` must be ``org`` and new).

        Requirements: PER-027, PER-028
        Raises:
            InvalidInput: the credit code is not ``org`` or is registered already (field ``credit_code``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def add_unit(self, actor: Actor, org: str, unit: OrgUnit) -> OrgUnit:
        """Establish an internal unit; emits ``orgunit.changed`` (change ``established``).

        Requirements: PER-023, PER-028, PER-033
        Raises:
            InvalidInput: the unit names another organisation, its code exists, or its parent is closed.
            NotFound: the organisation or the parent unit is unknown.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def rename_unit(self, actor: Actor, org: str, unit_code: str, name: str, *, effective: date) -> OrgUnit:
        """Rename an established unit from ``effective``; emits ``orgunit.changed`` (``renamed``).

        Requirements: PER-028, PER-033
        Raises:
            InvalidInput: the name is empty, too long or holds control characters (field ``name``).
            NotFound: no such unit in the organisation (field ``unit_code``).
            GuardFailed: the unit is closed.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def close_unit(self, actor: Actor, org: str, unit_code: str, *, effective: date) -> OrgUnit:
        """Close a unit nobody belongs to any more; emits ``orgunit.changed`` (``closed``).

        Requirements: PER-023, PER-028
        Raises:
            NotFound: no such unit in the organisation (field ``unit_code``).
            GuardFailed: people in service still belong to the unit, or it is closed already.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def units(self, actor: Actor, org: str) -> list[OrgUnit]:
        """Every unit of the organisation, established or closed, in code order.

        Requirements: PER-023, PER-033
        Raises:
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def add_position(self, actor: Actor, org: str, position: Position) -> Position:
        """Create a post (职位) in an established unit of the organisation.

        Requirements: PER-009, PER-028
        Raises:
            InvalidInput: the post names another organisation, exists already, or its unit is closed.
            NotFound: the unit is unknown (field ``unit_code``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def set_quota(self, actor: Actor, org: str, establishment: str, quota: int) -> None:
        """Set the establishment quota (编制数) of a category; never below the places occupied.

        行政机构设置和编制管理条例 Art. 16: the quota is what may be occupied.

        Requirements: PER-007, PER-028, PER-031
        Raises:
            InvalidInput: unknown category (``establishment``), negative quota or below occupancy (``quota``).
            NotFound: the organisation is not registered.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def headcount(self, actor: Actor, org: str) -> list[HeadcountRow]:
        """People in service per unit and category, then per category against its quota.

        Requirements: PER-007, PER-032
        Raises:
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    # people
    def hire(self, actor: Actor, org: str, record: EmployeeRecord | Mapping[str, Any]) -> EmployeeView:
        """Hire a person (录用/调入/选调) into probation; emits ``employee.hired``.

        Civil Servant Law 2018 ch. 4; GB 11643-1999 (identity number); the establishment quota
        (行政机构设置和编制管理条例 Art. 16) is never exceeded.

        Requirements: PER-001, PER-002, PER-003, PER-004, PER-005, PER-006, PER-026, PER-027, PER-028
        Raises:
            InvalidRecord: a field of the record is invalid; names the field.
            InvalidInput: a field is invalid, the record names another organisation, or the number or
                citizen id is already used in the organisation; names the field.
            NotFound: the organisation, the unit or the supervisor is unknown.
            GuardFailed: the establishment quota is full (field ``establishment``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_clerk`` or ``hr_head``.
        """
        ...

    def confirm(self, actor: Actor, org: str, employee_no: str) -> EmployeeView:
        """End probation (转正); the officer who hired the person may not confirm them.

        Requirements: PER-008, PER-028
        Raises:
            NotFound: no such employee in the organisation (field ``employee_no``).
            TransitionNotAllowed: the person is not on probation.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head`` or hired the person.
        """
        ...

    def appoint(
        self, actor: Actor, org: str, employee_no: str, position_code: str, *, effective: date, document: str
    ) -> EmployeeView:
        """Appoint to a post of the person's unit (任职); emits ``employee.post_changed``.

        A post has one holder at a time (PER-010).

        Requirements: PER-009, PER-010, PER-015, PER-026, PER-028
        Raises:
            InvalidInput: the post is held or of another unit (``position_code``), the document is invalid.
            NotFound: no such employee or post in the organisation.
            TransitionNotAllowed: the person is not in service.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def remove_from_post(
        self, actor: Actor, org: str, employee_no: str, *, effective: date, document: str
    ) -> EmployeeView:
        """Remove the person from the post they hold (免职); emits ``employee.post_changed``.

        Requirements: PER-011, PER-015, PER-028
        Raises:
            InvalidInput: the person holds no post (field ``position_code``) or the document is invalid.
            NotFound: no such employee in the organisation.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def transfer(
        self,
        actor: Actor,
        org: str,
        employee_no: str,
        unit_code: str,
        *,
        effective: date,
        document: str | None = None,
    ) -> EmployeeView:
        """Move the person to another established unit (调动); emits ``employee.transferred``.

        Requirements: PER-014, PER-028, PER-033
        Raises:
            InvalidInput: the unit is closed or already the person's (field ``unit_code``).
            NotFound: no such employee or unit in the organisation.
            TransitionNotAllowed: the person is not in service.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def promote_rank(
        self,
        actor: Actor,
        org: str,
        employee_no: str,
        rank: str,
        *,
        effective: date,
        document: str,
        grade: int | None = None,
    ) -> EmployeeView:
        """Promote to a higher rank (晋升职级) with a grade in that rank's range.

        公务员职务与职级并行规定 (2019) Arts 19–21.

        Requirements: PER-022, PER-028
        Raises:
            InvalidInput: the rank is unknown or not above the current one, the grade is out of range.
            NotFound: no such employee in the organisation.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def second(
        self, actor: Actor, org: str, employee_no: str, seconded_to: str, *, effective: date
    ) -> EmployeeView:
        """Second the person to another body (借调); they keep their place and unit.

        Requirements: PER-028, PER-032
        Raises:
            InvalidInput: the body seconded to is empty or invalid (field ``seconded_to``).
            NotFound: no such employee in the organisation.
            TransitionNotAllowed: the person is not active.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def end_secondment(self, actor: Actor, org: str, employee_no: str, *, effective: date) -> EmployeeView:
        """End a secondment; the person is back in service in their unit.

        Requirements: PER-028, PER-032
        Raises:
            NotFound: no such employee in the organisation.
            TransitionNotAllowed: the person is not seconded.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    def separate(
        self, actor: Actor, org: str, employee_no: str, reason: str, *, effective: date
    ) -> EmployeeView:
        """Separate the person (辞职/辞退/调出/退休/死亡) for ``reason``; emits ``employee.separated``.

        Requirements: PER-011, PER-012, PER-013, PER-026, PER-028
        Raises:
            InvalidInput: unknown reason code (field ``reason``).
            NotFound: no such employee in the organisation.
            GuardFailed: the person holds a post or has direct reports.
            TransitionNotAllowed: the person is separated already.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_head``.
        """
        ...

    # reading
    def employee(self, actor: Actor, org: str, employee_no: str) -> EmployeeView:
        """The employee with number ``employee_no`` in the organisation.

        Requirements: PER-025, PER-027
        Raises:
            NotFound: no such employee in the organisation (field ``employee_no``).
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def employees(self, actor: Actor, org: str) -> list[EmployeeView]:
        """Every employee of the organisation (separated ones included), by number.

        Requirements: PER-019, PER-027
        Raises:
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def history(self, actor: Actor, org: str, employee_no: str) -> list[HistoryEntry]:
        """The person's work history, oldest entry first; entries never change.

        Requirements: PER-015
        Raises:
            NotFound: no such employee in the organisation (field ``employee_no``).
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def post_holder(self, actor: Actor, org: str, position_code: str, on: date) -> PersonRef | None:
        """Who held post ``position_code`` on day ``on`` (from the work history), or None.

        Requirements: PER-015
        Raises:
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def service_years(self, actor: Actor, org: str, employee_no: str, on: date) -> int:
        """Cumulative service years (工龄) on ``on``: whole years since the date of first employment.

        Requirements: PER-018
        Raises:
            NotFound: no such employee in the organisation (field ``employee_no``).
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def retirements_due(self, actor: Actor, org: str, start: date, end: date) -> list[RetirementDue]:
        """People in service who reach statutory retirement in months ``start`` … ``end`` (inclusive).

        The NPCSC decision of 2024-09-13 and its 办法 Art. 1 with annexes 1–3 (every group, its cap).

        Requirements: PER-016, PER-017, PER-034
        Raises:
            InvalidInput: ``end`` is before ``start`` (field ``end``).
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def statistics(self, actor: Actor, org: str, by: str, *, on: date | None = None) -> dict[str, int]:
        """Headcount in service by one of :data:`STATISTICS` (age bands on ``on``, default today).

        Requirements: PER-024
        Raises:
            InvalidInput: ``by`` is not a statistic (field ``by``).
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    # observability
    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[audit.TrailEntry]:
        """The audit records of one thing of the organisation, oldest first (see the class docstring).

        Requirements: PER-028
        Raises:
            InvalidInput: ``entity`` is not one of the documented names (field ``entity``).
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    def published_events(
        self, actor: Actor, org: str, *, type: str | None = None
    ) -> list[core_events.CloudEvent]:
        """The personnel events published about the organisation, in publication order.

        ``type`` keeps only events of that CloudEvents type.

        Requirements: PER-030
        Raises:
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...

    # exchange
    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
    ) -> ImportReport:
        """Import existing staff of ``org`` from the exchange format, with every rule a hire applies.

        All or nothing unless ``keep_valid``; every problem reported by row (from 1) and field.

        Requirements: PER-019, PER-020, PER-021, PER-027, PER-028, PER-029
        Raises:
            InvalidRecord: some row is invalid and ``keep_valid`` is false; one nested error per row.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``hr_clerk`` or ``hr_head``.
        """
        ...

    def export_employees(self, actor: Actor, org: str) -> list[EmployeeRecord]:
        """Every employee of the organisation in the exchange format, by number; the export is audited.

        Requirements: PER-021, PER-027
        Raises:
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
        """
        ...


def _bad(template: str, field: str, **details: Any) -> InvalidInput:
    return InvalidInput(template, field=field, domain=DOMAIN, **details)


_LINE_LIMIT = 200
"""Characters a name, document number or other line of free text may have (its column's width)."""


def _line(value: str, field: str) -> str:
    """``value`` as a line of free text: no control or bidirectional-override character, 1–200 long."""
    check_text(value, field=field)
    if not 1 <= len(value) <= _LINE_LIMIT:
        raise _bad(
            N_("{field}: must be 1 to {limit} characters long, got {count}"),
            field,
            limit=_LINE_LIMIT,
            count=len(value),
        )
    return value


def _other_org(field: str) -> InvalidInput:
    return _bad(N_("{field}: names another organisation than the one acted for"), field)


def _same_org(org: str, named: str | None, field: str) -> None:
    """Refuse a record that names another organisation than ``org`` (the one the call acts for)."""
    if named != org:
        raise _other_org(field)


def _require(actor: Actor, transition: str, roles: tuple[str, ...] = ("hr_head",)) -> None:
    """Refuse ``actor`` unless it holds one of ``roles`` (before anything is read or validated)."""
    if not any(actor.has_role(role) for role in roles):
        raise PermissionDenied(
            field="actor", actor=mask_text(actor.id), transition=transition, roles=list(roles)
        )


def _session_of(entity: Any) -> Session:
    session = sa.orm.object_session(entity)
    assert isinstance(session, Session)
    return session


class ReferenceService:
    """The reference implementation on any SQLAlchemy engine (SQLite or PostgreSQL).

    The engine's database must have the personnel tables (``metadata.create_all`` or the part's
    Alembic branch).
    """

    features: frozenset[str] = frozenset()
    retirement_rules: tuple[RetirementRule, ...] = RETIREMENT_RULES
    """The versions of the statutory retirement rules :meth:`retirements_due` applies."""

    def __init__(self, engine: Engine, *, cleanup: Path | None = None) -> None:
        self.engine = engine
        self._cleanup = cleanup
        self._employees = ProcessEngine(
            EMPLOYEE,
            guards={
                "holds_no_post": self._holds_no_post,
                "has_no_direct_reports": self._has_no_direct_reports,
            },
            payloads={
                "hire": self._hired_payload,
                "change_post": self._post_payload,
                "transfer": self._transfer_payload,
                "separate": self._separated_payload,
            },
        )
        self._units = ProcessEngine(
            ORG_UNIT,
            guards={"has_no_members": self._has_no_members},
            payloads={name: self._unit_payload for name in ("establish", "rename", "close")},
        )

    def __enter__(self) -> ReferenceService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.engine.dispose()
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)

    def capabilities(self) -> Capabilities:
        """The part, version and optional features this implementation claims.

        Requirements: PER-001
        Raises:
            (none)
        """
        return Capabilities(part="personnel", version="1.0", features=self.features)

    def _gate(
        self,
        actor: Actor,
        org: str | None,
        *,
        write: bool,
        field: str = "org",
        entity: str = "organization",
        entity_id: str | None = None,
    ) -> None:
        """The organisation gate every method passes first (:func:`~govparts.core.security.check_org`).

        An actor of another organisation is refused (:class:`~govparts.core.errors.OrganizationDenied`)
        before anything is read or written; a cross-organisation auditor's read is recorded in the
        audit log in a transaction of its own.
        """
        if org is not None:
            check_text(org, field=field)
        check_org(
            actor,
            org,
            write=write,
            field=field,
            audit_to=None if write else self.engine,
            entity=entity,
            entity_id=entity_id,
        )

    @staticmethod
    def _check_grade(rank: str, grade: int) -> None:
        """A grade must lie in its rank's range (公务员职务与职级并行规定 annex; :data:`RANK_GRADES`)."""
        check_rank_grade(rank, grade)

    @staticmethod
    def _retirement_group(sex: str, category: str) -> str:
        """The statutory retirement group of a person (:func:`~govparts.personnel.rules.retirement_group`)."""
        return retirement_group(sex, category)

    # -- guards and payloads -------------------------------------------------------------------------

    @staticmethod
    def _holds_no_post(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        if entity.position_code is not None:
            raise GuardFailed(
                N_("{field}: the person still holds post {got}; remove them from it first"),
                field="position_code",
                got=entity.position_code,
                domain=DOMAIN,
            )
        return None

    @staticmethod
    def _has_no_direct_reports(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        count = (
            _session_of(entity)
            .execute(
                sa.select(sa.func.count())
                .select_from(EMP)
                .where(
                    EMP.c.organization_credit_code == entity.organization_credit_code,
                    EMP.c.supervisor_no == entity.employee_no,
                    EMP.c.state.in_(IN_SERVICE),
                )
            )
            .scalar_one()
        )
        if count:
            raise GuardFailed(
                N_("{field}: {count} person(s) report directly to {got}; reassign them first"),
                field="employee_no",
                got=entity.employee_no,
                count=count,
                domain=DOMAIN,
            )
        return None

    @staticmethod
    def _has_no_members(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        count = (
            _session_of(entity)
            .execute(
                sa.select(sa.func.count())
                .select_from(EMP)
                .where(
                    EMP.c.organization_credit_code == entity.organization_credit_code,
                    EMP.c.unit_code == entity.unit_code,
                    EMP.c.state.in_(IN_SERVICE),
                )
            )
            .scalar_one()
        )
        if count:
            raise GuardFailed(
                N_("{field}: {count} person(s) still belong to unit {got}"),
                field="unit_code",
                got=entity.unit_code,
                count=count,
                domain=DOMAIN,
            )
        return None

    @staticmethod
    def _person(row: Any) -> PersonRef:
        return PersonRef(
            person_id=row.employee_no,
            organization_credit_code=row.organization_credit_code,
            name=row.name,
            citizen_id=row.citizen_id,
        )

    @staticmethod
    def _unit_ref(session: Session, org: str, unit_code: str) -> OrgUnitRef:
        name = session.execute(
            sa.select(UNIT.c.name).where(
                UNIT.c.organization_credit_code == org, UNIT.c.unit_code == unit_code
            )
        ).scalar_one()
        return OrgUnitRef(organization_credit_code=org, unit_code=unit_code, name=name)

    def _hired_payload(self, ctx: TransitionContext) -> BaseModel:
        e = ctx.entity
        return ev.EmployeeHired(
            person=self._person(e),
            unit=self._unit_ref(_session_of(e), e.organization_credit_code, e.unit_code),
            effective_date=e.joined_on,
            first_employment_date=e.first_employment_date,
            category=e.category,
            establishment=e.establishment,
            hire_type=e.hire_type,
        )

    def _post_payload(self, ctx: TransitionContext) -> BaseModel:
        e = ctx.entity
        return ev.EmployeePostChanged(
            person=self._person(e),
            unit=self._unit_ref(_session_of(e), e.organization_credit_code, e.unit_code),
            position_code=ctx.inputs.get("position_code"),
            previous_position_code=e.position_code,
            effective_date=ctx.inputs["effective"],
            document=ctx.inputs["document"],
        )

    def _transfer_payload(self, ctx: TransitionContext) -> BaseModel:
        e = ctx.entity
        session = _session_of(e)
        return ev.EmployeeTransferred(
            person=self._person(e),
            from_unit=self._unit_ref(session, e.organization_credit_code, e.unit_code),
            to_unit=self._unit_ref(session, e.organization_credit_code, ctx.inputs["unit_code"]),
            effective_date=ctx.inputs["effective"],
            document=ctx.inputs.get("document"),
        )

    def _separated_payload(self, ctx: TransitionContext) -> BaseModel:
        e = ctx.entity
        return ev.EmployeeSeparated(
            person=self._person(e),
            unit=self._unit_ref(_session_of(e), e.organization_credit_code, e.unit_code),
            reason=ctx.inputs["reason"],
            effective_date=ctx.inputs["effective"],
        )

    def _unit_payload(self, ctx: TransitionContext) -> BaseModel:
        u = ctx.entity
        change = {"establish": "established", "rename": "renamed", "close": "closed"}[ctx.transition.name]
        return ev.OrgUnitChanged(
            unit=OrgUnitRef(
                organization_credit_code=u.organization_credit_code,
                unit_code=u.unit_code,
                name=ctx.inputs.get("name") or u.name,
            ),
            change=change,
            parent_unit_code=u.parent_code,
            effective_date=ctx.inputs["effective"],
        )

    # -- organisation ------------------------------------------------------------------------------

    def register_organization(self, actor: Actor, org: str, organization: Organization) -> Organization:
        """Register organisation ``org``; ``organization.credit_code`` must be ``org`` and new."""
        self._gate(actor, org, write=True)
        _require(actor, "register")
        _same_org(org, organization.credit_code, "credit_code")
        with session_scope(self.engine) as session:
            if session.get(OrganizationRow, organization.credit_code) is not None:
                raise _bad(
                    N_("{field}: an organisation with credit code {got} is already registered"),
                    "credit_code",
                    got=organization.credit_code,
                )
            session.add(OrganizationRow(**organization.model_dump()))
            audit.append(
                session,
                action="create",
                entity="organization",
                entity_id=organization.credit_code,
                actor=actor,
                after=organization.model_dump(mode="json"),
            )
        return organization

    def _organization(self, session: Session, org: str) -> OrganizationRow:
        row = session.get(OrganizationRow, org)
        if row is None:
            raise NotFound(field="organization_credit_code", kind="organisation", got=org)
        return row

    def _unit_row(
        self, session: Session, org: str, unit_code: str, *, field: str = "unit_code"
    ) -> OrgUnitRow:
        check_text(unit_code, field=field)
        row: OrgUnitRow | None = session.execute(
            sa.select(OrgUnitRow).where(UNIT.c.organization_credit_code == org, UNIT.c.unit_code == unit_code)
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(field=field, kind="unit", got=unit_code)
        return row

    def _active_unit(
        self, session: Session, org: str, unit_code: str, *, field: str = "unit_code"
    ) -> OrgUnitRow:
        row = self._unit_row(session, org, unit_code, field=field)
        if row.state != "active":
            raise _bad(
                N_("{field}: unit {got} is {state}, not established"), field, got=unit_code, state=row.state
            )
        return row

    def add_unit(self, actor: Actor, org: str, unit: OrgUnit) -> OrgUnit:
        """Establish an internal unit (emits ``orgunit.changed``); its parent must be an established unit."""
        self._gate(actor, org, write=True)
        _require(actor, "establish")
        _same_org(org, unit.organization_credit_code, "organization_credit_code")
        with session_scope(self.engine) as session:
            self._organization(session, unit.organization_credit_code)
            exists = session.execute(
                sa.select(UNIT.c.id).where(
                    UNIT.c.organization_credit_code == unit.organization_credit_code,
                    UNIT.c.unit_code == unit.unit_code,
                )
            ).first()
            if exists is not None:
                raise _bad(N_("{field}: unit {got} already exists"), "unit_code", got=unit.unit_code)
            if unit.parent_code is not None:
                self._active_unit(
                    session, unit.organization_credit_code, unit.parent_code, field="parent_code"
                )
            row = OrgUnitRow(
                organization_credit_code=unit.organization_credit_code,
                unit_code=unit.unit_code,
                name=unit.name,
                name_ug=unit.name_ug,
                parent_code=unit.parent_code,
                effective_from=unit.effective_from,
            )
            self._units.create(session, row, actor, details={"unit": unit.model_dump(mode="json")})
            self._units.fire(session, row, "establish", actor, {"effective": unit.effective_from})
            return self._unit_model(row)

    @staticmethod
    def _unit_model(row: OrgUnitRow) -> OrgUnit:
        return OrgUnit(
            organization_credit_code=row.organization_credit_code,
            unit_code=row.unit_code,
            name=row.name,
            name_ug=row.name_ug,
            parent_code=row.parent_code,
            effective_from=row.effective_from,
            effective_to=row.effective_to,
        )

    def rename_unit(self, actor: Actor, org: str, unit_code: str, name: str, *, effective: date) -> OrgUnit:
        """Rename an established unit (emits ``orgunit.changed``)."""
        self._gate(actor, org, write=True)
        _require(actor, "rename")
        _line(name, "name")
        with session_scope(self.engine) as session:
            row = self._unit_row(session, org, unit_code)
            self._units.fire(session, row, "rename", actor, {"name": name, "effective": effective})
            row.name = name
            session.flush()
            return self._unit_model(row)

    def close_unit(self, actor: Actor, org: str, unit_code: str, *, effective: date) -> OrgUnit:
        """Close a unit nobody belongs to any more (emits ``orgunit.changed``)."""
        self._gate(actor, org, write=True)
        _require(actor, "close")
        with session_scope(self.engine) as session:
            row = self._unit_row(session, org, unit_code)
            self._units.fire(session, row, "close", actor, {"effective": effective})
            row.effective_to = effective
            session.flush()
            return self._unit_model(row)

    def units(self, actor: Actor, org: str) -> list[OrgUnit]:
        """Every unit of the organisation, established or closed, in code order."""
        self._gate(actor, org, write=False)
        with Session(self.engine) as session:
            rows = session.execute(
                sa.select(OrgUnitRow)
                .where(UNIT.c.organization_credit_code == org, UNIT.c.state != "planned")
                .order_by(OrgUnitRow.unit_code)
            ).scalars()
            return [self._unit_model(r) for r in rows]

    def add_position(self, actor: Actor, org: str, position: Position) -> Position:
        """Create a post (职位) in an established unit."""
        self._gate(actor, org, write=True)
        _require(actor, "add_position")
        _same_org(org, position.organization_credit_code, "organization_credit_code")
        with session_scope(self.engine) as session:
            self._active_unit(session, position.organization_credit_code, position.unit_code)
            exists = session.execute(
                sa.select(POS.c.id).where(
                    POS.c.organization_credit_code == position.organization_credit_code,
                    POS.c.position_code == position.position_code,
                )
            ).first()
            if exists is not None:
                raise _bad(
                    N_("{field}: post {got} already exists"), "position_code", got=position.position_code
                )
            session.add(PositionRow(**position.model_dump()))
            audit.append(
                session,
                action="create",
                entity="position",
                entity_id=f"{position.organization_credit_code}/{position.position_code}",
                actor=actor,
                after=position.model_dump(mode="json"),
            )
        return position

    def set_quota(self, actor: Actor, org: str, establishment: str, quota: int) -> None:
        """Set the establishment quota of a category; it may not fall below the places occupied."""
        self._gate(actor, org, write=True)
        _require(actor, "set_quota")
        codes.get(ESTABLISHMENT).validate(establishment, field="establishment")
        if quota < 0:
            raise _bad(N_("{field}: must be at least {limit}, got {got}"), "quota", limit=0, got=str(quota))
        with session_scope(self.engine) as session:
            self._organization(session, org)
            row = self._lock_quota(session, org, establishment)
            occupied = self._occupied(session, org, establishment)
            if quota < occupied:
                raise _bad(
                    N_(
                        "{field}: {got} is below the {occupied} places occupied "
                        "in establishment {establishment}"
                    ),
                    "quota",
                    got=str(quota),
                    occupied=occupied,
                    establishment=establishment,
                )
            before = None if row is None else row.quota
            if row is None:
                session.add(QuotaRow(organization_credit_code=org, establishment=establishment, quota=quota))
            else:
                row.quota = quota
            audit.append(
                session,
                action="update",
                entity="quota",
                entity_id=f"{org}/{establishment}",
                actor=actor,
                before={"quota": before},
                after={"quota": quota},
            )

    @staticmethod
    def _lock_quota(session: Session, org: str, establishment: str) -> QuotaRow | None:
        return session.execute(
            sa.select(QuotaRow)
            .where(QUOTA.c.organization_credit_code == org, QUOTA.c.establishment == establishment)
            .with_for_update()
        ).scalar_one_or_none()

    @staticmethod
    def _occupied(session: Session, org: str, establishment: str) -> int:
        return int(
            session.execute(
                sa.select(sa.func.count())
                .select_from(EMP)
                .where(
                    EMP.c.organization_credit_code == org,
                    EMP.c.establishment == establishment,
                    EMP.c.state.in_(IN_SERVICE),
                )
            ).scalar_one()
        )

    def _check_quota(self, session: Session, org: str, establishment: str, adding: int) -> None:
        row = self._lock_quota(session, org, establishment)
        quota = 0 if row is None else row.quota
        occupied = self._occupied(session, org, establishment)
        if occupied + adding > quota:
            raise QuotaExceeded(
                field="establishment",
                establishment=establishment,
                organization=org,
                quota=quota,
                occupied=occupied,
                adding=adding,
                domain=DOMAIN,
            )

    def headcount(self, actor: Actor, org: str) -> list[HeadcountRow]:
        """Headcount per unit and establishment category, then per category against its quota."""
        self._gate(actor, org, write=False)
        with Session(self.engine) as session:
            per_unit = session.execute(
                sa.select(EMP.c.unit_code, EMP.c.establishment, sa.func.count())
                .where(EMP.c.organization_credit_code == org, EMP.c.state.in_(IN_SERVICE))
                .group_by(EMP.c.unit_code, EMP.c.establishment)
                .order_by(EMP.c.unit_code, EMP.c.establishment)
            ).all()
            quotas = dict(
                session.execute(
                    sa.select(QUOTA.c.establishment, QUOTA.c.quota).where(
                        QUOTA.c.organization_credit_code == org
                    )
                ).all()
            )
        rows = [HeadcountRow(unit_code=u, establishment=e, headcount=n) for u, e, n in per_unit]
        totals: Counter[str] = Counter()
        for _u, e, n in per_unit:
            totals[e] += n
        for establishment in sorted(set(totals) | set(quotas)):
            rows.append(
                HeadcountRow(
                    unit_code=None,
                    establishment=establishment,
                    headcount=totals[establishment],
                    quota=quotas.get(establishment),
                )
            )
        return rows

    # -- people ------------------------------------------------------------------------------------

    @staticmethod
    def _record(record: EmployeeRecord | Mapping[str, Any], row: int | None = None) -> EmployeeRecord:
        if isinstance(record, EmployeeRecord):
            return record
        try:
            return EmployeeRecord.model_validate(record)
        except ValidationError as exc:
            raise from_validation_error(exc, model="EmployeeRecord", row=row) from None

    def _row(self, session: Session, org: str, employee_no: str, *, lock: bool = False) -> EmployeeRow:
        check_text(employee_no, field="employee_no")
        query = sa.select(EmployeeRow).where(
            EMP.c.organization_credit_code == org, EMP.c.employee_no == employee_no
        )
        row: EmployeeRow | None = session.execute(
            query.with_for_update() if lock else query
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(field="employee_no", kind="employee", got=employee_no)
        return row

    @staticmethod
    def _history(session: Session, row: EmployeeRow, kind: str, effective: date, **values: Any) -> None:
        session.execute(
            sa.insert(HIST).values(
                organization_credit_code=row.organization_credit_code,
                employee_no=row.employee_no,
                kind=kind,
                effective_from=effective,
                recorded_at=datetime.now(UTC),
                **values,
            )
        )

    def hire(self, actor: Actor, org: str, record: EmployeeRecord | Mapping[str, Any]) -> EmployeeView:
        """Hire a person (录用/调入/选调) into probation; emits ``employee.hired``.

        Refused (nothing written) when the record is invalid, the organisation or unit is unknown,
        the employee number or citizen id is already used in the organisation, the supervisor is
        not in service, or the establishment quota of the category is full (:class:`QuotaExceeded`).
        """
        self._gate(actor, org, write=True)
        _require(actor, "hire", HIRING_ROLES)
        _same_org(org, _org_of(record), "organization_credit_code")
        rec = self._record(record)
        with session_scope(self.engine) as session:
            credit = rec.organization_credit_code
            self._organization(session, credit)
            self._active_unit(session, credit, rec.unit_code)
            clash = session.execute(
                sa.select(EMP.c.employee_no, EMP.c.citizen_id).where(
                    EMP.c.organization_credit_code == credit,
                    sa.or_(EMP.c.employee_no == rec.employee_no, EMP.c.citizen_id == rec.citizen_id),
                )
            ).first()
            if clash is not None:
                field = "employee_no" if clash.employee_no == rec.employee_no else "citizen_id"
                raise _bad(
                    N_("{field}: already used by another person of the organisation"),
                    field,
                )
            if rec.supervisor_no is not None:
                boss = self._row(session, credit, rec.supervisor_no)
                if boss.state not in IN_SERVICE:
                    raise _bad(N_("{field}: {got} is not in service"), "supervisor_no", got=rec.supervisor_no)
            self._check_quota(session, credit, rec.establishment, 1)
            row = EmployeeRow(**rec.model_dump())
            self._employees.create(session, row, actor, details={"employee_no": rec.employee_no})
            self._employees.fire(session, row, "hire", actor)
            self._history(
                session,
                row,
                "hire",
                rec.joined_on,
                unit_code=rec.unit_code,
                rank=rec.rank,
                grade=rec.grade,
                note=rec.hire_type,
            )
            return self._view(row)

    def confirm(self, actor: Actor, org: str, employee_no: str) -> EmployeeView:
        """End probation (转正); the confirming officer must not be the one who hired."""
        self._gate(actor, org, write=True)
        _require(actor, "confirm")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            self._employees.fire(session, row, "confirm", actor)
            return self._view(row)

    def appoint(
        self, actor: Actor, org: str, employee_no: str, position_code: str, *, effective: date, document: str
    ) -> EmployeeView:
        """Appoint to a post of the person's unit (任职), recording the approving document.

        A post has one holder: appointing to a post someone holds is refused. Emits ``employee.post_changed``.
        """
        self._gate(actor, org, write=True)
        _require(actor, "change_post")
        _line(document, "document")
        check_text(position_code, field="position_code")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            post = session.execute(
                sa.select(PositionRow)
                .where(
                    POS.c.organization_credit_code == org,
                    POS.c.position_code == position_code,
                )
                .with_for_update()
            ).scalar_one_or_none()
            if post is None:
                raise NotFound(field="position_code", kind="post", got=position_code)
            if post.unit_code != row.unit_code:
                raise _bad(
                    N_("{field}: post {got} belongs to unit {unit}, not to the person's unit {expected}"),
                    "position_code",
                    got=position_code,
                    unit=post.unit_code,
                    expected=row.unit_code,
                )
            holder = session.execute(
                sa.select(EMP.c.employee_no).where(
                    EMP.c.organization_credit_code == org,
                    EMP.c.position_code == position_code,
                    EMP.c.state.in_(IN_SERVICE),
                )
            ).scalar_one_or_none()
            if holder is not None:
                raise _bad(
                    N_("{field}: post {got} is held by {holder}"),
                    "position_code",
                    got=position_code,
                    holder=holder,
                )
            self._employees.fire(
                session,
                row,
                "change_post",
                actor,
                {"position_code": position_code, "document": document, "effective": effective},
            )
            row.position_code = position_code
            self._history(
                session,
                row,
                "post",
                effective,
                unit_code=row.unit_code,
                position_code=position_code,
                document=document,
            )
            session.flush()
            return self._view(row)

    def remove_from_post(
        self, actor: Actor, org: str, employee_no: str, *, effective: date, document: str
    ) -> EmployeeView:
        """Remove the person from the post they hold (免职); emits ``employee.post_changed``."""
        self._gate(actor, org, write=True)
        _require(actor, "change_post")
        _line(document, "document")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            if row.position_code is None:
                raise _bad(N_("{field}: the person holds no post"), "position_code")
            self._employees.fire(
                session, row, "change_post", actor, {"document": document, "effective": effective}
            )
            row.position_code = None
            self._history(session, row, "post", effective, unit_code=row.unit_code, document=document)
            session.flush()
            return self._view(row)

    def transfer(
        self,
        actor: Actor,
        org: str,
        employee_no: str,
        unit_code: str,
        *,
        effective: date,
        document: str | None = None,
    ) -> EmployeeView:
        """Move the person to another established unit (调动); emits ``employee.transferred``."""
        self._gate(actor, org, write=True)
        _require(actor, "transfer")
        if document is not None:
            _line(document, "document")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            self._active_unit(session, org, unit_code)
            if unit_code == row.unit_code:
                raise _bad(
                    N_("{field}: the person already belongs to unit {got}"), "unit_code", got=unit_code
                )
            inputs: dict[str, Any] = {"unit_code": unit_code, "effective": effective}
            if document is not None:
                inputs["document"] = document
            self._employees.fire(session, row, "transfer", actor, inputs)
            row.unit_code = unit_code
            self._history(session, row, "unit", effective, unit_code=unit_code, document=document)
            session.flush()
            return self._view(row)

    def promote_rank(
        self,
        actor: Actor,
        org: str,
        employee_no: str,
        rank: str,
        *,
        effective: date,
        document: str,
        grade: int | None = None,
    ) -> EmployeeView:
        """Promote to a higher rank (晋升职级) of the comprehensive-management sequence, with its grade."""
        self._gate(actor, org, write=True)
        _require(actor, "promote_rank")
        _line(document, "document")
        codes.get(RANK).validate(rank, field="rank")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            if row.category not in ("11", "12"):
                raise _bad(
                    N_("{field}: ranks apply to civil servants (categories 11 and 12), not category {got}"),
                    "rank",
                    got=row.category,
                )
            if row.rank is not None and rank >= row.rank:
                raise _bad(
                    N_("{field}: {got} is not above the current rank {expected}"),
                    "rank",
                    got=rank,
                    expected=row.rank,
                )
            if grade is not None:
                self._check_grade(rank, grade)
            inputs: dict[str, Any] = {"rank": rank, "document": document, "effective": effective}
            if grade is not None:
                inputs["grade"] = grade
            self._employees.fire(session, row, "promote_rank", actor, inputs)
            row.rank = rank
            row.grade = grade if grade is not None else row.grade
            self._history(
                session,
                row,
                "rank",
                effective,
                unit_code=row.unit_code,
                rank=rank,
                grade=row.grade,
                document=document,
            )
            session.flush()
            return self._view(row)

    def second(
        self, actor: Actor, org: str, employee_no: str, seconded_to: str, *, effective: date
    ) -> EmployeeView:
        """Second the person to another body (借调); they keep their place and unit."""
        self._gate(actor, org, write=True)
        _require(actor, "second")
        _line(seconded_to, "seconded_to")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            self._employees.fire(
                session, row, "second", actor, {"seconded_to": seconded_to, "effective": effective}
            )
            row.seconded_to = seconded_to
            self._history(session, row, "secondment", effective, unit_code=row.unit_code, note=seconded_to)
            session.flush()
            return self._view(row)

    def end_secondment(self, actor: Actor, org: str, employee_no: str, *, effective: date) -> EmployeeView:
        """End a secondment; the person is back in service in their unit."""
        self._gate(actor, org, write=True)
        _require(actor, "end_secondment")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            self._employees.fire(session, row, "end_secondment", actor, {"effective": effective})
            row.seconded_to = None
            self._history(session, row, "secondment", effective, unit_code=row.unit_code)
            session.flush()
            return self._view(row)

    def separate(
        self, actor: Actor, org: str, employee_no: str, reason: str, *, effective: date
    ) -> EmployeeView:
        """Separate the person (辞职/辞退/调出/退休/死亡) for ``reason``; emits ``employee.separated``.

        Refused while the person holds a post or has direct reports (:class:`GuardFailed`).
        """
        self._gate(actor, org, write=True)
        _require(actor, "separate")
        codes.get(SEPARATION_REASON).validate(reason, field="reason")
        with session_scope(self.engine) as session:
            row = self._row(session, org, employee_no, lock=True)
            self._employees.fire(session, row, "separate", actor, {"reason": reason, "effective": effective})
            row.separated_on = effective
            row.separation_reason = reason
            self._history(session, row, "separation", effective, unit_code=row.unit_code, note=reason)
            session.flush()
            return self._view(row)

    # -- reading -----------------------------------------------------------------------------------

    @staticmethod
    def _record_of(row: Any) -> EmployeeRecord:
        return EmployeeRecord.model_construct(**{name: getattr(row, name) for name in _RECORD_FIELDS})

    def _view(self, row: Any) -> EmployeeView:
        return EmployeeView(
            record=self._record_of(row),
            state=row.state,
            version=row.version,
            position_code=row.position_code,
            seconded_to=row.seconded_to,
            separated_on=row.separated_on,
            separation_reason=row.separation_reason,
        )

    def employee(self, actor: Actor, org: str, employee_no: str) -> EmployeeView:
        """The employee with number ``employee_no`` (:class:`NotFound` if none)."""
        self._gate(actor, org, write=False, entity="employee", entity_id=f"{org}/{employee_no}")
        with Session(self.engine) as session:
            return self._view(self._row(session, org, employee_no))

    def employees(self, actor: Actor, org: str) -> list[EmployeeView]:
        """Every employee of the organisation (separated ones included), by number."""
        self._gate(actor, org, write=False)
        with Session(self.engine) as session:
            rows = session.execute(
                sa.select(EMP).where(EMP.c.organization_credit_code == org).order_by(EMP.c.employee_no)
            ).all()
            return [self._view(r) for r in rows]

    def history(self, actor: Actor, org: str, employee_no: str) -> list[HistoryEntry]:
        """The person's work history, oldest record first."""
        self._gate(actor, org, write=False, entity="employee", entity_id=f"{org}/{employee_no}")
        with Session(self.engine) as session:
            self._row(session, org, employee_no)
            rows = session.execute(
                sa.select(HIST)
                .where(HIST.c.organization_credit_code == org, HIST.c.employee_no == employee_no)
                .order_by(HIST.c.seq)
            ).all()
        return [
            HistoryEntry(
                seq=r.seq,
                kind=r.kind,
                effective_from=r.effective_from,
                unit_code=r.unit_code,
                position_code=r.position_code,
                rank=r.rank,
                grade=r.grade,
                document=r.document,
                note=r.note,
            )
            for r in rows
        ]

    def post_holder(self, actor: Actor, org: str, position_code: str, on: date) -> PersonRef | None:
        """Who held post ``position_code`` on day ``on``, from the post records of the work history."""
        self._gate(actor, org, write=False, entity="position", entity_id=f"{org}/{position_code}")
        check_text(position_code, field="position_code")
        latest = (
            sa.select(
                HIST.c.employee_no,
                HIST.c.position_code,
                sa.func.row_number()
                .over(
                    partition_by=HIST.c.employee_no,
                    order_by=(HIST.c.effective_from.desc(), HIST.c.seq.desc()),
                )
                .label("n"),
            )
            .where(
                HIST.c.organization_credit_code == org,
                HIST.c.kind.in_(("post", "separation")),
                HIST.c.effective_from <= on,
            )
            .subquery()
        )
        with Session(self.engine) as session:
            found = session.execute(
                sa.select(EMP)
                .join(latest, sa.and_(latest.c.employee_no == EMP.c.employee_no, latest.c.n == 1))
                .where(EMP.c.organization_credit_code == org, latest.c.position_code == position_code)
            ).first()
        return None if found is None else self._person(found)

    def service_years(self, actor: Actor, org: str, employee_no: str, on: date) -> int:
        """Cumulative service years (工龄) on ``on``, from the date of first employment."""
        first = self.employee(actor, org, employee_no).record.first_employment_date
        return rules.service_years(first, on)

    def retirements_due(self, actor: Actor, org: str, start: date, end: date) -> list[RetirementDue]:
        """People in service who reach statutory retirement in months ``start`` … ``end`` (inclusive)."""
        self._gate(actor, org, write=False)
        if end < start:
            raise _bad(
                N_("{field}: {got} is before the start {expected}"),
                "end",
                got=end.isoformat(),
                expected=start.isoformat(),
            )
        first = date(start.year, start.month, 1)
        with Session(self.engine) as session:
            rows = session.execute(
                sa.select(EMP)
                .where(
                    EMP.c.organization_credit_code == org,
                    EMP.c.state.in_(IN_SERVICE),
                    EMP.c.birth_date > date(start.year - 65, 1, 1),
                    EMP.c.birth_date <= date(end.year - 49, 12, 31),
                )
                .order_by(EMP.c.employee_no)
            ).all()
        due = []
        for r in rows:
            retirement = statutory_retirement(
                r.birth_date, self._retirement_group(r.sex, r.category), self.retirement_rules
            )
            if first <= retirement.month <= end:
                due.append(
                    RetirementDue(
                        person=self._person(r),
                        retirement_month=retirement.month,
                        age_years=retirement.age_years,
                        age_extra_months=retirement.age_extra_months,
                        rule_id=retirement.rule_id,
                    )
                )
        return sorted(due, key=lambda d: (d.retirement_month, d.person.person_id))

    def statistics(self, actor: Actor, org: str, by: str, *, on: date | None = None) -> dict[str, int]:
        """Headcount in service by one of :data:`STATISTICS` (age bands on ``on``, default today)."""
        self._gate(actor, org, write=False)
        if by not in STATISTICS:
            raise _bad(
                N_("{field}: {got} is not a statistic (expected one of {allowed})"),
                "by",
                got=by,
                allowed=list(STATISTICS),
            )
        where = (EMP.c.organization_credit_code == org, EMP.c.state.in_(IN_SERVICE))
        with Session(self.engine) as session:
            if by == "age_band":
                day = on or date.today()
                births = session.execute(sa.select(EMP.c.birth_date).where(*where)).scalars()
                return dict(sorted(Counter(age_band(age_on(b, day)) for b in births).items()))
            column = EMP.c[by]
            counts = session.execute(sa.select(column, sa.func.count()).where(*where).group_by(column)).all()
        return {
            ("-" if key is None else str(key)): int(n) for key, n in sorted(counts, key=lambda kv: str(kv[0]))
        }

    def published_events(
        self, actor: Actor, org: str, *, type: str | None = None
    ) -> list[core_events.CloudEvent]:
        """The personnel events this service wrote to the outbox about ``org``, oldest first.

        An event is about the organisation its payload names (``person`` or ``unit``); the outbox of
        a shared database also holds other organisations' and other parts' events, never returned.
        """
        self._gate(actor, org, write=False)
        with Session(self.engine) as session:
            rows = [
                r
                for r in session.execute(
                    sa.select(OUTBOX)
                    .where(OUTBOX.c.type.in_([t.type for t in ev.EVENT_TYPES if type in (None, t.type)]))
                    .order_by(OUTBOX.c.position)
                ).all()
                if _event_org(r.data) == org
            ]
        return [
            core_events.CloudEvent(
                id=r.id,
                source=r.source,
                type=r.type,
                time=r.time,
                subject=r.subject,
                datacontenttype=r.datacontenttype,
                dataschema=r.dataschema,
                data=r.data,
                **(r.extensions or {}),
            )
            for r in rows
        ]

    # -- exchange ----------------------------------------------------------------------------------

    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
        publish_events: bool = True,
    ) -> ImportReport:
        """Import existing staff from the exchange format, validating every record.

        Each row is checked (the exchange model, the organisation and unit, numbers and citizen ids
        unique in the batch and the database, the supervisor known, the establishment quota); every
        problem is reported by row (counted from 1) and field path. With problems, nothing is
        written and :class:`~govparts.core.errors.InvalidRecord` lists them all (one nested
        ``InvalidRecord`` per row), unless ``keep_valid`` asks to write the valid rows and report the
        rest. Rows are written set-based: the employees 5,000 at a time, then their history copied
        from those rows by one ``INSERT … SELECT``, one audit record for the batch and
        (``publish_events``) one ``employee.hired`` event per person, built by the database from the
        same rows through :func:`govparts.core.events.publish_select`.
        Imported staff are in service (state ``active``). Python's cyclic garbage collector is
        paused while the import runs (see ``_cycle_collection_paused``).
        """
        self._gate(actor, org, write=True)
        _require(actor, "import", HIRING_ROLES)
        rows = list(records)
        with _cycle_collection_paused():
            valid, problems = self._validate_batch(rows)
            for index, rec in valid:
                if rec.organization_credit_code != org:
                    problems.setdefault(index, []).append(_other_org("organization_credit_code"))
            valid = [(index, rec) for index, rec in valid if index not in problems]
            with session_scope(self.engine) as session:
                valid = self._check_batch(session, valid, problems)
                if problems and not keep_valid:
                    raise InvalidRecord(
                        [InvalidRecord(problems[i], model="EmployeeRecord", row=i) for i in sorted(problems)],
                        model="EmployeeRecord import",
                    )
                if valid:
                    self._write_batch(
                        session, [rec for _, rec in valid], actor, publish_events=publish_events
                    )
        errors = [
            {"row": i, "field": e.field, "code": e.code, "message": e.message()}
            for i in sorted(problems)
            for e in problems[i]
        ]
        return ImportReport(written=len(valid), rejected=len(problems), errors=errors)

    def _validate_batch(
        self, rows: list[EmployeeRecord | Mapping[str, Any]]
    ) -> tuple[list[tuple[int, EmployeeRecord]], dict[int, list[GovPartsError]]]:
        """Validate every row; rows counted from 1. The common all-valid batch is one pydantic call."""
        if all(isinstance(row, Mapping) for row in rows):
            try:
                return list(enumerate(_RECORDS.validate_python(rows), start=1)), {}
            except ValidationError:
                pass  # some row is invalid: validate row by row to report each by its number
        valid: list[tuple[int, EmployeeRecord]] = []
        problems: dict[int, list[GovPartsError]] = {}
        for index, raw in enumerate(rows, start=1):
            try:
                valid.append((index, self._record(raw, index)))
            except InvalidRecord as exc:
                problems[index] = list(exc.errors)
            except GovPartsError as exc:
                problems[index] = [exc]
        return valid, problems

    def _check_batch(
        self,
        session: Session,
        valid: list[tuple[int, EmployeeRecord]],
        problems: dict[int, list[GovPartsError]],
    ) -> list[tuple[int, EmployeeRecord]]:
        orgs = {rec.organization_credit_code for _, rec in valid}
        known_orgs = set(
            session.execute(sa.select(ORG.c.credit_code).where(ORG.c.credit_code.in_(orgs))).scalars()
        )
        units = {
            (org, code)
            for org, code in session.execute(
                sa.select(UNIT.c.organization_credit_code, UNIT.c.unit_code).where(
                    UNIT.c.organization_credit_code.in_(orgs), UNIT.c.state == "active"
                )
            )
        }
        # Only the stored people the batch can collide with or name as supervisor are read, so a
        # large import in batches does not reread the whole organisation each time.
        numbers: dict[str, set[str]] = {}
        cids: dict[str, set[str]] = {}
        for _, rec in valid:
            numbers.setdefault(rec.organization_credit_code, set()).add(rec.employee_no)
            if rec.supervisor_no is not None:
                numbers[rec.organization_credit_code].add(rec.supervisor_no)
            cids.setdefault(rec.organization_credit_code, set()).add(rec.citizen_id)
        taken_numbers: dict[tuple[str, str], str] = {}
        taken_ids: set[tuple[str, str]] = set()
        for org in sorted(numbers):
            for column, wanted in ((EMP.c.employee_no, numbers[org]), (EMP.c.citizen_id, cids[org])):
                ordered = sorted(wanted)
                for start in range(0, len(ordered), 500):
                    for number, cid, state in session.execute(
                        sa.select(EMP.c.employee_no, EMP.c.citizen_id, EMP.c.state).where(
                            EMP.c.organization_credit_code == org, column.in_(ordered[start : start + 500])
                        )
                    ):
                        taken_numbers[(org, number)] = state
                        taken_ids.add((org, cid))
        batch_numbers = {(rec.organization_credit_code, rec.employee_no) for _, rec in valid}
        seen_numbers: set[tuple[str, str]] = set()
        seen_ids: set[tuple[str, str]] = set()
        kept: list[tuple[int, EmployeeRecord]] = []

        def fail(index: int, template: str, field: str, **details: Any) -> None:
            problems.setdefault(index, []).append(_bad(template, field, **details))

        for index, rec in valid:
            org = rec.organization_credit_code
            before = len(problems.get(index, ()))
            if org not in known_orgs:
                problems.setdefault(index, []).append(
                    NotFound(field="organization_credit_code", kind="organisation", got=org)
                )
            elif (org, rec.unit_code) not in units:
                problems.setdefault(index, []).append(
                    NotFound(field="unit_code", kind="unit", got=rec.unit_code)
                )
            number, cid = (org, rec.employee_no), (org, rec.citizen_id)
            if number in taken_numbers or number in seen_numbers:
                fail(index, N_("{field}: already used by another person of the organisation"), "employee_no")
            if cid in taken_ids or cid in seen_ids:
                fail(index, N_("{field}: already used by another person of the organisation"), "citizen_id")
            seen_numbers.add(number)
            seen_ids.add(cid)
            if rec.supervisor_no is not None:
                boss = (org, rec.supervisor_no)
                if boss not in batch_numbers and taken_numbers.get(boss) not in IN_SERVICE:
                    fail(
                        index, N_("{field}: {got} is not in service"), "supervisor_no", got=rec.supervisor_no
                    )
            if len(problems.get(index, ())) == before:
                kept.append((index, rec))
        return self._within_quota(session, kept, problems)

    def _within_quota(
        self,
        session: Session,
        kept: list[tuple[int, EmployeeRecord]],
        problems: dict[int, list[GovPartsError]],
    ) -> list[tuple[int, EmployeeRecord]]:
        wanted = sorted({(rec.organization_credit_code, rec.establishment) for _, rec in kept})
        # Per organisation and category: its quota (row locked) and the places taken, counting the
        # stored people in service and then the rows of this batch admitted before, in row order.
        quota: dict[tuple[str, str], int] = {}
        taken: dict[tuple[str, str], int] = {}
        for org, establishment in wanted:
            row = self._lock_quota(session, org, establishment)
            quota[(org, establishment)] = 0 if row is None else row.quota
            taken[(org, establishment)] = self._occupied(session, org, establishment)
        result = []
        for index, rec in kept:
            key = (rec.organization_credit_code, rec.establishment)
            if taken[key] + 1 > quota[key]:
                problems.setdefault(index, []).append(
                    QuotaExceeded(
                        field="establishment",
                        establishment=rec.establishment,
                        organization=rec.organization_credit_code,
                        quota=quota[key],
                        occupied=taken[key],
                        adding=1,
                        domain=DOMAIN,
                    )
                )
                continue
            taken[key] += 1
            result.append((index, rec))
        return result

    def _write_batch(
        self, session: Session, records: Sequence[EmployeeRecord], actor: Actor, *, publish_events: bool
    ) -> None:
        now = datetime.now(UTC)
        orgs = sorted({rec.organization_credit_code for rec in records})
        # Employees written from here on get ids above it: their history and events are built from
        # those rows only, not from everyone the organisations already employ.
        before = session.execute(sa.select(sa.func.max(EMP.c.id))).scalar() or 0
        # Streamed in chunks: the rows of one chunk are garbage before the next is built.
        for start in range(0, len(records), _CHUNK):
            _bulk_insert(
                session,
                EMP,
                _EMPLOYEE_COLUMNS,
                [(*_record_values(rec.__dict__), "active", 1) for rec in records[start : start + _CHUNK]],
            )
        # Each person's history starts with the hire, copied by the database from the rows just
        # written (in the order written), with no value passing through Python a second time.
        session.execute(
            sa.insert(HIST).from_select(
                _HISTORY_COLUMNS,
                sa.select(
                    EMP.c.organization_credit_code,
                    EMP.c.employee_no,
                    sa.literal("hire", HIST.c.kind.type),
                    EMP.c.joined_on,
                    EMP.c.unit_code,
                    EMP.c.rank,
                    EMP.c.grade,
                    EMP.c.hire_type,
                    sa.literal(now, HIST.c.recorded_at.type),
                )
                .where(EMP.c.id > before, EMP.c.organization_credit_code.in_(orgs))
                .order_by(EMP.c.id),
            )
        )
        for org in orgs:
            numbers = [rec.employee_no for rec in records if rec.organization_credit_code == org]
            audit.append(
                session,
                action="import",
                entity=IMPORT_ENTITY,
                entity_id=org,
                actor=actor,
                details={"count": len(numbers), "employee_nos": numbers},
            )
        if publish_events:
            self._publish_hired(session, records, orgs, before, now)

    @staticmethod
    def _publish_hired(
        session: Session, records: Sequence[EmployeeRecord], orgs: list[str], before: int, now: datetime
    ) -> None:
        """One ``employee.hired`` per imported person, on the subject the process engine gives it.

        The database builds the events from the rows just written (those above id ``before``), in
        the order they were written, through :func:`govparts.core.events.publish_select`.
        """
        obj = core_events.json_object
        rows = (
            sa.select(
                (sa.literal("employee/", sa.String) + sa.cast(EMP.c.id, sa.String)).label("subject"),
                obj(
                    session,
                    person=obj(
                        session,
                        person_id=EMP.c.employee_no,
                        organization_credit_code=EMP.c.organization_credit_code,
                        name=EMP.c.name,
                        citizen_id=EMP.c.citizen_id,
                    ),
                    unit=obj(
                        session,
                        organization_credit_code=UNIT.c.organization_credit_code,
                        unit_code=UNIT.c.unit_code,
                        name=UNIT.c.name,
                    ),
                    effective_date=EMP.c.joined_on,
                    first_employment_date=EMP.c.first_employment_date,
                    category=EMP.c.category,
                    establishment=EMP.c.establishment,
                    hire_type=EMP.c.hire_type,
                ).label("data"),
                EMP.c.id.label("ordinal"),
            )
            .join_from(
                EMP,
                UNIT,
                sa.and_(
                    UNIT.c.organization_credit_code == EMP.c.organization_credit_code,
                    UNIT.c.unit_code == EMP.c.unit_code,
                ),
            )
            .where(EMP.c.id > before, EMP.c.organization_credit_code.in_(orgs))
        )
        # Each value comes from a record just validated as EmployeeRecord, whose field types are
        # those of EmployeeHired, PersonRef and OrgUnitRef or narrower, or from a unit validated as
        # OrgUnit when it was added: the data built is the JSON form of a valid EmployeeHired, so it
        # is published without a second validation (the import's tests check every event).
        published = core_events.publish_select(session, ev.EMPLOYEE_HIRED, rows, time=now, validate=False)
        if published != len(records):  # pragma: no cover - every record was just written
            raise AssertionError(f"{published} employee.hired events for {len(records)} employees")

    def export_employees(self, actor: Actor, org: str) -> list[EmployeeRecord]:
        """Every employee of the organisation in the exchange format, by number."""
        self._gate(actor, org, write=False, entity=IMPORT_ENTITY, entity_id=org)
        with session_scope(self.engine) as session:
            rows = session.execute(
                sa.select(*(EMP.c[name] for name in _RECORD_FIELDS))
                .where(EMP.c.organization_credit_code == org)
                .order_by(EMP.c.employee_no)
            ).all()
            # Personal data of a whole organisation leaving the system: who took it is recorded
            # (个人信息保护法 Art. 51 (3): security measures and records of processing).
            audit.append(
                session,
                action="export",
                entity=IMPORT_ENTITY,
                entity_id=org,
                actor=actor,
                details={"count": len(rows)},
            )
        return [self._record_of(r) for r in rows]

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[audit.TrailEntry]:
        """The audit records of one thing of the organisation, oldest first.

        The ``entity`` names and their ``entity_id`` are those of :class:`PersonnelService`; the
        stored records of units and employees are keyed by their row, those of posts, quotas and
        imports by ``org/code``: this method translates.
        """
        self._gate(actor, org, write=False)
        if entity not in TRAIL_ENTITIES:
            raise _bad(
                N_("{field}: {got} is not an audited entity (expected one of {allowed})"),
                "entity",
                got=entity,
                allowed=list(TRAIL_ENTITIES),
            )
        check_text(entity_id, field="entity_id")
        scoped = f"{org}/{entity_id}"
        with Session(self.engine) as session:
            if entity == "organization":
                if entity_id != org:
                    return []
                return audit.trail(session, "organization", org)
            if entity in ("position", "quota"):
                return audit.trail(session, entity, scoped)
            if entity == IMPORT_ENTITY:
                if entity_id != org:
                    return []
                return audit.trail(session, IMPORT_ENTITY, org)
            if entity == "org_unit":
                key = session.execute(
                    sa.select(UNIT.c.id).where(
                        UNIT.c.organization_credit_code == org, UNIT.c.unit_code == entity_id
                    )
                ).scalar_one_or_none()
                return [] if key is None else audit.trail(session, "org_unit", [str(key), scoped])
            key = session.execute(
                sa.select(EMP.c.id).where(
                    EMP.c.organization_credit_code == org, EMP.c.employee_no == entity_id
                )
            ).scalar_one_or_none()
            if key is None:
                return []
            own = audit.trail(session, "employee", [str(key), scoped])
            imports = [
                entry
                for entry in audit.trail(session, IMPORT_ENTITY, org, actions=("import",))
                if isinstance(entry.details, Mapping) and entity_id in entry.details.get("employee_nos", ())
            ]
        return sorted([*own, *imports], key=lambda entry: entry.seq)


def _org_of(record: object) -> str | None:
    """The organisation a record to hire names, read before validation (for the organisation gate)."""
    if isinstance(record, EmployeeRecord):
        return record.organization_credit_code
    if isinstance(record, Mapping):
        value = record.get("organization_credit_code")
        return None if value is None else str(value)
    return None


def _event_org(data: Any) -> str | None:
    """The organisation a personnel event's payload names: its person's, else its unit's."""
    if not isinstance(data, Mapping):
        return None
    for key in ("person", "unit"):
        ref = data.get(key)
        if isinstance(ref, Mapping) and ref.get("organization_credit_code") is not None:
            return str(ref["organization_credit_code"])
    return None


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bulk import runs.

    An import of 100,000 people allocates over a million container objects (records, rows, event
    data) that hold no reference cycles, yet each time their number grows by a quarter the collector
    walks every object of the process: for a large import that is a good part of its running time.
    Reference counting still frees everything as usual; cycles made meanwhile, by any thread, are
    collected after the import. Mercurial pauses the collector the same way around its bulk loads
    (``util.nogc``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _bulk_insert(
    session: Session, table: sa.Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (values in the order of ``columns``) with one set-based statement.

    On SQLite the rows go straight to the driver's ``executemany``: a date or time column whose
    SQLAlchemy type has a bind processor for the dialect has its values put through it, every other
    value is passed as it is; elsewhere through ``session.execute(insert(table), rows)``.
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(sa.insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    converters = []
    for position, name in enumerate(columns):
        column_type = table.c[name].type
        processor = column_type.bind_processor(connection.dialect)
        if processor is not None and isinstance(column_type, (sa.Date, sa.DateTime)):
            converters.append((position, processor))
    values: list[Sequence[Any]] = list(rows)
    if converters:
        values = []
        for row in rows:
            converted = list(row)
            for position, processor in converters:
                converted[position] = processor(converted[position])
            values.append(converted)
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", values)


def reference_factory() -> ReferenceService:
    """A ReferenceService on a fresh SQLite database in a temporary folder, removed on ``__exit__``."""
    folder = Path(tempfile.mkdtemp(prefix="govparts-personnel-"))
    engine = create_engine(f"sqlite:///{folder / 'personnel.db'}")
    metadata.create_all(engine)
    return ReferenceService(engine, cleanup=folder)
