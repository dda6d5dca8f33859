"""``govparts demo --broker``: every part as its own agency, exchanging events only through JetStream.

The command is a coordinator. It starts one agency per installed part that offers a scenario
(:mod:`govparts.cli._agency`, a process of its own with its own SQLite database ``DIR/<part>.db``,
the same office, seed and locale), and drives the phases in the order of
:func:`govparts.core.demo.plan`: it asks the part's agency to run its phase (which then publishes its
outbox to the stream with a relay), then every agency whose handlers consume one of the event types
just published to consume them from the stream, and each of those that wrote new events to publish
them, one at a time, until no agency has anything new; then the next phase. Business data travels
only as events through the broker; what the coordinator carries between agencies is the scenario's
cast list (:data:`govparts.core.demo.SHARED_FACTS`: who is employed, who leaves, the heads of the
units, the asset register's totals to check the books against), as JSON.

Each agency also runs the demo's built-in core steps on its own database (its migrations are core's
and its part's only) and, at the end, core's closing checks (the audit chain, the drained outbox);
their ids read ``core.<part>.<step>.<check>`` and ``core.<part>.<check>``. Every other check has the
id it has in the single-process demo. The agencies' consumers are named ``demo-<run>-<part>`` and
read the stream from the start of the run on; they are deleted from the broker at the end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from govparts.core.demo import PHASE_TITLES, DemoCheck, order_parts, plan
from govparts.core.errors import ConfigurationError, InvalidInput
from govparts.core.i18n import N_
from govparts.core.parts import Part, iter_parts

from ._agency import table_from_json
from ._demo import Check, DemoReport
from ._ui import DOMAIN, _

__all__ = ["load_part", "run_broker_demo"]

_STOP_WAIT = 10.0
_MAX_ROUNDS = 100
"""Rounds of consuming and publishing after one phase before the run gives up (events in a loop)."""


@dataclass
class _Agency:
    """The coordinator's end of one agency process."""

    part: Part
    process: subprocess.Popen[str]
    log: Path
    handles: set[str] = field(default_factory=set)

    def send(self, op: str, **data: Any) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps({"op": op, **data}, ensure_ascii=False) + "\n")
            stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._failed("") from None

    def receive(self) -> dict[str, Any]:
        stdout = self.process.stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            raise self._failed("")
        reply: dict[str, Any] = json.loads(line)
        if not reply.get("ok"):
            raise self._failed(str(reply.get("error", "")))
        if "handles" in reply:
            self.handles = set(reply["handles"])
        return reply

    def request(self, op: str, **data: Any) -> dict[str, Any]:
        self.send(op, **data)
        return self.receive()

    def _failed(self, error: str) -> ConfigurationError:
        if not error:
            tail = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
            error = " / ".join(tail) or str(self.process.poll())
        return ConfigurationError(
            N_("{field}: the agency {part} stopped: {reason}"),
            field="broker",
            part=self.part.name,
            reason=error,
            domain=DOMAIN,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.send("stop")
                self.process.wait(_STOP_WAIT)
            except (ConfigurationError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with suppress(OSError):  # what is left unwritten to a process that is gone
                    stream.close()


def load_part(reference: str) -> Part:
    """The installed part named ``reference``, or the ``Part`` descriptor at ``module:attribute``
    (a part that is not installed, such as another vendor's)."""
    module, _sep, attribute = reference.partition(":")
    if attribute:
        from importlib import import_module

        try:
            found = getattr(import_module(module), attribute, None)
        except ImportError:
            found = None
        if isinstance(found, Part):
            return found
    else:
        for part in iter_parts():
            if part.name == reference:
                return part
    raise InvalidInput(
        N_("{field}: {got} is neither an installed part nor a part descriptor module:attribute"),
        field="part",
        got=reference,
        domain=DOMAIN,
    )


def _scenario_parts(parts: list[Part | str] | None) -> list[tuple[Part, str]]:
    """The parts with a scenario, in the scenario's order, each with the reference its agency loads."""
    chosen = list(iter_parts()) if parts is None else list(parts)
    found = {}
    for item in chosen:
        part, reference = (load_part(item), item) if isinstance(item, str) else (item, item.name)
        if part.demo is not None and isinstance(part.load("demo"), Mapping):
            found[part.name] = (part, reference)
    return [found[part.name] for part in order_parts(part for part, _ in found.values())]


@contextmanager
def _workdir(workdir: Path | None) -> Iterator[Path]:
    if workdir is None:
        made = Path(tempfile.mkdtemp(prefix="govparts-demo-"))
        try:
            yield made
        finally:
            shutil.rmtree(made, ignore_errors=True)
        return
    workdir.mkdir(parents=True, exist_ok=True)
    yield workdir


@contextmanager
def _agencies(
    parts: list[tuple[Part, str]],
    workdir: Path,
    *,
    broker: str,
    stream: str,
    seed: int,
    locale: str,
    kind: str,
) -> Iterator[dict[str, _Agency]]:
    run = uuid.uuid4().hex[:8]
    since = datetime.now(UTC).isoformat()
    started: dict[str, _Agency] = {}
    logs: list[IO[str]] = []
    try:
        for part, reference in parts:
            log = workdir / f"{part.name}.log"
            handle = log.open("w", encoding="utf-8")
            logs.append(handle)
            command = [sys.executable, "-m", "govparts.cli._agency", "--part", reference]
            command += ["--db", f"sqlite:///{workdir / f'{part.name}.db'}", "--nats", broker]
            command += ["--name", f"demo-{run}-{part.name}", "--stream", stream, "--seed", str(seed)]
            command += ["--locale", locale, "--kind", kind, "--since", since]
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=handle,
                text=True,
                encoding="utf-8",
            )
            started[part.name] = _Agency(part, process, log)
        yield started
    finally:
        for agency in started.values():
            agency.stop()
        for log_file in logs:
            log_file.close()


def _all(agencies: list[_Agency], op: str, **data: Any) -> list[dict[str, Any]]:
    """Send ``op`` to every agency at once, then gather the answers (they work side by side)."""
    for agency in agencies:
        agency.send(op, **data)
    return [agency.receive() for agency in agencies]


class _Collector:
    """Turns the agencies' checks and tables into the demo's report."""

    def __init__(self, report: DemoReport, parts: list[Part], locale: str) -> None:
        self.report, self.locale = report, locale
        self.titles = {part.name: part.title_in(locale) for part in parts}
        self.titles["core"] = _("Audit") + " · " + _("Events")

    def core(self, agency: str, checks: list[dict[str, Any]]) -> None:
        for c in checks:
            key = f"core.{agency}.{c['step_key'].removeprefix('core.')}"
            step = f"{self.titles[agency]} · {c['step']}"
            check_id = f"core.{agency}.{c['id'].removeprefix('core.')}"
            self.report.checks.append(Check(step, c["name"], c["passed"], c["detail"], check_id, key))

    def news(self, agency: str, reply: Mapping[str, Any]) -> None:
        for data in reply.get("checks", []):
            c = DemoCheck(**data)
            if c.part == "core":
                step = f"{self.titles[agency]} · {self.titles['core']}"
                check_id = f"core.{agency}.{c.id.removeprefix('core.')}"
                key = f"core.{agency}.{c.phase}"
            else:
                phase = PHASE_TITLES[c.phase][self.locale] if c.phase in PHASE_TITLES else c.phase
                step = f"{self.titles.get(c.part, c.part)} · {phase}"
                check_id, key = c.id, f"{c.part}.{c.phase}"
            self.report.checks.append(Check(step, c.name, c.passed, c.detail, check_id, key))
        self.report.tables.extend(table_from_json(t) for t in reply.get("tables", []))


def _propagate(agencies: dict[str, _Agency], published: set[str], phase: str, out: _Collector) -> None:
    """Consume and publish until no agency has anything new for another."""
    for _round in range(_MAX_ROUNDS):
        if not published:
            return
        readers = [a for a in agencies.values() if a.handles & published]
        replies = _all(readers, "consume", phase=phase)
        published = set()
        for agency, reply in zip(readers, replies, strict=True):
            out.news(agency.part.name, reply)
            if reply.get("waiting"):
                published |= set(agency.request("publish")["types"])
    raise ConfigurationError(
        N_("{field}: events still flow between the agencies after {count} rounds"),
        field="broker",
        count=_MAX_ROUNDS,
        domain=DOMAIN,
    )


def run_broker_demo(
    broker: str,
    locale: str,
    *,
    workdir: Path | None = None,
    seed: int = 2023,
    kind: str = "administrative",
    stream: str = "GOVPARTS",
    parts: list[Part | str] | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> DemoReport:
    """Run the office's scenario with each part as an agency on ``broker`` (see the module's docstring).

    ``workdir`` keeps the databases (``<part>.db``) and the agencies' logs (``<part>.log``); by
    default a temporary folder, removed afterwards. ``parts`` (default: the installed parts) may
    name a part descriptor that is not installed as ``module:attribute`` (importable by the agency's
    process too, for example through ``PYTHONPATH``). Raises ``InvalidInput`` (field ``workdir``)
    when ``workdir`` already holds a database of one of the parts, and ``ConfigurationError`` (field
    ``broker``) when an agency stops.
    """
    chosen = _scenario_parts(parts)
    if workdir is not None:
        taken = sorted(p.name for p, _ in chosen if (workdir / f"{p.name}.db").exists())
        if taken:
            raise InvalidInput(
                N_("{field}: {got} already holds the databases of a demo ({names}); give an empty folder"),
                field="workdir",
                got=str(workdir),
                names=", ".join(f"{name}.db" for name in taken),
                domain=DOMAIN,
            )
    with _workdir(workdir) as folder:
        report = DemoReport(database=f"sqlite:///{folder}/<part>.db", seed=seed)
        out = _Collector(report, [part for part, _ in chosen], locale)
        with _agencies(
            chosen, folder, broker=broker, stream=stream, seed=seed, locale=locale, kind=kind
        ) as agencies:
            everyone = list(agencies.values())
            for agency, reply in zip(everyone, _all(everyone, "init"), strict=True):
                out.core(agency.part.name, reply["core"])
                out.news(agency.part.name, reply)
            facts: dict[str, Any] = {}
            for part, phase, _step in plan(part for part, _ in chosen):
                if progress is not None:
                    progress(part.name, phase)
                reply = agencies[part.name].request("step", phase=phase, facts=facts)
                facts.update(reply["facts"])
                out.news(part.name, reply)
                _propagate(agencies, set(reply["types"]), phase, out)
            if progress is not None:
                progress("core", "report")
            for agency, reply in zip(everyone, _all(everyone, "close"), strict=True):
                out.news(agency.part.name, reply)
    return report
