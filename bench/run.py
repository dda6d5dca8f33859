"""Run govparts benchmarks: each scenario reports its throughput against a floor measured in the same run.

Usage::

    uv run python bench/run.py                                   # every scenario, a table
    uv run python bench/run.py --scenario core-validate --json   # one scenario, machine-readable
    uv run python bench/run.py --scenario core-validate --records 2000   # a quick smoke run
    uv run python bench/run.py --list
    uv run python bench/run.py --db postgresql --scenario personnel-import --records 20000
    uv run python bench/run.py --db postgresql+psycopg://user@host:5432/postgres --scenario finance-ledger

``--db`` chooses where every scenario's databases live: ``sqlite`` (the default: files in a temporary
folder), ``postgresql`` (a throw-away PostgreSQL server started for the run from the binaries in
/usr/lib/postgresql/*/bin, as the test plugin starts one: fsync and synchronous commit off) or the URL
of a PostgreSQL server on which the user may CREATE DATABASE. Each scenario gets databases of its own
on that server, dropped when it ends, failed or not; on PostgreSQL the floors are psycopg 3's COPY
(the ratio) and executemany of the same rows, measured on the same server in the same run.

Exit status: 0 after a run (whatever the ratios), 2 on bad usage; with ``--check``, 1 when a scenario
misses its target ratio. Benchmarks are not part of the test suite; a smoke run with few records
checks that they still work.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import platform
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import harness
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Result, database_scope, load_scenarios


def _table(results: list[Result]) -> str:
    header = (
        "scenario",
        "records",
        "subject rec/s",
        "floor rec/s",
        "ratio",
        "target",
        "peak MiB (subj/floor)",
    )
    rows = [header]
    for r in results:
        subject, floor = r["subject"], r["floor"]
        memory = "-"
        if "peak_memory_bytes" in subject:
            memory = f"{subject['peak_memory_bytes'] / 2**20:.1f} / {floor['peak_memory_bytes'] / 2**20:.1f}"
        rows.append(
            (
                r["scenario"],
                f"{r['records']:,}",
                f"{subject['records_per_second']:,.0f}",
                f"{floor['records_per_second']:,.0f}",
                f"{r['ratio']:.2f}",
                "-"
                if r["target_ratio"] is None
                else f"{'>=' if r['meets_target'] else '<'} {r['target_ratio']:.2f}",
                memory,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    if results:
        lines.insert(0, f"database: {results[0].get('database', '-')}")
        lines.insert(1, "")
    for r in results:
        lines.append("")
        lines.append(f"{r['scenario']}: subject = {r['subject']['label']}")
        lines.append(f"{' ' * len(r['scenario'])}  floor   = {r['floor']['label']}")
        for label, other in r.get("other_floors", {}).items():
            lines.append(
                f"{' ' * len(r['scenario'])}  also floor: {label}: "
                f"{other['records_per_second']:,.0f} rec/s, subject ratio {other['subject_ratio']:.2f}"
            )
        for label, variant in r.get("variants", {}).items():
            lines.append(
                f"{' ' * len(r['scenario'])}  variant: {label}: "
                f"{variant['records_per_second']:,.0f} rec/s, ratio {variant['ratio']:.2f}"
            )
        if r.get("database_bytes"):
            lines.append(
                f"{' ' * len(r['scenario'])}  databases: {r['database_bytes'] / 2**20:,.1f} MiB "
                "at the end of the scenario, removed after it"
            )
        for note in r.get("notes", []):
            lines.append(f"{' ' * len(r['scenario'])}  note: {note}")
        for order, label in (("by_cumulative_time", "cumulative"), ("by_own_time", "own")):
            if order in r.get("profile", {}):
                lines.append(f"{' ' * len(r['scenario'])}  profile of one subject run, by {label} time:")
                lines.extend(
                    f"{' ' * len(r['scenario'])}    {row['cumulative_seconds']:8.2f} s cum "
                    f"{row['own_seconds']:8.2f} s own {row['calls']:>9,}x  {row['function']}"
                    for row in r["profile"][order]
                )
    return "\n".join(lines)


@contextlib.contextmanager
def _database_server(choice: str) -> Iterator[str | None]:
    """The admin URL of the PostgreSQL server ``--db`` names (started here for ``postgresql``), or None."""
    if choice == "sqlite":
        yield None
        return
    if choice != "postgresql":
        url = sa.make_url(choice)
        if url.get_backend_name() != "postgresql":
            raise SystemExit(f"--db: expected sqlite, postgresql or a postgresql:// URL, got {choice!r}")
        yield url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return
    from govparts.core.testing import TemporaryPostgres

    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not bins:
        raise SystemExit("--db postgresql: no PostgreSQL server binaries (apt-get install postgresql)")
    server = TemporaryPostgres(Path(bins[-1]).parent)
    try:
        yield server.start()
    finally:
        server.stop()


def _server_version(server: str | None) -> str:
    if server is None:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    engine = sa.create_engine(server)
    try:
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("SHOW server_version").scalar())
    finally:
        engine.dispose()


def _target(result: dict[str, Any]) -> str:
    if result["target_ratio"] is None:
        return "-"
    return f"{'>=' if result['meets_target'] else '<'} {result['target_ratio']:.2f}"


def main(argv: list[str] | None = None) -> int:
    registry = load_scenarios()
    paragraphs = __doc__.split("\n\n")
    parser = argparse.ArgumentParser(
        description=paragraphs[0],
        epilog=next(p for p in paragraphs if p.startswith("``--db``")).replace("``", ""),
    )
    parser.add_argument(
        "--scenario", action="append", choices=sorted(registry), help="run only this one (repeatable)"
    )
    parser.add_argument("--records", type=int, help="records per run (default: each scenario's own)")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument("--check", action="store_true", help="exit 1 when a scenario misses its target ratio")
    parser.add_argument(
        "--db",
        default="sqlite",
        metavar="sqlite|postgresql|URL",
        help="where the scenarios' databases live: sqlite (default), postgresql (a throw-away server "
        "started for this run) or a PostgreSQL admin URL; each scenario gets its own databases, "
        "dropped after it",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="run each subject once more under cProfile and show its N costliest functions",
    )
    args = parser.parse_args(argv)
    harness.profile_top = args.profile
    if args.list:
        for item in registry.values():
            print(
                f"{item.name}\t{item.default_records:,} records, "
                f"target ratio {item.target_ratio}\t{item.description}"
            )
        return 0
    if args.records is not None and args.records < 1:
        parser.error("--records must be at least 1")
    chosen = [registry[name] for name in (args.scenario or list(registry))]
    results = []
    with _database_server(args.db) as server:
        database = _server_version(server) if server is None else f"PostgreSQL {_server_version(server)}"
        for item in chosen:
            with database_scope(item.name, server) as databases:
                result = item.run(args.records or item.default_records)
                result["database_bytes"] = databases.size_bytes()
            result["database"] = database
            results.append(result)
    if args.json:
        environment = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "system": platform.system(),
            "database": database,
        }
        print(json.dumps({"environment": environment, "results": results}, indent=2, ensure_ascii=False))
    else:
        print(_table(results))
    # A scenario misses when its ratio or any absolute target (meets_seconds_target…) is missed.
    if args.check and not all(all(v for k, v in r.items() if k.startswith("meets_")) for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
