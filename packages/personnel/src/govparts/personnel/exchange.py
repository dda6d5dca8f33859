"""The personnel part's adapters for the data exchange format (``govparts exchange export --part personnel``).

A package holds four files, in this order, so that each lands on what came before it:

1. organisations (:class:`~.models.Organization`), by credit code;
2. internal units (:class:`~.models.OrgUnit`), established or closed, by organisation and unit code;
3. establishment quotas (:class:`~.models.EstablishmentQuota`), by organisation and category: an
   empty database refuses every employee of a category without its quota (establishment control,
   编制管理);
4. the staff in service (:class:`~.models.EmployeeRecord`: on probation, active or seconded), by
   organisation and employee number. People who have left are not exchanged: an imported person is
   in service and occupies an establishment place.

Organisations, units and quotas go in set-based (:func:`~govparts.core.exchange.insert_new`), with one
audit record per batch that writes any. A unit or quota of an unknown organisation, or a unit whose
parent unit is unknown, is rejected naming the field. Employees go through the reference service's
own bulk import path inside the importing transaction: the same checks (organisation, established
unit, employee number and citizen id unused, supervisor in service, the quota of the category under
a row lock), then the employees and their hire records written set-based, one audit record per batch
and one ``employee.hired`` event per person.

Everywhere a record already stored exactly so is unchanged (a re-import changes nothing), and a record
whose key is stored with other content is a conflict naming the first differing field, never written.
Exports are sorted in Python: a PostgreSQL collation may order codes otherwise than SQLite.

Limits: the units of an organisation are imported as they stand (state and dates), without their
``orgunit.changed`` history; a supervisor must come before the people reporting to them or in the same
batch of lines (5,000), which export order satisfies for organisations of fewer people.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session

from govparts.core import audit
from govparts.core.errors import GovPartsError, IntegrityViolation, NotFound
from govparts.core.exchange import ImportReport, insert_new
from govparts.core.i18n import N_
from govparts.core.security import Actor

from ._i18n import DOMAIN
from .models import EmployeeRecord, EstablishmentQuota, Organization, OrgUnit
from .tables import EmployeeRow, OrganizationRow, OrgUnitRow, QuotaRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = [
    "ADAPTERS",
    "IMPORTER",
    "EmployeeAdapter",
    "OrganizationAdapter",
    "OrgUnitAdapter",
    "QuotaAdapter",
]

_VERSION = "1.0"
_CHUNK = 500
"""Keys looked up per ``IN (…)`` query."""

IMPORTER = Actor(id="exchange-import", name="数据交换导入", roles=frozenset({"hr_clerk"}))
"""The actor the audit records of an import name: the exchange, not a person."""

_IN_SERVICE = ("probation", "active", "seconded")
_ORG_FIELDS = tuple(Organization.model_fields)
_UNIT_FIELDS = tuple(OrgUnit.model_fields)
_QUOTA_FIELDS = tuple(EstablishmentQuota.model_fields)
_EMPLOYEE_FIELDS = tuple(EmployeeRecord.model_fields)
_UNIT_STATE = {False: ("active", 2), True: ("closed", 3)}
"""(state, version) of an imported unit by whether it has an end date: created, established (, closed)."""


def _table(row: type[Any]) -> sa.Table:
    table: sa.Table = row.__table__
    return table


ORG, UNIT, QUOTA, EMP = (_table(r) for r in (OrganizationRow, OrgUnitRow, QuotaRow, EmployeeRow))


def _audit_batch(connection: sa.Connection, entity: str, keys: Sequence[str]) -> None:
    """One audit record for the ``keys`` of ``entity`` a batch wrote."""
    now = datetime.now(UTC)
    audit.append(
        connection,
        action="import",
        entity=entity,
        entity_id=f"batch/{now.isoformat()}",
        actor=IMPORTER,
        details={"count": len(keys), "keys": sorted(keys)},
        at=now,
    )


def _known_organizations(connection: sa.Connection, codes: set[str]) -> set[str]:
    found: set[str] = set()
    wanted = sorted(codes)
    for start in range(0, len(wanted), _CHUNK):
        query = sa.select(ORG.c.credit_code).where(ORG.c.credit_code.in_(wanted[start : start + _CHUNK]))
        found.update(connection.execute(query).scalars())
    return found


def _stored(
    connection: sa.Connection,
    table: sa.Table,
    key: tuple[str, str],
    keys: Sequence[tuple[str, str]],
    fields: Sequence[str],
) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored ``fields`` of the rows of ``table`` whose two-column ``key`` is among ``keys``.

    Looked up organisation by organisation (``a = ? AND b IN (…)``), which every database answers
    from the unique index on the key.
    """
    grouped: dict[str, set[str]] = {}
    for first, second in keys:
        grouped.setdefault(first, set()).add(second)
    columns = [table.c[name] for name in fields]
    stored: dict[tuple[str, str], dict[str, Any]] = {}
    for first, seconds in sorted(grouped.items()):
        wanted = sorted(seconds)
        for start in range(0, len(wanted), _CHUNK):
            query = sa.select(*columns).where(
                table.c[key[0]] == first, table.c[key[1]].in_(wanted[start : start + _CHUNK])
            )
            for row in connection.execute(query).mappings():
                stored[(row[key[0]], row[key[1]])] = dict(row)
    return stored


