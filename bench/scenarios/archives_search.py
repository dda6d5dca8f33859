"""archives-search: full-text search of 100,000 official documents for one, two and four characters.

The archive (SQLite, or PostgreSQL with ``run.py --db``) is registered before the timing with
:meth:`~govparts.archives.service.ReferenceService.register_issued` in batches of 10,000: titles and
bodies of Chinese official documents (通知, 请示, 报告 … on two dozen topics), one in ten classified
above the reader's clearance. The subject is
:meth:`~govparts.archives.service.ReferenceService.search` (limit 20) by a reader cleared for 秘密:
the organisation's gate, the unigram/bigram index with the organisation and clearance filtered
inside it (on PostgreSQL the confirmation of longer phrases) and the summaries of the documents
found. The queries are words people type: 1,200 of them, a third each of one, two and four
characters (single characters and two-character words of the titles and bodies, 通知 and 请示 among
them; four-character topics and phrases, common and rare, and words absent from the archive).

The floor is the plainest query of the same index on the same database for the same words, on a raw
connection: on SQLite, with sqlite3, ``SELECT rowid FROM archives_document_fts WHERE … MATCH <the
unigram, bigram or phrase of bigrams> ORDER BY rowid DESC LIMIT 20`` (no organisation or clearance;
ids only); on PostgreSQL, with psycopg, ``SELECT id FROM archives_document_fts WHERE org = … AND
terms @> … ORDER BY id DESC LIMIT 20``, the plan left to the planner (after ``VACUUM ANALYZE``, as
autovacuum leaves the tables after a bulk load). The median and 95th percentile
of the subject's latency for each length are reported; the targets are a median of at most 2 ms and
a p95 of at most 10 ms.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from harness import Result, compare, is_postgresql, libpq_url, new_database, scenario, sqlite_path

import govparts.archives.tables  # noqa: F401 - registers the tables before create_all
from govparts.archives import _search
from govparts.archives.models import DocumentDraft
from govparts.archives.service import ReferenceService
from govparts.core.db import create_engine, metadata
from govparts.core.security import Actor

ORG = "11650102MB00000013"
"""The organisation searched (GB 32100 credit code, valid check character)."""
ORGANS = ["新政发", "新政办发", "新财发", "新档发", "乌政发", "克政办发", "喀署发", "伊州政发"]
TOPICS = [
    "防汛抗旱", "安全生产", "档案安全", "春节值班", "冬季供暖", "乡村振兴", "教育经费", "疫苗接种",
    "道路运输", "森林防火", "城市管理", "政务公开", "财政预算", "审计整改", "民族团结", "人才引进",
    "棉花收购", "水资源管理", "草原保护", "旅游发展", "消防检查", "粮食储备", "就业服务", "养老保险",
]  # fmt: skip
ACTIONS = ["做好", "加强", "开展", "进一步规范", "印发", "落实", "调整", "申请", "批准"]
KINDS = [("08", "通知"), ("07", "意见"), ("14", "函"), ("10", "报告"), ("11", "请示"), ("09", "通报")]
SECRECY = [None] * 9 + ["JM"]
"""One document in ten 机密, above the reader's clearance (秘密)."""
BATCH = 10_000
LIMIT = 20


