"""Signed conformance statements: the integrator's SM2 signature over what was found (issue 20).

A conformance statement in the ``govparts-conformance-statement/1`` shape names the kit version
(``kit_version``), the fingerprint of the specification tested against (``spec_hash``), the product
(``product``) and the profile (``profile``: part, version and the optional features claimed). The
integrator who ran the kit signs it with an SM2 key (GB/T 32918.2-2016, :mod:`govparts.core.signing`)
so that a statement handed to a procurement office cannot be edited or forged. The signature is a
member of the statement itself::

    "signature": {"alg": "sm2-sm3", "distid": "1234567812345678", "key_id": "<SM3 of the SPKI>",
                  "signed_at": "2026-12-01T08:00:00.250000+00:00", "value": "<base64 of the DER signature>"}

It covers :func:`signed_bytes`: the canonical JSON (keys sorted, no spaces, UTF-8) of the whole
statement with the signature's ``value`` left out, so every requirement, every result, the signing
time and the key id are covered. :func:`verify_statement` accepts it when the key is in the trust
file and was valid at ``signed_at`` (a statement is evidence kept for years: a key that expired
since does not void it), ``signed_at`` is neither before ``tested_at`` nor in the future, and the
signature matches.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govparts.core.errors import IntegrityViolation, InvalidInput
from govparts.core.i18n import N_

from ._model import DOMAIN

if TYPE_CHECKING:
    from govparts.core.signing import Signer, TrustedKey, TrustList

__all__ = ["SignedStatement", "read_statement", "sign_statement", "signed_bytes", "verify_statement"]

_STATEMENT_FORMAT = "govparts-conformance-statement/1"
_MAX_BYTES = 64 * 1024 * 1024
_CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class SignedStatement:
    """A statement whose signature verified: who signed it, when, and what it states."""

    signer: TrustedKey
    signed_at: datetime
    statement: Mapping[str, Any]

    def profile(self) -> str:
        """The profile as one line: ``part version`` and the claimed features after ``+``."""
        return profile_text(self.statement)


def profile_text(statement: Mapping[str, Any]) -> str:
    """``part version`` of a statement, with ``+feature`` for each optional feature claimed."""
    profile = statement.get("profile")
    if not isinstance(profile, Mapping):
        return "-"
    features = profile.get("features")
    named = sorted(str(f) for f in features) if isinstance(features, list) else []
    return " ".join(
        [str(profile.get("part", "-")), str(profile.get("version", "-")), *(f"+{f}" for f in named)]
    )


def signed_bytes(statement: Mapping[str, Any]) -> bytes:
    """What a statement's signature covers: its canonical JSON without ``signature.value``."""
    members = dict(statement)
    signature = members.get("signature")
    if isinstance(signature, Mapping):
        members["signature"] = {k: v for k, v in signature.items() if k != "value"}
    return json.dumps(members, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _not_a_statement(where: str) -> InvalidInput:
    return InvalidInput(
        N_("{field}: not a conformance statement (expected JSON with format {expected})"),
        field=where,
        expected=_STATEMENT_FORMAT,
        domain=DOMAIN,
    )


def read_statement(path: str | Path) -> dict[str, Any]:
    """The statement in the JSON file at ``path`` (:class:`InvalidInput` naming it if it is not one)."""
    where = str(path)
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(
            N_("{field}: the statement cannot be read ({reason})"),
            field=where,
            reason=exc.strerror or type(exc).__name__,
            domain=DOMAIN,
        ) from None
    members: Any = None
    if len(data) <= _MAX_BYTES:
        try:
            members = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            members = None
    if not isinstance(members, dict) or members.get("format") != _STATEMENT_FORMAT:
        raise _not_a_statement(where)
    return members


def sign_statement(
    statement: Mapping[str, Any], signer: Signer, *, signed_at: datetime | None = None
) -> dict[str, Any]:
    """``statement`` (JSON-ready, as :func:`~govparts.conformance.statement_to_json` gives) signed.

    A statement that is not one, or that is signed already, is refused with :class:`InvalidInput`
    (a signature is never replaced).
    """
    from govparts.core.signing import DEFAULT_DISTID

    if statement.get("format") != _STATEMENT_FORMAT:
        raise _not_a_statement("statement")
    if "signature" in statement:
        raise InvalidInput(
            N_("{field}: the statement is signed already; a signature is never replaced"),
            field="signature",
            domain=DOMAIN,
        )
    signature = {
        "alg": signer.algorithm,
        "distid": DEFAULT_DISTID.decode("ascii"),
        "key_id": signer.key_id,
        "signed_at": _utc(signed_at or datetime.now(UTC)),
    }
    unsigned = {**statement, "signature": signature}
    value = signer.sign(signed_bytes(unsigned), distid=DEFAULT_DISTID)
    return {**unsigned, "signature": {**signature, "value": base64.b64encode(value).decode("ascii")}}


def _refused(message: str, **details: Any) -> IntegrityViolation:
    return IntegrityViolation(message, field="signature", domain=DOMAIN, **details)


def _member(signature: Mapping[str, Any], name: str) -> str:
    value = signature.get(name)
    if not isinstance(value, str) or not value or len(value) > 4096:
        raise _refused(N_("{field}: the statement's signature has no valid {member}"), member=name)
    return value


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def verify_statement(
    statement: Mapping[str, Any], trust: TrustList, *, now: datetime | None = None
) -> SignedStatement:
    """The statement's signer, checked against ``trust``.

    Raises :class:`~govparts.core.errors.IntegrityViolation` (field ``signature``) for an unsigned
    statement, another algorithm, a key the trust file does not list or that was not valid when it
    signed, a signing time before the test or in the future, and a signature that does not match
    (a statement edited after signing, or forged).
    """
    from govparts.core.signing import SIGNATURE_ALGORITHM

    signature = statement.get("signature")
    if signature is None:
        raise _refused(N_("{field}: the statement is not signed"))
    if not isinstance(signature, Mapping):
        raise _refused(N_("{field}: the statement's signature has no valid {member}"), member="value")
    alg = _member(signature, "alg")
    if alg != SIGNATURE_ALGORITHM:
        raise _refused(
            N_("{field}: unknown signature algorithm {got} (known: {allowed})"),
            got=alg[:50],
            allowed=[SIGNATURE_ALGORITHM],
        )
    signed_at = _moment(_member(signature, "signed_at"))
    if signed_at is None:
        raise _refused(N_("{field}: the statement's signature has no valid {member}"), member="signed_at")
    agency = trust.find(_member(signature, "key_id"), at=signed_at)
    try:
        value = base64.b64decode(_member(signature, "value"), validate=True)
    except (binascii.Error, ValueError):
        value = b""
    if not agency.public_key.verify(signed_bytes(statement), value, distid=_member(signature, "distid")):
        raise _refused(
            N_(
                "{field}: the signature of {name} ({credit_code}) does not match the statement: "
                "edited after signing, or forged"
            ),
            name=agency.name,
            credit_code=agency.credit_code,
        )
    tested_at = _moment(statement.get("tested_at"))
    if tested_at is not None and signed_at < tested_at:
        raise _refused(
            N_("{field}: signed at {at}, before the test it states ran ({tested_at})"),
            at=signed_at,
            tested_at=tested_at,
        )
    if signed_at > (now or datetime.now(UTC)) + _CLOCK_SKEW:
        raise _refused(N_("{field}: signed at {at}, which is in the future"), at=signed_at)
    return SignedStatement(agency, signed_at, statement)