def _conflict(field: str, got: str, expected: Any) -> IntegrityViolation:
    return IntegrityViolation(
        N_("{field}: {got} is already stored with another {field} ({expected})"),
        field=field,
        got=got,
        expected=str(expected),
        domain=DOMAIN,
    )


def _first_difference(stored: dict[str, Any], values: dict[str, Any]) -> str | None:
    return next((name for name, value in values.items() if stored.get(name) != value), None)


def _unknown_organization(code: str) -> NotFound:
    return NotFound(field="organization_credit_code", kind="organisation", got=code)


class OrganizationAdapter:
    """Exchanges :class:`~.models.Organization` records with ``personnel_organization``."""

    model = Organization
    model_id = Organization.standard_id
    model_version = _VERSION
    record_key = ("credit_code",)
    """The key: a second record with it in one package is a rejected line (issue 15.1)."""

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every organisation (or only ``org``), by credit code."""
        query = sa.select(*(ORG.c[name] for name in _ORG_FIELDS))
        if org is not None:
            query = query.where(ORG.c.credit_code == org)
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        for row in sorted(rows, key=lambda r: r["credit_code"]):
            yield Organization.model_construct(**row)

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Insert the organisations not stored yet, in bulk; compare the others."""
        rows = [{name: getattr(record, name) for name in _ORG_FIELDS} for record in records]
        report = insert_new(connection, ORG, rows, key=("credit_code",))
        if report.inserted:
            written = [r["credit_code"] for i, r in enumerate(rows) if i not in report.rejected]
            _audit_batch(connection, "organization", written)
        return report


class OrgUnitAdapter:
    """Exchanges :class:`~.models.OrgUnit` records (established and closed) with ``personnel_org_unit``."""

    model = OrgUnit
    model_id = OrgUnit.standard_id
    model_version = _VERSION
    record_key = ("organization_credit_code", "unit_code")
    """The key: a second record with it in one package is a rejected line (issue 15.1)."""

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every established or closed unit (of ``org``, if given), by organisation and unit code."""
        query = sa.select(*(UNIT.c[name] for name in _UNIT_FIELDS)).where(UNIT.c.state != "planned")
        if org is not None:
            query = query.where(UNIT.c.organization_credit_code == org)
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        for row in sorted(rows, key=lambda r: (r["organization_credit_code"], r["unit_code"])):
            yield OrgUnit.model_construct(**row)

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Insert the new units in bulk, established or (with an end date) closed; compare the others."""
        rows = [{name: getattr(record, name) for name in _UNIT_FIELDS} for record in records]
        keys = [(row["organization_credit_code"], row["unit_code"]) for row in rows]
        known = _known_organizations(connection, {org for org, _ in keys})
        stored = _stored(connection, UNIT, ("organization_credit_code", "unit_code"), keys, _UNIT_FIELDS)
        parents = set(stored) | set(keys)
        parent_codes = sorted({row["parent_code"] for row in rows if row["parent_code"] is not None})
        parents.update(
            (org, code)
            for org, code in connection.execute(
                sa.select(UNIT.c.organization_credit_code, UNIT.c.unit_code).where(
                    UNIT.c.organization_credit_code.in_(sorted(known)), UNIT.c.unit_code.in_(parent_codes)
                )
            )
        )
        report = ImportReport()
        fresh: list[dict[str, Any]] = []
        positions: list[int] = []
        for index, (row_key, row) in enumerate(zip(keys, rows, strict=True)):
            org, code = row_key
            problems: list[GovPartsError] = []
            if org not in known:
                problems.append(_unknown_organization(org))
            elif row["parent_code"] is not None and (org, row["parent_code"]) not in parents:
                problems.append(NotFound(field="parent_code", kind="unit", got=row["parent_code"]))
            before = stored.get(row_key)
            if not problems and before is not None:
                differing = _first_difference(before, row)
                if differing is None:
                    report.unchanged += 1
                    continue
                problems.append(_conflict(differing, f"{org}/{code}", before[differing]))
            if problems:
                report.rejected[index] = problems
                continue
            state, version = _UNIT_STATE[row["effective_to"] is not None]
            fresh.append({**row, "state": state, "version": version})
            positions.append(index)
        inner = insert_new(connection, UNIT, fresh, key=("organization_credit_code", "unit_code"))
        report.inserted = inner.inserted
        report.unchanged += inner.unchanged
        for index, errors in inner.rejected.items():
            report.rejected[positions[index]] = errors
        if report.inserted:
            written = [f"{org}/{code}" for i, (org, code) in enumerate(keys) if i not in report.rejected]
            _audit_batch(connection, "org_unit", written)
        return report


