"""Mutants of the reference implementation, each breaking one rule of the catalogue.

``run_selftest`` must see each one killed by a check of the requirement it breaks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from govparts.conformance import Mutant
from govparts.core.audit import TrailEntry
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.events import CloudEvent
from govparts.core.refs import PersonRef
from govparts.core.security import CROSS_ORG_READ_ROLE, Actor

from .. import rules
from ..models import EmployeeRecord, EmployeeView, HeadcountRow, ImportReport, RetirementDue
from ..rules import RANK_GRADES, RETIREMENT_RULES, RetirementRule
from ..service import EMP, IN_SERVICE, QUOTA, ReferenceService, _session_of
from ..tables import EmployeeRow

__all__ = ["MUTANTS"]


def _factory(cls: type[ReferenceService]) -> Callable[[], ReferenceService]:
    def make() -> ReferenceService:
        folder = Path(tempfile.mkdtemp(prefix="govparts-personnel-mutant-"))
        engine = create_engine(f"sqlite:///{folder / 'personnel.db'}")
        metadata.create_all(engine)
        return cls(engine, cleanup=folder)

    make.__name__ = f"make_{cls.__name__}"
    return make


class IgnoresQuota(ReferenceService):
    def _check_quota(self, session: Any, org: str, establishment: str, adding: int) -> None:
        return None


class SeparatesWithReports(ReferenceService):
    @staticmethod
    def _has_no_direct_reports(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        return None


class SeparatesWhileHoldingPost(ReferenceService):
    @staticmethod
    def _holds_no_post(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        return None


class AcceptsBirthDateMismatch(ReferenceService):
    """Takes the birth date from the citizen id when the declared one disagrees, instead of refusing."""

    def hire(self, actor: Actor, org: str, record: EmployeeRecord | Mapping[str, Any]) -> EmployeeView:
        if isinstance(record, Mapping):
            cid = str(record.get("citizen_id", ""))
            if len(cid) == 18 and cid[6:14].isdigit():
                born = f"{cid[6:10]}-{cid[10:12]}-{cid[12:14]}"
                record = {**record, "birth_date": born}
        return super().hire(actor, org, record)


class AcceptsSexMismatch(ReferenceService):
    """Takes the sex from the citizen id when the declared one disagrees, instead of refusing."""

    def hire(self, actor: Actor, org: str, record: EmployeeRecord | Mapping[str, Any]) -> EmployeeView:
        if isinstance(record, Mapping):
            cid = str(record.get("citizen_id", ""))
            if len(cid) == 18 and cid[16].isdigit():
                record = {**record, "sex": "1" if int(cid[16]) % 2 else "2"}
        return super().hire(actor, org, record)


class PostHolderFromCurrentState(ReferenceService):
    """Answers "who held the post on day D" with today's holder: history is not consulted."""

    def post_holder(self, actor: Actor, org: str, position_code: str, on: date) -> PersonRef | None:
        for view in self.employees(actor, org):
            if view.position_code == position_code:
                return view.person
        return None


class TwoHoldersPerPost(ReferenceService):
    def appoint(
        self, actor: Actor, org: str, employee_no: str, position_code: str, *, effective: date, document: str
    ) -> EmployeeView:
        with session_scope(self.engine) as session:
            session.execute(
                EMP.update()
                .where(EMP.c.organization_credit_code == org, EMP.c.position_code == position_code)
                .values(position_code=None)
            )
        return super().appoint(actor, org, employee_no, position_code, effective=effective, document=document)


class ImportsPartially(ReferenceService):
    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
        publish_events: bool = True,
    ) -> ImportReport:
        return super().import_employees(actor, org, records, keep_valid=True, publish_events=publish_events)


class RetirementWithoutReform(ReferenceService):
    retirement_rules = RETIREMENT_RULES[:1]


class ServiceYearsFromJoining(ReferenceService):
    def service_years(self, actor: Actor, org: str, employee_no: str, on: date) -> int:
        return rules.service_years(self.employee(actor, org, employee_no).record.joined_on, on)


