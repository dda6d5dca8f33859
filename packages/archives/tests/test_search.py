"""Full-text search by unigrams and bigrams: the same results as a scan of every document, no leak.

The archive is random (a seeded generator): titles and bodies mixing Chinese, Latin letters of both
cases, digits, Uyghur (Arabic script), spaces and punctuation over small alphabets so that words
recur; documents of two organisations at every secrecy level, registered in bulk, drafted one by one
and revised. Every query's answer is compared with a scan in Python of all the documents.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govparts.archives import _search
from govparts.archives import service as service_module
from govparts.archives.models import DocumentDraft
from govparts.archives.service import ReferenceService
from govparts.core.errors import InvalidInput
from govparts.core.security import Actor

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
OTHER = "12653101MB0000002R"
SECRECY = {None: 0, "MM": 1, "JM": 2, "UM": 3}
CLEARANCE = {0: None, 1: "MM", 2: "JM", 3: "UM"}
CHINESE = "通知请示关于做好防汛抗旱工作的报告函意见新疆档案安全"
LATIN = "abcABCxyzXYZ"
DIGITS = "0123456789"
UYGHUR = "ئارخىپھۆججەتۇۋاقىت"
OTHER_CHARS = " 、，。（）〔〕-/%_"
ALPHABET = CHINESE + LATIN + DIGITS + UYGHUR + OTHER_CHARS


def _text(rng: random.Random, low: int, high: int) -> str:
    """A random text; Chinese weighted up, as in real titles."""
    chars = [
        rng.choice(CHINESE) if rng.random() < 0.55 else rng.choice(ALPHABET)
        for _ in range(rng.randint(low, high))
    ]
    text = "".join(chars).strip()
    return text or rng.choice(CHINESE)


def _person(id: str, clearance: int, org: str = ORG, *roles: str) -> Actor:
    return Actor(
        id=id,
        name=f"艾力·{id}",
        unit="650100-bgs",
        roles=frozenset(roles or ("drafter",)),
        clearance=CLEARANCE[clearance],
        org=org,
    )


def _draft(rng: random.Random, secrecy: str | None) -> DocumentDraft:
    return DocumentDraft(
        doc_type="08",
        title=_text(rng, 1, 24),
        body=_text(rng, 0, 40),
        issuing_organ="新疆维吾尔自治区人民政府办公厅",
        organ_code="新政发",
        fonds="X001",
        organisation="BGS",
        written_on=date(2026, 1, 20),
        secrecy=secrecy,
        copy_number="000001" if secrecy else None,
    )


def _archive(service: ReferenceService, rng: random.Random) -> dict[int, tuple[str, int, str, str]]:
    """Store a random archive by every path that indexes; its documents by id (org, rank, title, body)."""
    docs: dict[int, tuple[str, int, str, str]] = {}
    for org in (ORG, OTHER):
        registrar = _person("g-1", 3, org, "registrar")
        drafter = _person("d-1", 3, org, "drafter")
        for _ in range(3):
            drafts = [_draft(rng, rng.choice(list(SECRECY))) for _ in range(60)]
            service.register_issued(registrar, org, drafts)
            for _ in range(10):
                draft = _draft(rng, rng.choice(list(SECRECY)))
                doc = service.draft_outgoing(drafter, org, draft)
                if rng.random() < 0.5:
                    changes = (
                        {"title": _text(rng, 1, 20)} if rng.random() < 0.5 else {"body": _text(rng, 0, 30)}
                    )
                    service.revise(drafter, org, doc.id, **changes)
    for org in (ORG, OTHER):
        auditor = _person("a-1", 3, org, "drafter")
        for summary in service.list_documents(auditor, org):
            document = service.get_document(auditor, org, summary.id)
            docs[document.id] = (org, SECRECY[document.secrecy], document.title, document.body)
    return docs


def _scan(
    docs: dict[int, tuple[str, int, str, str]], org: str, clearance: int, needle: str, limit: int
) -> list[int]:
    """What a scan of every document answers: the needle (stripped, ASCII case folded) in title or body."""
    folded = _search.fold(needle.strip())
    return sorted(
        (
            id
            for id, (o, rank, title, body) in docs.items()
            if o == org
            and rank <= clearance
            and (folded in _search.fold(title) or folded in _search.fold(body))
        ),
        reverse=True,
    )[:limit]


def _queries(rng: random.Random, docs: dict[int, tuple[str, int, str, str]]) -> list[str]:
    """Substrings of stored titles and bodies (1, 2, 3, 4 and 6 characters), case-swapped copies,
    random strings that mostly match nothing, and the short words people type."""
    texts = [t for _, _, title, body in docs.values() for t in (title, body) if t.strip()]
    queries = ["通知", "请示", "通", "函", "a", "X", "7", "ئا", "قىت", "%", "_", "（", "防汛抗旱", "QR码"]
    for _ in range(150):
        text = rng.choice(texts)
        size = rng.choice((1, 1, 2, 2, 3, 4, 4, 6))
        start = rng.randint(0, max(len(text) - size, 0))
        piece = text[start : start + size].strip()
        if piece:
            queries.append(piece)
            queries.append(piece.swapcase())
    queries += [_text(rng, 2, 5) for _ in range(30)]
    return queries


@pytest.mark.parametrize("window", [1000, 7])
def test_answers_as_a_scan_of_every_document_does(
    service: ReferenceService, window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finds, for one to six characters of mixed scripts, exactly what a full scan finds, newest first,
    at every clearance and in each organisation, within the limit (on PostgreSQL also when the newest
    documents read first are a few, so that most answers come from the GIN index)."""
    monkeypatch.setattr(service_module, "_PG_WINDOW", window)
    rng = random.Random(21)
    docs = _archive(service, rng)
    assert len(docs) == 2 * 3 * 70
    compared = 0
    for needle in _queries(rng, docs):
        org = rng.choice((ORG, OTHER))
        clearance = rng.randint(0, 3)
        limit = rng.choice((1, 5, 20, 1000))
        reader = _person("x-1", clearance, org)
        got = [h.id for h in service.search(reader, org, needle, limit=limit)]
        assert got == _scan(docs, org, clearance, needle, limit), (needle, org, clearance, limit)
        compared += bool(got)
    assert compared > 100  # most queries find something: the comparison is not of empty lists


