"""Archival information packages as BagIt 1.0 bags (RFC 8493), with SM3 and SHA-256 manifests.

The bag is made by the standard ``bagit`` library, which writes ``manifest-sha256.txt`` and the tag
manifest; ``bagit`` still declares ``BagIt-Version: 0.97``, so ``bagit.txt`` is rewritten as RFC
8493 §2.1.1 requires (``BagIt-Version: 1.0``) before the tag manifest is made. ``bagit`` knows no
SM3, so ``manifest-sm3.txt`` (GB/T 32905-2016) is written here, in the RFC 8493 §2.1.3 manifest
format, and the tag manifest is regenerated so that it covers it. ``bagit``
validates such a bag (it skips a manifest whose algorithm it does not know, but checks the file
against the tag manifest); :func:`verify_bag` then checks the SM3 manifest itself.

Descriptive metadata of each item is ``data/<item>/metadata.json``, grouped as DA/T 46-2009's
element groups (聚合层次, 来源, 电子文件号, 档号, 内容描述, 形式特征, 存储位置, 权限管理, 电子签名),
inside the payload so the manifests cover it. A signed document's signature files are tag files
under ``signatures/<item folder>/`` (RFC 8493 §2.2.4 allows other tag files; the tag manifest
covers them), described in :mod:`govparts.archives.signature`.

A bag is written whole or not at all: it is built in a hidden folder beside the target and renamed
into place only when complete, and a target that exists is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from govparts.core.audit import hash_algorithm
from govparts.core.errors import IntegrityViolation, InvalidInput
from govparts.core.i18n import N_
from govparts.core.signing import DEFAULT_DISTID, load_public_key

from . import signature as _signature
from ._i18n import DOMAIN
from .archival_code import parse as parse_archival_code

__all__ = ["BAGIT_DECLARATION", "SIGNATURES", "TEXT_BODY", "item_folder", "verify_bag", "write_bag"]

SM3_MANIFEST = "manifest-sm3.txt"
BAGIT_DECLARATION = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
"""``bagit.txt`` of RFC 8493 §2.1.1."""
TEXT_BODY = "body-text.txt"
"""The package file of a document's text body (always there for a signed one: its signature covers it)."""
SIGNATURES = "signatures"
"""The tag folder holding the signature files of signed items, one sub-folder per item."""


def item_folder(archival_code: str) -> str:
    """The payload folder of an item: its archival code with ``·`` written as ``.`` (plain ASCII)."""
    return archival_code.replace("·", ".")


