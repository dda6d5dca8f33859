"""The ``ArchivesService`` Protocol and ``ReferenceService``, its SQLModel-backed implementation."""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from govparts.conformance import Capabilities
from govparts.core import audit, codes
from govparts.core.audit import TrailEntry
from govparts.core.db import create_engine, is_postgresql, metadata, session_scope
from govparts.core.errors import (
    ConfigurationError,
    IntegrityViolation,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from govparts.core.events import CloudEvent
from govparts.core.i18n import N_
from govparts.core.ids import credit_code
from govparts.core.process import ProcessEngine, TransitionContext
from govparts.core.security import (
    READ_ACTION,
    READ_DENIED_ACTION,
    Actor,
    SecrecyLevel,
    check_org,
    check_read,
    secrecy_level,
)
from govparts.core.signing import DEFAULT_DISTID, Signer, SM2PublicKey, sign_bytes
from govparts.core.text import check_text

from . import _search
from . import document_number as _docnum
from . import signature as _signature
from ._i18n import DOMAIN
from ._package import SIGNATURES, TEXT_BODY, item_folder, verify_bag, write_bag
from .archival_code import format_parts as format_archival_code
from .events import EVENT_TYPES, DocumentFiled, DocumentIssued
from .models import (
    AccessRecord,
    ArchivalItem,
    CatalogueEntry,
    DestructionEntry,
    Document,
    DocumentDraft,
    DocumentSignature,
    DocumentSummary,
    FileInfo,
    IncomingDraft,
    IssuedNumber,
    PackageReceipt,
)
from .processes import DISPOSITION, INCOMING_DOCUMENT, OUTGOING_DOCUMENT
from .rules import (
    DOCUMENT_TYPES,
    RetentionSchedule,
    content_digest,
    default_retention_schedule,
    filing_year,
    fixity,
    retention_expires_on,
    secrecy_expires_on,
)
from .tables import (
    CLASS_COUNTER,
    DOCUMENT,
    ISSUED_NUMBER,
    NUMBER_COUNTER,
    ArchivalItemRow,
    ChaseRow,
    DestructionRow,
    DocumentFileRow,
    DocumentRow,
    IssuedNumberRow,
    PackageReceiptRow,
)

__all__ = ["FEATURES", "ArchivesService", "ReferenceService", "fresh_sqlite_engine", "reference_factory"]

PART_VERSION = "1.0"
FEATURES = frozenset({"bagit", "full-text-search", "incoming"})
CATEGORY_ADMINISTRATIVE = "WS"
"""文书档案 (administrative records), DA/T 22-2015."""
URGENCY_LIST = "GB/T 9704-2012 紧急程度"
_FILE_ROLES = ("body", "attachment", "final_draft")
_FILE_EDITORS: dict[str, tuple[str, ...]] = {
    "drafting": ("drafter",),
    "reviewing": ("reviewer",),
    "signed_for": ("clerk",),
    "registered": ("clerk",),
    "handling": ("handler",),
}
"""Who may add a file to a document in each state that takes files (the role that edits it then)."""
_TRAIL_ENTITIES = (
    "outgoing_document",
    "incoming_document",
    "document",
    "archival_item",
    "archival_package",
    "organization",
)
_AUDITOR = "auditor"
_REGISTER_READERS = ("archivist", "appraiser", "approver", "auditor")
_READ_ACTIONS = ("read", READ_ACTION, READ_DENIED_ACTION)


class ArchivesService(Protocol):
    """What an implementation of the archives part offers (the conformance suite calls only this).

    Every method but :meth:`capabilities` takes the acting :class:`~govparts.core.security.Actor`
    first and the organisation second, named ``org`` (its unified social credit code, GB 32100-2015),
    also when the call names a document, file or item by id. Before it reads or changes anything a
    method passes :func:`govparts.core.security.check_org`: an actor bound to another organisation
    gets :class:`~govparts.core.errors.OrganizationDenied` and nothing is written or revealed; a
    ``cross-org-auditor`` may read (audited), never change (ARC-039, ARC-047). An id of another
    organisation's document, file or item gives ``NotFound`` and reveals nothing. Document-number
    sequences, item numbers and archival codes are per organisation.

    Every method that returns or changes a classified document or item (its text, title, files or
    state) first checks the actor's clearance with :func:`govparts.core.security.check_read`, which
    records the read, allowed or refused, in the document's access log (ARC-016, ARC-040, ARC-044).
    A write needs the role the process names for the step (ARC-046). Free text is refused when it
    carries NUL, control or bidirectional-override characters, with an ``InvalidInput`` naming the
    field; an input of a step is named by its parameter (``copies``, ``reason``, ``opinion``…).

    Observability (ARC-041, ARC-042): :meth:`audit_trail` returns the audit records of one thing;
    the ``entity`` names and how their ``entity_id`` is formed:

    - ``outgoing_document`` / ``incoming_document``: the document's id; every step of its process
      (``create``, ``transition``) and the bulk ``register-issued``;
    - ``document``: the document's id; its reads (``read``, ``read-classified``,
      ``read-classified-denied``), ``revise``, ``attach-file`` and, for a cross-organisation auditor,
      ``cross-org-read``;
    - ``incoming_document`` also holds ``chase``;
    - ``archival_item``: the item's id; the disposition steps (``create``, ``transition``),
      ``legal-hold`` and ``legal-hold-released``;
    - ``archival_package``: ``<org>/<bag folder name>``; ``export-package`` and ``import-package``;
    - ``organization``: ``org`` itself; ``read-destruction-register``.

    :meth:`published_events` returns the organisation's ``document.issued`` and ``document.filed``
    events in publication order (subjects ``outgoing_document/<id>``, ``incoming_document/<id>``);
    the title of a classified document is never in an event. The part consumes no event, so it has
    no ``receive_event``.

    Electronic signatures (issue 20): an implementation that holds a signing key for the document's
    organisation signs the document's canonical content (:mod:`govparts.archives.signature`) with
    SM2 (GB/T 32918.2-2016) in the transaction of :meth:`issue` and returns it as
    ``Document.signature``; the signature stays with the document when it is filed and travels in
    its archival package (``export_package``), whose import verifies it. How keys are configured is
    the implementation's business (the reference takes ``signers`` per organisation).
    """

    def capabilities(self) -> Capabilities:
        """The part, its version and the optional features the implementation claims.

        Requirements: ARC-032
        Raises:
            (none)
        """
        ...

    # -- outgoing documents (党政机关公文处理工作条例 Arts 19–24) ----------------------------------

    def draft_outgoing(self, actor: Actor, org: str, draft: DocumentDraft) -> Document:
        """起草: a new outgoing document of ``org`` in state ``drafting``.

        Requirements: ARC-005, ARC-006, ARC-007, ARC-008, ARC-009, ARC-039, ARC-041, ARC-046
        Raises:
            InvalidInput: an element is invalid (``doc_type``, ``copy_number``, ``secrecy_period_years``,
                ``urgency``, ``organ_code``, a text field); names the field.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``drafter``.
        """
        ...

    def register_issued(self, actor: Actor, org: str, drafts: Sequence[DocumentDraft]) -> list[str]:
        """登记: register documents issued outside the system (a paper register), numbered in bulk.

        The same rules as :meth:`draft_outgoing` and :meth:`assign_number`, all or nothing: one bad
        draft refuses the batch naming ``drafts[i].<field>``; the numbers continue the organisation's
        sequence of each organ code and year without gaps (GB/T 9704-2012 7.2.5). The documents enter
        in state ``issued``; each is audited. Returns the numbers in the order of ``drafts``.

        Requirements: ARC-043, ARC-002, ARC-039, ARC-046
        Raises:
            InvalidInput: a draft is invalid or has no ``written_on``; names ``drafts[i].<field>``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``registrar``.
        """
        ...

    def attach_file(
        self,
        actor: Actor,
        org: str,
        document_id: int,
        name: str,
        content: bytes,
        *,
        role: str = "body",
        media_type: str = "application/octet-stream",
    ) -> FileInfo:
        """Store a body, attachment or final-draft file of a document with its SM3 and SHA-256 digests.

        Only while the document is being drafted, reviewed or handled, by the role that edits it then
        (drafter, reviewer; clerk or handler for an incoming document).

        Requirements: ARC-015, ARC-044, ARC-016, ARC-039, ARC-046
        Raises:
            InvalidInput: ``role``, ``name`` or ``media_type`` is invalid.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is past the steps that take files (field ``state``).
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role that edits the document in its state.
        """
        ...

    def read_file(self, actor: Actor, org: str, file_id: int) -> bytes:
        """A file's exact content, after the clearance check (the read is recorded) and a fixity check.

        Requirements: ARC-044, ARC-015, ARC-016, ARC-038, ARC-039
        Raises:
            NotFound: no file ``file_id`` in ``org``.
            IntegrityViolation: the stored content fails its digest (field ``file_id``).
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
        """
        ...

    def revise(
        self, actor: Actor, org: str, document_id: int, *, title: str | None = None, body: str | None = None
    ) -> Document:
        """Change the text. In 复核 (checking) a substantive change returns the document to the signer.

        党政机关公文处理工作条例 Art. 24(一).

        Requirements: ARC-013, ARC-041, ARC-039, ARC-046
        Raises:
            InvalidInput: an empty ``title`` or a bad text.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in drafting, review or check (field ``state``).
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role that edits the document in its state.
        """
        ...

    def submit(self, actor: Actor, org: str, document_id: int) -> Document:
        """送审: the drafter submits the draft for review.

        Requirements: ARC-010, ARC-041, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in ``drafting``.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``drafter``.
        """
        ...

    def return_to_drafter(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """退回: the reviewer (or signer) returns the draft to its drafter with a reason.

        Requirements: ARC-010, ARC-046
        Raises:
            InvalidInput: no ``reason``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in review or awaiting sign-off.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``reviewer`` or ``signer``.
        """
        ...

    def request_countersign(self, actor: Actor, org: str, document_id: int) -> Document:
        """会签: the reviewer sends the draft to the other units for countersigning (Art. 21).

        Requirements: ARC-014, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in review.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``reviewer``.
        """
        ...

    def countersign(self, actor: Actor, org: str, document_id: int, opinion: str) -> Document:
        """A countersigning unit records its opinion (Art. 21).

        Requirements: ARC-014, ARC-046
        Raises:
            InvalidInput: no ``opinion``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in countersigning.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``countersigner``.
        """
        ...

    def approve_review(
        self, actor: Actor, org: str, document_id: int, opinion: str | None = None
    ) -> Document:
        """审核: the reviewer approves the draft for sign-off; the drafter may not review (Art. 20).

        Requirements: ARC-010, ARC-011, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in review.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``reviewer`` or drafted the document.
        """
        ...

    def sign_off(self, actor: Actor, org: str, document_id: int, opinion: str | None = None) -> Document:
        """签发: the signer signs off; the signer and the signed content are recorded (Art. 22).

        Requirements: ARC-012, ARC-010, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not awaiting sign-off.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``signer``.
        """
        ...

    def return_to_signer(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """复核退回: the checker returns the document to the signer (Art. 24(一)).

        Requirements: ARC-013, ARC-046
        Raises:
            InvalidInput: no ``reason``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in check.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``checker``.
        """
        ...

    def pass_check(self, actor: Actor, org: str, document_id: int) -> Document:
        """复核: the checker passes a document whose content is unchanged since sign-off.

        Requirements: ARC-013, ARC-010, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in check.
            GuardFailed: the text changed after sign-off.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``checker``.
        """
        ...

    def assign_number(self, actor: Actor, org: str, document_id: int) -> Document:
        """登记编号: allocate the next document number of the organisation's organ code and year.

        GB/T 9704-2012 7.2.5: numbers of one organ code and year run 1, 2, 3… without gaps.

        Requirements: ARC-001, ARC-002, ARC-003, ARC-039, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not registering.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``registrar``.
        """
        ...

    def print_copies(self, actor: Actor, org: str, document_id: int, copies: int) -> Document:
        """印制: record the printing of ``copies`` copies (a positive integer).

        Requirements: ARC-037, ARC-046
        Raises:
            InvalidInput: ``copies`` is not a positive integer.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not printing.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``printer``.
        """
        ...

    def issue(self, actor: Actor, org: str, document_id: int) -> Document:
        """核发: issue a numbered, printed document; publishes ``document.issued``.

        Requirements: ARC-037, ARC-010, ARC-042, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not issuing.
            GuardFailed: the document has no number.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``issuer``.
        """
        ...

    def withdraw(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """撤销: withdraw a numbered document; its number is recorded as voided, never given again.

        Requirements: ARC-004, ARC-046
        Raises:
            InvalidInput: no ``reason``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document cannot be withdrawn in its state.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``signer``.
        """
        ...

    # -- incoming documents (Art. 24(二)) -----------------------------------------------------------

    def receive_incoming(self, actor: Actor, org: str, incoming: IncomingDraft) -> Document:
        """签收: an incoming document signed for by ``org`` now (the time is recorded).

        Requirements: ARC-021, ARC-039, ARC-046
        Raises:
            InvalidInput: an element is invalid; names the field.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``clerk``.
        """
        ...

    def register_incoming(self, actor: Actor, org: str, document_id: int) -> Document:
        """登记: register a document signed for.

        Requirements: ARC-024, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not signed for.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``clerk``.
        """
        ...

    def pass_review(self, actor: Actor, org: str, document_id: int) -> Document:
        """初审: the preliminary review accepts a registered document.

        Requirements: ARC-024, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not registered.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``clerk``.
        """
        ...

    def return_to_sender(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """退文: the preliminary review returns a registered document to its sender with a reason.

        Requirements: ARC-021, ARC-046
        Raises:
            InvalidInput: no ``reason``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not registered.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``clerk``.
        """
        ...

    def propose_handling(self, actor: Actor, org: str, document_id: int, proposal: str) -> Document:
        """拟办: the secretary proposes how to handle the document.

        Requirements: ARC-024, ARC-046
        Raises:
            InvalidInput: no ``proposal``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not reviewed.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``secretary``.
        """
        ...

    def instruct(self, actor: Actor, org: str, document_id: int, instruction: str) -> Document:
        """批办: the leader instructs.

        Requirements: ARC-024, ARC-046
        Raises:
            InvalidInput: no ``instruction``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: no handling is proposed.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``leader``.
        """
        ...

    def assign_handling(
        self,
        actor: Actor,
        org: str,
        document_id: int,
        lead_unit: str,
        *,
        assisting_units: Sequence[str] = (),
        due_on: date | None = None,
    ) -> Document:
        """承办: assign the lead unit (and assisting units); an urgent document needs ``due_on``.

        Requirements: ARC-022, ARC-024, ARC-046
        Raises:
            InvalidInput: no ``lead_unit``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not instructed.
            GuardFailed: an urgent document without ``due_on``.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``secretary``.
        """
        ...

    def circulate(self, actor: Actor, org: str, document_id: int, readers: Sequence[str] = ()) -> Document:
        """传阅: circulate the document being handled to ``readers``.

        Requirements: ARC-024, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not being handled.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``handler``.
        """
        ...

    def reply(self, actor: Actor, org: str, document_id: int, reply: str) -> Document:
        """答复: record the reply of the handling unit.

        Requirements: ARC-024, ARC-046
        Raises:
            InvalidInput: no ``reply``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not being handled or circulated.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``handler``.
        """
        ...

    def close_handling(self, actor: Actor, org: str, document_id: int) -> Document:
        """办结: close a replied document.

        Requirements: ARC-024, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not replied.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``handler``.
        """
        ...

    def chase(self, actor: Actor, org: str, document_id: int, note: str | None = None) -> int:
        """催办: record a chase of an incoming document in hand; returns how many chases it has had.

        Requirements: ARC-023, ARC-041, ARC-046
        Raises:
            InvalidInput: a bad ``note``.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not in hand (field ``state``).
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``secretary``.
        """
        ...

    # -- reading -----------------------------------------------------------------------------------

    def get_document(self, actor: Actor, org: str, document_id: int) -> Document:
        """Read a document: the actor's clearance must reach its secrecy level; every read is recorded.

        Requirements: ARC-016, ARC-036, ARC-038, ARC-039, ARC-047
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            OrganizationDenied: the actor acts for another organisation (and is no cross-org auditor).
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
        """
        ...

    def access_log(self, actor: Actor, org: str, document_id: int) -> list[AccessRecord]:
        """Every recorded read of the document, refused ones included, oldest first (auditors only).

        Requirements: ARC-038, ARC-040, ARC-046
        Raises:
            NotFound: no document ``document_id`` in ``org``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``auditor``.
        """
        ...

    def list_documents(self, actor: Actor, org: str, *, state: str | None = None) -> list[DocumentSummary]:
        """Documents of ``org`` the actor may read (never the titles of others), newest first.

        Requirements: ARC-017, ARC-039, ARC-047
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def search(self, actor: Actor, org: str, text: str, *, limit: int = 50) -> list[DocumentSummary]:
        """Full-text search over titles and bodies, only among documents of ``org`` the actor may read.

        Requirements: ARC-018, ARC-019, ARC-039
        Raises:
            InvalidInput: an empty or bad ``text``.
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def issued_numbers(self, actor: Actor, org: str, organ_code: str, year: int) -> list[IssuedNumber]:
        """Every number ``org`` allocated for the organ code and year, voided ones included, by serial.

        Requirements: ARC-002, ARC-004, ARC-043, ARC-039
        Raises:
            InvalidInput: a bad ``organ_code``.
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def expired_secrecy(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        """Documents of ``org`` (that the actor may read) whose secrecy period has expired by ``on``.

        GB/T 9704-2012 7.2.2: the period runs from the day of classification; it has expired on its
        anniversary ``years`` later (a classification of 29 February expires on 1 March).

        Requirements: ARC-020, ARC-039
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def overdue_incoming(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        """Incoming documents of ``org`` in hand whose deadline lies before ``on`` (the chase list).

        Requirements: ARC-023, ARC-039
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    # -- archiving (DA/T 22-2015) -------------------------------------------------------------------

    def file_document(
        self, actor: Actor, org: str, document_id: int, *, retention: str | None = None
    ) -> ArchivalItem:
        """归档: file the document as an item (件) with its archival code; publishes ``document.filed``.

        Requirements: ARC-025, ARC-026, ARC-027, ARC-024, ARC-042, ARC-046
        Raises:
            InvalidInput: ``retention`` is not Y, D30 or D10.
            NotFound: no document ``document_id`` in ``org``.
            TransitionNotAllowed: the document is not issued or closed.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the document's secrecy level.
            PermissionDenied: the actor lacks the role ``archivist``.
        """
        ...

    def get_item(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """Read an item (clearance checked against its document's secrecy level, the read recorded).

        Requirements: ARC-040, ARC-030, ARC-039
        Raises:
            NotFound: no item ``item_id`` in ``org``.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the item's secrecy level.
        """
        ...

    def filing_catalogue(self, actor: Actor, org: str, fonds: str, year: int) -> list[CatalogueEntry]:
        """归档文件目录 of ``org``'s fonds and year in item-number order; unreadable titles are withheld.

        Requirements: ARC-034, ARC-035, ARC-039
        Raises:
            InvalidInput: a bad ``fonds``.
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def items_due_for_appraisal(self, actor: Actor, org: str, on: date) -> list[ArchivalItem]:
        """Items of ``org`` in custody (that the actor may read) whose retention expires on or before ``on``.

        Requirements: ARC-028, ARC-039
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def list_for_appraisal(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """列入鉴定: list an item whose retention has expired for appraisal (档案法 Art. 28).

        Requirements: ARC-028, ARC-040, ARC-046
        Raises:
            NotFound: no item ``item_id`` in ``org``.
            TransitionNotAllowed: the item is not in custody.
            GuardFailed: its retention has not expired, or it is kept permanently.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the item's secrecy level.
            PermissionDenied: the actor lacks the role ``archivist``.
        """
        ...

    def keep_longer(self, actor: Actor, org: str, item_id: int, years: int) -> ArchivalItem:
        """续存: appraisal keeps the item ``years`` more; it returns to custody with a later expiry.

        Requirements: ARC-031, ARC-040, ARC-046
        Raises:
            InvalidInput: ``years`` is not a positive integer.
            NotFound: no item ``item_id`` in ``org``.
            TransitionNotAllowed: the item is not in appraisal.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the item's secrecy level.
            PermissionDenied: the actor lacks the role ``appraiser`` or ``approver``.
        """
        ...

    def propose_destruction(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """拟销毁: the appraiser proposes destroying an appraised item not under a legal hold.

        Requirements: ARC-029, ARC-030, ARC-040, ARC-046
        Raises:
            NotFound: no item ``item_id`` in ``org``.
            TransitionNotAllowed: the item is not in appraisal.
            GuardFailed: a legal hold is in force.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the item's secrecy level.
            PermissionDenied: the actor lacks the role ``appraiser``.
        """
        ...

    def approve_destruction(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """批准销毁: someone other than the proposer approves; the item is destroyed and registered.

        档案法 Art. 28: the destruction register (销毁清册) records it; the files are deleted.

        Requirements: ARC-029, ARC-030, ARC-040, ARC-046
        Raises:
            NotFound: no item ``item_id`` in ``org``.
            TransitionNotAllowed: no destruction is proposed.
            GuardFailed: a legal hold is in force.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the item's secrecy level.
            PermissionDenied: the actor lacks the role ``approver`` or proposed the destruction.
        """
        ...

    def place_hold(self, actor: Actor, org: str, item_id: int, reason: str) -> ArchivalItem:
        """Place a legal hold: the item cannot be destroyed until it is released.

        Requirements: ARC-030, ARC-040, ARC-041, ARC-046
        Raises:
            InvalidInput: no ``reason``.
            NotFound: no item ``item_id`` in ``org``.
            TransitionNotAllowed: the item is destroyed (field ``state``).
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the item's secrecy level.
            PermissionDenied: the actor lacks the role ``archivist`` or ``approver``.
        """
        ...

    def release_hold(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """Release a legal hold.

        Requirements: ARC-030, ARC-040, ARC-041, ARC-046
        Raises:
            NotFound: no item ``item_id`` in ``org``.
            TransitionNotAllowed: the item is destroyed (field ``state``).
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: the actor's clearance is below the item's secrecy level.
            PermissionDenied: the actor lacks the role ``archivist`` or ``approver``.
        """
        ...

    def destruction_register(self, actor: Actor, org: str) -> list[DestructionEntry]:
        """The destruction register (销毁清册) of ``org``, oldest first; titles above clearance withheld.

        Every row and the count are kept; each classified row's read is recorded in the access log
        of its document (allowed or refused) and the whole read as ``read-destruction-register``.

        Requirements: ARC-029, ARC-040, ARC-039
        Raises:
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``archivist``, ``appraiser``, ``approver`` or
                ``auditor``.
        """
        ...

    # -- packages (RFC 8493, DA/T 46-2009) ----------------------------------------------------------

    def export_package(self, actor: Actor, org: str, item_ids: Sequence[int], directory: Path) -> Path:
        """Export items of ``org`` as one BagIt 1.0 bag at ``directory`` (which must not exist).

        Every item passes the clearance check first (each read recorded); a refusal raises before
        anything is written. The bag holds each item's files byte for byte.

        Requirements: ARC-032, ARC-045, ARC-040, ARC-039, ARC-046
        Raises:
            InvalidInput: no ``item_ids``; ``directory`` exists.
            NotFound: an item is not one of ``org``'s.
            OrganizationDenied: the actor acts for another organisation.
            ClearanceInsufficient: an item is above the actor's clearance.
            PermissionDenied: the actor lacks the role ``archivist``.
        """
        ...

    def import_package(self, actor: Actor, org: str, directory: Path) -> PackageReceipt:
        """Accept a bag for ``org`` only after its BagIt validity and SM3/SHA-256 fixity are verified.

        Requirements: ARC-033, ARC-045, ARC-039, ARC-046
        Raises:
            IntegrityViolation: the bag is invalid or tampered with (field ``package``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``archivist``.
        """
        ...

    # -- observability -----------------------------------------------------------------------------

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (auditors only; see the class doc).

        Requirements: ARC-041, ARC-039, ARC-046
        Raises:
            InvalidInput: ``entity`` is not one of the names above.
            NotFound: no such thing in ``org``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``auditor``.
        """
        ...

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        """The events published for ``org`` (of ``type`` if given), in publication order (auditors only).

        Requirements: ARC-042, ARC-039, ARC-046
        Raises:
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``auditor``.
        """
        ...


def _step_roles(process: ProcessEngine, transition: str) -> list[str]:
    """The roles the process grants ``transition`` (its spec is the single source of them)."""
    for move in process.spec.transitions:
        if move.name == transition:
            return list(move.roles)
    return []


def _now() -> datetime:
    return datetime.now(UTC)


def _invalid(message: str, field: str, **details: Any) -> InvalidInput:
    return InvalidInput(message, field=field, domain=DOMAIN, **details)


_MULTILINE = frozenset({"body", "notes", "reply", "opinion", "instruction", "proposal", "reason", "note"})
"""Fields that may hold paragraphs (tab and line breaks allowed); every other text is one line."""


def _check_text(value: object, field: str) -> None:
    """Refuse NUL, control and bidirectional-override characters in ``value`` (strings, lists of them)."""
    if isinstance(value, str):
        check_text(value, field=field, multiline=field.rsplit(".", 1)[-1] in _MULTILINE)
    elif isinstance(value, list | tuple):
        for index, element in enumerate(value):
            _check_text(element, f"{field}[{index}]")


def _check_texts(model: BaseModel | Mapping[str, Any], prefix: str = "") -> None:
    """Check every text field of ``model`` (a draft, or a transition's inputs) with :func:`_check_text`.

    The published models refuse such characters themselves; this check also covers callers that
    build models without validation, and inputs passed as plain mappings.
    """
    items = (
        model.items()
        if isinstance(model, Mapping)
        else ((n, getattr(model, n)) for n in type(model).model_fields)
    )
    for name, value in items:
        _check_text(value, f"{prefix}{name}")


def _org_code(org: str) -> str:
    """The organisation's unified social credit code (GB 32100-2015), or ``InvalidInput`` on ``org``."""
    if not isinstance(org, str):
        raise _invalid(N_("{field}: name the organisation by its unified social credit code"), "org")
    try:
        return credit_code.validate(org)
    except InvalidInput as exc:
        raise exc.with_field("org") from None


class ReferenceService:
    """The reference implementation on any govparts database (SQLite or PostgreSQL)."""

    features: frozenset[str] = FEATURES

    def __init__(
        self,
        engine: Engine,
        *,
        schedule: RetentionSchedule | None = None,
        today: Callable[[], date] | None = None,
        signers: Mapping[str, Signer] | None = None,
    ) -> None:
        """``signers`` maps an organisation's unified social credit code to the key that signs its
        documents when they are issued: a :class:`~govparts.core.signing.Signer` that also exposes
        its ``public_key`` (an :class:`~govparts.core.signing.SM2PrivateKey` does; a wrapper of a
        hardware module adds the attribute). Organisations without one issue unsigned documents.
        """
        self.engine = engine
        self.signers: dict[str, Signer] = {}
        for org, signer in (signers or {}).items():
            public = getattr(signer, "public_key", None)
            if not isinstance(public, SM2PublicKey) or public.key_id != signer.key_id:
                raise ConfigurationError(
                    N_("{field}: the signer of {got} names no SM2 public key of its own"),
                    field="signers",
                    got=org,
                    domain=DOMAIN,
                )
            self.signers[_org_code(org)] = signer
        self.schedule = schedule or default_retention_schedule()
        self.today = today or (lambda: datetime.now(UTC).date())
        self.outgoing = ProcessEngine(
            OUTGOING_DOCUMENT,
            guards={"unchanged_since_signoff": self._unchanged_since_signoff, "has_number": self._has_number},
            payloads={"issue": self._issued_payload, "file": self._filed_payload},
        )
        self.incoming = ProcessEngine(
            INCOMING_DOCUMENT,
            guards={"urgent_has_deadline": self._urgent_has_deadline},
            payloads={"file": self._filed_payload},
        )
        self.disposition = ProcessEngine(
            DISPOSITION,
            guards={"retention_expired": self._retention_expired, "no_legal_hold": self._no_legal_hold},
        )
        self._filing: dict[int, dict[str, Any]] = {}
        self.owned_folder: Path | None = None
        """A temporary folder holding the database, removed by :meth:`close` (set by the factories)."""

    def close(self) -> None:
        """Dispose of the engine and remove the temporary folder the service owns, if any."""
        self.engine.dispose()
        if self.owned_folder is not None:
            shutil.rmtree(self.owned_folder, ignore_errors=True)
            self.owned_folder = None

    def __enter__(self) -> ReferenceService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def capabilities(self) -> Capabilities:
        return Capabilities(part="archives", version=PART_VERSION, features=self.features)

    # -- guards and payloads -----------------------------------------------------------------------

    @staticmethod
    def _unchanged_since_signoff(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        if entity.signed_digest != entity.content_digest:
            return "the text changed after sign-off; return it to the signer"
        return None

    @staticmethod
    def _has_number(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        return None if entity.document_number else "the document has no document number"

    @staticmethod
    def _urgent_has_deadline(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        if entity.urgency and not inputs.get("due_on"):
            return "an urgent document needs a deadline (due_on)"
        return None

    def _retention_expired(self, entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        if entity.expires_on is None:
            return "the item is kept permanently"
        if entity.expires_on > self.today():
            return f"the retention period runs until {entity.expires_on.isoformat()}"
        return None

    @staticmethod
    def _no_legal_hold(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        return f"a legal hold is in force: {entity.hold_reason}" if entity.legal_hold else None

    @staticmethod
    def _issued_payload(context: TransitionContext) -> DocumentIssued:
        row = context.entity
        return DocumentIssued(
            document_id=context.entity_id,
            document_number=row.document_number,
            doc_type=row.doc_type,
            issuing_organ=row.issuing_organ,
            title=None if row.secrecy else row.title,
            secrecy=row.secrecy,
        )

    def _filed_payload(self, context: TransitionContext) -> DocumentFiled:
        info = self._filing[int(context.entity_id)]
        return DocumentFiled(
            document_id=context.entity_id,
            direction=context.entity.direction,
            archival_code=info["archival_code"],
            retention=info["retention"],
            fonds=info["fonds"],
            year=info["year"],
        )

    # -- checking input ----------------------------------------------------------------------------

    @staticmethod
    def _check_elements(
        doc_type: str, secrecy: str | None, urgency: str | None, period: int | None
    ) -> tuple[str | None, int]:
        if doc_type not in DOCUMENT_TYPES:
            raise _invalid(
                N_(
                    "{field}: {got} is not a kind of official document "
                    "(党政机关公文处理工作条例 Art. 8: 01–15)"
                ),
                "doc_type",
                got=doc_type,
            )
        level = secrecy_level(secrecy)
        if period is not None and level.code is None:
            raise _invalid(N_("{field}: a secrecy period needs a secrecy level"), "secrecy_period_years")
        if urgency is not None:
            codes.get(URGENCY_LIST).validate(urgency, field="urgency")
        return level.code, int(level)

    def _load(self, session: Session, document_id: int, org: str | None = None) -> DocumentRow:
        """The document ``document_id``; ``NotFound`` also when it belongs to another organisation."""
        row = session.get(DocumentRow, document_id) if isinstance(document_id, int) else None
        if row is None or (org is not None and row.org != org):
            raise NotFound(field="document_id", kind="document", got=str(document_id))
        return row

    def _engine_for(self, row: DocumentRow) -> ProcessEngine:
        return self.outgoing if row.direction == "outgoing" else self.incoming

    def _gate(
        self,
        actor: Actor,
        org: str,
        *,
        write: bool,
        entity: str = "organization",
        entity_id: str | None = None,
    ) -> None:
        """The organisation gate every scoped method passes first (:func:`~govparts.core.security.check_org`).

        An actor of another organisation gets ``OrganizationDenied`` before anything is read or
        written; a cross-organisation auditor's read is recorded in a transaction of its own.
        """
        check_org(actor, org, write=write, audit_to=self.engine, entity=entity, entity_id=entity_id)

    def _check_clearance(
        self, actor: Actor, org: str, document_id: int, *, write: bool = True, purpose: str | None = None
    ) -> DocumentRow:
        """Load a document for ``actor``: the organisation's gate, ``NotFound`` for another organisation's
        document, then the clearance check (audited)."""
        org = _org_code(org)
        self._gate(actor, org, write=write, entity="document", entity_id=str(document_id))
        with Session(self.engine, expire_on_commit=False) as session:
            row = self._load(session, document_id, org)
        check_read(
            actor,
            row.secrecy,
            audit_to=self.engine,
            entity="document",
            entity_id=str(document_id),
            purpose=purpose,
        )
        return row

    def _admit_item(
        self, actor: Actor, org: str, item_id: int, *, write: bool, purpose: str
    ) -> ArchivalItemRow:
        """Load an item for ``actor``: its organisation's gate, then the clearance check against its secrecy.

        The read is recorded in the access log of the item's document (allowed or refused) before
        anything of the item is revealed or changed; a refusal raises ``ClearanceInsufficient``.
        """
        org = _org_code(org)
        self._gate(actor, org, write=write, entity="archival_item", entity_id=str(item_id))
        with Session(self.engine, expire_on_commit=False) as session:
            item = self._load_item(session, item_id, org)
        check_read(
            actor,
            item.secrecy_rank,
            audit_to=self.engine,
            entity="document",
            entity_id=str(item.document_id),
            purpose=purpose,
        )
        return item

    def _fts(self, session: Session, row: DocumentRow, *, was: tuple[str, str | None] | None = None) -> None:
        """Index ``row``'s title and body (:mod:`._search`); ``was`` is its previous title and body
        when it was indexed before (SQLite's contentless table removes the terms it is given)."""
        if is_postgresql(session):
            session.execute(
                sa.text(
                    "INSERT INTO archives_document_fts (id, org, secrecy_rank, terms) "
                    "VALUES (:id, :org, :rank, string_to_array(:terms, ' ')) "
                    "ON CONFLICT (id) DO UPDATE SET terms = excluded.terms"
                ),
                {
                    "id": row.id,
                    "org": row.org,
                    "rank": row.secrecy_rank,
                    "terms": _search.document_terms(row.title, row.body),
                },
            )
            return
        if was is not None:
            session.execute(
                sa.text(
                    "INSERT INTO archives_document_fts (archives_document_fts, rowid, terms) "
                    "VALUES ('delete', :id, :terms)"
                ),
                {"id": row.id, "terms": _search.fts5_document(row.org, row.secrecy_rank, *was)},
            )
        session.execute(
            sa.text("INSERT INTO archives_document_fts (rowid, terms) VALUES (:id, :terms)"),
            {"id": row.id, "terms": _search.fts5_document(row.org, row.secrecy_rank, row.title, row.body)},
        )

    def _fts_many(self, session: Session, org: str, rows: Sequence[tuple[int, int, str, str | None]]) -> None:
        """Index new documents ``(id, secrecy rank, title, body)`` of ``org`` in one statement."""
        if not rows:
            return
        if is_postgresql(session):
            session.execute(
                sa.text(
                    "INSERT INTO archives_document_fts (id, org, secrecy_rank, terms) "
                    "SELECT u.id, :org, u.rank, string_to_array(u.terms, ' ') FROM unnest("
                    "CAST(:ids AS BIGINT[]), CAST(:ranks AS INTEGER[]), CAST(:terms AS TEXT[])"
                    ") AS u (id, rank, terms)"
                ),
                {
                    "org": org,
                    "ids": [r[0] for r in rows],
                    "ranks": [r[1] for r in rows],
                    "terms": [_search.document_terms(r[2], r[3]) for r in rows],
                },
            )
            return
        session.execute(
            sa.text(
                "INSERT INTO archives_document_fts (rowid, terms) "
                "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:rows)"
            ),
            {
                "rows": json.dumps(
                    [[r[0], _search.fts5_document(org, r[1], r[2], r[3])] for r in rows],
                    ensure_ascii=False,
                )
            },
        )

    # -- documents ---------------------------------------------------------------------------------

    def draft_outgoing(self, actor: Actor, org: str, draft: DocumentDraft) -> Document:
        """起草: a new outgoing document of ``org`` in ``drafting``; bad elements raise naming the field."""
        org = _org_code(org)
        self._gate(actor, org, write=True)
        if not actor.has_role("drafter"):
            raise PermissionDenied(field="actor", actor=actor.id, transition="draft", roles=["drafter"])
        _check_texts(draft)
        secrecy, rank = self._check_elements(
            draft.doc_type, draft.secrecy, draft.urgency, draft.secrecy_period_years
        )
        _docnum.format_parts(draft.organ_code, 2000, 1)
        if draft.copy_number is None and secrecy is not None:
            raise _invalid(
                N_("{field}: a classified document must carry a copy number (份号)"), "copy_number"
            )
        now = _now()
        row = DocumentRow(
            org=org,
            direction="outgoing",
            doc_type=draft.doc_type,
            title=draft.title,
            body=draft.body,
            issuing_organ=draft.issuing_organ,
            organ_code=draft.organ_code,
            copy_number=draft.copy_number,
            secrecy=secrecy,
            secrecy_rank=rank,
            secrecy_period_years=draft.secrecy_period_years,
            classified_on=now.date() if secrecy else None,
            urgency=draft.urgency,
            main_recipients=draft.main_recipients,
            copy_to=draft.copy_to,
            attachment_notes=draft.attachment_notes,
            signature_organ=draft.signature_organ,
            written_on=draft.written_on,
            notes=draft.notes,
            printing_organ=draft.printing_organ,
            fonds=draft.fonds,
            organisation=draft.organisation,
            content_digest=content_digest(draft.title, draft.body),
            unit=actor.unit,
            created_by=actor.id,
            created_at=now,
        )
        with session_scope(self.engine) as session:
            self.outgoing.create(session, row, actor)
            self._fts(session, row)
            return self._document(session, row)

    def register_issued(self, actor: Actor, org: str, drafts: Sequence[DocumentDraft]) -> list[str]:
        """登记: register documents of ``org`` issued outside the system (a paper register), numbered in bulk.

        All or nothing: every draft is checked first (an error names ``drafts[i].<field>``); then one
        transaction bumps each organ code and year's counter once by its count, inserts the rows
        set-based, records the numbers as allocated and audits each document. The documents enter in
        state ``issued``. Returns the numbers in the order of ``drafts``. The sequences are the
        organisation's own (GB/T 9704-2012 7.2.5).
        """
        org = _org_code(org)
        self._gate(actor, org, write=True)
        if not actor.has_role("registrar"):
            raise PermissionDenied(
                field="actor", actor=actor.id, transition="register_issued", roles=["registrar"]
            )
        checked: list[tuple[DocumentDraft, str | None, int, int]] = []
        for index, draft in enumerate(drafts):
            try:
                _check_texts(draft)
                secrecy, rank = self._check_elements(
                    draft.doc_type, draft.secrecy, draft.urgency, draft.secrecy_period_years
                )
                if draft.written_on is None:
                    raise _invalid(
                        N_("{field}: a registered document needs its date of writing"), "written_on"
                    )
                if secrecy is not None and draft.copy_number is None:
                    raise _invalid(
                        N_("{field}: a classified document must carry a copy number (份号)"), "copy_number"
                    )
                _docnum.format_parts(draft.organ_code, draft.written_on.year, 1)
            except InvalidInput as exc:
                raise exc.with_field(f"drafts[{index}].{exc.field}") from None
            checked.append((draft, secrecy, rank, draft.written_on.year))
        counts: dict[tuple[str, int], int] = {}
        for draft, _secrecy, _rank, year in checked:
            counts[(draft.organ_code, year)] = counts.get((draft.organ_code, year), 0) + 1
        now = _now()
        numbers: list[str] = []
        with session_scope(self.engine) as session:
            insert: Any
            if is_postgresql(session):
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            counter = NUMBER_COUNTER
            next_serial: dict[tuple[str, int], int] = {}
            for organ, year in sorted(counts):
                session.execute(
                    insert(counter)
                    .values(org=org, organ_code=organ, year=year, last_serial=0)
                    .on_conflict_do_nothing()
                )
                last = session.execute(
                    sa.update(counter)
                    .where(counter.c.org == org, counter.c.organ_code == organ, counter.c.year == year)
                    .values(last_serial=counter.c.last_serial + counts[(organ, year)])
                    .returning(counter.c.last_serial)
                ).scalar_one()
                next_serial[(organ, year)] = int(last) - counts[(organ, year)] + 1
            rows = []
            for draft, secrecy, rank, year in checked:
                serial = next_serial[(draft.organ_code, year)]
                next_serial[(draft.organ_code, year)] = serial + 1
                number = f"{draft.organ_code}〔{year}〕{serial}号"
                numbers.append(number)
                rows.append(
                    {
                        "org": org,
                        "state": "issued",
                        "version": 1,
                        "direction": "outgoing",
                        "doc_type": draft.doc_type,
                        "title": draft.title,
                        "body": draft.body,
                        "issuing_organ": draft.issuing_organ,
                        "organ_code": draft.organ_code,
                        "year": year,
                        "serial": serial,
                        "document_number": number,
                        "copy_number": draft.copy_number,
                        "secrecy": secrecy,
                        "secrecy_rank": rank,
                        "secrecy_period_years": draft.secrecy_period_years,
                        "classified_on": draft.written_on if secrecy else None,
                        "urgency": draft.urgency,
                        "signer": None,
                        "main_recipients": draft.main_recipients,
                        "attachment_notes": draft.attachment_notes,
                        "signature_organ": draft.signature_organ,
                        "written_on": draft.written_on,
                        "sealed": True,
                        "notes": draft.notes,
                        "copy_to": draft.copy_to,
                        "printing_organ": draft.printing_organ,
                        "printed_on": None,
                        "copies": None,
                        "sender": None,
                        "received_at": None,
                        "lead_unit": None,
                        "assisting_units": [],
                        "due_on": None,
                        "reply": None,
                        "return_reason": None,
                        "content_digest": content_digest(draft.title, draft.body),
                        "signed_digest": None,
                        "signature": None,
                        "fonds": draft.fonds,
                        "organisation": draft.organisation,
                        "unit": actor.unit,
                        "created_by": actor.id,
                        "created_at": now,
                    }
                )
            table = DOCUMENT
            ids = (
                session.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
                .scalars()
                .all()
            )
            session.execute(
                sa.insert(ISSUED_NUMBER),
                [
                    {
                        "org": org,
                        "organ_code": r["organ_code"],
                        "year": r["year"],
                        "serial": r["serial"],
                        "document_number": r["document_number"],
                        "document_id": i,
                        "status": "allocated",
                        "allocated_at": now,
                        "allocated_by": actor.id,
                        "voided_at": None,
                        "voided_by": None,
                        "void_reason": None,
                    }
                    for i, r in zip(ids, rows, strict=True)
                ],
            )
            self._fts_many(
                session,
                org,
                [
                    (i, rank, draft.title, draft.body)
                    for i, (draft, _secrecy, rank, _year) in zip(ids, checked, strict=True)
                ],
            )
            audit.append_many(
                session,
                [
                    audit.AuditEntry(
                        "register-issued",
                        OUTGOING_DOCUMENT.entity,
                        str(i),
                        actor,
                        after={"state": "issued", "version": 1, "document_number": r["document_number"]},
                    )
                    for i, r in zip(ids, rows, strict=True)
                ],
                at=now,
            )
        return numbers

    def receive_incoming(self, actor: Actor, org: str, incoming: IncomingDraft) -> Document:
        """签收: an incoming document signed for by ``org`` now (the time is recorded)."""
        org = _org_code(org)
        self._gate(actor, org, write=True)
        _check_texts(incoming)
        secrecy, rank = self._check_elements(
            incoming.doc_type, incoming.secrecy, incoming.urgency, incoming.secrecy_period_years
        )
        if not actor.has_role("clerk"):
            raise PermissionDenied(field="actor", actor=actor.id, transition="sign_for", roles=["clerk"])
        number = _docnum.format(incoming.document_number) if incoming.document_number else None
        now = _now()
        row = DocumentRow(
            org=org,
            direction="incoming",
            doc_type=incoming.doc_type,
            title=incoming.title,
            body=incoming.body,
            issuing_organ=incoming.sender,
            sender=incoming.sender,
            document_number=number,
            secrecy=secrecy,
            secrecy_rank=rank,
            secrecy_period_years=incoming.secrecy_period_years,
            classified_on=now.date() if secrecy else None,
            urgency=incoming.urgency,
            received_at=now,
            written_on=incoming.written_on,
            fonds=incoming.fonds,
            organisation=incoming.organisation,
            content_digest=content_digest(incoming.title, incoming.body),
            unit=actor.unit,
            created_by=actor.id,
            created_at=now,
        )
        with session_scope(self.engine) as session:
            self.incoming.create(session, row, actor, details={"received_at": now.isoformat()})
            self._fts(session, row)
            return self._document(session, row)

    def attach_file(
        self,
        actor: Actor,
        org: str,
        document_id: int,
        name: str,
        content: bytes,
        *,
        role: str = "body",
        media_type: str = "application/octet-stream",
    ) -> FileInfo:
        """Store a file of the document with its SM3 and SHA-256 digests."""
        if role not in _FILE_ROLES:
            raise _invalid(
                N_("{field}: {got} is not a file role (expected one of {allowed})"),
                "role",
                got=role,
                allowed=list(_FILE_ROLES),
            )
        _check_text(name, "name")
        _check_text(media_type, "media_type")
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise _invalid(N_("{field}: {got} is not a plain file name"), "name", got=name)
        self._gate_role(actor, org, "attach_file", sorted({r for rs in _FILE_EDITORS.values() for r in rs}))
        self._check_clearance(actor, org, document_id)
        digests = self._digests(content)
        with session_scope(self.engine) as session:
            row = self._load(session, document_id)
            editors = _FILE_EDITORS.get(row.state)
            if editors is None:
                raise TransitionNotAllowed(
                    field="state", transition="attach_file", state=row.state, allowed="-"
                )
            if not actor.has_role(*editors):
                raise PermissionDenied(
                    field="actor", actor=actor.id, transition="attach_file", roles=list(editors)
                )
            stored = DocumentFileRow(
                document_id=document_id,
                role=role,
                name=name,
                media_type=media_type,
                size=len(content),
                sm3=digests.get("sm3"),
                sha256=digests["sha256"],
                content=content,
                added_at=_now(),
            )
            session.add(stored)
            session.flush()
            attachments = (
                session.execute(
                    select(DocumentFileRow.sha256)
                    .where(col(DocumentFileRow.document_id) == document_id)
                    .order_by(col(DocumentFileRow.id))
                )
                .scalars()
                .all()
            )
            session.execute(
                sa.update(DocumentRow)
                .where(col(DocumentRow.id) == document_id)
                .values(content_digest=content_digest(row.title, row.body, attachments))
            )
            audit.append(
                session,
                action="attach-file",
                entity="document",
                entity_id=str(document_id),
                actor=actor,
                after={"file": name, "role": role, **digests},
            )
            return _file_info(stored)

    @staticmethod
    def _digests(content: bytes) -> dict[str, str]:
        return fixity(content)

    def read_file(self, actor: Actor, org: str, file_id: int) -> bytes:
        """A file's content, after the clearance check (audited) and a fixity check."""
        org = _org_code(org)
        self._gate(actor, org, write=False, entity="document_file", entity_id=str(file_id))
        with Session(self.engine) as session:
            stored = session.get(DocumentFileRow, file_id) if isinstance(file_id, int) else None
            owner = None if stored is None else session.get(DocumentRow, stored.document_id)
            if stored is None or owner is None or owner.org != org:
                raise NotFound(field="file_id", kind="file", got=str(file_id))
        self._read(actor, org, stored.document_id)
        if fixity(stored.content)["sha256"] != stored.sha256:
            raise IntegrityViolation(
                N_("{field}: the stored file {got} fails its fixity check"),
                field="file_id",
                got=str(file_id),
                domain=DOMAIN,
            )
        return bytes(stored.content)

    def revise(
        self, actor: Actor, org: str, document_id: int, *, title: str | None = None, body: str | None = None
    ) -> Document:
        """Change the text. In 复核 (checking) a substantive change returns the document to the signer."""
        _check_texts({"title": title, "body": body})
        self._gate_role(actor, org, "revise", ["drafter", "reviewer", "checker"])
        self._check_clearance(actor, org, document_id)
        editors = {"drafting": "drafter", "reviewing": "reviewer", "checking": "checker"}
        with session_scope(self.engine) as session:
            row = self._load(session, document_id)
            role = editors.get(row.state)
            if row.direction != "outgoing" or role is None:
                raise TransitionNotAllowed(field="state", transition="revise", state=row.state, allowed="-")
            if not actor.has_role(role):
                raise PermissionDenied(field="actor", actor=actor.id, transition="revise", roles=[role])
            if title is not None and not title.strip():
                raise _invalid(N_("{field}: a document needs a title"), "title")
            new_title = row.title if title is None else title
            new_body = row.body if body is None else body
            attachments = (
                session.execute(
                    select(DocumentFileRow.sha256)
                    .where(col(DocumentFileRow.document_id) == document_id)
                    .order_by(col(DocumentFileRow.id))
                )
                .scalars()
                .all()
            )
            digest = content_digest(new_title, new_body, attachments)
            was = (row.title, row.body)
            session.execute(
                sa.update(DocumentRow)
                .where(col(DocumentRow.id) == document_id)
                .values(title=new_title, body=new_body, content_digest=digest)
            )
            row.title, row.body, row.content_digest = new_title, new_body, digest
            audit.append(
                session,
                action="revise",
                entity="document",
                entity_id=str(document_id),
                actor=actor,
                after={"content_digest": digest},
            )
            self._fts(session, row, was=was)
            self._after_revision(session, row, actor)
            return self._document(session, row)

    def _after_revision(self, session: Session, row: DocumentRow, actor: Actor) -> None:
        """党政机关公文处理工作条例 Art. 24(一): a substantive change at the check goes back to the signer."""
        if row.state == "checking" and row.content_digest != row.signed_digest:
            self.outgoing.fire(
                session, row, "return_to_signer", actor, {"reason": "substantive change after sign-off"}
            )

    def _fire(
        self,
        actor: Actor,
        org: str,
        document_id: int,
        transition: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        direction: str,
    ) -> Document:
        """Fire a step of the document's process (outgoing or incoming) with its side effects.

        The organisation's gate and the clearance check (audited) come first; then the process
        engine checks the state, the actor's role and the step's inputs, in one transaction. An
        input is named by its parameter in errors (``copies``, not ``inputs.copies``).
        """
        given = {name: value for name, value in (inputs or {}).items() if value is not None}
        try:
            _check_texts(given)
            process = self.outgoing if direction == "outgoing" else self.incoming
            self._gate_role(actor, org, transition, _step_roles(process, transition))
            self._check_clearance(actor, org, document_id)
            with session_scope(self.engine) as session:
                row = self._load(session, document_id)
                if row.direction != direction:
                    raise TransitionNotAllowed(
                        field="state", transition=transition, state=row.state, allowed="-"
                    )
                engine = self._engine_for(row)
                if transition == "register_and_number":
                    self._number(session, row, actor, engine)
                else:
                    engine.fire(session, row, transition, actor, given)
                self._apply(session, row, transition, actor, given)
                return self._document(session, row)
        except InvalidInput as exc:
            if exc.field and exc.field.startswith("inputs."):
                raise exc.with_field(exc.field.removeprefix("inputs.")) from None
            raise

    def submit(self, actor: Actor, org: str, document_id: int) -> Document:
        """送审: the drafter submits the draft for review."""
        return self._fire(actor, org, document_id, "submit", direction="outgoing")

    def return_to_drafter(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """退回: the reviewer (or signer) returns the draft to its drafter with a reason."""
        return self._fire(
            actor, org, document_id, "return_to_drafter", {"reason": reason}, direction="outgoing"
        )

    def request_countersign(self, actor: Actor, org: str, document_id: int) -> Document:
        """会签: the reviewer sends the draft to the other units for countersigning."""
        return self._fire(actor, org, document_id, "request_countersign", direction="outgoing")

    def countersign(self, actor: Actor, org: str, document_id: int, opinion: str) -> Document:
        """A countersigning unit records its opinion."""
        return self._fire(actor, org, document_id, "countersign", {"opinion": opinion}, direction="outgoing")

    def approve_review(
        self, actor: Actor, org: str, document_id: int, opinion: str | None = None
    ) -> Document:
        """审核: the reviewer approves the draft for sign-off."""
        return self._fire(
            actor, org, document_id, "approve_review", {"opinion": opinion}, direction="outgoing"
        )

    def sign_off(self, actor: Actor, org: str, document_id: int, opinion: str | None = None) -> Document:
        """签发: the signer signs off; the signer and the signed content are recorded."""
        return self._fire(actor, org, document_id, "sign_off", {"opinion": opinion}, direction="outgoing")

    def return_to_signer(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """复核退回: the checker returns the document to the signer."""
        return self._fire(
            actor, org, document_id, "return_to_signer", {"reason": reason}, direction="outgoing"
        )

    def pass_check(self, actor: Actor, org: str, document_id: int) -> Document:
        """复核: the checker passes a document whose content is unchanged since sign-off."""
        return self._fire(actor, org, document_id, "pass_check", direction="outgoing")

    def assign_number(self, actor: Actor, org: str, document_id: int) -> Document:
        """登记编号: allocate the next document number of the organisation's organ code and year."""
        return self._fire(actor, org, document_id, "register_and_number", direction="outgoing")

    def print_copies(self, actor: Actor, org: str, document_id: int, copies: int) -> Document:
        """印制: record the printing of ``copies`` copies."""
        return self._fire(actor, org, document_id, "print", {"copies": copies}, direction="outgoing")

    def issue(self, actor: Actor, org: str, document_id: int) -> Document:
        """核发: issue a numbered, printed document (signed when the service holds the org's key)."""
        return self._fire(actor, org, document_id, "issue", direction="outgoing")

    def withdraw(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """撤销: withdraw a numbered document; its number is voided."""
        return self._fire(actor, org, document_id, "withdraw", {"reason": reason}, direction="outgoing")

    def register_incoming(self, actor: Actor, org: str, document_id: int) -> Document:
        """登记: register a document signed for."""
        return self._fire(actor, org, document_id, "register", direction="incoming")

    def pass_review(self, actor: Actor, org: str, document_id: int) -> Document:
        """初审: the preliminary review accepts a registered document."""
        return self._fire(actor, org, document_id, "pass_review", direction="incoming")

    def return_to_sender(self, actor: Actor, org: str, document_id: int, reason: str) -> Document:
        """退文: return a registered document to its sender with a reason."""
        return self._fire(
            actor, org, document_id, "return_to_sender", {"reason": reason}, direction="incoming"
        )

    def propose_handling(self, actor: Actor, org: str, document_id: int, proposal: str) -> Document:
        """拟办: the secretary proposes how to handle the document."""
        return self._fire(
            actor, org, document_id, "propose_handling", {"proposal": proposal}, direction="incoming"
        )

    def instruct(self, actor: Actor, org: str, document_id: int, instruction: str) -> Document:
        """批办: the leader instructs."""
        return self._fire(
            actor, org, document_id, "instruct", {"instruction": instruction}, direction="incoming"
        )

    def assign_handling(
        self,
        actor: Actor,
        org: str,
        document_id: int,
        lead_unit: str,
        *,
        assisting_units: Sequence[str] = (),
        due_on: date | None = None,
    ) -> Document:
        """承办: assign the lead unit; an urgent document needs ``due_on``."""
        if due_on is not None and not isinstance(due_on, date):
            raise _invalid(N_("{field}: {got} is not a date"), "due_on", got=str(due_on))
        inputs: dict[str, Any] = {
            "lead_unit": lead_unit,
            "assisting_units": list(assisting_units) or None,
            "due_on": due_on.isoformat() if due_on is not None else None,
        }
        return self._fire(actor, org, document_id, "assign", inputs, direction="incoming")

    def circulate(self, actor: Actor, org: str, document_id: int, readers: Sequence[str] = ()) -> Document:
        """传阅: circulate the document being handled."""
        inputs = {"readers": list(readers) or None}
        return self._fire(actor, org, document_id, "circulate", inputs, direction="incoming")

    def reply(self, actor: Actor, org: str, document_id: int, reply: str) -> Document:
        """答复: record the reply of the handling unit."""
        return self._fire(actor, org, document_id, "reply", {"reply": reply}, direction="incoming")

    def close_handling(self, actor: Actor, org: str, document_id: int) -> Document:
        """办结: close a replied document."""
        return self._fire(actor, org, document_id, "close", direction="incoming")

    def _apply(
        self, session: Session, row: DocumentRow, transition: str, actor: Actor, inputs: Mapping[str, Any]
    ) -> None:
        values: dict[str, Any] = {}
        if transition == "sign_off":
            values = {
                "signed_digest": row.content_digest,
                "signer": actor.name,
                "written_on": row.written_on or self.today(),
            }
        elif transition == "print":
            copies = inputs["copies"]
            if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
                raise _invalid(
                    N_("{field}: the number of copies must be a positive integer, got {got}"),
                    "inputs.copies",
                    got=str(copies),
                )
            values = {"copies": copies, "printed_on": self.today()}
        elif transition == "issue":
            values = {"sealed": True}
            signer = self.signers.get(row.org)
            if signer is not None:
                values["signature"] = self._sign(row, signer, actor)
        elif transition == "withdraw":
            session.execute(
                sa.update(IssuedNumberRow)
                .where(col(IssuedNumberRow.document_id) == row.id, col(IssuedNumberRow.status) == "allocated")
                .values(
                    status="voided", voided_at=_now(), voided_by=actor.id, void_reason=inputs.get("reason")
                )
            )
        elif transition in ("return_to_sender", "return_to_drafter"):
            values = {"return_reason": inputs.get("reason")}
        elif transition == "assign":
            due = inputs.get("due_on")
            values = {
                "lead_unit": inputs["lead_unit"],
                "assisting_units": list(inputs.get("assisting_units") or []),
                "due_on": date.fromisoformat(due) if isinstance(due, str) else due,
            }
        elif transition == "reply":
            values = {"reply": inputs["reply"]}
        if values:
            session.execute(sa.update(DocumentRow).where(col(DocumentRow.id) == row.id).values(**values))
            for key, value in values.items():
                setattr(row, key, value)

    @staticmethod
    def _sign(row: DocumentRow, signer: Signer, actor: Actor) -> dict[str, Any]:
        """The issuing organ's SM2 signature of the document's canonical content (GB/T 32918.2-2016 6.1).

        Checked against the signer's public key before it is kept, so a key that does not match its
        public key fails the issue instead of storing a signature nobody can verify.
        """
        content = _signature.canonical_content(
            document_number=str(row.document_number),
            title=row.title,
            issuing_organ=row.issuing_organ,
            written_on=row.written_on or _now().date(),
            body=row.body,
        )
        value = sign_bytes(signer, content)
        public: SM2PublicKey = getattr(signer, "public_key")  # noqa: B009 - checked in __init__
        if not public.verify(content, value):
            raise IntegrityViolation(
                N_("{field}: the signing key of {got} does not match its public key"),
                field="signers",
                got=row.org,
                domain=DOMAIN,
            )
        return {
            "algorithm": signer.algorithm,
            "content_format": _signature.CONTENT_FORMAT,
            "key_id": signer.key_id,
            "public_key": public.pem().decode("ascii"),
            "distid": DEFAULT_DISTID.decode("ascii"),
            "value": base64.b64encode(value).decode("ascii"),
            "signed_by": actor.id,
            "signed_at": _now().isoformat(),
        }

    def _number(self, session: Session, row: DocumentRow, actor: Actor, engine: ProcessEngine) -> None:
        """登记/编号: allocate the next serial of the organisation's organ code and year, in the transition's
        transaction.

        The counter row is updated in place (``UPDATE … RETURNING`` after an insert-if-absent), so
        concurrent allocations queue on it and the serials of one organ code and year run 1, 2, 3…
        without gaps: a rolled-back allocation takes its serial with it. GB/T 9704-2012 7.2.5.
        """
        engine.fire(session, row, "register_and_number", actor)
        year = (row.written_on or self.today()).year
        organ = str(row.organ_code)
        insert: Any
        if is_postgresql(session):
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        counter = NUMBER_COUNTER
        session.execute(
            insert(counter)
            .values(org=row.org, organ_code=organ, year=year, last_serial=0)
            .on_conflict_do_nothing()
        )
        serial = session.execute(
            sa.update(counter)
            .where(counter.c.org == row.org, counter.c.organ_code == organ, counter.c.year == year)
            .values(last_serial=counter.c.last_serial + 1)
            .returning(counter.c.last_serial)
        ).scalar_one()
        number = _docnum.format_parts(organ, year, int(serial))
        now = _now()
        session.execute(
            sa.update(DocumentRow)
            .where(col(DocumentRow.id) == row.id)
            .values(year=year, serial=serial, document_number=number)
        )
        row.year, row.serial, row.document_number = year, int(serial), number
        session.execute(
            sa.insert(IssuedNumberRow).values(
                org=row.org,
                organ_code=organ,
                year=year,
                serial=serial,
                document_number=number,
                document_id=row.id,
                status="allocated",
                allocated_at=now,
                allocated_by=actor.id,
            )
        )

    def _read(self, actor: Actor, org: str, document_id: int, *, purpose: str | None = None) -> DocumentRow:
        row = self._check_clearance(actor, org, document_id, write=False, purpose=purpose)
        if row.secrecy is None:
            with session_scope(self.engine) as session:
                audit.append(
                    session, action="read", entity="document", entity_id=str(document_id), actor=actor
                )
        return row

    def get_document(self, actor: Actor, org: str, document_id: int) -> Document:
        """Read a document: the actor's clearance must reach its secrecy level; every read is audited."""
        self._read(actor, org, document_id)
        with Session(self.engine) as session:
            return self._document(session, self._load(session, document_id))

    def access_log(self, actor: Actor, org: str, document_id: int) -> list[AccessRecord]:
        """Every recorded read of the document, refused ones included, oldest first (auditors only)."""
        org = _org_code(org)
        self._gate(actor, org, write=False, entity="document", entity_id=str(document_id))
        self._require(actor, "access_log", _AUDITOR)
        with Session(self.engine) as session:
            self._load(session, document_id, org)
            rows = audit.history(session, "document", str(document_id))
        return [
            AccessRecord(
                actor_id=str(r.actor_id),
                action=r.action,
                allowed=r.action != READ_DENIED_ACTION,
                at=r.recorded_at,
            )
            for r in rows
            if r.action in _READ_ACTIONS
        ]

    def _document(self, session: Session, row: DocumentRow) -> Document:
        files = (
            session.execute(
                select(DocumentFileRow)
                .where(col(DocumentFileRow.document_id) == row.id)
                .order_by(col(DocumentFileRow.id))
            )
            .scalars()
            .all()
        )
        data = {name: getattr(row, name) for name in Document.model_fields if name != "files"}
        return Document(**data, files=[_file_info(f) for f in files])

    def _visible(self, actor: Actor, org: str) -> Any:
        return sa.and_(col(DocumentRow.org) == org, col(DocumentRow.secrecy_rank) <= int(actor.clearance))

    def list_documents(self, actor: Actor, org: str, *, state: str | None = None) -> list[DocumentSummary]:
        """Documents of ``org`` the actor may read (never the titles of others), newest first."""
        self._gate(actor, org, write=False)
        query = select(DocumentRow).where(self._visible(actor, org)).order_by(col(DocumentRow.id).desc())
        if state is not None:
            query = query.where(col(DocumentRow.state) == state)
        with Session(self.engine) as session:
            return [_summary(r) for r in session.execute(query).scalars()]

    def search(self, actor: Actor, org: str, text: str, *, limit: int = 50) -> list[DocumentSummary]:
        """Full-text search over titles and bodies, only among documents of ``org`` the actor may read.

        A document matches when the stripped ``text`` occurs in its title or body, ASCII letters
        compared without case (:mod:`._search`); the newest ``limit`` matches come first. The
        unigram/bigram index answers the query, the organisation and the actor's clearance filtered
        inside it and the limit applied there, never by scanning the archive: SQLite walks the FTS5
        index from the newest document down and stops at the limit; PostgreSQL looks for the matches
        among the organisation's newest documents first and asks the GIN index only for the older
        ones still needed.
        """
        self._gate(actor, org, write=False)
        _check_text(text, "text")
        needle = text.strip()
        if not needle:
            raise _invalid(N_("{field}: the search text is empty"), "text")
        if limit <= 0:
            return []
        terms, confirm = _search.query_terms(needle)
        params: dict[str, Any] = {"org": org, "clearance": int(actor.clearance), "limit": limit}
        with self.engine.connect() as connection:
            if self.engine.dialect.name == "postgresql":
                # Autocommit: the common case is one statement, without BEGIN and ROLLBACK around it.
                connection.execution_options(isolation_level="AUTOCOMMIT")
                params.update(terms=terms, window=_PG_WINDOW, needle=_search.fold(needle))
                text = _PG_TEXT_FOLDED if _search.has_ascii_letters(needle) else _PG_TEXT
                rows = list(connection.execute(sa.text(_PG_SEARCH_NEWEST.format(text=text)), params))
                if len(rows) < limit:
                    params.update(limit=limit - len(rows), seen=[r.id for r in rows])
                    older = _PG_SEARCH_OLDER.format(check=f" AND {text}" if confirm else "")
                    connection.exec_driver_sql("BEGIN")
                    try:
                        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
                        rows += connection.execute(sa.text(older), params)
                    finally:
                        connection.exec_driver_sql("COMMIT")
            else:
                params["match"] = _search.fts5_query(needle, org, params["clearance"])
                rows = list(connection.execute(sa.text(_SQLITE_SEARCH), params))
        return [_summary(r) for r in rows]

    def issued_numbers(self, actor: Actor, org: str, organ_code: str, year: int) -> list[IssuedNumber]:
        """Every number ``org`` allocated for the organ code and year, voided ones included, by serial."""
        self._gate(actor, org, write=False)
        _check_text(organ_code, "organ_code")
        query = (
            select(IssuedNumberRow)
            .where(
                col(IssuedNumberRow.org) == org,
                col(IssuedNumberRow.organ_code) == organ_code,
                col(IssuedNumberRow.year) == year,
            )
            .order_by(col(IssuedNumberRow.serial))
        )
        with Session(self.engine) as session:
            return [
                IssuedNumber(
                    document_number=r.document_number,
                    organ_code=r.organ_code,
                    year=r.year,
                    serial=r.serial,
                    document_id=r.document_id,
                    status=r.status,
                    void_reason=r.void_reason,
                )
                for r in session.execute(query).scalars()
            ]

    def expired_secrecy(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        """Documents of ``org`` (that the actor may read) whose secrecy period has expired by ``on``."""
        self._gate(actor, org, write=False)
        query = select(DocumentRow).where(
            col(DocumentRow.secrecy_period_years).is_not(None), self._visible(actor, org)
        )
        with Session(self.engine) as session:
            rows = session.execute(query.order_by(col(DocumentRow.id))).scalars().all()
        return [
            _summary(r)
            for r in rows
            if (end := secrecy_expires_on(r.classified_on, r.secrecy_period_years)) is not None and end <= on
        ]

    def overdue_incoming(self, actor: Actor, org: str, on: date) -> list[DocumentSummary]:
        """Incoming documents of ``org`` in hand past their deadline (the chase list, 催办)."""
        self._gate(actor, org, write=False)
        query = (
            select(DocumentRow)
            .where(
                col(DocumentRow.direction) == "incoming",
                col(DocumentRow.due_on) < on,
                col(DocumentRow.state).in_(("handling", "circulating")),
                self._visible(actor, org),
            )
            .order_by(col(DocumentRow.due_on))
        )
        with Session(self.engine) as session:
            return [_summary(r) for r in session.execute(query).scalars()]

    def chase(self, actor: Actor, org: str, document_id: int, note: str | None = None) -> int:
        """Record a chase (催办) of an incoming document in hand; returns how many chases it has had."""
        _check_text(note, "note")
        self._gate_role(actor, org, "chase", ["secretary"])
        self._check_clearance(actor, org, document_id)
        with session_scope(self.engine) as session:
            row = self._load(session, document_id)
            if row.direction != "incoming" or row.state not in ("handling", "circulating"):
                raise TransitionNotAllowed(field="state", transition="chase", state=row.state, allowed="-")
            self._require(actor, "chase", "secretary")
            session.add(ChaseRow(document_id=document_id, chased_by=actor.id, chased_at=_now(), note=note))
            audit.append(
                session,
                action="chase",
                entity="incoming_document",
                entity_id=str(document_id),
                actor=actor,
                details={"note": note},
            )
            session.flush()
            return int(
                session.execute(
                    sa.select(sa.func.count()).where(col(ChaseRow.document_id) == document_id)
                ).scalar_one()
            )

    # -- archiving ---------------------------------------------------------------------------------

    def file_document(
        self, actor: Actor, org: str, document_id: int, *, retention: str | None = None
    ) -> ArchivalItem:
        """归档: file the document as an item (件) with its archival code (DA/T 22-2015).

        The retention period comes from the retention schedule unless given; the item number is the
        next in its lowest class (fonds, WS, year, retention, organisation), allocated like document
        numbers, in the transaction of the ``file`` transition. Item numbers are the organisation's
        own. The year (年度) is the document's own (:func:`filing_year`), never the year of filing.
        """
        if retention is not None:
            _check_text(retention, "retention")
        self._gate_role(actor, org, "file", _step_roles(self.outgoing, "file"))
        self._check_clearance(actor, org, document_id)
        with session_scope(self.engine) as session:
            row = self._load(session, document_id)
            code = retention
            if code is None:
                code = self.schedule.retention_for(row.direction, row.doc_type)
            self._check_retention(code)
            year = filing_year(row.written_on, row.document_number, row.received_at)
            org = row.organisation or ""
            insert: Any
            if is_postgresql(session):
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            table = CLASS_COUNTER
            key = self._class_key(row.fonds, year, code, org)
            session.execute(insert(table).values(org=row.org, **key, last_item=0).on_conflict_do_nothing())
            item_number = session.execute(
                sa.update(table)
                .where(table.c.org == row.org, *(table.c[k] == v for k, v in key.items()))
                .values(last_item=table.c.last_item + 1)
                .returning(table.c.last_item)
            ).scalar_one()
            archival = format_archival_code(
                row.fonds, CATEGORY_ADMINISTRATIVE, year, code, int(item_number), organisation=org or None
            )
            self._filing[document_id] = {
                "archival_code": archival,
                "retention": code,
                "fonds": row.fonds,
                "year": year,
            }
            try:
                self._engine_for(row).fire(session, row, "file", actor)
            finally:
                self._filing.pop(document_id, None)
            item = ArchivalItemRow(
                org=row.org,
                document_id=document_id,
                archival_code=archival,
                fonds=row.fonds,
                category=CATEGORY_ADMINISTRATIVE,
                year=year,
                retention=code,
                organisation=org or None,
                item_number=int(item_number),
                title=row.title,
                secrecy_rank=row.secrecy_rank,
                expires_on=retention_expires_on(year, code),
                filed_at=_now(),
            )
            self.disposition.create(session, item, actor, details={"archival_code": archival})
            return _item(item)

    @staticmethod
    def _check_retention(code: str) -> None:
        codes.get("DA/T 22-2015 保管期限").validate(code, field="retention")

    @staticmethod
    def _class_key(fonds: str, year: int, retention: str, organisation: str) -> dict[str, Any]:
        """The lowest class of an item (DA/T 22-2015): fonds, WS, year, retention, organisation."""
        return {
            "fonds": fonds,
            "category": CATEGORY_ADMINISTRATIVE,
            "year": year,
            "retention": retention,
            "organisation": organisation,
        }

    def _load_item(self, session: Session, item_id: int, org: str | None = None) -> ArchivalItemRow:
        item = session.get(ArchivalItemRow, item_id) if isinstance(item_id, int) else None
        if item is None or (org is not None and item.org != org):
            raise NotFound(field="item_id", kind="archival item", got=str(item_id))
        return item

    def get_item(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """Read an item (clearance checked against its document's secrecy level, audited)."""
        item = self._admit_item(actor, org, item_id, write=False, purpose="get_item")
        if item.secrecy_rank == 0:
            with session_scope(self.engine) as session:
                audit.append(
                    session, action="read", entity="document", entity_id=str(item.document_id), actor=actor
                )
        return _item(item)

    def filing_catalogue(self, actor: Actor, org: str, fonds: str, year: int) -> list[CatalogueEntry]:
        """归档文件目录 of ``org``'s fonds and year in archival-code order; unreadable titles are withheld."""
        self._gate(actor, org, write=False)
        _check_text(fonds, "fonds")
        query = (
            select(ArchivalItemRow, DocumentRow)
            .join(DocumentRow, col(DocumentRow.id) == col(ArchivalItemRow.document_id))
            .where(
                col(ArchivalItemRow.org) == org,
                col(ArchivalItemRow.fonds) == fonds,
                col(ArchivalItemRow.year) == year,
            )
            .order_by(
                col(ArchivalItemRow.retention),
                col(ArchivalItemRow.organisation),
                col(ArchivalItemRow.item_number),
            )
        )
        entries = []
        with Session(self.engine) as session:
            for item, doc in session.execute(query):
                visible = doc.secrecy_rank <= int(actor.clearance)
                entries.append(
                    CatalogueEntry(
                        item_number=item.item_number,
                        archival_code=item.archival_code,
                        document_number=doc.document_number,
                        responsible=doc.issuing_organ,
                        title=doc.title if visible else "",
                        date=doc.written_on or (doc.received_at.date() if doc.received_at else None),
                        secrecy=doc.secrecy,
                        retention=item.retention,
                        notes=None if item.state != "destroyed" else "已销毁",
                    )
                )
        return entries

    def items_due_for_appraisal(self, actor: Actor, org: str, on: date) -> list[ArchivalItem]:
        """Items of ``org`` in custody (that the actor may read) whose retention has expired by ``on``."""
        self._gate(actor, org, write=False)
        query = (
            select(ArchivalItemRow)
            .where(
                col(ArchivalItemRow.org) == org,
                col(ArchivalItemRow.state) == "in_custody",
                col(ArchivalItemRow.expires_on) <= on,
                col(ArchivalItemRow.secrecy_rank) <= int(actor.clearance),
            )
            .order_by(col(ArchivalItemRow.archival_code))
        )
        with Session(self.engine) as session:
            return [_item(r) for r in session.execute(query).scalars()]

    def _dispose(
        self, actor: Actor, org: str, item_id: int, transition: str, inputs: Mapping[str, Any] | None = None
    ) -> ArchivalItem:
        """Fire an appraisal step; approving destruction writes the destruction register.

        The actor's organisation and clearance are checked first (the read is recorded in the access
        log of the item's document): an item above the actor's clearance is neither changed nor shown.
        """
        given = dict(inputs or {})
        _check_texts(given)
        self._gate_role(actor, org, transition, _step_roles(self.disposition, transition))
        self._admit_item(actor, org, item_id, write=True, purpose=f"dispose:{transition}"[:100])
        with session_scope(self.engine) as session:
            item = self._load_item(session, item_id)
            if transition == "keep":
                years = given["years"]
                if isinstance(years, bool) or not isinstance(years, int) or years < 1:
                    raise _invalid(
                        N_("{field}: keep for a positive number of years, got {got}"),
                        "years",
                        got=str(years),
                    )
            self.disposition.fire(session, item, transition, actor, given)
            if transition == "keep":
                base = max(item.expires_on or self.today(), self.today())
                item.expires_on = date(base.year + given["years"], base.month, min(base.day, 28))
                session.execute(
                    sa.update(ArchivalItemRow)
                    .where(col(ArchivalItemRow.id) == item_id)
                    .values(expires_on=item.expires_on)
                )
            elif transition == "approve_destruction":
                proposer = session.execute(
                    sa.text(
                        "SELECT actor_id FROM core_transition_log "
                        "WHERE entity = 'archival_item' AND entity_id = :id "
                        "AND transition = 'propose_destruction' ORDER BY id DESC LIMIT 1"
                    ),
                    {"id": str(item_id)},
                ).scalar_one()
                session.add(
                    DestructionRow(
                        org=item.org,
                        item_id=item_id,
                        archival_code=item.archival_code,
                        title=item.title,
                        retention=item.retention,
                        proposed_by=proposer,
                        approved_by=actor.id,
                        destroyed_at=_now(),
                    )
                )
                session.execute(
                    sa.delete(DocumentFileRow).where(col(DocumentFileRow.document_id) == item.document_id)
                )
            return _item(item)

    def list_for_appraisal(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """列入鉴定: list an item whose retention has expired for appraisal."""
        return self._dispose(actor, org, item_id, "list_for_appraisal")

    def keep_longer(self, actor: Actor, org: str, item_id: int, years: int) -> ArchivalItem:
        """续存: keep the item ``years`` more; it returns to custody with a later expiry."""
        return self._dispose(actor, org, item_id, "keep", {"years": years})

    def propose_destruction(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """拟销毁: propose destroying an appraised item."""
        return self._dispose(actor, org, item_id, "propose_destruction")

    def approve_destruction(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """批准销毁: approve (someone other than the proposer); writes the destruction register."""
        return self._dispose(actor, org, item_id, "approve_destruction")

    def _set_hold(self, actor: Actor, org: str, item_id: int, hold: bool, reason: str | None) -> ArchivalItem:
        org = _org_code(org)
        self._gate(actor, org, write=True, entity="archival_item", entity_id=str(item_id))
        self._require(actor, "legal_hold", "archivist", "approver")
        _check_text(reason, "reason")
        if hold and not (reason or "").strip():
            raise _invalid(N_("{field}: a legal hold needs a reason"), "reason")
        self._admit_item(
            actor, org, item_id, write=True, purpose="legal-hold" if hold else "legal-hold-released"
        )
        with session_scope(self.engine) as session:
            item = self._load_item(session, item_id)
            if item.state == "destroyed":
                raise TransitionNotAllowed(
                    field="state", transition="legal_hold", state=item.state, allowed="-"
                )
            session.execute(
                sa.update(ArchivalItemRow)
                .where(col(ArchivalItemRow.id) == item_id)
                .values(legal_hold=hold, hold_reason=reason if hold else None)
            )
            item.legal_hold, item.hold_reason = hold, reason if hold else None
            audit.append(
                session,
                action="legal-hold" if hold else "legal-hold-released",
                entity="archival_item",
                entity_id=str(item_id),
                actor=actor,
                details={"reason": reason},
            )
            return _item(item)

    def place_hold(self, actor: Actor, org: str, item_id: int, reason: str) -> ArchivalItem:
        """Place a legal hold: the item cannot be destroyed until it is released."""
        return self._set_hold(actor, org, item_id, True, reason)

    def release_hold(self, actor: Actor, org: str, item_id: int) -> ArchivalItem:
        """Release a legal hold."""
        return self._set_hold(actor, org, item_id, False, None)

    def destruction_register(self, actor: Actor, org: str) -> list[DestructionEntry]:
        """The destruction register (销毁清册) of ``org``, oldest first.

        Every row and the count are kept, but the title of an item above the actor's clearance is
        withheld (an empty ``title``, ``withheld`` true). The read is recorded in the access log of
        each classified item's document (allowed or refused, as :func:`check_read` records it) and
        as one ``read-destruction-register`` record of the organisation.
        """
        org = _org_code(org)
        self._gate(actor, org, write=False)
        self._require(actor, "destruction_register", *_REGISTER_READERS)
        query = (
            select(DestructionRow, ArchivalItemRow.secrecy_rank, ArchivalItemRow.document_id)
            .join(ArchivalItemRow, col(ArchivalItemRow.id) == col(DestructionRow.item_id))
            .where(col(DestructionRow.org) == org)
            .order_by(col(DestructionRow.id))
        )
        with Session(self.engine) as session:
            rows = session.execute(query).all()
        entries: list[DestructionEntry] = []
        reads: list[audit.AuditEntry] = []
        for row, rank, document_id in rows:
            level = SecrecyLevel(rank)
            visible = actor.clearance >= level
            if level is not SecrecyLevel.NONE:
                reads.append(
                    audit.AuditEntry(
                        READ_ACTION if visible else READ_DENIED_ACTION,
                        "document",
                        str(document_id),
                        actor,
                        details={
                            "level": level.code,
                            "clearance": actor.clearance.code,
                            "allowed": visible,
                            "purpose": "destruction-register",
                        },
                    )
                )
            entries.append(
                DestructionEntry(
                    archival_code=row.archival_code,
                    title=row.title if visible else "",
                    withheld=not visible,
                    retention=row.retention,
                    proposed_by=row.proposed_by,
                    approved_by=row.approved_by,
                    destroyed_at=row.destroyed_at,
                )
            )
        reads.append(
            audit.AuditEntry(
                "read-destruction-register",
                "organization",
                org,
                actor,
                details={"rows": len(entries), "withheld": sum(e.withheld for e in entries)},
            )
        )
        with session_scope(self.engine) as session:
            audit.append_many(session, reads)
        return entries

    # -- packages ----------------------------------------------------------------------------------

    def export_package(self, actor: Actor, org: str, item_ids: Sequence[int], directory: Path) -> Path:
        """Export items as one BagIt 1.0 bag (RFC 8493) at ``directory``, with DA/T 46 metadata.

        ``directory`` must not exist; the bag is written whole or not at all (built beside it and
        renamed into place; the ``export-package`` audit record is committed with it). Every item
        passes the organisation gate and the clearance check first (each read recorded, a refusal
        raising ``ClearanceInsufficient`` before anything is written). A signed document's
        signature is verified against its current content; the bag keeps the signature files under
        ``signatures/<item folder>/``, the 电子签名 group in the item's ``metadata.json`` and the
        ``Signature-*`` fields in ``bag-info.txt``, each with the verification's result.
        """
        org = _org_code(org)
        # A package leaving the archive is a transfer: the organisation's own staff only (no cross-org read).
        self._gate(actor, org, write=True, entity="archival_package", entity_id=Path(directory).name[:100])
        self._require(actor, "export_package", "archivist")
        if not item_ids:
            raise _invalid(N_("{field}: name at least one item"), "item_ids")
        items: list[dict[str, Any]] = []
        tag_files: dict[str, bytes] = {}
        verified_at = _now()
        checks: list[tuple[str, bool]] = []
        for item_id in item_ids:
            with Session(self.engine) as session:
                item = self._load_item(session, item_id, org)
            doc = self._read(actor, org, item.document_id, purpose="export_package")
            with Session(self.engine) as session:
                stored = (
                    session.execute(
                        select(DocumentFileRow)
                        .where(col(DocumentFileRow.document_id) == doc.id)
                        .order_by(col(DocumentFileRow.id))
                    )
                    .scalars()
                    .all()
                )
                document = self._document(session, doc)
            files = [(f"{f.role}-{f.id}-{f.name}", bytes(f.content)) for f in stored]
            media = {f"{f.role}-{f.id}-{f.name}": f.media_type for f in stored}
            if document.signature is not None or (doc.body and not any(f.role == "body" for f in stored)):
                # A document whose body was never attached as a file (an incoming paper signed for
                # with its text) is archived with its text, so the package holds the record itself;
                # a signed document always is, since its signature covers that text.
                files.insert(0, (TEXT_BODY, doc.body.encode("utf-8")))
            metadata = _dat46(item, doc, files, media)
            if document.signature is not None:
                verified = _signature.verify_document(document)
                checks.append((document.signature.key_id, verified))
                verification = {
                    "archival_code": item.archival_code,
                    "algorithm": document.signature.algorithm,
                    "key_id": document.signature.key_id,
                    "distid": document.signature.distid,
                    "content_format": document.signature.content_format,
                    "verified": verified,
                    "verified_at": verified_at.isoformat(),
                    "verified_by": actor.id,
                }
                metadata["电子签名"] = _dat46_signature(document.signature, verified, verified_at)
                content = _signature.content_of(document)
                for name, data in _signature.signature_files(
                    document.signature, content, verification
                ).items():
                    tag_files[f"{SIGNATURES}/{item_folder(item.archival_code)}/{name}"] = data
            items.append({"archival_code": item.archival_code, "metadata": metadata, "files": files})
        info: dict[str, str | list[str]] = {
            "Source-Organization": str(items[0]["metadata"]["来源"]["fonds"]),
            "External-Identifier": " ".join(i["archival_code"] for i in items),
            "External-Description": "govparts-archives package: DA/T 22-2015 items, DA/T 46-2009 metadata",
        }
        if checks:
            good = sum(ok for _key, ok in checks)
            info |= {
                "Signature-Algorithm": "SM2 with SM3 (GB/T 32918.2-2016), DER",
                "Signature-Content-Format": _signature.CONTENT_FORMAT,
                "Signature-Key-Id": sorted({key for key, _ok in checks}),
                "Signature-Verification": (
                    f"{good} of {len(checks)} signatures verified at {verified_at.isoformat()}"
                ),
            }
        directory = Path(directory)
        placed = False
        try:
            with session_scope(self.engine) as session:
                audit.append(
                    session,
                    action="export-package",
                    entity="archival_package",
                    entity_id=f"{org}/{directory.name}"[:100],
                    actor=actor,
                    details={
                        "archival_codes": [i["archival_code"] for i in items],
                        "signatures": [{"key_id": key, "verified": ok} for key, ok in checks],
                    },
                )
                session.flush()
                bag = write_bag(directory, items, info, tag_files)
                placed = True
        except BaseException:
            if placed:
                shutil.rmtree(directory, ignore_errors=True)
            raise
        return bag

    def import_package(self, actor: Actor, org: str, directory: Path) -> PackageReceipt:
        """Accept a bag for ``org`` only after its BagIt validity and SM3/SHA-256 fixity are verified."""
        org = _org_code(org)
        self._gate(actor, org, write=True)
        self._require(actor, "import_package", "archivist")
        checked = verify_bag(Path(directory))
        with session_scope(self.engine) as session:
            session.add(
                PackageReceiptRow(
                    org=org,
                    bag_name=checked["bag_name"][:255],
                    archival_codes=checked["archival_codes"],
                    files=checked["files"],
                    payload_oxum=checked["payload_oxum"],
                    accepted_by=actor.id,
                    accepted_at=_now(),
                )
            )
            audit.append(
                session,
                action="import-package",
                entity="archival_package",
                entity_id=f"{org}/{checked['bag_name']}"[:100],
                actor=actor,
                details={"archival_codes": checked["archival_codes"], "algorithms": checked["algorithms"]},
            )
        return PackageReceipt(
            bag_name=checked["bag_name"],
            archival_codes=checked["archival_codes"],
            files=checked["files"],
            payload_oxum=checked["payload_oxum"],
            algorithms=checked["algorithms"],
            signed_items=checked["signed_items"],
        )

    # -- observability -----------------------------------------------------------------------------

    def _gate_role(self, actor: Actor, org: str, operation: str, roles: Sequence[str]) -> None:
        """The organisation's gate, then the role: a member without the role reads nothing classified."""
        self._gate(actor, _org_code(org), write=True)
        self._require(actor, operation, *roles)

    @staticmethod
    def _require(actor: Actor, operation: str, *roles: str) -> None:
        """``PermissionDenied`` unless ``actor`` holds one of ``roles``."""
        if not actor.has_role(*roles):
            raise PermissionDenied(field="actor", actor=actor.id, transition=operation, roles=list(roles))

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (auditors only)."""
        org = _org_code(org)
        self._gate(actor, org, write=False, entity="audit_trail", entity_id=None)
        self._require(actor, "audit_trail", _AUDITOR)
        if entity not in _TRAIL_ENTITIES:
            raise _invalid(
                N_("{field}: {got} is not a kind of record (expected one of {allowed})"),
                "entity",
                got=str(entity)[:50],
                allowed=list(_TRAIL_ENTITIES),
            )
        _check_text(entity_id, "entity_id")
        with Session(self.engine) as session:
            if entity in ("outgoing_document", "incoming_document", "document"):
                number = int(entity_id) if entity_id.isdigit() else -1
                row = self._load(session, number, org)
                if entity not in ("document", f"{row.direction}_document"):
                    raise NotFound(field="entity_id", kind=entity, got=entity_id)
            elif entity == "archival_item":
                self._load_item(session, int(entity_id) if entity_id.isdigit() else -1, org)
            elif (entity == "archival_package" and not entity_id.startswith(f"{org}/")) or (
                entity == "organization" and entity_id != org
            ):
                raise NotFound(field="entity_id", kind=entity, got=entity_id)
            return audit.trail(session, entity, entity_id)

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        """The ``document.issued`` and ``document.filed`` events of ``org``, in publication order."""
        org = _org_code(org)
        self._gate(actor, org, write=False, entity="published_events", entity_id=None)
        self._require(actor, "published_events", _AUDITOR)
        types = [t.type for t in EVENT_TYPES]
        if type is not None:
            _check_text(type, "type")
            types = [t for t in types if t == type]
        outbox = metadata.tables["core_outbox_event"]
        subjects = select(
            sa.case(
                (col(DocumentRow.direction) == "outgoing", sa.literal("outgoing_document/")),
                else_=sa.literal("incoming_document/"),
            )
            + sa.cast(col(DocumentRow.id), sa.String)
        ).where(col(DocumentRow.org) == org)
        query = (
            sa.select(outbox)
            .where(outbox.c.type.in_(types), outbox.c.subject.in_(subjects))
            .order_by(outbox.c.position)
        )
        with Session(self.engine) as session:
            rows = session.execute(query).mappings().all()
        return [
            CloudEvent.model_validate(
                {
                    "specversion": "1.0",
                    "id": r["id"],
                    "source": r["source"],
                    "type": r["type"],
                    "time": r["time"],
                    "subject": r["subject"],
                    "datacontenttype": r["datacontenttype"],
                    "dataschema": r["dataschema"],
                    "data": r["data"],
                    **(r["extensions"] or {}),
                }
            )
            for r in rows
        ]


def _file_info(f: DocumentFileRow) -> FileInfo:
    return FileInfo(
        id=int(f.id or 0),
        document_id=f.document_id,
        role=f.role,
        name=f.name,
        media_type=f.media_type,
        size=f.size,
        sm3=f.sm3,
        sha256=f.sha256,
    )


_SUMMARY_COLUMNS = "d.id, d.direction, d.state, d.doc_type, d.title, d.document_number, d.secrecy"
_ASCII_LOWER_SQL = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'"
_PG_TEXT = "(strpos(d.title, :needle) > 0 OR strpos(d.body, :needle) > 0)"
"""PostgreSQL: ``needle`` (without ASCII letters) in the title or body: the match itself."""
_PG_TEXT_FOLDED = (
    f"(strpos(translate(d.title, {_ASCII_LOWER_SQL}), :needle) > 0"
    f" OR strpos(translate(d.body, {_ASCII_LOWER_SQL}), :needle) > 0)"
)
"""PostgreSQL: ``needle`` (folded) in the title or body, ASCII letters folded as
:func:`._search.fold` does."""
_SQLITE_SEARCH = (
    f"SELECT {_SUMMARY_COLUMNS} FROM archives_document_fts "
    "JOIN archives_document AS d ON d.id = archives_document_fts.rowid "
    "WHERE archives_document_fts MATCH :match AND d.org = :org AND d.secrecy_rank <= :clearance "
    "ORDER BY archives_document_fts.rowid DESC LIMIT :limit"
)
"""SQLite: FTS5 walks the matches from the newest down and the limit stops the walk. The query is
exact (a unigram, a bigram or the phrase of the bigrams) and the organisation and clearance are
index tokens too; the join's own test of both is a second guard."""
_PG_WINDOW = 1000
"""How many of the organisation's newest documents PostgreSQL reads first, row by row."""
_PG_LOW = (
    "(SELECT min(w.id) FROM (SELECT id FROM archives_document_fts WHERE org = :org "
    "ORDER BY id DESC LIMIT :window) AS w)"
)
_PG_SEARCH_NEWEST = (
    "SELECT d.id, d.direction, d.state, d.doc_type, d.title, d.document_number, d.secrecy FROM ("
    "SELECT id, direction, state, doc_type, title, body, document_number, secrecy, secrecy_rank "
    "FROM archives_document WHERE org = :org ORDER BY id DESC LIMIT :window) AS d "
    "WHERE d.secrecy_rank <= :clearance AND {text} ORDER BY d.id DESC LIMIT :limit"
)
"""PostgreSQL, first: the organisation's newest documents, the text itself tested, read from the
newest down until the limit is filled (at most the window). A GIN index yields its matches
unordered, so that ``ORDER BY id DESC LIMIT`` over it reads every match of a common word; a word
common enough fills the limit here instead."""
_PG_SEARCH_OLDER = (
    "WITH m AS MATERIALIZED (SELECT id, org, secrecy_rank FROM archives_document_fts "
    "WHERE terms @> CAST(:terms AS TEXT[])) "
    f"SELECT {_SUMMARY_COLUMNS} FROM (SELECT m.id FROM m WHERE m.org = :org "
    f"AND m.secrecy_rank <= :clearance AND m.id < {_PG_LOW} AND m.id <> ALL(CAST(:seen AS BIGINT[])) "
    "ORDER BY m.id DESC) AS s "
    "JOIN archives_document AS d ON d.id = s.id WHERE true{check} ORDER BY s.id DESC LIMIT :limit"
)
"""PostgreSQL, then, only when the window did not fill the limit: the older matches, from the GIN
index (a word this rare among the newest documents has few), newest first, each document read (and,
for three or more characters, its text confirmed) only until the limit is filled; never one the
first statement returned (documents registered in between move the window). It runs in a
transaction of its own with sequential scans off, so that the index is used."""


def _summary(r: DocumentRow | sa.Row[Any]) -> DocumentSummary:
    """The summary of a stored document, from its ORM row or a row of the search query."""
    return DocumentSummary(
        id=int(r.id or 0),
        direction=r.direction,
        state=r.state,
        doc_type=r.doc_type,
        title=r.title,
        document_number=r.document_number,
        secrecy=r.secrecy,
    )


def _item(r: ArchivalItemRow) -> ArchivalItem:
    return ArchivalItem(
        id=int(r.id or 0),
        document_id=r.document_id,
        archival_code=r.archival_code,
        fonds=r.fonds,
        category=r.category,
        year=r.year,
        retention=r.retention,
        organisation=r.organisation,
        item_number=r.item_number,
        title=r.title,
        state=r.state,
        expires_on=r.expires_on,
        legal_hold=r.legal_hold,
    )


def _dat46(
    item: ArchivalItemRow,
    doc: DocumentRow,
    files: Sequence[tuple[str, bytes]],
    media_types: Mapping[str, str],
) -> dict[str, Any]:
    """Descriptive metadata grouped by the element groups of DA/T 46-2009 (文书类电子文件元数据方案).

    件数 and the computer files are what the package holds for the item, so they always agree.
    """
    return {
        "聚合层次": "件",
        "来源": {
            "fonds": item.fonds,
            "立档单位名称": doc.issuing_organ if doc.direction == "outgoing" else None,
        },
        "电子文件号": f"{item.archival_code}",
        "档号": {
            "archival_code": item.archival_code,
            "全宗号": item.fonds,
            "年度": item.year,
            "保管期限": item.retention,
            "机构或问题": item.organisation,
            "件号": item.item_number,
            "门类": item.category,
        },
        "内容描述": {
            "题名": doc.title,
            "文件编号": doc.document_number,
            "责任者": doc.issuing_organ,
            "日期": (doc.written_on or (doc.received_at or doc.created_at).date()).isoformat(),
            "文种": doc.doc_type,
            "紧急程度": doc.urgency,
            "主送": doc.main_recipients,
            "抄送": doc.copy_to,
            "密级": doc.secrecy,
            "保密期限": doc.secrecy_period_years,
            "附注": doc.notes,
        },
        "形式特征": {"文件组合类型": "单件", "件数": len(files)},
        "存储位置": {"在线存址": item_folder(item.archival_code)},
        "权限管理": {"控制标识": doc.secrecy or "非密"},
        "计算机文件": [
            {
                "计算机文件名": name,
                "计算机文件大小": len(content),
                "格式信息": media_types.get(name, "text/plain; charset=utf-8"),
                "数字摘要": fixity(content),
            }
            for name, content in files
        ],
    }


def _dat46_signature(signed: DocumentSignature, verified: bool, at: datetime) -> dict[str, Any]:
    """The 电子签名 (electronic signature) element group of DA/T 46-2009 for a signed document.

    签名规则 names the canonical content form, 签名结果 is the DER signature in base64, 证书 the
    signer's public key (there is no certificate: the key is known from the trust file), 证书引证 its
    key id, 签名算法标识 the algorithm and its object identifier (GB/T 33560-2017: SM2 with SM3,
    1.2.156.10197.1.501); 验证结果 records the verification made at export.
    """
    return {
        "签名规则": signed.content_format,
        "签名时间": signed.signed_at.isoformat(),
        "签名人": signed.signed_by,
        "签名结果": signed.value,
        "证书": signed.public_key,
        "证书引证": signed.key_id,
        "签名算法标识": f"{signed.algorithm} (1.2.156.10197.1.501)",
        "签名标识符": signed.distid,
        "验证结果": {"verified": verified, "verified_at": at.isoformat()},
    }


@cache
def _template() -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="govparts-archives-template-"))
    engine = create_engine(f"sqlite:///{folder / 'template.db'}")
    metadata.create_all(engine)
    engine.dispose()  # the last connection to close checkpoints the write-ahead log into the file
    data = (folder / "template.db").read_bytes()
    shutil.rmtree(folder, ignore_errors=True)
    return data


def fresh_sqlite_engine() -> Engine:
    """An engine on a new SQLite database (in a temporary folder) with every table created.

    The schema is created once per process and copied, so that conformance runs, which make a
    fresh service for every check, stay fast.
    """
    folder = Path(tempfile.mkdtemp(prefix="govparts-archives-"))
    (folder / "archives.db").write_bytes(_template())
    return create_engine(f"sqlite:///{folder / 'archives.db'}")


def reference_factory() -> ReferenceService:
    """A working reference service on a fresh SQLite database in a temporary folder.

    The service is a context manager: leaving it removes the folder (the conformance kit does so
    after each check).
    """
    engine = fresh_sqlite_engine()
    service = ReferenceService(engine)
    service.owned_folder = Path(str(engine.url.database)).parent
    return service
