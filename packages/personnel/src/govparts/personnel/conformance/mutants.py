"""Mutants of the reference implementation, each breaking one rule of the catalogue.

``run_selftest`` must see each one killed by a check of the requirement it breaks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from govparts.conformance import Mutant
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from .. import rules
from ..models import EmployeeRecord, EmployeeView, ImportReport
from ..rules import RETIREMENT_RULES
from ..service import EMP, ReferenceService

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
]
