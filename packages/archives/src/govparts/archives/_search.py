"""The terms of the archives' full-text index: every character and every pair of adjacent characters.

Chinese has no spaces between words, and the words people search for are one or two characters
long (通知, 请示, 函). The index therefore keeps, for each document, its unigrams and bigrams — of
the title and of the body separately, so that no pair straddles the two — after folding ASCII
letters to lower case (the only case folding done: every other character, Chinese, Uyghur, digits,
punctuation, is matched exactly, the same on SQLite and PostgreSQL). A query of one character looks
up its unigram, a query of two its bigram: both exact. The result is the same as a scan of every
document (``fold(query) in fold(title) or fold(query) in fold(body)``).

Terms are written as ASCII tokens, ``u<hex>`` for a character and ``b<hex>x<hex>`` for a pair (hex
code points), so that any tokenizer keeps them whole and no character needs escaping. On SQLite they
live in the contentless FTS5 table ``archives_document_fts``: a token for the document's
organisation (``o<hex of its code>``) and one for each clearance that may read it (``c0``…``c3``),
so that both filters are answered by the index together with the terms; its unigrams; and its
bigrams in their order, so that a longer query is the phrase of its bigrams (consecutive positions),
exact. On PostgreSQL the set of terms is the ``text[]`` column ``terms`` of the table
``archives_document_fts`` under a GIN index, beside the document's organisation and secrecy rank; a
longer query looks up all its bigrams there and is then confirmed as a substring of the folded title
or body.
"""

from __future__ import annotations

import itertools
import re
import string

__all__ = [
    "MAX_RANK",
    "document_terms",
    "fold",
    "fts5_document",
    "fts5_query",
    "has_ascii_letters",
    "org_token",
    "query_terms",
]

MAX_RANK = 3
"""The highest secrecy rank (绝密)."""

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_ASCII_UPPER = re.compile("[A-Z]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_HEX: dict[str, str] = {}


def fold(text: str) -> str:
    """``text`` with ASCII letters in lower case (SQLite's ``lower()``; PostgreSQL ``translate``)."""
    if _ASCII_UPPER.search(text) is None:
        return text
    return text.translate(_ASCII_LOWER)


def has_ascii_letters(text: str) -> bool:
    """Whether ``text`` holds an ASCII letter (without one, ``fold`` leaves it and its matches alike)."""
    return _ASCII_LETTER.search(text) is not None


def _codes(text: str) -> list[str]:
    """The hex code point of each character of ``text`` folded."""
    get = _HEX.get
    codes = []
    for char in fold(text):
        code = get(char)
        if code is None:
            code = _HEX[char] = format(ord(char), "x")
        codes.append(code)
    return codes


def _pairs(codes: list[str]) -> list[str]:
    return ["b" + a + "x" + b for a, b in itertools.pairwise(codes)]


def document_terms(title: str, body: str | None) -> str:
    """The index terms of a document's title and body, space-separated (order not significant)."""
    terms: set[str] = set()
    for text in (title, body or ""):
        codes = _codes(text)
        terms.update(["u" + c for c in codes])
        terms.update(_pairs(codes))
    return " ".join(terms)


def org_token(org: str) -> str:
    """The token standing for the organisation ``org`` in the SQLite index."""
    return "o" + org.encode().hex()


def fts5_document(org: str, rank: int, title: str, body: str | None) -> str:
    """The text indexed in SQLite's FTS5 table for a document.

    Its organisation's token, a token ``c<k>`` for each clearance ``k`` that may read it, its
    unigrams (sorted: a contentless table forgets a document by being given the same text again),
    then the bigrams of the title in order, ``s``, those of the body in order: a query of three or
    more characters is the phrase of its bigrams, matched at consecutive positions, which is exactly
    a substring of the title or of the body.
    """
    title_codes, body_codes = _codes(title), _codes(body or "")
    unigrams = sorted({"u" + c for c in title_codes} | {"u" + c for c in body_codes})
    readers = " ".join(f"c{k}" for k in range(rank, MAX_RANK + 1))
    grams = f"{' '.join(unigrams)} {' '.join(_pairs(title_codes))} s {' '.join(_pairs(body_codes))}"
    return f"{org_token(org)} {readers} {grams}"


def query_terms(needle: str) -> tuple[list[str], bool]:
    """The terms a document must all hold to match ``needle`` (non-empty), and whether that is not
    enough (a needle of three or more characters: the substring must then be confirmed)."""
    codes = _codes(needle)
    if len(codes) == 1:
        return ["u" + codes[0]], False
    return list(dict.fromkeys(_pairs(codes))), len(codes) > 2


def fts5_query(needle: str, org: str, clearance: int) -> str:
    """An FTS5 ``MATCH`` expression for ``needle`` (non-empty) in ``org`` within ``clearance``: its
    unigram, or the phrase of its bigrams; the organisation; the clearance unless the highest."""
    codes = _codes(needle)
    parts = ["u" + codes[0]] if len(codes) == 1 else ['"' + " ".join(_pairs(codes)) + '"']
    parts.append(org_token(org))
    if clearance < MAX_RANK:
        parts.append(f"c{max(clearance, 0)}")
    return " AND ".join(parts)
