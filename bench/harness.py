"""The benchmark harness: a registry of scenarios and the measurements every scenario shares.

A scenario is a function registered with :func:`scenario` that takes the number of records and
returns :func:`compare`'s result dict (extended as it likes). :func:`compare` times the code under
test and its *floor* (the same work done the plainest way, for example plain ``str`` fields instead of
our types) in the same process and run, best of ``repeat``, interleaved so that machine noise hits
both alike, then measures each one's peak Python memory in one more, untimed run (tracemalloc).

Scenarios live one per module in ``bench/scenarios/``; :func:`load_scenarios` imports them all.

The database a scenario writes to is chosen by ``run.py --db``: SQLite files (the default) or a
PostgreSQL server. A scenario asks :func:`new_database` for each empty database it needs and gets a
URL for ``govparts.core.db.create_engine``; every database it was given is removed when the scenario
ends, failed or not (:func:`database_scope`). :func:`is_postgresql` tells a scenario which floors to
measure; :func:`copy_rows` and :func:`executemany_rows` are the PostgreSQL floors (psycopg 3's
``COPY … FROM STDIN`` and ``executemany`` of the same rows).
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import importlib
import itertools
import pkgutil
import pstats
import re
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

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


profile_top = 0
"""When above 0 (``run.py --profile N``), :func:`compare` runs the subject once more under cProfile and
reports its ``N`` costliest functions by own time and by cumulative time."""


def profile(func: Callable[[], object], top: int) -> dict[str, list[dict[str, Any]]]:
    """Run ``func`` under cProfile: its ``top`` functions by own time and by cumulative time."""
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        func()
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    rows = []
    for (path, line, name), (_cc, calls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = path.split("/site-packages/")[-1].split("/src/")[-1]
        rows.append(
            {
                "function": f"{short}:{line}({name})",
                "calls": calls,
                "own_seconds": own,
                "cumulative_seconds": cumulative,
                "own_share": own / total,
                "cumulative_share": cumulative / total,
            }
        )
    return {
        "by_own_time": sorted(rows, key=lambda r: -r["own_seconds"])[:top],
        "by_cumulative_time": sorted(rows, key=lambda r: -r["cumulative_seconds"])[:top],
    }


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
    other_floors: dict[str, Callable[[], object]] | None = None,
) -> Result:
    """Time ``subject`` against ``floor`` (best of ``repeat``, interleaved) and build the result dict.

    ``ratio`` is subject throughput over floor throughput: 1.0 means "as fast as the floor".
    ``variants`` are further versions of the subject (one type swapped for another, say) timed in the
    same interleaved loop and reported with their own ratio, to show where the time goes.
    ``other_floors`` are further floors (executemany beside COPY on PostgreSQL, say), timed in the same
    loop and reported with the subject's ratio to each; ``ratio`` and the target use ``floor``.
    """
    variants = variants or {}
    other_floors = other_floors or {}
    other_times: dict[str, list[float]] = {label: [] for label in other_floors}
    subject_times: list[float] = []
    floor_times: list[float] = []
    variant_times: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(repeat):
        floor_times.append(_timed(floor))
        subject_times.append(_timed(subject))
        for label, func in variants.items():
            variant_times[label].append(_timed(func))
        for label, func in other_floors.items():
            other_times[label].append(_timed(func))
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
    if other_floors:
        result["other_floors"] = {
            label: {
                "best_seconds": min(times),
                "records_per_second": records / min(times),
                "subject_ratio": min(times) / best_subject,
            }
            for label, times in other_times.items()
        }
    if measure_memory:
        result["subject"]["peak_memory_bytes"] = peak_memory(subject)
        result["floor"]["peak_memory_bytes"] = peak_memory(floor)
    if profile_top:
        result["profile"] = profile(subject, profile_top)
    return result


# -- databases ---------------------------------------------------------------------------------------


@dataclass
class Databases:
    """The databases of one scenario: SQLite files in ``folder``, or databases on a PostgreSQL server.

    ``server`` is the admin URL of the PostgreSQL server (one that may ``CREATE DATABASE``), or
    ``None`` for SQLite.
    """

    scenario: str
    server: str | None
    folder: Path
    created: list[str] = field(default_factory=list)
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    @property
    def dialect(self) -> str:
        return "sqlite" if self.server is None else "postgresql"

    def new(self, tag: str) -> str:
        """The URL of a new, empty database named after the scenario and ``tag``."""
        return self._create(tag, "")

    def _create(self, tag: str, template: str) -> str:
        number = next(self._numbers)
        if self.server is None:
            return f"sqlite:///{self.folder / f'{tag}-{number}.db'}"
        name = re.sub(r"[^a-z0-9]+", "_", f"bench_{self.scenario}_{tag}_{number}".lower())[:63]
        create = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        _admin(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', create)
        self.created.append(name)
        return sa.make_url(self.server).set(database=name).render_as_string(hide_password=False)

    def copy(self, url: str, tag: str) -> str:
        """A new database holding what the database at ``url`` holds (its engines must be disposed)."""
        if self.server is None:
            target = self._create(tag, "")
            shutil.copyfile(sqlite_path(url), sqlite_path(target))
            return target
        return self._create(tag, str(sa.make_url(url).database))

    def size_bytes(self) -> int:
        """What the scenario's databases and scratch files take on disk now."""
        size = sum(path.stat().st_size for path in self.folder.rglob("*") if path.is_file())
        if self.server is not None and self.created:
            engine = sa.create_engine(self.server)
            try:
                with engine.connect() as connection:
                    size += sum(
                        connection.exec_driver_sql(f"SELECT pg_database_size('{name}')").scalar_one()
                        for name in self.created
                    )
            finally:
                engine.dispose()
        return size

    def drop_all(self) -> None:
        """Remove every database handed out (connections still open are ended first)."""
        if self.server is not None and self.created:
            _admin(self.server, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.created))
        self.created.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