class QuotaAdapter:
    """Exchanges :class:`~.models.EstablishmentQuota` records with ``personnel_quota``."""

    model = EstablishmentQuota
    model_id = EstablishmentQuota.standard_id
    model_version = _VERSION
    record_key = ("organization_credit_code", "establishment")
    """The key: a second record with it in one package is a rejected line (issue 15.1)."""

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every quota (of ``org``, if given), by organisation and establishment category."""
        query = sa.select(*(QUOTA.c[name] for name in _QUOTA_FIELDS))
        if org is not None:
            query = query.where(QUOTA.c.organization_credit_code == org)
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        for row in sorted(rows, key=lambda r: (r["organization_credit_code"], r["establishment"])):
            yield EstablishmentQuota.model_construct(**row)

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Insert the quotas not stored yet, in bulk; a quota stored with another number is a conflict."""
        rows = [{name: getattr(record, name) for name in _QUOTA_FIELDS} for record in records]
        known = _known_organizations(connection, {row["organization_credit_code"] for row in rows})
        report = ImportReport()
        fresh: list[dict[str, Any]] = []
        positions: list[int] = []
        for index, row in enumerate(rows):
            if row["organization_credit_code"] not in known:
                report.rejected[index] = [_unknown_organization(row["organization_credit_code"])]
                continue
            fresh.append(row)
            positions.append(index)
        inner = insert_new(connection, QUOTA, fresh, key=("organization_credit_code", "establishment"))
        report.inserted, report.unchanged = inner.inserted, inner.unchanged
        for index, errors in inner.rejected.items():
            report.rejected[positions[index]] = errors
        if report.inserted:
            written = [
                f"{r['organization_credit_code']}/{r['establishment']}"
                for i, r in enumerate(rows)
                if i not in report.rejected
            ]
            _audit_batch(connection, "quota", written)
        return report


class EmployeeAdapter:
    """Exchanges :class:`~.models.EmployeeRecord` records through the reference service's bulk import."""

    model = EmployeeRecord
    model_id = EmployeeRecord.standard_id
    model_version = _VERSION
    record_key = ("organization_credit_code", "employee_no")
    """The key: a second record with it in one package is a rejected line (issue 15.1)."""

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every person in service (on probation, active or seconded; of ``org``, if given), by
        organisation and number."""
        query = sa.select(*(EMP.c[name] for name in _EMPLOYEE_FIELDS)).where(EMP.c.state.in_(_IN_SERVICE))
        if org is not None:
            query = query.where(EMP.c.organization_credit_code == org)
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        for row in sorted(rows, key=lambda r: (r["organization_credit_code"], r["employee_no"])):
            yield EmployeeRecord.model_construct(**row)

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Hire the people not stored yet as the service's bulk import does; compare the others.

        New people pass the service's checks and are written with their hire records, one audit
        record and one ``employee.hired`` event each. With a rejected record and no ``keep_valid``
        nothing of the batch is written (the caller rolls the import back).
        """
        from .service import ReferenceService

        keys = [(r.organization_credit_code, r.employee_no) for r in records if isinstance(r, EmployeeRecord)]
        if len(keys) != len(records):
            raise TypeError("EmployeeAdapter imports EmployeeRecord records only")
        stored = _stored(connection, EMP, ("organization_credit_code", "employee_no"), keys, _EMPLOYEE_FIELDS)
        report = ImportReport()
        fresh: list[tuple[int, EmployeeRecord]] = []
        for index, (row_key, record) in enumerate(zip(keys, records, strict=True)):
            assert isinstance(record, EmployeeRecord)
            before = stored.get(row_key)
            if before is None:
                fresh.append((index, record))
                continue
            differing = _first_difference(before, record.__dict__)
            if differing is None:
                report.unchanged += 1
            else:
                report.rejected[index] = [_conflict(differing, "/".join(row_key), before[differing])]
        if not fresh:
            return report
        service = ReferenceService(connection.engine)
        # A session on the importing connection: its queries, quota locks and writes belong to the
        # caller's transaction (a second connection would wait for SQLite's write lock).
        with Session(bind=connection) as session:
            kept = service._check_batch(session, fresh, report.rejected)
            if kept and (keep_valid or not report.rejected):
                service._write_batch(session, [record for _, record in kept], IMPORTER, publish_events=True)
                report.inserted = len(kept)
            session.flush()
        return report


ADAPTERS = [OrganizationAdapter(), OrgUnitAdapter(), QuotaAdapter(), EmployeeAdapter()]