def test_never_returns_a_document_above_clearance_or_of_another_organisation(
    service: ReferenceService,
) -> None:
    """Returns nothing classified above the reader's clearance, nor anything of another organisation,
    however common the word and whatever the limit; a reader cleared higher gets the rest."""
    drafter = _person("d-1", 3, ORG, "drafter")
    levels = [None, "MM", "JM", "UM"] * 30
    ranks = {}
    for index, secrecy in enumerate(levels):
        doc = service.draft_outgoing(
            drafter,
            ORG,
            DocumentDraft(
                doc_type="08",
                title=f"关于第{index}批防汛物资的通知",
                body="通知如下",
                issuing_organ="新疆维吾尔自治区人民政府办公厅",
                organ_code="新政发",
                fonds="X001",
                organisation="BGS",
                secrecy=secrecy,
                copy_number="000001" if secrecy else None,
            ),
        )
        ranks[doc.id] = SECRECY[secrecy]
    other = service.draft_outgoing(
        _person("d-2", 3, OTHER, "drafter"),
        OTHER,
        DocumentDraft(
            doc_type="08",
            title="关于防汛物资的通知",
            issuing_organ="某厅",
            organ_code="新政发",
            fonds="X001",
            organisation="BGS",
        ),
    )
    for clearance in range(4):
        reader = _person("r-1", clearance, ORG)
        for needle in ("通", "通知", "防汛物资", "批防汛", "知如下"):
            hits = [h.id for h in service.search(reader, ORG, needle, limit=1000)]
            assert hits == sorted((i for i, r in ranks.items() if r <= clearance), reverse=True)
            assert other.id not in hits
            assert [h.id for h in service.search(reader, ORG, needle, limit=3)] == hits[:3]


def test_refuses_an_empty_query_naming_the_field(service: ReferenceService) -> None:
    """Refuses a query of nothing but spaces, naming ``text``; a limit of zero finds nothing."""
    reader = _person("r-1", 3)
    with pytest.raises(InvalidInput) as caught:
        service.search(reader, ORG, " \u3000 ")
    assert caught.value.field == "text"
    assert service.search(reader, ORG, "通知", limit=0) == []


_CHARS = st.text(alphabet=st.sampled_from(ALPHABET), max_size=30)


@given(title=_CHARS, body=_CHARS, start=st.integers(0, 40), size=st.integers(1, 8))
def test_a_substring_s_terms_are_among_its_document_s(title: str, body: str, start: int, size: int) -> None:
    """Every term of a query found in the title or body (case aside) is among the document's terms:
    the index never loses a match; one and two characters need no further check."""
    text = title + "\x00" + body
    needle = text[start : start + size]
    if not needle or "\x00" in needle:
        return
    terms, confirm = _search.query_terms(needle)
    assert set(terms) <= set(_search.document_terms(title.swapcase(), body.swapcase()).split())
    assert confirm == (len(needle) > 2)
