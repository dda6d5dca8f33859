"""Published models of the archives part: what crosses a system boundary.

Element names follow 党政机关公文处理工作条例 Art. 9 and GB/T 9704-2012 §7 (版头, 主体, 版记);
archival ones DA/T 22-2015 and the element groups of DA/T 46-2009.
"""

from __future__ import annotations

import datetime as _dt
from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from govparts.core.text import Text, TextLine

__all__ = [
    "AccessRecord",
    "ArchivalItem",
    "CatalogueEntry",
    "CatalogueRecord",
    "DestructionEntry",
    "Document",
    "DocumentDraft",
    "DocumentSignature",
    "DocumentSummary",
    "FileInfo",
    "IncomingDraft",
    "IssuedNumber",
    "MODELS",
    "PackageReceipt",
]

MODEL_VERSION = "1.0"


class DocumentDraft(BaseModel):
    """A new outgoing document (发文) as the drafter writes it (GB/T 9704-2012 §7 elements)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"x-govparts-id": "archives.DocumentDraft/1.0"}
    )

    doc_type: TextLine = Field(description="公文种类, a code of 党政机关公文处理工作条例 公文种类 (Art. 8)")
    title: TextLine = Field(min_length=1, max_length=500, description="标题")
    body: Text = Field(default="", description="正文 (text form; the body file is attached separately)")
    issuing_organ: TextLine = Field(min_length=1, max_length=200, description="发文机关")
    organ_code: TextLine = Field(min_length=1, max_length=20, description="发文机关代字, e.g. 新政发")
    fonds: TextLine = Field(min_length=4, max_length=4, description="全宗号 of the organ (DA/T 22-2015)")
    organisation: TextLine | None = Field(default=None, max_length=10, description="机构(问题)代码, e.g. BGS")
    copy_number: TextLine | None = Field(default=None, max_length=20, description="份号")
    secrecy: TextLine | None = Field(default=None, description="密级: MM/JM/UM or 秘密/机密/绝密")
    secrecy_period_years: int | None = Field(default=None, ge=1, le=30, description="保密期限 in years")
    urgency: TextLine | None = Field(default=None, description="紧急程度: JJ 加急 or TJ 特急")
    main_recipients: list[TextLine] = Field(default_factory=list, description="主送机关")
    copy_to: list[TextLine] = Field(default_factory=list, description="抄送机关")
    attachment_notes: list[TextLine] = Field(default_factory=list, description="附件说明")
    signature_organ: TextLine | None = Field(default=None, max_length=200, description="发文机关署名")
    written_on: date | None = Field(default=None, description="成文日期")
    notes: Text | None = Field(default=None, max_length=1000, description="附注")
    printing_organ: TextLine | None = Field(default=None, max_length=200, description="印发机关")


class IncomingDraft(BaseModel):
    """An incoming document (收文) as signed for (签收)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"x-govparts-id": "archives.IncomingDraft/1.0"}
    )

    doc_type: TextLine
    title: TextLine = Field(min_length=1, max_length=500)
    body: Text = ""
    sender: TextLine = Field(min_length=1, max_length=200, description="来文机关")
    document_number: TextLine | None = Field(default=None, description="the sender's 发文字号 (normalised)")
    secrecy: TextLine | None = None
    secrecy_period_years: int | None = Field(default=None, ge=1, le=30)
    urgency: TextLine | None = None
    fonds: TextLine = Field(min_length=4, max_length=4)
    organisation: TextLine | None = Field(default=None, max_length=10)
    written_on: date | None = Field(
        default=None, description="成文日期 of the sender's document (files the item under its year)"
    )


class FileInfo(BaseModel):
    """A stored file of a document and its fixity digests (SM3 per GB/T 32905-2016, SHA-256)."""

    id: int
    document_id: int
    role: Literal["body", "attachment", "final_draft"]
    name: str
    media_type: str
    size: int
    sm3: str | None
    sha256: str


class DocumentSignature(BaseModel):
    """The issuing organ's electronic signature of an issued document (SM2 with SM3, GB/T 32918.2-2016).

    ``value`` is the DER signature, in base64, of the document's canonical content
    (:func:`govparts.archives.signature.canonical_content`: 发文字号, 标题, 发文机关, 成文日期 and the SM3
    of the 正文 as UTF-8 JSON with sorted keys), made with ``distid`` as the distinguishing
    identifier. ``public_key`` is the signer's SubjectPublicKeyInfo PEM and ``key_id`` the SM3 of its
    DER, as trust files list keys (:mod:`govparts.core.signing`).
    """

    algorithm: Literal["sm2-sm3"] = Field(description="signature algorithm: SM2 with SM3 (GB/T 32918.2-2016)")
    content_format: str = Field(description="the canonical content form signed, with its version")
    key_id: str = Field(description="SM3 of the signer's DER SubjectPublicKeyInfo, hexadecimal")
    public_key: str = Field(description="the signer's public key, SubjectPublicKeyInfo PEM")
    distid: str = Field(description="SM2 distinguishing identifier (GB/T 35276-2017 10.3)")
    value: str = Field(description="the DER signature, base64")
    signed_by: str = Field(description="the actor who issued the document and so applied the signature")
    signed_at: datetime = Field(description="when the signature was made (UTC)")


