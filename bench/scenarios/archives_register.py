"""archives-register: register and number 100,000 official documents, then full-text search them.

The subject is :meth:`govparts.archives.service.ReferenceService.register_issued` on a fresh database
(SQLite, or PostgreSQL with ``run.py --db``), prepared before the timed run: every draft checked
(kind of document, secrecy, urgency, organ code), numbers allocated gap-free per organ code and
year (GB/T 9704-2012 7.2.4), rows, allocated numbers, the unigram/bigram full-text index (SQLite
FTS5; PostgreSQL a GIN-indexed text[] table; one statement per batch) and one hash-chained audit
record per document written in one transaction. The floor is the plainest way to store the same
documents: ``sqlite3`` ``executemany`` of the same rows, numbers precomputed in Python, into a table
with the same columns, in the same run; on PostgreSQL psycopg 3's ``COPY … FROM STDIN`` of those
rows, with ``executemany`` reported beside it.

After the subject's last run, 1,000 searches (two- to six-character Chinese words and phrases drawn
from the titles and bodies, by an actor cleared for everything) report the median latency.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from datetime import date
from typing import Any

from harness import (
    Result,
    compare,
    copy_rows,
    executemany_rows,
    is_postgresql,
    libpq_url,
    new_database,
    scenario,
    sqlite_path,
)

import govparts.archives.tables  # noqa: F401 - registers the tables before create_all
from govparts.archives.models import DocumentDraft
from govparts.archives.service import ReferenceService
from govparts.core.db import create_engine, metadata
from govparts.core.security import Actor

ORG = "11650102MB00000013"
"""The registering organisation (GB 32100 credit code, valid check character)."""
ORGANS = ["新政发", "新政办发", "新财发", "新档发", "乌政发", "克政办发", "喀署发", "伊州政发"]
TOPICS = [
    "防汛抗旱",
    "安全生产",
    "档案安全",
    "春节值班",
    "冬季供暖",
    "乡村振兴",
    "教育经费",
    "疫苗接种",
    "道路运输",
    "森林防火",
    "城市管理",
    "政务公开",
    "财政预算",
    "审计整改",
    "民族团结",
    "人才引进",
    "棉花收购",
    "水资源管理",
    "草原保护",
    "旅游发展",
    "消防检查",
    "粮食储备",
    "就业服务",
    "养老保险",
]
ACTIONS = ["做好", "加强", "开展", "进一步规范", "印发", "落实", "调整"]
KINDS = [("08", "通知"), ("07", "意见"), ("14", "函"), ("10", "报告"), ("02", "决定"), ("09", "通报")]


def _drafts(records: int, seed: int = 8) -> list[DocumentDraft]:
    rng = random.Random(seed)
    drafts = []
    for i in range(records):
        topic, action, (code, kind) = rng.choice(TOPICS), rng.choice(ACTIONS), rng.choice(KINDS)
        drafts.append(
            DocumentDraft(
                doc_type=code,
                title=f"关于{action}{topic}工作的{kind}（第{i}期）",
                body=f"各有关单位：为{action}{topic}工作，现将有关事项{kind}如下。一、提高认识；二、明确责任；三、加强督查。",
                issuing_organ="新疆维吾尔自治区人民政府办公厅",
                organ_code=rng.choice(ORGANS),
                fonds="X001",
                organisation="BGS",
                written_on=date(rng.choice((2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
    return drafts


_FLOOR_COLUMNS = (
    "state",
    "direction",
    "doc_type",
    "title",
    "body",
    "issuing_organ",
    "organ_code",
    "year",
    "serial",
    "document_number",
    "fonds",
    "organisation",
    "written_on",
    "created_by",
    "created_at",
)


def _floor_rows(drafts: list[DocumentDraft], registrar: str) -> list[tuple[Any, ...]]:
    """The documents as the floor stores them, numbers allocated in Python."""
    serials: dict[tuple[str, int], int] = {}
    rows = []
    now = time.time()
    for d in drafts:
        year = d.written_on.year if d.written_on else 2025
        serial = serials[(d.organ_code, year)] = serials.get((d.organ_code, year), 0) + 1
        rows.append(
            (
                "issued",
                "outgoing",
                d.doc_type,
                d.title,
                d.body,
                d.issuing_organ,
                d.organ_code,
                year,
                serial,
                f"{d.organ_code}〔{year}〕{serial}号",
                d.fonds,
                d.organisation,
                str(d.written_on),
                registrar,
                now,
            )
        )
    return rows


_FLOOR_DDL_PG = """CREATE TABLE document (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, state TEXT,
direction TEXT, doc_type TEXT, title TEXT, body TEXT, issuing_organ TEXT, organ_code TEXT, year INTEGER,
serial INTEGER, document_number TEXT, fonds TEXT, organisation TEXT, written_on DATE, created_by TEXT,
created_at DOUBLE PRECISION)"""


@scenario(
    "archives-register",
    description="register and number official documents, then full-text search",
    default_records=100_000,
    target_ratio=None,
)
def run(records: int) -> Result:
    drafts = _drafts(records)
    registrar = Actor(id="bench-registrar", name="登记员", roles=frozenset({"registrar"}), clearance="UM")
    reader = Actor(id="bench-reader", name="查阅人", clearance="UM")
    last: list[ReferenceService] = []
    postgresql = is_postgresql()
    prepared = []
    for _ in range(4):  # 2 timed runs, a profile and a spare; created before the timed runs
        engine = create_engine(new_database("subject"))
        metadata.create_all(engine)
        prepared.append(ReferenceService(engine))

    def subject() -> object:
        service = prepared.pop()
        numbers = service.register_issued(registrar, ORG, drafts)
        last.append(service)
        return numbers

    def floor_database() -> str:
        url = new_database("floor")
        if postgresql:
            import psycopg

            with psycopg.connect(libpq_url(url)) as connection:
                connection.execute(_FLOOR_DDL_PG)
        return url

    def floor() -> object:
        url = floor_database()
        if postgresql:
            return copy_rows(url, "document", _FLOOR_COLUMNS, _floor_rows(drafts, registrar.id))
        connection = sqlite3.connect(sqlite_path(url))
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"CREATE TABLE document (id INTEGER PRIMARY KEY, {', '.join(_FLOOR_COLUMNS)})")
        rows = _floor_rows(drafts, registrar.id)
        with connection:
            connection.executemany(
                f"INSERT INTO document ({', '.join(_FLOOR_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_FLOOR_COLUMNS))})",
                rows,
            )
        connection.close()
        return rows

    def floor_executemany() -> object:
        return executemany_rows(
            floor_database(), "document", _FLOOR_COLUMNS, _floor_rows(drafts, registrar.id)
        )

    result = compare(
        name="archives-register",
        records=records,
        subject=subject,
        floor=floor,
        subject_label=(
            "ReferenceService.register_issued (checks, gap-free numbers, "
            f"{'GIN bigrams' if postgresql else 'FTS5 bigrams'}, audit chain)"
        ),
        floor_label=(
            f"{'psycopg COPY' if postgresql else 'sqlite3 executemany'} of the same rows, numbers precomputed"
        ),
        target_ratio=None,
        repeat=2,
        measure_memory=False,
        other_floors={"psycopg executemany of the same rows": floor_executemany} if postgresql else None,
    )
    service = last[-1]
    rng = random.Random(9)
    words = (
        TOPICS
        + [t[:2] for t in TOPICS]
        + [f"{a}{t}" for a in ACTIONS for t in TOPICS]
        + ["明确责任", "加强督查"]
    )
    latencies = []
    hits = 0
    for _ in range(1000):
        query = rng.choice(words)
        start = time.perf_counter()
        hits += len(service.search(reader, ORG, query, limit=20))
        latencies.append(time.perf_counter() - start)
    for used in last + prepared:
        used.close()
    median_ms = statistics.median(latencies) * 1000
    result["search"] = {
        "queries": 1000,
        "median_ms": median_ms,
        "p95_ms": sorted(latencies)[949] * 1000,
        "hits": hits,
    }
    result["notes"] = [
        f"full-text search ({'GIN' if postgresql else 'FTS5'} unigram/bigram index, clearance filter, "
        "limit 20): "
        f"median {median_ms:.1f} ms "
        "over 1,000 queries, "
        f"p95 {result['search']['p95_ms']:.1f} ms",
    ]
    return result