class IgnoresOrganization(ReferenceService):
    """Lets any actor read and change any organisation's data: the organisation gate is gone."""

    def _gate(self, actor: Actor, org: str | None, *, write: bool, **_: Any) -> None:
        return None


class ForgetsSeparationReason(ReferenceService):
    def separate(
        self, actor: Actor, org: str, employee_no: str, reason: str, *, effective: date
    ) -> EmployeeView:
        return super().separate(actor, org, employee_no, "01", effective=effective)


# -- boundaries --------------------------------------------------------------------------------------


class QuotaFullAtLastPlace(ReferenceService):
    """Counts the hire itself twice: the hire that would fill the last place is refused."""

    def _check_quota(self, session: Any, org: str, establishment: str, adding: int) -> None:
        super()._check_quota(session, org, establishment, adding + 1)


class QuotaCountsEveryOrganisation(ReferenceService):
    """Counts the occupied places of a category across every organisation of the database."""

    @staticmethod
    def _occupied(session: Any, org: str, establishment: str) -> int:
        return int(
            session.execute(
                sa.select(sa.func.count())
                .select_from(EMP)
                .where(EMP.c.establishment == establishment, EMP.c.state.in_(IN_SERVICE))
            ).scalar_one()
        )


class QuotaForAdministrativeOnly(ReferenceService):
    """Enforces the quota of the administrative establishment (行政编制) only."""

    def _check_quota(self, session: Any, org: str, establishment: str, adding: int) -> None:
        if establishment == "10":
            super()._check_quota(session, org, establishment, adding)


class QuotaBelowOccupancy(ReferenceService):
    """Sets any non-negative quota, even below the places occupied."""

    def set_quota(self, actor: Actor, org: str, establishment: str, quota: int) -> None:
        with session_scope(self.engine) as session:
            stored = session.execute(
                sa.select(QUOTA.c.quota).where(
                    QUOTA.c.organization_credit_code == org, QUOTA.c.establishment == establishment
                )
            ).first()
        if stored is None or quota < 0:
            super().set_quota(actor, org, establishment, quota)
            return
        self._gate(actor, org, write=True)
        with session_scope(self.engine) as session:
            session.execute(
                QUOTA.update()
                .where(QUOTA.c.organization_credit_code == org, QUOTA.c.establishment == establishment)
                .values(quota=quota)
            )


class GradeOneOutside(ReferenceService):
    """Accepts a grade one step outside the rank's range (an off-by-one in the range table)."""

    @staticmethod
    def _check_grade(rank: str, grade: int) -> None:
        low, high = RANK_GRADES[rank]
        if not low - 1 <= grade <= high + 1:
            rules.check_rank_grade(rank, grade)


