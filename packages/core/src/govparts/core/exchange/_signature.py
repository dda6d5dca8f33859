"""Signed exchange packages: an SM2 signature over the exact bytes of ``manifest.json`` (issue 20).

A signed package holds, beside ``manifest.json``:

``manifest.sig``
    the DER SM2 signature with SM3 (GB/T 32918.2-2016, :mod:`govparts.core.signing`) of exactly the
    bytes of ``manifest.json``; what ``openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt
    distid:1234567812345678 -inkey private.pem -in manifest.json -out manifest.sig`` writes, and
    what ``openssl pkeyutl -verify … -sigfile manifest.sig`` checks.
``manifest.sig.json`` (optional)
    ``{"alg": "sm2-sm3", "distid": "1234567812345678", "format": "govparts-exchange-signature/1",
    "key_id": "<SM3 of the signer's SubjectPublicKeyInfo>"}``: which key signed and under which
    distinguishing identifier. It is a hint, not trusted: the signature itself is checked against
    the key it names, and a package signed with OpenSSL alone may leave it out (then the key is
    looked for among the trust file's keys of the manifest's sender, and the identifier is
    ``1234567812345678``).

The manifest holds the SHA-256 and SM3 digests of every data file, so the signature over it covers
the whole package: an edited data line changes a digest, and recomputing the digests changes the
manifest. A verifier accepts a signature when:

1. it matches ``manifest.json`` under a key the trust file lists;
2. that key belongs to the organisation the manifest names as sender (one agency cannot sign for
   another);
3. the key was valid when the package was made (``created_at`` of the manifest, which the signature
   covers), and that moment is not in the future. A package is evidence kept after it is imported:
   a key that expired since does not void it, as with a signed audit checkpoint. A key that was
   compromised is removed from the trust file, not left to expire: then nothing it signed verifies.

Anything else is refused with :class:`SignatureRefused` (field ``manifest.sig``) before one record
is read.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GovPartsError, IntegrityViolation, InvalidInput
from ..i18n import N_
from ._format import Manifest, canonical_line

if TYPE_CHECKING:
    from ..signing import Signer, TrustedKey, TrustList
    from ._package import _Source

__all__ = [
    "SIGNATURE_FORMAT",
    "SIGNATURE_INFO_NAME",
    "SIGNATURE_NAME",
    "PackageSignature",
    "signature_members",
]

SIGNATURE_NAME = "manifest.sig"
"""The DER SM2 signature of ``manifest.json``."""
SIGNATURE_INFO_NAME = "manifest.sig.json"
"""Which key signed, and under which distinguishing identifier (optional)."""
SIGNATURE_FORMAT = "govparts-exchange-signature/1"

_MAX_SIGNATURE = 1024
_MAX_INFO = 4096
_CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class PackageSignature:
    """What signed a package: the agency from the trust file and the key id (``signer`` is None when
    the package is signed but no trust file was given, so the signature was not checked)."""

    key_id: str | None
    signer: TrustedKey | None


def signature_members(signer: Signer, manifest: bytes) -> list[tuple[str, bytes]]:
    """The files that sign a package whose ``manifest.json`` is ``manifest``: name and bytes."""
    from ..signing import DEFAULT_DISTID

    info = {
        "alg": signer.algorithm,
        "distid": DEFAULT_DISTID.decode("ascii"),
        "format": SIGNATURE_FORMAT,
        "key_id": signer.key_id,
    }
    return [
        (SIGNATURE_INFO_NAME, canonical_line(info)),
        (SIGNATURE_NAME, signer.sign(manifest, distid=DEFAULT_DISTID)),
    ]


def _refused(message: str, **details: Any) -> IntegrityViolation:
    return IntegrityViolation(message, field=SIGNATURE_NAME, **details)


def _read_member(source: _Source, name: str, limit: int) -> bytes:
    with source.open(name) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise _refused(N_("{field}: {name} is larger than {limit} bytes"), name=name, limit=limit)
    return data


def _info(source: _Source) -> tuple[str | None, bytes]:
    """The key id and distinguishing identifier ``manifest.sig.json`` names (none and the default)."""
    from ..signing import DEFAULT_DISTID, SIGNATURE_ALGORITHM

    absent = IntegrityViolation(N_("{field}: absent"), field=SIGNATURE_INFO_NAME)
    problem = source.problem(SIGNATURE_INFO_NAME, absent)
    if problem is absent:
        return None, DEFAULT_DISTID
    if problem is not None:
        raise problem
    members: Any = None
    try:
        members = json.loads(_read_member(source, SIGNATURE_INFO_NAME, _MAX_INFO).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        members = None
    valid = (
        isinstance(members, dict)
        and members.get("format") == SIGNATURE_FORMAT
        and all(isinstance(members.get(m), str) and members[m] for m in ("alg", "distid", "key_id"))
    )
    if not valid:
        raise IntegrityViolation(
            N_("{field}: not a signature description (expected JSON with format {expected})"),
            field=SIGNATURE_INFO_NAME,
            expected=SIGNATURE_FORMAT,
        )
    if members["alg"] != SIGNATURE_ALGORITHM:
        raise IntegrityViolation(
            N_("{field}: unknown signature algorithm {got} (known: {allowed})"),
            field=SIGNATURE_INFO_NAME,
            got=str(members["alg"])[:50],
            allowed=[SIGNATURE_ALGORITHM],
        )
    return str(members["key_id"])[:200], str(members["distid"]).encode("utf-8")


def verify_signature(
    source: _Source,
    manifest: Manifest,
    data: bytes,
    trust: TrustList | None,
    *,
    required: bool,
    now: datetime | None = None,
) -> PackageSignature | None:
    """Check the signature of the package open as ``source``, whose manifest bytes are ``data``.

    None for an unsigned package when a signature is not ``required``. A signed package without a
    trust file comes back unchecked (``signer`` None). Raises :class:`IntegrityViolation` (field
    ``manifest.sig`` or ``manifest.sig.json``) for everything the module docstring refuses.
    """
    absent = _refused(N_("{field}: the package is not signed"))
    problem = source.problem(SIGNATURE_NAME, absent)
    if problem is absent:
        if required:
            raise absent
        return None
    if problem is not None:
        raise problem
    key_id, distid = _info(source)
    if trust is None:
        return PackageSignature(key_id, None)
    signature = _read_member(source, SIGNATURE_NAME, _MAX_SIGNATURE)
    sender = manifest.sender.credit_code
    if key_id is not None:
        candidates = [key for key in trust.keys if key.public_key.key_id == key_id]
        if not candidates:
            raise _refused(
                N_("{field}: signed with key {got}, which the trust file does not list"), got=key_id
            )
    else:
        candidates = [key for key in trust.keys if key.credit_code == sender]
        if not candidates:
            raise _refused(
                N_("{field}: the trust file lists no key of the sender {credit_code}"), credit_code=sender
            )
    signer = next((key for key in candidates if key.public_key.verify(data, signature, distid=distid)), None)
    if signer is None:
        raise _refused(
            N_(
                "{field}: the signature does not match manifest.json: the package was edited after "
                "signing, or signed by another key"
            )
        )
    if signer.credit_code != sender:
        raise _refused(
            N_("{field}: signed by {name} ({credit_code}), but the manifest names the sender {got}"),
            name=signer.name,
            credit_code=signer.credit_code,
            got=sender,
        )
    made = manifest.created_at
    if made > (now or datetime.now(UTC)) + _CLOCK_SKEW:
        raise _refused(N_("{field}: the package claims to be made at {at}, which is in the future"), at=made)
    try:
        trust.find(signer.public_key.key_id, at=made)
    except IntegrityViolation as err:
        err.field = SIGNATURE_NAME
        raise
    return PackageSignature(signer.public_key.key_id, signer)


def write_signature(target: Path, signer: Signer, *, manifest: bytes) -> None:
    """Add the signature members to the package at ``target`` (folder or zip), whole or not at all.

    A zip is copied beside itself under a hidden name, signed there and moved into place, so a
    failure leaves the package as it was.
    """
    members = signature_members(signer, manifest)
    if target.is_dir():
        written: list[Path] = []
        try:
            for name, content in members:
                path = target / name
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                written.append(path)
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(content)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return
    staging = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        shutil.copyfile(target, staging)
        with zipfile.ZipFile(staging, "a") as archive:
            for name, content in members:
                add_zip_member(archive, name, content)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def add_zip_member(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    """Add a regular file ``name`` to ``archive`` as the exporter writes its members."""
    import stat

    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    archive.writestr(info, content)


def already_signed(source: _Source) -> GovPartsError | None:
    """Why the package open as ``source`` may not be signed (it is already), or None."""
    absent = IntegrityViolation(N_("{field}: absent"), field=SIGNATURE_NAME)
    for name in (SIGNATURE_NAME, SIGNATURE_INFO_NAME):
        if source.problem(name, absent) is not absent:
            return InvalidInput(
                N_("{field}: the package already holds {name}; a signature is never replaced"),
                field="package",
                name=name,
            )
    return None
