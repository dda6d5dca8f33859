"""Many offices in one database: a government body and a public institution keep their archives apart."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from govparts.archives.models import DocumentDraft
from govparts.archives.service import ReferenceService
from govparts.core.security import Actor

from .conftest import take_step

pytestmark = pytest.mark.db

BODY = "11650102MB00000013"
"""A government body (机关, GB 32100 category 11): the tests' ORG."""
INSTITUTION = "12653101MB0000002R"
"""A public institution (事业单位, category 12) in the same database."""

ROLES = (
    *("drafter", "reviewer", "signer", "checker", "registrar", "printer", "issuer", "archivist"),
    *("appraiser", "approver", "clerk", "secretary", "leader", "handler", "auditor"),
)

NOT_SCOPED = {"capabilities": "describes the implementation, no organisation's data"}
"""Protocol methods not scoped by organisation, with the reason."""


def _staff(org: str, *extra: str, id: str = "all") -> Actor:
    return Actor(
        id=f"{id}-{org[-4:]}",
        name="阿依努尔·热合曼",
        unit="BGS",
        roles=frozenset((*ROLES, *extra)),
        clearance="UM",
        org=org,
    )


def _draft(**changes: Any) -> DocumentDraft:
    values: dict[str, Any] = {
        "doc_type": "08",
        "title": "关于做好防汛工作的通知",
        "body": "各科室：现将防汛工作有关事项通知如下。",
        "issuing_organ": "某机关",
        "organ_code": "天政数发",
        "fonds": "Z031",
        "organisation": "BGS",
        "written_on": date(2010, 5, 1),
    }
    values.update(changes)
    return DocumentDraft(**values)


def _issue(service: ReferenceService, actor: Actor, org: str, **changes: Any) -> int:
    """Take a draft of ``org`` to issued, one member of its staff per step (separation of duties)."""
    doc = service.draft_outgoing(actor, org, _draft(**changes))
    for step, inputs in (
        ("submit", None),
        ("approve_review", {"opinion": "同意"}),
        ("sign_off", None),
        ("pass_check", None),
        ("register_and_number", None),
        ("print", {"copies": 2}),
        ("issue", None),
    ):
        take_step(service, actor if step == "submit" else _staff(org, id=step), doc.id, step, inputs, org=org)
    return doc.id


def test_sequences_are_per_organisation(service: ReferenceService, engine: Engine) -> None:
    """Numbers the same organ code and year 1, 2 in each organisation, and files both under …-0001."""
    a, b = _staff(BODY), _staff(INSTITUTION)
    first_a = _issue(service, a, BODY, written_on=date(2023, 4, 20))
    first_b = _issue(service, b, INSTITUTION, written_on=date(2023, 4, 20))
    second_a = _issue(service, a, BODY, written_on=date(2023, 4, 21))
    numbers = {
        org: [n.document_number for n in service.issued_numbers(actor, org, "天政数发", 2023)]
        for org, actor in ((BODY, a), (INSTITUTION, b))
    }
    assert numbers == {
        BODY: ["天政数发〔2023〕1号", "天政数发〔2023〕2号"],
        INSTITUTION: ["天政数发〔2023〕1号"],
    }
    codes = [
        service.file_document(a, BODY, first_a).archival_code,
        service.file_document(b, INSTITUTION, first_b).archival_code,
    ]
    assert codes == ["Z031-WS·2023-D30-BGS-0001"] * 2
    assert service.file_document(a, BODY, second_a).archival_code == "Z031-WS·2023-D30-BGS-0002"
    assert [d.id for d in service.list_documents(b, INSTITUTION)] == [first_b]
    assert [h.id for h in service.search(b, INSTITUTION, "防汛")] == [first_b]
    assert [e.archival_code for e in service.filing_catalogue(b, INSTITUTION, "Z031", 2023)] == [codes[1]]


def test_one_organisations_appraisal_leaves_the_other_alone(service: ReferenceService) -> None:
    """Destroys an item of the body; the institution's register stays empty and its item in custody."""
    a, b = _staff(BODY), _staff(INSTITUTION)
    item_a = service.file_document(a, BODY, _issue(service, a, BODY), retention="D10")
    item_b = service.file_document(b, INSTITUTION, _issue(service, b, INSTITUTION), retention="D10")
    assert [i.id for i in service.items_due_for_appraisal(b, INSTITUTION, date(2030, 1, 1))] == [item_b.id]
    approver = _staff(BODY, id="second")
    service.list_for_appraisal(a, BODY, item_a.id)
    service.propose_destruction(a, BODY, item_a.id)
    service.approve_destruction(approver, BODY, item_a.id)
    assert [e.archival_code for e in service.destruction_register(a, BODY)] == [item_a.archival_code]
    assert service.destruction_register(b, INSTITUTION) == []
    assert service.get_item(b, INSTITUTION, item_b.id).state == "in_custody"


def test_refuses_an_organisation_that_is_not_a_credit_code(service: ReferenceService) -> None:
    """Refuses a draft for an organisation named by anything but a valid credit code, naming ``org``."""
    from govparts.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        service.draft_outgoing(_staff(BODY), "11650102MB00000014", _draft())
    assert caught.value.field == "org"
