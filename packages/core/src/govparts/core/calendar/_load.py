"""Reading calendar data: the shipped notices, notices loaded at runtime, organisation overrides.

A data file (TOML, or JSON with ISO date strings) holds one scope and its yearly arrangements::

    format = 1

    [scope]
    level = "region"                  # "national" or "region"
    code = "65"                       # GB/T 2260, short or six-digit; omitted for national
    zh = "新疆维吾尔自治区"
    en = "Xinjiang Uygur Autonomous Region"
    ug = "شىنجاڭ ئۇيغۇر ئاپتونوم رايونى"
    legal_basis = "…"

    [[arrangement]]
    year = 2025
    source_doc = "…"                  # the citation every day of this notice carries
    title = "…"                       # optional: issuer, issued, legal_basis, confidence, sources, note
    cancel_makeup_workdays = []       # optional: lower-level make-up workdays this notice cancels

    [[arrangement.holiday]]
    key = "eid_al_fitr"               # a name from holidays.toml, or give zh/en/ug here
    first = 2025-03-29
    last = 2025-03-31                 # optional, default: first
    festival_day = 2025-03-31         # optional
    statutory = []                    # optional: statutory days of the block
    makeup_workdays = []              # optional: weekend days worked for it

    [[arrangement.day]]               # optional: a single rest day or workday outside a holiday
    date = 2025-06-13
    kind = "rest_day"

An organisation's overrides file has ``format = 1``, an ``[org]`` table with ``id`` and
``[[day]]`` tables (``date`` or ``first``/``last``, ``kind``, ``source_doc``, optional names).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

from ..errors import InvalidSpec, NotFound
from ..i18n import N_
from ._model import (
    Arrangement,
    CalendarScope,
    DayOverride,
    HolidayBlock,
    HolidayName,
    OrgOverrides,
    OverrideKind,
)
from ._region import normalize_region

FORMAT = 1
_DATA = "govparts.core.calendar"
_NAMES_FILE = "holidays.toml"
_MAX_BLOCK_DAYS = 31
_OVERRIDE_KINDS: tuple[OverrideKind, ...] = ("rest_day", "workday")

Source = str | os.PathLike[str] | Mapping[str, Any]


@dataclass(frozen=True, eq=False)
class Notices:
    """The set of published arrangements calendars are built from: national and regional scopes.

    Immutable; :meth:`with_scope` returns a new set. Keys of :attr:`scopes` are ``""`` for the
    national scope and normalised region codes otherwise. Compared (and hashed) by identity, so
    calendars can be cached per set.
    """

    scopes: Mapping[str, CalendarScope] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def national(self) -> CalendarScope | None:
        """The national scope, if loaded."""
        return self.scopes.get("")

    def region(self, code: str) -> CalendarScope | None:
        """The declared scope of the normalised region ``code``, if any."""
        return self.scopes.get(code)

    def with_scope(self, scope: CalendarScope, *, replace: bool = False) -> Notices:
        """A new set with ``scope``'s arrangements added.

        An arrangement for a year already present must be identical unless ``replace`` is true
        (a corrected notice); otherwise :class:`~govparts.core.errors.InvalidSpec` is raised.
        """
        for year, arrangement in scope.arrangements.items():
            where = f"{scope.describe()}.{year}"
            if (arrangement.level, arrangement.scope, arrangement.year) != (scope.level, scope.code, year):
                raise InvalidSpec(
                    N_("{field}: the arrangement belongs to {got}, not to this scope and year"),
                    field=where,
                    got=f"{arrangement.level} {arrangement.scope} {arrangement.year}".replace("  ", " "),
                )
            _check_arrangement(arrangement, where)
        existing = self.scopes.get(scope.code)
        if existing is None:
            merged = scope
        else:
            years = dict(existing.arrangements)
            for year, arrangement in scope.arrangements.items():
                if year in years and years[year] != arrangement and not replace:
                    raise InvalidSpec(
                        N_(
                            "{field}: another arrangement for {year} is already loaded; "
                            "pass replace=True to correct it"
                        ),
                        field=f"{scope.describe()}.{year}",
                        year=year,
                    )
                years[year] = arrangement
            header = scope if replace else existing
            merged = _with_arrangements(header, years)
        scopes = dict(self.scopes)
        scopes[scope.code] = merged
        return Notices(MappingProxyType(scopes))


def _with_arrangements(scope: CalendarScope, years: Mapping[int, Arrangement]) -> CalendarScope:
    return dataclasses.replace(scope, arrangements=MappingProxyType(dict(sorted(years.items()))))


# --- parsing ---------------------------------------------------------------------------------


def _read(source: Source, what: str) -> tuple[Mapping[str, Any], str]:
    if isinstance(source, Mapping):
        return source, what
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(field="path", kind="calendar data file", got=str(path)) from None
    if path.suffix.lower() == ".json":
        import json

        try:
            return json.loads(text), path.name
        except json.JSONDecodeError as exc:
            raise InvalidSpec(
                N_("{field}: not valid JSON: {reason}"), field=path.name, reason=str(exc)
            ) from None
    import tomllib

    try:
        return tomllib.loads(text), path.name
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSpec(N_("{field}: not valid TOML: {reason}"), field=path.name, reason=str(exc)) from None


def _only(table: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise InvalidSpec(
            N_("{field}: unknown key(s) {got}; allowed: {allowed}"),
            field=where,
            got=", ".join(unknown),
            allowed=sorted(allowed),
        )


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidSpec(N_("{field}: expected a table, got {got}"), field=where, got=type(value).__name__)
    return value


def _tables(value: Any, where: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidSpec(
            N_("{field}: expected a list of tables, got {got}"), field=where, got=type(value).__name__
        )
    return [_table(item, f"{where}[{i}]") for i, item in enumerate(value)]


def _text(table: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidSpec(N_("{field}: expected non-empty text"), field=f"{where}.{key}")
    return value.strip()


def _texts(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidSpec(N_("{field}: expected a list of text"), field=f"{where}.{key}")
    return tuple(value)


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        raise InvalidSpec(N_("{field}: expected a date (YYYY-MM-DD), got {got}"), field=where, got=str(value))
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidSpec(N_("{field}: expected a date (YYYY-MM-DD), got {got}"), field=where, got=str(value))


def _dates(table: Mapping[str, Any], key: str, where: str) -> tuple[date, ...]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise InvalidSpec(N_("{field}: expected a list of dates"), field=f"{where}.{key}")
    return tuple(_date(v, f"{where}.{key}[{i}]") for i, v in enumerate(value))


def _name(table: Mapping[str, Any], where: str, key: str | None) -> HolidayName | None:
    inline = [table.get(lang) for lang in ("zh", "en", "ug")]
    if any(inline):
        if not all(isinstance(v, str) and v.strip() for v in inline):
            raise InvalidSpec(N_("{field}: give the name in all of zh, en and ug"), field=where)
        zh, en, ug = (cast(str, v).strip() for v in inline)
        return HolidayName(zh, en, ug)
    if key is None:
        return None
    known = holiday_names().get(key)
    if known is None:
        raise InvalidSpec(
            N_("{field}: {got} is not a known holiday; give its zh, en and ug names"),
            field=f"{where}.key",
            got=key,
        )
    return known


def _range(table: Mapping[str, Any], where: str) -> tuple[date, date]:
    if "date" in table:
        if "first" in table or "last" in table:
            raise InvalidSpec(N_("{field}: give either date or first/last, not both"), field=where)
        day = _date(table["date"], f"{where}.date")
        return day, day
    if "first" not in table:
        raise InvalidSpec(N_("{field}: a value is required"), field=f"{where}.first")
    first = _date(table["first"], f"{where}.first")
    last = _date(table.get("last", table["first"]), f"{where}.last")
    if last < first or (last - first).days >= _MAX_BLOCK_DAYS:
        raise InvalidSpec(
            N_("{field}: {got} must be on or after first and within {limit} days of it"),
            field=f"{where}.last",
            got=last.isoformat(),
            limit=_MAX_BLOCK_DAYS,
        )
    return first, last


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _overrides(items: list[Mapping[str, Any]], where: str, default_source: str | None) -> list[DayOverride]:
    result: list[DayOverride] = []
    for i, item in enumerate(items):
        here = f"{where}[{i}]"
        _only(item, ("date", "first", "last", "kind", "source_doc", "zh", "en", "ug", "note"), here)
        kind = item.get("kind")
        if kind not in _OVERRIDE_KINDS:
            raise InvalidSpec(
                N_("{field}: {got} is not one of {allowed}"),
                field=f"{here}.kind",
                got=str(kind),
                allowed=list(_OVERRIDE_KINDS),
            )
        source_doc = _text(item, "source_doc", here, required=default_source is None) or default_source
        name = _name(item, here, None)
        first, last = _range(item, here)
        result.extend(
            DayOverride(day, cast(OverrideKind, kind), cast(str, source_doc), name)
            for day in _span(first, last)
        )
    return result


def _parse_arrangement(
    item: Mapping[str, Any], where: str, level: Literal["national", "region"], code: str
) -> Arrangement:
    _only(
        item,
        (
            "year", "source_doc", "title", "issuer", "issued", "legal_basis", "confidence", "sources", "note",
            "holiday", "day", "cancel_makeup_workdays",
        ),
        where,
    )  # fmt: skip
    year = item.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise InvalidSpec(N_("{field}: expected a year, got {got}"), field=f"{where}.year", got=str(year))
    where = f"{where}({year})"
    source_doc = _text(item, "source_doc", where, required=True)
    holidays: list[HolidayBlock] = []
    for j, block in enumerate(_tables(item.get("holiday"), f"{where}.holiday")):
        here = f"{where}.holiday[{j}]"
        _only(
            block,
            (
                "key",
                "zh",
                "en",
                "ug",
                "first",
                "last",
                "festival_day",
                "statutory",
                "makeup_workdays",
                "note",
            ),
            here,
        )
        key = _text(block, "key", here, required=True)
        first, last = _range(block, here)
        festival = block.get("festival_day")
        holidays.append(
            HolidayBlock(
                key=key,
                name=cast(HolidayName, _name(block, here, key)),
                first=first,
                last=last,
                makeup_workdays=_dates(block, "makeup_workdays", here),
                statutory=frozenset(_dates(block, "statutory", here)),
                festival_day=None if festival is None else _date(festival, f"{here}.festival_day"),
            )
        )
    issued = item.get("issued")
    return Arrangement(
        level=level,
        scope=code,
        year=year,
        source_doc=source_doc,
        title=_text(item, "title", where),
        issuer=_text(item, "issuer", where),
        issued=None if issued is None else _date(issued, f"{where}.issued"),
        legal_basis=_text(item, "legal_basis", where),
        confidence=_text(item, "confidence", where),
        sources=_texts(item, "sources", where),
        note=_text(item, "note", where),
        holidays=tuple(holidays),
        overrides=tuple(_overrides(_tables(item.get("day"), f"{where}.day"), f"{where}.day", source_doc)),
        cancelled_makeup_workdays=_dates(item, "cancel_makeup_workdays", where),
    )


def _check_arrangement(arrangement: Arrangement, where: str) -> None:
    """Rules every arrangement obeys, however it was made (file, mapping or constructor)."""
    seen: dict[date, str] = {}

    def claim(day: date, what: str) -> None:
        if abs(day.year - arrangement.year) > 1:
            raise InvalidSpec(
                N_("{field}: {got} is too far from the arrangement's year {year}"),
                field=f"{where}.{what}",
                got=day.isoformat(),
                year=arrangement.year,
            )
        if day in seen:
            raise InvalidSpec(
                N_("{field}: {got} is given twice in one arrangement (also as {other})"),
                field=f"{where}.{what}",
                got=day.isoformat(),
                other=seen[day],
            )
        seen[day] = what

    for block in arrangement.holidays:
        if block.last < block.first:
            raise InvalidSpec(
                N_("{field}: {got} must be on or after first and within {limit} days of it"),
                field=f"{where}.{block.key}.last",
                got=block.last.isoformat(),
                limit=_MAX_BLOCK_DAYS,
            )
        for day in block.days_off():
            claim(day, f"{block.key}.off")
        for day in block.makeup_workdays:
            if day.weekday() < 5:
                raise InvalidSpec(
                    N_("{field}: make-up workday {got} is not a Saturday or Sunday"),
                    field=f"{where}.{block.key}.makeup_workdays",
                    got=day.isoformat(),
                )
            claim(day, f"{block.key}.makeup_workdays")
        outside = sorted(d.isoformat() for d in block.statutory if not block.first <= d <= block.last)
        if outside:
            raise InvalidSpec(
                N_("{field}: statutory day(s) {got} lie outside the block's days off"),
                field=f"{where}.{block.key}.statutory",
                got=", ".join(outside),
            )
        if block.festival_day is not None and abs(block.festival_day.year - arrangement.year) > 1:
            raise InvalidSpec(
                N_("{field}: {got} is too far from the arrangement's year {year}"),
                field=f"{where}.{block.key}.festival_day",
                got=block.festival_day.isoformat(),
                year=arrangement.year,
            )
    for entry in arrangement.overrides:
        claim(entry.date, "day")
    if arrangement.cancelled_makeup_workdays and arrangement.level == "national":
        raise InvalidSpec(
            N_("{field}: the national arrangement has no lower level to cancel make-up workdays of"),
            field=f"{where}.cancel_makeup_workdays",
        )
    for day in arrangement.cancelled_makeup_workdays:
        claim(day, "cancel_makeup_workdays")


def parse_scope(data: Mapping[str, Any], origin: str = "calendar") -> CalendarScope:
    """Build and check a :class:`CalendarScope` from parsed file content (see the module docstring)."""
    _only(data, ("format", "scope", "arrangement"), origin)
    if data.get("format") != FORMAT:
        raise InvalidSpec(
            N_("{field}: unsupported format {got}; expected {expected}"),
            field=f"{origin}.format",
            got=str(data.get("format")),
            expected=str(FORMAT),
        )
    head = _table(data.get("scope"), f"{origin}.scope")
    _only(head, ("level", "code", "zh", "en", "ug", "legal_basis", "note", "sources"), f"{origin}.scope")
    level = head.get("level")
    if level not in ("national", "region"):
        raise InvalidSpec(
            N_("{field}: {got} is not one of {allowed}"),
            field=f"{origin}.scope.level",
            got=str(level),
            allowed=["national", "region"],
        )
    if level == "national":
        if head.get("code"):
            raise InvalidSpec(
                N_("{field}: the national scope has no region code"), field=f"{origin}.scope.code"
            )
        code = ""
    else:
        code = normalize_region(
            _text(head, "code", f"{origin}.scope", required=True), field=f"{origin}.scope.code"
        )
    name = _name(head, f"{origin}.scope", None)
    if name is None:
        raise InvalidSpec(N_("{field}: give the name in all of zh, en and ug"), field=f"{origin}.scope")
    years: dict[int, Arrangement] = {}
    for i, item in enumerate(_tables(data.get("arrangement"), f"{origin}.arrangement")):
        arrangement = _parse_arrangement(item, f"{origin}.arrangement[{i}]", level, code)
        if arrangement.year in years:
            raise InvalidSpec(
                N_("{field}: a second arrangement for {year}"),
                field=f"{origin}.arrangement[{i}].year",
                year=arrangement.year,
            )
        _check_arrangement(arrangement, f"{origin}.arrangement[{i}]({arrangement.year})")
        years[arrangement.year] = arrangement
    return CalendarScope(
        level=level,
        code=code,
        name=name,
        legal_basis=_text(head, "legal_basis", f"{origin}.scope"),
        note=_text(head, "note", f"{origin}.scope"),
        sources=_texts(head, "sources", f"{origin}.scope"),
        arrangements=MappingProxyType(dict(sorted(years.items()))),
    )


def load_scope(source: Source) -> CalendarScope:
    """Read one scope's arrangements from a TOML/JSON file path or an already-parsed mapping."""
    data, origin = _read(source, "calendar")
    return parse_scope(data, origin)


