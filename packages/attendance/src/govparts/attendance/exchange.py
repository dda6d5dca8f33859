"""The attendance part's adapters for the data exchange format: enrolments and punches.

``govparts exchange export --part attendance`` writes two files, in this order: every
:class:`~.models.Enrolment` stretch (by person and start) and every :class:`~.models.Punch` (by person,
time and device), those of people not enrolled that day included. Importing applies them in the same
order, so punches land on the enrolments that came with them:

- an enrolment already stored alike is unchanged; one overlapping a stored stretch of the same person
  is a conflict, reported against the record and never written;
- punches go through the reference service's own bulk path (duplicates counted, strays kept aside,
  results of open months recomputed); a punch in a closed month is rejected with
  :class:`~govparts.attendance.MonthLocked`, the month's results stay as closed.
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
from ._tables import ENROLMENT, PUNCH, UNENROLLED

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ADAPTERS", "EnrolmentAdapter", "PunchAdapter"]

_VERSION = "1.0"


def _overlaps(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    return (a[1] is None or b[0] <= a[1]) and (b[1] is None or a[0] <= b[1])


def _stored(connection: sa.Connection, punches: Sequence[Punch]) -> set[tuple[str, datetime, str]]:
    """Which of ``punches`` are stored (kept or set aside), as (person, UTC time, device)."""
    if not punches:
        return set()
    persons = sorted({p.person_id for p in punches})
    lo = min(p.punched_at for p in punches)
    hi = max(p.punched_at for p in punches)
    found: set[tuple[str, datetime, str]] = set()
    for table in (PUNCH, UNENROLLED):
        for start in range(0, len(persons), 500):
            query = sa.select(table.c.person_id, table.c.punched_at, table.c.device).where(
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

    def export(self, engine: Engine) -> Iterator[BaseModel]:
        """Every enrolment stretch, by person and start date."""
        with engine.connect() as conn:
            rows = conn.execute(sa.select(ENROLMENT)).all()
        for row in sorted(rows, key=lambda r: (r.person_id, r.start_date)):
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
        stored: dict[str, list[tuple[date, date | None]]] = {}
        for start in range(0, len(persons), 500):
            query = sa.select(ENROLMENT.c.person_id, ENROLMENT.c.start_date, ENROLMENT.c.end_date).where(
                ENROLMENT.c.person_id.in_(persons[start : start + 500])
            )
            for found in connection.execute(query):
                stored.setdefault(found.person_id, []).append((found.start_date, found.end_date))
        report = ImportReport()
        fresh: list[dict[str, Any]] = []
        positions: list[int] = []
        for index, row in enumerate(rows):
            span = (row["start_date"], row["end_date"])
            others = [s for s in stored.get(row["person_id"], []) if s[0] != span[0]]
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
            stored.setdefault(row["person_id"], []).append(span)
            fresh.append(row)
            positions.append(index)
        inner = insert_new(connection, ENROLMENT, fresh, key=("person_id", "start_date"))
        report.inserted, report.unchanged = inner.inserted, report.unchanged + inner.unchanged
        for index, errors in inner.rejected.items():
            report.rejected[positions[index]] = errors
        return report


class PunchAdapter:
    """Exchanges :class:`Punch` records through the reference service's bulk path."""

    model = Punch
    model_id = Punch.standard_id
    model_version = _VERSION

    def export(self, engine: Engine) -> Iterator[BaseModel]:
        """Every punch (strays included, as device punches), by person, time and device."""
        with engine.connect() as conn:
            kept = [
                (r.person_id, r.punched_at, r.device, r.source)
                for r in conn.execute(
                    sa.select(PUNCH.c.person_id, PUNCH.c.punched_at, PUNCH.c.device, PUNCH.c.source)
                )
            ]
            kept += [
                (r.person_id, r.punched_at, r.device, "device")
                for r in conn.execute(
                    sa.select(UNENROLLED.c.person_id, UNENROLLED.c.punched_at, UNENROLLED.c.device)
                )
            ]
        for person_id, punched_at, device, source in sorted(kept):
            yield Punch.model_construct(
                person_id=person_id, punched_at=punched_at, device=device, source=source
            )

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Store the punches in bulk; one in a closed month is rejected, the others go in."""
        from ._service import ReferenceService

        service = ReferenceService(connection.engine)
        service._read_settings(connection)
        closed = service._closed(connection)
        report = ImportReport()
        punches: list[Punch] = []
        locked: dict[int, tuple[Punch, date]] = {}
        for index, record in enumerate(records):
            assert isinstance(record, Punch)
            day = service.local_date(record.punched_at)
            month = next((lo for lo, hi in closed if lo <= day <= hi), None)
            if month is None:
                punches.append(record)
            else:
                locked[index] = (record, month)
        # A punch of a closed month is fine when it is stored already (a re-import changes nothing).
        stored = _stored(connection, [p for p, _ in locked.values()])
        for index, (record, month) in locked.items():
            if (record.person_id, record.punched_at.astimezone(UTC), record.device) in stored:
                report.unchanged += 1
                continue
            error: GovPartsError = MonthLocked(field="punched_at", month=f"{month:%Y-%m}", domain=DOMAIN)
            report.rejected[index] = [error]
        if punches:
            done = service._store_punches(connection, punches)
            report.inserted = done.stored + done.not_enrolled_punches
            report.unchanged += done.duplicates
        return report


ADAPTERS = [EnrolmentAdapter(), PunchAdapter()]
