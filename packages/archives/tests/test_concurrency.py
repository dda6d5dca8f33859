"""Document numbers under real concurrent sessions on PostgreSQL: sequential, unique, gap-free."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from govparts.archives.models import DocumentDraft
from govparts.archives.service import ReferenceService
from govparts.core.errors import GovPartsError
from govparts.core.security import Actor

from .conftest import take_step

WORKERS = 12
ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""


@pytest.mark.postgresql
def test_allocates_gap_free_numbers_concurrently(
    service: ReferenceService, make_draft: Callable[..., DocumentDraft], staff: dict[str, Actor]
) -> None:
    """Twelve registrars numbering at once get serials 1–12, each once (GB/T 9704-2012 7.2.5)."""
    ready = []
    for _ in range(WORKERS):
        doc = service.draft_outgoing(staff["drafter"], ORG, make_draft(organ_code="新政发"))
        for who, step in (
            ("drafter", "submit"),
            ("reviewer", "approve_review"),
            ("signer", "sign_off"),
            ("checker", "pass_check"),
        ):
            take_step(service, staff[who], doc.id, step)
        ready.append(doc.id)
    # One more document, not ready: its refused registration must take no number.
    early = service.draft_outgoing(staff["drafter"], ORG, make_draft(organ_code="新政发"))
    barrier = threading.Barrier(WORKERS + 1)
    numbers: dict[int, str] = {}
    refused: list[GovPartsError] = []
    failures: list[BaseException] = []

    def register(document_id: int) -> None:
        barrier.wait()
        try:
            numbers[document_id] = str(
                service.assign_number(staff["registrar"], ORG, document_id).document_number
            )
        except GovPartsError as exc:
            refused.append(exc)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=register, args=(i,)) for i in [*ready, early.id]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(refused) == 1
    assert early.id not in numbers
    assert sorted(numbers.values(), key=lambda n: int(n[n.index("〕") + 1 : -1])) == [
        f"新政发〔2026〕{serial}号" for serial in range(1, WORKERS + 1)
    ]
    issued = service.issued_numbers(staff["registrar"], ORG, "新政发", 2026)
    assert [n.serial for n in issued] == list(range(1, WORKERS + 1))
    assert {n.document_id for n in issued} == set(ready)


@pytest.mark.postgresql
def test_numbers_items_gap_free_concurrently(
    service: ReferenceService, issue: Callable[..., object], staff: dict[str, Actor]
) -> None:
    """Archivists filing at once get item numbers 0001–0008 within one class (DA/T 22-2015)."""
    docs = [issue(organisation="BGS").id for _ in range(8)]  # type: ignore[attr-defined]
    barrier = threading.Barrier(len(docs))
    codes: list[str] = []
    failures: list[BaseException] = []

    def file(document_id: int) -> None:
        barrier.wait()
        try:
            codes.append(
                service.file_document(staff["archivist"], ORG, document_id, retention="Y").archival_code
            )
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=file, args=(d,)) for d in docs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert sorted(codes) == [f"X001-WS·2026-Y-BGS-{n:04d}" for n in range(1, 9)]