def load_org_overrides(source: Source) -> OrgOverrides:
    """Read an organisation's overrides from a TOML/JSON file path or a mapping.

    Each ``[[day]]`` needs its own ``source_doc`` (the unit's notice that made the change).
    """
    data, origin = _read(source, "org")
    _only(data, ("format", "org", "day"), origin)
    if data.get("format") != FORMAT:
        raise InvalidSpec(
            N_("{field}: unsupported format {got}; expected {expected}"),
            field=f"{origin}.format",
            got=str(data.get("format")),
            expected=str(FORMAT),
        )
    head = _table(data.get("org"), f"{origin}.org")
    _only(head, ("id", "note"), f"{origin}.org")
    org = _text(head, "id", f"{origin}.org", required=True)
    days = _overrides(_tables(data.get("day"), f"{origin}.day"), f"{origin}.day", None)
    return org_overrides(org, days)


def org_overrides(org: str, days: Iterable[DayOverride]) -> OrgOverrides:
    """Build checked :class:`OrgOverrides`: one entry per date, a kind and a source for each."""
    if not isinstance(org, str) or not org.strip():
        raise InvalidSpec(N_("{field}: expected non-empty text"), field="org")
    entries = tuple(sorted(days, key=lambda entry: entry.date))
    seen: set[date] = set()
    for entry in entries:
        where = f"org({org}).{entry.date.isoformat()}"
        if entry.date in seen:
            raise InvalidSpec(N_("{field}: {got} is given twice"), field=where, got=entry.date.isoformat())
        seen.add(entry.date)
        if entry.kind not in _OVERRIDE_KINDS:
            raise InvalidSpec(
                N_("{field}: {got} is not one of {allowed}"),
                field=f"{where}.kind",
                got=str(entry.kind),
                allowed=list(_OVERRIDE_KINDS),
            )
        if not entry.source_doc.strip():
            raise InvalidSpec(N_("{field}: expected non-empty text"), field=f"{where}.source_doc")
    return OrgOverrides(org.strip(), entries)


