"""Fixtures of the archives tests: actors with the roles of each step, a service on the test's database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

import govparts.archives.tables  # noqa: F401 - registers the tables before the engine fixture creates them
from govparts.archives.models import Document, DocumentDraft
from govparts.archives.service import ArchivesService, ReferenceService
from govparts.core.security import Actor

ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""


def actor(id: str, *roles: str, clearance: str | None = "UM", org: str | None = ORG) -> Actor:
    """A synthetic member of staff of :data:`ORG` (or of ``org``)."""
    return Actor(
        id=id, name=f"艾力·{id}", unit="650100-bgs", roles=frozenset(roles), clearance=clearance, org=org
    )


STAFF = {
    "drafter": actor("d-1", "drafter"),
    "reviewer": actor("r-1", "reviewer"),
    "signer": actor("s-1", "signer"),
    "checker": actor("c-1", "checker"),
    "registrar": actor("g-1", "registrar"),
    "printer": actor("p-1", "printer"),
    "issuer": actor("i-1", "issuer"),
    "archivist": actor("a-1", "archivist"),
    "clerk": actor("k-1", "clerk"),
}


def _draft(**changes: Any) -> DocumentDraft:
    """An outgoing draft of the Xinjiang general office (synthetic)."""
    values: dict[str, Any] = {
        "doc_type": "08",
        "title": "关于做好2026年春节期间值班工作的通知",
        "body": "各地州市人民政府，自治区人民政府各部门：为做好春节期间值班工作，现通知如下。",
        "issuing_organ": "新疆维吾尔自治区人民政府办公厅",
        "organ_code": "新政办发",
        "fonds": "X001",
        "organisation": "BGS",
        "written_on": date(2026, 1, 20),
    }
    values.update(changes)
    return DocumentDraft(**values)


def take_step(
    service: ArchivesService,
    actor: Actor,
    document_id: int,
    step: str,
    inputs: dict[str, Any] | None = None,
    *,
    org: str = ORG,
) -> Any:
    """Call the Protocol method of a process step by the step's name (tests that loop over steps)."""
    given = dict(inputs or {})
    if "due_on" in given and isinstance(given["due_on"], str):
        given["due_on"] = date.fromisoformat(given["due_on"])
    documents: dict[str, Callable[..., Any]] = {
        "submit": service.submit,
        "approve_review": service.approve_review,
        "sign_off": service.sign_off,
        "pass_check": service.pass_check,
        "register_and_number": service.assign_number,
        "print": service.print_copies,
        "issue": service.issue,
        "withdraw": service.withdraw,
        "register": service.register_incoming,
        "pass_review": service.pass_review,
        "propose_handling": service.propose_handling,
        "instruct": service.instruct,
        "assign": service.assign_handling,
        "circulate": service.circulate,
        "reply": service.reply,
        "close": service.close_handling,
        "file": service.file_document,
        "list_for_appraisal": service.list_for_appraisal,
        "keep": service.keep_longer,
        "propose_destruction": service.propose_destruction,
        "approve_destruction": service.approve_destruction,
    }
    return documents[step](actor, org, document_id, **given)


@pytest.fixture
def staff() -> dict[str, Actor]:
    """One member of staff per role, each cleared for 绝密."""
    return STAFF


@pytest.fixture
def make_actor() -> Callable[..., Actor]:
    """Make a synthetic actor: ``make_actor(id, *roles, clearance=...)``."""
    return actor


@pytest.fixture
def make_draft() -> Callable[..., DocumentDraft]:
    """Make an outgoing draft, with keyword changes to the defaults."""
    return _draft


@pytest.fixture
def service(engine: Engine) -> ReferenceService:
    """The reference service on this test's database (SQLite or PostgreSQL)."""
    return ReferenceService(engine)


@pytest.fixture
def issue(service: ReferenceService) -> Callable[..., Document]:
    """Take a new draft all the way to issued."""

    def run(files: tuple[tuple[str, bytes, str], ...] = (), **changes: Any) -> Document:
        doc = service.draft_outgoing(STAFF["drafter"], ORG, _draft(**changes))
        for name, content, role in files:
            service.attach_file(
                STAFF["drafter"], ORG, doc.id, name, content, role=role, media_type="text/plain"
            )
        steps = [
            ("drafter", "submit", None),
            ("reviewer", "approve_review", None),
            ("signer", "sign_off", None),
            ("checker", "pass_check", None),
            ("registrar", "register_and_number", None),
            ("printer", "print", {"copies": 30}),
            ("issuer", "issue", None),
        ]
        for role, transition, inputs in steps:
            doc = take_step(service, STAFF[role], doc.id, transition, inputs)
        return doc

    return run