class Document(BaseModel):
    """An official document with its elements and where it stands in its process.

    ``signature`` is the issuing organ's SM2 signature, made when the document is issued by an
    implementation configured with a signer for its organisation; ``None`` otherwise.
    """

    id: int
    direction: Literal["outgoing", "incoming"]
    state: str
    version: int
    doc_type: str
    title: str
    body: str
    issuing_organ: str
    document_number: str | None
    copy_number: str | None
    secrecy: str | None
    secrecy_period_years: int | None
    classified_on: date | None
    urgency: str | None
    signer: str | None
    main_recipients: list[str]
    copy_to: list[str]
    attachment_notes: list[str]
    signature_organ: str | None
    written_on: date | None
    sealed: bool
    notes: str | None
    printing_organ: str | None
    printed_on: date | None
    copies: int | None
    sender: str | None
    received_at: datetime | None
    lead_unit: str | None
    assisting_units: list[str]
    due_on: date | None
    reply: str | None
    return_reason: str | None
    files: list[FileInfo] = []
    signature: DocumentSignature | None = None


class DocumentSummary(BaseModel):
    """A line of a listing or a search hit (only documents the actor may read appear)."""

    id: int
    direction: str
    state: str
    doc_type: str
    title: str
    document_number: str | None
    secrecy: str | None


class IssuedNumber(BaseModel):
    """A document number as allocated: ``allocated`` or ``voided`` (a voided number is never reused)."""

    document_number: str
    organ_code: str
    year: int
    serial: int
    document_id: int
    status: Literal["allocated", "voided"]
    void_reason: str | None


class ArchivalItem(BaseModel):
    """An item (件) of records under its archival code (DA/T 22-2015)."""

    id: int
    document_id: int
    archival_code: str
    fonds: str
    category: str
    year: int
    retention: str
    organisation: str | None
    item_number: int
    title: str
    state: str
    expires_on: date | None
    legal_hold: bool


class CatalogueEntry(BaseModel):
    """A row of the filing catalogue (归档文件目录, DA/T 22-2015).

    Columns: 序号, 档号, 文号, 责任者, 题名, 日期, 密级, 备注.
    """

    item_number: int
    archival_code: str
    document_number: str | None
    responsible: str
    title: str
    date: date | None
    secrecy: str | None
    retention: str
    notes: str | None


class CatalogueRecord(BaseModel):
    """An item of an archival catalogue as exchanged (目录数据交换): DA/T 22-2015 §8 catalogue columns.

    What a filing unit (立档单位) sends a repository through the regional data exchange centre, and
    what ``govparts exchange export --part archives`` writes: one record per filed item of an
    organisation (``org``; a database holds many), under its archival code
    (档号: 全宗号-门类代码·年度-保管期限-机构代码-件号). A classified document's title
    is withheld (an empty ``title``): catalogues travel at the public level.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={"x-govparts-id": "archives.CatalogueRecord/1.0"},
    )

    standard_id: ClassVar[str] = "govparts.archives.CatalogueRecord"
    standard_version: ClassVar[str] = "1.0"

    org: TextLine | None = Field(
        default=None,
        min_length=18,
        max_length=18,
        description="立档单位: the unified social credit code (GB 32100-2015) of the filing organisation",
    )
    archival_code: TextLine = Field(min_length=1, max_length=60, description="档号 (DA/T 22-2015 §6)")
    fonds: TextLine = Field(min_length=4, max_length=4, description="全宗号")
    category: TextLine = Field(min_length=1, max_length=2, description="门类代码, WS for 文书")
    year: int = Field(ge=1000, le=9999, description="年度")
    retention: TextLine = Field(min_length=1, max_length=3, description="保管期限: Y (永久), D30, D10")
    organisation: TextLine | None = Field(default=None, max_length=10, description="机构(问题)代码")
    item_number: int = Field(ge=1, description="件号")
    document_number: TextLine | None = Field(default=None, max_length=60, description="文号")
    responsible: TextLine = Field(max_length=200, description="责任者")
    title: TextLine = Field(max_length=500, description="题名 (empty when withheld)")
    date: _dt.date | None = Field(default=None, description="日期")
    secrecy: TextLine | None = Field(default=None, max_length=2, description="密级")
    notes: Text | None = Field(default=None, max_length=1000, description="备注")


class DestructionEntry(BaseModel):
    """A row of the destruction register (销毁清册).

    The title of an item above the reader's clearance is withheld: ``title`` is empty and
    ``withheld`` true, the row itself kept so the register's count stays whole.
    """

    archival_code: str
    title: str = Field(description="题名 (empty when withheld)")
    withheld: bool = Field(default=False, description="the title is above the reader's clearance")
    retention: str
    proposed_by: str
    approved_by: str
    destroyed_at: datetime


class AccessRecord(BaseModel):
    """A recorded read of a document (allowed or refused), as an auditor sees it."""

    actor_id: str
    action: str
    allowed: bool
    at: datetime


class PackageReceipt(BaseModel):
    """An archival package accepted after its BagIt validity and SM3/SHA-256 fixity were verified."""

    bag_name: str
    archival_codes: list[str]
    files: int
    payload_oxum: str
    algorithms: list[str]
    signed_items: list[str] = Field(
        default_factory=list,
        description="archival codes of the items whose document signature verified from the package",
    )


MODELS: tuple[type[BaseModel], ...] = (
    AccessRecord,
    DocumentDraft,
    IncomingDraft,
    FileInfo,
    DocumentSignature,
    Document,
    DocumentSummary,
    IssuedNumber,
    ArchivalItem,
    CatalogueEntry,
    CatalogueRecord,
    DestructionEntry,
    PackageReceipt,
)
"""Every published model of the part (``Part.models``)."""