def write_bag(
    directory: Path,
    items: Sequence[Mapping[str, Any]],
    bag_info: Mapping[str, str | list[str]],
    tag_files: Mapping[str, bytes] | None = None,
) -> Path:
    """Write a BagIt 1.0 bag at ``directory`` holding ``items``, whole or not at all.

    Each item is ``{"archival_code", "metadata" (JSON-able), "files": [(name, bytes)]}``;
    ``tag_files`` maps a relative path outside ``data/`` to its content. ``directory`` must not
    exist and its parent must: otherwise :class:`~govparts.core.errors.InvalidInput` (field
    ``directory``) and nothing is written. On any failure the half-built bag is removed.
    """
    import bagit

    directory = Path(directory)
    if directory.exists() or directory.is_symlink():
        raise InvalidInput(
            N_("{field}: {got} already exists; a package is never written over anything"),
            field="directory",
            got=str(directory),
            domain=DOMAIN,
        )
    if not directory.parent.is_dir():
        raise InvalidInput(
            N_("{field}: the folder {got} to write the package in does not exist"),
            field="directory",
            got=str(directory.parent),
            domain=DOMAIN,
        )
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".partial", dir=directory.parent))
    try:
        umask = os.umask(0o022)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp's private 0700 would become the bag's (and data/'s) mode
        for item in items:
            folder = staging / item_folder(item["archival_code"])
            folder.mkdir()
            for name, content in item["files"]:
                (folder / name).write_bytes(content)
            (folder / "metadata.json").write_text(
                json.dumps(item["metadata"], ensure_ascii=False, indent=2, sort_keys=True, default=str),
                encoding="utf-8",
            )
        bag = bagit.make_bag(str(staging), dict(bag_info), checksums=["sha256"])
        (staging / "bagit.txt").write_text(BAGIT_DECLARATION, encoding="utf-8")
        for relative, content in sorted((tag_files or {}).items()):
            target = staging / relative
            if relative.startswith("data/") or ".." in Path(relative).parts:
                raise ValueError(f"tag file outside the tag area: {relative}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if hash_algorithm() == "sm3":
            lines = []
            for relative in sorted(bag.payload_files()):
                data = (staging / relative).read_bytes()
                lines.append(f"{hashlib.new('sm3', data).hexdigest()}  {relative}\n")
            (staging / SM3_MANIFEST).write_text("".join(lines), encoding="utf-8")
        bag.save()  # the tag manifest now covers bagit.txt 1.0, the SM3 manifest and the tag files
        os.rename(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
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
    signed = _verify_signatures(directory, dict(zip(codes, metadata, strict=True)))
    return {
        "bag_name": directory.name,
        "payload_oxum": str(bag.info.get("Payload-Oxum", "")),
        "algorithms": sorted(algorithms),
        "archival_codes": codes,
        "files": len(list(bag.payload_files())),
        "metadata": metadata,
        "version": ".".join(str(n) for n in bag.version_info),
        "signed_items": signed,
    }


def _verify_signatures(directory: Path, items: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Check every item signature the bag carries from the bag's own files; the codes that verified.

    For each ``signatures/<item folder>/``: the signature verifies over ``canonical.json`` with
    ``signer.pem``, the key is the one the item's metadata names, ``canonical.json``'s number, title,
    organ and date are the item metadata's and its ``body_sm3`` is the SM3 of the item's
    ``body-text.txt``. Anything else raises :class:`~govparts.core.errors.IntegrityViolation`.
    """
    root = directory / SIGNATURES
    if not root.is_dir():
        return []
    by_folder = {item_folder(code): code for code in items}
    verified: list[str] = []
    for folder in sorted(p for p in root.iterdir()):
        code = by_folder.get(folder.name)
        if code is None or not folder.is_dir():
            raise _fail(
                N_("{field}: {file} in {got} belongs to no item of the package"), directory, file=folder.name
            )
        try:
            content = (folder / "canonical.json").read_bytes()
            value = (folder / "document.sig").read_bytes()
            pem = (folder / "signer.pem").read_bytes()
            fields = _signature.parse_content(content)
            body = (directory / "data" / folder.name / TEXT_BODY).read_bytes()
        except (OSError, InvalidInput):
            raise _fail(
                N_("{field}: the signature files of {file} in {got} are missing or malformed"),
                directory,
                file=code,
            ) from None
        recorded = items[code].get("电子签名") or {}
        described = items[code].get("内容描述") or {}
        expected = {
            "document_number": described.get("文件编号"),
            "title": described.get("题名"),
            "issuing_organ": described.get("责任者"),
            "date": described.get("日期"),
            "body_sm3": hashlib.new("sm3", body).hexdigest(),
        }
        distid = str(recorded.get("签名标识符") or DEFAULT_DISTID)
        try:
            good = (
                all(fields[k] == v for k, v in expected.items())
                and recorded.get("签名结果") == base64.b64encode(value).decode("ascii")
                and recorded.get("证书引证") == load_public_key(pem).key_id
                and _signature.verify_content(content, value, pem, distid=distid)
            )
        except InvalidInput:
            good = False
        if not good:
            raise _fail(N_("{field}: the signature of {file} in {got} does not verify"), directory, file=code)
        verified.append(code)
    return verified
