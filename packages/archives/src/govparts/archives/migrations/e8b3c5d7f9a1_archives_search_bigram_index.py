"""archives: full-text search by unigrams and bigrams (short Chinese words without a scan)

Revision ID: e8b3c5d7f9a1
Revises: d4f7a2c9e1b6
Create Date: 2026-12-07 23:55:00

Replaces the trigram index (SQLite FTS5 ``trigram``; PostgreSQL ``pg_trgm`` GIN indexes on title and
body), which cannot answer the one- and two-character words people search for (通知, 请示, 函), by
an index of every character and every pair of adjacent characters of each document's title and body
(issue 21). SQLite: the contentless FTS5 table ``archives_document_fts`` (``ascii`` tokenizer)
whose text is a token for the organisation, one for each clearance that may read, the unigrams and
the bigrams in order (a longer query is the phrase of its bigrams). PostgreSQL: the table
``archives_document_fts`` of id, organisation, secrecy rank and a ``text[]`` of terms under a GIN
index. The documents already stored are indexed here. The downgrade restores the
trigram index.
"""

from __future__ import annotations

import itertools
import json
import string
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e8b3c5d7f9a1"
down_revision: str | Sequence[str] | None = "d4f7a2c9e1b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported: a revision must keep meaning what it meant when written
# (the terms are those of govparts.archives._search at this revision).
_BATCH = 5_000
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_SQLITE = (
    "CREATE VIRTUAL TABLE archives_document_fts USING fts5(terms, content='', columnsize=0, tokenize='ascii')"
)
_POSTGRESQL = (
    "CREATE TABLE archives_document_fts ("
    "id BIGINT PRIMARY KEY REFERENCES archives_document (id) ON DELETE CASCADE, "
    "org VARCHAR(18) NOT NULL, secrecy_rank INTEGER NOT NULL, terms TEXT[] NOT NULL)",
    "CREATE INDEX ix_archives_document_fts_terms ON archives_document_fts USING gin (terms) "
    "WITH (gin_pending_list_limit = 256)",
    "CREATE INDEX ix_archives_document_fts_org_id ON archives_document_fts (org, id)",
)
_TRIGRAM_SQLITE = "CREATE VIRTUAL TABLE archives_document_fts USING fts5(title, body, tokenize='trigram')"
_TRIGRAM_POSTGRESQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_archives_document_title_trgm ON archives_document USING gin (title gin_trgm_ops)",
    "CREATE INDEX ix_archives_document_body_trgm ON archives_document USING gin (body gin_trgm_ops)",
)


def _hex(char: str) -> str:
    return format(ord(char), "x")


def _terms(*texts: str | None) -> str:
    """PostgreSQL: the set of unigrams and bigrams of the texts, space-separated."""
    terms: set[str] = set()
    for text in texts:
        folded = (text or "").translate(_ASCII_LOWER)
        terms.update("u" + _hex(c) for c in set(folded))
        terms.update("b" + _hex(a) + "x" + _hex(b) for a, b in set(itertools.pairwise(folded)))
    return " ".join(terms)


def _sequence(text: str | None) -> str:
    folded = (text or "").translate(_ASCII_LOWER)
    return " ".join("b" + _hex(a) + "x" + _hex(b) for a, b in itertools.pairwise(folded))


def _fts5_text(org: str, rank: int, title: str, body: str | None) -> str:
    """SQLite: the organisation, the clearances that may read, sorted unigrams, bigrams in order."""
    unigrams = {"u" + _hex(c) for text in (title, body or "") for c in text.translate(_ASCII_LOWER)}
    readers = " ".join(f"c{k}" for k in range(rank, 4))
    grams = f"{' '.join(sorted(unigrams))} {_sequence(title)} s {_sequence(body)}"
    return f"o{org.encode().hex()} {readers} {grams}"


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    if postgresql:
        op.execute("DROP INDEX IF EXISTS ix_archives_document_title_trgm")
        op.execute("DROP INDEX IF EXISTS ix_archives_document_body_trgm")
        for statement in _POSTGRESQL:
            op.execute(statement)
    else:
        op.execute("DROP TABLE IF EXISTS archives_document_fts")
        op.execute(_SQLITE)
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, org, secrecy_rank, title, body FROM archives_document WHERE id > :last "
                "ORDER BY id LIMIT :batch"
            ),
            {"last": last, "batch": _BATCH},
        ).all()
        if not rows:
            break
        last = rows[-1].id
        if postgresql:
            bind.execute(
                sa.text(
                    "INSERT INTO archives_document_fts (id, org, secrecy_rank, terms) "
                    "SELECT u.id, u.org, u.rank, string_to_array(u.terms, ' ') FROM unnest("
                    "CAST(:ids AS BIGINT[]), CAST(:orgs AS TEXT[]), CAST(:ranks AS INTEGER[]), "
                    "CAST(:terms AS TEXT[])) AS u (id, org, rank, terms)"
                ),
                {
                    "ids": [r.id for r in rows],
                    "orgs": [r.org for r in rows],
                    "ranks": [r.secrecy_rank for r in rows],
                    "terms": [_terms(r.title, r.body) for r in rows],
                },
            )
        else:
            batch = [[r.id, _fts5_text(r.org, r.secrecy_rank, r.title, r.body)] for r in rows]
            bind.execute(
                sa.text(
                    "INSERT INTO archives_document_fts (rowid, terms) "
                    "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:rows)"
                ),
                {"rows": json.dumps(batch, ensure_ascii=False)},
            )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS archives_document_fts")
    if op.get_bind().dialect.name == "postgresql":
        for statement in _TRIGRAM_POSTGRESQL:
            op.execute(statement)
    else:
        op.execute(_TRIGRAM_SQLITE)
        op.execute(
            "INSERT INTO archives_document_fts (rowid, title, body) "
            "SELECT id, title, body FROM archives_document"
        )