class ServiceYearsByDays(ReferenceService):
    """Counts service years as days // 365: leap days make a year complete early."""

    def service_years(self, actor: Actor, org: str, employee_no: str, on: date) -> int:
        first = self.employee(actor, org, employee_no).record.first_employment_date
        return max(0, (on - first).days // 365)


class RetirementWindowEndExclusive(ReferenceService):
    """Treats the end month of the retirements-due window as excluded."""

    def retirements_due(self, actor: Actor, org: str, start: date, end: date) -> list[RetirementDue]:
        last = date(end.year, end.month, 1)
        return [d for d in super().retirements_due(actor, org, start, end) if d.retirement_month < last]


class AgeBandsOnToday(ReferenceService):
    """Computes age bands on today's date whatever day is asked."""

    def statistics(self, actor: Actor, org: str, by: str, *, on: date | None = None) -> dict[str, int]:
        return super().statistics(actor, org, by)


class PostHolderADayLate(ReferenceService):
    """Answers who held a post on day D from the records up to the day before."""

    def post_holder(self, actor: Actor, org: str, position_code: str, on: date) -> PersonRef | None:
        return super().post_holder(actor, org, position_code, on - timedelta(days=1))


# -- settings: groups and calendars ----------------------------------------------------------------


def _rules_with(group: str, cap_months: int) -> tuple[RetirementRule, ...]:
    reform = RETIREMENT_RULES[-1]
    groups = {**reform.groups, group: replace(reform.groups[group], cap_months=cap_months)}
    return (*RETIREMENT_RULES[:-1], replace(reform, groups=groups))


class MenWithoutCap(ReferenceService):
    """Delays men's retirement without the 36-month cap."""

    retirement_rules = _rules_with("M60", cap_months=600)


class WorkersCappedLikeCadres(ReferenceService):
    """Caps women workers' delay at 36 months like the other groups (55 is never reached)."""

    retirement_rules = _rules_with("F50", cap_months=36)


class InstitutionCadresAsWorkers(ReferenceService):
    """Counts only civil servants (11, 12) as cadres: public-institution women retire as workers."""

    @staticmethod
    def _retirement_group(sex: str, category: str) -> str:
        if sex == "2":
            return "F55" if category in ("11", "12") else "F50"
        return rules.retirement_group(sex, category)


# -- bulk paths ----------------------------------------------------------------------------------------


class BulkImportIgnoresQuota(ReferenceService):
    """Checks the establishment quota on single hires only, never on an import."""

    def _within_quota(self, session: Any, kept: list[Any], problems: dict[int, list[Any]]) -> list[Any]:
        return kept


class ImportRehomesRows(ReferenceService):
    """Takes every imported row's organisation from the call, silently moving other organisations' rows."""

    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
        publish_events: bool = True,
    ) -> ImportReport:
        rows = [
            {**row, "organization_credit_code": org} if isinstance(row, Mapping) else row for row in records
        ]
        return super().import_employees(
            actor, org, rows, keep_valid=keep_valid, publish_events=publish_events
        )


class ImportWithoutEvents(ReferenceService):
    """Writes imported people without publishing their employee.hired events."""

    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
        publish_events: bool = True,
    ) -> ImportReport:
        return super().import_employees(actor, org, records, keep_valid=keep_valid, publish_events=False)


class ImportCountsEveryRowWritten(ReferenceService):
    """Reports every row of a kept-valid import as written."""

    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
        publish_events: bool = True,
    ) -> ImportReport:
        rows = list(records)
        report = super().import_employees(
            actor, org, rows, keep_valid=keep_valid, publish_events=publish_events
        )
        return report.model_copy(update={"written": len(rows)})


class ImportLosesHireType(ReferenceService):
    """Imports every person as recruited (录用), losing transfers-in and selections."""

    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
        publish_events: bool = True,
    ) -> ImportReport:
        rows = [{**row, "hire_type": "recruitment"} if isinstance(row, Mapping) else row for row in records]
        return super().import_employees(
            actor, org, rows, keep_valid=keep_valid, publish_events=publish_events
        )


# -- access control and organisation isolation -----------------------------------------------------


class ConfirmsThroughServiceAccount(ReferenceService):
    """Confirms through a service account, so the officer who hired may confirm (no separation of duties)."""

    def confirm(self, actor: Actor, org: str, employee_no: str) -> EmployeeView:
        account = actor.model_copy(update={"id": f"{actor.id}.svc"})
        return super().confirm(account, org, employee_no)


class ImportWithoutRole(ReferenceService):
    """Lets any officer of the organisation import staff (the role is not checked on the bulk path)."""

    def import_employees(
        self,
        actor: Actor,
        org: str,
        records: Iterable[EmployeeRecord | Mapping[str, Any]],
        *,
        keep_valid: bool = False,
        publish_events: bool = True,
    ) -> ImportReport:
        elevated = actor.model_copy(update={"roles": actor.roles | {"hr_clerk"}})
        return super().import_employees(
            elevated, org, records, keep_valid=keep_valid, publish_events=publish_events
        )