def _drafts(records: int, seed: int = 21) -> list[DocumentDraft]:
    rng = random.Random(seed)
    drafts = []
    for i in range(records):
        topic, action, (code, kind) = rng.choice(TOPICS), rng.choice(ACTIONS), rng.choice(KINDS)
        secrecy = rng.choice(SECRECY)
        drafts.append(
            DocumentDraft(
                doc_type=code,
                title=f"关于{action}{topic}工作的{kind}（第{i}期）",
                body=f"各有关单位：为{action}{topic}工作，现将有关事项{kind}如下。一、提高认识；二、明确责任。",
                issuing_organ="新疆维吾尔自治区人民政府办公厅",
                organ_code=rng.choice(ORGANS),
                fonds="X001",
                organisation="BGS",
                written_on=date(rng.choice((2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)),
                secrecy=secrecy,
                copy_number="000001" if secrecy else None,
            )
        )
    return drafts


def _queries(records: int, seed: int = 22) -> dict[int, list[str]]:
    """400 queries of each length: drawn from the words of the archive, a few absent from it."""
    rng = random.Random(seed)
    words = "".join(TOPICS + ACTIONS + [k for _, k in KINDS]) + "各有关单位现将事项如下提高认识明确责任"
    ones = [*sorted(set(words)), "台", "Z", "7"]
    twos = (
        [t[:2] for t in TOPICS]
        + [t[2:4] for t in TOPICS]
        + ACTIONS[:7]
        + [k for _, k in KINDS if len(k) == 2]
        + ["单位", "事项", "责任", "认识", "台风", "地震"]
    )
    fours = (
        [t[:4] for t in TOPICS]
        + [f"{a}{t}"[:4] for a in ACTIONS for t in TOPICS[:6]]
        + ["有关单位", "明确责任", "提高认识", "台风预警", "地震救灾"]
        + [f"第{rng.randrange(max(records, 10))}"[:4] for _ in range(20)]
    )
    return {1: [rng.choice(ones) for _ in range(400)], 2: [rng.choice(twos) for _ in range(400)],
            4: [rng.choice(fours) for _ in range(400)]}  # fmt: skip


def _floor(url: str, ordered: list[tuple[int, str]], *, postgresql: bool) -> tuple[Callable[[], object], Any]:
    """The floor's function and its raw connection (closed by the caller)."""
    if postgresql:
        import psycopg

        connection: Any = psycopg.connect(libpq_url(url), autocommit=True)
        connection.execute("VACUUM ANALYZE")  # as autovacuum leaves the tables after a bulk load

        def floor() -> object:
            hits = 0
            for _size, query in ordered:
                terms, _confirm = _search.query_terms(query)
                hits += len(
                    connection.execute(
                        "SELECT id FROM archives_document_fts WHERE org = %s AND terms @> %s "
                        "ORDER BY id DESC LIMIT %s",
                        (ORG, terms, LIMIT),
                    ).fetchall()
                )
            return hits

        return floor, connection
    connection = sqlite3.connect(sqlite_path(url))

    def sqlite_floor() -> object:
        hits = 0
        for _size, query in ordered:
            match = _search.fts5_query(query, ORG, 3).split(" AND ")[0]
            hits += len(
                connection.execute(
                    "SELECT rowid FROM archives_document_fts WHERE archives_document_fts MATCH ? "
                    "ORDER BY rowid DESC LIMIT ?",
                    (match, LIMIT),
                ).fetchall()
            )
        return hits

    return sqlite_floor, connection


@scenario(
    "archives-search",
    description="full-text search of official documents for 1, 2 and 4 characters",
    default_records=100_000,
    target_ratio=None,
)
def run(records: int) -> Result:
    postgresql = is_postgresql()
    registrar = Actor(id="bench-registrar", name="登记员", roles=frozenset({"registrar"}), clearance="UM")
    reader = Actor(id="bench-reader", name="查阅人", clearance="MM")
    url = new_database("archive")
    engine = create_engine(url)
    metadata.create_all(engine)
    service = ReferenceService(engine)
    drafts = _drafts(records)
    started = time.perf_counter()
    for start in range(0, records, BATCH):
        service.register_issued(registrar, ORG, drafts[start : start + BATCH])
    registered = time.perf_counter() - started
    del drafts
    queries = _queries(records)
    ordered = [(size, q) for size, words in queries.items() for q in words]
    random.Random(23).shuffle(ordered)
    latencies: dict[int, list[float]] = {}

    def subject() -> object:
        latencies.clear()
        hits = 0
        for size, query in ordered:
            begin = time.perf_counter()
            hits += len(service.search(reader, ORG, query, limit=LIMIT))
            latencies.setdefault(size, []).append(time.perf_counter() - begin)
        return hits

    floor, connection = _floor(url, ordered, postgresql=postgresql)
    try:
        result = compare(
            name="archives-search",
            records=len(ordered),
            subject=subject,
            floor=floor,
            subject_label=(
                f"ReferenceService.search, limit {LIMIT}, reader cleared for 秘密 "
                f"({'GIN text[]' if postgresql else 'FTS5'} unigram/bigram index), over {records:,} documents"
            ),
            floor_label=(
                "psycopg: the terms' GIN query, ORDER BY id DESC LIMIT, planner's plan"
                if postgresql
                else "sqlite3: the terms' FTS5 MATCH, ORDER BY rowid DESC LIMIT, ids only"
            ),
            target_ratio=None,
            repeat=3,
            measure_memory=False,
        )
    finally:
        connection.close()
        service.close()
    figures = {}
    for size, times in sorted(latencies.items()):
        ordered_times = sorted(times)
        figures[f"{size}_chars"] = {
            "queries": len(times),
            "median_ms": statistics.median(times) * 1000,
            "p95_ms": ordered_times[int(len(times) * 0.95) - 1] * 1000,
            "max_ms": ordered_times[-1] * 1000,
        }
    result["search"] = figures
    result["registered_seconds"] = registered
    result["notes"] = [
        f"{records:,} documents registered in {registered:.1f} s (register_issued, batches of {BATCH:,})",
        *(
            f"{size.replace('_chars', '')} character(s): median {f['median_ms']:.2f} ms, "
            f"p95 {f['p95_ms']:.2f} ms, max {f['max_ms']:.2f} ms over {f['queries']} queries "
            "(target: median ≤ 2 ms, p95 ≤ 10 ms)"
            for size, f in figures.items()
        ),
    ]
    return result
