"""Archival information packages as BagIt bags (RFC 8493), with SM3 and SHA-256 manifests.

The bag is made by the standard ``bagit`` library, which writes ``manifest-sha256.txt`` and the tag
manifest. ``bagit`` knows no SM3, so ``manifest-sm3.txt`` (GB/T 32905-2016) is written here, in the
RFC 8493 §2.1.3 manifest format, and the tag manifest is regenerated so that it covers it. ``bagit``
validates such a bag (it skips a manifest whose algorithm it does not know, but checks the file
against the tag manifest); :func:`verify_bag` then checks the SM3 manifest itself.

Descriptive metadata of each item is ``data/<item>/metadata.json``, grouped as DA/T 46-2009's
element groups (聚合层次, 来源, 电子文件号, 档号, 内容描述, 形式特征, 存储位置, 权限管理), inside
the payload so the manifests cover it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from govparts.core.audit import hash_algorithm
from govparts.core.errors import IntegrityViolation
from govparts.core.i18n import N_

from ._i18n import DOMAIN
from .archival_code import parse as parse_archival_code

__all__ = ["item_folder", "verify_bag", "write_bag"]

SM3_MANIFEST = "manifest-sm3.txt"


def item_folder(archival_code: str) -> str:
    """The payload folder of an item: its archival code with ``·`` written as ``.`` (plain ASCII)."""
    return archival_code.replace("·", ".")


def write_bag(directory: Path, items: Sequence[Mapping[str, Any]], bag_info: Mapping[str, str]) -> Path:
    """Write a bag at ``directory`` (which must not exist) holding ``items``.

    Each item is ``{"archival_code", "metadata" (JSON-able), "files": [(name, bytes)]}``.
    """
    import bagit

    directory.mkdir(parents=True)
    for item in items:
        folder = directory / item_folder(item["archival_code"])
        folder.mkdir()
        for name, content in item["files"]:
            (folder / name).write_bytes(content)
        (folder / "metadata.json").write_text(
            json.dumps(item["metadata"], ensure_ascii=False, indent=2, sort_keys=True, default=str),
            encoding="utf-8",
        )
    bag = bagit.make_bag(str(directory), dict(bag_info), checksums=["sha256"])
    if hash_algorithm() == "sm3":
        lines = []
        for relative in sorted(bag.payload_files()):
            data = (directory / relative).read_bytes()
            lines.append(f"{hashlib.new('sm3', data).hexdigest()}  {relative}\n")
        (directory / SM3_MANIFEST).write_text("".join(lines), encoding="utf-8")
        bag.save(manifests=True)
    return directory


def _fail(message: str, path: Path, **details: object) -> IntegrityViolation:
    return IntegrityViolation(message, field="package", got=str(path.name), domain=DOMAIN, **details)


def verify_bag(directory: Path) -> dict[str, Any]:
    """Verify a bag: RFC 8493 validity and every manifest's fixity, SM3 included; raise if anything fails.

    Returns the bag's name, Payload-Oxum, algorithms checked, archival codes and item metadata.
    Raises :class:`~govparts.core.errors.IntegrityViolation` (field ``package``).
    """
    import bagit

    try:
        bag = bagit.Bag(str(directory))
        bag.validate()
    except bagit.BagError as exc:
        raise _fail(
            N_("{field}: the bag {got} is not a valid BagIt bag: {reason}"), directory, reason=str(exc)
        ) from None
    algorithms = list(bag.algorithms)
    sm3_path = directory / SM3_MANIFEST
    if sm3_path.exists():
        if hash_algorithm() != "sm3":
            raise _fail(
                N_("{field}: the bag {got} carries SM3 digests, which this platform cannot check"), directory
            )
        listed: dict[str, str] = {}
        for line in sm3_path.read_text(encoding="utf-8").splitlines():
            digest, _, relative = line.strip().partition(" ")
            listed[relative.strip()] = digest.lower()
        payload = set(bag.payload_files())
        if set(listed) != payload:
            raise _fail(
                N_("{field}: the SM3 manifest of {got} does not list exactly the payload files"), directory
            )
        for relative, digest in listed.items():
            if hashlib.new("sm3", (directory / relative).read_bytes()).hexdigest() != digest:
                raise _fail(
                    N_("{field}: SM3 digest of {file} in {got} does not match its manifest"),
                    directory,
                    file=relative,
                )
        algorithms.append("sm3")
    codes: list[str] = []
    metadata: list[dict[str, Any]] = []
    for relative in sorted(bag.payload_files()):
        if relative.endswith("/metadata.json"):
            record = json.loads((directory / relative).read_text(encoding="utf-8"))
            code = str(record.get("档号", {}).get("archival_code", ""))
            parse_archival_code(code)
            codes.append(code)
            metadata.append(record)
    if not codes:
        raise _fail(N_("{field}: the bag {got} holds no item metadata"), directory)
    return {
        "bag_name": directory.name,
        "payload_oxum": str(bag.info.get("Payload-Oxum", "")),
        "algorithms": sorted(algorithms),
        "archival_codes": codes,
        "files": len(list(bag.payload_files())),
        "metadata": metadata,
    }