class AuditorMayWrite(ReferenceService):
    """Lets a cross-organisation auditor do anything in any organisation."""

    def _gate(self, actor: Actor, org: str | None, *, write: bool, **kw: Any) -> None:
        if actor.has_role(CROSS_ORG_READ_ROLE):
            return None
        super()._gate(actor, org, write=write, **kw)


class AuditorReadsUnaudited(ReferenceService):
    """Lets a cross-organisation auditor read without leaving an audit record."""

    def _gate(self, actor: Actor, org: str | None, *, write: bool, **kw: Any) -> None:
        if not write and actor.has_role(CROSS_ORG_READ_ROLE):
            return None
        super()._gate(actor, org, write=write, **kw)


class FindsNumbersInAnyOrganisation(ReferenceService):
    """Looks people up by number alone: another organisation's person answers for a missing one."""

    def _row(self, session: Any, org: str, employee_no: str, *, lock: bool = False) -> Any:
        found = (
            session.execute(sa.select(EmployeeRow).where(EMP.c.employee_no == employee_no).order_by(EMP.c.id))
            .scalars()
            .first()
        )
        if found is None:
            return super()._row(session, org, employee_no, lock=lock)
        return found


# -- states the standard keeps -------------------------------------------------------------------------


class HeadcountWithoutSeconded(ReferenceService):
    """Leaves seconded people out of the headcount report."""

    def headcount(self, actor: Actor, org: str) -> list[HeadcountRow]:
        rows = super().headcount(actor, org)
        away = [v.record for v in self.employees(actor, org) if v.state == "seconded"]
        result = []
        for row in rows:
            gone = sum(
                1
                for r in away
                if r.establishment == row.establishment and row.unit_code in (None, r.unit_code)
            )
            if row.headcount - gone or row.unit_code is None:
                result.append(row.model_copy(update={"headcount": row.headcount - gone}))
        return result


class ClosesUnitsWithSecondedMembers(ReferenceService):
    """Counts only people on probation or active as a unit's members: a unit of seconded people closes."""

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
                    EMP.c.state.in_(("probation", "active")),
                )
            )
            .scalar_one()
        )
        if count:
            return ReferenceService._has_no_members(entity, inputs, actor)
        return None


class UsesClosedUnits(ReferenceService):
    """Never looks at a unit's state: closed units take transfers, hires and posts."""

    def _active_unit(self, session: Any, org: str, unit_code: str, *, field: str = "unit_code") -> Any:
        return self._unit_row(session, org, unit_code, field=field)


# -- observability --------------------------------------------------------------------------------------


class EventsNewestFirst(ReferenceService):
    """Lists the published events newest first."""

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        return list(reversed(super().published_events(actor, org, type=type)))


class EventsIgnoreTypeFilter(ReferenceService):
    """Ignores the type asked for and lists every event."""

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        return super().published_events(actor, org)


class ImportNotTracedPerPerson(ReferenceService):
    """Keeps the import's audit record, but an imported person's trail does not show it."""

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        return [t for t in super().audit_trail(actor, org, entity, entity_id) if t.action != "import"]


class ExportNotAudited(ReferenceService):
    """Exports an organisation's staff without recording who took them."""

    def export_employees(self, actor: Actor, org: str) -> list[EmployeeRecord]:
        return [v.record for v in self.employees(actor, org)]


# -- data lost in a round trip ---------------------------------------------------------------------


class ExportDropsUyghurName(ReferenceService):
    """Exports names in Chinese only (the Uyghur name is lost)."""

    def export_employees(self, actor: Actor, org: str) -> list[EmployeeRecord]:
        return [r.model_copy(update={"name_ug": None}) for r in super().export_employees(actor, org)]


class HireDropsSupervisor(ReferenceService):
    """Stores a hire without its supervisor."""

    def hire(self, actor: Actor, org: str, record: EmployeeRecord | Mapping[str, Any]) -> EmployeeView:
        if isinstance(record, Mapping):
            record = {**record, "supervisor_no": None}
        return super().hire(actor, org, record)