# --- shipped data and the default set ---------------------------------------------------------

_lock = threading.Lock()
_names: Mapping[str, HolidayName] | None = None
_default: Notices | None = None


def holiday_names() -> Mapping[str, HolidayName]:
    """The names of the holidays the shipped notices use, by key (``spring_festival``…)."""
    global _names
    if _names is None:
        import tomllib

        raw = tomllib.loads(files(_DATA).joinpath("data", _NAMES_FILE).read_text(encoding="utf-8"))
        _names = MappingProxyType(
            {key: HolidayName(value["zh"], value["en"], value["ug"]) for key, value in raw.items()}
        )
    return _names


def shipped_notices() -> Notices:
    """The notices shipped with govparts-core (``calendar/data/*.toml``), freshly read."""
    import tomllib

    notices = Notices()
    folder = files(_DATA).joinpath("data")
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".toml") and resource.name != _NAMES_FILE:
            scope = parse_scope(tomllib.loads(resource.read_text(encoding="utf-8")), resource.name)
            notices = notices.with_scope(scope)
    return notices


def default_notices() -> Notices:
    """The notices the module-level functions use: the shipped ones plus any :func:`register`-ed."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = shipped_notices()
    return _default


def set_default_notices(notices: Notices) -> Notices:
    """Make ``notices`` the default set; returns the previous one (to restore it later)."""
    global _default
    previous = default_notices()
    with _lock:
        _default = notices
    from ._calendar import _cached

    _cached.cache_clear()
    return previous


def register(source: Source | CalendarScope, *, replace: bool = False) -> Notices:
    """Add a scope's arrangements (a file, a mapping or a :class:`CalendarScope`) to the default set.

    This is how a deployment loads a notice published after its govparts release (next year's
    State Council notice, this year's regional notice). Returns the new default set.
    """
    scope = source if isinstance(source, CalendarScope) else load_scope(source)
    notices = default_notices().with_scope(scope, replace=replace)
    set_default_notices(notices)
    return notices
