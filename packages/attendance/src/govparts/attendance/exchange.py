"""The attendance part's adapters for the data exchange format: enrolments and punches.

``govparts exchange export --part attendance`` writes two files, in this order: every
:class:`~.models.Enrolment` stretch (by person and start) and every :class:`~.models.Punch` (by person,
time and device), those of people not enrolled that day included. Importing applies them in the same
order, so punches land on the enrolments that came with them:

- an enrolment already stored alike is unchanged; one overlapping a stored stretch of the same person
  is a conflict, reported against the record and never written;
- punches go through the reference service's own bulk path (punches already stored counted as
  unchanged, strays kept aside, results of open months recomputed); a punch in a closed month is
  rejected with :class:`~govparts.attendance.MonthLocked`, the month's results stay as closed.

Many organisations share one database: an enrolment names its organisation
(``person.organization_credit_code``) and is keyed by (organisation, person, start). A punch names
only its person, so it belongs to the one organisation the person is enrolled in (a database with a
single organisation keeps a stray there); a person enrolled in several is rejected, never guessed.
A key given twice in one package (the same enrolment start, the same punch) is a rejected line
naming the key, never silently merged (issue 15.1), and the report's counts add up: every line is
inserted, unchanged or rejected.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel

from govparts.core.errors import GovPartsError, IntegrityViolation
from govparts.core.exchange import ImportReport, insert_new
from govparts.core.i18n import N_
from govparts.core.refs import OrgUnitRef, PersonRef

from ._errors import MonthLocked
from ._i18n import DOMAIN
from ._models import Enrolment, Punch
from ._tables import ENROLMENT, PUNCH, SETTINGS, UNENROLLED

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ADAPTERS", "EnrolmentAdapter", "PunchAdapter"]

_VERSION = "1.0"


def _overlaps(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    return (a[1] is None or b[0] <= a[1]) and (b[1] is None or a[0] <= b[1])


def _twice(what: str, got: str) -> IntegrityViolation:
    return IntegrityViolation(
        N_("{field}: the key {got} appears more than once in this package"),
        field=what,
        got=got,
        domain=DOMAIN,
    )


def _stored(connection: sa.Connection, org: str, punches: Sequence[Punch]) -> set[tuple[str, datetime, str]]:
    """Which of ``punches`` of ``org`` are stored (kept or set aside), as (person, UTC time, device)."""
    if not punches:
        return set()
    persons = sorted({p.person_id for p in punches})
    lo = min(p.punched_at for p in punches)
    hi = max(p.punched_at for p in punches)
    found: set[tuple[str, datetime, str]] = set()
    for table in (PUNCH, UNENROLLED):
        for start in range(0, len(persons), 500):
            query = sa.select(table.c.person_id, table.c.punched_at, table.c.device).where(
                table.c.org == org,
                table.c.person_id.in_(persons[start : start + 500]),
                table.c.punched_at >= lo,
                table.c.punched_at <= hi,
            )
            found.update(
                (r.person_id, r.punched_at.astimezone(UTC), r.device) for r in connection.execute(query)
            )
    return found


class EnrolmentAdapter:
    """Exchanges :class:`Enrolment` stretches with the ``attendance_enrolment`` table."""

    model = Enrolment
    model_id = Enrolment.standard_id
    model_version = _VERSION
    record_key = ("person.organization_credit_code", "person.person_id", "start_date")

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every enrolment stretch (of ``org``, if given), by organisation, person and start date."""
        query = sa.select(ENROLMENT)
        if org is not None:
            query = query.where(ENROLMENT.c.organization_credit_code == org)
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        for row in sorted(rows, key=lambda r: (r.organization_credit_code, r.person_id, r.start_date)):
            yield Enrolment.model_construct(
                person=PersonRef.model_construct(
                    person_id=row.person_id,
                    organization_credit_code=row.organization_credit_code,
                    name=row.person_name,
                    citizen_id=None,
                ),
                unit=OrgUnitRef.model_construct(
                    organization_credit_code=row.organization_credit_code,
                    unit_code=row.unit_code,
                    name=row.unit_name,
                ),
                first_employment_date=row.first_employment_date,
                start_date=row.start_date,
                end_date=row.end_date,
            )

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Insert the stretches not stored yet, in bulk; a stretch overlapping another is a conflict."""
        rows: list[dict[str, Any]] = []
        for record in records:
            assert isinstance(record, Enrolment)
            rows.append(
                {
                    "person_id": record.person.person_id,
                    "person_name": record.person.name,
                    "organization_credit_code": record.person.organization_credit_code,
                    "unit_code": record.unit.unit_code,
                    "unit_name": record.unit.name,
                    "first_employment_date": record.first_employment_date,
                    "start_date": record.start_date,
                    "end_date": record.end_date,
                }
            )
        persons = sorted({row["person_id"] for row in rows})
        stored: dict[tuple[str, str], list[tuple[date, date | None]]] = {}
        for start in range(0, len(persons), 500):
            query = sa.select(
                ENROLMENT.c.organization_credit_code,
                ENROLMENT.c.person_id,
                ENROLMENT.c.start_date,
                ENROLMENT.c.end_date,
            ).where(ENROLMENT.c.person_id.in_(persons[start : start + 500]))
            for found in connection.execute(query):
                stored.setdefault((found.organization_credit_code, found.person_id), []).append(
                    (found.start_date, found.end_date)
                )
        report = ImportReport()
        fresh: list[dict[str, Any]] = []
        positions: list[int] = []
        seen: set[tuple[str, str, date]] = set()
        for index, row in enumerate(rows):
            person = (row["organization_credit_code"], row["person_id"])
            span = (row["start_date"], row["end_date"])
            if (*person, span[0]) in seen:
                report.rejected[index] = [_twice("start_date", f"{row['person_id']} {span[0].isoformat()}")]
                continue
            seen.add((*person, span[0]))
            others = [s for s in stored.get(person, []) if s[0] != span[0]]
            if any(_overlaps(span, other) for other in others):
                report.rejected[index] = [
                    IntegrityViolation(
                        N_("{field}: {got} overlaps another enrolment of the same person"),
                        field="start_date",
                        got=f"{row['person_id']} {span[0].isoformat()}",
                        domain=DOMAIN,
                    )
                ]
                continue
            stored.setdefault(person, []).append(span)
            fresh.append(row)
            positions.append(index)
        inner = insert_new(
            connection, ENROLMENT, fresh, key=("organization_credit_code", "person_id", "start_date")
        )
        report.inserted, report.unchanged = inner.inserted, report.unchanged + inner.unchanged
        for index, errors in inner.rejected.items():
            report.rejected[positions[index]] = errors
        return report


class PunchAdapter:
    """Exchanges :class:`Punch` records through the reference service's bulk path."""

    model = Punch
    model_id = Punch.standard_id
    model_version = _VERSION
    record_key = ("person_id", "punched_at", "device")

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every punch (strays included, as device punches; of ``org``, if given), by person, time
        and device."""
        kept_query = sa.select(PUNCH.c.person_id, PUNCH.c.punched_at, PUNCH.c.device, PUNCH.c.source)
        stray_query = sa.select(UNENROLLED.c.person_id, UNENROLLED.c.punched_at, UNENROLLED.c.device)
        if org is not None:
            kept_query = kept_query.where(PUNCH.c.org == org)
            stray_query = stray_query.where(UNENROLLED.c.org == org)
        with engine.connect() as conn:
            kept = [(r.person_id, r.punched_at, r.device, r.source) for r in conn.execute(kept_query)]
            kept += [(r.person_id, r.punched_at, r.device, "device") for r in conn.execute(stray_query)]
        for person_id, punched_at, device, source in sorted(kept):
            yield Punch.model_construct(
                person_id=person_id, punched_at=punched_at, device=device, source=source
            )

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Store the punches in bulk per organisation; one in a closed month is rejected, others go in."""
        from ._service import ReferenceService

        service = ReferenceService(connection.engine)
        report = ImportReport()
        orgs = _orgs_of(connection, sorted({r.person_id for r in records if isinstance(r, Punch)}))
        sole = _sole_org(connection)
        by_org: dict[str, list[tuple[int, Punch]]] = {}
        seen: set[tuple[str, datetime, str]] = set()
        for index, record in enumerate(records):
            assert isinstance(record, Punch)
            key = (record.person_id, record.punched_at.astimezone(UTC), record.device)
            if key in seen:
                report.rejected[index] = [_twice("punched_at", f"{key[0]} {key[1].isoformat()} {key[2]}")]
                continue
            seen.add(key)
            found = orgs.get(record.person_id, set())
            if len(found) == 1 or (not found and sole is not None):
                by_org.setdefault(next(iter(found)) if found else str(sole), []).append((index, record))
            else:
                report.rejected[index] = [
                    IntegrityViolation(
                        N_("{field}: {got} is not enrolled in exactly one organisation of this database"),
                        field="person_id",
                        got=record.person_id,
                        domain=DOMAIN,
                    )
                ]
        for org, batch in by_org.items():
            self._import_org(connection, service, org, batch, report)
        return report

    @staticmethod
    def _import_org(
        connection: sa.Connection,
        service: Any,
        org: str,
        batch: Sequence[tuple[int, Punch]],
        report: ImportReport,
    ) -> None:
        service._read_settings(connection, org)
        closed = service._closed(connection, org)
        punches: list[Punch] = []
        locked: dict[int, tuple[Punch, date]] = {}
        for index, record in batch:
            day = service.local_date(org, record.punched_at)
            month = next((lo for lo, hi in closed if lo <= day <= hi), None)
            if month is None:
                punches.append(record)
            else:
                locked[index] = (record, month)
        # A punch of a closed month is fine when it is stored already (a re-import changes nothing).
        stored = _stored(connection, org, [p for p, _ in locked.values()])
        for index, (record, month) in locked.items():
            if (record.person_id, record.punched_at.astimezone(UTC), record.device) in stored:
                report.unchanged += 1
                continue
            error: GovPartsError = MonthLocked(field="punched_at", month=f"{month:%Y-%m}", domain=DOMAIN)
            report.rejected[index] = [error]
        if punches:
            done = service._store_punches(connection, org, punches)
            report.inserted += done.stored + done.not_enrolled_punches
            report.unchanged += done.duplicates


def _orgs_of(connection: sa.Connection, persons: Sequence[str]) -> dict[str, set[str]]:
    """The organisations each of ``persons`` is enrolled in."""
    found: dict[str, set[str]] = {}
    for start in range(0, len(persons), 500):
        query = (
            sa.select(ENROLMENT.c.person_id, ENROLMENT.c.organization_credit_code)
            .where(ENROLMENT.c.person_id.in_(persons[start : start + 500]))
            .distinct()
        )
        for row in connection.execute(query):
            found.setdefault(row.person_id, set()).add(row.organization_credit_code)
    return found


def _sole_org(connection: sa.Connection) -> str | None:
    """The database's organisation when it keeps attendance for exactly one, else None."""
    query = sa.union(
        sa.select(ENROLMENT.c.organization_credit_code.label("org")), sa.select(SETTINGS.c.org.label("org"))
    ).subquery()
    orgs = [row.org for row in connection.execute(sa.select(query.c.org).limit(2))]
    return orgs[0] if len(orgs) == 1 else None


ADAPTERS = [EnrolmentAdapter(), PunchAdapter()]
