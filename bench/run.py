"""Run govparts benchmarks: each scenario reports its throughput against a floor measured in the same run.

Usage::

    uv run python bench/run.py                                   # every scenario, a table
    uv run python bench/run.py --scenario core-validate --json   # one scenario, machine-readable
    uv run python bench/run.py --scenario core-validate --records 2000   # a quick smoke run
    uv run python bench/run.py --list

Exit status: 0 after a run (whatever the ratios), 2 on bad usage; with ``--check``, 1 when a scenario
misses its target ratio. Benchmarks are not part of the test suite; a smoke run with few records
checks that they still work.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Result, load_scenarios


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
    for r in results:
        lines.append("")
        lines.append(f"{r['scenario']}: subject = {r['subject']['label']}")
        lines.append(f"{' ' * len(r['scenario'])}  floor   = {r['floor']['label']}")
        for label, variant in r.get("variants", {}).items():
            lines.append(
                f"{' ' * len(r['scenario'])}  variant: {label}: "
                f"{variant['records_per_second']:,.0f} rec/s, ratio {variant['ratio']:.2f}"
            )
        for note in r.get("notes", []):
            lines.append(f"{' ' * len(r['scenario'])}  note: {note}")
    return "\n".join(lines)


def _target(result: dict[str, Any]) -> str:
    if result["target_ratio"] is None:
        return "-"
    return f"{'>=' if result['meets_target'] else '<'} {result['target_ratio']:.2f}"


def main(argv: list[str] | None = None) -> int:
    registry = load_scenarios()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenario", action="append", choices=sorted(registry), help="run only this one (repeatable)"
    )
    parser.add_argument("--records", type=int, help="records per run (default: each scenario's own)")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument("--check", action="store_true", help="exit 1 when a scenario misses its target ratio")
    args = parser.parse_args(argv)
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
    results = [item.run(args.records or item.default_records) for item in chosen]
    if args.json:
        environment = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "system": platform.system(),
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
