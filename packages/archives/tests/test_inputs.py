"""Text inputs refuse control characters (issue 15.7); items are filed under their own year (issue 18)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from govparts.archives.models import DocumentDraft, IncomingDraft
from govparts.archives.rules import filing_year
from govparts.archives.service import ReferenceService
from govparts.archives.tables import DocumentRow
from govparts.core.errors import InvalidInput
from govparts.core.security import Actor

from .conftest import take_step

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""


def _close(service: ReferenceService, document_id: int) -> None:
    """Take an incoming document from signed for to closed, one officer per step."""
    for role, step, inputs in (
        ("clerk", "register", None),
        ("clerk", "pass_review", None),
        ("secretary", "propose_handling", {"proposal": "拟请财务科办理"}),
        ("leader", "instruct", {"instruction": "同意"}),
        ("secretary", "assign", {"lead_unit": "财务科", "due_on": "2023-04-28"}),
        ("handler", "reply", {"reply": "已办理"}),
        ("handler", "close", None),
    ):
        actor = Actor(id=f"{role}-1", name="李娜", roles=frozenset({role}), org=ORG)
        take_step(service, actor, document_id, step, inputs)


def _documents(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.execute(sa.select(sa.func.count()).select_from(DocumentRow)).scalar_one())


@pytest.mark.parametrize("text", ["\x00", "防汛\x00", "a\x00b\x00c", "\x1b[2J", "\u202e防汛"])
def test_search_refuses_control_characters_naming_the_field(
    text: str, service: ReferenceService, staff: dict[str, Actor]
) -> None:
    """Refuses NUL, escapes and bidi overrides in the search text with InvalidInput on ``text``."""
    with pytest.raises(InvalidInput) as caught:
        service.search(staff["drafter"], ORG, text)
    assert caught.value.field == "text"
    assert text not in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("title", "通知\x00", "title"),
        ("body", "正文\x00", "body"),
        ("issuing_organ", "机关\u202e", "issuing_organ"),
        ("main_recipients", ["各科室", "局\x07"], "main_recipients[1]"),
    ],
)
def test_registration_refuses_control_characters_and_writes_nothing(  # noqa: PLR0917 - fixtures
    field: str,
    value: Any,
    named: str,
    service: ReferenceService,
    staff: dict[str, Actor],
    make_draft: Callable[..., DocumentDraft],
    engine: Engine,
) -> None:
    """Refuses a draft (even one built without validation) whose text holds controls, naming the field."""
    with pytest.raises(ValidationError):
        make_draft(**{field: value})
    draft = make_draft().model_copy(update={field: value})
    for call in (
        lambda: service.draft_outgoing(staff["drafter"], ORG, draft),
        lambda: service.register_issued(staff["registrar"], ORG, [make_draft(), draft]),
    ):
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.field.endswith(named)
    assert _documents(engine) == 0


def test_body_keeps_line_breaks_and_tabs(
    service: ReferenceService, staff: dict[str, Actor], make_draft: Callable[..., DocumentDraft]
) -> None:
    """Accepts a body of several lines with tabs: only controls that do harm are refused."""
    doc = service.draft_outgoing(staff["drafter"], ORG, make_draft(body="一、\t值班\n二、\t报告\r\n"))
    assert doc.body == "一、\t值班\n二、\t报告\r\n"


def test_incoming_and_transition_inputs_refuse_control_characters(
    service: ReferenceService, staff: dict[str, Actor], make_draft: Callable[..., DocumentDraft]
) -> None:
    """Refuses controls in an incoming document's sender and in a transition's opinion, naming each."""
    incoming = IncomingDraft(doc_type="11", title="请示", sender="中心", fonds="X001")
    with pytest.raises(InvalidInput) as caught:
        service.receive_incoming(staff["clerk"], ORG, incoming.model_copy(update={"sender": "中\x00心"}))
    assert caught.value.field == "sender"
    doc = service.draft_outgoing(staff["drafter"], ORG, make_draft())
    service.submit(staff["drafter"], ORG, doc.id)
    with pytest.raises(InvalidInput) as caught:
        service.approve_review(staff["reviewer"], ORG, doc.id, opinion="同意\x00")
    assert caught.value.field == "opinion"
    assert service.get_document(staff["drafter"], ORG, doc.id).state == "reviewing"


def test_filing_year_is_the_documents_own() -> None:
    """Takes the date of writing, else the number's year, else the receipt's; never today's year."""
    from datetime import UTC, datetime

    received = datetime(2026, 1, 5, tzinfo=UTC)
    assert filing_year(date(2023, 4, 20), "天政服发〔2022〕7号", received) == 2023
    assert filing_year(None, "天政服发〔2023〕7号", received) == 2023
    assert filing_year(None, None, received) == 2026
    with pytest.raises(InvalidInput):
        filing_year(None, None, None)


def test_files_an_april_2023_request_under_2023_with_its_body(
    service: ReferenceService, staff: dict[str, Actor], tmp_path: Path
) -> None:
    """Files an incoming request of April 2023 under 2023 and archives its text body (件数 1)."""
    doc = service.receive_incoming(
        staff["clerk"],
        ORG,
        IncomingDraft(
            doc_type="11",
            title="关于申请自助终端维护经费的请示",
            body="请予批准。",
            sender="某政务服务中心",
            document_number="天政服发（2023）第7号",
            written_on=date(2023, 4, 3),
            fonds="X001",
            organisation="BGS",
        ),
    )
    _close(service, doc.id)
    item = service.file_document(staff["archivist"], ORG, doc.id)
    assert item.year == 2023
    assert "·2023-" in item.archival_code
    bag = service.export_package(staff["archivist"], ORG, [item.id], tmp_path / "bag")
    (metadata,) = [json.loads(p.read_text("utf-8")) for p in bag.rglob("metadata.json")]
    assert metadata["形式特征"]["件数"] == len(metadata["计算机文件"]) == 1
    (stored,) = [p for p in (bag / "data").rglob("body-text.txt")]
    assert stored.read_text("utf-8") == "请予批准。"
    assert metadata["计算机文件"][0]["计算机文件大小"] == len("请予批准。".encode())


def test_files_an_incoming_document_without_a_date_under_its_numbers_year(
    service: ReferenceService, staff: dict[str, Actor]
) -> None:
    """Files an undated incoming document under the year of its document number, not today's."""
    doc = service.receive_incoming(
        staff["clerk"],
        ORG,
        IncomingDraft(
            doc_type="14", title="函", sender="某局", document_number="某发〔2021〕3号", fonds="X001"
        ),
    )
    _close(service, doc.id)
    item = service.file_document(staff["archivist"], ORG, doc.id)
    assert item.year == 2021