def _admin(server: str, *statements: str) -> None:
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


_current: list[Databases] = []


@contextlib.contextmanager
def database_scope(scenario_name: str, server: str | None) -> Iterator[Databases]:
    """Give the scenario run inside the block its own databases, removed at the end even on failure."""
    databases = Databases(scenario_name, server, Path(tempfile.mkdtemp(prefix=f"bench-{scenario_name}-")))
    _current.append(databases)
    try:
        yield databases
    finally:
        _current.remove(databases)
        databases.drop_all()


def current_databases() -> Databases:
    """The databases of the scenario now running (SQLite in a scratch folder when run.py set none)."""
    if not _current:
        raise RuntimeError("no database scope: run scenarios through bench/run.py (harness.database_scope)")
    return _current[-1]


def new_database(tag: str) -> str:
    """URL of a new, empty database for the running scenario, on the server ``run.py --db`` names."""
    return current_databases().new(tag)


def copy_database(url: str, tag: str) -> str:
    """URL of a new database of the running scenario holding a copy of the database at ``url``."""
    return current_databases().copy(url, tag)


def is_postgresql() -> bool:
    """True when the running scenario's databases are on PostgreSQL."""
    return current_databases().dialect == "postgresql"


def scratch_folder() -> Path:
    """A folder for the running scenario's files, removed with its databases."""
    return current_databases().folder


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL from :func:`new_database`."""
    database = sa.make_url(url).database
    if not database:
        raise ValueError(f"not a SQLite file URL: {url}")
    return Path(database)


def libpq_url(url: str) -> str:
    """The ``postgresql+psycopg://`` URL as psycopg itself takes it."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def copy_rows(url: str, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Floor: ``COPY table (columns) FROM STDIN`` of ``rows`` in one transaction (psycopg 3)."""
    import psycopg

    count = 0
    with (
        psycopg.connect(libpq_url(url)) as connection,
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def executemany_rows(url: str, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Floor: one ``INSERT`` by ``executemany`` of ``rows`` in one transaction (psycopg 3, pipelined)."""
    import psycopg

    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with psycopg.connect(libpq_url(url)) as connection, connection.cursor() as cursor:
        cursor.executemany(insert, rows)
    return len(rows)
