"""The administrative division codes (GB/T 2260) that exist or once existed, loaded once on first use.

Two sources, merged:

* our own list ``GB/T 2260-2007`` (``govparts/core/codes/data/gbt-2260.csv``): every province-level
  division and all of Xinjiang with names in three languages, the real hierarchy and validity dates;
* python-stdnum's national history table ``stdnum/cn/loc.dat`` (derived from the zh.wikipedia
  行政区划代码 pages, codes since 1980 with the years each was in use) for the rest of China.

Where both know a code, our list wins. A code from loc.dat alone gets its latest Chinese name, the
province as its parent (loc.dat groups codes by province; it records no deeper hierarchy) and
year-precision validity (1 January of the first year, 31 December of the last).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date

from ..codes import Code, CodeList

LIST_ID = "GB/T 2260"

# loc.dat names look like "[1983-1998]南山矿区,[1999-2001]南泉区,[2002-]达坂城区" or just "天山区".
_SPAN = re.compile(r"^\[(?P<start>\d{4})?-(?P<end>\d{4})?\](?P<name>.*)$")


@dataclass(frozen=True, slots=True)
class DivisionTable:
    """Every known division code: ``codes`` maps code to entry; ``listed`` are those of our own list."""

    codes: dict[str, Code]
    listed: frozenset[str]
    all_codes: frozenset[str]
    code_list: CodeList


_table: DivisionTable | None = None
_lock = threading.Lock()


def _national_history() -> dict[str, Code]:
    from stdnum import numdb

    entries: dict[str, Code] = {}
    for _length, low, high, props, children in numdb.get("cn/loc").prefixes:
        for province in range(int(low), int(high) + 1):
            prefix = f"{province:02d}"
            for child_length, child_low, child_high, child_props, _ in children:
                for number in range(int(child_low), int(child_high) + 1):
                    code = prefix + f"{number:0{child_length}d}"
                    entries[code] = _entry(code, child_props.get("county", ""), prefix + "0000")
            if props.get("province") and prefix + "0000" not in entries:
                entries[prefix + "0000"] = Code(prefix + "0000", props["province"], "", "")
    return entries


def _entry(code: str, names: str, province: str) -> Code:
    spans = [_SPAN.match(part) for part in names.split(",")]
    first, last = spans[0], spans[-1]
    name = last["name"] if last else names.rsplit(",", maxsplit=1)[-1]
    start = first["start"] if first else None
    end = last["end"] if last else None
    return Code(
        code=code,
        zh=name,
        en="",
        ug="",
        parent=None if code == province else province,
        valid_from=date(int(start), 1, 1) if start else None,
        valid_to=date(int(end), 12, 31) if end else None,
    )


def table() -> DivisionTable:
    """The merged table, built on first call (about 7,000 codes)."""
    global _table
    if _table is not None:
        return _table
    with _lock:
        if _table is None:
            from ..codes import get

            code_list = get(LIST_ID)
            merged = _national_history()
            merged.update(code_list.codes)
            _table = DivisionTable(
                codes=merged,
                listed=frozenset(code_list.codes),
                all_codes=frozenset(merged),
                code_list=code_list,
            )
    return _table
