"""Mutants of the reference implementation, each breaking one rule of the catalogue.

The self-test (``govparts conformance selftest --part archives``) runs the suite against each and
expects the requirement it ``breaks`` to catch it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from govparts.conformance import Mutant
from govparts.core.process import ProcessEngine, ProcessSpec
from govparts.core.security import Actor, SecrecyLevel

from ..models import CatalogueEntry, DestructionEntry, DocumentSummary, PackageReceipt
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
        self, actor: Actor, document_id: int, *, write: bool = True, purpose: str | None = None
    ) -> DocumentRow:
        return super()._check_clearance(_cleared(actor), document_id, write=write, purpose=purpose)


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
    def export_package(self, actor: Actor, item_ids: Any, directory: Path) -> Path:
        import bagit

        path = super().export_package(actor, item_ids, directory)
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
    def dispose(
        self, actor: Actor, item_id: int, transition: str, inputs: Mapping[str, Any] | None = None
    ) -> Any:
        item = super().dispose(actor, item_id, transition, inputs)
        return item.model_copy(update={"expires_on": date(2020, 1, 1)}) if transition == "keep" else item


class DropsReadAudit(ReferenceService):
    def _read(self, actor: Actor, document_id: int, *, purpose: str | None = None) -> DocumentRow:
        with Session(self.engine, expire_on_commit=False) as session:
            row = self._load(session, document_id)
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
    def _admit_item(self, actor: Actor, item_id: int, *, write: bool, purpose: str) -> ArchivalItemRow:
        return super()._admit_item(_cleared(actor), item_id, write=write, purpose=purpose)


class RegisterShowsAll(ReferenceService):
    def destruction_register(self, actor: Actor, org: str) -> list[DestructionEntry]:
        return super().destruction_register(_cleared(actor), org)


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
]
