"""The benchmark harness: a registry of scenarios and the measurements every scenario shares.

A scenario is a function registered with :func:`scenario` that takes the number of records and
returns :func:`compare`'s result dict (extended as it likes). :func:`compare` times the code under
test and its *floor* (the same work done the plainest way, for example plain ``str`` fields instead of
our types) in the same process and run, best of ``repeat``, interleaved so that machine noise hits
both alike, then measures each one's peak Python memory in one more, untimed run (tracemalloc).

Scenarios live one per module in ``bench/scenarios/``; :func:`load_scenarios` imports them all.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Result = dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    """A registered scenario: ``run(records)`` returns a result dict."""

    name: str
    description: str
    default_records: int
    target_ratio: float | None
    run: Callable[[int], Result]


_registry: dict[str, Scenario] = {}


def scenario(
    name: str, *, description: str, default_records: int, target_ratio: float | None
) -> Callable[[Callable[[int], Result]], Callable[[int], Result]]:
    """Register the decorated function as scenario ``name``."""

    def register(func: Callable[[int], Result]) -> Callable[[int], Result]:
        if name in _registry:
            raise ValueError(f"scenario {name!r} is registered twice")
        _registry[name] = Scenario(name, description, default_records, target_ratio, func)
        return func

    return register


def scenarios() -> dict[str, Scenario]:
    """Every registered scenario by name, in registration order."""
    return dict(_registry)


def load_scenarios() -> dict[str, Scenario]:
    """Import every module of ``bench/scenarios`` (each registers its scenarios) and return them."""
    folder = Path(__file__).with_name("scenarios")
    for module in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"scenarios.{module.name}")
    return scenarios()


def _timed(func: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def peak_memory(func: Callable[[], object]) -> int:
    """Peak bytes allocated by Python while ``func`` runs (tracemalloc), its result included."""
    gc.collect()
    tracemalloc.start()
    try:
        result = func()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def compare(
    *,
    name: str,
    records: int,
    subject: Callable[[], object],
    floor: Callable[[], object],
    subject_label: str,
    floor_label: str,
    target_ratio: float | None,
    repeat: int = 3,
    measure_memory: bool = True,
    variants: dict[str, Callable[[], object]] | None = None,
) -> Result:
    """Time ``subject`` against ``floor`` (best of ``repeat``, interleaved) and build the result dict.

    ``ratio`` is subject throughput over floor throughput: 1.0 means "as fast as the floor".
    ``variants`` are further versions of the subject (one type swapped for another, say) timed in the
    same interleaved loop and reported with their own ratio, to show where the time goes.
    """
    variants = variants or {}
    subject_times: list[float] = []
    floor_times: list[float] = []
    variant_times: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(repeat):
        floor_times.append(_timed(floor))
        subject_times.append(_timed(subject))
        for label, func in variants.items():
            variant_times[label].append(_timed(func))
    best_subject, best_floor = min(subject_times), min(floor_times)
    subject_rate, floor_rate = records / best_subject, records / best_floor
    ratio = subject_rate / floor_rate
    result: Result = {
        "scenario": name,
        "records": records,
        "repeat": repeat,
        "subject": {
            "label": subject_label,
            "best_seconds": best_subject,
            "records_per_second": subject_rate,
            "all_seconds": subject_times,
        },
        "floor": {
            "label": floor_label,
            "best_seconds": best_floor,
            "records_per_second": floor_rate,
            "all_seconds": floor_times,
        },
        "ratio": ratio,
        "target_ratio": target_ratio,
        # No ratio target where the issue sets none: the ratio is reported, never judged.
        "meets_target": target_ratio is None or ratio >= target_ratio,
    }
    if variants:
        result["variants"] = {
            label: {
                "best_seconds": min(times),
                "records_per_second": records / min(times),
                "ratio": best_floor / min(times),
            }
            for label, times in variant_times.items()
        }
    if measure_memory:
        result["subject"]["peak_memory_bytes"] = peak_memory(subject)
        result["floor"]["peak_memory_bytes"] = peak_memory(floor)
    return result
