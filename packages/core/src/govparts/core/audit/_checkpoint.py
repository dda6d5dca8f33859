"""Checkpoints of the chain head, kept outside the database.

A hash chain proves only that records agree with each other: whoever can write the database can
rewrite a record and recompute every hash after it, and the chain will hold again. A checkpoint (the
sequence number and hash of the head at some moment) kept where the database's owner cannot rewrite
it, on paper, in another agency's archive or signed with a key (issue 20), catches that:
:func:`~govparts.core.audit.verify` given the checkpoint fails unless the chain still reproduces the
head it vouches for.

The file is UTF-8 JSON::

    {"alg": "sm3", "format": "govparts-audit-checkpoint/1", "hash": "66c7…", "seq": 42,
     "taken_at": "2026-12-09T10:00:00.000000Z"}

and may carry a ``signature`` object (issue 20)::

    "signature": {"alg": "sm2-sm3", "distid": "1234567812345678", "key_id": "<SM3 of the SPKI>",
                  "value": "<base64 of the DER SM2 signature>"}

What a signature covers is :meth:`Checkpoint.payload`, the canonical JSON of every other member
(sorted keys, no insignificant whitespace, UTF-8): ``openssl pkeyutl -verify -rawin -digest sm3``
checks it over those bytes. :func:`sign_checkpoint` signs, :func:`check_checkpoint_signature`
checks against a trust file.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import IntegrityViolation, InvalidInput
from ..i18n import N_
from ._chain import ALGORITHMS

if TYPE_CHECKING:
    from ..signing import Signer, TrustedKey, TrustList

__all__ = [
    "CHECKPOINT_FORMAT",
    "Checkpoint",
    "check_checkpoint_signature",
    "read_checkpoint",
    "sign_checkpoint",
]

CHECKPOINT_FORMAT = "govparts-audit-checkpoint/1"
"""The ``format`` member of every checkpoint file this version writes and reads."""

_HASH = re.compile(r"[0-9a-f]{64,128}")
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
_MAX_BYTES = 64 * 1024
_MEMBERS = ("alg", "format", "hash", "seq", "taken_at")


def _time_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime(_TIME)


@dataclass(frozen=True)
class Checkpoint:
    """The chain head at one moment: record ``seq`` had hash ``hash`` (algorithm ``alg``).

    ``signature`` is whatever signed the checkpoint (a JSON object), or ``None``; this class neither
    makes nor checks it.
    """

    seq: int
    hash: str
    alg: str
    taken_at: datetime
    signature: dict[str, Any] | None = field(default=None, compare=False)

    def payload(self) -> bytes:
        """The canonical JSON of everything but the signature: the bytes a signature covers."""
        members = {
            "alg": self.alg,
            "format": CHECKPOINT_FORMAT,
            "hash": self.hash,
            "seq": self.seq,
            "taken_at": _time_text(self.taken_at),
        }
        return json.dumps(members, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def to_json(self) -> bytes:
        """The file's bytes: the payload's members, the signature if any, indented for people."""
        members = json.loads(self.payload())
        if self.signature is not None:
            members["signature"] = self.signature
        return (json.dumps(members, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()

    def with_signature(self, signature: dict[str, Any]) -> Checkpoint:
        """The same checkpoint carrying ``signature``."""
        return Checkpoint(self.seq, self.hash, self.alg, self.taken_at, signature)

    @classmethod
    def from_json(cls, data: bytes, *, where: str = "checkpoint") -> Checkpoint:
        """Read a checkpoint from a file's bytes; :class:`InvalidInput` naming the member if it is not one."""
        if len(data) > _MAX_BYTES:
            raise InvalidInput(
                N_("{field}: a checkpoint file is at most {limit} bytes, got {got}"),
                field=where,
                limit=_MAX_BYTES,
                got=len(data),
            )
        try:
            members = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            members = None
        if not isinstance(members, dict) or members.get("format") != CHECKPOINT_FORMAT:
            raise InvalidInput(
                N_("{field}: not a govparts audit checkpoint (expected JSON with format {expected})"),
                field=where,
                expected=CHECKPOINT_FORMAT,
            )
        unknown = sorted(set(members) - {*_MEMBERS, "signature"})
        if unknown:
            raise InvalidInput(
                N_("{field}: unknown members {got} (known: {allowed})"),
                field=where,
                got=unknown,
                allowed=[*_MEMBERS, "signature"],
            )
        seq = members.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise InvalidInput(
                N_("{field}: expected a whole number of at least 0, got {got}"),
                field=f"{where}.seq",
                got=str(seq),
            )
        hash_ = members.get("hash")
        if not isinstance(hash_, str) or not _HASH.fullmatch(hash_):
            raise InvalidInput(
                N_("{field}: expected a hash in lower-case hexadecimal, got {got}"),
                field=f"{where}.hash",
                got=str(hash_)[:200],
            )
        alg = members.get("alg")
        if alg not in ALGORITHMS:
            raise InvalidInput(
                N_("{field}: unknown hash algorithm {got} (known: {allowed})"),
                field=f"{where}.alg",
                got=str(alg)[:50],
                allowed=list(ALGORITHMS),
            )
        taken_text = members.get("taken_at")
        try:
            if not isinstance(taken_text, str):
                raise ValueError
            taken_at = datetime.strptime(taken_text, _TIME).replace(tzinfo=UTC)
        except ValueError:
            raise InvalidInput(
                N_("{field}: expected a UTC time like {expected}, got {got}"),
                field=f"{where}.taken_at",
                expected="2026-12-09T10:00:00.000000Z",
                got=str(taken_text)[:50],
            ) from None
        signature = members.get("signature")
        if signature is not None and not isinstance(signature, dict):
            raise InvalidInput(
                N_("{field}: expected a JSON object, got {got}"),
                field=f"{where}.signature",
                got=type(signature).__name__,
            )
        return cls(seq=seq, hash=hash_, alg=str(alg), taken_at=taken_at, signature=signature)


