"""Events the archives part emits: ``document.issued`` and ``document.filed``. It consumes none."""

from __future__ import annotations

from pydantic import BaseModel

from govparts.core import events

__all__ = ["DOCUMENT_FILED", "DOCUMENT_ISSUED", "EVENT_TYPES", "DocumentFiled", "DocumentIssued"]


class DocumentIssued(BaseModel):
    """An outgoing document was issued (核发). The title is left out of classified documents."""

    document_id: str
    document_number: str
    doc_type: str
    issuing_organ: str
    title: str | None
    secrecy: str | None


class DocumentFiled(BaseModel):
    """A document was filed as an item (件) under its archival code (DA/T 22-2015)."""

    document_id: str
    direction: str
    archival_code: str
    retention: str
    fonds: str
    year: int


DOCUMENT_ISSUED = events.EventType(
    "cn.govparts.archives.document.issued.v1",
    DocumentIssued,
    {
        "zh_Hans_CN": "公文已核发",
        "en": "An official document was issued",
        "ug_CN": "رەسمىي ھۆججەت تارقىتىلدى",
    },
)
DOCUMENT_FILED = events.EventType(
    "cn.govparts.archives.document.filed.v1",
    DocumentFiled,
    {
        "zh_Hans_CN": "公文已归档",
        "en": "An official document was filed",
        "ug_CN": "رەسمىي ھۆججەت ئارخىپقا ئېلىندى",
    },
)
EVENT_TYPES: tuple[events.EventType, ...] = (DOCUMENT_ISSUED, DOCUMENT_FILED)

events.register(*EVENT_TYPES)
