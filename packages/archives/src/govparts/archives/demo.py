"""A small realistic scenario: a notice from drafting to a validated BagIt package (``Part.demo``)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.security import Actor

from .models import DocumentDraft
from .service import ReferenceService

__all__ = ["demo"]


def _staff(id: str, name: str, role: str) -> Actor:
    return Actor(id=id, name=name, unit="650100-bgs", roles=frozenset({role}), clearance="JM")


def demo(engine: Engine, directory: Path | None = None) -> dict[str, Any]:
    """Draft, review, sign, check, number, print, issue and file a notice, then export and re-import it.

    The engine's database must have the archives tables. Returns checked figures: the document
    number, the archival code, the bag's algorithms and file count, search hits and the audit verdict.
    """
    service = ReferenceService(engine)
    people = {
        "drafter": _staff("demo-d", "古丽米拉·阿不都", "drafter"),
        "reviewer": _staff("demo-r", "王建国", "reviewer"),
        "signer": _staff("demo-s", "艾尔肯·吐尔逊", "signer"),
        "checker": _staff("demo-c", "李娜", "checker"),
        "registrar": _staff("demo-g", "买买提·依明", "registrar"),
        "printer": _staff("demo-p", "张伟", "printer"),
        "issuer": _staff("demo-i", "阿依努尔·热合曼", "issuer"),
        "archivist": _staff("demo-a", "刘洋", "archivist"),
    }
    draft = DocumentDraft(
        doc_type="08",
        title="关于做好2026年档案安全检查工作的通知",
        body="各地州市档案馆：为切实做好档案安全工作，现就开展2026年档案安全检查有关事项通知如下。",
        issuing_organ="新疆维吾尔自治区档案局",
        organ_code="新档发",
        fonds="X002",
        organisation="BGS",
        main_recipients=["各地州市档案馆"],
        copy_to=["国家档案局"],
        attachment_notes=["1．档案安全检查表"],
        written_on=date(2026, 3, 2),
        printing_organ="新疆维吾尔自治区档案局办公室",
    )
    doc = service.draft_outgoing(people["drafter"], draft)
    service.attach_file(
        people["drafter"], doc.id, "正文.txt", draft.body.encode(), role="body", media_type="text/plain"
    )
    service.attach_file(
        people["drafter"],
        doc.id,
        "档案安全检查表.csv",
        "项目,结果\n库房温湿度,合格\n".encode(),
        role="attachment",
        media_type="text/csv",
    )
    steps = [
        ("drafter", "submit", None),
        ("reviewer", "approve_review", {"opinion": "同意"}),
        ("signer", "sign_off", {"opinion": "同意印发"}),
        ("checker", "pass_check", None),
        ("registrar", "register_and_number", None),
        ("printer", "print", {"copies": 40}),
        ("issuer", "issue", None),
    ]
    states = []
    for role, transition, inputs in steps:
        doc = service.act(people[role], doc.id, transition, inputs)
        states.append(doc.state)
    item = service.file_document(people["archivist"], doc.id)
    folder = directory or Path(tempfile.mkdtemp(prefix="govparts-archives-demo-"))
    bag = service.export_package(people["archivist"], [item.id], folder / f"bag-{item.id}")
    receipt = service.import_package(people["archivist"], bag)
    return {
        "document_number": doc.document_number,
        "states": states,
        "archival_code": item.archival_code,
        "retention": item.retention,
        "bag": str(bag),
        "bag_algorithms": receipt.algorithms,
        "bag_files": receipt.files,
        "search_hits": len(service.search(people["reviewer"], "档案安全")),
        "audit_ok": audit.verify(engine).ok,
    }
