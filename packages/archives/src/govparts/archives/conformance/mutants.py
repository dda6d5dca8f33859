"""Mutants of the reference implementation, each breaking one rule of the catalogue.

The self-test (``govparts conformance selftest --part archives``) runs the suite against each and
expects the requirement it ``breaks`` to catch it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from govparts.conformance import Mutant
from govparts.core.audit import TrailEntry
from govparts.core.db import session_scope
from govparts.core.errors import NotFound
from govparts.core.process import ProcessEngine, ProcessSpec, TransitionContext
from govparts.core.security import Actor, SecrecyLevel

from ..document_number import parse as parse_document_number
from ..events import DocumentIssued
from ..models import (
    AccessRecord,
    ArchivalItem,
    CatalogueEntry,
    DestructionEntry,
    Document,
    DocumentDraft,
    DocumentSummary,
    PackageReceipt,
)
from ..processes import DISPOSITION, INCOMING_DOCUMENT, OUTGOING_DOCUMENT
from ..service import ReferenceService, fresh_sqlite_engine
from ..tables import NUMBER_COUNTER, ArchivalItemRow, DocumentRow, IssuedNumberRow

__all__ = ["MUTANTS"]


def _respec(spec: ProcessSpec, transition: str, **changes: Any) -> ProcessSpec:
    data = spec.model_dump()
    for item in data["transitions"]:
        if item["name"] == transition:
            item.update(changes)
    return ProcessSpec(**data)


def _cleared(actor: Actor) -> Actor:
    return actor.model_copy(update={"clearance": SecrecyLevel.TOP_SECRET})


class PadsSerial(ReferenceService):
    def _number(self, session: Session, row: DocumentRow, actor: Actor, engine: ProcessEngine) -> None:
        super()._number(session, row, actor, engine)
        padded = f"{row.organ_code}〔{row.year}〕{row.serial:02d}号"
        session.execute(
            sa.update(DocumentRow).where(col(DocumentRow.id) == row.id).values(document_number=padded)
        )


class IgnoresYear(ReferenceService):
    def _number(self, session: Session, row: DocumentRow, actor: Actor, engine: ProcessEngine) -> None:
        row.written_on = date(2025, 1, 1)
        super()._number(session, row, actor, engine)


class ReusesVoided(ReferenceService):
    def _apply(
        self, session: Session, row: DocumentRow, transition: str, actor: Actor, inputs: Mapping[str, Any]
    ) -> None:
        super()._apply(session, row, transition, actor, inputs)
        if transition == "withdraw":
            counter = NUMBER_COUNTER
            session.execute(sa.delete(IssuedNumberRow).where(col(IssuedNumberRow.document_id) == row.id))
            session.execute(
                sa.update(DocumentRow)
                .where(col(DocumentRow.id) == row.id)
                .values(serial=None, document_number=None)
            )
            session.execute(
                sa.update(counter)
                .where(counter.c.org == row.org, counter.c.organ_code == row.organ_code)
                .values(last_serial=counter.c.last_serial - 1)
            )


class AcceptsAnyType(ReferenceService):
    @staticmethod
    def _check_elements(
        doc_type: str, secrecy: str | None, urgency: str | None, period: int | None
    ) -> tuple[str | None, int]:
        return ReferenceService._check_elements("08", secrecy, urgency, period)


def _with_outgoing(transition: str, **changes: Any) -> type[ReferenceService]:
    class Changed(ReferenceService):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.outgoing = ProcessEngine(
                _respec(OUTGOING_DOCUMENT, transition, **changes),
                guards={
                    "unchanged_since_signoff": self._unchanged_since_signoff,
                    "has_number": self._has_number,
                },
                payloads={"issue": self._issued_payload, "file": self._filed_payload},
            )

    return Changed


class KeepsSignoffAfterChange(ReferenceService):
    def _after_revision(self, session: Session, row: DocumentRow, actor: Actor) -> None:
        session.execute(
            sa.update(DocumentRow)
            .where(col(DocumentRow.id) == row.id)
            .values(signed_digest=row.content_digest)
        )
        row.signed_digest = row.content_digest


class WrongDigest(ReferenceService):
    @staticmethod
    def _digests(content: bytes) -> dict[str, str]:
        return ReferenceService._digests(content + b"\n")


class ReadsWithoutClearance(ReferenceService):
    def _check_clearance(
        self, actor: Actor, org: str, document_id: int, *, write: bool = True, purpose: str | None = None
    ) -> DocumentRow:
        return super()._check_clearance(_cleared(actor), org, document_id, write=write, purpose=purpose)


class ListsEverything(ReferenceService):
    def list_documents(self, actor: Actor, org: str, *, state: str | None = None) -> list[DocumentSummary]:
        return super().list_documents(_cleared(actor), org, state=state)


class SearchesEverything(ReferenceService):
    def search(self, actor: Actor, org: str, text: str, *, limit: int = 50) -> list[DocumentSummary]:
        return super().search(_cleared(actor), org, text, limit=limit)


class UrgentWithoutDeadline(ReferenceService):
    @staticmethod
    def _urgent_has_deadline(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        return None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incoming = ProcessEngine(
            INCOMING_DOCUMENT,
            guards={"urgent_has_deadline": self._urgent_has_deadline},
            payloads={"file": self._filed_payload},
        )


class ForgivingChaseList(ReferenceService):
    def overdue_incoming(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        return super().overdue_incoming(actor, org, on - timedelta(days=60))


class NumbersAcrossRetention(ReferenceService):
    @staticmethod
    def _class_key(fonds: str, year: int, retention: str, organisation: str) -> dict[str, Any]:
        return ReferenceService._class_key(fonds, year, "*", organisation)


class AnyRetention(ReferenceService):
    @staticmethod
    def _check_retention(code: str) -> None:
        return None


def _with_disposition(transition: str, **changes: Any) -> type[ReferenceService]:
    class Changed(ReferenceService):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            guards: dict[str, Callable[..., str | None]] = {
                "retention_expired": self._retention_expired,
                "no_legal_hold": self._no_legal_hold,
            }
            self.disposition = ProcessEngine(_respec(DISPOSITION, transition, **changes), guards=guards)

    return Changed


class ImportsWithoutFixity(ReferenceService):
    def import_package(self, actor: Actor, org: str, directory: Path) -> PackageReceipt:
        import json

        codes = [
            json.loads(p.read_text(encoding="utf-8"))["档号"]["archival_code"]
            for p in sorted(Path(directory).rglob("metadata.json"))
        ]
        files = sum(1 for p in (Path(directory) / "data").rglob("*") if p.is_file())
        return PackageReceipt(
            bag_name=Path(directory).name, archival_codes=codes, files=files, payload_oxum="", algorithms=[]
        )


class NoSm3Manifest(ReferenceService):
    def export_package(self, actor: Actor, org: str, item_ids: Any, directory: Path) -> Path:
        import bagit

        path = super().export_package(actor, org, item_ids, directory)
        (path / "manifest-sm3.txt").unlink(missing_ok=True)
        bagit.Bag(str(path)).save(manifests=True)
        return path


class CatalogueShowsAll(ReferenceService):
    def filing_catalogue(self, actor: Actor, org: str, fonds: str, year: int) -> list[CatalogueEntry]:
        return super().filing_catalogue(_cleared(actor), org, fonds, year)


class LateSecrecyReport(ReferenceService):
    def expired_secrecy(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        return super().expired_secrecy(actor, org, on - timedelta(days=800))


class KeepWithoutExtension(ReferenceService):
    def keep_longer(self, actor: Actor, org: str, item_id: int, years: int) -> Any:
        item = super().keep_longer(actor, org, item_id, years)
        return item.model_copy(update={"expires_on": date(2020, 1, 1)})


class DropsReadAudit(ReferenceService):
    def _read(self, actor: Actor, org: str, document_id: int, *, purpose: str | None = None) -> DocumentRow:
        with Session(self.engine, expire_on_commit=False) as session:
            row = self._load(session, document_id, org)
        from govparts.core.errors import ClearanceInsufficient
        from govparts.core.security import can_read

        if not can_read(actor, row.secrecy):
            raise ClearanceInsufficient(field="document.secrecy", actor=actor.id, clearance="-", level="-")
        return row


class SharesSequences(ReferenceService):
    def _number(self, session: Session, row: DocumentRow, actor: Actor, engine: ProcessEngine) -> None:
        own, row.org = row.org, ""
        try:
            super()._number(session, row, actor, engine)
        finally:
            row.org = own


class NoOrganisationGate(ReferenceService):
    def _gate(
        self,
        actor: Actor,
        org: str,
        *,
        write: bool,
        entity: str = "organization",
        entity_id: str | None = None,
    ) -> None:
        return None


class AppraisesWithoutClearance(ReferenceService):
    def _admit_item(
        self, actor: Actor, org: str, item_id: int, *, write: bool, purpose: str
    ) -> ArchivalItemRow:
        return super()._admit_item(_cleared(actor), org, item_id, write=write, purpose=purpose)


class RegisterShowsAll(ReferenceService):
    def destruction_register(self, actor: Actor, org: str) -> list[DestructionEntry]:
        return super().destruction_register(_cleared(actor), org)


def _with_roles(actor: Actor, *roles: str) -> Actor:
    return actor.model_copy(update={"roles": frozenset(actor.roles) | set(roles)})


class BulkSkipsCopyNumber(ReferenceService):
    """The bulk path forgets the copy-number rule of the single path (fills one in silently)."""

    def register_issued(self, actor: Actor, org: str, drafts: Sequence[DocumentDraft]) -> list[str]:
        fixed = [
            d.model_copy(update={"copy_number": "000000"}) if d.secrecy and not d.copy_number else d
            for d in drafts
        ]
        return super().register_issued(actor, org, fixed)


class BulkLeavesCounter(ReferenceService):
    """The bulk path numbers from the counter but never moves it on: the next single number repeats."""

    def register_issued(self, actor: Actor, org: str, drafts: Sequence[DocumentDraft]) -> list[str]:
        numbers = super().register_issued(actor, org, drafts)
        with session_scope(self.engine) as session:
            for number in numbers:
                parsed = parse_document_number(number)
                session.execute(
                    sa.update(NUMBER_COUNTER)
                    .where(
                        NUMBER_COUNTER.c.org == org,
                        NUMBER_COUNTER.c.organ_code == parsed.organ_code,
                        NUMBER_COUNTER.c.year == parsed.year,
                    )
                    .values(last_serial=NUMBER_COUNTER.c.last_serial - 1)
                )
        return numbers


class ReadsFilesWithoutClearance(ReferenceService):
    """File reads skip the clearance check the document read makes."""

    def read_file(self, actor: Actor, org: str, file_id: int) -> bytes:
        return super().read_file(_cleared(actor), org, file_id)


class ReadsFilesAsText(ReferenceService):
    """Files are served through a text decoding: bytes that are not UTF-8 are replaced."""

    def read_file(self, actor: Actor, org: str, file_id: int) -> bytes:
        content = super().read_file(actor, org, file_id)
        return content.decode("utf-8", errors="replace").encode("utf-8")


class FindsOtherOrgsDocuments(ReferenceService):
    """A document is looked up by id alone, whatever organisation the call names."""

    def _load(self, session: Session, document_id: int, org: str | None = None) -> DocumentRow:
        return super()._load(session, document_id)


class EventShowsClassifiedTitle(ReferenceService):
    """The issue event carries the title of classified documents too."""

    @staticmethod
    def _issued_payload(context: TransitionContext) -> DocumentIssued:
        payload = ReferenceService._issued_payload(context)
        return payload.model_copy(update={"title": context.entity.title})


class TrailWithoutLookup(ReferenceService):
    """The audit trail is served for any id, even one the organisation does not have."""

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        try:
            return super().audit_trail(actor, org, entity, entity_id)
        except NotFound:
            return []


class HoldWithoutAudit(ReferenceService):
    """Legal holds change the item but leave no audit record."""

    def _set_hold(self, actor: Actor, org: str, item_id: int, hold: bool, reason: str | None) -> ArchivalItem:
        self._require(actor, "legal_hold", "archivist", "approver")
        if hold and not (reason or "").strip():
            return super()._set_hold(actor, org, item_id, hold, reason)
        self._admit_item(actor, org, item_id, write=True, purpose="legal-hold")
        with session_scope(self.engine) as session:
            session.execute(
                sa.update(ArchivalItemRow)
                .where(col(ArchivalItemRow.id) == item_id)
                .values(legal_hold=hold, hold_reason=reason if hold else None)
            )
        return self.get_item(actor, org, item_id)


class ExportsForAnyone(ReferenceService):
    """Exporting a package checks clearance but not the archivist role."""

    def export_package(self, actor: Actor, org: str, item_ids: Any, directory: Path) -> Path:
        return super().export_package(_with_roles(actor, "archivist"), org, item_ids, directory)


class CrossAuditorWrites(ReferenceService):
    """The organisation gate treats every call as a read, so a cross-organisation auditor may write."""

    def _gate(
        self,
        actor: Actor,
        org: str,
        *,
        write: bool,
        entity: str = "organization",
        entity_id: str | None = None,
    ) -> None:
        super()._gate(actor, org, write=False, entity=entity, entity_id=entity_id)


class DraftsWithoutRole(ReferenceService):
    """Anyone of the organisation may draft."""

    def draft_outgoing(self, actor: Actor, org: str, draft: DocumentDraft) -> Document:
        return super().draft_outgoing(_with_roles(actor, "drafter"), org, draft)


class SecrecyExpiresADayLate(ReferenceService):
    """A secrecy period is reported only the day after its anniversary (``<`` for ``<=``)."""

    def expired_secrecy(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        return super().expired_secrecy(actor, org, on - timedelta(days=1))


class AppraisalADayLate(ReferenceService):
    """An item falls due for appraisal the day after its retention ends."""

    def items_due_for_appraisal(self, actor: Actor, org: str, on: date) -> list[ArchivalItem]:
        return super().items_due_for_appraisal(actor, org, on - timedelta(days=1))


class ChaseOnTheDeadline(ReferenceService):
    """A document is chased on its deadline day already (``<=`` for ``<``)."""

    def overdue_incoming(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        return super().overdue_incoming(actor, org, on + timedelta(days=1))


class StateFilterLeaks(ReferenceService):
    """Listing by state forgets the clearance filter of the plain listing."""

    def list_documents(self, actor: Actor, org: str, *, state: str | None = None) -> list[DocumentSummary]:
        return super().list_documents(_cleared(actor) if state is not None else actor, org, state=state)


class ShortSearchLeaks(ReferenceService):
    """Searches of one or two characters (the LIKE path) forget the clearance filter."""

    def search(self, actor: Actor, org: str, text: str, *, limit: int = 50) -> list[DocumentSummary]:
        short = isinstance(text, str) and 0 < len(text.strip()) < 3
        return super().search(_cleared(actor) if short else actor, org, text, limit=limit)


class RegisterForEveryone(ReferenceService):
    """The destruction register is read without a role check (titles still masked by clearance)."""

    def destruction_register(self, actor: Actor, org: str) -> list[DestructionEntry]:
        return super().destruction_register(_with_roles(actor, "auditor"), org)


class RoundsCopies(ReferenceService):
    """A fractional number of copies is truncated instead of refused."""

    def print_copies(self, actor: Actor, org: str, document_id: int, copies: int) -> Document:
        if isinstance(copies, float):
            copies = int(copies)
        return super().print_copies(actor, org, document_id, copies)


class AccessLogForAll(ReferenceService):
    """The access log is shown to anyone of the organisation."""

    def access_log(self, actor: Actor, org: str, document_id: int) -> list[AccessRecord]:
        return super().access_log(_with_roles(actor, "auditor"), org, document_id)


class EmptyRetentionMeansDefault(ReferenceService):
    """An empty retention code falls back to the schedule instead of being refused."""

    def file_document(
        self, actor: Actor, org: str, document_id: int, *, retention: str | None = None
    ) -> ArchivalItem:
        return super().file_document(actor, org, document_id, retention=retention or None)


def _factory(cls: type[ReferenceService]) -> Callable[[], ReferenceService]:
    def make() -> ReferenceService:
        engine = fresh_sqlite_engine()
        service = cls(engine)
        service.owned_folder = Path(str(engine.url.database)).parent
        return service

    return make


MUTANTS = [
    Mutant(
        "pads-serial", "writes serial 1 as 01 (不编虚位 broken)", _factory(PadsSerial), breaks=("ARC-001",)
    ),
    Mutant("ignores-year", "numbers every year in one sequence", _factory(IgnoresYear), breaks=("ARC-003",)),
    Mutant("reuses-voided", "gives a voided number out again", _factory(ReusesVoided), breaks=("ARC-004",)),
    Mutant(
        "accepts-any-type",
        "drafts documents of kinds not in Art. 8",
        _factory(AcceptsAnyType),
        breaks=("ARC-005",),
    ),
    Mutant(
        "signs-before-review",
        "lets the signer sign a draft that was never reviewed",
        _factory(_with_outgoing("sign_off", source=("drafting", "awaiting_signoff"))),
        breaks=("ARC-010",),
    ),
    Mutant(
        "drafter-reviews",
        "lets the drafter approve their own draft",
        _factory(_with_outgoing("approve_review", separation_of_duties=None)),
        breaks=("ARC-011",),
    ),
    Mutant(
        "anyone-signs",
        "lets reviewers and checkers sign off",
        _factory(_with_outgoing("sign_off", roles=("signer", "drafter", "reviewer", "checker"))),
        breaks=("ARC-012",),
    ),
    Mutant(
        "keeps-signoff-after-change",
        "a change at the check keeps the old sign-off",
        _factory(KeepsSignoffAfterChange),
        breaks=("ARC-013",),
    ),
    Mutant(
        "countersign-without-opinion",
        "records a countersignature without an opinion",
        _factory(_with_outgoing("countersign", inputs=(), optional_inputs=("opinion",))),
        breaks=("ARC-014",),
    ),
    Mutant(
        "wrong-digest",
        "stores digests of other bytes than the file's",
        _factory(WrongDigest),
        breaks=("ARC-015",),
    ),
    Mutant(
        "reads-without-clearance",
        "lets anyone read classified documents",
        _factory(ReadsWithoutClearance),
        breaks=("ARC-016",),
    ),
    Mutant(
        "lists-everything",
        "lists documents above the reader's clearance",
        _factory(ListsEverything),
        breaks=("ARC-017",),
    ),
    Mutant(
        "searches-everything",
        "search finds documents above the reader's clearance",
        _factory(SearchesEverything),
        breaks=("ARC-018",),
    ),
    Mutant(
        "late-secrecy-report",
        "reports expired secrecy periods two years late",
        _factory(LateSecrecyReport),
        breaks=("ARC-020",),
    ),
    Mutant(
        "urgent-without-deadline",
        "assigns urgent documents without a deadline",
        _factory(UrgentWithoutDeadline),
        breaks=("ARC-022",),
    ),
    Mutant(
        "forgiving-chase-list",
        "leaves documents off the chase list for 60 days",
        _factory(ForgivingChaseList),
        breaks=("ARC-023",),
    ),
    Mutant(
        "numbers-across-retention",
        "numbers items across retention periods",
        _factory(NumbersAcrossRetention),
        breaks=("ARC-026",),
    ),
    Mutant(
        "any-retention",
        "accepts retention codes other than Y, D30, D10",
        _factory(AnyRetention),
        breaks=("ARC-027",),
    ),
    Mutant(
        "same-person-destroys",
        "lets the proposer approve the destruction",
        _factory(_with_disposition("approve_destruction", separation_of_duties=None)),
        breaks=("ARC-029",),
    ),
    Mutant(
        "destroys-under-hold",
        "approves destruction under a legal hold",
        _factory(_with_disposition("approve_destruction", guards=())),
        breaks=("ARC-030",),
    ),
    Mutant(
        "keep-without-extension",
        "keeping an item does not extend its retention",
        _factory(KeepWithoutExtension),
        breaks=("ARC-031",),
    ),
    Mutant(
        "no-sm3-manifest",
        "exports bags without the SM3 manifest",
        _factory(NoSm3Manifest),
        breaks=("ARC-032",),
    ),
    Mutant(
        "imports-without-fixity",
        "accepts a bag without checking its fixity",
        _factory(ImportsWithoutFixity),
        breaks=("ARC-033",),
    ),
    Mutant(
        "catalogue-shows-all",
        "shows secret titles in the filing catalogue",
        _factory(CatalogueShowsAll),
        breaks=("ARC-035",),
    ),
    Mutant(
        "drops-read-audit",
        "checks clearance but records no reads",
        _factory(DropsReadAudit),
        breaks=("ARC-038",),
    ),
    Mutant(
        "shares-sequences",
        "numbers every organisation's documents in one sequence",
        _factory(SharesSequences),
        breaks=("ARC-039",),
    ),
    Mutant(
        "no-organisation-gate",
        "lets staff of one organisation read and change another's documents",
        _factory(NoOrganisationGate),
        breaks=("ARC-039",),
    ),
    Mutant(
        "appraises-without-clearance",
        "places holds and appraises classified items for actors without clearance",
        _factory(AppraisesWithoutClearance),
        breaks=("ARC-040",),
    ),
    Mutant(
        "register-shows-all",
        "shows classified titles in the destruction register",
        _factory(RegisterShowsAll),
        breaks=("ARC-040",),
    ),
    Mutant(
        "bulk-skips-copy-number",
        "the bulk registration fills in a copy number instead of refusing a classified draft without one",
        _factory(BulkSkipsCopyNumber),
        breaks=("ARC-007",),
    ),
    Mutant(
        "bulk-leaves-counter",
        "the bulk registration does not move the counter on, so the next single number repeats",
        _factory(BulkLeavesCounter),
        breaks=("ARC-043",),
    ),
    Mutant(
        "reads-files-without-clearance",
        "serves a classified document's files to readers below its level",
        _factory(ReadsFilesWithoutClearance),
        breaks=("ARC-044",),
    ),
    Mutant(
        "reads-files-as-text",
        "serves files through a UTF-8 decoding, changing binary content",
        _factory(ReadsFilesAsText),
        breaks=("ARC-044",),
    ),
    Mutant(
        "finds-other-orgs-documents",
        "looks documents up by id alone, serving another organisation's",
        _factory(FindsOtherOrgsDocuments),
        breaks=("ARC-036",),
    ),
    Mutant(
        "event-shows-classified-title",
        "puts the title of classified documents in document.issued",
        _factory(EventShowsClassifiedTitle),
        breaks=("ARC-042",),
    ),
    Mutant(
        "trail-without-lookup",
        "serves an empty audit trail for ids the organisation does not have",
        _factory(TrailWithoutLookup),
        breaks=("ARC-041",),
    ),
    Mutant(
        "hold-without-audit",
        "places and releases legal holds without an audit record",
        _factory(HoldWithoutAudit),
        breaks=("ARC-030",),
    ),
    Mutant(
        "exports-for-anyone",
        "exports packages for actors without the archivist role",
        _factory(ExportsForAnyone),
        breaks=("ARC-046",),
    ),
    Mutant(
        "cross-auditor-writes",
        "lets a cross-organisation auditor change another organisation's documents",
        _factory(CrossAuditorWrites),
        breaks=("ARC-047",),
    ),
    Mutant(
        "drafts-without-role",
        "lets anyone of the organisation draft",
        _factory(DraftsWithoutRole),
        breaks=("ARC-046",),
    ),
    Mutant(
        "secrecy-expires-a-day-late",
        "reports an expired secrecy period only the day after its anniversary",
        _factory(SecrecyExpiresADayLate),
        breaks=("ARC-020",),
    ),
    Mutant(
        "appraisal-a-day-late",
        "lists an item for appraisal the day after its retention ends",
        _factory(AppraisalADayLate),
        breaks=("ARC-028",),
    ),
    Mutant(
        "chase-on-the-deadline",
        "puts documents on the chase list on their deadline day",
        _factory(ChaseOnTheDeadline),
        breaks=("ARC-023",),
    ),
    Mutant(
        "state-filter-leaks",
        "listing by state shows documents above the reader's clearance",
        _factory(StateFilterLeaks),
        breaks=("ARC-017",),
    ),
    Mutant(
        "short-search-leaks",
        "one- and two-character searches find documents above the reader's clearance",
        _factory(ShortSearchLeaks),
        breaks=("ARC-018",),
    ),
    Mutant(
        "register-for-everyone",
        "shows the destruction register to actors without an archives role",
        _factory(RegisterForEveryone),
        breaks=("ARC-040",),
    ),
    Mutant(
        "rounds-copies",
        "truncates a fractional number of copies instead of refusing it",
        _factory(RoundsCopies),
        breaks=("ARC-037",),
    ),
    Mutant(
        "access-log-for-all",
        "shows the access log to anyone of the organisation",
        _factory(AccessLogForAll),
        breaks=("ARC-038",),
    ),
    Mutant(
        "empty-retention-means-default",
        "files with the scheduled retention when the code given is empty",
        _factory(EmptyRetentionMeansDefault),
        breaks=("ARC-027",),
    ),
]