MUTANTS = [
    Mutant(
        "ignores-organization",
        "lets an actor of one organisation read and change another's data",
        _factory(IgnoresOrganization),
        breaks=("PER-027",),
    ),
    Mutant(
        "ignores-quota", "hires beyond the establishment quota", _factory(IgnoresQuota), breaks=("PER-006",)
    ),
    Mutant(
        "separates-with-reports",
        "separates a person who still has direct reports",
        _factory(SeparatesWithReports),
        breaks=("PER-012",),
    ),
    Mutant(
        "separates-while-holding-post",
        "separates a person who still holds a post",
        _factory(SeparatesWhileHoldingPost),
        breaks=("PER-011",),
    ),
    Mutant(
        "accepts-birth-date-mismatch",
        "accepts a birth date the citizen id contradicts (silently takes the id's)",
        _factory(AcceptsBirthDateMismatch),
        breaks=("PER-003",),
    ),
    Mutant(
        "accepts-sex-mismatch",
        "accepts a sex the citizen id contradicts (silently takes the id's)",
        _factory(AcceptsSexMismatch),
        breaks=("PER-004",),
    ),
    Mutant(
        "post-holder-from-current-state",
        "answers who held a post on a past day from today's holders, not the history",
        _factory(PostHolderFromCurrentState),
        breaks=("PER-015",),
    ),
    Mutant(
        "two-holders-per-post",
        "appoints a second person to a held post (silently unseating the first)",
        _factory(TwoHoldersPerPost),
        breaks=("PER-010",),
    ),
    Mutant(
        "imports-partially",
        "writes the valid rows of a batch that has invalid ones",
        _factory(ImportsPartially),
        breaks=("PER-019",),
    ),
    Mutant(
        "retirement-without-reform",
        "computes retirement with the 1978 ages, ignoring the 2024 decision",
        _factory(RetirementWithoutReform),
        breaks=("PER-016", "PER-017"),
    ),
    Mutant(
        "service-years-from-joining",
        "counts service years from joining the organisation instead of first employment",
        _factory(ServiceYearsFromJoining),
        breaks=("PER-018",),
    ),
    Mutant(
        "forgets-separation-reason",
        "records every separation as a resignation",
        _factory(ForgetsSeparationReason),
        breaks=("PER-013",),
    ),
    Mutant(
        "quota-full-at-last-place",
        "refuses the hire that fills the last place of the quota",
        _factory(QuotaFullAtLastPlace),
        breaks=("PER-006",),
    ),
    Mutant(
        "quota-below-occupancy",
        "sets a quota below the places occupied",
        _factory(QuotaBelowOccupancy),
        breaks=("PER-031",),
    ),
    Mutant(
        "grade-one-outside",
        "accepts a grade one step outside the rank's range",
        _factory(GradeOneOutside),
        breaks=("PER-022",),
    ),
    Mutant(
        "service-years-by-days",
        "counts service years as days // 365 (leap days complete a year early)",
        _factory(ServiceYearsByDays),
        breaks=("PER-018",),
    ),
    Mutant(
        "retirement-window-end-exclusive",
        "leaves the last month out of the retirements-due window",
        _factory(RetirementWindowEndExclusive),
        breaks=("PER-034",),
    ),
    Mutant(
        "age-bands-on-today",
        "computes age bands on today's date, not the day asked",
        _factory(AgeBandsOnToday),
        breaks=("PER-024",),
    ),
    Mutant(
        "post-holder-a-day-late",
        "answers who held a post from the records up to the day before",
        _factory(PostHolderADayLate),
        breaks=("PER-015",),
    ),
    Mutant(
        "men-without-cap",
        "delays men's retirement beyond the 36-month cap",
        _factory(MenWithoutCap),
        breaks=("PER-016",),
    ),
    Mutant(
        "workers-capped-like-cadres",
        "caps women workers' delay at 36 months",
        _factory(WorkersCappedLikeCadres),
        breaks=("PER-017",),
    ),
    Mutant(
        "institution-cadres-as-workers",
        "retires women managers of public institutions as workers",
        _factory(InstitutionCadresAsWorkers),
        breaks=("PER-017",),
    ),
    Mutant(
        "bulk-import-ignores-quota",
        "imports beyond the establishment quota",
        _factory(BulkImportIgnoresQuota),
        breaks=("PER-029",),
    ),
    Mutant(
        "import-rehomes-rows",
        "imports another organisation's rows into the caller's",
        _factory(ImportRehomesRows),
        breaks=("PER-029",),
    ),
    Mutant(
        "import-counts-every-row-written",
        "reports every row of a kept-valid import as written",
        _factory(ImportCountsEveryRowWritten),
        breaks=("PER-020",),
    ),
    Mutant(
        "import-loses-hire-type",
        "imports every person as recruited",
        _factory(ImportLosesHireType),
        breaks=("PER-021",),
    ),
    Mutant(
        "confirms-through-service-account",
        "lets the officer who hired confirm (no separation of duties)",
        _factory(ConfirmsThroughServiceAccount),
        breaks=("PER-008",),
    ),
    Mutant(
        "import-without-role", "lets a reader import staff", _factory(ImportWithoutRole), breaks=("PER-026",)
    ),
    Mutant(
        "auditor-may-write",
        "lets a cross-organisation auditor change another organisation's data",
        _factory(AuditorMayWrite),
        breaks=("PER-027",),
    ),
    Mutant(
        "auditor-reads-unaudited",
        "lets a cross-organisation auditor read without an audit record",
        _factory(AuditorReadsUnaudited),
        breaks=("PER-027",),
    ),
    Mutant(
        "finds-numbers-in-any-organisation",
        "answers for a missing number with another organisation's person",
        _factory(FindsNumbersInAnyOrganisation),
        breaks=("PER-025",),
    ),
    Mutant(
        "headcount-without-seconded",
        "leaves seconded people out of the headcount",
        _factory(HeadcountWithoutSeconded),
        breaks=("PER-007",),
    ),
    Mutant(
        "closes-units-with-seconded-members",
        "closes a unit whose members are all seconded",
        _factory(ClosesUnitsWithSecondedMembers),
        breaks=("PER-023",),
    ),
    Mutant(
        "uses-closed-units",
        "transfers, hires and creates posts in closed units",
        _factory(UsesClosedUnits),
        breaks=("PER-014", "PER-033"),
    ),
    Mutant(
        "events-newest-first",
        "lists published events newest first",
        _factory(EventsNewestFirst),
        breaks=("PER-030",),
    ),
    Mutant(
        "events-ignore-type-filter",
        "ignores the event type asked for",
        _factory(EventsIgnoreTypeFilter),
        breaks=("PER-030",),
    ),
    Mutant(
        "import-not-traced-per-person",
        "leaves the import out of an imported person's audit trail",
        _factory(ImportNotTracedPerPerson),
        breaks=("PER-028",),
    ),
    Mutant(
        "export-not-audited",
        "exports an organisation's staff without an audit record",
        _factory(ExportNotAudited),
        breaks=("PER-028",),
    ),
    Mutant(
        "export-drops-uyghur-name",
        "exports names in Chinese only",
        _factory(ExportDropsUyghurName),
        breaks=("PER-021",),
    ),
    Mutant(
        "hire-drops-supervisor",
        "stores a hire without its supervisor",
        _factory(HireDropsSupervisor),
        breaks=("PER-001",),
    ),
    Mutant(
        "quota-counts-every-organisation",
        "counts the places other organisations occupy against this one's quota",
        _factory(QuotaCountsEveryOrganisation),
        breaks=("PER-006",),
    ),
    Mutant(
        "quota-for-administrative-only",
        "enforces the quota of the administrative establishment only",
        _factory(QuotaForAdministrativeOnly),
        breaks=("PER-006",),
    ),
    Mutant(
        "import-without-events",
        "writes imported people without their employee.hired events",
        _factory(ImportWithoutEvents),
        breaks=("PER-029",),
    ),
]
