"""The archives part's phases of ``govparts demo`` (see :mod:`govparts.core.demo`).

- ``operate``: an outgoing notice of the office (a 通知 on duty over the 劳动节 holiday) is drafted,
  reviewed, signed, checked, numbered (GB/T 9704-2012 §7.2.5: 代字〔年份〕序号), printed and issued
  with the office's SM2 signature (a key pair made for the run, GB/T 32918.2-2016); a
  refusal of separation of duties is checked on the way; an incoming request (请示) is signed for,
  registered, reviewed, proposed, instructed, assigned, replied to and closed;
- ``close``: both are filed as items under their archival codes (DA/T 22-2015), and the items are
  exported as a BagIt archival package whose SM3 and SHA-256 fixity is verified on acceptance; a
  tampered copy of the package is refused;
- ``report``: the document register and the issued numbers.

People come from the office's staff when personnel has published them (``ctx.facts``); otherwise
invented officers stand in. All people and texts are synthetic.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from govparts.core.demo import MANAGERS, PEOPLE, DemoContext
from govparts.core.errors import GovPartsError, PermissionDenied
from govparts.core.refs import PersonRef
from govparts.core.security import Actor
from govparts.core.signing import generate_key

from .models import DocumentDraft, IncomingDraft
from .processes import INCOMING_DOCUMENT, OUTGOING_DOCUMENT
from .service import ReferenceService

__all__ = ["SCENARIO"]

FONDS = "Z031"
ORGAN_CODE = "天政数发"
ROLES = ("drafter", "reviewer", "signer", "checker", "registrar", "printer", "issuer", "archivist")
INCOMING_ROLES = ("clerk", "secretary", "leader", "handler")
_STANDINS = (
    "古丽米拉·阿不都",
    "王建国",
    "艾尔肯·吐尔逊",
    "李娜",
    "买买提·依明",
    "张伟",
    "阿依努尔·热合曼",
    "刘洋",
)


def _officers(ctx: DemoContext) -> dict[str, Actor]:
    """One officer per role of the office (``org``): its own staff when known (the head signs)."""
    people: list[PersonRef] = list(ctx.facts.get(PEOPLE, []))
    managers: dict[str, PersonRef] = dict(ctx.facts.get(MANAGERS, {}))
    head = managers.get("BGS")
    chosen: list[tuple[str, str]] = []
    pool = [p for p in people if head is None or p.person_id != head.person_id]
    for i, role in enumerate(ROLES + INCOMING_ROLES):
        if role in ("signer", "leader") and head is not None:
            chosen.append((head.person_id, head.name))
        elif pool:
            person = pool[(i * 3) % len(pool)]
            chosen.append((person.person_id, person.name))
        else:
            chosen.append((f"demo-{role}", _STANDINS[i % len(_STANDINS)]))
    return {
        role: Actor(
            id=pid, name=name, unit="BGS", roles=frozenset({role}), clearance="JM", org=ctx.office.credit_code
        )
        for role, (pid, name) in zip(ROLES + INCOMING_ROLES, chosen, strict=True)
    }


def _service(ctx: DemoContext) -> ReferenceService:
    service = ctx.facts.get("archives.service")
    if not isinstance(service, ReferenceService):
        # The office signs what it issues (issue 20): a key pair made for this run stands in for the
        # key a real office keeps; each signature carries its public key, so it verifies later.
        service = ReferenceService(ctx.engine, signers={ctx.office.credit_code: generate_key()})
        ctx.facts["archives.service"] = service
    return service


def operate(ctx: DemoContext) -> None:
    """Issue an outgoing notice and handle an incoming request to closure."""
    service, staff = _service(ctx), _officers(ctx)
    ctx.facts["archives.staff"] = staff
    organ = ctx.office.names["zh_Hans_CN"]
    draft = DocumentDraft(
        doc_type="08",
        title=f"{organ}关于做好{ctx.year}年劳动节期间值班工作的通知",
        body="各科室：为做好劳动节期间值班工作，确保政务服务不断档，现将有关事项通知如下。",
        issuing_organ=organ,
        organ_code=ORGAN_CODE,
        fonds=FONDS,
        organisation="BGS",
        main_recipients=["局属各科室"],
        copy_to=["区政务服务和数据管理领导小组办公室"],
        attachment_notes=["1．值班安排表"],
        written_on=date(ctx.year, ctx.month, 20),
        printing_organ=f"{organ}办公室",
    )
    org = ctx.office.credit_code
    doc = service.draft_outgoing(staff["drafter"], org, draft)
    service.attach_file(
        staff["drafter"], org, doc.id, "正文.txt", draft.body.encode(), role="body", media_type="text/plain"
    )
    service.attach_file(
        staff["drafter"],
        org,
        doc.id,
        "值班安排表.csv",
        "日期,值班人\n04-29,办公室\n04-30,信息中心\n".encode(),
        role="attachment",
        media_type="text/csv",
    )
    doc = service.submit(staff["drafter"], org, doc.id)
    # The drafter may not approve their own draft: the reviewer role is someone else's.
    try:
        service.approve_review(staff["drafter"], org, doc.id, "同意")
        refused = ""
    except PermissionDenied as err:
        refused = err.message(ctx.locale)
    ctx.check(
        (
            "拟稿人不能审核自己的文稿",
            "the drafter may not review their own draft",
            "لايىھىلىگۈچى ئۆز لايىھىسىنى تەكشۈرەلمەيدۇ",
        ),
        bool(refused) and service.get_document(staff["reviewer"], org, doc.id).state == "reviewing",
        refused,
    )
    states = []
    doc_id = doc.id
    outgoing_steps: list[Callable[[], Any]] = [
        lambda: service.approve_review(staff["reviewer"], org, doc_id, "同意"),
        lambda: service.sign_off(staff["signer"], org, doc_id, "同意印发"),
        lambda: service.pass_check(staff["checker"], org, doc_id),
        lambda: service.assign_number(staff["registrar"], org, doc_id),
        lambda: service.print_copies(staff["printer"], org, doc_id, 30),
        lambda: service.issue(staff["issuer"], org, doc_id),
    ]
    for step in outgoing_steps:
        doc = step()
        states.append(doc.state)
    ctx.facts["archives.outgoing"] = doc.id
    expected_number = f"{ORGAN_CODE}〔{ctx.year}〕1号"
    ctx.check(
        (
            "发文经审核、签发、复核、编号、印制后核发",
            "the notice is reviewed, signed, checked, numbered, printed and issued",
            "ئۇقتۇرۇش تەكشۈرۈلۈپ، ئىمزالىنىپ، نومۇرلىنىپ، بېسىلىپ تارقىتىلدى",
        ),
        doc.state == "issued" and doc.document_number == expected_number,
        f"{doc.document_number} · {' → '.join(states)}",
    )

    incoming = service.receive_incoming(
        staff["clerk"],
        org,
        IncomingDraft(
            doc_type="11",
            title="关于申请政务服务大厅自助终端维护经费的请示",
            body="请予批准。",
            sender="乌鲁木齐市天山区政务服务中心",
            document_number=f"天政服发（{ctx.year}）第7号",
            written_on=date(ctx.year, ctx.month, 10),
            fonds=FONDS,
            organisation="BGS",
        ),
    )
    number = incoming.id
    handling: list[Callable[[], Any]] = [
        lambda: service.register_incoming(staff["clerk"], org, number),
        lambda: service.pass_review(staff["clerk"], org, number),
        lambda: service.propose_handling(staff["secretary"], org, number, "拟请财务科办理"),
        lambda: service.instruct(staff["leader"], org, number, "同意，请财务科按预算办理"),
        lambda: service.assign_handling(
            staff["secretary"], org, number, "财务科", due_on=date(ctx.year, ctx.month, 28)
        ),
        lambda: service.reply(staff["handler"], org, number, "已按预算安排维护经费"),
        lambda: service.close_handling(staff["handler"], org, number),
    ]
    for step_ in handling:
        incoming = step_()
    ctx.facts["archives.incoming"] = incoming.id
    ctx.check(
        (
            "收文经登记、拟办、批办、承办后办结",
            "the incoming request is registered, proposed, instructed, handled and closed",
            "كىرگەن ئىلتىماس تىزىملىنىپ، بىجىرىلىپ ئاخىرلاشتى",
        ),
        incoming.state == "closed" and incoming.document_number == f"天政服发〔{ctx.year}〕7号",
        f"{incoming.document_number} · {incoming.state}",
    )


def close(ctx: DemoContext) -> None:
    """File both documents and export them as a verified archival package."""
    service = _service(ctx)
    staff: dict[str, Actor] = ctx.facts["archives.staff"]
    archivist = staff["archivist"]
    items = [
        service.file_document(archivist, ctx.office.credit_code, ctx.facts["archives.outgoing"]),
        service.file_document(archivist, ctx.office.credit_code, ctx.facts["archives.incoming"]),
    ]
    # The year of an item is the year of the document itself (DA/T 22-2015), never the year it
    # happens to be signed for or filed in: both were written in the demo's month.
    years = (ctx.year, ctx.year)
    ctx.check(
        (
            "两份文件归档，档号符合 DA/T 22-2015",
            "both documents are filed under DA/T 22-2015 archival codes",
            "ئىككى ھۆججەت DA/T 22-2015 ئارخىپ نومۇرى بىلەن ئارخىپقا ئېلىندى",
        ),
        all(
            item.archival_code.startswith(f"{FONDS}-WS·{year}-")
            for item, year in zip(items, years, strict=True)
        )
        and len({i.archival_code for i in items}) == 2,
        ", ".join(item.archival_code for item in items),
    )
    ctx.facts["archives.items"] = [item.id for item in items]
    folder = Path(tempfile.mkdtemp(prefix="govparts-demo-archives-"))
    try:
        bag = service.export_package(
            archivist, ctx.office.credit_code, [item.id for item in items], folder / "bag"
        )
        receipt = service.import_package(archivist, ctx.office.credit_code, bag)
        ctx.check(
            (
                "归档信息包导出并通过 SM3 与 SHA-256 固定性校验",
                "the archival package is exported and its SM3 and SHA-256 fixity verified",
                "ئارخىپ بولىقى چىقىرىلىپ SM3 ۋە SHA-256 بىلەن دەلىللەندى",
            ),
            sorted(receipt.archival_codes) == sorted(i.archival_code for i in items)
            and {"sm3", "sha256"} <= set(receipt.algorithms),
            f"{receipt.files} · {receipt.payload_oxum} · {', '.join(receipt.algorithms)}",
        )
        tampered = folder / "tampered"
        shutil.copytree(bag, tampered)
        body = next(p for p in sorted((tampered / "data").rglob("*")) if p.is_file())
        body.write_bytes(body.read_bytes() + b" ")
        try:
            service.import_package(archivist, ctx.office.credit_code, tampered)
            refused = ""
        except GovPartsError as err:
            refused = err.message(ctx.locale)
        ctx.check(
            (
                "被篡改的信息包被拒收",
                "a tampered copy of the package is refused",
                "ئۆزگەرتىلگەن بولاق رەت قىلىندى",
            ),
            bool(refused),
            refused,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _state_label(direction: str, state: str, locale: str) -> str:
    spec = OUTGOING_DOCUMENT if direction == "outgoing" else INCOMING_DOCUMENT
    try:
        return spec.state(state).label.in_locale(locale)
    except GovPartsError:
        return state


def report(ctx: DemoContext) -> None:
    """The document register and the numbers issued this year."""
    service = _service(ctx)
    staff: dict[str, Actor] = ctx.facts.get("archives.staff") or _officers(ctx)
    documents = service.list_documents(staff["reviewer"], ctx.office.credit_code)
    ctx.table(
        ("公文登记簿", "Document register", "ھۆججەت تىزىملىكى"),
        [
            ("方向", "Direction", "يۆنىلىش"),
            ("文号", "Number", "نومۇر"),
            ("标题", "Title", "تېما"),
            ("状态", "State", "ھالەت"),
        ],
        [
            (
                ctx.text(("发文", "outgoing", "چىققان"))
                if d.direction == "outgoing"
                else ctx.text(("收文", "incoming", "كىرگەن")),
                d.document_number or "",
                d.title,
                _state_label(d.direction, d.state, ctx.locale),
            )
            for d in documents
        ],
    )
    numbers = service.issued_numbers(staff["registrar"], ctx.office.credit_code, ORGAN_CODE, ctx.year)
    ctx.check(
        ("发文号连续且无缺号", "document numbers run without gaps", "ھۆججەت نومۇرى ئۈزۈلمەي داۋاملاشتى"),
        [n.serial for n in numbers] == list(range(1, len(numbers) + 1)) and len(numbers) >= 1,
        ", ".join(n.document_number for n in numbers),
    )
    ctx.check(
        ("两份文件均已归档", "both documents are filed", "ئىككى ھۆججەت ئارخىپقا ئېلىندى"),
        sorted(
            d.state
            for d in documents
            if d.id in (ctx.facts.get("archives.outgoing"), ctx.facts.get("archives.incoming"))
        )
        == ["filed", "filed"],
        ", ".join(f"{d.id}:{d.state}" for d in documents),
    )


SCENARIO = {"operate": operate, "close": close, "report": report}
