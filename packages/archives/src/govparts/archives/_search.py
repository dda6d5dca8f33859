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
_ASCII_LETTERS = frozenset(string.ascii_letters)
_HEX: dict[str, str] = {}


def fold(text: str) -> str:
    """``text`` with ASCII letters in lower case (SQLite's ``lower()``; PostgreSQL ``translate``)."""
    return text.translate(_ASCII_LOWER)


def has_ascii_letters(text: str) -> bool:
    """Whether ``text`` holds an ASCII letter (without one, ``fold`` leaves it and its matches alike)."""
    return any(c in _ASCII_LETTERS for c in text)


def _hex(char: str) -> str:
    code = _HEX.get(char)
    if code is None:
        code = _HEX[char] = format(ord(char), "x")
    return code


def _terms(text: str, into: set[str]) -> None:
    folded = fold(text)
    into.update("u" + _hex(c) for c in set(folded))
    into.update("b" + _hex(a) + "x" + _hex(b) for a, b in set(itertools.pairwise(folded)))


def document_terms(title: str, body: str | None) -> str:
    """The index terms of a document's title and body, space-separated (order not significant)."""
    terms: set[str] = set()
    _terms(title, terms)
    if body:
        _terms(body, terms)
    return " ".join(terms)


def org_token(org: str) -> str:
    """The token standing for the organisation ``org`` in the SQLite index."""
    return "o" + org.encode().hex()


def _sequence(text: str) -> str:
    folded = fold(text)
    return " ".join("b" + _hex(a) + "x" + _hex(b) for a, b in itertools.pairwise(folded))


def fts5_document(org: str, rank: int, title: str, body: str | None) -> str:
    """The text indexed in SQLite's FTS5 table for a document.

    Its organisation's token, a token ``c<k>`` for each clearance ``k`` that may read it, its
    unigrams (sorted: a contentless table forgets a document by being given the same text again),
    then the bigrams of the title in order, ``s``, those of the body in order: a query of three or
    more characters is the phrase of its bigrams, matched at consecutive positions, which is exactly
    a substring of the title or of the body.
    """
    unigrams: set[str] = set()
    for text in (title, body or ""):
        unigrams.update("u" + _hex(c) for c in set(fold(text)))
    readers = " ".join(f"c{k}" for k in range(rank, MAX_RANK + 1))
    grams = f"{' '.join(sorted(unigrams))} {_sequence(title)} s {_sequence(body or '')}"
    return f"{org_token(org)} {readers} {grams}"


def query_terms(needle: str) -> tuple[list[str], bool]:
    """The terms a document must all hold to match ``needle`` (non-empty), and whether that is not
    enough (a needle of three or more characters: the substring must then be confirmed)."""
    folded = fold(needle)
    if len(folded) == 1:
        return ["u" + _hex(folded)], False
    pairs = dict.fromkeys(itertools.pairwise(folded))
    return ["b" + _hex(a) + "x" + _hex(b) for a, b in pairs], len(folded) > 2


def fts5_query(needle: str, org: str, clearance: int) -> str:
    """An FTS5 ``MATCH`` expression for ``needle`` (non-empty) in ``org`` within ``clearance``: its
    unigram, or the phrase of its bigrams; the organisation; the clearance unless the highest."""
    folded = fold(needle)
    parts = ["u" + _hex(folded)] if len(folded) == 1 else ['"' + _sequence(folded) + '"']
    parts.append(org_token(org))
    if clearance < MAX_RANK:
        parts.append(f"c{max(clearance, 0)}")
    return " AND ".join(parts)