def read_checkpoint(path: str | Path) -> Checkpoint:
    """Read the checkpoint file at ``path`` (:class:`InvalidInput` naming it if it cannot be read)."""
    where = str(path)
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(
            N_("{field}: the checkpoint file cannot be read ({reason})"),
            field=where,
            reason=exc.strerror or type(exc).__name__,
        ) from None
    return Checkpoint.from_json(data, where=where)


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> Checkpoint:
    """``checkpoint`` carrying ``signer``'s SM2 signature of its :meth:`~Checkpoint.payload`."""
    from ..signing import DEFAULT_DISTID

    value = signer.sign(checkpoint.payload(), distid=DEFAULT_DISTID)
    return checkpoint.with_signature(
        {
            "alg": signer.algorithm,
            "distid": DEFAULT_DISTID.decode("ascii"),
            "key_id": signer.key_id,
            "value": base64.b64encode(value).decode("ascii"),
        }
    )


def _signature_member(signature: dict[str, Any], name: str) -> str:
    value = signature.get(name)
    if not isinstance(value, str) or not value or len(value) > 4096:
        raise IntegrityViolation(
            N_("{field}: the checkpoint's signature has no valid {member}"), field="signature", member=name
        )
    return value


def check_checkpoint_signature(checkpoint: Checkpoint, trust: TrustList) -> TrustedKey:
    """The agency whose key signed ``checkpoint``, checked against ``trust``.

    The key must be listed in the trust file and valid when the checkpoint was taken (a checkpoint
    is evidence kept for years: a key that expired since does not void it). Raises
    :class:`~govparts.core.errors.IntegrityViolation` (field ``signature``) for an unsigned
    checkpoint, an unknown or expired key, or a signature that does not match, that is a
    checkpoint edited after signing or a forged one.
    """
    from ..signing import SIGNATURE_ALGORITHM, verify_bytes

    signature = checkpoint.signature
    if signature is None:
        raise IntegrityViolation(N_("{field}: the checkpoint is not signed"), field="signature")
    alg = _signature_member(signature, "alg")
    if alg != SIGNATURE_ALGORITHM:
        raise IntegrityViolation(
            N_("{field}: unknown signature algorithm {got} (known: {allowed})"),
            field="signature",
            got=alg[:50],
            allowed=[SIGNATURE_ALGORITHM],
        )
    distid = _signature_member(signature, "distid")
    agency = trust.find(_signature_member(signature, "key_id"), at=checkpoint.taken_at)
    try:
        value = base64.b64decode(_signature_member(signature, "value"), validate=True)
    except (binascii.Error, ValueError):
        value = b""
    if not verify_bytes(agency.public_key, checkpoint.payload(), value, distid=distid):
        raise IntegrityViolation(
            N_(
                "{field}: the signature of {name} ({credit_code}) does not match the checkpoint: "
                "edited after signing, or forged"
            ),
            field="signature",
            name=agency.name,
            credit_code=agency.credit_code,
        )
    return agency
